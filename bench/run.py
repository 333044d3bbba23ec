"""Benchmarks: per-message triage time (a generated chat corpus, and the real messages with cold and warm
caches), CLI start-up time, peak memory.

Run with `make bench` (or `.venv/bin/python bench/run.py`). Prints a Markdown table and writes
bench/results.json. Method: see bench/README.md. Nothing here asserts a time: numbers are reported.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core import Triage, TriageRequest  # noqa: E402

SEED = 20261124
STORIES = [
    "so yesterday i was at my sister's wedding, took like 400 photos, battery at 5%, and this morning {problem}",
    "{problem}",
    "hey guys, quick question. {problem}. any ideas? i have no backup",
    "Device: {code} / iOS 16.1.2 — {problem}",
    "{problem}\n\n[log]\nERROR: Unable to restore device\nERROR: Unable to send iBEC\nidevicerestore exited 255\n" * 1,
    "help!! {problem} since the update, tried everything, its 3am here",
]
PROBLEMS = [
    "my {model} is stuck on the apple logo",
    "my {model} wont turn on at all, tried chargin it all nite",
    "{model} keeps restarting over and over",
    "itunes says error 4013 on my {model}",
    "{model} stuck in recovery mode, cable screen",
    "forgot my passcode, {model} says iPhone unavailable",
    "dropped my {model} in the pool and now the screen is black",
    "how do i get my {model} into dfu",
    "my {model} gets really hot and shuts down randomly",
    "bought a used {model} and it asks for someone else's apple id",
]
MODELS = [
    "iphone 7 plus",
    "iphone se",
    "iphone 8",
    "XR",
    "iphone 12 pro max",
    "i phone 11",
    "ip8",
    "16e",
    "6s",
    "phone",
]
CODES = ["iPhone10,6", "iPhone9,3", "iPhone14,6", "iPhone12,8"]
OFF_TOPIC = ["thanks guys it works now", "anyone selling a 13 mini?", "when does the new jailbreak come out", "gm all"]


def corpus(size: int) -> list[str]:
    rng = random.Random(SEED)
    messages = []
    for story, problem, model in itertools.product(STORIES, PROBLEMS, MODELS):
        messages.append(story.format(problem=problem.format(model=model), code=rng.choice(CODES)))
    messages += OFF_TOPIC * 20
    rng.shuffle(messages)
    return (messages * (size // len(messages) + 1))[:size]


async def per_message(triage: Triage, messages: list[str]) -> tuple[list[float], list[float]]:
    """Wall and CPU (this thread) milliseconds per ``Triage.answer``, after a 200-message warm-up."""
    for text in messages[:200]:  # warm-up: regex caches, first-call allocations
        await triage.answer(TriageRequest(text))
    wall, cpu = [], []
    for text in messages:
        start_wall, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        await triage.answer(TriageRequest(text))
        cpu.append((time.thread_time_ns() - start_cpu) / 1e6)
        wall.append((time.perf_counter_ns() - start_wall) / 1e6)
    return wall, cpu


def real_messages() -> list[str]:
    """Every labelled real message (tests/core/data/real_dev.yaml, real_extra/) and the repo corpus, as
    ``bench/quality.py --speed`` reads them: longer than the generated corpus (median ~170 characters)."""
    from tests.core.corpus import load_cases
    from tools.train_classifier import load_real

    return [str(item["text"]) for item in load_real()] + [case.text for case in load_cases()]


async def first_and_later_passes(triage: Triage, messages: list[str], passes: int = 3) -> dict[str, float]:
    """CPU ms per answer over ``messages``: the first pass (words not seen before: stems, typo fixes and word
    starts are worked out and cached) and the later passes (caches warm, as for a bot that has run a while)."""
    first: list[float] = []
    later: list[float] = []
    for number in range(passes):
        for text in messages:
            start = time.thread_time_ns()
            await triage.answer(TriageRequest(text))
            (later if number else first).append((time.thread_time_ns() - start) / 1e6)
    return {
        "first_pass_cpu_median_ms": round(statistics.median(first), 3),
        "first_pass_cpu_p99_ms": round(percentile(first, 0.99), 3),
        "later_passes_cpu_median_ms": round(statistics.median(later), 3),
        "later_passes_cpu_p99_ms": round(percentile(later, 0.99), 3),
    }


def real_message_cost() -> dict[str, float]:
    """``first_and_later_passes`` over the real messages in a fresh process: every cache starts cold, and this
    process's memory (which a child's peak RSS would start from) stays as small as before."""
    code = (
        f"import asyncio, json, sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from bench.run import first_and_later_passes, real_messages\nfrom bot.core import Triage\n"
        "texts = real_messages()\n"
        "costs = asyncio.run(first_and_later_passes(Triage.from_directory(), texts))\n"
        "print(json.dumps({'messages': len(texts), **costs}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    costs: dict[str, float] = json.loads(out.stdout)
    return costs


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def cli_startup(runs: int) -> dict[str, list[float]]:
    """``python -m bot triage TEXT`` in a fresh process: seconds from start to the answer's first byte on stdout
    (ready), to exit (wall), and the child's CPU time (user + system)."""
    command = [sys.executable, "-m", "bot", "triage", "my iphone 7 plus is stuck on the apple logo"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # the answer reaches the pipe when it is printed
    # As installed: the untimed first run writes bot/'s bytecode (the agents' shell sets this variable, and
    # then every run compiled bot/ from source again, ~60 ms).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times: dict[str, list[float]] = {"ready": [], "wall": [], "cpu": []}
    for run in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert child.stdout is not None
        first = child.stdout.read(1)
        ready = time.perf_counter() - start
        child.stdout.read()
        if child.wait() != 0 or not first:
            raise RuntimeError("python -m bot triage failed")
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run:  # the first run warms the file cache, writes the bytecode and the validated-knowledge cache
            times["ready"].append(ready)
            times["wall"].append(wall)
            times["cpu"].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return times


def peak_memory_mib() -> dict[str, float]:
    """Peak RSS of a child process that loads the knowledge and answers 2,000 messages."""
    code = (
        f"import asyncio,resource,sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from bench.run import corpus\nfrom bot.core import Triage, TriageRequest\n"
        "t = Triage.from_directory()\nr0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "async def go():\n    [await t.answer(TriageRequest(m)) for m in corpus(2000)]\n"
        "asyncio.run(go())\nprint(r0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    loaded, after = (int(x) / 1024 for x in out.stdout.split())
    return {"after_load_mib": round(loaded, 1), "after_2000_answers_mib": round(after, 1)}


TELEGRAM_MAX_CHARS = 4096


def crafted_messages(size: int = TELEGRAM_MAX_CHARS) -> dict[str, str]:
    """Messages of exactly ``size`` characters built to be expensive for each stage of the matcher."""
    rng = random.Random(SEED)

    def fill(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    long_words = " ".join(
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(8, 16))) for _ in range(size // 9)
    )
    return {
        "U+FDFA repeated (18x under NFKC)": "\ufdfa" * size,
        "U+FDFA with spaces": fill("\ufdfa "),
        "many distinct long words (typo fixer)": long_words[:size],
        "many model names": fill("iphone 7 plus, my 8, se 2020, 13 pm, ip11, i6s, 5s, 7p, A1723, iPhone12,1 "),
        "many digits": fill("1234567890 "),
        "one long number": "9" * size,
        "many negations": fill("not never no water damage, never got wet, it wasnt dropped "),
        "many damage words": fill("dropped it in the toilet, smoke, swollen battery, spilled coffee "),
        "many error codes": fill("error 4013 (-1) status code 133 "),
        "many invisible characters": fill("st\u200buck\u00ad \u2066on\u2069 "),
        "many symptom words": fill("stuck on the apple logo boot loop recovery mode dfu restore update failed "),
        "Chinese and Japanese": fill("我的iphone 11一直重启进水了 iPhone7が起動しない "),
        "ordinary story": fill("my iphone 12 is stuck on the apple logo after an update and it wont turn on. "),
    }


async def crafted_cost(triage: Triage, runs: int) -> dict[str, dict[str, float]]:
    """Per crafted message: median and max wall time and CPU time (this thread) over ``runs`` answers."""
    results: dict[str, dict[str, float]] = {}
    for name, text in crafted_messages().items():
        await triage.answer(TriageRequest(text))  # warm-up
        wall, cpu = [], []
        for _ in range(runs):
            start_wall, start_cpu = time.perf_counter(), time.thread_time()
            await triage.answer(TriageRequest(text))
            cpu.append((time.thread_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start_wall) * 1000)
        results[name] = {
            "wall_median_ms": round(statistics.median(wall), 2),
            "wall_max_ms": round(max(wall), 2),
            "cpu_median_ms": round(statistics.median(cpu), 2),
            "cpu_max_ms": round(max(cpu), 2),
        }
    return results


def main() -> int:
    size = int(os.environ.get("BENCH_MESSAGES", "5000"))
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    triage = Triage.from_directory()
    load_ms = (time.perf_counter() - start) * 1000
    messages = corpus(size)
    timings, cpu_timings = asyncio.run(per_message(triage, messages))
    long_text = "my iphone 8 is stuck on the apple logo " + "lorem ipsum dolor sit amet " * 3700  # ~100 kB
    long_timings, _ = asyncio.run(per_message(triage, [long_text] * 20))
    crafted = asyncio.run(crafted_cost(triage, int(os.environ.get("BENCH_CRAFTED_RUNS", "20"))))
    startup = cli_startup(int(os.environ.get("BENCH_CLI_RUNS", "10")))
    results = {
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
        # Other processes share the cores: wall times grow with the load, CPU times much less.
        "load_average_before_after": f"{load_before:.1f} / {os.getloadavg()[0]:.1f}",
        "messages": len(messages),
        "knowledge_load_ms": round(load_ms, 1),
        "triage_median_ms": round(statistics.median(timings), 3),
        "triage_p99_ms": round(percentile(timings, 0.99), 3),
        "triage_max_ms": round(max(timings), 3),
        "triage_cpu_median_ms": round(statistics.median(cpu_timings), 3),
        "triage_cpu_p99_ms": round(percentile(cpu_timings, 0.99), 3),
        **{f"real_{key}": value for key, value in real_message_cost().items()},
        "triage_100kB_median_ms": round(statistics.median(long_timings), 2),
        "crafted_4096_wall_max_ms": max(c["wall_max_ms"] for c in crafted.values()),
        "crafted_4096_cpu_max_ms": max(c["cpu_max_ms"] for c in crafted.values()),
        "crafted_4096_cpu_worst_median_ms": max(c["cpu_median_ms"] for c in crafted.values()),
        "cli_ready_median_s": round(statistics.median(startup["ready"]), 3),
        "cli_ready_max_s": round(max(startup["ready"]), 3),
        "cli_exit_median_s": round(statistics.median(startup["wall"]), 3),
        "cli_cpu_median_s": round(statistics.median(startup["cpu"]), 3),
        **peak_memory_mib(),
        "bench_process_maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps({**results, "crafted_4096": crafted}, indent=2) + "\n")
    print("| metric | value |\n|---|---|")
    for key, value in results.items():
        print(f"| {key} | {value} |")
    print("\n| crafted 4,096-character message | wall median | wall max | CPU median | CPU max |")
    print("|---|---|---|---|---|")
    for name, cost in crafted.items():
        print(
            f"| {name} | {cost['wall_median_ms']} ms | {cost['wall_max_ms']} ms | {cost['cpu_median_ms']} ms "
            f"| {cost['cpu_max_ms']} ms |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
