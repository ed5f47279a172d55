"""The charts' font: NanumGothic, found inside the installed koreanize-matplotlib package
*without importing it* (importing it rewrites matplotlib's global rcParams), registered once
and used through FontProperties; and the glyph check that keeps every drawn character out of
tofu boxes."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties


@cache
def font_path() -> Path:
    """NanumGothic.ttf inside the installed koreanize_matplotlib package (not imported)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "fonts" / "NanumGothic.ttf"
        if path.is_file():
            return path
    raise FileNotFoundError(
        "NanumGothic.ttf not found: install koreanize-matplotlib (it ships the chart font)"
    )


@cache
def bold_path() -> Path:
    bold = font_path().with_name("NanumGothicBold.ttf")
    return bold if bold.is_file() else font_path()


@cache
def family() -> str:
    """Register the fonts with matplotlib's font manager once; the family name to use."""
    for path in {font_path(), bold_path()}:
        font_manager.fontManager.addfont(str(path))
    return FontProperties(fname=font_path()).get_name()


@cache
def codepoints() -> frozenset[int]:
    """Characters every font the charts use can draw."""
    points: frozenset[int] | None = None
    for path in {font_path(), bold_path()}:
        font = TTFont(str(path), lazy=True)
        try:
            cmap = frozenset(font.getBestCmap() or {})
        finally:
            font.close()
        points = cmap if points is None else points & cmap
    return points or frozenset()


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` the chart font cannot draw (a line break is layout, not a glyph)."""
    points = codepoints()
    return {
        ch
        for ch in text
        if ch != "\n" and (unicodedata.category(ch) == "Cc" or ord(ch) not in points)
    }


def clean(text: object) -> str:
    """``text`` made drawable: NFKC look-alikes where they exist, '?' for a letter or digit
    the font lacks (so a name never silently loses a syllable), other symbols dropped."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", str(text)):
        if not missing_glyphs(ch):
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
        elif (alt := unicodedata.normalize("NFKC", ch)) != ch and alt and not missing_glyphs(alt):
            out.append(alt)
        elif unicodedata.category(ch)[0] in "LN":
            out.append("?")
        # else: emoji, pictographs, joiners, variation selectors, control characters
    return re.sub(r"[ \t]{2,}", " ", "".join(out)).strip()


def fp(size: float, *, bold: bool = False) -> FontProperties:
    return FontProperties(fname=bold_path() if bold else font_path(), size=size)
