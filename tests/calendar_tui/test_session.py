"""The editing session the app presents: edits, undo and redo across saves, quick re-checks."""

import shutil
from datetime import date, timedelta

import pytest

from calendar_tui.session import WHOLE_PLAN_RULES, Session
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
    assert all(shown[0] <= d.date <= shown[1] for d in diagnostics)
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
