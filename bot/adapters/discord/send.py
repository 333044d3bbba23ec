"""Sending views: where each one goes (the view's ``delivery``), who it may mention, and the forum's tag.

- ``private``: only the presser sees it (an ephemeral response).
- ``edit``: it replaces the message the button is on ("It worked" shows the public message solved;
  "Not my issue" removes it).
- ``reply``: a follow-up that replies to the question (``message_reference``), public unless the
  question was private.

Nothing is ever mentioned except the helper role of a handoff summary, and only when the server
configured one (``DISCORD_HELPER_ROLE_ID``).
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.adapters.discord import render
from bot.adapters.discord.buttons import DETAILS_IN_PLACE, components, more_token
from bot.core.views import View as CoreView
from bot.settings import Settings

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."


def helper_mention(view: CoreView, settings: Settings, *, in_guild: bool) -> tuple[str | None, discord.AllowedMentions]:
    """(content, allowed_mentions) for a view: a handoff in a server pings the configured helper role only."""
    role_id = settings.discord_helper_role_id
    if view.kind != "handoff" or role_id is None or not in_guild:
        return None, NO_MENTIONS
    return f"<@&{role_id}>", discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(id=role_id)], replied_user=False
    )


def message_parts(view: CoreView, ui: discord.ui.View | None) -> list[dict[str, Any]]:
    """The keyword arguments of each message a view is sent as (one, unless its details are long)."""
    if render.is_plain_notice(view):
        return [{"content": render.notice(view.notice), **({"view": ui} if ui else {})}]
    if view.details and (view.kind in DETAILS_IN_PLACE or more_token(view) is None):
        # No "More" to press for them (all steps, /steps): the details follow the body in the same message.
        embeds = render.details_embeds(view, description="\n".join(render.body_lines(view)))
        messages = render.split_messages(embeds)
    else:
        messages = [[render.view_embed(view)]]
    parts: list[dict[str, Any]] = [{"embeds": embeds} for embeds in messages]
    if ui is not None:
        parts[-1]["view"] = ui
    return parts


async def respond(
    interaction: discord.Interaction[Any],
    parts: list[dict[str, Any]],
    *,
    ephemeral: bool,
    mentions: discord.AllowedMentions = NO_MENTIONS,
) -> None:
    """Answer an interaction with one or more messages (as follow-ups once it was answered or deferred)."""
    for part in parts:
        if not interaction.response.is_done():
            await interaction.response.send_message(**part, ephemeral=ephemeral, allowed_mentions=mentions)
        else:
            await interaction.followup.send(**part, ephemeral=ephemeral, allowed_mentions=mentions)


async def say(interaction: discord.Interaction[Any], text: str, *, ephemeral: bool = True) -> None:
    """A short plain reply, as the response or as a follow-up."""
    await respond(interaction, [{"content": render.notice(text)}], ephemeral=ephemeral)


async def report_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """The one error path: log with the traceback, then a short ephemeral apology."""
    log.error("error while handling interaction %s", interaction.id, exc_info=error)
    if interaction.type is discord.InteractionType.autocomplete:
        return
    try:
        await say(interaction, APOLOGY)
    except Exception:  # the interaction may have expired, or we are shutting down
        log.warning("could not send the apology for interaction %s", interaction.id)


async def deliver(interaction: discord.Interaction[Any], view: CoreView, settings: Settings) -> None:
    """Send the view a button press produced, where its ``delivery`` says."""
    message = interaction.message
    private_source = message is not None and message.flags.ephemeral
    if view.delivery == "private":
        await respond(interaction, message_parts(view, components(view)), ephemeral=True)
    elif view.kind == "dismissed":
        await interaction.response.defer()
        if message is not None:
            await message.delete()
    elif view.delivery == "edit" and message is not None:
        await _edit(interaction, view, settings)
    else:
        content, mentions = helper_mention(view, settings, in_guild=interaction.guild_id is not None)
        parts = message_parts(view, components(view))
        if content:
            parts[0]["content"] = content
        if private_source or message is None or not await _reply_in_channel(interaction, message, parts, mentions):
            await respond(interaction, parts, ephemeral=private_source, mentions=mentions)


async def _edit(interaction: discord.Interaction[Any], view: CoreView, settings: Settings) -> None:
    """Replace the pressed message (one message: its first part); a solved forum post also gets its tag."""
    first, *rest = message_parts(view, components(view))
    first.setdefault("view", None)  # no offers: the old buttons go
    first.setdefault("embeds", [])
    first.setdefault("content", None)
    await interaction.response.edit_message(**first, allowed_mentions=NO_MENTIONS)
    if rest:
        await respond(interaction, rest, ephemeral=bool(interaction.message and interaction.message.flags.ephemeral))
    if view.kind == "solved":
        await tag_solved(interaction.channel, settings.discord_solved_tag)


async def _reply_in_channel(
    interaction: discord.Interaction[Any],
    pressed: discord.Message,
    parts: list[dict[str, Any]],
    mentions: discord.AllowedMentions,
) -> bool:
    """Post the follow-up as a reply to the question, in the channel; False when the bot can't post there.

    The question is the post the pressed reply answers, or (for a /fix answer) that answer itself.
    Replying keeps who asked visible to the next press, and threads the conversation in busy channels.
    """
    channel = pressed.channel
    if interaction.guild_id is not None and not isinstance(channel, (discord.TextChannel, discord.Thread)):
        return False
    question = pressed.reference or pressed.to_reference()
    reference = discord.MessageReference(
        message_id=question.message_id or pressed.id,
        channel_id=question.channel_id,
        guild_id=question.guild_id,
        fail_if_not_exists=False,
    )
    await interaction.response.defer()
    try:
        for part in parts:
            await channel.send(**part, reference=reference, mention_author=False, allowed_mentions=mentions)
    except (discord.Forbidden, discord.NotFound):
        return False  # installed to a user's account only, or no access: follow up on the interaction
    return True


async def tag_solved(channel: object, wanted: str | None) -> None:
    """Put the configured "Solved" tag (name or id) on a forum post; a missing tag or permission is logged."""
    if not wanted or not isinstance(channel, discord.Thread) or not isinstance(channel.parent, discord.ForumChannel):
        return
    key = wanted.strip()
    tag = next(
        (t for t in channel.parent.available_tags if str(t.id) == key or t.name.casefold() == key.casefold()), None
    )
    if tag is None:
        log.warning("DISCORD_SOLVED_TAG %r is not a tag of forum %s", key, channel.parent_id)
        return
    if tag in channel.applied_tags:
        return
    try:
        await channel.add_tags(tag, reason="The asker said it worked")
    except discord.HTTPException as exc:
        log.warning("could not tag forum post %s as solved: %s (the bot needs Manage Threads)", channel.id, exc.status)
