"""Telegram HTML for the core's answers, split into messages Telegram accepts.

Everything shown to users is built from :class:`Line` values holding *plain*
text; HTML is produced only here, with ``html.escape`` on every string (answers,
model names, a user's first name, anything). Each line is complete HTML on its
own (tags open and close on the same line), so splitting between lines or
between blocks can never cut a tag in half. A message never exceeds 4096 UTF-16
code units of raw HTML, which is stricter than Telegram's limit (4096 characters
after entity parsing).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.answer import LadderStep, ModelRef, Procedure, TriageAnswer
from bot.core.render import answer_sections, procedure_lines, step_heading, step_lines

MAX_MESSAGE = 4096
# Rungs of the ladder shown with full instructions; later ones only say what they do
# ("Didn't work: next step" shows each in full, "Show DFU steps" the DFU procedure).
DETAILED_STEPS = 2
MORE_STEPS_HINT = "Full instructions for this step come with \u201cDidn't work: next step\u201d."
BLOCK_SEPARATOR = "\n\n"
SEVERITY_MARKS = {"info": "", "warning": "⚠️ ", "danger": "⛔ "}


@dataclass(frozen=True, slots=True)
class Line:
    """One line of plain text and how to style it."""

    text: str
    bold: bool = False
    italic: bool = False

    def html(self) -> str:
        body = escape(self.text)
        if self.bold:
            body = f"<b>{body}</b>"
        if self.italic:
            body = f"<i>{body}</i>"
        return body


Block = tuple[Line, ...]


def escape(text: str) -> str:
    """Escape plain text for Telegram's HTML parse mode (&, < and >)."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    """Telegram counts lengths in UTF-16 code units (an emoji may count twice)."""
    return len(text.encode("utf-16-le")) // 2


def block(title: str | None, lines: Iterable[str], *, italic: bool = False) -> Block:
    """A titled block: a bold title line, then plain lines ('- x' shown as a bullet)."""
    out = [Line(title, bold=True)] if title else []
    out += [Line(_bullet(line), italic=italic and bool(line)) for line in lines]
    return tuple(out)


def _bullet(line: str) -> str:
    return "• " + line[2:] if line.startswith("- ") else line


def pack(blocks: Sequence[Block], limit: int = MAX_MESSAGE) -> list[str]:
    """Join blocks into as few messages as fit under ``limit``; split only between blocks.

    A block longer than a message is split between its lines, and a single line
    longer than a message is cut (plain text first, escaped after) so that no
    entity or tag is ever split.
    """
    pieces = (piece for b in blocks if b for piece in _fit_block(b, limit))
    return _greedy_join(pieces, BLOCK_SEPARATOR, limit)


def _greedy_join(pieces: Iterable[str], separator: str, limit: int) -> list[str]:
    """Join pieces in order into as few strings of at most ``limit`` as possible, never splitting a piece."""
    joined: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if utf16_len(candidate) <= limit:
            current = candidate
        else:
            if current:
                joined.append(current)
            current = piece
    if current:
        joined.append(current)
    return joined


def _fit_block(lines: Block, limit: int) -> list[str]:
    rendered = "\n".join(line.html() for line in lines)
    if utf16_len(rendered) <= limit:
        return [rendered]
    return _greedy_join((part for line in lines for part in _fit_line(line, limit)), "\n", limit)


def _fit_line(line: Line, limit: int) -> list[str]:
    rendered = line.html()
    if utf16_len(rendered) <= limit:
        return [rendered]
    overhead = utf16_len(Line("", line.bold, line.italic).html())
    budget = limit - overhead
    parts: list[str] = []
    chunk: list[str] = []
    size = 0
    for char in line.text:
        cost = utf16_len(escape(char))
        if size + cost > budget:
            parts.append(Line("".join(chunk), line.bold, line.italic).html())
            chunk, size = [], 0
        chunk.append(char)
        size += cost
    if chunk:
        parts.append(Line("".join(chunk), line.bold, line.italic).html())
    return parts


# --------------------------------------------------------------------------- answers


def headline_block(answer: TriageAnswer) -> Block:
    return (Line(SEVERITY_MARKS.get(answer.severity, "") + answer.headline, bold=True),)


def answer_blocks(answer: TriageAnswer) -> list[Block]:
    """The headline, then every section in reading order, with a compact ladder.

    The first ``DETAILED_STEPS`` rungs come with full instructions; later ones only say
    what they do, so a chat answer stays short and people try the safe steps first.
    """
    brief_step = f"step{DETAILED_STEPS + 1}"
    blocks = [headline_block(answer)]
    for section in answer_sections(answer, detailed_steps=DETAILED_STEPS):
        lines = section.lines
        if section.key == brief_step and answer.status == "answered":
            lines = (*lines, MORE_STEPS_HINT)
        blocks.append(block(section.title, lines))
    return blocks


def render_answer(answer: TriageAnswer, *, footer: Sequence[str] = ()) -> list[str]:
    """A whole answer as one or more HTML messages (the footer goes at the very end)."""
    blocks = answer_blocks(answer)
    if footer:
        blocks.append(block(None, footer, italic=True))
    return pack(blocks)


def render_step(step: LadderStep, number: int, model: ModelRef | None) -> list[str]:
    """One ladder step on its own, for "Didn't work: next step"."""
    title = f"Next step for your {model.name}" if model else "Next step"
    return pack([(Line(title, bold=True),), block(step_heading(step, number), step_lines(step))])


def render_procedures(model: ModelRef, procedures: Sequence[Procedure]) -> list[str]:
    """Button procedures (force restart, recovery, DFU...) for one model."""
    blocks: list[Block] = [(Line(f"Button steps for the {model.name}", bold=True),)]
    blocks += [block(procedure.title, procedure_lines(procedure)) for procedure in procedures]
    return pack(blocks)


def render_no_procedures(model: ModelRef) -> list[str]:
    return pack(
        [
            (
                Line(model.name, bold=True),
                Line(
                    "I don't have verified button steps for this model yet, so I won't guess. "
                    "Apple's support site lists the exact steps for every iPhone."
                ),
            )
        ]
    )


def render_text(title: str | None, lines: Iterable[str], *, footer: Sequence[str] = ()) -> list[str]:
    """A simple titled message (help, confirmations)."""
    blocks = [block(title, lines)]
    if footer:
        blocks.append(block(None, footer, italic=True))
    return pack(blocks)
