"""Text as the rules compare it: accents, case and punctuation folded away."""

from __future__ import annotations

import re
import string
import unicodedata

_WORD = re.compile(r"\w+")
# ASCII text, the common case: every character that is not a word character becomes a space
_ASCII_NOT_WORD = str.maketrans({chr(c): " " for c in range(128) if chr(c) not in string.ascii_letters + string.digits + "_"})


def count(number: int, word: str) -> str:
    """``1 slot``, ``2 slots``: a number and its noun."""
    return f"{number} {word}{'' if number == 1 else 's'}"


def fold(text: str) -> str:
    """Lower-case, accent-free text: "Kopi Terénak" -> "kopi terenak"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str) -> list[str]:
    """The folded words of a text, punctuation dropped."""
    if text.isascii():
        return text.translate(_ASCII_NOT_WORD).lower().split()
    return _WORD.findall(fold(text))


def term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching any of ``terms`` as whole words of folded text (longest first)."""
    folded = sorted({fold(term).strip() for term in terms if term.strip()}, key=len, reverse=True)
    if not folded:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(term) for term in folded) + r")(?!\w)")


def similarity(first: set[str], second: set[str]) -> float:
    """Jaccard similarity of two word sets: 1.0 for the same words, 0.0 for none in common."""
    if not first and not second:
        return 1.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)
