"""Console adapter: try Revive in a terminal with no tokens (errbot's text backend idea).

Type a problem and get the answer. When the bot asks for the model, answer with
the number of a candidate or a model name; ``/model NAME`` sets it for the rest
of the session, ``/steps PROCEDURE`` shows one procedure, ``/quit`` leaves.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.core.answer import PROCEDURE_IDS, TriageAnswer, TriageRequest
from bot.core.render import procedure_lines
from bot.core.triage import Triage

BANNER = """Revive console: describe what your iPhone is doing, e.g. "my iphone 7 plus is stuck on the apple logo".
Commands: /model NAME (remember your model), /steps force_restart|recovery_mode|dfu_mode|exit_dfu|exit_recovery,
/help, /quit. Nothing you type here leaves this computer."""


class ConsoleSession:
    """One person at a terminal: remembers their model and the last question."""

    def __init__(self, triage: Triage, out: TextIO) -> None:
        self.triage = triage
        self.out = out
        self.model_id: str | None = None
        self.pending: TriageAnswer | None = None
        self.pending_text = ""

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
            self._steps(line.removeprefix("/steps").strip())
        elif self.pending is not None and self._pick_candidate(line):
            await self._answer(self.pending_text)
        else:
            await self._answer(line)
        return True

    def _set_model(self, query: str) -> bool:
        found = self.triage.search_models(query, limit=1) if query else ()
        if not found:
            self.say("I don't know that model. Try e.g. /model 12 pro max, /model se 2nd gen, /model 7 plus.")
            return False
        self.model_id = found[0].id
        self.say(f"OK: {found[0].name}.")
        return True

    def _pick_candidate(self, line: str) -> bool:
        assert self.pending is not None
        options = self.pending.model_candidates or self.triage.picker_models()
        if line.isdigit() and 1 <= int(line) <= len(options):
            self.model_id = options[int(line) - 1].id
            return True
        matches = self.triage.search_models(line, limit=1)
        if matches and len(line) <= 30:
            self.model_id = matches[0].id
            return True
        return False

    def _steps(self, procedure: str) -> None:
        if procedure not in PROCEDURE_IDS:
            self.say(f"Which procedure? One of: {', '.join(PROCEDURE_IDS)}")
            return
        if self.model_id is None:
            self.say("Tell me your model first with /model NAME.")
            return
        found = self.triage.procedure(self.model_id, procedure)
        if found is None:
            self.say("The button steps for this model are not confirmed yet.")
            return
        self.say("\n".join((found.title, *procedure_lines(found))))

    async def _answer(self, text: str) -> None:
        answer = await self.triage.answer(TriageRequest(text=text, model_id=self.model_id))
        self.say(answer.text)
        self.pending, self.pending_text = None, ""
        if answer.status == "needs_model":
            options = answer.model_candidates or self.triage.picker_models()
            self.say("\nReply with a number or a model name:")
            self.say("\n".join(f"  {i}. {m.name}" for i, m in enumerate(options, start=1)))
            self.pending, self.pending_text = answer, text
        self.say("")


async def _loop(triage: Triage, stdin: TextIO, out: TextIO) -> int:
    session = ConsoleSession(triage, out)
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


def run_console(triage: Triage, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    """Run the console until /quit or end of input."""
    try:
        return asyncio.run(_loop(triage, stdin or sys.stdin, out or sys.stdout))
    except KeyboardInterrupt:
        return 0
