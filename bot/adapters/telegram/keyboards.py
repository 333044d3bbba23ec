"""Inline keyboards: one button per offer of a view, in the view's order.

Every button's ``callback_data`` is a token the core packed to fit Telegram's 64
bytes: the offers' tokens, and the view's details token behind "More" when the
message had no room for the details. The adapter adds no ladder buttons of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.views import Offer, View

# Two offers share a row when both labels are this short (longer ones would be cut off on a phone).
PAIR_LABEL_LIMIT = 24
MORE_LABEL = "More"


def rows(buttons: Sequence[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """Buttons in order; two short neighbours share a row."""
    laid_out: list[list[InlineKeyboardButton]] = []
    for button in buttons:
        last = laid_out[-1] if laid_out else None
        if last is not None and len(last) == 1 and max(len(last[0].text), len(button.text)) <= PAIR_LABEL_LIMIT:
            last.append(button)
        else:
            laid_out.append([button])
    return laid_out


def offers_keyboard(offers: Sequence[Offer], *, more: str = "") -> InlineKeyboardMarkup | None:
    """The keyboard of a view's offers (None when it offers nothing); ``more``: the view's details token.

    "More" comes last, and only when the message could not hold the view's details.
    """
    buttons = [InlineKeyboardButton(offer.label, callback_data=offer.token) for offer in offers]
    if more and all(offer.token != more for offer in offers):
        buttons.append(InlineKeyboardButton(MORE_LABEL, callback_data=more))
    return InlineKeyboardMarkup(rows(buttons)) if buttons else None


def view_keyboard(view: View, *, details_left: bool) -> InlineKeyboardMarkup | None:
    """A view's buttons: its offers, plus "More" when some of its details did not fit in the message."""
    return offers_keyboard(view.offers, more=view.details_token if details_left else "")
