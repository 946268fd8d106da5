"""`cadence export --to csv|buffer|hootsuite|sprout`: the schedulers' layouts and limits, formula
neutralising, and the round trip through `cadence import`."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

import tomlkit
from hypothesis import given, strategies as st

from balance.registry import vocabulary
from planner.exporting import chosen_posts
from planner.exporting.vendors import LAYOUTS, export_csv
from planner.csvfile import read_records
from planner.importer import read_csv
from planner.loader import plan_from_text
from planner.localtime import instant
from planner.writer import DeletePost, PlanText, apply_edits
from tests.conftest import SAMPLES, plan_text, post_toml, run_cadence

CHANNELS = '[channels.instagram]\nowner = "rina"\n\n[channels.x]\nowner = "rina"\n\n[team.rina]\nroles = ["social"]\n\n[team.andi]\nroles = ["legal"]\n\n'
IDEAS = '[[backlog]]\nid = "bk-one"\nkind = "tip"\ntitle = "An evergreen tip"\n\n'


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


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
    assert f"left out odd-minute (Wed 2027-01-20 10:07): hootsuite takes only minutes on a multiple of 5" in result.stderr
    assert "left out past (Mon 2027-01-04 07:00): hootsuite takes only times in the future" not in result.stderr  # 07:00 is after midnight
    assert "left out again (Thu 2027-01-21 10:00): hootsuite refuses a message twice in a file; p0 has the same text" in result.stderr
    first, second = rows((tmp_path / "hoot-instagram-1.csv").read_text()), rows((tmp_path / "hoot-instagram-2.csv").read_text())
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


def test_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    titles = ['=HYPERLINK("http://evil.example","x")', "+1 for coffee", "-5% today", "@everyone", "\tTabbed", "'Tis the season"]
    posts = "".join(post_toml(f"p{n}", f"2027-01-{5 + n:02d}T09:00:00", title=tomlkit.string(title).as_string()) for n, title in enumerate(titles))
    plan = write(tmp_path, posts)
    for layout in ("csv", "buffer", "hootsuite", "sprout"):
        result = run_cadence("export", plan, "--to", layout, "--today", "2027-01-01")
        assert result.returncode == 0, result.stderr
        cells = [cell for row in rows(result.stdout) for cell in row]
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), layout
        assert "'" + titles[0] in cells and "'\tTabbed" in cells, layout


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
    (file,), rejected = export_csv(plan, chosen_posts(plan, None, None), LAYOUTS["csv"], now=0)
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
