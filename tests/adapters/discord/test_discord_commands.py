"""End to end: discord.py's real client against the fake; slash commands, autocomplete, the model picker."""

from __future__ import annotations

import logging

import pytest

from bot.adapters.discord import render
from bot.core.callbacks import ButtonState, encode
from bot.core.triage import Triage
from bot.store import SQLiteStore
from tests.adapters.discord._discord_support import (
    NO_PINGS,
    WrappedTriage,
    answer_for,
    answer_id_of,
    body,
    button,
    custom_ids,
    embed_text,
    expected_messages,
    make_settings,
    serving,
    to_json,
    with_id,
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


async def test_fix_answers_with_model_steps_backup_and_buttons(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("fix", {"problem": IPHONE_8})
        expected = expected_messages(await answer_for(triage, IPHONE_8), problem=IPHONE_8)
        sent = await fake.wait_request("POST", "/", since=since, count=len(expected))
    first, *rest = sent
    assert first.path.endswith("/callback")
    assert first.query == {"with_response": "1"}
    assert "Authorization" not in first.headers  # interaction responses use the interaction token
    answer_id = answer_id_of(body(sent[-1]))
    expected = expected_messages(with_id(await answer_for(triage, IPHONE_8), answer_id), problem=IPHONE_8)
    assert first.json == {
        "type": 4,
        "data": {"tts": False, "content": None, "embeds": expected[0], "allowed_mentions": NO_PINGS},
    }
    state = ButtonState("worked", answer_id, "unresponsive", "iphone-8", 0)
    ladder = {
        "type": 1,
        "components": [
            button("It worked", encode(state), 3),
            button("Didn't work: next step", encode(ButtonState("next", *_fields(state))), 1),
            button("Show DFU steps", encode(ButtonState("dfu", *_fields(state))), 2),
        ],
    }
    remember = {
        "type": 1,
        "components": [button("Remember this model", encode(ButtonState("remember", *_fields(state))), 2)],
    }
    for request, embeds in zip(rest, expected[1:], strict=True):
        assert request.path == f"/webhooks/1000/{fake.requests[since].path.split('/')[3]}"
        last = request is rest[-1]
        assert request.json == {
            "tts": False,
            "embeds": embeds,
            "allowed_mentions": NO_PINGS,
            **({"components": [ladder, remember]} if last else {}),
        }
    text = "\n".join(embed_text(body(r)) for r in sent)
    for words in ("Volume Up", "Volume Down", "Side button", "Back up first", "iCloud Backup"):
        assert words in text
    assert sent[0].json["data"]["embeds"][0]["color"] == 0xFEE75C  # warning: yellow
    assert sent[0].json["data"]["embeds"][0]["description"] == "> my iphone 8 won't turn on after update"


def _fields(state: ButtonState) -> tuple[str, str, str, int]:
    return (state.answer_id, state.symptom_id, state.model_id, state.step)


async def test_fix_se_offers_generations_and_choice_updates_in_place(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        interaction = await fake.slash("fix", {"problem": SE})
        (reply,) = await fake.wait_request("POST", "/interactions/", since=since)
        data = reply.json["data"]
        answer_id = answer_id_of(data)
        needs = with_id(await answer_for(triage, SE), answer_id)
        assert needs.status == "needs_model"
        assert data["embeds"] == expected_messages(needs, problem=SE)[0]
        (row,) = data["components"]
        (select,) = row["components"]
        assert select["custom_id"] == encode(ButtonState("model", answer_id, "unresponsive", "", 0))
        values = [o["value"] for o in select["options"]]
        assert values[:3] == ["iphone-se-1", "iphone-se-2", "iphone-se-3"]
        assert [o["label"] for o in select["options"][:3]] == [
            "iPhone SE (1st generation)",
            "iPhone SE (2nd generation)",
            "iPhone SE (3rd generation)",
        ]
        assert len(values) == len(set(values)) <= 25
        step_fields = [f["name"] for e in data["embeds"] for f in e["fields"] if f["name"][0].isdigit()]
        assert step_fields == []  # no steps until the model is known

        message = fake.response_message(interaction)
        since = len(fake.requests)
        await fake.click(message, select["custom_id"], values=["iphone-se-1"])
        chosen = await answer_for(triage, SE, model_id="iphone-se-1", symptom_id="unresponsive")
        parts = len(expected_messages(chosen))
        sent = await fake.wait_request("POST", "/", since=since, count=parts)
    update = sent[0].json
    assert update["type"] == 7  # UPDATE_MESSAGE: the picker message becomes the answer
    assert update["data"]["embeds"][0]["title"] == chosen.headline
    assert update["data"]["embeds"][0]["description"] == "> my iphone se is frozen"  # the quote is kept
    assert update["data"]["allowed_mentions"] == NO_PINGS
    assert update["data"]["components"] == ([] if parts > 1 else update["data"]["components"])  # picker removed
    text = "\n".join(embed_text(body(r)) for r in sent)
    assert "Home button" in text
    assert "Volume Up" not in text
    # the 1st-generation ladder buttons sit under the last part
    new_id = answer_id_of(body(sent[-1]))
    assert custom_ids(body(sent[-1])) == [
        encode(ButtonState(verb, new_id, "unresponsive", "iphone-se-1", 0))
        for verb in ("worked", "next", "dfu", "remember")
    ]


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
    """User-installed: /fix works in DMs; private makes every part ephemeral; the picked model wins."""
    problem = "stuck on the apple logo"
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("fix", {"problem": problem, "model": "iphone-12-pro", "private": True}, dm=True)
        expected_parts = len(expected_messages(await answer_for(triage, problem, model_id="iphone-12-pro")))
        sent = await fake.wait_request("POST", "/", since=since, count=expected_parts)
    assert all(body(r)["flags"] == EPHEMERAL for r in sent)
    assert body(sent[-1])["embeds"][-1]["footer"]["text"].startswith("iPhone 12 Pro · answer ")
    assert "|iphone-12-pro|" in "".join(
        c["custom_id"] for row in body(sent[-1])["components"] for c in row["components"]
    )


async def test_remembered_model_is_used_when_none_is_named(
    fake: FakeDiscord, triage: Triage, store: SQLiteStore
) -> None:
    await store.remember_model("discord", "5001", "iphone-se-1")
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("fix", {"problem": "my phone is frozen"})
        expected = expected_messages(await answer_for(triage, "my phone is frozen", model_id="iphone-se-1"))
        sent = await fake.wait_request("POST", "/", since=since, count=len(expected))
    assert "|iphone-se-1|" in "".join(c["custom_id"] for row in body(sent[-1])["components"] for c in row["components"])


async def test_slow_triage_is_deferred_then_followed_up(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    slow = WrappedTriage(triage, delay=0.3)
    async with serving(fake, make_settings(fake), slow, store, defer_after=0.05):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("fix", {"problem": IPHONE_8})
        expected = expected_messages(await answer_for(triage, IPHONE_8), problem=IPHONE_8)
        sent = await fake.wait_request("POST", "/", since=since, count=1 + len(expected))
    assert sent[0].json == {"type": 5}  # "Revive is thinking..." within the 3 s window
    assert [r.path.split("/")[1] for r in sent[1:]] == ["webhooks"] * len(expected)
    assert all(r.query == {"wait": "1", "with_components": "1" if r is sent[-1] else "0"} for r in sent[1:])
    assert [body(r)["embeds"][0]["title"] if body(r)["embeds"][0].get("title") else None for r in sent[1:2]] == [
        expected[0][0]["title"]
    ]


async def test_steps_command_shows_one_procedure(fake: FakeDiscord, triage: Triage, store: SQLiteStore) -> None:
    async with serving(fake, make_settings(fake), triage, store):
        await fake.wait_request("PUT", "/applications/")
        since = len(fake.requests)
        await fake.slash("steps", {"model": "iphone-7", "procedure": "dfu_mode"})
        (sent,) = await fake.wait_request("POST", "/interactions/", since=since)
    model = triage.model("iphone-7")
    procedure = triage.procedure("iphone-7", "dfu_mode")
    assert model is not None
    assert procedure is not None

    assert sent.json == {
        "type": 4,
        "data": {
            "tts": False,
            "content": None,
            "embeds": to_json(render.procedure_embeds(model, procedure)),
            "allowed_mentions": NO_PINGS,
        },
    }
    assert "Volume Down" in embed_text(sent.json["data"])


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
    assert data["embeds"][0]["description"] == (
        "> @\u200beveryone <@\u200b123456789012345678> \\*\\*my iphone 8\\*\\* is frozen "
        "\\|\\|lol\\|\\| \\[free](https://evil.example) \\`x\\`"
    )
