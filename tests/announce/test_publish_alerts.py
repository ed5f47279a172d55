"""Publishing a year writes exactly the alerts the real grade changes imply, once."""

from __future__ import annotations

import asyncio

from announce_kit import agency_id, bundled, expected_alerts, make_draft, outbox, subscribe

from storage.db import Database
from storage.models import AnnouncementKind, TargetKind
from storage.payloads import AlertPayload
from storage.publishing import publish_year


async def test_publishing_2024_alerts_exactly_the_real_changes_in_gyeongnam(
    loaded_db: Database,
) -> None:
    await subscribe(loaded_db, "CGN", TargetKind.REGION, "경남")
    await make_draft(loaded_db, 2024)
    report = await publish_year(loaded_db, 2024, actor="test", announce_channel="CANN")

    frame = bundled()
    rows = frame[(frame["year"] == "2024") & (frame["region"] == "경남")]
    expected = expected_alerts(frame, 2024, rows)
    alerts = [a for a in await outbox(loaded_db) if a.channel_id == "CGN"]
    got = {
        f"{a.payload['region']} {a.payload['agency']}": (a.kind, a.payload["steps"]) for a in alerts
    }
    assert got == expected
    assert any(kind == "first_record" for kind, _ in expected.values()), (
        "the data has first records"
    )
    assert report.announcements == len(expected) + 1  # and the summary


async def test_first_record_says_no_previous_grade_and_change_says_steps(
    loaded_db: Database,
) -> None:
    await subscribe(loaded_db, "CGN", TargetKind.REGION, "경남")
    await make_draft(loaded_db, 2024)
    await publish_year(loaded_db, 2024, actor="test")
    for alert in await outbox(loaded_db):
        typed = AlertPayload.from_json(alert.payload)
        if alert.kind == AnnouncementKind.FIRST_RECORD:
            assert (
                alert.payload["previous_grade"] is None and alert.payload["previous_year"] == 2023
            )
            assert typed.move is None
        else:
            assert (
                alert.payload["previous_grade"] != alert.payload["grade"]
                and alert.payload["steps"] != 0
            )
            assert typed.move is not None and typed.move.steps == alert.payload["steps"]


async def test_summary_counts_match_the_published_rows(loaded_db: Database) -> None:
    await make_draft(loaded_db, 2024)
    await publish_year(loaded_db, 2024, actor="test", announce_channel="CANN")
    [summary] = [a for a in await outbox(loaded_db) if a.kind == AnnouncementKind.SUMMARY]
    frame = bundled()
    rows = frame[frame["year"] == "2024"]
    expected = rows.groupby(["group", "grade"]).size().to_dict()
    got = {
        (group, grade): n
        for group, grades in summary.payload["counts"].items()
        for grade, n in grades.items()
    }
    assert got == expected
    assert summary.channel_id == "CANN" and summary.payload["known"] == len(rows)


async def test_an_agency_subscription_covers_only_that_agency(loaded_db: Database) -> None:
    goseong = await agency_id(loaded_db, "고성군", "강원")
    await subscribe(loaded_db, "CGS", TargetKind.AGENCY, str(goseong))
    await make_draft(loaded_db, 2023)
    await publish_year(loaded_db, 2023, actor="test")
    [alert] = await outbox(loaded_db)
    assert (alert.payload["region"], alert.payload["grade"], alert.payload["previous_grade"]) == (
        "강원",
        "다",
        "마",
    )
    assert alert.kind == AnnouncementKind.CHANGE and alert.payload["steps"] == 2


async def test_publishing_twice_inserts_nothing(loaded_db: Database) -> None:
    await subscribe(loaded_db, "CGN", TargetKind.REGION, "경남")
    await make_draft(loaded_db, 2024)
    first = await publish_year(loaded_db, 2024, actor="test", announce_channel="CANN")
    count = len(await outbox(loaded_db))
    second = await publish_year(loaded_db, 2024, actor="test", announce_channel="CANN")
    assert second.already_published and second.announcements == 0
    assert first.announcements == count == len(await outbox(loaded_db))


async def test_two_publishers_at_once_write_each_alert_once(loaded_url: str) -> None:
    setup = Database(loaded_url)
    await subscribe(setup, "CGN", TargetKind.REGION, "경남")
    await subscribe(setup, "CALL", TargetKind.ALL, "*")
    await make_draft(setup, 2024)
    one, two = Database(loaded_url), Database(loaded_url)
    try:
        await asyncio.gather(
            publish_year(one, 2024, actor="a", announce_channel="CANN"),
            publish_year(two, 2024, actor="b", announce_channel="CANN"),
        )
        keys = [a.dedupe_key for a in await outbox(setup)]
        assert len(keys) == len(set(keys)) > 0
    finally:
        for db in (one, two, setup):
            await db.dispose()


async def test_overlapping_subscriptions_alert_a_channel_once_per_agency(
    loaded_db: Database,
) -> None:
    gimhae = await agency_id(loaded_db, "김해시")
    await subscribe(loaded_db, "CGN", TargetKind.REGION, "경남")
    await subscribe(loaded_db, "CGN", TargetKind.AGENCY, str(gimhae))
    await subscribe(loaded_db, "CGN", TargetKind.GROUP, "기초-시")
    await make_draft(loaded_db, 2021)
    await publish_year(loaded_db, 2021, actor="test")
    pairs = [(a.channel_id, a.agency_id) for a in await outbox(loaded_db)]
    assert len(pairs) == len(set(pairs))
