"""Logging set-up, called once from the command line.

No secret, user hash or message text reaches a log line, at any level:

* :class:`RedactSecrets` masks the configured secret values (tokens, webhook
  secret, hash key: see :func:`protect`) and anything shaped like a bot token
  or a 64-digit hash, in the message and in the traceback text alike.
* :class:`DropContentLines` drops DEBUG lines of the libraries that log whole
  updates, gateway events or SQL parameters. ``REVIVE_LOG_MESSAGE_CONTENT=true``
  lets the chat libraries' lines through for local debugging; the SQL driver's
  never (its parameters are user hashes and the key).

This is the one place redaction lives; adapters call :func:`protect` with their token.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_FORMAT = "%(asctime)s | %(levelname)s | %(name)s | %(message)s"
REDACTED = "[redacted]"
# Telegram tokens look like 123456:ABC...; Discord tokens are three dot-separated base64 parts;
# user hashes (HMAC-SHA256) and the hex form of the generated key are 64 hex digits.
# Not anchored at word boundaries: python-telegram-bot's URLs read ".../bot123456:ABC.../getMe".
_SECRET_SHAPES = re.compile(
    r"(?<![0-9])\d{5,}:[A-Za-z0-9_-]{30,}"
    r"|(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"
    r"|(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])"
)
_MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words
# DEBUG lines of these carry message text, names and ids (whole updates, gateway events, request bodies,
# HTTP/2 headers, the webhook server's requests).
CONTENT_LOGGERS = ("telegram", "discord", "httpx", "httpcore", "aiohttp", "websockets", "h2", "hpack", "tornado")
# DEBUG lines of these carry every SQL statement with its parameters: user hashes and the hash key.
NEVER_DEBUG_LOGGERS = ("aiosqlite",)
# INFO lines of these hold request URLs, and python-telegram-bot's URLs contain the token.
_QUIET_LOGGERS = ("httpx", "httpcore", "discord.http", "discord.gateway", "telegram.ext.Updater")

_secret_values: set[str] = set()


def protect(*values: str | None) -> None:
    """Mask these exact values in every log line from now on (configured tokens, secrets, the hash key).

    Also puts the redaction filter on every root handler that lacks it, so a caller that set up its own
    logging is covered too.
    """
    _secret_values.update(value for value in values if value and len(value) >= _MIN_SECRET_LENGTH)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())


def redact(text: str) -> str:
    """``text`` with every protected value and every token- or hash-shaped string masked."""
    for value in sorted(_secret_values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, REDACTED)
    return _SECRET_SHAPES.sub(REDACTED, text)


class RedactSecrets(logging.Filter):
    """Mask secrets in a record's message, its traceback text and its stack text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that don't fit the format: keep the bare format
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def _within(name: str, roots: Iterable[str]) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


class DropContentLines(logging.Filter):
    """Drop the DEBUG lines that carry message content or SQL parameters (see the module docstring)."""

    def __init__(self, message_content: bool = False) -> None:
        super().__init__()
        self.message_content = message_content

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.INFO:
            return True
        if _within(record.name, NEVER_DEBUG_LOGGERS):
            return False
        return self.message_content or not _within(record.name, CONTENT_LOGGERS)


def setup_logging(level: str = "INFO", *, secrets: Iterable[str | None] = (), message_content: bool = False) -> None:
    """One stderr handler for everything, with both filters; ``secrets`` are masked wherever they show up."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(DropContentLines(message_content))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    protect(*secrets)
    for noisy in _QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for never in NEVER_DEBUG_LOGGERS:
        logging.getLogger(never).setLevel(logging.INFO)
