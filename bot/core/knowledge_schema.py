"""The knowledge files' schema, checked with pydantic: unknown keys, wrong types, missing fields, bad ids.

Only loading a knowledge base that is not in the validated cache imports this module (pydantic and its
class building are ~60-80 ms of start-up); the bot itself runs on the plain frozen dataclasses of
``bot.core.knowledge``, which have the same names, fields and defaults and are built from these models' dump.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from bot.core.answer import Action, DataRisk, Family, ProcedureId

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
SourceKey = Annotated[str, StringConstraints(pattern=r"^[acp]\d+[a-z]?$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class SourceDef(_Strict):
    kind: Literal["apple", "code", "press"]
    title: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


class SourcesFile(_Strict):
    sources: dict[SourceKey, SourceDef]


class ModelDef(_Strict):
    id: Slug
    name: Text
    year: Annotated[int, Field(ge=2007, le=2030)]
    identifiers: list[Annotated[str, StringConstraints(pattern=r"^iPhone\d{1,2},\d{1,2}$")]]
    home_button: Literal["mechanical", "solid-state", "none", "unverified"]
    family: Family | None
    verified: bool = True
    # False where the phone has no iCloud Backup (original iPhone, iPhone 3G): the reminder then offers a computer.
    icloud_backup: bool = True
    popular: bool = False
    aliases: list[Text] = []
    caveat: Text | None = None
    sources: list[SourceKey]


class AmbiguousDef(_Strict):
    phrases: list[Text]
    candidates: list[Slug]
    question: Text


class ModelsFile(_Strict):
    models: list[ModelDef]
    ambiguous: list[AmbiguousDef] = []
    picker: list[Slug]


class ProcedureDef(_Strict):
    title: Text
    steps: Annotated[list[Text], Field(min_length=1, max_length=12)]
    success: Text
    failure_cues: list[Text] = []
    notes: list[Text] = []
    sources: list[SourceKey]


class FamilyDef(_Strict):
    id: Family
    name: Text
    buttons: Text
    applies_to: Text
    warnings: list[Text] = []
    procedures: dict[ProcedureId, ProcedureDef]


class ActionDef(_Strict):
    title: Text
    data_risk: DataRisk
    risk_label: Text  # what the step does to the data, shown next to its title ("tries to keep your data")
    uses_procedure: ProcedureId | None
    what_it_does: Text
    computer_steps: list[Text] = []
    expect: Text
    if_it_fails: Text
    sources: list[SourceKey]


class ActionsFile(_Strict):
    actions: dict[Action, ActionDef]


class Pattern(_Strict):
    re: Annotated[str, StringConstraints(min_length=1, max_length=400)]
    w: Annotated[float, Field(gt=-5, le=5)]


class SymptomDef(_Strict):
    id: Slug
    name: Text
    diagnosis: Text
    dfu_helps: Literal["yes", "no", "sometimes"]
    ladder: list[Action]
    before_you_start: list[Text] = []
    notes: list[Text] = []
    sources: list[SourceKey]
    patterns: Annotated[list[Pattern], Field(min_length=1)]


class SymptomsFile(_Strict):
    symptoms: list[SymptomDef]


class RiskDef(_Strict):
    text: Text
    sources: list[SourceKey]


class RisksFile(_Strict):
    backup_reminder: Text
    backup_reminder_without_icloud: Text
    risks: dict[Slug, RiskDef]


class ErrorDef(_Strict):
    codes: Annotated[list[Annotated[int, Field(ge=1, le=99999)]], Field(min_length=1)]
    meaning: Text
    advice: Text
    likely_hardware: bool
    sources: list[SourceKey]


class ErrorsFile(_Strict):
    errors: list[ErrorDef]


class DamageDef(_Strict):
    id: Slug
    name: Text
    phrase: Text | None = None  # how it reads in "This sounds like ...", when not the name ("a bent frame")
    patterns: Annotated[list[Pattern], Field(min_length=1)]
    advice: list[Text]
    backup: Text | None = None  # replaces risks.yaml's backup_reminder (a wet phone must not be plugged in)
    backup_without_icloud: Text | None = None  # the same for models with icloud_backup: false
    safety: Text | None = None
    power_off: bool = False
    physical: bool = True  # False: a part failing (labelling.md: hardware_like), still routed to repair


class DamageFile(_Strict):
    negation: Text
    damage: list[DamageDef]


class LanguageFile(_Strict):
    corrections: dict[Text, Text]
    vocabulary: list[Text] = []
    real_words: list[Text] = []
    problem_words: list[Pattern]
    off_topic: list[Pattern]
    howto: dict[ProcedureId, list[Text]]


SCHEMAS: dict[str, type[_Strict]] = {
    "sources.yaml": SourcesFile,
    "models.yaml": ModelsFile,
    "actions.yaml": ActionsFile,
    "symptoms.yaml": SymptomsFile,
    "risks.yaml": RisksFile,
    "errors.yaml": ErrorsFile,
    "damage.yaml": DamageFile,
    "language.yaml": LanguageFile,
    "families": FamilyDef,
}
