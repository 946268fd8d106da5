"""PLN001-PLN003 beyond their fixtures."""

from tests.conftest import check_text, plan_text, post_toml


def found(text: str, code: str, today: str = "2027-01-01") -> list[str]:
    return [d.message for d in check_text(text, today=today, select=(code,))]


def test_pln001_names_what_a_goal_lacks():
    text = plan_text('[[goal]]\nmetric = "followers"\ntarget = 5000\n')
    assert found(text, "PLN001") == ["goal 'followers' has no date (by); a goal needs a metric, a target and a date"]
    complete = plan_text('[[goal]]\nmetric = "followers"\ntarget = 5000\nby = 2027-03-31\n')
    assert found(complete, "PLN001") == []


def test_pln002_fires_without_review_and_points_at_the_plan():
    (diagnostic,) = check_text(plan_text(""), select=("PLN002",))
    assert diagnostic.line == 1


def test_pln003_counts_only_the_next_two_weeks_and_fitting_ideas():
    channel = '[channels.instagram]\ncadence = ["0 10 * * *"]\nowner = "rina"\n\n[team.rina]\nroles = ["social"]\n\n'
    ideas = "".join(f'[[backlog]]\nid = "bk-{n}"\nkind = "tip"\ntitle = "Idea {n}"\n\n' for n in range(3))
    text = plan_text(channel + ideas, start="2027-01-04", end="2027-02-28")
    assert found(text, "PLN003", today="2027-01-04") == ["14 open slots in 2027-01-04..2027-01-17 but only 3 backlog ideas can fill them"]
    restricted = text.replace('title = "Idea 0"', 'title = "Idea 0"\nchannels = ["x"]').replace("[team.rina]", "[channels.x]\nowner = \"rina\"\n\n[team.rina]")
    assert found(restricted, "PLN003", today="2027-01-04") == ["14 open slots in 2027-01-04..2027-01-17 but only 2 backlog ideas can fill them"]


def test_pln003_quiet_when_no_slot_is_open():
    channel = '[channels.instagram]\ncadence = ["0 10 * * MON"]\n\n'
    text = plan_text(channel + post_toml("a", "2027-01-04T10:00:00") + post_toml("b", "2027-01-11T10:00:00"), end="2027-01-17")
    assert found(text, "PLN003", today="2027-01-04") == []


def test_pln004_posts_before_the_start_or_after_the_end_by_their_local_day():
    posts = (
        post_toml("early", "2027-01-03T23:30:00")
        + post_toml("first", "2027-01-04T00:00:00")
        + post_toml("last", "2027-01-31T23:59:00")
        + post_toml("late", "2027-02-01T00:00:00", status='"skipped"')
    )
    text = plan_text('[channels.instagram]\nowner = "rina"\n\n' + posts, start="2027-01-04", end="2027-01-31")
    assert found(text, "PLN004") == [
        "post early is on 2027-01-03, before the plan's start 2027-01-04; move it, or widen [plan] start",
        "post late is on 2027-02-01, after the plan's end 2027-01-31; move it, or widen [plan] end",
    ]


def test_pln004_points_at_the_posts_time():
    text = plan_text('[channels.instagram]\n\n' + post_toml("late", "2027-03-01T10:00:00"))
    (diagnostic,) = check_text(text, select=("PLN004",))
    assert text.splitlines()[diagnostic.line - 1].startswith("at = 2027-03-01")
