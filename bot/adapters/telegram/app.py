"""Building and running the Telegram application: polling or webhook, flood control, clean shutdown.

* ``build_application(settings, triage, store)``: a configured PTB ``Application``
  (handlers, error handler, flood control, concurrent updates in order per chat,
  the update inbox, optional Bot API base URL), not started. See delivery.py and inbox.py.
* ``serve(settings, triage, store, stop)``: runs it (long polling, or a webhook
  server when TELEGRAM_WEBHOOK_URL is set) until ``stop`` is set; updates left
  unanswered by the last run are handled first.

The adapter has no blocking ``run()`` of its own: ``python -m bot telegram`` goes
through bot/service.py (store, signals, one-line start-up errors, exit codes).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.core import Triage
from bot.log import protect
from bot.settings import Settings
from bot.store.base import Store

from .delivery import MAX_CONCURRENT_UPDATES, BoundedStore, ChatOrderedProcessor, FloodControl
from .handlers import TelegramHandlers
from .inbox import GatedUpdatesRequest, Inbox, InboxQueue

log = logging.getLogger(__name__)

TelegramApp = Application[Any, Any, Any, Any, Any, Any]

TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
ALLOWED_UPDATES = ("message", "callback_query", "inline_query")
POLL_TIMEOUT_SECONDS = 10.0
DEFAULT_PORTS = {"http": 80, "https": 443}

PRIVATE_COMMANDS = (
    BotCommand("fix", "Triage an iPhone problem: /fix TEXT"),
    BotCommand("steps", "Force restart, recovery and DFU steps: /steps MODEL"),
    BotCommand("model", "Remember my iPhone model"),
    BotCommand("forget", "Delete what the bot stored about me"),
    BotCommand("help", "What this bot can do"),
)
GROUP_COMMANDS = (
    BotCommand("fix", "Triage a problem (or reply /fix to a message)"),
    BotCommand("steps", "Force restart, recovery and DFU steps: /steps MODEL"),
    BotCommand("auto", "Admins: /auto on|off answers clear iPhone problems"),
    BotCommand("help", "What this bot can do"),
)


class ConfigError(Exception):
    """A setting that makes starting impossible; ``str()`` is one line for the operator."""


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    url: str
    url_path: str
    secret: str
    listen: str
    port: int


def check_token(settings: Settings) -> str:
    """The bot token, or ConfigError when it is missing or can't be a Telegram token."""
    if settings.telegram_bot_token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token there.")
    token = settings.telegram_bot_token.get_secret_value().strip()
    if not TOKEN_RE.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN is malformed: expected the form 123456789:ABC... as given by @BotFather.")
    return token


def webhook_config(settings: Settings) -> WebhookConfig | None:
    """The webhook server's settings when TELEGRAM_WEBHOOK_URL is set (a secret token is required)."""
    url = (settings.telegram_webhook_url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError("TELEGRAM_WEBHOOK_URL must be a full URL such as https://bot.example.org/telegram.")
    if parts.scheme != "https":
        log.warning("TELEGRAM_WEBHOOK_URL is not https; Telegram only delivers webhooks over HTTPS")
    secret = settings.telegram_webhook_secret.get_secret_value() if settings.telegram_webhook_secret else ""
    if not SECRET_RE.match(secret):
        raise ConfigError(
            "TELEGRAM_WEBHOOK_SECRET must be set with TELEGRAM_WEBHOOK_URL "
            "(1-256 characters: letters, digits, _ and -)."
        )
    return WebhookConfig(
        url=url,
        url_path=parts.path.strip("/"),
        secret=secret,
        listen=settings.telegram_webhook_listen,
        port=settings.telegram_webhook_port,
    )


def api_base_url(settings: Settings) -> tuple[str, str] | None:
    """(base_url, base_file_url) for PTB from TELEGRAM_API_BASE_URL, accepting '.../bot' or the server root."""
    raw = (settings.telegram_api_base_url or "").strip().rstrip("/")
    if not raw:
        return None
    root = raw[: -len("/bot")] if raw.endswith("/bot") else raw
    return f"{root}/bot", f"{root}/file/bot"


def protect_logs(token: str) -> None:
    """Silence per-request httpx logs and redact the token on every root handler (bot.log does the masking)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    protect(token)


def build_application(
    settings: Settings,
    triage: Triage,
    store: Store,
    *,
    clock: Callable[[], float] = time.monotonic,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    max_concurrent_updates: int = MAX_CONCURRENT_UPDATES,
) -> TelegramApp:
    """A configured, not yet started, PTB Application for this bot (raises ConfigError for a bad token).

    Updates are handled concurrently but in order within each chat, every store call is
    time-bounded, and updates go through the store's inbox (at-least-once, see inbox.py).
    """
    token = check_token(settings)
    protect_logs(token)
    # Opt in to PTB 23's timedelta durations now; otherwise every RetryAfter logs a deprecation warning.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    bounded = BoundedStore(store)
    inbox = Inbox(bounded)
    builder = (
        Application.builder()
        .token(token)
        .rate_limiter(rate_limiter or FloodControl())
        .update_queue(InboxQueue(inbox))
        .concurrent_updates(ChatOrderedProcessor(max_concurrent_updates, after=inbox.answered))
        .get_updates_request(GatedUpdatesRequest(inbox, connection_pool_size=1))
    )
    urls = api_base_url(settings)
    if urls is not None:
        builder = builder.base_url(urls[0]).base_file_url(urls[1])
    app: TelegramApp = builder.build()
    handlers = TelegramHandlers(settings, triage, bounded, clock=clock)
    app.bot_data["handlers"] = handlers
    app.bot_data["inbox"] = inbox
    app.add_handler(CommandHandler("start", handlers.start))
    app.add_handler(CommandHandler("help", handlers.help))
    app.add_handler(CommandHandler("fix", handlers.fix))
    app.add_handler(CommandHandler("steps", handlers.steps))
    app.add_handler(CommandHandler("model", handlers.model))
    app.add_handler(CommandHandler("forget", handlers.forget))
    app.add_handler(CommandHandler("auto", handlers.auto))
    app.add_handler(CallbackQueryHandler(handlers.button))
    app.add_handler(InlineQueryHandler(handlers.inline))
    text = filters.TEXT | filters.CAPTION
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, handlers.unknown_command))
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & text & ~filters.COMMAND, handlers.private_message))
    app.add_handler(MessageHandler(filters.ChatType.GROUPS & text & ~filters.COMMAND, handlers.group_message))
    app.add_error_handler(handlers.on_error)
    return app


async def setup_commands(app: TelegramApp) -> None:
    """Publish the command menus (private and group); a failure here is logged, not fatal."""
    try:
        await app.bot.set_my_commands(PRIVATE_COMMANDS, scope=BotCommandScopeAllPrivateChats())
        await app.bot.set_my_commands(GROUP_COMMANDS, scope=BotCommandScopeAllGroupChats())
    except TelegramError as exc:
        log.warning("Could not set the command menu: %s", exc)


async def serve(
    settings: Settings,
    triage: Triage,
    store: Store,
    stop: asyncio.Event,
    *,
    application: TelegramApp | None = None,
    poll_timeout: float = POLL_TIMEOUT_SECONDS,
    ready: asyncio.Event | None = None,
) -> None:
    """Run the bot until ``stop`` is set: long polling, or a webhook server when TELEGRAM_WEBHOOK_URL is set.

    Raises ConfigError for bad settings, InvalidToken when Telegram rejects the
    token and NetworkError when the Bot API can't be reached at start.
    """
    webhook = webhook_config(settings)
    app = application or build_application(settings, triage, store)
    inbox: Inbox | None = app.bot_data.get("inbox")
    async with app:  # initialize (getMe) ... shutdown
        if inbox is not None:
            for update in await inbox.start(app.bot):  # last run's unanswered updates go first
                app.update_queue.put_nowait(update)
            if isinstance(app.update_queue, InboxQueue):
                app.update_queue.wait_until_kept = webhook is not None  # the 200 waits until it is kept
        try:
            await _receive_until_stopped(app, webhook, stop, poll_timeout=poll_timeout, ready=ready)
        finally:
            if inbox is not None:
                await inbox.stop()


async def _receive_until_stopped(
    app: TelegramApp,
    webhook: WebhookConfig | None,
    stop: asyncio.Event,
    *,
    poll_timeout: float,
    ready: asyncio.Event | None,
) -> None:
    await setup_commands(app)
    updater = app.updater
    assert updater is not None
    if webhook is not None:
        await updater.start_webhook(
            listen=webhook.listen,
            port=webhook.port,
            url_path=webhook.url_path,
            webhook_url=webhook.url,
            secret_token=webhook.secret,
            allowed_updates=ALLOWED_UPDATES,
        )
        log.info("Telegram bot @%s receiving updates by webhook", app.bot.username)
    else:
        await updater.start_polling(timeout=timedelta(seconds=poll_timeout), allowed_updates=ALLOWED_UPDATES)
        log.info("Telegram bot @%s polling for updates", app.bot.username)
    try:
        await app.start()
        if ready is not None:
            ready.set()
        await stop.wait()
    finally:
        log.info("Stopping the Telegram bot")
        if updater.running:
            await updater.stop()
        if app.running:
            await app.stop()
