"""Slack's Block Kit limits, checked the way Slack checks them, for the fake Slack.

One validator for every surface: messages (``chat.postMessage``, ``chat.update``, a slash
command's ack), views (``views.open``/``push``/``update``/``publish`` and a
``view_submission``'s ``response_action``) and the options an ``external_select`` is
answered with. Each check returns Slack's own problem lines, e.g.
``[ERROR] must be less than 25 characters [json-pointer:/view/title/text]`` (the shape
Slack puts in ``response_metadata.messages``); an empty list means Slack would take it.

The limits are Slack's documented ones (Block Kit reference: blocks, elements, composition
objects, modal views). Where Slack's exact wording is not documented, the line keeps
Slack's shape (``[ERROR] ... [json-pointer:...]``) with a plain description.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

JsonDict = dict[str, Any]
FileCheck = Callable[[JsonDict], str | None]  # a slack_file reference -> problem or None

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_VIEW_BUTTON_TEXT = 24  # a modal's title, submit and close
MAX_PRIVATE_METADATA = 3000
MAX_ID = 255  # block_id, action_id, callback_id, external_id
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
SLACK_FILE_ID = re.compile(r"^[F][A-Z0-9]{8,}$")  # Slack's own pattern for slack_file.id
RESPONSE_ACTIONS = ("errors", "update", "push", "clear")

SELECTS = frozenset(
    f"{multi}{kind}_select"
    for multi in ("", "multi_")
    for kind in ("static", "external", "users", "conversations", "channels")
)
CHOICES = frozenset({"checkboxes", "radio_buttons"})
PICKERS = frozenset({"datepicker", "timepicker", "datetimepicker"})
TEXT_INPUTS = frozenset(
    {"plain_text_input", "email_text_input", "url_text_input", "number_input", "rich_text_input"}
)
ACTIONS_ELEMENTS = SELECTS | CHOICES | PICKERS | {"button", "overflow", "workflow_button"}
ACCESSORIES = ACTIONS_ELEMENTS | {"image"}
INPUT_ELEMENTS = SELECTS | CHOICES | PICKERS | TEXT_INPUTS | {"file_input"}


class SlackRefusal(Exception):
    """What the fake answers instead of ``ok: true``: Slack's error code, and the problem
    lines Slack lists in ``response_metadata.messages`` (none for most errors)."""

    def __init__(
        self,
        error: str,
        messages: Iterable[str] = (),
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.error, self.messages = error, list(messages)
        self.status, self.headers = status, headers or {}

    def body(self) -> JsonDict:
        """The JSON Slack answers: ``invalid_blocks`` also lists the problems as ``errors``."""
        body: JsonDict = {"ok": False, "error": self.error}
        if self.messages:
            if self.error == "invalid_blocks":
                body["errors"] = [m.removeprefix("[ERROR] ") for m in self.messages]
            body["response_metadata"] = {"messages": self.messages}
        return body


class _Check:
    """Collects problem lines; each method checks one kind of field."""

    def __init__(self, files: FileCheck | None = None) -> None:
        self.messages: list[str] = []
        self.files = files

    def fail(self, pointer: str, text: str) -> None:
        self.messages.append(f"[ERROR] {text} [json-pointer:{pointer}]")

    def string(self, obj: JsonDict, key: str, pointer: str, limit: int, required: bool) -> None:
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(pointer, f"missing required field: {key}")
        elif not isinstance(value, str):
            self.fail(f"{pointer}/{key}", "must be a string")
        elif len(value) > limit:
            self.fail(f"{pointer}/{key}", f"must be less than {limit + 1} characters")

    def text(
        self,
        obj: JsonDict,
        key: str,
        pointer: str,
        limit: int,
        *,
        plain: bool = True,
        required: bool = True,
    ) -> None:
        """A text object: ``{"type": "plain_text"|"mrkdwn", "text": ...}``, 1..limit chars."""
        value = obj.get(key)
        if value is None:
            if required:
                self.fail(pointer, f"missing required field: {key}")
            return
        self.text_object(value, f"{pointer}/{key}", limit, plain=plain)

    def text_object(self, value: Any, pointer: str, limit: int, *, plain: bool) -> None:
        allowed = ("plain_text",) if plain else ("plain_text", "mrkdwn")
        if not isinstance(value, dict) or value.get("type") not in allowed:
            self.fail(pointer, f"must be a {' or '.join(allowed)} text object")
            return
        text = value.get("text")
        if not isinstance(text, str) or not text:
            self.fail(f"{pointer}/text", "must be a non-empty string")
        elif len(text) > limit:
            self.fail(f"{pointer}/text", f"must be less than {limit + 1} characters")

    def items(self, obj: JsonDict, key: str, pointer: str, most: int, least: int = 1) -> list[Any]:
        """A required array of ``least``..``most`` items; returns it (or [] when unusable)."""
        value = obj.get(key)
        if value is None:
            self.fail(pointer, f"missing required field: {key}")
            return []
        return self.array(value, f"{pointer}/{key}", most, least)

    def array(self, value: Any, pointer: str, most: int, least: int = 1) -> list[Any]:
        if not isinstance(value, list):
            self.fail(pointer, "must be an array")
            return []
        if len(value) > most:
            self.fail(pointer, f"no more than {most} items allowed")
        elif len(value) < least:
            self.fail(pointer, f"at least {least} items required")
        return value

    def obj(self, value: Any, pointer: str) -> JsonDict | None:
        if isinstance(value, dict):
            return value
        self.fail(pointer, "must be an object")
        return None


# ------------------------------------------------------------------ composition objects


def _option(check: _Check, option: Any, pointer: str, *, plain: bool = True) -> None:
    """An option object: text at most 75 characters, value at most 150."""
    if (opt := check.obj(option, pointer)) is None:
        return
    check.text(opt, "text", pointer, MAX_OPTION_TEXT, plain=plain)
    check.string(opt, "value", pointer, MAX_OPTION_VALUE, required=True)
    check.text(opt, "description", pointer, MAX_OPTION_TEXT, plain=plain, required=False)
    check.string(opt, "url", pointer, 3000, required=False)


def _options(check: _Check, element: JsonDict, pointer: str, most: int, least: int = 1) -> None:
    plain = element.get("type") not in CHOICES  # checkboxes and radios may use mrkdwn
    for i, option in enumerate(check.items(element, "options", pointer, most, least)):
        _option(check, option, f"{pointer}/options/{i}", plain=plain)


def _option_groups(check: _Check, element: JsonDict, pointer: str) -> None:
    for i, group in enumerate(check.items(element, "option_groups", pointer, MAX_OPTIONS)):
        where = f"{pointer}/option_groups/{i}"
        if (grp := check.obj(group, where)) is not None:
            check.text(grp, "label", where, MAX_OPTION_TEXT)
            for j, option in enumerate(check.items(grp, "options", where, MAX_OPTIONS)):
                _option(check, option, f"{where}/options/{j}")


def _initial_options(check: _Check, element: JsonDict, pointer: str) -> None:
    if element.get("initial_option") is not None:
        _option(check, element["initial_option"], f"{pointer}/initial_option")
    initial = element.get("initial_options")
    if initial is not None:
        for i, option in enumerate(check.array(initial, f"{pointer}/initial_options", 100)):
            _option(check, option, f"{pointer}/initial_options/{i}")


def _slack_file(check: _Check, value: Any, pointer: str) -> None:
    """``{"id": "F..."}`` or ``{"url": ...}``, not both; the file must be one Slack can show."""
    if (ref := check.obj(value, pointer)) is None:
        return
    has_id, has_url = ref.get("id") is not None, ref.get("url") is not None
    if has_id == has_url:
        check.fail(pointer, "must provide exactly one of id or url")
        return
    if has_id and not SLACK_FILE_ID.match(str(ref["id"])):
        check.fail(f"{pointer}/id", f"input must match regex pattern: {SLACK_FILE_ID.pattern}")
    elif check.files is not None and (problem := check.files(ref)):
        check.fail(pointer, problem)


def _image_source(check: _Check, image: JsonDict, pointer: str) -> None:
    has_url, has_file = image.get("image_url") is not None, image.get("slack_file") is not None
    if has_url == has_file:
        check.fail(pointer, "must provide either image_url or slack_file (not both)")
    elif has_url:
        check.string(image, "image_url", pointer, 3000, required=True)
    else:
        _slack_file(check, image["slack_file"], f"{pointer}/slack_file")
    check.string(image, "alt_text", pointer, 2000, required=True)


# ------------------------------------------------------------------ elements


def _select(check: _Check, element: JsonDict, pointer: str) -> None:
    kind = str(element.get("type"))
    if kind.endswith("static_select"):
        has_options, has_groups = "options" in element, "option_groups" in element
        if has_options == has_groups:
            check.fail(pointer, "must provide exactly one of options or option_groups")
        elif has_options:
            _options(check, element, pointer, MAX_OPTIONS)
        else:
            _option_groups(check, element, pointer)
    if kind.endswith(("static_select", "external_select")):
        _initial_options(check, element, pointer)


def _button(check: _Check, element: JsonDict, pointer: str) -> None:
    check.text(element, "text", pointer, 75)
    check.string(element, "value", pointer, 2000, required=False)
    check.string(element, "url", pointer, 3000, required=False)
    if element.get("style") not in (None, "primary", "danger"):
        check.fail(f"{pointer}/style", "must be one of primary, danger")


def _element_fields(check: _Check, element: JsonDict, pointer: str) -> None:
    """The fields of one element, by its type."""
    kind = element.get("type")
    if kind in SELECTS:
        _select(check, element, pointer)
    elif kind == "button":
        _button(check, element, pointer)
    elif kind == "overflow":
        _options(check, element, pointer, 5, least=2)
    elif kind in CHOICES:
        _options(check, element, pointer, 10)
    elif kind == "image":
        _image_source(check, element, pointer)
    elif kind == "number_input" and "is_decimal_allowed" not in element:
        check.fail(pointer, "missing required field: is_decimal_allowed")
    elif kind == "workflow_button":
        check.text(element, "text", pointer, 75)
        check.obj(element.get("workflow"), f"{pointer}/workflow")


def _element(check: _Check, value: Any, pointer: str, allowed: frozenset[str]) -> None:
    if (element := check.obj(value, pointer)) is None:
        return
    if element.get("type") not in allowed:
        check.fail(f"{pointer}/type", f"unsupported element type here: {element.get('type')}")
        return
    if element.get("type") != "image":
        check.string(element, "action_id", pointer, MAX_ID, required=False)
    check.text(element, "placeholder", pointer, 150, required=False)
    _element_fields(check, element, pointer)


# ------------------------------------------------------------------ blocks


def _section(check: _Check, block: JsonDict, pointer: str) -> None:
    if block.get("text") is None and block.get("fields") is None:
        check.fail(pointer, "must provide either text or fields")
    check.text(block, "text", pointer, 3000, plain=False, required=False)
    if block.get("fields") is not None:
        for i, field in enumerate(check.array(block["fields"], f"{pointer}/fields", 10)):
            check.text_object(field, f"{pointer}/fields/{i}", 2000, plain=False)
    if block.get("accessory") is not None:
        _element(check, block["accessory"], f"{pointer}/accessory", ACCESSORIES)


def _context(check: _Check, block: JsonDict, pointer: str) -> None:
    for i, item in enumerate(check.items(block, "elements", pointer, 10)):
        where = f"{pointer}/elements/{i}"
        if isinstance(item, dict) and item.get("type") == "image":
            _image_source(check, item, where)
        else:
            check.text_object(item, where, 3000, plain=False)


def _actions(check: _Check, block: JsonDict, pointer: str) -> None:
    for i, element in enumerate(check.items(block, "elements", pointer, 25)):
        _element(check, element, f"{pointer}/elements/{i}", ACTIONS_ELEMENTS)


def _image(check: _Check, block: JsonDict, pointer: str) -> None:
    _image_source(check, block, pointer)
    check.text(block, "title", pointer, 2000, required=False)


def _input(check: _Check, block: JsonDict, pointer: str) -> None:
    check.text(block, "label", pointer, 2000)
    check.text(block, "hint", pointer, 2000, required=False)
    if block.get("element") is None:
        check.fail(pointer, "missing required field: element")
    else:
        _element(check, block["element"], f"{pointer}/element", INPUT_ELEMENTS)


def _header(check: _Check, block: JsonDict, pointer: str) -> None:
    check.text(block, "text", pointer, 150)


def _video(check: _Check, block: JsonDict, pointer: str) -> None:
    check.text(block, "title", pointer, 200)
    for key in ("alt_text", "thumbnail_url", "video_url"):
        check.string(block, key, pointer, 3000, required=True)


def _requires(*keys: str) -> Callable[[_Check, JsonDict, str], None]:
    def check_keys(check: _Check, block: JsonDict, pointer: str) -> None:
        for key in keys:
            if block.get(key) is None:
                check.fail(pointer, f"missing required field: {key}")

    return check_keys


def _markdown(check: _Check, block: JsonDict, pointer: str) -> None:
    check.string(block, "text", pointer, 12_000, required=True)


BLOCKS: dict[str, Callable[[_Check, JsonDict, str], None]] = {
    "section": _section,
    "divider": _requires(),
    "header": _header,
    "context": _context,
    "actions": _actions,
    "image": _image,
    "input": _input,
    "rich_text": _requires("elements"),
    "markdown": _markdown,
    "file": _requires("external_id", "source"),
    "video": _video,
    "table": _requires("rows"),
}


def _block(check: _Check, value: Any, pointer: str, seen_ids: set[str]) -> None:
    if (block := check.obj(value, pointer)) is None:
        return
    kind = block.get("type")
    if kind not in BLOCKS:
        check.fail(f"{pointer}/type", f"unsupported type: {kind}")
        return
    check.string(block, "block_id", pointer, MAX_ID, required=False)
    block_id = block.get("block_id")
    if isinstance(block_id, str):
        if block_id in seen_ids:
            check.fail(f"{pointer}/block_id", f"duplicate block_id: {block_id}")
        seen_ids.add(block_id)
    BLOCKS[kind](check, block, pointer)


def _blocks(check: _Check, blocks: Any, pointer: str, limit: int) -> None:
    seen_ids: set[str] = set()
    for i, block in enumerate(check.array(blocks, pointer, limit, least=0)):
        _block(check, block, f"{pointer}/{i}", seen_ids)


# ------------------------------------------------------------------ public checks


def blocks_problems(
    blocks: Any,
    *,
    limit: int = MAX_MESSAGE_BLOCKS,
    pointer: str = "/blocks",
    files: FileCheck | None = None,
) -> list[str]:
    """Slack's problems with a ``blocks`` array (a message's: at most 50 blocks)."""
    check = _Check(files)
    _blocks(check, blocks, pointer, limit)
    return check.messages


def _modal_fields(check: _Check, view: JsonDict, pointer: str) -> None:
    check.text(view, "title", pointer, MAX_VIEW_BUTTON_TEXT)
    for key in ("submit", "close"):
        check.text(view, key, pointer, MAX_VIEW_BUTTON_TEXT, required=False)
    blocks = view.get("blocks")
    has_input = isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )
    if has_input and view.get("submit") is None:
        check.fail(pointer, "missing required field: submit (the view has an input block)")


def view_problems(
    view: Any,
    *,
    kinds: tuple[str, ...] = ("modal", "home"),
    pointer: str = "/view",
    files: FileCheck | None = None,
) -> list[str]:
    """Slack's problems with a view object of one of ``kinds``: a modal's title, submit and
    close at most 24 characters; at most 100 blocks; private_metadata at most 3,000
    characters; callback_id and external_id at most 255."""
    check = _Check(files)
    if (obj := check.obj(view, pointer)) is None:
        return check.messages
    if obj.get("type") not in kinds:
        check.fail(f"{pointer}/type", f"must be one of {', '.join(kinds)}")
        return check.messages
    if obj["type"] == "modal":
        _modal_fields(check, obj, pointer)
    check.string(obj, "private_metadata", pointer, MAX_PRIVATE_METADATA, required=False)
    check.string(obj, "callback_id", pointer, MAX_ID, required=False)
    check.string(obj, "external_id", pointer, MAX_ID, required=False)
    if obj.get("blocks") is None:
        check.fail(pointer, "missing required field: blocks")
    else:
        _blocks(check, obj["blocks"], f"{pointer}/blocks", MAX_VIEW_BLOCKS)
    return check.messages


def options_problems(payload: Any) -> list[str]:
    """Slack's problems with the options an ``external_select`` is answered with
    (``{"options": [...]}`` or ``{"option_groups": [...]}``; at most 100)."""
    check = _Check()
    if payload is None or payload == {}:
        return []  # acked with nothing: the menu shows no options
    if (obj := check.obj(payload, "")) is None:
        return check.messages
    if "option_groups" in obj:
        _option_groups(check, obj, "")
    else:
        for i, option in enumerate(check.items(obj, "options", "", MAX_OPTIONS, least=0)):
            _option(check, option, f"/options/{i}")
    return check.messages


def input_block_ids(view: Any) -> set[str]:
    blocks = view.get("blocks") if isinstance(view, dict) else None
    return {
        str(b["block_id"])
        for b in blocks or []
        if isinstance(b, dict) and b.get("type") == "input" and b.get("block_id")
    }


def response_action_problems(
    payload: Any, submitted: JsonDict | None = None, files: FileCheck | None = None
) -> list[str]:
    """Slack's problems with a ``view_submission`` ack: ``response_action`` one of errors,
    update, push, clear; ``errors`` keyed by the submitted view's input block_ids; the view
    of an update or push checked like ``views.update``/``views.push``."""
    if not payload:
        return []  # a plain ack closes the modal
    check = _Check(files)
    action = payload.get("response_action") if isinstance(payload, dict) else None
    if action not in RESPONSE_ACTIONS:
        check.fail("/response_action", f"must be one of {', '.join(RESPONSE_ACTIONS)}")
    elif action == "errors":
        _submission_errors(check, payload.get("errors"), input_block_ids(submitted or {}))
    elif action in ("update", "push"):
        return view_problems(payload.get("view"), kinds=("modal",), files=files)
    return check.messages


def _submission_errors(check: _Check, errors: Any, inputs: set[str]) -> None:
    if not isinstance(errors, dict) or not errors:
        check.fail("/errors", "must be a non-empty object of block_id to message")
        return
    for block_id, text in errors.items():
        if block_id not in inputs:
            check.fail(f"/errors/{block_id}", "not the block_id of an input block in the view")
        elif not isinstance(text, str) or not text:
            check.fail(f"/errors/{block_id}", "must be a non-empty string")
