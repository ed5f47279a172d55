"""The database: engine, sessions, the one unit-of-work helper, and migrations."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

MIGRATION_LOCK_ID = 74_510_301  # PostgreSQL advisory lock: one migrator at a time
# Where a plain OSError or TimeoutError must have passed through to be the database's own.
DRIVER_PACKAGES = frozenset({"sqlalchemy", "asyncpg", "aiosqlite", "sqlite3"})


DATA_CHANGED = "data_changed"  # session.info flag: this transaction bumped the data version


class DatabaseUnavailable(Exception):
    """The database cannot be reached right now; the caller should say so kindly."""


def make_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL with synchronous=NORMAL: never corrupts, commits without an fsync each; a power
    # cut may lose the last transactions, which a bot can redo (Slack retries, re-ingest).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Database:
    """Owns the engine and hands out units of work."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._write_lock = asyncio.Lock()
        # Bumped after each commit that changed the data version through this object, so
        # readers caching the version (answers/data.py) see this process's writes at once.
        self.data_generation = 0

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One transaction: commits when the block ends, rolls back when it raises.

        Losing the database (refused connection, dropped socket, timeout) surfaces as
        :class:`DatabaseUnavailable`, so callers can answer kindly and try again later.
        Anything else raised inside the block (a Slack timeout, a closed pipe) propagates
        as itself: only the database's own failures are called an outage.
        """
        try:
            async with self.sessions() as session:
                try:
                    yield session
                    await session.commit()
                    if session.info.pop(DATA_CHANGED, False):
                        self.data_generation += 1
                except BaseException:
                    await _quiet_rollback(session)
                    raise
        except Exception as exc:
            if is_outage(exc):
                raise DatabaseUnavailable(_first_line(exc)) from exc
            raise

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A unit of work that writes. SQLite has one writer: hot write paths queue here, in
        asyncio, instead of in SQLite's sleeping busy handler (1–100 ms naps under load)."""
        if self.is_postgres:
            async with self.unit_of_work() as session:
                yield session
            return
        async with self._write_lock, self.unit_of_work() as session:
            yield session

    async def migrate(self) -> None:
        """Bring the schema to the newest migration (safe with several instances: an
        advisory lock on PostgreSQL, a lock on a ``<db>.lock`` file beside SQLite's)."""
        async with _file_lock(self._sqlite_lock_path()), self.engine.begin() as conn:
            if self.is_postgres:
                await conn.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})"))
            await conn.run_sync(_upgrade)

    def _sqlite_lock_path(self) -> Path | None:
        url = self.engine.url
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        database = Path(url.database).expanduser()
        return database.with_name(database.name + ".lock")

    async def ping(self) -> bool:
        try:
            async with asyncio.timeout(3):
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()


async def _quiet_rollback(session: AsyncSession) -> None:
    with contextlib.suppress(Exception):  # the connection may be gone; the first error matters
        await session.rollback()


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` is the database failing (unreachable, dropped, refusing, timing out),
    as opposed to an error of the code that ran inside a unit of work."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or _server_unavailable(exc)
    if isinstance(exc, OSError | TimeoutError):
        return _raised_by_driver(exc)
    return False


def _raised_by_driver(exc: BaseException) -> bool:
    """True when the error (or what caused it, e.g. the cancellation behind a timeout)
    was raised while SQLAlchemy or a database driver was on the stack."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        tb = seen.__traceback__
        while tb is not None:
            module = str(tb.tb_frame.f_globals.get("__name__", ""))
            if module.partition(".")[0] in DRIVER_PACKAGES:
                return True
            tb = tb.tb_next
        seen = seen.__cause__
    return False


@asynccontextmanager
async def _file_lock(path: Path | None) -> AsyncIterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (nothing when ``path`` is None); the wait
    runs in a thread so the event loop keeps serving meanwhile."""
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# SQLSTATE class 08 (connection exception) and "shutting down / starting up".
UNAVAILABLE_STATES = ("57P01", "57P02", "57P03")


def _server_unavailable(exc: DBAPIError) -> bool:
    """PostgreSQL refusing work while it stops or starts is an outage, not a bug."""
    state = str(getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None) or "")
    return state.startswith("08") or state in UNAVAILABLE_STATES


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{exc.__class__.__name__}: {text[0][:200] if text else ''}"


def alembic_config() -> Config:
    location = resources.files("storage.migrations")
    config = Config()
    config.set_main_option("script_location", str(location))
    return config


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
