"""The layout ARCHITECTURE.md promises, checked on the source: imports run down the floors
(bot → handlers → answers → storage → scoring → domain), so handlers never reach storage
and the scoring engine never reads storage; only bot/ and handlers/ speak Slack, and no
package has an import cycle inside it."""

from __future__ import annotations

import pytest
from layers import PACKAGES, allowed_below, cycles, imported, modules_of, package_graph

SLACK = ("slack_bolt", "slack_sdk")


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


@pytest.mark.parametrize("package", ["answers", "storage", "scoring", "domain"])
def test_only_the_upper_floors_speak_slack(package: str) -> None:
    for name, path in modules_of(package).items():
        slack = {n for n in imported(path) if n.split(".")[0] in SLACK}
        assert not slack, f"{name} imports {sorted(slack)}"


def test_domain_imports_nothing_of_ours() -> None:
    for name, path in modules_of("domain").items():
        assert _ours(imported(path)) <= {"domain"}, name


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle_inside_a_package(package: str) -> None:
    graph = package_graph(package)
    assert len(graph) > 1
    assert cycles(graph) == []


def test_handlers_reach_the_database_only_through_answers_and_their_deps() -> None:
    for name, path in modules_of("handlers").items():
        assert "storage" not in _ours(imported(path)), f"{name} imports storage"
