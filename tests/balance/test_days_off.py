"""Holidays and blackouts: the slots a channel skips on holidays, PLN006 in-blackout beyond its
fixture, suggestions that keep out of blackouts, and the plan's days-off keys as hostile input."""

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import PlanError
from tests.conftest import check_text, plan_text, post_toml, run_cadence

DAILY = """\
[channels.instagram]
cadence = "0 10 * * *"
{extra}
"""
# Indonesia, March 2027: Nyepi (Day of Silence) is Monday 8 March
MARCH = {"start": "2027-03-07", "end": "2027-03-09"}


def missed_days(text: str) -> list[str]:
    return [str(d.date) for d in check_text(text, select=("CAD001",))]


def found(text: str, code: str = "PLN006") -> list[tuple[int, str]]:
    return [(d.line, d.message) for d in check_text(text, select=(code,))]


def test_a_channel_that_skips_holidays_has_no_slot_on_nyepi_and_one_that_keeps_them_does():
    head = plan_text(DAILY.format(extra='on_holiday = "skip"'), **MARCH).replace('end = 2027-03-09\n', 'end = 2027-03-09\nholidays = ["ID"]\n')
    assert missed_days(head) == ["2027-03-07", "2027-03-09"]
    assert missed_days(head.replace('on_holiday = "skip"', 'on_holiday = "keep"')) == ["2027-03-07", "2027-03-08", "2027-03-09"]
    assert missed_days(head.replace('on_holiday = "skip"', "")) == ["2027-03-07", "2027-03-08", "2027-03-09"]  # keep is the default
    assert missed_days(head.replace('holidays = ["ID"]', 'holidays = ["DE-BY"]')) == ["2027-03-07", "2027-03-08", "2027-03-09"]


def test_a_blackout_of_every_kind_takes_the_slots_away_and_one_of_some_kinds_leaves_them():
    blackout = '[[blackout]]\nfrom = 2027-03-08\nto = 2027-03-09\nreason = "Nyepi"\n'
    text = plan_text(DAILY.format(extra="") + blackout, **MARCH)
    assert missed_days(text) == ["2027-03-07"]
    assert missed_days(text + 'kinds = ["promotional"]\n') == ["2027-03-07", "2027-03-08", "2027-03-09"]
    assert missed_days(text + 'channels = ["tiktok"]\n[channels.tiktok]\n') == ["2027-03-07", "2027-03-08", "2027-03-09"]


def test_pln006_names_the_reason_and_covers_only_its_channels_and_kinds():
    blackout = '[[blackout]]\nfrom = 2027-03-08\nto = 2027-03-10\nreason = "Nyepi: no selling"\nkinds = ["promotional"]\nchannels = ["instagram"]\n\n'
    posts = (
        post_toml("promo-ig", "2027-03-09T10:00:00", kind="promo")
        + post_toml("tip-ig", "2027-03-09T11:00:00", kind="tip")
        + post_toml("promo-x", "2027-03-09T12:00:00", channel="x", kind="promo")
        + post_toml("promo-after", "2027-03-11T10:00:00", kind="promo")
        + post_toml("promo-skipped", "2027-03-08T10:00:00", kind="promo", status='"skipped"')
    )
    text = plan_text("[channels.instagram]\n[channels.x]\n" + blackout + posts, start="2027-03-01", end="2027-03-31")
    line = text.splitlines().index('at = 2027-03-09T10:00:00') + 1
    assert found(text) == [(line, "post promo-ig on Tue 2027-03-09 falls in a blackout (2027-03-08..2027-03-10): Nyepi: no selling")]
    assert found(text.replace('kinds = ["promotional"]', 'kinds = ["promo", "tip"]')) == [
        (line, "post promo-ig on Tue 2027-03-09 falls in a blackout (2027-03-08..2027-03-10): Nyepi: no selling"),
        (line + 7, "post tip-ig on Tue 2027-03-09 falls in a blackout (2027-03-08..2027-03-10): Nyepi: no selling"),
    ]
    assert found(text.replace("to = 2027-03-10\n", "")) == []  # without `to`, the blackout is its one day


def test_a_blackout_ends_at_local_midnight_across_a_daylight_saving_change():
    # Berlin moves to summer time on Sunday 28 March 2027: 00:30 on the 29th is 22:30 UTC on the 28th
    blackout = '[channels.instagram]\ncadence = "30 0 * * *"\n\n[[blackout]]\nfrom = 2027-03-27\nto = 2027-03-28\nreason = "mourning"\n\n'
    posts = post_toml("late", "2027-03-28T23:30:00") + post_toml("after", "2027-03-29T00:30:00") + post_toml("before", "2027-03-27T00:00:00")
    text = plan_text(blackout + posts, timezone="Europe/Berlin", start="2027-03-26", end="2027-03-30")
    assert sorted(message.split(" falls")[0] for _, message in found(text)) == ["post before on Sat 2027-03-27", "post late on Sun 2027-03-28"]
    assert missed_days(text) == ["2027-03-26", "2027-03-30"]  # the 27th and 28th have no slot; the 29th's is filled


def test_suggestions_never_put_a_blacked_out_kind_in_a_slot(tmp_path):
    backlog = '[[backlog]]\nid = "bk-promo"\nkind = "promo"\ntitle = "Our beans"\n\n[[backlog]]\nid = "bk-tip"\nkind = "tip"\ntitle = "Grind"\n'
    blackout = '[[blackout]]\nfrom = 2027-03-08\nreason = "Nyepi"\nkinds = ["promo"]\n\n'
    text = plan_text(DAILY.format(extra="") + blackout + backlog, start="2027-03-08", end="2027-03-08")
    text = text.replace("[kinds.promo]\npromotional = true\n", "[kinds.promo]\n")  # no mix limit keeps the promotion out
    plan = tmp_path / "plan.toml"
    plan.write_text(text)
    shown = run_cadence("suggest", str(plan), "--format", "json")
    assert [p["idea"] for p in json.loads(shown.stdout)["proposals"]] == ["bk-tip"]
    plan.write_text(text.replace('kinds = ["promo"]', 'kinds = ["tip"]'))
    assert [p["idea"] for p in json.loads(run_cadence("suggest", str(plan), "--format", "json").stdout)["proposals"]] == ["bk-promo"]


def test_holiday_and_blackout_mistakes_are_located_and_exit_2(write_plan):
    text = plan_text(
        '[channels.instagram]\non_holiday = "sometimes"\n\n'
        '[[blackout]]\nfrom = 2027-01-10\nto = 2027-01-09\nreason = "x"\nchannels = ["instagrm"]\nkinds = ["promotion"]\n\n'
        '[[blackout]]\nfrom = 2027-01-10T00:00:00\nreason = ""\n\n'
        '[[blackout]]\nto = 2027-02-28\n'
    ).replace('end = 2027-01-31\n', 'end = 2027-01-31\nholidays = ["XX", "ID-BA", "id", "DE-BY", "ID-"]\n')
    result = run_cadence("check", str(write_plan(text)))
    assert result.returncode == 2
    path = str(write_plan(text))
    lines = {line.split(": ", 1)[1] for line in result.stderr.splitlines() if line.startswith(path)}
    assert lines >= {
        "unknown holiday country 'XX': use an ISO 3166 code such as \"ID\" or \"DE-BY\"",
        "ID has no subdivision 'BA' for holidays (known: none: use \"ID\")",
        "holiday region 'ID-' ends in a dash: write a country (\"ID\") or a country and a subdivision (\"DE-BY\")",
        "unknown holiday country 'id': use an ISO 3166 code such as \"ID\" or \"DE-BY\"; did you mean 'ID'?",
        "on_holiday must be \"keep\" or \"skip\", not the string 'sometimes'",
        "the blackout ends (2027-01-09) before it starts (2027-01-10)",
        "unknown channel 'instagrm'; did you mean 'instagram'? (known: instagram)",
        "unknown kind or flag 'promotion'; did you mean 'promotional'? (known: conversation, promo, promotional, question, tip, useful)",
        "from must be a date such as 2027-01-31 (no quotes), not a date-time",
        "reason must not be empty",
        "[[blackout]] needs from, reason",
    }, result.stderr
    assert "Traceback" not in result.stderr


def test_huge_lists_are_refused_with_their_line(write_plan):
    many_regions = plan_text().replace('end = 2027-01-31\n', f'end = 2027-01-31\nholidays = {["ID"] * 5000!r}\n'.replace("'", '"'))
    result = run_cadence("check", str(write_plan(many_regions)))
    assert result.returncode == 2 and ":6:1: holidays names 5,000 regions; a plan may name at most 20" in result.stderr
    strangers = ", ".join(f'"c{n}"' for n in range(100_000))
    result = run_cadence("check", str(write_plan(plan_text(f'[channels.ig]\n[[blackout]]\nfrom = 2027-01-05\nreason = "r"\nchannels = [{strangers}]\n'))))
    assert [line.split(": ", 1)[1] for line in result.stderr.splitlines()] == [
        "unknown channel 'c0' (known: ig)", "unknown channel 'c1' (known: ig)", "unknown channel 'c2' (known: ig)"
    ]
    one_day = '[[blackout]]\nfrom = 2027-01-05\nreason = "r"\n'
    result = run_cadence("check", str(write_plan(plan_text(one_day * 1001))))
    the_1001st = len(plan_text().splitlines()) + 3 * 1000 + 1
    assert result.returncode == 2 and result.stderr.splitlines()[0].endswith(
        f":{the_1001st}:1: the plan has 1,001 [[blackout]] tables; at most 1,000: give neighbouring days one from..to"
    )
    assert run_cadence("check", str(write_plan(plan_text(one_day * 1000)))).returncode == 0


@settings(max_examples=25)
@given(first=st.dates(date(2026, 12, 20), date(2027, 1, 20)), days=st.integers(-3, 40), kinds=st.sampled_from([None, '["promo"]', '["useful"]']))
def test_a_post_is_in_pln006_exactly_when_its_local_day_is_in_the_span(first, days, kinds):
    last = first + timedelta(days=days)
    blackout = f'[[blackout]]\nfrom = {first}\nto = {last}\nreason = "r"\n' + (f"kinds = {kinds}\n" if kinds else "")
    posts = post_toml("tip", "2027-01-10T23:59:00") + post_toml("promo", "2027-01-11T00:00:00", kind="promo")
    text = plan_text("[channels.instagram]\n" + blackout + "\n" + posts)
    if last < first:
        with pytest.raises(PlanError, match="the blackout ends"):
            check_text(text)
        return
    fired = {message.split()[1] for _, message in found(text)}
    in_span = {name for name, day in (("tip", "2027-01-10"), ("promo", "2027-01-11")) if str(first) <= day <= str(last)}
    wanted = {"tip": {None, '["useful"]'}, "promo": {None, '["promo"]'}}
    assert fired == {name for name in in_span if kinds in wanted[name]}


def test_fmt_puts_blackouts_after_the_rules_as_one_group_and_reads_them_back_the_same():
    from planner.formatter import format_plan
    from planner.loader import plan_from_text

    blackouts = '[[blackout]]\nreason = "first"\nfrom = 2027-01-05\n[[blackout]]\nfrom = 2027-01-09\nto = 2027-01-10\nreason = "second"\n'
    text = plan_text(post_toml("tip", "2027-01-06T10:00:00") + blackouts + '[channels.instagram]\n[rules]\nignore = ["PLN001"]\n')
    formatted = format_plan(text)
    assert format_plan(formatted) == formatted
    assert formatted.index("[rules]") < formatted.index("[[blackout]]") < formatted.index("[[post]]")
    assert '[[blackout]]\nfrom = 2027-01-05\nreason = "first"\n\n[[blackout]]\nfrom = 2027-01-09' in formatted
    assert plan_from_text(formatted, "plan.toml").blackouts == plan_from_text(text, "plan.toml").blackouts


def test_a_channel_is_not_silent_on_its_days_off():
    # tiktok posts on Monday 1 and Monday 15 March; Nyepi (8th) and Eid (10th, 11th) are holidays in Indonesia
    posts = post_toml("a", "2027-03-01T19:00:00", channel="tiktok") + post_toml("b", "2027-03-15T19:00:00", channel="tiktok")
    channel = '[channels.tiktok]\nmax_silence = "{limit}"\n{extra}\n'
    blackout = '[[blackout]]\nfrom = 2027-03-02\nto = 2027-03-05\nreason = "mourning"\n\n'

    def silence(limit: str, extra: str = "", more: str = "") -> list[str]:
        text = plan_text(channel.format(limit=limit, extra=extra) + more + posts, start="2027-03-01", end="2027-03-15")
        return [message for _, message in found(text.replace("end = 2027-03-15\n", 'end = 2027-03-15\nholidays = ["ID"]\n'), "CAD003")]

    assert silence("6d") == ["tiktok is silent for 13 days, Tue 2027-03-02..Sun 2027-03-14, max_silence 6d"]
    assert silence("6d", 'on_holiday = "skip"') == ["tiktok is silent for 10 days, Tue 2027-03-02..Sun 2027-03-14 (not counting 3 days off), max_silence 6d"]
    assert silence("6d", 'on_holiday = "skip"', blackout) == []  # 13 days less 3 holidays and 4 of mourning
    assert silence("6d", "", blackout.replace('reason = "mourning"', 'reason = "r"\nkinds = ["promo"]')) != []  # a blackout of some kinds is no day off
    # in hours: 336h between the posts, less seven whole days off
    assert silence("150h", 'on_holiday = "skip"', blackout) == ["tiktok is silent for 168h from Mon 2027-03-01 19:00 (not counting days off), max_silence 150h"]
    assert silence("170h", 'on_holiday = "skip"', blackout) == []


def test_a_post_in_many_blackouts_gets_one_finding_naming_the_one_that_lasts_longest():
    blackouts = "".join(f'[[blackout]]\nfrom = 2027-01-0{1 + n % 5}\nto = 2027-01-{10 + n:02d}\nreason = "r{n}"\n\n' for n in range(15))
    text = plan_text("[channels.instagram]\n" + blackouts + post_toml("a", "2027-01-06T10:00:00") + post_toml("b", "2027-01-20T10:00:00"))
    assert [message for _, message in found(text)] == [
        "post a on Wed 2027-01-06 falls in a blackout (2027-01-05..2027-01-24): r14",
        "post b on Wed 2027-01-20 falls in a blackout (2027-01-05..2027-01-24): r14",
    ]
