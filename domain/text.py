"""The forms names are compared and romanized in: compact (NFKC, lower case, no spaces),
jamo (letters, sound-alike vowels folded) and Revised Romanization."""

from __future__ import annotations

import unicodedata

LOCAL_SUFFIX_ROMAN = {"시": "si", "군": "gun", "구": "gu"}

# --- romanization (Revised Romanization, with the common assimilations) ---

_INITIALS = [
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
]
_VOWELS = [
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
]
_FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]  # fmt: skip


def _syllables(text: str) -> list[tuple[int, int, int] | str]:
    out: list[tuple[int, int, int] | str] = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append((code // 588, (code % 588) // 28, code % 28))
        else:
            out.append(ch)
    return out


def romanize(text: str) -> str:
    """Romanize Hangul the way road signs do: 고성 -> goseong, 강릉 -> gangneung."""
    parts = _syllables(text)
    out: list[str] = []
    for i, part in enumerate(parts):
        if isinstance(part, str):
            out.append(part)
            continue
        ini, vow, fin = part
        prev = parts[i - 1] if i else None
        initial = _INITIALS[ini]
        if ini == 5:  # ㄹ
            if isinstance(prev, tuple) and prev[2] in (4, 8):  # ㄴ/ㄹ + ㄹ -> ll
                initial = "l"
            elif isinstance(prev, tuple) and prev[2] in (16, 21, 1, 7, 17):
                initial = "n"
        out.append(
            initial + _VOWELS[vow] + _final(fin, parts[i + 1] if i + 1 < len(parts) else None)
        )
    return "".join(out)


def _final(fin: int, nxt: tuple[int, int, int] | str | None) -> str:
    final = _FINALS[fin]
    if not isinstance(nxt, tuple):
        return final
    ini = nxt[0]
    if ini in (2, 6):  # ㄴ, ㅁ: nasal assimilation
        final = {"k": "ng", "t": "n", "p": "m"}.get(final, final)
        if final == "l" and ini == 2:
            return "l"
    if ini == 5 and final == "n":  # ㄴ+ㄹ -> ll
        return "l"
    if ini == 11 and fin in (1, 8, 16, 17, 19):  # linking before a vowel
        return {1: "g", 8: "r", 16: "m", 17: "b", 19: "s"}[fin]
    return final


# Vowels that sound alike and are typed for one another (ㅔ/ㅐ, ㅖ/ㅒ, ㅚ/ㅙ/ㅞ).
_SOUND_ALIKE = str.maketrans(
    {"\u1166": "\u1162", "\u1168": "\u1164", "\u116c": "\u116b", "\u1170": "\u116b"}
)


def jamo(text: str) -> str:
    """Hangul decomposed into letters, sound-alike vowels folded, so a typo costs one letter
    and 김헤시 is nearer 김해시 than 김제시."""
    return unicodedata.normalize("NFD", text).translate(_SOUND_ALIKE)


def compact(text: str) -> str:
    """The form names are compared in: NFKC, lower case, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())
