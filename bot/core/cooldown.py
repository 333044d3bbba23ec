"""When each person last got an automatic answer in a chat: bounded in memory, cleared by /forget.

Platform-free, shared by every adapter's auto mode (a Telegram group, a Discord channel). A busy chat
brings many different authors. Entries older than the longest cooldown in use can no longer hold
anyone back, so they are pruned as the table grows; past ``max_entries`` the oldest entries go first,
so memory stays bounded whatever the traffic.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

Key = tuple[Hashable, Hashable]  # (chat or channel id, user id)

MAX_ENTRIES = 10_000
MIN_PRUNE_AT = 64


class Cooldowns:
    """(chat, user) -> when that person last got an automatic answer there."""

    def __init__(self, *, max_entries: int = MAX_ENTRIES, clock: Callable[[], float] = time.monotonic) -> None:
        self._last: OrderedDict[Key, float] = OrderedDict()  # oldest answer first
        self._max_entries = max_entries
        self._clock = clock
        self._horizon = 0.0  # the longest cooldown seen: older entries can't be active under any
        self._prune_at = min(MIN_PRUNE_AT, max_entries + 1)

    def __len__(self) -> int:
        return len(self._last)

    def active(self, chat_id: Hashable, user_id: Hashable, cooldown: float) -> bool:
        """Whether this person got an automatic answer in this chat less than ``cooldown`` s ago."""
        self._horizon = max(self._horizon, cooldown)
        last = self._last.get((chat_id, user_id))
        return last is not None and self._clock() - last < cooldown

    def start(self, chat_id: Hashable, user_id: Hashable) -> None:
        """Record an automatic answer given now."""
        key = (chat_id, user_id)
        self._last.pop(key, None)
        self._last[key] = self._clock()
        if len(self._last) >= self._prune_at:
            self.prune()

    def prune(self) -> None:
        """Drop entries no cooldown can still apply to; then the oldest beyond ``max_entries``."""
        now = self._clock()
        while self._last:
            key, last = next(iter(self._last.items()))
            if now - last < self._horizon and len(self._last) <= self._max_entries:
                break
            del self._last[key]
        # Amortised: the next prune waits until the table doubles, but never past the cap.
        self._prune_at = min(max(MIN_PRUNE_AT, 2 * len(self._last)), self._max_entries + 1)

    def forget_user(self, user_id: Hashable) -> int:
        """Remove every entry of this person (for /forget); returns how many there were."""
        keys = [key for key in self._last if key[1] == user_id]
        for key in keys:
            del self._last[key]
        return len(keys)
