"""Fetching a file a user shared with the bot (files.info, then url_private with the bot
token). Slack answers a download without a valid token with an HTML login page and 200,
so the content type is checked, not only the status."""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

MAX_BYTES = 20 * 1024 * 1024
ACCEPTED = (".csv", ".xlsx", ".xlsm")


class DownloadError(Exception):
    """The file could not be fetched; the message is safe to show the user."""


async def download(client: AsyncWebClient, file_id: str) -> tuple[str, bytes]:
    try:
        info = (await client.files_info(file=file_id)).get("file") or {}
    except SlackApiError as exc:
        raise DownloadError(
            f"파일 정보를 가져오지 못했습니다 ({exc.response.get('error')})"
        ) from exc
    name = str(info.get("name") or "upload.csv")
    if not name.lower().endswith(ACCEPTED):
        raise DownloadError(f"{name}: CSV 또는 XLSX 파일만 불러올 수 있습니다")
    if int(info.get("size") or 0) > MAX_BYTES:
        raise DownloadError(f"{name}: 20 MB보다 큰 파일은 불러올 수 없습니다")
    url = info.get("url_private_download") or info.get("url_private")
    if not url:
        raise DownloadError(f"{name}: 내려받을 주소가 없습니다")
    return name, await _get(str(url), client.token or "", name)


async def _get(url: str, token: str, name: str) -> bytes:
    timeout = aiohttp.ClientTimeout(total=60)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(url, headers={"Authorization": f"Bearer {token}"}) as response,
        ):
            if response.status != 200 or "text/html" in response.content_type:
                raise DownloadError(f"{name}: 파일을 내려받지 못했습니다 (HTTP {response.status})")
            data = await response.content.read(MAX_BYTES + 1)
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise DownloadError(
            f"{name}: 파일을 내려받지 못했습니다 ({exc.__class__.__name__})"
        ) from exc
    if len(data) > MAX_BYTES:
        raise DownloadError(f"{name}: 20 MB보다 큰 파일은 불러올 수 없습니다")
    return data
