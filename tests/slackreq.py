"""Signed Slack requests built from the recorded payloads in tests/payloads/."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
import urllib.parse
from pathlib import Path
from typing import Any

PAYLOADS = Path(__file__).parent / "payloads"
SIGNING_SECRET = "test-signing-secret-0123456789"


def payload(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8")))


def sign(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: float | None = None
) -> dict[str, str]:
    ts = str(int(time.time() if timestamp is None else timestamp))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def make_command(
    text: str, *, response_url: str, command: str = "/grade", **overrides: str
) -> tuple[str, dict[str, str]]:
    data = (
        payload("slash_command")
        | {"text": text, "response_url": response_url, "command": command}
        | overrides
    )
    return urllib.parse.urlencode(data), {"Content-Type": "application/x-www-form-urlencoded"}


def make_event(name: str, **event_overrides: Any) -> tuple[str, dict[str, str]]:
    data = payload(name)
    data["event"].update(event_overrides)
    return json.dumps(data, ensure_ascii=False), {"Content-Type": "application/json"}


def make_action(
    name: str, *, response_url: str, user: str | None = None, **action_overrides: Any
) -> tuple[str, dict[str, str]]:
    data = payload(name)
    data["response_url"] = response_url
    if user:
        data["user"]["id"] = user
    data["actions"][0].update(action_overrides)
    body = urllib.parse.urlencode({"payload": json.dumps(data, ensure_ascii=False)})
    return body, {"Content-Type": "application/x-www-form-urlencoded"}
