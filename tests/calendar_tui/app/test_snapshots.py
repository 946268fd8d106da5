"""Snapshots of the screens that matter, on a sample plan with a fixed today.

Update them after a deliberate change with ``pytest --snapshot-update`` and review the SVGs.
"""

import shutil

import pytest

from calendar_tui.app import make_app
from tests.calendar_tui.app.conftest import TODAY, settled
from tests.conftest import SAMPLES


@pytest.fixture
def fresh_app(tmp_path):
    path = tmp_path / "lumen.toml"
    shutil.copy(SAMPLES / "lumen-saas-berlin.toml", path)
    return make_app(str(path), today=TODAY)


async def settle(pilot):
    await settled(pilot)  # the findings, checked after the first screen
    pilot.app.screen.query_one("Header").tall = False


def test_month_view(snap_compare, fresh_app):
    assert snap_compare(fresh_app, terminal_size=(120, 36), run_before=settle)


def test_month_view_at_80x24(snap_compare, fresh_app):
    assert snap_compare(fresh_app, terminal_size=(80, 24), run_before=settle)


def test_week_view(snap_compare, fresh_app):
    assert snap_compare(fresh_app, terminal_size=(120, 36), press=["w"], run_before=settle)


def test_agenda_view(snap_compare, fresh_app):
    assert snap_compare(fresh_app, terminal_size=(120, 36), press=["a"], run_before=settle)


async def open_editor(pilot):
    await settle(pilot)
    await pilot.press("e")
    await pilot.pause()
    pilot.app.screen.query_one("#title").cursor_blink = False  # a blinking cursor makes two pictures


def test_post_editor(snap_compare, fresh_app):
    assert snap_compare(fresh_app, terminal_size=(120, 36), run_before=open_editor)


def test_help_screen(snap_compare, fresh_app):
    assert snap_compare(fresh_app, terminal_size=(120, 36), press=["question_mark"], run_before=settle)
