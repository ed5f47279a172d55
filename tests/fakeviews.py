"""The views part of the fake Slack: modals (``views.open``, ``views.push``,
``views.update``), App Home tabs (``views.publish``) and the trigger_ids that open modals.

Checked as Slack checks them: every view through :mod:`blockkit`'s validator (refused whole
with ``invalid_arguments`` and Slack's problem lines); a trigger_id used once only
(``exchanged_trigger_id``) and only within ``trigger_ttl`` seconds of being issued
(``expired_trigger_id``; Slack's window is 3 s); at most 3 views on a modal's stack
(``push_limit_reached``); ``external_id`` unique (``duplicate_external_id``); ``hash``
matching the view's current one (``hash_conflict``).

A trigger is *issued* when the fake hands the app a payload carrying it (Socket Mode's
``socket_send``, or ``FakeSlack.note_delivered`` for HTTP), with the payload's user and the
view it came from; a well-formed trigger_id the fake never issued is taken as fresh on first
use.
"""

from __future__ import annotations

import copy
import itertools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from blockkit import FileCheck, SlackRefusal, view_problems
from slackreq import new_trigger_id

JsonDict = dict[str, Any]
TRIGGER_FORMAT = re.compile(r"^\d+\.\d+\.[0-9A-Za-z]+$")  # Slack's "132456.7890123.abcdef"
MAX_STACK = 3  # views on one modal's stack (views.push: "Currently the limit is 3")


@dataclass
class Trigger:
    """A trigger_id the app received: when, for whom, from which view, and what it opened."""

    trigger_id: str
    issued_at: float
    user: str | None = None
    view_id: str | None = None  # the view the interaction came from (a modal or home tab)
    opened: str | None = None  # the view id opened or pushed with it


@dataclass
class ViewRecord:
    """One view the app showed: ``method`` is the Web API method (or
    ``response_action.update``/``.push`` for a view_submission's ack), ``view`` the view
    object as Slack answered it (a snapshot, not updated later)."""

    method: str
    view: JsonDict
    user: str | None
    trigger_id: str | None
    at: float = field(default_factory=time.monotonic)


def _invalid(messages: list[str]) -> SlackRefusal:
    return SlackRefusal("invalid_arguments", messages)


class ViewStore:
    """Views by id, modal stacks, App Home tabs per user, triggers and the history of what
    the app showed."""

    def __init__(
        self,
        *,
        trigger_ttl: float,
        new_id: Callable[[str], str],
        identity: JsonDict,
        files: FileCheck | None = None,
    ) -> None:
        self.trigger_ttl = trigger_ttl
        self.current: dict[str, JsonDict] = {}
        self.history: list[ViewRecord] = []
        self.triggers: dict[str, Trigger] = {}
        self.closed: set[str] = set()
        self._new_id = new_id
        self._identity = identity  # team_id, app_id, bot_id of every view
        self._files = files
        self._owner: dict[str, str | None] = {}  # view id -> user
        self._stacks: dict[str, list[str]] = {}  # root view id -> the stack, bottom first
        self._external: dict[str, str] = {}  # external_id -> view id
        self._home: dict[str, str] = {}  # user -> home view id
        self._hashes = itertools.count(1)

    # ------------------------------------------------------------- triggers

    def issue_trigger(
        self, *, user: str | None = None, view_id: str | None = None, now: float
    ) -> str:
        trigger_id = new_trigger_id()
        self.note_trigger(trigger_id, user=user, view_id=view_id, now=now)
        return trigger_id

    def note_trigger(
        self, trigger_id: str, *, user: str | None, view_id: str | None, now: float
    ) -> None:
        """The app was handed ``trigger_id`` now (re-noting an issued one changes nothing)."""
        if trigger_id not in self.triggers:
            self.triggers[trigger_id] = Trigger(trigger_id, now, user, view_id)

    def _take_trigger(self, params: JsonDict, now: float) -> Trigger:
        trigger_id = str(params.get("trigger_id") or params.get("interactivity_pointer") or "")
        if not trigger_id:
            raise _invalid(["[ERROR] missing required field: trigger_id"])
        if not TRIGGER_FORMAT.match(trigger_id):
            raise SlackRefusal("invalid_trigger_id")
        trigger = self.triggers.setdefault(trigger_id, Trigger(trigger_id, now))
        if trigger.opened is not None:
            raise SlackRefusal("exchanged_trigger_id")
        if now - trigger.issued_at > self.trigger_ttl:
            raise SlackRefusal("expired_trigger_id")
        return trigger

    # ------------------------------------------------------------- methods

    def open(self, params: JsonDict, now: float) -> JsonDict:
        view = self._checked(params.get("view"), ("modal",))
        self._free_external_id(view)
        trigger = self._take_trigger(params, now)
        view_id = self._new_id("V")
        built = self._build(view, view_id, root=view_id, previous=None)
        self._stacks[view_id] = [view_id]
        return self._show("views.open", built, trigger.user, trigger)

    def push(self, params: JsonDict, now: float) -> JsonDict:
        view = self._checked(params.get("view"), ("modal",))
        self._free_external_id(view)
        trigger = self._take_trigger(params, now)
        return self._push(view, self._stack_of(trigger.view_id), trigger.user, trigger)

    def update(self, params: JsonDict) -> JsonDict:
        view_id = self._find(params)
        old = self.current[view_id]
        view = self._checked(params.get("view"), (str(old["type"]),))
        self._free_external_id(view, keep=view_id)
        if params.get("hash") and params["hash"] != old["hash"]:
            raise SlackRefusal("hash_conflict")
        built = self._build(
            view, view_id, root=old["root_view_id"], previous=old["previous_view_id"]
        )
        return self._show("views.update", built, self._owner.get(view_id), None)

    def publish(self, params: JsonDict) -> JsonDict:
        user = str(params.get("user_id") or "")
        if not user:
            raise _invalid(["[ERROR] missing required field: user_id"])
        view = self._checked(params.get("view"), ("home",))
        view_id = self._home.get(user)
        current_hash = self.current[view_id]["hash"] if view_id else None
        if params.get("hash") and params["hash"] != current_hash:
            raise SlackRefusal("hash_conflict")
        self._free_external_id(view, keep=view_id)
        view_id = self._home[user] = view_id or self._new_id("V")
        built = self._build(view, view_id, root=None, previous=None)
        return self._show("views.publish", built, user, None)

    # ------------------------------------------------------------- a view_submission's ack

    def respond(self, submitted: JsonDict, ack: JsonDict | None) -> None:
        """Apply what the app answered a view_submission with, as Slack would: nothing (the
        modal closes), ``update`` (replaces it), ``push`` (stacks a new one), ``clear``
        (closes the whole stack) or ``errors`` (the modal stays, showing them)."""
        view_id = str(submitted.get("id") or "")
        if view_id not in self.current:
            return  # a view the fake never showed (a recorded payload): nothing to change
        action, view = (ack or {}).get("response_action"), (ack or {}).get("view")
        owner = self._owner.get(view_id)
        if action == "update" and isinstance(view, dict):
            old = self.current[view_id]
            root, previous = old["root_view_id"], old.get("previous_view_id")
            built = self._build(view, view_id, root=root, previous=previous)
            self._show("response_action.update", built, owner, None)
        elif action == "push" and isinstance(view, dict):
            self._push(view, self._stack_of(view_id), owner, None)
        elif action == "clear":
            self._close_stack(view_id)
        elif action != "errors":
            self.close(view_id)

    def close(self, view_id: str) -> None:
        """The user closed (or submitted) the top view of its stack."""
        root = self.current.get(view_id, {}).get("root_view_id")
        stack = self._stacks.get(str(root), [])
        if view_id in stack:
            stack.remove(view_id)
        self.closed.add(view_id)

    # ------------------------------------------------------------- inspection

    def snapshots(self, user: str | None = None, kind: str | None = None) -> list[JsonDict]:
        return [
            r.view
            for r in self.history
            if (user is None or r.user == user) and (kind is None or r.view.get("type") == kind)
        ]

    def opened_by(self, trigger_id: str) -> JsonDict | None:
        trigger = self.triggers.get(trigger_id)
        if trigger is None or trigger.opened is None:
            return None
        return next(
            (r.view for r in self.history if r.trigger_id == trigger_id),
            None,
        )

    # ------------------------------------------------------------- plumbing

    def _checked(self, view: Any, kinds: tuple[str, ...]) -> JsonDict:
        problems = view_problems(view, kinds=kinds, files=self._files)
        if problems:
            raise _invalid(problems)
        return dict(view)

    def _find(self, params: JsonDict) -> str:
        view_id, external_id = params.get("view_id"), params.get("external_id")
        if not view_id and not external_id:
            raise _invalid(["[ERROR] missing required field: view_id or external_id"])
        found = str(view_id) if view_id else self._external.get(str(external_id), "")
        if found not in self.current or found in self.closed:
            raise SlackRefusal("not_found")
        return found

    def _free_external_id(self, view: JsonDict, keep: str | None = None) -> None:
        external_id = view.get("external_id")
        if external_id and self._external.get(str(external_id), keep) != keep:
            raise SlackRefusal("duplicate_external_id")

    def _stack_of(self, view_id: str | None) -> list[str]:
        root = self.current.get(str(view_id), {}).get("root_view_id")
        return self._stacks.get(str(root), []) if root else []

    def _push(
        self, view: JsonDict, stack: list[str], user: str | None, trigger: Trigger | None
    ) -> JsonDict:
        if len(stack) >= MAX_STACK:
            raise SlackRefusal("push_limit_reached")
        view_id = self._new_id("V")
        root = stack[0] if stack else view_id
        built = self._build(view, view_id, root=root, previous=stack[-1] if stack else None)
        self._stacks.setdefault(root, stack).append(view_id)
        method = "views.push" if trigger is not None else "response_action.push"
        return self._show(method, built, user, trigger)

    def _close_stack(self, view_id: str) -> None:
        for member in list(self._stack_of(view_id)):
            self.close(member)

    def _build(
        self, view: JsonDict, view_id: str, *, root: str | None, previous: str | None
    ) -> JsonDict:
        """The view object Slack answers with: what the app sent plus Slack's fields."""
        built: JsonDict = {
            "id": view_id,
            **self._identity,
            "type": view["type"],
            "blocks": copy.deepcopy(view.get("blocks", [])),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{next(self._hashes):08x}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": root,
            "previous_view_id": previous,
            "external_id": view.get("external_id", ""),
        }
        for key in ("title", "submit", "close"):
            if view.get(key) is not None:
                built[key] = copy.deepcopy(view[key])
        return built

    def _show(
        self, method: str, built: JsonDict, user: str | None, trigger: Trigger | None
    ) -> JsonDict:
        view_id = str(built["id"])
        self.current[view_id] = built
        self.closed.discard(view_id)
        self._owner.setdefault(view_id, user)
        if built["external_id"]:
            self._external[str(built["external_id"])] = view_id
        if trigger is not None:
            trigger.opened = view_id
        trigger_id = trigger.trigger_id if trigger else None
        self.history.append(ViewRecord(method, copy.deepcopy(built), user, trigger_id))
        return copy.deepcopy(built)
