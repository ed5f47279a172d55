"""A local fake of Slack's Web API, for tests and benchmarks.

``FakeSlack`` is an ``aiohttp.web`` server on ``127.0.0.1`` (a free port) that answers the
Web API methods the bot uses, records every request as a :class:`Call`, and can be scripted
to fail, to be slow, or to rate-limit ``chat.postMessage`` per channel::

    async with FakeSlack() as fake:
        client = AsyncWebClient(token="xoxb-test", base_url=fake.base_url)
        await client.chat_postMessage(channel="C1", text="hi")
        [call] = await fake.wait_for("chat.postMessage")

Besides ``/api/<method>`` the server hosts three non-API endpoints, recorded under these
method names: ``"response_url"`` (Slack's ``response_url``), ``"upload_url"`` (the URL
``files.getUploadURLExternal`` hands out) and ``"files.download"`` (a file's ``url_private``).
``fail_next`` and ``set_delay`` work for those names too. ``drop_after_store`` makes the
next calls to a method go through (the message is stored) and then drops the connection
without an answer: Slack accepted the post, the bot never hears so. ``set_store_lag``
holds a request Slack has received before acting on it: a post on its way, not yet in the
channel's history (the window in which a new owner of a dead worker's claim looks).

Before asserting that nothing more arrived ("answered once", "nothing posted"), a test sends
a sentinel instead of sleeping: :meth:`FakeSlack.sentinel` posts one more signed request to
the bot and waits until the fake has answered the bot's reply to it; the sentinel's own
calls are then left out of :meth:`FakeSlack.calls_to`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import math
import mimetypes
import time
import traceback
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slackreq import make_command, payload

JsonDict = dict[str, Any]
Post = Callable[[str, dict[str, str]], Awaitable[object]]  # signs and POSTs to the bot

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T1"
TEAM_NAME = "Test"
FIRST_TS = 1_700_000_000_000_100  # microseconds: "1700000000.000100"
JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata")
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_TEXT = 40_000
LOGIN_PAGE = "<!DOCTYPE html><html><body>Sign in to Test - Slack</body></html>"
SENTINEL_QUESTION = "경남 고성군 2023"
_sentinel_numbers = itertools.count(1)

log = logging.getLogger(__name__)


@dataclass
class Call:
    """One request the fake received.

    ``at`` is ``time.monotonic()`` at arrival. ``status`` is the HTTP status answered and
    ``response`` the JSON body answered (``None`` while a delayed answer is pending);
    ``answered_at`` is when the answer went out (after any delay). ``sentinel`` marks the
    calls a sentinel request caused.
    """

    method: str
    params: JsonDict
    headers: dict[str, str]
    at: float
    status: int = 200
    response: JsonDict | None = None
    answered_at: float | None = None
    sentinel: bool = False
    dropped: bool = False  # processed, then the connection closed without an answer

    def header(self, name: str) -> str | None:
        """A request header, looked up case-insensitively."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    @property
    def token(self) -> str | None:
        """The token sent as ``Authorization: Bearer ...`` or as a ``token`` parameter."""
        auth = self.header("Authorization") or ""
        if auth.startswith("Bearer "):
            return auth.removeprefix("Bearer ").strip()
        token = self.params.get("token")
        return token if isinstance(token, str) else None

    @property
    def ok(self) -> bool:
        """Whether the fake answered HTTP 200 with ``"ok": true``."""
        return self.status == 200 and bool(self.response and self.response.get("ok"))


@dataclass
class _Reply:
    status: int
    body: JsonDict | str | bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/plain"
    record: JsonDict | None = None  # what Call.response shows when body is not JSON


@dataclass
class _Failure:
    error: str
    status: int
    retry_after: int | None
    times: int


class _SlackError(Exception):
    """Raised by a method handler to answer ``{"ok": false, "error": ...}``."""

    def __init__(
        self, error: str, *, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(error)
        self.reply = _Reply(status, {"ok": False, "error": error}, headers or {})


class _TokenBucket:
    """``burst`` tokens, refilled at ``rate`` tokens per second."""

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate, self.capacity = rate, float(burst)
        self.tokens, self.updated = float(burst), now

    def take(self, now: float) -> float:
        """Take a token: 0.0 on success, else the seconds until one is available."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


def _json_reply(body: JsonDict, status: int = 200, headers: dict[str, str] | None = None) -> _Reply:
    return _Reply(status, body, headers or {}, "application/json")


def _error(error: str) -> _Reply:
    return _json_reply({"ok": False, "error": error})


def _decode_json_fields(params: JsonDict) -> JsonDict:
    """Form-encoded requests carry blocks/view/files as JSON strings; decode them."""
    for key in JSON_FIELDS:
        value = params.get(key)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(value)
    return params


async def _read_body(request: web.Request) -> JsonDict:
    """The request body as a dict; raises on anything malformed."""
    if not request.body_exists:
        return {}
    ctype = request.content_type
    if ctype == "application/json":
        data = json.loads(await request.text())
        if not isinstance(data, dict):
            raise ValueError("JSON body is not an object")
        return data
    if ctype.startswith("multipart/") or ctype == "application/x-www-form-urlencoded":
        form = await request.post()
        return {k: v.file.read() if isinstance(v, web.FileField) else v for k, v in form.items()}
    text = await request.text()
    return dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True)) if text else {}


async def _read_params(request: web.Request) -> tuple[JsonDict, bool]:
    """Query string merged with the body; the flag is True when the body was malformed."""
    params: JsonDict = dict(request.query)
    try:
        params.update(await _read_body(request))
    except Exception:  # any malformed body becomes invalid_form_data
        return params, True
    return _decode_json_fields(params), False


async def _read_upload(request: web.Request) -> bytes:
    """Uploaded bytes: a raw body (slack_sdk) or the first part of a multipart form."""
    if not request.content_type.startswith("multipart/"):
        return await request.read()
    form = await request.post()
    for value in form.values():
        return value.file.read() if isinstance(value, web.FileField) else str(value).encode()
    return b""


def _block_error(blocks: Any, limit: int) -> str | None:
    """Slack's ``invalid_blocks`` for the limits a bot is most likely to hit."""
    if blocks is None:
        return None
    if not isinstance(blocks, list) or len(blocks) > limit:
        return "invalid_blocks"
    for block in blocks:
        text = block.get("text") if isinstance(block, dict) else None
        if isinstance(text, dict) and len(str(text.get("text", ""))) > MAX_SECTION_TEXT:
            return "invalid_blocks"
    return None


def _short(params: JsonDict, limit: int = 200) -> str:
    text = repr({k: ("<bytes>" if isinstance(v, bytes) else v) for k, v in params.items()})
    return text if len(text) <= limit else text[: limit - 3] + "..."


class FakeSlack:
    """A fake Slack Web API server; see the module docstring.

    Public state, all inspectable and editable by tests:

    - ``calls``: every request, in arrival order.
    - ``users``: user id -> ``users.info`` user object; unknown ids are created on demand
      as plain members (``is_admin``/``is_owner`` false). See :meth:`add_user`.
    - ``shared_files``: file id -> (file object, bytes) served by ``files.info`` and the
      file's ``url_private``. See :meth:`add_shared_file`.
    - ``files``: bytes uploaded through ``files.getUploadURLExternal`` URLs, by file id.
    - ``messages``: (channel, ts) -> current message, after posts, updates and deletes.
    - ``home_views``: user id -> last view published with ``views.publish``.
    - ``post_times``: channel -> ``time.monotonic()`` of each accepted ``chat.postMessage``.
    - ``bot_token``: ``None`` accepts any ``xox*`` token; a string requires exactly that one.
    - ``server_errors``: tracebacks of bugs in the fake itself (answered as HTTP 500).
    """

    def __init__(self, *, rate_limit_per_channel: float | None = None, burst: int = 3) -> None:
        """Optionally rate-limit ``chat.postMessage`` to ``rate_limit_per_channel`` per second
        per channel, allowing bursts of ``burst`` (a token bucket)."""
        if rate_limit_per_channel is not None and rate_limit_per_channel <= 0:
            raise ValueError("rate_limit_per_channel must be positive")
        self.rate_limit_per_channel = rate_limit_per_channel
        self.burst = max(1, burst)
        self.bot_token: str | None = None
        self.calls: list[Call] = []
        self.users: dict[str, JsonDict] = {}
        self.files: dict[str, bytes] = {}
        self.shared_files: dict[str, tuple[JsonDict, bytes]] = {}
        self.messages: dict[tuple[str, str], JsonDict] = {}
        self.home_views: dict[str, JsonDict] = {}
        self.post_times: dict[str, list[float]] = defaultdict(list)
        self.server_errors: list[str] = []
        self._failures: dict[str, list[_Failure]] = defaultdict(list)
        self._delays: dict[str, float] = {}
        self._lags: dict[str, float] = {}
        self._drops: dict[str, int] = defaultdict(int)
        self.on_call: list[Callable[[Call], None]] = []  # told of each call as it arrives
        self._buckets: dict[str, _TokenBucket] = {}
        self._uploads: dict[str, JsonDict] = {}
        self._ts = max(FIRST_TS, int(time.time() * 1_000_000))  # real Slack ts are epoch seconds
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._root = ""
        self._changed: asyncio.Event | None = None
        self._handlers: dict[str, Callable[[Call], JsonDict]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "files.info": self._files_info,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "files.upload": self._files_upload_v1,
        }

    # ----------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Bind ``127.0.0.1`` on a free port and start serving."""
        app = web.Application(client_max_size=200 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
        app.router.add_post("/upload/v1/{file_id}", self._upload)
        app.router.add_get("/files-pri/{file_id}/{name}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self._root = f"http://{host}:{port}"
        self._event()

    async def stop(self) -> None:
        """Stop serving (idempotent)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlack:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash); only valid after :meth:`start`."""
        if not self._root:
            raise RuntimeError("FakeSlack is not started")
        return self._root

    @property
    def base_url(self) -> str:
        """The Web API base URL, e.g. ``http://127.0.0.1:PORT/api/`` (for ``SLACK_API_URL``)."""
        return f"{self.root_url}/api/"

    def response_url(self, key: str) -> str:
        """A ``response_url`` whose POSTs are recorded as ``Call("response_url", ...)``."""
        return f"{self.root_url}/response/{key}"

    # ----------------------------------------------------------------- scripting

    def fail_next(
        self,
        method: str,
        *,
        error: str | None = None,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail (queued after earlier scripts).

        ``error="not_in_channel"`` answers ``{"ok": false, "error": "not_in_channel"}``;
        ``status=429, retry_after=1`` answers HTTP 429 with ``Retry-After: 1``;
        ``status=500`` answers HTTP 500. The default error depends on the status.
        """
        if times < 1:
            raise ValueError("times must be at least 1")
        if error is None:
            error = {429: "ratelimited"}.get(
                status, "internal_error" if status >= 500 else "fatal_error"
            )
        self._failures[method].append(_Failure(error, status, retry_after, times))

    def set_delay(self, method: str, seconds: float) -> None:
        """Answer ``method`` only after ``seconds`` (0 removes the delay).

        The call is processed (recorded, message stored) on arrival; only the answer waits,
        as when Slack is slow but the post went through.
        """
        if seconds > 0:
            self._delays[method] = seconds
        else:
            self._delays.pop(method, None)

    def set_store_lag(self, method: str, seconds: float) -> None:
        """Act on ``method`` (store a post, answer) only ``seconds`` after it arrived (0
        removes the lag). The call is recorded on arrival with ``response`` None; a history
        read meanwhile does not show the message. The lag is fixed when the call arrives and
        runs out even if the caller hangs up (Slack has the request)."""
        if seconds > 0:
            self._lags[method] = seconds
        else:
            self._lags.pop(method, None)

    def drop_after_store(self, method: str, *, times: int = 1) -> None:
        """Process the next ``times`` calls to ``method`` (a post is stored, an update
        applied) and then close the connection without answering: the caller sees a
        dropped connection although Slack did what it asked. Queued after any
        ``fail_next`` of the same method (a scripted failure is answered, not dropped)."""
        if times < 1:
            raise ValueError("times must be at least 1")
        self._drops[method] += times

    def add_user(
        self, user_id: str, *, is_admin: bool = False, is_owner: bool = False, **fields: Any
    ) -> JsonDict:
        """Create or replace a ``users.info`` user; extra ``fields`` override defaults."""
        user = {**self._default_user(user_id), "is_admin": is_admin, "is_owner": is_owner}
        user["is_primary_owner"] = is_owner
        self.users[user_id] = {**user, **fields}
        return self.users[user_id]

    def add_shared_file(
        self, content: bytes, *, file_id: str | None = None, **fields: Any
    ) -> JsonDict:
        """Register a file for ``files.info`` and its ``url_private``; returns the file object."""
        file_id = file_id or self._new_id("F")
        self.shared_files[file_id] = (dict(fields), content)
        return self._file_object(file_id)

    # ----------------------------------------------------------------- inspection

    def calls_to(self, method: str) -> list[Call]:
        """The calls to ``method``, in arrival order (a sentinel's calls left out)."""
        return [call for call in self.calls if call.method == method and not call.sentinel]

    def accepted_posts(self) -> list[Call]:
        """``chat.postMessage`` calls answered with ``ok: true`` (not rate-limited or failed)."""
        return [call for call in self.calls_to("chat.postMessage") if call.ok]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Wait until at least ``count`` calls to ``method`` (matching ``where``) arrived.

        Returns all matching calls. Wakes on each new call (no fixed sleep); on timeout
        raises ``AssertionError`` listing the calls seen.
        """
        changed = self._event()
        deadline = time.monotonic() + timeout
        while True:
            matching = [c for c in self.calls_to(method) if where is None or where(c)]
            remaining = deadline - time.monotonic()
            if len(matching) >= count:
                return matching
            if remaining <= 0:
                raise AssertionError(self._timeout_message(method, count, timeout, where, matching))
            changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def sentinel(self, post: Post, *, via: str = "command", timeout: float = 15.0) -> Call:
        """Send the bot one more signed question and wait until its answer went out.

        ``post(body, headers)`` signs and sends to the bot; ``via`` is ``"command"`` (answered
        at a response_url), ``"mention"`` or ``"dm"`` (answered by ``chat.postMessage``).
        The sentinel follows the path of the requests before it, so by the time its
        answer is through (delays included) a late duplicate or retry of theirs would have
        arrived: a count taken afterwards is final, without a fixed sleep. The sentinel's
        calls are marked and left out of :meth:`calls_to` (``calls`` keeps them).
        """
        number = next(_sentinel_numbers)
        if via == "command":
            key = f"sentinel-{number}"
            body, headers = make_command(
                SENTINEL_QUESTION, response_url=self.response_url(key), trigger_id=key
            )
            method, mine = "response_url", lambda c: c.params.get("key") == key
        elif via in ("mention", "dm"):
            ts = f"1799999999.{number:06d}"
            data = payload("app_mention" if via == "mention" else "message_im")
            data["event_id"] = f"EvSENTINEL{number:06d}"
            data["event"].update(text=f"<@{BOT_USER_ID}> {SENTINEL_QUESTION}", ts=ts)
            if via == "dm":  # a DM is answered unthreaded: in a DM of its own
                data["event"]["channel"] = f"DSENTINEL{number:04d}"
            body = json.dumps(data, ensure_ascii=False)
            headers = {"Content-Type": "application/json"}
            channel = data["event"]["channel"]
            method = "chat.postMessage"

            def mine(c: Call) -> bool:
                return c.params.get("channel") == channel and (
                    via == "dm" or c.params.get("thread_ts") == ts
                )

        else:
            raise ValueError(f"via must be 'command', 'mention' or 'dm', not {via!r}")
        await post(body, headers)
        [answer, *_] = await self.wait_for(
            method, timeout=timeout, where=lambda c: mine(c) and c.ok and c.answered_at is not None
        )
        for call in self.calls:
            call.sentinel = call.sentinel or (call.method == method and mine(call))
        return answer

    def _timeout_message(
        self,
        method: str,
        count: int,
        timeout: float,
        where: Callable[[Call], bool] | None,
        matching: list[Call],
    ) -> str:
        condition = " matching `where`" if where else ""
        lines = [
            f"timed out after {timeout}s waiting for {count} call(s) to {method!r}{condition}; "
            f"got {len(matching)}. Calls seen ({len(self.calls)}):"
        ]
        lines += [f"  {c.method} [{c.status}] {_short(c.params)}" for c in self.calls[-50:]]
        return "\n".join(lines) if self.calls else lines[0] + " none"

    # ----------------------------------------------------------------- plumbing

    def _event(self) -> asyncio.Event:
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._changed

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.set()

    def _record(self, method: str, params: JsonDict, request: web.Request) -> Call:
        call = Call(method, params, dict(request.headers), time.monotonic())
        self.calls.append(call)
        for listener in self.on_call:
            listener(call)
        self._notify()
        return call

    def _take_failure(self, method: str) -> _Reply | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        headers = {} if failure.retry_after is None else {"Retry-After": str(failure.retry_after)}
        return _json_reply({"ok": False, "error": failure.error}, failure.status, headers)

    async def _answer(
        self, call: Call, produce: Callable[[], _Reply], request: web.Request | None = None
    ) -> web.Response:
        """Apply scripted failures, run ``produce``, record the outcome, honour delays and
        scripted drops."""
        if lag := self._lags.get(call.method):
            await asyncio.sleep(lag)
        try:
            reply = self._take_failure(call.method) or produce()
        except Exception:  # a bug in the fake must not kill the server
            self.server_errors.append(traceback.format_exc())
            log.exception("FakeSlack failed answering %s", call.method)
            reply = _json_reply({"ok": False, "error": "fake_internal_error"}, 500)
        call.status = reply.status
        call.response = reply.body if isinstance(reply.body, dict) else reply.record
        if request is not None and self._drops.get(call.method) and call.ok:
            self._drops[call.method] -= 1
            call.dropped, call.answered_at = True, time.monotonic()
            self._notify()
            if request.transport is not None:
                request.transport.abort()  # the stored message's answer never leaves
            return web.Response(status=499)  # written to a closed connection: never seen
        self._notify()
        if delay := self._delays.get(call.method):
            await asyncio.sleep(delay)
        call.answered_at = time.monotonic()
        self._notify()
        return self._to_response(reply)

    @staticmethod
    def _to_response(reply: _Reply) -> web.Response:
        if isinstance(reply.body, dict):
            return web.json_response(reply.body, status=reply.status, headers=reply.headers)
        body = reply.body.encode() if isinstance(reply.body, str) else reply.body
        return web.Response(
            body=body, status=reply.status, headers=reply.headers, content_type=reply.content_type
        )

    def _token_ok(self, token: str | None) -> bool:
        if self.bot_token is not None:
            return token == self.bot_token
        return bool(token) and str(token).startswith("xox")

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _next_ts(self) -> str:
        self._ts += 100
        return f"{self._ts // 1_000_000}.{self._ts % 1_000_000:06d}"

    # ----------------------------------------------------------------- endpoints

    async def _api(self, request: web.Request) -> web.Response:
        params, malformed = await _read_params(request)
        call = self._record(request.match_info["method"], params, request)
        return await self._answer(call, lambda: self._run_api(call, malformed), request)

    def _run_api(self, call: Call, malformed: bool) -> _Reply:
        handler = self._handlers.get(call.method)
        if malformed:
            return _error("invalid_form_data")
        if handler is None:
            return _error("unknown_method")
        if not call.token:
            return _error("not_authed")
        if not self._token_ok(call.token):
            return _error("invalid_auth")
        try:
            return _json_reply({"ok": True, **handler(call)})
        except _SlackError as exc:
            return exc.reply

    async def _response_url(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        try:
            body = json.loads(await request.text() or "{}")
            params = {**body, "key": key} if isinstance(body, dict) else None
        except Exception:  # malformed body
            params = None
        call = self._record("response_url", params or {"key": key}, request)
        if params is None:
            return await self._answer(call, lambda: _error("invalid_form_data"))
        return await self._answer(call, lambda: _json_reply({"ok": True}), request)

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        try:
            data, malformed = await _read_upload(request), False
        except Exception:  # malformed body
            data, malformed = b"", True
        call = self._record("upload_url", {"file_id": file_id, "length": len(data)}, request)
        return await self._answer(call, lambda: self._store_upload(file_id, data, malformed))

    def _store_upload(self, file_id: str, data: bytes, malformed: bool) -> _Reply:
        if file_id not in self._uploads:
            return _Reply(404, "upload URL not found", record={"ok": False, "error": "not_found"})
        if malformed:
            return _error("invalid_form_data")
        self.files[file_id] = data
        return _Reply(200, f"OK - {len(data)}", record={"ok": True, "length": len(data)})

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        call = self._record("files.download", {"file_id": file_id}, request)
        return await self._answer(call, lambda: self._serve_file(call, file_id))

    def _serve_file(self, call: Call, file_id: str) -> _Reply:
        """Like Slack: without the bot token you get a 200 HTML login page, not the file."""
        if not self._token_ok(call.token):
            record = {"ok": False, "error": "not_authed"}
            return _Reply(200, LOGIN_PAGE, content_type="text/html", record=record)
        if file_id not in self.shared_files:
            return _Reply(404, "file not found", record={"ok": False, "error": "file_not_found"})
        obj = self._file_object(file_id)
        content = self.shared_files[file_id][1]
        record = {"ok": True, "length": len(content)}
        return _Reply(200, content, content_type=obj["mimetype"], record=record)

    # ----------------------------------------------------------------- API methods

    def _auth_test(self, call: Call) -> JsonDict:
        return {
            "url": "https://test.slack.com/",
            "team": TEAM_NAME,
            "user": "bot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _channel(self, params: JsonDict) -> str:
        channel = str(params.get("channel") or "")
        if not channel:
            raise _SlackError("channel_not_found")
        return "D" + channel if channel[0] in "UW" else channel  # posting to a user opens a DM

    def _message(self, params: JsonDict, ts: str, limit: int = MAX_MESSAGE_BLOCKS) -> JsonDict:
        text, blocks = params.get("text"), params.get("blocks")
        if not text and not blocks and not params.get("attachments"):
            raise _SlackError("no_text")
        if len(str(text or "")) > MAX_TEXT:
            raise _SlackError("msg_too_long")
        if error := _block_error(blocks, limit):
            raise _SlackError(error)
        message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts}
        message["text"] = text or ""
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if params.get(key) is not None:
                message[key] = params[key]
        return message

    def _check_rate(self, channel: str, now: float) -> None:
        if self.rate_limit_per_channel is None:
            return
        bucket = self._buckets.get(channel)
        if bucket is None:
            bucket = self._buckets[channel] = _TokenBucket(
                self.rate_limit_per_channel, self.burst, now
            )
        wait = bucket.take(now)
        if wait > 0:
            retry_after = str(max(1, math.ceil(wait)))
            raise _SlackError("ratelimited", status=429, headers={"Retry-After": retry_after})

    def _chat_post_message(self, call: Call) -> JsonDict:
        channel = self._channel(call.params)
        self._message(call.params, "")  # validate before spending a rate-limit token
        self._check_rate(channel, call.at)
        ts = self._next_ts()
        message = self._message(call.params, ts)
        self.messages[(channel, ts)] = message
        self.post_times[channel].append(call.at)
        return {"channel": channel, "ts": ts, "message": message}

    def _conversations_history(self, call: Call) -> JsonDict:
        """Newest first, from ``oldest`` on; metadata only with include_all_metadata."""
        channel = self._channel(call.params)
        oldest = float(call.params.get("oldest") or 0)
        limit = int(call.params.get("limit") or 100)
        with_metadata = str(call.params.get("include_all_metadata", "")).lower() in ("1", "true")
        found = sorted(
            (
                m
                for (c, ts), m in self.messages.items()
                if c == channel and float(ts) >= oldest and m.get("thread_ts", ts) == ts
            ),  # like Slack: a thread's replies are not in the channel's history
            key=lambda m: float(m["ts"]),
            reverse=True,
        )[:limit]
        if not with_metadata:
            found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
        return {"messages": found, "has_more": False}

    def _conversations_replies(self, call: Call) -> JsonDict:
        """The thread of ``ts``: its parent first (when the fake holds it: a person's
        message it never saw is not there), then the replies, oldest first."""
        channel, parent = self._channel(call.params), str(call.params.get("ts") or "")
        if not parent:
            raise _SlackError("thread_not_found")
        limit = int(call.params.get("limit") or 1000)
        with_metadata = str(call.params.get("include_all_metadata", "")).lower() in ("1", "true")
        found = sorted(
            (
                m
                for (c, ts), m in self.messages.items()
                if c == channel and (ts == parent or m.get("thread_ts") == parent)
            ),
            key=lambda m: float(m["ts"]),
        )[:limit]
        if not with_metadata:
            found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
        return {"messages": found, "has_more": False}

    def _chat_post_ephemeral(self, call: Call) -> JsonDict:
        self._channel(call.params)
        if not call.params.get("user"):
            raise _SlackError("user_not_found")
        ts = self._next_ts()
        self._message(call.params, ts)
        return {"message_ts": ts}

    def _chat_update(self, call: Call) -> JsonDict:
        channel, ts = self._channel(call.params), str(call.params.get("ts") or "")
        if not ts:
            raise _SlackError("message_not_found")
        message = self._message(call.params, ts)
        self.messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "text": message["text"], "message": message}

    def _chat_delete(self, call: Call) -> JsonDict:
        channel, ts = self._channel(call.params), str(call.params.get("ts") or "")
        if not ts:
            raise _SlackError("message_not_found")
        self.messages.pop((channel, ts), None)
        return {"channel": channel, "ts": ts}

    def _views_publish(self, call: Call) -> JsonDict:
        user_id, view = call.params.get("user_id"), call.params.get("view")
        if not user_id or not isinstance(view, dict):
            raise _SlackError("invalid_arguments")
        if error := _block_error(view.get("blocks", []), MAX_VIEW_BLOCKS):
            raise _SlackError(error)
        published = {"id": self._new_id("V"), "type": "home", **view}
        self.home_views[str(user_id)] = published
        return {"view": published}

    def _default_user(self, user_id: str) -> JsonDict:
        name = user_id.lower()
        return {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": f"User {user_id}",
            "deleted": False,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_bot": False,
            "tz": "Asia/Seoul",
            "profile": {"real_name": f"User {user_id}", "display_name": name},
        }

    def _users_info(self, call: Call) -> JsonDict:
        user_id = str(call.params.get("user") or "")
        if not user_id:
            raise _SlackError("user_not_found")
        if user_id not in self.users:
            self.users[user_id] = self._default_user(user_id)
        return {"user": self.users[user_id]}

    def _conversations_open(self, call: Call) -> JsonDict:
        if call.params.get("channel"):
            return {"channel": {"id": str(call.params["channel"])}}
        users = [u for u in str(call.params.get("users") or "").split(",") if u]
        if not users:
            raise _SlackError("users_list_not_supplied")
        prefix = "D" if len(users) == 1 else "G"
        return {"channel": {"id": prefix + "".join(users)}}

    def _file_object(self, file_id: str) -> JsonDict:
        fields, content = self.shared_files[file_id]
        name = str(fields.get("name") or fields.get("title") or f"{file_id}.bin")
        url = f"{self.root_url}/files-pri/{file_id}/{name}"
        obj = {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": mimetypes.guess_type(name)[0] or "application/octet-stream",
            "filetype": name.rsplit(".", 1)[-1] if "." in name else "binary",
            "size": len(content),
            "user": "U0UPLOADER",
            "url_private": url,
            "url_private_download": url,
        }
        return {**obj, **fields, "id": file_id, "url_private": url}

    def _files_info(self, call: Call) -> JsonDict:
        file_id = str(call.params.get("file") or "")
        if file_id not in self.shared_files:
            raise _SlackError("file_not_found")
        return {"file": self._file_object(file_id), "comments": []}

    def _get_upload_url(self, call: Call) -> JsonDict:
        filename, length = call.params.get("filename"), str(call.params.get("length") or "")
        if not filename or not length.isdigit():
            raise _SlackError("invalid_arguments")
        file_id = self._new_id("F")
        self._uploads[file_id] = {k: v for k, v in call.params.items() if k != "token"}
        return {"upload_url": f"{self.root_url}/upload/v1/{file_id}", "file_id": file_id}

    def _complete_upload(self, call: Call) -> JsonDict:
        entries = call.params.get("files")
        if not isinstance(entries, list) or not entries:
            raise _SlackError("invalid_arguments")
        return {"files": [self._complete_one(entry) for entry in entries]}

    def _complete_one(self, entry: Any) -> JsonDict:
        file_id = entry.get("id") if isinstance(entry, dict) else None
        if file_id not in self.files:
            raise _SlackError("file_not_found")
        pending = self._uploads.get(file_id, {})
        name = str(pending.get("filename") or file_id)
        fields = {"name": name, "title": entry.get("title") or name}
        self.shared_files[file_id] = (fields, self.files[file_id])
        return self._file_object(file_id)

    def _files_upload_v1(self, call: Call) -> JsonDict:
        raise _SlackError("method_deprecated")  # retired by Slack; use files_upload_v2
