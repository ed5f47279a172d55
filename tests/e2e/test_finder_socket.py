"""The finder over Socket Mode: the same flows as over HTTP, each ack travelling back over
the socket (the fake checks it as Slack would and applies a view_submission's update)."""

from __future__ import annotations

from announce_kit import agency_id
from finder_kit import ANALYST, GRADES, agency_options, click, only_view, picked, texts
from slackreq import shortcut_payload, submission_payload, suggestion_payload
from socket_kit import SocketBot


async def _open(socket_bot: SocketBot) -> dict:
    await socket_bot.command("", key="finder")
    await socket_bot.fake.wait_for("views.update", where=lambda c: c.ok)
    return only_view(socket_bot.fake)


async def test_finder_opens_suggests_and_shows_the_card_over_socket_mode(
    socket_bot: SocketBot,
) -> None:
    view = await _open(socket_bot)
    assert agency_options(view)["type"] == "external_select"
    assert GRADES in view["private_metadata"]

    ack = await socket_bot.interact(suggestion_payload("고성", view=view))
    labels = [o["text"]["text"] for o in ack["payload"]["options"]]
    assert [label.split(" · ")[1] for label in labels] == ["강원", "경남"]

    agency = str(await agency_id(socket_bot.db, "고성군", "경남"))
    ack = await socket_bot.interact(submission_payload(picked(agency), view=view))
    assert ack["payload"]["response_action"] == "update"
    card = socket_bot.fake.view(view["id"]) or {}
    assert card["callback_id"] == "agency_card" and "2025 *나*" in texts(card["blocks"])

    await socket_bot.interact(click(card, "share_card", channel=GRADES))
    [post] = await socket_bot.fake.wait_for("chat.postMessage", where=lambda c: c.ok)
    assert post.params["channel"] == GRADES


async def test_the_shortcut_and_app_home_over_socket_mode(socket_bot: SocketBot) -> None:
    await socket_bot.interact(shortcut_payload(user=ANALYST))
    await socket_bot.fake.wait_for("views.update", where=lambda c: c.ok)

    await socket_bot.event("app_home_opened")
    await socket_bot.fake.wait_for("views.publish", where=lambda c: c.ok)
    home = socket_bot.fake.last_view(ANALYST, type="home") or {}
    await socket_bot.interact(click(home, "open_finder"))
    opened = await socket_bot.fake.wait_for("views.open", count=2, where=lambda c: c.ok)
    assert len(opened) == 2
