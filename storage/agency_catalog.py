"""The bundled agency catalog (``bundled/agencies.csv``), read once per process.

The file is the one source of agency names; ``domain.agencies`` turns its rows into
identities and resolves names against them.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from domain.agencies import AgencyCatalog

CATALOG_FILE = "agencies.csv"


def catalog_text() -> str:
    return resources.files("storage.bundled").joinpath(CATALOG_FILE).read_text(encoding="utf-8")


def parse_catalog(text: str) -> AgencyCatalog:
    """A catalog from CSV text with the columns of ``agencies.csv``."""
    return AgencyCatalog.from_rows(csv.DictReader(io.StringIO(text, newline="")))


@cache
def agency_catalog() -> AgencyCatalog:
    """The bundled catalog, built on first use and shared afterwards."""
    return parse_catalog(catalog_text())
