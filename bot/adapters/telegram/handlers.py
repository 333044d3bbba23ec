"""Telegram update handlers: updates in, triage requests to the core, HTML messages out.

No triage logic lives here. The handlers decide *whether* to ask the core (a
private message, /fix, a mention, a reply to the bot, auto mode in a group),
*what text* to send it (the message without the command or the bot's @name),
and how to show the answer (HTML, keyboards, replies). Whether a message is
about an iPhone problem, and how confident that is, is the core's answer.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace

from telegram import (
    Bot,
    CallbackQuery,
    Chat,
    ChatMember,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from bot.core import Triage, TriageAnswer, TriageRequest
from bot.core.answer import PROCEDURE_IDS, ModelRef, Procedure
from bot.core.callbacks import ButtonState, decode
from bot.settings import Settings
from bot.store.base import Outcome, OutcomeKind, Platform, Store

from . import keyboards, render

log = logging.getLogger(__name__)

PLATFORM: Platform = "telegram"
MAX_REQUEST_CHARS = 8000
INLINE_CACHE_SECONDS = 60
MAX_INLINE_RESULTS = 20
MAX_INLINE_CANDIDATES = 6
MAX_REMEMBERED_ANSWERS = 1000
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
APOLOGY = "Sorry, something went wrong on my side. Please try again in a minute."
ADMIN_STATUSES = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
GROUP_TYPES = (Chat.GROUP, Chat.SUPERGROUP)

HELP_LINES = (
    "Tell me what your iPhone is doing (and which model it is) and I'll answer with safe, "
    "model-specific steps, least risky first, with what each step does to your data.",
    "",
    "/fix TEXT: triage a problem (in groups, also as a reply to someone's message)",
    "/steps [MODEL]: force restart, recovery and DFU steps for one model",
    "/model: remember your iPhone model for next time",
    "/forget: delete everything I stored about you",
    "/auto on|off: (group admins) answer clear iPhone problems without being asked",
    "/help: this message",
    "",
    "In groups I answer /fix, mentions of me and replies to my messages. "
    "In any chat you can type my @name followed by a model and a problem, e.g. iphone 7 dfu.",
)


def duration(seconds: int) -> str:
    """'5 minutes', '1 minute', '45 seconds'."""
    if seconds >= 60 and seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def command_argument(message: Message) -> str:
    """The text after '/command' (keeps line breaks, unlike context.args)."""
    text = message.text or message.caption or ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


class TelegramHandlers:
    """The bot's handlers, bound to one core, one store and the settings."""

    def __init__(
        self,
        settings: Settings,
        triage: Triage,
        store: Store,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.triage = triage
        self.store = store
        self.clock = clock
        self._last_auto_answer: dict[tuple[int, int], float] = {}
        # (chat, last part) -> every part of an auto answer, so "Not my issue" removes all of it.
        self._answer_parts: OrderedDict[tuple[int, int], tuple[int, ...]] = OrderedDict()

    # ------------------------------------------------------------------ helpers
    async def send(
        self,
        bot: Bot,
        chat_id: int,
        chunks: Sequence[str],
        *,
        keyboard: InlineKeyboardMarkup | None = None,
        reply_to: int | None = None,
        thread_id: int | None = None,
        reply_every: bool = False,
    ) -> list[Message]:
        """Send HTML chunks in order; the first (or, with ``reply_every``, each) replies to ``reply_to``.

        The last chunk carries the keyboard. Returns the sent messages.
        """
        sent: list[Message] = []
        for index, chunk in enumerate(chunks):
            is_last = index == len(chunks) - 1
            message = await bot.send_message(
                chat_id=chat_id,
                text=chunk,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard if is_last else None,
                reply_parameters=(
                    ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
                    if reply_to is not None and (index == 0 or reply_every)
                    else None
                ),
                message_thread_id=thread_id,
                link_preview_options=NO_PREVIEW,
            )
            sent.append(message)
        return sent

    @staticmethod
    def thread_of(message: Message) -> int | None:
        """Forum topics: answer inside the topic the message came from."""
        return message.message_thread_id if message.is_topic_message else None

    def request_text(self, message: Message, bot_username: str) -> str:
        """What the user wrote, without a leading /command and without mentions of this bot."""
        text = message.text or message.caption or ""
        if text.startswith("/"):
            text = command_argument(message)
        if bot_username:
            text = re.sub(rf"@{re.escape(bot_username)}\b", " ", text, flags=re.IGNORECASE)
        return text.strip()[:MAX_REQUEST_CHARS]

    async def answer_for(self, text: str, user_id: int | None) -> TriageAnswer:
        """Ask the core; when the text names no model, use the one the user asked us to remember."""
        answer = await self.triage.answer(TriageRequest(text))
        if answer.model is not None or answer.status == "off_topic" or user_id is None:
            return answer
        remembered = await self.store.remembered_model(PLATFORM, str(user_id))
        if remembered is None:
            return answer
        candidates = {m.id for m in answer.model_candidates}
        if candidates and remembered not in candidates:
            return answer
        return await self.triage.answer(TriageRequest(text, model_id=remembered))

    async def reply_with_answer(
        self,
        bot: Bot,
        message: Message,
        answer: TriageAnswer,
        *,
        reply_to: int | None,
        footer: Sequence[str] = (),
        dismissable: bool = False,
    ) -> None:
        """Send an answer: a model picker when it needs the model, ladder buttons when answered."""
        keyboard: InlineKeyboardMarkup | None
        needs_model = answer.status == "needs_model"
        if needs_model:
            keyboard = keyboards.picker_for(answer, self.triage.picker_models())
            # The picker replies to the question, so a press can re-read what was asked.
            reply_to = reply_to if reply_to is not None else message.message_id
        else:
            keyboard = keyboards.answer_keyboard(answer, dismissable=dismissable)
        log.info(
            "telegram answer chat_type=%s status=%s symptom=%s model=%s answer_id=%s",
            message.chat.type,
            answer.status,
            answer.top_symptom,
            answer.model.id if answer.model else None,
            answer.answer_id,
        )
        sent = await self.send(
            bot,
            message.chat_id,
            render.render_answer(answer, footer=footer),
            keyboard=keyboard,
            reply_to=reply_to,
            thread_id=self.thread_of(message),
            # In groups every part quotes the question; a picker always does (a press re-reads it).
            reply_every=needs_model or message.chat.type != Chat.PRIVATE,
        )
        if dismissable and sent:
            self._answer_parts[(message.chat_id, sent[-1].message_id)] = tuple(m.message_id for m in sent)
            while len(self._answer_parts) > MAX_REMEMBERED_ANSWERS:
                self._answer_parts.popitem(last=False)

    async def triage_message(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, *, reply_to: int | None
    ) -> None:
        message = update.effective_message
        if message is None:
            return
        if not text:
            await self.send(
                context.bot,
                message.chat_id,
                render.render_text(
                    None, ["Tell me what your iPhone is doing, e.g. /fix my iPhone 12 is stuck on the Apple logo"]
                ),
                reply_to=message.message_id if message.chat.type != Chat.PRIVATE else None,
                thread_id=self.thread_of(message),
            )
            return
        user = update.effective_user
        answer = await self.answer_for(text, user.id if user else None)
        await self.reply_with_answer(context.bot, message, answer, reply_to=reply_to)

    async def is_admin(self, bot: Bot, message: Message) -> bool:
        if message.sender_chat is not None and message.sender_chat.id == message.chat_id:
            return True  # an anonymous admin posting as the group
        if message.from_user is None:
            return False
        member = await bot.get_chat_member(message.chat_id, message.from_user.id)
        return member.status in ADMIN_STATUSES

    def model_ref(self, model_id: str) -> ModelRef | None:
        return self.triage.model(model_id) if model_id else None

    def procedures_for(self, model_id: str) -> list[Procedure]:
        found = (self.triage.procedure(model_id, pid) for pid in PROCEDURE_IDS)
        return [p for p in found if p is not None]

    # ------------------------------------------------------------------ commands
    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Greets, says what the bot does and offers a model picker (remembered for next time)."""
        message = update.effective_message
        if message is None:
            return
        if message.chat.type != Chat.PRIVATE:
            await self.help(update, context)
            return
        user = update.effective_user
        name = user.first_name if user else "there"
        lines = [*HELP_LINES, "", "Which iPhone do you have? Tap it and I'll remember it (/forget deletes it)."]
        await self.send(
            context.bot,
            message.chat_id,
            render.render_text(f"Hi {name}! I'm Revive: I help when an iPhone won't start.", lines),
            keyboard=keyboards.model_picker(self.triage.picker_models(), verb="remember"),
        )

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Lists what the bot can do."""
        message = update.effective_message
        if message is None:
            return
        await self.send(
            context.bot,
            message.chat_id,
            render.render_text("Revive: iPhone recovery help", HELP_LINES),
            thread_id=self.thread_of(message),
        )

    async def fix(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/fix TEXT, or /fix as a reply to someone's message: triage it and reply to it."""
        message = update.effective_message
        if message is None:
            return
        text = command_argument(message)
        replied = message.reply_to_message
        reply_to: int | None = message.message_id if message.chat.type != Chat.PRIVATE else None
        if replied is not None and replied.from_user is not None and replied.from_user.id != context.bot.id:
            original = replied.text or replied.caption or ""
            text = f"{original}\n{text}".strip()
            reply_to = replied.message_id
        await self.triage_message(update, context, text[:MAX_REQUEST_CHARS], reply_to=reply_to)

    async def steps(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/steps [MODEL]: the button procedures for one model."""
        message = update.effective_message
        if message is None:
            return
        query = command_argument(message)
        model: ModelRef | None = None
        if query:
            found = self.triage.search_models(query, limit=1)
            model = found[0] if found else None
        elif update.effective_user is not None:
            remembered = await self.store.remembered_model(PLATFORM, str(update.effective_user.id))
            model = self.model_ref(remembered) if remembered else None
        if model is None:
            intro = f"I don't know the model \u201c{query}\u201d. " if query else ""
            await self.send(
                context.bot,
                message.chat_id,
                render.render_text(None, [f"{intro}Which iPhone? Tap it, or send /steps followed by the model."]),
                keyboard=keyboards.model_picker(self.triage.picker_models(), verb="model"),
                reply_to=message.message_id,
                thread_id=self.thread_of(message),
            )
            return
        await self.send_procedures(context.bot, message.chat_id, model, thread_id=self.thread_of(message))

    async def send_procedures(self, bot: Bot, chat_id: int, model: ModelRef, *, thread_id: int | None) -> None:
        procedures = self.procedures_for(model.id)
        chunks = render.render_procedures(model, procedures) if procedures else render.render_no_procedures(model)
        await self.send(bot, chat_id, chunks, thread_id=thread_id)

    async def model(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/model [MODEL]: remember the user's iPhone for next time."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        query = command_argument(message)
        found = self.triage.search_models(query, limit=1) if query else ()
        if found:
            await self.store.remember_model(PLATFORM, str(user.id), found[0].id)
            await self.send(
                context.bot, message.chat_id, self.remembered_text(found[0]), thread_id=self.thread_of(message)
            )
            return
        await self.send(
            context.bot,
            message.chat_id,
            render.render_text(None, ["Which iPhone do you have? I'll remember it for next time."]),
            keyboard=keyboards.model_picker(self.triage.picker_models(), verb="remember"),
            thread_id=self.thread_of(message),
        )

    @staticmethod
    def remembered_text(model: ModelRef) -> list[str]:
        return render.render_text(
            f"Saved: {model.name}",
            ["I'll use it when your message doesn't name a model. /forget deletes it."],
        )

    async def forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/forget: delete everything stored about the user."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        removed = await self.store.forget_user(PLATFORM, str(user.id))
        for key in [k for k in self._last_auto_answer if k[1] == user.id]:
            del self._last_auto_answer[key]
        await self.send(
            context.bot,
            message.chat_id,
            render.render_text(None, [f"Done: I deleted everything I stored about you ({removed} records)."]),
            thread_id=self.thread_of(message),
        )

    async def auto(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/auto on|off (group admins): answer confident iPhone problems without being asked."""
        message = update.effective_message
        if message is None:
            return
        bot, chat_id, thread = context.bot, message.chat_id, self.thread_of(message)
        if message.chat.type not in GROUP_TYPES:
            lines = ["Auto mode is for groups. Here in our private chat I answer every message."]
            await self.send(bot, chat_id, render.render_text(None, lines))
            return
        current = await self.store.chat_settings(PLATFORM, str(chat_id))
        choice = command_argument(message).lower()
        if choice not in ("on", "off"):
            state = "on" if current.auto_mode else "off"
            lines = [f"Auto mode is {state} here. A group admin can change it with /auto on or /auto off."]
            await self.send(
                bot, chat_id, render.render_text(None, lines), reply_to=message.message_id, thread_id=thread
            )
            return
        if not await self.is_admin(bot, message):
            lines = ["Only a group admin can change auto mode."]
            await self.send(
                bot, chat_id, render.render_text(None, lines), reply_to=message.message_id, thread_id=thread
            )
            return
        await self.store.save_chat_settings(PLATFORM, str(chat_id), replace(current, auto_mode=choice == "on"))
        log.info("telegram auto mode %s in chat %s", choice, chat_id)
        if choice == "off":
            lines = ["Auto mode is off. I'll only answer /fix, mentions of me and replies to my messages."]
            await self.send(
                bot, chat_id, render.render_text(None, lines), reply_to=message.message_id, thread_id=thread
            )
            return
        lines = [
            "Auto mode is on. I'll answer messages that are clearly about an iPhone problem, at most once per "
            f"person every {duration(current.cooldown_seconds)}. Turn it off with /auto off."
        ]
        if not await self.can_see_group_messages(bot, chat_id):
            lines += [
                "",
                "But I can't see ordinary messages in this group yet: Telegram's privacy mode hides them from "
                "bots. Fix it in one of two ways:",
                "- make me an admin of this group, or",
                f"- have my owner send /setprivacy to @BotFather, choose @{bot.username}, pick Disable, "
                "then remove me from this group and add me again.",
            ]
        await self.send(bot, chat_id, render.render_text(None, lines), reply_to=message.message_id, thread_id=thread)

    async def can_see_group_messages(self, bot: Bot, chat_id: int) -> bool:
        """Privacy mode off, or an admin of this chat (admins see every message)."""
        if bot.can_read_all_group_messages:
            return True
        member = await bot.get_chat_member(chat_id, bot.id)
        return member.status in ADMIN_STATUSES

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A command this bot doesn't have (private chats only)."""
        message = update.effective_message
        if message is None:
            return
        await self.send(
            context.bot, message.chat_id, render.render_text(None, ["I don't know that command. Try /help."])
        )

    # ------------------------------------------------------------------ plain messages
    async def private_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Private chat: every message gets a triage answer."""
        message = update.effective_message
        if message is None:
            return
        await self.triage_message(update, context, self.request_text(message, context.bot.username), reply_to=None)

    async def group_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Groups: answer mentions and replies to the bot; otherwise only in auto mode."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or user.is_bot:
            return
        bot = context.bot
        replied = message.reply_to_message
        replied_to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == bot.id
        if self.mentions_bot(message, bot) or replied_to_bot:
            text = self.request_text(message, bot.username)
            reply_to = message.message_id
            if not text and replied is not None and not replied_to_bot:
                # "@bot" sent as a reply to someone's message: triage that message.
                text = self.request_text(replied, bot.username)
                reply_to = replied.message_id
            await self.triage_message(update, context, text, reply_to=reply_to)
            return
        await self.auto_answer(update, context, message, user.id)

    @staticmethod
    def mentions_bot(message: Message, bot: Bot) -> bool:
        entities = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
        if not entities and message.caption:
            entities = message.parse_caption_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
        for entity, text in entities.items():
            if entity.type == MessageEntity.MENTION and text.lower() == f"@{bot.username}".lower():
                return True
            if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot.id:
                return True
        return False

    async def auto_answer(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message, user_id: int
    ) -> None:
        """Auto mode: answer only confident iPhone problems, once per user per cooldown."""
        chat_settings = await self.store.chat_settings(PLATFORM, str(message.chat_id))
        if not chat_settings.auto_mode:
            return
        key = (message.chat_id, user_id)
        now = self.clock()
        last = self._last_auto_answer.get(key)
        if last is not None and now - last < chat_settings.cooldown_seconds:
            return
        text = self.request_text(message, context.bot.username)
        if not text:
            return
        answer = await self.answer_for(text, user_id)
        if answer.status != "answered" or answer.confidence < self.settings.auto_min_confidence:
            return
        self._last_auto_answer[key] = now
        self._prune_cooldowns(now, chat_settings.cooldown_seconds)
        footer = ["Auto mode is on in this group. An admin can turn it off with /auto off."]
        await self.reply_with_answer(
            context.bot, message, answer, reply_to=message.message_id, footer=footer, dismissable=True
        )

    def _prune_cooldowns(self, now: float, cooldown: int) -> None:
        if len(self._last_auto_answer) > 10_000:
            horizon = max(cooldown, self.settings.auto_cooldown_seconds)
            for key, at in list(self._last_auto_answer.items()):
                if now - at >= horizon:
                    del self._last_auto_answer[key]

    # ------------------------------------------------------------------ buttons
    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every callback query is answered, first thing, whatever happens next."""
        query = update.callback_query
        if query is None:
            return
        state = decode(query.data or "")
        message = query.message if isinstance(query.message, Message) and query.message.is_accessible else None
        if state is None or message is None:
            await query.answer("This button has expired. Send me your problem again.")
            return
        if state.verb == "worked":
            await query.answer("Great, glad it's working again!")
            await self.record(state, "worked", query.from_user.id)
            await self.drop_keyboard(message)
        elif state.verb == "next":
            await query.answer()
            await self.drop_keyboard(message)
            await self.record(state, "failed", query.from_user.id)
            await self.next_step(context.bot, message, state)
        elif state.verb == "dfu":
            await query.answer()
            model = self.model_ref(state.model_id)
            if model is None:
                return
            dfu = self.triage.procedure(model.id, "dfu_mode")
            chunks = render.render_procedures(model, [dfu]) if dfu else render.render_no_procedures(model)
            await self.send(context.bot, message.chat_id, chunks, thread_id=self.thread_of(message))
        elif state.verb == "model":
            await self.picked_model(context.bot, query, message, state)
        elif state.verb == "remember":
            model = self.model_ref(state.model_id)
            if model is None:
                await query.answer("I don't know that model any more. Try /model again.")
                return
            await query.answer(f"Saved: {model.name}")
            await self.store.remember_model(PLATFORM, str(query.from_user.id), model.id)
            await message.edit_text(
                self.remembered_text(model)[0], parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
            )
        else:  # dismiss
            await self.dismiss(context.bot, query, message, state)

    async def picked_model(self, bot: Bot, query: CallbackQuery, message: Message, state: ButtonState) -> None:
        model = self.model_ref(state.model_id)
        if model is None:
            await query.answer("I don't know that model any more. Tell me your model in words.")
            return
        await query.answer()
        asked = message.reply_to_message
        text = self.request_text(asked, bot.username) if asked is not None else ""
        with contextlib.suppress(BadRequest):  # "message is not modified" after a double tap
            await message.edit_text(f"\u2714 <b>{render.escape(model.name)}</b>", parse_mode=ParseMode.HTML)
        if not text and not state.symptom_id:
            await self.send_procedures(bot, message.chat_id, model, thread_id=self.thread_of(message))
            return
        answer = await self.triage.answer(TriageRequest(text, model_id=model.id, symptom_id=state.symptom_id or None))
        await self.reply_with_answer(bot, message, answer, reply_to=asked.message_id if asked is not None else None)

    async def next_step(self, bot: Bot, message: Message, state: ButtonState) -> None:
        index = state.step + 1
        step = await self.triage.step(state.symptom_id, state.model_id or None, index)
        model = self.model_ref(state.model_id)
        thread = self.thread_of(message)
        if step is None:
            lines = [
                "That was the last step I can suggest from here. The phone most likely needs a repair: "
                "contact Apple Support or an Apple Authorized Service Provider."
            ]
            await self.send(bot, message.chat_id, render.render_text(None, lines), thread_id=thread)
            return
        has_next = await self.triage.step(state.symptom_id, state.model_id or None, index + 1) is not None
        keyboard = keyboards.ladder_keyboard(
            answer_id=state.answer_id,
            symptom_id=state.symptom_id,
            model_id=state.model_id,
            step=index,
            has_next=has_next,
            show_dfu=bool(state.model_id) and step.action != "dfu_restore",
        )
        await self.send(
            bot, message.chat_id, render.render_step(step, index + 1, model), keyboard=keyboard, thread_id=thread
        )

    async def dismiss(self, bot: Bot, query: CallbackQuery, message: Message, state: ButtonState) -> None:
        user_id = query.from_user.id
        asked = message.reply_to_message
        allowed = asked is None or (asked.from_user is not None and asked.from_user.id == user_id)
        if not allowed:
            member = await bot.get_chat_member(message.chat_id, user_id)
            allowed = member.status in ADMIN_STATUSES
        if not allowed:
            await query.answer("Only the person who asked or an admin can remove this.")
            return
        await query.answer("Thanks, I removed my answer.")
        await self.record(state, "not_helpful", user_id)
        parts = self._answer_parts.pop((message.chat_id, message.message_id), (message.message_id,))
        try:
            await bot.delete_messages(message.chat_id, parts)
        except BadRequest:  # too old to delete (48 hours): at least take the buttons away
            await self.drop_keyboard(message)

    async def drop_keyboard(self, message: Message) -> None:
        if message.reply_markup is None:
            return
        with contextlib.suppress(BadRequest):
            await message.edit_reply_markup(reply_markup=None)

    async def record(self, state: ButtonState, kind: OutcomeKind, user_id: int) -> None:
        """Store the press (ids and the ladder position only, never message text)."""
        model = self.model_ref(state.model_id)
        step = (
            await self.triage.step(state.symptom_id, state.model_id or None, state.step) if state.symptom_id else None
        )
        await self.store.record_outcome(
            Outcome(
                answer_id=state.answer_id,
                platform=PLATFORM,
                user_id=str(user_id),
                kind=kind,
                symptom_id=state.symptom_id,
                family=(model.family or "") if model else "",
                step=state.step,
                action=step.action if step else "none",
            )
        )

    # ------------------------------------------------------------------ inline mode
    async def inline(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """'@bot iphone 7 dfu' in any chat: the matching steps as results."""
        inline_query = update.inline_query
        if inline_query is None:
            return
        text = inline_query.query.strip()[:MAX_REQUEST_CHARS]
        results: list[InlineQueryResultArticle] = []
        if text:
            answer = await self.answer_for(text, inline_query.from_user.id)
            answers = [answer]
            if answer.status == "needs_model":
                for candidate in (answer.model_candidates or self.triage.picker_models())[:MAX_INLINE_CANDIDATES]:
                    answers.append(
                        await self.triage.answer(
                            TriageRequest(text, model_id=candidate.id, symptom_id=answer.top_symptom)
                        )
                    )
            seen: set[str] = set()
            for item in answers:
                for result in self.inline_results(item):
                    if result.id not in seen and len(results) < MAX_INLINE_RESULTS:
                        seen.add(result.id)
                        results.append(result)
        await inline_query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=True)

    def inline_results(self, answer: TriageAnswer) -> list[InlineQueryResultArticle]:
        results: list[InlineQueryResultArticle] = []
        model = answer.model
        if model is not None:
            for procedure in answer.procedures:  # the procedures the core says the question is about
                results.append(
                    InlineQueryResultArticle(
                        id=f"p-{procedure.id}-{model.id}"[:64],
                        title=f"{procedure.title}: {model.name}",
                        description=procedure.steps[0] if procedure.steps else None,
                        input_message_content=InputTextMessageContent(
                            render.render_procedures(model, [procedure])[0],
                            parse_mode=ParseMode.HTML,
                            link_preview_options=NO_PREVIEW,
                        ),
                    )
                )
        if answer.status == "answered":
            results.insert(
                0,
                InlineQueryResultArticle(
                    id=f"a-{answer.top_symptom or ''}-{model.id if model else ''}"[:64],
                    title=answer.headline,
                    description=answer.ladder[0].title if answer.ladder else None,
                    input_message_content=InputTextMessageContent(
                        render.render_answer(answer)[0], parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
                    ),
                ),
            )
        return results

    # ------------------------------------------------------------------ errors
    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log with the traceback first, then send the user a short apology (never a traceback)."""
        log.error("Exception while handling a Telegram update", exc_info=context.error)
        if not isinstance(update, Update) or isinstance(context.error, (Forbidden, RetryAfter)):
            return
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer(APOLOGY)
        chat, message = update.effective_chat, update.effective_message
        if chat is None:
            return
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(
                chat.id,
                render.escape(APOLOGY),
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                message_thread_id=self.thread_of(message) if message is not None else None,
            )
