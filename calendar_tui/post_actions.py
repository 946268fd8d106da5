"""The calendar's post actions: new, edit, delete, move, fill from the backlog, log, undo, redo.

``PostActions`` is a part of ``CalendarScreen`` (calendar_tui/screens/calendar.py), whose
selection it acts on: each action opens its dialog if it has one and makes the change through
the session, which edits the plan text with the writer; an invalid change is said and changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from planner.errors import PlanError
from planner.model import Post
from planner.outcomes import StoreError

from calendar_tui.session import Slot

SELECT_FIRST = "select a post first (tab steps through the day)"


class PostActions:
    """Mixed into ``CalendarScreen``: uses its ``session``, ``cursor``, ``selected``, ``filters``,
    ``selected_item``, ``day_items``, ``select``, ``redraw`` and ``check_in_background``."""

    def edit(self, change: Callable[[], object], select: Callable[[], tuple] | None = None) -> bool:
        """Run one session edit; on an invalid result say why and change nothing.

        ``select`` gives, after the change, the (day, post id) to put the cursor on.
        """
        try:
            change()
        except (PlanError, StoreError, ValueError, KeyError) as error:
            self.app.say(str(error), title="Not changed", severity="error", timeout=8)
            return False
        if select is not None:
            day, post_id = select()
            self.cursor, self.selected = day, 0
            self.select(self.session.post(post_id))
        self.redraw()
        self.call_after_refresh(self.check_in_background)  # paint the change first, then re-check
        return True

    def selected_post(self) -> Post | None:
        """The selected post, or None after saying how to select one."""
        post = self.selected_item()
        if not isinstance(post, Post):
            self.app.say(SELECT_FIRST, severity="warning")
            return None
        return post

    def action_new_post(self) -> None:
        """A new post: on the selected empty slot, else on the channel whose slot on the selected
        day is open (or the filtered one) at its next open slot, owned by the channel's owner."""
        from calendar_tui.screens.post_editor import PostEditor

        session, plan = self.session, self.session.plan
        chosen = self.selected_item()
        channel = (
            chosen.channel if isinstance(chosen, Slot)
            else next(iter(self.filters.channels), None) or session.days_channel(self.cursor) or next(iter(plan.channels), None)
        )
        if channel is None:
            self.app.say("add a [channels.NAME] table to the plan first", severity="warning")
            return
        slot = chosen.at if isinstance(chosen, Slot) else session.first_open_slot(self.cursor, channel)
        start = slot.replace(tzinfo=None) if slot else datetime.combine(self.cursor, datetime.min.time()).replace(hour=10)
        cursor = self.cursor

        def created(values: dict | None) -> None:
            if values is None:
                return
            ids: list[str] = []
            fields = {key: value for key, value in values.items() if key not in ("channel", "at", "kind", "title")}
            self.edit(
                lambda: ids.append(session.new_post(values["channel"], values["at"], values["kind"], values["title"], **fields)),
                select=lambda: (values["at"].date(), ids[0]),
            )

        def open_slot(name: str) -> datetime | None:
            found = session.first_open_slot(cursor, name)
            return found.replace(tzinfo=None) if found else None

        self.app.push_screen(PostEditor(plan, day_time=start, channel=channel, open_slot=open_slot), created)

    def action_edit_post(self) -> None:
        from calendar_tui.screens.post_editor import PostEditor
        from calendar_tui.widgets.diagnostics_panel import DiagnosticsPanel

        if isinstance(self.focused, DiagnosticsPanel):
            return  # enter there jumps to the finding's day
        if isinstance(self.selected_item(), Slot):
            self.action_new_post()  # editing an empty slot is writing its post
            return
        post = self.selected_post()
        if post is None:
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

        self.app.push_screen(PostEditor(self.session.plan, post), edited)

    def action_delete_post(self) -> None:
        from calendar_tui.screens.confirm import ConfirmScreen

        post = self.selected_post()
        if post is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.edit(lambda: self.session.delete(post.id))

        self.app.push_screen(ConfirmScreen(f"Delete {post.title!r} ({post.id})?", "Delete", "Keep"), answered)

    def action_shift_post(self, days: int, hours: int) -> None:
        post = self.selected_post()
        if post is None:
            return
        delta = timedelta(days=days, hours=hours)
        new_day = (post.at.replace(tzinfo=None) + delta).date()
        self.edit(lambda: self.session.move(post.id, delta), select=lambda: (new_day, post.id))

    def action_log_published(self) -> None:
        """Record the selected post as published now, in the outcomes store and in the plan."""
        post = self.selected_post()
        if post is None:
            return
        if self.session.demo:  # its store would go into the installed package
            self.app.say("this is the demo plan: save your copy first (ctrl+s), then log in its store", severity="warning")
            return
        if self.edit(lambda: self.session.log_published(post.id), select=lambda: (post.day, post.id)):
            self.app.say(f"logged {post.id} as published now; ctrl+s saves its status")
            for note in self.session.store_notes:  # what an upgrade of the store did
                self.app.say(note, severity="warning", timeout=10)

    def action_fill(self) -> None:
        from calendar_tui.screens.backlog_picker import BacklogPicker

        slot = self.selected_item()
        if not isinstance(slot, Slot):
            gaps = [item for item in self.day_items() if isinstance(item, Slot)]
            if not gaps:
                self.app.say("no empty slot on this day", severity="warning")
                return
            slot = gaps[0]
        ideas = self.session.ideas_for(slot)
        mark = self.session.plan.channels[slot.channel].mark

        def chosen(idea_id: str | None) -> None:
            idea = next((idea for idea in ideas if idea.id == idea_id), None)
            if idea is not None:
                ids: list[str] = []
                self.edit(lambda: ids.append(self.session.fill(slot, idea)), select=lambda: (slot.at.date(), ids[0]))

        self.app.push_screen(BacklogPicker(f"{mark} {slot.at:%a %d %b %H:%M}", ideas), chosen)

    def action_undo(self) -> None:
        self.step_history(self.session.undo, "nothing to undo")

    def action_redo(self) -> None:
        self.step_history(self.session.redo, "nothing to redo")

    def step_history(self, step: Callable[[], bool], nothing: str) -> None:
        if step():
            self.check_in_background()
        else:
            self.app.say(nothing)
        self.redraw()
