"""/forget clears what the running bot holds about the user in memory too, not only the database rows."""

from __future__ import annotations

from bot.store.base import ChatSettings
from tests.adapters.telegram._tg_support import ALICE, ALICE_DM, BOB, GROUP, Bot

CONFIDENT = "my iphone 7 plus is stuck on the apple logo"
AGAIN = "my iphone 14 keeps restarting"


async def test_forget_ends_the_users_auto_mode_cooldown(bot: Bot) -> None:
    """After /forget the bot no longer knows it answered this person a minute ago."""
    await bot.store.save_chat_settings("telegram", str(GROUP["id"]), ChatSettings(auto_mode=True, cooldown_seconds=300))
    assert await bot.say(GROUP, ALICE, CONFIDENT)
    assert await bot.say(GROUP, BOB, CONFIDENT)
    bot.clock.advance(60)
    assert await bot.say(GROUP, ALICE, AGAIN) == []  # within the cooldown: the bot remembers her

    assert await bot.say(ALICE_DM, ALICE, "/forget")

    assert await bot.say(GROUP, ALICE, AGAIN)  # nothing left in memory holds her back
    assert await bot.say(GROUP, BOB, AGAIN) == []  # someone else's cooldown is untouched
