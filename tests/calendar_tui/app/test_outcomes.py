"""The app and the outcomes store: publication marks, L logs a post as published, the
selected channel's followers, and each owner's load for the week."""

import subprocess
import sys
from datetime import date, datetime, timezone

from calendar_tui.widgets.followers import Followers
from calendar_tui.widgets.team_load import TeamLoad
from planner.loader import load_plan
from planner.outcomes import OutcomeStore, record
from tests.calendar_tui.app.conftest import settled
from tests.conftest import ROOT

POST = "x-small-multiples-beat-one-busy"  # Monday 22 March, on X
OTHER = "li-what-metric-does-your-board"  # Tuesday 23 March, on LinkedIn


def store_beside(plan_path) -> str:
    return str(plan_path.parent / ".cadence" / "outcomes.db")


async def test_a_logged_post_is_marked_and_the_channels_followers_show(plan_path):
    from calendar_tui.app import make_app

    def write(store):
        store.log_publication(POST, "x", datetime(2027, 3, 22, 11, 30, tzinfo=timezone.utc))
        for day, value in ((1, 1000), (8, 1040), (15, 1100), (22, 1180)):
            store.record_channel_metric("x", date(2027, 3, day), "followers", value)

    record(store_beside(plan_path), write, plan=load_plan(str(plan_path)))
    app = make_app(str(plan_path), today=date(2027, 3, 22))
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        assert POST in app.calendar.index.published
        assert "✓" in app.screen.query_one("#month").render_line(0).text + "".join(
            app.screen.query_one("#month").render_line(y).text for y in range(34)
        )
        followers = app.screen.query_one(Followers)
        assert followers.display and followers.query_one("Sparkline").data == [1000, 1040, 1100, 1180]
        assert "X followers 1,180 +18.0%" in str(followers.query_one("Label").render())


async def test_l_logs_the_selected_post_as_published_now(app, plan_path):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("right")  # Tuesday: LinkedIn's post first
        await settled(pilot)
        assert app.calendar.selected_item().id == OTHER
        await pilot.press("L")
        await settled(pilot)
        assert app.session.post(OTHER).status == "published" and app.session.dirty
        assert OTHER in app.calendar.index.published
    with OutcomeStore.read(store_beside(plan_path), load_plan(str(plan_path))) as store:
        logged = store.published()[OTHER]
    assert logged.channel == "linkedin" and logged.source == "app"
    assert abs((datetime.now(timezone.utc) - logged.published_at).total_seconds()) < 300


async def test_the_side_panel_shows_each_owners_load_for_the_week(plan_path):
    from calendar_tui.app import make_app

    text = plan_path.read_text()
    text = text.replace("[kinds.tip]\n", '[kinds.tip]\neffort = "2h"\n', 1)
    plan_path.write_text(text)
    app = make_app(str(plan_path), today=date(2027, 3, 22))
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        load = app.screen.query_one(TeamLoad)
        assert load.display
        shown = str(load.render())
        assert "Load, week 2027-W12" in shown and "h" in shown


def test_the_app_without_a_store_does_not_load_sqlite_utils(plan_path):
    probe = (
        "import sys; from datetime import date; from calendar_tui.app import make_app; "
        f"make_app({str(plan_path)!r}, today=date(2027, 3, 22)); "
        "print(sorted(m for m in ('sqlite_utils', 'sqlite3') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


async def test_l_on_the_demo_asks_for_a_copy_first(tmp_path, monkeypatch):
    import os

    from calendar_tui.app import make_app
    from calendar_tui.commands.opening import demo_plan

    monkeypatch.chdir(tmp_path)
    app = make_app(demo_plan(), today=date(2027, 3, 22), demo=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("L")
        assert app.session.post(POST).status != "published" and not app.session.dirty
    assert not os.path.exists(os.path.join(os.path.dirname(demo_plan()), ".cadence"))
