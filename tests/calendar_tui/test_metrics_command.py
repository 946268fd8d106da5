"""`cadence metrics`: one figure, and imports of real export layouts into a real store, read back."""

from __future__ import annotations

import sqlite3

from tests.conftest import SAMPLES, run_cadence

LATTE = "ig-latte-art-in-three-steps"


def sample(tmp_path):
    plan = tmp_path / "kopi-senja.toml"
    plan.write_bytes((SAMPLES / "kopi-senja.toml").read_bytes())
    return plan


def table(tmp_path, name: str, columns: str | None = None):
    """The rows of the sample plan's store, without the plan's name (every column, unless ``columns``)."""
    path = tmp_path / ".cadence" / "outcomes.db"
    if not path.exists():
        return []
    with sqlite3.connect(path) as connection:
        columns = columns or ", ".join(row[1] for row in connection.execute(f"pragma table_info({name})") if row[1] != "plan")
        return connection.execute(f"select {columns} from {name} where plan = 'kopi-senja.toml' order by 1, 2").fetchall()


def write_csv(tmp_path, text: str, name: str = "figures.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_one_figure_goes_in_on_its_day(tmp_path):
    plan = sample(tmp_path)
    result = run_cadence("metrics", str(plan), "instagram", "followers", "3,310", "--on", "2027-01-04")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"recorded followers = 3310 for instagram on 2027-01-04 in {tmp_path / '.cadence' / 'outcomes.db'}\n"
    assert table(tmp_path, "channel_metrics", "channel, day, metric, value, source") == [("instagram", "2027-01-04", "followers", 3310.0, "cli")]
    today = run_cadence("metrics", str(plan), "plan", "visits", "12", env={"CADENCE_TODAY": "2027-01-05"})
    assert "recorded visits = 12 for plan on 2027-01-05" in today.stdout


def test_one_figure_rejects_unknown_names_and_negative_values(tmp_path):
    plan = sample(tmp_path)
    channel = run_cadence("metrics", str(plan), "instagam", "followers", "1")
    assert (channel.returncode, channel.stderr) == (2, f"cadence: error: {plan}: unknown channel 'instagam'; did you mean 'instagram'?\n")
    metric = run_cadence("metrics", str(plan), "instagram", "folowers", "1")
    assert metric.stderr == "cadence: error: unknown metric 'folowers'; did you mean 'followers'?\n"
    negative = run_cadence("metrics", str(plan), "instagram", "followers", "-5")
    assert (negative.returncode, negative.stderr) == (2, "cadence: error: value -5 is negative; followers cannot be\n")
    assert table(tmp_path, "channel_metrics") == []


GENERIC = """post_id,day,impressions,reach,likes,comments,shares,saves,clicks
ig-latte-art-in-three-steps,2027-01-06,1800,1500,120,14,6,30,
tt-15-second-latte-heart,2027-01-06,5400,4900,410,22,35,,
ig-latte-art-in-3-steps,2027-01-06,1,1,1,1,1,1,1
tt-15-second-latte-heart,2027-01-07,5400,4900,-4,22,35,,
"""


def test_a_bad_file_writes_nothing_and_lists_every_bad_row_with_its_line(tmp_path):
    plan, figures = sample(tmp_path), write_csv(tmp_path, GENERIC)
    result = run_cadence("metrics", "import", str(plan), str(figures))
    assert result.returncode == 2
    assert result.stderr == (
        f"{figures}:4: unmatched: unknown post 'ig-latte-art-in-3-steps'; did you mean '{LATTE}'?\n"
        f"{figures}:5: rejected: likes is negative (-4)\n"
        f"nothing written: 2 rows of {figures} cannot be used (--partial writes the others)\n"
    )
    assert table(tmp_path, "post_metrics") == []


def test_partial_writes_the_good_rows_and_importing_twice_changes_nothing(tmp_path):
    plan, figures = sample(tmp_path), write_csv(tmp_path, GENERIC)
    first = run_cadence("metrics", "import", str(plan), str(figures), "--partial")
    assert first.returncode == 0  # 1 means findings about the plan; the left-out rows are on stderr
    assert first.stdout.startswith(f"{figures} (generic layout, 4 rows): 2 added, 0 updated, 0 unchanged, 1 unmatched, 1 rejected; in ")
    stored = table(tmp_path, "post_metrics")
    assert [row[:5] for row in stored] == [
        (LATTE, "2027-01-06", 1800, 1500, 120),
        ("tt-15-second-latte-heart", "2027-01-06", 5400, 4900, 410),
    ]
    second = run_cadence("metrics", "import", str(plan), str(figures), "--partial")
    assert "0 added, 0 updated, 2 unchanged" in second.stdout
    assert table(tmp_path, "post_metrics") == stored


META_INSTAGRAM = """Post ID,Account ID,Account username,Account name,Description,Duration (sec),Publish time,Permalink,Post type,Data comment,Date,Views,Reach,Likes,Shares,Follows,Comments,Saves
17900000000000001,1784,kopisenja,Kopi Senja,"Latte art in three steps
#coffee",0,01/04/2027 10:12,https://www.instagram.com/p/abc/,IG image,,Lifetime,2100,1650,131,7,4,15,33
17900000000000002,1784,kopisenja,Kopi Senja,Gayo,0,01/06/2027 09:40,https://www.instagram.com/p/def/,IG carousel,,Lifetime,2500,1900,150,9,6,18,41
17900000000000003,1784,kopisenja,Kopi Senja,Late night,0,01/08/2027 22:40,https://www.instagram.com/p/xyz/,IG reel,,Lifetime,900,800,50,1,0,2,3
17900000000000004,1784,kopisenja,Kopi Senja,Old,0,12/01/2026 10:00,https://www.instagram.com/p/old/,IG image,,Lifetime,900,800,50,1,0,2,3
"""


def test_meta_instagram_export_matches_by_channel_and_time_within_tolerance(tmp_path):
    plan, figures = sample(tmp_path), write_csv(tmp_path, META_INSTAGRAM)
    result = run_cadence("metrics", "import", str(plan), str(figures), "--partial", "--today", "2027-02-01")
    assert result.stdout.startswith(f"{figures} (Meta Business Suite (Instagram) layout, 4 rows): 2 added, ")
    assert result.stderr == (
        f"{figures}:5: unmatched: no post on instagram within its tolerance of Fri 2027-01-08 22:40; "
        "no publication logged with the address https://www.instagram.com/p/xyz/\n"
        f"{figures}:6: rejected: 2026-12-01 is outside the plan (2027-01-04 to 2027-01-31)\n"
    )
    rows = table(tmp_path, "post_metrics")
    assert [(row[0], row[1], row[2], row[4], row[7]) for row in rows] == [
        (LATTE, "2027-02-01", 2100, 131, 33),  # Views are impressions; lifetime totals are as of the export day
        ("ig-new-gayo-single-origin-15", "2027-02-01", 2500, 150, 41),
    ]


BUFFER = """date,text,serviceLink,type,impressions,reach,likes,comments,shares,saves,clicks
01/05/2027 19:04:00,15-second latte heart,https://www.tiktok.com/@kopisenja/video/1,video,5400,4900,410,22,35,,
01/20/2027 08:00:00,Something we never planned,https://www.tiktok.com/@kopisenja/video/9,video,100,90,3,0,0,,
"""


def test_buffer_export_matches_by_address_when_the_time_is_off(tmp_path):
    plan = sample(tmp_path)
    run_cadence("log", str(plan), "tt-15-second-latte-heart", "--at", "2027-01-05T19:04", "--url", "https://www.tiktok.com/@kopisenja/video/1")
    run_cadence("log", str(plan), "tt-cold-brew-at-home-overnight", "--url", "https://www.tiktok.com/@kopisenja/video/9/")
    figures = write_csv(tmp_path, BUFFER)
    result = run_cadence("metrics", "import", str(plan), str(figures), "--channel", "tiktok", "--on", "2027-01-31")
    assert result.returncode == 0, result.stderr
    assert "(Buffer analytics layout, 2 rows): 2 added" in result.stdout
    assert [(row[0], row[1], row[4]) for row in table(tmp_path, "post_metrics")] == [
        ("tt-15-second-latte-heart", "2027-01-31", 410),
        ("tt-cold-brew-at-home-overnight", "2027-01-31", 3),
    ]


def test_map_and_channel_figures_in_the_generic_layout(tmp_path):
    plan = sample(tmp_path)
    figures = write_csv(tmp_path, "Network,Day,Fans\ninstagram,2027-01-04,3200\ninstagram,2027-01-11,3265\n")
    wrong_column = run_cadence("metrics", "import", str(plan), str(figures), "--map", "Fanz=value")
    assert wrong_column.stderr == f"cadence: error: {figures}: --map: the CSV has no column 'Fanz'; did you mean 'Fans'?\n"
    wrong_field = run_cadence("metrics", "import", str(plan), str(figures), "--map", "Fans=valeu")
    assert wrong_field.stderr == f"cadence: error: {figures}: --map: no field 'valeu'; did you mean 'value'?\n"
    odd = write_csv(tmp_path, "Network,When,Fans\ninstagram,2027-01-04,3200\n", "odd.csv")
    unknown = run_cadence("metrics", "import", str(plan), str(odd))
    assert unknown.stderr == (
        f"cadence: error: {odd}: no column is one this import knows (its columns: Network, When, Fans); map them with --map COLUMN=FIELD\n"
    )
    (tmp_path / "empty.csv").write_text("")
    empty = run_cadence("metrics", "import", str(plan), str(tmp_path / "empty.csv"))
    assert (empty.returncode, empty.stderr) == (2, f"cadence: error: {tmp_path / 'empty.csv'} is empty; it needs a header row and a row per figure\n")
    mapped = write_csv(tmp_path, "Network,Day,metric,Fans\ninstagram,2027-01-04,followers,3200\ninstagram,2027-01-11,followers,3265\n")
    result = run_cadence("metrics", "import", str(plan), str(mapped), "--map", "Network=channel", "--map", "Day=day", "--map", "Fans=value")
    assert result.returncode == 0, result.stderr
    assert [row[:4] for row in table(tmp_path, "channel_metrics")] == [
        ("instagram", "2027-01-04", "followers", 3200.0),
        ("instagram", "2027-01-11", "followers", 3265.0),
    ]


def test_import_options_belong_to_import_and_a_missing_csv_is_one_line(tmp_path):
    plan = sample(tmp_path)
    misplaced = run_cadence("metrics", str(plan), "instagram", "followers", "1", "--partial")
    assert misplaced.stderr == "cadence: error: --partial: an option of `cadence metrics import`\n"
    missing = run_cadence("metrics", "import", str(plan), str(tmp_path / "nope.csv"))
    assert (missing.returncode, missing.stderr) == (2, f"cadence: error: {tmp_path / 'nope.csv'}: cannot be read: No such file or directory\n")


def test_swapped_arguments_are_named_not_read_as_toml(tmp_path):
    plan = sample(tmp_path)
    figures = write_csv(tmp_path, GENERIC)
    for spreadsheet, kind in ((figures, "a CSV"), (tmp_path / "figures.xlsx", "a spreadsheet")):
        result = run_cadence("metrics", "import", str(spreadsheet), str(plan))
        assert (result.returncode, result.stderr) == (
            2, f"cadence: error: {spreadsheet} looks like {kind}, not a plan: the order is `cadence metrics import PLAN CSV`\n"
        )
    assert not (tmp_path / ".cadence").exists()


def test_a_refused_import_creates_no_store(tmp_path):
    plan, figures = sample(tmp_path), write_csv(tmp_path, GENERIC)
    assert run_cadence("metrics", "import", str(plan), str(figures)).returncode == 2
    assert run_cadence("metrics", "import", str(plan), str(figures), "--map", "nope=value").returncode == 2
    assert not (tmp_path / ".cadence").exists()  # a store, even empty, would switch the OUT rules on


def test_numbers_that_are_no_counts_are_rejected_rows_not_tracebacks(tmp_path):
    plan = sample(tmp_path)
    figures = write_csv(tmp_path, f"post_id,day,likes\n{LATTE},2027-01-06,\u00b2\n{LATTE},2027-01-07,nan\n{LATTE},2027-01-08,inf\n"
                        f"{LATTE},2027-01-09,\uff11\n{LATTE},2027-01-10,1e30\n")
    result = run_cadence("metrics", "import", str(plan), str(figures))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:5] == [
        f"{figures}:2: rejected: likes '\u00b2' is not a number",
        f"{figures}:3: rejected: likes 'nan' is not a number",
        f"{figures}:4: rejected: likes 'inf' is not a number",
        f"{figures}:5: rejected: likes '\uff11' is not a number",
        f"{figures}:6: rejected: likes 1e30 is more than a count can be",
    ]
    channel = write_csv(tmp_path, "channel,day,metric,value\ninstagram,2027-01-04,followers,nan\n", "channel.csv")
    assert f"{channel}:2: rejected: value 'nan' is not a number" in run_cadence("metrics", "import", str(plan), str(channel)).stderr
    one = run_cadence("metrics", str(plan), "instagram", "followers", "inf")
    assert (one.returncode, one.stderr) == (2, "cadence: error: value 'inf' is not a number\n")
    assert not (tmp_path / ".cadence").exists()


def test_unknown_channel_metrics_are_rejected_as_the_one_figure_command_does(tmp_path):
    plan = sample(tmp_path)
    figures = write_csv(tmp_path, "channel,day,metric,value\ninstagram,2027-01-04,folowers,3200\n")
    result = run_cadence("metrics", "import", str(plan), str(figures))
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == f"{figures}:2: rejected: unknown metric 'folowers'; did you mean 'followers'?"


def test_the_csv_is_read_as_the_posts_import_reads_it(tmp_path):
    plan = sample(tmp_path)
    semicolons = write_csv(tmp_path, "channel;day;metric;value\ninstagram;2027-01-04;followers;3200\n", "semi.csv")
    assert run_cadence("metrics", "import", str(plan), str(semicolons)).returncode == 0
    assert [row[:4] for row in table(tmp_path, "channel_metrics")] == [("instagram", "2027-01-04", "followers", 3200.0)]
    unclosed = write_csv(tmp_path, f'post_id,day,likes\n{LATTE},2027-01-06,"12\n{LATTE},2027-01-07,3\n', "unclosed.csv")
    refused = run_cadence("metrics", "import", str(plan), str(unclosed))
    assert (refused.returncode, refused.stderr) == (2, f"cadence: error: {unclosed}:2: a quoted cell starting in this row is never closed\n")
    huge = write_csv(tmp_path, f"post_id,day,likes\n{LATTE},2027-01-06,{'9' * (129 * 1024)}\n", "huge.csv")
    too_big = run_cadence("metrics", "import", str(plan), str(huge))
    assert (too_big.returncode, too_big.stderr) == (2, f"cadence: error: {huge}:2: a cell holds over 128 KiB of text\n")


# -- a figure is read the way its file writes numbers and dates, and only where it is read -----


def test_one_figure_is_read_with_its_decimal_mark_and_a_count_is_whole(tmp_path):
    plan = sample(tmp_path)
    store = tmp_path / ".cadence" / "outcomes.db"
    rate = run_cadence("metrics", str(plan), "tiktok", "engagement_rate", "0,06", "--on", "2027-01-10")
    assert rate.stdout == f"recorded engagement_rate = 0.06 for tiktok on 2027-01-10 in {store}\n"
    grouped = run_cadence("metrics", str(plan), "tiktok", "followers", "3.250", "--on", "2027-01-11")
    assert grouped.stdout == f"recorded followers = 3250 for tiktok on 2027-01-11 in {store}\n"  # a count: only thousands
    ambiguous = run_cadence("metrics", str(plan), "tiktok", "engagement_rate", "1.250", "--on", "2027-01-12")
    assert (ambiguous.returncode, ambiguous.stderr) == (
        2, "cadence: error: value '1.250' is 1.25 with a decimal point and 1250 with a decimal comma; pass --decimal . or --decimal , to say which\n"
    )
    said = run_cadence("metrics", str(plan), "tiktok", "engagement_rate", "1.250", "--on", "2027-01-12", "--decimal", ".")
    assert said.stdout == f"recorded engagement_rate = 1.25 for tiktok on 2027-01-12 in {store}\n"
    fraction = run_cadence("metrics", str(plan), "tiktok", "followers", "3,5", "--on", "2027-01-13")
    assert (fraction.returncode, fraction.stderr) == (2, "cadence: error: value '3,5' is not a whole number\n")
    assert table(tmp_path, "channel_metrics", "day, metric, value") == [
        ("2027-01-10", "engagement_rate", 0.06), ("2027-01-11", "followers", 3250.0), ("2027-01-12", "engagement_rate", 1.25)
    ]


GERMAN = """channel;day;metric;value;post_id;likes
tiktok;04.01.2027;followers;1.800;;
tiktok;11.01.2027;engagement_rate;0,061;;
;13.01.2027;;;tt-15-second-latte-heart;1.204
"""


def test_an_export_is_read_the_way_it_writes_numbers_and_dates(tmp_path):
    plan = sample(tmp_path)
    figures = write_csv(tmp_path, GERMAN)
    result = run_cadence("metrics", "import", str(plan), str(figures))
    assert result.returncode == 0, result.stderr
    assert table(tmp_path, "channel_metrics", "day, metric, value") == [("2027-01-04", "followers", 1800.0), ("2027-01-11", "engagement_rate", 0.061)]
    assert table(tmp_path, "post_metrics", "post_id, day, likes") == [("tt-15-second-latte-heart", "2027-01-13", 1204)]

    mixed = write_csv(tmp_path, "channel,day,metric,value\ntiktok,2027-01-04,engagement_rate,\"0,06\"\ntiktok,2027-01-05,engagement_rate,0.07\n", "mixed.csv")
    refused = run_cadence("metrics", "import", str(plan), str(mixed), "--partial")
    assert (refused.returncode, refused.stderr) == (
        2, f"cadence: error: {mixed}:3: line 3 writes 0.07 with a decimal point and line 2 writes 0,06 with a decimal comma; "
           "a file writes its numbers one way: correct it, or pass --decimal . or --decimal , to say which\n"
    )
    open_question = write_csv(tmp_path, "channel,day,metric,value\ntiktok,2027-01-06,engagement_rate,1.250\ntiktok,2027-01-07,followers,2000\n", "open.csv")
    undecided = run_cadence("metrics", "import", str(plan), str(open_question))
    assert undecided.returncode == 2 and undecided.stderr.splitlines()[0] == (
        f"{open_question}:2: rejected: value '1.250' is 1.25 with a decimal point and 1250 with a decimal comma; pass --decimal . or --decimal , to say which"
    )
    assert run_cadence("metrics", "import", str(plan), str(open_question), "--decimal", ",").returncode == 0
    assert ("2027-01-06", "engagement_rate", 1250.0) in table(tmp_path, "channel_metrics", "day, metric, value")
    fraction = write_csv(tmp_path, f"post_id,day,likes\n{LATTE},2027-01-06,\"12,5\"\n{LATTE},2027-01-07,\"1,5\"\n", "fraction.csv")
    assert run_cadence("metrics", "import", str(plan), str(fraction)).stderr.splitlines()[:2] == [
        f"{fraction}:2: rejected: likes '12,5' is not a whole number", f"{fraction}:3: rejected: likes '1,5' is not a whole number",
    ]


def test_dates_are_read_in_the_files_order_of_day_and_month(tmp_path):
    plan = sample(tmp_path)
    day_first = write_csv(tmp_path, "channel,day,metric,value\ntiktok,05/01/2027,followers,1800\ntiktok,13/01/2027,followers,1850\n", "day.csv")
    assert run_cadence("metrics", "import", str(plan), str(day_first)).returncode == 0
    assert table(tmp_path, "channel_metrics", "day, value") == [("2027-01-05", 1800.0), ("2027-01-13", 1850.0)]
    both = write_csv(tmp_path, "channel,day,metric,value\ntiktok,13/01/2027,followers,1\ntiktok,01/14/2027,followers,2\n", "both.csv")
    mixed = run_cadence("metrics", "import", str(plan), str(both))
    assert (mixed.returncode, mixed.stderr) == (
        2, f"cadence: error: {both}:3: line 2 writes the day first and line 3 the month first; pass --date-order day-first or --date-order month-first\n"
    )
    open_question = write_csv(tmp_path, "channel,day,metric,value\ntiktok,06/01/2027,followers,1900\n", "open.csv")
    undecided = run_cadence("metrics", "import", str(plan), str(open_question))
    assert undecided.stderr == (
        f"cadence: error: {open_question}:2: no row says whether dates are day/month or month/day (no day above 12); "
        "pass --date-order day-first or --date-order month-first\n"
    )
    assert run_cadence("metrics", "import", str(plan), str(open_question), "--date-order", "day-first").returncode == 0
    assert ("2027-01-06", 1900.0) in table(tmp_path, "channel_metrics", "day, value")


def test_a_figure_outside_the_horizon_is_refused_unless_extend_widens_the_plan(tmp_path):
    plan = sample(tmp_path)
    before = plan.read_text()
    late = run_cadence("metrics", str(plan), "instagram", "followers", "4000", "--on", "2031-05-05")
    assert (late.returncode, late.stderr) == (
        2, "cadence: error: not recorded: --on 2031-05-05 is outside the plan (2027-01-04 to 2027-01-31), where nothing reads it; "
           "--extend widens the plan to hold it\n"
    )
    today = run_cadence("metrics", str(plan), "instagram", "followers", "4000", env={"CADENCE_TODAY": "2027-02-03"})
    assert today.stderr.startswith("cadence: error: not recorded: today, 2027-02-03, is outside the plan (2027-01-04 to 2027-01-31)")
    assert not (tmp_path / ".cadence").exists() and plan.read_text() == before
    early = run_cadence("metrics", str(plan), "instagram", "followers", "3150", "--on", "2027-01-02", "--extend")
    assert early.stdout.splitlines()[1] == f"horizon 2027-01-04..2027-01-31 becomes 2027-01-02..2027-01-31 in {plan}"
    assert [line for line in plan.read_text().splitlines() if line not in before.splitlines()] == ["start = 2027-01-02"]
    before = plan.read_text()
    export = write_csv(tmp_path, "channel,day,metric,value\ninstagram,2027-01-25,followers,3350\ninstagram,2027-02-07,followers,3400\n")
    refused = run_cadence("metrics", "import", str(plan), str(export))
    assert refused.stderr.splitlines()[0] == (
        f"{export}:3: rejected: 2027-02-07 is outside the plan (2027-01-02 to 2027-01-31), where nothing reads it; --extend widens the plan to hold it"
    )
    extended = run_cadence("metrics", "import", str(plan), str(export), "--extend")
    assert extended.returncode == 0, extended.stderr
    assert extended.stdout.splitlines()[1] == f"horizon 2027-01-02..2027-01-31 becomes 2027-01-02..2027-02-07 in {plan}"
    assert [line for line in plan.read_text().splitlines() if line not in before.splitlines()] == ["end = 2027-02-07"]
    report = run_cadence("report", str(plan), "--today", "2027-02-08")
    assert "  followers: 3,150 on 2027-01-02 → 3,400 on 2027-02-07 (+7.9%) ▁▇█" in report.stdout.splitlines()  # both widenings read
