"""The main screen: a view of the calendar, the selected day, the balance and the findings.

The screen owns what is shown (``cursor``, ``view``, ``filters``, ``selected``, as reactive
attributes: setting one redraws once, after the key that set it) and its keys (``calendar_tui.keys``).
It draws by handing each widget its data (attributes down); the widgets send clicks and jumps
up as messages. The post actions (new, edit, move...) are ``PostActions``' (calendar_tui/post_actions.py);
saving, the file on disk and quitting are the app's ``PlanFile`` (calendar_tui/saving.py).
"""

from __future__ import annotations

import os
from calendar import monthrange
from dataclasses import replace
from datetime import date, timedelta
from functools import partial

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Header

from balance.capacity import iso_week, monday, weekly_load
from balance.mix import MixLimits
from planner.model import Post

from calendar_tui.post_actions import PostActions
from calendar_tui.keys import KEYS
from calendar_tui.session import Session, Slot
from calendar_tui.view_model import CalendarIndex, Filters, balance_shares, days_between, findings_between
from calendar_tui.widgets.agenda_view import AGENDA_DAYS, AgendaView
from calendar_tui.widgets.balance_meter import BalanceMeter
from calendar_tui.widgets.day_panel import DayPanel
from calendar_tui.widgets.diagnostics_panel import DiagnosticsPanel
from calendar_tui.widgets.followers import Followers
from calendar_tui.widgets.month_grid import MonthGrid, month_start
from calendar_tui.widgets.team_load import TeamLoad
from calendar_tui.widgets.week_view import WeekView

FIRST_CHECK_DELAY = 0.05  # seconds after the first screen is painted
WIDE = 100  # narrower terminals give the calendar the whole width; `s` shows the side panel


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day (31 Jan + 1 = 28 Feb).

    By hand rather than with pendulum: importing pendulum costs the first screen 80 ms.
    """
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def same_objects(a: tuple | None, b: tuple | None) -> bool:
    """Tuples of the very same objects (a plan, a findings list: never compared item by item) or equal dates."""
    return a is not None and b is not None and len(a) == len(b) and all(x is y or (isinstance(x, date) and x == y) for x, y in zip(a, b))


class CalendarScreen(PostActions, Screen):
    """The calendar of ``session``'s plan; ``week_start``: 0 Monday, 6 Sunday."""

    BINDINGS = [Binding(key.key, key.action, key.description, show=key.show, tooltip=key.tooltip) for key in KEYS]

    cursor: reactive[date] = reactive(date.min, init=False)
    view: reactive[str] = reactive("month", init=False)
    filters: reactive[Filters] = reactive(Filters, init=False)
    selected: reactive[int] = reactive(0, init=False)  # the index of the selected post or slot in the cursor's day

    def __init__(self, session: Session, week_start: int = 0) -> None:
        super().__init__()
        self.session, self.week_start = session, week_start
        plan = session.plan
        self.set_reactive(CalendarScreen.cursor, session.today if plan.start <= session.today <= plan.end else plan.start)
        self.checking = True  # a check is under way (the first starts on mounting): the title says so
        self._draw_pending = False
        self._index: tuple[tuple, CalendarIndex] | None = None
        self._shown_findings: tuple | None = None
        self._week_load: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with ContentSwitcher(initial="month", id="views"):
                yield MonthGrid(week_start=self.week_start, id="month")
                yield WeekView(id="week")
                yield AgendaView(id="agenda")
            with Vertical(id="side"):
                yield DayPanel(id="day")
                yield Followers(id="followers")
                yield TeamLoad(id="load")
                yield BalanceMeter(id="balance")
                yield DiagnosticsPanel(id="findings")
        yield Footer(compact=True, show_command_palette=False)  # at 80 columns every key shown fits, ? and q last (ctrl+p is in ?)

    def on_mount(self) -> None:
        views = self.query_one("#views")
        views.can_focus = True  # the calendar takes the keys; the findings only when asked (D)
        views.focus()
        self.redraw()
        # the check takes the interpreter from the painting: start it once the month is on screen
        self.call_after_refresh(self.set_timer, FIRST_CHECK_DELAY, partial(self.check_in_background, whole_plan=True))

    # -- what is shown ----------------------------------------------------------------------

    def watch_cursor(self) -> None:
        self.draw_soon()

    def watch_view(self, name: str) -> None:
        self.query_one(ContentSwitcher).current = name
        self.draw_soon()

    def watch_filters(self) -> None:
        self.draw_soon()

    def watch_selected(self) -> None:
        self.draw_soon()

    def draw_soon(self) -> None:
        """Redraw once the current key is handled, however many attributes it set."""
        if not self._draw_pending:
            self._draw_pending = True
            self.call_next(self._draw_if_pending)

    def _draw_if_pending(self) -> None:
        if self._draw_pending:
            self.redraw()

    def visible_range(self) -> tuple[date, date]:
        if self.view == "week":
            first = self.cursor - timedelta(days=(self.cursor.weekday() - self.week_start) % 7)
            return first, first + timedelta(days=6)
        if self.view == "agenda":
            return self.cursor, self.cursor + timedelta(days=AGENDA_DAYS - 1)
        first = month_start(self.cursor, self.week_start)
        return first, first + timedelta(days=41)

    @property
    def index(self) -> CalendarIndex:
        """The calendar's view of the session, rebuilt when the plan or the findings change."""
        key = (self.session.plan, self.session.diagnostics)  # held, not ids: an id is reused once freed
        if self._index is None or not same_objects(self._index[0], key):
            self._index = (key, CalendarIndex.of(self.session))
        return self._index[1]

    def day_items(self) -> list[Post | Slot]:
        """The selected day's posts and open slots by time: what tab steps through."""
        return days_between(self.index, self.cursor, self.cursor, self.filters)[self.cursor].items

    def selected_item(self) -> Post | Slot | None:
        items = self.day_items()
        return items[self.selected] if 0 <= self.selected < len(items) else None

    def select(self, item: Post | Slot | None) -> None:
        """Select ``item`` (a post by its id) on the cursor's day, if it is still there."""
        for n, candidate in enumerate(self.day_items()):
            if candidate == item or (isinstance(item, Post) and isinstance(candidate, Post) and candidate.id == item.id):
                self.selected = n
                return

    def redraw(self) -> None:
        """Hand every widget its data. Also under a dialog: the calendar shows through, and the title stays true."""
        self._draw_pending = False
        if not self.is_attached:
            return
        session = self.session
        first, last = self.visible_range()
        index = self.index
        days = days_between(index, first, last, self.filters)
        cursor_day = days[self.cursor]
        count = len(cursor_day.items)
        self.set_reactive(CalendarScreen.selected, min(self.selected, max(count - 1, 0)))
        selected = self.selected if count else None
        if self.view == "month":
            self.query_one(MonthGrid).show(session.plan, days, self.cursor, session.today, selected)
        elif self.view == "week":
            self.query_one(WeekView).show(session.plan, days, first, self.cursor, session.today, selected)
        else:
            self.query_one(AgendaView).show(session.plan, list(days.values()), self.cursor, session.today, selected)
        self.query_one(DayPanel).show(session.plan, cursor_day, selected)
        limits = MixLimits.of(session.plan)
        marks = {name: channel.mark for name, channel in session.plan.channels.items()}
        self.query_one(BalanceMeter).show(balance_shares(session.plan, index, self.cursor), marks, limits.window_days)
        chosen = cursor_day.items[selected] if selected is not None else None
        channel = session.plan.channels.get(chosen.channel) if chosen else None
        self.query_one(Followers).show(channel.label if channel else "", session.followers(chosen.channel) if chosen else [], self.cursor)
        week = (session.plan, monday(self.cursor))
        if not same_objects(week, self._week_load[0] if self._week_load else None):
            counted = session.plan.hours or any(kind.effort for kind in session.plan.kinds.values())
            self._week_load = (week, weekly_load(session.plan, self.cursor) if counted else [])  # a pass over every post
        self.query_one(TeamLoad).show(iso_week(self.cursor), self._week_load[1])
        shown_findings = (session.diagnostics, first, last)
        if not same_objects(shown_findings, self._shown_findings):  # moving within the month keeps the list
            self._shown_findings = shown_findings
            # after the calendar is painted: a month of findings costs a key ~10 ms on a big plan
            self.call_after_refresh(self.query_one(DiagnosticsPanel).show, findings_between(session.diagnostics, first, last))
        self.show_title(first, last)

    def show_title(self, first: date, last: date) -> None:
        """The file (and the plan's name when it fits), what is shown, the findings, the filter."""
        session, app = self.session, self.app
        name = os.path.basename(session.file.path)
        if session.demo:
            name = f"demo {name}"
        state = " ●" if session.dirty else ""
        shown = f"{self.cursor:%B %Y}" if self.view == "month" else f"{first:%d %b} – {last:%d %b %Y}"
        findings = "checking…" if self.checking and not session.diagnostics else f"{len(session.diagnostics)} findings"
        findings += " · checking…" if self.checking and session.diagnostics else ""
        filters = f" · {self.filters.describe()}" if self.filters.active else ""
        title = f"{name}{state}"
        hint = " (ctrl+s saves a copy)" if session.demo else ""
        room = app.size.width - 20  # the header's icon (8) and clock space (10), and a margin
        # the longest that fits, the findings count last to go: with the plan's name, with the
        # demo's hint, the file alone; then the same without the view's name
        subtitles = [f"{shown} · {self.view} · {findings}{filters}", f"{shown} · {findings}{filters}"]
        titles = [f"{session.plan.name} · {title}{hint}", f"{title}{hint}", title]
        fitting = ((text, sub) for sub in subtitles for text in titles if len(text) + 3 + len(sub) <= room)
        app.title, app.sub_title = next(fitting, (title, subtitles[-1]))

    # -- the findings -----------------------------------------------------------------------

    def check_in_background(self, whole_plan: bool = False) -> None:
        """Re-run the rules off the UI thread: first the days on screen, then the whole plan.

        The calendar moves at once; the findings on screen follow from a quick pass (the days
        shown, and the rules that span days over the whole plan: tens of milliseconds on a
        sample, about 0.2 s on 10,000 posts), the rest when the full check is done. ``whole_plan``
        skips the quick pass (on opening, when there is nothing to merge it into).
        """
        self.checking = True
        self.recheck(self.session.plan, None if whole_plan else self.visible_range())
        self.redraw()

    @work(thread=True, exclusive=True, group="findings")
    def recheck(self, plan, shown: tuple[date, date] | None) -> None:
        if shown is not None:
            quick = self.session.findings_for(plan, around=shown)
            self.app.call_from_thread(self.findings_ready, plan, quick, shown)
        self.app.call_from_thread(self.findings_ready, plan, self.session.findings_for(plan), None)

    def findings_ready(self, plan, findings, shown) -> None:
        if plan is not self.session.plan:
            return  # a later edit's check is on its way
        diagnostics, gaps = findings
        selected = self.selected_item()
        if shown is None:
            self.session.diagnostics, self.session.gaps = diagnostics, gaps
            self.checking = False
        else:
            self.session.merge_findings(shown, diagnostics, gaps)
        self.select(selected)  # the day's open slots changed: the same item stays selected
        self.redraw()

    def roll_today(self, today: date) -> None:
        """Today is ``today`` now (the app was open past midnight): the cursor follows it from
        the old today, and the plan is checked again (stale posts, due dates)."""
        if self.cursor == self.session.today:
            self.cursor = today
        self.session.today = today
        self.check_in_background(whole_plan=True)

    # -- moving -----------------------------------------------------------------------------

    def jump_to(self, day: date) -> None:
        self.cursor, self.selected = day, 0

    def on_month_grid_day_clicked(self, message: MonthGrid.DayClicked) -> None:
        self.jump_to(message.day)

    def on_week_view_day_clicked(self, message: WeekView.DayClicked) -> None:
        self.jump_to(message.day)

    def on_diagnostics_panel_jump(self, message: DiagnosticsPanel.Jump) -> None:
        self.jump_to(message.day)
        self.query_one("#views").focus()

    def on_resize(self, event) -> None:
        self.query_one("#side").display = event.size.width >= WIDE

    def action_move(self, days: int) -> None:
        self.jump_to(self.cursor + timedelta(days=days))

    def action_month(self, months: int) -> None:
        self.jump_to(add_months(self.cursor, months))

    def action_select(self, step: int) -> None:
        count = len(self.day_items())
        if count:
            self.selected = (self.selected + step) % count

    def action_view(self, name: str) -> None:
        self.view = name

    def action_today(self) -> None:
        self.jump_to(self.session.today)

    def action_goto(self) -> None:
        from calendar_tui.screens.prompt import PromptScreen

        def check(text: str) -> str | None:
            try:
                date.fromisoformat(text.strip())
            except ValueError:
                return "write the date as YYYY-MM-DD"
            return None

        def chosen(text: str | None) -> None:
            if text:
                self.jump_to(date.fromisoformat(text.strip()))

        self.app.push_screen(PromptScreen("Go to date (YYYY-MM-DD)", f"{self.cursor}", check), chosen)

    # -- finding ----------------------------------------------------------------------------

    def action_filter(self) -> None:
        from calendar_tui.screens.filters import FilterScreen

        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self.filters, self.selected = filters, 0

        self.app.push_screen(FilterScreen(self.session.plan, self.filters), chosen)

    def action_search(self) -> None:
        """Find posts across the whole plan; the calendar then shows only the matches."""
        from calendar_tui.screens.search import SearchScreen

        def chosen(result: tuple[str, str | None] | None) -> None:
            if result is None:
                return
            text, post_id = result
            self.filters, self.selected = replace(self.filters, search=text), 0
            post = self.session.post(post_id) if post_id else None
            if post is not None:
                self.cursor = post.day
                self.select(post)
            elif text:
                self.app.say(f"no post matches {text!r}", severity="warning")

        self.app.push_screen(SearchScreen(self.session.plan, self.filters.search, self.cursor), chosen)

    def action_findings(self) -> None:
        self.query_one("#side").display = True
        self.query_one(DiagnosticsPanel).focus()

    def action_calendar(self) -> None:
        """Escape: back to the calendar from the findings, or end a search."""
        views = self.query_one("#views")
        if views.has_focus and self.filters.search:
            self.filters = replace(self.filters, search="")
            self.app.say("search ended: every post is shown again")
        views.focus()

    def action_side(self) -> None:
        side = self.query_one("#side")
        side.display = not side.display

    def action_help(self) -> None:
        from calendar_tui.screens.help_screen import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))

    # -- the file ---------------------------------------------------------------------------

    def action_save(self) -> None:
        self.app.plan_file.save()

    def action_quit(self) -> None:
        self.app.plan_file.ask_quit()
