"""The Answer value: what every medium (terminal, Slack, announcements) renders."""

from __future__ import annotations

from dataclasses import dataclass, field

from answers.query import Intent, Lang


@dataclass(frozen=True)
class Source:
    url: str
    label: str


@dataclass(frozen=True)
class Table:
    """Rows a medium may page or attach as CSV; the header names the columns."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Action:
    """A button the answer offers (confirm an ingest, publish a year)."""

    action_id: str
    label: str
    value: str
    style: str | None = None  # "primary" or "danger"
    confirm: str | None = None  # asked before the click counts ("publish 2025?")


@dataclass(frozen=True)
class Choice:
    """One option a picker offers: what it stands for and what it says."""

    value: str
    text: str


@dataclass(frozen=True)
class Chart:
    """A picture that goes with an answer: grades over years per agency ("history", also
    for comparisons), agencies x years ("heat"), or a year's grades per group
    ("distribution"). Data only; answers/charts.py draws it."""

    kind: str
    title: str
    series: dict[str, dict[int, str]] = field(default_factory=dict)
    years: tuple[int, ...] = ()
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    year: int | None = None


@dataclass(frozen=True)
class Answer:
    intent: Intent
    lang: Lang
    title: str
    lines: tuple[str, ...] = ()  # paragraphs; *bold* marks the figure that matters
    table: Table | None = None
    notes: tuple[str, ...] = ()  # caveats: coverage, drafts, simulated data
    sources: tuple[Source, ...] = ()
    understood: bool = True
    has_data: bool = False
    question: str = ""
    actions: tuple[Action, ...] = ()
    chart: Chart | None = None


# A sentence in both languages: (Korean, English) templates with {named} fields.
Message = tuple[str, str]


def tr(lang: Lang, ko: str, en: str) -> str:
    """Pick the sentence in the asker's language."""
    return en if lang is Lang.EN else ko


def say(lang: Lang, message: Message, **fields: object) -> str:
    """The ``message`` in the asker's language with its fields filled in."""
    return tr(lang, *message).format(**fields)


def unique_sources(sources: list[Source]) -> tuple[Source, ...]:
    seen: dict[str, Source] = {}
    for source in sources:
        seen.setdefault(source.url, source)
    return tuple(seen.values())
