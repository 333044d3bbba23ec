"""Webhook mode: setWebhook with the secret token; updates POSTed to the adapter's server."""

from __future__ import annotations

import socket

import aiohttp

from bot.adapters.telegram import render
from bot.adapters.telegram.handlers import HELP_LINES
from bot.core import Triage
from bot.store.sqlite import SQLiteStore
from tests.adapters.telegram._tg_support import ALICE, ALICE_DM, make_settings, running_bot, send_params
from tests.fakes.fake_telegram import FakeTelegram

SECRET = "s3cret-Token_for-tests"
URL = "https://bot.example.org/telegram/hook"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_mode_checks_the_secret_token(fake: FakeTelegram, triage: Triage, store: SQLiteStore) -> None:
    port = free_port()
    settings = make_settings(
        fake,
        TELEGRAM_WEBHOOK_URL=URL,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
        TELEGRAM_WEBHOOK_PORT=port,
    )
    async with running_bot(fake, triage, store, settings=settings):
        assert fake.requests("getUpdates") == []
        [set_webhook] = fake.requests("setWebhook")
        assert set_webhook.params == {
            "url": URL,
            "secret_token": SECRET,
            "allowed_updates": ["message", "callback_query", "inline_query"],
            "max_connections": 40,
        }
        message = fake.make_message(ALICE_DM, ALICE, "/help")
        update = {"update_id": 1, "message": message}
        hook = f"http://127.0.0.1:{port}/telegram/hook"
        async with aiohttp.ClientSession() as session:
            async with session.post(hook, json=update) as response:
                assert response.status == 403
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "nope"}
            async with session.post(hook, json=update, headers=wrong) as response:
                assert response.status == 403
            assert fake.requests("sendMessage") == []

            right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with session.post(hook, json=update, headers=right) as response:
                assert response.status == 200
            [sent] = await fake.wait_calls("sendMessage")
            assert sent.params == send_params(555, render.render_text("Revive: iPhone recovery help", HELP_LINES)[0])

            async with session.post(f"http://127.0.0.1:{port}/other", json=update, headers=right) as response:
                assert response.status == 404
