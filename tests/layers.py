"""The house's import graph, read from the source with ast (no module is imported): which of
our modules each module imports, wherever the import stands (inside functions and
TYPE_CHECKING blocks too), and the cycles in such a graph."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The floors, top to bottom: a package may import only the floors below it.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("bot",),
    ("handlers",),
    ("slack_adapter",),  # Slack's wire format: Answer -> Block Kit, posting, response_url
    ("answers",),
    ("storage",),  # storage loads frames and hands them to the engine
    ("scoring",),  # the engine computes on frames: nothing from storage
    ("intake",),  # reading operators' files: plain values out, no database
    ("domain",),
)
PACKAGES = tuple(package for floor in FLOORS for package in floor)


def imported(module: Path) -> set[str]:
    """Every module ``module`` imports; ``from storage import x`` counts as storage.x too."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def modules_of(package: str) -> dict[str, Path]:
    """``package.module`` -> its file, sub-packages included (migrations, bundled …)."""
    base = ROOT / package
    found: dict[str, Path] = {}
    for path in sorted(base.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def package_graph(package: str) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports."""
    modules = modules_of(package)
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


def allowed_below(package: str) -> set[str]:
    """The packages ``package`` may import: its own and every floor below its own."""
    index = next(i for i, floor in enumerate(FLOORS) if package in floor)
    below = {p for floor in FLOORS[index + 1 :] for p in floor}
    return below | {package}
