"""What an announcement says, from its typed payload, and how payloads survive the outbox."""

from __future__ import annotations

from dataclasses import replace

import pytest

from answers.presentation.announcements import (
    admin_report_answer,
    alert_answer,
    announcement_answer,
    correction_answer,
    summary_answer,
)
from domain.groups import AgencyType
from storage.models import AnnouncementKind
from storage.payloads import (
    AdminReportPayload,
    AlertPayload,
    CorrectionPayload,
    Payload,
    SummaryPayload,
    read_payload,
)

GOSEONG = AlertPayload(
    agency="고성군",
    region="경남",
    agency_type=AgencyType.LOCAL.value,
    group="기초-군",
    year=2024,
    grade="가",
    scale="가-마",
    previous_year=2023,
    previous_grade="다",
    previous_scale="가-마",
    steps=2,
    source_url="https://example.org/2024",
    published_name="고성군",
)


def test_a_rise_shows_the_arrow_steps_and_region() -> None:
    answer = alert_answer(GOSEONG)
    assert answer.title == "경남 고성군 2024년 등급 상승"
    assert answer.lines == ("*경남 고성군* 2024년 *가* (2023년 다 → 가 ▲2)\n평가군: 기초-군",)
    assert [source.url for source in answer.sources] == ["https://example.org/2024"]


def test_a_fall_and_an_unchanged_grade() -> None:
    fell = alert_answer(replace(GOSEONG, grade="마", steps=-2, group=None))
    assert fell.title.endswith("등급 하락") and "다 → 마 ▼2)" in fell.lines[0]
    same = alert_answer(replace(GOSEONG, grade="다", steps=0))
    assert same.title.endswith("등급 확정") and "다 → 다 변동 없음)" in same.lines[0]


def test_a_central_agency_is_named_without_region() -> None:
    central = replace(GOSEONG, agency="행정안전부", region="", agency_type="중앙행정기관")
    assert alert_answer(central).title == "행정안전부 2024년 등급 상승"


@pytest.mark.parametrize(
    ("previous_year", "previous_grade", "previous_scale", "reason"),
    [
        (2023, None, None, "2023년 공개 기록이 없어 비교하지 않습니다."),
        (2017, "우수", "3단계", "2017년은 등급 체계가 달라 비교하지 않습니다."),
        (None, None, None, "이전 평가가 없습니다."),
    ],
)
def test_a_first_record_says_why_it_is_not_compared(
    previous_year: int | None, previous_grade: str | None, previous_scale: str | None, reason: str
) -> None:
    first = replace(
        GOSEONG,
        previous_year=previous_year,
        previous_grade=previous_grade,
        previous_scale=previous_scale,
        steps=0,
    )
    answer = alert_answer(first)
    assert answer.title == "경남 고성군 2024년 등급 공개"
    assert answer.lines == (f"*경남 고성군* 2024년 *가* — 첫 기록\n{reason}\n평가군: 기초-군",)


def test_a_correction_edits_the_alert_and_explains_in_its_thread() -> None:
    fixed, thread = correction_answer(CorrectionPayload(GOSEONG, corrected_from="나"))
    note = "정정: 2024년 경남 고성군 등급이 나 → 가로 수정되었습니다."
    assert fixed.title == "[정정] 경남 고성군 2024년 등급 상승"
    assert fixed.lines == alert_answer(GOSEONG).lines and fixed.notes == (note,)
    assert thread == f"{note} 위 메시지를 고쳤습니다."


def test_the_summary_lists_groups_in_the_domain_order_and_the_biggest_moves() -> None:
    fell = replace(GOSEONG, agency="함양군", grade="라", previous_grade="가", steps=-3)
    summary = SummaryPayload(
        year=2024,
        previous_year=2023,
        counts={"기타": {"나": 1}, "기초-군": {"다": 2, "가": 1}, "중앙": {"나": 3}},
        risers=(GOSEONG,),
        fallers=(fell,),
        known=7,
        evaluated=300,
        pairs=5,
    )
    answer = summary_answer(summary)
    assert answer.title == "2024년 민원서비스 종합평가 결과 공개"
    assert answer.lines == (
        "*중앙*: 나 3",
        "*기초-군*: 가 1 · 다 2",
        "*기타*: 나 1",
        "가장 많이 오른 기관: 경남 고성군 다→가",
        "가장 많이 내린 기관: 경남 함양군 가→라",
    )
    assert answer.notes == (
        "공개 자료에서 확인된 7개 기관 / 평가 대상 300개 기준입니다. "
        "전년(2023) 대비 비교 가능한 기관 5개.",
    )
    assert answer.chart is not None and answer.chart.counts == summary.counts


def test_the_admin_report_names_the_channel_and_the_error() -> None:
    answer = admin_report_answer(AdminReportPayload("CDEAD", 2024, "not_in_channel"))
    assert answer.lines[0] == "<#CDEAD> 채널에 2024년 알림을 보내지 못했습니다: `not_in_channel`."


PAYLOADS: list[tuple[AnnouncementKind, Payload]] = [
    (AnnouncementKind.CHANGE, GOSEONG),
    (AnnouncementKind.FIRST_RECORD, replace(GOSEONG, previous_grade=None, previous_scale=None)),
    (AnnouncementKind.CORRECTION, CorrectionPayload(GOSEONG, corrected_from="나")),
    (AnnouncementKind.SUMMARY, SummaryPayload(2024, 2023, {"중앙": {"가": 1}}, (GOSEONG,))),
    (AnnouncementKind.ADMIN_REPORT, AdminReportPayload("CDEAD", 2024, "is_archived")),
]


@pytest.mark.parametrize(("kind", "payload"), PAYLOADS, ids=[str(k) for k, _ in PAYLOADS])
def test_a_payload_reads_back_as_it_was_queued(kind: AnnouncementKind, payload: Payload) -> None:
    assert read_payload(kind, payload.to_json()) == payload
    assert announcement_answer(read_payload(kind, payload.to_json())).title


def test_a_row_queued_before_typed_payloads_still_reads() -> None:
    """The outbox column keeps its keys: a row written as a plain dict reads the same."""
    stored = {
        "agency": "고성군",
        "region": "경남",
        "agency_type": "기초자치단체",
        "group": "기초-군",
        "year": 2024,
        "grade": "가",
        "scale": "가-마",
        "previous_year": 2023,
        "previous_grade": "다",
        "previous_scale": "가-마",
        "steps": 2,
        "source_url": "https://example.org/2024",
        "published_name": "고성군",
        "corrected_from": "나",
    }
    assert read_payload(AnnouncementKind.CORRECTION, stored) == CorrectionPayload(GOSEONG, "나")
    assert read_payload(AnnouncementKind.CHANGE, stored) == GOSEONG
