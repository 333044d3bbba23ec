"""Shared pieces for the conversation tests: an in-memory store, a failing store, actors, walking offers."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.callbacks import Verb
from bot.core.conversation import Actor, Conversation
from bot.core.views import Offer, View
from bot.store.base import ChatSettings, Outcome, Platform

ASKER = Actor("111", "telegram", is_asker=True)
HELPER = Actor("222", "telegram", is_asker=False, is_helper=True)
BYSTANDER = Actor("333", "telegram", is_asker=False, is_helper=False)


@dataclass
class MemoryStore:
    """The Store protocol in a dict: enough to see what the conversation wrote, and when."""

    outcomes: list[Outcome] = field(default_factory=list)
    models: dict[tuple[str, str], str] = field(default_factory=dict)

    async def remembered_model(self, platform: Platform, user_id: str) -> str | None:
        return self.models.get((platform, user_id))

    async def remember_model(self, platform: Platform, user_id: str, model_id: str) -> None:
        self.models[(platform, user_id)] = model_id

    async def record_outcome(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    async def forget_user(self, platform: Platform, user_id: str) -> int:
        return 0

    async def chat_settings(self, platform: Platform, chat_id: str) -> ChatSettings:
        return ChatSettings()

    async def save_chat_settings(self, platform: Platform, chat_id: str, settings: ChatSettings) -> None:
        return None


class FailingStore(MemoryStore):
    """Every write fails, as with a full disk or a locked database."""

    async def record_outcome(self, outcome: Outcome) -> None:
        raise OSError("disk full")

    async def remember_model(self, platform: Platform, user_id: str, model_id: str) -> None:
        raise OSError("database is locked")


def offer(view: View, verb: Verb, label: str | None = None) -> Offer:
    """The offer with this verb (and label), failing the test with what was offered if there is none."""
    for candidate in view.offers:
        if candidate.verb == verb and (label is None or candidate.label == label):
            return candidate
    raise AssertionError(f"no {verb!r} offer in {view.kind}: {[(o.verb, o.label) for o in view.offers]}")


async def press(
    conversation: Conversation, view: View, verb: Verb, actor: Actor = ASKER, label: str | None = None
) -> View:
    return await conversation.press(offer(view, verb, label).token, actor)
