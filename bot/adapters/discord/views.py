"""Buttons and the model picker under each answer, and what pressing them does.

Every component is a ``discord.ui.DynamicItem`` whose whole state (verb, answer, symptom,
model, ladder step) lives in its ``custom_id`` (``bot.core.callbacks``). discord.py rebuilds
the item from the custom_id on every press, so buttons keep working after a restart and no
view is kept in memory.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, cast

import discord
from discord.ui import Button, DynamicItem, Select, View

from bot.adapters.discord import render
from bot.core.answer import ModelRef, TriageAnswer, TriageRequest
from bot.core.callbacks import ButtonState, Verb, decode, encode
from bot.store.base import Outcome, OutcomeKind, Platform

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from bot.adapters.discord.client import ReviveBot

log = logging.getLogger(__name__)

PLATFORM: Platform = "discord"
NO_MENTIONS = discord.AllowedMentions.none()
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."
PICKER_PLACEHOLDER = "Which iPhone is it? Pick it to get the right buttons."
PICKER_SIZE = 25

BUTTON_TEMPLATE = r"rv\|[wndxr]\|[^|]*\|[^|]*\|[^|]*\|[0-9]{1,2}"
SELECT_TEMPLATE = r"rv\|m\|[^|]*\|[^|]*\|[^|]*\|[0-9]{1,2}"

BUTTONS: dict[Verb, tuple[str, discord.ButtonStyle]] = {
    "worked": ("It worked", discord.ButtonStyle.success),
    "next": ("Didn't work: next step", discord.ButtonStyle.primary),
    "dfu": ("Show DFU steps", discord.ButtonStyle.secondary),
    "remember": ("Remember this model", discord.ButtonStyle.secondary),
    "dismiss": ("Not my issue", discord.ButtonStyle.danger),
}
LADDER_ROW, EXTRA_ROW, PICKER_ROW = 1, 2, 0


def bot_of(interaction: discord.Interaction[Any]) -> ReviveBot:
    return cast("ReviveBot", interaction.client)


# ---------------------------------------------------------------------------- items


class LadderButton(DynamicItem[Button[View]], template=BUTTON_TEMPLATE):
    """ "It worked", "Didn't work: next step", "Show DFU steps", "Remember this model", "Not my issue"."""

    def __init__(self, state: ButtonState, *, row: int | None = None) -> None:
        label, style = BUTTONS[state.verb]
        super().__init__(Button(label=label, style=style, custom_id=encode(state)), row=row)
        self.state = state

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> LadderButton:
        state = decode(match.string)
        if state is None or state.verb == "model":
            raise ValueError(f"not a ladder button: {match.string!r}")
        return cls(state)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handler = HANDLERS[self.state.verb]
        await guarded(interaction, handler(interaction, self.state))


class ModelSelect(DynamicItem[Select[View]], template=SELECT_TEMPLATE):
    """The model picker: choosing a model re-runs triage and updates the answer in place."""

    def __init__(self, state: ButtonState, options: list[discord.SelectOption]) -> None:
        select: Select[View] = Select(
            custom_id=encode(state), placeholder=PICKER_PLACEHOLDER, options=options, min_values=1, max_values=1
        )
        super().__init__(select, row=PICKER_ROW)
        self.state = state

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ModelSelect:
        state = decode(match.string)
        if state is None or state.verb != "model":
            raise ValueError(f"not a model picker: {match.string!r}")
        options = item.options if isinstance(item, Select) else []
        return cls(state, list(options))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, on_model_chosen(interaction, self.state, self.item.values[0]))


# ---------------------------------------------------------------------------- building views


def _state(verb: Verb, answer: TriageAnswer, step: int = 0) -> ButtonState:
    return ButtonState(
        verb=verb,
        answer_id=answer.answer_id,
        symptom_id=answer.top_symptom or "",
        model_id=answer.model.id if answer.model else "",
        step=step,
    )


def picker_options(bot: ReviveBot, answer: TriageAnswer) -> list[discord.SelectOption]:
    """The answer's candidates first (e.g. the SE generations), then the core's short list."""
    models: list[ModelRef] = [*answer.model_candidates, *bot.triage.picker_models()]
    seen: set[str] = set()
    options: list[discord.SelectOption] = []
    for model in models:
        if model.id in seen or len(options) >= PICKER_SIZE:
            continue
        seen.add(model.id)
        options.append(discord.SelectOption(label=render.truncate(model.name, 100), value=model.id))
    return options


def ladder_items(state: ButtonState, *, has_next: bool, row: int = LADDER_ROW) -> list[DynamicItem[Any]]:
    items: list[DynamicItem[Any]] = [LadderButton(ButtonState("worked", *_fields(state)), row=row)]
    if has_next:
        items.append(LadderButton(ButtonState("next", *_fields(state)), row=row))
    if state.model_id:
        items.append(LadderButton(ButtonState("dfu", *_fields(state)), row=row))
    return items


def _fields(state: ButtonState) -> tuple[str, str, str, int]:
    return (state.answer_id, state.symptom_id, state.model_id, state.step)


def answer_view(bot: ReviveBot, answer: TriageAnswer, *, auto: bool = False) -> View | None:
    """The components under an answer: picker when the model is unknown, ladder buttons, extras."""
    view = View(timeout=None)
    try:
        if answer.status != "off_topic" and answer.model is None:
            options = picker_options(bot, answer)
            if options:
                view.add_item(ModelSelect(_state("model", answer), options))
        if answer.status == "answered" and answer.ladder:
            for item in ladder_items(_state("next", answer), has_next=len(answer.ladder) > 1):
                view.add_item(item)
            if answer.model is not None:
                view.add_item(LadderButton(_state("remember", answer), row=EXTRA_ROW))
        if auto:
            view.add_item(LadderButton(_state("dismiss", answer), row=EXTRA_ROW))
    except ValueError:  # state too long for a custom_id: answer without buttons rather than fail
        log.warning("answer %s: button state does not fit a custom_id", answer.answer_id, exc_info=True)
        return None
    return view if view.children else None


def is_auto_answer(message: discord.Message | None) -> bool:
    """Whether a message carries the "Not my issue" button (an unprompted help-channel answer)."""
    if message is None:
        return False
    for row in message.components:
        for component in getattr(row, "children", ()):
            state = decode(getattr(component, "custom_id", None) or "")
            if state is not None and state.verb == "dismiss":
                return True
    return False


# ---------------------------------------------------------------------------- sending


async def send_embeds(
    interaction: discord.Interaction[Any],
    messages: list[list[discord.Embed]],
    *,
    view: View | None,
    ephemeral: bool,
) -> None:
    """Answer an interaction (or follow up if it was deferred); the view goes under the last message."""
    for index, embeds in enumerate(messages):
        item_view = view if index == len(messages) - 1 else None
        if not interaction.response.is_done():
            if item_view is None:
                await interaction.response.send_message(
                    embeds=embeds, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
                )
            else:
                await interaction.response.send_message(
                    embeds=embeds, view=item_view, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
                )
        elif item_view is None:
            await interaction.followup.send(embeds=embeds, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.followup.send(
                embeds=embeds, view=item_view, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS
            )


async def say(interaction: discord.Interaction[Any], text: str, *, ephemeral: bool = True) -> None:
    """A short plain reply, as the response or as a follow-up."""
    content = render.notice(text)
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(content, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS)


async def report_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """The one error path: log with the traceback, then a short ephemeral apology."""
    log.error("error while handling interaction %s", interaction.id, exc_info=error)
    if interaction.type is discord.InteractionType.autocomplete:
        return
    try:
        await say(interaction, APOLOGY)
    except Exception:  # the interaction may have expired, or we are shutting down
        log.warning("could not send the apology for interaction %s", interaction.id)


async def guarded(interaction: discord.Interaction[Any], work: Awaitable[None]) -> None:
    """Run a component handler; failures go through ``report_error``."""
    bot_of(interaction).track()
    try:
        await work
    except Exception as error:
        await report_error(interaction, error)


def _visible_ephemeral(interaction: discord.Interaction[Any]) -> bool:
    message = interaction.message
    return bool(message is not None and message.flags.ephemeral)


# ---------------------------------------------------------------------------- handlers


async def _record(interaction: discord.Interaction[Any], state: ButtonState, kind: OutcomeKind) -> None:
    bot = bot_of(interaction)
    model = bot.triage.model(state.model_id) if state.model_id else None
    step = await bot.triage.step(state.symptom_id, state.model_id or None, state.step) if state.symptom_id else None
    await bot.store.record_outcome(
        Outcome(
            answer_id=state.answer_id,
            platform=PLATFORM,
            user_id=str(interaction.user.id),
            kind=kind,
            symptom_id=state.symptom_id,
            family=(model.family or "unknown") if model else "unknown",
            step=state.step,
            action=step.action if step else "none",
        )
    )


async def on_worked(interaction: discord.Interaction[Any], state: ButtonState) -> None:
    await _record(interaction, state, "worked")
    await say(interaction, "Great, glad it's working again! Thanks for letting me know.")


async def on_next(interaction: discord.Interaction[Any], state: ButtonState) -> None:
    bot = bot_of(interaction)
    await _record(interaction, state, "failed")
    index = state.step + 1
    step = await bot.triage.step(state.symptom_id, state.model_id or None, index) if state.symptom_id else None
    ephemeral = _visible_ephemeral(interaction)
    if step is None:
        await say(
            interaction,
            "That was the last step I can offer. If the phone still won't recover, it most likely needs a repair: "
            "contact Apple Support or an authorised service provider.",
            ephemeral=ephemeral,
        )
        return
    model = bot.triage.model(state.model_id) if state.model_id else None
    next_state = ButtonState("next", state.answer_id, state.symptom_id, state.model_id, index)
    has_next = await bot.triage.step(state.symptom_id, state.model_id or None, index + 1) is not None
    view = View(timeout=None)
    for item in ladder_items(next_state, has_next=has_next, row=0):
        view.add_item(item)
    messages = render.split_messages(render.step_embeds(step, index + 1, model))
    await send_embeds(interaction, messages, view=view, ephemeral=ephemeral)


async def on_dfu(interaction: discord.Interaction[Any], state: ButtonState) -> None:
    bot = bot_of(interaction)
    model = bot.triage.model(state.model_id) if state.model_id else None
    if model is None:
        await say(interaction, "Pick your iPhone model first, or use /steps to see DFU steps for a model.")
        return
    embeds: list[discord.Embed] = []
    for procedure_id in ("dfu_mode", "exit_dfu"):
        procedure = bot.triage.procedure(model.id, procedure_id)
        if procedure is not None:
            embeds += render.procedure_embeds(model, procedure)
    if not embeds:
        await say(interaction, f"I don't have verified DFU steps for the {model.name} yet.")
        return
    await send_embeds(interaction, render.split_messages(embeds), view=None, ephemeral=True)


async def on_remember(interaction: discord.Interaction[Any], state: ButtonState) -> None:
    bot = bot_of(interaction)
    model = bot.triage.model(state.model_id) if state.model_id else None
    if model is None:
        await say(interaction, "I don't know which model to remember yet.")
        return
    await bot.store.remember_model(PLATFORM, str(interaction.user.id), model.id)
    await say(interaction, f"I'll assume your iPhone is an {model.name} from now on. /forget deletes this.")


def _asker_id(message: discord.Message | None) -> int | None:
    """The author of the post an answer replies to, if Discord told us."""
    if message is None or message.reference is None:
        return None
    resolved = message.reference.resolved
    if isinstance(resolved, discord.Message):
        return resolved.author.id
    return None


async def on_dismiss(interaction: discord.Interaction[Any], state: ButtonState) -> None:
    message = interaction.message
    allowed = interaction.user.id == _asker_id(message) or (
        isinstance(interaction.user, discord.Member) and interaction.permissions.manage_messages
    )
    if not allowed or message is None:
        await say(interaction, "Only the person who asked (or a moderator) can remove this answer.")
        return
    await interaction.response.defer()
    await message.delete()
    await _delete_earlier_parts(interaction, message)
    await _record(interaction, state, "not_helpful")


async def _delete_earlier_parts(interaction: discord.Interaction[Any], message: discord.Message) -> None:
    """A long answer is several replies to the same post; the button sits on the last. Remove the rest."""
    me = interaction.client.user
    ref = message.reference
    channel = message.channel
    if me is None or ref is None or ref.message_id is None or not isinstance(channel, discord.abc.Messageable):
        return
    async for earlier in channel.history(limit=10, before=message, after=discord.Object(ref.message_id)):
        if earlier.author.id == me.id and earlier.reference and earlier.reference.message_id == ref.message_id:
            await earlier.delete()


async def _original_text(interaction: discord.Interaction[Any]) -> str:
    """The words the answer was for: the post it replies to, else the quote in its embed."""
    message = interaction.message
    if message is None:
        return ""
    if message.reference is not None and isinstance(message.reference.resolved, discord.Message):
        target = message.reference.resolved
        thread_title = target.channel.name if isinstance(target.channel, discord.Thread) else ""
        if target.content:
            return f"{thread_title}\n{target.content}".strip() if target.id == target.channel.id else target.content
    for embed in message.embeds:
        if embed.description and embed.description.startswith("> "):
            return unquote(embed.description.splitlines()[0])
    return ""


_ESCAPED = re.compile(r"\\([\\*_~`|>#\-\[\]()])")


def unquote(quoted: str) -> str:
    """Undo ``render.quote_problem`` (best effort; the quote may be shortened)."""
    text = quoted[2:] if quoted.startswith("> ") else quoted
    return _ESCAPED.sub(r"\1", text.replace("@\u200b", "@").replace("<@\u200b", "<@")).rstrip("…")


async def on_model_chosen(interaction: discord.Interaction[Any], state: ButtonState, model_id: str) -> None:
    bot = bot_of(interaction)
    if bot.triage.model(model_id) is None:
        await say(interaction, "I don't know that model. Please pick one from the list.")
        return
    text = await _original_text(interaction)
    answer = await bot.triage.answer(TriageRequest(text, model_id=model_id, symptom_id=state.symptom_id or None))
    embeds = render.answer_embeds(answer)
    message = interaction.message
    if message is not None and message.embeds and message.embeds[0].description:
        embeds[0].description = message.embeds[0].description  # keep the user's quote as it was shown
        if len(embeds[0]) > render.EMBED_TOTAL_LIMIT - render.FOOTER_RESERVE:
            embeds[0].description = None
    messages = render.split_messages(embeds)
    view = answer_view(bot, answer, auto=is_auto_answer(message))
    # The picker message becomes the answer; a long answer continues in follow-ups, buttons under the last.
    await interaction.response.edit_message(
        embeds=messages[0], view=view if len(messages) == 1 else None, allowed_mentions=NO_MENTIONS
    )
    if len(messages) > 1:
        await send_embeds(interaction, messages[1:], view=view, ephemeral=_visible_ephemeral(interaction))


HANDLERS: dict[Verb, Any] = {
    "worked": on_worked,
    "next": on_next,
    "dfu": on_dfu,
    "remember": on_remember,
    "dismiss": on_dismiss,
}
