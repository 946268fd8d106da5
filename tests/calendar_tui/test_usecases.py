"""The use-cases are written once: the app and the command line make the same file for the same
edit, every writer checks the edited plan before it writes the store, and the text-in, text-out
shapes an editor's code action calls agree with the app."""

import shutil
import sqlite3
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from calendar_tui.app import make_app
from calendar_tui.session import Session
from calendar_tui.usecases.approve_post import add_approver
from calendar_tui.usecases.backlog_to_post import NoIdeaFits, fill_gap
from calendar_tui.usecases.log_publication import NotMarked
from calendar_tui.usecases.move_post import NEAREST_DAYS, NoCleanPlace, move_to_clean_place
from calendar_tui.usecases.plans import open_plan
from planner.errors import PlanError
from tests.calendar_tui.app.conftest import settled
from tests.calendar_tui.app.test_editing import goto
from tests.conftest import DATA, SAMPLES, plan_text, run_cadence

TODAY = date(2027, 3, 22)
BERLIN = SAMPLES / "lumen-saas-berlin.toml"
OTHER = "li-what-metric-does-your-board"  # Tuesday 23 March, on LinkedIn, scheduled
POST_IDS = [post.id for post in open_plan(str(BERLIN)).posts]


def copies(root: Path) -> tuple[Path, Path]:
    """The Berlin sample in two folders, one for the app and one for the command line."""
    paths = []
    for side in ("app", "cli"):
        (root / side).mkdir()
        paths.append(root / side / "plan.toml")
        shutil.copy(BERLIN, paths[-1])
    return paths[0], paths[1]


def publications(plan: Path) -> list[tuple]:
    with sqlite3.connect(plan.parent / ".cadence" / "outcomes.db") as connection:
        return connection.execute("select plan, post_id, channel from publications order by post_id").fetchall()


async def test_logging_a_post_in_the_app_and_on_the_command_line_writes_the_same_files(tmp_path):
    in_app, on_cli = copies(tmp_path)
    app = make_app(str(in_app), today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("right")  # Tuesday: LinkedIn's post first
        await settled(pilot)
        assert app.calendar.selected_item().id == OTHER
        await pilot.press("L")
        await settled(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    result = run_cadence("log", str(on_cli), OTHER, "--mark")
    assert result.returncode == 0, result.stderr
    assert in_app.read_bytes() == on_cli.read_bytes() != BERLIN.read_bytes()
    assert publications(in_app) == publications(on_cli) == [("plan.toml", OTHER, "linkedin")]


async def test_filling_a_slot_from_the_backlog_in_the_app_and_suggest_apply_write_the_same_file(tmp_path):
    in_app, on_cli = copies(tmp_path)
    app = make_app(str(in_app), today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)  # the open slots come with the first check
        await goto(pilot, "2027-04-01")  # LinkedIn's Thursday slot is empty
        await pilot.press("f", "enter")  # the best idea that fits
        await settled(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    result = run_cadence("suggest", str(on_cli), "--apply", "--from", "2027-04-01", "--to", "2027-04-01", "--today", str(TODAY))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("+ li-20270401-")
    assert in_app.read_bytes() == on_cli.read_bytes() != BERLIN.read_bytes()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(post_id=st.sampled_from(POST_IDS))
def test_the_session_and_cadence_log_mark_any_post_the_same(post_id):
    with tempfile.TemporaryDirectory() as folder:
        in_app, on_cli = copies(Path(folder))
        session = Session.open(str(in_app), TODAY, check=False)
        session.log_published(post_id, datetime(2027, 3, 22, 9, 0, tzinfo=timezone.utc))
        session.save()
        result = run_cadence("log", str(on_cli), post_id, "--mark", "--at", "2027-03-22T09:00+00:00")
        assert result.returncode == 0, result.stderr
        assert in_app.read_bytes() == on_cli.read_bytes()
        assert session.post(post_id).status == "published" and post_id in session.published()


@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_an_editors_fill_gap_gives_the_text_the_app_saves(data):
    """fill_gap (plan text in, plan text out) fills an open slot as the app's f key does."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.toml"
        shutil.copy(BERLIN, path)
        session = Session.open(str(path), TODAY)
        fitting = [(slot, ideas) for slot in session.gaps if (ideas := session.ideas_for(slot))]
        slot, ideas = data.draw(st.sampled_from(fitting))
        idea = data.draw(st.sampled_from(ideas))
        text = path.read_text(encoding="utf-8")
        filled = fill_gap(text, str(path), slot.channel, slot.at, TODAY, idea.id)
        post_id = session.fill(slot, idea)
        session.save()
        assert (filled.text, filled.post_id) == (path.read_text(encoding="utf-8"), post_id)
        best = fill_gap(text, str(path), slot.channel, slot.at.replace(tzinfo=None), TODAY)
        assert best.idea == ideas[0]


def test_fill_gap_refuses_an_idea_the_slot_does_not_take(tmp_path):
    path = tmp_path / "plan.toml"
    shutil.copy(BERLIN, path)
    slot = Session.open(str(path), TODAY).gaps[0]
    with pytest.raises(NoIdeaFits, match=f"backlog idea 'bk-no-such-idea' does not fit {slot.channel} at {slot.at:%Y-%m-%d %H:%M}"):
        fill_gap(path.read_text(encoding="utf-8"), str(path), slot.channel, slot.at, TODAY, "bk-no-such-idea")


INLINE = 'post = [{ id = "p1", at = 2027-01-05T10:00:00, channel = "instagram", kind = "tip", title = "Post p1" }]\n'


def test_the_app_checks_its_mark_before_it_writes_the_store(tmp_path):
    """It wrote the store first, then found that the post (written inline) cannot be marked."""
    path = tmp_path / "plan.toml"
    path.write_text(INLINE + plan_text("[channels.instagram]\n\n"))
    session = Session.open(str(path), date(2027, 1, 5))
    with pytest.raises(NotMarked, match="not marked: no post with id 'p1'; nothing was recorded"):
        session.log_published("p1")
    assert not (tmp_path / ".cadence").exists()
    assert not session.dirty and session.outcomes is None


def test_suggest_apply_checks_the_plan_it_would_write(tmp_path):
    """It wrote [[post]] tables after an inline post array, a plan no TOML reader takes, and exited 0."""
    plan = tmp_path / "plan.toml"
    idea = '[[backlog]]\nid = "bk-a"\nkind = "tip"\ntitle = "An idea"\n\n'
    plan.write_text(INLINE + plan_text('[channels.instagram]\ncadence = ["0 10 * * TUE"]\n\n' + idea))
    before = plan.read_bytes()
    result = run_cadence("suggest", str(plan), "--apply", "--today", "2027-01-01")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"{plan}:") and "invalid TOML" in result.stderr
    assert plan.read_bytes() == before


FLOODED = (DATA / "CAD002.toml").read_text(encoding="utf-8").replace("end = 2027-01-17", "end = 2027-01-31")  # three posts on Mon 11 Jan
FLOODED_TODAY = date(2027, 1, 4)


@settings(max_examples=10, deadline=None)
@given(day=st.integers(0, 27), hour=st.integers(6, 21))
def test_a_post_moves_to_the_nearest_clean_place_as_the_app_would(day, hour):
    """One more post anywhere in the CAD002 plan (flooding a day or not): moved, the plan has no
    finding it had not before, and the text is the one the app's move saves."""
    at = datetime(2027, 1, 4, hour) + timedelta(days=day)
    extra = f'\n[[post]]\nid = "extra"\nat = {at:%Y-%m-%dT%H:%M:%S}\nchannel = "instagram"\nkind = "tip"\ntitle = "One more tip"\nstatus = "scheduled"\nowner = "rina"\n'
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.toml"
        path.write_text(FLOODED + extra, encoding="utf-8")
        session = Session.open(str(path), FLOODED_TODAY)
        before = {(d.code, d.key) for d in session.diagnostics}
        try:
            moved = move_to_clean_place(path.read_text(encoding="utf-8"), str(path), "extra", FLOODED_TODAY)
        except NoCleanPlace:
            return
        assert moved.at.date() != at.date() and abs(moved.at - at) <= timedelta(days=NEAREST_DAYS)
        session.move("extra", moved.at - at)  # the app's shift+arrow edit
        assert {(d.code, d.key) for d in session.diagnostics} <= before
        session.save()
        assert path.read_text(encoding="utf-8") == moved.text


def test_a_flooding_post_moves_to_the_nearest_day_it_floods_not_and_a_post_with_no_clean_place_stays():
    flooding = move_to_clean_place(FLOODED, "plan.toml", "mon-2-evening", FLOODED_TODAY)
    assert flooding.at == datetime(2027, 1, 10, 18)  # the same time a day off: the earlier of Sun 10 and Tue 12 Jan, as near
    with pytest.raises(NoCleanPlace, match="no place within 7 days of 'thu-1' keeps the plan clean"):
        move_to_clean_place(FLOODED, "plan.toml", "thu-1", FLOODED_TODAY)  # off its slot, the slot opens (CAD001)


LAUNCH = "x-launch-thread"  # a launch post that needs marketing-lead's approval (PUB002: ask lea)


def test_adding_the_approver_a_finding_names_clears_it_as_the_apps_editor_would(tmp_path):
    path = tmp_path / "plan.toml"
    shutil.copy(BERLIN, path)
    session = Session.open(str(path), TODAY)

    def missing_approval():
        return [d.message for d in session.diagnostics if d.code == "PUB002" and f"'{LAUNCH}'" in d.message]

    assert missing_approval() == [f"'{LAUNCH}' needs approval by marketing-lead (approved by: no one); ask lea"]
    approved = add_approver(path.read_text(encoding="utf-8"), str(path), LAUNCH, "lea")
    assert approved.approved_by == ("lea",)
    session.change(LAUNCH, approved_by=["lea"])  # what the post editor sends
    assert missing_approval() == []
    session.save()
    assert path.read_text(encoding="utf-8") == approved.text
    assert add_approver(approved.text, str(path), LAUNCH, "lea").text == approved.text  # listed already


def test_an_approver_the_team_lacks_is_refused_with_its_line():
    with pytest.raises(PlanError, match=r"lumen-saas-berlin.toml:\d+:\d+: .*'zed'"):
        add_approver(BERLIN.read_text(encoding="utf-8"), str(BERLIN), LAUNCH, "zed")
