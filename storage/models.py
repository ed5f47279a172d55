"""Typed SQLAlchemy models: the evaluation's own vocabulary as tables.

Constraints carry the domain: one agency per (name, region, type) and per catalog identity; one result per
(agency, year); a result's grade must be a level of its year's grade scale (a composite
foreign key to ``grade_levels`` through the year's scale).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from domain.grades import GradeScale
from domain.groups import AgencyType

__all__ = ["AgencyType", "GradeScale"]  # re-exported: the tables speak the domain's words

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class YearStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Agency(Base):
    __tablename__ = "agencies"
    __table_args__ = (UniqueConstraint("name", "region", "agency_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(20), default="")  # "" for central agencies
    agency_type: Mapped[AgencyType] = mapped_column(String(20))
    grading_group: Mapped[str | None] = mapped_column(String(20))
    # The catalog identity's stable key (region/name of its first period, domain.agencies);
    # None only for an agency an operator added outside the catalog.
    catalog_key: Mapped[str | None] = mapped_column(String(150), unique=True)


class AgencyAlias(Base):
    """Another way people write an agency: former name, short form, romanization."""

    __tablename__ = "agency_aliases"
    __table_args__ = (UniqueConstraint("agency_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # former, short, roman, official


class GradeLevel(Base):
    """The grades a scale allows, best first (rank 1)."""

    __tablename__ = "grade_levels"

    scale: Mapped[GradeScale] = mapped_column(String(10), primary_key=True)
    grade: Mapped[str] = mapped_column(String(10), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(20))


class EvaluationYear(Base):
    __tablename__ = "evaluation_years"
    __table_args__ = (UniqueConstraint("year", "scale"),)

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    scale: Mapped[GradeScale] = mapped_column(String(10))
    status: Mapped[YearStatus] = mapped_column(String(10), default=YearStatus.DRAFT)
    bands: Mapped[list[float] | None] = mapped_column(JSON)
    rounding: Mapped[str | None] = mapped_column(String(10))
    period: Mapped[str | None] = mapped_column(String(40))
    agencies_evaluated: Mapped[int | None] = mapped_column(Integer)
    agencies_graded: Mapped[int | None] = mapped_column(Integer)
    announced: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Result(Base):
    """One agency's published result in one evaluation year."""

    __tablename__ = "results"
    __table_args__ = (
        UniqueConstraint("agency_id", "year"),
        ForeignKeyConstraint(
            ["year", "scale"], ["evaluation_years.year", "evaluation_years.scale"]
        ),
        ForeignKeyConstraint(["scale", "grade"], ["grade_levels.scale", "grade_levels.grade"]),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    scale: Mapped[GradeScale] = mapped_column(String(10))
    grade: Mapped[str] = mapped_column(String(10))
    published_name: Mapped[str] = mapped_column(String(100))
    grading_group: Mapped[str | None] = mapped_column(String(20))
    score: Mapped[float | None] = mapped_column(Float)
    group_avg: Mapped[float | None] = mapped_column(Float)
    item_grades: Mapped[dict[str, str] | None] = mapped_column(JSON)
    source_url: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    more_sources: Mapped[str | None] = mapped_column(Text)  # other supporting URLs, space-separated
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The load that made this version (None for a result stored before history was kept):
    # the agency as its file wrote it, the file, who loaded it and when.
    written_name: Mapped[str | None] = mapped_column(String(100))
    source_file: Mapped[str | None] = mapped_column(Text)
    loaded_by: Mapped[str | None] = mapped_column(String(100))
    loaded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HistoryKind(StrEnum):
    REPLACED = "replaced"  # an earlier version of the result, as it stood before a change
    CONFIRMED = "confirmed"  # a later load that confirmed the result, with its own source


class ResultHistory(Base):
    """What a result was and who else said so: every earlier version a load replaced
    (grade, fields, sources, name of record and as written, the file, who and when it was
    loaded) and every load that confirmed it with another source. Nothing known is lost."""

    __tablename__ = "result_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("results.id", ondelete="CASCADE"), index=True)
    kind: Mapped[HistoryKind] = mapped_column(String(12))
    grade: Mapped[str] = mapped_column(String(10))
    grading_group: Mapped[str | None] = mapped_column(String(20))
    score: Mapped[float | None] = mapped_column(Float)
    group_avg: Mapped[float | None] = mapped_column(Float)
    item_grades: Mapped[dict[str, str] | None] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(Text)
    more_sources: Mapped[str | None] = mapped_column(Text)
    published_name: Mapped[str] = mapped_column(String(100))  # the name of record then
    written_name: Mapped[str | None] = mapped_column(String(100))  # as its file wrote it
    source_file: Mapped[str | None] = mapped_column(Text)
    loaded_by: Mapped[str | None] = mapped_column(String(100))
    loaded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """Who changed what, when: grade updates, publishing, admin actions."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    year: Mapped[int | None] = mapped_column(Integer)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Meta(Base):
    """Small key/value facts about the database itself (bundled data checksum, data version)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DeliveryStatus(StrEnum):
    PROCESSING = "processing"
    DONE = "done"


class ProcessedDelivery(Base):
    """A Slack delivery (event_id, or a command's trigger) already being answered, so a
    retried delivery never produces a second answer, across several instances."""

    __tablename__ = "processed_deliveries"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    status: Mapped[DeliveryStatus] = mapped_column(String(12), default=DeliveryStatus.PROCESSING)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TargetKind(StrEnum):
    """What a channel subscribes to."""

    AGENCY = "agency"
    REGION = "region"
    GROUP = "group"
    ALL = "all"


class Subscription(Base):
    """A channel's interest in an agency, a region, a grading group, or everything.
    Stored by channel ID, so renaming a channel breaks nothing."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("channel_id", "target_kind", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(40), index=True)
    target_kind: Mapped[TargetKind] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(String(100))  # agency id, region, group, or "*"
    created_by: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AnnouncementKind(StrEnum):
    CHANGE = "change"  # grade differs from the previous evaluation year
    FIRST_RECORD = "first_record"  # no previous-year grade known
    SUMMARY = "summary"  # the year's results summary for ANNOUNCE_CHANNEL
    CORRECTION = "correction"  # a published grade changed: edit the original in place
    ADMIN_REPORT = "admin_report"  # a channel the bot cannot post to, told to an admin


class AnnouncementStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Announcement(Base):
    """The outbox: one row per message to deliver, written in the same transaction as the
    change that caused it. ``dedupe_key`` makes a second publish insert nothing."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[AnnouncementKind] = mapped_column(String(20))
    channel_id: Mapped[str] = mapped_column(String(40), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    year: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[AnnouncementStatus] = mapped_column(
        String(10), default=AnnouncementStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("announcements.id"))
    slack_ts: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ItemScore(Base):
    """One item's points for one agency in one evaluation year, from a score sheet.

    Long form (one row per item) because the items are per-year configuration. The item
    ``total`` holds a sheet's explicit total, when it gave one. ``simulated`` marks
    synthetic data (모의 데이터): a year's scores are all simulated or all real."""

    __tablename__ = "item_scores"
    __table_args__ = (UniqueConstraint("agency_id", "year", "item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    item: Mapped[str] = mapped_column(String(20))
    points: Mapped[float] = mapped_column(Float)
    grading_group: Mapped[str] = mapped_column(String(20))
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    source_url: Mapped[str] = mapped_column(Text, default="")
    source_file: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ComputedGrade(Base):
    """A grade the scoring engine computed from stored item scores (계산값): kept apart from
    the official ``results`` and never written over them."""

    __tablename__ = "computed_grades"
    __table_args__ = (UniqueConstraint("agency_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    grading_group: Mapped[str] = mapped_column(String(20))
    total: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
    group_size: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str | None] = mapped_column(String(10))
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
