"""Slack's wire format in one place: an Answer as Block Kit, views, reading payloads,
posting exactly once, response_url answers, uploads and the Web API client. Used by
handlers/ and bot/; answers/ never sees Slack."""
