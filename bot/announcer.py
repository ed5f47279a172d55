"""Delivers queued announcements: outbox rows -> Slack.

Paces at most one message per second per channel, waits out 429 (Retry-After) by
rescheduling the row, retries transient errors with backoff, and marks permanent channel
errors failed with the reason (telling each admin once).

Every message carries its dedupe key as Slack message metadata. A row is "maybe posted"
when its last attempt ended without a clear answer from Slack (the connection dropped after
the request went out, the client timed out, a 5xx), or when the worker that claimed it died
(taken over 10 s after it was first seen dead when the dead process was on this host, so a
post it sent has reached the channel's history; after the 60 s lease otherwise, which a
slow batch renews before each post once half of it is gone). Before
posting a maybe-posted row again the announcer looks for its key — in the channel's
history, or in the original's thread for a correction's explanation — and when it is there
only records the ``ts``. A row stays maybe posted until a lookup has answered: waiting
behind a rate-limited message, or after a lookup that was rate limited or timed out, it is
rescheduled as maybe posted. The Web API client never re-sends a post itself (``slack_adapter.client.NeverResendPosts``). A correction's chat.update is re-run as it is: editing a message to
the same content twice shows once.

One round claims a batch and delivers it, all channels at once; it ends only when every
channel's delivery has, even when one of them failed: a delivery left running would post
rows that the next claim hands back to this worker (its own rows still "sending").

The narrow window that remains: the check cannot see a message Slack took longer than the
grace to show, or one older than the page it reads (200 messages since the row was queued).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, timedelta

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from answers.presentation.announcements import announcement_answer, correction_answer
from slack_adapter.blocks import fallback_text, to_blocks
from slack_adapter.channels import dm_channel
from slack_adapter.posting import find_posted, maybe_posted, metadata, retry_after, unanswered
from slack_adapter.uploads import upload_chart
from storage.db import Database, DatabaseUnavailable
from storage.models import Announcement, AnnouncementKind
from storage.outbox import LEASE, TAKEOVER_GRACE, Claimed, Outbox, new_worker
from storage.payloads import CorrectionPayload, read_payload

log = logging.getLogger(__name__)

PERMANENT_ERRORS = {
    "not_in_channel",
    "channel_not_found",
    "is_archived",
    "account_inactive",
    "invalid_auth",
    "restricted_action",
    "cannot_dm_bot",
    "user_not_found",
    "msg_too_long",
    "invalid_blocks",
    "no_permission",
    "team_access_not_granted",
    "ekm_access_denied",
}
MAX_ATTEMPTS = 8
PER_CHANNEL_INTERVAL = 1.0
HISTORY_SLACK_SECONDS = 120  # look back a little before the row was queued: clocks differ
ANNOUNCEMENT_EVENT = "minwon_announcement"  # message metadata carrying a row's dedupe key
MAYBE_POSTED = "maybe posted"  # the error of a row whose last attempt may have reached Slack


@dataclass
class Announcer:
    db: Database
    client: AsyncWebClient
    admins: Iterable[str] = ()
    worker: str = field(default_factory=new_worker)
    interval: float = PER_CHANNEL_INTERVAL
    lease: float = LEASE.total_seconds()
    takeover_grace: float = TAKEOVER_GRACE.total_seconds()
    _last_post: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def __post_init__(self) -> None:
        self.outbox = Outbox(
            self.db,
            worker=self.worker,
            lease=timedelta(seconds=self.lease),
            takeover_grace=timedelta(seconds=self.takeover_grace),
        )
        self.wake = asyncio.Event()
        self.rounds = 0  # rounds run_forever has finished, failed ones too (for watchers)

    async def deliver_due(self) -> int:
        """Claim what is due and deliver it; returns how many rows were handled. Raises the
        first channel's failure only once every channel's delivery has ended."""
        claimed = await self.outbox.claim()
        by_channel: dict[str, list[Claimed]] = defaultdict(list)
        for item in claimed:
            by_channel[item.row.channel_id].append(item)
        outcomes = await asyncio.gather(
            *(self._deliver_channel(items) for items in by_channel.values()),
            return_exceptions=True,
        )
        _raise_first(outcomes)
        return len(claimed)

    async def drain(self, *, max_wait: float = 300.0) -> None:
        """`minwon-bot announce`: deliver until nothing is pending (waiting for retries due
        within ``max_wait`` seconds)."""
        while True:
            handled = await self.deliver_due()
            if handled:
                continue
            due_in = await self.outbox.next_due_in()
            if due_in is None or due_in > max_wait:
                return
            await asyncio.sleep(min(max(due_in, 0.05), 5.0))

    async def run_forever(self, stop: asyncio.Event, *, poll: float = 5.0) -> None:
        """Inside `serve`: deliver whenever something is due; survive database outages."""
        while not stop.is_set():
            try:
                if await self.deliver_due():
                    continue
                due_in = await self.outbox.next_due_in()
            except DatabaseUnavailable as exc:
                log.warning("announcer waiting for the database: %s", exc)
                due_in = poll
            except Exception:  # never die silently: log, wait, try again
                log.exception("announcer round failed; retrying")
                due_in = poll
            self.rounds += 1
            wait = poll if due_in is None else min(max(due_in, 0.05), poll)
            self.wake.clear()
            stops = asyncio.ensure_future(stop.wait())
            wakes = asyncio.ensure_future(self.wake.wait())
            await asyncio.wait({stops, wakes}, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
            for task in (stops, wakes):
                task.cancel()

    async def _deliver_channel(self, items: list[Claimed]) -> None:
        for index, item in enumerate(items):
            if _unsure(item) and await self._settled_by_lookup(item.row):
                continue
            await self._pace(item.row.channel_id)
            if not await self.outbox.keep(item.row):
                continue  # our lease ran out and another announcer has taken the row over
            delay = await self._deliver(item.row)
            if delay is not None:  # rate limited: the channel's remaining rows wait too
                for later in items[index + 1 :]:
                    await self._wait_behind(later, delay)
                return

    async def _wait_behind(self, item: Claimed, delay: float) -> None:
        """Reschedule a row behind a rate-limited one; one that may be in Slack stays maybe
        posted (it has not been looked up yet)."""
        reason = "waiting behind a rate-limited message"
        error = f"{MAYBE_POSTED}: {reason}" if _unsure(item) else reason
        await self.outbox.mark_retry(item.row, after=delay, error=error)

    async def _settled_by_lookup(self, row: Announcement) -> bool:
        """A row that may have reached Slack: look for its key before posting again. True
        when that settled the row for now: found (its ``ts`` recorded), or the lookup could
        not answer yet (rescheduled, still maybe posted)."""
        try:
            return await self._already_posted(row)
        except SlackApiError as exc:
            if not unanswered(exc):  # a clear no: post after all
                log.info("history check for %s refused (%s); posting", row.id, _error(exc))
                return False
            limited = exc.response.status_code == 429 or _error(exc) == "ratelimited"
            delay = retry_after(exc.response.headers) if limited else None
            await self._retry_lookup(row, _error(exc), delay)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            await self._retry_lookup(row, exc.__class__.__name__, None)
        return True

    async def _retry_lookup(self, row: Announcement, reason: str, delay: float | None) -> None:
        error = f"{MAYBE_POSTED}: history check failed ({reason})"
        if delay is None:
            await self._transient(row, error)
        else:
            await self.outbox.mark_retry(row, after=delay, error=error)

    async def _already_posted(self, row: Announcement) -> bool:
        """Look for the row's key in Slack; when it is there, record its ``ts``."""
        queued = row.created_at or row.claimed_at
        if queued is not None and queued.tzinfo is None:
            queued = queued.replace(tzinfo=UTC)
        since = queued.timestamp() - HISTORY_SLACK_SECONDS if queued else 0.0
        thread = None
        if row.kind == AnnouncementKind.CORRECTION and row.corrects_id:
            original = await self.outbox.get(row.corrects_id)
            thread = original.slack_ts if original else None  # the explanation's thread
        ts = await find_posted(
            self.client,
            channel=await self._conversation_of(row),
            key=row.dedupe_key,
            thread_ts=thread,
            oldest=since,
        )
        if ts is None:
            return False
        await self.outbox.mark_sent(row, ts=ts)
        return True

    async def _conversation_of(self, row: Announcement) -> str:
        """Where the row's message lives: its channel, or for an admin's report (posted to
        the user's id) the DM with that admin, which is what the history can be read of."""
        if row.kind != AnnouncementKind.ADMIN_REPORT:
            return row.channel_id
        return await dm_channel(self.client, row.channel_id) or row.channel_id

    async def _pace(self, channel: str) -> None:
        wait = self._last_post[channel] + self.interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        self._last_post[channel] = time.monotonic()

    async def _deliver(self, row: Announcement) -> float | None:
        """Post one row; returns a delay when Slack asked us to slow down."""
        try:
            ts = await self._post(row)
        except SlackApiError as exc:
            return await self._slack_error(row, exc)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            reason = f"{exc.__class__.__name__}: {exc}".rstrip(": ")
            await self._transient(row, f"{MAYBE_POSTED}: {reason}" if maybe_posted(exc) else reason)
            return None
        await self.outbox.mark_sent(row, ts=ts)
        return None

    async def _post(self, row: Announcement) -> str | None:
        if row.kind == AnnouncementKind.CORRECTION:
            return await self._post_correction(row)
        answer = announcement_answer(read_payload(row.kind, row.payload))
        response = await self.client.chat_postMessage(
            channel=row.channel_id,
            text=fallback_text(answer),
            blocks=to_blocks(answer),
            metadata=metadata(ANNOUNCEMENT_EVENT, row.dedupe_key),
        )
        ts = response.get("ts")
        if answer.chart is not None:
            # Best effort: the summary is delivered; re-posting it for a failed picture would be worse.
            await upload_chart(self.client, answer, channel=row.channel_id, thread_ts=ts)
        return ts

    async def _post_correction(self, row: Announcement) -> str | None:
        original = await self.outbox.get(row.corrects_id) if row.corrects_id else None
        fixed, explanation = correction_answer(CorrectionPayload.from_json(row.payload))
        mark = metadata(ANNOUNCEMENT_EVENT, row.dedupe_key)
        if original is None or not original.slack_ts:
            response = await self.client.chat_postMessage(
                channel=row.channel_id,
                text=fallback_text(fixed),
                blocks=to_blocks(fixed),
                metadata=mark,
            )
            return response.get("ts")
        await self.client.chat_update(
            channel=row.channel_id,
            ts=original.slack_ts,
            text=fallback_text(fixed),
            blocks=to_blocks(fixed),
        )
        response = await self.client.chat_postMessage(
            channel=row.channel_id, thread_ts=original.slack_ts, text=explanation, metadata=mark
        )
        return response.get("ts")

    async def _slack_error(self, row: Announcement, exc: SlackApiError) -> float | None:
        status = exc.response.status_code
        error = _error(exc)
        if status == 429 or error == "ratelimited":
            asked = retry_after(exc.response.headers)
            delay = 1.0 if asked is None else asked
            await self.outbox.mark_retry(row, after=delay, error="rate limited")
            return delay
        if status >= 500:
            await self._transient(row, f"{MAYBE_POSTED}: {error}")
            return None
        if error in PERMANENT_ERRORS:
            log.warning("announcement %s to %s failed for good: %s", row.id, row.channel_id, error)
            await self.outbox.mark_failed(row, error=error, admins=self.admins)
            return None
        await self._transient(row, error)
        return None

    async def _transient(self, row: Announcement, error: str) -> None:
        if row.attempts + 1 >= MAX_ATTEMPTS:
            await self.outbox.mark_failed(
                row, error=f"gave up after {MAX_ATTEMPTS} attempts: {error}", admins=self.admins
            )
            return
        await self.outbox.mark_retry(row, after=min(2.0 ** (row.attempts + 1), 300.0), error=error)


def _unsure(item: Claimed) -> bool:
    """Whether the row may be in Slack already: its claimer died, or its last attempt (or
    lookup) ended without a clear answer."""
    return item.interrupted or (item.row.error or "").startswith(MAYBE_POSTED)


def _error(exc: SlackApiError) -> str:
    return str(exc.response.get("error") or f"http_{exc.response.status_code}")


def _raise_first(outcomes: list[BaseException | None]) -> None:
    """Raise the first failure among the channels' deliveries (the others are logged)."""
    failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    for failure in failures[1:]:
        log.warning("another channel's delivery failed too", exc_info=failure)
    if failures:
        raise failures[0]
