"""A small Discord REST + gateway server on 127.0.0.1 for end-to-end adapter tests.

The real, unmodified discord.py talks to it over TCP. Point the library at it with the two
class attributes returned by ``patch_targets()`` (or the adapter's DISCORD_API_BASE_URL /
DISCORD_GATEWAY_URL settings). It records every REST request, answers with Discord-shaped
payloads, and rejects what Discord rejects:

* REST: 401 for a wrong token, 400 ``{"code": 50035, "message": "Invalid Form Body"}`` for
  embeds or components over Discord's limits, 40058 for a reply to a forum post whose opening
  message does not exist yet, 10008 for unknown messages.
* Gateway: HELLO, heartbeat ACKs, IDENTIFY -> READY + GUILD_CREATE; close 4004 for a bad token
  and 4014 for privileged intents not enabled "in the portal". MESSAGE_CREATE content is blanked
  when the bot did not ask for the message-content intent, as Discord does.

* Response messages carry ``interaction_metadata`` (who ran the command or pressed the button);
  replies carry ``message_reference`` and ``referenced_message``; forum posts have tags
  ("Solved") that ``PATCH /channels/{thread}`` applies; members can have the "Helpers" role.

Only what the adapter needs is modelled: no RESUME, rate limits or permission checks (a member's
permission bits are sent as given).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yarl
from aiohttp import WSMsgType, web

JSON = dict[str, Any]

INTENT_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_PRESENCES = 1 << 8
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED = INTENT_MEMBERS | INTENT_PRESENCES | INTENT_MESSAGE_CONTENT

EPHEMERAL = 1 << 6
TIMESTAMP = "2026-01-01T12:00:00.000000+00:00"

# Channel types
TEXT, DM, PUBLIC_THREAD, FORUM = 0, 1, 11, 15


class InvalidFormBody(Exception):
    """What Discord answers with 400/50035; ``errors`` says where."""

    def __init__(self, where: str, why: str) -> None:
        super().__init__(f"{where}: {why}")
        self.where = where
        self.why = why


def _option_type(value: Any) -> int:
    """Application command option type of a slash option value: BOOLEAN 5, INTEGER 4, STRING 3."""
    if isinstance(value, bool):
        return 5
    return 4 if isinstance(value, int) else 3


def jresp(data: Any, status: int = 200) -> web.Response:
    """JSON with exactly ``application/json``: discord.py compares the header literally."""
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


def _check(cond: bool, where: str, why: str) -> None:
    if not cond:
        raise InvalidFormBody(where, why)


def validate_message(body: JSON) -> None:
    """Raise InvalidFormBody for anything Discord would refuse in a message payload."""
    content = body.get("content") or ""
    _check(len(content) <= 2000, "content", "Must be 2000 or fewer in length.")
    embeds = body.get("embeds") or []
    _check(len(embeds) <= 10, "embeds", "Must be 10 or fewer in length.")
    total = 0
    for i, embed in enumerate(embeds):
        title = embed.get("title") or ""
        description = embed.get("description") or ""
        _check(len(title) <= 256, f"embeds.{i}.title", "Must be 256 or fewer in length.")
        _check(len(description) <= 4096, f"embeds.{i}.description", "Must be 4096 or fewer in length.")
        fields = embed.get("fields") or []
        _check(len(fields) <= 25, f"embeds.{i}.fields", "Must be 25 or fewer in length.")
        total += len(title) + len(description)
        for j, fld in enumerate(fields):
            name, value = fld.get("name") or "", fld.get("value") or ""
            _check(0 < len(name) <= 256, f"embeds.{i}.fields.{j}.name", "Must be between 1 and 256 in length.")
            _check(0 < len(value) <= 1024, f"embeds.{i}.fields.{j}.value", "Must be between 1 and 1024 in length.")
            total += len(name) + len(value)
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        _check(len(footer) <= 2048, f"embeds.{i}.footer.text", "Must be 2048 or fewer in length.")
        _check(len(author) <= 256, f"embeds.{i}.author.name", "Must be 256 or fewer in length.")
        total += len(footer) + len(author)
        _check(bool(title or description or fields), f"embeds.{i}", "Embed is empty.")
    _check(total <= 6000, "embeds", "Embed size exceeds maximum size of 6000")
    rows = body.get("components") or []
    _check(len(rows) <= 5, "components", "Must be 5 or fewer in length.")
    seen: set[str] = set()
    for r, row in enumerate(rows):
        _check(row.get("type") == 1, f"components.{r}.type", "Top-level components must be action rows.")
        items = row.get("components") or []
        _check(0 < len(items) <= 5, f"components.{r}.components", "Must be between 1 and 5 in length.")
        selects = [c for c in items if c.get("type") in (3, 5, 6, 7, 8)]
        _check(not selects or len(items) == 1, f"components.{r}", "A select must be alone in its row.")
        for c, comp in enumerate(items):
            where = f"components.{r}.components.{c}"
            custom_id = comp.get("custom_id")
            if comp.get("type") == 2 and comp.get("style") == 5:
                _check(bool(comp.get("url")), where, "Link buttons need a url.")
            else:
                _check(isinstance(custom_id, str) and 0 < len(custom_id) <= 100, f"{where}.custom_id", "1-100.")
                _check(custom_id not in seen, f"{where}.custom_id", "Component custom id cannot be duplicated")
                seen.add(custom_id)
            _check(len(comp.get("label") or "") <= 80, f"{where}.label", "Must be 80 or fewer in length.")
            if comp.get("type") == 3:
                options = comp.get("options") or []
                _check(0 < len(options) <= 25, f"{where}.options", "Must be between 1 and 25 in length.")
                _check(len(comp.get("placeholder") or "") <= 150, f"{where}.placeholder", "150 or fewer.")
                values = [o.get("value") for o in options]
                _check(len(set(values)) == len(values), f"{where}.options", "Option values must be unique.")
                for o in options:
                    _check(0 < len(o.get("label") or "") <= 100, f"{where}.options.label", "1-100.")
                    _check(0 < len(o.get("value") or "") <= 100, f"{where}.options.value", "1-100.")
                    _check(len(o.get("description") or "") <= 100, f"{where}.options.description", "100.")
    mentions = body.get("allowed_mentions")
    if mentions is not None:
        parse = mentions.get("parse") or []
        _check(not (mentions.get("users") and "users" in parse), "allowed_mentions", "users conflict")
        _check(not (mentions.get("roles") and "roles" in parse), "allowed_mentions", "roles conflict")


def validate_commands(commands: list[JSON]) -> None:
    """What Discord checks on a bulk overwrite of application commands."""
    _check(len(commands) <= 100, "commands", "Too many commands.")
    for i, cmd in enumerate(commands):
        name = cmd.get("name") or ""
        if cmd.get("type", 1) == 1:
            _check(name == name.lower() and 0 < len(name) <= 32, f"{i}.name", "Invalid command name.")
            _check(0 < len(cmd.get("description") or "") <= 100, f"{i}.description", "1-100.")
            options = cmd.get("options") or []
            _check(len(options) <= 25, f"{i}.options", "25 or fewer.")
            required_done = False
            for o in options:
                _check(0 < len(o.get("description") or "") <= 100, f"{i}.options.description", "1-100.")
                _check(not (o.get("required") and required_done), f"{i}.options", "Required options must be first.")
                required_done = required_done or not o.get("required")
                _check(not (o.get("autocomplete") and o.get("choices")), f"{i}.options", "autocomplete+choices.")
        else:
            _check(0 < len(name) <= 32, f"{i}.name", "Invalid command name.")
            _check(not cmd.get("description"), f"{i}.description", "Context menus have no description.")


@dataclass
class Request:
    """One REST request as the fake received it."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    status: int = 0  # the fake's answer


def user(user_id: int, name: str, *, bot: bool = False) -> JSON:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name.title(),
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


@dataclass
class FakeDiscord:
    """The fake server. ``await start()``, point discord.py at it, ``await stop()``."""

    token: str = "fake-token.for-tests.only"
    app_id: int = 1000
    guild_id: int = 3000
    help_channel_id: int = 3100
    general_channel_id: int = 3200
    forum_channel_id: int = 3300
    solved_tag_id: int = 3301
    helper_role_id: int = 3900
    heartbeat_interval_ms: int = 41250
    privileged_enabled: int = INTENT_MESSAGE_CONTENT  # intents switched on "in the portal"
    requests: list[Request] = field(default_factory=list)
    identify: list[JSON] = field(default_factory=list)
    heartbeats: int = 0
    messages: dict[int, JSON] = field(default_factory=dict)
    commands: dict[str, JSON] = field(default_factory=dict)
    close_codes: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._ids = itertools.count(900_000_000_000_000_000)
        self._seq = 0
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._ws: web.WebSocketResponse | None = None
        self._ws_tasks: set[asyncio.Task[None]] = set()
        self._changed = asyncio.Condition()
        self.ready_sent = asyncio.Event()
        self.intents = 0
        self.threads_waiting_for_starter: set[int] = set()
        self.threads: dict[int, JSON] = {}  # forum posts, by thread id
        self.bot_user = user(self.app_id, "revive", bot=True)
        # Called with each REST request as it arrives, before it is answered (e.g. to kill the bot right then).
        self.on_request: Callable[[Request], None] | None = None

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self._port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def stop(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/gateway"

    def patch_targets(self) -> list[tuple[str, str, Any]]:
        """(module, attribute path, value) pairs for monkeypatch.setattr."""
        return [
            ("discord.http", "Route.BASE", self.base_url),
            ("discord.gateway", "DiscordWebSocket.DEFAULT_GATEWAY", yarl.URL(self.gateway_url)),
        ]

    def next_id(self) -> int:
        return next(self._ids)

    # ------------------------------------------------------------------ waiting helpers
    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 3.0) -> Any:
        """Wait until predicate() returns something truthy and return it."""

        async def _wait() -> Any:
            async with self._changed:
                while True:
                    value = predicate()
                    if value:
                        return value
                    await self._changed.wait()

        return await asyncio.wait_for(_wait(), timeout)

    def find(self, method: str, path_start: str, *, since: int = 0) -> list[Request]:
        return [r for r in self.requests[since:] if r.method == method and r.path.startswith(path_start)]

    async def wait_request(
        self, method: str, path_start: str, *, since: int = 0, count: int = 1, timeout: float = 3.0
    ) -> list[Request]:
        """Wait for ``count`` matching requests after index ``since``; returns them."""
        return list(
            await self.wait_for(
                lambda: (found := self.find(method, path_start, since=since)) and len(found) >= count and found,
                timeout,
            )
        )

    # ------------------------------------------------------------------ gateway
    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._ws = ws
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None, "t": None})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            op = frame.get("op")
            if op == 1:
                self.heartbeats += 1
                await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
                await self._notify()
            elif op == 2:
                await self._on_identify(ws, frame["d"])
        return ws

    async def _on_identify(self, ws: web.WebSocketResponse, data: JSON) -> None:
        self.identify.append(data)
        self.intents = int(data.get("intents", 0))
        if data.get("token") not in (self.token, f"Bot {self.token}"):
            self.close_codes.append(4004)
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        if self.intents & PRIVILEGED & ~self.privileged_enabled:
            self.close_codes.append(4014)
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        await self.dispatch(
            "READY",
            {
                "v": 10,
                "user": self.bot_user,
                "session_id": "fake-session",
                "resume_gateway_url": self.gateway_url,
                "guilds": [{"id": str(self.guild_id), "unavailable": True}],
                "private_channels": [],
                "application": {"id": str(self.app_id), "flags": 0},
            },
        )
        await self.dispatch("GUILD_CREATE", self.guild_payload())
        self.ready_sent.set()
        await self._notify()

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send one op 0 DISPATCH frame to the connected bot."""
        assert self._ws is not None, "no gateway connection"
        self._seq += 1
        await self._ws.send_json({"op": 0, "t": event, "s": self._seq, "d": data})

    def guild_payload(self) -> JSON:
        gid = str(self.guild_id)

        def channel(cid: int, name: str, ctype: int, position: int) -> JSON:
            return {
                "id": str(cid),
                "guild_id": gid,
                "name": name,
                "type": ctype,
                "position": position,
                "permission_overwrites": [],
                "parent_id": None,
                "nsfw": False,
                "topic": None,
                "rate_limit_per_user": 0,
                "flags": 0,
                **({"available_tags": self.forum_tags(), "default_reaction_emoji": None} if ctype == FORUM else {}),
            }

        return {
            "id": gid,
            "name": "Revive Test Server",
            "icon": None,
            "owner_id": "1",
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [
                {
                    "id": gid,
                    "name": "@everyone",
                    "permissions": "1071698660929",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
                {
                    "id": str(self.helper_role_id),
                    "name": "Helpers",
                    "permissions": "0",
                    "position": 1,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": True,
                    "flags": 0,
                },
            ],
            "channels": [
                channel(self.help_channel_id, "iphone-help", TEXT, 0),
                channel(self.general_channel_id, "general", TEXT, 1),
                channel(self.forum_channel_id, "help-forum", FORUM, 2),
            ],
            "threads": [],
            "members": [
                {"user": self.bot_user, "roles": [], "joined_at": TIMESTAMP, "deaf": False, "mute": False, "flags": 0}
            ],
            "voice_states": [],
            "presences": [],
            "member_count": 3,
            "large": False,
            "unavailable": False,
            "joined_at": TIMESTAMP,
        }

    def forum_tags(self) -> list[JSON]:
        """The help forum's tags: "Solved" (what DISCORD_SOLVED_TAG names) and one more."""
        return [
            {"id": str(self.solved_tag_id), "name": "Solved", "moderated": False, "emoji_id": None, "emoji_name": None},
            {"id": str(self.solved_tag_id + 1), "name": "Hardware", "moderated": False, "emoji_id": None,
             "emoji_name": None},
        ]  # fmt: skip

    # ------------------------------------------------------------------ events from "users"
    def member(self, user_id: int, name: str, *, permissions: int = 0, roles: list[int] | None = None) -> JSON:
        return {
            "user": user(user_id, name),
            "roles": [str(r) for r in roles or []],
            "joined_at": TIMESTAMP,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "permissions": str(permissions),
        }

    def user_message(
        self,
        content: str,
        *,
        user_id: int = 5001,
        username: str = "alice",
        channel_id: int | None = None,
        message_id: int | None = None,
        mentions: list[JSON] | None = None,
        reply_to: JSON | None = None,
    ) -> JSON:
        """A guild message from a person, as Discord would deliver it with full content.

        ``reply_to``: the message it replies to (a reply sets message_reference and referenced_message).
        """
        channel_id = self.help_channel_id if channel_id is None else channel_id
        mid = self.next_id() if message_id is None else message_id
        member = self.member(user_id, username)
        member.pop("user")
        member.pop("permissions")
        msg = {
            "id": str(mid),
            "channel_id": str(channel_id),
            "guild_id": str(self.guild_id),
            "type": 0,
            "content": content,
            "author": user(user_id, username),
            "member": member,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": mentions or [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "flags": 0,
        }
        if reply_to is not None:
            msg["type"] = 19
            msg["message_reference"] = {
                "type": 0,
                "message_id": reply_to["id"],
                "channel_id": str(channel_id),
                "guild_id": str(self.guild_id),
            }
            msg["referenced_message"] = reply_to
        self.messages[mid] = msg
        return msg

    async def post_message(self, msg: JSON) -> None:
        """Deliver MESSAGE_CREATE as Discord would for the bot's intents."""
        if "guild_id" in msg and not self.intents & INTENT_GUILD_MESSAGES:
            return
        delivered = dict(msg)
        mentioned = any(m["id"] == str(self.app_id) for m in msg.get("mentions", []))
        if not self.intents & INTENT_MESSAGE_CONTENT and not mentioned and "guild_id" in msg:
            delivered.update(content="", embeds=[], attachments=[], components=[])
        self.threads_waiting_for_starter.discard(int(msg["channel_id"]))
        await self.dispatch("MESSAGE_CREATE", delivered)

    async def create_forum_post(self, title: str, body: str, *, user_id: int = 5001, username: str = "alice") -> JSON:
        """THREAD_CREATE for a new forum post, then its opening message (same id as the thread)."""
        thread_id = self.next_id()
        self.threads_waiting_for_starter.add(thread_id)
        self.threads[thread_id] = {
            "id": str(thread_id),
            "guild_id": str(self.guild_id),
            "parent_id": str(self.forum_channel_id),
            "owner_id": str(user_id),
            "name": title,
            "type": PUBLIC_THREAD,
            "last_message_id": str(thread_id),
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "flags": 0,
            "applied_tags": [],
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 4320,
                "archive_timestamp": TIMESTAMP,
                "locked": False,
            },
        }
        await self.dispatch("THREAD_CREATE", {**self.threads[thread_id], "newly_created": True})
        msg = self.user_message(body, user_id=user_id, username=username, channel_id=thread_id, message_id=thread_id)
        await self.post_message(msg)
        return msg

    def _interaction(
        self,
        itype: int,
        data: JSON | None,
        *,
        user_id: int,
        username: str,
        channel_id: int | None,
        dm: bool,
        perms: int,
        roles: list[int] | None = None,
    ) -> JSON:
        iid = self.next_id()
        payload: JSON = {
            "id": str(iid),
            "application_id": str(self.app_id),
            "type": itype,
            "token": f"itoken-{iid}",
            "version": 1,
            "attachment_size_limit": 10 * 1024 * 1024,
            "locale": "en-US",
            "app_permissions": "1071698660929",
            "entitlements": [],
        }
        if data is not None:
            payload["data"] = data
        if dm:
            payload.update(
                user=user(user_id, username),
                context=1,
                authorizing_integration_owners={"1": str(user_id)},
                channel={"id": str(channel_id or 7000 + user_id), "type": DM, "recipients": [user(user_id, username)]},
                channel_id=str(channel_id or 7000 + user_id),
            )
        else:
            cid = self.help_channel_id if channel_id is None else channel_id
            payload.update(
                guild_id=str(self.guild_id),
                guild={"id": str(self.guild_id), "locale": "en-US", "features": []},
                guild_locale="en-US",
                member=self.member(user_id, username, permissions=perms, roles=roles),
                context=0,
                authorizing_integration_owners={"0": str(self.guild_id)},
                channel=self.channel_payload(cid),
                channel_id=str(cid),
            )
        return payload

    def channel_payload(self, cid: int) -> JSON:
        """The partial channel Discord puts in an interaction: a forum post (thread) or a text channel."""
        if cid in self.threads:
            return dict(self.threads[cid])
        return {"id": str(cid), "type": TEXT, "name": "iphone-help", "position": 0, "guild_id": str(self.guild_id)}

    async def interact(
        self,
        itype: int,
        data: JSON | None,
        *,
        user_id: int = 5001,
        username: str = "alice",
        channel_id: int | None = None,
        dm: bool = False,
        message: JSON | None = None,
        perms: int = 0,
        roles: list[int] | None = None,
    ) -> JSON:
        """Dispatch INTERACTION_CREATE; returns the payload (its ``id``/``token`` identify responses).

        ``perms`` is the member's resolved permission bits; ``roles`` the ids of their roles.
        """
        payload = self._interaction(
            itype, data, user_id=user_id, username=username, channel_id=channel_id, dm=dm, perms=perms, roles=roles
        )
        if message is not None:
            payload["message"] = message
        self.remember_interaction(payload)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def slash(self, name: str, options: dict[str, Any] | None = None, **kw: Any) -> JSON:
        """A chat-input command: /name key:value ..."""
        cmd = self.commands.get(name, {"id": "1", "name": name})
        opts = [{"name": k, "type": _option_type(v), "value": v} for k, v in (options or {}).items()]
        data = {"id": cmd["id"], "name": name, "type": 1, "options": opts}
        return await self.interact(2, data, **kw)

    async def autocomplete(self, name: str, options: dict[str, Any], focused: str, **kw: Any) -> JSON:
        cmd = self.commands.get(name, {"id": "1", "name": name})
        opts = [
            {"name": k, "type": 3, "value": v, **({"focused": True} if k == focused else {})}
            for k, v in options.items()
        ]
        return await self.interact(4, {"id": cmd["id"], "name": name, "type": 1, "options": opts}, **kw)

    async def message_command(self, name: str, target: JSON, **kw: Any) -> JSON:
        cmd = self.commands.get(name, {"id": "1", "name": name})
        data = {
            "id": cmd["id"],
            "name": name,
            "type": 3,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
        }
        kw.setdefault("channel_id", int(target["channel_id"]))
        return await self.interact(2, data, **kw)

    async def click(self, message: JSON, custom_id: str, *, values: list[str] | None = None, **kw: Any) -> JSON:
        """Press a button (or choose in a select when ``values`` is given) on a stored message."""
        component = next(
            (c for row in message.get("components", []) for c in row["components"] if c.get("custom_id") == custom_id),
            None,
        )
        assert component is not None, f"no component {custom_id!r} on message {message['id']}"
        data: JSON = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            data["values"] = values
        kw.setdefault("channel_id", int(message["channel_id"]))
        kw.setdefault("dm", "guild_id" not in message)
        return await self.interact(3, data, message=message, **kw)

    # ------------------------------------------------------------------ REST
    def _bot_message(
        self, channel_id: int, body: JSON, *, ephemeral: bool = False, mid: int | None = None, token: str = ""
    ) -> JSON:
        """A message the bot created; ``token``: the interaction it answers (Discord adds interaction_metadata)."""
        mid = self.next_id() if mid is None else mid
        flags = int(body.get("flags") or 0) | (EPHEMERAL if ephemeral else 0)
        msg: JSON = {
            "id": str(mid),
            "channel_id": str(channel_id),
            "type": 19 if body.get("message_reference") else 0,
            "content": body.get("content") or "",
            "author": self.bot_user,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "flags": flags,
        }
        guild_channels = {self.help_channel_id, self.general_channel_id, *self._thread_ids(), *self.threads}
        if channel_id in guild_channels:
            msg["guild_id"] = str(self.guild_id)
        interaction = self._interactions.get(token)
        if interaction is not None:
            msg["interaction_metadata"] = self._metadata(interaction)
        ref = body.get("message_reference")
        if ref:
            msg["message_reference"] = {"type": 0, "message_id": str(ref["message_id"]), "channel_id": str(channel_id)}
            if "guild_id" in msg:
                msg["message_reference"]["guild_id"] = msg["guild_id"]
            referenced = self.messages.get(int(ref["message_id"]))
            if referenced is not None:
                msg["referenced_message"] = referenced
        self.messages[mid] = msg
        return msg

    @staticmethod
    def _metadata(interaction: JSON) -> JSON:
        """What Discord puts in a response message about the interaction that caused it."""
        who = interaction["member"]["user"] if "member" in interaction else interaction["user"]
        meta: JSON = {
            "id": interaction["id"],
            "type": interaction["type"],
            "user": who,
            "authorizing_integration_owners": interaction.get("authorizing_integration_owners", {}),
        }
        if "message" in interaction:
            meta["interacted_message_id"] = interaction["message"]["id"]
        return meta

    def _history(self, channel_id: int, query: Any) -> list[JSON]:
        before = int(query.get("before", 1 << 63))
        after = int(query.get("after", 0))
        limit = int(query.get("limit", 50))
        found = [m for mid, m in self.messages.items() if m["channel_id"] == str(channel_id) and after < mid < before]
        found.sort(key=lambda m: int(m["id"]), reverse=True)
        return found[:limit]

    def _thread_ids(self) -> set[int]:
        return {mid for mid, m in self.messages.items() if m["channel_id"] == str(mid)}

    def _edit(self, mid: int, body: JSON) -> JSON:
        msg = self.messages[mid]
        for key in ("content", "embeds", "components"):
            if key in body:
                msg[key] = body[key] or ([] if key != "content" else "")
        msg["edited_timestamp"] = TIMESTAMP
        return msg

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        raw = await request.read()
        if raw:
            if request.content_type.startswith("multipart/"):
                raise web.HTTPBadRequest(text="the fake only takes JSON bodies")
            body = json.loads(raw)
        record = Request(request.method, path, dict(request.query), body, dict(request.headers))
        self.requests.append(record)
        if self.on_request is not None:
            self.on_request(record)
        try:
            response = await self._route(request, path, body)
        except InvalidFormBody as exc:
            response = jresp(
                {"code": 50035, "message": "Invalid Form Body", "errors": {exc.where: {"_errors": [exc.why]}}}, 400
            )
        record.status = response.status
        await self._notify()
        return response

    def _authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bot {self.token}"

    async def _route(self, request: web.Request, path: str, body: Any) -> web.StreamResponse:
        parts = path.strip("/").split("/")
        method = request.method
        # Interaction callbacks and webhooks are authenticated by the interaction token, not the bot token.
        if parts[0] == "interactions" and method == "POST":
            return self._callback(int(parts[1]), parts[2], body)
        if parts[0] == "webhooks":
            return self._webhook(method, parts, body)
        if not self._authorized(request):
            return jresp({"message": "401: Unauthorized", "code": 0}, 401)
        if path == "/users/@me":
            return jresp(self.bot_user)
        if path == "/oauth2/applications/@me":
            return jresp(
                {
                    "id": str(self.app_id),
                    "name": "Revive",
                    "description": "",
                    "icon": None,
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "verify_key": "0" * 64,
                    "owner": user(1, "owner"),
                    "flags": 0,
                    "interactions_endpoint_url": None,
                }
            )
        if parts[:2] == ["applications", str(self.app_id)] and parts[-1] == "commands" and method == "PUT":
            validate_commands(body)
            out = []
            for cmd in body:
                stored = {
                    "description": "",
                    "options": [],
                    **cmd,
                    "id": str(self.next_id()),
                    "application_id": str(self.app_id),
                    "version": "1",
                }
                if len(parts) == 5:
                    stored["guild_id"] = parts[3]
                self.commands[cmd["name"]] = stored
                out.append(stored)
            return jresp(out)
        if parts[0] == "channels" and len(parts) == 2 and method == "PATCH":
            return self._edit_channel(int(parts[1]), body)
        if parts[0] == "channels" and len(parts) >= 3 and parts[2] == "messages":
            channel_id = int(parts[1])
            if method == "POST" and len(parts) == 3:
                if channel_id in self.threads_waiting_for_starter:
                    return jresp(
                        {
                            "code": 40058,
                            "message": "Cannot message this thread until after the post author has sent an initial message.",  # noqa: E501
                        },
                        400,
                    )
                validate_message(body)
                ref = body.get("message_reference")
                if ref and int(ref["message_id"]) not in self.messages and ref.get("fail_if_not_exists", True):
                    return jresp(
                        {
                            "code": 50035,
                            "message": "Invalid Form Body",
                            "errors": {
                                "message_reference": {"_errors": [{"code": "MESSAGE_REFERENCE_UNKNOWN_MESSAGE"}]}
                            },
                        },
                        400,
                    )
                return jresp(self._bot_message(channel_id, body))
            if method == "GET" and len(parts) == 3:
                return jresp(self._history(channel_id, request.query))
            mid = int(parts[3])
            if mid not in self.messages:
                return jresp({"message": "Unknown Message", "code": 10008}, 404)
            if method == "GET":
                return jresp(self.messages[mid])
            if method == "DELETE":
                self.messages.pop(mid)
                return web.Response(status=204)
            if method == "PATCH":
                validate_message(body)
                return jresp(self._edit(mid, body))
        return jresp({"message": "404: Not Found", "code": 0}, 404)

    def _edit_channel(self, channel_id: int, body: JSON) -> web.Response:
        """PATCH /channels/{id}: only forum posts' applied_tags are modelled (Thread.add_tags / edit)."""
        thread = self.threads.get(channel_id)
        if thread is None:
            return jresp({"message": "Unknown Channel", "code": 10003}, 404)
        tags = body.get("applied_tags")
        if tags is not None:
            known = {t["id"] for t in self.forum_tags()}
            _check(len(tags) <= 5, "applied_tags", "Must be 5 or fewer in length.")
            _check(all(str(t) in known for t in tags), "applied_tags", "Unknown tag.")
            thread["applied_tags"] = [str(t) for t in tags]
        return jresp(thread)

    def _callback(self, interaction_id: int, token: str, body: JSON) -> web.Response:
        rtype = body.get("type")
        data = body.get("data") or {}
        interaction: JSON = {"id": str(interaction_id), "type": 2, "response_message_loading": rtype == 5}
        resource: JSON = {"type": rtype}
        if rtype in (4, 7):
            validate_message(data)
            ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
            interaction["response_message_ephemeral"] = ephemeral
            if rtype == 4:
                message = self._bot_message(self._channel_for(token), data, ephemeral=ephemeral, token=token)
                self._originals[token] = int(message["id"])
            else:
                original = self._source_message.get(token)
                assert original is not None, "UPDATE_MESSAGE for an interaction without a message"
                message = self._edit(original, data)
            interaction["response_message_id"] = message["id"]
            resource["message"] = message
        elif rtype == 5:
            ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
            interaction["response_message_ephemeral"] = ephemeral
            message = self._bot_message(self._channel_for(token), {"content": ""}, ephemeral=ephemeral, token=token)
            self._originals[token] = int(message["id"])
            interaction["response_message_id"] = message["id"]
        elif rtype == 8:
            choices = data.get("choices") or []
            _check(len(choices) <= 25, "data.choices", "Must be 25 or fewer in length.")
            for c in choices:
                _check(0 < len(c.get("name") or "") <= 100, "data.choices.name", "1-100.")
        return jresp({"interaction": interaction, "resource": resource})

    def _webhook(self, method: str, parts: list[str], body: Any) -> web.Response:
        # /webhooks/{app}/{token}[/messages/{id|@original}]
        token = parts[2]
        if len(parts) == 3 and method == "POST":
            validate_message(body)
            ephemeral = bool(int(body.get("flags") or 0) & EPHEMERAL)
            return jresp(self._bot_message(self._channel_for(token), body, ephemeral=ephemeral, token=token))
        if len(parts) == 5 and parts[3] == "messages":
            mid = self._originals.get(token) if parts[4] == "@original" else int(parts[4])
            if mid is None or mid not in self.messages:
                return jresp({"message": "Unknown Message", "code": 10008}, 404)
            if method == "PATCH":
                validate_message(body)
                return jresp(self._edit(mid, body))
            if method == "DELETE":
                self.messages.pop(mid)
                return web.Response(status=204)
            if method == "GET":
                return jresp(self.messages[mid])
        return jresp({"message": "404: Not Found", "code": 0}, 404)

    # interaction token -> channel / original response message / clicked message
    _tokens: dict[str, int] = field(default_factory=dict)
    _originals: dict[str, int] = field(default_factory=dict)
    _source_message: dict[str, int] = field(default_factory=dict)
    _interactions: dict[str, JSON] = field(default_factory=dict)

    def interaction_of(self, request: Request) -> JSON | None:
        """The interaction a callback or webhook request answers (by the token in its path)."""
        parts = request.path.strip("/").split("/")
        token = parts[2] if parts[0] in ("interactions", "webhooks") and len(parts) > 2 else ""
        return self._interactions.get(token)

    def response_message(self, interaction: JSON) -> JSON:
        """The message the bot created as its response to an interaction (type 4 or 5)."""
        return self.messages[self._originals[interaction["token"]]]

    def _channel_for(self, token: str) -> int:
        return self._tokens.get(token, self.help_channel_id)

    def remember_interaction(self, payload: JSON) -> None:
        self._interactions[payload["token"]] = payload
        self._tokens[payload["token"]] = int(payload["channel_id"])
        if "message" in payload:
            self._source_message[payload["token"]] = int(payload["message"]["id"])


def components_of(message: JSON) -> Iterator[JSON]:
    for row in message.get("components", []):
        yield from row["components"]
