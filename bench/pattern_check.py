"""What the knowledge loader's regex safety check (lint code KB008) costs, and what it prevents.

Run: ``.venv/bin/python -m bench.pattern_check`` from the repository root. Prints:
- the time ``catastrophic_reason`` takes over every pattern of the shipped knowledge base (it runs at every
  start-up), median of 5 runs;
- the time Python's ``re`` needs for ``(a+)+b`` on runs of ``a`` (no ``b``): the growth the check prevents;
- the whole ``load_knowledge`` time (read, schema, every cross-file check), median of 5 runs.
"""

from __future__ import annotations

import re
import statistics
import time

from bot.core.knowledge import iter_patterns, load_knowledge, read_knowledge
from bot.core.pattern_check import catastrophic_reason
from bot.settings import DEFAULT_KNOWLEDGE_DIR


def _median_seconds(function: object, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    knowledge = read_knowledge(DEFAULT_KNOWLEDGE_DIR)
    patterns = [pattern for _, _, pattern in iter_patterns(knowledge)]
    check = _median_seconds(lambda: [catastrophic_reason(p) for p in patterns])
    print(f"KB008 check over {len(patterns)} shipped patterns: {check * 1000:.1f} ms")
    for n in (16, 18, 20, 22):
        start = time.perf_counter()
        re.search(r"(a+)+b", "a" * n)
        print(f"re.search('(a+)+b', 'a' * {n}): {time.perf_counter() - start:.3f} s")
    load = _median_seconds(lambda: load_knowledge(DEFAULT_KNOWLEDGE_DIR))
    print(f"load_knowledge (read + schema + every check): {load * 1000:.0f} ms")


if __name__ == "__main__":
    main()
