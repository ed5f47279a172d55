"""The finder's agency picker: how fast options come back while someone types.

Two figures, each against its target:

- **in process**: ``Catalog.suggest`` for every one-letter prefix (the 14 Hangul initials,
  common first syllables, Latin letters) over the whole bundled catalog; the slowest
  letter's median must stay under 10 ms;
- **over HTTP**: signed ``block_suggestion`` requests, as Slack sends them while a name is
  typed letter by letter (고 → 고성 → 고성군, g → go → … goseong, 행 → 행안 → 행안부 …),
  to the real app (``bot.app.build_runtime`` on a copy of the bundled SQLite data) and to a
  bare Bolt app whose options listener echoes the text (bench_http.py's baseline server,
  same transport). p95 must stay under 300 ms with the app's whole overhead included; the
  ratio to the bare app is printed beside it.

    python bench/bench_picker.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

import _common
import aiohttp
from _common import percentile, verdict
from bench_http import Server
from fakeslack import FakeSlack

TARGET_IN_PROCESS_MS = 10.0
TARGET_HTTP_P95_MS = 300.0
LETTERS = (*"ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ", *"고경김서부대강충전행중", *"abcdgjmsy")
TYPED = ("고성군", "경남 고성", "김해시", "김헤시", "goseong", "Gimhae", "행안부", "강원도",
         "서울 중구", "해양수산부", "mois", "전라북도", "asdfgh")  # fmt: skip
ROUNDS_FULL, ROUNDS_QUICK = 20, 6
IN_PROCESS_REPEATS = 50


def _prefixes(word: str) -> list[str]:
    """What Slack sends while ``word`` is typed: each prefix, one request per keystroke."""
    return [word[:n] for n in range(1, len(word) + 1)]


async def _in_process(template: Path) -> dict[str, float]:
    """Median ms of ``suggest`` per one-letter prefix over the whole catalog."""
    from answers.data import DataAccess
    from storage.db import Database

    db = Database(_common.sqlite_url(template))
    try:
        catalog = await DataAccess(db).catalog()
    finally:
        await db.dispose()
    medians = {}
    for letter in LETTERS:
        times = []
        for _ in range(IN_PROCESS_REPEATS):
            started = time.perf_counter()
            catalog.suggest(letter)
            times.append((time.perf_counter() - started) * 1000)
        medians[letter] = statistics.median(times)
    return medians


async def _typing(server: Server, rounds: int) -> list[float]:
    """Latency (ms) of each block_suggestion request while the names are typed."""
    from slackreq import make_block_suggestion, sign

    latencies: list[float] = []
    url = f"{server.url}/slack/events"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        for _ in range(rounds):
            for word in TYPED:
                for typed in _prefixes(word):
                    body, headers = make_block_suggestion(typed)
                    started = time.monotonic()
                    async with http.post(
                        url, data=body.encode(), headers=headers | sign(body)
                    ) as r:
                        options = json.loads(await r.text() or "{}").get("options")
                    ok = r.status == 200 and isinstance(options, list)
                    latencies.append((time.monotonic() - started) * 1000 if ok else float("inf"))
    return latencies


async def _over_http(workdir: Path, template: Path, rounds: int) -> dict[str, list[float]]:
    found = {}
    async with FakeSlack() as fake:
        for kind in ("baseline", "ours"):
            db = _common.copy_db(template, workdir / f"{kind}.db") if kind == "ours" else None
            async with Server(kind, fake.base_url, db, workdir / f"{kind}.log", None) as server:
                await _typing(server, 1)  # warm-up: the first request loads what answers read
                found[kind] = await _typing(server, rounds)
    return found


def _report(medians: dict[str, float], http: dict[str, list[float]]) -> bool:
    slowest = max(medians, key=lambda k: medians[k])
    in_ok = medians[slowest] < TARGET_IN_PROCESS_MS
    typical = statistics.median(medians.values())
    print(
        f"in process, one-letter prefix over the whole catalog ({len(medians)} letters, "
        f"median of {IN_PROCESS_REPEATS} each): typical {typical:.2f} ms, slowest "
        f"'{slowest}' {medians[slowest]:.2f} ms (target < {TARGET_IN_PROCESS_MS:.0f} ms): "
        f"{verdict(in_ok)}"
    )
    ours, base = http["ours"], http["baseline"]
    for kind, values in (("baseline", base), ("ours", ours)):
        failed = sum(1 for v in values if v == float("inf"))
        print(
            f"over HTTP, {kind}: {len(values)} requests, p50 {percentile(values, 50):.1f} ms, "
            f"p95 {percentile(values, 95):.1f} ms, p99 {percentile(values, 99):.1f} ms, "
            f"max {max(values):.1f} ms, failed {failed}"
        )
    p95 = percentile(ours, 95)
    http_ok = p95 < TARGET_HTTP_P95_MS
    print(
        f"picker p95 over HTTP: {p95:.1f} ms vs bare Bolt {percentile(base, 95):.1f} ms = "
        f"{p95 / percentile(base, 95):.2f}x baseline (target < {TARGET_HTTP_P95_MS:.0f} ms "
        f"with the app's overhead): {verdict(http_ok)}"
    )
    return in_ok and http_ok


async def _main(quick: bool) -> bool:
    print(f"machine: {_common.machine()}; load average {_common.load_average()}")
    with tempfile.TemporaryDirectory(prefix="bench-picker-") as tmp:
        workdir = Path(tmp)
        template = await asyncio.to_thread(_common.bundled_template, workdir)
        medians = await _in_process(template)
        http = await _over_http(workdir, template, ROUNDS_QUICK if quick else ROUNDS_FULL)
    return _report(medians, http)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{ROUNDS_QUICK} rounds of typing")
    args = parser.parse_args(argv)
    ok = asyncio.run(_main(args.quick))
    print("all targets met" if ok else "some targets missed (see FAIL above)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
