"""The shared auto-answer cooldown table: holds, expires, stays bounded, and /forget empties it for a user."""

from __future__ import annotations

from bot.core.cooldown import Cooldowns


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_long_cooldown_in_one_chat_survives_pruning_driven_by_a_short_one_elsewhere() -> None:
    """Pruning keeps entries the longest cooldown in use still needs (a group with 1 h, another with 1 min)."""
    clock = Clock()
    cooldowns = Cooldowns(clock=clock)
    assert not cooldowns.active("long", 1, 3600)
    cooldowns.start("long", 1)
    clock.now += 120
    for user in range(500):  # traffic in a chat with a short cooldown triggers pruning
        assert not cooldowns.active("short", user, 60)
        cooldowns.start("short", user)
    assert cooldowns.active("long", 1, 3600)
    clock.now += 3600
    cooldowns.start("short", 9999)
    cooldowns.prune()
    assert not cooldowns.active("long", 1, 3600)
    assert len(cooldowns) == 1


def test_memory_stays_bounded_under_any_traffic() -> None:
    clock = Clock()
    cooldowns = Cooldowns(max_entries=100, clock=clock)
    cooldowns.active("chat", 0, 86_400)
    for user in range(5000):
        cooldowns.start("chat", user)
        assert len(cooldowns) <= 100
    assert cooldowns.active("chat", 4999, 86_400)  # the newest entries are the ones kept


def test_forget_user_clears_them_in_every_chat_and_no_one_else() -> None:
    clock = Clock()
    cooldowns = Cooldowns(clock=clock)
    for chat in (-100, -200, 7):
        cooldowns.start(chat, 42)
        cooldowns.start(chat, 43)
    assert cooldowns.forget_user(42) == 3
    assert not any(cooldowns.active(chat, 42, 300) for chat in (-100, -200, 7))
    assert all(cooldowns.active(chat, 43, 300) for chat in (-100, -200, 7))
    assert cooldowns.forget_user(42) == 0
