"""Turn the core's answers into Discord embeds that always fit Discord's limits.

Everything shown comes from ``bot.core.render`` (plain-text lines) and is escaped here, so
neither user text nor knowledge text can break formatting or mention anyone. Long answers
are split over several embeds, and embeds over several messages (6,000 characters in all
per message).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import discord
from discord.utils import escape_markdown, escape_mentions

from bot.core.answer import LadderStep, ModelRef, Procedure, TriageAnswer
from bot.core.render import answer_sections, procedure_lines, step_heading, step_lines

# Discord's documented limits.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_PER_EMBED = 25
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000  # per message, summed over all its embeds
EMBEDS_PER_MESSAGE = 10
CONTENT_LIMIT = 2000

PROBLEM_QUOTE_LIMIT = 300
FOOTER_RESERVE = 256  # our footers are cut to this, so embeds keep room for them

COLOURS: dict[str, int] = {
    "info": 0x5865F2,  # blurple
    "warning": 0xFEE75C,  # yellow
    "danger": 0xED4245,  # red: damage and safety
}

PROCEDURE_NAMES: dict[str, str] = {
    "force_restart": "Force restart",
    "recovery_mode": "Recovery mode",
    "dfu_mode": "DFU mode",
    "exit_dfu": "Exit DFU",
    "exit_recovery": "Exit recovery mode",
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


def _fields(title: str, lines: Sequence[str]) -> list[tuple[str, str]]:
    name = truncate(clean(title), FIELD_NAME_LIMIT)
    values = _chunks((clean(line) for line in lines), FIELD_VALUE_LIMIT)
    cont = truncate(f"{clean(title)} (cont.)", FIELD_NAME_LIMIT)
    return [(name if i == 0 else cont, value) for i, value in enumerate(values)]


def colour_for(answer: TriageAnswer) -> int:
    return COLOURS.get(answer.severity, COLOURS["info"])


def quote_problem(problem: str) -> str:
    """The user's own words, on one line, escaped and shortened."""
    flat = " ".join(problem.split())
    return "> " + truncate(clean(flat), PROBLEM_QUOTE_LIMIT)


def _build(
    title: str, description: str, colour: int, fields: list[tuple[str, str]], footer: str | None
) -> list[discord.Embed]:
    """Lay fields out over as many embeds as the per-embed limits need."""
    embeds: list[discord.Embed] = []
    embed = discord.Embed(title=title or None, description=description or None, colour=colour)
    for name, value in fields:
        size = len(name) + len(value)
        if len(embed.fields) >= FIELDS_PER_EMBED or len(embed) + size > EMBED_TOTAL_LIMIT - FOOTER_RESERVE:
            embeds.append(embed)
            embed = discord.Embed(colour=colour)
        embed.add_field(name=name, value=value, inline=False)
    embeds.append(embed)
    if footer:
        embeds[-1].set_footer(text=truncate(footer, FOOTER_RESERVE))
    return embeds


# Rungs of the ladder shown with full instructions; later ones show only what they do
# ("Didn't work: next step" reveals each in full, "Show DFU steps" the DFU procedure).
DETAILED_STEPS = 2
MORE_STEPS_HINT = 'Full instructions for this step come with "Didn\'t work: next step".'

# Sections left out while the model is still unknown: the steps depend on it.
MODEL_DEPENDENT = ("step", "before", "notes")
PICK_MODEL_HINT = "Pick your iPhone below and this answer changes to the exact steps for it."


def answer_embeds(answer: TriageAnswer, *, problem: str | None = None) -> list[discord.Embed]:
    """The answer as embeds: headline title, severity colour, one field per section.

    The ladder is compact: the first ``DETAILED_STEPS`` rungs in full, later ones only say
    what they do; risks and the backup reminder always come before any step.
    While the core still needs the model, only the model-independent sections are shown
    (with a hint to use the picker), so the answer stays one message that the picker updates.
    """
    description = quote_problem(problem) if problem and problem.strip() else ""
    compact = answer.status == "needs_model"
    fields: list[tuple[str, str]] = []
    brief_step = f"step{DETAILED_STEPS + 1}"
    for section in answer_sections(answer, detailed_steps=DETAILED_STEPS):
        if compact and section.key.startswith(MODEL_DEPENDENT):
            continue
        lines = section.lines
        if compact and section.key == "model":
            lines = (*lines, PICK_MODEL_HINT)
        elif section.key == brief_step and answer.status == "answered":
            lines = (*lines, MORE_STEPS_HINT)
        fields += _fields(section.title, lines)
    if not fields and not description and answer.text:
        description = truncate(clean(answer.text), DESCRIPTION_LIMIT)
    footer_bits = [answer.model.name] if answer.model else []
    if answer.answer_id:
        footer_bits.append(f"answer {answer.answer_id}")
    footer = " · ".join(footer_bits) or None
    title = truncate(clean(answer.headline), TITLE_LIMIT)
    return _build(title, description, colour_for(answer), fields, footer)


def procedure_embeds(model: ModelRef, procedure: Procedure) -> list[discord.Embed]:
    """One button procedure for one model."""
    title = truncate(clean(f"{procedure.title}: {model.name}"), TITLE_LIMIT)
    description = truncate("\n".join(clean(line) for line in procedure_lines(procedure)), DESCRIPTION_LIMIT)
    return _build(title, description, COLOURS["info"], [], None)


def step_embeds(step: LadderStep, number: int, model: ModelRef | None) -> list[discord.Embed]:
    """One rung of the ladder (the "Didn't work: next step" reply)."""
    colour = COLOURS["danger"] if step.data_risk == "erases" else COLOURS["warning"]
    title = truncate(clean(step_heading(step, number)), TITLE_LIMIT)
    description = truncate("\n".join(clean(line) for line in step_lines(step)), DESCRIPTION_LIMIT)
    return _build(title, description, colour, [], model.name if model else None)


def notice(text: str) -> str:
    """A short plain message (errors, confirmations), escaped and within the content limit."""
    return truncate(clean(text), CONTENT_LIMIT)


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
