"""The app's editing session: the plan file, its text and model, the findings, undo and redo.

Plain Python (no textual): the app presents a session and sends it edits; tests drive it
directly too. The edits and actions are the use-cases the command line calls too
(:mod:`calendar_tui.usecases`); the session adapts them to a text edited in memory, with undo.
Every edit goes through :mod:`planner.writer`, so saving writes only the edited posts' lines;
the file on disk is never overwritten if it changed since it was read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from balance.diagnostic import Diagnostic
from balance.engine import CheckOptions, context_for, days_only, kept_until_whole_check, look_back_days, run_in, spanning_only
from calendar_tui.usecases import backlog_to_post, post_edits
from calendar_tui.usecases.plans import plan_of
from calendar_tui.usecases.post_edits import Edited, edited, post_named
from planner.errors import PlanError
from planner.loader import read_plan_file
from planner.model import BacklogIdea, Plan, Post
from planner.outcomes import StoreError
from planner.planfile import PlanFile, fingerprint, read_bytes, split_bom
from planner.writer import ChangePost, DeletePost, Edit

if TYPE_CHECKING:
    from planner.outcomes import Outcomes

@dataclass(frozen=True)
class Slot:
    """An open cadence slot: a channel's cron time with no post."""

    channel: str
    at: datetime
    ts: int


@dataclass
class Session:
    """One plan open for editing."""

    file: PlanFile
    plan: Plan
    today: date
    base: str = ""  # the text before the first edit that undo can reach
    undo_stack: list[str] = field(default_factory=list)
    redo_stack: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    gaps: list[Slot] = field(default_factory=list)
    checks_in_background: bool = False
    demo: bool = False  # the bundled demo plan: saved only as a copy, under a new name
    outcomes: "Outcomes | None" = None  # what the store beside the plan recorded; None: no store
    store_problem: str | None = None  # why the store could not be read
    store_notes: list[str] = field(default_factory=list)  # what reading or upgrading it left out, or did
    bom: str = ""  # a UTF-8 byte order mark the file starts with: edited without it, saved with it

    @classmethod
    def open(cls, path: str, today: date | None = None, *, demo: bool = False, check: bool = True) -> "Session":
        """The plan at ``path`` opened for editing; ``check=False`` leaves the findings to
        :meth:`refresh_findings` (the app draws the calendar first and checks after)."""
        file = read_plan_file(path)  # once: the text and the bytes' fingerprint, or a located error
        bom, text = split_bom(file.text)
        plan = plan_of(text, path)
        session = cls(file, plan, today or datetime.now(plan.tz).date(), base=text, demo=demo, bom=bom)
        try:
            session.read_outcomes()
        except (StoreError, PlanError) as error:  # the plan opens all the same; the app says why there are no outcomes
            session.store_problem = str(error)
        if check:
            session.refresh_findings()
        return session

    # -- state ------------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.undo_stack[-1] if self.undo_stack else self.base

    @property
    def dirty(self) -> bool:
        return self.bom + self.text != self.file.text

    def refresh_findings(self) -> None:
        """Run every rule over the plan's horizon; keep the open slots for the calendar."""
        self.diagnostics, self.gaps = self.findings_for(self.plan)

    def findings_for(self, plan: Plan, around: tuple[date, date] | None = None) -> tuple[list[Diagnostic], list[Slot]]:
        """The findings and open slots of ``plan`` (safe to run in a worker thread).

        With ``around`` (first and last day shown), only the rules whose findings belong to
        days run, over those days padded by the longest look-back of any rule, and only the
        findings on the days shown are returned, with those of the rules whose findings span
        days (a silence, a stretch of mix windows: dated where they start, maybe long before),
        run over the whole plan: a quick answer after an edit, to merge with
        :meth:`merge_findings` until the whole plan is re-checked.
        """
        options = CheckOptions(suggestions=False)  # the app offers backlog ideas when asked (f)
        if around is not None:
            pad = timedelta(days=look_back_days(context_for(plan, CheckOptions(), self.today)))
            first, last = max(around[0] - pad, plan.start), min(around[1] + pad, plan.end)
            options = days_only(first, last)
        context = context_for(plan, options, self.today)
        diagnostics = run_in(context, options)
        gaps = sorted(
            (Slot(channel, context.local(ts), ts) for channel, gaps in context.gaps.items() for ts in gaps),
            key=lambda slot: (slot.ts, slot.channel),
        )
        if around is not None:
            first, last = around
            diagnostics = [d for d in diagnostics if d.date is not None and first <= d.date <= last]
            spanning = spanning_only()
            diagnostics += run_in(context_for(plan, spanning, self.today), spanning)
            gaps = [slot for slot in gaps if first <= slot.at.date() <= last]
        return diagnostics, gaps

    def merge_findings(self, around: tuple[date, date], diagnostics: list[Diagnostic], gaps: list[Slot]) -> None:
        """Replace the findings and open slots on the days ``around`` covers, and the findings
        that span days wherever they are dated, with fresh ones (:meth:`findings_for`'s)."""
        first, last = around
        outside = [d for d in self.diagnostics if kept_until_whole_check(d, first, last)]
        self.diagnostics = sorted(outside + diagnostics, key=Diagnostic.sort_key)
        self.gaps = sorted([slot for slot in self.gaps if not first <= slot.at.date() <= last] + gaps, key=lambda slot: (slot.ts, slot.channel))

    def post(self, post_id: str) -> Post | None:
        return next((post for post in self.plan.posts if post.id == post_id), None)

    # -- edits ------------------------------------------------------------------------------

    def apply(self, edit: Edit) -> None:
        """Apply an edit; raise PlanError (nothing changed) if the result would be invalid.

        A changed post is checked alone; anything else re-reads the plan. With
        ``checks_in_background`` the findings are left for :meth:`refresh_findings`, which the
        app runs in a worker so that the calendar moves at once.
        """
        self._push(edited(self.text, self.plan, edit))
        self._findings_after_change()

    def _push(self, result: Edited) -> None:
        self.plan = result.plan
        self.undo_stack.append(result.text)
        self.redo_stack.clear()

    def pending(self, edit: Edit, done: str) -> "_PendingEdit":
        """``edit`` checked now, to be made with a write of the store: a use-case's ``edit_plan``
        (``done`` words a failed undo on a file; the session's undo cannot fail)."""
        return _PendingEdit(self, edited(self.text, self.plan, edit))

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        self.redo_stack.append(self.undo_stack.pop())
        self._load(self.text)
        return True

    def redo(self) -> bool:
        if not self.redo_stack:
            return False
        self.undo_stack.append(self.redo_stack.pop())
        self._load(self.text)
        return True

    def _load(self, text: str) -> None:
        self.plan = plan_of(text, self.file.path)
        self._findings_after_change()

    def _findings_after_change(self) -> None:
        if not self.checks_in_background:
            self.refresh_findings()

    def new_post(self, channel: str, at: datetime, kind: str, title: str, **fields) -> str:
        post = post_edits.new_post(self.plan, channel, at, kind, title, **fields)
        self.apply(post.edit)
        return post.post_id

    def change(self, post_id: str, **changes) -> None:
        self.apply(ChangePost(post_id, changes))

    def move(self, post_id: str, delta: timedelta) -> None:
        post = post_named(self.plan, post_id)
        self.apply(ChangePost(post_id, {"at": post.at.replace(tzinfo=None) + delta}))

    def delete(self, post_id: str) -> None:
        self.apply(DeletePost(post_id))

    def fill(self, slot: Slot, idea: BacklogIdea) -> str:
        """A post from a backlog idea, on an open slot; its id."""
        post = backlog_to_post.post_from_idea(self.plan, slot.channel, slot.at, idea)
        self.apply(post.edit)
        return post.post_id

    def ideas_for(self, slot: Slot) -> list[BacklogIdea]:
        """Backlog ideas that fit an open slot without breaking the mix, best first."""
        return backlog_to_post.ideas_for(self.plan, slot.channel, slot.ts, self.today)

    def first_open_slot(self, day: date, channel: str) -> datetime | None:
        """The channel's next open slot from ``day`` on, or None."""
        return min((slot.at for slot in self.gaps if slot.channel == channel and slot.at.date() >= day), default=None)

    def days_channel(self, day: date) -> str | None:
        """The channel whose slot on ``day`` is open first, or None: a new post's channel."""
        return min(((slot.at, slot.channel) for slot in self.gaps if slot.at.date() == day), default=(None, None))[1]

    # -- outcomes ---------------------------------------------------------------------------

    def read_outcomes(self) -> None:
        """Read the outcomes store beside the plan, if there is one, read-only (the app writes
        only when it logs); raise StoreError if it cannot be read, PlanError if the plan puts
        it outside its folder."""
        from planner.outcomes import read_outcomes

        self.store_notes = []
        self.outcomes = read_outcomes(self.plan, notes=self.store_notes)

    def published(self) -> frozenset[str]:
        """The ids of the posts with a publication record."""
        return frozenset(self.outcomes.publications) if self.outcomes else frozenset()

    def followers(self, channel: str) -> list[tuple[date, float]]:
        """A channel's recorded followers, by day (empty without a store)."""
        return self.outcomes.series(channel) if self.outcomes else []

    def log_published(self, post_id: str, at: datetime | None = None) -> None:
        """Record in the store (created if need be) that the post went out ``at`` (now) and
        mark it published in the plan, an edit saved with the others: both, or neither. Raises
        KeyError, NotMarked (a ValueError), PlanError or StoreError before anything changes."""
        from calendar_tui.usecases.log_publication import log_publication

        logged = log_publication(self.plan, post_id, at, mark=True, source="app", edit_plan=self.pending, read_back=True)
        self.outcomes, self.store_notes, self.store_problem = logged.outcomes, list(logged.notes), None
        if logged.marked:
            self._findings_after_change()

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        """Write the edits; raise ConflictError if the file changed on disk (nothing is lost).

        Undo and redo go on across a save: undoing after it makes the plan unsaved again.
        """
        self.file = self.file.save(self.bom + self.text)

    def save_as(self, path: str) -> None:
        """Write the edits to a new file and go on editing that one (a saved demo is a plan)."""
        self.file = self.file.save_as(path, self.bom + self.text)
        self.demo = False
        self._restart(self.text, plan_of(self.text, path))

    def _restart(self, text: str, plan: Plan) -> None:
        self.base, self.plan = text, plan
        self.undo_stack.clear()
        self.redo_stack.clear()
        self._findings_after_change()

    def reload(self) -> None:
        """Read the file again, dropping unsaved edits (the user chose to).

        All or nothing: a file that cannot be read or parsed raises (PlanError, OSError,
        UnicodeDecodeError) and leaves the session exactly as it was, edits and all.
        """
        file = read_plan_file(self.file.path)
        bom, text = split_bom(file.text)
        plan = plan_of(text, file.path)
        self.file, self.bom = file, bom
        self._restart(text, plan)

    def changed_on_disk(self) -> bool:
        return self.file.changed_on_disk()

    def disk_digest(self) -> str | None:
        """The fingerprint of the file on disk now (None: it is gone or unreadable)."""
        try:
            return fingerprint(read_bytes(self.file.path))  # never blocks, even on a FIFO
        except OSError:  # NotARegularFile too
            return None

    def rescue(self, folders: tuple[str, ...] = ()) -> str | None:
        """Write unsaved edits to a new side file, for when the app cannot go on; its path.

        Tried beside the plan (not for the demo, which lives in the installed package), then
        in each of ``folders``; None when there is nothing unsaved or no folder takes it.
        """
        if not self.dirty:
            return None
        stem = os.path.splitext(os.path.basename(self.file.path))[0]
        name = f"{stem}.unsaved-{datetime.now():%Y%m%d-%H%M%S}.toml"
        beside = () if self.demo else (os.path.dirname(os.path.abspath(self.file.path)),)
        for folder in (*beside, *folders):
            try:
                return self.file.save_as(os.path.join(folder, name), self.bom + self.text).path
            except OSError:
                continue
        return None


class _PendingEdit:
    """An edit of the session's text, checked already, made by :meth:`save` inside the store's
    transaction and taken back by :meth:`undo` if the store then fails."""

    def __init__(self, session: Session, result: Edited):
        self.session = session
        self.result = result
        self.before: tuple[Plan, list[str]] | None = None

    def save(self) -> None:
        self.before = (self.session.plan, list(self.session.redo_stack))
        self.session._push(self.result)

    def undo(self) -> None:
        session = self.session
        session.undo_stack.pop()
        session.plan, session.redo_stack = self.before
