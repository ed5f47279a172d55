"""The storage package's shape: no import cycle, nothing from the floors above, pure checks."""

from __future__ import annotations

import ast
from pathlib import Path

STORAGE = Path(__file__).resolve().parents[2] / "storage"
ABOVE = ("bot", "handlers", "answers", "slack_bolt", "slack_sdk")
PURE = ("validation", "score_cells", "records", "reports", "payloads")


def imported(module: Path) -> set[str]:
    """Every module ``module`` imports, wherever the import stands (functions and
    TYPE_CHECKING blocks included); ``from storage import x`` counts as storage.x."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def storage_graph() -> dict[str, set[str]]:
    modules = {f"storage.{path.stem}": path for path in STORAGE.glob("*.py")}
    return {name: (imported(path) & set(modules)) - {name} for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        state[node] = "done"
        path.pop()

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_storage_module_imports_another_that_imports_it_back() -> None:
    graph = storage_graph()
    assert {"storage.ingest", "storage.validation", "storage.alerts"} <= set(graph)
    assert cycles(graph) == []


def test_storage_imports_nothing_from_the_floors_above() -> None:
    offending = {
        path.name: sorted(name for name in imported(path) if name.split(".")[0] in ABOVE)
        for path in STORAGE.glob("*.py")
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_row_checks_reports_and_payloads_use_no_database_session() -> None:
    for stem in PURE:
        names = imported(STORAGE / f"{stem}.py")
        assert not [name for name in names if name.startswith("sqlalchemy")], stem
