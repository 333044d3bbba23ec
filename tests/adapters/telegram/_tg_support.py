"""Helpers for the Telegram end-to-end tests: a running bot against the fake Bot API."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from bot.adapters.telegram import build_application, keyboards, render, serve
from bot.adapters.telegram.app import TelegramApp
from bot.adapters.telegram.delivery import FloodControl
from bot.core import Triage, TriageAnswer, TriageRequest
from bot.core.callbacks import ButtonState, unpack
from bot.core.conversation import Actor, Conversation
from bot.core.views import View
from bot.settings import Settings
from bot.store.base import Store
from tests.fakes.fake_telegram import BOT_ID, TOKEN, Call, FakeTelegram, group_chat, private_chat, user

HTML = "HTML"
NO_PREVIEW = {"is_disabled": True}
ANSWER_ID = re.compile(r"^[a-z0-9]{1,10}$")

ALICE = user(555, "Alice")
BOB = user(556, "Bob")
ADMIN = user(900, "Grace")
ALICE_DM = private_chat(555, "Alice")
GROUP = group_chat(-1001234567890, "iPhone Help")
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Revive", "username": "ReviveTestBot"}


class Clock:
    """A monotonic clock the tests move by hand (auto mode cooldown)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_settings(fake: FakeTelegram, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "REVIVE_AUTO_COOLDOWN_SECONDS": 300,
        "REVIVE_AUTO_MIN_CONFIDENCE": 0.6,
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Bot:
    """A running adapter plus what the tests need to drive it."""

    fake: FakeTelegram
    triage: Triage
    store: Store
    settings: Settings
    clock: Clock
    app: TelegramApp
    mark: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    async def say(
        self,
        chat: dict[str, Any],
        sender: dict[str, Any],
        text: str,
        *,
        reply_to: dict[str, Any] | None = None,
        thread_id: int | None = None,
    ) -> list[Call]:
        """A user sends a message; returns every user-visible call the bot made for it."""
        self.mark = len(self.fake.calls)
        self.fake.send_text(chat, sender, text, reply_to=reply_to, thread_id=thread_id)
        return await self.done()

    async def press(self, message: dict[str, Any], data: str, sender: dict[str, Any]) -> list[Call]:
        self.mark = len(self.fake.calls)
        self.fake.press(message, data, sender)
        return await self.done()

    async def done(self) -> list[Call]:
        await self.fake.barrier()
        return self.fake.outgoing(self.mark)

    async def expected_answer(self, text: str, **request: Any) -> TriageAnswer:
        return await self.triage.answer(TriageRequest(text, **request))

    async def expected_first_view(self, text: str, answer_id: str, *, auto: bool = False, **request: Any) -> View:
        """The first reply the bot should have sent, with the answer id its buttons carry."""
        answer = await self.expected_answer(text, **request)
        return Conversation(self.triage).first_view(replace(answer, answer_id=answer_id), auto=auto)

    async def expected_press(self, data: str) -> View:
        """The view a press should give (computed without a store: nothing is written)."""
        return await Conversation(self.triage).press(data, EXPECTED)

    async def expected_typed_reply(self, token: str, text: str) -> View:
        return await Conversation(self.triage).reply_text(token, text, EXPECTED)

    async def outcomes(self) -> list[tuple[str, str, str, str, int, str]]:
        """(answer_id, kind, symptom, family, step, action) of every outcome in the SQLite file."""
        records = await self.store.outcome_records()  # type: ignore[attr-defined]
        return [(r.answer_id, r.kind, r.symptom_id, r.family, r.step, r.action) for r in records]

    def last_message(self, chat_id: int) -> dict[str, Any]:
        """The bot's latest message in a chat, as the fake stored it."""
        return self.fake.bot_messages(chat_id)[-1]

    def last_user_message(self, chat_id: int) -> dict[str, Any]:
        """The latest message a user sent in a chat."""
        return max(
            (m for (cid, _), m in self.fake.messages.items() if cid == chat_id and m["from"]["id"] != BOT_ID),
            key=lambda m: m["message_id"],
        )


@asynccontextmanager
async def running_bot(
    fake: FakeTelegram,
    triage: Triage,
    store: Store,
    *,
    clock: Clock | None = None,
    settings: Settings | None = None,
) -> AsyncIterator[Bot]:
    """The adapter's own ``serve()`` (long polling) in a task, stopped cleanly at the end."""
    clock = clock or Clock()
    settings = settings or make_settings(fake)
    app = build_application(
        settings, triage, store, clock=clock, rate_limiter=FloodControl(network_backoff=0.05, group_max_rate=0)
    )
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve(settings, triage, store, stop, application=app, poll_timeout=1, ready=ready))
    waiter = asyncio.create_task(ready.wait())
    done, _ = await asyncio.wait({task, waiter}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        waiter.cancel()
        task.result()  # raises the start-up error
    assert waiter in done, "the bot did not start"
    try:
        yield Bot(fake, triage, store, settings, clock, app)
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)


def button_rows(call: Call) -> list[list[dict[str, Any]]]:
    markup = call.params.get("reply_markup") or {}
    rows: list[list[dict[str, Any]]] = markup.get("inline_keyboard", [])
    return rows


def buttons(call: Call) -> dict[str, str]:
    """Button text -> callback_data of a sent message."""
    return {b["text"]: b["callback_data"] for row in button_rows(call) for b in row}


def state_of(call: Call, label: str) -> ButtonState:
    state = unpack(buttons(call)[label])
    assert state is not None
    return state


def answer_id_of(call: Call) -> str:
    """The answer id the bot's buttons carry (the core makes a random one per answer)."""
    ids = {state.answer_id for data in buttons(call).values() if (state := unpack(data)) is not None}
    assert len(ids) == 1, ids
    return ids.pop()


def markup_of(view: View) -> dict[str, Any] | None:
    """The exact reply_markup JSON of a view's offers."""
    keyboard = keyboards.view_keyboard(view, details_left=render.details_left(view))
    return keyboard.to_dict() if keyboard is not None else None


def view_params(chat_id: int, view: View, *, reply_to: int | None = None, thread: int | None = None) -> dict[str, Any]:
    """The exact sendMessage parameters of a one-message view."""
    [text] = render.render_view(view)
    return send_params(chat_id, text, markup=markup_of(view), reply_to=reply_to, thread=thread)


# The conversation the tests compute expected views with: no store, so it never writes anything.
EXPECTED = Actor("0", "telegram")


def send_params(
    chat_id: int,
    text: str,
    *,
    markup: dict[str, Any] | None = None,
    reply_to: int | None = None,
    thread: int | None = None,
) -> dict[str, Any]:
    """The exact decoded sendMessage parameters the adapter sends."""
    params: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": HTML, "link_preview_options": NO_PREVIEW}
    if markup is not None:
        params["reply_markup"] = markup
    if reply_to is not None:
        params["reply_parameters"] = {"message_id": reply_to, "allow_sending_without_reply": True}
    if thread is not None:
        params["message_thread_id"] = thread
    return params
