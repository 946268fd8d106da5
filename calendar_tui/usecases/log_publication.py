"""Log a post as published: a record in the outcomes store and, when asked, the post marked
published in the plan; both are written, or neither.

``cadence log`` (``--mark``) and the app's L key call :func:`log_publication`. The mark is
checked on the plan before the store is opened; it is made inside the store's write
transaction and put back if the store then fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from calendar_tui.usecases.plan_edits import EditMaker, on_file
from calendar_tui.usecases.post_edits import post_named
from planner.model import Plan, Post
from planner.writer import ChangePost

if TYPE_CHECKING:
    from planner.outcomes import Outcomes

MARKED = "marked published"


class NotMarked(ValueError):
    """The mark cannot be made on the plan (an invalid result, a post written inline, a plan
    changed on disk into one that refuses it): nothing was recorded."""

    def __init__(self, path: str, reason: object):
        super().__init__(f"{path}: not marked: {reason}; nothing was recorded")


@dataclass(frozen=True)
class Logged:
    """What logging did."""

    post: Post
    published_at: datetime  # aware
    store: str  # the store's path
    marked: bool  # the plan was marked now (False: not asked, or published already)
    notes: tuple[str, ...]  # what an upgrade of the store did
    outcomes: "Outcomes | None"  # the plan's records after the write, when asked for


def log_publication(
    plan: Plan,
    post_id: str,
    published_at: datetime | None = None,
    *,
    url: str | None = None,
    mark: bool = False,
    store: str | None = None,
    source: str = "cli",
    edit_plan: EditMaker | None = None,
    read_back: bool = False,
) -> Logged:
    """Record that ``post_id`` went out at ``published_at`` (default: now) in the plan's store
    (``store``, else where the plan says; created if need be); with ``mark``, mark the post
    published through ``edit_plan`` (default: the plan file, saved with the store).
    ``read_back`` returns the plan's records as the write left them.

    Raises, with nothing written: :class:`UnknownPost`, :class:`NotMarked`, PlanError for a
    store the plan puts outside its folder, StoreError, and SaveError when the plan file
    cannot be written.
    """
    from planner.errors import PlanError
    from planner.outcomes import record, store_path
    from planner.writer import EditError

    post = post_named(plan, post_id)
    published_at = published_at or datetime.now(timezone.utc)
    marking = None
    if mark and post.status != "published":
        try:
            marking = (edit_plan or on_file(plan.path))(ChangePost(post.id, {"status": "published"}), MARKED)
        except PlanError as error:
            raise NotMarked(plan.path, error.problems[0]) from None
        except EditError as error:
            raise NotMarked(plan.path, error) from None
    path = store_path(plan, store)

    def write(opened):
        opened.log_publication(post.id, post.channel, published_at, url=url, source=source)
        return opened.snapshot() if read_back else None  # in the transaction: a store that cannot be read is not written either

    notes: list[str] = []
    try:
        outcomes = record(
            path, write, plan=plan,
            then=marking.save if marking else None, undo=marking.undo if marking else None, notes=notes,
        )
    except PlanError as error:  # the plan changed on disk into one the mark makes invalid
        raise NotMarked(plan.path, error.problems[0]) from None
    return Logged(post, published_at, path, marking is not None, tuple(notes), outcomes)
