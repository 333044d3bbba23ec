"""Console adapter: try Revive in a terminal with no tokens (errbot's text backend idea).

It renders the same conversation views as Telegram and Discord. Type a problem to get
the first reply; answer a choice with its number, so the whole conversation can be
walked without tokens. At a model question, a number beyond the choices is read as a
model ("7" is the iPhone 7, never the 7th entry of a list). ``more`` shows the details
of the last reply, ``/model NAME`` sets the model for the session, ``/steps PROCEDURE``
shows one procedure, ``/quit`` leaves.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from bot.core.answer import PROCEDURE_IDS, TriageRequest
from bot.core.conversation import Actor, Conversation
from bot.core.triage import Triage
from bot.core.views import View
from bot.store.base import StoreError

if TYPE_CHECKING:
    from bot.settings import Settings  # only annotations: pydantic-settings stays out of `triage` start-up
    from bot.store.sqlite import SQLiteStore

BANNER = """Revive console: describe what your iPhone is doing, e.g. "my iphone 7 plus is stuck on the apple logo".
Answer a choice with its number. more: details of the last reply. Commands: /model NAME (remember your model),
/steps force_restart|recovery_mode|dfu_mode|exit_dfu|exit_recovery, /help, /quit.
Nothing you type here leaves this computer."""
QUESTION_KINDS = frozenset({"ask_family", "ask_model", "ask_symptom"})
CHOOSE = "Reply with a number:"
CHOOSE_MODEL = "Reply with a number or a model name:"
ACTOR = Actor(user_id="console", platform="console", is_asker=True)


def view_body(view: View) -> list[str]:
    """The lines of a view before its choices (the first reply stays within 25 of them)."""
    lines: list[str] = [view.headline] if view.headline else []
    lines += [f"! {line}" for line in view.safety]
    if view.diagnosis:
        lines.append(f"Probably: {view.diagnosis}")
    lines += [view.notice] if view.notice else []
    lines += [f"- {line}" for line in view.lines] if view.kind == "erase_gate" else list(view.lines)
    if view.step is not None:
        card = view.step
        lines += [f"! {warning}" for warning in card.warnings]
        headings = {"answer": "Do this now", "step": f"Step {card.number} of {card.total}"}
        heading = headings.get(view.kind, "Do this")
        label = f" ({card.risk_label})" if card.risk_label else ""
        lines.append(f"{heading}: {card.title}{label}")
        lines += [f"  - {line}" for line in card.lines]
        if card.expect:
            lines.append(f"  You should see: {card.expect}")
    lines += [f"Risk: {view.risk}"] if view.risk else []
    lines += [f"Backup: {view.backup}"] if view.backup else []
    lines += list(view.extras)
    if view.handoff is not None:
        lines.append("For a helper:")
        lines += [f"  {line}" for line in view.handoff.lines()]
    return lines


def view_details(view: View) -> list[str]:
    """The on-demand part of a view: its detail sections."""
    lines: list[str] = []
    for section in view.details:
        lines += ["", section.title, *section.lines]
    return lines


def view_choices(view: View) -> list[str]:
    """The numbered choices, with the prompt line first."""
    if not view.offers:
        return []
    prompt = CHOOSE_MODEL if view.kind in ("ask_family", "ask_model") else CHOOSE
    return [prompt, *(f"  {number}. {offer.label}" for number, offer in enumerate(view.offers, start=1))]


def render_view(view: View, *, full: bool = False) -> str:
    """A whole view as console text; ``full`` adds the details (the "All steps" view always shows them)."""
    lines = view_body(view)
    if full or view.kind in ("all_steps", "details", "procedure"):
        lines += view_details(view)
    elif view.details:
        lines.append('(Type "more" for details.)')
    choices = view_choices(view)
    return "\n".join([*lines, *([""] + choices if choices else [])])


class ConsoleSession:
    """One person at a terminal: the last view (whose choices are answered by number) and a session model."""

    def __init__(self, triage: Triage, out: TextIO, conversation: Conversation | None = None) -> None:
        self.triage = triage
        self.conversation = conversation or Conversation(triage)
        self.out = out
        self.model_id: str | None = None
        self.view: View | None = None

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def handle(self, line: str) -> bool:
        """Handle one line; returns False when the user wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit", "quit", "exit"):
            return False
        if line == "/help":
            self.say(BANNER)
        elif line.startswith("/model"):
            self._set_model(line.removeprefix("/model").strip())
        elif line.startswith("/steps"):
            await self._steps(line.removeprefix("/steps").strip())
        elif line.casefold() == "more":
            self._more()
        elif self.view is not None and self._choice(line) is not None:
            await self._press(self._choice(line) or "")
        elif self.view is not None and self.view.kind in QUESTION_KINDS and self.view.context and len(line) <= 60:
            self._show(await self.conversation.reply_text(self.view.context, line, ACTOR))
        else:
            self._show(await self.conversation.start(TriageRequest(text=line, model_id=self.model_id), ACTOR))
        return True

    def _choice(self, line: str) -> str | None:
        """The token of the offer a number names; None if the line is not one of the numbers shown."""
        assert self.view is not None
        if line.isdigit() and 1 <= int(line) <= len(self.view.offers):
            return self.view.offers[int(line) - 1].token
        return None

    async def _press(self, token: str) -> None:
        self._show(await self.conversation.press(token, ACTOR))

    def _show(self, view: View) -> None:
        self.say(render_view(view))
        self.say("")
        if view.offers or view.kind in QUESTION_KINDS:
            self.view = view

    def _more(self) -> None:
        if self.view is None or not self.view.details:
            self.say("No more details here.\n")
            return
        self.say("\n".join(view_details(self.view)).lstrip("\n") + "\n")

    def _set_model(self, query: str) -> bool:
        found = self.triage.search_models(query, limit=1) if query else ()
        if not found:
            self.say("I don't know that model. Try e.g. /model 12 pro max, /model se 2nd gen, /model 7 plus.")
            return False
        self.model_id = found[0].id
        self.say(f"OK: {found[0].name}.")
        return True

    async def _steps(self, procedure: str) -> None:
        procedure_id = next((p for p in PROCEDURE_IDS if p == procedure), None)
        if procedure_id is None:
            self.say(f"Which procedure? One of: {', '.join(PROCEDURE_IDS)}")
            return
        self._show(await self.conversation.procedure(procedure_id, ACTOR, model_id=self.model_id or ""))


async def _open_store(settings: Settings | None) -> SQLiteStore | None:
    """The settings' SQLite store, so outcomes and remembered models are kept; None (after saying why) if it fails."""
    if settings is None:
        return None
    from bot.store.sqlite import SQLiteStore  # only the interactive console needs the database

    try:
        return await SQLiteStore.from_settings(settings)
    except StoreError as exc:
        sys.stderr.write(f"warning: {exc}; the console runs without saving anything.\n")
        return None


async def _loop(triage: Triage, stdin: TextIO, out: TextIO, settings: Settings | None = None) -> int:
    store = await _open_store(settings)
    try:
        return await _read_lines(ConsoleSession(triage, out, Conversation(triage, store)), stdin, out)
    finally:
        if store is not None:
            await store.close()


async def _read_lines(session: ConsoleSession, stdin: TextIO, out: TextIO) -> int:
    import asyncio  # here, not at the top: `python -m bot triage` renders with this module and needs no loop

    session.say(BANNER)
    interactive = stdin.isatty()
    while True:
        if interactive:
            out.write("you> ")
            out.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:  # end of input
            return 0
        if not await session.handle(line):
            return 0


def run_console(
    triage: Triage, stdin: TextIO | None = None, out: TextIO | None = None, *, settings: Settings | None = None
) -> int:
    """Run the console until /quit or end of input; with ``settings``, outcomes and models go to its store."""
    import asyncio

    try:
        return asyncio.run(_loop(triage, stdin or sys.stdin, out or sys.stdout, settings))
    except KeyboardInterrupt:
        return 0
