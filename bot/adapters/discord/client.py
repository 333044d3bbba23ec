"""The discord.py client: intents, command sync, help-channel answers, errors, lifecycle.

``build_bot`` makes a ready-to-start client and ``serve`` runs it until an event is set;
``bot/service.py`` starts it (``python -m bot discord`` / ``run``) and owns signals and exit codes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from discord import app_commands

from bot.adapters.discord import commands, messages
from bot.adapters.discord.buttons import LegacyPicker, OfferButton
from bot.adapters.discord.cooldowns import Cooldowns
from bot.adapters.discord.presses import PLATFORM, guarded
from bot.adapters.discord.presses import on_press as press
from bot.adapters.discord.send import NO_MENTIONS, report_error
from bot.core.conversation import Conversation
from bot.core.triage import Triage
from bot.settings import Settings
from bot.store.base import ChatSettings, Store

log = logging.getLogger(__name__)

PORTAL_HINT = (
    "Discord refused a privileged intent: turn on 'Message Content Intent' under Bot > Privileged Gateway Intents "
    "in the Developer Portal (https://discord.com/developers/applications), or unset DISCORD_HELP_CHANNEL_IDS "
    "(and use /auto off in channels with auto answers)."
)
SHUTDOWN_GRACE = 3.0  # seconds that answers being sent get to finish on SIGTERM
EVERYWHERE = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
BOTH_INSTALLS = app_commands.AppInstallationType(guild=True, user=True)


class ReviveBot(discord.Client):
    """A Discord client that maps events to conversation calls and renders the views. Holds no triage logic."""

    def __init__(
        self,
        settings: Settings,
        triage: Triage,
        store: Store,
        *,
        guild_ready_timeout: float = 2.0,
        defer_after: float = 2.0,
        message_content: bool | None = None,
        conversation: Conversation | None = None,
    ) -> None:
        intents = discord.Intents.default()
        intents.typing = False
        intents.presences = False
        intents.members = False
        # Privileged: only asked for when auto answers are wanted (they need the text): help channels
        # configured, or (decided by ``serve``) channels where an admin turned /auto on.
        intents.message_content = (
            bool(settings.discord_help_channel_ids) if message_content is None else message_content
        )
        super().__init__(intents=intents, allowed_mentions=NO_MENTIONS, guild_ready_timeout=guild_ready_timeout)
        self.settings = settings
        self.triage = triage
        self.store = store
        self.conversation = conversation or Conversation(triage, store)
        self.defer_after = defer_after  # seconds of work before an interaction is deferred (Discord allows 3)
        self.help_channel_ids = frozenset(settings.discord_help_channel_ids)
        self.tree: app_commands.CommandTree[ReviveBot] = app_commands.CommandTree(
            self, allowed_contexts=EVERYWHERE, allowed_installs=BOTH_INSTALLS
        )
        self.tree.on_error = self._on_app_command_error  # type: ignore[method-assign]
        commands.register(self.tree)
        self.cooldowns = Cooldowns()  # who got an automatic answer where, and when
        self._in_flight: set[asyncio.Task[Any]] = set()
        self.synced: list[app_commands.AppCommand] = []

    def track(self) -> None:
        """Register the running handler, so a shutdown lets it finish sending its answer."""
        task = asyncio.current_task()
        if task is not None and task not in self._in_flight:
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)

    async def drain(self, timeout: float) -> None:
        """Wait (up to ``timeout`` s) for handlers that are still answering someone."""
        pending = {task for task in self._in_flight if not task.done()}
        if pending:
            log.info("waiting for %d unfinished answer(s)", len(pending))
            await asyncio.wait(pending, timeout=timeout)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(OfferButton, LegacyPicker)
        guild_id = self.settings.discord_guild_id
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            self.synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to server %s", len(self.synced), guild_id)
        else:
            self.synced = await self.tree.sync()
            log.info("synced %d global commands (they can take up to an hour to appear)", len(self.synced))

    async def on_press(self, interaction: discord.Interaction[Any], token: str, *, value: str = "") -> None:
        """A button (or an old select menu) was pressed: the conversation decides, ``presses`` renders."""
        await guarded(interaction, press(interaction, token, value=value))

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s (%s servers)", self.user, len(self.guilds))

    async def _on_app_command_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        await report_error(interaction, original)

    # ------------------------------------------------------------------ channel messages
    async def auto_settings(self, channel_id: int) -> ChatSettings | None:
        """The channel's settings if auto answers are on there (/auto on, or DISCORD_HELP_CHANNEL_IDS)."""
        settings = await self.store.chat_settings(PLATFORM, str(channel_id))
        if settings.auto_mode or channel_id in self.help_channel_ids:
            return settings
        return None

    async def on_message(self, message: discord.Message) -> None:
        await messages.on_message(self, message)


def apply_endpoints(settings: Settings) -> None:
    """Point discord.py at another REST base / gateway (tests' fake, self-hosted compatible servers).

    Only when DISCORD_API_BASE_URL / DISCORD_GATEWAY_URL are set; otherwise discord.py's defaults stay.
    """
    if settings.discord_api_base_url:
        discord.http.Route.BASE = settings.discord_api_base_url.rstrip("/")
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


def quiet_library_logs() -> None:
    """discord.py logs request URLs (which contain interaction tokens) at DEBUG: keep those quiet."""
    logging.getLogger("discord.http").setLevel(logging.WARNING)
    logging.getLogger("discord.webhook").setLevel(logging.WARNING)
    logging.getLogger("discord.gateway").setLevel(logging.INFO)


def build_bot(settings: Settings, triage: Triage, store: Store, **options: Any) -> ReviveBot:
    """A configured client, not yet connected. ``options`` go to ``ReviveBot`` (e.g. guild_ready_timeout)."""
    quiet_library_logs()
    return ReviveBot(settings, triage, store, **options)


def _token(settings: Settings) -> str:
    token = settings.discord_bot_token.get_secret_value().strip() if settings.discord_bot_token else ""
    if not token:
        raise MissingToken
    return token


class MissingToken(discord.LoginFailure):
    """DISCORD_BOT_TOKEN is blank: the service reports it like a token Discord rejects."""


async def stored_auto_channels(store: Store) -> list[str]:
    """Channels where an admin turned /auto on (if the store can list them)."""
    lister = getattr(store, "auto_mode_chats", None)
    if lister is None:
        return []
    channels: list[str] = await lister(PLATFORM)
    return channels


async def serve(settings: Settings, triage: Triage, store: Store, stop: asyncio.Event, **options: Any) -> None:
    """Run the bot until ``stop`` is set. Raises LoginFailure / PrivilegedIntentsRequired on startup errors.

    The Message Content intent is requested when DISCORD_HELP_CHANNEL_IDS is set or a channel has
    /auto on. If only /auto wanted it and the portal refuses it, the bot starts without it (commands
    and buttons keep working) and logs how to fix it.
    """
    token = _token(settings)
    apply_endpoints(settings)
    configured = bool(settings.discord_help_channel_ids)
    stored = [] if configured else await stored_auto_channels(store)
    options.setdefault("message_content", configured or bool(stored))
    try:
        await _serve_once(settings, triage, store, stop, token, options)
    except discord.PrivilegedIntentsRequired:
        if configured or not stored or not options["message_content"]:
            raise
        log.warning("auto answers are on in %d channel(s) but %s", len(stored), PORTAL_HINT)
        await _serve_once(settings, triage, store, stop, token, {**options, "message_content": False})


async def _serve_once(
    settings: Settings, triage: Triage, store: Store, stop: asyncio.Event, token: str, options: dict[str, Any]
) -> None:
    bot = build_bot(settings, triage, store, **options)
    async with bot:
        runner = asyncio.create_task(bot.start(token), name="discord-client")
        stopper = asyncio.create_task(stop.wait(), name="discord-stop")
        try:
            await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
            if not runner.done():
                log.info("stopping the Discord client")
                await bot.drain(SHUTDOWN_GRACE)
                await bot.close()
                with contextlib.suppress(asyncio.CancelledError, asyncio.TimeoutError):
                    await asyncio.wait_for(runner, timeout=5)
        if runner.done() and not runner.cancelled():
            runner.result()  # startup errors (bad token, intents) propagate
