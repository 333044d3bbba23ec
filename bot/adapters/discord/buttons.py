"""The buttons under each reply: one ``DynamicItem`` per offer, its ``custom_id`` the offer's token.

discord.py rebuilds an item from its custom_id on every press (``bot.core.callbacks`` tokens carry
the whole state), so buttons keep working after a restart and no view is kept in memory. A press
goes to ``ReviveBot.on_press``; this module only lays the offers out.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord
from discord.ui import Button, DynamicItem, Select, View

from bot.adapters.discord import render
from bot.core.callbacks import TOKEN_PATTERN
from bot.core.views import OfferStyle
from bot.core.views import View as CoreView

if TYPE_CHECKING:
    from bot.adapters.discord.client import ReviveBot

log = logging.getLogger(__name__)

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


def _bot(interaction: discord.Interaction[Any]) -> ReviveBot:
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
        await _bot(interaction).on_press(interaction, self.token)


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
        await _bot(interaction).on_press(interaction, self.token, value=self.item.values[0])


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
