"""The core, conversation included, imports no chat library and no adapter: the boundary is plain values."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "bot" / "core"
FORBIDDEN = ("discord", "telegram", "bot.adapters", "aiosqlite", "bot.store.sqlite")


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: p.name)
def test_core_module_imports_no_chat_library(path: Path) -> None:
    bad = [name for name in _imported_modules(path) if name.split(".")[0] in FORBIDDEN or name.startswith(FORBIDDEN)]
    assert bad == [], f"{path.name} imports {bad}"


def test_the_check_sees_the_conversation_modules() -> None:
    names = {path.name for path in CORE.rglob("*.py")}
    assert {"conversation.py", "views.py", "callbacks.py", "phrases.py"} <= names
