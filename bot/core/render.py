"""Platform-neutral layout of an answer: titled sections of plain-text lines.

Adapters turn sections into HTML (Telegram), embed fields (Discord) or plain
text (console). Lines are plain, unescaped text: each adapter escapes them for
its own markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.answer import LadderStep, Procedure, TriageAnswer

# Fallbacks only: each action's own words come from actions.yaml (LadderStep.risk_label).
RISK_BADGES = {
    "none": "keeps your data",
    "may_erase": "may erase data",
    "erases": "ERASES everything on the phone",
}


@dataclass(frozen=True, slots=True)
class Section:
    """A titled block of an answer. ``key`` is stable for adapters (e.g. embed colours)."""

    key: str
    title: str
    lines: tuple[str, ...]


def step_heading(step: LadderStep, number: int) -> str:
    """'2. Recovery mode: Update (tries to keep your data)'."""
    return f"{number}. {step.title} ({step.risk_label or RISK_BADGES[step.data_risk]})"


def step_lines(step: LadderStep) -> tuple[str, ...]:
    """The body of one ladder step: what it does, how, what you should see, what if not."""
    lines = [step.what_it_does]
    lines += [f"Warning: {line}" for line in step.warnings]
    lines += [f"- {line}" for line in step.instructions]
    if step.expect:
        lines.append(f"Worked if: {step.expect}")
    if step.if_it_fails:
        lines.append(f"If not: {step.if_it_fails}")
    return tuple(lines)


def procedure_lines(procedure: Procedure) -> tuple[str, ...]:
    """Numbered steps, the success sign and the failure cues of one procedure."""
    lines = [f"Warning: {text}" for text in procedure.warnings]
    lines += [f"{i}. {text}" for i, text in enumerate(procedure.steps, start=1)]
    lines.append(f"Worked if: {procedure.success}")
    lines += [f"If instead: {cue}" for cue in procedure.failure_cues]
    lines += list(procedure.notes)
    return tuple(lines)


def answer_sections(answer: TriageAnswer, detailed_steps: int | None = None) -> tuple[Section, ...]:
    """Every non-empty section of an answer, in reading order.

    With ``detailed_steps``, only the first rungs of the ladder get their full
    instructions; later ones show what they do, so a chat message stays short and
    the person tries the safe steps first.
    """
    candidates = [
        Section("safety", "Safety first", answer.safety),
        Section("diagnosis", "What it probably is", (answer.diagnosis,) if answer.diagnosis else ()),
        Section(
            "model",
            "Which iPhone?",
            (answer.model_question, *(f"- {m.name}" for m in answer.model_candidates)) if answer.model_question else (),
        ),
        Section("errors", "Error codes", tuple(f"Error {e.code}: {e.meaning} {e.advice}" for e in answer.error_codes)),
        Section("risks", "Risks", answer.risks),
        Section("backup", "Back up first", (answer.backup_reminder,) if answer.backup_reminder else ()),
        Section("before", "Before you start", answer.before_you_start),
    ]
    for procedure in answer.procedures:
        candidates.append(Section(f"procedure-{procedure.id}", procedure.title, procedure_lines(procedure)))
    for number, step in enumerate(answer.ladder, start=1):
        brief = detailed_steps is not None and number > detailed_steps
        lines = (step.what_it_does,) if brief else step_lines(step)
        candidates.append(Section(f"step{number}", step_heading(step, number), lines))
    candidates.append(Section("notes", "Good to know", answer.notes))
    return tuple(section for section in candidates if section.lines)


def render_text(answer: TriageAnswer, detailed_steps: int | None = None) -> str:
    """The plain-text answer a person reads (console, JSON ``text``)."""
    blocks = [answer.headline]
    for section in answer_sections(answer, detailed_steps):
        blocks.append("\n".join((section.title.upper() if section.key == "safety" else section.title, *section.lines)))
    return "\n\n".join(blocks)
