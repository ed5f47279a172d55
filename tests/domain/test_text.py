"""How text typed so far is read: a Korean keyboard shows 고성 as 곳 on the way."""

from __future__ import annotations

import pytest

from domain.text import jamo, typed_forms


@pytest.mark.parametrize(
    ("typed", "goes_on_as"),
    [
        ("곳", "고성"),  # the ㅅ of 곳 is 성's initial
        ("공", "공주"),  # … or a final after all
        ("공", "고양"),
        ("달", "달성"),
        ("닭", "달기"),  # a compound final splits: ㄹ stays, ㄱ moves on
        ("ㄱ", "고성"),  # a lone consonant (NFKC makes it an initial)
        ("김헤", "김해"),  # sound-alike vowels are one
        ("Gimhae", "gimhae"),
    ],
)
def test_a_half_typed_word_is_the_start_of_what_it_goes_on_as(typed: str, goes_on_as: str) -> None:
    assert any(jamo(goes_on_as).startswith(form) for form in typed_forms(typed))


@pytest.mark.parametrize("typed", ["", "  ", "!!", "·"])
def test_nothing_typed_has_no_forms(typed: str) -> None:
    assert typed_forms(typed) == ()


def test_a_word_without_a_final_has_one_form() -> None:
    assert typed_forms("고") == (jamo("고"),)
