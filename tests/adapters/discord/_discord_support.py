"""Helpers for the Discord adapter tests: settings, expected payloads, and running the bot against the fake."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import discord

from bot.adapters.discord import serve
from bot.adapters.discord.buttons import components
from bot.adapters.discord.send import message_parts
from bot.core.answer import TriageAnswer, TriageRequest
from bot.core.callbacks import unpack
from bot.core.conversation import Conversation
from bot.core.triage import Triage
from bot.core.views import View as CoreView
from bot.settings import Settings
from tests.fakes.fake_discord import FakeDiscord, Request

NO_PINGS: dict[str, Any] = {"parse": []}
NO_PINGS_REPLY: dict[str, Any] = {"parse": [], "replied_user": False}


class WrappedTriage:
    """The real core behind a seam: optional delay or failure, and a record of every request."""

    def __init__(self, real: Triage, *, delay: float = 0.0, fail: bool = False) -> None:
        self.real = real
        self.delay = delay
        self.fail = fail
        self.requests: list[TriageRequest] = []

    async def answer(self, request: TriageRequest) -> TriageAnswer:
        self.requests.append(request)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail:
            raise RuntimeError("knowledge base exploded")
        return await self.real.answer(request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def make_settings(fake: FakeDiscord, **env: Any) -> Settings:
    values: dict[str, Any] = {
        "DISCORD_BOT_TOKEN": fake.token,
        "DISCORD_API_BASE_URL": fake.base_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "REVIVE_AUTO_COOLDOWN_SECONDS": 300,
        "REVIVE_AUTO_MIN_CONFIDENCE": 0.5,
    }
    values.update(env)
    return Settings(_env_file=None, **values)


@contextlib.asynccontextmanager
async def serving(
    fake: FakeDiscord, settings: Settings, triage: Any, store: Any, **options: Any
) -> AsyncIterator[asyncio.Task[None]]:
    """Run the adapter's real ``serve()`` until the fake has sent READY; stop it on exit."""
    stop = asyncio.Event()
    fake.ready_sent.clear()
    options.setdefault("guild_ready_timeout", 0.05)
    task = asyncio.create_task(serve(settings, triage, store, stop, **options))
    ready = asyncio.create_task(fake.ready_sent.wait())
    done, _ = await asyncio.wait({task, ready}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        ready.cancel()
        task.result()  # raises the startup error
        raise AssertionError("serve() returned before the bot was ready")
    if not done:
        task.cancel()
        raise AssertionError("the bot did not connect to the fake within 5 s")
    try:
        yield task
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)


async def answer_for(triage: Triage, text: str, *, model_id: str | None = None, **kw: Any) -> TriageAnswer:
    return await triage.answer(TriageRequest(text, model_id=model_id, **kw))


def with_id(answer: TriageAnswer, answer_id: str) -> TriageAnswer:
    """The core's ids are random: rebuild the expected answer with the id the bot actually used."""
    return dataclasses.replace(answer, answer_id=answer_id)


async def expected_first_view(
    triage: Triage,
    store: Any,
    text: str,
    answer_id: str,
    *,
    model_id: str | None = None,
    auto: bool = False,
    conversation: Conversation | None = None,
) -> CoreView:
    """The conversation's first reply to ``text``, with the answer id the bot used.

    Pass ``conversation`` to press on from that reply as the bot does (it remembers the first answers it made).
    """
    answer = with_id(await answer_for(triage, text, model_id=model_id), answer_id)
    return (conversation or Conversation(triage, store)).first_view(answer, auto=auto)


def reply_json(view: CoreView) -> dict[str, Any]:
    """The embeds and components a one-message view is sent with, as JSON."""
    (part,) = message_parts(view, components(view))
    out: dict[str, Any] = {}
    if "embeds" in part:
        out["embeds"] = to_json(part["embeds"])
    if "content" in part:
        out["content"] = part["content"]
    ui = part.get("view")
    out["components"] = ui.to_components() if ui is not None else []
    return out


def offer_buttons(view: CoreView) -> list[dict[str, Any]]:
    """Buttons for a view's offers, written out by hand: the label and token the core chose, the style it asked."""
    styles = {"primary": 1, "secondary": 2, "success": 3, "danger": 4}
    return [button(offer.label, offer.token, styles[offer.style]) for offer in view.offers]


def rows(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": 1, "components": buttons[i : i + 5]} for i in range(0, len(buttons), 5)]


def is_message(request: Request) -> bool:
    """A request that creates or edits a message (not a bare acknowledgement)."""
    payload = body(request)
    return (
        request.method in ("POST", "PATCH")
        and isinstance(payload, dict)
        and bool(payload.get("embeds") or payload.get("content") or payload.get("components"))
    )


async def wait_messages(fake: FakeDiscord, since: int, count: int = 1) -> list[Request]:
    """The next ``count`` messages the bot sends or edits after request ``since``, however it sends them."""
    return list(
        await fake.wait_for(lambda: (found := [r for r in fake.requests[since:] if is_message(r)]) and
                            len(found) >= count and found[:count])
    )  # fmt: skip


def custom_ids(message_json: dict[str, Any]) -> list[str]:
    return [c["custom_id"] for row in message_json.get("components", []) for c in row["components"]]


def answer_id_of(message_json: dict[str, Any]) -> str:
    for cid in custom_ids(message_json):
        state = unpack(cid)
        if state is not None:
            return state.answer_id
    raise AssertionError("no Revive component on the message")


def verbs_of(message_json: dict[str, Any]) -> list[str]:
    """The verbs of a message's buttons, in order."""
    return [state.verb for cid in custom_ids(message_json) if (state := unpack(cid)) is not None]


def token_of(message_json: dict[str, Any], verb: str) -> str:
    """The custom_id of the button with this verb."""
    return next(cid for cid in custom_ids(message_json) if (state := unpack(cid)) is not None and state.verb == verb)


def button(label: str, custom_id: str, style: int) -> dict[str, Any]:
    return {"type": 2, "style": style, "disabled": False, "label": label, "custom_id": custom_id}


def body(request: Request) -> dict[str, Any]:
    """The message part of a request: ``data`` for interaction callbacks, the body otherwise."""
    payload: dict[str, Any] = request.json
    return payload.get("data", payload) if request.path.startswith("/interactions/") else payload


def embed_text(message_json: dict[str, Any]) -> str:
    parts: list[str] = []
    for embed in message_json.get("embeds", []):
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for fld in embed.get("fields", []):
            parts += [fld["name"], fld["value"]]
    return "\n".join(parts)


def to_json(embeds: list[discord.Embed]) -> list[dict[str, Any]]:
    return [e.to_dict() for e in embeds]  # type: ignore[misc]
