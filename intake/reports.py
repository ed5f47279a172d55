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


@dataclass(frozen=True)
class YearMatch:
    """How a file's grades compare with the stored grades of the same agencies: in the year
    it names, and in the stored year they match best (agreeing, compared)."""

    named: int
    named_same: int
    named_compared: int
    best: int
    best_same: int
    best_compared: int

    def line(self) -> str:
        named = (
            f"{self.named}년과는 {self.named_same}/{self.named_compared}곳"
            if self.named_compared
            else f"{self.named}년에는 비교할 기록이 없습니다"
        )
        return (
            f"⚠ 이 표의 등급은 {self.best}년 기록과 {self.best_same}/{self.best_compared}곳이 같고, "
            f"표가 말하는 {named}: 연도가 맞는지 확인하세요 (the grades match {self.best} far "
            f"better than {self.named}, the year the file names)"
        )


# Grades are sticky (about half of the agencies keep theirs from one year to the next), so
# only a near-copy of another year says the file names the wrong one.
MIN_COMPARED = 10  # fewer shared agencies than this say nothing about a year
GOOD_MATCH = 0.9  # the share of grades that must agree with another year …
FAR_BETTER = 0.3  # … and by how much more than with the year named


def better_year(named: int, same: list[bool], others: dict[int, list[bool]]) -> YearMatch | None:
    """The stored year the file's grades match far better than the ``named`` one, if any:
    ``same`` says per agency whether the named year's stored grade agrees, ``others`` the
    same per other year."""
    ratio = sum(same) / len(same) if same else 0.0
    best: tuple[float, int] | None = None
    for year, agree in others.items():
        share = sum(agree) / len(agree)
        if len(agree) >= MIN_COMPARED and share >= GOOD_MATCH and share - ratio >= FAR_BETTER:
            best = max(best or (share, year), (share, year))
    if best is None:
        return None
    agree = others[best[1]]
    return YearMatch(named, sum(same), len(same), best[1], sum(agree), len(agree))


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
    confirmed: list[RowChange] = field(default_factory=list)  # same result, a new source
    year_hint: YearMatch | None = None  # the grades fit another stored year far better

    @property
    def corrected_years(self) -> list[int]:
        """Published years whose stored results this load changes (a correction)."""
        return sorted({change.year for change in self.updates} & self.published_years)

    @property
    def corrections(self) -> list[RowChange]:
        """The grade changes of published years: applied only when the operator says so."""
        return [
            change
            for change in self.updates
            if change.year in self.published_years and change.old != change.new
        ]

    def correction_refusal(self) -> list[str]:
        """Why a load is refused without ``--correct``: every grade change it would make."""
        years = ", ".join(str(y) for y in sorted({c.year for c in self.corrections}))
        lines = [
            f"공개된 {years}년 등급 {len(self.corrections)}건을 바꾸는 정정입니다. 맞다면 "
            f"--correct를 붙여 다시 불러오세요 (this load changes published grades of {years}: "
            "load it again with --correct if it is a correction)"
        ]
        lines += [f"• {c.year} {c.agency}: {c.old} → {c.new}" for c in self.corrections]
        return lines + ([self.year_hint.line()] if self.year_hint else [])

    def change_lines(self, limit: int | None = None) -> list[str]:
        """What changes, row by row (``2024 김해시: 다 → 나``), then the results another
        source confirms, with a warning when a published year is corrected and when the
        grades fit another year; the same lines in the CLI (every one) and the Slack
        preview (``limit`` lines, then how to see them all)."""
        lines = [self.year_hint.line()] if self.year_hint else []
        lines += [
            f"⚠ 공개된 {year}년 결과를 고칩니다: 구독 채널에 정정 알림이 나갑니다 "
            f"(correcting the published year {year})"
            for year in self.corrected_years
        ]
        if self.dry_run and self.corrections:
            lines.append(
                f"⚠ 공개된 등급 {len(self.corrections)}건을 바꿉니다: 정정으로 불러와야 합니다 "
                "(--correct; without it this load is refused)"
            )
        rows = [f"• {c.year} {c.agency}: {self._describe(c)}" for c in self.updates]
        rows += [f"• {c.year} {c.agency}: {c.new} 같음, 출처 추가" for c in self.confirmed]
        if limit is not None and len(rows) > limit:
            rows = rows[:limit] + [f"… 외 {len(rows) - limit}건 (and {len(rows) - limit} more)"]
        return lines + rows

    def _describe(self, change: RowChange) -> str:
        parts = [f"{change.old} → {change.new}"] if change.old != change.new else []
        if change.columns:
            names = ", ".join(self.headers.get(column, column) for column in change.columns)
            parts.append(f"{names} 바뀜")
        return "; ".join(parts)

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.confirmed or self.new_years)

    @property
    def scores_changed(self) -> bool:
        return self.scores is not None and self.scores.changed

    def summary(self) -> str:
        verb = "would load" if self.dry_run else "loaded"
        counts = f"{self.inserted} new, {self.updated} updated, {self.unchanged} unchanged"
        parts = [f"{self.source}: {verb} {self.rows} rows — {counts}"]
        if self.confirmed:
            parts.append(
                f"{len(self.confirmed)} confirmed by another source (added beside the earlier ones)"
            )
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
