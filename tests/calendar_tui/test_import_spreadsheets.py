"""What Excel and people write, read by `cadence import` and `cadence metrics import`: CSV in
UTF-8, UTF-16 and Windows-1252, and .xlsx workbooks written by openpyxl (dates, times, numbers,
formulas with and without their values, merged cells, empty rows, several sheets). Hostile
workbooks are refused in one line, within a memory limit."""

from __future__ import annotations

import csv
import io
import re
import resource
import sqlite3
import subprocess
import sys
import zipfile
from datetime import date, datetime, time, timedelta

import openpyxl
import pytest
import tomli
from hypothesis import assume, given, settings, strategies as st

from planner.csvfile import decode
from planner.planfile import UnreadableInput
from planner.tabular import read_table
from planner.written_times import parse_written_time
from tests.conftest import ROOT, SAMPLES, run_cadence

# Indonesian and German words, the euro sign, curly quotes, dashes: what Windows-1252 holds
TITLES = ("Kopi Susu „Spezial“ für 3,50 €", "Grüße aus Jakarta – hari ini ‘promo’", "Straßenkaffee: Öffnungszeiten…")
EMOJI = "Kopi gula aren enak 🎉☕"  # only UTF-8 and UTF-16 hold it


def sample(tmp_path):
    plan = tmp_path / "kopi.toml"
    plan.write_bytes((SAMPLES / "kopi-senja.toml").read_bytes())
    return plan


def titles_in(plan) -> list[str]:
    return [post["title"] for post in tomli.loads(plan.read_text(encoding="utf-8-sig"))["post"]]


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)  # as Excel writes it
    return out.getvalue()


@pytest.mark.parametrize(
    "codec, delimiter, read_as",
    [
        ("utf-8", ",", None),
        ("utf-8-sig", ";", None),  # Excel's "CSV UTF-8", with European settings
        ("utf-16", "\t", "UTF-16"),  # Excel's "Unicode Text": little-endian with its byte order mark
        ("cp1252", ",", "Windows-1252"),  # Excel's "CSV (Comma delimited)"
    ],
)
def test_each_encoding_excel_writes_is_read_as_written_and_named(tmp_path, codec, delimiter, read_as):
    plan = sample(tmp_path)
    titles = [*TITLES, *([EMOJI] if codec != "cp1252" else [])]
    rows = [["at", "title"]] + [[f"2027-01-{12 + day} 08:30", title] for day, title in enumerate(titles)]
    source = tmp_path / "posts.csv"
    source.write_bytes(csv_text(rows, delimiter).encode(codec))
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (f"read {source} as {read_as}\n" if read_as else "")
    assert set(titles) <= set(titles_in(plan))  # every character as written: no mojibake


def test_bytes_that_are_no_text_in_the_encoding_are_refused_with_their_line(tmp_path):
    plan = sample(tmp_path)
    before = plan.read_bytes()
    head = csv_text([["at", "title"], ["2027-01-12 08:30", TITLES[0]]])
    cases = {
        # 0x81 is one of the five bytes Windows-1252 leaves undefined
        head.encode("cp1252") + b"2027-01-13 08:30,Bad \x81 byte\r\n": "line 3 has the byte 0x81, which is not text in UTF-8 or Windows-1252; name its encoding with --encoding",
        # a row pasted from another program: read as Windows-1252, line 2 would be mojibake
        head.encode("utf-8") + "2027-01-13 08:30,Grüße\r\n".encode("cp1252"): "line 3 is not UTF-8 text, though other lines are; save the file as UTF-8, or name its encoding with --encoding",
        head.encode("utf-16-le"): "line 1 holds a NUL character; if the file is UTF-16 without a byte order mark, pass --encoding utf-16-le",
    }
    source = tmp_path / "posts.csv"
    for content, reason in cases.items():
        source.write_bytes(content)
        result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
        assert (result.returncode, result.stderr, result.stdout) == (2, f"cadence: error: {source}: cannot be read: {reason}\n", "")
    assert plan.read_bytes() == before


def test_encoding_names_the_encoding_and_a_typo_gets_a_hint(tmp_path):
    plan = sample(tmp_path)
    source = tmp_path / "posts.csv"
    source.write_bytes(csv_text([["at", "title"], ["2027-01-12 08:30", "Café crème à la carte"]]).encode("mac-roman"))
    said = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip", "--encoding", "mac-roman")
    assert (said.returncode, said.stderr) == (0, "")  # told, not found: nothing to say
    assert "Café crème à la carte" in titles_in(plan)
    typo = run_cadence("import", str(source), str(plan), "--encoding", "cp-1252")
    assert typo.returncode == 2 and "argument --encoding: 'cp-1252' is not a text encoding; did you mean 'cp1252'?" in typo.stderr
    wrong = run_cadence("import", str(source), str(plan), "--encoding", "utf-8")
    assert wrong.stderr == f"cadence: error: {source}: cannot be read: line 2 has the byte 0x8e, which is not utf-8 text (is --encoding right?)\n"


def test_figures_in_excels_unicode_text_go_into_the_store(tmp_path):
    plan = sample(tmp_path)
    figures = tmp_path / "figures.txt"
    figures.write_bytes(csv_text([["channel", "day", "metric", "value"], ["instagram", "2027-01-04", "followers", "3200"]], "\t").encode("utf-16"))
    result = run_cadence("metrics", "import", str(plan), str(figures))
    assert (result.returncode, result.stderr) == (0, f"read {figures} as UTF-16\n")
    with sqlite3.connect(tmp_path / ".cadence" / "outcomes.db") as connection:
        assert connection.execute("select channel, day, metric, value from channel_metrics").fetchall() == [("instagram", "2027-01-04", "followers", 3200.0)]


CP1252_TEXT = st.text(st.characters(codec="cp1252", exclude_characters="\x00\r\n"), min_size=1, max_size=30)


@settings(max_examples=50)
@given(lines=st.lists(CP1252_TEXT, min_size=1, max_size=4), codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252"]))
def test_text_in_any_encoding_excel_writes_is_read_as_written_or_refused(lines, codec):
    """Never mojibake: what comes back is the text, or a refusal (a Windows-1252 text whose bytes
    are also UTF-8 is the one ambiguity, and reads as UTF-8)."""
    text = "\n".join(lines)
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data  # a big-endian byte order mark: Excel writes little-endian, others may not
    if codec == "cp1252":
        assume(not text.isascii() and not text.startswith(("ÿþ", "þÿ")))  # those two bytes are UTF-16's byte order mark
        try:
            data.decode("utf-8")
            assume(False)
        except UnicodeDecodeError:
            pass
    try:
        decoded, _ = decode(data)
    except ValueError:
        assert codec == "cp1252"  # only a file that looks like UTF-8 in places is refused
        return
    assert decoded == text


@settings(max_examples=50)
@given(utf8=CP1252_TEXT.filter(lambda text: not text.isascii()), other=CP1252_TEXT, utf8_first=st.booleans())
def test_a_file_mixing_utf8_with_another_encoding_is_refused(utf8, other, utf8_first):
    pasted = other.encode("cp1252")
    try:
        pasted.decode("utf-8")
        assume(False)  # bytes that are UTF-8 too: the file is UTF-8
    except UnicodeDecodeError:
        pass
    assume(utf8_first or not pasted.startswith((b"\xff\xfe", b"\xfe\xff")))  # UTF-16's byte order mark
    parts = [utf8.encode("utf-8"), pasted]
    with pytest.raises(ValueError, match="is not UTF-8 text, though other lines are"):
        decode(b"\n".join(parts if utf8_first else parts[::-1]))


# --- .xlsx -----------------------------------------------------------------------------------


def schedule_workbook(path) -> None:
    """A marketer's sheet: a blank first row, a date merged down over a day's posts, a time
    column, an empty row, a date-and-time cell, a bad kind; and a second sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Schedule"
    sheet.append([])
    sheet.append(["date", "time", "channel", "kind", "title", "score"])
    sheet.append([date(2027, 1, 19), time(8, 30), "instagram", "tip", TITLES[0], 0.1 + 0.2])
    sheet.append([None, time(19, 0), None, "tip", EMOJI, 1250.0])
    sheet.append([])
    sheet.append([datetime(2027, 1, 21, 10, 15), None, "tiktok", "promo", "Roast day", 7])
    sheet.append([date(2027, 1, 22), time(9, 0), "tiktok", "tpi", "A typo", None])
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("C3:C4")
    for cell in ("A3", "A7"):
        sheet[cell].number_format = "DD/MM/YYYY"  # as a European Excel shows dates
    sheet["A6"].number_format = "yyyy-mm-dd hh:mm"
    book.create_sheet("Ideas").append(["title", "Ideas are no posts"])
    book.save(path)


def test_a_workbook_is_imported_as_its_sheet_shows(tmp_path):
    plan, source = sample(tmp_path), tmp_path / "posts.xlsx"
    schedule_workbook(source)
    before = plan.read_bytes()
    refused = run_cadence("import", str(source), str(plan))
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"read sheet 'Schedule' of {source}, which has 2 (--sheet NAME reads another)",
        f"{source}:7:D: unknown kind 'tpi'; did you mean 'tip'?",  # the row and column as Excel shows them
        f"nothing added: 1 row of {source} cannot be imported (--partial adds the others)",
    ]
    assert plan.read_bytes() == before
    result = run_cadence("import", str(source), str(plan), "--partial")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        f"+ ig-20270119-kopi-susu-spezial-f-r-3-50  Tue 2027-01-19 08:30  instagram  tip  {TITLES[0]}",
        f"+ ig-20270119-kopi-gula-aren-enak  Tue 2027-01-19 19:00  instagram  tip  {EMOJI}",  # the merged date and channel
        "+ tt-20270121-roast-day  Thu 2027-01-21 10:15  tiktok  promo  Roast day",
    ]
    book = openpyxl.load_workbook(source)
    book["Schedule"]["D7"] = "tip"
    book.save(source)
    again = run_cadence("import", str(source), str(plan))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[1] == "= ig-20270119-kopi-susu-spezial-f-r-3-50  already in the plan (row 3: same channel, time and title); skipped"
    typo = run_cadence("import", str(source), str(plan), "--sheet", "Shedule")
    assert typo.stderr == f"cadence: error: {source}: cannot be read: it has no sheet 'Shedule'; did you mean 'Schedule'?\n"
    ideas = run_cadence("import", str(source), str(plan), "--sheet", "Ideas")
    assert ideas.stderr.splitlines()[0] == f"{source}:1:A: no column gives the time; columns are title, Ideas are no posts (use --map COLUMN=at)"
    not_csv = run_cadence("import", str(source), str(plan), "--encoding", "cp1252")
    assert not_csv.stderr == f"cadence: error: {source}: cannot be read: it is an .xlsx workbook, which names its own encoding; --encoding is for a CSV\n"


def test_cells_become_the_text_the_csv_path_reads(tmp_path):
    path = tmp_path / "cells.xlsx"
    schedule_workbook(path)
    table = read_table(str(path))
    assert [line for line, _ in table.records] == [2, 3, 4, 6, 7]  # blank rows left out, the others keep their number
    assert table.records[1][1] == ["2027-01-19", "08:30", "instagram", "tip", TITLES[0], "0.3"]  # 0.30000000000000004 as Excel shows it
    assert table.records[2][1] == ["2027-01-19", "19:00", "instagram", "tip", EMOJI, "1250"]  # merged down; no ".0"
    assert table.records[3][1] == ["2027-01-21 10:15", "", "tiktok", "promo", "Roast day", "7"]
    assert table.where(7, 4) == f"{path}:7:D"
    named_csv = tmp_path / "cells.csv"  # a workbook is told by its content
    named_csv.write_bytes(path.read_bytes())
    assert read_table(str(named_csv)).records == table.records
    plain = tmp_path / "plain.csv"
    plain.write_text("at,title\n")
    with pytest.raises(UnreadableInput, match="it is a CSV, and --sheet chooses a sheet of an .xlsx workbook"):
        read_table(str(plain), sheet="Schedule")
    book = openpyxl.load_workbook(path)
    book["Schedule"].sheet_state = "hidden"
    book.save(path)
    hidden = read_table(str(path))  # the first sheet a person sees
    assert (hidden.read_as, hidden.records) == (f"read sheet 'Ideas' of {path}, which has 2 (--sheet NAME reads another)", [(1, ["title", "Ideas are no posts"])])


def test_an_error_excel_wrote_into_a_csv_is_refused_with_its_cell():
    from balance.registry import vocabulary
    from planner.csvfile import read_records
    from planner.importer import read_csv
    from planner.loader import load_plan

    plan = load_plan(str(SAMPLES / "kopi-senja.toml"), vocabulary())
    result = read_csv(read_records("at,title,link\n2027-01-12 08:30,Latte art,#REF!\n"), plan, {}, {"channel": "instagram", "kind": "tip"}, None)
    assert [(problem.line, problem.column, problem.message) for problem in result.problems] == [(2, 3, "the cell holds Excel's error #REF!; correct its formula")]


def as_excel_saves_it(path, values: dict[str, tuple[str, bytes]]) -> None:
    """The workbook as Excel saves it once opened: each formula with the value it calculated
    (``values``: cell -> the attributes and the <v> Excel writes), and no request to calculate on load."""
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as source, zipfile.ZipFile(path, "w") as target:
        for part in source.infolist():
            content = source.read(part)
            for cell, (attributes, value) in values.items():
                pattern = rb'<c r="%s"[^>]*>(<f>.*?</f>).*?</c>' % cell.encode()
                content = re.sub(pattern, lambda found: b'<c r="%s"%s>%s<v>%s</v></c>' % (cell.encode(), attributes.encode(), found[1], value), content)
            target.writestr(part, content.replace(b' fullCalcOnLoad="1"', b""))


def test_formulas_are_read_as_the_values_excel_saved_and_refused_without_them(tmp_path):
    plan, source = sample(tmp_path), tmp_path / "posts.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["at", "channel", "kind", "title", "body"])
    sheet.append(["2027-01-12 08:30", "instagram", "tip", '=CONCAT("Latte art, ", "step ", 1)', '=IF(1,"","")'])
    sheet.append(["2027-01-13 08:30", "instagram", "tip", "=VLOOKUP(A3,Z:Z,1,FALSE)", None])
    book.save(source)
    never = run_cadence("import", str(source), str(plan))  # openpyxl saves formulas for Excel to calculate
    assert (never.returncode, never.stderr) == (2, f"cadence: error: {source}: cannot be read: Sheet!D2 is a formula Excel never calculated; open and save the file in Excel\n")
    as_excel_saves_it(source, {"D2": (' t="str"', b"Latte art, step 1"), "E2": (' t="str"', b""), "D3": (' t="e"', b"#N/A")})
    result = run_cadence("import", str(source), str(plan), "--partial")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"{source}:3:D: the cell holds Excel's error #N/A; correct its formula"
    assert "Latte art, step 1" in titles_in(plan)
    as_excel_saves_it(source, {"D2": ("", b"")})  # an empty value of no text: none, as no program that calculates saves it
    empty = run_cadence("import", str(source), str(plan))
    assert empty.stderr == f"cadence: error: {source}: cannot be read: Sheet!D2 is a formula Excel never calculated; open and save the file in Excel\n"


def test_figures_from_a_workbook_go_into_the_store_as_excel_shows_them(tmp_path):
    plan, source = sample(tmp_path), tmp_path / "figures.xlsx"
    book = openpyxl.Workbook()
    posts = book.active
    posts.title = "Posts"
    posts.append(["post_id", "day", "impressions", "likes"])
    posts.append(["ig-latte-art-in-three-steps", date(2027, 1, 6), "=D2*15", 120.0])
    channels = book.create_sheet("Channels")
    channels.append(["channel", "day", "metric", "value"])
    channels.append(["instagram", datetime(2027, 1, 4), "engagement_rate", 0.1 * 0.6])  # 0.06000000000000001
    book.save(source)
    as_excel_saves_it(source, {"C2": ("", b"1800.0000000000002")})
    result = run_cadence("metrics", "import", str(plan), str(source))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"read sheet 'Posts' of {source}, which has 2 (--sheet NAME reads another)\n"
    channel = run_cadence("metrics", "import", str(plan), str(source), "--sheet", "Channels")
    assert (channel.returncode, channel.stderr) == (0, "")
    with sqlite3.connect(tmp_path / ".cadence" / "outcomes.db") as connection:
        assert connection.execute("select post_id, day, impressions, likes from post_metrics").fetchall() == [("ig-latte-art-in-three-steps", "2027-01-06", 1800, 120)]
        assert connection.execute("select channel, day, metric, value from channel_metrics").fetchall() == [("instagram", "2027-01-04", "engagement_rate", 0.06)]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.datetimes(datetime(1970, 1, 1), datetime(2999, 12, 31)).map(lambda moment: moment.replace(microsecond=0))
        | st.dates(date(1970, 1, 1), date(2999, 12, 31))
        | st.times().map(lambda moment: moment.replace(microsecond=0))
        | st.timedeltas(timedelta(0), timedelta(days=10)).map(lambda span: timedelta(seconds=round(span.total_seconds())))
        | st.integers(-(10**15), 10**15)
        | st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
        min_size=1,
        max_size=20,
    )
)
def test_every_value_excel_stores_becomes_text_that_reads_back_the_same(tmp_path_factory, values):
    path = tmp_path_factory.mktemp("cells") / "values.xlsx"
    book = openpyxl.Workbook()
    for value in values:
        book.active.append(["value", value])
    book.save(path)
    for (_, cells), value in zip(read_table(str(path)).records, values):
        text = cells[1]
        if isinstance(value, datetime):
            assert parse_written_time(text) == value and text.startswith(f"{value.year:04}-")  # ISO: no day/month question
        elif isinstance(value, date):
            assert text == value.isoformat()
        elif isinstance(value, time):
            assert parse_written_time(f"2027-01-19 {text}") == datetime.combine(date(2027, 1, 19), value)
        elif isinstance(value, timedelta):  # a duration, [h]:mm
            hours, minutes, *seconds = (int(part) for part in text.split(":"))
            assert timedelta(hours=hours, minutes=minutes, seconds=sum(seconds)) == value
        else:
            assert "e" not in text.lower() and not text.endswith(".0")  # plain, and whole counts without ".0"
            assert float(text) == float(f"{value:.15g}")  # Excel's 15 significant digits, no binary noise
            if isinstance(value, int):
                assert text == str(value)


def test_arguments_given_the_wrong_way_round_are_named(tmp_path):
    plan = sample(tmp_path)
    source = tmp_path / "posts.csv"
    source.write_text("at,title\n2027-01-12 08:30,Hello\n")
    result = run_cadence("import", str(plan), str(source))
    assert (result.returncode, result.stderr) == (2, f"cadence: error: {source} looks like a CSV, not a plan: the order is cadence import CSV PLAN\n")
    workbook = tmp_path / "posts.xlsx"
    schedule_workbook(workbook)
    swapped = run_cadence("import", str(plan), str(workbook))
    assert swapped.stderr == f"cadence: error: {workbook} looks like an .xlsx workbook, not a plan: the order is cadence import CSV PLAN\n"


def test_openpyxl_is_loaded_only_to_read_a_workbook(tmp_path):
    plan = sample(tmp_path)
    (tmp_path / "posts.csv").write_text("at,title\n2027-01-12 08:30,Hello\n")
    schedule_workbook(tmp_path / "posts.xlsx")
    probe = "import sys\nfrom calendar_tui.cli import main\nmain()\nprint('openpyxl' in sys.modules)"

    def loads_openpyxl(*args: str) -> bool:
        result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=ROOT, check=False)
        return result.stdout.splitlines()[-1] == "True"

    assert not loads_openpyxl("check", str(plan), "--today", "2027-01-01")
    assert not loads_openpyxl("import", str(tmp_path / "posts.csv"), str(plan), "--channel", "instagram", "--kind", "tip", "--dry-run")
    assert loads_openpyxl("import", str(tmp_path / "posts.xlsx"), str(plan), "--dry-run", "--partial")


# --- hostile workbooks -----------------------------------------------------------------------

MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def package(sheet: bytes, parts: dict[str, bytes] | None = None) -> bytes:
    """A minimal .xlsx around one sheet's XML, and any other ``parts``, by path."""
    types = (
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        b"</Types>"
    )
    every = {
        "[Content_Types].xml": types,
        "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'.encode(),
        "xl/workbook.xml": f'<workbook {MAIN} xmlns:r="{RELATIONSHIPS}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'.encode(),
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'.encode(),
        "xl/worksheets/sheet1.xml": sheet,
        **(parts or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in every.items():
            archive.writestr(name, content)
    return out.getvalue()


def worksheet(inside: bytes) -> bytes:
    return f"<worksheet {MAIN}>".encode() + inside + b"</worksheet>"


def cells(count: int) -> bytes:
    return b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (row, row) for row in range(1, count + 1))


LAUGHS = b'<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'


def run_within(memory_mib: int, *args: str) -> subprocess.CompletedProcess:
    """The real command line with its address space limited: a reader that needs more fails."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mib << 20, memory_mib << 20))

    return subprocess.run([sys.executable, "-m", "calendar_tui", *args], capture_output=True, text=True, cwd=ROOT, timeout=60, preexec_fn=limit)


# Each took openpyxl's read-only mode alone gigabytes, or minutes, or forever
EXPLOSIVE = {
    "one row of four million cells": (worksheet(b'<sheetData><row r="1">' + b"<c/>" * 4_000_000 + b"</row></sheetData>"), "row 1 of xl/worksheets/sheet1.xml has over 16,384 cells, Excel's limit"),
    "a row a trillion rows down": (worksheet(b'<sheetData><row r="1"/><row r="999999999999"/></sheetData>'), "row 999999999999 is past Excel's last row, 1,048,576"),
    "half a million rules of formatting": (worksheet(b"<sheetData/>" + b'<conditionalFormatting sqref="A1"><cfRule type="expression" priority="1"/></conditionalFormatting>' * 500_000), "it holds over 250,000 XML elements besides its cells (styles, links, formats); save the sheet as CSV"),
}


@pytest.mark.parametrize("name", EXPLOSIVE)
def test_a_workbook_that_would_exhaust_openpyxl_is_refused_within_a_memory_limit(tmp_path, name):
    plan = sample(tmp_path)
    before = plan.read_bytes()
    sheet, reason = EXPLOSIVE[name]
    source = tmp_path / "posts.xlsx"
    source.write_bytes(package(sheet))
    assert source.stat().st_size < 1_000_000  # under a megabyte of zip
    result = run_within(512, "import", str(source), str(plan))
    assert (result.returncode, result.stderr) == (2, f"cadence: error: {source}: cannot be read: {reason}\n")
    assert plan.read_bytes() == before


def huge_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, archive.open("xl/zeros.xml", "w") as zeros:
        for _ in range(257):
            zeros.write(bytes(1 << 20))
    return out.getvalue()


def many_parts() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(12_000):
            archive.writestr(f"xl/media/part-{number:060}.xml", b"")
    return out.getvalue()


HOSTILE = {
    "zip bomb": (huge_zip, "it unpacks to 257 MiB, over the 256 MiB limit of an .xlsx"),
    "a zip directory longer than a workbook's": (many_parts, "its zip archive lists parts in 1.4 MiB, more than a workbook needs"),
    "entities": (lambda: package(LAUGHS + worksheet(b"<sheetData/>")), "its part xl/worksheets/sheet1.xml holds an XML comment, CDATA or DTD (<!), which no workbook has"),
    "a tag longer than a cell": (lambda: package(worksheet(b'<sheetData><row r="1" spans="' + b"1:1 " * 40_000 + b'"/></sheetData>')), "its part xl/worksheets/sheet1.xml holds an XML tag of over 128 KiB, more than a workbook has"),
    "a tag of megabytes, read in pieces": (lambda: package(worksheet(b'<sheetData><row r="1" spans="' + b"1>1 " * 1_000_000 + b'"/></sheetData>')), "its part xl/worksheets/sheet1.xml holds an XML tag or text of over 1 MiB, more than a workbook has"),
    "a processing instruction": (lambda: package(b'<?xml version="1.0"?>' + worksheet(b"<?evil " + b"<" * 10 + b"?><sheetData/>")), "its part xl/worksheets/sheet1.xml holds an XML processing instruction (<?), which no workbook has"),
    "a cell's text over 128 KiB, in runs": (lambda: package(worksheet(b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is>' + (b"<r><t>" + b"x" * 1024 + b"</t></r>") * 129 + b"</is></c></row></sheetData>")), "its part xl/worksheets/sheet1.xml holds a text of over 128 KiB, more than a cell takes"),
    "a sheet disguised as an image": (lambda: package(b"", {"xl/_rels/workbook.xml.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="media/logo.svg"/></Relationships>'.encode(), "xl/media/logo.svg": LAUGHS + worksheet(b"<sheetData/>")}), "its part xl/_rels/workbook.xml.rels makes an .svg part something else than an image"),
    "rows out of order": (lambda: package(worksheet(b'<sheetData><row r="5"/><row r="3"/></sheetData>')), "row 3 comes after row 5"),
    "two cells in one place": (lambda: package(worksheet(b'<sheetData><row r="1"><c r="A1"/><c r="A1"/></row></sheetData>')), "row 1 has two cells in one column, or a cell out of order"),
    "a column past XFD": (lambda: package(worksheet(b'<sheetData><row r="1"><c r="ZZZ1"/></row></sheetData>')), "row 1 has a cell past Excel's last column, XFD"),
    "a merged range of whole columns": (lambda: package(worksheet(b"<sheetData>" + cells(2) + b'</sheetData><mergeCells><mergeCell ref="A:B"/></mergeCells>')), "not an .xlsx workbook openpyxl can read (expected <class 'int'>)"),
    "cut short": (lambda: package(worksheet(b"<sheetData/>"))[:-40], "not an .xlsx workbook: its zip archive is cut short"),
    "no workbook in the zip": (lambda: zip_of({"hello.txt": b"hi"}), "not an .xlsx workbook openpyxl can read (There is no item named '[Content_Types].xml' in the archive)"),
    "Excel 97-2003": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "it is an Excel 97-2003 workbook (.xls) or one with a password; save it as .xlsx (without a password) or as CSV"),
    "a CSV named .xlsx": (lambda: b"at,title\n", "it is named .xlsx but is no workbook (an .xlsx is a zip archive)"),
}


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_workbook_is_refused_in_one_line(tmp_path, name):
    build, reason = HOSTILE[name]
    source = tmp_path / "posts.xlsx"
    source.write_bytes(build())
    with pytest.raises(UnreadableInput) as refused:
        read_table(str(source))
    assert str(refused.value) == f"{source}: cannot be read: {reason}"


def test_an_svg_logo_from_a_design_tool_is_no_reason_to_refuse_a_workbook(tmp_path):
    source = tmp_path / "posts.xlsx"
    logo = b'<?xml version="1.0"?>\n<!-- Generator: a design tool -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg"/>'
    source.write_bytes(package(worksheet(b"<sheetData>" + cells(2) + b"</sheetData>"), {"xl/media/image1.svg": logo}))
    assert read_table(str(source)).records == [(1, ["x"]), (2, ["x"])]


def test_the_cells_a_sheet_spans_and_its_elements_are_counted(tmp_path, monkeypatch):
    """The limits of millions, made small: each is counted where openpyxl would spend it."""
    import planner.xlsx as xlsx

    source = tmp_path / "posts.xlsx"
    monkeypatch.setattr(xlsx, "MAX_CELLS", 1000)
    source.write_bytes(package(worksheet(b"<sheetData>" + b"".join(b'<row r="%d"><c r="XFD%d"/></row>' % (row, row) for row in (1, 2)) + b"</sheetData>")))
    with pytest.raises(UnreadableInput, match="sheet 'Sheet1' spans over 1,000 cells"):  # openpyxl fills each row to its last cell
        read_table(str(source))
    source.write_bytes(package(worksheet(b"<sheetData>" + cells(100) + b'</sheetData><mergeCells>' + b'<mergeCell ref="A1:A100"/>' * 20 + b"</mergeCells>")))
    with pytest.raises(UnreadableInput, match="spans over 1,000 cells"):  # merged ranges over one another
        read_table(str(source))
    monkeypatch.setattr(xlsx, "MAX_CONTENT_ELEMENTS", 1000)
    source.write_bytes(package(worksheet(b"<sheetData/>"), {"xl/sharedStrings.xml": f"<sst {MAIN}>".encode() + b"<si><t>x</t></si>" * 501 + b"</sst>"}))
    with pytest.raises(UnreadableInput, match="its cells and strings take over 1,000 XML elements"):
        read_table(str(source))
