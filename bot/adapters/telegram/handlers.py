"""Telegram update handlers: updates in, conversation calls out, views rendered as HTML messages.

No conversation rule lives here. The handlers decide *whether* to ask the core (a
private message, /fix, a mention, a reply to the bot, auto mode in a group), *who*
is asking or pressing (the asker, a chat admin, or someone else), and *how* to show
the view the conversation returns (one HTML message with its offers as buttons, an
edit of the pressed message, or a private alert). What comes next, who may act,
and what is recorded are the conversation's answers (bot/core/conversation.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable
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

from bot.core import Triage, TriageRequest
from bot.core.answer import ProcedureId
from bot.core.callbacks import unpack
from bot.core.conversation import Actor, Conversation, question_token, worth_an_unprompted_answer
from bot.core.cooldown import Cooldowns
from bot.core.views import View
from bot.settings import Settings
from bot.store.base import Platform, Store

from . import keyboards, render

log = logging.getLogger(__name__)

PLATFORM: Platform = "telegram"
MAX_REQUEST_CHARS = 8000
INLINE_CACHE_SECONDS = 60
MAX_INLINE_RESULTS = 20
MAX_INLINE_CANDIDATES = 6
MAX_TRACKED_ASKERS = 4096
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
APOLOGY = "Sorry, something went wrong on my side. Please try again in a minute."
EXPIRED = "This button has expired. Send me your problem again."
SENT_PRIVATELY = "I sent it to you in our private chat."
OPEN_PRIVATE_CHAT = "Open a private chat with me and press Start, then press this button again to read it there."
AUTO_FOOTER = "Auto mode is on in this group. An admin can turn it off with /auto off."
ADMIN_STATUSES = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
GROUP_TYPES = (Chat.GROUP, Chat.SUPERGROUP)
# Private chats: a message this short right after a question answers it, unless the core is at least this
# sure it describes a new problem ("iPhone 12" answers; "my iphone 7 won't turn on" is a new question).
SHORT_ANSWER_WORDS = 8
NEW_PROBLEM_CONFIDENCE = 0.8
STEPS_PROCEDURES: tuple[ProcedureId, ...] = ("force_restart", "recovery_mode", "dfu_mode")

HELP_LINES = (
    "Tell me what your iPhone is doing (and which model it is). I answer with the one safe step to do "
    "now, and the next one if it doesn't work.",
    "",
    "/fix TEXT: triage a problem (in groups, also as a reply to someone's message)",
    "/steps [MODEL]: force restart, recovery and DFU steps for one model",
    "/model: remember your iPhone model for next time",
    "/forget: delete everything I stored about you",
    "/auto on|off: (group admins) answer clear iPhone problems without being asked",
    "/help: this message",
    "",
    "In groups I answer /fix, mentions of me and replies to my messages; only the person who asked "
    "(or an admin) can use the buttons under an answer. In any chat you can type my @name followed "
    "by a model and a problem, e.g. iphone 7 dfu.",
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


def with_auto_footer(view: View) -> View:
    """An unprompted answer says how to turn auto mode off (its last line)."""
    return replace(view, extras=(*view.extras, AUTO_FOOTER))


def inline_result_id(view: View) -> str:
    """The same result for the same answer (the answer id is random per question, so it is left out)."""
    digest = hashlib.sha256(f"{view.kind}|{view.headline}|{view.notice}".encode()).hexdigest()[:16]
    return f"{view.kind}-{digest}"


def keyboard_tokens(message: Message) -> list[str]:
    """The callback data of a message's inline buttons."""
    markup = message.reply_markup
    if markup is None:
        return []
    return [str(b.callback_data) for row in markup.inline_keyboard for b in row if b.callback_data is not None]


class TelegramHandlers:
    """The bot's handlers, bound to one conversation, one store and the settings."""

    def __init__(
        self,
        settings: Settings,
        triage: Triage,
        store: Store,
        *,
        clock: Callable[[], float] = time.monotonic,
        conversation: Conversation | None = None,
    ) -> None:
        self.settings = settings
        self.triage = triage
        self.store = store
        self.clock = clock
        self.conversation = conversation or Conversation(triage, store)
        self.cooldowns = Cooldowns(clock=clock)  # (chat, user) -> last automatic answer
        # (chat, bot message) -> the asker, for typed replies (Telegram nests a replied message one level only).
        self._askers: OrderedDict[tuple[int, int], int] = OrderedDict()
        # chat -> (message, token) of the bot's newest view when it is a question (typed answers in private chats).
        self._open_questions: OrderedDict[int, tuple[int, str]] = OrderedDict()

    # ------------------------------------------------------------------ sending views
    async def send(
        self,
        bot: Bot,
        chat_id: int,
        chunks: list[str],
        *,
        keyboard: InlineKeyboardMarkup | None = None,
        reply_to: int | None = None,
        thread_id: int | None = None,
    ) -> list[Message]:
        """Send HTML chunks in order; the first replies to ``reply_to``, the last carries the keyboard."""
        sent: list[Message] = []
        for index, chunk in enumerate(chunks):
            message = await bot.send_message(
                chat_id=chat_id,
                text=chunk,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard if index == len(chunks) - 1 else None,
                reply_parameters=(
                    ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
                    if reply_to is not None and index == 0
                    else None
                ),
                message_thread_id=thread_id,
                link_preview_options=NO_PREVIEW,
            )
            sent.append(message)
        return sent

    async def send_view(
        self, bot: Bot, chat_id: int, view: View, *, reply_to: int | None, thread_id: int | None, asker: int | None
    ) -> list[Message]:
        """A view as a message replying to the question, with its offers as buttons."""
        log.info(
            "telegram view kind=%s status=%s answer_id=%s offers=%s",
            view.kind,
            view.status,
            view.answer_id,
            ",".join(view.offer_verbs),
        )
        sent = await self.send(
            bot,
            chat_id,
            render.render_view(view),
            keyboard=keyboards.view_keyboard(view, details_left=render.details_left(view)),
            reply_to=reply_to,
            thread_id=thread_id,
        )
        if asker is not None and sent:
            self._remember_asker(chat_id, sent[-1].message_id, asker)
        if sent:
            self._track_question(chat_id, sent[-1].message_id, view)
        return sent

    def _remember_asker(self, chat_id: int, message_id: int, asker: int) -> None:
        self._askers[(chat_id, message_id)] = asker
        while len(self._askers) > MAX_TRACKED_ASKERS:
            self._askers.popitem(last=False)

    def _track_question(self, chat_id: int, message_id: int, view: View) -> None:
        """The chat's open question is the newest view, if it asks something (the model, the layout)."""
        self._open_questions.pop(chat_id, None)
        token = question_token(offer.token for offer in view.offers)
        if token is not None:
            self._open_questions[chat_id] = (message_id, token)
            while len(self._open_questions) > MAX_TRACKED_ASKERS:
                self._open_questions.popitem(last=False)

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

    # ------------------------------------------------------------------ who is acting
    @staticmethod
    def actor(user_id: int, *, is_asker: bool = True, is_helper: bool = False) -> Actor:
        return Actor(str(user_id), PLATFORM, is_asker=is_asker, is_helper=is_helper)

    def asker_of(self, message: Message) -> int | None:
        """Who asked the question a bot message answers: the author of the message it replies to."""
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None:
            return replied.from_user.id
        return self._askers.get((message.chat_id, message.message_id))

    async def actor_on(self, bot: Bot, message: Message, user_id: int) -> Actor:
        """The person acting on a bot message: the asker, a chat admin (helper), or someone else."""
        if message.chat.type == Chat.PRIVATE:
            return self.actor(user_id)
        if self.asker_of(message) == user_id:
            return self.actor(user_id)
        member = await bot.get_chat_member(message.chat_id, user_id)
        return self.actor(user_id, is_asker=False, is_helper=member.status in ADMIN_STATUSES)

    async def is_admin(self, bot: Bot, message: Message) -> bool:
        if message.sender_chat is not None and message.sender_chat.id == message.chat_id:
            return True  # an anonymous admin posting as the group
        if message.from_user is None:
            return False
        member = await bot.get_chat_member(message.chat_id, message.from_user.id)
        return member.status in ADMIN_STATUSES

    # ------------------------------------------------------------------ questions
    async def ask(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, *, question: Message | None = None
    ) -> None:
        """A new question: the conversation's first view, replying to the question (``question`` or the message)."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        question = question or message
        if not text:
            usage = "Tell me what your iPhone is doing, e.g. /fix my iPhone 12 is stuck on the Apple logo"
            await self.send(
                context.bot,
                message.chat_id,
                render.render_text(None, [usage]),
                reply_to=message.message_id if message.chat.type != Chat.PRIVATE else None,
                thread_id=self.thread_of(message),
            )
            return
        asker = question.from_user.id if question.from_user is not None else user.id
        view = await self.conversation.start(TriageRequest(text[:MAX_REQUEST_CHARS]), self.actor(asker))
        await self.send_view(
            context.bot,
            message.chat_id,
            view,
            reply_to=question.message_id,
            thread_id=self.thread_of(message),
            asker=asker,
        )

    async def typed_reply(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, question: Message, text: str
    ) -> bool:
        """A typed reply to the bot's question ("it's a 7"); False when ``question`` asks nothing."""
        user = update.effective_user
        token = question_token(keyboard_tokens(question))
        if user is None or token is None:
            return False
        actor = await self.actor_on(context.bot, question, user.id)
        asker = self.asker_of(question) or user.id
        await self.answer_question(update, context, question.message_id, token, text, actor, asker=asker)
        return True

    async def answers_open_question(self, chat_id: int, text: str) -> tuple[int, str] | None:
        """Private chats: the bot's open question a message answers without quoting it, if any.

        Right after "Which iPhone is it?" people type "iPhone 12" without replying. A short message
        answers the question unless the core reads it as a new problem it is sure of.
        """
        question = self._open_questions.get(chat_id)
        if question is None or len(text.split()) > SHORT_ANSWER_WORDS:
            return None
        answer = await self.triage.answer(TriageRequest(text))
        new_problem = answer.status in ("answered", "needs_model") and answer.confidence >= NEW_PROBLEM_CONFIDENCE
        return None if new_problem else question

    async def answer_question(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        question_id: int,
        token: str,
        text: str,
        actor: Actor,
        *,
        asker: int,
    ) -> None:
        """The conversation's view for a typed answer, replying to it; the question's buttons go."""
        message = update.effective_message
        if message is None:
            return
        view = await self.conversation.reply_text(token, text, actor)
        if view.kind == "not_allowed":
            return  # someone else's question: a typed reply can't be answered privately, so it is left alone
        with contextlib.suppress(BadRequest):  # the question is answered: its buttons go
            await context.bot.edit_message_reply_markup(message.chat_id, question_id, reply_markup=None)
        await self.send_view(
            context.bot,
            message.chat_id,
            replace(view, delivery="reply"),
            reply_to=message.message_id,
            thread_id=self.thread_of(message),
            asker=asker,
        )

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
            keyboard=keyboards.offers_keyboard(self.conversation.remember_picker().offers),
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
        question: Message | None = None
        if replied is not None and replied.from_user is not None and replied.from_user.id != context.bot.id:
            original = replied.text or replied.caption or ""
            text = f"{original}\n{text}".strip()
            question = replied
        await self.ask(update, context, text, question=question)

    async def steps(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/steps [MODEL]: force restart, recovery mode and DFU mode (behind the erase gate) for one model."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        query = command_argument(message)
        model_id = ""
        if query:
            found = self.triage.search_models(query, limit=1)
            model_id = found[0].id if found else ""
        else:
            model_id = await self.store.remembered_model(PLATFORM, str(user.id)) or ""
        thread, actor = self.thread_of(message), self.actor(user.id)
        if not model_id:  # the conversation asks for the button layout
            if query:
                await self.send(
                    context.bot,
                    message.chat_id,
                    render.render_text(None, [f"I don't know the model \u201c{query}\u201d."]),
                    reply_to=message.message_id,
                    thread_id=thread,
                )
            view = await self.conversation.procedure("force_restart", actor)
            await self.send_view(
                context.bot, message.chat_id, view, reply_to=message.message_id, thread_id=thread, asker=user.id
            )
            return
        for procedure_id in STEPS_PROCEDURES:
            view = await self.conversation.procedure(procedure_id, actor, model_id=model_id)
            await self.send_view(
                context.bot, message.chat_id, view, reply_to=message.message_id, thread_id=thread, asker=user.id
            )

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
                context.bot,
                message.chat_id,
                render.render_text(
                    f"Saved: {found[0].name}",
                    ["I'll use it when your message doesn't name a model. /forget deletes it."],
                ),
                thread_id=self.thread_of(message),
            )
            return
        await self.send_view(
            context.bot,
            message.chat_id,
            self.conversation.remember_picker(),
            reply_to=None,
            thread_id=self.thread_of(message),
            asker=None,
        )

    async def forget(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/forget: delete everything stored about the user."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        removed = await self.store.forget_user(PLATFORM, str(user.id))
        self.cooldowns.forget_user(user.id)
        for key in [k for k, asker in self._askers.items() if asker == user.id]:
            del self._askers[key]
        self._open_questions.pop(message.chat_id, None)
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
        """Private chat: a reply to the bot's question completes it; any other message is a new question."""
        message = update.effective_message
        if message is None:
            return
        text = self.request_text(message, context.bot.username)
        replied = message.reply_to_message
        to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
        if to_bot and replied is not None and text and await self.typed_reply(update, context, replied, text):
            return
        open_question = await self.answers_open_question(message.chat_id, text) if replied is None and text else None
        if open_question is not None and update.effective_user is not None:
            user_id = update.effective_user.id
            question_id, token = open_question
            await self.answer_question(update, context, question_id, token, text, self.actor(user_id), asker=user_id)
            return
        await self.ask(update, context, text)

    async def group_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Groups: answer mentions and replies to the bot; otherwise only in auto mode."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or user.is_bot:
            return
        bot = context.bot
        replied = message.reply_to_message
        replied_to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == bot.id
        text = self.request_text(message, bot.username)
        if replied_to_bot and replied is not None and text and await self.typed_reply(update, context, replied, text):
            return
        if self.mentions_bot(message, bot) or replied_to_bot:
            if not text and replied is not None and not replied_to_bot:
                # "@bot" sent as a reply to someone's message: triage that message.
                await self.ask(update, context, self.request_text(replied, bot.username), question=replied)
                return
            await self.ask(update, context, text)
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
        """Auto mode: answer confident iPhone problems (and any damaged phone), once per user per cooldown."""
        chat_settings = await self.store.chat_settings(PLATFORM, str(message.chat_id))
        if not chat_settings.auto_mode:
            return
        if self.cooldowns.active(message.chat_id, user_id, chat_settings.cooldown_seconds):
            return
        text = self.request_text(message, context.bot.username)
        if not text:
            return
        request = TriageRequest(text)
        if not worth_an_unprompted_answer(await self.triage.answer(request), self.settings.auto_min_confidence):
            return
        self.cooldowns.start(message.chat_id, user_id)
        view = with_auto_footer(await self.conversation.start(request, self.actor(user_id), auto=True))
        await self.send_view(
            context.bot,
            message.chat_id,
            view,
            reply_to=message.message_id,
            thread_id=self.thread_of(message),
            asker=user_id,
        )

    # ------------------------------------------------------------------ buttons
    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A press: the conversation decides (and writes any outcome first); the view is shown as it says.

        Every callback query is answered exactly once, whatever happens.
        """
        query = update.callback_query
        if query is None:
            return
        message = query.message if isinstance(query.message, Message) and query.message.is_accessible else None
        if message is None or unpack(query.data or "") is None:
            await query.answer(EXPIRED)
            return
        actor = await self.actor_on(context.bot, message, query.from_user.id)
        view = await self.conversation.press(query.data or "", actor)
        if view.delivery == "private":
            await self.show_privately(context.bot, query, view)
        elif view.delivery == "edit":
            await self.show_in_place(context.bot, query, message, view)
        else:
            await query.answer()
            if view.offers:  # the conversation goes on in the new message (details alone leave the buttons)
                await self.drop_keyboard(message)
            question = message.reply_to_message
            await self.send_view(
                context.bot,
                message.chat_id,
                view,
                reply_to=question.message_id if question is not None else message.message_id,
                thread_id=self.thread_of(message),
                asker=self.asker_of(message),
            )

    async def show_privately(self, bot: Bot, query: CallbackQuery, view: View) -> None:
        """Only the presser sees it: an alert when it is short, else a private message (if they started the bot)."""
        text = render.plain_text(view, limit=10_000)
        if len(text) <= render.ALERT_LIMIT:
            await query.answer(text, show_alert=True)
            return
        try:  # without buttons: pressed in a private chat, they would act on someone else's answer
            await self.send(bot, query.from_user.id, render.render_view(view))
        except (Forbidden, BadRequest):  # they never started a chat with the bot
            await query.answer(OPEN_PRIVATE_CHAT, show_alert=True)
            return
        await query.answer(SENT_PRIVATELY)

    async def show_in_place(self, bot: Bot, query: CallbackQuery, message: Message, view: View) -> None:
        """Replace the pressed message: solved, a model pick; a dismissed answer is deleted."""
        if view.kind == "dismissed":
            await query.answer(view.notice or None)
            try:
                await bot.delete_message(message.chat_id, message.message_id)
            except BadRequest:  # too old to delete (48 hours): at least take the buttons away
                await self.drop_keyboard(message)
            return
        await query.answer()
        chunks = render.render_view(view)
        keyboard = keyboards.view_keyboard(view, details_left=render.details_left(view))
        with contextlib.suppress(BadRequest):  # "message is not modified" after a double tap
            await message.edit_text(
                chunks[0],
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard if len(chunks) == 1 else None,
                link_preview_options=NO_PREVIEW,
            )
        self._track_question(message.chat_id, message.message_id, view)
        if len(chunks) > 1:
            await self.send(bot, message.chat_id, chunks[1:], keyboard=keyboard)

    async def drop_keyboard(self, message: Message) -> None:
        if message.reply_markup is None:
            return
        with contextlib.suppress(BadRequest):
            await message.edit_reply_markup(reply_markup=None)

    # ------------------------------------------------------------------ inline mode
    async def inline(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """'@bot iphone 7 dfu' in any chat: complete short answers (the step, the risk, the backup line)."""
        inline_query = update.inline_query
        if inline_query is None:
            return
        text = inline_query.query.strip()[:MAX_REQUEST_CHARS]
        results: list[InlineQueryResultArticle] = []
        if text:
            actor = self.actor(inline_query.from_user.id)
            seen: set[str] = set()
            for view in await self.inline_views(text, actor):
                result = self.inline_result(view)
                if result is not None and result.id not in seen and len(results) < MAX_INLINE_RESULTS:
                    seen.add(result.id)
                    results.append(result)
        await inline_query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=True)

    async def inline_views(self, text: str, actor: Actor) -> list[View]:
        """The first reply for the question, or one per candidate model when it needs the model."""
        answer = await self.triage.answer(TriageRequest(text))
        answers = [answer]
        if answer.status == "needs_model" and not answer.damage_kinds:  # repair-only answers need no model
            candidates = (answer.model_candidates or self.triage.picker_models())[:MAX_INLINE_CANDIDATES]
            answers = [
                await self.triage.answer(TriageRequest(text, model_id=c.id, symptom_id=answer.top_symptom))
                for c in candidates
            ]
        views = [self.conversation.first_view(a) for a in answers]
        if answer.model is not None:
            for procedure in answer.procedures:
                views.append(await self.conversation.procedure(procedure.id, actor, model_id=answer.model.id))
        return views

    @staticmethod
    def inline_result(view: View) -> InlineQueryResultArticle | None:
        if view.kind == "info" or not view.headline:
            return None
        description = view.step.title if view.step is not None else (view.notice or None)
        return InlineQueryResultArticle(
            id=inline_result_id(view),
            title=view.headline,
            description=description,
            input_message_content=InputTextMessageContent(
                render.render_view(view)[0], parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
            ),
        )

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
