"""Logging set-up, called once from the command line. Tokens never reach a log line."""

from __future__ import annotations

import logging
import re

_FORMAT = "%(asctime)s | %(levelname)s | %(name)s | %(message)s"
# Telegram tokens look like 123456:ABC...; Discord tokens are three dot-separated base64 parts.
_SECRETS = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}\b|\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}\b")


class RedactSecrets(logging.Filter):
    """Belt and braces: mask anything shaped like a bot token, whatever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _SECRETS.search(message):
            record.msg = _SECRETS.sub("[token]", message)
            record.args = None
        return True


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL, and python-telegram-bot's URLs contain the token.
    for noisy in ("httpx", "httpcore", "discord.http", "discord.gateway", "telegram.ext.Updater"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
