"""Only the database's own failures are called an outage: an error raised by the code
inside a unit of work (a Slack timeout, a closed pipe) comes out as itself."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database, DatabaseUnavailable
from storage.models import Meta

REFUSING_URL = "postgresql+asyncpg://postgres@127.0.0.1:1/nothing"  # port 1: nobody listens


@pytest.mark.parametrize("error", [TimeoutError("Slack did not answer"), BrokenPipeError(32, "x")])
async def test_an_error_raised_inside_the_block_is_not_an_outage(
    db: Database, error: OSError
) -> None:
    with pytest.raises(type(error)) as raised:
        async with db.unit_of_work() as session:
            await session.execute(text("SELECT 1"))
            raise error
    assert raised.value is error


async def test_a_timeout_inside_the_block_still_rolls_back(db: Database) -> None:
    with pytest.raises(TimeoutError):
        async with db.unit_of_work() as session:
            session.add(Meta(key="written-before-the-timeout", value="x"))
            await session.flush()
            async with asyncio.timeout(0.01):
                await asyncio.sleep(1)  # e.g. waiting for Slack
    async with db.unit_of_work() as session:
        assert await session.get(Meta, "written-before-the-timeout") is None


async def test_a_refused_postgresql_connection_is_an_outage() -> None:
    db = Database(REFUSING_URL)
    try:
        with pytest.raises(DatabaseUnavailable, match="ConnectionRefusedError|OSError"):
            async with db.unit_of_work() as session:
                await session.execute(text("SELECT 1"))
    finally:
        await db.dispose()


async def test_a_sqlite_file_that_cannot_be_opened_is_an_outage(tmp_path: Path) -> None:
    (tmp_path / "gone.db").mkdir()  # a directory where the file should be
    before = _sqlite_workers()
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'gone.db'}")
    try:
        with pytest.raises(DatabaseUnavailable):
            async with db.unit_of_work() as session:
                await session.execute(text("SELECT 1"))
    finally:
        await db.dispose()
        await _ended(_sqlite_workers() - before)


def _sqlite_workers() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if "_connection_worker_thread" in t.name}


async def _ended(threads: set[threading.Thread], timeout: float = 10.0) -> None:
    """aiosqlite stops the thread of a connection that failed to open without waiting for
    it, and the thread then answers this test's loop: let it, before the loop closes (else it
    dies on "Event loop is closed", a PytestUnhandledThreadExceptionWarning in a later test)."""
    deadline = time.monotonic() + timeout
    while any(t.is_alive() for t in threads):
        assert time.monotonic() < deadline, "aiosqlite's worker thread did not stop"
        await asyncio.sleep(0.01)
