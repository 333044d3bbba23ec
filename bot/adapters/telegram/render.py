"""Telegram HTML for the conversation's views (bot/core/views.py), in messages Telegram accepts.

A view is one message: its fields in the order the View declares them, then as many
of its details as fit in an expandable blockquote, within 900 characters of text
for a reply that fits one phone screen. Only the full manual ("All steps", "More")
may take several messages. Nothing here decides what to show: that is the view.

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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from bot.core.render import RISK_BADGES
from bot.core.views import StepCard, View

MAX_MESSAGE = 4096
BLOCK_SEPARATOR = "\n\n"


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


# --------------------------------------------------------------------------- views

SHORT_LIMIT = 900  # a reply that fits one phone screen (issue 8): plain text, counted as Telegram counts
ALERT_LIMIT = 200  # answerCallbackQuery text
SAFETY_MARK = "⛔ "
WARNING_MARK = "⚠️ "
BACKUP_MARK = "💾 "
QUOTE_OPEN = "<blockquote expandable>"
QUOTE_CLOSE = "</blockquote>"
# Views whose body *is* the details (the full manual): sent in full, split between sections if need be.
MANUAL_KINDS = frozenset({"all_steps", "details"})


def plain_len(lines: Sequence[Line]) -> int:
    """What Telegram counts of these lines once joined by newlines (entities don't count)."""
    return sum(utf16_len(line.text) for line in lines) + max(len(lines) - 1, 0)


def step_title(step: StepCard) -> str:
    """'Step 1 of 5: Force restart (keeps your data)': the rung's own risk words from the knowledge base."""
    badge = step.risk_label or RISK_BADGES[step.data_risk]
    if step.total > 1:
        return f"Step {step.number} of {step.total}: {step.title} ({badge})"
    return f"{step.title} ({badge})"


def card_lines(step: StepCard) -> list[Line]:
    """The one step to do now: its warnings first, then the numbered lines and what the person should see."""
    lines = [Line(WARNING_MARK + warning) for warning in step.warnings]
    lines.append(Line(step_title(step), bold=True))
    lines += [Line(f"{number}. {text}") for number, text in enumerate(step.lines, start=1)]
    if step.expect:
        lines.append(Line(f"You should see: {step.expect}", italic=True))
    return lines


def view_blocks(view: View) -> list[Block]:
    """Every visible field of a view except the details, in the order the View declares them."""
    blocks: list[Block] = []
    head: list[Line] = []
    if view.headline:
        mark = SAFETY_MARK if view.severity == "danger" else ""
        head.append(Line(mark + view.headline, bold=True))
    head += [Line(SAFETY_MARK + line, bold=True) for line in view.safety]
    if view.diagnosis:
        head.append(Line(view.diagnosis))
    blocks.append(tuple(head))
    body = [Line(view.notice, bold=view.kind == "erase_gate")] if view.notice else []
    body += [Line(_bullet(line)) for line in view.lines]
    blocks.append(tuple(body))
    if view.step is not None:
        blocks.append(tuple(card_lines(view.step)))
    closing = [Line(WARNING_MARK + view.risk)] if view.risk else []
    closing += [Line(BACKUP_MARK + view.backup)] if view.backup else []
    closing += [Line(extra, italic=True) for extra in view.extras]
    blocks.append(tuple(closing))
    if view.handoff is not None:
        blocks.append(block("For helpers", view.handoff.lines()))
    return [b for b in blocks if b]


def detail_blocks(view: View) -> list[Block]:
    return [block(section.title, section.lines) for section in view.details]


def _html(blocks: Sequence[Block]) -> str:
    return BLOCK_SEPARATOR.join("\n".join(line.html() for line in b) for b in blocks if b)


def _plain_len(blocks: Sequence[Block]) -> int:
    kept = [b for b in blocks if b]
    return sum(plain_len(b) for b in kept) + len(BLOCK_SEPARATOR) * max(len(kept) - 1, 0)


def expandable_quote(details: Sequence[Block], budget: int) -> tuple[str, bool]:
    """The details as an expandable blockquote of at most ``budget`` characters of text ("" when none fits).

    Whole lines only, in order: the quote stops at the first line that would overflow, so it never
    shows a fragment. Also returns whether every detail fitted; what did not stays behind "More".
    """
    lines: list[Line] = []
    for detail in details:
        for index, line in enumerate(detail):
            separator = 2 if lines and index == 0 else (1 if lines else 0)  # a blank line between sections
            if plain_len(lines) + separator + utf16_len(line.text) > budget:
                return _quote(lines), False
            if lines and index == 0:
                lines.append(Line(""))
            lines.append(line)
    return _quote(lines), True


def _quote(lines: Sequence[Line]) -> str:
    """The quote's HTML; a trailing section title or blank line without content after it is left out."""
    while lines and (not lines[-1].text.strip() or lines[-1].bold):
        lines = lines[:-1]
    if not lines:
        return ""
    return QUOTE_OPEN + "\n".join(line.html() for line in lines) + QUOTE_CLOSE


def render_view(view: View, *, limit: int = SHORT_LIMIT) -> list[str]:
    """A view as Telegram HTML messages (the caller puts the offers' keyboard on the last one).

    A conversation view is one message: its fields, then as many details as fit in an expandable
    quote within ``limit`` characters of text. The full manual ("All steps", "More") is every
    section in full, packed into as few messages of at most 4096 characters as possible.
    """
    return _layout(view, limit)[0]


def details_left(view: View, *, limit: int = SHORT_LIMIT) -> bool:
    """Whether some of the view's details did not fit in its message (then a "More" button shows them)."""
    return _layout(view, limit)[1]


def _layout(view: View, limit: int) -> tuple[list[str], bool]:
    if view.kind in MANUAL_KINDS:
        return pack([*view_blocks(view), *detail_blocks(view)]), False
    blocks = next((b for b in map(view_blocks, squeezed(view)) if _plain_len(b) <= limit), view_blocks(view))
    text = _html(blocks)
    quote, complete = "", True
    if view.details:
        quote, complete = expandable_quote(detail_blocks(view), limit - _plain_len(blocks) - len(BLOCK_SEPARATOR))
    if quote:
        text = f"{text}{BLOCK_SEPARATOR}{quote}" if text else quote
    return ([text] if utf16_len(text) <= MAX_MESSAGE else pack(blocks)), not complete


def squeezed(view: View) -> Iterator[View]:
    """The view, then shorter variants for when it would not fit one screen (in practice: damage answers).

    The safety lines, the step's instructions, the risk and the backup line are never dropped. What
    goes first is what the rest already says: the diagnosis (the headline names the problem), then
    what the person should see after the step.
    """
    yield view
    if view.diagnosis:
        view = replace(view, diagnosis="")
        yield view
    if view.step is not None and view.step.expect:
        yield replace(view, step=replace(view.step, expect=""))


def plain_text(view: View, limit: int = ALERT_LIMIT) -> str:
    """A view as plain text for an alert: the notice (or the first lines), cut to ``limit`` characters."""
    text = "\n".join(view.summary_lines()) or view.notice
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def render_text(title: str | None, lines: Iterable[str], *, footer: Sequence[str] = ()) -> list[str]:
    """A simple titled message (help, confirmations)."""
    blocks = [block(title, lines)]
    if footer:
        blocks.append(block(None, footer, italic=True))
    return pack(blocks)
