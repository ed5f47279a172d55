"""The Socket Mode part of the fake Slack: the websocket an app dials after
``apps.connections.open``, served by the fake's own aiohttp server.

Slack's protocol, as the slack_sdk client speaks it: ``apps.connections.open`` (with an
app-level ``xapp-`` token) hands out a one-time ``ws://…/link/?ticket=…&app_id=…`` URL; on
connect Slack sends ``{"type": "hello", "num_connections": …, "debug_info": …,
"connection_info": {"app_id": …}}``; then envelopes::

    {"envelope_id": "…", "type": "slash_commands" | "events_api" | "interactive",
     "payload": {…}, "accepts_response_payload": true | false,
     "retry_attempt": 0, "retry_reason": ""}          # the last two: events_api only

which the app acknowledges with ``{"envelope_id": "…"}`` or, where a response payload is
accepted, ``{"envelope_id": "…", "payload": {…}}`` (a slash command's message, a
block_suggestion's options, a view_submission's ``response_action``). Slack may ask the
app to reconnect with ``{"type": "disconnect", "reason": "refresh_requested", …}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

JsonDict = dict[str, Any]
ENVELOPE_TYPES = ("slash_commands", "events_api", "interactive")
ACK_TIMEOUT = 3.0  # Slack's window for acknowledging an envelope
ANSWERED_INTERACTIONS = ("block_suggestion", "view_submission")  # ack payload accepted


@dataclass
class Envelope:
    """One envelope the fake sent, and the app's ack (``None`` until it came)."""

    envelope_id: str
    type: str
    payload: JsonDict
    accepts_response_payload: bool
    sent_at: float = field(default_factory=time.monotonic)
    ack: JsonDict | None = None
    acked_at: float | None = None
    problems: list[str] = field(default_factory=list)  # Slack's objections to the ack

    @property
    def ack_payload(self) -> JsonDict | None:
        """The payload the app answered with (``None`` for a bare ack)."""
        payload = (self.ack or {}).get("payload")
        return payload if isinstance(payload, dict) else None

    def message(self, retry_attempt: int, retry_reason: str) -> JsonDict:
        message: JsonDict = {
            "envelope_id": self.envelope_id,
            "type": self.type,
            "payload": self.payload,
            "accepts_response_payload": self.accepts_response_payload,
        }
        if self.type == "events_api":
            message |= {"retry_attempt": retry_attempt, "retry_reason": retry_reason}
        return message


def accepts_payload(kind: str, payload: JsonDict) -> bool:
    """Whether Slack takes a response payload in the ack of this envelope."""
    if kind == "slash_commands":
        return True
    return kind == "interactive" and payload.get("type") in ANSWERED_INTERACTIONS


class SocketHub:
    """Tickets, open connections, envelopes sent and acks received."""

    def __init__(self, *, app_id: str, notify: Callable[[], None]) -> None:
        self.app_id = app_id
        self.envelopes: list[Envelope] = []
        self.received: list[JsonDict] = []  # every message the app sent, acks included
        self.sockets: list[web.WebSocketResponse] = []
        self.connections = 0  # how many times an app connected
        self._tickets: set[str] = set()
        self._retiring: set[int] = set()  # sockets told to disconnect
        self._waiting: dict[str, asyncio.Future[JsonDict]] = {}
        self._notify = notify
        self._changed = asyncio.Event()

    def new_url(self, root_url: str) -> str:
        """A one-time websocket URL, like the ``wss://wss-primary.slack.com/link/?ticket=…``
        that apps.connections.open answers."""
        ticket = str(uuid.uuid4())
        self._tickets.add(ticket)
        return f"ws{root_url.removeprefix('http')}/link/?ticket={ticket}&app_id={self.app_id}"

    async def serve(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            return web.Response(status=401, text="invalid or used ticket")
        self._tickets.discard(ticket)
        ws = web.WebSocketResponse()  # autoping: answers the SDK's keep-alive pings
        await ws.prepare(request)
        self.sockets.append(ws)
        self.connections += 1
        await ws.send_str(json.dumps(self._hello()))
        self._changed_now()
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self._on_text(message.data)
        finally:
            self.sockets.remove(ws)
            self._retiring.discard(id(ws))
            self._changed_now()
        return ws

    async def wait_connected(self, timeout: float) -> web.WebSocketResponse:
        """The newest open connection not told to go away; waits up to ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            live = [w for w in self.sockets if not w.closed and id(w) not in self._retiring]
            if live:
                return live[-1]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no app connected over Socket Mode within {timeout}s")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def send(
        self,
        kind: str,
        payload: JsonDict,
        *,
        timeout: float,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> Envelope:
        """Send one envelope and wait for its ack (AssertionError after ``timeout``)."""
        if kind not in ENVELOPE_TYPES:
            raise ValueError(f"type must be one of {ENVELOPE_TYPES}, not {kind!r}")
        started = time.monotonic()
        ws = await self.wait_connected(timeout)
        accepts = accepts_payload(kind, payload)
        if accepts_response_payload is not None:
            accepts = accepts_response_payload
        envelope = Envelope(str(uuid.uuid4()), kind, payload, accepts)
        acked = self._waiting[envelope.envelope_id] = asyncio.get_running_loop().create_future()
        self.envelopes.append(envelope)
        await ws.send_str(json.dumps(envelope.message(retry_attempt, retry_reason)))
        try:
            remaining = max(0.0, timeout - (time.monotonic() - started))
            await asyncio.wait_for(acked, remaining)
        except TimeoutError:
            raise AssertionError(
                f"no ack for the {kind} envelope {envelope.envelope_id} within {timeout}s"
            ) from None
        finally:
            self._waiting.pop(envelope.envelope_id, None)
        return envelope

    async def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the app to reconnect, as Slack does every few hours."""
        ws = await self.wait_connected(1.0)
        self._retiring.add(id(ws))
        debug = {"host": "applink-fake", "approximate_connection_time": 0}
        await ws.send_str(json.dumps({"type": "disconnect", "reason": reason, "debug_info": debug}))

    async def close_all(self) -> None:
        for ws in list(self.sockets):
            await ws.close(code=1001, message=b"server shutdown")

    def _hello(self) -> JsonDict:
        return {
            "type": "hello",
            "num_connections": len(self.sockets),
            "debug_info": {
                "host": f"applink-fake-{secrets.token_hex(4)}",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }

    def _on_text(self, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            message = {"unparsed": data}
        if not isinstance(message, dict):
            message = {"unparsed": data}
        self.received.append(message)
        envelope_id = str(message.get("envelope_id") or "")
        envelope = next((e for e in self.envelopes if e.envelope_id == envelope_id), None)
        if envelope is not None and envelope.ack is None:
            envelope.ack, envelope.acked_at = message, time.monotonic()
            waiting = self._waiting.get(envelope_id)
            if waiting is not None and not waiting.done():
                waiting.set_result(message)
        self._changed_now()

    def _changed_now(self) -> None:
        self._changed.set()
        self._notify()
