"""The plan loader: a valid plan becomes frozen data; every problem is reported, located."""

from datetime import date, datetime, timedelta

import pytest

from planner.errors import PlanError
from planner.loader import RuleVocabulary, load_plan, plan_from_text
from tests.conftest import SAMPLES, plan_text, post_toml

CHANNEL = '[channels.instagram]\ncadence = ["0 10 * * MON,WED,FRI"]\n\n'


def problems(text: str, vocabulary=None) -> list[str]:
    with pytest.raises(PlanError) as caught:
        plan_from_text(text, "plan.toml", vocabulary)
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


def test_sample_plan_loads_into_the_model():
    plan = load_plan(str(SAMPLES / "kopi-senja.toml"))
    assert plan.name == "Kopi Senja — January 2027"
    assert plan.start == date(2027, 1, 4) and plan.end == date(2027, 1, 31)
    assert set(plan.channels) == {"instagram", "tiktok", "whatsapp"}
    assert plan.channels["instagram"].tolerance == timedelta(hours=3)
    assert plan.channels["whatsapp"].mark == "WA"
    assert plan.kinds["promo"].promotional and plan.kinds["promo"].needs_approval == ("legal",)
    assert len(plan.posts) == 24 and len(plan.backlog) == 4
    assert plan.team["andi"] == ("legal",)
    first = plan.posts[0]
    assert first.at.isoformat() == "2027-01-04T10:00:00+07:00"
    assert first.ts == int(datetime.fromisoformat("2027-01-04T03:00:00+00:00").timestamp())


def test_model_is_frozen():
    plan = plan_from_text(plan_text(CHANNEL + post_toml("a", "2027-01-04T10:00:00")), "p.toml")
    with pytest.raises(AttributeError):
        plan.posts[0].title = "changed"  # type: ignore[misc]


def test_a_post_at_a_missing_local_time_moves_forward_by_the_gap():
    text = plan_text(CHANNEL + post_toml("a", "2027-03-28T02:30:00"), timezone="Europe/Berlin", start="2027-03-01", end="2027-03-31")
    post = plan_from_text(text, "p.toml").posts[0]
    assert post.at.isoformat() == "2027-03-28T03:30:00+02:00"


def test_a_post_at_a_repeated_local_time_is_the_first_occurrence():
    text = plan_text(CHANNEL + post_toml("a", "2027-10-31T02:30:00"), timezone="Europe/Berlin", start="2027-10-01", end="2027-10-31")
    assert plan_from_text(text, "p.toml").posts[0].at.isoformat() == "2027-10-31T02:30:00+02:00"


def test_an_offset_date_time_keeps_its_instant():
    text = plan_text(CHANNEL + post_toml("a", "2027-01-04T10:00:00Z"))
    assert plan_from_text(text, "p.toml").posts[0].at.isoformat() == "2027-01-04T17:00:00+07:00"


def test_every_problem_is_reported_at_once_with_its_line():
    text = plan_text(
        CHANNEL
        + post_toml("a", "2027-01-04T10:00:00", channel="instagarm")
        + post_toml("a", "2027-01-05T10:00:00", kind="tipp", status='"sheduled"')
    )
    found = problems(text)
    assert found == [
        "22: unknown channel 'instagarm'; did you mean 'instagram'? (known: instagram)",
        "27: duplicate id 'a'; it is already used at line 19",
        "30: unknown kind 'tipp'; did you mean 'tip'? (known: promo, question, tip)",
        "32: status 'sheduled' is not one of idea, draft, review, approved, scheduled, published, skipped; did you mean 'scheduled'?",
    ]


def test_unknown_keys_are_errors_except_in_x():
    text = plan_text(CHANNEL + post_toml("a", "2027-01-04T10:00:00", x='{ campaign = "launch", budget = 3 }') + "[x]\nanything = [1, 2]\n")
    assert plan_from_text(text, "p.toml").posts[0].x == {"campaign": "launch", "budget": 3}
    assert problems(plan_text(CHANNEL + "[balanse]\nwindow = '14d'\n")) == ["19: unknown table or key 'balanse'; did you mean 'balance'?"]


def test_missing_required_keys_and_tables():
    assert problems('[kinds.tip]\nuseful = true\n') == [
        "1: the file has no [plan] table; a plan needs at least name, timezone, start and end",
    ]
    assert problems('[plan]\nname = "x"\n') == ["1: [plan] needs timezone, start, end"]


def test_owners_and_approvers_must_be_team_members_when_a_team_is_defined():
    text = plan_text(CHANNEL + "[team.rina]\nroles = ['social']\n\n" + post_toml("a", "2027-01-04T10:00:00", owner='"rnia"', approved_by='["andi"]'))
    assert problems(text) == [
        "28: unknown team member 'rnia'; did you mean 'rina'? (known: rina)",
        "29: unknown team member 'andi' (known: rina)",
    ]


def test_balance_limits_must_name_kinds_and_be_in_range():
    text = plan_text(CHANNEL + "[balance]\nmax_share = { promo = 1.5, teaser = 0.1 }\nmax_streak = { promo = -1 }\n")
    assert problems(text) == [
        "20: max_share.promo must be a share between 0 and 1, e.g. 0.2, not the number 1.5",
        "20: unknown kind or flag 'teaser' (known: conversation, promo, promotional, question, tip, useful)",
        "21: max_streak.promo must be a whole number of 0 or more, not the number -1",
    ]


def test_rules_table_is_checked_against_the_engine_vocabulary():
    vocabulary = RuleVocabulary(codes=frozenset({"CAD001", "MIX001"}), settings={"due_soon": "duration"})
    text = plan_text(CHANNEL + '[rules]\nignore = ["CAD01"]\nseverity = { MIX001 = "fatal" }\ndue_son = "3d"\n')
    assert problems(text, vocabulary) == [
        "20: unknown rule 'CAD01' in [rules].ignore; did you mean 'CAD001'?",
        "21: severity of MIX001 must be one of error, warning, info, off, not the string 'fatal'",
        "22: unknown key 'due_son' in [rules]; did you mean 'due_soon'?",
    ]
    ok = plan_from_text(plan_text(CHANNEL + '[rules]\nignore = ["CAD"]\ndue_soon = "2d"\n'), "p.toml", vocabulary)
    assert ok.rules.ignore == ("CAD",) and ok.rules.settings == {"due_soon": timedelta(days=2)}


def test_a_post_may_only_ignore_known_rules():
    vocabulary = RuleVocabulary(codes=frozenset({"MIX003"}))
    text = plan_text(CHANNEL + post_toml("a", "2027-01-04T10:00:00", ignore='["MIX03"]'))
    assert problems(text, vocabulary) == ["25: unknown rule 'MIX03' in ignore; did you mean 'MIX003'?"]


def test_skipped_posts_are_kept_but_do_not_count():
    text = plan_text(CHANNEL + post_toml("a", "2027-01-04T10:00:00", status='"skipped"'))
    post = plan_from_text(text, "p.toml").posts[0]
    assert post.status == "skipped" and not post.counts


# every table the format has, as a plan writes it: a numeric key of any of them is tried below
TABLE_HEADERS = {
    "PLAN_KEYS": "[plan]", "GOAL_KEYS": "[[goal]]", "REVIEW_KEYS": "[review]", "KIND_KEYS": "[kinds.tip]",
    "CHANNEL_KEYS": "[channels.instagram]", "BALANCE_KEYS": "[balance]", "VOICE_KEYS": "[voice]", "MEMBER_KEYS": "[team.ana]",
    "POST_KEYS": "[[post]]", "BACKLOG_KEYS": "[[backlog]]", "NETWORK_KEYS": "[networks.youtube]", "BLACKOUT_KEYS": "[[blackout]]",
}
ALL_TABLES = plan_text(
    '[[goal]]\nmetric = "followers"\n\n[review]\n\n' + CHANNEL + '[networks.youtube]\n\n[balance]\n\n[voice]\n\n[team.ana]\nroles = ["legal"]\n\n[rules]\n\n'
    + post_toml("a", "2027-01-04T10:00:00") + '[[backlog]]\nid = "b"\nkind = "tip"\ntitle = "Idea"\n\n'
    + '[[blackout]]\nfrom = 2027-01-10\nreason = "Mourning"\n'
)


def numeric_keys(vocabulary) -> list[tuple[str, str, str]]:
    """(header, key, how a value is written) for every key of the format that takes a number."""
    from planner import loader

    numeric = {loader._number: "{}", loader._positive_int: "{}", loader._hours: "{}", loader._share_map: "{{ tip = {} }}", loader._count_map: "{{ tip = {} }}", loader._network_limit: "{}"}
    tables = {name: value for name, value in vars(loader).items() if name.endswith("_KEYS") and isinstance(value, dict)}
    assert set(tables) == set(TABLE_HEADERS)  # a new table of the format is added above
    keys = [(TABLE_HEADERS[name], key, numeric[checker]) for name, table in tables.items() for key, checker in table.items() if checker in numeric]
    return keys + [("[rules]", key, numeric[checker]) for key, checker in vocabulary.checkers().items() if checker in numeric]


@pytest.mark.parametrize("written", ["nan", "-nan", "inf", "+inf", "-inf", "9223372036854775808"])
def test_every_numeric_key_refuses_nan_infinities_and_integers_past_64_bits(written):
    from balance.registry import vocabulary

    keys = numeric_keys(vocabulary())
    assert {("[[goal]]", "target"), ("[[goal]]", "baseline"), ("[plan]", "max_per_day"), ("[team.ana]", "hours"),
            ("[balance]", "max_share"), ("[rules]", "fading_ratio")} <= {(header, key) for header, key, _ in keys}
    shown = "a 19-digit number (TOML's integers have 64 bits)" if written.isdigit() else str(float(written))
    for header, key, form in keys:
        at = ("\n" + ALL_TABLES).index(f"\n{header}\n") + len(header) + 1  # just below the header
        text = ALL_TABLES[:at] + f"{key} = {form.format(written)}\n" + ALL_TABLES[at:]
        line = ALL_TABLES.count("\n", 0, at) + 1
        found = problems(text, vocabulary())
        assert len(found) == 1 and found[0].startswith(f"{line}: {key}") and found[0].endswith(f", not {shown}"), (header, key, found)
    assert plan_from_text(ALL_TABLES, "plan.toml", vocabulary())  # the plan is valid without them


def test_an_integer_longer_than_python_reads_is_a_located_toml_error():
    text = plan_text(CHANNEL + "[[goal]]\nmetric = \"followers\"\ntarget = " + "9" * 5000 + "\n")
    assert problems(text) == ["21: invalid TOML: an integer of over 4300 digits (TOML's integers have 64 bits)"]


def test_a_mix_preset_is_one_of_the_known_practices():
    assert problems(plan_text(CHANNEL + '[balance]\npreset = "80/20"\n')) == [
        "20: unknown preset '80/20'; did you mean '80-20'? (known: 80-20, 4-1-1, thirds)"
    ]
    assert problems(plan_text(CHANNEL + "[balance]\npreset = 80\n")) == ["20: preset must be the name of a preset: 80-20, 4-1-1, thirds, not the number 80"]
    assert problems(plan_text(CHANNEL + '[mix]\npreset = "80-20"\n')) == ["19: unknown table 'mix': the mix limits, and preset, go in [balance]"]
