"""The labelled real messages (tests/core/data/real_dev.yaml and real_extra/*.yaml) are well-formed, use the
labelling's ids (../shared/reference/labelling.md) and the knowledge's model names, and never repeat a message
or a page: a repeat would sit on both sides of a cross-validation split."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.triage import Triage
from tools.train_classifier import DEV_SET, LABEL_MODEL_NAMES, extra_files

FIELDS = ["text", "source", "symptoms", "model", "damage", "best_first_action", "note"]
SYMPTOMS = frozenset(
    {
        "unresponsive", "boot_loop", "firmware_corrupt", "failed_update", "hardware_like", "stuck_recovery",
        "disabled", "restore_error", "howto_dfu", "other",
    }
)  # fmt: skip
ACTIONS = frozenset(
    {
        "force_restart", "recovery_update", "recovery_restore", "dfu_restore", "passcode_reset", "repair",
        "not_applicable",
    }
)  # fmt: skip
FILES = [DEV_SET, *extra_files()]


def _items(path: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return items


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_message_has_the_labelling_fields_and_ids(path: Path, triage: Triage) -> None:
    names = {model.name for model in triage.knowledge.models.models} | set(LABEL_MODEL_NAMES) | {"ambiguous: SE"}
    for n, item in enumerate(_items(path)):
        where = f"{path.name} item {n}"
        assert list(item) == FIELDS, where
        assert isinstance(item["text"], str), where
        assert item["text"].strip(), where
        assert str(item["source"]).startswith(("http://", "https://")), where
        assert 1 <= len(item["symptoms"]) <= 3, where
        assert set(item["symptoms"]) <= SYMPTOMS, where
        assert item["model"] is None or item["model"] in names, where
        assert isinstance(item["damage"], bool), where
        assert item["best_first_action"] in ACTIONS, where


def test_no_message_or_page_is_repeated_across_the_real_sets() -> None:
    texts: Counter[str] = Counter()
    extra_sources: Counter[str] = Counter()
    dev_sources = {str(item["source"]) for item in _items(DEV_SET)}
    for path in FILES:
        for item in _items(path):
            texts[" ".join(str(item["text"]).split()).casefold()] += 1
            if path != DEV_SET:
                extra_sources[str(item["source"])] += 1
    assert [t[:60] for t, k in texts.items() if k > 1] == []
    assert [s for s, k in extra_sources.items() if k > 1 or s in dev_sources] == []
