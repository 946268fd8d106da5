"""Moving around: days, weeks, months, today, go to a date, the three views."""

from datetime import date

from textual.widgets import ContentSwitcher, Input

from calendar_tui.widgets.month_grid import MonthGrid
from tests.calendar_tui.app.conftest import TODAY, settled


async def test_opens_on_today_inside_the_horizon(app):
    async with app.run_test(size=(120, 36)):
        assert app.calendar.cursor == TODAY
        assert app.calendar.view == "month"
        assert app.sub_title.startswith("March 2027 · month")


async def test_the_header_keeps_the_findings_count_whole_at_80_columns(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        for view in ("w", "m", "a"):
            await pilot.press(view)
            findings = f"{len(app.session.diagnostics)} findings"
            assert app.sub_title.endswith(findings)
            assert len(app.title) + 3 + len(app.sub_title) <= 80 - 18  # beside the header's icon and clock space


async def test_the_month_fits_beside_the_side_panel_at_80_columns(app):
    async with app.run_test(size=(80, 24)) as pilot:
        grid = app.screen.query_one(MonthGrid)
        for _ in range(2):  # shown, then hidden again
            await pilot.press("s")
            await pilot.pause()
            header = grid.render_line(0).text
            assert header.split() == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            assert len(header) <= grid.size.width


async def test_arrows_and_hjkl_move_days_and_weeks(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("right", "right", "down", "h", "k", "j", "l", "left", "up")
        assert app.calendar.cursor == date(2027, 3, 23)


async def test_months_with_brackets_and_page_keys(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("right_square_bracket")
        assert app.calendar.cursor == date(2027, 4, 22)
        await pilot.press("pageup", "pageup")
        assert app.calendar.cursor == date(2027, 2, 22)
        assert app.screen.query_one(MonthGrid).first_day(app.calendar.cursor) == date(2027, 2, 1)


async def test_today_and_go_to_a_date(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("pagedown", "t")
        assert app.calendar.cursor == TODAY
        await pilot.press("g")
        field = app.screen.query_one(Input)
        field.value = "2027-04-09"
        await pilot.press("enter")
        assert app.calendar.cursor == date(2027, 4, 9)


async def test_go_to_a_bad_date_says_so_and_stays(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("g")
        app.screen.query_one(Input).value = "ninth of april"
        await pilot.press("enter")
        assert "YYYY-MM-DD" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
        assert app.calendar.cursor == TODAY


async def test_views_switch_and_show_their_range(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("w")
        assert app.screen.query_one(ContentSwitcher).current == "week"
        assert app.sub_title.startswith("22 Mar – 28 Mar 2027 · week")
        await pilot.press("a")
        assert app.screen.query_one(ContentSwitcher).current == "agenda"
        assert app.sub_title.startswith("22 Mar – 18 Apr 2027 · agenda")
        await pilot.press("m")
        assert app.screen.query_one(ContentSwitcher).current == "month"


async def test_sunday_first_weeks(plan_path):
    from calendar_tui.app import make_app

    app = make_app(str(plan_path), today=TODAY, week_start="sunday")
    async with app.run_test(size=(120, 36)):
        assert app.screen.query_one(MonthGrid).first_day(TODAY) == date(2027, 2, 28)


async def test_tab_steps_through_the_days_posts_and_empty_slots(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot)  # the empty slots come with the findings
        await pilot.press("g")
        app.screen.query_one(Input).value = "2027-04-02"  # Good Friday: a skipped post and an empty slot
        await pilot.press("enter")
        first = app.calendar.selected_item()
        await pilot.press("tab")
        second = app.calendar.selected_item()
        assert first.id == "x-good-friday"
        assert second.channel == "x" and second.at.hour == 12 and not hasattr(second, "id")
        await pilot.press("tab")
        assert app.calendar.selected_item() == first


async def test_narrow_terminals_hide_the_side_panel_until_asked(app):
    async with app.run_test(size=(80, 24)) as pilot:
        side = app.screen.query_one("#side")
        assert not side.display
        await pilot.press("s")
        assert side.display


async def test_clicking_a_day_moves_the_cursor_there(app):
    async with app.run_test(size=(120, 36)) as pilot:
        grid = app.screen.query_one(MonthGrid)
        column = grid._column_widths(grid.size.width)[0] + 1  # into Tuesday's column
        first_weeks = sum(grid._row_heights(grid.size.height)[:2])
        await pilot.click(MonthGrid, offset=(column + 2, 1 + first_weeks + 1))  # third week
        assert app.calendar.cursor == date(2027, 3, 16)


async def test_the_week_view_puts_posts_at_their_times_with_hours_down_the_side(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        lines = app.screen.query_one("#week").render().plain.splitlines()
        labels = {n: line[:5] for n, line in enumerate(lines) if line[:5].endswith(":00")}
        monday = next(n for n, line in enumerate(lines) if ":30 X" in line[:16])  # the 12:30 post
        assert labels[max(n for n in labels if n <= monday)] == "12:00"
        wednesday = next(n for n, line in enumerate(lines) if "BL Case" in line)  # the 08:00 post
        assert labels.get(wednesday) == "08:00"
        column = [line[6:18].strip() for line in lines[monday: monday + 3]]
        assert column[1].startswith("Small")  # the title goes on to the lines below
