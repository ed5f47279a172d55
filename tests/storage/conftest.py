"""Storage fixtures: one database with the bundled data shared by a whole test module,
for tests that must leave it unchanged (and check that they do)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy.engine import make_url

from storage.db import Database

POSTGRES_URL = os.environ.get("MINWON_TEST_POSTGRES_URL", "")


async def _pg_execute(statement: str) -> None:
    import asyncpg

    admin = make_url(POSTGRES_URL).set(drivername="postgresql")
    conn = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def shared_loaded_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A copy of the bundled-data template for this module: tests using it must not write."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("shared") / "loaded.db"
        shutil.copy(request.getfixturevalue("bundled_sqlite"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need MINWON_TEST_POSTGRES_URL (set by .ci/run)")
    template = request.getfixturevalue("bundled_postgres")
    name = f"minwon_s_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (for tests of several instances at once)."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need MINWON_TEST_POSTGRES_URL (set by .ci/run)")
    name = f"minwon_s_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def shared_loaded_db(shared_loaded_url: str) -> AsyncIterator[Database]:
    database = Database(shared_loaded_url)
    yield database
    await database.dispose()
