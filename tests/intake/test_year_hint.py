"""Whether a file's grades fit another stored year far better than the year it names (the
2025 table titled 2024): only for a near-copy of that year, never for grades that merely
stay from one year to the next."""

from __future__ import annotations

from intake.reports import better_year


def test_a_year_is_called_better_only_for_a_near_copy_of_it() -> None:
    copy, sticky = [True] * 38, [True] * 20 + [False] * 18
    found = better_year(2024, [True] * 12 + [False] * 18, {2025: copy, 2023: sticky})
    assert found is not None and (found.best, found.best_same, found.best_compared) == (
        2025,
        38,
        38,
    )
    assert better_year(2026, [], {2025: sticky}) is None  # a new year, grades merely sticky
    assert better_year(2026, [], {2025: [True] * 9}) is None  # too few to say
    assert better_year(2025, copy, {2024: copy}) is None  # the named year fits as well
