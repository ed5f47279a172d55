"""Serving Slack: HTTP mode (POST /slack/events, GET /healthz) or Socket Mode."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from storage.db import Database

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
MAX_BODY = 1024 * 1024


def make_web_app(app: AsyncApp, db: Database) -> web.Application:
    """The HTTP endpoints: Slack's events/commands/interactivity and a health check."""

    async def events(request: web.Request) -> web.Response:
        bolt_response = await app.async_dispatch(await to_bolt_request(request))
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
