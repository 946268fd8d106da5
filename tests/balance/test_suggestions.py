"""Backlog suggestions: which ideas fill a gap, and never one that breaks a mix rule."""

import re
from datetime import date

import pytest

from hypothesis import given
from hypothesis import strategies as st

from balance.engine import CheckOptions, context_for, run
from balance.registry import vocabulary
from planner.formatter import format_plan
from planner.loader import plan_from_text
from tests.conftest import DATA, SAMPLES, plan_text, post_toml, run_cadence

CHANNEL = '[channels.instagram]\ncadence = ["0 10 * * *"]\nowner = "rina"\nmin_spacing = "1m"\n\n[team.rina]\nroles = ["social"]\n\n'


def context(text: str, today: str = "2027-01-01"):
    plan = plan_from_text(text, "plan.toml", vocabulary())
    return plan, context_for(plan, CheckOptions(), date.fromisoformat(today))


def test_a_promotion_is_not_suggested_where_it_would_break_the_share():
    ideas = '[[backlog]]\nid = "bk-sale"\nkind = "promo"\ntitle = "Sale"\n\n[[backlog]]\nid = "bk-tip"\nkind = "tip"\ntitle = "Tip"\n\n'
    posts = "".join(post_toml(f"p{d}", f"2027-01-{d:02d}T10:00:00", kind="promo" if d == 5 else "tip") for d in range(4, 9))
    _, ctx = context(plan_text(CHANNEL + ideas + posts, end="2027-01-09"))
    (gap,) = ctx.gaps["instagram"]
    assert [idea.id for idea in ctx.suggester.candidates("instagram", gap)] == ["bk-tip"]


def test_channels_and_cooldown_limit_an_idea():
    ideas = '[[backlog]]\nid = "bk-x"\nkind = "tip"\ntitle = "For x only"\nchannels = ["x"]\n\n[[backlog]]\nid = "bk-cool"\nkind = "tip"\ntitle = "Cool"\ncooldown = "30d"\n\n'
    used = post_toml("p1", "2027-01-04T10:00:00", title='"Cool"')
    _, ctx = context(plan_text(CHANNEL.replace("[team.rina]", "[channels.x]\n\n[team.rina]") + ideas + used, end="2027-01-06"))
    assert [ctx.suggester.candidates("instagram", gap) for gap in ctx.gaps["instagram"]] == [[], []]


def test_suggest_command_proposes_one_idea_per_open_slot():
    result = run_cadence("suggest", str(DATA / "PLN003.toml"), "--today", "2027-01-01")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        'Thu 2027-01-07 10:00  instagram  bk-one  "An evergreen tip" (tip)',
        "Thu 2027-01-14 10:00  instagram  no backlog idea fits without breaking the mix",
        "",
        "1 of 2 open slots can be filled from the backlog",
    ]


def test_suggest_json():
    import json

    result = run_cadence("suggest", str(SAMPLES / "lumen-saas-berlin.toml"), "--format", "json", "--today", "2027-03-01")
    proposals = json.loads(result.stdout)["proposals"]
    assert proposals == [
        {"channel": "linkedin", "at": "2027-04-01T09:00:00+02:00", "idea": "bk-ask-forecast", "kind": "question",
         "title": "How far ahead do you forecast, honestly?"},
        {"channel": "x", "at": "2027-04-02T12:30:00+02:00", "idea": "bk-ask-forecast", "kind": "question",
         "title": "How far ahead do you forecast, honestly?"},
    ]


def test_a_plan_without_open_slots_is_said_so_and_apply_leaves_it_alone(tmp_path):
    import json
    import shutil

    plan = tmp_path / "plan.toml"
    shutil.copy(DATA / "clean.toml", plan)
    before = plan.read_bytes()
    text = run_cadence("suggest", str(plan), "--today", "2027-01-01")
    assert (text.returncode, text.stdout) == (0, "no open slots: every cadence slot in the range has a post\n")
    assert json.loads(run_cadence("suggest", str(plan), "--format", "json", "--today", "2027-01-01").stdout) == {"version": 1, "proposals": []}
    applied = run_cadence("suggest", str(plan), "--apply", "--today", "2027-01-01")
    assert (applied.returncode, applied.stdout, plan.read_bytes()) == (0, text.stdout, before)


KINDS = st.sampled_from(["tip", "promo", "question"])


@given(
    kinds=st.lists(st.one_of(st.none(), KINDS), min_size=10, max_size=28),
    ideas=st.lists(KINDS, min_size=1, max_size=5),
)
def test_accepting_every_proposal_never_adds_a_mix_finding(kinds, ideas):
    backlog = "".join(f'[[backlog]]\nid = "bk-{n}"\nkind = "{kind}"\ntitle = "Idea number {n}"\n\n' for n, kind in enumerate(ideas))
    posts = "".join(
        post_toml(f"p{day}", f"2027-01-{day + 1:02d}T10:00:00", kind=kind, title=f'"Planned post {day}"')
        for day, kind in enumerate(kinds)
        if kind
    )
    end = f"2027-01-{len(kinds):02d}"
    text = plan_text(CHANNEL + backlog + posts, start="2027-01-01", end=end)
    plan, ctx = context(text)
    before = {(d.code, d.message) for d in run(plan, CheckOptions(select=("MIX",)), date(2027, 1, 1))}
    proposals = [p for p in ctx.suggester.propose() if p.idea]
    filled = text + "".join(
        post_toml(f"s{n}", f"{p.at:%Y-%m-%dT%H:%M:%S}", kind=p.idea.kind, idea=f'"{p.idea.id}"', title=f'"{p.idea.title}"')
        for n, p in enumerate(proposals)
    )
    after_plan = plan_from_text(filled, "plan.toml", vocabulary())
    after = {d.code for d in run(after_plan, CheckOptions(select=("MIX",)), date(2027, 1, 1))}
    assert after <= {code for code, _ in before}


def test_suggest_apply_adds_the_proposals_as_posts(tmp_path):
    import shutil

    import tomli

    plan = tmp_path / "plan.toml"
    shutil.copy(DATA / "PLN003.toml", plan)
    result = run_cadence("suggest", str(plan), "--apply", "--today", "2027-01-01")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "+ ig-20270107-an-evergreen-tip  Thu 2027-01-07 10:00  instagram  from bk-one",
        f"added 1 post to {plan}; 1 open slots left",
    ]
    added = [post for post in tomli.loads(plan.read_text())["post"] if post.get("idea") == "bk-one"]
    assert added == [{"id": "ig-20270107-an-evergreen-tip", "at": added[0]["at"], "channel": "instagram", "kind": "tip",
                      "title": "An evergreen tip", "status": "idea", "idea": "bk-one"}]
    after = run_cadence("check", str(plan), "--today", "2027-01-01", "--select", "CAD001")
    assert after.stdout.count("CAD001") == 1


WINDOW = re.compile(r"has \d+ (\S+) posts? in (\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d)")


def clearable_one_way_findings(plan, today: date) -> list[tuple[str | None, date, date]]:
    """MIX004 findings with an open slot in their window that a fitting idea of the missing kind could fill."""
    ctx = context_for(plan, CheckOptions(), today)
    found = []
    for diagnostic in run(plan, CheckOptions(), today):
        if diagnostic.code != "MIX004":
            continue
        key, first, last = WINDOW.search(diagnostic.message).groups()
        missing = ctx.mix.groups[key]
        for channel, gaps in ctx.gaps.items():
            if diagnostic.channel not in (None, channel):
                continue
            days = [ts for ts in gaps if date.fromisoformat(first) <= ctx.local(ts).date() <= date.fromisoformat(last)]
            if any(idea.kind in missing for ts in days for idea in ctx.suggester.candidates(channel, ts)):
                found.append((diagnostic.channel, date.fromisoformat(first), date.fromisoformat(last)))
                break
    return found


def mix004_with_an_open_slot() -> str:
    """The MIX004 fixture (no question all fortnight) asking for one conversation post, with its
    last post taken out: a slot the backlog's question can fill."""
    text = (DATA / "MIX004.toml").read_text()
    text = text.replace("[kinds.tip]", "[balance]\nmin_count = { conversation = 1 }\n\n[kinds.tip]")
    return format_plan(text[: text.index('[[post]]\nid = "jan-14"')])


PLANS_WITH_SOMETHING_TO_CLEAR = {
    "lumen-saas-berlin": ((SAMPLES / "lumen-saas-berlin.toml").read_text(), None),
    "lumen-saas-berlin, mid-March": ((SAMPLES / "lumen-saas-berlin.toml").read_text(), "2027-03-14"),
    "MIX004 with an open slot": (mix004_with_an_open_slot(), None),
}


@pytest.mark.parametrize("name", sorted(PLANS_WITH_SOMETHING_TO_CLEAR))
def test_applying_every_suggestion_clears_every_one_way_finding_the_backlog_can_clear(tmp_path, name):
    from planner.loader import load_plan

    text, today = PLANS_WITH_SOMETHING_TO_CLEAR[name]
    path = tmp_path / "plan.toml"
    path.write_text(text)
    plan = load_plan(str(path), vocabulary())
    today = date.fromisoformat(today) if today else plan.start
    clearable = clearable_one_way_findings(plan, today)
    assert clearable, "the plan must have a one-way finding the backlog can clear, or this tests nothing"
    applied = run_cadence("suggest", str(path), "--apply", "--today", str(today))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    after = load_plan(str(path), vocabulary())
    left = [
        (d.channel, WINDOW.search(d.message).groups()) for d in run(after, CheckOptions(), today) if d.code == "MIX004"
    ]
    for channel, first, last in clearable:
        overlapping = [
            (where, start, end) for where, (_, start, end) in left
            if where == channel and date.fromisoformat(start) <= last and first <= date.fromisoformat(end)
        ]
        assert not overlapping, (channel, first, last)
    assert run_cadence("fmt", "--check", str(path)).returncode == 0


def test_the_berlin_sample_fills_x_with_the_question_it_lacks():
    result = run_cadence("suggest", str(SAMPLES / "lumen-saas-berlin.toml"), "--today", "2027-03-14")
    assert "Fri 2027-04-02 12:30  x         bk-ask-forecast" in result.stdout



def test_short_windows_kept_up_to_date_as_proposals_are_accepted_match_a_fresh_scan():
    from balance.suggest import _short_windows
    from bench.generate import generate

    plan = plan_from_text(generate(300, 3, 1, fill=0.4), "plan.toml", vocabulary())
    suggester = context_for(plan, CheckOptions(), plan.start).suggester
    for channel in plan.channels:  # every mix's shortfalls found before the proposals change them
        suggester._short_near(channel, suggester.channel_mix(channel), plan.start)
    suggester._short_near(None, suggester.plan_mix, plan.start)
    assert any(proposal.idea for proposal in suggester.propose())
    end = plan.end.toordinal() + suggester.ctx.mix.window_days
    for name, mix in [(channel, suggester.channel_mix(channel)) for channel in plan.channels] + [(None, suggester.plan_mix)]:
        assert suggester._short_ends[name] == set(_short_windows(mix, plan.start.toordinal(), end))


def reference_shares_fit(mix, day: date, kind: str) -> bool:
    """MixState's share and count test, straight from its definition: every window holding
    ``day`` counted afresh from the posts per day."""
    limits, size = mix.limits, mix.limits.window_days
    ordinal = day.toordinal()
    for end in range(ordinal, ordinal + size):
        counts = {}
        for each in range(end - size + 1, end + 1):
            for name, n in mix.per_day.get(each, {}).items():
                counts[name] = counts.get(name, 0) + n
        before = sum(counts.values())
        after = before + 1
        if after < limits.min_posts:
            continue
        newly_judged = before < limits.min_posts
        have = {key: sum(counts.get(k, 0) for k in kinds) for key, kinds in limits.groups.items()}
        for key, limit in limits.max_share.items():
            inside = kind in limits.groups[key]
            if (have[key] + inside) / after > limit + 1e-9 and (newly_judged or inside):
                return False
        for key, limit in limits.min_share.items():
            inside = kind in limits.groups[key]
            if (have[key] + inside) / after < limit - 1e-9 and (newly_judged or not inside):
                return False
        whole = mix.horizon[0].toordinal() <= end - size + 1 and end <= mix.horizon[1].toordinal()
        for key, limit in limits.min_count.items() if whole and newly_judged else ():
            if have[key] + (kind in limits.groups[key]) < limit:
                return False
    return True


def reference_cooling(suggester, idea, channel: str, ts: int) -> bool:
    """Whether any use of the idea on the channel lies within its cooldown of ``ts``, by a scan."""
    cooldown = max(idea.cooldown.total_seconds() if idea.cooldown else 0, suggester.repeat_window)
    return any(abs(ts - used) < cooldown for used in suggester.uses.get((idea.id, channel), ()))


@given(
    days=st.lists(st.tuples(st.one_of(st.none(), KINDS), st.one_of(st.none(), KINDS)), min_size=10, max_size=31),
    ideas=st.lists(st.tuples(KINDS, st.sampled_from([None, "1d", "3d", "10d"]), st.sampled_from([None, "x"])), min_size=1, max_size=5),
    titled=st.booleans(),
)
def test_cached_windows_bisected_cooldowns_and_best_ideas_match_a_fresh_count_while_proposals_are_accepted(days, ideas, titled):
    backlog = "".join(
        f'[[backlog]]\nid = "bk-{n}"\nkind = "{kind}"\ntitle = "Idea number {n}"\n'
        + (f'cooldown = "{cooldown}"\n' if cooldown else "")
        + (f'channels = ["{only}"]\n' if only else "")
        + "\n"
        for n, (kind, cooldown, only) in enumerate(ideas)
    )
    # some planned posts reuse an idea's title, so cooldowns start with uses in any order
    posts = "".join(
        post_toml(f"p{channel}{day}", f"2027-01-{day + 1:02d}T10:00:00", channel=channel, kind=kind,
                  title=f'"Idea number {day % len(ideas)}"' if titled and day % 3 == 0 else f'"Planned post {day}"')
        for day, pair in reversed(list(enumerate(days)))
        for channel, kind in zip(("instagram", "x"), pair)
        if kind
    )
    two_channels = CHANNEL.replace("[team.rina]", '[channels.x]\ncadence = ["0 10 * * *"]\nowner = "rina"\nmin_spacing = "1m"\n\n[team.rina]')
    plan, ctx = context(plan_text(two_channels + backlog + posts, start="2027-01-01", end=f"2027-01-{len(days):02d}"))
    suggester = ctx.suggester
    for ts, channel in sorted((ts, channel) for channel, gaps in ctx.gaps.items() for ts in gaps):
        day = ctx.local(ts).date()
        for idea, cooldown in zip(plan.backlog, suggester._cooldowns):
            assert suggester._cooling(idea, channel, ts, cooldown) == reference_cooling(suggester, idea, channel, ts)
            for mix in (suggester.channel_mix(channel), suggester.plan_mix):
                assert mix._shares_fit(day, idea.kind) == reference_shares_fit(mix, day, idea.kind)
        ideas_here = suggester.candidates(channel, ts)
        assert [suggester.best(channel, ts, count) for count in (1, 3)] == [ideas_here[:1], ideas_here[:3]]
        if ideas_here:
            suggester.accept(channel, ts, ideas_here[0])


def test_an_idea_too_long_for_the_channels_network_is_not_suggested_there():
    """X takes 280 weighted characters: a long idea goes to the blog channel's gap, not X's."""
    channels = (
        '[channels.x]\ncadence = ["0 10 * * *"]\nowner = "rina"\n\n'
        '[channels.blog]\ncadence = ["0 10 * * *"]\nowner = "rina"\n\n[team.rina]\nroles = ["social"]\n\n'
    )
    backlog = (
        '[[backlog]]\nid = "bk-long"\nkind = "tip"\ntitle = "A long read"\nbody = "' + "kopi " * 80 + '"\n\n'
        '[[backlog]]\nid = "bk-short"\nkind = "tip"\ntitle = "A short tip"\n\n'
    )
    plan, ctx = context(plan_text(channels + backlog, start="2027-01-04", end="2027-01-05"))
    suggester = ctx.suggester
    for channel, expected in (("x", ["bk-short"]), ("blog", ["bk-long", "bk-short"])):
        ts = ctx.gaps[channel][0]
        assert sorted(idea.id for idea in suggester.candidates(channel, ts)) == expected
        assert sorted(idea.id for idea in suggester.best(channel, ts, 3)) == expected
