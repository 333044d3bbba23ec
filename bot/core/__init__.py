"""The platform-free triage core. Nothing here imports a chat library."""

from bot.core.answer import (
    ErrorCodeInfo,
    LadderStep,
    ModelRef,
    Procedure,
    SymptomMatch,
    TriageAnswer,
    TriageRequest,
)
from bot.core.triage import Triage

__all__ = [
    "ErrorCodeInfo",
    "LadderStep",
    "ModelRef",
    "Procedure",
    "SymptomMatch",
    "Triage",
    "TriageAnswer",
    "TriageRequest",
]
