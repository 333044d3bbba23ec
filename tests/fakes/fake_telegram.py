"""A small fake Telegram Bot API server for end-to-end adapter tests.

The real, unmodified python-telegram-bot talks to it over 127.0.0.1 through
``ApplicationBuilder().base_url(fake.base_url)``. It records every request with
its decoded parameters, feeds updates to ``getUpdates`` (honouring ``offset``),
and rejects what Telegram rejects:

* text over 4096 characters after entity parsing (counted in UTF-16 units, as
  Telegram does), and empty text;
* HTML with unsupported tags, bad attributes or unbalanced/misnested tags;
* ``callback_data`` outside 1..64 bytes, too many buttons;
* editing a message with the same content ("message is not modified");
* answering a callback query or inline query twice or with an unknown id;
* replying to a message that does not exist, sending to an unknown chat.

Faults can be injected per method: a 429 with ``retry_after`` (flood control)
or a 502 (a network error); per chat: 429s for one chat only (``flood_chat``).
Sending can be held (``hold_sends``), as if Telegram were slow, and held calls
released or dropped undelivered (a bot killed while waiting for them).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

TOKEN = "123456789:AAHfakeFAKEfake_token-for-tests-0123456789"
BOT_ID = 123456789
BOT_USERNAME = "ReviveTestBot"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_POLL_WAIT = 0.5

# Parameters that PTB sends as raw strings: never JSON-decode them (a text of "42" must stay "42").
STRING_FIELDS = frozenset(
    {
        "text",
        "parse_mode",
        "callback_query_id",
        "inline_query_id",
        "url",
        "secret_token",
        "next_offset",
        "caption",
        "query",
        "description",
        "short_description",
        "name",
    }
)

ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>")
_ATTR_RE = re.compile(r"([A-Za-z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_ENTITY_RE = re.compile(r"&(#[0-9]+|#x[0-9A-Fa-f]+|lt|gt|amp|quot);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?")
_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}")


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """Validate Telegram HTML and return the plain text; raise ApiError like Telegram does."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            match = _TAG_RE.match(text, i)
            if match is None:
                raise ApiError(400, f"Bad Request: can't parse entities: Unexpected character at byte offset {i}")
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            if name not in ALLOWED_TAGS:
                raise ApiError(
                    400, f'Bad Request: can\'t parse entities: Unsupported start tag "{name}" at byte offset {i}'
                )
            if closing:
                if not stack or stack[-1] != name:
                    raise ApiError(
                        400,
                        f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
                        f'"{stack[-1] if stack else name}"',
                    )
                stack.pop()
            else:
                _check_attributes(name, attrs, i)
                stack.append(name)
            i = match.end()
        elif char == "&":
            match = _ENTITY_RE.match(text, i)
            if match is None:
                out.append("&")
                i += 1
                continue
            ref = match.group(1)
            if ref.startswith("#x"):
                out.append(chr(int(ref[2:], 16)))
            elif ref.startswith("#"):
                out.append(chr(int(ref[1:])))
            else:
                out.append(_NAMED[ref])
            i = match.end()
        else:
            out.append(char)
            i += 1
    if stack:
        raise ApiError(
            400, f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return "".join(out)


def _check_attributes(tag: str, attrs: str, offset: int) -> None:
    found = {
        m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "") for m in _ATTR_RE.finditer(attrs)
    }
    allowed = {
        "a": {"href"},
        "span": {"class"},
        "tg-emoji": {"emoji-id"},
        "code": {"class"},
        "blockquote": {"expandable"},
    }
    for name in found:
        if name not in allowed.get(tag, set()):
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: Unsupported attribute "{name}" at byte offset {offset}'
            )
    if tag == "span" and found.get("class") != "tg-spoiler":
        raise ApiError(
            400, f'Bad Request: can\'t parse entities: Tag "span" must have class "tg-spoiler" at byte offset {offset}'
        )


def message_text(params: dict[str, Any], key: str = "text") -> str:
    """The plain text of an outgoing message, validated like Telegram validates it."""
    raw = params.get(key)
    if not isinstance(raw, str):
        raise ApiError(400, "Bad Request: message text is empty")
    parse_mode = params.get("parse_mode")
    if parse_mode is None:
        plain = raw
    elif str(parse_mode).lower() == "html":
        plain = parse_html(raw)
    else:
        raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode!r} in this fake")
    if not plain.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(plain.strip()) > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    return plain


def check_reply_markup(markup: Any) -> None:
    """Inline keyboards: callback_data 1..64 bytes, a text on every button, at most 100 buttons."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(400, 'Bad Request: field "inline_keyboard" must be an Array of Array')
    buttons = [button for row in rows for button in row]
    if len(buttons) > 100:
        raise ApiError(400, "Bad Request: reply markup is too long")
    for button in buttons:
        if not button.get("text"):
            raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        if "callback_data" in button:
            size = len(str(button["callback_data"]).encode())
            if not 1 <= size <= MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        elif not any(k in button for k in ("url", "switch_inline_query", "switch_inline_query_current_chat")):
            raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")


def detect_entities(text: str) -> list[dict[str, Any]]:
    """bot_command and mention entities, as Telegram's clients and servers add them."""
    entities: list[dict[str, Any]] = []
    for kind, regex in (("bot_command", _COMMAND_RE), ("mention", _MENTION_RE)):
        for match in regex.finditer(text):
            entities.append(
                {"type": kind, "offset": utf16_len(text[: match.start()]), "length": utf16_len(match.group(0))}
            )
    entities.sort(key=lambda e: e["offset"])
    return entities


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    content_type: str
    at: float = field(default_factory=time.monotonic)


@dataclass
class Fault:
    """A canned failure for the next call of a method."""

    status: int
    description: str
    parameters: dict[str, Any] | None = None


def user(user_id: int, first_name: str = "Alex", username: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}
    if username:
        data["username"] = username
    return data


def private_chat(user_id: int, first_name: str = "Alex") -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": first_name}


def group_chat(chat_id: int, title: str = "iPhone Help", kind: str = "supergroup") -> dict[str, Any]:
    return {"id": chat_id, "type": kind, "title": title}


class FakeTelegram:
    """The fake server. ``async with FakeTelegram() as fake:`` starts it on a free loopback port."""

    def __init__(
        self,
        *,
        token: str = TOKEN,
        can_read_all_group_messages: bool = False,
        supports_inline_queries: bool = True,
    ) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Revive",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": can_read_all_group_messages,
            "supports_inline_queries": supports_inline_queries,
        }
        self.calls: list[Call] = []
        self.sent: list[dict[str, Any]] = []  # every message the bot sent successfully, in order
        self.errors: list[tuple[str, str]] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.member_status: dict[tuple[int, int], str] = {}
        self.webhook: dict[str, Any] | None = None
        self.commands: dict[str, Any] = {}
        self._faults: dict[str, list[Fault]] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._query_ids = itertools.count(1)
        self._open_callback_queries: set[str] = set()
        self._open_inline_queries: set[str] = set()
        self._barrier_ids: set[str] = set()
        self._chat_floods: dict[int, list[int]] = {}
        self._inline_senders: dict[int, dict[str, Any]] = {}
        self._held: asyncio.Event | None = None
        self._hold_methods: frozenset[str] = frozenset()
        self._drop_held = False
        self.confirmed_offset = 0
        self._changed = asyncio.Condition()
        self._stopping = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        address = self._runner.addresses[0]
        self.port = int(address[1])

    async def stop(self) -> None:
        self._stopping = True
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """What goes into ``ApplicationBuilder().base_url`` / TELEGRAM_API_BASE_URL (the token is appended)."""
        return f"http://127.0.0.1:{self.port}/bot"

    # ------------------------------------------------------------------ faults
    def fail_next(self, method: str, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        self._faults.setdefault(method, []).append(Fault(status, description, parameters))

    def flood_next(self, method: str, retry_after: int = 1) -> None:
        """The next ``method`` call gets Telegram's 429 flood-control answer."""
        self.fail_next(method, 429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})

    def bad_gateway_next(self, method: str) -> None:
        """The next ``method`` call gets a 502, which PTB raises as a NetworkError."""
        self.fail_next(method, 502, "Bad Gateway")

    def flood_chat(self, chat_id: int, times: int = 1, retry_after: int = 1) -> None:
        """The next ``times`` calls about ``chat_id`` (any method with that chat_id) get a 429."""
        self._chat_floods.setdefault(chat_id, []).extend([retry_after] * times)

    def hold_sends(self, methods: Iterable[str] = ("sendMessage",)) -> None:
        """Calls of ``methods`` wait (unanswered) until ``release_sends``."""
        self._held = asyncio.Event()
        self._hold_methods = frozenset(methods)
        self._drop_held = False

    def release_sends(self, *, deliver: bool = True) -> None:
        """Answer the held calls; with ``deliver=False`` they fail with a 502 and deliver nothing."""
        if self._held is not None:
            self._drop_held = not deliver
            self._held.set()
            self._held = None

    # ------------------------------------------------------------------ updates from "users"
    def register_chat(self, chat: dict[str, Any]) -> None:
        self.chats[chat["id"]] = chat

    def push_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates; returns it with its update_id (given in ``payload``, or the next one).

        A given update_id moves the counter on, so later updates still come after it, as on Telegram.
        """
        update = {"update_id": next(self._update_ids), **payload}
        if "update_id" in payload:
            self._update_ids = itertools.count(max(int(payload["update_id"]) + 1, next(self._update_ids)))
        self._updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update

    def make_message(
        self,
        chat: dict[str, Any],
        sender: dict[str, Any],
        text: str,
        *,
        reply_to: dict[str, Any] | None = None,
        entities: list[dict[str, Any]] | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """A user's message as Telegram would deliver it, stored so the bot can reply to it."""
        self.register_chat(chat)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": sender,
            "text": text,
        }
        found = detect_entities(text) if entities is None else entities
        if found:
            message["entities"] = found
        if reply_to is not None:
            message["reply_to_message"] = _strip_reply(reply_to)
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    def send_text(
        self,
        chat: dict[str, Any],
        sender: dict[str, Any],
        text: str,
        *,
        reply_to: dict[str, Any] | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """A user sends ``text``; returns the message."""
        message = self.make_message(chat, sender, text, reply_to=reply_to, thread_id=thread_id)
        self.push_update({"message": message})
        return message

    def press(self, message: dict[str, Any], data: str, sender: dict[str, Any]) -> str:
        """A user presses an inline button with ``data`` under the bot's ``message``; returns the query id."""
        query_id = f"cq{next(self._query_ids)}"
        self._open_callback_queries.add(query_id)
        current = self.messages.get((message["chat"]["id"], message["message_id"]), message)
        self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": sender,
                    "chat_instance": f"ci{message['chat']['id']}",
                    "message": current,
                    "data": data,
                }
            }
        )
        return query_id

    def inline_query(self, sender: dict[str, Any], query: str) -> str:
        """A user types ``@bot query`` in some chat; returns the inline query id."""
        query_id = f"iq{next(self._query_ids)}"
        self._open_inline_queries.add(query_id)
        self._inline_senders[sender["id"]] = sender
        self.push_update(
            {"inline_query": {"id": query_id, "from": sender, "query": query, "offset": "", "chat_type": "sender"}}
        )
        return query_id

    # ------------------------------------------------------------------ inspection
    def requests(self, *methods: str, since: int = 0) -> list[Call]:
        """Recorded calls, optionally only those of ``methods``, from index ``since`` (no barrier answers)."""
        calls = self.calls[since:]
        return [c for c in calls if (not methods or c.method in methods) and not self._is_barrier(c)]

    def _is_barrier(self, call: Call) -> bool:
        return call.method == "answerCallbackQuery" and call.params.get("callback_query_id") in self._barrier_ids

    def outgoing(self, since: int = 0) -> list[Call]:
        """Calls that change something for users (no polling, webhook or getMe bookkeeping)."""
        quiet = {"getUpdates", "getMe", "deleteWebhook", "setWebhook", "setMyCommands", "getChatMember"}
        return [
            c
            for c in self.calls[since:]
            if c.method not in quiet
            and c.params.get("inline_query_id") not in self._barrier_ids
            and c.params.get("callback_query_id") not in self._barrier_ids
        ]

    def delivered(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages that reached ``chat_id`` (sent successfully; deleted ones too), oldest first."""
        return [m for m in self.sent if m["chat"]["id"] == chat_id]

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        return [m for (cid, _), m in sorted(self.messages.items()) if cid == chat_id and m["from"]["id"] == BOT_ID]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out; calls were: {[c.method for c in self.calls]}")
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    async def wait_calls(self, method: str, count: int = 1, since: int = 0, timeout: float = 5.0) -> list[Call]:
        """Wait until ``method`` was called ``count`` times after index ``since``; return those calls."""
        await self.wait_for(lambda: len(self.requests(method, since=since)) >= count, timeout)
        return self.requests(method, since=since)

    async def barrier(self, timeout: float = 5.0) -> list[Call]:
        """Wait until the bot has fully handled every update pushed so far; return what it did.

        The bot handles updates concurrently, but in order within each chat (and, for
        inline queries, each user). So the barrier is one button press on an old
        message in every chat the fake knows and one empty inline query from every
        inline sender: once all are answered, every earlier update is done. Barrier
        calls are left out of ``outgoing()``.
        """
        waiting: set[str] = set()
        for chat in list(self.chats.values()):
            query_id = f"barrier{next(self._query_ids)}"
            waiting.add(query_id)
            self._open_callback_queries.add(query_id)
            old_message = {"message_id": 1, "date": 0, "chat": chat}  # inaccessible: the bot only answers it
            self.push_update(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": user(1),
                        "chat_instance": f"ci{chat['id']}",
                        "message": old_message,
                        "data": "barrier",
                    }
                }
            )
        for sender in [user(1), *self._inline_senders.values()]:
            query_id = f"barrier{next(self._query_ids)}"
            waiting.add(query_id)
            self._open_inline_queries.add(query_id)
            self.push_update(
                {"inline_query": {"id": query_id, "from": sender, "query": "", "offset": "", "chat_type": "sender"}}
            )
        self._barrier_ids |= waiting
        open_queries = lambda: self._open_callback_queries | self._open_inline_queries  # noqa: E731
        await self.wait_for(lambda: waiting.isdisjoint(open_queries()), timeout)
        return self.outgoing()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ------------------------------------------------------------------ HTTP
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        content_type = request.content_type
        params = await _decode(request)
        if request.match_info["token"] != self.token:
            return _error(ApiError(401, "Unauthorized"))
        self.calls.append(Call(method, params, content_type))
        await self._notify()
        try:
            if self._held is not None and method in self._hold_methods:
                await self._held.wait()
                if self._drop_held:
                    raise ApiError(502, "Bad Gateway")
            faults = self._faults.get(method)
            if faults:
                fault = faults.pop(0)
                raise ApiError(fault.status, fault.description, fault.parameters)
            self._chat_flood(params)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params)
        except ApiError as exc:
            self.errors.append((method, exc.description))
            await self._notify()
            return _error(exc)
        await self._notify()
        return web.json_response({"ok": True, "result": result})

    # ------------------------------------------------------------------ Bot API methods
    async def _api_getMe(self, params: dict[str, Any]) -> Any:
        return self.bot_user

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = params
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        for command in params.get("commands", []):
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = json.dumps(params.get("scope", {"type": "default"}), sort_keys=True)
        self.commands[scope] = params.get("commands", [])
        return True

    def _chat_flood(self, params: dict[str, Any]) -> None:
        chat_id = params.get("chat_id")
        floods = self._chat_floods.get(int(chat_id)) if isinstance(chat_id, int | str) else None
        if floods:
            retry_after = floods.pop(0)
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)
        self.confirmed_offset = max(self.confirmed_offset, offset)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0 and not self._stopping:
            async with self._changed:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates) or self._stopping),
                        min(timeout, MAX_POLL_WAIT),
                    )
        limit = int(params.get("limit", 100) or 100)
        return self._updates[:limit]

    async def _api_getChatMember(self, params: dict[str, Any]) -> Any:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        if chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        status = self.member_status.get((chat_id, user_id), "member")
        member_user = self.bot_user if user_id == BOT_ID else user(user_id)
        result: dict[str, Any] = {"user": member_user, "status": status}
        if status == "administrator":
            result.update(
                {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                }
            )
        elif status == "creator":
            result["is_anonymous"] = False
        return result

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        plain = message_text(params)
        check_reply_markup(params.get("reply_markup"))
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")},
            "text": plain,
        }
        reply = params.get("reply_parameters")
        if reply is not None:
            replied = self.messages.get((chat_id, int(reply["message_id"])))
            if replied is None and not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
            if replied is not None:
                message["reply_to_message"] = _strip_reply(replied)
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = int(params["message_thread_id"])
            message["is_topic_message"] = True
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(chat_id, message["message_id"])] = message
        self.sent.append(message)
        return message

    def _bot_message(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None or message["from"]["id"] != BOT_ID:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        message = self._bot_message(params)
        plain = message_text(params)
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        if plain == message["text"] and markup == message.get("reply_markup"):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message",
            )
        message["text"] = plain
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        message = self._bot_message(params)
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        if (markup or None) == (message.get("reply_markup") or None):
            raise ApiError(400, "Bad Request: message is not modified")
        if markup and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    async def _api_deleteMessage(self, params: dict[str, Any]) -> Any:
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to delete not found")
        del self.messages[key]
        return True

    async def _api_deleteMessages(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        ids = params.get("message_ids", [])
        if not 1 <= len(ids) <= 100:
            raise ApiError(400, "Bad Request: message identifiers are not specified")
        for message_id in ids:
            self.messages.pop((chat_id, int(message_id)), None)
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        query_id = params.get("callback_query_id")
        if query_id not in self._open_callback_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        if len(params.get("text", "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_callback_queries.discard(query_id)
        return True

    async def _api_answerInlineQuery(self, params: dict[str, Any]) -> Any:
        query_id = params.get("inline_query_id")
        if query_id not in self._open_inline_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        results = params.get("results", [])
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            result_id = str(result.get("id", ""))
            if not 1 <= len(result_id.encode()) <= 64:
                raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
            if result_id in seen:
                raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
            seen.add(result_id)
            if not result.get("title"):
                raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
            content = result.get("input_message_content") or {}
            message_text(content, "message_text")
            check_reply_markup(result.get("reply_markup"))
        self._open_inline_queries.discard(query_id)
        return True


def _strip_reply(message: dict[str, Any]) -> dict[str, Any]:
    """A replied-to message as Telegram nests it: one level deep, no further reply_to_message."""
    return {k: v for k, v in message.items() if k != "reply_to_message"}


async def _decode(request: web.Request) -> dict[str, Any]:
    body = await request.read()
    if not body:
        return {}
    if request.content_type == "application/json":
        decoded = json.loads(body)
        return decoded if isinstance(decoded, dict) else {}
    pairs: Iterable[tuple[str, str]]
    if request.content_type == "multipart/form-data":
        form = await request.post()
        pairs = [(k, str(v)) for k, v in form.items()]
    else:
        pairs = parse_qsl(body.decode(), keep_blank_values=True)
    params: dict[str, Any] = {}
    for key, value in pairs:
        if key in STRING_FIELDS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def _error(exc: ApiError) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
    if exc.parameters:
        body["parameters"] = exc.parameters
    return web.json_response(body, status=exc.code)
