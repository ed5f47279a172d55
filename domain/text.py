"""The forms names are compared and romanized in: compact (NFKC, lower case, no spaces),
jamo (letters, sound-alike vowels folded) and Revised Romanization."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

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


# Each final consonant (종성, U+11A8…) as a compatibility letter, and the compound ones split
# into the final that stays and the letter that may begin the next syllable.
_FINAL_LETTERS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_COMPOUND_FINALS = {"ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ",
                    "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ",
                    "ㅄ": "ㅂㅅ"}  # fmt: skip


def _final_as_initial() -> dict[str, str]:
    """Final jamo -> what it becomes when the next vowel is typed: 곳 -> 고ㅅ, 닭 -> 달ㄱ."""
    table: dict[str, str] = {}
    for index, letter in enumerate(_FINAL_LETTERS):
        split = _COMPOUND_FINALS.get(letter, f" {letter}")
        stays = "" if split[0] == " " else chr(0x11A8 + _FINAL_LETTERS.index(split[0]))
        table[chr(0x11A8 + index)] = stays + unicodedata.normalize("NFKC", split[1])
    return table


_NEXT_INITIAL = _final_as_initial()


def typed_forms(text: str) -> tuple[str, ...]:
    """The jamo forms (see :func:`jamo`) a word typed so far may go on as. A Korean
    keyboard shows 고성 as 곳 on the way, its ㅅ still a final: so a prefix search also
    tries that last consonant as the next syllable's initial."""
    key = jamo(compact(text))
    moved = _NEXT_INITIAL.get(key[-1:]) if key else None
    return (key, key[:-1] + moved) if moved else (key,) if key else ()


@lru_cache(maxsize=16384)  # names recur: every row of a file, every question
def compact(text: str) -> str:
    """The form names are compared in: NFKC, lower case, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())


# --- particles (조사) chosen by the final sound of the word before them ---

# How a digit or a Latin letter ending a word is read: does its reading end in a consonant,
# and is that consonant ㄹ (which takes 로, not 으로)? 1 일, 3 삼, 6 육 ... ; L 엘, M 엠, N 엔, R 알.
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "3": "ㅁ", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ"}
_TENS_FINAL = {1: "ㅂ", 2: "ㄱ", 3: "ㄴ", 4: "ㄴ"}  # 십, 백, 천, 만
_LETTER_FINAL = {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "ㄹ"}
_RIEUL_FINAL = 8


def _final_sound(word: str) -> str:
    """'' when ``word`` is read ending in a vowel, 'ㄹ' for ㄹ, another consonant otherwise.
    Markup and closing punctuation after the word ('*고성군*', '‘중구’') are skipped."""
    text = unicodedata.normalize("NFKC", word).rstrip()
    end = len(text)
    while end and not text[end - 1].isalnum():
        end -= 1
    if not end:
        return ""
    last = text[end - 1]
    code = ord(last) - 0xAC00
    if 0 <= code < 11172:
        final = code % 28
        return "" if final == 0 else "ㄹ" if final == _RIEUL_FINAL else "ㄱ"
    if last.isdigit():
        digits = text[:end]
        zeros = len(digits) - len(digits.rstrip("0"))
        if last == "0" and zeros < len(digits):
            return _TENS_FINAL.get(min(zeros, 4), "ㄴ")
        return _DIGIT_FINAL.get(last, "")
    return _LETTER_FINAL.get(last.lower(), "")


def particle(word: str, pair: str) -> str:
    """The form of ``pair`` ('은/는', '이/가', '을/를', '과/와', '으로/로', '이나/나') that
    follows ``word``: the first after a consonant, the second after a vowel; 으로/로 also
    takes 로 after ㄹ (서울특별시로, 고성군으로, 2023년으로)."""
    after_consonant, after_vowel = pair.split("/")
    final = _final_sound(word)
    if not final or (final == "ㄹ" and after_consonant == "으로"):
        return after_vowel
    return after_consonant


def josa(word: str, pair: str) -> str:
    """``word`` followed by the right particle: josa('중구', '은/는') -> '중구는'."""
    return word + particle(word, pair)
