"""End to end: discord.py's real client against the fake; slash commands, autocomplete, the model picker."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.adapters.discord import render
from bot.core.conversation import Actor, Conversation
from bot.core.triage import Triage
from bot.store import SQLiteStore
from tests.adapters.discord._discord_support import (
    NO_PINGS,
    WrappedTriage,
    answer_id_of,
    body,
    button,
    custom_ids,
    embed_text,
    expected_first_view,
    make_settings,
    offer_buttons,
    reply_json,
    rows,
    serving,
    token_of,
    verbs_of,
    wait_messages,
)
from tests.fakes.fake_discord import EPHEMERAL, INTENT_MESSAGE_CONTENT, FakeDiscord

CONTEXTS = [0, 1, 2]  # guild, bot DM, private channels
INSTALLS = [0, 1]  # guild install and user install
IPHONE_8 = "my iphone 8 won't turn on after update"
SE = "my iphone se is frozen"

EXPECTED_COMMANDS = [
    {
        "name": "fix",
        "description": "Get safe, model-specific steps for an iPhone that won't start.",
        "type": 1,
        "options": [
            {
                "type": 3,
                "name": "problem",
                "description": "What's wrong, in your own words (e.g. stuck on the Apple logo after an update)",
                "required": True,
                "min_length": 1,
                "max_length": 1000,
            },
            {"type": 3, "name": "model", "description": "Your iPhone model", "required": False, "autocomplete": True},
            {"type": 5, "name": "private", "description": "Only you see the answer", "required": False},
        ],
        "nsfw": False,
        "dm_permission": True,
        "default_member_permissions": None,
        "contexts": CONTEXTS,
        "integration_types": INSTALLS,
    },
    {
        "name": "steps",
        "description": "One procedure (force restart, recovery, DFU) for one iPhone model.",
        "type": 1,
        "options": [
            {"type": 3, "name": "model", "description": "Your iPhone model", "required": True, "autocomplete": True},
            {
                "type": 3,
                "name": "procedure",
                "description": "Which procedure",
                "required": True,
                "choices": [
                    {"name": "force restart", "value": "force_restart"},
                    {"name": "recovery mode", "value": "recovery_mode"},
                    {"name": "DFU mode", "value": "dfu_mode"},
                    {"name": "exit DFU", "value": "exit_dfu"},
                ],
            },
        ],
        "nsfw": False,
        "dm_permission": True,
        "default_member_permissions": None,
        "contexts": CONTEXTS,
        "integration_types": INSTALLS,
    },
    {
        "name": "forget",
        "description": "Delete everything Revive has stored about you.",
        "type": 1,
        "options": [],
        "nsfw": False,
        "dm_permission": True,
        "default_member_permissions": None,
        "contexts": CONTEXTS,
        "integration_types": INSTALLS,
    },
    {
        "name": "auto",
        "description": "Turn automatic answers to help posts in this channel on or off.",
        "type": 1,
        "options": [
            {
                "type": 3,
                "name": "mode",
                "description": "on: answer new help posts here without being asked; off: only answer commands",
                "required": True,
                "choices": [{"name": "on", "value": "on"}, {"name": "off", "value": "off"}],
            },
            {
                "type": 4,
                "name": "cooldown_minutes",
                "description": "Minutes before the same person gets another automatic answer here",
                "required": False,
                "min_value": 0,
                "max_value": 1440,
            },
        ],
        "nsfw": False,
        "dm_permission": False,
        "default_member_permissions": 32,  # Manage Server: admins only (they can change this per server)
        "contexts": [0],  # servers only
        "integration_types": [0],  # only when Revive is added to the server
    },
    {
        "name": "Triage this message",
        "type": 3,
        "dm_permission": True,
        "contexts": CONTEXTS,
        "integration_types": INSTALLS,
        "default_member_permissions": None,
        "nsfw": False,
    },
]


async def test_login_and_global_command_sync(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    """Without DISCORD_GUILD_ID the commands are synced globally, exactly as declared."""
    async with serving(fake, make_settings(fake), triage, store):
        puts = await fake.wait_request("PUT", "/applications/")
    assert [(r.method, r.path) for r in fake.requests[:3]] == [
        ("GET", "/users/@me"),
        ("GET", "/oauth2/applications/@me"),
        ("PUT", "/applications/1000/commands"),
    ]
    assert puts[0].json == EXPECTED_COMMANDS
    assert puts[0].headers["Authorization"] == f"Bot {fake.token}"
    assert fake.identify[0]["token"] == fake.token
    assert not fake.identify[0]["intents"] & INTENT_MESSAGE_CONTENT  # no help channels: not requested


async def test_guild_sync_when_guild_id_is_set(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    settings = make_settings(fake, DISCORD_GUILD_ID=fake.guild_id)
    async with serving(fake, settings, triage, store):
        puts = await fake.wait_request("PUT", "/applications/")
    assert [r.path for r in puts] == ["/applications/1000/guilds/3000/commands"]
    assert puts[0].json == EXPECTED_COMMANDS


async def test_fix_answers_in_one_short_message_with_the_offers(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    """/fix: ONE message, the conversation's first reply within 1,200 characters, its offers as buttons, "More"."""
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("fix", {"problem": IPHONE_8})
        (sent,) = await fake.wait_request("POST", "/", since=since)
        await asyncio.sleep(0.05)
        assert len(fake.find("POST", "/", since=since)) == 1  # one message, nothing follows
    assert sent.path.endswith("/callback")
    assert sent.query == {"with_response": "1"}
    assert "Authorization" not in sent.headers  # interaction responses use the interaction token
    answer_id = answer_id_of(sent.json["data"])
    view = await expected_first_view(triage, store, IPHONE_8, answer_id)
    assert view.kind == "answer"
    more = view.offers[0].token.replace("r2w", "r2o", 1)  # the same conversation, asking for details
    assert sent.json == {
        "type": 4,
        "data": {
            "tts": False,
            "content": None,
            "embeds": reply_json(view)["embeds"],
            "components": rows([*offer_buttons(view), button("More", more, 2)]),
            "allowed_mentions": NO_PINGS,
        },
    }
    (embed,) = sent.json["data"]["embeds"]
    assert len(embed["title"]) + len(embed["description"]) + len(embed["footer"]["text"]) <= render.REPLY_LIMIT
    assert embed["title"] == view.headline
    assert embed["footer"] == {"text": f"answer {answer_id}"}
    assert verbs_of(sent.json["data"])[:3] == ["worked", "next", "all"]
    text = embed_text(sent.json["data"])
    for words in ("Volume Up", "Volume Down", "Side button", "You should see:", "**Risk:**", "**Backup:**"):
        assert words in text
    assert all(len(cid) <= 100 for cid in custom_ids(sent.json["data"]))


async def test_fix_se_asks_which_generation_and_the_choice_updates_in_place(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        interaction = await fake.slash("fix", {"problem": SE})
        (reply,) = await fake.wait_request("POST", "/interactions/", since=since)
        data = reply.json["data"]
        conversation = Conversation(triage, store)
        view = await expected_first_view(triage, store, SE, answer_id_of(data), conversation=conversation)
        assert view.kind == "ask_model"
        assert data["components"] == rows(offer_buttons(view))
        assert [c["label"] for row in data["components"] for c in row["components"]] == [
            "iPhone SE (1st generation)",
            "iPhone SE (2nd generation)",
            "iPhone SE (3rd generation)",
        ]
        assert data["embeds"] == reply_json(view)["embeds"]

        message = fake.response_message(interaction)
        since = len(fake.requests)
        await fake.click(message, custom_ids(data)[0])
        (update,) = await fake.wait_request("POST", "/interactions/", since=since)
    picked = await conversation.press(custom_ids(data)[0], Actor("5001", "discord"))
    assert update.json["type"] == 7  # UPDATE_MESSAGE: the question becomes the answer for the 1st generation
    assert update.json["data"]["embeds"] == reply_json(picked)["embeds"]
    assert update.json["data"]["components"] == reply_json(picked)["components"]
    text = embed_text(update.json["data"])
    assert "Home button" in text
    assert "Volume Up" not in text


async def test_autocomplete_offers_matching_models(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.autocomplete("fix", {"problem": "frozen", "model": "12 pro"}, focused="model")
        (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    assert sent.json == {
        "type": 8,
        "data": {
            "choices": [
                {"name": "iPhone 12 Pro", "value": "iphone-12-pro"},
                {"name": "iPhone 12 Pro Max", "value": "iphone-12-pro-max"},
            ]
        },
    }


async def test_fix_with_model_option_private_in_a_dm(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    """User-installed: /fix works in DMs; private makes the answer ephemeral; the picked model wins."""
    problem = "stuck on the apple logo"
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("fix", {"problem": problem, "model": "iphone-12-pro", "private": True}, dm=True)
        (sent,) = await fake.wait_request("POST", "/", since=since)
    assert body(sent)["flags"] == EPHEMERAL
    assert body(sent)["embeds"][0]["title"].startswith("iPhone 12 Pro: ")
    assert "|12-pro|" in "".join(custom_ids(body(sent)))


async def test_remembered_model_is_used_when_none_is_named(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    await store.remember_model("discord", "5001", "iphone-se-1")
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("fix", {"problem": "my phone is frozen"})
        (sent,) = await fake.wait_request("POST", "/", since=since)
    assert body(sent)["embeds"][0]["title"].startswith("iPhone SE (1st generation): ")
    assert "|se-1|" in "".join(custom_ids(body(sent)))


async def test_slow_triage_is_deferred_then_followed_up(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    slow = WrappedTriage(triage, delay=0.3)
    async with serving(fake, make_settings(fake), slow, store, defer_after=0.05):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("fix", {"problem": IPHONE_8})
        sent = await fake.wait_request("POST", "/", since=since, count=2)
    assert sent[0].json == {"type": 5}  # "Revive is thinking..." within the 3 s window
    assert sent[1].path.split("/")[1] == "webhooks"
    assert sent[1].query == {"wait": "1", "with_components": "1"}
    view = await expected_first_view(triage, store, IPHONE_8, answer_id_of(sent[1].json))
    assert sent[1].json["embeds"] == reply_json(view)["embeds"]


async def test_steps_command_shows_one_procedure(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("steps", {"model": "iphone-7", "procedure": "force_restart"})
        (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    view = await Conversation(triage, store).procedure("force_restart", Actor("5001", "discord"), model_id="iphone-7")
    assert view.kind == "procedure"
    assert sent.json == {
        "type": 4,
        "data": {"tts": False, "content": None, "embeds": reply_json(view)["embeds"], "allowed_mentions": NO_PINGS},
    }
    assert "Volume Down" in embed_text(sent.json["data"])


async def test_steps_for_dfu_mode_comes_behind_the_erase_gate(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        interaction = await fake.slash("steps", {"model": "iphone-7", "procedure": "dfu_mode"})
        (gate,) = await fake.wait_request("POST", "/interactions/", since=since)
        assert verbs_of(gate.json["data"]) == ["procedure", "no_backup", "repair"]
        assert "erases everything" in embed_text(gate.json["data"])
        assert "Volume Down" not in embed_text(gate.json["data"])  # no DFU steps before the gate
        since = len(fake.requests)
        message = fake.response_message(interaction)
        await fake.click(message, token_of(gate.json["data"], "procedure"))
        (sent,) = await wait_messages(fake, since)
    assert "Volume Down" in embed_text(body(sent))  # the DFU steps, once they said they have a backup


async def test_forget_deletes_stored_data_ephemerally(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    await store.remember_model("discord", "5001", "iphone-8")
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("forget")
        (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    assert sent.json == {
        "type": 4,
        "data": {
            "tts": False,
            "content": "Done: deleted 1 stored item about you.",
            "flags": EPHEMERAL,
            "allowed_mentions": NO_PINGS,
        },
    }
    assert await store.remembered_model("discord", "5001") is None


async def test_off_topic_gets_a_short_ephemeral_hint(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("fix", {"problem": "what's the weather like"})
        (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    assert sent.json["data"]["flags"] == EPHEMERAL
    assert sent.json["data"]["content"].startswith("I couldn't tell what's wrong with the iPhone")


async def test_errors_are_logged_and_answered_with_an_apology(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore, caplog: pytest.LogCaptureFixture
) -> None:
    broken = WrappedTriage(triage, fail=True)
    with caplog.at_level(logging.ERROR, logger="bot.adapters.discord"):
        async with serving(fake, make_settings(fake), broken, store):
            await fake.wait_request("PUT", "/applications/")
            since = len(fake.requests)
            await fake.slash("fix", {"problem": IPHONE_8})
            (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    assert sent.json == {
        "type": 4,
        "data": {
            "tts": False,
            "content": "Sorry, something went wrong on my side. Please try again in a moment.",
            "flags": EPHEMERAL,
            "allowed_mentions": NO_PINGS,
        },
    }
    (record,) = [r for r in caplog.records if r.name.startswith("bot.adapters.discord")]
    assert record.exc_info is not None
    assert "knowledge base exploded" in str(record.exc_info[1])


async def test_hostile_text_is_escaped_and_pings_no_one(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    hostile = "@everyone <@123456789012345678> **my iphone 8** is frozen ||lol|| [free](https://evil.example) `x`"
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("fix", {"problem": hostile})
        sent = await fake.wait_request("POST", "/interactions/", since=since)
    data = sent[0].json["data"]
    assert data["allowed_mentions"] == NO_PINGS
    shown = embed_text(data)
    assert "@everyone" not in shown  # the user's words are not echoed; nothing can ping
    assert "<@123456789012345678>" not in shown
    assert "evil.example" not in shown
