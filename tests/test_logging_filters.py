"""The log filters on their own: secrets masked in messages and tracebacks, content lines dropped."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.log import REDACTED, DropContentLines, RedactSecrets, protect, redact

TELEGRAM_TOKEN = "123456789:AAHfakeFAKEfake_token-for-tests-0123456789"
DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123"
USER_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
CONFIGURED_KEY = "my own hash key, not token shaped"
MARKER_UPDATE = "Update(message=Message(text='zebrawombat'))"


@pytest.fixture
def capture() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger with one handler that has both filters, as setup_logging builds it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    handler.addFilter(DropContentLines(message_content=False))
    handler.addFilter(RedactSecrets())
    logger = logging.getLogger("tests.logging_filters")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    protect(CONFIGURED_KEY)
    yield logger, stream
    logger.handlers.clear()


def test_token_and_hash_shapes_and_configured_values_are_masked() -> None:
    protect(CONFIGURED_KEY)
    text = redact(f"url /bot{TELEGRAM_TOKEN}/getMe auth {DISCORD_TOKEN} user {USER_HASH} key {CONFIGURED_KEY}")
    assert text == f"url /bot{REDACTED}/getMe auth {REDACTED} user {REDACTED} key {REDACTED}"


def test_secrets_in_a_traceback_are_masked(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    try:
        raise RuntimeError(f"request to /bot{TELEGRAM_TOKEN}/sendMessage failed for {USER_HASH} ({CONFIGURED_KEY})")
    except RuntimeError:
        logger.exception("while answering %s", USER_HASH)
    output = stream.getvalue()
    assert "Traceback" in output
    assert "RuntimeError: request to /bot" in output
    for secret in (TELEGRAM_TOKEN, TELEGRAM_TOKEN.split(":")[1], USER_HASH, CONFIGURED_KEY):
        assert secret not in output


def test_secrets_in_a_chained_exception_and_stack_info_are_masked(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    try:
        try:
            raise KeyError(DISCORD_TOKEN)
        except KeyError as inner:
            raise ValueError("outer") from inner
    except ValueError:
        logger.exception("failed", stack_info=True)
    output = stream.getvalue()
    assert "KeyError" in output
    assert "Stack (most recent call last)" in output
    assert DISCORD_TOKEN not in output


@pytest.mark.parametrize(
    ("logger_name", "level", "kept"),
    [
        ("aiosqlite", logging.DEBUG, False),
        ("telegram.ext.Application", logging.DEBUG, False),
        ("telegram.ext._utils.webhookhandler", logging.DEBUG, False),
        ("discord.gateway", logging.DEBUG, False),
        ("httpx", logging.DEBUG, False),
        ("telegram.ext.Application", logging.INFO, True),
        ("aiosqlite", logging.WARNING, True),
        ("bot.adapters.telegram.handlers", logging.DEBUG, True),
        ("telegramish", logging.DEBUG, True),
    ],
)
def test_content_lines_are_dropped(logger_name: str, level: int, kept: bool) -> None:
    record = logging.LogRecord(logger_name, level, __file__, 1, "Processing update %s", (MARKER_UPDATE,), None)
    assert DropContentLines(message_content=False).filter(record) is kept


def test_message_content_setting_lets_chat_library_lines_through_but_never_sql() -> None:
    allow = DropContentLines(message_content=True)
    update = logging.LogRecord("telegram.ext.Application", logging.DEBUG, __file__, 1, "%s", (MARKER_UPDATE,), None)
    sql = logging.LogRecord("aiosqlite", logging.DEBUG, __file__, 1, "executing %s", ("INSERT ...",), None)
    assert allow.filter(update)
    assert not allow.filter(sql)


def test_a_record_whose_arguments_do_not_fit_is_still_logged(capture: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = capture
    logger.warning("two %s %s", USER_HASH)
    assert "two" in stream.getvalue()
    assert USER_HASH not in stream.getvalue()
