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


@pytest.fixture
def days_off_app(tmp_path):
    """The sample with Berlin's holidays (Good Friday 26 March, Easter Monday 29 March) and a blackout."""
    path = tmp_path / "lumen.toml"
    text = (SAMPLES / "lumen-saas-berlin.toml").read_text().replace("max_per_day = 6\n", 'max_per_day = 6\nholidays = ["DE-BE"]\n', 1)
    path.write_text(text + '\n[[blackout]]\nfrom = 2027-03-23\nto = 2027-03-24\nreason = "Quiet period"\nkinds = ["promo"]\n')
    return make_app(str(path), today=TODAY)


def test_month_view_marks_holidays_and_blackouts(snap_compare, days_off_app):
    assert snap_compare(days_off_app, terminal_size=(120, 36), run_before=settle)


def test_week_view_marks_holidays_and_blackouts(snap_compare, days_off_app):
    assert snap_compare(days_off_app, terminal_size=(120, 36), press=["w"], run_before=settle)


def test_agenda_names_holidays_and_blackouts(snap_compare, days_off_app):
    assert snap_compare(days_off_app, terminal_size=(120, 36), press=["a"], run_before=settle)


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
