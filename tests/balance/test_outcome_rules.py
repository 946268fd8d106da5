"""OUT rules: silent without a store, firing on recorded outcomes, and in `cadence check` through a real store."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import DATA, check_file, run_cadence, store_with

OUT_CODES = ("OUT001", "OUT002", "OUT003", "OUT004")


def out_codes(diagnostics) -> list[str]:
    return [d.code for d in diagnostics if d.code.startswith("OUT")]


def followers(*records: tuple[str, float], channel: str = "instagram") -> str:
    return "".join(
        f"insert into channel_metrics (channel, day, metric, value) values ('{channel}', '{day}', 'followers', {value});\n"
        for day, value in records
    )


def logged(*post_ids: str) -> str:
    return "".join(
        f"insert into publications (post_id, channel, published_at) values ('{post_id}', 'instagram', '2027-01-04T03:00:00Z');\n"
        for post_id in post_ids
    )


ALL_LOGGED = logged("mon-1", "thu-1", "mon-2", "thu-2")


@pytest.mark.parametrize("code", OUT_CODES)
def test_without_a_store_out_rules_are_silent(code):
    assert out_codes(check_file(DATA / f"{code}.toml", today="2027-01-17")) == []


def test_flat_followers_fires_on_the_latest_window_only_when_records_span_it(tmp_path):
    plan = DATA / "OUT001.toml"  # flat_window = "10d"
    short = store_with(ALL_LOGGED + followers(("2027-01-10", 1000), ("2027-01-15", 1000)), tmp_path / "a.db", plan)
    assert out_codes(check_file(plan, today="2027-01-17", outcomes=short)) == []
    growing = store_with(ALL_LOGGED + followers(("2027-01-04", 1000), ("2027-01-15", 1020)), tmp_path / "b.db", plan)
    assert out_codes(check_file(plan, today="2027-01-17", outcomes=growing)) == []
    flat = store_with(ALL_LOGGED + followers(("2027-01-04", 1000), ("2027-01-15", 1002)), tmp_path / "c.db", plan)
    [finding] = check_file(plan, today="2027-01-17", outcomes=flat)
    assert finding.message == "instagram followers grew 0.2% in 11 days (1,000 to 1,002); under 1%: rethink tactics"
    assert (finding.channel, str(finding.date)) == ("instagram", "2027-01-15")


def test_a_spike_is_a_jump_between_consecutive_days(tmp_path):
    plan = DATA / "OUT002.toml"
    apart = store_with(ALL_LOGGED + followers(("2027-01-05", 1000), ("2027-01-08", 1300)), tmp_path / "a.db", plan)
    assert out_codes(check_file(plan, today="2027-01-17", outcomes=apart)) == []
    small = store_with(ALL_LOGGED + followers(("2027-01-05", 1000), ("2027-01-06", 1150)), tmp_path / "b.db", plan)
    assert out_codes(check_file(plan, today="2027-01-17", outcomes=small)) == []
    spike = store_with(ALL_LOGGED + followers(("2027-01-05", 1000), ("2027-01-06", 1300)), tmp_path / "c.db", plan)
    [finding] = check_file(plan, today="2027-01-17", outcomes=spike)
    assert finding.message == "instagram followers jumped 30.0% in a day (1,000 to 1,300 on 2027-01-06); check they are real accounts"


def test_behind_goal_names_the_path_and_when_the_trend_arrives(tmp_path):
    plan = DATA / "OUT003.toml"  # 1,000 -> 5,000 from 2027-01-04 to 2027-03-31
    behind = store_with(ALL_LOGGED + followers(("2027-01-04", 1000), ("2027-01-15", 1100)), tmp_path / "a.db", plan)
    [finding] = check_file(plan, today="2027-01-17", outcomes=behind)
    assert finding.code == "OUT003"
    assert finding.message.startswith("goal followers 5,000 on instagram by 2027-03-31: 1,100 on 2027-01-15, the path is at 1,512; ")
    assert "at this trend it reaches 5,000 on 2028-" in finding.message
    ahead = store_with(ALL_LOGGED + followers(("2027-01-04", 1000), ("2027-01-15", 1600)), tmp_path / "b.db", plan)
    assert out_codes(check_file(plan, today="2027-01-17", outcomes=ahead)) == []
    falling = store_with(ALL_LOGGED + followers(("2027-01-04", 1000), ("2027-01-15", 990)), tmp_path / "c.db", plan)
    [finding] = check_file(plan, today="2027-01-17", outcomes=falling)
    assert finding.message.endswith("at this trend it never reaches it")


def test_planned_not_published_waits_for_the_grace_then_names_the_post(tmp_path):
    plan = DATA / "OUT004.toml"
    store = store_with(logged("mon-1", "thu-1", "mon-2"), tmp_path / "a.db", plan)
    assert out_codes(check_file(plan, today="2027-01-15", outcomes=store)) == []  # thu-2 was yesterday: within a day's grace
    [finding] = check_file(plan, today="2027-01-16", outcomes=store)
    assert finding.message == "thu-2 was planned for Thu 2027-01-14 10:00 on instagram and has no publication record"
    assert finding.post_ids == ("thu-2",)
    everything = store_with(ALL_LOGGED, tmp_path / "b.db", plan)
    assert out_codes(check_file(plan, today="2027-01-16", outcomes=everything)) == []


def plan_with_store(tmp_path, code: str):
    """The fixture plan copied into a folder whose default store holds its records."""
    plan = tmp_path / "plan.toml"
    shutil.copy(DATA / f"{code}.toml", plan)
    store_with((DATA / f"{code}.sql").read_text(), tmp_path / ".cadence" / "outcomes.db", plan)
    return plan


def test_check_reads_the_default_store_beside_the_plan(tmp_path):
    plan = plan_with_store(tmp_path, "OUT004")
    result = run_cadence("check", str(plan), "--today", "2027-01-17")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        f"{plan}:76:1: OUT004 thu-2 was planned for Thu 2027-01-14 10:00 on instagram and has no publication record"
    )


def test_check_with_db_reads_that_store_and_a_missing_or_broken_one_exits_2(tmp_path):
    store_with((DATA / "OUT002.sql").read_text(), tmp_path / "elsewhere.db", DATA / "OUT002.toml")
    result = run_cadence("check", str(DATA / "OUT002.toml"), "--today", "2027-01-17", "--db", str(tmp_path / "elsewhere.db"), "--select", "OUT")
    assert "OUT002 instagram followers jumped 30.0% in a day" in result.stdout
    missing = run_cadence("check", str(DATA / "OUT002.toml"), "--db", str(tmp_path / "missing.db"))
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == f"cadence: error: {tmp_path / 'missing.db'}: no outcomes store there (record something with `cadence log` or `cadence metrics`)\n"
    (tmp_path / "broken.db").write_bytes(b"PK\x03\x04 a zip file, not a database" * 40)
    broken = run_cadence("check", str(DATA / "OUT002.toml"), "--db", str(tmp_path / "broken.db"))
    assert broken.returncode == 2
    assert "is not an SQLite database" in broken.stderr and "Traceback" not in broken.stderr


def test_a_newer_store_exits_2_without_a_traceback(tmp_path):
    plan = plan_with_store(tmp_path, "OUT001")
    import sqlite3

    with sqlite3.connect(tmp_path / ".cadence" / "outcomes.db") as connection:
        connection.execute("insert into _sqlite_migrations (migration_set, name, applied_at) values ('cadence-outcomes', '0099_future', 'x')")
    result = run_cadence("check", str(plan))
    assert result.returncode == 2
    assert result.stderr.strip().endswith("was written by a newer content-cadence (schema step 0099_future); upgrade content-cadence to use it")
