"""Recording fakes of what Bolt hands a listener (ack, respond, client; say is Bolt's own
AsyncSay over the fake client). Each keeps its real counterpart's call shape: the client is
an AsyncWebClient whose used methods are overridden (any other method would try a dead
address and fail), and respond checks its arguments against AsyncRespond's signature."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncRespond, AsyncSay
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from slack_sdk.webhook import WebhookResponse

DEAD_URL = "http://127.0.0.1:9/api/"


@dataclass
class SentCall:
    method: str
    args: dict[str, Any]


class FakeAck:
    def __init__(self) -> None:
        self.count = 0

    async def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.count += 1


class FakeRespond(AsyncRespond):
    """response_url: records each message and answers 200."""

    def __init__(self) -> None:
        super().__init__(response_url="https://hooks.slack.com/commands/T1/1/abc")
        self.messages: list[dict[str, Any]] = []

    async def __call__(self, *args: Any, **kwargs: Any) -> WebhookResponse:  # type: ignore[override]
        inspect.signature(AsyncRespond.__call__).bind(self, *args, **kwargs)
        self.messages.append(kwargs)
        return WebhookResponse(url=str(self.response_url), status_code=200, body="ok", headers={})


class FakeClient(AsyncWebClient):
    """Slack's Web API as the listeners use it; admins per users.info, uploads may fail."""

    def __init__(
        self, *, workspace_admins: frozenset[str] = frozenset(), upload_error: str | None = None
    ) -> None:
        super().__init__(token="xoxb-test", base_url=DEAD_URL, timeout=1)
        self.workspace_admins = workspace_admins
        self.upload_error = upload_error
        self.calls: list[SentCall] = []

    def sent(self, method: str) -> list[dict[str, Any]]:
        return [call.args for call in self.calls if call.method == method]

    def _ok(self, method: str, data: dict[str, Any]) -> AsyncSlackResponse:
        return AsyncSlackResponse(
            client=self,
            http_verb="POST",
            api_url=DEAD_URL + method,
            req_args={},
            data={"ok": True, **data},
            headers={},
            status_code=200,
        )

    async def chat_postMessage(self, **kwargs: Any) -> AsyncSlackResponse:  # type: ignore[override]  # noqa: N802
        self.calls.append(SentCall("chat.postMessage", kwargs))
        return self._ok("chat.postMessage", {"ts": f"1700000100.{len(self.calls):06d}"})

    async def conversations_replies(self, **kwargs: Any) -> AsyncSlackResponse:  # type: ignore[override]
        """The thread as the bot posted it (what the maybe-posted lookup reads)."""
        self.calls.append(SentCall("conversations.replies", kwargs))
        thread = kwargs.get("ts")
        posted = [
            {"ts": f"1700000100.{i + 1:06d}", **call.args}
            for i, call in enumerate(self.calls)
            if call.method == "chat.postMessage" and call.args.get("thread_ts") == thread
        ]
        return self._ok("conversations.replies", {"messages": posted})

    async def users_info(self, **kwargs: Any) -> AsyncSlackResponse:  # type: ignore[override]
        self.calls.append(SentCall("users.info", kwargs))
        admin = kwargs.get("user") in self.workspace_admins
        return self._ok("users.info", {"user": {"id": kwargs.get("user"), "is_admin": admin}})

    async def files_upload_v2(self, **kwargs: Any) -> AsyncSlackResponse:  # type: ignore[override]
        self.calls.append(SentCall("files.upload_v2", kwargs))
        if self.upload_error:
            failed = self._ok("files.upload_v2", {"ok": False, "error": self.upload_error})
            raise SlackApiError(self.upload_error, failed)
        return self._ok("files.upload_v2", {"files": [{"id": "F1"}]})


def say_for(client: FakeClient, event: dict[str, Any]) -> AsyncSay:
    """Bolt's own say for an event: chat.postMessage in the event's channel."""
    return AsyncSay(client=client, channel=event.get("channel"))
