"""Seeded generators for the fuzz tests: questions for the parser, results files to mangle,
and a dump of every table (to prove that a refused file wrote nothing).

Everything is drawn from a ``random.Random(seed)``, so a failure names the seed and the
index of the input that broke, and the same run reproduces it.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dbdump import dump  # noqa: F401  (re-exported for the tests)

from intake.sheets import COLUMNS

GRADES_CSV = Path(__file__).resolve().parents[2] / "storage" / "bundled" / "grades.csv"


# --------------------------------------------------------------------------- questions


def bundled_rows() -> list[dict[str, str]]:
    with GRADES_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _real_words() -> list[str]:
    rows = bundled_rows()
    names = sorted({row["agency"] for row in rows})
    regions = sorted({row["region"] for row in rows if row["region"]})
    return names + regions + [f"{row['region']} {row['agency']}" for row in rows[::25]]


KEYWORDS = [
    "등급",
    "추이",
    "비교",
    "vs",
    "항목별",
    "목록",
    "전체",
    "도움말",
    "help",
    "history",
    "compare",
    "list",
    "items",
    "올해",
    "작년",
    "최근",
    "재작년",
    "latest",
    "last year",
    "구독",
    "구독 취소",
    "구독 목록",
    "subscribe",
    "unsubscribe",
    "중앙행정기관",
    "광역",
    "기초",
    "교육청",
    "시",
    "군",
    "구",
    "가",
    "나",
    "다",
    "라",
    "마",
    "가 등급",
    "S",
    "A",
    "최우수",
    "미흡",
    "만족도 +5점이면",
    "커트라인",
    "몇 점",
    "Goseong",
    "Gimhae",
    "gimpo",
    "행안부",
    "권익위",
    "서울교육청",
    "강원도",
    "전라북도",
    "김헤시",
    "고성군(경남)",
    "경상남도 고성군",
    "중구",
    "은",
    "는",
    "의",
    "에서",
    "까지",
    "부터",
]
NUMBERS = [
    "2016",
    "2023",
    "2024",
    "2025",
    "1999",
    "2099",
    "9999",
    "0",
    "-1",
    "'23",
    "’24",
    "23년",
    "2021~2023",
    "2023-2021",
    "2021 to 2024",
    "2023년도",
    "２０２３",
    "٢٠٢٣",
    "1e9",
    "3.14",
    "99999999999999999999",
    "00002023",
    "2023.0",
    "+5점",
    "-3점",
    "20점으로",
    "¹²³",
]
SQL = [
    "'; DROP TABLE results;--",
    "1 OR 1=1",
    '" OR ""="',
    "%' UNION SELECT * FROM agencies--",
    "\\x00",
    "'); DELETE FROM agencies; --",
    "%",
    "_",
    "\\",
    "$$",
    "/* */",
    "NULL",
]
SLACK = [
    "<@U1>",
    "<@UBOT|minwon-bot>",
    "<#C1|x>",
    "<#C123>",
    "<!here>",
    "<!channel>",
    "<!subteam^S1|@team>",
    "<https://x|y>",
    "<https://example.org>",
    "<mailto:a@b.c|a>",
    "<!date^1392734382^{date}|Feb 18>",
    "&lt;",
    "&gt;",
    "&amp;",
    "*bold*",
    "_it_",
    "~s~",
    "`code`",
    "```block```",
    "<",
    ">",
    "<<>>",
    "<@",
    ">>>",
    ":smile:",
    "<#C1|경남>",
]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad", "\u180e"]
RTL = ["\u200f", "\u200e", "\u202e", "\u202d", "\u2067", "\u2066", "\u2069", "\u061c"]
EMOJI = [
    "🙂",
    "👍🏽",
    "👨‍👩‍👧‍👦",
    "🇰🇷",
    "🏳️‍🌈",
    "❤️",
    "🔥",
    "\U0001f9ea",
    "✨",
    "㊗️",
    "🈶",
    "\U000e0067",
]
SEPARATORS = [" ", "", "  ", "\n", "\t", ",", "?", "!", ".", "·", "\u3000", "/", "(", ")"]


def _codepoints(rng: random.Random, low: int, high: int, count: int) -> str:
    return "".join(chr(rng.randint(low, high)) for _ in range(count))


def _any_char(rng: random.Random) -> str:
    """Any code point but surrogates (Slack sends valid UTF-8)."""
    while True:
        point = rng.choice([rng.randint(0, 0x7F), rng.randint(0, 0xFFFF), rng.randint(0, 0x10FFFF)])
        if not 0xD800 <= point <= 0xDFFF:
            return chr(point)


class QuestionGenerator:
    """Texts a Slack user could send, from sensible to hostile."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = _real_words()

    def pieces(self) -> list[Callable[[], str]]:
        rng = self.rng
        return [
            lambda: rng.choice(self.words),
            lambda: rng.choice(self.words),
            lambda: rng.choice(KEYWORDS),
            lambda: rng.choice(KEYWORDS),
            lambda: rng.choice(NUMBERS),
            lambda: rng.choice(SQL),
            lambda: rng.choice(SLACK),
            lambda: rng.choice(EMOJI),
            lambda: rng.choice(ZERO_WIDTH),
            lambda: rng.choice(RTL),
            lambda: _codepoints(rng, 0xAC00, 0xD7A3, rng.randint(1, 6)),  # Hangul syllables
            lambda: _codepoints(rng, 0x3131, 0x318E, rng.randint(1, 6)),  # compatibility jamo
            lambda: _codepoints(rng, 0x1100, 0x11FF, rng.randint(1, 6)),  # conjoining jamo
            lambda: _codepoints(rng, 0x00, 0x1F, rng.randint(1, 3)),  # C0 controls
            lambda: _codepoints(rng, 0x7F, 0x9F, rng.randint(1, 3)),  # DEL, C1 controls
            lambda: "".join(_any_char(rng) for _ in range(rng.randint(1, 8))),
            lambda: str(rng.randint(-(10**12), 10**12)),
        ]

    def mutate(self, text: str) -> str:
        """A real phrasing with junk inserted, characters dropped or doubled."""
        rng = self.rng
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            position = rng.randint(0, len(chars))
            kind = rng.random()
            if kind < 0.4:
                chars.insert(position, rng.choice(ZERO_WIDTH + RTL + EMOJI + SEPARATORS))
            elif kind < 0.6 and chars:
                del chars[min(position, len(chars) - 1)]
            elif chars:
                chars.insert(position, chars[min(position, len(chars) - 1)])
        return "".join(chars)

    def long_text(self) -> str:
        """About 10 kB: one repeated piece, or many mixed ones."""
        rng = self.rng
        if rng.random() < 0.5:
            unit = rng.choice(self.words + KEYWORDS + SLACK + EMOJI) + rng.choice(SEPARATORS)
            return (unit * (10_000 // max(1, len(unit.encode())) + 1))[:10_000]
        out: list[str] = []
        size = 0
        pieces = self.pieces()
        while size < 10_000:
            piece = rng.choice(pieces)() + rng.choice(SEPARATORS)
            out.append(piece)
            size += len(piece.encode())
        return "".join(out)

    def one(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.02:
            return self.long_text()
        if roll < 0.04:
            return rng.choice(["", " ", "\n", "\u200b", "?", "<@UBOT>", "\x00", "\ufeff\u200f"])
        if roll < 0.25:
            phrase = " ".join(rng.choice(self.words + KEYWORDS + NUMBERS) for _ in range(3))
            return self.mutate(phrase)
        pieces = self.pieces()
        return "".join(
            rng.choice(pieces)() + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 12))
        )

    def many(self, count: int) -> list[str]:
        return [self.one() for _ in range(count)]


# --------------------------------------------------------------------------- results files

HEADER = COLUMNS[: COLUMNS.index("note") + 1]  # grades.csv before more_sources
KOREAN_HEADER = (
    "연도",
    "기관명",
    "시도",
    "기관유형",
    "평가군",
    "등급",
    "점수",
    "평균",
    "항목등급",
    "출처",
    "비고",
)
NEW_YEAR = 2026  # not in the bundled data, and not in the future


def base_rows() -> list[list[str]]:
    """Valid rows shaped like real ones: a new year (a draft) for agencies the bundled data
    knows, every column used once somewhere, plus a re-stated real row (unchanged)."""
    url = f"https://example.org/minwon/{NEW_YEAR}/results"
    real = next(r for r in bundled_rows() if r["year"] == "2024" and r["agency"] == "고성군")
    return [
        [str(NEW_YEAR), "김해시", "경남", "기초자치단체", "기초-시", "가", "", "", "", url, ""],
        [
            str(NEW_YEAR),
            "양산시",
            "경남",
            "기초자치단체",
            "기초-시",
            "나",
            "88.5",
            "84.1",
            "",
            url,
            "",
        ],
        [
            str(NEW_YEAR),
            "의령군",
            "경남",
            "기초자치단체",
            "기초-군",
            "다",
            "",
            "",
            "전략체계=다;제도운영=라;국민신문고=다;고충민원=다;만족도=가",
            url,
            '비고, 쉼표 "인용"',
        ],
        [str(NEW_YEAR), "병무청", "", "중앙행정기관", "중앙", "라", "", "", "", url, ""],
        [str(NEW_YEAR), "부산광역시", "부산", "광역자치단체", "광역", "마", "", "", "", url, ""],
        [real[column] for column in HEADER],
    ]


def csv_bytes(
    rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER, *, encoding: str = "utf-8"
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for values in rows:
        sheet.append([int(v) if isinstance(v, str) and v.isdigit() else v for v in values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Mangled:
    label: str  # what was done, to name a failure
    name: str  # file name (its extension picks the reader)
    data: bytes


class FileMangler:
    """Many ways to break a results file; each call returns a new mangled file."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.rows = base_rows()

    # -- CSV

    def _columns(self) -> tuple[list[str], list[list[str]], str]:
        """The table with its columns dropped, doubled, reordered or relabelled."""
        rng = self.rng
        header, rows = list(HEADER), [list(r) for r in self.rows]
        kind = rng.choice(
            ["drop", "duplicate", "shuffle-header", "shuffle-both", "korean", "blank"]
        )
        index = rng.randrange(len(header))
        if kind == "drop":
            header.pop(index)
            rows = [r[:index] + r[index + 1 :] for r in rows]
        elif kind == "duplicate":
            header.insert(index, header[index])
            rows = [r[:index] + [r[index]] + r[index:] for r in rows]
        elif kind == "shuffle-header":
            rng.shuffle(header)  # the cells stay where they were: every column is wrong
        elif kind == "shuffle-both":
            order = list(range(len(header)))
            rng.shuffle(order)
            header = [header[i] for i in order]
            rows = [[r[i] for i in order] for r in rows]
        elif kind == "korean":
            header = list(KOREAN_HEADER)
        else:
            header[index] = ""
        return header, rows, kind

    def csv_file(self) -> Mangled:
        rng = self.rng
        data = csv_bytes(self.rows)
        op = rng.choice(
            [
                "truncate",
                "flip",
                "columns",
                "nul",
                "bom",
                "encoding",
                "quote",
                "row-edit",
                "lines",
                "insert-bytes",
            ]
        )
        if op == "truncate":
            cut = rng.randint(0, len(data))
            return Mangled(f"csv truncated at {cut}", "results.csv", data[:cut])
        if op == "flip":
            label, flipped = self._flip(data, "csv")
            return Mangled(label, "results.csv", flipped)
        if op == "columns":
            header, rows, kind = self._columns()
            return Mangled(f"csv columns {kind}", "results.csv", csv_bytes(rows, header))
        if op == "nul":
            at = rng.randint(0, len(data))
            return Mangled(f"csv NUL at {at}", "results.csv", data[:at] + b"\x00" + data[at:])
        if op == "bom":
            at = rng.randint(1, len(data))
            bom = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])
            return Mangled(f"csv BOM {bom!r} at {at}", "results.csv", data[:at] + bom + data[at:])
        if op == "encoding":
            encoding = rng.choice(
                ["cp949", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "euc-kr", "iso2022_kr"]
            )
            try:
                encoded = csv_bytes(self.rows, encoding=encoding)
            except UnicodeEncodeError:
                encoded = csv_bytes(self.rows).decode().encode(encoding, errors="replace")
            return Mangled(f"csv as {encoding}", "results.csv", encoded)
        if op == "quote":
            at = rng.randint(0, len(data))
            return Mangled(f"csv stray quote at {at}", "results.csv", data[:at] + b'"' + data[at:])
        if op == "row-edit":
            return self._row_edit()
        if op == "lines":
            lines = data.split(b"\r\n")
            action = rng.choice(["shuffle", "double", "drop-header", "cr-only", "blank"])
            if action == "shuffle":
                rng.shuffle(lines)
            elif action == "double":
                lines = lines + lines[1:]
            elif action == "drop-header":
                lines = lines[1:]
            elif action == "blank":
                lines.insert(rng.randint(0, len(lines)), b"")
            joined = (b"\r" if action == "cr-only" else b"\r\n").join(lines)
            return Mangled(f"csv lines {action}", "results.csv", joined)
        at = rng.randint(0, len(data))
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        return Mangled(
            f"csv {junk!r} inserted at {at}", "results.csv", data[:at] + junk + data[at:]
        )

    def _row_edit(self) -> Mangled:
        """One cell replaced by something odd: the file is well formed, the value is not."""
        rng = self.rng
        rows = [list(r) for r in self.rows]
        row, column = rng.randrange(len(rows)), rng.randrange(len(HEADER))
        value = rng.choice(
            [
                "",
                " ",
                "\u200b",
                "2025.5",
                "１２",
                "nan",
                "inf",
                "-1",
                "1e400",
                "가나",
                "S",
                "NULL",
                "'; DROP TABLE results;--",
                "x" * 5000,
                "🙂",
                "\t",
                "２０２５",
                "2025년",
                "http://",
                "경남,부산",
                "=1+1",
                "\ufeff2025",
                "2025\x00",
            ]
        )
        rows[row][column] = value
        if rng.random() < 0.3:  # an extra cell past the header
            rows[row].append("extra")
        label = f"csv row {row + 2} {HEADER[column]}={value[:20]!r}"
        return Mangled(label, "results.csv", csv_bytes(rows))

    def _flip(self, data: bytes, kind: str) -> tuple[str, bytes]:
        rng = self.rng
        mutable = bytearray(data)
        spots = sorted(rng.randrange(len(mutable)) for _ in range(rng.randint(1, 12)))
        for spot in spots:
            mutable[spot] ^= 1 << rng.randrange(8)
        return f"{kind} bits flipped at {spots}", bytes(mutable)

    # -- XLSX

    def xlsx_file(self) -> Mangled:
        rng = self.rng
        data = xlsx_bytes(self.rows)
        op = rng.choice(["truncate", "flip", "entry", "columns", "cells", "as-csv"])
        if op == "truncate":
            cut = rng.randint(0, len(data))
            return Mangled(f"xlsx truncated at {cut}", "results.xlsx", data[:cut])
        if op == "flip":
            label, flipped = self._flip(data, "xlsx")
            return Mangled(label, "results.xlsx", flipped)
        if op == "entry":
            return self._xlsx_entry(data)
        if op == "columns":
            header, rows, kind = self._columns()
            return Mangled(f"xlsx columns {kind}", "results.xlsx", xlsx_bytes(rows, header))
        if op == "cells":
            rows = [list(r) for r in self.rows]
            row, column = rng.randrange(len(rows)), rng.randrange(len(HEADER))
            odd: object = rng.choice([3.75, -1, 10**20, True, None, "=A1", "#N/A", 2025.0])
            rows[row][column] = odd  # type: ignore[call-overload]
            return Mangled(
                f"xlsx cell row {row + 2} {HEADER[column]}={odd!r}",
                "results.xlsx",
                xlsx_bytes(rows),
            )
        return Mangled("csv bytes named .xlsx", "results.xlsx", csv_bytes(self.rows))

    def _xlsx_entry(self, data: bytes) -> Mangled:
        """One zip entry removed, emptied, or replaced with broken XML."""
        rng = self.rng
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = {info.filename: archive.read(info) for info in archive.infolist()}
        target = rng.choice(sorted(entries))
        action = rng.choice(["remove", "empty", "garbage", "truncate-xml", "bad-index"])
        if action == "remove":
            del entries[target]
        elif action == "empty":
            entries[target] = b""
        elif action == "garbage":
            entries[target] = bytes(rng.randrange(256) for _ in range(64))
        elif action == "truncate-xml":
            entries[target] = entries[target][: rng.randint(0, len(entries[target]))]
        else:  # a cell pointing past the shared strings, or at a style that does not exist
            entries[target] = (
                entries[target].replace(b"<v>1</v>", b"<v>99999</v>").replace(b' s="1"', b' s="99"')
            )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in entries.items():
                archive.writestr(name, content)
        return Mangled(f"xlsx entry {target} {action}", "results.xlsx", out.getvalue())

    def one(self) -> Mangled:
        return self.csv_file() if self.rng.random() < 0.65 else self.xlsx_file()

    def targeted(self) -> list[Mangled]:
        """Hand-picked breakages next to the random ones: degenerate files and cells at
        the edge of what validation lets through."""
        rows = [list(r) for r in self.rows]

        def edit(label: str, row: int, column: str, value: str) -> Mangled:
            edited = [list(r) for r in rows]
            edited[row][HEADER.index(column)] = value
            return Mangled(label, "results.csv", csv_bytes(edited))

        out = [
            Mangled("empty file", "results.csv", b""),
            Mangled("whitespace only", "results.csv", b" \r\n\t\r\n"),
            Mangled("BOM only", "results.csv", b"\xef\xbb\xbf"),
            Mangled("header only", "results.csv", csv_bytes([])),
            Mangled("empty .xlsx", "results.xlsx", b""),
            Mangled("zip without a workbook", "results.xlsx", _zip({"readme.txt": b"hi"})),
            Mangled("xlsx bytes named .csv", "results.csv", xlsx_bytes(rows)),
            Mangled("every row twice", "results.csv", csv_bytes(rows + rows)),
            Mangled("utf-16 with BOM", "results.csv", csv_bytes(rows, encoding="utf-16")),
            edit("100 kB note", 0, "note", "비고 " * 25_000),
            edit("5 kB source URL", 1, "source_url", "https://example.org/" + "x" * 5000),
            edit("zero-width in a name", 1, "agency", "양\u200b산시"),
            edit("full-width digits in the year", 0, "year", "２０２５"),
        ]
        return out


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


# --------------------------------------------------------------------------- database
