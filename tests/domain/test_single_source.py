"""The evaluation's words are written down once, in domain/: no other package spells out a
table of groups, items, grades or romanized suffixes, nor an English name of a group, item
or grade band. Read from the source with ``ast`` (string literals only; docstrings and
comments may mention the words)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.grades import GA_MA_GRADES, GRADE_EN, SCALE_LEVELS, GradeScale
from domain.groups import GROUP_EN, GROUP_ORDER
from domain.items import ITEM_EN, ITEM_FULL_NAMES, ITEMS
from domain.text import LOCAL_SUFFIX_ROMAN

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "answers", "storage", "scoring")
TABLES: dict[str, frozenset[str]] = {
    "grading groups": frozenset(GROUP_ORDER),
    "items": frozenset(ITEMS),
    "item full names": frozenset(ITEM_FULL_NAMES.values()),
    "가–마 grades": frozenset(GA_MA_GRADES),
    "grade names": frozenset(name for _, name in SCALE_LEVELS[GradeScale.GA_MA]),
    "romanized suffixes": frozenset(LOCAL_SUFFIX_ROMAN.values()),
}
ENGLISH_NAMES = frozenset([*GROUP_EN.values(), *ITEM_EN.values(), *GRADE_EN.values()])
ENOUGH = 3  # three words of one table together are a copy of the table
# Other engineers' modules that still hold a copy while they move to domain/ (issue 10).
# Empty this as they land; a file listed here is not checked at all.
PENDING: dict[str, str] = {}


def _modules() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _strings(nodes: list[ast.expr | None]) -> set[str]:
    return {n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def copies(source: str) -> list[str]:
    """Every copy of the domain's words in one module's source, as 'line: what'."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        words: set[str] = set()
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            words = _strings(list(node.elts))
        elif isinstance(node, ast.Dict):
            words = _strings(list(node.keys)) | _strings(list(node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in docstrings:
                continue
            text = node.value
            found += [f"{node.lineno}: English name {name!r}" for name in _named(text)]
            words = {w for table in TABLES.values() for w in table if len(w) > 1 and w in text}
        for table, table_words in TABLES.items():
            if len(words & table_words) >= ENOUGH:
                found.append(f"{node.lineno}: {table} {sorted(words & table_words)}")
    return found


def _named(text: str) -> list[str]:
    """English names in a literal: a phrase anywhere, a single word only as the literal
    itself ('satisfaction' is also a word users type, e.g. in help's examples)."""
    return [name for name in ENGLISH_NAMES if (name in text if " " in name else name == text)]


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_copy_of_the_domains_words(path: Path) -> None:
    relative = str(path.relative_to(ROOT))
    if relative in PENDING:
        pytest.skip(f"pending move to domain/: {PENDING[relative]}")
    assert copies(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        'GROUPS = ("중앙", "광역", "교육청")',
        'EN = {"광역": "provinces & metropolitan cities"}',
        'ITEMS = ["전략체계", "제도운영", "만족도"]',
        'HINT = "items: 전략체계, 제도운영, 국민신문고"',
        'NAMES = {"가": "최우수", "나": "우수", "다": "보통"}',
        'SUFFIX = {"시": "si", "군": "gun", "구": "gu"}',
        'BAND = "top 10%"',
    ],
)
def test_the_check_finds_a_copy(source: str) -> None:
    assert copies(source)


def test_the_check_allows_single_words_and_docstrings() -> None:
    source = (
        '"""중앙, 광역, 교육청 and their groups."""\nEXAMPLE = "what if goseong satisfaction +5"\n'
    )
    assert copies(source) == []


def test_domain_imports_nothing_of_ours() -> None:
    ours = {*PACKAGES, "tests"}
    for path in sorted((ROOT / "domain").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:  # relative: domain itself
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in ours, f"{path.name} imports {name}"
