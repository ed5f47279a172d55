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

Block Kit is checked as Slack checks it, by one validator for messages and views
(:mod:`blockkit`): an over-limit message is refused with ``invalid_blocks``, an over-limit
view with ``invalid_arguments``, both listing Slack's problem lines in
``response_metadata.messages``. Views (modals, App Home), the trigger_ids that open
modals and the history of what the app showed live in :mod:`fakeviews`; channels and
members in :mod:`fakedirectory`; Socket Mode (``apps.connections.open`` and the websocket
it points to, on this same server) in :mod:`fakesocket`::

    fake.set_members("C1", ["U1", "UBOT"])
    ack = await fake.socket_send("slash_commands", command_payload("고성군", response_url=...))
    [view] = fake.views(user="U0ANALYST")
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
from blockkit import (
    MAX_MESSAGE_BLOCKS,
    SlackRefusal,
    blocks_problems,
    options_problems,
    response_action_problems,
)
from fakedirectory import Channel, Directory
from fakesocket import ACK_TIMEOUT, Envelope, SocketHub
from fakeviews import ViewRecord, ViewStore
from slackreq import make_command, payload

JsonDict = dict[str, Any]
Post = Callable[[str, dict[str, str]], Awaitable[object]]  # signs and POSTs to the bot

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T1"
TEAM_NAME = "Test"
APP_ID = "A0MINWON"
FIRST_TS = 1_700_000_000_000_100  # microseconds: "1700000000.000100"
JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata", "prompts", "loading_messages")
MAX_TEXT = 40_000
MAX_PROMPTS = 4  # assistant.threads.setSuggestedPrompts: "up to four suggested prompts"
TRIGGER_TTL = 3.0  # seconds a trigger_id stays usable (Slack: 3 s)
IMAGE_TYPES = ("png", "jpg", "jpeg", "gif")  # what an image block's slack_file may be
APP_TOKEN_METHODS = ("apps.connections.open",)
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


def _rich_text(text: str, ts: str) -> JsonDict:
    """The rich_text block Slack stores for a text-only message."""
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return {"type": "rich_text", "block_id": f"rt{ts[-6:]}", "elements": [section]}


def _prompts_problems(prompts: Any) -> list[str]:
    """assistant.threads.setSuggestedPrompts: 1 to 4 prompts, each a title and a message."""
    if not isinstance(prompts, list) or not prompts:
        return ["[ERROR] must be a non-empty array [json-pointer:/prompts]"]
    problems = []
    if len(prompts) > MAX_PROMPTS:
        problems.append(f"[ERROR] no more than {MAX_PROMPTS} items allowed [json-pointer:/prompts]")
    for i, prompt in enumerate(prompts):
        for key in ("title", "message"):
            value = prompt.get(key) if isinstance(prompt, dict) else None
            if not isinstance(value, str) or not value:
                problems.append(
                    f"[ERROR] missing required field: {key} [json-pointer:/prompts/{i}]"
                )
    return problems


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
    - ``view_store``: every view shown (modals, home tabs), triggers, modal stacks; see
      :meth:`views`, :meth:`last_view`, :meth:`opened_by`, :meth:`issue_trigger`.
    - ``directory``: channels and members; see :meth:`set_members`, :meth:`add_channel`.
    - ``assistant_threads``: (channel_id, thread_ts) -> the status, title and suggested
      prompts last set with ``assistant.threads.*``.
    - ``socket``: Socket Mode connections, envelopes sent and acks; see :meth:`socket_send`.
    - ``post_times``: channel -> ``time.monotonic()`` of each accepted ``chat.postMessage``.
    - ``bot_token``: ``None`` accepts any ``xox*`` token; a string requires exactly that one.
    - ``app_token``: the same for the app-level ``xapp-`` token of ``apps.connections.open``.
    - ``server_errors``: tracebacks of bugs in the fake itself (answered as HTTP 500).
    """

    def __init__(
        self,
        *,
        rate_limit_per_channel: float | None = None,
        burst: int = 3,
        trigger_ttl: float = TRIGGER_TTL,
    ) -> None:
        """Optionally rate-limit ``chat.postMessage`` to ``rate_limit_per_channel`` per second
        per channel, allowing bursts of ``burst`` (a token bucket). A trigger_id opens a
        modal only within ``trigger_ttl`` seconds of reaching the app (Slack: 3 s)."""
        if rate_limit_per_channel is not None and rate_limit_per_channel <= 0:
            raise ValueError("rate_limit_per_channel must be positive")
        self.rate_limit_per_channel = rate_limit_per_channel
        self.burst = max(1, burst)
        self.bot_token: str | None = None
        self.app_token: str | None = None
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
        self._file_shares: dict[str, set[str]] = defaultdict(set)  # file id -> channels
        identity = {"team_id": TEAM_ID, "app_id": APP_ID, "bot_id": BOT_ID}
        self.view_store = ViewStore(
            trigger_ttl=trigger_ttl,
            new_id=self._new_id,
            identity=identity | {"app_installed_team_id": TEAM_ID},
            files=self._slack_file_problem,
        )
        self.directory = Directory(bot_user=BOT_USER_ID, team_id=TEAM_ID)
        self.assistant_threads: dict[tuple[str, str], JsonDict] = {}
        self.socket = SocketHub(app_id=APP_ID, notify=self._notify)
        self._handlers: dict[str, Callable[[Call], JsonDict]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "views.publish": self._views_publish,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "assistant.threads.setStatus": self._assistant_set_status,
            "assistant.threads.setSuggestedPrompts": self._assistant_set_prompts,
            "assistant.threads.setTitle": self._assistant_set_title,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "users.conversations": self._users_conversations,
            "apps.connections.open": self._apps_connections_open,
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
        app.router.add_get("/link/", self.socket.serve)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self._root = f"http://{host}:{port}"
        self._event()

    async def stop(self) -> None:
        """Stop serving (idempotent); open Socket Mode connections are closed first (an
        app still connected then tries to reconnect: close its handler before)."""
        if self._runner is not None:
            await self.socket.close_all()
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
        """Register a file a user shared (for ``files.info`` and its ``url_private``);
        returns the file object."""
        file_id = file_id or self._new_id("F")
        self.shared_files[file_id] = (dict(fields), content)
        self._file_shares[file_id].add("shared-by-user")
        return self._file_object(file_id)

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        members: list[str] | tuple[str, ...] = (),
        kind: str | None = None,
        is_archived: bool = False,
        topic: str = "",
        purpose: str = "",
    ) -> Channel:
        """Create or replace a conversation for ``conversations.info``/``members`` and
        ``users.conversations``. ``kind`` is public_channel, private_channel, mpim or im
        (default from the id: ``C`` public, ``G`` private, ``D`` a DM); include
        ``"UBOT"`` in ``members`` for a channel the bot is in."""
        return self.directory.add(
            channel_id,
            name=name,
            members=members,
            kind=kind,
            is_archived=is_archived,
            topic=topic,
            purpose=purpose,
        )

    def set_members(self, channel_id: str, users: list[str] | tuple[str, ...]) -> Channel:
        """Set who is in ``channel_id`` (created as :meth:`add_channel` would)."""
        return self.directory.set_members(channel_id, users)

    def issue_trigger(
        self, *, user: str | None = None, view_id: str | None = None, issued_ago: float = 0.0
    ) -> str:
        """A trigger_id, as if Slack handed it to the app ``issued_ago`` seconds ago with an
        interaction by ``user`` (from the view ``view_id``, for ``views.push``). It opens
        one view, within the fake's ``trigger_ttl`` of being issued."""
        now = time.monotonic() - issued_ago
        return self.view_store.issue_trigger(user=user, view_id=view_id, now=now)

    def note_delivered(self, payload: JsonDict) -> None:
        """The app was just handed ``payload`` (a command's, an interaction's): its
        trigger_id is issued now, for its user and the view it came from. ``socket_send``
        does this itself; HTTP tests call it (RunningBot.post does)."""
        trigger_id = payload.get("trigger_id")
        if not isinstance(trigger_id, str) or not trigger_id:
            return
        user = payload.get("user")
        user_id = user.get("id") if isinstance(user, dict) else payload.get("user_id")
        view = payload.get("view")
        view_id = view.get("id") if isinstance(view, dict) else None
        self.view_store.note_trigger(
            trigger_id,
            user=str(user_id) if user_id else None,
            view_id=str(view_id) if view_id else None,
            now=time.monotonic(),
        )

    def close_view(self, view_id: str) -> None:
        """The user closed a modal (``views.update`` on it is then ``not_found``)."""
        self.view_store.close(view_id)

    def receive_ack(self, payload: JsonDict, ack_payload: JsonDict | None) -> list[str]:
        """Take the app's answer to ``payload`` as Slack would and return Slack's problem
        lines (empty when Slack takes it): a slash command's message, a block_suggestion's
        options, a view_submission's ``response_action`` (applied to the modal when
        valid: update, push, clear or errors; a bare ack closes it)."""
        kind = "slash_commands" if "command" in payload else str(payload.get("type"))
        if kind == "slash_commands":
            return self._command_ack_problems(ack_payload)
        if kind == "block_suggestion":
            return options_problems(ack_payload)
        if kind != "view_submission":
            return []
        submitted = payload.get("view")
        view: JsonDict = submitted if isinstance(submitted, dict) else {}
        problems = response_action_problems(ack_payload, view, self._slack_file_problem)
        if not problems:
            self.view_store.respond(view, ack_payload)
        return problems

    def _command_ack_problems(self, message: JsonDict | None) -> list[str]:
        if not message:
            return []
        if len(str(message.get("text") or "")) > MAX_TEXT:
            return ["[ERROR] msg_too_long [json-pointer:/text]"]
        return self.blocks_problems(message["blocks"]) if "blocks" in message else []

    # ----------------------------------------------------------------- Socket Mode

    async def wait_socket(self, timeout: float = 5.0) -> None:
        """Wait until an app is connected over Socket Mode (AssertionError after
        ``timeout``)."""
        await self.socket.wait_connected(timeout)

    async def socket_send(
        self,
        type: str,
        payload: JsonDict,
        *,
        timeout: float = ACK_TIMEOUT,
        check: bool = True,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> JsonDict:
        """Push one envelope (``type`` ``"slash_commands"``, ``"events_api"`` or
        ``"interactive"``) to the connected app and return its ack,
        ``{"envelope_id": ..., "payload": {...}?}``.

        Waits for a connection and the ack up to ``timeout`` (Slack's 3 s by default;
        AssertionError when none came). The payload's trigger_id is issued as it goes out
        (see :meth:`note_delivered`). With ``check``, an ack payload Slack would refuse
        (see :meth:`receive_ack`) raises AssertionError listing Slack's problem lines;
        either way the envelope, its ack and the problems stay in ``socket.envelopes``.
        ``accepts_response_payload`` defaults to Slack's: true for slash commands,
        block_suggestion and view_submission.
        """
        self.note_delivered(payload)
        envelope = await self.socket.send(
            type,
            payload,
            timeout=timeout,
            accepts_response_payload=accepts_response_payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )
        if envelope.accepts_response_payload:
            envelope.problems = self.receive_ack(payload, envelope.ack_payload)
        if check and envelope.problems:
            problems = "\n  ".join(envelope.problems)
            raise AssertionError(
                f"Slack would refuse the ack of this {type} envelope:\n  {problems}"
            )
        return dict(envelope.ack or {})

    async def socket_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the connected app to reconnect (``{"type": "disconnect", ...}``), as Slack
        does now and then; the SDK then calls apps.connections.open and dials again."""
        await self.socket.disconnect(reason)

    # ----------------------------------------------------------------- inspection

    def views(self, user: str | None = None, *, type: str | None = None) -> list[JsonDict]:
        """Every view the app showed, oldest first, as Slack answered it (a snapshot per
        ``views.open``/``push``/``update``/``publish`` and accepted ``response_action``),
        optionally only ``user``'s and only of ``type`` (``"modal"`` or ``"home"``)."""
        return self.view_store.snapshots(user, type)

    def last_view(self, user: str, *, type: str | None = None) -> JsonDict | None:
        """The last view the app showed ``user`` (optionally of ``type``), or ``None``."""
        shown = self.views(user, type=type)
        return shown[-1] if shown else None

    def view(self, view_id: str) -> JsonDict | None:
        """The current state of a view (after any updates), or ``None``."""
        return self.view_store.current.get(view_id)

    def opened_by(self, trigger_id: str) -> JsonDict | None:
        """The view ``views.open``/``views.push`` opened with ``trigger_id``, or ``None``."""
        return self.view_store.opened_by(trigger_id)

    @property
    def view_history(self) -> list[ViewRecord]:
        """The views shown, each with its method, user and trigger_id."""
        return self.view_store.history

    def assistant_thread(self, channel_id: str, thread_ts: str) -> JsonDict:
        """What ``assistant.threads.*`` last set on a thread: ``status``, ``title``,
        ``prompts`` (and ``prompts_title``, ``loading_messages``); empty when nothing."""
        return dict(self.assistant_threads.get((channel_id, thread_ts), {}))

    @property
    def socket_envelopes(self) -> list[Envelope]:
        """The Socket Mode envelopes sent, each with its ack, times and problems."""
        return self.socket.envelopes

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
        if error := self._token_error(call.method, call.token):
            return _error(error)
        try:
            return _json_reply({"ok": True, **handler(call)})
        except SlackRefusal as exc:
            return _json_reply(exc.body(), exc.status, exc.headers)

    def _token_error(self, method: str, token: str) -> str | None:
        """An app-level token (``xapp-``) only opens Socket Mode connections; a bot token
        cannot (Slack: ``not_allowed_token_type``)."""
        wants_app_token = method in APP_TOKEN_METHODS
        if token.startswith("xapp-") != wants_app_token:
            return (
                "not_allowed_token_type" if token.startswith(("xapp-", "xox")) else "invalid_auth"
            )
        if wants_app_token:
            return None if self.app_token in (None, token) else "invalid_auth"
        return None if self._token_ok(token) else "invalid_auth"

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
            raise SlackRefusal("channel_not_found")
        return "D" + channel if channel[0] in "UW" else channel  # posting to a user opens a DM

    def _message(self, params: JsonDict, ts: str) -> JsonDict:
        text, blocks = params.get("text"), params.get("blocks")
        if not text and not blocks and not params.get("attachments"):
            raise SlackRefusal("no_text")
        if len(str(text or "")) > MAX_TEXT:
            raise SlackRefusal("msg_too_long")
        if blocks is not None and (problems := self.blocks_problems(blocks)):
            raise SlackRefusal("invalid_blocks", problems)
        message: JsonDict = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts}
        message["text"] = text or ""
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if params.get(key) is not None:
                message[key] = params[key]
        if blocks is None and text:
            # Slack stores a text-only post with the rich_text block it renders; Bolt's
            # assistant thread-context store re-sends message["blocks"] on chat.update.
            message["blocks"] = [_rich_text(str(text), ts)]
        return message

    def blocks_problems(self, blocks: Any, *, limit: int = MAX_MESSAGE_BLOCKS) -> list[str]:
        """Slack's problem lines for a message's ``blocks`` (empty when Slack takes them);
        image blocks may show only files this fake holds, that are images and shared."""
        return blocks_problems(blocks, limit=limit, files=self._slack_file_problem)

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
            raise SlackRefusal("ratelimited", status=429, headers={"Retry-After": retry_after})

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
            raise SlackRefusal("thread_not_found")
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
            raise SlackRefusal("user_not_found")
        ts = self._next_ts()
        self._message(call.params, ts)
        return {"message_ts": ts}

    def _chat_update(self, call: Call) -> JsonDict:
        channel, ts = self._channel(call.params), str(call.params.get("ts") or "")
        if not ts:
            raise SlackRefusal("message_not_found")
        message = self._message(call.params, ts)
        old = self.messages.get((channel, ts), {})
        if "thread_ts" in old and "thread_ts" not in message:
            message["thread_ts"] = old["thread_ts"]  # an edited reply stays in its thread
        self.messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "text": message["text"], "message": message}

    def _chat_delete(self, call: Call) -> JsonDict:
        channel, ts = self._channel(call.params), str(call.params.get("ts") or "")
        if not ts:
            raise SlackRefusal("message_not_found")
        self.messages.pop((channel, ts), None)
        return {"channel": channel, "ts": ts}

    # ----------------------------------------------------------------- views

    def _views_open(self, call: Call) -> JsonDict:
        return {"view": self.view_store.open(call.params, call.at)}

    def _views_push(self, call: Call) -> JsonDict:
        return {"view": self.view_store.push(call.params, call.at)}

    def _views_update(self, call: Call) -> JsonDict:
        return {"view": self.view_store.update(call.params)}

    def _views_publish(self, call: Call) -> JsonDict:
        published = self.view_store.publish(call.params)
        self.home_views[str(call.params["user_id"])] = published
        return {"view": published}

    # ----------------------------------------------------------------- assistant threads

    def _assistant_thread(self, params: JsonDict, *required: str) -> JsonDict:
        """The thread's state; ``channel_id``, ``thread_ts`` and ``required`` must be given."""
        missing = [k for k in ("channel_id", "thread_ts", *required) if params.get(k) is None]
        missing += [k for k in ("channel_id", "thread_ts") if params.get(k) == ""]
        if missing:
            lines = [f"[ERROR] missing required field: {k}" for k in dict.fromkeys(missing)]
            raise SlackRefusal("invalid_arguments", lines)
        key = (str(params["channel_id"]), str(params["thread_ts"]))
        return self.assistant_threads.setdefault(key, {})

    def _assistant_set_status(self, call: Call) -> JsonDict:
        thread = self._assistant_thread(call.params, "status")  # "" clears the status
        thread["status"] = str(call.params["status"])
        if call.params.get("loading_messages") is not None:
            thread["loading_messages"] = call.params["loading_messages"]
        return {}

    def _assistant_set_prompts(self, call: Call) -> JsonDict:
        thread = self._assistant_thread(call.params, "prompts")
        if problems := _prompts_problems(call.params["prompts"]):
            raise SlackRefusal("invalid_arguments", problems)
        thread["prompts"] = call.params["prompts"]
        if call.params.get("title") is not None:
            thread["prompts_title"] = str(call.params["title"])
        return {}

    def _assistant_set_title(self, call: Call) -> JsonDict:
        thread = self._assistant_thread(call.params, "title")
        if not call.params["title"]:
            raise SlackRefusal(
                "invalid_arguments", ["[ERROR] must be a non-empty string [json-pointer:/title]"]
            )
        thread["title"] = str(call.params["title"])
        return {}

    # ----------------------------------------------------------------- channels

    def _conversations_info(self, call: Call) -> JsonDict:
        return self.directory.info(call.params)

    def _conversations_members(self, call: Call) -> JsonDict:
        return self.directory.members(call.params)

    def _users_conversations(self, call: Call) -> JsonDict:
        return self.directory.user_conversations(call.params)

    # ----------------------------------------------------------------- Socket Mode

    def _apps_connections_open(self, call: Call) -> JsonDict:
        return {"url": self.socket.new_url(self.root_url)}

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
            raise SlackRefusal("user_not_found")
        if user_id not in self.users:
            self.users[user_id] = self._default_user(user_id)
        return {"user": self.users[user_id]}

    def _conversations_open(self, call: Call) -> JsonDict:
        if call.params.get("channel"):
            return {"channel": {"id": str(call.params["channel"])}}
        users = [u for u in str(call.params.get("users") or "").split(",") if u]
        if not users:
            raise SlackRefusal("users_list_not_supplied")
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
            "permalink": f"https://test.slack.com/files/U0UPLOADER/{file_id}/{name}",
        }
        return {**obj, **fields, "id": file_id, "url_private": url}

    def _files_info(self, call: Call) -> JsonDict:
        file_id = str(call.params.get("file") or "")
        if file_id not in self.shared_files:
            raise SlackRefusal("file_not_found")
        return {"file": self._file_object(file_id), "comments": []}

    def _get_upload_url(self, call: Call) -> JsonDict:
        filename, length = call.params.get("filename"), str(call.params.get("length") or "")
        if not filename or not length.isdigit():
            raise SlackRefusal("invalid_arguments")
        file_id = self._new_id("F")
        self._uploads[file_id] = {k: v for k, v in call.params.items() if k != "token"}
        return {"upload_url": f"{self.root_url}/upload/v1/{file_id}", "file_id": file_id}

    def _complete_upload(self, call: Call) -> JsonDict:
        entries = call.params.get("files")
        if not isinstance(entries, list) or not entries:
            raise SlackRefusal("invalid_arguments")
        completed = [self._complete_one(entry) for entry in entries]
        channels = [str(call.params.get("channel_id") or "")]
        channels += str(call.params.get("channels") or "").split(",")
        for obj in completed:  # without a channel the file stays private to the bot
            self._file_shares[obj["id"]].update(c for c in channels if c)
        return {"files": completed}

    def _slack_file_problem(self, ref: JsonDict) -> str | None:
        """Why an image block cannot show this ``slack_file`` (``None`` when it can): the
        file must be one Slack holds, an image (png, jpg, jpeg, gif), and shared somewhere
        (an upload without a channel is private to the bot: Slack answers
        ``invalid slack file``)."""
        file_id = str(ref.get("id") or "") or self._file_id_at(str(ref.get("url") or ""))
        if file_id not in self.shared_files:
            return "invalid slack file"
        obj = self._file_object(file_id)
        if str(obj.get("filetype", "")).lower() not in IMAGE_TYPES:
            return "invalid slack file (not a png, jpg, jpeg or gif image)"
        if not self._file_shares.get(file_id):
            return "invalid slack file"
        return None

    def _file_id_at(self, url: str) -> str:
        for file_id in self.shared_files:
            obj = self._file_object(file_id)
            if url in (obj["url_private"], obj.get("url_private_download"), obj.get("permalink")):
                return file_id
        return ""

    def _complete_one(self, entry: Any) -> JsonDict:
        file_id = entry.get("id") if isinstance(entry, dict) else None
        if file_id not in self.files:
            raise SlackRefusal("file_not_found")
        pending = self._uploads.get(file_id, {})
        name = str(pending.get("filename") or file_id)
        fields = {"name": name, "title": entry.get("title") or name}
        self.shared_files[file_id] = (fields, self.files[file_id])
        return self._file_object(file_id)

    def _files_upload_v1(self, call: Call) -> JsonDict:
        raise SlackRefusal("method_deprecated")  # retired by Slack; use files_upload_v2
