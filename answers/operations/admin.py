"""Admin operations from Slack, as Answers: preview and load a results file, publish a
year. Callers check that the user is an admin; these refuse nobody themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from answers.answer import Action, Answer
from answers.query import Intent, Lang
from storage.db import Database
from storage.ingest import (
    MIN_TABLE_LINES,
    CorrectionRefused,
    IngestRefused,
    IngestReport,
    ingest_bytes,
    ingest_text,
    keep_pasted,
    pasted_text,
    read_official_text,
)
from storage.publishing import PublishError, publish_year

CONFIRM_INGEST = "confirm_ingest"
# A load that changes published grades is confirmed by its own button: a plain *Load*
# never corrects a published year (the load is refused if it would).
CONFIRM_CORRECTION = "confirm_correction"
PUBLISH_YEAR = "publish_year"
MAX_ERRORS_SHOWN = 30
MAX_CHANGES_SHOWN = 100  # a preview's change lines; the CLI's dry run shows every one
PASTED_PREFIX = "pasted:"  # a Load button's value for a pasted table: the kept text's key
PASTED_NAME = "붙여넣은 표"


def is_pasted_table(text: str) -> bool:
    """True when a DM's text is an official results table (lines under group headings, or
    tab- or |-separated rows), never for an ordinary one-line question."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return len(lines) >= MIN_TABLE_LINES and read_official_text(text) is not None


def is_pasted_value(value: str) -> bool:
    return value.startswith(PASTED_PREFIX)


def _answer(
    title: str, *lines: str, actions: tuple[Action, ...] = (), notes: tuple[str, ...] = ()
) -> Answer:
    return Answer(
        intent=Intent.HELP,
        lang=Lang.KO,
        title=title,
        lines=tuple(lines),
        actions=actions,
        notes=notes,
    )


@dataclass
class AdminOps:
    db: Database
    announce_channel: str | None = None
    on_publish: Callable[[], None] = field(default=lambda: None)

    async def preview(self, data: bytes, *, name: str, file_id: str, actor: str) -> Answer:
        """Validate without writing: every error by row and column, or what would change."""
        try:
            report = await ingest_bytes(self.db, data, name=name, actor=actor, dry_run=True)
        except IngestRefused as exc:
            return refused(name, exc.errors)
        return _preview(report, name=name, value=file_id)

    async def preview_text(self, text: str, *, actor: str) -> Answer:
        """A table pasted into a DM, previewed like a file; the text is kept in the database
        and only its key goes in the *Load* button (Slack caps a value at 2,000 chars)."""
        try:
            report = await ingest_text(self.db, text, name=PASTED_NAME, actor=actor, dry_run=True)
        except IngestRefused as exc:
            return refused(PASTED_NAME, exc.errors)
        key = await keep_pasted(self.db, text) if report.changed else ""
        return _preview(report, name=PASTED_NAME, value=f"{PASTED_PREFIX}{key}")

    async def load(self, data: bytes, *, name: str, actor: str, correct: bool = False) -> Answer:
        """Load a previewed file; ``correct`` when the admin confirmed a correction preview."""
        try:
            report = await ingest_bytes(self.db, data, name=name, actor=actor, correct=correct)
        except CorrectionRefused as exc:
            return correction_refused(name, exc.report)
        except IngestRefused as exc:
            return refused(name, exc.errors)
        return self._loaded(report, name=name)

    async def load_pasted(self, value: str, *, actor: str, correct: bool = False) -> Answer:
        """The *Load* button of a pasted table: its kept text, loaded as the preview showed."""
        text = await pasted_text(self.db, value.removeprefix(PASTED_PREFIX))
        if text is None:
            return _answer(
                f"{PASTED_NAME}: 불러오지 않았습니다",
                "붙여넣은 표를 더 이상 찾을 수 없습니다. 표를 다시 붙여넣어 주세요.",
            )
        try:
            report = await ingest_text(
                self.db, text, name=PASTED_NAME, actor=actor, correct=correct
            )
        except CorrectionRefused as exc:
            return correction_refused(PASTED_NAME, exc.report)
        except IngestRefused as exc:
            return refused(PASTED_NAME, exc.errors)
        return self._loaded(report, name=PASTED_NAME)

    def _loaded(self, report: IngestReport, *, name: str) -> Answer:
        offers = tuple(
            Action(PUBLISH_YEAR, f"{year}년 공개", str(year), style="primary")
            for year in report.new_years
        )
        lines = [_report_line(report), *_years_lines(report)]
        if report.announcements:
            lines.append(f"정정·추가 알림 {report.announcements}건을 보냅니다.")
            self.on_publish()
        return _answer(f"{name} 불러옴", *lines, actions=offers)

    async def publish(self, year: int, *, actor: str) -> Answer:
        try:
            report = await publish_year(
                self.db, year, actor=actor, announce_channel=self.announce_channel
            )
        except PublishError as exc:
            return _answer("공개할 수 없습니다", str(exc))
        if report.announcements:
            self.on_publish()
        if report.already_published:
            return _answer(
                f"{year}년은 이미 공개되어 있습니다",
                f"결과 {report.results}건. 새로 보낼 알림은 없습니다."
                if not report.announcements
                else f"빠진 알림 {report.announcements}건을 보냅니다.",
            )
        return _answer(
            f"{year}년 결과를 공개했습니다",
            f"결과 {report.results}건이 모두에게 보입니다. 알림 {report.announcements}건을 보냅니다.",
        )


def publish_prompt(year: int, *, is_admin: bool) -> Answer:
    """The answer to 'publish 2025': admins get a confirm button, others a refusal."""
    if not is_admin:
        return not_admin()
    publish = Action(PUBLISH_YEAR, f"{year}년 공개", str(year), style="primary")
    return _answer(
        f"{year}년 결과를 공개할까요?",
        "공개하면 모두가 볼 수 있고, 구독한 채널에 등급 변동 알림이 나갑니다.",
        actions=(publish,),
    )


def refused(name: str, errors: list[str]) -> Answer:
    shown = [f"• {e}" for e in errors[:MAX_ERRORS_SHOWN]]
    more = len(errors) - MAX_ERRORS_SHOWN
    if more > 0:
        shown.append(f"… 외 {more}건")
    return _answer(
        f"{name}: 불러오지 않았습니다",
        f"문제 {len(errors)}건이 있어 아무것도 쓰지 않았습니다.",
        *shown,
    )


def correction_refused(name: str, report: IngestReport) -> Answer:
    """A plain *Load* of a file that changes published grades: nothing written; only the
    correction preview's own button loads it."""
    changes = [f"• {c.year} {c.agency}: {c.old} → {c.new}" for c in report.corrections]
    hint = [report.year_hint.line()] if report.year_hint else []
    return _answer(
        f"{name}: 불러오지 않았습니다",
        f"공개된 등급 {len(changes)}건을 바꾸는 정정이라 아무것도 쓰지 않았습니다. 파일을 다시 "
        "보내 정정 미리보기에서 '정정으로 불러오기'를 눌러 주세요.",
        *hint,
        *changes[:MAX_CHANGES_SHOWN],
    )


def not_admin() -> Answer:
    return _answer(
        "관리자만 할 수 있습니다",
        "결과 파일 불러오기와 연도 공개는 관리자(ADMIN_USER_IDS 또는 워크스페이스 관리자)만 할 수 있습니다.",
    )


def _report_line(report: IngestReport) -> str:
    verb = "불러올" if report.dry_run else "불러온"
    line = f"{verb} 행 {report.rows}개: 새 결과 {report.inserted}, 변경 {report.updated}, 그대로 {report.unchanged}"
    if report.scores is not None:  # a score sheet: its grades are computed, kept apart
        line += f"\n{report.scores.summary()}"
    return line


def _years_lines(report: IngestReport, *, limit: int | None = None) -> list[str]:
    lines = []
    if report.new_years:
        lines.append(
            f"새 연도 {', '.join(map(str, report.new_years))}년은 초안으로 들어오며, 공개 전에는 관리자만 봅니다."
        )
    if report.confirmed:
        lines.append(
            f"같은 결과를 확인한 행 {len(report.confirmed)}개: 출처를 기존 출처 옆에 더합니다."
        )
    # the same lines `minwon-bot ingest` prints (all of them there; here up to ``limit``)
    return lines + report.change_lines(limit)


def _preview(report: IngestReport, *, name: str, value: str) -> Answer:
    """What a load would do, and its button: *Load*, or for a load that changes published
    grades a correction's own button (a plain *Load* of it is refused)."""
    lines = [_report_line(report), *_years_lines(report, limit=MAX_CHANGES_SHOWN)]
    if len(report.updates) + len(report.confirmed) > MAX_CHANGES_SHOWN:
        lines.append(
            "모든 변경은 `minwon-bot ingest 파일 --dry-run`으로 볼 수 있습니다 (붙여넣은 표는 "
            "`.txt`로 저장하거나 `minwon-bot ingest - --dry-run`에 붙여넣으면 됩니다)."
        )
    changes = report.changed or report.scores_changed
    if report.corrections:
        years = ", ".join(str(y) for y in sorted({c.year for c in report.corrections}))
        lines.append(
            f"*정정입니다:* 공개된 {years}년 등급 {len(report.corrections)}건이 바뀝니다. "
            "'정정으로 불러오기'를 누르면 이전 판을 이력에 남기고 고치며, 구독 채널에 정정 알림이 나갑니다."
        )
        confirm = Action(CONFIRM_CORRECTION, "정정으로 불러오기", value, style="danger")
        return _answer(f"{name} 미리보기 (공개 결과 정정)", *lines, actions=(confirm,))
    confirm = Action(CONFIRM_INGEST, "불러오기", value, style="primary")
    return _answer(
        f"{name} 미리보기",
        *lines,
        "확인을 누르면 CLI의 `minwon-bot ingest`와 같이 한 번에 불러옵니다.",
        actions=(confirm,) if changes else (),
    )
