"""`cadence export --to csv|buffer|hootsuite|sprout`: the schedulers' layouts read as each one
documents them, their limits, posts not ready, times around clock changes, text written exactly
(and formulas neutralised in the CSV for spreadsheets, opened in LibreOffice), and the round
trips through `cadence import`."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
import tomlkit
from hypothesis import given, strategies as st

from balance.registry import vocabulary
from planner.exporting import chosen_posts
from planner.exporting.vendors import LAYOUTS, NAME_BYTES, CsvFile, NamingError, export_csv, file_names
from planner.exporting.vendors import message as published_text
from planner.csvfile import read_records
from planner.importer import FIELDS, column_map, read_csv
from planner.loader import plan_from_text
from planner.writer import DeletePost, PlanText, apply_edits
from tests.conftest import SAMPLES, plan_text, post_toml, run_cadence

CHANNELS = '[channels.instagram]\nowner = "rina"\nmin_spacing = "1m"\n\n[channels.x]\nowner = "rina"\nmin_spacing = "1m"\n\n[team.rina]\nroles = ["social"]\n\n[team.andi]\nroles = ["legal"]\n\n'
IDEAS = '[[backlog]]\nid = "bk-one"\nkind = "tip"\ntitle = "An evergreen tip"\n\n'


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def vendor_rows(layout: str, text: str) -> list[dict]:
    """A scheduler's file read as the scheduler documents its columns: Buffer's header Text,
    Image URL, Tags, Posting Time (YYYY-MM-DD HH:mm); Hootsuite's three columns without a header,
    date (MM/DD/YYYY HH:mm), message, link; Sprout's header date (MM/DD/YYYY), time_24hr (HH:mm),
    message_text. Each row: its naive wall time and the message (with Hootsuite's link)."""
    table = rows(text)
    if layout == "buffer":
        assert table[0] == ["Text", "Image URL", "Tags", "Posting Time"]
        return [{"at": datetime.strptime(row[3], "%Y-%m-%d %H:%M"), "message": row[0], "image": row[1], "tags": row[2]} for row in table[1:]]
    if layout == "hootsuite":
        assert len(table) <= 350 and all(len(row) == 3 for row in table)
        return [{"at": datetime.strptime(row[0], "%m/%d/%Y %H:%M"), "message": row[1], "link": row[2]} for row in table]
    assert table[0] == ["date", "time_24hr", "message_text"] and len(table) <= 351
    return [{"at": datetime.strptime(f"{row[0]} {row[1]}", "%m/%d/%Y %H:%M"), "message": row[2]} for row in table[1:]]


def plan_lines(path: str) -> dict[str, int]:
    """Each post's line in the plan file."""
    plan = plan_from_text(Path(path).read_text(encoding="utf-8"), path, vocabulary())
    return {post.id: plan.locate(("post", post.index))[0] for post in plan.posts}


def write(tmp_path, body: str, **header) -> str:
    path = tmp_path / "plan.toml"
    path.write_text(plan_text(CHANNELS + body, **header))
    return str(path)


def test_hootsuite_numbered_files_of_350_rows_without_header_and_its_limits(tmp_path):
    start = datetime(2027, 1, 4, 8, 0)
    posts = "".join(post_toml(f"p{n}", (start + timedelta(minutes=15 * n)).isoformat()) for n in range(355))
    posts += post_toml("odd-minute", "2027-01-20T10:07:00") + post_toml("past", "2027-01-04T07:00:00", title='"Early"')
    posts += post_toml("again", "2027-01-21T10:00:00", title='"Post p0"')
    plan = write(tmp_path, posts, start="2027-01-04", end="2027-01-31")
    out = tmp_path / "hoot.csv"
    result = run_cadence("export", plan, "--to", "hootsuite", "-o", str(out), "--today", "2027-01-04")
    assert result.returncode == 0, result.stderr  # posts left out are reported; the files written are valid
    assert "left out odd-minute (Wed 2027-01-20 10:07): hootsuite takes only minutes on a multiple of 5" in result.stderr
    assert "left out past (Mon 2027-01-04 07:00): hootsuite takes only times in the future" not in result.stderr  # 07:00 is after midnight
    assert "left out again (Thu 2027-01-21 10:00): hootsuite refuses a message twice in a file; p0 has the same text" in result.stderr
    first, second = rows((tmp_path / "hoot-instagram.1.csv").read_text()), rows((tmp_path / "hoot-instagram.2.csv").read_text())
    assert len(first) == 350 and len(second) == 356 - 350
    assert first[0] == ["01/04/2027 07:00", "Early", ""]  # no header; mm/dd/yyyy hh:mm
    assert {row[1] for row in first + second}.isdisjoint({"Post odd-minute", "Post again"})
    later = run_cadence("export", plan, "--to", "hootsuite", "-o", str(out), "--today", "2027-01-05", "--channel", "instagram")
    assert "left out past (Mon 2027-01-04 07:00): hootsuite takes only times in the future (at least 10 minutes ahead)" in later.stderr


def test_sprout_columns_and_ten_minutes_between_messages(tmp_path):
    posts = post_toml("a", "2027-01-05T09:00:00", body='"Body of a"', link='"https://example.com/a"')
    posts += post_toml("b", "2027-01-05T09:05:00") + post_toml("c", "2027-01-05T09:10:00") + post_toml("done", "2027-01-06T09:00:00", status='"published"')
    plan = write(tmp_path, posts)
    result = run_cadence("export", plan, "--to", "sprout", "--today", "2027-01-01")
    assert result.returncode == 0
    assert "left out b (Tue 2027-01-05 09:05): sprout needs 10 minutes between messages; a is 5 before" in result.stderr
    assert rows(result.stdout) == [
        ["date", "time_24hr", "message_text"],
        ["01/05/2027", "09:00", "Body of a\nhttps://example.com/a"],
        ["01/05/2027", "09:10", "Post c"],
    ]  # a published post is not sent to a scheduler again


def test_buffer_columns_with_image_and_tags(tmp_path):
    posts = post_toml("a", "2027-01-05T09:00:00", tags='["coffee", "howto"]', x='{image_url = "https://cdn.example/a.jpg"}')
    result = run_cadence("export", write(tmp_path, posts), "--to", "buffer", "--today", "2027-01-01")
    assert result.returncode == 0, result.stderr
    assert rows(result.stdout) == [["Text", "Image URL", "Tags", "Posting Time"], ["Post a", "https://cdn.example/a.jpg", "coffee, howto", "2027-01-05 09:00"]]


def test_posts_with_errors_in_check_stay_out_of_upload_files_unless_asked(tmp_path):
    """An unapproved idea with no link went to Buffer's upload file."""
    promo = '[kinds.launch]\npromotional = true\nneeds_approval = ["legal"]\nneeds_link = true\n\n'
    posts = post_toml("ready", "2027-01-05T09:00:00", kind="launch", status='"approved"', link='"https://example.com/a"', approved_by='["andi"]')
    posts += post_toml("raw-idea", "2027-01-06T09:00:00", kind="launch", status='"idea"')
    posts += post_toml("waived", "2027-01-07T09:00:00", kind="launch", ignore='["PUB002", "PUB004"]')  # the plan's own say applies
    posts += post_toml("sent", "2027-01-03T09:00:00", kind="launch", status='"published"')  # never sent again, so not listed
    plan = write(tmp_path, promo + posts)
    line = plan_lines(plan)["raw-idea"]
    result = run_cadence("export", plan, "--to", "buffer", "--today", "2027-01-01")
    assert result.returncode == 0
    assert [row["message"] for row in vendor_rows("buffer", result.stdout)] == ["Post ready\nhttps://example.com/a", "Post waived"]
    assert result.stderr.splitlines() == [
        f"{plan}:{line}:1: left out raw-idea (Wed 2027-01-06 09:00): not ready: PUB002 missing-approval, PUB004 missing-link (--include-unready sends it)",
        "left out 1 post not ready",
    ]
    asked = run_cadence("export", plan, "--to", "buffer", "--today", "2027-01-01", "--include-unready")
    assert [row["message"] for row in vendor_rows("buffer", asked.stdout)] == ["Post ready\nhttps://example.com/a", "Post raw-idea", "Post waived"]
    assert asked.stderr == ""
    everything = run_cadence("export", plan, "--to", "csv")  # a spreadsheet of the plan: every post, as before
    assert [row[0] for row in rows(everything.stdout)[1:]] == ["sent", "ready", "raw-idea", "waived"] and everything.stderr == ""
    refused = run_cadence("export", plan, "--to", "ics", "--include-unready")
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == "cadence: error: --include-unready goes with --to buffer, hootsuite or sprout; --to ics has every post already\n"


def test_a_post_over_its_networks_limits_is_never_written_into_a_schedulers_file(tmp_path):
    """Postiz #1882: a post too long for its network passed as a draft and failed at publish time."""
    emoji_caption = "Kopi susu gula aren 👩🏽‍🍳🇮🇩 " * 10  # 27 code points a time, 25 as X counts
    posts = post_toml("fits", "2027-01-05T09:00:00", channel="x", body=f'"{emoji_caption[:260]}"')
    posts += post_toml("long", "2027-01-06T09:00:00", channel="x", body=f'"{emoji_caption * 2}"')
    posts += post_toml("tagged", "2027-01-07T09:00:00", body='"Ngopi yuk #kopi #kopisusu #gulaaren #Bandung #ngopi #kopilokal"')
    plan = write(tmp_path, posts)
    lines = plan_lines(plan)
    check = run_cadence("check", plan, "--today", "2027-01-01", "--select", "PUB009,PUB010")
    assert check.stdout.splitlines()[:2] == [
        f"{plan}:{lines['long'] + 6}:1: PUB009 'long' on x: 500 characters, counted as x counts; x takes at most 280",
        f"{plan}:{lines['tagged'] + 6}:1: PUB010 'tagged' on instagram: 6 hashtags; instagram takes at most 5",
    ]
    for asked in ((), ("--include-unready",)):
        result = run_cadence("export", plan, "--to", "buffer", "--today", "2027-01-01", "-o", str(tmp_path / "posts.csv"), *asked)
        assert result.returncode == 0, result.stderr
        written = {path.name: vendor_rows("buffer", path.read_text(encoding="utf-8")) for path in tmp_path.glob("posts*.csv")}
        assert {name: [row["message"] for row in found] for name, found in written.items()} == {"posts.csv": [emoji_caption[:260]]}  # one file: the only channel left
        why = ("not ready: PUB009 too-long-for-network (--include-unready sends it)", "not ready: PUB010 too-many-tags (--include-unready sends it)")
        if asked:
            why = ("500 characters, counted as x counts; x takes at most 280", "6 hashtags; instagram takes at most 5")
        assert f"{plan}:{lines['long']}:1: left out long (Wed 2027-01-06 09:00): {why[0]}" in result.stderr
        assert f"{plan}:{lines['tagged']}:1: left out tagged (Thu 2027-01-07 09:00): {why[1]}" in result.stderr
        for path in tmp_path.glob("posts*.csv"):
            path.unlink()


NETWORK_PIECES = ["Kopi susu ", "👩🏽‍🍳", "🇮🇩", "故", "e\u0301", " https://kopisenja.example/a ", "#kopi ", "@rina ", "x" * 40]


@given(st.lists(st.tuples(st.sampled_from(["x", "instagram", "bluesky"]), st.lists(st.sampled_from(NETWORK_PIECES), max_size=40)), min_size=1, max_size=6),
       st.sampled_from(["buffer", "hootsuite", "sprout"]))
def test_no_schedulers_file_holds_a_post_over_its_networks_limits(posts, layout):
    from planner.networks import hashtags, length, limits_of

    channels = CHANNELS + '[channels.bluesky]\nowner = "rina"\n\n'
    body = "".join(
        post_toml(f"p{number}", f"2027-01-{5 + number:02d}T09:00:00", channel=channel, body=tomlkit.string("".join(pieces)).as_string())
        for number, (channel, pieces) in enumerate(posts)
    )
    plan = plan_from_text(plan_text(channels + body), "plan.toml", vocabulary())
    exported = export_csv(plan, chosen_posts(plan, None, None), LAYOUTS[layout], now=0)
    by_text = {post.body or post.title: post for post in plan.posts}
    for file in exported.files:
        for row in vendor_rows(layout, file.text):
            post = by_text[row["message"]]
            limits = limits_of(plan, post.channel)
            assert length(row["message"], limits.counting) <= limits.max_chars
            assert limits.max_hashtags is None or len(hashtags(row["message"])) <= limits.max_hashtags
    assert sum(len(rows(file.text)) - (layout != "hootsuite") for file in exported.files) + len(exported.rejected) == len(plan.posts)


FORMULA_TITLES = ['=HYPERLINK("http://evil.example","x")', "+1 for coffee", "-30% today", "@kopisenja terima kasih!", "\tTabbed", "'Tis the season", "'=1+2"]


def test_the_csv_for_spreadsheets_neutralises_formula_cells(tmp_path):
    posts = "".join(post_toml(f"p{n}", f"2027-01-{5 + n:02d}T09:00:00", title=tomlkit.string(title).as_string()) for n, title in enumerate(FORMULA_TITLES))
    result = run_cadence("export", write(tmp_path, posts), "--to", "csv")
    assert result.returncode == 0 and result.stderr == ""
    titles = [row[4] for row in rows(result.stdout)[1:]]
    assert titles == ["'" + title if title[0] in "=+-@\t'" else title for title in FORMULA_TITLES]


ODF = {name: f"{{urn:oasis:names:tc:opendocument:xmlns:{name}:1.0}}" for name in ("table", "text")}


def calc_cells(tmp_path, *files: Path) -> dict[str, list[list[tuple[str, str | None]]]]:
    """Each CSV as LibreOffice Calc opens it (headless, saved as flat ODS and parsed): by file
    name, its rows of cells, each the text shown and the formula it runs (None for none)."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)")
    out = tmp_path / "calc"
    profile = f"-env:UserInstallation={(tmp_path / 'office-profile').as_uri()}"
    subprocess.run([office, profile, "--headless", "--convert-to", "fods", "--outdir", str(out), *map(str, files)], capture_output=True, timeout=180, check=True)
    table = ODF["table"]
    return {
        file.name: [
            [
                ("\n".join(_shown(paragraph) for paragraph in cell.iter(f"{ODF['text']}p")), cell.get(f"{table}formula"))
                for cell in row.iter(f"{table}table-cell")
                for _ in range(int(cell.get(f"{table}number-columns-repeated", "1")))
            ]
            for row in ElementTree.parse(out / f"{file.stem}.fods").iter(f"{table}table-row")
        ]
        for file in files
    }


def _shown(element) -> str:
    """An ODF paragraph's text: a tab and runs of spaces are elements of their own."""
    text = element.text or ""
    for child in element:
        if child.tag == f"{ODF['text']}tab":
            text += "\t"
        elif child.tag == f"{ODF['text']}s":
            text += " " * int(child.get(f"{ODF['text']}c", "1"))
        else:
            text += _shown(child)
        text += child.tail or ""
    return text


def test_a_formula_cell_stays_text_in_libreoffice_in_the_csv_and_runs_in_a_schedulers_file(tmp_path):
    """Why the warning: a scheduler's file carries the text exactly, so a spreadsheet runs it."""
    posts = "".join(post_toml(f"p{n}", f"2027-01-{5 + n:02d}T09:00:00", title=tomlkit.string(title).as_string()) for n, title in enumerate(FORMULA_TITLES))
    plan = write(tmp_path, posts)
    own, buffer = tmp_path / "posts.csv", tmp_path / "buffer.csv"
    assert run_cadence("export", plan, "--to", "csv", "-o", str(own)).returncode == 0
    assert run_cadence("export", plan, "--to", "buffer", "-o", str(buffer), "--today", "2027-01-01").returncode == 0
    sheets = calc_cells(tmp_path, own, buffer)
    titles = [row[4] for row in sheets["posts.csv"][1 : len(FORMULA_TITLES) + 1]]
    assert titles == [(cell, None) for cell in (row[4] for row in rows(own.read_text(encoding="utf-8"))[1:])]  # text as written, no formula
    assert not any(formula for row in sheets["posts.csv"] for _, formula in row)
    texts = [row[0] for row in sheets["buffer.csv"][1 : len(FORMULA_TITLES) + 1]]
    assert texts[0][1] == 'of:=HYPERLINK("http://evil.example";"x")'  # what a stranger's plan could carry runs


def test_scheduler_files_carry_the_text_exactly_and_warn_of_formula_cells_on_the_posts_lines(tmp_path):
    """Buffer published `'@kopisenja terima kasih!`: the guard's quote is no part of the post."""
    posts = "".join(post_toml(f"p{n}", f"2027-01-{5 + n:02d}T09:00:00", title=tomlkit.string(title).as_string()) for n, title in enumerate(FORMULA_TITLES))
    plan = write(tmp_path, posts)
    lines = plan_lines(plan)
    for layout, column in (("buffer", "Text"), ("hootsuite", "message"), ("sprout", "message_text")):
        result = run_cadence("export", plan, "--to", layout, "--today", "2027-01-01")
        assert result.returncode == 0, result.stderr
        assert [row["message"] for row in vendor_rows(layout, result.stdout)] == FORMULA_TITLES, layout
        warned = [f"{plan}:{lines[f'p{n}']}:1: p{n} (" for n, title in enumerate(FORMULA_TITLES) if title[0] in "=+-@\t"]
        warnings = result.stderr.splitlines()
        assert len(warnings) == len(warned) and all(line.startswith(start) for line, start in zip(warnings, warned)), (layout, result.stderr)
        assert warnings[3].endswith(f'p3 (Fri 2027-01-08 09:00): {column} starts with "@", so a spreadsheet would run it as a formula; written as it is, since {layout} reads it as text')
        assert '\\t' in warnings[4] and "\t" not in warnings[4]  # the tab shown as an escape, on one line


# -- clock changes: a scheduler's time has no offset ---------------------------------------------

# zone: (the night the clocks go back, its repeated wall time and the two offsets; the spring day, a wall time in its gap, the wall time the plan reads it as)
CHANGES = {
    "Europe/Berlin": ("2027-10-31", "02:30", "+02:00", "+01:00", "2027-03-28", "02:30", "03:30"),
    "America/New_York": ("2027-11-07", "01:30", "-04:00", "-05:00", "2027-03-14", "02:30", "03:30"),
}


def read_once(wall: datetime, zone: ZoneInfo) -> int | None:
    """The instant a wall time without offset names in ``zone``, or None when it names none or two
    (in the spring gap or the repeated hour, its two folds differ)."""
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    return int(first.timestamp()) if first.utcoffset() == second.utcoffset() else None


@pytest.mark.parametrize("zone", sorted(CHANGES))
def test_times_that_happen_twice_are_left_out_and_the_gap_is_written_as_the_wall_time_after_it(tmp_path, zone):
    """Two posts an hour apart in the repeated hour were both written 10/31/2027,02:30."""
    autumn, repeated, summer, winter, spring, missing, after_gap = CHANGES[zone]
    posts = post_toml("first", f"{autumn}T{repeated}:00{summer}") + post_toml("second", f"{autumn}T{repeated}:00{winter}")
    posts += post_toml("plain", f"{autumn}T{repeated}:00", channel="x")  # no offset: the plan means the first
    posts += post_toml("later", f"{autumn}T12:00:00") + post_toml("gap", f"{spring}T{missing}:00")
    plan = write(tmp_path, posts, timezone=zone, start="2027-03-01", end="2027-11-30")
    lines, tz = plan_lines(plan), ZoneInfo(zone)
    instants = {post.id: post.ts for post in plan_from_text(Path(plan).read_text(), plan, vocabulary()).posts}
    day = datetime.strptime(autumn, "%Y-%m-%d")
    for layout in ("buffer", "hootsuite", "sprout"):
        result = run_cadence("export", plan, "--to", layout, "--channel", "instagram", "--today", "2027-03-01")
        assert result.returncode == 0, result.stderr
        written = {row["message"]: row["at"] for row in vendor_rows(layout, result.stdout)}
        assert written == {"Post gap": datetime.strptime(f"{spring} {after_gap}", "%Y-%m-%d %H:%M"), "Post later": day.replace(hour=12)}
        assert all(read_once(wall, tz) == instants[message.removeprefix("Post ")] for message, wall in written.items())
        for post_id in ("first", "second"):
            assert (
                f"{plan}:{lines[post_id]}:1: left out {post_id} ({day:%a %Y-%m-%d} {repeated}): {repeated} happens twice that night in {zone} "
                f"(the clocks go back), and a {layout} time has no offset to say which; move the post out of the repeated hour"
            ) in result.stderr.splitlines()
        assert result.stderr.splitlines()[-1] == f"left out 2 posts that {layout} would refuse"
    alone = run_cadence("export", plan, "--to", "sprout", "--channel", "x", "--today", "2027-03-01")
    assert alone.stdout == "" and f"left out plain ({day:%a %Y-%m-%d} {repeated})" in alone.stderr
    own = rows(run_cadence("export", plan, "--to", "csv").stdout)[1:]  # cadence's CSV has the offset: every post, exactly
    assert {row[0]: int(datetime.fromisoformat(row[1]).timestamp()) for row in own} == instants


@st.composite
def change_day_plans(draw) -> str:
    """Posts within six hours of a clock change, given as wall times (some in the spring gap or
    the repeated hour) or as instants (either reading of a repeated hour)."""
    zone = draw(st.sampled_from(sorted(CHANGES)))
    autumn, _, _, _, spring, _, _ = CHANGES[zone]
    day, tz, body = datetime.strptime(draw(st.sampled_from([autumn, spring])), "%Y-%m-%d"), ZoneInfo(zone), ""
    for number in range(draw(st.integers(1, 6))):
        at = day + timedelta(minutes=5 * draw(st.integers(0, 72)))
        if draw(st.booleans()):
            at = datetime.fromtimestamp(at.replace(tzinfo=tz).timestamp() + 3600 * draw(st.integers(0, 1)), tz)
        body += post_toml(f"p{number}", at.isoformat(), channel=draw(st.sampled_from(["instagram", "x"])))
    return plan_text(CHANNELS + body, timezone=zone, start="2027-03-01", end="2027-11-30")


@given(change_day_plans(), st.sampled_from(["buffer", "hootsuite", "sprout"]))
def test_every_time_a_scheduler_reads_is_the_posts_instant_or_the_post_is_reported(text, layout):
    plan = plan_from_text(text, "plan.toml", vocabulary())
    exported = export_csv(plan, chosen_posts(plan, None, None), LAYOUTS[layout], now=0)
    instants = {f"Post {post.id}": post.ts for post in plan.posts}
    written = [row for file in exported.files for row in vendor_rows(layout, file.text)]
    assert all(read_once(row["at"], plan.tz) == instants[row["message"]] for row in written)
    assert len(written) + len(exported.rejected) == len(plan.posts)


SCHEDULERS = [name for name, layout in LAYOUTS.items() if layout.upload]


def test_every_layout_says_which_post_field_import_reads_each_column_into():
    assert SCHEDULERS == ["buffer", "hootsuite", "sprout"]
    for layout in LAYOUTS.values():
        assert len(layout.fields) == len(layout.columns) and set(layout.fields) <= set(FIELDS), layout.name
    assert [column_map(list(layout.columns), {}) for layout in LAYOUTS.values() if layout.header] == [
        dict(enumerate(layout.fields)) for layout in LAYOUTS.values() if layout.header
    ]


def without_posts(text: str) -> str:
    plan = plan_from_text(text, "plan.toml", vocabulary())
    return apply_edits(text, [DeletePost(post.id) for post in plan.posts])


def comparable(plan) -> list[tuple]:
    return sorted(
        (p.id, p.ts, p.at.isoformat(), p.channel, p.kind, p.title, p.body, p.status, p.owner, p.audience, p.link, p.tags, p.approved_by)
        + (sorted(p.ignore), p.idea, json.dumps(p.x, sort_keys=True, default=str))
        for p in plan.posts
    )


def round_trip(text: str) -> tuple[list[tuple], list[tuple], list]:
    plan = plan_from_text(text, "plan.toml", vocabulary())
    exported = export_csv(plan, chosen_posts(plan, None, None), LAYOUTS["csv"], now=0)
    (file,), rejected = exported.files, exported.rejected
    empty_text = without_posts(text)
    empty = plan_from_text(empty_text, "plan.toml", vocabulary())
    result = read_csv(read_records(file.text), empty, {}, {}, None)
    posts = [{key: value for key, value in post.items() if key != "line"} for post in result.posts]
    back = plan_from_text(PlanText(empty_text).add_posts(posts), "plan.toml", vocabulary())
    return comparable(plan), comparable(back), result.problems + rejected


def test_export_csv_then_import_into_an_empty_plan_gives_the_same_posts_for_every_sample():
    for sample in sorted(SAMPLES.glob("*.toml")):
        before, after, problems = round_trip(sample.read_text(encoding="utf-8"))
        assert problems == [] and after == before, sample.name


TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40).map(str.strip).filter(bool)
LINES = st.lists(TEXT | st.sampled_from(["=1+2", "-", "@a", "'q", "''", "a,b;c"]), min_size=1, max_size=3).map("\n".join)
TAG = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)


@st.composite
def plans(draw) -> str:
    zone = draw(st.sampled_from(["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Jakarta"]))
    count = draw(st.integers(1, 6))
    body = ""
    for number in range(count):
        at = datetime(2027, 3, 1) + timedelta(minutes=draw(st.integers(0, 60 * 24 * 250)))
        fields = {
            "title": tomlkit.string(draw(TEXT | st.sampled_from(["=SUM(A1)", "+x", "'Tis", "a, b"]))).as_string(),
            "kind": draw(st.sampled_from(["tip", "promo", "question"])),
            "channel": draw(st.sampled_from(["instagram", "x"])),
            "status": f'"{draw(st.sampled_from(["idea", "draft", "approved", "published", "skipped"]))}"',
        }
        if draw(st.booleans()):
            fields["body"] = tomlkit.string(draw(LINES), multiline=False).as_string()
        if draw(st.booleans()):
            fields["owner"] = '"rina"'
        if draw(st.booleans()):
            fields["link"] = tomlkit.string("https://example.com/" + draw(TAG)).as_string()
        if draw(st.booleans()):
            fields["tags"] = tomlkit.item(draw(st.lists(TAG, max_size=3, unique=True))).as_string()
        if draw(st.booleans()):
            fields["approved_by"] = '["andi"]'
        if draw(st.booleans()):
            fields["audience"] = '"students"'
        if draw(st.booleans()):
            fields["ignore"] = tomlkit.item(draw(st.lists(st.sampled_from(["CAD001", "MIX003", "PUB007"]), min_size=1, unique=True))).as_string()
        if draw(st.booleans()):
            fields["idea"] = '"bk-one"'
        if draw(st.booleans()):
            user = draw(st.dictionaries(TAG, TEXT | st.integers(-5, 5) | st.dates(date(2027, 1, 1), date(2028, 1, 1)) | st.lists(TAG, max_size=2), max_size=3))
            inline = tomlkit.inline_table()
            inline.update(user)
            fields["x"] = inline.as_string()
        channel, kind = fields.pop("channel"), fields.pop("kind")
        body += post_toml(f"post-{number}", at.isoformat(), channel=channel, kind=kind, **fields)
    text = plan_text(CHANNELS + IDEAS + body, timezone=zone, start="2027-03-01", end="2027-12-31")
    return text.replace('end = 2027-12-31\n', 'end = 2027-12-31\naudiences = ["students"]\n', 1)


@given(plans())
def test_round_trip_property(text):
    before, after, problems = round_trip(text)
    assert problems == []
    assert after == before


MESSAGES = st.lists(TEXT | st.sampled_from(["=1+2", "-30%", "@kopisenja", "+62 812", "'=x", "''", "'Tis", '"quoted", comma']), min_size=1, max_size=3).map("\n".join)


@given(
    st.lists(st.tuples(MESSAGES, st.booleans(), st.none() | TAG.map("https://example.com/".__add__)), min_size=1, max_size=5, unique_by=lambda post: post[0]),
    st.sampled_from(SCHEDULERS),
)
def test_a_schedulers_file_imports_back_to_the_same_text_exactly(posts, layout):
    """What a scheduler would publish is what `cadence import` reads back: no quote added or taken."""
    body = ""
    for number, (text, as_body, link) in enumerate(posts):
        fields = {"body": tomlkit.string(text).as_string()} if as_body else {"title": tomlkit.string(text).as_string()}
        body += post_toml(f"p{number}", f"2027-01-05T{9 + number:02d}:00:00", status='"approved"', **fields, **({"link": f'"{link}"'} if link else {}))
    text = plan_text(CHANNELS + body)
    plan = plan_from_text(text, "plan.toml", vocabulary())
    exported = export_csv(plan, chosen_posts(plan, None, None), LAYOUTS[layout], now=0)
    assert exported.rejected == []
    (file,) = exported.files
    result = read_csv(read_records(file.text), plan_from_text(without_posts(text), "plan.toml", vocabulary()), {}, {"channel": "instagram", "kind": "tip"}, None)
    assert result.problems == []
    with_link = layout != "hootsuite"  # Hootsuite's link has a column of its own
    sent = [(post.at.replace(tzinfo=None), published_text(post, with_link), None if with_link else post.link) for post in plan.posts]
    assert [(post["at"], post["body"] or post["title"], post["link"]) for post in result.posts] == sent


def test_the_command_line_round_trip_into_an_empty_plan_and_again_adds_nothing(tmp_path):
    plan, exported = tmp_path / "plan.toml", tmp_path / "posts.csv"
    original = (SAMPLES / "lumen-saas-berlin.toml").read_text(encoding="utf-8")
    assert run_cadence("export", str(SAMPLES / "lumen-saas-berlin.toml"), "--to", "csv", "-o", str(exported)).returncode == 0
    plan.write_text(without_posts(original), encoding="utf-8")
    result = run_cadence("import", str(exported), str(plan))
    assert result.returncode == 0, result.stderr
    assert comparable(plan_from_text(plan.read_text(encoding="utf-8"), "p", vocabulary())) == comparable(plan_from_text(original, "p", vocabulary()))
    assert run_cadence("fmt", "--check", str(plan)).returncode == 0
    again = run_cadence("import", str(exported), str(plan))
    assert again.returncode == 0 and again.stdout.splitlines()[-1] == f"added 0 posts to {plan}; skipped 39 duplicates"


def test_sprout_and_hootsuite_exports_import_back_month_first(tmp_path):
    """Both write mm/dd/yyyy: no day above 12 must not leave the import asking which comes first."""
    posts = "".join(
        post_toml(post_id, at, body=f'"Body of {post_id}"')
        for post_id, at in (("a", "2027-01-05T09:00:00"), ("b", "2027-01-08T14:30:00"), ("c", "2027-01-11T19:00:00"))
    )
    original = plan_text(CHANNELS + posts)
    source = tmp_path / "plan.toml"
    source.write_text(original, encoding="utf-8")
    def sent(posts):  # what a scheduler gets: the time, the channel, the message (a short one comes back as the title)
        return sorted((p.at.isoformat(), p.channel, p.body or p.title) for p in posts)

    expected = sent(plan_from_text(original, "p", vocabulary()).posts)
    for layout in ("sprout", "hootsuite"):
        exported, plan = tmp_path / f"{layout}.csv", tmp_path / f"empty-{layout}.toml"
        result = run_cadence("export", str(source), "--to", layout, "-o", str(exported), "--today", "2027-01-01")
        assert result.returncode == 0, result.stderr
        plan.write_text(without_posts(original), encoding="utf-8")
        result = run_cadence("import", str(exported), str(plan), "--channel", "instagram", "--kind", "tip")
        assert result.returncode == 0, (layout, result.stderr)
        back = plan_from_text(plan.read_text(encoding="utf-8"), "p", vocabulary()).posts
        assert sent(back) == expected, layout


# -- file names from channel names ------------------------------------------------------------

def channels_plan(tmp_path, names: dict[str, int]) -> str:
    """A plan with these channels, each with that many posts 15 minutes apart."""
    start = datetime(2027, 1, 5, 8, 0)
    body, number = "", 0
    for name in names:
        body += f"[channels.{tomlkit.string(name).as_string()}]\nmin_spacing = \"1m\"\n\n"
    for name, posts in names.items():
        for _ in range(posts):
            body += post_toml(f"p{number}", (start + timedelta(minutes=15 * number)).isoformat(), channel=tomlkit.string(name).as_string()[1:-1])
            number += 1
    path = tmp_path / "plan.toml"
    path.write_text(plan_text(body, end="2027-03-31"), encoding="utf-8")
    return str(path)


def test_channel_names_become_file_names_that_stay_in_the_folder_and_never_meet(tmp_path):
    """``x/../../pwned`` was a traceback, and ``ig`` (351 posts, two files) and ``ig-1`` both
    wrote h-ig-1.csv: 350 posts lost, exit 0."""
    plan = channels_plan(tmp_path, {"x/../../pwned": 1, ".hidden": 1, "nul\x00and\nnewline": 1, "ig": 351, "ig-1": 1, "café": 1})
    out = tmp_path / "out"
    out.mkdir()
    result = run_cadence("export", plan, "--to", "hootsuite", "-o", str(out / "h.csv"), "--today", "2027-01-01")
    assert result.returncode == 0, result.stderr
    written = {name: len(rows((out / name).read_text(encoding="utf-8"))) for name in os.listdir(out)}
    assert written == {
        "h-x_______pwned.csv": 1, "h-_hidden.csv": 1, "h-nul_and_newline.csv": 1,
        "h-ig.1.csv": 350, "h-ig.2.csv": 1, "h-ig-1.csv": 1, "h-café.csv": 1,
    }
    assert sorted(os.listdir(tmp_path)) == ["out", "plan.toml"]


def test_names_that_would_meet_are_refused_before_any_file_is_written(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for channels, message in (
        ({"a": 1, "IG": 1, "ig": 1}, "cadence: error: channels 'IG' and 'ig' would both write h-ig.csv; export them one at a time with --channel and -o FILE\n"),
        ({"a": 1, "a/b": 1, "a_b": 1}, "cadence: error: channels 'a/b' and 'a_b' would both write h-a_b.csv; export them one at a time with --channel and -o FILE\n"),
        ({"a": 1, "x" * 260: 1}, f"cadence: error: channel '{'x' * 260}' makes a file name of 266 bytes, over 255; export it alone with --channel and -o FILE\n"),
    ):
        result = run_cadence("export", channels_plan(tmp_path, channels), "--to", "buffer", "-o", str(out / "h.csv"), "--today", "2027-01-01")
        assert (result.returncode, result.stderr, os.listdir(out)) == (2, message, [])
    alone = run_cadence("export", channels_plan(tmp_path, {"x" * 260: 1, "a": 1}), "--to", "buffer", "--channel", "x" * 260, "-o", str(out / "h.csv"), "--today", "2027-01-01")
    assert alone.returncode == 0 and os.listdir(out) == ["h.csv"]


@given(st.lists(st.tuples(st.text(max_size=12), st.sampled_from([None, 1, 2])), min_size=2, max_size=6, unique=True), st.sampled_from(["posts.csv", "d/posts", "d/p.tsv"]))
def test_file_names_are_in_the_folder_asked_for_and_differ_or_are_refused(files, output):
    try:
        names = file_names(output, [CsvFile(channel, number, "") for channel, number in files])
    except NamingError:
        return
    folder, stem = os.path.dirname(output), os.path.splitext(os.path.basename(output))[0]
    assert len({name.casefold() for name in names}) == len(names)
    for name in names:
        assert os.path.dirname(name) == folder and os.path.basename(name).startswith(stem + "-")
        assert len(os.path.basename(name).encode()) <= NAME_BYTES and not any(char in os.path.basename(name) for char in "\x00\n\r\\:")
