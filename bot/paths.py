"""Where the repository's own files are. Its own module so the triage path needs no settings import
(pydantic-settings alone costs ~30 ms of the CLI's start-up; bench/README.md)."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
