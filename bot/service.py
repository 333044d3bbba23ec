"""Run the chat adapters as a service: one process, one core, one store.

``python -m bot run`` starts every adapter whose token is set, side by side;
``python -m bot telegram`` / ``discord`` start one. SIGINT and SIGTERM stop all
of them and close the store. With no token at all, ``run`` explains what to set
and starts the console instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from bot.core.triage import Triage
from bot.settings import Settings
from bot.store.base import Store, StoreError

log = logging.getLogger(__name__)

Serve = Callable[[Settings, Triage, Store, asyncio.Event], Coroutine[Any, Any, None]]

NOTHING_TO_SERVE_HELP = """No chat token is set, so Revive starts in the console.
To serve a chat platform, set one or both of these (in the environment or a .env file, see .env.example):
  TELEGRAM_BOT_TOKEN   from @BotFather (README: "Telegram")
  DISCORD_BOT_TOKEN    from the Discord Developer Portal (README: "Discord")
"""


def _fail(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
    sys.stderr.flush()


def _platforms(command: str, settings: Settings) -> list[str] | None:
    """Which adapters to start; None (after printing why) when the command cannot run."""
    has = {"telegram": settings.telegram_bot_token is not None, "discord": settings.discord_bot_token is not None}
    if command in has:
        if not has[command]:
            variable = f"{command.upper()}_BOT_TOKEN"
            _fail(f"{variable} is not set. See the README section on {command.title()} to create a bot and get one.")
            return None
        return [command]
    return [name for name, present in has.items() if present]


def _check_config(platforms: list[str], settings: Settings) -> str | None:
    """Validate settings before anything connects; returns a one-line problem or None."""
    if "telegram" in platforms:
        from bot.adapters.telegram.app import ConfigError, check_token, protect_logs, webhook_config

        try:
            protect_logs(check_token(settings))
            webhook_config(settings)
        except ConfigError as exc:
            return str(exc)
    return None


def _serve_function(platform: str) -> Serve:
    if platform == "telegram":
        from bot.adapters.telegram import serve as serve_telegram

        return serve_telegram
    from bot.adapters.discord import serve as serve_discord

    return serve_discord


def describe_startup_error(exc: BaseException) -> str | None:
    """One line for the errors a user can fix (bad token, missing portal toggle, no network)."""
    import discord
    import telegram.error

    from bot.adapters.discord.client import PORTAL_HINT

    if isinstance(exc, telegram.error.InvalidToken):
        return "Telegram rejected TELEGRAM_BOT_TOKEN (invalid or revoked). Get the current token from @BotFather."
    if isinstance(exc, telegram.error.NetworkError):
        return f"can't reach the Telegram Bot API: {exc}"
    if isinstance(exc, telegram.error.TelegramError):
        return f"Telegram refused to start the bot: {exc}"
    if isinstance(exc, discord.LoginFailure):
        return "Discord rejected DISCORD_BOT_TOKEN: reset the token in the Developer Portal and try again."
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return PORTAL_HINT
    if isinstance(exc, (OSError, discord.GatewayNotFound, discord.ConnectionClosed)):
        return f"could not connect to Discord: {exc.__class__.__name__}"
    return None


def _install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


async def serve_all(platforms: list[str], settings: Settings, triage: Triage, stop: asyncio.Event) -> int:
    """Open the store, run the adapters until ``stop`` (or one fails), close the store; returns an exit code."""
    from bot.store.sqlite import SQLiteStore

    try:
        store = await SQLiteStore.from_settings(settings)
    except StoreError as exc:
        _fail(str(exc))
        return 1
    tasks: dict[asyncio.Task[None], str] = {
        asyncio.ensure_future(_serve_function(p)(settings, triage, store, stop)): p for p in platforms
    }
    code = 0
    try:
        pending = set(tasks)
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                error = task.exception()
                if error is not None:
                    message = describe_startup_error(error)
                    if message is None:
                        log.error("the %s adapter stopped with an error", tasks[task], exc_info=error)
                        message = f"the {tasks[task]} adapter stopped unexpectedly (see the log above)"
                    _fail(message)
                    code = 1
                    stop.set()  # one platform failing stops the others: a half-running service hides problems
    finally:
        await store.close()
        log.info("store closed")
    return code


def run_service(command: str, settings: Settings, triage: Triage) -> int:
    """Blocking entry for ``run``, ``telegram`` and ``discord``."""
    platforms = _platforms(command, settings)
    if platforms is None:
        return 2
    if not platforms:
        from bot.adapters.console import run_console

        sys.stderr.write(NOTHING_TO_SERVE_HELP)
        return run_console(triage, settings=settings)
    problem = _check_config(platforms, settings)
    if problem:
        _fail(problem)
        return 2

    async def main() -> int:
        stop = asyncio.Event()
        _install_signal_handlers(stop)
        log.info("starting %s", " and ".join(platforms))
        return await serve_all(platforms, settings, triage, stop)

    try:
        return asyncio.run(main())
    except KeyboardInterrupt:
        return 0
