"""The newcomer's first question, end to end through the real database."""

from answers.presentation.plain import to_text
from answers.service import Answerer


async def test_goseong_2023_is_ga_with_its_source(answerer: Answerer) -> None:
    answer = await answerer.answer("경남 고성군 2023 등급")
    text = to_text(answer)
    assert "2023년 가" in text
    assert "https://news1.kr/amp/local/busan-gyeongnam/5322897" in text
