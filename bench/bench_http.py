"""HTTP benchmark: signed slash commands at fixed rates, ours against a bare Bolt baseline.

Two servers, each in its own subprocess (so its RSS is its own), served the same way
(``bot.server.make_web_app`` on an aiohttp ``AppRunner`` bound to 127.0.0.1) and talking to
the same local fake of Slack's Web API (``tests/fakeslack.py``, in this process):

- **baseline**: a bare ``AsyncApp`` whose ``/grade`` listener acks and echoes the text
  through ``respond()``;
- **ours**: ``bot.app.build_runtime`` (the app and its announcer, as ``serve`` runs them) on
  a private copy of a SQLite database holding the bundled results.

An open-loop generator (requests leave on schedule, whether or not earlier ones are
answered; a fixed count, ``rate × duration``) posts signed ``/grade`` commands - every
other one ``경남 고성군 2023``, the rest the README's example questions - at each rate, and
measures the ack latency (HTTP response) and the time to the answer (the fake's
``response_url`` POST arrival minus the send time). Loopback only; every wait is bounded.

Then the **closed loop**, the throughput target: ``CONCURRENCY`` (10) clients each send a
signed ``/grade`` command and send the next as soon as its answer arrived at the
``response_url``, for a fixed time, against each server in turn. Answered commands per
second at this saturation and the ack p99 are printed as ratios to the baseline.

    python bench/bench_http.py [--quick] [--profile FILE]

``--profile FILE`` also runs our server under cProfile and writes its stats to FILE
(slower: the figures of that run are not comparable with the baseline).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import _common
import aiohttp
from _common import BOT_TOKEN, cpu_seconds, percentile, rss_mib, sqlite_url, verdict
from fakeslack import FakeSlack

RATES = (20, 100, 300)
DURATION_FULL = 10.0
DURATION_QUICK = 3.0
REQUEST_TIMEOUT = 10.0  # per request (aiohttp total timeout)
ANSWER_WAIT = 20.0  # after the last ack, how long answers may still arrive
ACK_LIMIT = 1.0  # a rate is sustained while ack p99 stays under this
WARMUP_REQUESTS = 30
MAIN_QUESTION = "경남 고성군 2023"

CONCURRENCY = 10  # closed loop: clients each waiting for their answer before the next
CLOSED_FULL = 10.0
CLOSED_QUICK = 4.0
TARGET_CLOSED_RATIO = 0.9  # issue 18: no new per-command work
TARGET_CLOSED_ACK_RATIO = 1.1
TARGET_ACK_RATIO = 1.3
TARGET_ANSWER_EXTRA_MS = 10.0
TARGET_THROUGHPUT_RATIO = 0.7
TARGET_RSS_MB = 200.0


# --------------------------------------------------------------------------- servers


class _NoDatabase:
    """What make_web_app's /healthz needs from a database, for the baseline."""

    async def ping(self) -> bool:
        return True


def _baseline_app(api_url: str, secret: str):  # type: ignore[no-untyped-def]
    from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
    from slack_sdk.web.async_client import AsyncWebClient

    app = AsyncApp(
        client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url),
        signing_secret=secret,
        process_before_response=False,
    )

    @app.command("/grade")
    async def echo(ack: AsyncAck, body: dict, respond: AsyncRespond) -> None:
        await ack()
        await respond(text=body.get("text") or "(empty)", response_type="ephemeral")

    @app.options("agency_pick")  # bench_picker.py: the typed text back as the one option
    async def typed(ack: AsyncAck, payload: dict) -> None:
        text = str(payload.get("value") or "?")[:75]
        await ack(options=[{"text": {"type": "plain_text", "text": text}, "value": text}])

    return app


async def _serve(kind: str, api_url: str, db_path: str | None, profile: str | None) -> None:
    """The server subprocess: bind 127.0.0.1 on a free port, print it, serve until SIGTERM."""
    import logging

    from aiohttp import web
    from slackreq import SIGNING_SECRET

    from bot.server import make_web_app

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    cleanup = []
    sql_counts: Counter[str] = Counter()
    if kind == "ours":
        from bot.app import build_runtime
        from bot.config import Settings
        from storage.bundled_data import ensure_ready
        from storage.db import Database

        assert db_path is not None
        url = sqlite_url(Path(db_path))
        settings = Settings(
            _env_file=None,
            database_url=url,
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=api_url,
        )  # type: ignore[call-arg]
        db = Database(url)
        await ensure_ready(db)  # as `serve` does: migrated and loaded (a no-op here)
        _count_sql(db, sql_counts)
        runtime = build_runtime(settings, db)
        await runtime.warm()  # as `serve` does
        delivering = asyncio.create_task(runtime.announcer.run_forever(stop))
        web_app = make_web_app(runtime.app, db)
        cleanup += [lambda: delivering, db.dispose]
    else:
        web_app = make_web_app(_baseline_app(api_url, SIGNING_SECRET), _NoDatabase())  # type: ignore[arg-type]
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    print(f"LISTENING {port}", flush=True)
    if profiler is not None:
        profiler.enable()
    try:
        await stop.wait()
    finally:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        await runner.cleanup()
        for step in cleanup:
            with contextlib.suppress(Exception):
                await step()
        print(f"SQL {json.dumps(dict(sql_counts))}", flush=True)


def _count_sql(db: object, counts: Counter[str]) -> None:
    """Count the statements (by first keyword) and commits the server runs, to report per
    request."""
    from sqlalchemy import event

    engine = db.engine.sync_engine  # type: ignore[attr-defined]

    def on_execute(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        counts[statement.lstrip().split(None, 1)[0].upper()] += 1

    def on_commit(_conn: object) -> None:
        counts["COMMIT"] += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)


# --------------------------------------------------------------------------- load


@dataclass
class RateResult:
    rate: int
    sent: int
    send_seconds: float
    acks: list[float] = field(default_factory=list)  # seconds; inf for a failed request
    answers: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    cpu: float = 0.0  # the server's CPU seconds over the whole step (sending and answering)
    rss_peak: float = 0.0  # the server's peak RSS (MiB) so far, read after the step

    @property
    def ok_acks(self) -> int:
        return sum(1 for a in self.acks if math.isfinite(a))

    def ack_ms(self, p: float) -> float:
        return percentile(self.acks, p) * 1000

    def answer_ms(self, p: float) -> float:
        return percentile(self.answers, p) * 1000


@dataclass
class ClosedResult:
    """The closed loop: answered commands in ``seconds`` with ``CONCURRENCY`` clients."""

    seconds: float = 0.0
    answered: int = 0
    lost: int = 0
    acks: list[float] = field(default_factory=list)
    cpu: float = 0.0

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0


@dataclass
class ServerResult:
    kind: str
    rates: list[RateResult] = field(default_factory=list)
    rss_idle: float = 0.0
    rss_after: float = 0.0
    rss_peak: float = 0.0
    requests: int = 0  # all requests sent, warm-up included
    sql: dict[str, int] = field(default_factory=dict)  # statements by keyword, and COMMIT
    closed: ClosedResult | None = None

    def sustained(self) -> int:
        """The highest tried rate whose ack p99 stayed under ACK_LIMIT (0 if none)."""
        good = [r.rate for r in self.rates if percentile(r.acks, 99) < ACK_LIMIT]
        return max(good, default=0)


class Server:
    """One server subprocess."""

    def __init__(self, kind: str, api_url: str, db: Path | None, log: Path, profile: str | None):
        self.kind, self.api_url, self.db, self.log, self.profile = kind, api_url, db, log, profile
        self.process: asyncio.subprocess.Process | None = None
        self.url = ""
        self.sql: dict[str, int] = {}

    async def __aenter__(self) -> Server:
        args = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--serve",
            self.kind,
            "--api-url",
            self.api_url,
        ]
        if self.db is not None:
            args += ["--db", str(self.db)]
        if self.profile:
            args += ["--profile", self.profile]
        self._log = self.log.open("wb")
        self.process = await asyncio.create_subprocess_exec(
            *args, stdout=asyncio.subprocess.PIPE, stderr=self._log, cwd=_common.ROOT
        )
        assert self.process.stdout is not None
        try:
            line = await asyncio.wait_for(self.process.stdout.readline(), 60)
        except TimeoutError:
            line = b""
        if not line.startswith(b"LISTENING "):
            await self._stop()
            raise SystemExit(f"{self.kind} server did not start; see {self.log}:\n{self._tail()}")
        self.url = f"http://127.0.0.1:{int(line.split()[1])}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stop()

    async def _stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self.process is not None and self.process.stdout is not None:
            for line in (await self.process.stdout.read()).decode().splitlines():
                if line.startswith("SQL "):
                    self.sql = json.loads(line[4:])
        self._log.close()

    def _tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


async def _load(
    http: aiohttp.ClientSession,
    server: Server,
    fake: FakeSlack,
    rate: int,
    count: int,
    texts: list[str],
    tag: str,
) -> RateResult:
    """Send ``count`` signed commands at ``rate``/s (open loop) and collect the answers."""
    from slackreq import make_command, sign

    prepared = []
    for i in range(count):
        key = f"{tag}-{rate}-{i}"
        text = MAIN_QUESTION if i % 2 == 0 else texts[(i // 2) % len(texts)]
        body, headers = make_command(
            text, response_url=fake.response_url(key), trigger_id=f"bench.{key}"
        )
        prepared.append((key, body.encode(), headers | sign(body)))
    result = RateResult(rate=rate, sent=count, send_seconds=0.0)
    sent: dict[str, float] = {}
    url = f"{server.url}/slack/events"

    async def one(key: str, data: bytes, headers: dict[str, str]) -> None:
        start = time.monotonic()
        sent[key] = start
        try:
            async with http.post(url, data=data, headers=headers) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            result.errors[exc.__class__.__name__] += 1
            result.acks.append(math.inf)
            return
        if status != 200:
            result.errors[f"HTTP {status}"] += 1
            result.acks.append(math.inf)
            return
        result.acks.append(time.monotonic() - start)

    start = time.monotonic() + 0.05
    tasks = []
    for i, item in enumerate(prepared):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(*item)))
    result.send_seconds = time.monotonic() - start
    await asyncio.wait(tasks, timeout=REQUEST_TIMEOUT + 5)
    for task in tasks:
        task.cancel()
    expected = result.ok_acks
    deadline = time.monotonic() + ANSWER_WAIT
    prefix = f"{tag}-{rate}-"
    while True:
        calls = [
            c for c in fake.calls_to("response_url") if c.params.get("key", "").startswith(prefix)
        ]
        if len({c.params["key"] for c in calls}) >= expected or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.3)  # a wrongly repeated answer gets the chance to arrive
    calls = [c for c in fake.calls_to("response_url") if c.params.get("key", "").startswith(prefix)]
    seen: set[str] = set()
    for call in calls:
        key = call.params["key"]
        if key in seen:
            result.duplicates += 1
            continue
        seen.add(key)
        result.answers.append(call.at - sent[key])
    return result


async def _closed_loop(
    http: aiohttp.ClientSession,
    server: Server,
    fake: FakeSlack,
    texts: list[str],
    tag: str,
    duration: float,
) -> ClosedResult:
    """``CONCURRENCY`` clients, each sending its next command when the last was answered."""
    from slackreq import make_command, sign

    waiting: dict[str, asyncio.Future[None]] = {}

    def arrived(call: object) -> None:
        key = getattr(call, "params", {}).get("key", "")
        if getattr(call, "method", "") == "response_url" and key in waiting:
            future = waiting.pop(key)
            if not future.done():
                future.set_result(None)

    fake.on_call.append(arrived)
    result, url = ClosedResult(), f"{server.url}/slack/events"
    deadline = time.monotonic() + duration
    numbers = iter(range(10**9))

    async def client() -> None:
        loop = asyncio.get_running_loop()
        while time.monotonic() < deadline:
            n = next(numbers)
            key = f"{tag}-closed-{n}"
            text = MAIN_QUESTION if n % 2 == 0 else texts[(n // 2) % len(texts)]
            body, headers = make_command(
                text, response_url=fake.response_url(key), trigger_id=f"bench.{key}"
            )
            answer = waiting[key] = loop.create_future()
            start = time.monotonic()
            try:
                async with http.post(url, data=body.encode(), headers=headers | sign(body)) as r:
                    await r.read()
                result.acks.append(time.monotonic() - start if r.status == 200 else math.inf)
                await asyncio.wait_for(answer, REQUEST_TIMEOUT)
                result.answered += 1
            except (aiohttp.ClientError, TimeoutError):
                result.lost += 1
                waiting.pop(key, None)

    cpu = cpu_seconds(server.pid)
    started = time.monotonic()
    await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
    result.seconds = time.monotonic() - started
    result.cpu = cpu_seconds(server.pid) - cpu
    fake.on_call.remove(arrived)
    return result


async def _bench_server(
    kind: str,
    fake: FakeSlack,
    workdir: Path,
    template: Path,
    rates: tuple[int, ...],
    duration: float,
    texts: list[str],
    profile: str | None,
    closed: float,
) -> ServerResult:
    db = _common.copy_db(template, workdir / f"{kind}.db") if kind == "ours" else None
    log = workdir / f"{kind}.log"
    out = ServerResult(kind)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=1000)
    async with (
        Server(kind, fake.base_url, db, log, profile) as server,
        aiohttp.ClientSession(timeout=timeout, connector=connector) as http,
    ):
        warm = await _load(http, server, fake, 10, WARMUP_REQUESTS, texts, f"{kind}-warmup")
        out.requests += warm.sent
        out.rss_idle = rss_mib(server.pid)[0]
        for rate in rates:
            cpu = cpu_seconds(server.pid)
            step = await _load(http, server, fake, rate, round(rate * duration), texts, kind)
            step.cpu = cpu_seconds(server.pid) - cpu
            step.rss_peak = rss_mib(server.pid)[1]
            out.rates.append(step)
            out.requests += step.sent
            await asyncio.sleep(1.0)
        out.closed = await _closed_loop(http, server, fake, texts, kind, closed)
        out.requests += out.closed.answered + out.closed.lost
        out.rss_after, out.rss_peak = rss_mib(server.pid)
    out.sql = server.sql
    return out


# --------------------------------------------------------------------------- report


def _report(base: ServerResult, ours: ServerResult) -> bool:
    print(
        f"{'server':<9}{'rate/s':>7}{'sent':>6}{'send s':>7}{'errors':>7}"
        f"{'ack p50':>10}{'ack p99':>10}{'answered':>9}{'ans p50':>11}{'ans p99':>11}{'dup':>5}"
        f"{'CPU ms/req':>11}{'peak RSS':>9}"
    )
    for server in (base, ours):
        for r in server.rates:
            errors = sum(r.errors.values())
            print(
                f"{server.kind:<9}{r.rate:>7}{r.sent:>6}{r.send_seconds:>7.1f}{errors:>7}"
                f"{r.ack_ms(50):>8.1f}ms{r.ack_ms(99):>8.1f}ms{len(r.answers):>9}"
                f"{r.answer_ms(50):>9.1f}ms{r.answer_ms(99):>9.1f}ms{r.duplicates:>5}"
                f"{r.cpu * 1000 / r.sent:>11.2f}{r.rss_peak:>6.0f}MiB"
            )
            if r.errors:
                print(f"{'':<9}errors: {dict(r.errors)}")
    print()
    ok = True
    for b, o in zip(base.rates, ours.rates, strict=True):
        ratio = o.ack_ms(99) / b.ack_ms(99)
        good = ratio <= TARGET_ACK_RATIO
        ok &= good
        print(
            f"ack p99 at {o.rate:>3}/s: {o.ack_ms(99):.1f} ms vs {b.ack_ms(99):.1f} ms = "
            f"{ratio:.2f}x baseline (target <= {TARGET_ACK_RATIO}x): {verdict(good)}"
        )
    for b, o in zip(base.rates, ours.rates, strict=True):
        extra = o.answer_ms(50) - b.answer_ms(50)
        complete = len(o.answers) == o.sent
        good = extra <= TARGET_ANSWER_EXTRA_MS and complete
        ok &= good
        missing = "" if complete else f" ({o.sent - len(o.answers)} of {o.sent} unanswered)"
        print(
            f"answer p50 at {o.rate:>3}/s: {o.answer_ms(50):.1f} ms vs {b.answer_ms(50):.1f} ms = "
            f"baseline {extra:+.1f} ms (target <= +{TARGET_ANSWER_EXTRA_MS:.0f} ms){missing}: "
            f"{verdict(good)}"
        )
    b_rate, o_rate = base.sustained(), ours.sustained()
    ratio = o_rate / b_rate if b_rate else 0.0
    good = ratio >= TARGET_THROUGHPUT_RATIO
    ok &= good
    print(
        f"throughput (highest tried rate with ack p99 < {ACK_LIMIT:.0f} s): {o_rate}/s vs "
        f"{b_rate}/s = {ratio:.2f}x baseline (target >= {TARGET_THROUGHPUT_RATIO}x): {verdict(good)}"
    )
    for b, o in zip(base.rates, ours.rates, strict=True):
        b_span = _answer_span(b)
        o_span = _answer_span(o)
        o_tput, b_tput = len(o.answers) / o_span, len(b.answers) / b_span
        print(
            f"  answers/s at {o.rate:>3}/s offered: ours {o_tput:.0f}, baseline {b_tput:.0f} "
            f"= {o_tput / b_tput:.2f}x (answers / (last answer - first send); not the target's "
            f"measure)"
        )
    ok &= _report_closed(base, ours)
    good = ours.rss_peak <= TARGET_RSS_MB
    ok &= good
    print(
        f"RSS of our server: {ours.rss_idle:.0f} MiB idle, {ours.rss_after:.0f} MiB after load, "
        f"peak {ours.rss_peak:.0f} MiB (baseline: {base.rss_idle:.0f} / {base.rss_after:.0f} / "
        f"{base.rss_peak:.0f} MiB; target <= {TARGET_RSS_MB:.0f} MB): {verdict(good)}"
    )
    if ours.sql and ours.requests:
        per = ", ".join(f"{k} {v / ours.requests:.1f}" for k, v in sorted(ours.sql.items()))
        print(f"our server's SQL per slash command ({ours.requests} requests): {per}")
    return ok


def _report_closed(base: ServerResult, ours: ServerResult) -> bool:
    """The throughput target: answered/s at saturation and ack p99, closed loop."""
    b, o = base.closed, ours.closed
    if b is None or o is None:
        return False
    for kind, c in (("baseline", b), ("ours", o)):
        print(
            f"closed loop, {CONCURRENCY} clients, {c.seconds:.1f} s, {kind}: {c.answered} "
            f"answered ({c.per_second:.0f}/s), {c.lost} lost, ack p50 "
            f"{percentile(c.acks, 50) * 1000:.1f} ms, p99 {percentile(c.acks, 99) * 1000:.1f} ms,"
            f" CPU {c.cpu * 1000 / max(c.answered, 1):.2f} ms/answer"
        )
    ratio = o.per_second / b.per_second if b.per_second else 0.0
    good_rate = ratio >= TARGET_CLOSED_RATIO and not o.lost
    print(
        f"closed-loop saturation: {o.per_second:.0f} vs {b.per_second:.0f} answered/s = "
        f"{ratio:.2f}x baseline (target >= {TARGET_CLOSED_RATIO}x): {verdict(good_rate)}"
    )
    ack_ratio = percentile(o.acks, 99) / percentile(b.acks, 99)
    good_ack = ack_ratio <= TARGET_CLOSED_ACK_RATIO
    print(
        f"closed-loop ack p99: {ack_ratio:.2f}x baseline (target <= "
        f"{TARGET_CLOSED_ACK_RATIO}x): {verdict(good_ack)}"
    )
    return good_rate and good_ack


def _answer_span(r: RateResult) -> float:
    """Seconds from the first send to the last answer (bounded above by the sending time
    plus the slowest answer)."""
    return r.send_seconds + max(r.answers) if r.answers else math.inf


async def _main(quick: bool, profile: str | None) -> bool:
    texts = _common.documented_examples()
    duration = DURATION_QUICK if quick else DURATION_FULL
    closed = CLOSED_QUICK if quick else CLOSED_FULL
    print(f"machine: {_common.machine()}; load average {_common.load_average()}")
    print(
        f"rates {RATES}/s, {duration:.0f} s each (open loop), {len(texts)} documented "
        f"questions mixed with '{MAIN_QUESTION}'"
    )
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp:
        workdir = Path(tmp)
        template = await asyncio.to_thread(_common.bundled_template, workdir)
        async with FakeSlack() as fake:
            base = await _bench_server(
                "baseline", fake, workdir, template, RATES, duration, texts, None, closed
            )
            ours = await _bench_server(
                "ours", fake, workdir, template, RATES, duration, texts, profile, closed
            )
            errors = list(fake.server_errors)
        if errors:
            print(f"fake Slack errors: {len(errors)}; first:\n{errors[0]}")
        return _report(base, ours)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{DURATION_QUICK:.0f} s per rate")
    parser.add_argument("--profile", help="run our server under cProfile, stats to this file")
    parser.add_argument("--serve", choices=("baseline", "ours"), help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        asyncio.run(_serve(args.serve, args.api_url, args.db, args.profile))
        return 0
    ok = asyncio.run(_main(args.quick, str(Path(args.profile).resolve()) if args.profile else None))
    print("all targets met" if ok else "some targets missed (see FAIL above)")
    print(f"load average at the end: {_common.load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
