"""Views Slack shows outside messages: the App Home dashboard, the finder's modals (the
form with its typeahead agency picker, then the agency card), and the picker's options.

Slack refuses a whole view or option list that breaks one of its limits, so every builder
here keeps within them by construction (``fits`` and the tests check): a modal's title,
submit and close at most 24 characters; at most 100 blocks; ``private_metadata`` at most
3,000 characters; an option's text at most 75 and its value 150, at most 100 options.

Any state a modal needs between requests travels in its ``private_metadata``
(:class:`CardState`), so whichever instance gets the next click can answer it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from answers.answer import Answer, Choice
from slack_adapter.blocks import BUTTON_TEXT_LIMIT, Block, context, cut, to_blocks

MAX_VIEW_BLOCKS = 100
MAX_VIEW_TEXT = 24  # a modal's title, submit and close
MAX_METADATA = 3000
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_PLACEHOLDER = 150
MAX_TEXT = 3000  # a section's or a context element's text

FINDER_SHORTCUT = "browse_results"  # the global shortcut "기관 등급 찾기" (manifest.yml)
FINDER_CALLBACK = "browse_results"  # the finder form's view
CARD_CALLBACK = "agency_card"  # the card's view; submitting it goes back to the form
AGENCY_BLOCK, AGENCY_ACTION = "agency", "agency_pick"
YEAR_BLOCK, YEAR_ACTION = "year", "year_pick"
CHANNEL_BLOCK, CHANNEL_ACTION = "card_channel", "card_channel_pick"
SHARE_CARD, FOLLOW_CARD = "share_card", "follow_card"

View = dict[str, Any]


@dataclass(frozen=True)
class CardState:
    """What the finder's modal carries from one request to the next."""

    channel: str = ""  # where the finder was opened (the share/follow picker's default)
    agency: int | None = None  # the card's agency
    year: int | None = None  # the card's year (None: the latest published)
    chart: str = ""  # the card's chart: a file the bot uploaded
    tries: int = 0  # shares Slack refused outright: the next click is a new share

    def dump(self) -> str:
        """As ``private_metadata``: compact JSON, empty fields left out."""
        data = {k: v for k, v in asdict(self).items() if v not in ("", None, 0)}
        return json.dumps(data, separators=(",", ":"))[:MAX_METADATA]

    @classmethod
    def load(cls, text: str) -> CardState:
        """The state in ``private_metadata``; malformed or foreign fields read as empty."""
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        return cls(
            channel=_text(data.get("channel")),
            agency=_number(data.get("agency")),
            year=_number(data.get("year")),
            chart=_text(data.get("chart")),
            tries=_number(data.get("tries")) or 0,
        )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def finder_loading_view(state: CardState) -> View:
    """What ``views.open`` shows at once: nothing that needs the database, so the modal is
    up within Slack's 3 s even on a cold start; the form follows with ``views.update``."""
    return _modal(
        FINDER_CALLBACK, "기관 등급 찾기", [context(["불러오는 중…"])], state, submit=None
    )


def finder_view(years: list[Choice], state: CardState, *, notice: str = "") -> View:
    """The finder's form: a typeahead agency picker over the whole catalog, an optional
    year (latest first)."""
    picker = {
        "type": "external_select",
        "action_id": AGENCY_ACTION,
        "min_query_length": 1,  # Korean names are two or three letters: answer from one
        "placeholder": _plain("기관 이름 (예: 고성군, 행안부, Gimhae)"),
    }
    blocks: list[Block] = [
        _input(AGENCY_BLOCK, "기관", picker),
        context(
            ["이름의 앞부분, 옛 이름·줄임말·영문 이름도 됩니다 (예: `고성`, `강원도`, `mois`)."]
        ),
    ]
    if years:
        year_select = {
            "type": "static_select",
            "action_id": YEAR_ACTION,
            "placeholder": _plain("최근 공개 연도"),
            "options": options(years),
        }
        blocks.append(_input(YEAR_BLOCK, "연도 (선택)", year_select, optional=True))
    if notice:
        blocks.append(context([notice]))
    return _modal(FINDER_CALLBACK, "기관 등급 찾기", blocks, state, submit="보기")


def card_loading_view(state: CardState) -> View:
    """The card's place while it is computed (when it cannot be ready within the ack)."""
    return _modal(CARD_CALLBACK, "기관 카드", [context(["불러오는 중…"])], state, submit=None)


def card_view(
    card: Answer, state: CardState, *, status: Answer | None = None, chart_link: str = ""
) -> View:
    """The agency card in the finder's modal: the Answer's blocks, its chart (the uploaded
    file, or a link to it), then the share and follow actions with their rules."""
    blocks = to_blocks(card)
    if state.chart:
        blocks.append(_chart(card, state.chart))
    elif chart_link:
        blocks.append(context([f"<{chart_link}|차트 보기>"]))
    if card.has_data:
        blocks += [{"type": "divider"}, *_status(status), _card_actions(state), _card_rules()]
    return _modal(CARD_CALLBACK, "기관 카드", blocks, state, submit="다른 기관 찾기")


def options(choices: list[Choice]) -> list[Block]:
    """A picker's options within Slack's limits (an over-long text loses its end)."""
    return [
        {"text": _plain(cut(choice.text, MAX_OPTION_TEXT)), "value": choice.value}
        for choice in choices[:MAX_OPTIONS]
        if 0 < len(choice.value) <= MAX_OPTION_VALUE
    ]


def home_view(answer: Answer, *, notice: Answer | None = None) -> View:
    """The App Home dashboard, from the same Answer value (a notice, such as what a Publish
    click did, on top)."""
    body = to_blocks(answer)  # the dashboard's own buttons are its last blocks: kept whole
    room = MAX_VIEW_BLOCKS - len(body) - 1
    top = (to_blocks(notice)[:room] + [{"type": "divider"}]) if notice and room > 0 else []
    return {"type": "home", "blocks": (top + body)[:MAX_VIEW_BLOCKS]}


def fits(view: View) -> list[str]:
    """Which of Slack's view limits ``view`` breaks (none for what the builders make)."""
    problems = [
        f"{key} over {MAX_VIEW_TEXT} characters"
        for key in ("title", "submit", "close")
        if len((view.get(key) or {}).get("text", "")) > MAX_VIEW_TEXT
    ]
    if len(view.get("blocks", [])) > MAX_VIEW_BLOCKS:
        problems.append(f"over {MAX_VIEW_BLOCKS} blocks")
    if len(view.get("private_metadata", "")) > MAX_METADATA:
        problems.append(f"private_metadata over {MAX_METADATA} characters")
    return problems


def _modal(
    callback: str, title: str, blocks: list[Block], state: CardState, *, submit: str | None
) -> View:
    view: View = {
        "type": "modal",
        "callback_id": callback,
        "title": _plain(cut(title, MAX_VIEW_TEXT)),
        "close": _plain("닫기"),
        "blocks": blocks[:MAX_VIEW_BLOCKS],
        "private_metadata": state.dump(),
    }
    if submit:
        view["submit"] = _plain(cut(submit, MAX_VIEW_TEXT))
    return view


def _chart(card: Answer, file_id: str) -> Block:
    title = card.chart.title if card.chart else card.title
    return {
        "type": "image",
        "slack_file": {"id": file_id},
        "alt_text": cut(f"{title} (연도별 등급 차트)", 2000),
        "title": _plain(cut(title, 2000)),
    }


def _status(status: Answer | None) -> list[Block]:
    """What the last share or follow click did, above the buttons."""
    if status is None:
        return []
    text = "\n".join([f"*{status.title}*", *status.lines])
    return [{"type": "section", "text": {"type": "mrkdwn", "text": cut(text, MAX_TEXT)}}]


def _card_actions(state: CardState) -> Block:
    channel: Block = {
        "type": "conversations_select",
        "action_id": CHANNEL_ACTION,
        "placeholder": _plain("채널 고르기"),
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if state.channel.startswith(("C", "G")):
        channel["initial_conversation"] = state.channel
    return {
        "type": "actions",
        "block_id": CHANNEL_BLOCK,
        "elements": [
            channel,
            _button(SHARE_CARD, "채널에 공유", "share"),
            _button(FOLLOW_CARD, "이 채널이 구독", "follow"),
        ],
    }


def _card_rules() -> Block:
    return context(
        [
            "*채널에 공유*: 카드를 고른 채널에 메시지로 한 번 올립니다 (다시 눌러도 같은 채널에 두 번 "
            "올리지 않습니다). *구독*: 그 채널의 멤버나 관리자만; 결과가 공개되면 등급 변동을 "
            "알려 드립니다."
        ]
    )


def _button(action_id: str, label: str, value: str) -> Block:
    text = _plain(cut(label, BUTTON_TEXT_LIMIT))
    return {"type": "button", "action_id": action_id, "text": text, "value": value}


def _input(block_id: str, label: str, element: Block, *, optional: bool = False) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "optional": optional,
        "element": element,
    }


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, MAX_PLACEHOLDER), "emoji": True}
