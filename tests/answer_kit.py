"""Asking the answerer as a user would and reading the bundled CSV as the expectation."""

from __future__ import annotations

import pandas as pd

from answers.answer import Answer
from answers.presentation.plain import to_text
from answers.service import Answerer
from answers.understanding.context import Viewer


async def ask(answerer: Answerer, text: str, viewer: Viewer | None = None) -> tuple[Answer, str]:
    """The answer to ``text`` and the plain text a user would read."""
    answer = await answerer.answer(text, viewer)
    return answer, to_text(answer)


def record(grades: pd.DataFrame, agency: str, region: str = "") -> dict[int, str]:
    """One agency's grades by year, as grades.csv states them."""
    found = grades[(grades.agency == agency) & (grades.region == region)]
    return dict(zip(found.year, found.grade, strict=True))
