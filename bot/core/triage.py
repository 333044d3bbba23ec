"""The triage core: text in, a safe, model-specific answer out. (API stub; being implemented.)"""

from __future__ import annotations

from pathlib import Path

from bot.core.answer import LadderStep, ModelRef, Procedure, ProcedureId, TriageAnswer, TriageRequest


class Triage:
    """Answers triage requests from a loaded knowledge base. Stateless and safe to share."""

    @classmethod
    def from_directory(cls, path: Path | None = None) -> Triage:
        """Load and validate the knowledge base (default: the repo's knowledge/)."""
        raise NotImplementedError

    async def answer(self, request: TriageRequest) -> TriageAnswer:
        """Triage one message."""
        raise NotImplementedError

    def models(self) -> tuple[ModelRef, ...]:
        """Every model, oldest first."""
        raise NotImplementedError

    def model(self, model_id: str) -> ModelRef | None:
        """One model by id."""
        raise NotImplementedError

    def search_models(self, query: str, limit: int = 25) -> tuple[ModelRef, ...]:
        """Models matching what a user typed so far ("12 pro" -> 12 Pro, 12 Pro Max), best first."""
        raise NotImplementedError

    def picker_models(self) -> tuple[ModelRef, ...]:
        """A short list for model pickers: one per family, the SE generations, popular models."""
        raise NotImplementedError

    def procedure(self, model_id: str, procedure_id: ProcedureId) -> Procedure | None:
        """One button procedure for one model (None if the model's method is unverified)."""
        raise NotImplementedError

    async def step(self, symptom_id: str, model_id: str | None, index: int) -> LadderStep | None:
        """Rung `index` of the ladder for a symptom on a model (None past the end)."""
        raise NotImplementedError
