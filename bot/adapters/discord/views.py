"""Buttons under each reply, and what a press does: ask the conversation, render the view it returns.

Every button is a ``discord.ui.DynamicItem`` whose ``custom_id`` is the offer's token
(``bot.core.callbacks``): discord.py rebuilds the item from it on every press, so buttons keep
working after a restart and no view is kept in memory. Nothing here decides what comes next or
who may act: the adapter tells the core who pressed (``Actor``) and renders the answer.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord
from discord.ui import Button, DynamicItem, Select, View

from bot.adapters.discord import render
from bot.adapters.discord.send import deliver, report_error
from bot.core.callbacks import TOKEN_PATTERN
from bot.core.conversation import Actor
from bot.core.views import OfferStyle
from bot.core.views import View as CoreView
from bot.store.base import Platform

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from bot.adapters.discord.client import ReviveBot

log = logging.getLogger(__name__)

PLATFORM: Platform = "discord"
MORE_LABEL = "More"
BUTTONS_PER_ROW = 5
MAX_BUTTONS = 25  # five rows of five
# Buttons of replies sent before the conversation core (``rv|verb|answer|symptom|model|step``): still answered.
LEGACY_BUTTON = r"rv\|[wndxr]\|[^|]*\|[^|]*\|[^|]*\|[0-9]{1,2}"
LEGACY_PICKER = r"rv\|m\|[^|]*\|[^|]*\|[^|]*\|[0-9]{1,2}"
STYLES: dict[OfferStyle, discord.ButtonStyle] = {
    "primary": discord.ButtonStyle.primary,
    "success": discord.ButtonStyle.success,
    "secondary": discord.ButtonStyle.secondary,
    "danger": discord.ButtonStyle.danger,
}
# Views whose details are the message itself; the others show theirs behind "More".
DETAILS_IN_PLACE = ("all_steps", "details")


def bot_of(interaction: discord.Interaction[Any]) -> ReviveBot:
    return cast("ReviveBot", interaction.client)


# ---------------------------------------------------------------------------- items


class OfferButton(DynamicItem[Button[View]], template=f"(?:{TOKEN_PATTERN})|(?:{LEGACY_BUTTON})"):
    """One offer of a view. Its custom_id is the offer's token; pressing it asks the conversation."""

    def __init__(self, label: str, token: str, style: discord.ButtonStyle = discord.ButtonStyle.secondary) -> None:
        super().__init__(Button(label=render.truncate(label, 80), style=style, custom_id=token))
        self.token = token

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> OfferButton:
        label = item.label if isinstance(item, Button) and item.label else MORE_LABEL
        style = item.style if isinstance(item, Button) else discord.ButtonStyle.secondary
        return cls(label, match.string, style)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, on_press(interaction, self.token))


class LegacyPicker(DynamicItem[Select[View]], template=LEGACY_PICKER):
    """The model select menu of replies sent before the conversation core: the choice is passed on."""

    def __init__(self, token: str, options: list[discord.SelectOption]) -> None:
        super().__init__(Select(custom_id=token, options=options, min_values=1, max_values=1))
        self.token = token

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> LegacyPicker:
        options = list(item.options) if isinstance(item, Select) else []
        return cls(match.string, options)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, on_press(interaction, self.token, value=self.item.values[0]))


def more_token(view: CoreView) -> str | None:
    """The token of the "More" button, when the view has details to show on demand (the core's details token)."""
    if not view.details or view.kind in DETAILS_IN_PLACE or not view.details_token:
        return None
    return view.details_token


def components(view: CoreView) -> View | None:
    """The view's offers as buttons, in order, five to a row; "More" last when there are details."""
    buttons = [(offer.label, offer.token, STYLES[offer.style]) for offer in view.offers]
    more = more_token(view)
    if more is not None and all(token != more for _, token, _ in buttons):
        buttons.append((MORE_LABEL, more, discord.ButtonStyle.secondary))
    if len(buttons) > MAX_BUTTONS:
        log.warning("view %s has %d offers; showing the first %d", view.kind, len(buttons), MAX_BUTTONS)
    ui = View(timeout=None)
    for index, (label, token, style) in enumerate(buttons[:MAX_BUTTONS]):
        item = OfferButton(label, token, style)
        item.row = index // BUTTONS_PER_ROW
        ui.add_item(item)
    return ui if ui.children else None


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
