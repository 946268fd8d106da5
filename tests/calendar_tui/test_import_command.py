"""`cadence import` through the real command: Buffer and Sprout Social files, mapping, safety."""

import shutil

import tomli

from tests.conftest import SAMPLES, run_cadence

BUFFER = """\
Text,Image URL,Tags,Posting Time
"Latte art in three steps, for beginners",https://cdn.example/latte.jpg,"coffee,howto",2027-01-12 08:30
Which grind for which brewer?,,coffee,2027-01-13 19:00
"""

SPROUT = """\
date,time_24hr,message_text
2027-01-19,10:00,"Five places not to keep your beans.
A thread."
2027-01-20,19:30,Cold brew at home
"""


def setup(tmp_path, csv_text: str):
    plan = tmp_path / "plan.toml"
    shutil.copy(SAMPLES / "kopi-senja.toml", plan)
    source = tmp_path / "posts.csv"
    source.write_text(csv_text)
    return plan, source


def test_a_buffer_csv_adds_posts_at_their_local_times(tmp_path):
    plan, source = setup(tmp_path, BUFFER)
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"added 2 posts to {plan}"
    posts = {post["id"]: post for post in tomli.loads(plan.read_text())["post"]}
    latte = posts["ig-20270112-latte-art-in-three-steps-for"]
    assert str(latte["at"]) == "2027-01-12 08:30:00"  # Jakarta wall time, as Buffer wrote it
    assert latte["tags"] == ["coffee", "howto"] and latte["x"] == {"image_url": "https://cdn.example/latte.jpg"}
    assert latte["status"] == "draft"
    check = run_cadence("check", str(plan), "--today", "2027-01-01", "--select", "CAD005,CAD002")
    assert check.returncode == 0


def test_a_sprout_social_csv_with_multi_line_text(tmp_path):
    plan, source = setup(tmp_path, SPROUT)
    result = run_cadence("import", str(source), str(plan), "--channel", "tiktok", "--kind", "tip", "--dry-run")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "+ tt-20270119-five-places-not-to-keep-your  Tue 2027-01-19 10:00  tiktok  tip  Five places not to keep your beans.",
        "+ tt-20270120-cold-brew-at-home  Wed 2027-01-20 19:30  tiktok  tip  Cold brew at home",
        f"would add 2 posts to {plan} (dry run: nothing written)",
    ]
    assert plan.read_bytes() == (SAMPLES / "kopi-senja.toml").read_bytes()


def test_bad_rows_are_listed_by_csv_line_and_nothing_is_written(tmp_path):
    plan, source = setup(tmp_path, SPROUT + "2027-02-30,10:00,Impossible day\n2027-01-21,10:00,\n")
    result = run_cadence("import", str(source), str(plan), "--channel", "tiktok", "--kind", "tip")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{source}:5: time '2027-02-30 10:00' does not match ISO 8601 or YYYY-MM-DD HH:mm (pass --date-format, e.g. \"DD/MM/YYYY HH:mm\")",
        f"{source}:6: no title or text",
        f"nothing added: 2 rows of {source} cannot be imported (--partial adds the others)",
    ]
    assert plan.read_bytes() == (SAMPLES / "kopi-senja.toml").read_bytes()
    partial = run_cadence("import", str(source), str(plan), "--channel", "tiktok", "--kind", "tip", "--partial")
    assert partial.returncode == 1 and f"added 2 posts to {plan}" in partial.stdout


def test_map_and_date_format_and_columns_per_row(tmp_path):
    plan, source = setup(tmp_path, "when,headline,network,pillar\n12/01/2027 08:30,Hello there,instagram,question\n")
    args = ["--map", "when=at", "--map", "headline=title", "--map", "network=channel", "--map", "pillar=kind", "--date-format", "DD/MM/YYYY HH:mm"]
    result = run_cadence("import", str(source), str(plan), *args)
    assert result.returncode == 0, result.stderr
    (post,) = [p for p in tomli.loads(plan.read_text())["post"] if p["title"] == "Hello there"]
    assert str(post["at"]) == "2027-01-12 08:30:00" and post["kind"] == "question"


def test_unknown_channel_and_missing_time_column(tmp_path):
    plan, source = setup(tmp_path, BUFFER)
    result = run_cadence("import", str(source), str(plan), "--channel", "instagarm", "--kind", "tip")
    assert result.returncode == 2 and "unknown channel 'instagarm'" in result.stderr
    plan, source = setup(tmp_path, "title\nHello\n")
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 2 and "no column gives the time" in result.stderr
