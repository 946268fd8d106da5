"""`cadence import` through the real command: Buffer and Sprout Social files, mapping, safety."""

import shutil

import tomli

from tests.conftest import SAMPLES, run_cadence, run_cadence_process

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
    result = run_cadence_process("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"added 2 posts to {plan}"
    posts = {post["id"]: post for post in tomli.loads(plan.read_text())["post"]}
    latte = posts["ig-20270112-latte-art-in-three-steps-for"]
    assert str(latte["at"]) == "2027-01-12 08:30:00"  # Jakarta wall time, as Buffer wrote it
    assert latte["tags"] == ["coffee", "howto"] and latte["x"] == {"image_url": "https://cdn.example/latte.jpg"}
    assert latte["status"] == "draft"
    check = run_cadence_process("check", str(plan), "--today", "2027-01-01", "--select", "CAD005,CAD002")
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


def test_times_as_excel_writes_them(tmp_path):
    rows = "at,title\n2027-01-19 8:30,Morning grind\n2027-01-19 8:30 PM,Evening brew\n1/21/2027 8:30,Third\n"
    plan, source = setup(tmp_path, rows)
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert [line.split("  ")[1] for line in result.stdout.splitlines()[:3]] == [
        "Tue 2027-01-19 08:30", "Tue 2027-01-19 20:30", "Thu 2027-01-21 08:30",
    ]


def test_bad_rows_are_listed_by_csv_line_and_nothing_is_written(tmp_path):
    plan, source = setup(tmp_path, SPROUT + "2027-02-30,10:00,Impossible day\n2027-01-21,10:00,\n")
    result = run_cadence("import", str(source), str(plan), "--channel", "tiktok", "--kind", "tip")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{source}:5:1: time '2027-02-30 10:00' is not a real date and time",
        f"{source}:6:1: no title or text",
        f"nothing added: 2 rows of {source} cannot be imported (--partial adds the others)",
    ]
    assert plan.read_bytes() == (SAMPLES / "kopi-senja.toml").read_bytes()
    partial = run_cadence("import", str(source), str(plan), "--channel", "tiktok", "--kind", "tip", "--partial")
    assert partial.returncode == 0 and f"added 2 posts to {plan}" in partial.stdout  # exit 1 means findings only
    assert partial.stderr.splitlines()[-1] == f"left out 2 rows of {source}"


def test_a_map_naming_a_missing_column_or_an_unknown_field_gets_a_hint(tmp_path):
    plan, source = setup(tmp_path, "when,headline\n2027-01-12 08:30,Hello there\n")
    missing = run_cadence("import", str(source), str(plan), "--map", "whne=at", "--map", "headline=title", "--channel", "instagram")
    assert (missing.returncode, missing.stderr.splitlines()[0]) == (2, f"{source}:1:1: --map: the CSV has no column 'whne'; did you mean 'when'?")
    unknown = run_cadence("import", str(source), str(plan), "--map", "when=att", "--map", "headline=title", "--channel", "instagram")
    assert (unknown.returncode, unknown.stderr.splitlines()[0]) == (2, f"{source}:1:1: --map: no field 'att'; did you mean 'at'?")
    malformed = run_cadence("import", str(source), str(plan), "--map", "when")
    assert malformed.returncode == 2 and "--map: 'when' is not COLUMN=FIELD" in malformed.stderr
    assert plan.read_bytes() == (SAMPLES / "kopi-senja.toml").read_bytes()


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
    assert result.returncode == 2 and result.stderr == "cadence: error: --channel: unknown channel 'instagarm'; did you mean 'instagram'?\n"
    source.write_text("at,title,kind,channel\n2027-01-12 08:30,Hello,tip,instagarm\n2027-01-12 09:30,Hi,tpi,instagram\n")
    result = run_cadence("import", str(source), str(plan))
    assert result.stderr.splitlines()[:2] == [
        f"{source}:2:4: unknown channel 'instagarm'; did you mean 'instagram'?",
        f"{source}:3:3: unknown kind 'tpi'; did you mean 'tip'?",
    ]
    plan, source = setup(tmp_path, "title\nHello\n")
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 2 and "no column gives the time" in result.stderr


def imported(plan, title: str) -> dict:
    (post,) = [post for post in tomli.loads(plan.read_text(encoding="utf-8-sig"))["post"] if post["title"] == title]
    return post


def test_day_first_is_decided_for_the_whole_file_by_a_day_above_12(tmp_path):
    plan, source = setup(tmp_path, "at,title\n05/01/2027 10:00,Fifth of January\n13/01/2027 10:00,Thirteenth\n")
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 0, result.stderr
    assert str(imported(plan, "Fifth of January")["at"]) == "2027-01-05 10:00:00"


def test_month_first_is_decided_by_a_second_number_above_12(tmp_path):
    plan, source = setup(tmp_path, "at,title\n01/05/2027 10:00 AM,Fifth of January\n01/13/2027 7:30 PM,Thirteenth\n")
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 0, result.stderr
    assert str(imported(plan, "Fifth of January")["at"]) == "2027-01-05 10:00:00"
    assert str(imported(plan, "Thirteenth")["at"]) == "2027-01-13 19:30:00"


def test_dates_that_nothing_settles_are_refused_naming_date_format(tmp_path):
    plan, source = setup(tmp_path, "at,title\n05/01/2027 10:00,Fifth\n06/01/2027 10:00,Sixth\n")
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 2
    assert f"{source}:2:1: no row says whether dates are day/month or month/day" in result.stderr
    assert "--date-format" in result.stderr
    assert plan.read_bytes() == (SAMPLES / "kopi-senja.toml").read_bytes()
    mixed = setup(tmp_path, "at,title\n13/01/2027 10:00,Day first\n01/14/2027 10:00,Month first\n")[1]
    result = run_cadence("import", str(mixed), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 2 and "line 2 writes the day first and line 3 the month first" in result.stderr


def test_offsets_are_instants_in_the_plans_zone(tmp_path):
    plan, source = setup(tmp_path, "at,title\n2027-01-12T01:30:00Z,From UTC\n2027-01-13 10:00+09:00,From Tokyo\n")
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 0, result.stderr
    assert str(imported(plan, "From UTC")["at"]) == "2027-01-12 08:30:00"  # Jakarta is UTC+7
    assert str(imported(plan, "From Tokyo")["at"]) == "2027-01-13 08:00:00"


def test_semicolon_and_tab_delimiters_and_excel_line_breaks(tmp_path):
    semicolon = "at;title;body\r\n2027-01-12 08:30;Semicolons;\"two\r\nlines; one cell\"\r\n"
    plan, source = setup(tmp_path, semicolon)
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 0, result.stderr
    assert imported(plan, "Semicolons")["body"] == "two\nlines; one cell"
    tab = tmp_path / "tab.csv"
    tab.write_text("at\ttitle\n2027-01-13 08:30\tTabs, with a comma\n")
    result = run_cadence("import", str(tab), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 0, result.stderr
    assert str(imported(plan, "Tabs, with a comma")["at"]) == "2027-01-13 08:30:00"


def test_hootsuite_with_and_without_a_header_row(tmp_path):
    rows = '14/01/2027 09:00,"Roast day, come by",https://kopisenja.example/roast\n15/01/2027 09:05,Fresh beans,\n'
    plan, source = setup(tmp_path, rows)
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 0, result.stderr
    roast = imported(plan, "Roast day, come by")
    assert str(roast["at"]) == "2027-01-14 09:00:00" and roast["link"] == "https://kopisenja.example/roast"
    plan, source = setup(tmp_path, "Date,Message,Link\n" + rows)
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 0, result.stderr
    assert str(imported(plan, "Fresh beans")["at"]) == "2027-01-15 09:05:00"


def test_rows_outside_the_horizon_are_refused_unless_extend(tmp_path):
    plan, source = setup(tmp_path, "at,title\n2027-01-12 08:30,Inside\n2027-02-03 08:30,In February\n")
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 2
    assert f"{source}:3:1: 2027-02-03 08:30 is outside the plan's horizon 2027-01-04..2027-01-31 (--extend widens it)" in result.stderr
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip", "--extend")
    assert result.returncode == 0, result.stderr
    assert "horizon 2027-01-04..2027-01-31 becomes 2027-01-04..2027-02-03" in result.stdout
    assert str(tomli.loads(plan.read_text())["plan"]["end"]) == "2027-02-03"
    assert run_cadence("fmt", "--check", str(plan)).returncode == 0
    check = run_cadence("check", str(plan), "--today", "2027-01-01", "--select", "PLN004")
    assert check.returncode == 0 and "PLN004" not in check.stdout


def test_running_an_import_twice_adds_nothing_the_second_time(tmp_path):
    plan, source = setup(tmp_path, BUFFER)
    first = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert first.returncode == 0, first.stderr
    after_first = plan.read_bytes()
    second = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == [
        "= ig-20270112-latte-art-in-three-steps-for  already in the plan (line 2: same channel, time and title); skipped",
        "= ig-20270113-which-grind-for-which-brewer  already in the plan (line 3: same channel, time and title); skipped",
        f"added 0 posts to {plan}; skipped 2 duplicates",
    ]
    assert plan.read_bytes() == after_first


def test_files_that_used_to_crash_the_import_exit_2_with_a_line(tmp_path):
    plan, source = setup(tmp_path, "")
    cases = {
        b"at,title\r2027-01-12 08:30,Old Mac line ends\r": None,  # CR only: read, not refused
        b'at,title\n2027-01-12 08:30,"Never closed\n2027-01-13 08:30,Swallowed\n': ":2:1: a quoted cell starting in this row is never closed",
        b"at,title\n2027-01-12 08:30," + b"x" * (129 * 1024) + b"\n": ":2:1: a cell holds over 128 KiB of text",
        b"at,title\n0001-01-12 08:30,Year one\n": ":2:1: time '0001-01-12 08:30' is in the year 1; is it a typo?",
        b"at,title,x\n2027-01-12 08:30,Big,{n = " + b"1" * 5000 + b"}\n": f":2:3: x '{{n = {'1' * 35}' is not a TOML inline table",
    }
    for content, error in cases.items():
        source.write_bytes(content)
        result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip", "--dry-run", "--extend")
        assert "Traceback" not in result.stderr
        if error is None:
            assert result.returncode == 0 and "Old Mac line ends" in result.stdout, result.stderr
        else:
            assert result.returncode == 2 and f"{source}{error}" in result.stderr, result.stderr
            assert "Swallowed" not in result.stdout


def test_a_plan_with_a_byte_order_mark_takes_the_import_and_keeps_it(tmp_path):
    plan, source = setup(tmp_path, BUFFER)
    plan.write_bytes(b"\xef\xbb\xbf" + (SAMPLES / "kopi-senja.toml").read_bytes())
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip")
    assert result.returncode == 0, result.stderr
    assert plan.read_bytes().startswith(b"\xef\xbb\xbf# Kopi Senja")
    assert imported(plan, "Which grind for which brewer?")["channel"] == "instagram"


def test_an_offset_time_in_the_repeated_hour_of_the_plans_zone_is_refused(tmp_path):
    plan = tmp_path / "berlin.toml"
    plan.write_text(
        '[plan]\nname = "B"\ntimezone = "Europe/Berlin"\nstart = 2027-10-25\nend = 2027-11-07\n\n[kinds.tip]\n\n[channels.instagram]\n'
    )
    source = tmp_path / "rows.csv"
    source.write_text("at,title\n2027-10-31T02:30:00+02:00,First half past two\n2027-10-31T02:30:00+01:00,Second half past two\n")
    result = run_cadence("import", str(source), str(plan), "--channel", "instagram", "--kind", "tip", "--dry-run")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"{source}:3:1: time '2027-10-31T02:30:00+01:00' is the second 02:30 of the night the clocks go back in Europe/Berlin; a plan cannot say that"
    )
    assert "First half past two" not in result.stderr
