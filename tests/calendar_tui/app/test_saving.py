"""Saving: only the edited post's lines change; a change on disk is never overwritten; quitting asks."""

import subprocess

from textual.widgets import Button, Input

from calendar_tui.screens.confirm import ChoiceScreen
from calendar_tui.screens.conflict import ConflictScreen
from planner import planfile


def git_diff(before, after) -> list[str]:
    result = subprocess.run(["git", "diff", "--no-index", "-U0", str(before), str(after)], capture_output=True, text=True, check=False)
    return [line for line in result.stdout.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]


async def test_save_writes_only_the_edited_posts_lines(app, plan_path, tmp_path):
    original = tmp_path / "original.toml"
    original.write_bytes(plan_path.read_bytes())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right", "ctrl+s")
        assert not app.session.dirty and not app.title.endswith("●")
    diff = git_diff(original, plan_path)
    removed = [line[1:] for line in diff if line.startswith("-")]
    added = [line[1:] for line in diff if line.startswith("+")]
    # the moved post's block, and only it, goes to its sorted place with its new time
    assert removed[0] == "[[post]]" and 'id = "x-small-multiples-beat-one-busy"' in removed
    assert [line.replace("2027-03-22T12:30", "2027-03-23T12:30") for line in removed if line] == [line for line in added if line]


async def test_a_change_on_disk_is_never_overwritten_reload_drops_my_edits(app, plan_path):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right")
        outside = plan_path.read_text().replace("Small multiples beat one busy chart", "Changed by a colleague")
        plan_path.write_text(outside)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConflictScreen)
        assert plan_path.read_text() == outside
        await pilot.press("r")
        assert app.session.post("x-small-multiples-beat-one-busy").title == "Changed by a colleague"
        assert not app.session.dirty
    assert plan_path.read_text() == outside


async def test_a_change_on_disk_can_be_answered_with_save_as(app, plan_path):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right")
        plan_path.write_text(plan_path.read_text() + "\n# edited elsewhere\n")
        await pilot.press("ctrl+s", "s")
        target = plan_path.parent / "mine.toml"
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        assert app.session.file.path == str(target) and not app.session.dirty
    assert "at = 2027-03-23T12:30:00" in target.read_text()
    assert plan_path.read_text().endswith("# edited elsewhere\n")


async def test_an_error_while_saving_keeps_every_edit(app, plan_path, monkeypatch):
    def disk_full(path, data, before_replace=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(planfile, "write_atomically", disk_full)
    before = plan_path.read_text()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right", "ctrl+s")
        assert app.session.dirty
        assert app.session.post("x-small-multiples-beat-one-busy").day.day == 23
    assert plan_path.read_text() == before


async def test_a_lock_file_that_is_a_symlink_fails_the_save_names_it_and_keeps_every_edit(app, plan_path, tmp_path):
    lock, elsewhere = plan_path.parent / ".plan.toml.cadence-lock", tmp_path / "elsewhere"
    lock.symlink_to(elsewhere)  # as a repository could hold it
    before = plan_path.read_text()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right", "ctrl+s")
        shown = [notification.message for notification in app._notifications]
        assert shown[-1] == f"not saved: its lock file {lock} is a symbolic link, not a regular file: remove it; your edits are kept"
        assert app.session.dirty and app.session.post("x-small-multiples-beat-one-busy").day.day == 23
        lock.unlink()
        await pilot.press("ctrl+s")
        assert not app.session.dirty
    assert plan_path.read_text() != before and not elsewhere.exists()


async def test_quitting_with_unsaved_edits_asks_stay_quit_or_save_and_quit(app, plan_path):
    before = plan_path.read_text()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right", "q")
        assert isinstance(app.screen, ChoiceScreen)
        assert [button.id for button in app.screen.query(Button)] == ["save", "quit", "stay"]
        await pilot.press("n")
        assert app.is_running and app.session.dirty
        await pilot.press("q", "y")
    assert app.return_code == 0 and plan_path.read_text() == before


async def test_save_and_quit_saves_then_quits(app, plan_path):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right", "q", "s")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0 and "at = 2027-03-23T12:30:00" in plan_path.read_text()


async def test_save_and_quit_stays_when_the_file_changed_on_disk(app, plan_path):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right")
        plan_path.write_text(plan_path.read_text() + "\n# edited elsewhere\n")
        await pilot.press("q", "s")
        assert isinstance(app.screen, ConflictScreen) and app.is_running
        await pilot.press("escape")
        assert app.is_running and app.session.dirty


async def test_quitting_without_edits_does_not_ask(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_a_plan_changed_on_disk_is_reloaded_when_nothing_is_unsaved(app, plan_path):
    async with app.run_test(size=(120, 36)) as pilot:
        plan_path.write_text(plan_path.read_text().replace("Small multiples beat one busy chart", "Edited in git"))
        app.plan_file.check_disk()
        await pilot.pause()
        assert app.session.post("x-small-multiples-beat-one-busy").title == "Edited in git"
        assert not app.session.dirty


async def test_a_plan_changed_on_disk_is_not_reloaded_over_unsaved_edits(app, plan_path):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right")
        plan_path.write_text(plan_path.read_text() + "\n# edited elsewhere\n")
        app.plan_file.check_disk()
        await pilot.pause()
        assert app.session.dirty and app.session.changed_on_disk()
        assert app.session.post("x-small-multiples-beat-one-busy").day.day == 23


async def test_a_plan_starting_with_a_byte_order_mark_opens_edits_and_keeps_it(plan_path):
    import tomli

    from calendar_tui.app import make_app
    from tests.calendar_tui.app.conftest import TODAY

    plan_path.write_bytes(b"\xef\xbb\xbf" + plan_path.read_bytes())  # as Notepad saves it
    app = make_app(str(plan_path), today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("shift+right", "ctrl+s")
        assert not app.session.dirty
    saved = plan_path.read_bytes()
    assert saved.startswith(b"\xef\xbb\xbf")
    posts = tomli.loads(saved.decode("utf-8").removeprefix("\ufeff"))["post"]
    assert any(post["id"] == "x-small-multiples-beat-one-busy" and post["at"].isoformat() == "2027-03-23T12:30:00" for post in posts)
