"""Render the conversation's views (bot/core/views.py) as Discord embeds that fit Discord's limits.

Nothing here decides what to show: the ``View`` says it, this module lays it out. Every piece of
text (user text and knowledge text alike) is escaped, so it cannot break formatting or mention
anyone. A reply is one message: one embed of at most ``REPLY_LIMIT`` characters, whose details
come on demand ("More" / "All steps") as separate messages that are split within Discord's limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.core.render import Section
from bot.core.views import StepCard, View

# Discord's documented limits.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_PER_EMBED = 25
EMBED_TOTAL_LIMIT = 6000  # per message, summed over all its embeds
EMBEDS_PER_MESSAGE = 10
CONTENT_LIMIT = 2000

REPLY_LIMIT = 1200  # embed text of one reply: it fits one phone screen (issue 8)
FOOTER_RESERVE = 64  # "answer <id>" fits in it

COLOURS: dict[str, int] = {
    "info": 0x5865F2,  # blurple
    "warning": 0xFEE75C,  # yellow
    "danger": 0xED4245,  # red: damage, safety, a step that erases
    "solved": 0x57F287,  # green
}


def clean(text: str) -> str:
    """Escape Markdown and mentions so text shows literally and pings no one."""
    return escape_mentions(escape_markdown(text))


def truncate(text: str, limit: int) -> str:
    """Cut to ``limit`` characters with an ellipsis; never leaves a lone escaping backslash."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if cut.endswith("\\") and not cut.endswith("\\\\"):
        cut = cut[:-1]
    return cut + "…"


def notice(text: str) -> str:
    """A short plain message (errors, confirmations), escaped and within the content limit."""
    return truncate(clean(text), CONTENT_LIMIT)


# ---------------------------------------------------------------------------- the one reply


def is_plain_notice(view: View) -> bool:
    """A view that is only a short notice (not allowed, not saved, remembered): sent as plain text."""
    return bool(view.notice) and not (
        view.headline or view.safety or view.diagnosis or view.lines or view.step or view.risk or view.backup
    ) and not (view.extras or view.handoff)  # fmt: skip


def colour_for(view: View) -> int:
    if view.kind == "solved":
        return COLOURS["solved"]
    if view.step is not None and view.step.erases:
        return COLOURS["danger"]
    return COLOURS.get(view.severity, COLOURS["info"])


def step_lines(card: StepCard) -> list[str]:
    """The one step to do now: warnings first, a bold heading, numbered lines, what they should see."""
    lines = [f"⚠️ {clean(w)}" for w in card.warnings]
    where = f"Step {card.number} of {card.total}: " if card.total > 1 else ""
    label = f" ({clean(card.risk_label)})" if card.risk_label else ""
    lines.append(f"**{where}{clean(card.title)}**{label}")
    lines += [f"{number}. {clean(line)}" for number, line in enumerate(card.lines, start=1)]
    if card.expect:
        lines.append(f"You should see: {clean(card.expect)}")
    return lines


def body_lines(view: View) -> list[str]:
    """Every visible part of a view before its buttons, in the order the View declares."""
    lines = [f"⚠️ **{clean(line)}**" for line in view.safety]
    lines += [clean(view.diagnosis)] if view.diagnosis else []
    lines += [clean(view.notice)] if view.notice else []
    lines += [clean(line) for line in view.lines]
    if view.step is not None:
        lines += step_lines(view.step)
    lines += [f"**Risk:** {clean(view.risk)}"] if view.risk else []
    lines += [f"**Backup:** {clean(view.backup)}"] if view.backup else []
    lines += [clean(line) for line in view.extras]
    if view.handoff is not None:
        lines.append("**For a helper:**")
        lines += [f"- {clean(line)}" for line in view.handoff.lines()]
    return lines


def view_embed(view: View) -> discord.Embed:
    """The view as one embed: headline as title, the body as description, the answer id as footer.

    The core keeps a first reply within ``REPLY_LIMIT`` (tested over every combination); a later
    step may be longer. Discord's own limits are the last guard: the description is cut to fit them.
    """
    title = truncate(clean(view.headline), TITLE_LIMIT) if view.headline else None
    footer = f"answer {view.answer_id}" if view.answer_id else ""
    description = truncate("\n".join(body_lines(view)), DESCRIPTION_LIMIT)
    embed = discord.Embed(title=title, description=description or None, colour=colour_for(view))
    if footer:
        embed.set_footer(text=footer)
    return embed


# ---------------------------------------------------------------------------- details, on demand


def _chunks(lines: Iterable[str], limit: int) -> list[str]:
    """Join lines with newlines into pieces of at most ``limit`` characters."""
    pieces: list[str] = []
    current = ""
    for raw in lines:
        line = raw
        while len(line) > limit:  # a single over-long line: hard-wrap it
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return [p for p in pieces if p.strip()]


def _fields(section: Section) -> list[tuple[str, str]]:
    name = truncate(clean(section.title), FIELD_NAME_LIMIT)
    cont = truncate(f"{clean(section.title)} (cont.)", FIELD_NAME_LIMIT)
    values = _chunks((clean(line) for line in section.lines), FIELD_VALUE_LIMIT)
    return [(name if i == 0 else cont, value) for i, value in enumerate(values)]


def details_embeds(view: View, *, description: str = "") -> list[discord.Embed]:
    """A view's details (the full step, all steps, a procedure) as embed fields, over as many embeds as needed.

    ``description``: the (already escaped) body shown above the fields, e.g. a procedure's risk line.
    """
    colour = colour_for(view)
    embeds: list[discord.Embed] = []
    embed = discord.Embed(
        title=truncate(clean(view.headline), TITLE_LIMIT) if view.headline else None,
        description=truncate(description, DESCRIPTION_LIMIT) if description else None,
        colour=colour,
    )
    for section in view.details:
        for name, value in _fields(section):
            full = len(embed.fields) >= FIELDS_PER_EMBED
            if full or len(embed) + len(name) + len(value) > EMBED_TOTAL_LIMIT - FOOTER_RESERVE:
                embeds.append(embed)
                embed = discord.Embed(colour=colour)
            embed.add_field(name=name, value=value, inline=False)
    embeds.append(embed)
    if view.answer_id:
        embeds[-1].set_footer(text=f"answer {view.answer_id}")
    return [e for e in embeds if e.title or e.description or e.fields]


def split_messages(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Group embeds into messages: at most 10 embeds and 6,000 characters per message."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    size = 0
    for embed in embeds:
        if current and (len(current) >= EMBEDS_PER_MESSAGE or size + len(embed) > EMBED_TOTAL_LIMIT):
            messages.append(current)
            current, size = [], 0
        current.append(embed)
        size += len(embed)
    if current:
        messages.append(current)
    return messages
