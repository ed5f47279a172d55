"""Serving Slack: HTTP mode (POST /slack/events, GET /healthz) or Socket Mode."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from storage.db import Database

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
MAX_BODY = 1024 * 1024


def make_web_app(app: AsyncApp, db: Database) -> web.Application:
    """The HTTP endpoints: Slack's events/commands/interactivity and a health check."""

    async def events(request: web.Request) -> web.Response:
        bolt_request = await _read(request)
        if bolt_request is None:  # unsigned or unreadable: nothing is done for it
            return web.Response(status=401, text="invalid request")
        if not well_formed(bolt_request.body):
            return web.Response(status=400, text="malformed payload")
        try:
            bolt_response = await app.async_dispatch(bolt_request)
        except Exception:  # a malformed payload Bolt could not route: refuse, never 500
            log.exception("could not dispatch a Slack request")
            return web.Response(status=400, text="invalid request")
        return await to_aiohttp_response(bolt_response)

    async def healthz(_request: web.Request) -> web.Response:
        ok = await db.ping()
        return web.json_response(
            {"ok": ok, "database": "up" if ok else "down"}, status=200 if ok else 503
        )

    web_app = web.Application(client_max_size=MAX_BODY)
    web_app.router.add_post(EVENTS_PATH, events)
    web_app.router.add_get("/healthz", healthz)
    return web_app


async def _read(request: web.Request) -> AsyncBoltRequest | None:
    """The request as Bolt reads it, or None when it cannot be a Slack request at all
    (not UTF-8, a timestamp that is no number, a body that does not parse). Nothing is
    done for such a request; a well-formed one is then checked for its signature by Bolt."""
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return None
    try:
        body = (await request.read()).decode("utf-8")
        headers: dict[str, str | Sequence[str]] = dict(request.headers.items())
        return AsyncBoltRequest(body=body, query=request.query_string, headers=headers)
    except (
        UnicodeDecodeError,
        ValueError,
        TypeError,
        AttributeError,
        KeyError,
        IndexError,
        RecursionError,
    ):
        return None


OBJECT_FIELDS = ("event", "user", "channel", "container", "view", "message")
TEXT_FIELDS = (
    "type",
    "command",
    "text",
    "trigger_id",
    "response_url",
    "user_id",
    "channel_id",
    "event_id",
)


def well_formed(body: object) -> bool:
    """The payload has the shapes Slack sends (objects where objects go, text where text
    goes, actions with an action_id). Bolt and the listeners may rely on that."""
    if not isinstance(body, dict):
        return False
    if any(body.get(key) is not None and not isinstance(body[key], dict) for key in OBJECT_FIELDS):
        return False
    if any(body.get(key) is not None and not isinstance(body[key], str) for key in TEXT_FIELDS):
        return False
    actions = body.get("actions")
    return actions is None or (
        isinstance(actions, list)
        and all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions)
    )


async def serve_http(
    app: AsyncApp, db: Database, *, host: str, port: int, stop: asyncio.Event
) -> None:
    runner = web.AppRunner(make_web_app(app, db), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    log.warning("serving Slack over HTTP on http://%s:%s%s", host, port, EVENTS_PATH)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def socket_mode_handler(app: AsyncApp, app_token: str) -> AsyncSocketModeHandler:
    """Socket Mode over aiohttp; its Web API calls use the app's client (SLACK_API_URL)."""
    return AsyncSocketModeHandler(app, app_token)


async def serve_socket_mode(app: AsyncApp, app_token: str, *, stop: asyncio.Event) -> None:
    handler = socket_mode_handler(app, app_token)
    await handler.connect_async()
    log.warning("connected to Slack over Socket Mode")
    try:
        await stop.wait()
    finally:
        await handler.close_async()
