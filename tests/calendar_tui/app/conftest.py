"""The real app on a copy of a sample plan, with a fixed today."""

import shutil
from datetime import date

import pytest

from calendar_tui.app import make_app
from tests.conftest import SAMPLES

TODAY = date(2027, 3, 22)


@pytest.fixture
def plan_path(tmp_path):
    path = tmp_path / "plan.toml"
    shutil.copy(SAMPLES / "lumen-saas-berlin.toml", path)
    return path


@pytest.fixture
def app(plan_path):
    return make_app(str(plan_path), today=TODAY)


async def settled(pilot) -> None:
    """Wait for the findings the app checks in a worker: on opening (started once the month is
    painted) and after an edit."""
    app = pilot.app
    for _ in range(600):  # at most 30 s, on a busy machine; polled, as a worker may not have started yet
        await pilot.pause()
        if not app.calendar.checking and all(worker.is_finished for worker in app.workers):
            await pilot.pause()  # the redraw after the findings
            return
        await pilot.pause(0.05)
    raise AssertionError("the findings never came")
