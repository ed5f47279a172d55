"""Official result tables: one row per grading group, one column per grade, agency names in
the cells, as ministries publish them (CSV, TSV, XLSX, HWPX, PDF or text pasted into Slack).

The reader only reads: it splits cells into names (and regions as written), maps the row to
one of the six grading groups and the column to a grade, finds the year and the source, and
lists every problem by the place the operator sees (row and column by the file's own
headers, or page and cell, or line). Resolving names against the agency catalog happens
after, in ingest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from domain.agencies import NAME_ENDINGS
from domain.grades import GRADE_LABEL_SYNONYMS, SCALE_LEVELS, GradeScale
from domain.groups import (
    GROUP_ORDER,
    GROUP_SYNONYMS,
    LOCAL_GROUPS,
    LOCAL_LEVEL_WORDS,
    TYPE_GROUP,
    AgencyType,
    local_group,
)
from domain.regions import region_of_full_name
from domain.text import compact, jamo
from domain.years import scale_of
from intake.documents import (
    PROBE_ROWS,
    Document,
    DocumentError,
    Grid,
    clean_text,
    grid_from_rows,
    kind_of,
    read_delimited,
    read_document,
)

MAX_NAMES = 5_000
MAX_PROBLEMS = 100
HEADER_SEARCH_ROWS = PROBE_ROWS
T = TypeVar("T")
LOCAL_ANY = "기초"  # a row for the whole 기초 level: each name's suffix picks its group

# Columns an official table may carry besides the grades, ignored when read.
IGNORED_COLUMNS = frozenset(
    compact(word)
    for word in ("계", "합계", "소계", "비고", "기관수", "대상", "대상기관", "평가대상")
)
EMPTY_CELLS = frozenset(("-", "–", "—", "없음", "해당없음", "해당 없음", "x", "X"))
# A PDF line ending in an agency name's last syllable, or in a region's bracket, ended a
# name; ending elsewhere, it was wrapped inside one.
LINE_ENDINGS = (*NAME_ENDINGS, ")")
COUNT_WORDS = re.compile(r"\d+|[.%~]|개|곳|기관|이상|이하|미만|초과|상위|하위")
SEPARATORS = re.compile(r"[,;、·ᆞ・/]+")
YEAR_IN_TITLE = re.compile(r"(?<!\d)(20\d\d)\s*년도?\s*(?=\S*\s*(?:민원|종합|평가))")
ANY_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*년도?")
URL = re.compile(r"https?://[^\s<>|\"']+")
SOURCE_WORDS = ("출처", "source", "자료", "근거")
YEAR_WORDS = ("연도", "평가연도", "year")
SLACK_LINK = re.compile(r"<(https?://[^>|]+)(?:\|[^>]*)?>")
COUNT = re.compile(r"\(\s*\d+\s*(?:개|곳)?\s*(?:기관)?\s*\)|\d+\s*(?:개|곳)\s*(?:기관)?$")


@dataclass(frozen=True)
class TableCell:
    """One agency name read from a grade cell, as written (split and trimmed)."""

    group: str
    grade: str
    name: str
    region: str | None
    where: str  # "row 3, column 나", "page 1, cell (3, 2), column 나" or "line 4"


@dataclass(frozen=True)
class OfficialTable:
    """What an official table says, and every problem found in it (``(where, message)``).
    A table with any problem is refused whole."""

    year: int | None
    source_url: str | None
    cells: tuple[TableCell, ...]
    problems: tuple[tuple[str, str], ...]

    @property
    def ok(self) -> bool:
        return bool(self.cells) and not self.problems

    def rows(self) -> list[dict[str, str]]:
        """The cells in the one-row-per-agency layout (columns of grades.csv)."""
        return [
            {
                "year": str(self.year or ""),
                "agency": cell.name,
                "region": (region_of_full_name(cell.region) or cell.region) if cell.region else "",
                "agency_type": agency_type_of(cell.group),
                "group": cell.group,
                "grade": cell.grade,
                "source_url": self.source_url or "",
            }
            for cell in self.cells
        ]


def agency_type_of(group: str) -> str:
    types = {named: kind for kind, named in TYPE_GROUP.items()}
    return str(types.get(group, AgencyType.LOCAL))


# --- entry points ---


def read_official_table(
    data: bytes, *, name: str, year: int | None = None, source_url: str | None = None
) -> OfficialTable | None:
    """Read a file in the official-table layout; None when it is not in that layout (the
    one-row-per-agency layout, or a CSV/XLSX that cannot be read: the sheet reader says why).
    A PDF or HWPX file is always read as an official table, so its failures are problems."""
    try:
        document = read_document(data, name=name, wanted=looks_official)
    except DocumentError as exc:
        if kind_of(data, name) in ("PDF", "HWPX"):
            return OfficialTable(year, source_url, (), ((name, str(exc)),))
        return None
    except Exception as exc:  # a library failing on a hostile file must not escape
        return OfficialTable(
            year, source_url, (), ((name, f"the file cannot be read ({exc.__class__.__name__})"),)
        )
    return read_official_document(document, name=name, year=year, source_url=source_url)


def read_official_text(
    text: str, *, year: int | None = None, source_url: str | None = None, name: str = "message"
) -> OfficialTable | None:
    """Read a table pasted into a message: tab- or ``|``-separated rows, or lines such as
    ``가: 김해시, 양산시`` under a group heading. None when the text is no such table."""
    text = _unslack(text)[: 2 * 1024 * 1024].replace("```", "")
    lines = text.splitlines()
    try:
        if sum("\t" in line for line in lines) >= 2:
            tabbed = read_delimited(text, tab=True, kind="text")
            grids = tuple(replace(grid, row_word="line") for grid in tabbed.grids)
            document = Document(kind="text", grids=grids)
            return read_official_document(document, name=name, year=year, source_url=source_url)
        if sum(line.count("|") >= 2 for line in lines) >= 2:
            grid = grid_from_rows([_pipe_cells(line) for line in lines], row_word="line")
            document = Document(kind="text", grids=(grid,))
            return read_official_document(document, name=name, year=year, source_url=source_url)
    except DocumentError as exc:
        return OfficialTable(year, source_url, (), ((name, str(exc)),))
    return _read_lines(lines, name=name, year=year, source_url=source_url)


def looks_official(grid: Grid | Sequence[Sequence[object]]) -> bool:
    """True when some row near the top holds two or more grade headers (가, 나 … or 최우수 …)."""
    if not isinstance(grid, Grid):
        grid = grid_from_rows(grid)
    return _header_row(grid, _grade_lookup(GradeScale.GA_MA)) is not None


def read_official_document(
    document: Document, *, name: str, year: int | None = None, source_url: str | None = None
) -> OfficialTable | None:
    grids = [grid for grid in document.grids if looks_official(grid)]
    if not grids:
        if document.kind in ("PDF", "HWPX"):
            message = "no table with one column per grade (가, 나, 다, 라, 마) was found"
            return OfficialTable(year, source_url, (), ((name, message),))
        return None
    reader = _Reader(name)
    reader.find_facts(document)
    reader.settle(year, source_url)
    layout: _Layout | None = None
    for grid in document.grids:
        layout = reader.read_grid(grid, layout)
    return reader.result()


@dataclass
class _Layout:
    """A table's columns, kept to read its continuation on the next page."""

    width: int
    columns: dict[int, str]  # column -> grade
    labels: list[int]  # the columns naming the row's group
    heads: dict[int, str | None]  # column -> its header as the file wrote it
    group: str = ""  # the label of the last group row read


# --- the reader ---


@dataclass
class _Reader:
    name: str
    years: list[tuple[str, int]] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    year: int | None = None
    source_url: str | None = None
    lookup: dict[str, str] = field(default_factory=dict)
    cells: list[TableCell] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    seen: dict[tuple[str, str], str] = field(default_factory=dict)

    def problem(self, where: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((where, message))

    # year and source, from title cells, 출처 cells and lines outside tables

    def find_facts(self, document: Document) -> None:
        for grid in document.grids:
            for r, row in enumerate(grid.rows):
                for c, text in enumerate(row):
                    if text and (r, c) not in grid.merged:
                        self.fact(text, _where(grid, r, c, None), row[c + 1 :])
        for number, line in enumerate(document.lines, start=1):
            self.fact(line, f"{_kind_place(document)} text line {number}".strip(), ())

    def fact(self, text: str, where: str, after: Sequence[str]) -> bool:
        """Record a year or a source the text gives; True when it gave one."""
        year, url = _facts(text, after)
        if year is not None:
            self.years.append((where, year))
        if url is not None:
            self.sources.append((where, url))
        return year is not None or url is not None

    def settle(self, year: int | None, source_url: str | None) -> None:
        self.year = self._one("year", year, self.years, "--year")
        self.source_url = self._one("source", source_url, self.sources, "--source")
        if self.year is None:
            self.problem(
                self.name,
                "no year: add a title such as '2025년 민원서비스 종합평가 결과' or give the year (--year 2025)",
            )
        if self.source_url is None:
            self.problem(
                self.name,
                "no source: add a cell '출처: https://…' or give the source (--source URL)",
            )
        scale = scale_of(self.year)
        self.lookup = _grade_lookup(scale)

    def _one(self, what: str, given: T | None, found: list[tuple[str, T]], flag: str) -> T | None:
        value = given
        first_where = flag
        for where, seen in found:
            if value is None:
                value, first_where = seen, where
            elif seen != value:
                self.problem(
                    where,
                    f"the {what} is given twice differently: {seen} here, {value} at {first_where}",
                )
        return value

    # the table

    def read_grid(self, grid: Grid, previous: _Layout | None = None) -> _Layout | None:
        """Read one grid; a grid with no grade header as wide as the previous table's is
        that table continued (a PDF table running onto the next page)."""
        header = _header_row(grid, self.lookup)
        if header is None:
            header = _header_row(grid, _grade_lookup(GradeScale.GA_MA))
        if header is None:
            if previous is None or grid.page is None or grid.width != previous.width:
                return None
            layout, start = previous, 0
        else:
            columns = self.grade_columns(grid, header)
            if not columns:
                return None
            heads = {c: _header_text(grid, header, c) for c in range(grid.width)}
            layout, start = (
                _Layout(grid.width, columns, list(range(min(columns))), heads),
                header + 1,
            )
        for r in range(start, len(grid.rows)):
            if _header_row(Grid(rows=(grid.rows[r],)), self.lookup) == 0:
                continue  # the header repeated (a table continued on the next page)
            self.read_row(grid, r, layout, continued=header is None and r == start)
        return layout

    def grade_columns(self, grid: Grid, header: int) -> dict[int, str]:
        """Column -> grade, from the header row; problems for a header that is no grade."""
        columns: dict[int, str] = {}
        found_at: dict[str, str] = {}
        started = False
        for c in range(grid.width):
            origin = grid.merged.get((header, c))
            text = grid.cell(*origin) if origin else grid.cell(header, c)
            where = _where(grid, header, c, text or None)
            grade, unknown = _grade_of(text, self.lookup)
            if grade and not unknown:
                started = True
                if grade in found_at and not (origin and origin[1] in columns):
                    self.problem(
                        where, f"the grade {grade} has two columns (also at {found_at[grade]})"
                    )
                found_at.setdefault(grade, where)
                columns[c] = grade
            elif not started or compact(text) in IGNORED_COLUMNS:
                continue
            elif text:
                self.problem(where, f"'{_one_line(text)}' is not a grade of {self._scale_words()}")
            elif any(grid.cell(r, c) for r in range(header + 1, len(grid.rows))):
                column = c + 1
                self.problem(where, f"column {column} has names but no grade header")
        return columns

    def _scale_words(self) -> str:
        scale = scale_of(self.year)
        grades = ", ".join(grade for grade, _ in SCALE_LEVELS[scale])
        return f"{self.year}'s scale ({grades})" if self.year else f"the scale ({grades})"

    def read_row(self, grid: Grid, r: int, layout: _Layout, *, continued: bool = False) -> None:
        texts = [_merged_text(grid, r, c) for c in layout.labels]
        label = " ".join(dict.fromkeys(text for text in texts if text))
        raw = {c: grid.cell(r, c) for c in layout.columns if (r, c) not in grid.merged}
        if not label and not any(raw.values()):
            return
        last = layout.labels[-1] if layout.labels else 0
        label_where = _where(grid, r, last, layout.heads.get(last))
        if not label and continued and layout.group:
            label, texts = layout.group, [layout.group]  # a group's row cut by a page break
        if not label:
            self.problem(label_where, "names in a row with no grading group")
            return
        group = _group_of(texts)
        if group is None:
            if self._is_footnote(grid, r, label) or _group_key(label) in IGNORED_COLUMNS:
                return  # a note, a 출처 line or a totals row (계, 합계)
            hint = _suggest_group(label)
            suggestion = f" (did you mean {hint}?)" if hint else ""
            self.problem(label_where, f"'{_one_line(label)}' is not a grading group{suggestion}")
            return
        layout.group = label
        before = len(self.cells)
        for c, text in raw.items():
            where = _where(grid, r, c, layout.heads.get(c))
            if grid.page is not None:
                text = _unwrap(text, local=group in LOCAL_GROUPS or group == LOCAL_ANY)
            self.read_cell(text, group=group, grade=layout.columns[c], where=where)
        if len(self.cells) == before and not continued:
            self.problem(label_where, f"no agency names in the row of {_one_line(label)}")

    def _is_footnote(self, grid: Grid, r: int, label: str) -> bool:
        """A note, title or 출처 line inside the table's frame, not a group's row."""
        if label.startswith(("※", "*", "주)", "주:")):
            return True
        row = grid.rows[r]
        return any(_facts(text, row[c + 1 :]) != (None, None) for c, text in enumerate(row))

    def read_cell(self, text: str, *, group: str, grade: str, where: str) -> None:
        if text.strip() in EMPTY_CELLS:
            return
        local = group in LOCAL_GROUPS or group == LOCAL_ANY
        for name, region, problem in _split_names(text, local=local):
            if problem:
                self.problem(where, problem)
                continue
            self.add(name, region, group=group, grade=grade, where=where)

    def add(self, name: str, region: str | None, *, group: str, grade: str, where: str) -> None:
        if len(self.cells) >= MAX_NAMES:
            message = f"more than {MAX_NAMES:,} names: not a results table"
            if all(text != message for _, text in self.problems):
                self.problem(where, message)
            return
        shown = f"{name}({region})" if region else name
        if group == LOCAL_ANY or group in LOCAL_GROUPS:
            suffix_group = local_group(name)
            if suffix_group is None:
                self.problem(
                    where, f"{shown} does not end in 시, 군 or 구 but stands in a 기초 row"
                )
                return
            if group != LOCAL_ANY and suffix_group != group:
                self.problem(
                    where, f"{shown} is a {suffix_group[-1]} but stands in the row of {group}"
                )
                return
            group = suffix_group
        key = (compact(name), compact(region_of_full_name(region) or region) if region else "")
        if key in self.seen:
            self.problem(where, f"{shown} is listed twice (also at {self.seen[key]})")
            return
        self.seen[key] = where
        self.cells.append(
            TableCell(group=group, grade=grade, name=name, region=region, where=where)
        )

    def result(self) -> OfficialTable:
        if not self.cells and all(where == self.name for where, _ in self.problems):
            self.problem(self.name, "no agency names under the grade columns")
        return OfficialTable(self.year, self.source_url, tuple(self.cells), tuple(self.problems))


# --- pasted lines: "가: 김해시, 양산시" under a group heading ---

BULLETS = re.compile(r"^[\s\-*•■□▶▷◆◇○●#>·]+|[\s*_~`]+$")
GRADE_LINE = re.compile(r"^(?P<head>[^:：]{1,30}?)\s*[:：]\s*(?P<names>.*)$")


def _read_lines(
    lines: list[str], *, name: str, year: int | None, source_url: str | None
) -> OfficialTable | None:
    reader = _Reader(name)
    for number, line in enumerate(lines, start=1):
        reader.fact(clean_text(line), f"line {number}", ())
    reader.settle(year, source_url)
    entries = _line_entries(lines, reader.lookup)
    if not any(kind == "grade" for _, kind, *_ in entries):
        return None
    group: str | None = None
    for number, kind, head, grade, names in entries:
        where = f"line {number}"
        hint = _suggest_group(head) if kind != "grade" else None
        if group is None and kind != "grade" and _group_of([head]) is None and not hint:
            continue  # a greeting or remark above the table
        if kind == "group":
            group = _group_of([head]) or ""  # "": a heading already refused
            if not group:
                reader.problem(
                    where,
                    f"'{head}' is not a grading group"
                    + (f" (did you mean {hint}?)" if hint else ""),
                )
        elif kind == "grade" and grade:
            if group is None:
                reader.problem(
                    where, "names before any grading group heading (such as 중앙행정기관)"
                )
            if not group:
                continue
            reader.read_cell(names, group=group, grade=grade, where=where)
        elif kind == "other":
            reader.problem(
                where,
                f"'{_one_line(head)[:40]}' is neither a grading group nor a grade line such as '가: 김해시, 양산시'",
            )
    return reader.result()


def _line_entries(
    lines: list[str], lookup: dict[str, str]
) -> list[tuple[int, str, str, str | None, str]]:
    """(line number, kind, head, grade, names) for each meaningful line."""
    entries: list[tuple[int, str, str, str | None, str]] = []
    for number, raw in enumerate(lines, start=1):
        line = BULLETS.sub("", clean_text(raw))
        enclosed = re.fullmatch(r"[\[【<]\s*(.*?)\s*[\]】>]", line)
        line = enclosed.group(1) if enclosed else line
        if not line or _facts(line, ()) != (None, None):
            continue
        match = GRADE_LINE.match(line)
        head = BULLETS.sub("", match.group("head")).strip("[]【】 ") if match else line
        grade, unknown = _grade_of(head, lookup) if match else (None, True)
        if match and grade and not unknown:
            entries.append((number, "grade", head, grade, match.group("names")))
            continue
        words = head.split()
        if match and len(words) >= 2:  # "중앙행정기관 가: …"
            grade, unknown = _grade_of(words[-1], lookup)
            if grade and not unknown:
                entries.append((number, "group", " ".join(words[:-1]), None, ""))
                entries.append((number, "grade", words[-1], grade, match.group("names")))
                continue
        if match and not match.group("names").strip():
            line = head
        is_group = _group_of([line]) is not None or len(line) <= 15 and not SEPARATORS.search(line)
        entries.append((number, "group" if is_group else "other", line, None, ""))
    return entries


# --- helpers ---


def _facts(text: str, after: Sequence[str]) -> tuple[int | None, str | None]:
    """(year, source URL) a cell or line gives: a title such as '2025년 민원서비스 종합평가
    결과', '연도' beside a year, '출처: URL' or '출처' beside a URL."""
    flat = text.replace("\n", " ")
    year: int | None = None
    title = YEAR_IN_TITLE.search(flat)
    if (
        title is None
        and ("평가" in flat or "결과" in flat)
        and len(set(ANY_YEAR.findall(flat))) == 1
    ):
        title = ANY_YEAR.search(flat)
    if title:
        year = int(title.group(1))
    head = compact(re.split(r"[:：\s]", flat.strip(), maxsplit=1)[0])
    nxt = next((cell for cell in after if cell), "")
    if head in YEAR_WORDS and re.fullmatch(r"20\d\d", compact(nxt)):
        year = int(compact(nxt))
    url: str | None = None
    if any(head.startswith(word) for word in SOURCE_WORDS) and len(head) <= 6:
        found = URL.search(flat) or URL.search(nxt)
        url = found.group(0).rstrip(".,)") if found else None
    return year, url


def _unslack(text: str) -> str:
    text = SLACK_LINK.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _pipe_cells(line: str) -> list[str]:
    stripped = line.strip()
    if not stripped or re.fullmatch(r"[\s|:\-+=]+", stripped):
        return []
    return [cell.strip() for cell in stripped.strip("|").split("|")]


def _grade_lookup(scale: GradeScale) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for grade, label in SCALE_LEVELS[scale]:
        lookup[compact(grade)] = grade
        lookup.setdefault(compact(label), grade)
        for synonym, canonical in GRADE_LABEL_SYNONYMS.items():
            if canonical == label:
                lookup.setdefault(compact(synonym), grade)
    return lookup


def _grade_of(text: str, lookup: dict[str, str]) -> tuple[str | None, bool]:
    """(the grade a header names, whether it also holds words that are no grade)."""
    text = clean_text(text).replace("\n", " ")
    if not text:
        return None, False
    inner = re.findall(r"\(([^()]*)\)", text)
    main = re.sub(r"\([^()]*\)", " ", text)
    grades: set[str] = set()
    unknown = False
    for part in [main, *inner]:
        key = compact(part).removesuffix("기관").removesuffix("등급")
        if not COUNT_WORDS.sub("", key):
            continue  # a count or a band beside the grade: '가 (31개)', '가 (상위 10%)'
        if key in lookup:
            grades.add(lookup[key])
        else:
            unknown = True
    if len(grades) != 1:
        return None, bool(text)
    return grades.pop(), unknown


def _header_row(grid: Grid, lookup: dict[str, str]) -> int | None:
    for r, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        grades = {
            grade
            for grade, unknown in (_grade_of(text, lookup) for text in row)
            if grade and not unknown
        }
        if len(grades) >= 2:
            return r
    return None


_GROUP_KEYS = {compact(word): group for word, group in GROUP_SYNONYMS.items()} | {
    compact(group): group for group in GROUP_ORDER
}
_LOCAL_KEYS = frozenset(compact(word) for word in LOCAL_LEVEL_WORDS)


def _group_key(text: str) -> str:
    return compact(COUNT.sub("", clean_text(text).replace("\n", " ")))


def _group_of(texts: Sequence[str]) -> str | None:
    """The grading group a row's label cells name (["기초자치단체", "시"] -> 기초-시)."""
    present = [text for text in texts if text]
    candidates = [" ".join(dict.fromkeys(present)), *reversed(present)]
    for text in candidates:
        key = _group_key(text)
        if key in _GROUP_KEYS:
            return _GROUP_KEYS[key]
    if any(_group_key(text) in _LOCAL_KEYS for text in candidates):
        return LOCAL_ANY
    return None


def _suggest_group(label: str) -> str | None:
    from rapidfuzz import fuzz, process

    choices = {jamo(compact(word)): word for word in [*GROUP_SYNONYMS, *LOCAL_LEVEL_WORDS]}
    best = process.extractOne(
        jamo(_group_key(label)), list(choices), scorer=fuzz.ratio, score_cutoff=70
    )
    return choices[best[0]] if best else None


def _split_names(text: str, *, local: bool) -> list[tuple[str, str | None, str | None]]:
    """(name, region, problem) for each name in a cell; regions only where written."""
    out: list[tuple[str, str | None, str | None]] = []
    for chunk in SEPARATORS.split(text):
        pending: str | None = None
        for token in _tokens(chunk):
            if re.fullmatch(r"[\W_]+", token):
                continue
            bare = token.strip("()")
            if local and region_of_full_name(token) and pending is None:
                pending = token
                continue
            if token.startswith("(") and token.endswith(")") and region_of_full_name(bare):
                if out and out[-1][1] is None and out[-1][2] is None:
                    out[-1] = (out[-1][0], bare, None)
                else:
                    out.append(("", None, f"the region {token} stands without an agency name"))
                continue
            name, region = _name_and_region(token)
            if pending is not None:
                region = region or pending
                pending = None
            if re.search(r"\d", name) or not re.search(r"[가-힣A-Za-z]", name):
                out.append((name, region, f"'{name}' is not an agency name"))
            else:
                out.append((name, region, None))
        if pending is not None:
            out.append(("", None, f"the region {pending} stands without an agency name"))
    return out


def _unwrap(text: str, *, local: bool) -> str:
    """A PDF cell's lines, with the breaks that only wrap a name in a narrow column undone.

    A break separates names after a separator, after a region written before its name in a
    기초 row ('서울' / '중구': a space) or after a syllable agency names end in; elsewhere
    it cut a name ('부산광역시교' / '육청') and the two parts are joined."""
    lines = text.split("\n")
    joined = lines[0]
    for line in lines[1:]:
        last = re.split(r"[\s,;、·ᆞ・/]+", joined)[-1]
        if local and last.startswith("(") and region_of_full_name(last.strip("()")):
            joined += line  # '(경기)' / '이천시'
        elif not joined or SEPARATORS.search(joined[-1:]) or (local and region_of_full_name(last)):
            joined += " " + line
        elif joined.endswith(LINE_ENDINGS):
            joined += "\n" + line
        else:
            joined += line
    return joined


def _tokens(chunk: str) -> list[str]:
    """Words split on spaces and line breaks, but not inside brackets."""
    tokens: list[str] = []
    depth = 0
    current = ""
    for ch in chunk:
        depth += (ch == "(") - (ch == ")")
        if ch.isspace() and depth <= 0:
            if current:
                tokens.append(current)
            current, depth = "", 0
        elif not ch.isspace():  # a line broken inside brackets: '고성군(경' + '남)'
            current += ch
    if current:
        tokens.append(current)
    return tokens


def _name_and_region(token: str) -> tuple[str, str | None]:
    """'고성군(경남)' / '(경남)고성군' -> ('고성군', '경남'); other brackets stay in the name."""
    for pattern in (
        r"^(?P<name>.+?)\s*\((?P<region>[^()]+)\)$",
        r"^\((?P<region>[^()]+)\)\s*(?P<name>.+)$",
    ):
        match = re.match(pattern, token)
        if match and region_of_full_name(match.group("region").strip()):
            return match.group("name").strip(), match.group("region").strip()
    return token, None


def _merged_text(grid: Grid, r: int, c: int) -> str:
    origin = grid.merged.get((r, c))
    return grid.cell(*origin) if origin else grid.cell(r, c)


def _header_text(grid: Grid, header: int, c: int) -> str | None:
    return _one_line(_merged_text(grid, header, c)) or None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _where(grid: Grid, r: int, c: int, label: str | None) -> str:
    """Where a cell is, as the reader sees it: 'row 3, column 나' (spreadsheet numbering),
    'page 1, cell (3, 2), column 나' in a PDF, 'line 3, column 나' in pasted text."""
    column = f"column {_one_line(label)}" if label else f"column {c + 1}"
    place = grid.place()
    if grid.page is not None:
        return f"{place}, cell ({r + 1}, {c + 1}), {column}"
    spot = f"{grid.row_word} {grid.origin + r}, {column}"
    return f"{place}, {spot}" if place else spot


def _kind_place(document: Document) -> str:
    return "" if document.kind in ("CSV", "TSV", "XLSX", "text") else document.kind
