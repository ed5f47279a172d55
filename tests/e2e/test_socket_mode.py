"""The real bot over Socket Mode: envelopes from the fake Slack, acks back, answers through
the Web API and response_url, as in HTTP mode."""

from __future__ import annotations

from fakeslack import FakeSlack
from socket_kit import SocketBot


def _texts(value: object) -> str:
    if isinstance(value, dict):
        return " ".join(_texts(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_texts(v) for v in value)
    return value if isinstance(value, str) else ""


async def test_a_slash_command_is_acked_then_answered(socket_bot: SocketBot) -> None:
    ack = await socket_bot.command("경남 고성군 2023", key="goseong")

    [envelope] = socket_bot.fake.socket_envelopes
    assert ack["envelope_id"] == envelope.envelope_id
    assert envelope.acked_at is not None and envelope.acked_at - envelope.sent_at < 3.0
    [answer] = await socket_bot.fake.wait_for("response_url", where=lambda c: c.ok)
    assert answer.params["key"] == "goseong"
    assert "고성군" in _texts(answer.params)


async def test_app_home_opened_over_socket_mode_publishes_the_home_tab(
    socket_bot: SocketBot,
) -> None:
    await socket_bot.event("app_home_opened")

    [call] = await socket_bot.fake.wait_for("views.publish")
    assert call.ok and call.params["user_id"] == "U0ANALYST"
    home = socket_bot.fake.last_view("U0ANALYST", type="home")
    assert home is not None and "2025년" in _texts(home["blocks"])


async def test_the_bot_connects_with_its_app_token_only(
    socket_bot: SocketBot, fake: FakeSlack
) -> None:
    [opened] = fake.calls_to("apps.connections.open")
    assert opened.ok and opened.token == socket_bot.handler.app_token
    assert fake.socket.connections == 1
    assert all(c.token != socket_bot.handler.app_token for c in fake.calls if c is not opened)
