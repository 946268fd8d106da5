"""Finding things: filters, title search, the findings panel, help and the command palette."""

import subprocess
import sys
from datetime import date

from textual.containers import VerticalScroll
from textual.widgets import Button, Input, OptionList, SelectionList, Static

from calendar_tui.keys import help_rows, keys_markdown, shown
from calendar_tui.screens.filters import FilterScreen
from calendar_tui.screens.help_screen import HelpScreen
from calendar_tui.screens.search import SearchScreen
from calendar_tui.view_model import days_between
from calendar_tui.widgets.diagnostics_panel import DiagnosticsPanel
from tests.calendar_tui.app.conftest import settled
from tests.conftest import ROOT


def shown_posts(app, first: date, last: date) -> list[str]:
    days = days_between(app.calendar.index, first, last, app.calendar.filters)
    return [post.id for view in days.values() for post in view.posts]


async def test_filter_by_channel_and_status(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("F")
        screen = app.screen
        assert isinstance(screen, FilterScreen)
        screen.query_one("#channels", SelectionList).select("linkedin")
        screen.query_one("#statuses", SelectionList).select("draft")
        await pilot.press("ctrl+s")
        shown = shown_posts(app, date(2027, 3, 15), date(2027, 4, 11))
        assert shown and all(app.session.post(p).channel == "linkedin" and app.session.post(p).status == "draft" for p in shown)
        assert "filter: linkedin · draft" in app.sub_title
        await pilot.press("F")
        app.screen.query_one("#clear", Button).press()
        await pilot.pause()
        assert not app.calendar.filters.active


async def test_search_titles(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("slash")
        await pilot.pause()  # the dialog focuses its field once mounted
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search", Input).has_focus
        app.screen.query_one("#search", Input).value = "weekend read"
        await pilot.press("enter")
        shown = shown_posts(app, date(2027, 3, 15), date(2027, 4, 11))
        assert len(shown) == 4 and all("weekend-read" in post_id for post_id in shown)


async def test_search_covers_the_whole_plan_and_hides_empty_slots(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        await pilot.press("g")
        app.screen.query_one(Input).value = "2027-04-09"
        await pilot.press("enter", "slash")
        await pilot.pause()
        app.screen.query_one("#search", Input).value = "pin your filters"  # a post on 15 March
        await pilot.pause()
        listed = app.screen.query_one("#matches", OptionList)
        assert [listed.get_option_at_index(n).id for n in range(listed.option_count)] == ["x-tip-pin-your-filters-before"]
        await pilot.press("down", "enter")
        assert app.calendar.cursor == date(2027, 3, 15) and app.calendar.selected_item().id == "x-tip-pin-your-filters-before"
        days = days_between(app.calendar.index, date(2027, 3, 1), date(2027, 4, 30), app.calendar.filters)
        assert not any(view.gaps for view in days.values())
        assert "pin your filters" in app.sub_title
        await pilot.press("escape")
        assert not app.calendar.filters.active and any(view.gaps for view in days_between(app.calendar.index, date(2027, 4, 1), date(2027, 4, 2), app.calendar.filters).values())


async def test_search_and_filters_are_different_dialogs(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("F")
        assert isinstance(app.screen, FilterScreen) and not app.screen.query("#search")
        await pilot.press("escape", "slash")
        assert isinstance(app.screen, SearchScreen) and not app.screen.query(SelectionList)


async def test_findings_panel_lists_the_visible_range_and_jumps_to_the_day(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)
        panel = app.screen.query_one(DiagnosticsPanel)
        codes = [finding.code for finding in panel.findings]
        assert "CAD001" in codes and "MIX003" in codes
        await pilot.press("D")
        assert panel.has_focus
        missed = next(n for n, finding in enumerate(panel.findings) if finding.code == "CAD001")
        panel.highlighted = missed
        expected = panel.findings[missed].date
        await pilot.press("enter")
        assert app.calendar.cursor == expected == date(2027, 4, 1)
        assert not panel.has_focus


async def test_the_filter_dialogs_buttons_stay_in_sight_at_80x24(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("F")
        for button in app.screen.query(Button):
            assert app.screen.region.contains_region(button.region), button.id


async def test_help_shows_the_keys_whole_at_120x36(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.query_one(VerticalScroll).max_scroll_y == 0  # nothing cut off below
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_lists_every_action(app):
    async with app.run_test(size=(120, 36)) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for action in ("New", "Edit", "Delete", "Fill", "Undo", "Redo", "Save", "Go to", "Filter", "Search", "Month", "Week", "Agenda"):
            assert action in titles
        await pilot.press("ctrl+p")
        await pilot.press(*"agenda")
        await pilot.press("enter")
        await pilot.pause()
        assert app.calendar.view == "agenda"


async def test_ticked_and_unticked_boxes_differ_and_every_status_shows(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("F")
        channels = app.screen.query_one("#channels", SelectionList)
        channels.select("linkedin")
        await pilot.pause()
        boxes = [channels.render_line(n).text[:3] for n in range(2)]
        assert boxes == ["▐✓▌", "▐ ▌"]
        statuses = app.screen.query_one("#statuses", SelectionList)
        assert statuses.size.height == statuses.option_count == 7  # "skipped" is not cut off


async def test_the_help_lists_every_binding_of_the_calendar_and_nothing_else(app):
    async with app.run_test(size=(120, 36)) as pilot:
        bindings = app.calendar.BINDINGS
        await pilot.press("question_mark")
        table = app.screen.query(Static).first().content
        keys = [str(cell) for cell in table.columns[0].cells]
        actions = [str(cell) for cell in table.columns[1].cells]
    shown_keys = [key for cell in keys for key in cell.split()]
    expected = [shown(key) for binding in bindings for key in binding.key.split(",")]
    assert sorted(shown_keys) == sorted(expected)  # each key once, none that is not bound
    assert actions == list(dict.fromkeys(binding.tooltip for binding in bindings))
    assert all(binding.tooltip for binding in bindings)


def test_the_docs_key_table_is_the_help_screens():
    """keys_markdown() (the docs' page) has the help's rows, and loads no textual to make them."""
    from calendar_tui.screens.calendar import CalendarScreen

    rows = [line for line in keys_markdown().splitlines() if line.startswith("| `")]
    assert rows == [f"| `{keys}` | {action} |" for keys, action in help_rows(CalendarScreen.BINDINGS)]
    probe = "import sys, calendar_tui.keys as k; k.keys_markdown(); print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
