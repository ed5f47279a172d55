"""The finder's views and the dashboard stay within Slack's limits (checked with the same
validator the fake Slack refuses views with), whatever they hold: every agency's card, long
names, many years, many options; and a modal's state survives the round trip through
``private_metadata`` (forged or malformed metadata reads as empty)."""

from __future__ import annotations

import pytest
from blockkit import options_problems, view_problems

from answers.answer import Action, Answer, Choice
from answers.query import Intent, Lang
from answers.service import Answerer
from answers.understanding.context import Viewer
from slack_adapter.views import (
    MAX_OPTION_TEXT,
    MAX_OPTIONS,
    CardState,
    card_loading_view,
    card_view,
    finder_loading_view,
    finder_view,
    fits,
    home_view,
    options,
)

STATE = CardState(channel="C0GRADES", agency=101, year=2025, chart="F0123456789", tries=2)


def test_the_state_survives_private_metadata() -> None:
    assert CardState.load(STATE.dump()) == STATE
    assert CardState.load(CardState().dump()) == CardState()


@pytest.mark.parametrize(
    "metadata",
    ["", "not json", "[1, 2]", '{"agency": "101"}', '{"agency": -1, "year": true}', "{" * 5000],
)
def test_malformed_metadata_reads_as_empty(metadata: str) -> None:
    state = CardState.load(metadata)
    assert state.agency is None and state.year is None


def test_options_keep_to_slacks_limits() -> None:
    many = [Choice(str(n), f"{'아주 긴 기관 이름 ' * 10}{n}") for n in range(150)]
    built = options([*many, Choice("x" * 151, "too long a value")])
    assert len(built) == MAX_OPTIONS
    assert all(len(o["text"]["text"]) <= MAX_OPTION_TEXT for o in built)
    assert options_problems({"options": built}) == []


def test_the_finder_views_fit_with_many_years() -> None:
    years = [Choice(str(y), f"{y}년") for y in range(1900, 2100)]
    for view in (finder_loading_view(STATE), finder_view(years, STATE, notice="!" * 5000)):
        assert fits(view) == [] and view_problems(view, kinds=("modal",)) == []


def test_fits_names_what_slack_would_refuse() -> None:
    view = finder_view([], STATE)
    view["title"]["text"] = "이 제목은 스물네 글자를 훨씬 넘어서 슬랙이 받지 않습니다"
    view["blocks"] = view["blocks"] * 60
    view["private_metadata"] = "x" * 3001
    assert len(fits(view)) == 3


async def test_every_agencys_card_fits_a_modal(answerer: Answerer) -> None:
    catalog = await answerer.data.catalog()
    admin = Viewer(user_id="UADMIN", is_admin=True)
    for agency in catalog.agencies.values():
        card = await answerer.card(agency.id, None, admin)
        state = CardState(channel="C0GRADES", agency=agency.id, chart="F0123456789")
        view = card_view(card, state, status=card)
        assert fits(view) == [], agency
        assert view_problems(view, kinds=("modal",)) == [], (agency, view_problems(view))
    assert view_problems(card_loading_view(STATE), kinds=("modal",)) == []


def test_a_dashboard_with_many_lines_fits_the_home_tab() -> None:
    lines = tuple(f"• *기관 {n}* — 2025년 *가* ▲1 · <#C{n:05d}>" for n in range(400))
    answer = Answer(Intent.HELP, Lang.KO, "민원서비스 종합평가 봇", lines)
    notice = Answer(Intent.HELP, Lang.KO, "공개했습니다", ("2025년을 공개했습니다.",))
    view = home_view(answer, notice=notice)
    assert view_problems(view, kinds=("home",)) == []


def test_a_long_notice_never_pushes_the_dashboards_buttons_off_the_home_tab() -> None:
    lines = tuple(f"• *기관 {n}* — 2025년 *가* ▲1 " + "·" * 2900 for n in range(400))
    button = Action("open_finder", "기관 등급 찾기", "open")
    answer = Answer(Intent.HELP, Lang.KO, "민원서비스 종합평가 봇", lines, actions=(button,))
    notice = Answer(Intent.HELP, Lang.KO, "알림", tuple("x" * 2900 for _ in range(200)))
    view = home_view(answer, notice=notice)
    assert view_problems(view, kinds=("home",)) == []
    actions = [b for b in view["blocks"] if b["type"] == "actions"]
    assert [e["action_id"] for b in actions for e in b["elements"]] == ["open_finder"]
