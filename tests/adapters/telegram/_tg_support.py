"""Helpers for the Telegram end-to-end tests: a running bot against the fake Bot API."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.adapters.telegram import build_application, serve
from bot.adapters.telegram.app import FloodControl, TelegramApp
from bot.core import Triage, TriageAnswer, TriageRequest
from bot.core.callbacks import ButtonState, decode, encode
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
    return markup.get("inline_keyboard", [])


def buttons(call: Call) -> dict[str, str]:
    """Button text -> callback_data of a sent message."""
    return {b["text"]: b["callback_data"] for row in button_rows(call) for b in row}


def state_of(call: Call, label: str) -> ButtonState:
    state = decode(buttons(call)[label])
    assert state is not None
    return state


def ladder_markup(
    answer_id: str, symptom: str, model: str, step: int, *, next_: bool = True, dfu: bool = True, dismiss: bool = False
) -> dict[str, Any]:
    """The exact reply_markup JSON of the ladder buttons."""
    first = [{"text": "✅ It worked", "callback_data": encode(ButtonState("worked", answer_id, symptom, model, step))}]
    if next_:
        first.append(
            {
                "text": "❌ Didn't work: next step",
                "callback_data": encode(ButtonState("next", answer_id, symptom, model, step)),
            }
        )
    rows = [first]
    second = []
    if dfu:
        second.append(
            {"text": "Show DFU steps", "callback_data": encode(ButtonState("dfu", answer_id, symptom, model, step))}
        )
    if dismiss:
        second.append(
            {"text": "Not my issue", "callback_data": encode(ButtonState("dismiss", answer_id, symptom, model, step))}
        )
    if second:
        rows.append(second)
    return {"inline_keyboard": rows}


def picker_markup(models: list[tuple[str, str]], verb: str, answer_id: str = "", symptom: str = "") -> dict[str, Any]:
    """The exact reply_markup JSON of a model picker, two buttons per row."""
    flat = [
        {"text": name, "callback_data": encode(ButtonState(verb, answer_id, symptom, model_id, 0))}  # type: ignore[arg-type]
        for model_id, name in models
    ]
    return {"inline_keyboard": [flat[i : i + 2] for i in range(0, len(flat), 2)]}


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


def answer_params(
    chat_id: int,
    chunks: list[str],
    *,
    markup: dict[str, Any] | None = None,
    reply_to: int | None = None,
    reply_every: bool = False,
    thread: int | None = None,
) -> list[dict[str, Any]]:
    """The exact sendMessage parameters of a multi-part answer: the keyboard on the last part."""
    return [
        send_params(
            chat_id,
            chunk,
            markup=markup if index == len(chunks) - 1 else None,
            reply_to=reply_to if index == 0 or reply_every else None,
            thread=thread,
        )
        for index, chunk in enumerate(chunks)
    ]
