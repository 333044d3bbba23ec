"""What a press does: tell the conversation who pressed (``Actor``), render the view it returns.

Nothing here decides what comes next or who may act; this module only finds out who asked the
question a reply answers, and whether the presser is one of the server's moderators or helpers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import discord

from bot.adapters.discord.send import deliver, report_error
from bot.core.conversation import Actor
from bot.store.base import Platform

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from bot.adapters.discord.client import ReviveBot

PLATFORM: Platform = "discord"


def bot_of(interaction: discord.Interaction[Any]) -> ReviveBot:
    return cast("ReviveBot", interaction.client)


# ---------------------------------------------------------------------------- who pressed


async def referenced(message: discord.Message) -> discord.Message | None:
    """The message this one replies to (fetched when Discord did not include it), if any."""
    reference = message.reference
    if reference is None or reference.message_id is None:
        return None
    if isinstance(reference.resolved, discord.Message):
        return reference.resolved
    try:
        return await message.channel.fetch_message(reference.message_id)
    except discord.HTTPException:
        return None  # deleted, or no access


async def asker_of(message: discord.Message, me: int) -> int | None:
    """Who asked the question a bot message answers.

    A reply to someone's post: that post's author. A reply to the bot's own first answer, or the
    first answer itself: the person who ran the command (Discord's interaction metadata).
    """
    target = await referenced(message)
    if target is not None:
        if target.author.id != me:
            return target.author.id
        message = target
    metadata = message.interaction_metadata
    return metadata.user.id if metadata is not None else None


def is_helper(bot: ReviveBot, user: discord.abc.User, permissions: discord.Permissions) -> bool:
    """A moderator (Manage Messages, or an administrator) or a member of the configured helper role."""
    if permissions.administrator or permissions.manage_messages:
        return True
    role_id = bot.settings.discord_helper_role_id
    return role_id is not None and isinstance(user, discord.Member) and user.get_role(role_id) is not None


async def actor_for_press(interaction: discord.Interaction[Any]) -> Actor:
    """The presser as the core sees them. In DMs and on private (ephemeral) replies they are always the asker."""
    bot = bot_of(interaction)
    user_id = str(interaction.user.id)
    message = interaction.message
    if interaction.guild_id is None or message is None or message.flags.ephemeral or bot.user is None:
        return Actor(user_id, PLATFORM)
    asker = await asker_of(message, bot.user.id)
    return Actor(
        user_id,
        PLATFORM,
        is_asker=asker == interaction.user.id,
        is_helper=is_helper(bot, interaction.user, interaction.permissions),
    )


# ---------------------------------------------------------------------------- pressing


async def guarded(interaction: discord.Interaction[Any], work: Awaitable[None]) -> None:
    """Run a component handler; failures go through ``report_error``."""
    bot_of(interaction).track()
    try:
        await work
    except Exception as error:
        await report_error(interaction, error)


async def on_press(interaction: discord.Interaction[Any], token: str, *, value: str = "") -> None:
    """Any button: the conversation decides (and records, before anything confirms it); we render."""
    bot = bot_of(interaction)
    view = await bot.conversation.press(token, await actor_for_press(interaction), value=value)
    await deliver(interaction, view, bot.settings)
