"""The editing session the app presents: edits, undo and redo across saves, quick re-checks."""

import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balance.engine import SPANNING_RULES, WHOLE_PLAN_RULES
from calendar_tui.session import Session
from planner.errors import PlanError
from tests.conftest import SAMPLES

TODAY = date(2027, 3, 22)
POST = "x-small-multiples-beat-one-busy"


@pytest.fixture
def session(tmp_path):
    path = tmp_path / "plan.toml"
    shutil.copy(SAMPLES / "lumen-saas-berlin.toml", path)
    return Session.open(str(path), TODAY)


def test_undo_reaches_back_across_a_save(session):
    original = session.text
    session.move(POST, timedelta(days=1))
    session.save()
    assert not session.dirty
    assert session.undo() and session.text == original and session.dirty
    assert session.redo() and not session.dirty


def test_an_invalid_edit_changes_nothing(session):
    before = session.text
    with pytest.raises(PlanError, match="unknown channel"):
        session.change(POST, channel="mastodon")
    assert session.text == before and session.post(POST).channel == "x"


def test_a_changed_post_is_checked_alone_but_like_the_loader(session):
    session.change(POST, title="New title", tags=["charts"])
    post = session.post(POST)
    assert (post.title, post.tags) == ("New title", ("charts",))
    with pytest.raises(PlanError, match="status 'sheduled'"):
        session.change(POST, status="sheduled")


def test_quick_findings_cover_the_days_shown_and_merge_into_the_rest(session):
    shown = (date(2027, 3, 29), date(2027, 4, 4))
    session.checks_in_background = True
    session.delete("x-lumen-4-2-scheduled-exports")  # on Tue 30 March: X's slot opens
    diagnostics, gaps = session.findings_for(session.plan, around=shown)
    assert all(shown[0] <= d.date <= shown[1] for d in diagnostics if not d.code.startswith(SPANNING_RULES))  # those span days, wherever dated
    assert any(slot.at.date() == date(2027, 3, 30) and slot.channel == "x" for slot in gaps)
    session.merge_findings(shown, diagnostics, gaps)
    full, full_gaps = session.findings_for(session.plan)
    def on_days(found):  # whole-plan rules (CAD004, PLN) wait for the full re-check
        return sorted((d.code, d.message) for d in found if d.date and shown[0] <= d.date <= shown[1] and not d.code.startswith(WHOLE_PLAN_RULES))

    assert on_days(session.diagnostics) == on_days(full)
    assert [slot for slot in session.gaps if shown[0] <= slot.at.date() <= shown[1]] == [
        slot for slot in full_gaps if shown[0] <= slot.at.date() <= shown[1]
    ]


def test_disk_digest_does_not_block_on_a_fifo(tmp_path):
    """The plan replaced by a named pipe: the digest says "unreadable" at once, not waits for a writer."""
    import os
    import shutil

    from calendar_tui.session import Session
    from tests.conftest import SAMPLES

    path = tmp_path / "plan.toml"
    shutil.copy(SAMPLES / "lumen-saas-berlin.toml", path)
    session = Session.open(str(path), check=False)
    path.unlink()
    os.mkfifo(path)
    import threading

    digests = []
    reader = threading.Thread(target=lambda: digests.append(session.disk_digest()), daemon=True)
    reader.start()
    reader.join(30)  # a blocked open() would wait for a writer forever: fail instead of hanging the suite
    assert digests == [None]


HOLIDAY = SAMPLES / "maple-pine-holiday.toml"  # two months of mix stretches and silences
HOLIDAY_PLAN = Session.open(str(HOLIDAY), date(2027, 11, 1), check=False).plan


@settings(max_examples=12, deadline=None)
@given(post_id=st.sampled_from([post.id for post in HOLIDAY_PLAN.posts]), kind=st.sampled_from([None, *HOLIDAY_PLAN.kinds]))
def test_quick_findings_merged_after_an_edit_are_the_whole_checks_on_the_days_shown_and_for_every_stretch(post_id, kind):
    """A mix stretch or a silence is dated where it starts, maybe before the days shown: after
    an edit (a post's kind changed, or the post deleted) it is fresh at once, not stale until
    the whole plan is checked again."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.toml"
        shutil.copy(HOLIDAY, path)
        session = Session.open(str(path), date(2027, 11, 1))
        session.checks_in_background = True
        day = session.post(post_id).day
        shown = (day - timedelta(days=day.weekday()), day + timedelta(days=6 - day.weekday()))  # its week
        if kind is None:
            session.delete(post_id)
        else:
            session.change(post_id, kind=kind)
        session.merge_findings(shown, *session.findings_for(session.plan, around=shown))
        full, _ = session.findings_for(session.plan)

    def fresh_at_once(found):  # the whole-plan rules (CAD004, PLN) wait for the full re-check
        return sorted(
            (d.code, d.line, d.message) for d in found
            if d.code.startswith(SPANNING_RULES) or (d.date and shown[0] <= d.date <= shown[1] and not d.code.startswith(WHOLE_PLAN_RULES))
        )

    assert fresh_at_once(session.diagnostics) == fresh_at_once(full)
