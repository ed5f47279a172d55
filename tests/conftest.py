"""Shared fixtures: real databases (SQLite always, PostgreSQL when MINWON_TEST_POSTGRES_URL
is set), each test on its own fresh database, and a template with the bundled data loaded
once per session and copied per test."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))

from answers.data import DataAccess  # noqa: E402
from answers.service import Answerer  # noqa: E402
from answers.understanding.catalog import Catalog  # noqa: E402
from storage.bundled_data import ensure_ready  # noqa: E402
from storage.db import Database  # noqa: E402

POSTGRES_URL = os.environ.get("MINWON_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _admin_dsn() -> str:
    url = make_url(POSTGRES_URL).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def _pg_execute(*statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_admin_dsn())
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def _pg_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


async def _load(url: str) -> None:
    db = Database(url)
    try:
        await ensure_ready(db)
    finally:
        await db.dispose()


@pytest.fixture(scope="session")
def bundled_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "bundled.db"
    asyncio.run(_load(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def catalog(bundled_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The agency catalog of the bundled data, for testing the parser as a pure function."""
    path = tmp_path_factory.mktemp("catalog") / "catalog.db"
    shutil.copy(bundled_sqlite, path)

    async def build() -> Catalog:
        db = Database(f"sqlite+aiosqlite:///{path}")
        try:
            return await DataAccess(db).catalog()
        finally:
            await db.dispose()

    return asyncio.run(build())


@pytest.fixture(scope="session")
def bundled_postgres() -> Iterator[str]:
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need MINWON_TEST_POSTGRES_URL (set by .ci/run)")
    name = f"minwon_tpl_{uuid.uuid4().hex[:8]}"
    asyncio.run(_pg_execute(f'CREATE DATABASE "{name}"'))
    asyncio.run(_load(_pg_url(name)))
    yield name
    asyncio.run(_pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need MINWON_TEST_POSTGRES_URL (set by .ci/run)")
    return str(request.param)


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A URL to a fresh, empty database (no schema yet)."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    name = f"minwon_t_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute(f'CREATE DATABASE "{name}"'))
    yield _pg_url(name)
    asyncio.run(_pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def loaded_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A URL to a fresh database holding the bundled results (copied from a template)."""
    if backend == "sqlite":
        path = tmp_path / "loaded.db"
        shutil.copy(request.getfixturevalue("bundled_sqlite"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template = request.getfixturevalue("bundled_postgres")
    name = f"minwon_t_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _pg_url(name)
    asyncio.run(_pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def db(empty_url: str) -> AsyncIterator[Database]:
    """An empty database with the schema migrated."""
    database = Database(empty_url)
    await database.migrate()
    yield database
    await database.dispose()


@pytest.fixture
async def loaded_db(loaded_url: str) -> AsyncIterator[Database]:
    database = Database(loaded_url)
    yield database
    await database.dispose()


@pytest.fixture
async def answerer(loaded_db: Database) -> Answerer:
    return Answerer(loaded_db)
