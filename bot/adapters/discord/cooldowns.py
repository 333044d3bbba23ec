"""When each person last got an automatic answer in a channel: bounded in memory, cleared by /forget.

A busy server sends many different authors through ``on_message``. Entries older than the longest
cooldown in use can no longer hold anyone back, so they are pruned as the table grows; past
``max_entries`` the oldest entries go first, so memory stays bounded whatever the traffic.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

Key = tuple[int, int]  # (channel id, user id)

MAX_ENTRIES = 10_000
MIN_PRUNE_AT = 64


class Cooldowns:
    """(channel, user) -> when that person last got an automatic answer there."""

    def __init__(self, *, max_entries: int = MAX_ENTRIES, clock: Callable[[], float] = time.monotonic) -> None:
        self._last: OrderedDict[Key, float] = OrderedDict()  # oldest answer first
        self._max_entries = max_entries
        self._clock = clock
        self._horizon = 0.0  # the longest cooldown seen: older entries can't be active under any
        self._prune_at = min(MIN_PRUNE_AT, max_entries + 1)

    def __len__(self) -> int:
        return len(self._last)

    def active(self, channel_id: int, user_id: int, cooldown: float) -> bool:
        """Whether this person got an automatic answer in this channel less than ``cooldown`` s ago."""
        self._horizon = max(self._horizon, cooldown)
        last = self._last.get((channel_id, user_id))
        return last is not None and self._clock() - last < cooldown

    def start(self, channel_id: int, user_id: int) -> None:
        """Record an automatic answer given now."""
        key = (channel_id, user_id)
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

    def forget_user(self, user_id: int) -> int:
        """Remove every entry of this person (for /forget); returns how many there were."""
        keys = [key for key in self._last if key[1] == user_id]
        for key in keys:
            del self._last[key]
        return len(keys)
