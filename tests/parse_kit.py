"""The parser's tables of phrasings, written one way: ``case`` makes a row and
``check_parse`` reads it. Each agency argument of a row is one mention, its candidates'
labels joined by '|'; '*중구' means every agency of that name (a name many regions share).
Each table says which of the query's fields it checks and their value when a row is silent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from answers.query import Intent, Lang, Query
from answers.understanding.catalog import Catalog
from answers.understanding.parse import parse

PARAMS = ("text", "intent", "agencies", "lang", "fields")


def case(text: str, intent: Intent, *agencies: str, lang: Lang = Lang.KO, **fields: Any) -> Any:
    """One row of a table: the question, what it must be read as, and the fields to check."""
    return pytest.param(text, intent, agencies, lang, fields, id=repr(text)[:40])


def expected_labels(spec: str, catalog: Catalog) -> set[str]:
    """The labels one mention must offer: those written, or every agency of a shared name."""
    if spec.startswith("*"):
        labels = {a.label() for a in catalog.agencies.values() if a.name == spec[1:]}
        assert len(labels) >= 3, f"{spec}: the bundled data should hold many"
        return labels
    return set(spec.split("|"))


def check_parse(
    catalog: Catalog,
    text: str,
    intent: Intent,
    agencies: tuple[str, ...],
    lang: Lang,
    fields: dict[str, Any],
    *,
    checked: Mapping[str, Any],
    when_given: tuple[str, ...] = (),
) -> Query:
    """Parse ``text`` and assert the row: intent, language, each mention's candidates, every
    field of ``checked`` (the row's value, else the table's default) and the fields of
    ``when_given`` only where the row names them."""
    query = parse(text, catalog)
    got = [{catalog.agencies[i].label() for i in m.candidates} for m in query.agencies]
    assert (query.intent, query.lang) == (intent, lang), query
    assert got == [expected_labels(spec, catalog) for spec in agencies], query
    for name, default in checked.items():
        assert getattr(query, name) == fields.get(name, default), (name, query)
    for name in when_given:
        if name in fields:
            assert getattr(query, name) == fields[name], (name, query)
    unchecked = set(fields) - set(checked) - set(when_given)
    assert not unchecked, f"the row names fields the table does not check: {unchecked}"
    return query
