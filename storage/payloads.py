"""What an outbox row carries to the announcer: typed, frozen payloads, stored as JSON in
``announcements.payload``. ``to_json`` writes the column; ``from_json`` reads it back (rows
queued by earlier versions read the same way: the keys are unchanged)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from domain.grades import GradeMove, grade_move
from storage.models import AnnouncementKind

Json = dict[str, Any]


@dataclass(frozen=True)
class AlertPayload:
    """One agency's grade of a published year, with the previous evaluation year's grade."""

    agency: str
    region: str
    agency_type: str
    group: str | None
    year: int
    grade: str
    scale: str
    previous_year: int | None = None
    previous_grade: str | None = None
    previous_scale: str | None = None
    steps: int = 0  # > 0 improved, < 0 fell; 0 when unchanged or not comparable
    source_url: str = ""
    published_name: str = ""

    @property
    def move(self) -> GradeMove | None:
        """The move from the previous grade; None for a first record or another scale."""
        if not self.previous_grade or not self.previous_scale:
            return None
        return grade_move(self.previous_scale, self.previous_grade, self.scale, self.grade)

    def to_json(self) -> Json:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Json) -> AlertPayload:
        return cls(**{key: data[key] for key in _ALERT_KEYS if key in data})


_ALERT_KEYS = tuple(AlertPayload.__dataclass_fields__)


@dataclass(frozen=True)
class CorrectionPayload:
    """A published grade changed: the alert as it is now, and the grade it replaces."""

    alert: AlertPayload
    corrected_from: str

    def to_json(self) -> Json:
        return self.alert.to_json() | {"corrected_from": self.corrected_from}

    @classmethod
    def from_json(cls, data: Json) -> CorrectionPayload:
        return cls(AlertPayload.from_json(data), str(data["corrected_from"]))


@dataclass(frozen=True)
class SummaryPayload:
    """A published year at a glance: counts per grade per group, the biggest moves, coverage."""

    year: int
    previous_year: int | None
    counts: dict[str, dict[str, int]]  # group -> grade -> agencies
    risers: tuple[AlertPayload, ...] = ()
    fallers: tuple[AlertPayload, ...] = ()
    known: int = 0  # agencies with a result in the data
    evaluated: int | None = None  # agencies the evaluation covered, when published
    pairs: int = 0  # agencies with a result in both years

    def to_json(self) -> Json:
        return {
            "year": self.year,
            "previous_year": self.previous_year,
            "counts": self.counts,
            "risers": [move.to_json() for move in self.risers],
            "fallers": [move.to_json() for move in self.fallers],
            "known": self.known,
            "evaluated": self.evaluated,
            "pairs": self.pairs,
        }

    @classmethod
    def from_json(cls, data: Json) -> SummaryPayload:
        return cls(
            year=data["year"],
            previous_year=data.get("previous_year"),
            counts=data.get("counts") or {},
            risers=tuple(AlertPayload.from_json(m) for m in data.get("risers") or ()),
            fallers=tuple(AlertPayload.from_json(m) for m in data.get("fallers") or ()),
            known=data.get("known", 0),
            evaluated=data.get("evaluated"),
            pairs=data.get("pairs", 0),
        )


@dataclass(frozen=True)
class AdminReportPayload:
    """A channel the bot cannot post to, told to an admin."""

    channel: str
    year: int
    error: str | None = field(default=None)

    def to_json(self) -> Json:
        return {"channel": self.channel, "error": self.error, "year": self.year}

    @classmethod
    def from_json(cls, data: Json) -> AdminReportPayload:
        return cls(channel=data["channel"], year=data["year"], error=data.get("error"))


Payload = AlertPayload | CorrectionPayload | SummaryPayload | AdminReportPayload


def read_payload(kind: str, data: Json) -> Payload:
    """The payload of an outbox row of ``kind``."""
    readers: dict[str, Callable[[Json], Payload]] = {
        AnnouncementKind.SUMMARY: SummaryPayload.from_json,
        AnnouncementKind.CORRECTION: CorrectionPayload.from_json,
        AnnouncementKind.ADMIN_REPORT: AdminReportPayload.from_json,
    }
    return readers.get(AnnouncementKind(kind), AlertPayload.from_json)(data)
