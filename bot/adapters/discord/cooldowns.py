"""Discord's auto-answer cooldowns: the platform-free table in :mod:`bot.core.cooldown`."""

from __future__ import annotations

from bot.core.cooldown import MAX_ENTRIES, MIN_PRUNE_AT, Cooldowns

__all__ = ["MAX_ENTRIES", "MIN_PRUNE_AT", "Cooldowns"]
