"""The layout ARCHITECTURE.md promises, checked on the source: imports run down the floors
(bot → handlers → slack_adapter → answers → storage → scoring → intake → domain), so
handlers never reach storage and the scoring engine never reads storage; only bot/,
handlers/ and the Slack adapter speak Slack (and only the adapter writes Block Kit);
storage/ is the database and nothing else; answers/ keeps a short plan of its own; no
package has an import cycle inside it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from layers import PACKAGES, ROOT, allowed_below, cycles, imported, modules_of, package_graph

SLACK = ("slack_bolt", "slack_sdk")
DATABASE = ("sqlalchemy", "alembic", "storage.db", "storage.models")
BLOCK_KIT_TYPES = {"section", "header", "actions", "context", "divider", "button", "mrkdwn",
                   "plain_text", "image", "input", "static_select", "external_select", "modal",
                   "home"}  # fmt: skip
# answers/' own plan, top to bottom: a module imports its own part and the levels below.
ANSWERS_PLAN: tuple[tuple[str, ...], ...] = (
    ("answers.service",),
    ("answers.operations",),  # what writes: subscriptions, admin loads and publishing
    ("answers.intents",),  # one module per intent, one dispatch
    ("answers.presentation", "answers.data"),  # wording, plain text, charts | the snapshot
    ("answers.understanding",),  # lexicon, reader, catalog, mentions, context
    ("answers.answer",),  # the values every level speaks: the Answer …
    ("answers.query",),  # … and the Query
)
MAX_ANSWERS_TOP_MODULES = 10


def _ours(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names} & set(PACKAGES)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_package_imports_a_floor_above_or_beside_it(package: str) -> None:
    wrong = {
        name: sorted(_ours(imported(path)) - allowed_below(package))
        for name, path in modules_of(package).items()
    }
    assert {name: found for name, found in wrong.items() if found} == {}


@pytest.mark.parametrize("package", ["answers", "storage", "scoring", "intake", "domain"])
def test_only_the_upper_floors_speak_slack(package: str) -> None:
    for name, path in modules_of(package).items():
        slack = {n for n in imported(path) if n.split(".")[0] in SLACK}
        assert not slack, f"{name} imports {sorted(slack)}"


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle_inside_a_package(package: str) -> None:
    graph = package_graph(package)
    assert len(graph) > 1
    assert cycles(graph) == []


def test_handlers_reach_the_database_only_through_answers_and_their_deps() -> None:
    for name, path in modules_of("handlers").items():
        assert "storage" not in _ours(imported(path)), f"{name} imports storage"


def test_bot_registers_handlers_through_the_package_face_only() -> None:
    for name, path in modules_of("bot").items():
        inner = {n for n in imported(path) if n.startswith("handlers.")}
        face = {
            f"handlers.{n}" for n in ("register_handlers", "HandlerDeps", "AdminDirectory", "Claim")
        }
        assert inner <= face, f"{name} imports {sorted(inner - face)}"


def test_every_storage_module_speaks_to_the_database() -> None:
    for name, path in modules_of("storage").items():
        if path.name == "__init__.py" and not path.read_text(encoding="utf-8").strip('"\n '):
            continue
        if name in ("storage", "storage.bundled"):  # package markers
            continue
        found = imported(path)
        assert any(n.startswith(DATABASE) for n in found), f"{name} holds no database code"


def test_intake_reads_files_without_a_database() -> None:
    for name, path in modules_of("intake").items():
        found = {n for n in imported(path) if n.startswith(DATABASE)}
        assert not found, f"{name} imports {sorted(found)}"


def _block_kit_literals(path: Path) -> list[str]:
    """Dict literals shaped like Block Kit: {"type": "section", …}."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "type"
                    and isinstance(value, ast.Constant)
                    and value.value in BLOCK_KIT_TYPES
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {value.value}")
    return found


def test_the_block_kit_finder_finds_a_block(tmp_path: Path) -> None:
    sample = ROOT / "slack_adapter" / "blocks.py"
    assert _block_kit_literals(sample)


@pytest.mark.parametrize("package", ["answers", "handlers", "bot", "storage"])
def test_only_the_slack_adapter_writes_block_kit(package: str) -> None:
    found = [hit for path in modules_of(package).values() for hit in _block_kit_literals(path)]
    assert found == []


def test_answers_top_level_stays_short() -> None:
    top = [p for p in (ROOT / "answers").glob("*.py") if p.name != "__init__.py"]
    assert len(top) <= MAX_ANSWERS_TOP_MODULES, sorted(p.name for p in top)


def _plan_level(module: str) -> int:
    for index, level in enumerate(ANSWERS_PLAN):
        if any(module == part or module.startswith(f"{part}.") for part in level):
            return index
    raise AssertionError(f"{module} is on no level of answers/' plan")


def test_answers_follows_its_inner_plan() -> None:
    modules = modules_of("answers")
    wrong = []
    for name, path in modules.items():
        if name in ("answers", *(f"{part}" for level in ANSWERS_PLAN for part in level)) and (
            path.name == "__init__.py" and not path.read_text(encoding="utf-8").strip('"\n ')
        ):
            continue
        if name == "answers":
            continue
        mine = _plan_level(name)
        for target in imported(path) & set(modules):
            if target == "answers" or target.split(".")[:2] == name.split(".")[:2]:
                continue
            if _plan_level(target) <= mine:  # beside or above
                wrong.append(f"{name} -> {target}")
    assert wrong == []
