"""Natural Korean: particles chosen by the word's final sound, never '은(는)' in any text
an answer or an announcement builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from answers.presentation.plain import to_text
from answers.service import Answerer
from domain.text import josa

ROOT = Path(__file__).resolve().parents[2]
# the hedged forms a reader trips over; the packages that build user text must not hold them
HEDGED = re.compile(
    r"은\(는\)|는\(은\)|이\(가\)|가\(이\)|을\(를\)|를\(을\)|\(으\)로|와\(과\)|과\(와\)"
)


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("중구", "은/는", "중구는"),
        ("김해시", "을/를", "김해시를"),
        ("고성군", "으로/로", "고성군으로"),
        ("서울특별시", "으로/로", "서울특별시로"),  # a vowel
        ("경기도 하남시", "이/가", "경기도 하남시가"),
        ("세종특별자치시", "은/는", "세종특별자치시는"),
        ("강원특별자치도", "과/와", "강원특별자치도와"),
        ("행정안전부", "을/를", "행정안전부를"),
        ("구미시", "으로/로", "구미시로"),
        ("울산광역시교육청", "으로/로", "울산광역시교육청으로"),
        ("서울", "으로/로", "서울로"),  # ㄹ takes 로
        ("2023년", "은/는", "2023년은"),
        ("2024", "은/는", "2024는"),  # 이천이십사
        ("2023", "은/는", "2023은"),  # 삼
        ("2020", "이/가", "2020이"),  # 이십
        ("2017", "으로/로", "2017로"),  # 칠
        ("100", "이/가", "100이"),  # 백
        ("가", "으로/로", "가로"),
        ("마", "이/가", "마가"),
        ("KTX", "은/는", "KTX는"),
        ("URL", "으로/로", "URL로"),  # 엘
        ("PDF", "을/를", "PDF를"),
        ("*고성군*", "이/가", "*고성군*이"),  # markup is not read
        ("'중구'", "은/는", "'중구'는"),
    ],
)
def test_particle_follows_the_final_sound(word: str, pair: str, expected: str) -> None:
    assert josa(word, pair) == expected


def test_no_hedged_particle_in_answer_or_announcement_text() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for package in ("answers", "storage", "bot", "handlers", "domain")
        for path in sorted((ROOT / package).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HEDGED.search(line)
    ]
    assert found == []


async def test_rendered_notes_use_the_right_particle(answerer: Answerer) -> None:
    text = to_text(await answerer.answer("중구 2024"))
    assert "'중구'는 여러 기관입니다" in text
    text = to_text(await answerer.answer("고성군 2024"))
    assert "'고성군'은 여러 기관입니다" in text
    assert not HEDGED.search(text)
