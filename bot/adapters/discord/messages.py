"""Channel messages: automatic answers to help posts (opt-in), and typed answers to the bot's questions.

- A new help post (a forum post's opening message, or a message in a help channel) gets one
  automatic answer, when the core's answer is worth posting unprompted and the person's cooldown
  in that channel has passed.
- When the bot asked something (which iPhone it is, which problem), the asker can type the answer
  ("it's a 7") as a reply to that question, or anywhere in their own forum post; the conversation reads it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bot.adapters.discord.buttons import components
from bot.adapters.discord.presses import PLATFORM, asker_of, is_helper
from bot.adapters.discord.send import NO_MENTIONS, message_parts
from bot.core.answer import TriageRequest
from bot.core.conversation import Actor, worth_an_unprompted_answer
from bot.core.conversation import question_token as core_question_token
from bot.core.views import View as CoreView

if TYPE_CHECKING:
    from bot.adapters.discord.client import ReviveBot

log = logging.getLogger(__name__)

FORUM_NOT_READY = 40058  # "Cannot message this thread until after the post author has sent an initial message"
THREAD_LOOKBACK = 10  # messages searched for the bot's open question in a forum post


def help_post(bot: ReviveBot, message: discord.Message) -> tuple[int, str] | None:
    """(channel whose settings apply, text to triage) if ``message`` could open a help post, else None."""
    if message.author.bot or message.guild is None or not bot.intents.message_content:
        return None
    channel = message.channel
    if isinstance(channel, discord.Thread):
        # A forum post: only its opening message (same id as the thread), title included.
        if channel.parent_id is not None and message.id == channel.id:
            return channel.parent_id, f"{channel.name}\n{message.content}"
        return None
    return channel.id, message.content


async def on_message(bot: ReviveBot, message: discord.Message) -> None:
    """Every message the bot can see: a typed answer to its question first, else maybe a help post."""
    if message.author.bot or not message.content.strip():
        return
    bot.track()
    if await answer_typed(bot, message):
        return
    post = help_post(bot, message)
    if post is not None and post[1].strip():
        await answer_help_post(bot, message, *post)


async def answer_help_post(bot: ReviveBot, message: discord.Message, channel_id: int, text: str) -> None:
    settings = await bot.auto_settings(channel_id)
    if settings is None or bot.cooldowns.active(channel_id, message.author.id, settings.cooldown_seconds):
        return
    answer = await bot.triage.answer(TriageRequest(text))
    if not worth_an_unprompted_answer(answer, bot.settings.auto_min_confidence):
        log.debug("help post %s not answered: %s, confidence %.2f", message.id, answer.status, answer.confidence)
        return
    bot.cooldowns.start(channel_id, message.author.id)
    view = await bot.conversation.start(TriageRequest(text), Actor(str(message.author.id), PLATFORM), auto=True)
    await reply(message, view)


async def reply(message: discord.Message, view: CoreView) -> None:
    """Reply to a person's message with a view, pinging no one."""
    for part in message_parts(view, components(view)):
        for attempt in range(2):
            try:
                await message.reply(**part, mention_author=False, allowed_mentions=NO_MENTIONS)
                break
            except discord.HTTPException as exc:
                if exc.code != FORUM_NOT_READY or attempt:
                    raise
                await asyncio.sleep(1.0)  # the forum post's opening message is not there yet


# ---------------------------------------------------------------------------- typed answers


def question_token(message: discord.Message) -> str | None:
    """The token a typed answer to this message continues with, if the message asks something (the core decides)."""
    tokens = [
        token
        for row in message.components
        for component in getattr(row, "children", ())
        if isinstance(token := getattr(component, "custom_id", None), str)
    ]
    return core_question_token(tokens)


async def open_question(bot: ReviveBot, message: discord.Message) -> discord.Message | None:
    """The bot's question this message answers: the one it replies to, or the latest in the asker's forum post."""
    me = bot.user
    if me is None:
        return None
    reference = message.reference
    if reference is not None:
        resolved = reference.resolved
        if isinstance(resolved, discord.Message) and resolved.author.id == me.id and question_token(resolved):
            return resolved
        return None
    channel = message.channel
    if not isinstance(channel, discord.Thread) or channel.owner_id != message.author.id or message.id == channel.id:
        return None  # not in the asker's own forum post, or its opening message (nothing was asked yet)
    async for earlier in channel.history(limit=THREAD_LOOKBACK, before=message):
        if earlier.author.id == me.id and question_token(earlier):
            return earlier
    return None


async def answer_typed(bot: ReviveBot, message: discord.Message) -> bool:
    """Complete the bot's open question with what the asker typed; True when the message was one."""
    question = await open_question(bot, message)
    me = bot.user
    if question is None or me is None:
        return False
    token = question_token(question)
    if token is None:
        return False
    author = message.author
    helper = isinstance(author, discord.Member) and is_helper(bot, author, author.guild_permissions)
    actor = Actor(str(author.id), PLATFORM, is_asker=await asker_of(question, me.id) == author.id, is_helper=helper)
    view = await bot.conversation.reply_text(token, message.content, actor)
    if view.kind == "not_allowed":
        return False  # someone else chatting in the thread: not ours to answer
    parts = message_parts(view, components(view))
    if view.delivery == "edit" and len(parts) == 1:
        await question.edit(**{"embeds": [], "content": None, "view": None, **parts[0]}, allowed_mentions=NO_MENTIONS)
    else:
        await reply(message, view)
    return True
