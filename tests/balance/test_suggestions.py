"""Backlog suggestions: which ideas fill a gap, and never one that breaks a mix rule."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from balance.engine import CheckOptions, context_for, run
from balance.registry import vocabulary
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
        {"channel": "linkedin", "at": "2027-04-01T09:00:00+02:00", "idea": "bk-kpi-glossary", "kind": "tip",
         "title": "A glossary of the 20 KPIs ops leads ask about"},
        {"channel": "x", "at": "2027-04-02T12:30:00+02:00", "idea": "bk-kpi-glossary", "kind": "tip",
         "title": "A glossary of the 20 KPIs ops leads ask about"},
    ]


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
