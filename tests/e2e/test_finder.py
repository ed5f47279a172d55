"""The finder end to end over HTTP: `/grade` alone, the global shortcut and App Home's
button open it; its picker answers what people type; submitting shows the agency card;
the card shares itself to a channel once and makes a channel follow the agency."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from announce_kit import agency_id, bundled, make_draft, subscribe
from finder_kit import (
    ANALYST,
    GRADES,
    agency_options,
    blocks_of,
    click,
    only_view,
    picked,
    send,
    texts,
    year_options,
)
from minwon_e2e import RunningBot, cut_database, restore_database
from slackreq import make_command, new_trigger_id, shortcut_payload, suggestion_payload
from slackreq import submission_payload as submitted
from sqlalchemy import select
from tcpproxy import TcpProxy

from answers.answer import Answer
from answers.service import Answerer
from handlers import finder
from storage.models import AuditEntry, EvaluationYear, Subscription, TargetKind, YearStatus


async def _open_by_command(bot: RunningBot) -> dict:
    body, headers = make_command(
        "", response_url=bot.fake.response_url("finder"), trigger_id=new_trigger_id()
    )
    started = time.monotonic()
    assert (await bot.post(body, headers)).status == 200
    [opened] = await bot.fake.wait_for("views.open")
    assert opened.ok and opened.at - started < 3.0, "the modal opens within Slack's 3 s"
    await bot.fake.wait_for("views.update", where=lambda c: c.ok)
    return only_view(bot.fake)


async def _suggest(bot: RunningBot, typed: str, view: dict) -> list[dict]:
    ack = await send(bot, suggestion_payload(typed, view=view))
    return list(ack.get("options", []))


async def _card(bot: RunningBot, name: str, region: str, year: str | None = None) -> dict:
    view = await _open_by_command(bot)
    agency = str(await agency_id(bot.db, name, region))
    ack = await send(bot, submitted(picked(agency, year=year), view=view))
    assert ack["response_action"] == "update"
    return view


async def test_grade_alone_opens_the_finder_and_help_stays_help(bot: RunningBot) -> None:
    view = await _open_by_command(bot)

    picker = agency_options(view)
    assert picker["type"] == "external_select" and picker["min_query_length"] == 1
    published = sorted({str(y) for y in bundled()["year"]}, reverse=True)
    assert year_options(view) == published, "every published year, latest first"
    assert GRADES in view["private_metadata"]
    await bot.fake.sentinel(bot.post)
    assert bot.fake.calls_to("response_url") == [], "the finder is a modal, not a message"

    body, headers = make_command("help", response_url=bot.fake.response_url("help"))
    await bot.post(body, headers)
    [answer] = await bot.fake.wait_for("response_url")
    assert "How to ask" in texts(answer.params), "`/grade help` is still the help"


async def test_the_global_shortcut_opens_the_finder(bot: RunningBot) -> None:
    await send(bot, shortcut_payload(user=ANALYST))
    await bot.fake.wait_for("views.update", where=lambda c: c.ok)
    view = only_view(bot.fake)
    assert agency_options(view)["action_id"] == "agency_pick"
    assert view["private_metadata"] in ("", "{}"), "no channel: the shortcut has none"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("고성", ["고성군 · 강원 · 기초-군", "고성군 · 경남 · 기초-군"]),  # shared: two options
        ("경남 고성", ["고성군 · 경남 · 기초-군"]),
        ("goseong", ["고성군 · 강원 · 기초-군", "고성군 · 경남 · 기초-군"]),  # romanized
        ("행안부", ["행정안전부 · 중앙"]),  # short
        ("강원도", ["강원특별자치도 · 광역"]),  # former
        ("김헤시", ["김해시 · 경남 · 기초-시"]),  # misspelt
        ("Gimhae", ["김해시 · 경남 · 기초-시"]),  # official English / romanized
    ],
)
async def test_the_picker_finds_agencies_by_any_of_their_names(
    bot: RunningBot, typed: str, expected: list[str]
) -> None:
    view = await _open_by_command(bot)
    options = await _suggest(bot, typed, view)
    shown = [o["text"]["text"] for o in options]
    for label in expected:
        assert any(text.startswith(label) for text in shown), (label, shown)
    assert len({o["value"] for o in options}) == len(options), "one option per agency"


@pytest.mark.parametrize("typed", ["asdfgh", "ㅋㅋㅋ", "!!!", "'; DROP TABLE agencies;--"])
async def test_nonsense_gets_no_options_and_no_error(bot: RunningBot, typed: str) -> None:
    view = await _open_by_command(bot)
    assert await _suggest(bot, typed, view) == []


async def test_every_option_names_its_agency_apart(bot: RunningBot) -> None:
    view = await _open_by_command(bot)
    options = await _suggest(bot, "중구", view)
    texts_shown = [o["text"]["text"] for o in options]
    assert len(texts_shown) >= 6 and len(set(texts_shown)) == len(texts_shown)
    assert all(len(t) <= 75 for t in texts_shown)


async def test_submitting_shows_the_card_in_the_same_modal(bot: RunningBot) -> None:
    view = await _card(bot, "고성군", "경남")

    card = bot.fake.view(view["id"])
    assert card is not None and card["callback_id"] == "agency_card"
    shown = texts(card["blocks"])
    rows = bundled()
    mine = rows[(rows["agency"] == "고성군") & (rows["region"] == "경남")]
    for _, row in mine.iterrows():
        assert f"{row['year']} *{row['grade']}*" in shown
    missing = sorted({str(y) for y in rows["year"]} - set(mine["year"]))
    assert all(f"{year} 기록 없음" in shown for year in missing), "gaps are named"
    assert "최근 변화" in shown and "▼1" in shown  # 2024 가 → 2025 나
    assert all(url in shown for url in mine["source_url"]), "every source as a link"
    [actions] = [b for b in card["blocks"] if b.get("block_id") == "card_channel"]
    assert {e["action_id"] for e in actions["elements"]} >= {"share_card", "follow_card"}


async def test_the_cards_chart_is_uploaded_and_shown_in_the_card(bot: RunningBot) -> None:
    view = await _card(bot, "김해시", "경남")

    [upload] = await bot.fake.wait_for("files.completeUploadExternal", where=lambda c: c.ok)
    assert upload.params.get("channel_id") == f"D{ANALYST}", "the chart goes to the user's DM"
    await bot.fake.wait_for("views.update", where=lambda c: c.ok and "slack_file" in str(c.params))
    [image] = blocks_of(bot.fake.view(view["id"]) or {}, "image")
    assert image["slack_file"]["id"] == upload.response["files"][0]["id"]  # type: ignore[index]


async def test_a_year_picked_is_the_cards_year(bot: RunningBot) -> None:
    view = await _card(bot, "고성군", "경남", year="2023")
    card = bot.fake.view(view["id"]) or {}
    assert "2023년 *가*" in texts(card["blocks"])


async def test_no_agency_picked_is_asked_for_again(bot: RunningBot) -> None:
    view = await _open_by_command(bot)
    ack = await send(bot, submitted({}, view=view))
    assert ack["response_action"] == "errors" and "agency" in ack["errors"]


async def test_share_posts_the_card_once_and_says_so(bot: RunningBot) -> None:
    view = await _card(bot, "고성군", "경남")
    card = bot.fake.view(view["id"]) or {}

    await send(bot, click(card, "share_card", channel=GRADES))
    [post] = await bot.fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    assert post.params["channel"] == GRADES
    assert "고성군" in texts(post.params["blocks"]) and ANALYST in texts(post.params["blocks"])
    await bot.fake.wait_for("views.update", where=lambda c: "올렸습니다" in texts(c.params))

    await send(bot, click(bot.fake.view(view["id"]) or {}, "share_card", channel=GRADES))
    await bot.fake.wait_for("views.update", where=lambda c: "이미" in texts(c.params))
    await bot.fake.sentinel(bot.post, via="mention")
    posts = [c for c in bot.fake.accepted_posts() if c.params["channel"] == GRADES]
    assert len(posts) == 1, "a second click does not post the card again"


async def test_share_where_the_bot_may_not_post_explains_and_can_be_retried(
    bot: RunningBot,
) -> None:
    view = await _card(bot, "고성군", "경남")
    bot.fake.fail_next("chat.postMessage", error="not_in_channel")
    await send(bot, click(bot.fake.view(view["id"]) or {}, "share_card", channel=GRADES))
    await bot.fake.wait_for("views.update", where=lambda c: "/invite" in texts(c.params))

    await send(bot, click(bot.fake.view(view["id"]) or {}, "share_card", channel=GRADES))
    await bot.fake.wait_for("chat.postMessage", where=lambda c: c.ok)


async def _subscriptions(bot: RunningBot) -> list[tuple[str, str, str]]:
    async with bot.db.unit_of_work() as session:
        rows = (await session.scalars(select(Subscription))).all()
    return [(r.channel_id, r.target_kind, r.target) for r in rows]


async def test_a_member_makes_the_channel_follow_the_agency(bot: RunningBot) -> None:
    bot.fake.add_channel(GRADES, members=[ANALYST, "UBOT"])
    view = await _card(bot, "고성군", "경남")
    await send(bot, click(bot.fake.view(view["id"]) or {}, "follow_card", channel=GRADES))
    await bot.fake.wait_for("views.update", where=lambda c: "구독했습니다" in texts(c.params))
    agency = str(await agency_id(bot.db, "고성군", "경남"))
    assert await _subscriptions(bot) == [(GRADES, TargetKind.AGENCY, agency)]
    assert bot.fake.calls_to("conversations.members"), "membership was checked"


async def test_a_non_member_is_refused_and_an_admin_is_audited(bot: RunningBot) -> None:
    bot.fake.add_channel("C0OTHER", members=["U0SOMEONE", "UBOT"])
    view = await _card(bot, "고성군", "경남")
    await send(bot, click(bot.fake.view(view["id"]) or {}, "follow_card", channel="C0OTHER"))
    await bot.fake.wait_for("views.update", where=lambda c: "멤버나 관리자만" in texts(c.params))
    assert await _subscriptions(bot) == []

    admin_click = click(bot.fake.view(view["id"]) or {}, "follow_card", channel="C0OTHER")
    admin_click["user"]["id"] = "UADMIN"
    await send(bot, admin_click)
    await bot.fake.wait_for("views.update", where=lambda c: "구독했습니다" in texts(c.params))
    assert len(await _subscriptions(bot)) == 1
    async with bot.db.unit_of_work() as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
    assert "subscription_added" in actions


async def test_app_home_shows_what_the_users_channels_follow(bot: RunningBot) -> None:
    bot.fake.add_channel("C0ONE", members=[ANALYST, "UBOT"])
    bot.fake.add_channel("C0TWO", members=[ANALYST, "UBOT"])
    bot.fake.add_channel("C0ELSE", members=["U0SOMEONE", "UBOT"])
    goseong = str(await agency_id(bot.db, "고성군", "경남"))
    await subscribe(bot.db, "C0ONE", TargetKind.AGENCY, goseong)
    await subscribe(bot.db, "C0TWO", TargetKind.REGION, "경남")
    await subscribe(bot.db, "C0ELSE", TargetKind.AGENCY, str(await agency_id(bot.db, "창원시")))

    await bot.post(*_home_opened())
    await bot.fake.wait_for("views.publish", where=lambda c: c.ok)
    home = bot.fake.last_view(ANALYST, type="home") or {}
    shown = texts(home["blocks"])
    assert "*경남 고성군* — 2025년 *나* ▼1 · <#C0ONE>" in shown
    assert "경남" in shown and "<#C0TWO>" in shown
    assert "C0ELSE" not in shown and "창원시" not in shown, "not the user's channel"
    assert "최근 공개: 2025년 평가" in shown and "아는 것" in shown
    assert "home_publish_year" not in str(home), "no Publish button for a non-admin"

    await send(bot, click(home, "open_finder"))
    [opened] = await bot.fake.wait_for("views.open")
    assert opened.ok


def _home_opened(user: str = ANALYST) -> tuple[str, dict[str, str]]:
    from slackreq import make_event

    return make_event("app_home_opened", user=user)


async def test_an_admin_publishes_a_draft_from_app_home(bot: RunningBot) -> None:
    await make_draft(bot.db, 2025)
    await bot.post(*_home_opened("UADMIN"))
    await bot.fake.wait_for("views.publish", where=lambda c: c.ok)
    home = bot.fake.last_view("UADMIN", type="home") or {}
    assert "공개 대기 초안" in texts(home["blocks"])

    await send(bot, click(home, "home_publish_year", user="UADMIN"))
    await bot.fake.wait_for("views.publish", count=2, where=lambda c: c.ok)
    after = bot.fake.last_view("UADMIN", type="home") or {}
    assert "공개 대기 초안" not in texts(after["blocks"])
    assert "최근 공개: 2025년 평가" in texts(after["blocks"])
    assert await _status(bot, 2025) == YearStatus.PUBLISHED


async def test_a_forged_publish_click_is_refused(bot: RunningBot) -> None:
    await make_draft(bot.db, 2025)
    await bot.post(*_home_opened("UADMIN"))
    await bot.fake.wait_for("views.publish", where=lambda c: c.ok)
    admins_home = bot.fake.last_view("UADMIN", type="home") or {}

    await send(bot, click(admins_home, "home_publish_year", user=ANALYST))
    await bot.fake.wait_for("views.publish", where=lambda c: c.params["user_id"] == ANALYST)
    assert "관리자" in texts(bot.fake.last_view(ANALYST, type="home"))
    assert await _status(bot, 2025) == YearStatus.DRAFT


async def _status(bot: RunningBot, year: int) -> str:
    async with bot.db.unit_of_work() as session:
        query = select(EvaluationYear.status).where(EvaluationYear.year == year)
        return str((await session.scalars(query)).one())


async def test_a_share_whose_answer_was_lost_is_not_posted_twice(bot: RunningBot) -> None:
    view = await _card(bot, "고성군", "경남")
    bot.fake.drop_after_store("chat.postMessage")
    await send(bot, click(bot.fake.view(view["id"]) or {}, "share_card", channel=GRADES))
    await bot.fake.wait_for("views.update", where=lambda c: "올렸습니다" in texts(c.params))
    assert bot.fake.calls_to("conversations.history"), "the lost post was looked for"
    stored = [m for (channel, _), m in bot.fake.messages.items() if channel == GRADES]
    assert len([m for m in stored if not m.get("thread_ts")]) == 1


async def test_the_finder_opens_while_the_database_is_away(
    bot: RunningBot, proxied_url: tuple[str, TcpProxy | None], sqlite_path: Path | None
) -> None:
    await cut_database(bot, proxied_url[1], sqlite_path)
    view = await _open_by_command(bot)  # opened within 3 s, then the form without years
    assert agency_options(view)["action_id"] == "agency_pick" and year_options(view) == []
    assert await _suggest(bot, "고성", view) == [], "an empty list, never an error"
    await restore_database(proxied_url[1], sqlite_path)
    assert len(await _suggest(bot, "고성", view)) == 2


async def test_a_card_not_ready_within_the_ack_arrives_by_update(
    bot: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed = Answerer.card_safely

    async def slowly(self: Answerer, *args: Any, **kwargs: Any) -> Answer:
        await asyncio.sleep(0.5)  # a cold start: the card takes longer than the ack may wait
        return await computed(self, *args, **kwargs)

    monkeypatch.setattr(Answerer, "card_safely", slowly)
    monkeypatch.setattr(finder, "ACK_BUDGET", 0.1)
    view = await _open_by_command(bot)
    agency = str(await agency_id(bot.db, "고성군", "경남"))
    ack = await send(bot, submitted(picked(agency), view=view))
    assert ack["response_action"] == "update" and "불러오는 중" in texts(ack["view"])
    await bot.fake.wait_for("views.update", where=lambda c: "기관 카드" in texts(c.params))
    card = bot.fake.view(view["id"]) or {}
    assert card["callback_id"] == "agency_card" and "2025 *나*" in texts(card["blocks"])
