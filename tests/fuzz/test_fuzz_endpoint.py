"""Signed endpoint fuzz, against the running app (the real ``build_runtime`` +
``make_web_app`` on a loopback port, the fake Slack Web API behind it).

Three hundred requests that are not validly signed — random bytes, truncated, deeply nested
and oversized JSON, odd forms, wrong content types, signatures that are almost right,
timestamps in the future, the past or not numbers, missing and huge headers — and a hundred
validly signed but malformed payloads (fields missing, of the wrong type, mutated at random).

The corpus runs once per module; each test checks one promise about what happened.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import json
import random
import shutil
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from fakeslack import Call, FakeSlack
from minwon_fuzzkit import dump
from slackreq import SIGNING_SECRET, payload

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "faults"))
from minwon_live import LiveBot, leak_markers, live_bot, sign_bytes  # noqa: E402

SEED = 5_005
UNSIGNED = 300
SIGNED_MUTATIONS = 90
MAX_BODY = 1024 * 1024  # bot/server.py: client_max_size
USER_VISIBLE = {
    "response_url",
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "views.publish",
}

CONTENT_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "multipart/form-data; boundary=xyz",
    None,
    "application/json; charset=latin-1",
    "application/json; charset=bogus",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/xml",
    'x/y; q="',
    "application/json; charset=utf-8",
]
ODD_VALUES: list[Any] = [
    None,
    0,
    -1,
    1.5,
    True,
    "",
    " ",
    "x" * 10_000,
    [],
    {},
    [1],
    {"a": 1},
    "<@U1>",
    "\x00",
    "\u202e\u200b",
    "🙂",
    "2023",
    "null",
    "{",
    "[]",
    float(2**60),
    "C0GRADES",
]
BAD_TIMESTAMPS = ["abc", "", "1e9", " 123", "nan", "-", "0x10", "١٢٣", "9" * 400, "-1", "1.5"]


@dataclass
class Sent:
    kind: str  # what the request was, to name a failure
    status: int
    body: bytes
    signed: bool
    seconds: float


@dataclass
class Outcome:
    sent: list[Sent] = field(default_factory=list)
    calls_after_unsigned: list[str] = field(default_factory=list)
    db_changed_after_unsigned: list[str] = field(default_factory=list)
    user_visible: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


# --------------------------------------------------------------------------- requests


def _form(data: dict[str, Any]) -> bytes:
    return urllib.parse.urlencode(
        {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}
    ).encode()


class Requests:
    """Seeded request builders; every response_url points at the fake (never off-host)."""

    def __init__(self, seed: int, fake: FakeSlack) -> None:
        self.rng = random.Random(seed)
        self.fake = fake
        self.count = 0

    def _unique(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count:05d}"

    def command(self, text: str = "구독 전체") -> dict[str, Any]:
        data = payload("slash_command")
        data.update(
            text=text,
            trigger_id=self._unique("trig-"),
            response_url=self.fake.response_url(self._unique("r")),
        )
        return data

    def event(self, name: str) -> dict[str, Any]:
        data = payload(name)
        data["event_id"] = self._unique("Ev")
        if "text" in data["event"]:
            data["event"]["text"] = "<@UBOT> 구독 경남"
        return data

    def action(self) -> dict[str, Any]:
        data = payload("block_actions_share")
        data["response_url"] = self.fake.response_url(self._unique("a"))
        return data

    # -- bodies that are not validly signed

    def unsigned_body(self) -> tuple[str, bytes, str | None]:
        """(kind, body, content type)."""
        rng = self.rng
        kind = rng.choice(
            [
                "random-bytes",
                "random-text",
                "truncated-json",
                "real-json",
                "real-command",
                "real-action",
                "oversized",
                "big-json",
                "odd-form",
                "json-scalar",
                "deep-json",
                "empty",
            ]
        )
        json_type, form_type = "application/json", "application/x-www-form-urlencoded"
        if kind == "random-bytes":
            body = bytes(rng.randrange(256) for _ in range(rng.randint(1, 2000)))
            return kind, body, rng.choice(CONTENT_TYPES)
        if kind == "random-text":
            text = "".join(
                chr(rng.choice([rng.randint(32, 126), rng.randint(0xAC00, 0xD7A3)]))
                for _ in range(rng.randint(1, 500))
            )
            return kind, text.encode(), rng.choice(CONTENT_TYPES)
        if kind == "truncated-json":
            whole = json.dumps(self.event(rng.choice(["app_mention", "message_im"]))).encode()
            return kind, whole[: rng.randint(1, len(whole) - 1)], json_type
        if kind == "real-json":
            name = rng.choice(["app_mention", "message_im", "app_home_opened"])
            return f"{kind}:{name}", json.dumps(self.event(name)).encode(), json_type
        if kind == "real-command":
            return kind, _form(self.command()), rng.choice([form_type, form_type, None])
        if kind == "real-action":
            return kind, _form({"payload": self.action()}), form_type
        if kind == "oversized":
            data = self.event("app_mention")
            data["event"]["text"] = "가" * (MAX_BODY // 2)  # 1.5 MB of UTF-8
            return kind, json.dumps(data, ensure_ascii=False).encode(), json_type
        if kind == "big-json":
            data = self.event("app_mention")
            data["event"]["text"] = "x" * rng.randint(100_000, MAX_BODY - 10_000)
            return kind, json.dumps(data).encode(), json_type
        if kind == "odd-form":
            return kind, self._odd_form(), rng.choice([form_type, json_type, None])
        if kind == "json-scalar":
            body = rng.choice([b"null", b"1", b'"s"', b"[]", b"true", b"[1,2]", b"{}", b"{]"])
            return kind, body, rng.choice([json_type, form_type])
        if kind == "deep-json":
            depth = rng.choice([100, 5_000, 50_000])
            return f"{kind}:{depth}", b"[" * depth + b"]" * depth, json_type
        return kind, b"", rng.choice(CONTENT_TYPES)

    def _odd_form(self) -> bytes:
        rng = self.rng
        parts = []
        for _ in range(rng.randint(1, 12)):
            key = rng.choice(
                [
                    "payload",
                    "command",
                    "text",
                    "a",
                    "",
                    "%zz",
                    "ssl_check",
                    "response_url",
                    "token",
                    "type",
                    "가",
                    "trigger_id",
                    "=&",
                ]
            )
            value = rng.choice(
                [
                    "",
                    "{",
                    "null",
                    "[]",
                    "%FF%FE",
                    "/grade",
                    "1",
                    "가나다",
                    "&&",
                    "%",
                    '{"type":"block_actions"}',
                    "%00",
                ]
            )
            parts.append(f"{key}={value}" if rng.random() < 0.8 else key)
        return "&".join(parts).encode()

    def unsigned_headers(self, body: bytes) -> tuple[str, dict[str, str]]:
        """(kind, signature headers that are not right, plus any odd extras)."""
        rng = self.rng
        now = time.time()
        valid = sign_bytes(body)
        ts, sig = valid["X-Slack-Request-Timestamp"], valid["X-Slack-Signature"]
        digest = sig.removeprefix("v0=")
        kind = rng.choice(
            [
                "none",
                "no-ts",
                "no-sig",
                "wrong-secret",
                "flip-hex",
                "truncated",
                "extra-char",
                "upper",
                "v1",
                "no-prefix",
                "other-body",
                "future",
                "past",
                "ts-mismatch",
                "ts-bad",
                "huge-header",
                "many-headers",
                "empty-sig",
            ]
        )
        if kind == "none":
            return kind, {}
        if kind == "no-ts":
            return kind, {"X-Slack-Signature": sig}
        if kind == "no-sig":
            return kind, {"X-Slack-Request-Timestamp": ts}
        if kind == "wrong-secret":
            return kind, sign_bytes(body, secret=SIGNING_SECRET + "x")
        if kind == "flip-hex":
            at = rng.randrange(len(digest))
            swapped = "0" if digest[at] != "0" else "1"
            return kind, {
                **valid,
                "X-Slack-Signature": f"v0={digest[:at]}{swapped}{digest[at + 1 :]}",
            }
        if kind == "truncated":
            return kind, {**valid, "X-Slack-Signature": sig[:-1]}
        if kind == "extra-char":
            return kind, {**valid, "X-Slack-Signature": sig + "0"}
        if kind == "upper":
            return kind, {**valid, "X-Slack-Signature": "v0=" + digest.upper()}
        if kind == "v1":
            return kind, {**valid, "X-Slack-Signature": "v1=" + digest}
        if kind == "no-prefix":
            return kind, {**valid, "X-Slack-Signature": digest}
        if kind == "other-body":
            return kind, sign_bytes(body + b" ")
        if kind == "future":
            return kind, sign_bytes(body, timestamp=now + rng.choice([6 * 60, 3600, 10**7]))
        if kind == "past":
            return kind, sign_bytes(body, timestamp=now - rng.choice([6 * 60, 3600, 10**8]))
        if kind == "ts-mismatch":
            return kind, {**valid, "X-Slack-Request-Timestamp": str(int(ts) + 1)}
        if kind == "ts-bad":
            bad = rng.choice(BAD_TIMESTAMPS)
            digest = hmac.new(
                SIGNING_SECRET.encode(), b"v0:" + bad.encode() + b":" + body, hashlib.sha256
            ).hexdigest()
            return f"{kind}:{bad[:12]!r}", {
                "X-Slack-Request-Timestamp": bad,
                "X-Slack-Signature": f"v0={digest}",
            }
        if kind == "huge-header":
            size = rng.choice([6_000, 20_000])
            forged = sign_bytes(body, secret="nope")
            return f"{kind}:{size}", {**forged, "X-Junk": "j" * size}
        if kind == "many-headers":
            forged = sign_bytes(body, secret="nope")
            return kind, {**forged, **{f"X-Junk-{i}": str(i) for i in range(150)}}
        return kind, {**valid, "X-Slack-Signature": ""}

    # -- validly signed but malformed

    def signed_malformed(self) -> list[tuple[str, bytes, str]]:
        """Hand-picked shapes first, then random mutations of the recorded payloads."""
        json_type, form_type = "application/json", "application/x-www-form-urlencoded"
        fixed: list[tuple[str, bytes, str]] = [
            ("json list", b"[1,2]", json_type),
            ("json null", b"null", json_type),
            ("json string", b'"hello"', json_type),
            ("bad json", b"{not json", json_type),
            ("deep json", b"[" * 50_000 + b"]" * 50_000, json_type),
            ("random bytes", bytes(range(256)) * 4, form_type),
            ("payload=junk", b"payload=junk", form_type),
            ("payload=null", b"payload=null", form_type),
            ("payload=[]", b"payload=%5B%5D", form_type),
            ('payload="s"', b"payload=%22s%22", form_type),
            (
                "event is a string",
                json.dumps({"type": "event_callback", "event": "x"}).encode(),
                json_type,
            ),
            (
                "event is a list",
                json.dumps({"type": "event_callback", "event": [1]}).encode(),
                json_type,
            ),
            ("no event", json.dumps({"type": "event_callback"}).encode(), json_type),
            ("type is a number", json.dumps({"type": 5, "event": {}}).encode(), json_type),
            ("url_verification without challenge", b'{"type": "url_verification"}', json_type),
            ("command without fields", b"command=%2Fgrade", form_type),
            ("command with list text", b"command=%2Fgrade&text=a&text=b", form_type),
            ("unknown command", _form(self.command() | {"command": "/other"}), form_type),
            ("ssl_check", b"ssl_check=1&token=x", form_type),
            ("empty body", b"", form_type),
        ]
        mention = self.event("app_mention")
        mention["event"]["text"] = 5
        fixed.append(("mention text is a number", json.dumps(mention).encode(), json_type))
        actions = self.action()
        actions["actions"] = "x"
        fixed.append(("actions is a string", _form({"payload": actions}), form_type))
        actions = self.action()
        actions["channel"] = "C1"
        fixed.append(("channel is a string", _form({"payload": actions}), form_type))
        dm = self.event("message_im")
        dm["event"].update(user="UADMIN", subtype="file_share", files="F1")
        fixed.append(("admin DM with files as a string", json.dumps(dm).encode(), json_type))
        return fixed + [self.mutated() for _ in range(SIGNED_MUTATIONS)]

    def mutated(self) -> tuple[str, bytes, str]:
        rng = self.rng
        kind = rng.choice(
            [
                "command",
                "app_mention",
                "message_im",
                "app_home_opened",
                "action",
                "more",
                "publish",
                "confirm",
            ]
        )
        if kind == "command":
            data: dict[str, Any] = self.command(rng.choice(["경남 고성군 2023", "김해시 추이", ""]))
        elif kind in ("action", "more", "publish", "confirm"):
            data = self.action()
            data["actions"][0]["action_id"] = {
                "action": "share_answer",
                "more": "more_rows",
                "publish": "publish_year",
                "confirm": "confirm_ingest",
            }[kind]
            if kind in ("publish", "confirm"):
                data["user"]["id"] = "UADMIN"
        else:
            data = self.event(kind)
        labels = []
        for _ in range(rng.randint(1, 3)):
            path, value = self._mutate(data)
            labels.append(f"{path}={value!r:.30}")
        label = f"{kind}: " + ", ".join(labels)
        if kind == "command":
            return label, _form(data), "application/x-www-form-urlencoded"
        if kind in ("action", "more", "publish", "confirm"):
            return label, _form({"payload": data}), "application/x-www-form-urlencoded"
        return label, json.dumps(data, ensure_ascii=False).encode(), "application/json"

    def _mutate(self, data: dict[str, Any]) -> tuple[str, Any]:
        """Replace or delete one field somewhere in ``data``; response_url stays local."""
        rng = self.rng
        node: Any = data
        path = []
        while True:
            keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
            keys = [k for k in keys if k != "response_url"]
            if not keys:
                return "/".join(path) or "(root)", None
            key = rng.choice(keys)
            path.append(str(key))
            child = node[key]
            if isinstance(child, dict | list) and child and rng.random() < 0.6:
                node = child
                continue
            if isinstance(node, dict) and rng.random() < 0.25:
                del node[key]
                return "/".join(path), "<deleted>"
            value = copy.deepcopy(rng.choice(ODD_VALUES))
            node[key] = value
            return "/".join(path), value


# --------------------------------------------------------------------------- the run


async def _send(
    bot: LiveBot, body: bytes, content_type: str | None, headers: dict[str, str]
) -> tuple[int, bytes, float]:
    all_headers = dict(headers)
    skip: list[str] = []
    if content_type is None:
        skip.append("Content-Type")
    else:
        all_headers["Content-Type"] = content_type
    started = time.monotonic()
    async with bot.http.post(
        f"{bot.url}/slack/events",
        data=body,
        headers=all_headers,
        skip_auto_headers=skip,
        timeout=aiohttp.ClientTimeout(total=15),
    ) as response:
        content = await response.read()
    return response.status, content, time.monotonic() - started


def _changed_besides(
    before: dict[str, list[str]], after: dict[str, list[str]], sentinel: Call
) -> list[str]:
    """The tables whose rows differ, leaving out the sentinel's own rows (its claim)."""
    mark = str(sentinel.params["key"])

    def rows(dumped: dict[str, list[str]], table: str) -> list[str]:
        return [row for row in dumped.get(table, []) if mark not in row]

    return sorted(t for t in set(before) | set(after) if rows(before, t) != rows(after, t))


async def _run_corpus(database_url: str) -> Outcome:
    outcome = Outcome()
    async with FakeSlack() as fake, live_bot(database_url, fake) as bot:
        requests = Requests(SEED, fake)
        before = await dump(bot.db)
        for _ in range(UNSIGNED):
            body_kind, body, content_type = requests.unsigned_body()
            header_kind, headers = requests.unsigned_headers(body)
            status, content, seconds = await _send(bot, body, content_type, headers)
            kind = f"unsigned {body_kind} / {content_type} / {header_kind}"
            outcome.sent.append(Sent(kind, status, content, False, seconds))
        quiet = len(fake.calls)
        sentinel = await fake.sentinel(bot.post)  # anything a forged request set off is in now
        late = [c for c in fake.calls[quiet:] if c.method in USER_VISIBLE and not c.sentinel]
        outcome.calls_after_unsigned = [
            f"{c.method} {c.params}"[:200] for c in fake.calls[:quiet] + late
        ]
        outcome.db_changed_after_unsigned = _changed_besides(before, await dump(bot.db), sentinel)
        for label, body, content_type in requests.signed_malformed():
            status, content, seconds = await _send(bot, body, content_type, sign_bytes(body))
            outcome.sent.append(Sent(f"signed {label}", status, content, True, seconds))
        await fake.sentinel(bot.post)  # the answers of the signed ones are in by now
        outcome.user_visible = [
            (c.method, c.params) for c in fake.calls if c.method in USER_VISIBLE and not c.sentinel
        ]
    return outcome


@pytest.fixture(scope="module")
def outcome(bundled_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    path = tmp_path_factory.mktemp("fuzz-endpoint") / "bot.db"
    shutil.copy(bundled_sqlite, path)
    return asyncio.run(_run_corpus(f"sqlite+aiosqlite:///{path}"))


def _listing(sent: list[Sent]) -> str:
    return "\n".join(f"  {s.status} {s.seconds:.2f}s {s.kind}" for s in sent[:25])


# --------------------------------------------------------------------------- the promises


def test_the_corpus_ran_whole(outcome: Outcome) -> None:
    unsigned = [s for s in outcome.sent if not s.signed]
    signed = [s for s in outcome.sent if s.signed]
    assert len(unsigned) == UNSIGNED and len(signed) >= SIGNED_MUTATIONS
    kinds = {s.kind.split(" / ")[-1].split(":")[0] for s in unsigned}
    assert len(kinds) >= 15, kinds


def test_requests_without_a_valid_signature_never_act(outcome: Outcome) -> None:
    """No Web API call, no response_url post, nothing written to the database."""
    assert outcome.calls_after_unsigned == []
    assert outcome.db_changed_after_unsigned == []


def test_requests_without_a_valid_signature_are_refused_not_served(outcome: Outcome) -> None:
    served = [s for s in outcome.sent if not s.signed and s.status < 400]
    assert not served, f"{len(served)} got a success status:\n{_listing(served)}"


def test_requests_without_a_valid_signature_never_get_a_5xx(outcome: Outcome) -> None:
    errors = [s for s in outcome.sent if not s.signed and s.status >= 500]
    assert not errors, f"{len(errors)} of {UNSIGNED} got a 5xx:\n{_listing(errors)}"


def test_signed_malformed_payloads_never_get_a_5xx(outcome: Outcome) -> None:
    errors = [s for s in outcome.sent if s.signed and s.status >= 500]
    assert not errors, f"{len(errors)} signed requests got a 5xx:\n{_listing(errors)}"


def test_nothing_shown_to_a_user_or_answered_carries_a_traceback(outcome: Outcome) -> None:
    shown = []
    for method, params in outcome.user_visible:
        text = json.dumps(params, ensure_ascii=False)
        shown += [f"{method}: {marker} in {text[:200]}" for marker in leak_markers(text)]
    for sent in outcome.sent:
        body = sent.body.decode(errors="replace")
        shown += [f"HTTP {sent.status} {sent.kind}: {m}" for m in leak_markers(body)]
    assert not shown, "\n".join(shown[:20])
    assert outcome.user_visible, "the valid-looking signed requests were answered"


def test_requests_without_a_valid_signature_are_answered_at_once(outcome: Outcome) -> None:
    slow = [s for s in outcome.sent if not s.signed and s.seconds >= 1.0]
    assert not slow, f"{len(slow)} requests took a second or more:\n{_listing(slow)}"


def test_signed_malformed_payloads_are_acked_at_once(outcome: Outcome) -> None:
    slow = [s for s in outcome.sent if s.signed and s.seconds >= 1.0]
    assert not slow, f"{len(slow)} requests took a second or more:\n{_listing(slow)}"


def test_leak_check_is_sound() -> None:
    """The scan of user-visible text finds what it should, and passes a normal answer."""
    assert leak_markers('Traceback (most recent call last):\n  File "x", line 1')
    assert leak_markers("sqlalchemy.exc.OperationalError: connection refused")
    assert not leak_markers(json.dumps({"text": "경남 고성군 2023년 *가*"}, ensure_ascii=False))
