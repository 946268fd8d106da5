"""A sheet of an .xlsx workbook as rows of text, the text a CSV of the sheet would hold.

Cells become the text the CSV path reads (``planner/written_times.py`` reads the times):

- a date or time as ISO text showing what the cell's number format shows: ``2027-01-19``,
  ``08:30``, ``2027-01-19 08:30`` (with seconds when there are some), so a workbook never
  raises the question of day/month order;
- a number written plainly with Excel's 15 significant digits, so binary noise is gone:
  ``0.06``, not 0.060000000000000005; ``1250``, not 1250.0; a percentage is its value
  (6 % is ``0.06``);
- TRUE and FALSE, and an error value as Excel shows it (``#N/A``);
- a formula as the value Excel saved with it. A formula without one (a workbook written by a
  program, such as openpyxl or XlsxWriter, and never opened in Excel) is refused with its cell;
- a merged cell's value fills each row of the range in its first column (a date merged down
  over a day's posts is each post's date); the other columns it spans are empty.

Before openpyxl reads anything, the package is surveyed in one streaming pass that holds no
more than one element's text in memory (openpyxl's read-only mode alone streams the rows but
not a row's cells, the styles or the shared strings: a 66 KB file with one row of 16 million
empty cells took it 5 GB). The limits are Excel's own where it has them: the parts unpack to at
most 256 MiB; cells and shared strings take at most 5 million XML elements, everything else
(styles, links, formats) 250,000; a row holds at most 16,384 cells, a sheet 1,048,576 rows, an
element 128 KiB of text; no part has a DTD (entities are how XML multiplies itself), and no
tag is long enough to make expat slow (see :class:`_Markup`).
"""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from planner.csvfile import MAX_CELL
from planner.errors import did_you_mean

MiB = 1024 * 1024
MAX_UNPACKED = 256 * MiB
MAX_DIRECTORY = 1 * MiB  # the zip's list of parts: a workbook's takes a few KiB
MAX_CONTENT_ELEMENTS = 5_000_000  # cells, their values, shared strings
MAX_OTHER_ELEMENTS = 250_000  # styles, hyperlinks, formats, relationships: openpyxl keeps each as an object
MAX_ROWS = 1_048_576  # Excel's last row
MAX_COLUMNS = 16_384  # Excel's last column, XFD
MAX_ROW_ELEMENTS = 4 * MAX_COLUMNS  # openpyxl builds a whole row in memory: a cell, its value, its string
MAX_CELLS = 5_000_000  # the cells read from a sheet, each row counted to its last cell, merged ranges filled
CONTENT = ("sheetData", "sst")  # the elements whose insides are cells and strings


class UnreadableWorkbook(ValueError):
    """A workbook that cannot be read, or a sheet of it; the message is one line for people."""


@dataclass
class _SheetNotes:
    """What the survey saw of one worksheet part that openpyxl's read-only mode does not say."""

    merges: list[str] = field(default_factory=list)  # merged ranges, "A2:A4"
    first_formula: str | None = None  # the first formula cell, "C7"
    uncalculated: str | None = None  # the first formula cell saved without its value


@dataclass(frozen=True)
class Sheet:
    name: str
    records: list[tuple[int, list[str]]]  # the rows that have cells, with their number
    sheets: int  # how many sheets the workbook has


def read_sheet(data: bytes, name: str | None = None) -> Sheet:
    """The rows of the sheet called ``name``, or of the first visible one; :class:`UnreadableWorkbook` if not."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about what it drops (validations, styles): values need none of it
        try:
            return _read(data, name)
        except (UnreadableWorkbook, MemoryError):  # within the limits no workbook runs out of memory: if one does, say so
            raise
        except Exception as error:  # zipfile or openpyxl on a damaged or hostile package: it is no workbook they read
            raise UnreadableWorkbook(f"not an .xlsx workbook openpyxl can read ({_first_line(error)})") from None


def _read(data: bytes, name: str | None) -> Sheet:
    import openpyxl

    survey = _survey(data)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        sheet = _chosen(workbook, name)
        sheet_notes = survey.sheets.get(sheet._worksheet_path, _SheetNotes())  # the part openpyxl reads the sheet from
        if formula := sheet_notes.first_formula if survey.recalculate else sheet_notes.uncalculated:
            raise UnreadableWorkbook(f"{sheet.title}!{formula} is a formula Excel never calculated; open and save the file in Excel")
        rows = _rows(sheet)
    finally:
        workbook.close()
    _fill_merges(rows, sheet_notes.merges, sheet.title)
    return Sheet(sheet.title, sorted(rows.items()), len(workbook.sheetnames))


def _chosen(workbook, name: str | None):
    if name is None:
        sheets = workbook.worksheets
        if not sheets:
            raise UnreadableWorkbook("it has no sheet of cells")
        return next((sheet for sheet in sheets if sheet.sheet_state == "visible"), sheets[0])
    if name not in workbook.sheetnames:
        names = workbook.sheetnames
        raise UnreadableWorkbook(f"it has no sheet {name!r}" + (did_you_mean(name, names) or f"; its sheets: {', '.join(names)}"))
    sheet = workbook[name]
    if sheet not in workbook.worksheets:
        raise UnreadableWorkbook(f"sheet {name!r} is a chart, not cells")
    return sheet


def _rows(sheet) -> dict[int, list[str]]:
    """Row number -> the row's cells as text, up to its last cell that holds something."""
    sheet.reset_dimensions()  # a sheet's declared size may be a lie: read the rows it has
    rows = {}
    spanned = 0
    for number, row in enumerate(sheet.iter_rows(), start=1):  # an empty row for each one the sheet leaves out
        spanned += len(row)  # openpyxl fills a row's cells up to its last: count them before reading them
        if spanned > MAX_CELLS:
            raise _too_many_cells(sheet.title)
        cells = [_text(cell) for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows[number] = cells
    return rows


def _too_many_cells(sheet: str) -> UnreadableWorkbook:
    return UnreadableWorkbook(f"sheet {sheet!r} spans over {MAX_CELLS:,} cells (each row counted to its last cell); save it as CSV")


def _fill_merges(rows: dict[int, list[str]], merges: list[str], sheet: str) -> None:
    """A merged range's value (in its top-left cell) in each row of the range, in its first column."""
    from openpyxl.utils.cell import range_boundaries

    last_row = max(rows, default=0)
    spanned = sum(len(cells) for cells in rows.values())
    for merge in merges:  # each a range of cells: openpyxl refused the sheet while reading its rows if not
        first_column, first_row, _, end_row = range_boundaries(merge)
        top = rows.get(first_row, [])
        value = top[first_column - 1] if first_column <= len(top) else ""
        for number in range(first_row + 1, min(end_row, last_row) + 1) if value else ():
            cells = rows.setdefault(number, [])
            spanned += max(first_column - len(cells), 1)  # the cells it adds to the row, or the one it fills
            if spanned > MAX_CELLS:
                raise _too_many_cells(sheet)
            cells.extend([""] * (first_column - len(cells)))
            cells[first_column - 1] = value


def _text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, datetime):
        return _moment(value, cell.number_format)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return _clock(value)
    seconds = round(value.total_seconds())  # what is left is a duration, in a [h]:mm cell
    return f"{seconds // 3600}:{seconds // 60 % 60:02}" + (f":{seconds % 60:02}" if seconds % 60 else "")


def _number(value: float) -> str:
    """``value`` as Excel shows it in a General cell, without exponent: 15 significant digits."""
    if not math.isfinite(value):
        return str(value)  # no workbook Excel writes has one; the importers refuse "inf" as a figure
    shown = float(f"{value:.15g}")
    return str(int(shown)) if shown.is_integer() else format(Decimal(repr(shown)), "f")


def _moment(value: datetime, number_format: str) -> str:
    value = _to_the_second(value)
    shows_date, shows_time = _shows(number_format)
    if shows_date and not shows_time:
        return value.date().isoformat()
    if shows_time and not shows_date:
        return _clock(value.time())
    return f"{value.date().isoformat()} {_clock(value.time())}"


def _shows(number_format: str) -> tuple[bool, bool]:
    """Whether a number format shows a date, and a time of day. Excel's codes take any case
    (``DD/MM/YYYY``); quoted text, escaped characters and [colours] are no codes; ``m`` alone
    is a month, beside ``h`` or ``s`` minutes."""
    codes = re.sub(r'"[^"]*"|\\.|\[(?![hms]+\])[^\]]*\]', "", number_format.lower())
    shows_time = any(code in codes for code in "hs")
    return any(code in codes for code in "dy") or ("m" in codes and not shows_time), shows_time


def _clock(value: time) -> str:
    value = _to_the_second(datetime.combine(date(2000, 1, 1), value)).time()
    return f"{value:%H:%M:%S}" if value.second else f"{value:%H:%M}"


def _to_the_second(value: datetime) -> datetime:
    """openpyxl rounds a time to the millisecond: 08:29:59.999 is Excel's 08:30."""
    return (value + timedelta(microseconds=500_000)).replace(microsecond=0)


def _first_line(error: Exception) -> str:
    lines = str(error.args[0] if isinstance(error, KeyError) and error.args else error).strip().splitlines()  # a KeyError's str() quotes it
    return lines[0][:120] if lines else type(error).__name__


def _survey(data: bytes) -> "_Survey":
    """Every part of the package streamed once, within the limits."""
    _check_directory(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        unpacked = sum(part.file_size for part in parts)  # zipfile never unpacks more than a part says it holds
        if unpacked > MAX_UNPACKED:
            raise UnreadableWorkbook(f"it unpacks to {unpacked / MiB:.0f} MiB, over the {MAX_UNPACKED // MiB} MiB limit of an .xlsx")
        survey = _Survey()
        for part in parts:
            if part.filename.lower().endswith(".svg"):  # an image (a logo): openpyxl parses none, and _Part refuses a sheet there
                continue
            with archive.open(part) as source:
                if (sheet := _Part(part.filename, survey).read(source)) is not None:
                    survey.sheets[part.filename] = sheet
        return survey


def _check_directory(data: bytes) -> None:
    """Refuse a zip whose list of parts is longer than a workbook's, before zipfile reads it whole."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65_535))  # the end record: 22 bytes and a comment
    if end < 0:
        raise UnreadableWorkbook("not an .xlsx workbook: its zip archive is cut short")
    size = int.from_bytes(data[end + 12 : end + 16], "little")
    if size > MAX_DIRECTORY:
        raise UnreadableWorkbook(f"its zip archive lists parts in {size / MiB:.1f} MiB, more than a workbook needs")


@dataclass
class _Survey:
    """What the survey saw in all parts: the XML elements of content (cells, strings) and of the rest,
    the notes on each worksheet part by its path, and whether the workbook asks to be calculated
    when it is opened (openpyxl and XlsxWriter ask it: their formulas' values are none, or 0)."""

    content: int = 0
    other: int = 0
    sheets: dict[str, _SheetNotes] = field(default_factory=dict)
    recalculate: bool = False

    def count(self, in_content: bool) -> None:
        if in_content:
            self.content += 1
            if self.content > MAX_CONTENT_ELEMENTS:
                raise UnreadableWorkbook(f"its cells and strings take over {MAX_CONTENT_ELEMENTS:,} XML elements; save the sheet as CSV")
        else:
            self.other += 1
            if self.other > MAX_OTHER_ELEMENTS:
                raise UnreadableWorkbook(
                    f"it holds over {MAX_OTHER_ELEMENTS:,} XML elements besides its cells (styles, links, formats); save the sheet as CSV"
                )


class _Part:
    """One part read by the survey: where it is (the row and cell), and what it noted.

    Only the element being read is held: pyexpat calls back for each start, text and end.
    """

    def __init__(self, name: str, survey: _Survey):
        self.name, self.survey = name, survey
        self.sheet: _SheetNotes | None = None  # once a <sheetData> is seen: the part is a worksheet
        self.content_depth = 0  # >0 inside <sheetData> or <sst>
        self.row = self.column = self.row_cells = self.row_elements = 0
        self.cell: dict | None = None  # the cell being read: its reference, type, formula and value
        self.in_value = False
        self.text_length = 0

    def read(self, source) -> _SheetNotes | None:
        """The notes, if the part is a worksheet. A part that is not XML (an image) is passed over:
        openpyxl reads no such part, or fails on it as the survey did."""
        import pyexpat

        parser = pyexpat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        markup = _Markup(self.name)
        try:
            while chunk := source.read(64 * 1024):
                if not markup.check(chunk):
                    return None
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except pyexpat.ExpatError:
            return None
        return self.sheet

    def start(self, tag: str, attributes: dict) -> None:
        if len(tag) + sum(len(name) + len(value) for name, value in attributes.items()) > MAX_CELL:  # see _Markup
            raise UnreadableWorkbook(f"its part {self.name} holds an XML tag of over {MAX_CELL // 1024} KiB, more than a workbook has")
        tag = tag.rpartition(" ")[2]
        self.survey.count(self.content_depth > 0)
        if not self.content_depth or tag in ("row", "c", "si"):  # a cell's or a string's text is all its elements'
            self.text_length = 0
        if self.content_depth:
            self.content_depth += 1
            if self.sheet is not None:
                self._in_sheet_data(tag, attributes)
        elif tag in CONTENT:
            self.content_depth = 1
            if tag == "sheetData":
                self.sheet = self.sheet or _SheetNotes()
        elif tag == "mergeCell" and self.sheet is not None:
            self.sheet.merges.append(attributes.get("ref", ""))
        elif tag == "calcPr":
            self.survey.recalculate = attributes.get("fullCalcOnLoad") in ("1", "true")
        elif _svg_not_an_image(tag, attributes):
            raise UnreadableWorkbook(f"its part {self.name} makes an .svg part something else than an image")

    def _in_sheet_data(self, tag: str, attributes: dict) -> None:
        if tag == "row":
            self.row = _row_number(attributes.get("r"), self.row)
            self.column = self.row_cells = self.row_elements = 0
            return
        self.row_elements += 1
        if self.row_elements > MAX_ROW_ELEMENTS:
            raise UnreadableWorkbook(f"row {self.row} of {self.name} holds over {MAX_ROW_ELEMENTS:,} XML elements")
        if tag == "c":
            self.row_cells += 1
            if self.row_cells > MAX_COLUMNS:
                raise UnreadableWorkbook(f"row {self.row} of {self.name} has over {MAX_COLUMNS:,} cells, Excel's limit")
            reference = attributes.get("r")
            self.column = _column_number(reference, self.column, self.row)
            self.cell = {"r": reference, "t": attributes.get("t", "n"), "f": False, "v": None}
        elif tag == "f" and self.cell is not None:
            self.cell["f"] = True
        elif tag == "v" and self.cell is not None:
            self.cell["v"] = ""
            self.in_value = True

    def text(self, data: str) -> None:
        self.text_length += len(data)
        if self.text_length > MAX_CELL:
            raise UnreadableWorkbook(f"its part {self.name} holds a text of over {MAX_CELL // 1024} KiB, more than a cell takes")
        if self.in_value and data.strip():
            self.cell["v"] = "x"  # the value is not empty; what it is, openpyxl reads

    def end(self, tag: str) -> None:
        tag = tag.rpartition(" ")[2]
        if self.content_depth:
            self.content_depth -= 1
        if tag == "v":
            self.in_value = False
        elif tag == "c" and self.cell is not None:
            self._note_formula(self.cell)
            self.cell = None

    def _note_formula(self, cell: dict) -> None:
        if not cell["f"]:
            return
        from openpyxl.utils import get_column_letter

        reference = cell["r"] or f"{get_column_letter(self.column)}{self.row}"
        self.sheet.first_formula = self.sheet.first_formula or reference
        # a formula whose result is "" is saved with an empty string value (t="str"); any other empty value is none
        if self.sheet.uncalculated is None and (cell["v"] is None or (not cell["v"] and cell["t"] != "str")):
            self.sheet.uncalculated = reference


def _svg_not_an_image(tag: str, attributes: dict) -> bool:
    """A relationship or a content type that makes an .svg part (which the survey passes over) a sheet, strings, styles..."""
    if tag == "Relationship":
        return attributes.get("Target", "").lower().endswith(".svg") and not attributes.get("Type", "").endswith("/image")
    return tag == "Override" and attributes.get("PartName", "").lower().endswith(".svg") and attributes.get("ContentType") != "image/svg+xml"


class _Markup:
    """The bytes of a part, checked before expat reads them: Python's expat (before 2.6) reads a
    tag that comes in pieces in a time growing with the square of its length (a 16 MiB one took
    openpyxl 40 s), and holds all of it. So no part has "<!" (a comment, CDATA or a DTD: no
    workbook has them) nor "<?" but its XML declaration, and two "<" are at most 1 MiB apart:
    no tag, and no text, is longer."""

    MAX_GAP = 1 * MiB

    def __init__(self, name: str):
        self.name = name
        self.carried = b""  # the last byte of the previous chunk: "<" and "!" may come in two
        self.since = 0  # bytes since the last "<"
        self.declarations = None  # the "<?" a part may have: 1 if it starts with its declaration

    def check(self, chunk: bytes) -> bool:
        """False if the part is no XML (an image); refuses markup that could make expat slow."""
        if self.declarations is None:
            start = chunk.lstrip(b"\xef\xbb\xbf \t\r\n")
            if start[:1] != b"<":
                if start[:2] in (b"\xff\xfe", b"\xfe\xff") or start[1:2] == b"\x00":
                    raise UnreadableWorkbook(f"its part {self.name} is XML in UTF-16, which no workbook Excel writes has")
                return False
            self.declarations = 1 if start.startswith(b"<?") else 0
        joined = self.carried + chunk
        if b"<!" in joined:
            raise UnreadableWorkbook(f"its part {self.name} holds an XML comment, CDATA or DTD (<!), which no workbook has")
        self.declarations -= joined.count(b"<?")
        if self.declarations < 0:
            raise UnreadableWorkbook(f"its part {self.name} holds an XML processing instruction (<?), which no workbook has")
        first = chunk.find(b"<")
        if self.since + (first if first >= 0 else len(chunk)) > self.MAX_GAP:  # within a chunk of 64 KiB, no gap is
            raise UnreadableWorkbook(f"its part {self.name} holds an XML tag or text of over 1 MiB, more than a workbook has")
        self.since = self.since + len(chunk) if first < 0 else len(chunk) - chunk.rfind(b"<") - 1
        self.carried = chunk[-1:]
        return True


def _row_number(written: str | None, previous: int) -> int:
    """A row's number as its ``r`` says (else the one after the previous): after the previous, within Excel's rows.
    openpyxl would drop a row that comes out of order."""
    try:
        number = int(written) if written else previous + 1
    except ValueError:
        raise UnreadableWorkbook(f"a row's number {written[:20]!r} is not a number") from None
    if not previous < number <= MAX_ROWS:
        raise UnreadableWorkbook(f"row {number} comes after row {previous}" if number <= previous else f"row {number} is past Excel's last row, {MAX_ROWS:,}")
    return number


def _column_number(reference: str | None, previous: int, row: int) -> int:
    """A cell's column as its reference (``C7``) says, else the one after the previous cell's: after the
    previous, within Excel's columns. openpyxl would keep only the last of two cells in one place."""
    from openpyxl.utils import column_index_from_string

    if not reference:
        number = previous + 1
    else:
        try:
            number = column_index_from_string(reference.rstrip("0123456789"))
        except ValueError:
            raise UnreadableWorkbook(f"a cell's reference {reference[:20]!r} in row {row} is not a cell's") from None
    if not previous < number <= MAX_COLUMNS:
        raise UnreadableWorkbook(f"row {row} has two cells in one column, or a cell out of order" if number <= previous else f"row {row} has a cell past Excel's last column, XFD")
    return number
