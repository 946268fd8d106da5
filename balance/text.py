"""Text as the rules compare it (accents, case and punctuation folded away), and plan text made
safe for the people and programs that read our output: :func:`printable` for every human format,
:func:`printable_json` for JSON, :func:`markdown` and :func:`markdown_code` for Markdown,
:func:`html_text` for HTML."""

from __future__ import annotations

import re
import string
import unicodedata
from html import escape
from typing import Callable

_WORD = re.compile(r"\w+")
_ASCII_WORD_CHARS = (string.ascii_letters + string.digits + "_").encode()
# ASCII text, the common case, as bytes (translated at C speed, unlike a str): every byte that
# is not a word character becomes a space, and upper case lower
_ASCII_FOLDED_WORDS = bytes((byte if byte in _ASCII_WORD_CHARS else 32) for byte in range(256)).lower()


def counted(number: int, noun: str) -> str:
    """``1 slot``, ``2 slots``: a number and its noun, plural unless the number is 1."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


# Characters a terminal or an editor obeys rather than shows: C0 and C1 controls, DEL, the line
# and paragraph separators, and the bidirectional controls of "Trojan Source" (CVE-2021-42574).
# (json.dumps escapes C0 itself, and outside strings C0 is JSON's whitespace: hence two parts)
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
# GitHub Actions runs a log line as a workflow command when it starts with "::" after any
# whitespace, or when it holds "##[" anywhere (the runner's older syntax, still parsed).
_UNPRINTABLE = re.compile(f"[\\x00-\\x1f{_BEYOND_C0}]|(?:^|(?<=\\s)):(?=:)|(?<=##)\\[")
_JSON_UNPRINTABLE = re.compile(f"[{_BEYOND_C0}]")
_SHOWN = {"\t": "\\t", "\n": "\\n", "\r": "\\r", ":": "\\:", "[": "\\["}


def _shown(match: re.Match) -> str:
    char = match.group()
    return _SHOWN.get(char) or (f"\\x{ord(char):02x}" if ord(char) <= 0xFF else f"\\u{ord(char):04x}")


def printable(text: str) -> str:
    """Plan text as a human format prints it: control characters shown as escapes (``\\n``,
    ``\\x1b``, ``\\u202e``), so the text is one line and cannot drive the terminal, and a
    backslash before the ``::`` a line could start with and the ``[`` of ``##[``, so GitHub
    Actions never reads it as a workflow command. Safe on a value or on a whole line."""
    if text.isprintable() and "::" not in text and "##[" not in text:  # the common case, at C speed
        return text
    return _UNPRINTABLE.sub(_shown, text)


def printable_json(text: str) -> str:
    """JSON text from ``json.dumps`` as safe to print as :func:`printable` text, and the same
    data to any JSON reader: the characters printable escapes, and the ``[`` of ``##[``, written
    ``\\uXXXX`` (outside strings JSON has none of them). No JSON line starts with ``::``, so a
    CI log that shows it runs no workflow command."""
    if not text.isprintable():  # False for every line break too: then look closer
        text = _JSON_UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    return text.replace("##[", "##\\u005b")


# Markdown that user text could start: emphasis, code, links and images, tables, headings,
# strikethrough, math, and raw HTML and entities (escaped as entities: & < >).
_MARKDOWN = re.compile(r"[\\`*_\[\]|#~$]|[&<>]|@(?=\w)")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "@&#8203;"}


def markdown(text: str) -> str:
    """Plan text as literal Markdown (CommonMark and GitHub's): printable, every character that
    could start inline markup escaped, HTML as entities, and a zero-width space after ``@`` (as
    Dependabot writes it) so that a name never mentions anyone. For inline places: a heading, a
    table cell, or after other words on a line; not where a block starts (``- x``, ``1. x``)."""
    return _MARKDOWN.sub(lambda match: _ENTITIES.get(match.group()) or "\\" + match.group(), printable(text))


def markdown_code(text: str, in_table: bool = False) -> str:
    """Plan text as a Markdown code span that survives backticks in it: the fence is one
    backtick longer than the longest run inside, padded with a space where the text starts or
    ends with a backtick or a space (CommonMark takes one off each side). ``in_table``: a ``|``
    is escaped (GFM splits cells before it reads code spans). Empty text is one space."""
    shown = printable(text)
    if in_table:
        shown = shown.replace("|", "\\|")
    if not shown:
        return "` `"
    fence = "`" * (max((len(run) for run in re.findall("`+", shown)), default=0) + 1)
    pad = " " if shown.strip(" ") and (shown[0] in "` " or shown[-1] in "` ") else ""  # all spaces: kept as they are
    return f"{fence}{pad}{shown}{pad}{fence}"


def html_text(text: str) -> str:
    """Plan text on an HTML page, in text or in a quoted attribute: printable, as every human
    format shows it (a page printed into a CI log runs nothing), then escaped, quotes too (no
    tag or attribute of the plan's renders)."""
    return escape(printable(text))


def fold(text: str) -> str:
    """Lower-case, accent-free text: "Kopi Terénak" -> "kopi terenak"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str) -> list[str]:
    """The folded words of a text, punctuation dropped."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLDED_WORDS).decode("ascii").split()
    return _WORD.findall(fold(text))


def term_finder(terms: tuple[str, ...]) -> Callable[[str], re.Match[str] | None] | None:
    """A function finding the first of ``terms`` as a whole word of folded text (longest first)."""
    folded = sorted({fold(term).strip() for term in terms if term.strip()}, key=len, reverse=True)
    if not folded:
        return None
    # the word character before is tested apart: a lookbehind first would keep re from
    # skipping ahead to the terms' first letters (15 times slower on a post without them)
    pattern = re.compile("(?:" + "|".join(re.escape(term) for term in folded) + r")(?!\w)")

    def first(text: str) -> re.Match[str] | None:
        found = pattern.search(text)
        while found and found.start() and _WORD.match(text, found.start() - 1):
            found = pattern.search(text, found.start() + 1)
        return found

    return first


def similarity(first: set[str], second: set[str]) -> float:
    """Jaccard similarity of two word sets: 1.0 for the same words, 0.0 for none in common."""
    if not first and not second:
        return 1.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)
