"""Asking where a figure comes from ('경찰청 2025 출처', 'sources for Goseong 2023'): every
source of the result with the load it came from, the loads that confirmed it and every
earlier version; the same record `minwon-bot record` prints."""

from __future__ import annotations

import official_kit as fx
from storage_kit import result_of

from answers.data import DataAccess
from answers.intents.sources import record_answer
from answers.presentation.plain import to_text
from answers.query import Intent
from answers.service import Answerer
from answers.understanding.context import Viewer
from storage.db import Database
from storage.ingest import ingest_bytes


async def test_the_bundled_source_is_named_with_its_load(answerer: Answerer) -> None:
    answer = await answerer.answer("경찰청 2025 출처")
    text = to_text(answer)
    assert answer.intent is Intent.SOURCES and answer.has_data
    assert "https://mobile.newsis.com/view_amp.html?ar_id=NISX20260213_0003515914" in text
    assert "bundled grades.csv" in text and "이전 판 없음" in text
    assert "점수 91.8" in text


async def test_a_confirming_table_is_listed_beside_the_article(loaded_db: Database) -> None:
    table = fx.csv_bytes(fx.year_table(2025, written={"전북특별자치도": "전라북도"}))
    await ingest_bytes(loaded_db, table, name="2025 결과.csv", actor="cli:ops")
    text = to_text(await Answerer(loaded_db).answer("전북특별자치도 2025 출처"))
    jeonbuk = await result_of(loaded_db, "전북특별자치도", "전북", 2025)
    assert jeonbuk is not None
    assert "출처 2곳" in text and jeonbuk.source_url in text and fx.TABLE_SOURCE in text
    assert "확인: 2025 결과.csv · cli:ops" in text
    assert "파일에 적힌 이름 전라북도" in text  # kept in the history …
    assert "기록 이름 전북특별자치도" in text  # … never the name of record


async def test_an_english_question_covers_each_agency_of_a_shared_name(
    answerer: Answerer,
) -> None:
    answer = await answerer.answer("sources for Goseong 2023")
    text = to_text(answer)
    assert answer.lang.value == "en" and "1 source(s)" in text
    assert "Gangwon" in text and "Gyeongnam" in text
    assert "no earlier version" in text


async def test_a_year_without_a_result_says_so(answerer: Answerer) -> None:
    text = to_text(await answerer.answer("우주항공청 2025 출처"))
    assert "2025년 결과가 기록에 없습니다" in text


async def test_a_draft_year_is_only_for_admins(loaded_db: Database) -> None:
    rows = [fx.header(), ["중앙행정기관", "경찰청", "", "", "", ""]]
    await ingest_bytes(
        loaded_db,
        fx.csv_bytes(rows),
        name="2026.csv",
        actor="cli:ops",
        year=2026,
        source_url=fx.TABLE_SOURCE,
    )
    answerer = Answerer(loaded_db)
    public = to_text(await answerer.answer("경찰청 2026 출처"))
    admin = to_text(await answerer.answer("경찰청 2026 출처", Viewer(is_admin=True)))
    assert fx.TABLE_SOURCE not in public and fx.TABLE_SOURCE in admin


async def test_the_record_command_resolves_names_as_ingest_does(loaded_db: Database) -> None:
    data = DataAccess(loaded_db)
    one = to_text(await record_answer(data, "고성군(경남)", 2023))
    assert "경남 고성군" in one and "강원" not in one.split("\n\n")[1]
    both = to_text(await record_answer(data, "고성군", 2023))
    assert "강원 고성군" in both and "경남 고성군" in both
    former = to_text(await record_answer(data, "전라북도", 2025))
    assert "전북특별자치도 — 2025년" in former
    unknown = await record_answer(data, "김헤시", 2024)
    assert not unknown.has_data and "김해시" in to_text(unknown)


async def test_a_result_stored_before_history_was_kept_says_so(loaded_db: Database) -> None:
    """Results of a database migrated from before 0007 have no provenance: said, not faked."""
    from sqlalchemy import update

    from storage.models import Result

    async with loaded_db.unit_of_work() as session:
        await session.execute(
            update(Result).values(
                written_name=None, source_file=None, loaded_by=None, loaded_at=None
            )
        )
    text = to_text(await Answerer(loaded_db).answer("경찰청 2025 출처"))
    assert "누가 언제 불러왔는지 기록 없음" in text and "None" not in text
