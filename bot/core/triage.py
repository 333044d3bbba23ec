"""The triage core: a message in, a safe, model-specific answer out.

``Triage`` holds the validated knowledge base and the compiled matcher. It keeps
no per-user state, so one instance serves every adapter at once.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from bot.core.answer import (
    Action,
    Choice,
    ErrorCodeInfo,
    Family,
    LadderStep,
    ModelRef,
    Procedure,
    ProcedureId,
    Severity,
    Status,
    SymptomMatch,
    TriageAnswer,
    TriageRequest,
)
from bot.core.classifier import SymptomClassifier
from bot.core.knowledge import DamageDef, Knowledge, ModelDef, SymptomDef, load_knowledge
from bot.core.matching import MAX_ANALYSED_CHARS, Analysis, Evidence, Matcher
from bot.core.nlu_decide import (
    Decision,
    decide,
    explain_prediction,
    mentions_a_phone,
    names_only_another_device,
    restart_clears_it,
)
from bot.core.nlu_features import features
from bot.core.nlu_replies import Replies
from bot.core.render import render_text
from bot.paths import DEFAULT_KNOWLEDGE_DIR

# Steps that need a computer and erase: the backup reminder and the erase risks go with them.
ERASE_RISKS = ("restore_erases", "no_backup_in_recovery", "activation_lock", "newest_signed_ios", "power")
GENERAL_LADDER: tuple[Action, ...] = ("force_restart", "recovery_update", "recovery_restore", "dfu_restore", "repair")
HOWTO_LADDERS: dict[ProcedureId, tuple[Action, ...]] = {
    "force_restart": ("force_restart",),
    "exit_recovery": ("force_restart",),  # the exit procedure says what to do if it comes back to recovery
    "exit_dfu": ("force_restart",),
    "recovery_mode": ("force_restart", "recovery_update", "recovery_restore"),
    "dfu_mode": ("force_restart", "recovery_update", "recovery_restore", "dfu_restore"),
}


class Triage:
    """Answers triage requests from a loaded knowledge base. Stateless and safe to share."""

    def __init__(self, knowledge: Knowledge, classifier: SymptomClassifier | None = None) -> None:
        self.knowledge = knowledge
        self.matcher = Matcher(knowledge)
        self.classifier = classifier or SymptomClassifier.load()
        replies = knowledge.root / "examples" / "answers.yaml"
        self.replies = Replies(replies if replies.exists() else DEFAULT_KNOWLEDGE_DIR / "examples" / "answers.yaml")
        self._models = {m.id: m for m in knowledge.models.models}
        self._refs = {m.id: _ref(m) for m in knowledge.models.models}
        self._symptoms = {s.id: s for s in knowledge.symptoms.symptoms}
        self._errors = {code: e for e in knowledge.errors.errors for code in e.codes}
        # Symptoms whose ladder starts with an erasing step: they need a confident classifier.
        erasing = {a for a, d in knowledge.actions.actions.items() if d.data_risk != "none"}
        self._erasing_first = frozenset(s.id for s in knowledge.symptoms.symptoms if set(s.ladder[:1]) & erasing)
        self._physical_damage = frozenset(d.id for d in knowledge.damage.damage if d.physical)
        self._damage_names = {d.id: d.name for d in knowledge.damage.damage}
        self._damage_phrases = {d.id: d.phrase or d.name for d in knowledge.damage.damage}

    @classmethod
    def from_directory(cls, path: Path | None = None) -> Triage:
        """Load and validate the knowledge base (default: the repository's knowledge/)."""
        return cls(load_knowledge(path or DEFAULT_KNOWLEDGE_DIR))

    # --- lookups used by adapters -----------------------------------------------------------------------------

    def models(self) -> tuple[ModelRef, ...]:
        """Every model, oldest first."""
        return tuple(self._refs.values())

    def model(self, model_id: str) -> ModelRef | None:
        """One model by id."""
        return self._refs.get(model_id)

    def search_models(self, query: str, limit: int = 25) -> tuple[ModelRef, ...]:
        """Models matching what a user typed so far ("12 pro" -> 12 Pro, 12 Pro Max), best first."""
        words, _ = self.matcher.normalize(query)
        terms = [w for w in words.replace("iphone", " ").split() if w]
        if not terms:
            picks = [self._refs[i] for i in self.knowledge.models.picker]
            return tuple(picks[:limit])
        scored: list[tuple[int, int, ModelRef]] = []
        for model in self.knowledge.models.models:
            haystack = " ".join((model.name.casefold(), *model.aliases, *(i.lower() for i in model.identifiers)))
            tokens = haystack.replace("(", " ").replace(")", " ").split()
            if all(any(token.startswith(term) for token in tokens) for term in terms):
                exact = int(_base(model).casefold().replace("iphone ", "") == " ".join(terms))
                scored.append((-exact, len(model.name), self._refs[model.id]))
        scored.sort(key=lambda item: (item[0], item[1]))
        return tuple(ref for _, _, ref in scored[:limit])

    def picker_models(self) -> tuple[ModelRef, ...]:
        """A short list for model pickers: the SE generations, one per family, popular models."""
        return tuple(self._refs[i] for i in self.knowledge.models.picker)

    def procedure(self, model_id: str, procedure_id: ProcedureId) -> Procedure | None:
        """One button procedure for one model (None if unknown or its method is unverified)."""
        model = self._models.get(model_id)
        if model is None or model.family is None:
            return None
        return self._procedure(model.family, procedure_id)

    async def step(self, symptom_id: str, model_id: str | None, index: int) -> LadderStep | None:
        """Rung ``index`` of the ladder for a symptom on a model (None past the end)."""
        symptom = self._symptoms.get(symptom_id)
        actions = tuple(symptom.ladder) if symptom else GENERAL_LADDER
        if not 0 <= index < len(actions):
            return None
        model = self._models.get(model_id) if model_id else None
        return self._step(actions[index], model, ())

    def ladder_step(self, action: Action, model_id: str | None) -> LadderStep:
        """One rung for a model (family-neutral steps when the model is unknown); used by the conversation."""
        return self._step(action, self._models.get(model_id) if model_id else None, ())

    # --- the answer -------------------------------------------------------------------------------------------

    async def answer(self, request: TriageRequest) -> TriageAnswer:
        """Triage one message. Never raises for any text."""
        analysis = self.matcher.analyse(request.text)
        prediction = self.classifier.predict(features(analysis))
        explain = _explain(analysis) + explain_prediction(prediction)
        model, candidates = self._resolve_model(request, analysis, explain)
        damage = analysis.damage
        named = bool(model or candidates)
        about_a_phone = named or mentions_a_phone(analysis.normalized)
        # A named phone with a problem, or with no chatter ("thanks", "selling"), is someone asking for help; so is
        # a restore error the knowledge knows ("got err 1109 then err 3014").
        on_topic = (named and bool(analysis.problem.score or analysis.symptoms or not analysis.off_topic.score)) or any(
            code in self._errors for code in analysis.error_codes
        )
        # A model the user picked counts as named, so the other-device rule never overrides it.
        another_device = names_only_another_device(analysis.normalized) or analysis.model.other_device
        proposed = decide(prediction, bool(damage), named, self._erasing_first, about_a_phone, on_topic, another_device)
        decision = self._decide(request, proposed)
        symptoms = self._rank_symptoms(decision, analysis)
        status = self._status(decision, model)
        if decision.kind == "off_topic":
            # The model named in passing is still reported (the JSON's "model"); no ladder is built for it.
            refs = tuple(self._refs[c] for c in candidates)
            return self._finish(
                request, status, "info", _OFF_TOPIC_HEADLINE, "", (), model, refs, (), (), (), explain, analysis
            )
        if decision.kind not in ("fault", "exit_mode"):
            return self._reply(request, status, decision, symptoms, model, candidates, explain, analysis)
        symptom = self._symptoms.get(symptoms[0].id) if symptoms else None
        howto = self._howto_request(decision, analysis)
        actions = self._ladder_actions(symptom, howto, damage, analysis.normalized)
        family_hint = tuple(self._models[c] for c in candidates)
        ladder = tuple(self._step(action, model, family_hint) for action in actions)
        # A damaged phone gets no button procedure, even when it asked for one: DFU is what could hurt it.
        procedures = () if damage else self._howto_procedures(symptom, howto, model)
        warns = bool(damage) or any(s.can_erase for s in ladder)
        severity: Severity = "danger" if self._physical(damage) else ("warning" if warns else "info")
        exit_reply = self.replies[howto] if decision.kind == "exit_mode" and howto else None
        headline = self._headline(status, model, symptom, damage)
        if exit_reply is not None and not damage:
            subject = exit_reply.headline
            headline = f"{model.name}: {subject}" if model else f"{subject}. Which iPhone is it?"
        return self._finish(
            request,
            status,
            severity,
            headline,
            exit_reply.diagnosis if exit_reply is not None and not damage else self._diagnosis(symptom, damage),
            symptoms,
            model,
            tuple(self._refs[c] for c in candidates),
            ladder,
            procedures,
            damage,
            explain,
            analysis,
            symptom,
        )

    def _resolve_model(
        self, request: TriageRequest, analysis: Analysis, explain: list[str]
    ) -> tuple[ModelDef | None, tuple[str, ...]]:
        if request.model_id:
            chosen = self._models.get(request.model_id)
            if chosen is not None:
                explain.append(f"model: {chosen.name} (chosen explicitly)")
                return chosen, ()
            explain.append(f"model: unknown explicit model id {request.model_id!r} ignored")
        mention = analysis.model
        if mention.model_id:
            return self._models[mention.model_id], ()
        return None, mention.candidates

    def _decide(self, request: TriageRequest, proposed: Decision) -> Decision:
        """The classifier's decision, unless a button flow pinned the symptom; only the knowledge's symptoms."""
        if request.symptom_id in self._symptoms:
            rest = tuple(s for s in proposed.symptoms if s[0] != request.symptom_id)
            return Decision("fault", ((request.symptom_id or "", 1.0), *rest))
        kept = tuple(s for s in proposed.symptoms if s[0] in self._symptoms)
        if proposed.kind == "exit_mode":
            kept = (("howto", 1.0),) if "howto" in self._symptoms else ()
        return Decision(proposed.kind, kept)

    def _rank_symptoms(self, decision: Decision, analysis: Analysis) -> tuple[SymptomMatch, ...]:
        matched = {e.id: e.matched for e in analysis.symptoms}
        return tuple(
            SymptomMatch(ident, self._symptoms[ident].name, round(p, 3), matched.get(ident, ()))
            for ident, p in decision.symptoms
        )

    @staticmethod
    def _status(decision: Decision, model: ModelDef | None) -> Status:
        if decision.kind in ("fault", "exit_mode"):
            return "answered" if model is not None else "needs_model"
        return _NON_FAULT_STATUS[decision.kind]

    @staticmethod
    def _howto_request(decision: Decision, analysis: Analysis) -> ProcedureId | None:
        """The procedure a how-to message asks for; leaving DFU or recovery when the classifier says so."""
        if decision.kind != "exit_mode":
            return analysis.howto
        if analysis.howto in ("exit_dfu", "exit_recovery"):
            return analysis.howto
        return "exit_dfu" if re.search(r"\bdfu\b", analysis.normalized) else "exit_recovery"

    def _reply(
        self,
        request: TriageRequest,
        status: Status,
        decision: Decision,
        symptoms: tuple[SymptomMatch, ...],
        model: ModelDef | None,
        candidates: tuple[str, ...],
        explain: list[str],
        analysis: Analysis,
    ) -> TriageAnswer:
        """A non-fault answer or a clarifying question: no ladder, nothing that erases."""
        if decision.kind == "question":
            reply = self.replies.for_question(analysis.normalized)
        else:
            reply = self.replies[_REPLY_FOR[decision.kind]]
        choices = tuple(Choice(s.id, s.name) for s in symptoms) if decision.kind == "clarify" else ()
        refs = tuple(self._refs[c] for c in candidates)
        # Another device that got wet or was dropped still hears that it goes to repair, not to any steps.
        damage = analysis.damage if decision.kind == "other_device" else ()
        severity: Severity = "danger" if self._physical(damage) else "info"
        answer = self._finish(
            request, status, severity, reply.headline, reply.diagnosis, symptoms, model, refs, (), (), damage,
            explain, analysis,
        )  # fmt: skip
        notes = (*(f"{i}. {c.label}" for i, c in enumerate(choices, start=1)), *reply.notes)
        if damage:
            kinds = self._damage_phrase(damage)
            notes = (f"It also sounds like {kinds}: have any device checked by a repair service first.", *notes)
        return _with_text(replace(answer, notes=notes, choices=choices, model_question=None))

    def _ladder_actions(
        self, symptom: SymptomDef | None, howto: ProcedureId | None, damage: tuple[Evidence, ...], normalized: str
    ) -> tuple[Action, ...]:
        if damage:
            return ("repair",)
        if symptom is None:
            return GENERAL_LADDER
        if symptom.id == "howto" and howto:
            return HOWTO_LADDERS[howto]
        if symptom.id in self._erasing_first and restart_clears_it(normalized):
            # "after I reboot it I can use it without a problem": not a real lockout; the restart comes first.
            return ("force_restart", *symptom.ladder)
        return tuple(symptom.ladder)

    def _howto_procedures(
        self, symptom: SymptomDef | None, howto: ProcedureId | None, model: ModelDef | None
    ) -> tuple[Procedure, ...]:
        if symptom is None or symptom.id != "howto" or howto is None or model is None or not model.family:
            return ()
        return (self._procedure(model.family, howto),)

    # --- building blocks --------------------------------------------------------------------------------------

    def _procedure(self, family: Family, procedure_id: ProcedureId) -> Procedure:
        definition = self.knowledge.families[family].procedures[procedure_id]
        return Procedure(
            id=procedure_id,
            family=family,
            title=definition.title,
            steps=tuple(definition.steps),
            success=definition.success,
            failure_cues=tuple(definition.failure_cues),
            notes=tuple(definition.notes),
            sources=tuple(definition.sources),
            warnings=tuple(self.knowledge.families[family].warnings),
        )

    def _step(self, action: Action, model: ModelDef | None, candidates: tuple[ModelDef, ...]) -> LadderStep:
        definition = self.knowledge.actions.actions[action]
        instructions: list[str] = []
        warnings: tuple[str, ...] = ()
        if definition.uses_procedure:
            if model is not None and model.family is not None:
                procedure = self._procedure(model.family, definition.uses_procedure)
                warnings = procedure.warnings
                instructions += procedure.steps
                if definition.uses_procedure != "force_restart":  # a way into a mode: check it before going on
                    instructions.append(f"Before you go on, check: {procedure.success}")
                instructions += (f"If instead: {cue}" for cue in procedure.failure_cues)
            else:
                lines, warnings = self._family_neutral(definition.uses_procedure, model, candidates)
                instructions += lines
        instructions += definition.computer_steps
        return LadderStep(
            action=action,
            title=definition.title,
            data_risk=definition.data_risk,
            what_it_does=definition.what_it_does,
            instructions=tuple(instructions),
            expect=definition.expect,  # the action's finished result, not the mode's entry cue
            if_it_fails=definition.if_it_fails,
            sources=tuple(definition.sources),
            warnings=warnings,
            risk_label=definition.risk_label,
        )

    def _family_neutral(
        self, procedure_id: ProcedureId, model: ModelDef | None, candidates: tuple[ModelDef, ...]
    ) -> tuple[list[str], tuple[str, ...]]:
        """(steps, warnings) when the family is unknown: force restart for every candidate family, else ask.
        Each family's warnings are named by its buttons, since the reader does not know which applies."""
        if model is not None:  # a model whose button method is unverified
            return [f"The button steps for the {model.name} are not confirmed yet. {model.caveat or ''}".strip()], ()
        if procedure_id != "force_restart":
            return ["The buttons depend on your model: tell me which iPhone it is to get the exact steps."], ()
        families = {c.family for c in candidates if c.family} or set(self.knowledge.families)
        lines: list[str] = []
        warnings: list[str] = []
        for family_id in ("home", "volume-down", "modern"):
            if family_id in families:
                family = self.knowledge.families[family_id]
                steps = " ".join(family.procedures["force_restart"].steps)
                lines.append(f"{family.applies_to}: {steps}")
                warnings += (f"{family.name}: {warning}" for warning in family.warnings)
        return lines, tuple(warnings)

    def _headline(
        self, status: Status, model: ModelDef | None, symptom: SymptomDef | None, damage: tuple[Evidence, ...]
    ) -> str:
        subject = symptom.name if symptom else "iPhone trouble"
        if damage:
            kinds = self.damage_names(e.id for e in damage)
            subject = f"{subject} with possible {kinds}" if symptom else f"Possible {kinds}"
        if status == "needs_model":
            return f"{subject}. Which iPhone is it?"
        assert model is not None
        return f"{model.name}: {subject}"

    def _diagnosis(self, symptom: SymptomDef | None, damage: tuple[Evidence, ...]) -> str:
        if damage:
            kinds = self._damage_phrase(damage)
            seen = f" That would explain what you describe ({symptom.name.lower()})." if symptom else ""
            if not self._physical(damage):  # a failing part (a button), not damage: still no software fix
                return f"This sounds like {kinds}: a part to repair, not something a restore fixes.{seen}"
            return (
                f"This sounds like {kinds}. A physically damaged iPhone can fail in ways no software step fixes, "
                f"and a restore or DFU can leave it unusable, so it needs a repair check first.{seen}"
            )
        return symptom.diagnosis if symptom else _GENERAL_DIAGNOSIS

    def _physical(self, damage: tuple[Evidence, ...]) -> bool:
        """Physical damage as labelling.md counts it; a broken button is a part failing, still sent to repair."""
        return any(e.id in self._physical_damage for e in damage)

    def damage_names(self, kinds: Iterable[str]) -> str:
        """The kinds' names, for a headline ("possible swollen battery")."""
        return ", ".join(self._damage_names[kind] for kind in kinds)

    def _damage_phrase(self, damage: tuple[Evidence, ...]) -> str:
        """The kinds as they read in a sentence: "liquid damage and a swollen battery"."""
        return " and ".join(self._damage_phrases[e.id] for e in damage)

    def _finish(
        self,
        request: TriageRequest,
        status: Status,
        severity: Severity,
        headline: str,
        diagnosis: str,
        symptoms: tuple[SymptomMatch, ...],
        model: ModelDef | None,
        candidates: tuple[ModelRef, ...],
        ladder: tuple[LadderStep, ...],
        procedures: tuple[Procedure, ...],
        damage: tuple[Evidence, ...],
        explain: list[str],
        analysis: Analysis,
        symptom: SymptomDef | None = None,
    ) -> TriageAnswer:
        knowledge = self.knowledge
        damage_defs = [d for d in knowledge.damage.damage if d.id in {e.id for e in damage}]
        safety = tuple(d.safety for d in damage_defs if d.safety)
        # Repair may erase or replace the phone, so it gets the backup reminder, but not the restore risks.
        erases = any(step.can_erase and step.action != "repair" for step in ladder)
        needs_backup = bool(damage) or any(step.can_erase for step in ladder)
        risks: list[str] = []
        if damage:
            risks.append(knowledge.risks.risks["damaged_no_dfu"].text)
        if erases:
            risks += (knowledge.risks.risks[key].text for key in ERASE_RISKS if key in knowledge.risks.risks)
        before: list[str] = [line for d in damage_defs for line in d.advice]
        if symptom is not None and not damage:
            before += symptom.before_you_start
        notes: list[str] = list(symptom.notes) if symptom and not damage else []
        if model is not None and model.caveat:
            notes.append(model.caveat)
        if analysis.truncated:
            notes.append(f"Your message was very long; I read the first {MAX_ANALYSED_CHARS:,} characters.")
        errors = tuple(self._error_info(code) for code in analysis.error_codes)
        answer = TriageAnswer(
            status=status,
            severity=severity,
            headline=headline,
            diagnosis=diagnosis,
            symptoms=symptoms,
            model=self._refs[model.id] if model else None,
            model_candidates=candidates,
            damage=self._physical(damage),
            damage_kinds=tuple(d.id for d in damage),
            safety=safety,
            risks=tuple(risks),
            backup_reminder=self._backup_reminder(model, damage_defs) if needs_backup else None,
            before_you_start=tuple(before),
            ladder=ladder,
            error_codes=errors if status != "off_topic" else (),
            notes=tuple(notes) if status != "off_topic" else (_OFF_TOPIC_HINT,),
            explain=tuple(explain),
            text="",
            answer_id=secrets.token_hex(4),
            procedures=procedures,
            model_question=self._model_question(candidates) if status == "needs_model" else None,
        )
        return _with_text(answer)

    def _backup_reminder(self, model: ModelDef | None, damage_defs: list[DamageDef]) -> str:
        """A damage kind's own backup advice wins (safety texts first): a wet phone must not be plugged in.
        Models without iCloud Backup (original iPhone, 3G) get the variant that does not offer it."""
        icloud = model is None or model.icloud_backup
        for damage in sorted(damage_defs, key=lambda d: d.safety is None):
            text = damage.backup if icloud else damage.backup_without_icloud or damage.backup
            if text:
                return text
        risks = self.knowledge.risks
        return risks.backup_reminder if icloud else risks.backup_reminder_without_icloud

    def _model_question(self, candidates: tuple[ModelRef, ...]) -> str:
        for group in self.knowledge.models.ambiguous:
            if candidates and tuple(group.candidates) == tuple(c.id for c in candidates):
                return group.question
        return (
            "Which iPhone is it? The buttons differ between models. If it still turns on, look in Settings > "
            "General > About > Model Name; otherwise tell me what it looks like (Home button or not, size, year)."
        )

    def _error_info(self, code: int) -> ErrorCodeInfo:
        known = self._errors.get(code)
        if known is None:
            return ErrorCodeInfo(code, _UNKNOWN_ERROR_MEANING, _UNKNOWN_ERROR_ADVICE, False, ())
        return ErrorCodeInfo(code, known.meaning, known.advice, known.likely_hardware, tuple(known.sources))


_NON_FAULT_STATUS: dict[str, Status] = {
    "clarify": "clarify",
    "thanks": "closed",
    "question": "info",
    "other_device": "other_device",
    "off_topic": "off_topic",
}
_REPLY_FOR = {"clarify": "clarify", "thanks": "closed", "other_device": "other_device"}
_OFF_TOPIC_HEADLINE = "This doesn't look like an iPhone problem I can help with."
_OFF_TOPIC_HINT = (
    "I help with iPhones that won't start, are stuck on the Apple logo or in recovery mode, show restore errors, "
    'or are disabled. Describe the problem and name the model, e.g. "my iPhone 12 is stuck on the Apple logo".'
)
_GENERAL_DIAGNOSIS = (
    "I could not tell exactly what is wrong from the message, so here is the general ladder, safest first. "
    "Tell me what the screen shows for a more specific answer."
)
_UNKNOWN_ERROR_MEANING = "I have no reliable information about this error number."
_UNKNOWN_ERROR_ADVICE = (
    "Try another cable, USB port and computer, update macOS, iTunes or the Apple Devices app, then Update before "
    "Restore. If it persists, contact Apple Support."
)


def _ref(model: ModelDef) -> ModelRef:
    return ModelRef(id=model.id, name=model.name, family=model.family, year=model.year, verified=model.verified)


def _base(model: ModelDef) -> str:
    return model.name.split(" (")[0]


def _explain(analysis: Analysis) -> list[str]:
    lines = []
    mention = analysis.model
    if mention.model_id:
        lines.append(f"model: {mention.model_id} from {mention.phrase!r} ({mention.how})")
    elif mention.candidates:
        lines.append(f"model: ambiguous {mention.phrase!r} -> {', '.join(mention.candidates)}")
    else:
        lines.append("model: none named")
    for evidence in analysis.symptoms:  # pattern evidence: a classifier feature, not a decision on its own
        lines.append(f"pattern {evidence.id}: score {evidence.score} from {list(evidence.matched)}")
    for evidence in analysis.damage:
        lines.append(f"damage {evidence.id}: {list(evidence.matched)}")
    if analysis.negated_damage:
        lines.append(f"damage ignored (negated): {list(analysis.negated_damage)}")
    if analysis.error_codes:
        lines.append(f"error codes: {list(analysis.error_codes)}")
    if analysis.howto:
        lines.append(f"how-to asks for: {analysis.howto}")
    if analysis.off_topic.score:
        lines.append(f"off-topic signals: score {analysis.off_topic.score} from {list(analysis.off_topic.matched)}")
    if analysis.problem.score:
        lines.append(f"problem words: {list(analysis.problem.matched)}")
    return lines


def _with_text(answer: TriageAnswer) -> TriageAnswer:
    return replace(answer, text=render_text(answer))
