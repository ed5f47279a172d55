"""The Slack app manifest asks for what the finder registers: the global shortcut by the
callback_id the app listens to, and the options URL the agency picker needs in HTTP mode;
and for what the assistant pane needs (its prompts are answered in
tests/answers/test_assistant_prompts.py)."""

from __future__ import annotations

from layers import ROOT

from slack_adapter.views import FINDER_SHORTCUT

MANIFEST = (ROOT / "manifest.yml").read_text(encoding="utf-8")


def _section(name: str) -> str:
    """The lines of a top-level manifest key's block, or of a nested one by its name."""
    lines = MANIFEST.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{name}:")
    indent = len(lines[start]) - len(lines[start].lstrip())
    block = []
    for line in lines[start + 1 :]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        block.append(line.split("#", 1)[0].strip())
    return "\n".join(block)


def test_the_manifest_declares_the_global_shortcut_the_app_listens_to() -> None:
    shortcuts = _section("shortcuts")
    assert "type: global" in shortcuts
    assert f"callback_id: {FINDER_SHORTCUT}" in shortcuts
    assert "name: 기관 등급 찾기" in shortcuts


def test_interactivity_has_the_options_url_for_http_mode() -> None:
    interactivity = _section("interactivity")
    assert "is_enabled: true" in interactivity
    assert "message_menu_options_url: https://" in interactivity


def test_the_scopes_cover_the_finder() -> None:
    scopes = _section("bot")
    for scope in ("commands", "channels:read", "groups:read", "files:write", "im:write"):
        assert f"- {scope}" in scopes, scope


def test_the_manifest_turns_on_the_assistant_pane() -> None:
    view = _section("assistant_view")
    assert "assistant_description:" in view and "suggested_prompts:" in view
    assert "- assistant:write" in _section("bot")
    events = _section("bot_events")
    for event in ("assistant_thread_started", "assistant_thread_context_changed", "message.im"):
        assert f"- {event}" in events, event
