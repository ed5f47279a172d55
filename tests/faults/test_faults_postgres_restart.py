"""PostgreSQL stopped and restarted under steady load, for real: a PRIVATE server made with
initdb on its own port (never the shared one), the bundled data loaded into it, the real
app (``build_runtime`` + ``make_web_app``, the announcer task running) in front of it, a
steady stream of signed slash commands (5/s), and the server stopped (``pg_ctl stop -m
fast``) for a few seconds while announcements of a year just published are being
delivered, then started again.

The app reaches the server through a loopback gate (``ConnectionGate``) that is shut just
before the stop and opened once the server is ready again: connections already open are
ended by the server itself ("terminating connection due to administrator command"), new
ones are refused while it is down, and the few milliseconds around the stop and the start
when the server answers "shutting down" / "starting up" are left to
test_faults_postgres_refusing.py, which holds that window open on purpose (hitting it here
would be luck, and make this test flaky).

The scenario runs once per module (about 30 s); each test checks one promise about it:
no crash, every request acknowledged fast and answered once — kindly during the outage,
with grades again after — and every announcement queued before the outage delivered once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field

import asyncpg
import pytest
from announce_kit import all_sent
from fakeslack import FakeSlack
from minwon_live import (
    ANNOUNCE_CHANNEL,
    LiveBot,
    alert_keys,
    keys_posted,
    leaks,
    live_bot,
    make_draft,
    outbox,
    subscribe,
    wait_until,
)
from minwon_pgcluster import (
    ConnectionGate,
    PrivatePostgres,
    private_postgres,
    unavailable_reason,
)
from slackreq import make_command

from answers.data import VERSION_TTL
from storage.bundled_data import ensure_ready
from storage.db import Database
from storage.models import AnnouncementStatus, TargetKind
from storage.publishing import publish_year

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

RATE = 5.0  # commands per second
LOAD_SECONDS = 15.0
OUTAGE_SECONDS = 4.0
RESUME_GRACE = 2.0  # after the restart, pools reconnect: later requests must get grades
QUESTION = "경남 고성군 2023"
GRADE = "2023년 *가*"
FRIENDLY = "잠시 후 다시"
ALERTS_AFTER_LOAD = 10.0  # the alerts have this long after the load ends (~18 s after restart)
SUBSCRIPTIONS = {"CGN": "경남", "CKW": "강원", "CGJ": "광주"}  # 3 + 5 + 5 alerts of 2024


@dataclass
class Request:
    index: int
    sent_at: float
    status: int | None = None
    ack_seconds: float | None = None
    error: str | None = None


@dataclass
class Scenario:
    requests: list[Request] = field(default_factory=list)
    replies: dict[str, list[str]] = field(default_factory=dict)  # response key -> texts
    leaked: list[str] = field(default_factory=list)
    stopped_at: tuple[float, float] = (0.0, 0.0)  # stop began, server down
    started_at: tuple[float, float] = (0.0, 0.0)  # start began, server up
    health_down: int | None = None
    health_up: int | None = None
    announcer_alive: bool = False
    announcer_error: str | None = None
    queued: list[str] = field(default_factory=list)
    posted_before_outage: int = 0
    posted: Counter[str] = field(default_factory=Counter)
    rows_not_sent: list[str] = field(default_factory=list)
    server_log: str = ""


async def _load_database(server: PrivatePostgres) -> None:
    admin = await asyncpg.connect(server.url("postgres", driver="postgresql"), timeout=10)
    try:
        await admin.execute("CREATE DATABASE minwon")
    finally:
        await admin.close()
    url = server.url("minwon")
    db = Database(url)
    try:
        await ensure_ready(db)
        for channel, region in SUBSCRIPTIONS.items():
            await subscribe(db, channel, TargetKind.REGION, region)
        await make_draft(db, 2024)
    finally:
        await db.dispose()


async def _one(bot: LiveBot, request: Request) -> None:
    body, headers = make_command(
        QUESTION,
        response_url=bot.fake.response_url(f"q{request.index}"),
        trigger_id=f"load-{request.index}",
    )
    started = time.monotonic()
    try:
        status, _ = await bot.post(body, headers, timeout=10)
        request.status = status
    except Exception as exc:  # a refused or dropped connection is a finding too
        request.error = f"{exc.__class__.__name__}: {exc}"
    request.ack_seconds = time.monotonic() - started


async def _run(server: PrivatePostgres) -> Scenario:
    scenario = Scenario()
    await _load_database(server)
    gate = ConnectionGate("127.0.0.1", server.port)
    await gate.start()
    try:
        return await _run_through(server, gate, scenario)
    finally:
        await gate.cut()


async def _health_is(bot: LiveBot, scenario: Scenario, status: int) -> bool:
    """Ask /healthz once; True when it answered ``status`` (the answer is kept)."""
    async with bot.http.get(f"{bot.url}/healthz") as health:
        scenario.health_down = health.status
    return health.status == status


async def _run_through(
    server: PrivatePostgres, gate: ConnectionGate, scenario: Scenario
) -> Scenario:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{gate.port}/minwon"
    async with FakeSlack() as fake, live_bot(url, fake, poll=0.5) as bot:
        sending: list[asyncio.Task[None]] = []
        begin = time.monotonic()

        async def load() -> None:
            index = 0
            while (now := time.monotonic()) - begin < LOAD_SECONDS:
                request = Request(index, now)
                scenario.requests.append(request)
                sending.append(asyncio.create_task(_one(bot, request)))
                index += 1
                await asyncio.sleep(max(0.0, begin + index / RATE - time.monotonic()))

        loading = asyncio.create_task(load())
        await asyncio.sleep(1.0)
        report = await publish_year(bot.db, 2024, actor="faults", announce_channel=ANNOUNCE_CHANNEL)
        scenario.queued = await alert_keys(bot.db)
        assert report.announcements == len(scenario.queued) > 5
        bot.runtime.announcer.wake.set()
        # Stop while the alerts are being delivered (one per second per channel).
        with contextlib.suppress(AssertionError):
            await fake.wait_for("chat.postMessage", timeout=5)
        scenario.posted_before_outage = len(fake.accepted_posts())
        stop_began = time.monotonic()
        gate.shut()
        await asyncio.to_thread(server.stop, "fast")
        scenario.stopped_at = (stop_began, time.monotonic())
        await wait_until(lambda: _health_is(bot, scenario, 503), timeout=OUTAGE_SECONDS - 0.5)
        await asyncio.sleep(max(0.0, stop_began + OUTAGE_SECONDS - 0.1 - time.monotonic()))
        start_began = time.monotonic()
        await asyncio.to_thread(server.start)
        await gate.open()
        scenario.started_at = (start_began, time.monotonic())
        await loading
        await asyncio.gather(*sending)

        def replies() -> dict[str, list[str]]:
            found: dict[str, list[str]] = {}
            for call in fake.calls_to("response_url"):
                text = json.dumps(call.params, ensure_ascii=False)
                found.setdefault(str(call.params.get("key")), []).append(text)
            return found

        async def all_answered() -> bool:
            return len(replies()) >= len(scenario.requests)

        async def all_delivered() -> bool:
            return set(keys_posted(fake)) >= set(scenario.queued)

        await wait_until(all_answered, timeout=10)
        await wait_until(all_delivered, timeout=ALERTS_AFTER_LOAD)
        await all_sent(bot.db, scenario.queued, timeout=5)
        await fake.sentinel(bot.post)  # a duplicate would be in by now
        scenario.replies = replies()
        scenario.posted = keys_posted(fake)
        scenario.leaked = [f"{c.method}: {leaks(c)}" for c in fake.calls if leaks(c)]
        async with bot.http.get(f"{bot.url}/healthz") as health:
            scenario.health_up = health.status
        assert bot.delivering is not None
        scenario.announcer_alive = not bot.delivering.done()
        if bot.delivering.done() and bot.delivering.exception() is not None:
            scenario.announcer_error = repr(bot.delivering.exception())
        rows = await outbox(bot.db)
        scenario.rows_not_sent = [
            f"{r.dedupe_key}: {r.status} ({r.error})"
            for r in rows
            if r.dedupe_key in scenario.queued and r.status != AnnouncementStatus.SENT
        ]
    scenario.server_log = server.log_tail()
    return scenario


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"no private PostgreSQL server: {reason}")
    started = time.monotonic()
    with private_postgres() as server:
        result = asyncio.run(asyncio.wait_for(_run(server), timeout=55))
    assert time.monotonic() - started < 60, "the scenario must stay under a minute"
    return result


def _during_outage(scenario: Scenario) -> list[Request]:
    down, up = scenario.stopped_at[1], scenario.started_at[0]
    return [r for r in scenario.requests if down + 0.2 <= r.sent_at <= up - 0.2]


def _after_restart(scenario: Scenario) -> list[Request]:
    return [r for r in scenario.requests if r.sent_at >= scenario.started_at[1] + RESUME_GRACE]


def test_every_request_is_acknowledged_fast_never_with_a_5xx(scenario: Scenario) -> None:
    bad = [r for r in scenario.requests if r.status != 200 or r.error]
    slow = [r for r in scenario.requests if (r.ack_seconds or 99) >= 1.0]
    assert len(scenario.requests) >= RATE * LOAD_SECONDS * 0.9
    assert not bad, [(r.index, r.status, r.error) for r in bad][:10]
    assert not slow, [(r.index, round(r.ack_seconds or 0, 2)) for r in slow][:10]


def test_every_request_is_answered_once_without_a_traceback(scenario: Scenario) -> None:
    missing = [r.index for r in scenario.requests if f"q{r.index}" not in scenario.replies]
    doubled = {k: len(v) for k, v in scenario.replies.items() if len(v) > 1}
    assert not missing, f"{len(missing)} requests never answered: {missing[:20]}"
    assert not doubled, doubled
    assert not scenario.leaked, scenario.leaked[:5]
    odd = [
        (key, texts[0][:200])
        for key, texts in scenario.replies.items()
        if GRADE not in texts[0] and FRIENDLY not in texts[0]
    ]
    assert not odd, odd[:5]


def test_requests_during_the_outage_get_the_friendly_reply(scenario: Scenario) -> None:
    """Once the data-version check a question relies on is older than VERSION_TTL and the
    database cannot answer it. Before that, the answer comes from the data already in
    memory (at most VERSION_TTL old, as for any instance): a grade, which
    test_every_request_is_answered_once_without_a_traceback accepts too."""
    during = _during_outage(scenario)
    assert len(during) >= RATE * (OUTAGE_SECONDS - 2), "the outage saw steady load"
    checked_before = scenario.stopped_at[0] + VERSION_TTL + 0.2
    wrong = [
        (r.index, scenario.replies.get(f"q{r.index}", ["(none)"])[0][:160])
        for r in during
        if r.sent_at >= checked_before
        and FRIENDLY not in scenario.replies.get(f"q{r.index}", [""])[0]
    ]
    assert not wrong, wrong[:5]
    assert scenario.health_down == 503


def test_replies_with_grades_resume_after_the_restart(scenario: Scenario) -> None:
    after = _after_restart(scenario)
    assert len(after) >= RATE * 3, "steady load went on after the restart"
    wrong = [
        (r.index, scenario.replies.get(f"q{r.index}", ["(none)"])[0][:160])
        for r in after
        if GRADE not in scenario.replies.get(f"q{r.index}", [""])[0]
    ]
    assert not wrong, wrong[:5]
    assert scenario.health_up == 200


def test_the_announcer_survives_the_outage(scenario: Scenario) -> None:
    assert scenario.announcer_alive, scenario.announcer_error


def test_alerts_queued_before_the_outage_are_delivered_exactly_once(scenario: Scenario) -> None:
    assert scenario.posted_before_outage < len(scenario.queued), "the outage hit mid-delivery"
    missing = sorted(set(scenario.queued) - set(scenario.posted))
    doubled = {key: n for key, n in scenario.posted.items() if n > 1}
    assert not missing, (
        f"{len(missing)} of {len(scenario.queued)} not delivered "
        f"{ALERTS_AFTER_LOAD + LOAD_SECONDS - OUTAGE_SECONDS - 3:.0f} s after the restart; "
        f"their rows: {scenario.rows_not_sent}"
    )
    assert not doubled, doubled
    assert not scenario.rows_not_sent, scenario.rows_not_sent
