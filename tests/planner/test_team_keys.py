"""The plan keys for teams: member hours, kind effort, channel kinds, post audience."""

from datetime import timedelta

import pytest

from planner.errors import PlanError
from planner.loader import plan_from_text

HEAD = """\
[plan]
name = "t"
timezone = "Asia/Jakarta"
start = 2027-01-01
end = 2027-01-31
audiences = ["students", "office-workers"]

[kinds.tip]
effort = "45m"
[kinds.promo]

[channels.ig]
kinds = {kinds}

[team.rina]
hours = {hours}

[[post]]
id = "a"
at = 2027-01-04T10:00:00
channel = "ig"
kind = "tip"
title = "x"
owner = "rina"
audience = {audience}
"""


def read(kinds='["tip"]', hours="6", audience='"students"'):
    return plan_from_text(HEAD.format(kinds=kinds, hours=hours, audience=audience), "plan.toml")


def problems(**keys) -> list[str]:
    with pytest.raises(PlanError) as raised:
        read(**keys)
    return [f"{p.line}: {p.message}" for p in raised.value.problems]


def test_the_keys_reach_the_model():
    plan = read()
    assert plan.kinds["tip"].effort == timedelta(minutes=45)
    assert plan.kinds["promo"].effort is None
    assert plan.channels["ig"].kinds == ("tip",)
    assert plan.hours == {"rina": 6.0}
    assert plan.posts[0].audience == "students"


def test_a_channel_names_only_known_kinds():
    assert problems(kinds='["tip", "tpi"]') == ["13: unknown kind 'tpi'; did you mean 'tip'? (known: promo, tip)"]


def test_a_post_names_one_of_the_plan_audiences():
    assert problems(audience='"studnets"') == [
        "25: unknown audience 'studnets'; did you mean 'students'? (known: office-workers, students)"
    ]


@pytest.mark.parametrize("hours", ["-1", "200", '"6h"'])
def test_hours_are_a_number_of_hours_in_a_week(hours):
    (problem,) = problems(hours=hours)
    assert problem.startswith("16: hours must be hours a week, a number from 0 to 168")
