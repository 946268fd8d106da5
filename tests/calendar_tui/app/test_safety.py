"""State and safety: a failed reload changes nothing, the watch goes on, a crash keeps the
edits and exits 2, the demo is saved only as a copy, the title says what is open."""

from datetime import timedelta

import pytest
from textual.widgets import Input

from calendar_tui.app import make_app
from calendar_tui.commands.opening import demo_plan
from calendar_tui.screens.post_editor import PostEditor
from calendar_tui.screens.prompt import PromptScreen
from tests.calendar_tui.app.conftest import TODAY, settled
from tests.conftest import run_cadence

POST = "x-small-multiples-beat-one-busy"


async def test_a_plan_broken_on_disk_changes_nothing_and_the_watch_goes_on(app, plan_path):
    original = plan_path.read_bytes()
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        text, digest = app.session.text, app.session.file.digest
        plan_path.write_bytes(original + b"\noops = = =\n")  # a merge conflict does the same
        app.plan_file.check_disk()
        await pilot.pause()
        assert (app.session.text, app.session.file.digest) == (text, digest)
        plan_path.write_bytes(original)  # put back as it was
        app.plan_file.check_disk()
        await pilot.press("shift+right", "ctrl+s")
        assert not app.session.dirty
        assert "at = 2027-03-23T12:30:00" in plan_path.read_text()
        await pilot.press("n")
        assert isinstance(app.screen, PostEditor)  # no error about a line the file does not have
        await pilot.press("escape")
        plan_path.write_text(plan_path.read_text().replace("Small multiples beat one busy chart", "Edited in git"))
        app.plan_file.check_disk()  # still watching: a readable change is picked up
        await pilot.pause()
        assert app.session.post(POST).title == "Edited in git"


async def test_reload_from_the_conflict_dialog_keeps_the_edits_when_the_disk_is_broken(app, plan_path):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right")
        edited = app.session.text
        plan_path.write_text(plan_path.read_text() + "\noops = = =\n")
        await pilot.press("ctrl+s", "r")
        assert app.session.text == edited and app.session.dirty
        assert app.session.post(POST).day.day == 23


async def test_an_error_in_the_app_saves_the_edits_aside_and_exits_2_with_one_line(app, plan_path, monkeypatch):
    def broken(step: int) -> None:
        raise ZeroDivisionError("division by zero")

    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("shift+right")
            monkeypatch.setattr(app.calendar, "action_select", broken)
            await pilot.press("tab")
            await pilot.pause()
    assert app.return_code == 2
    side = [path for path in plan_path.parent.iterdir() if path.name.startswith("plan.unsaved-")]
    assert len(side) == 1 and "at = 2027-03-23T12:30:00" in side[0].read_text()
    assert app.crash == f"cadence: the app stopped on an error: ZeroDivisionError: division by zero; your unsaved edits are in {side[0]}"
    assert "\n" not in app.crash


def test_a_real_run_ended_by_an_error_prints_no_traceback_and_exits_2(plan_path, monkeypatch, capsys):
    """end_without_traceback sets two of Textual's private fields: this run, as `cadence open`
    makes it, fails if Textual changes them (status 1, or its traceback printed after ours)."""
    app = make_app(str(plan_path), today=TODAY)

    def broken(step: int) -> None:
        raise ZeroDivisionError("division by zero")

    async def press_a_broken_key(pilot) -> None:
        monkeypatch.setattr(app.calendar, "action_select", broken)
        await pilot.press("tab")

    app.run(headless=True, size=(120, 36), auto_pilot=press_a_broken_key)
    printed = capsys.readouterr()
    assert app.return_code == 2 and app.crash.startswith("cadence: the app stopped on an error: ZeroDivisionError")
    assert "Traceback" not in printed.err + printed.out and "division by zero" not in printed.err + printed.out


async def test_the_demo_is_saved_as_a_copy_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    demo = demo_plan()
    before = open(demo, "rb").read()
    app = make_app(demo, today=TODAY, demo=True)
    async with app.run_test(size=(120, 36)) as pilot:
        assert "demo lumen-saas-berlin.toml (ctrl+s saves a copy)" in app.title
        await pilot.press("shift+right", "ctrl+s")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        assert prompt.query_one(Input).value == str(tmp_path / "content-plan.toml")
        await pilot.press("enter")
        await settled(pilot)
        assert app.session.file.path == str(tmp_path / "content-plan.toml") and not app.session.demo
        assert "content-plan.toml" in app.title and "demo" not in app.title
    assert open(demo, "rb").read() == before
    assert "at = 2027-03-23T12:30:00" in (tmp_path / "content-plan.toml").read_text()


async def test_the_title_names_the_file_and_follows_save_as(app, plan_path):
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        assert "plan.toml" in app.title and "checking" not in app.sub_title
        await pilot.press("shift+right")
        assert app.title.endswith("plan.toml ●")
        await settled(pilot)
        assert "checking" not in app.sub_title  # cleared once the re-check is done, not on the next key
        plan_path.write_text(plan_path.read_text() + "\n# edited elsewhere\n")
        await pilot.press("ctrl+s", "s")
        app.screen.query_one(Input).value = str(plan_path.parent / "mine.toml")
        await pilot.press("enter")
        await settled(pilot)
        assert app.title.endswith("mine.toml") and "plan.toml" not in app.title


async def test_at_80_columns_the_title_keeps_the_findings_count(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert f"{len(app.session.diagnostics)} findings" in app.sub_title
        assert len(f"{app.title} — {app.sub_title}") <= 72


def test_open_without_a_plan_is_bare_cadence_and_help_says_so(tmp_path):
    result = run_cadence("open", "--help")
    assert result.returncode == 0
    assert "Without PLAN (as bare `cadence`)" in " ".join(result.stdout.split())


async def test_findings_arriving_under_a_dialog_update_the_calendar_behind_it(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right", "q")  # the re-check is still on its way
        app.calendar.check_in_background()
        await settled(pilot)
        assert app.is_running and "checking" not in app.sub_title
        await pilot.press("n")
        assert app.is_running and app.session.dirty


async def test_at_80x24_the_footer_keeps_help_and_quit_and_the_editor_its_buttons(app):
    from textual.widgets._footer import FooterKey

    async with app.run_test(size=(80, 24)) as pilot:
        keys = {key.key: key.region for key in app.screen.query(FooterKey)}
        assert keys["question_mark"].right <= 80 and keys["q"].right <= 80
        await pilot.press("n")
        await pilot.pause()
        for button in app.screen.query("Button"):
            assert button.region.bottom <= 24 and button.region.height >= 1
        body = app.screen.query_one("#body")
        assert body.region.height >= 3  # several lines, not one
        assert not str(app.screen.query_one("#errors").render()).strip()  # no complaint before typing


async def test_open_past_midnight_today_moves_on_and_the_plan_is_checked_again(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        stale = sum(d.code == "PUB006" for d in app.session.diagnostics)
        app.clock = lambda: TODAY + timedelta(days=1)
        app.roll_today()
        await settled(pilot)
        assert app.session.today == app.calendar.cursor == TODAY + timedelta(days=1)
        assert sum(d.code == "PUB006" for d in app.session.diagnostics) > stale  # Monday's post is now late
        app.clock = None  # --today fixes the date: nothing moves
        app.roll_today()
        assert app.session.today == TODAY + timedelta(days=1)
