"""A file of rows to import, a CSV or an .xlsx workbook, as the records both importers read.

``cadence import`` (posts) and ``cadence metrics import`` (figures) read every file through
:func:`read_table`, so that they never read a file in two ways. A workbook is told by its
content (a zip archive), whatever its name; anything else is a CSV in one of the encodings
Excel writes (see :mod:`planner.csvfile`) or the one ``--encoding`` names. Rows that hold
nothing are left out, so the header is the first row that holds something.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.csvfile import decode, read_records
from planner.planfile import UnreadableInput, read_bytes

ZIP = b"PK\x03\x04"
# What Excel shows, and writes to a CSV, for a formula that failed
EXCEL_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003, and an .xlsx saved with a password


@dataclass(frozen=True)
class Table:
    path: str
    records: list[tuple[int, list[str]]]  # (the line or the sheet's row it starts on, from 1; its cells)
    read_as: str | None = None  # how the file was read, to say on standard error: not plain UTF-8, or one sheet of several
    lettered: bool = False  # a sheet's columns are letters (A, B, ... AA), as Excel shows them

    @property
    def unit(self) -> str:
        """What a record's number counts: a sheet's rows, a CSV's lines."""
        return "row" if self.lettered else "line"

    def where(self, line: int, column: int) -> str:
        """``posts.csv:7:3``, or ``posts.xlsx:7:C`` for a sheet: the file, the line or row, the column."""
        if self.lettered:
            from openpyxl.utils import get_column_letter

            return f"{self.path}:{line}:{get_column_letter(column)}"
        return f"{self.path}:{line}:{column}"


def table_kind(path: str) -> str | None:
    """"a CSV" or "an .xlsx workbook" when the name says so, for telling arguments given the wrong way round."""
    name = path.lower()
    return "a CSV" if name.endswith((".csv", ".tsv")) else "an .xlsx workbook" if name.endswith(".xlsx") else None


def read_table(path: str, encoding: str | None = None, sheet: str | None = None) -> Table:
    """The rows of the file at ``path`` that hold something, each with its line or row.

    :class:`~planner.planfile.UnreadableInput` says in one line why the file cannot be read as a
    whole; :class:`~planner.csvfile.UnreadableCsv`, for a CSV, which line is no CSV.
    """
    try:
        data = read_bytes(path)
    except OSError as error:
        raise UnreadableInput(path, error.strerror or str(error)) from None
    if data.startswith(ZIP):
        if encoding is not None:
            raise UnreadableInput(path, "it is an .xlsx workbook, which names its own encoding; --encoding is for a CSV")
        return _workbook(path, data, sheet)
    if data.startswith(OLE):
        raise UnreadableInput(path, "it is an Excel 97-2003 workbook (.xls) or one with a password; save it as .xlsx (without a password) or as CSV")
    if path.lower().endswith(".xlsx"):
        raise UnreadableInput(path, "it is named .xlsx but is no workbook (an .xlsx is a zip archive)")
    if sheet is not None:
        raise UnreadableInput(path, "it is a CSV, and --sheet chooses a sheet of an .xlsx workbook")
    try:
        text, found = decode(data, encoding)
    except ValueError as error:
        raise UnreadableInput(path, str(error)) from None
    return Table(path, _holding_something(read_records(text)), f"read {path} as {found}" if found else None)


def _workbook(path: str, data: bytes, name: str | None) -> Table:
    from planner.xlsx import UnreadableWorkbook, read_sheet

    try:
        sheet = read_sheet(data, name)
    except UnreadableWorkbook as error:
        raise UnreadableInput(path, str(error)) from None
    several = name is None and sheet.sheets > 1
    read_as = f"read sheet {sheet.name!r} of {path}, which has {sheet.sheets} (--sheet NAME reads another)" if several else None
    return Table(path, _holding_something(sheet.records), read_as, lettered=True)


def _holding_something(records: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    return [(line, cells) for line, cells in records if any(cell.strip() for cell in cells)]
