"""The bundled grades as the CSV states them, for answer tests that read every expected
grade, score and count off the file instead of typing it in."""

from __future__ import annotations

from importlib import resources

import pandas as pd
import pytest


@pytest.fixture(scope="session")
def grades() -> pd.DataFrame:
    """grades.csv as shipped, every column text but ``year``."""
    with resources.files("storage.bundled").joinpath("grades.csv").open("rb") as file:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    frame["year"] = frame["year"].astype(int)
    return frame


@pytest.fixture(scope="session")
def years(grades: pd.DataFrame) -> list[int]:
    """The evaluation years the bundled data holds, oldest first."""
    return sorted(set(grades.year))
