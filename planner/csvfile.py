"""Reading a CSV file as spreadsheets write it, for both importers (posts and figures).

The encoding is decided for the whole file, in this order (``--encoding`` names it instead):

1. UTF-8, with or without a byte order mark (Excel's "CSV UTF-8"), when every byte of the
   file is UTF-8;
2. UTF-16, when the file starts with its byte order mark (Excel's "Unicode Text", which
   separates cells with tabs);
3. Windows-1252 (Excel's "CSV (Comma delimited)" on a Western Windows), when every byte is
   one of its characters: the five bytes it leaves undefined are refused with their line.

A file that is UTF-8 in places and not in others (a row pasted from another program) is
refused with the line that is not: read either way, some of its text would be mojibake. So is
a file with a NUL character (UTF-16 without its byte order mark reads so).

Comma, semicolon (Excel with European settings) or tab, whichever the first line uses most;
strict quoting, so an unclosed quote is an error rather than a swallowed file; ``csv``'s own
errors become one message naming the line the bad record starts on.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

MAX_CELL = 128 * 1024  # csv's own field limit: no cell of a plan's CSV is this long
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# What UTF-8 makes of the letters, quotes, dashes, € and emoji of real text; read as
# Windows-1252 each becomes mojibake (é as Ã©, ’ as â€™). Windows-1252 text almost never
# holds these pairs: a capital letter or ß right before a symbol, as in „Fuß“, is the rare one.
_UTF8_CHARACTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


class UnreadableCsv(ValueError):
    """The file is not CSV as far as a line: an unclosed quote, a huge cell, a stray CR."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line  # the line the unreadable record starts on


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str | None]:
    """The text of a CSV file's bytes, without a byte order mark, and the encoding it was found
    in when that is not UTF-8 (None when it is, or when ``encoding`` named it).

    :class:`ValueError` says in one line, with the line at fault, why the bytes are not text.
    """
    if encoding is not None:
        return _decoded(data, encoding, f"{encoding} text (is --encoding right?)"), None
    try:
        return _checked(data.decode("utf-8-sig")), None
    except UnicodeDecodeError as error:
        first_not_utf8 = error.start
    if data.startswith(UTF16_BOMS):
        return _decoded(data, "utf-16", "UTF-16 text, though it starts as UTF-16 does"), "UTF-16"
    if _UTF8_CHARACTER.search(data):
        raise ValueError(
            f"line {_line(data, first_not_utf8, 'utf-8')} is not UTF-8 text, though other lines are; "
            "save the file as UTF-8, or name its encoding with --encoding"
        )
    return _decoded(data, "cp1252", "text in UTF-8 or Windows-1252; name its encoding with --encoding"), "Windows-1252"


def _decoded(data: bytes, encoding: str, what: str) -> str:
    try:
        return _checked(data.decode(encoding).removeprefix("\ufeff"))
    except UnicodeDecodeError as error:
        byte = data[error.start : error.start + 1].hex()
        raise ValueError(f"line {_line(data, error.start, encoding)} has the byte 0x{byte}, which is not {what}") from None


def _checked(text: str) -> str:
    """``text``, unless it holds a NUL: no CSV does, and UTF-16 read as UTF-8 is full of them."""
    if (position := text.find("\x00")) >= 0:
        line = text.count("\n", 0, position) + 1
        raise ValueError(f"line {line} holds a NUL character; if the file is UTF-16 without a byte order mark, pass --encoding utf-16-le")
    return text


def _line(data: bytes, position: int, encoding: str) -> int:
    """The line (from 1) that byte ``position`` is on."""
    return data[:position].decode(encoding, errors="replace").count("\n") + 1


def read_records(text: str) -> list[tuple[int, list[str]]]:
    """Every record of ``text`` with the line it starts on (from 1); :class:`UnreadableCsv` if
    the text is not CSV."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect=sniff_dialect(text), strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for record in reader:
            records.append((line, record))
            line = reader.line_num + 1
    except csv.Error as error:
        if "end of data" in str(error):
            raise UnreadableCsv(line, "a quoted cell starting in this row is never closed") from None
        if "field limit" in str(error):
            raise UnreadableCsv(line, f"a cell holds over {MAX_CELL // 1024} KiB of text") from None
        raise UnreadableCsv(line, f"not a valid CSV row: {error}") from None
    return records


def sniff_dialect(text: str) -> type[csv.Dialect]:
    """Comma, semicolon or tab, whichever the first line uses most (comma if none)."""
    first = text.split("\n", 1)[0]
    counts = {delimiter: first.count(delimiter) for delimiter in ",;\t"}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","

    class Sniffed(csv.excel):
        pass

    Sniffed.delimiter = delimiter
    return Sniffed
