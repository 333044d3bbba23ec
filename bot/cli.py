"""Command line: ``python -m bot {run,console,triage,check-knowledge,models,stats,telegram,discord}``.

Heavy imports (chat libraries, pydantic-settings, matplotlib, asyncio) happen inside the
subcommand that needs them, so the triage CLI is ready quickly.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from bot.core.answer import TriageAnswer, TriageRequest
    from bot.core.triage import Triage

EXIT_KNOWLEDGE = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Revive: iPhone recovery triage for chat.")
    parser.add_argument(
        "--knowledge", type=Path, help="knowledge directory (default: REVIVE_KNOWLEDGE_DIR or ./knowledge)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="start every adapter whose token is set; the console when none is")
    sub.add_parser("console", help="try the bot interactively, no tokens needed")
    triage = sub.add_parser("triage", help="triage one message (or JSON Lines on stdin with --jsonl)")
    triage.add_argument("text", nargs="?", help="the message to triage")
    triage.add_argument("--model", help="model id or name, wins over the text (e.g. iphone-7-plus, '7 plus')")
    triage.add_argument("--json", action="store_true", help="print the answer as JSON")
    triage.add_argument("--explain", action="store_true", help="show what matched and why")
    triage.add_argument("--jsonl", action="store_true", help='read {"text": ..., "model": ...} lines on stdin')
    triage.add_argument("--full", action="store_true", help="print the full manual instead of the short first reply")
    sub.add_parser("check-knowledge", help="validate the knowledge files and run the cross-file checks")
    models = sub.add_parser("models", help="list every known iPhone and its button family")
    models.add_argument("--json", action="store_true")
    stats = sub.add_parser("stats", help="what fixed what, from the outcome store")
    stats.add_argument("--json", action="store_true", help="print JSON for scripts")
    stats.add_argument("--plot", type=Path, metavar="FILE.png", help="draw the chart to a PNG file")
    sub.add_parser("telegram", help="run the Telegram adapter only")
    sub.add_parser("discord", help="run the Discord adapter only")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    if command == "check-knowledge":
        return _check_knowledge(args.knowledge)
    if command in ("triage", "models", "console"):
        triage = _load_triage(args.knowledge)
        if triage is None:
            return EXIT_KNOWLEDGE
        if command == "models":
            return _models(triage, args.json)
        if command == "console":
            from bot.adapters.console import run_console

            return run_console(triage)
        return _triage(triage, args)
    return _run_service(command, args)


def _load_triage(directory: Path | None) -> Triage | None:
    from bot.core.knowledge import KnowledgeError
    from bot.core.triage import Triage

    try:
        return Triage.from_directory(directory or _knowledge_dir_from_env())
    except KnowledgeError as exc:
        print(f"error: broken knowledge base: {exc}", file=sys.stderr)
        return None


def _knowledge_dir_from_env() -> Path | None:
    import os

    value = os.environ.get("REVIVE_KNOWLEDGE_DIR")
    return Path(value) if value else None


def _check_knowledge(directory: Path | None) -> int:
    from bot.core.lint import lint_directory
    from bot.settings import DEFAULT_KNOWLEDGE_DIR

    root = directory or _knowledge_dir_from_env() or DEFAULT_KNOWLEDGE_DIR
    problems = lint_directory(root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"check-knowledge: {len(problems)} problem(s) in {root}", file=sys.stderr)
        return 1
    print(f"check-knowledge: {root} is valid")
    return 0


def _models(triage: Triage, as_json: bool) -> int:
    from dataclasses import asdict

    rows = triage.knowledge.models.models
    if as_json:
        print(json.dumps([asdict(m) for m in rows], indent=2))
        return 0
    for model in rows:
        family = model.family or "UNVERIFIED"
        print(f"{model.id:22} {model.name:30} {model.year}  {family:12} {', '.join(model.identifiers)}")
    return 0


def _resolve_model_arg(triage: Triage, value: str | None) -> str | None:
    if not value:
        return None
    if triage.model(value):
        return value
    found = triage.search_models(value, limit=1)
    return found[0].id if found else value


def _answer(triage: Triage, request: TriageRequest) -> TriageAnswer:
    """``await triage.answer(request)`` without an event loop: importing asyncio costs ~50 ms of start-up, and
    the answer awaits nothing. Should it ever wait for something, it is answered again under asyncio."""
    coroutine = triage.answer(request)
    try:
        coroutine.send(None)
    except StopIteration as finished:
        answer: TriageAnswer = finished.value
        return answer
    coroutine.close()
    import asyncio

    return asyncio.run(triage.answer(request))


def _triage(triage: Triage, args: argparse.Namespace) -> int:
    from bot.core.answer import TriageRequest

    if args.jsonl:
        return _triage_jsonl(triage)
    if args.text is None:
        print("error: give the message to triage, or use --jsonl", file=sys.stderr)
        return 2
    request = TriageRequest(text=args.text, model_id=_resolve_model_arg(triage, args.model))
    answer = _answer(triage, request)
    if args.json:
        payload: dict[str, Any] = answer.to_json()
        if args.explain:
            payload["explain"] = list(answer.explain)
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    if args.full:
        print(answer.text)
    else:
        from bot.adapters.console import render_view
        from bot.core.conversation import Conversation

        print(render_view(Conversation(triage).first_view(answer)))
    if args.explain:
        print("\nWHY THIS ANSWER")
        print("\n".join(f"- {line}" for line in answer.explain))
    return 0


# A JSON Lines input line longer than this is answered with an error instead of being parsed.
MAX_JSONL_LINE_BYTES = 1_000_000
_JSONL_KEYS = frozenset({"text", "model"})


class BadLine(ValueError):
    """What is wrong with one ``--jsonl`` input line, in words for the error output."""


def _read_lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """Yield each line of ``stream`` without its line ending, or None for a line longer than ``limit`` bytes.

    A too-long line is skipped in chunks, so it never sits in memory whole.
    """
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line.rstrip(b"\r\n") if line.endswith(b"\n") else line


def _parse_jsonl_line(raw: bytes | None) -> tuple[str, str | None]:
    """(text, model) from one input line; raises BadLine saying what is wrong with it."""
    if raw is None:
        raise BadLine(f"line is longer than {MAX_JSONL_LINE_BYTES} bytes")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadLine(f"line is not valid UTF-8 (byte {exc.start})") from None
    if not line.strip():
        raise BadLine('blank line: expected a JSON object like {"text": "..."}')
    try:
        item = json.loads(line)
    except RecursionError:
        raise BadLine("JSON is nested too deeply") from None
    except ValueError as exc:
        raise BadLine(f"not valid JSON: {exc}") from None
    if not isinstance(item, dict):
        raise BadLine(f'expected a JSON object like {{"text": "..."}}, got {type(item).__name__}')
    if "text" not in item:
        raise BadLine('missing key "text"')
    unknown = sorted(set(item) - _JSONL_KEYS)
    if unknown:
        raise BadLine(f'unknown key(s) {", ".join(map(json.dumps, unknown))}; expected "text" and "model"')
    text, model = item["text"], item.get("model")
    if not isinstance(text, str):
        raise BadLine(f'"text" must be a string, got {_json_type(text)}')
    if model is not None and not isinstance(model, str):
        raise BadLine(f'"model" must be a string or null, got {_json_type(model)}')
    return text, model


def _json_type(value: object) -> str:
    names = {bool: "boolean", int: "number", float: "number", list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)


def _write_json_line(payload: dict[str, Any]) -> None:
    """One output line as UTF-8, whatever the terminal encoding; lone surrogates come out escaped."""
    try:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        data = json.dumps(payload).encode("ascii")
    sys.stdout.buffer.write(data + b"\n")
    sys.stdout.buffer.flush()


def _triage_jsonl(triage: Triage) -> int:
    """Exactly one output line per input line: the answer, or {"line": n, "error": "..."}."""
    from bot.core.answer import TriageRequest

    sys.stdout.flush()
    for number, raw in enumerate(_read_lines(sys.stdin.buffer, MAX_JSONL_LINE_BYTES), start=1):
        try:
            text, model = _parse_jsonl_line(raw)
            request = TriageRequest(text=text, model_id=_resolve_model_arg(triage, model))
            payload = _answer(triage, request).to_json()
        except BadLine as exc:
            payload = {"line": number, "error": f"bad input line: {exc}"}
        except Exception as exc:  # one line that breaks the triage must not lose the rest of the batch
            payload = {"line": number, "error": f"could not triage this line ({type(exc).__name__})"}
        _write_json_line(payload)
    return 0


def _run_service(command: str, args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from bot.log import setup_logging
    from bot.settings import Settings

    try:
        settings = Settings.load()
    except ValidationError as exc:
        first = exc.errors()[0]
        print(f"error: bad setting {'.'.join(map(str, first['loc']))}: {first['msg']}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level, secrets=settings.secret_values(), message_content=settings.log_message_content)
    triage = _load_triage(args.knowledge or settings.knowledge_dir)
    if triage is None:
        return EXIT_KNOWLEDGE
    if command == "stats":
        import asyncio

        from bot.stats import main_stats

        return asyncio.run(main_stats(settings, args.json, args.plot))
    from bot.service import run_service

    return run_service(command, settings, triage)
