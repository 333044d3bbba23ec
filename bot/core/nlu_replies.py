"""The short answers for what is not a fault (thanks, questions, other devices, leaving a mode) and the
clarifying question, read from ``knowledge/examples/answers.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

REPLY_IDS = ("closed", "update", "backup", "move_data", "other_device", "clarify", "exit_dfu", "exit_recovery")


@dataclass(frozen=True, slots=True)
class Reply:
    """What one non-fault answer says, with the source keys behind it."""

    id: str
    headline: str
    diagnosis: str
    notes: tuple[str, ...]
    sources: tuple[str, ...]


class Replies:
    """Every reply by id, and which reply a question about updating, backing up or moving data gets."""

    def __init__(self, path: Path) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.by_id = {
            key: Reply(
                id=key,
                headline=str(value["headline"]),
                diagnosis=str(value["diagnosis"]),
                notes=tuple(str(n) for n in value.get("notes") or ()),
                sources=tuple(str(s) for s in value.get("sources") or ()),
            )
            for key, value in data["replies"].items()
        }
        missing = set(REPLY_IDS) - set(self.by_id)
        if missing:
            raise ValueError(f"{path}: replies missing: {sorted(missing)}")
        self.topics = tuple((str(t["reply"]), re.compile(str(t["re"]))) for t in data["question_topics"])

    def __getitem__(self, reply_id: str) -> Reply:
        return self.by_id[reply_id]

    def for_question(self, normalized: str) -> Reply:
        for reply_id, regex in self.topics:
            if regex.search(normalized):
                return self.by_id[reply_id]
        return self.by_id["update"]
