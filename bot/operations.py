"""What each `minwon-bot` subcommand does, as plain async functions (tested without the CLI)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import getpass
import signal
import sys
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InvalidRequestError

from answers.answer import Answer, tr
from answers.data import DataAccess
from answers.intents.coverage import coverage_answer
from answers.intents.sources import record_answer
from answers.presentation.plain import to_text
from answers.service import Answerer
from answers.understanding.context import Viewer
from bot.config import ConfigError, Settings
from bot.console import echoed, run_console
from intake.documents import MAX_BYTES
from storage.bundled_data import ensure_ready
from storage.db import Database
from storage.deliveries import forget_old_deliveries
from storage.ingest import IngestReport, ingest_bytes, ingest_file
from storage.publishing import PublishReport, publish_year

CONNECT_HINT = (
    "Slack is not configured: answering here in the terminal. "
    "To connect a workspace, set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (or SLACK_SIGNING_SECRET) "
    "in .env — see README, 'Connect to Slack'."
)


async def open_database(settings: Settings) -> Database:
    """The database, migrated and filled with the bundled results on first use."""
    db = connect(settings.database_url)
    try:
        await ensure_ready(db)
    except BaseException:
        await db.dispose()
        raise
    return db


def connect(url: str) -> Database:
    """A :class:`Database` for ``url``; a URL that names no usable async database is a
    :class:`ConfigError`, not a traceback."""
    try:
        return Database(url)
    except (ArgumentError, InvalidRequestError, ImportError) as exc:
        try:
            shown = make_url(url).render_as_string(hide_password=True)
        except ArgumentError:
            shown = "(not a database URL)"
        raise ConfigError(
            f"DATABASE_URL {shown} cannot be used ({exc.__class__.__name__}: "
            f"{(str(exc).splitlines() or [''])[0][:120]}); use sqlite+aiosqlite:///PATH or "
            "postgresql+asyncpg://USER@HOST:PORT/DB"
        ) from None


def operator() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


async def ask(
    settings: Settings, question: str, *, drafts: bool = False, chart: Path | None = None
) -> bool:
    db = await open_database(settings)
    try:
        answer = await Answerer(db).answer_safely(question, Viewer(is_admin=drafts))
        sys.stdout.write(to_text(answer))
        if chart is not None:
            sys.stdout.write(save_chart(answer, chart) + "\n")
        return answer.understood
    finally:
        await db.dispose()


async def ask_file(settings: Settings, lines: Iterable[str], *, drafts: bool = False) -> bool:
    """`ask --file`: one question per line (blank lines skipped), each answer after its
    question echoed; True when every question was understood."""
    db = await open_database(settings)
    understood = True
    try:
        answerer = Answerer(db)
        for line in lines:
            question = line.strip()
            if not question:
                continue
            answer = await answerer.answer_safely(question, Viewer(is_admin=drafts))
            sys.stdout.write(echoed(question) + "\n" + to_text(answer) + "\n")
            understood = understood and answer.understood
        return understood
    finally:
        await db.dispose()


def save_chart(answer: Answer, path: Path) -> str:
    """Write the answer's chart as PNG; say where (or that this answer has none)."""
    if answer.chart is None:
        return tr(answer.lang, "이 답에는 그래프가 없습니다.", "This answer has no chart.")
    from answers.presentation.charts import render  # matplotlib loads only when a chart is drawn

    try:
        path.write_bytes(render(answer.chart, lang=answer.lang))
    except OSError as exc:
        raise ChartError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return tr(answer.lang, f"그래프를 {path}에 저장했습니다.", f"Chart written to {path}.")


class ChartError(Exception):
    """The chart file could not be written."""


async def console(settings: Settings, *, drafts: bool = False, banner: str = "") -> None:
    db = await open_database(settings)
    try:
        await run_console(Answerer(db), viewer=Viewer(is_admin=drafts), banner=banner)
    finally:
        await db.dispose()


STDIN = "-"
STDIN_NAME = "<stdin>"


async def ingest(
    settings: Settings,
    path: Path,
    *,
    dry_run: bool,
    new_agencies: bool = False,
    year: int | None = None,
    source_url: str | None = None,
    correct: bool = False,
) -> IngestReport:
    """Load ``path``, or standard input when it is ``-`` (read as bytes before the
    database opens: a pasted table, or a file piped in)."""
    stdin = str(path) == STDIN
    data = read_stdin() if stdin else None
    db = await open_database(settings)
    try:
        load = functools.partial(
            ingest_bytes if stdin else ingest_file,
            db,
            actor=operator(),
            dry_run=dry_run,
            new_agencies=new_agencies,
            year=year,
            source_url=source_url,
            correct=correct,
        )
        return await (load(data, name=STDIN_NAME) if data is not None else load(path))
    finally:
        await db.dispose()


def read_stdin() -> bytes:
    """Standard input's bytes, at most one byte past the readers' limit (they refuse more)."""
    return sys.stdin.buffer.read(MAX_BYTES + 1)


async def record(settings: Settings, agency: str, year: int) -> bool:
    """Print the record of ``agency``'s ``year`` result; False when there is none."""
    db = await open_database(settings)
    try:
        answer = await record_answer(DataAccess(db), agency, year)
        sys.stdout.write(to_text(answer))
        return answer.has_data
    finally:
        await db.dispose()


async def coverage(settings: Settings, year: int | None = None) -> str:
    """The coverage table as terminal text (drafts included: the operator's view)."""
    db = await open_database(settings)
    try:
        return to_text(await coverage_answer(db, year=year))
    finally:
        await db.dispose()


async def publish(settings: Settings, year: int) -> PublishReport:
    db = await open_database(settings)
    try:
        return await publish_year(
            db, year, actor=operator(), announce_channel=settings.announce_channel
        )
    finally:
        await db.dispose()


async def serve(settings: Settings, *, http: bool, host: str, port: int) -> None:
    """Serve Slack until SIGINT/SIGTERM: HTTP mode, or Socket Mode when SLACK_APP_TOKEN is set."""
    if http:
        settings.require("slack_bot_token", "slack_signing_secret")
    else:
        settings.require("slack_bot_token", "slack_app_token")
    from bot.app import build_runtime  # Slack's libraries load only when serving Slack
    from bot.server import serve_http, serve_socket_mode

    db = await open_database(settings)
    await forget_old_deliveries(db)  # retried deliveries older than two days need no memory
    stop = _stop_on_signals()
    try:
        runtime = build_runtime(settings, db)
        await runtime.warm()
        delivering = asyncio.create_task(runtime.announcer.run_forever(stop))
        if http:
            await serve_http(runtime.app, db, host=host, port=port, stop=stop)
        else:
            assert settings.slack_app_token is not None
            await serve_socket_mode(
                runtime.app, settings.slack_app_token.get_secret_value(), stop=stop
            )
        stop.set()
        await delivering
        await runtime.close()
    finally:
        await db.dispose()


async def announce(settings: Settings) -> int:
    """Deliver queued announcements now; returns how many are still pending."""
    settings.require("slack_bot_token")
    from bot.announcer import Announcer
    from bot.app import make_client

    db = await open_database(settings)
    try:
        announcer = Announcer(
            db, make_client(settings, wait_on_rate_limit=False), admins=settings.admin_user_ids
        )
        await announcer.drain()
        return await announcer.outbox.pending_count()
    finally:
        await db.dispose()


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def run(settings: Settings) -> None:
    """Serve Slack when configured; otherwise the console on the bundled data."""
    if settings.slack_configured():
        http = settings.slack_app_token is None
        await serve(settings, http=http, host="0.0.0.0", port=3000)
        return
    print(CONNECT_HINT, file=sys.stderr)
    await console(settings)
