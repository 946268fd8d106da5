"""The calendar app: plan, see and fix the schedule in the terminal.

``make_app(path, today=...)`` builds it (the command line and the tests both use it). The app
holds a :class:`calendar_tui.session.Session` and presents it; every change goes through the
session, which edits the plan text with the writer and checks it with the rules.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Callable, Iterable

import tempfile
from calendar import monthrange
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Header

from balance.capacity import iso_week, monday, weekly_load
from balance.mix import MixLimits
from planner.errors import PlanError
from planner.model import Post
from planner.outcomes import StoreError
from planner.planfile import ConflictError

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

DISK_CHECK_SECONDS = 2.0
FIRST_CHECK_DELAY = 0.05  # seconds after the first screen is painted
TODAY_CHECK_SECONDS = 30.0
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


class CalendarScreen(Screen):
    """The main screen: a view of the calendar, the selected day, the balance and the findings."""

    BINDINGS = [
        Binding("left,h", "move(-1)", "Day", show=False),
        Binding("right,l", "move(1)", "Day", show=False),
        Binding("up,k", "move(-7)", "Week", show=False),
        Binding("down,j", "move(7)", "Week", show=False),
        Binding("left_square_bracket,pageup", "month(-1)", "Prev month", show=False),
        Binding("right_square_bracket,pagedown", "month(1)", "Next month", show=False),
        Binding("tab", "select(1)", "Next item", show=False),
        Binding("shift+tab", "select(-1)", "Previous item", show=False),
        Binding("m", "view('month')", "Month"),
        Binding("w", "view('week')", "Week"),
        Binding("a", "view('agenda')", "Agenda"),
        Binding("t", "today", "Today", show=False),
        Binding("g", "goto", "Go to", show=False),
        Binding("n", "new_post", "New"),
        Binding("e,enter", "edit_post", "Edit"),
        Binding("d", "delete_post", "Delete", show=False),
        Binding("shift+left", "shift_post(-1, 0)", "Post a day earlier", show=False),
        Binding("shift+right", "shift_post(1, 0)", "Post a day later", show=False),
        Binding("shift+up", "shift_post(0, -1)", "Post an hour earlier", show=False),
        Binding("shift+down", "shift_post(0, 1)", "Post an hour later", show=False),
        Binding("f", "fill", "Fill"),
        Binding("L", "log_published", "Log as published", show=False),
        Binding("u,ctrl+z", "undo", "Undo", show=False),
        Binding("ctrl+r,ctrl+y", "redo", "Redo", show=False),
        Binding("slash", "search", "Search"),
        Binding("F", "filter", "Filter", show=False),
        Binding("D", "findings", "Findings", show=False),
        Binding("s", "side", "Side panel", show=False),
        Binding("escape", "calendar", "Back to the calendar", show=False),
        Binding("ctrl+s", "save", "Save"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with ContentSwitcher(initial="month", id="views"):
                yield MonthGrid(week_start=self.app.week_start, id="month")
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
        self.app.redraw()
        # the check takes the interpreter from the painting: start it once the month is on screen
        self.call_after_refresh(self.app.set_timer, FIRST_CHECK_DELAY, partial(self.app.check_in_background, whole_plan=True))

    def on_month_grid_day_clicked(self, message: MonthGrid.DayClicked) -> None:
        self.app.jump_to(message.day)

    def on_week_view_day_clicked(self, message: WeekView.DayClicked) -> None:
        self.app.jump_to(message.day)

    def on_diagnostics_panel_jump(self, message: DiagnosticsPanel.Jump) -> None:
        self.app.jump_to(message.day)
        self.query_one("#views").focus()

    # every action is the app's: the screen only maps keys to them
    def action_move(self, days: int) -> None:
        self.app.move_cursor(days)

    def action_month(self, months: int) -> None:
        self.app.move_months(months)

    def action_select(self, step: int) -> None:
        self.app.select_item(step)

    def action_view(self, name: str) -> None:
        self.app.show_view(name)

    def action_today(self) -> None:
        self.app.jump_to(self.app.session.today)

    def action_goto(self) -> None:
        self.app.ask_date()

    def action_new_post(self) -> None:
        self.app.new_post()

    def action_edit_post(self) -> None:
        if self.focused is self.query_one(DiagnosticsPanel):
            return  # enter there jumps to the finding's day
        self.app.edit_post()

    def action_delete_post(self) -> None:
        self.app.delete_post()

    def action_shift_post(self, days: int, hours: int) -> None:
        self.app.shift_post(days, hours)

    def action_fill(self) -> None:
        self.app.fill_slot()

    def action_log_published(self) -> None:
        self.app.log_published()

    def action_undo(self) -> None:
        self.app.undo()

    def action_redo(self) -> None:
        self.app.redo()

    def action_filter(self) -> None:
        self.app.choose_filters()

    def action_search(self) -> None:
        self.app.search()

    def action_findings(self) -> None:
        self.query_one("#side").display = True
        self.query_one(DiagnosticsPanel).focus()

    def action_calendar(self) -> None:
        views = self.query_one("#views")
        if views.has_focus and self.app.filters.search:
            self.app.end_search()
        views.focus()

    def action_side(self) -> None:
        side = self.query_one("#side")
        side.display = not side.display

    def on_resize(self, event) -> None:
        self.query_one("#side").display = event.size.width >= WIDE

    def action_save(self) -> None:
        self.app.save()

    def action_help(self) -> None:
        from calendar_tui.screens.help_screen import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_quit(self) -> None:
        self.app.ask_quit()


class CadenceApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "cadence"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, session: Session, week_start: int = 0, clock: Callable[[], date] | None = None) -> None:
        """``clock`` gives today's date while the app is open (None: today is fixed, --today)."""
        super().__init__()
        self.clock = clock
        self.session = session
        session.checks_in_background = True
        self.week_start = week_start
        self._index: tuple[tuple, CalendarIndex] | None = None
        plan = session.plan
        self.cursor = session.today if plan.start <= session.today <= plan.end else plan.start
        self.selected = 0
        self.view = "month"
        self.filters = Filters()
        self.checking = True  # a check is under way (the first starts on mounting): the title says so
        self.disk_seen = session.file.digest  # the file on disk as last looked at
        self.crash: str | None = None  # the one line printed after the app ends on an error
        self._shown_findings: tuple | None = None
        self._week_load: tuple | None = None

    def on_mount(self) -> None:
        self.push_screen(CalendarScreen())
        self.set_interval(DISK_CHECK_SECONDS, self.watch_disk)
        self.set_interval(TODAY_CHECK_SECONDS, self.watch_today)
        if self.session.store_problem:
            self.say(f"outcomes not shown: {self.session.store_problem}", severity="warning", timeout=10)
        for note in self.session.store_notes:
            self.say(note, severity="warning", timeout=10)

    def _handle_exception(self, error: Exception) -> None:
        """Any error ends the app: unsaved edits go to a side file, then one line, status 2."""
        try:
            rescued = self.session.rescue(folders=(os.getcwd(), tempfile.gettempdir()))
        except Exception:  # the rescue must not hide the error that ended the app
            rescued = None
        kept = f"; your unsaved edits are in {rescued}" if rescued else "; nothing unsaved was lost" if not self.session.dirty else "; unsaved edits could not be written anywhere"
        self.crash = f"cadence: the app stopped on an error: {type(error).__name__}: {error}{kept}"
        super()._handle_exception(error)
        self._return_code = 2
        self._exit_renderables.clear()  # no traceback: the command line prints self.crash

    # -- what is shown ----------------------------------------------------------------------

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

    def redraw(self) -> None:
        # also under a dialog: the calendar shows through, and the title stays true
        screen = next((screen for screen in self.screen_stack if isinstance(screen, CalendarScreen)), None)
        if screen is None or not screen.is_attached:
            return
        session = self.session
        first, last = self.visible_range()
        index = self.index
        days = days_between(index, first, last, self.filters)
        cursor_day = days[self.cursor]
        count = len(cursor_day.items)
        self.selected = min(self.selected, max(count - 1, 0))
        selected = self.selected if count else None
        if self.view == "month":
            screen.query_one(MonthGrid).show(session.plan, days, self.cursor, session.today, selected)
        elif self.view == "week":
            screen.query_one(WeekView).show(session.plan, days, first, self.cursor, session.today, selected)
        else:
            screen.query_one(AgendaView).show(session.plan, list(days.values()), self.cursor, session.today, selected)
        screen.query_one(DayPanel).show(session.plan, cursor_day, selected)
        limits = MixLimits.of(session.plan)
        marks = {name: channel.mark for name, channel in session.plan.channels.items()}
        screen.query_one(BalanceMeter).show(balance_shares(session.plan, index, self.cursor), marks, limits.window_days)
        chosen = cursor_day.items[selected] if selected is not None else None
        channel = session.plan.channels.get(chosen.channel) if chosen else None
        screen.query_one(Followers).show(channel.label if channel else "", session.followers(chosen.channel) if chosen else [], self.cursor)
        week = (session.plan, monday(self.cursor))
        if not same_objects(week, self._week_load[0] if self._week_load else None):
            counted = session.plan.hours or any(kind.effort for kind in session.plan.kinds.values())
            self._week_load = (week, weekly_load(session.plan, self.cursor) if counted else [])  # a pass over every post
        screen.query_one(TeamLoad).show(iso_week(self.cursor), self._week_load[1])
        shown_findings = (session.diagnostics, first, last)
        if not same_objects(shown_findings, self._shown_findings):  # moving within the month keeps the list
            self._shown_findings = shown_findings
            # after the calendar is painted: a month of findings costs a key ~10 ms on a big plan
            self.call_after_refresh(screen.query_one(DiagnosticsPanel).show, findings_between(session.diagnostics, first, last))
        self.show_title(first, last)

    def show_title(self, first: date, last: date) -> None:
        """The file (and the plan's name when it fits), what is shown, the findings, the filter."""
        session = self.session
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
        room = self.size.width - 20  # the header's icon (8) and clock space (10), and a margin
        # the longest that fits, the findings count last to go: with the plan's name, with the
        # demo's hint, the file alone; then the same without the view's name
        subtitles = [f"{shown} · {self.view} · {findings}{filters}", f"{shown} · {findings}{filters}"]
        titles = [f"{session.plan.name} · {title}{hint}", f"{title}{hint}", title]
        fitting = ((text, sub) for sub in subtitles for text in titles if len(text) + 3 + len(sub) <= room)
        self.title, self.sub_title = next(fitting, (title, subtitles[-1]))

    # -- moving -----------------------------------------------------------------------------

    def jump_to(self, day: date) -> None:
        self.cursor, self.selected = day, 0
        self.redraw()

    def move_cursor(self, days: int) -> None:
        self.jump_to(self.cursor + timedelta(days=days))

    def move_months(self, months: int) -> None:
        self.jump_to(add_months(self.cursor, months))

    def select_item(self, step: int) -> None:
        count = len(self.day_items())
        if count:
            self.selected = (self.selected + step) % count
            self.redraw()

    def show_view(self, name: str) -> None:
        self.view = name
        self.screen.query_one(ContentSwitcher).current = name
        self.redraw()

    def ask_date(self) -> None:
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

        self.push_screen(PromptScreen("Go to date (YYYY-MM-DD)", f"{self.cursor}", check), chosen)

    def choose_filters(self) -> None:
        from calendar_tui.screens.filters import FilterScreen

        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self.filters, self.selected = filters, 0
                self.redraw()

        self.push_screen(FilterScreen(self.session.plan, self.filters), chosen)

    def end_search(self) -> None:
        self.filters = replace(self.filters, search="")
        self.say("search ended: every post is shown again")
        self.redraw()

    def search(self) -> None:
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
                self.say(f"no post matches {text!r}", severity="warning")
            self.redraw()

        self.push_screen(SearchScreen(self.session.plan, self.filters.search, self.cursor), chosen)

    # -- editing ----------------------------------------------------------------------------

    def edit(self, change, select=None) -> bool:
        """Run one session edit; on an invalid result say why and change nothing.

        ``select`` gives, after the change, the (day, post id) to put the cursor on.
        """
        try:
            change()
        except (PlanError, StoreError, ValueError, KeyError) as error:
            self.say(str(error), title="Not changed", severity="error", timeout=8)
            return False
        if select is not None:
            day, post_id = select()
            self.cursor, self.selected = day, 0
            self.select(self.session.post(post_id))
        self.redraw()
        self.call_after_refresh(self.check_in_background)  # paint the change first, then re-check
        return True

    def check_in_background(self, whole_plan: bool = False) -> None:
        """Re-run the rules off the UI thread: first the days on screen, then the whole plan.

        The calendar moves at once; the findings on screen follow within a few tens of
        milliseconds, the rest of the plan's when the full check is done. ``whole_plan``
        skips the quick pass (on opening, when there is nothing to merge it into).
        """
        self.checking = True
        self.recheck(self.session.plan, None if whole_plan else self.visible_range())
        self.redraw()

    @work(thread=True, exclusive=True, group="findings")
    def recheck(self, plan, shown: tuple[date, date] | None) -> None:
        if shown is not None:
            quick = self.session.findings_for(plan, around=shown)
            self.call_from_thread(self.findings_ready, plan, quick, shown)
        self.call_from_thread(self.findings_ready, plan, self.session.findings_for(plan), None)

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

    def select(self, item: Post | Slot | None) -> None:
        """Select ``item`` (a post by its id) on the cursor's day, if it is still there."""
        for n, candidate in enumerate(self.day_items()):
            if candidate == item or (isinstance(item, Post) and isinstance(candidate, Post) and candidate.id == item.id):
                self.selected = n
                return

    def new_post(self) -> None:
        """A new post on the selected day: on the selected empty slot, else the channel's first one."""
        from calendar_tui.screens.post_editor import PostEditor

        plan = self.session.plan
        chosen = self.selected_item()
        channel = chosen.channel if isinstance(chosen, Slot) else next(iter(self.filters.channels), None) or next(iter(plan.channels), None)
        if channel is None:
            self.say("add a [channels.NAME] table to the plan first", severity="warning")
            return
        slot = chosen.at if isinstance(chosen, Slot) else self.session.first_open_slot(self.cursor, channel)
        start = slot.replace(tzinfo=None) if slot else datetime.combine(self.cursor, datetime.min.time()).replace(hour=10)

        def created(values: dict | None) -> None:
            if values is None:
                return
            ids: list[str] = []
            fields = {key: value for key, value in values.items() if key not in ("channel", "at", "kind", "title")}
            self.edit(
                lambda: ids.append(self.session.new_post(values["channel"], values["at"], values["kind"], values["title"], **fields)),
                select=lambda: (values["at"].date(), ids[0]),
            )

        def open_slot(name: str) -> datetime | None:
            found = self.session.first_open_slot(self.cursor, name)
            return found.replace(tzinfo=None) if found else None

        self.push_screen(PostEditor(plan, day_time=start, channel=channel, open_slot=open_slot), created)

    def edit_post(self) -> None:
        from calendar_tui.screens.post_editor import PostEditor

        post = self.selected_item()
        if isinstance(post, Slot):
            self.new_post()  # editing an empty slot is writing its post
            return
        if not isinstance(post, Post):
            self.say("select a post first (tab steps through the day)", severity="warning")
            return

        def edited(values: dict | None) -> None:
            if values is None:
                return
            current = {"channel": post.channel, "kind": post.kind, "at": post.at.replace(tzinfo=None), "title": post.title,
                       "body": post.body or None, "status": post.status, "owner": post.owner, "link": post.link, "tags": list(post.tags) or None,
                       "approved_by": list(post.approved_by) or None, "audience": post.audience}
            changes = {key: value for key, value in values.items() if value != current[key]}
            if changes:
                self.edit(lambda: self.session.change(post.id, **changes), select=lambda: (values["at"].date(), post.id))

        self.push_screen(PostEditor(self.session.plan, post), edited)

    def delete_post(self) -> None:
        from calendar_tui.screens.confirm import ConfirmScreen

        post = self.selected_item()
        if not isinstance(post, Post):
            self.say("select a post first (tab steps through the day)", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.edit(lambda: self.session.delete(post.id))

        self.push_screen(ConfirmScreen(f"Delete {post.title!r} ({post.id})?", "Delete", "Keep"), answered)

    def shift_post(self, days: int, hours: int) -> None:
        post = self.selected_item()
        if not isinstance(post, Post):
            self.say("select a post first (tab steps through the day)", severity="warning")
            return
        delta = timedelta(days=days, hours=hours)
        new_day = (post.at.replace(tzinfo=None) + delta).date()
        self.edit(lambda: self.session.move(post.id, delta), select=lambda: (new_day, post.id))

    def log_published(self) -> None:
        """Record the selected post as published now, in the outcomes store and in the plan."""
        post = self.selected_item()
        if not isinstance(post, Post):
            self.say("select a post first (tab steps through the day)", severity="warning")
            return
        if self.session.demo:  # its store would go into the installed package
            self.say("this is the demo plan: save your copy first (ctrl+s), then log in its store", severity="warning")
            return
        if self.edit(lambda: self.session.log_published(post.id), select=lambda: (post.day, post.id)):
            self.say(f"logged {post.id} as published now; ctrl+s saves its status")
            for note in self.session.store_notes:  # what an upgrade of the store did
                self.say(note, severity="warning", timeout=10)

    def fill_slot(self) -> None:
        from calendar_tui.screens.backlog_picker import BacklogPicker

        slot = self.selected_item()
        if not isinstance(slot, Slot):
            gaps = [item for item in self.day_items() if isinstance(item, Slot)]
            if not gaps:
                self.say("no empty slot on this day", severity="warning")
                return
            slot = gaps[0]
        ideas = self.session.ideas_for(slot)
        mark = self.session.plan.channels[slot.channel].mark

        def chosen(idea_id: str | None) -> None:
            idea = next((idea for idea in ideas if idea.id == idea_id), None)
            if idea is not None:
                ids: list[str] = []
                self.edit(lambda: ids.append(self.session.fill(slot, idea)), select=lambda: (slot.at.date(), ids[0]))

        self.push_screen(BacklogPicker(f"{mark} {slot.at:%a %d %b %H:%M}", ideas), chosen)

    def undo(self) -> None:
        if self.session.undo():
            self.check_in_background()
        else:
            self.say("nothing to undo")
        self.redraw()

    def redo(self) -> None:
        if self.session.redo():
            self.check_in_background()
        else:
            self.say("nothing to redo")
        self.redraw()

    def say(self, message: str, **options) -> None:
        """A notification in plain text: plan messages hold brackets such as [[post]]."""
        self.notify(message, markup=False, **options)

    # -- files ------------------------------------------------------------------------------

    def save(self, then=None) -> None:
        """Save the edits (the demo: a copy under a new name); ``then()`` runs once saved."""
        from calendar_tui.screens.conflict import ConflictScreen

        if self.session.demo:
            self.ask_save_as(then, "This is the bundled demo plan. Save your copy as", os.path.join(os.getcwd(), "content-plan.toml"))
            return
        if not self.session.dirty:
            self.say("nothing to save")
            if then:
                then()
            return
        try:
            self.session.save()
        except ConflictError:
            self.push_screen(ConflictScreen(self.session.file.path), partial(self.resolve_conflict, then=then))
            return
        except OSError as error:
            self.say(f"not saved: {error.strerror or error}; your edits are kept", severity="error", timeout=10)
            return
        self.disk_seen = self.session.file.digest
        self.say(f"saved {self.session.file.path}")
        self.redraw()
        if then:
            then()

    def resolve_conflict(self, choice: str | None, then=None) -> None:
        if choice == "reload":
            self.reload()
        elif choice == "save-as":
            self.ask_save_as(then)

    def reload(self) -> bool:
        """Re-read the plan from disk; if it cannot be read, say why and keep everything as is."""
        try:
            self.session.reload()
        except (PlanError, OSError, ValueError) as error:
            self.say(f"the plan on disk cannot be read, nothing changed: {error}", severity="error", timeout=10)
            return False
        self.disk_seen = self.session.file.digest
        self.check_in_background(whole_plan=True)
        self.say("reloaded from disk")
        return True

    def ask_save_as(self, then=None, question: str = "Save the edits as (a new file)", suggested: str | None = None) -> None:
        from calendar_tui.screens.prompt import PromptScreen

        def chosen(path: str | None) -> None:
            if not path:
                return
            try:
                self.session.save_as(os.path.expanduser(path.strip()))
            except OSError as error:
                self.say(f"not saved: {error}", severity="error", timeout=10)
                return
            self.disk_seen = self.session.file.digest
            self.check_in_background(whole_plan=True)
            self.say(f"saved as {self.session.file.path}; editing that file now")
            if then:
                then()

        stem, _ = os.path.splitext(self.session.file.path)
        self.push_screen(PromptScreen(question, suggested or f"{stem}.mine.toml"), chosen)

    def watch_today(self) -> None:
        """Open past midnight, the app moves today on and re-checks (stale posts, due dates)."""
        today = self.clock() if self.clock else self.session.today
        if today == self.session.today:
            return
        if self.cursor == self.session.today:
            self.cursor = today
        self.session.today = today
        self.check_in_background(whole_plan=True)

    def watch_disk(self) -> None:
        """Look at the file on disk: re-read a change when nothing unsaved would be lost, else
        say so once per change. A change that cannot be read leaves everything as it was; the
        watch goes on, and a file put back as it was opened is simply the plan again."""
        digest = self.session.disk_digest()
        if digest == self.disk_seen:
            return
        self.disk_seen = digest
        if digest == self.session.file.digest:
            self.say("the plan on disk is back to what was opened")
            return
        if digest is None:
            self.say("the plan file is gone from disk; ctrl+s writes it again", severity="warning", timeout=10)
        elif self.session.dirty:
            self.say("the plan changed on disk; saving will ask before overwriting anything", severity="warning", timeout=10)
        elif self.reload():
            self.say("the plan changed on disk: reloaded")

    def ask_quit(self) -> None:
        from calendar_tui.screens.confirm import ChoiceScreen

        if not self.session.dirty:
            self.exit()
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.save(then=self.exit)
            elif choice == "quit":
                self.exit()

        self.push_screen(ChoiceScreen(
            "You have unsaved edits.",
            [("save", "Save and quit", "s", "primary"), ("quit", "Quit without saving", "y", "error"), ("stay", "Stay", "n", "default")],
            cancel="stay",
        ), answered)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, CalendarScreen):
            for binding in CalendarScreen.BINDINGS:
                method = binding.action.split("(")[0]
                arguments = binding.action[len(method):] or "()"
                call = partial(screen.run_action, f"{method}{arguments}")
                yield SystemCommand(binding.description, f"keys: {binding.key}", call)


def make_app(path: str, today: date | None = None, week_start: str = "monday", demo: bool = False) -> CadenceApp:
    """The calendar app on the plan at ``path``; ``today`` fixes the date (tests, demos).

    ``demo``: the bundled demo plan, which is saved only as a copy under a new name.
    The findings are checked once the first screen is drawn.
    """
    session = Session.open(path, today, demo=demo, check=False)
    clock = None if today else (lambda: datetime.now(session.plan.tz).date())
    return CadenceApp(session, week_start=0 if week_start == "monday" else 6, clock=clock)
