"""Reading a CSV file as spreadsheets write it, for both importers (posts and figures).

Comma, semicolon (Excel with European settings) or tab, whichever the first line uses most;
strict quoting, so an unclosed quote is an error rather than a swallowed file; ``csv``'s own
errors become one message naming the line the bad record starts on.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

MAX_CELL = 128 * 1024  # csv's own field limit: no cell of a plan's CSV is this long


@dataclass(frozen=True)
class CsvProblem:
    line: int  # the line the unreadable record starts on
    message: str


def read_records(text: str) -> list[tuple[int, list[str]]] | CsvProblem:
    """Every record of ``text`` with the line it starts on (from 1), or why the file cannot be read."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect=sniff_dialect(text), strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for record in reader:
            records.append((line, record))
            line = reader.line_num + 1
    except csv.Error as error:
        if "end of data" in str(error):
            return CsvProblem(line, "a quoted cell starting in this row is never closed")
        if "field limit" in str(error):
            return CsvProblem(line, f"a cell holds over {MAX_CELL // 1024} KiB of text")
        return CsvProblem(line, f"not a valid CSV row: {error}")
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
