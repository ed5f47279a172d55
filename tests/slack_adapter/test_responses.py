"""The Slack helpers the listeners and the announcer share."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.webhook import WebhookResponse
from slackfakes import FakeRespond

from slack_adapter import posting, responses


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"retry-after": ["2"]}, 2.0),
        ({"Retry-After": "0.5"}, 0.5),
        ({}, None),
        (None, None),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": ""}, None),
    ],
)
def test_retry_after_reads_the_header_or_says_nothing(headers: Any, seconds: float | None) -> None:
    assert posting.retry_after(headers) == seconds


class ThrottledRespond(FakeRespond):
    """Answers 429 (Retry-After: 0) a given number of times, then 200."""

    def __init__(self, throttled: int, *, status: int = 429) -> None:
        super().__init__()
        self.throttled, self.status = throttled, status

    async def __call__(self, *args: Any, **kwargs: Any) -> WebhookResponse:
        await super().__call__(*args, **kwargs)
        if len(self.messages) > self.throttled:
            return WebhookResponse(url="u", status_code=200, body="ok", headers={})
        return WebhookResponse(
            url="u", status_code=self.status, body="", headers={"Retry-After": "0"}
        )


async def test_send_waits_out_a_rate_limit_and_delivers_once() -> None:
    respond = ThrottledRespond(2)
    assert await responses.send(respond, text="hi") is True
    assert [m["text"] for m in respond.messages] == ["hi"] * 3


async def test_send_gives_up_on_a_clear_no() -> None:
    respond = ThrottledRespond(5, status=404)
    assert await responses.send(respond, text="hi") is False
    assert len(respond.messages) == 1
