"""What an ingest did, counted while it writes and told in one line: the reports
:func:`storage.ingest.ingest_sheet` returns and the CLI and Slack print."""

from __future__ import annotations

from dataclasses import dataclass, field

from intake.records import GradeChange


@dataclass
class ScoreReport:
    """What a score sheet did (counts are agencies × years, not item rows)."""

    simulated: bool = False
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    replaced_simulated: int = 0  # agencies whose simulated scores a real sheet replaced
    computed: dict[int, dict[str, int]] = field(default_factory=dict)  # year -> group -> n
    computed_changed: int = 0
    differ: dict[int, tuple[int, int]] = field(default_factory=dict)  # year -> (differ, of)

    @property
    def changed(self) -> bool:
        return bool(
            self.inserted or self.updated or self.replaced_simulated or self.computed_changed
        )

    def summary(self) -> str:
        kind = "모의 데이터/simulated" if self.simulated else "real"
        counts = f"{self.inserted} new, {self.updated} updated, {self.unchanged} unchanged"
        parts = [f"scores ({kind}): {counts}"]
        if self.replaced_simulated:
            parts.append(f"{self.replaced_simulated} simulated score rows replaced by real ones")
        what = "계산값/computed" + (", 모의 데이터/simulated" if self.simulated else "")
        for year, groups in sorted(self.computed.items()):
            sizes = ", ".join(f"{group} {n}" for group, n in groups.items())
            line = f"computed grades ({what}; kept apart from official results) {year}: {sizes}"
            if year in self.differ:
                differ, of = self.differ[year]
                line += f"; {differ} of {of} differ from the official grade"
            parts.append(line)
        return "; ".join(parts)


@dataclass(frozen=True)
class RowChange:
    """One stored result a load changes: its grade before and after, and the other columns
    (by their canonical names) whose values change."""

    year: int
    agency: str
    old: str
    new: str
    columns: tuple[str, ...]
    row: int


MAX_CHANGES_SHOWN = 20


@dataclass
class IngestReport:
    """What loading one sheet did (or, with ``dry_run``, would do)."""

    source: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    new_agencies: int = 0
    new_years: list[int] = field(default_factory=list)
    grade_changes: list[tuple[int, str, str, str]] = field(default_factory=list)  # year, name, …
    changed_results: list[GradeChange] = field(default_factory=list)
    announcements: int = 0
    dry_run: bool = False
    published_new_years: bool = False
    scores: ScoreReport | None = None  # a score sheet's scores and computed grades
    added_agencies: list[str] = field(default_factory=list)  # added with --new-agencies
    notes: list[str] = field(default_factory=list)  # names of another period, read as whom
    updates: list[RowChange] = field(default_factory=list)
    published_years: set[int] = field(default_factory=set)  # the file's years already public
    headers: dict[str, str] = field(default_factory=dict)  # column -> the file's own header

    @property
    def corrected_years(self) -> list[int]:
        """Published years whose stored results this load changes (a correction)."""
        return sorted({change.year for change in self.updates} & self.published_years)

    def change_lines(self) -> list[str]:
        """What changes, row by row (``2024 김해시: 다 → 나``), with a warning when a
        published year is corrected; the same lines in the CLI and the Slack preview."""
        lines = [
            f"⚠ 공개된 {year}년 결과를 고칩니다: 구독 채널에 정정 알림이 나갑니다 "
            f"(correcting the published year {year})"
            for year in self.corrected_years
        ]
        for change in self.updates[:MAX_CHANGES_SHOWN]:
            lines.append(f"• {change.year} {change.agency}: {self._describe(change)}")
        if len(self.updates) > MAX_CHANGES_SHOWN:
            lines.append(f"… 외 {len(self.updates) - MAX_CHANGES_SHOWN}건 (and more)")
        return lines

    def _describe(self, change: RowChange) -> str:
        parts = [f"{change.old} → {change.new}"] if change.old != change.new else []
        if change.columns:
            names = ", ".join(self.headers.get(column, column) for column in change.columns)
            parts.append(f"{names} 바뀜")
        return "; ".join(parts)

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.new_years)

    @property
    def scores_changed(self) -> bool:
        return self.scores is not None and self.scores.changed

    def summary(self) -> str:
        verb = "would load" if self.dry_run else "loaded"
        counts = f"{self.inserted} new, {self.updated} updated, {self.unchanged} unchanged"
        parts = [f"{self.source}: {verb} {self.rows} rows — {counts}"]
        if self.new_agencies:
            added = ", ".join(self.added_agencies)
            parts.append(f"{self.new_agencies} new agencies" + (f" ({added})" if added else ""))
        if self.notes:
            parts.append("notes: " + "; ".join(self.notes))
        if self.scores is not None:
            parts[0] = parts[0].replace(" — ", " — official results: ", 1)
            parts.append(self.scores.summary())
        if self.new_years:
            years = ", ".join(str(y) for y in self.new_years)
            if self.published_new_years:
                parts.append(f"new year(s) {years} published")
            else:
                parts.append(
                    f"new year(s) {years} arrive as draft: publish with `minwon-bot publish YEAR`"
                )
        return "; ".join(parts)
