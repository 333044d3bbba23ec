"""Application commands: /fix, /steps, /forget, /auto and the "Triage this message" context menu.

Each command turns an interaction into a conversation call (``bot.core.conversation``) and
renders the view that comes back. None of them decides anything about iPhones.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.adapters.discord.buttons import components
from bot.adapters.discord.presses import PLATFORM, bot_of
from bot.adapters.discord.send import NO_MENTIONS, message_parts, respond, say
from bot.core.answer import ProcedureId, TriageRequest
from bot.core.conversation import Actor
from bot.core.views import View as CoreView
from bot.store.base import ChatSettings

if TYPE_CHECKING:
    from bot.adapters.discord.client import ReviveBot

log = logging.getLogger(__name__)

T = TypeVar("T")

MESSAGE_COMMAND = "Triage this message"
PROCEDURE_CHOICES: list[app_commands.Choice[str]] = [
    app_commands.Choice(name="force restart", value="force_restart"),
    app_commands.Choice(name="recovery mode", value="recovery_mode"),
    app_commands.Choice(name="DFU mode", value="dfu_mode"),
    app_commands.Choice(name="exit DFU", value="exit_dfu"),
]
OFF_TOPIC = (
    "I couldn't tell what's wrong with the iPhone from that. Describe what the screen shows "
    "(for example: stuck on the Apple logo, black screen, restore error 4013) and which model it is."
)


async def within_deadline(interaction: discord.Interaction[Any], work: Awaitable[T], *, ephemeral: bool) -> T:
    """Await ``work``; if it is not done before the bot's ``defer_after``, defer first.

    Discord drops an interaction that is not acknowledged within 3 seconds.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=bot_of(interaction).defer_after)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def resolve_model(bot: ReviveBot, typed: str | None) -> tuple[str | None, str]:
    """The model option: an id picked from autocomplete, or free text for the core to read."""
    if not typed:
        return None, ""
    if bot.triage.model(typed) is not None:
        return typed, ""
    return None, typed


async def first_view(bot: ReviveBot, user_id: int, problem: str, model: str | None) -> CoreView:
    """Ask the conversation for the first reply (it uses the asker's remembered model when none is named)."""
    model_id, extra = await resolve_model(bot, model)
    text = f"{problem}\n{extra}" if extra else problem
    return await bot.conversation.start(TriageRequest(text, model_id=model_id), Actor(str(user_id), PLATFORM))


async def model_autocomplete(interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
    """Models matching what was typed so far ("12 pro" -> iPhone 12 Pro, iPhone 12 Pro Max)."""
    bot = bot_of(interaction)
    models = bot.triage.search_models(current, limit=25) if current.strip() else bot.triage.picker_models()
    return [app_commands.Choice(name=render.truncate(m.name, 100), value=m.id) for m in models[:25]]


@app_commands.command(name="fix", description="Get safe, model-specific steps for an iPhone that won't start.")
@app_commands.describe(
    problem="What's wrong, in your own words (e.g. stuck on the Apple logo after an update)",
    model="Your iPhone model",
    private="Only you see the answer",
)
@app_commands.autocomplete(model=model_autocomplete)
async def fix(
    interaction: discord.Interaction[Any],
    problem: app_commands.Range[str, 1, 1000],
    model: str | None = None,
    private: bool = False,
) -> None:
    """/fix problem:<text> [model] [private]."""
    bot = bot_of(interaction)
    bot.track()
    view = await within_deadline(interaction, first_view(bot, interaction.user.id, problem, model), ephemeral=private)
    if view.status == "off_topic":
        await say(interaction, OFF_TOPIC, ephemeral=True)
        return
    await respond(interaction, message_parts(view, components(view)), ephemeral=private)


@app_commands.command(name="steps", description="One procedure (force restart, recovery, DFU) for one iPhone model.")
@app_commands.describe(model="Your iPhone model", procedure="Which procedure")
@app_commands.autocomplete(model=model_autocomplete)
@app_commands.choices(procedure=PROCEDURE_CHOICES)
async def steps(interaction: discord.Interaction[Any], model: str, procedure: app_commands.Choice[str]) -> None:
    """/steps model:<model> procedure:<procedure>."""
    bot = bot_of(interaction)
    bot.track()
    found = bot.triage.model(model)
    if found is None:
        matches = bot.triage.search_models(model, limit=1)
        found = matches[0] if matches else None
    if found is None:
        await say(interaction, "I don't know that model. Pick one from the suggestions.")
        return
    actor = Actor(str(interaction.user.id), PLATFORM)
    view = await bot.conversation.procedure(_procedure_id(procedure.value), actor, model_id=found.id)
    await respond(interaction, message_parts(view, components(view)), ephemeral=False)


def _procedure_id(value: str) -> ProcedureId:
    ids: dict[str, ProcedureId] = {
        "force_restart": "force_restart",
        "recovery_mode": "recovery_mode",
        "dfu_mode": "dfu_mode",
        "exit_dfu": "exit_dfu",
    }
    return ids[value]


@app_commands.command(name="forget", description="Delete everything Revive has stored about you.")
async def forget(interaction: discord.Interaction[Any]) -> None:
    """/forget: drop the remembered model and outcome records of this user, and what memory holds of them."""
    bot = bot_of(interaction)
    bot.track()
    bot.cooldowns.forget_user(interaction.user.id)
    removed = await bot.store.forget_user(PLATFORM, str(interaction.user.id))
    noun = "item" if removed == 1 else "items"
    await say(interaction, f"Done: deleted {removed} stored {noun} about you.")


AUTO_CHOICES: list[app_commands.Choice[str]] = [
    app_commands.Choice(name="on", value="on"),
    app_commands.Choice(name="off", value="off"),
]
INTENT_OFF_HINT = (
    "I can't read messages yet: turn on 'Message Content Intent' under Bot > Privileged Gateway Intents in the "
    "Developer Portal, then restart Revive (it asks for the intent at startup when a channel has auto answers on, "
    "or DISCORD_HELP_CHANNEL_IDS is set)."
)


def auto_channel_id(channel: object) -> int | None:
    """The channel whose setting applies: a thread (e.g. a forum post) follows its parent channel."""
    if isinstance(channel, discord.Thread):
        return channel.parent_id
    channel_id = getattr(channel, "id", None)
    return channel_id if isinstance(channel_id, int) else None


def _minutes(seconds: int) -> str:
    minutes = round(seconds / 60, 1)
    text = f"{minutes:g}"
    return f"{text} minute" if text == "1" else f"{text} minutes"


@app_commands.command(name="auto", description="Turn automatic answers to help posts in this channel on or off.")
@app_commands.describe(
    mode="on: answer new help posts here without being asked; off: only answer commands",
    cooldown_minutes="Minutes before the same person gets another automatic answer here",
)
@app_commands.choices(mode=AUTO_CHOICES)
@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.allowed_installs(guilds=True, users=False)
async def auto(
    interaction: discord.Interaction[Any],
    mode: app_commands.Choice[str],
    cooldown_minutes: app_commands.Range[int, 0, 1440] | None = None,
) -> None:
    """/auto on|off [cooldown_minutes]: kept in the store, so it survives restarts. Server managers only."""
    bot = bot_of(interaction)
    bot.track()
    channel_id = auto_channel_id(interaction.channel)
    if interaction.guild_id is None or channel_id is None:
        await say(interaction, "Use /auto in a server channel or forum.")
        return
    current = await bot.store.chat_settings(PLATFORM, str(channel_id))
    on = mode.value == "on"
    cooldown = current.cooldown_seconds if cooldown_minutes is None else cooldown_minutes * 60
    await bot.store.save_chat_settings(PLATFORM, str(channel_id), ChatSettings(auto_mode=on, cooldown_seconds=cooldown))
    log.info("auto answers %s in channel %s (cooldown %ss)", mode.value, channel_id, cooldown)
    if on:
        text = (
            "Auto answers are on in this channel: I'll answer new help posts here, "
            f"at most once every {_minutes(cooldown)} per person."
        )
        if not bot.intents.message_content:
            text += f"\n{INTENT_OFF_HINT}"
    elif channel_id in bot.help_channel_ids:
        text = (
            "Saved, but this channel is listed in DISCORD_HELP_CHANNEL_IDS, so I'll keep answering here "
            "until it's removed from that setting and Revive restarts."
        )
    else:
        text = "Auto answers are off in this channel. Commands like /fix still work."
    await say(interaction, text)


async def triage_message(interaction: discord.Interaction[Any], message: discord.Message) -> None:
    """Context menu: reply to someone's post with the answer, pinging no one."""
    bot = bot_of(interaction)
    bot.track()
    await interaction.response.defer(ephemeral=True, thinking=True)
    text = message.content
    if isinstance(message.channel, discord.Thread) and message.id == message.channel.id:
        text = f"{message.channel.name}\n{text}"
    if not text.strip():
        await say(interaction, "That message has no text I can read.")
        return
    # The post's author is the asker: their remembered model applies, and only they (or helpers) press on.
    view = await bot.conversation.start(TriageRequest(text), Actor(str(message.author.id), PLATFORM))
    if view.status == "off_topic":
        await say(interaction, "I couldn't find an iPhone recovery problem in that message.")
        return
    parts = message_parts(view, components(view))
    try:
        replies = [await message.reply(**part, mention_author=False, allowed_mentions=NO_MENTIONS) for part in parts]
    except (discord.Forbidden, discord.NotFound):
        # Installed to the user's account only, or no access to the channel: show it to the helper.
        await respond(interaction, parts, ephemeral=True)
        return
    await say(interaction, f"Answered: {replies[0].jump_url}")


def register(tree: app_commands.CommandTree[Any]) -> None:
    """Add every command to a tree."""
    tree.add_command(fix)
    tree.add_command(steps)
    tree.add_command(forget)
    tree.add_command(auto)
    tree.add_command(app_commands.ContextMenu(name=MESSAGE_COMMAND, callback=triage_message))
