"""The canonical layout: idempotent, keeps every comment, keeps the plan."""

from datetime import datetime, timedelta

import tomli
from hypothesis import given
from hypothesis import strategies as st

from planner.formatter import format_plan
from tests.conftest import DATA, SAMPLES

COMMENTED = (DATA / "commented.toml").read_text()
MESSY = """\
# my plan

[[post]]
title="Second"
kind = "tip"
id = "b"
at = 2027-03-02T10:00:00
channel = "x"


[plan]
end = 2027-03-31
name = "Messy"
timezone = "Europe/Berlin"
start = 2027-03-01


[[post]]   # the first post
id = "a"
at = 2027-03-01T10:00:00
channel = "x"
kind = "tip"
title = "First"
tags = ["a-rather-long-tag-number-one", "a-rather-long-tag-number-two", "and-three-which-is-long"]

[channels.x]
owner = "mia"
cadence = ["0 10 * * *"]
[kinds.tip]
useful = true
"""


def test_messy_plan_gets_the_canonical_layout():
    assert format_plan(MESSY) == """\
# my plan

[plan]
name = "Messy"
timezone = "Europe/Berlin"
start = 2027-03-01
end = 2027-03-31

[kinds.tip]
useful = true

[channels.x]
cadence = ["0 10 * * *"]
owner = "mia"

[[post]]   # the first post
id = "a"
at = 2027-03-01T10:00:00
channel = "x"
kind = "tip"
title = "First"
tags = [
  "a-rather-long-tag-number-one",
  "a-rather-long-tag-number-two",
  "and-three-which-is-long",
]

[[post]]
id = "b"
at = 2027-03-02T10:00:00
channel = "x"
kind = "tip"
title = "Second"
"""


def test_comments_travel_with_what_they_describe():
    formatted = format_plan(COMMENTED)
    for line in COMMENTED.splitlines():
        if line.strip().startswith("#") or "#" in line:
            assert line.strip() in formatted or line.strip().replace("  [", "[") in formatted
    assert "# --- March ---------------------------------------------------------------\n\n[[post]]" in formatted


def test_sample_plans_are_formatted():
    for path in SAMPLES.glob("*.toml"):
        text = path.read_text()
        assert format_plan(text) == text, path.name


def test_posts_sort_by_instant_not_by_wall_clock():
    text = """\
[plan]
name = "Fall back"
timezone = "America/New_York"
start = 2027-11-07
end = 2027-11-07

[[post]]
id = "second"
at = 2027-11-07T01:10:00-05:00

[[post]]
id = "first"
at = 2027-11-07T01:50:00
"""
    assert [post["id"] for post in tomli.loads(format_plan(text))["post"]] == ["first", "second"]


def test_crlf_stays_crlf():
    formatted = format_plan(MESSY.replace("\n", "\r\n"))
    assert formatted == format_plan(MESSY).replace("\n", "\r\n")


KEYS = ["title", "kind", "channel", "status", "owner"]


@given(
    days=st.lists(st.integers(0, 27), min_size=1, max_size=12),
    orders=st.permutations(KEYS),
    blank_lines=st.integers(0, 3),
    comment=st.booleans(),
)
def test_fmt_is_idempotent_and_keeps_the_plan(days, orders, blank_lines, comment):
    values = {"title": '"T"', "kind": '"tip"', "channel": '"x"', "status": '"draft"', "owner": '"mia"'}
    posts = []
    for number, day in enumerate(days):
        lines = [f'id = "p{number}"', f"at = {datetime(2027, 3, 1) + timedelta(days=day, hours=number):%Y-%m-%dT%H:%M:%S}"]
        lines += [f"{key} = {values[key]}" for key in orders]
        posts.append(("# about p%d\n" % number if comment else "") + "[[post]]\n" + "\n".join(lines) + "\n")
    text = '[plan]\nname = "P"\ntimezone = "Europe/Berlin"\nstart = 2027-03-01\nend = 2027-03-31\n' + ("\n" * blank_lines).join(["\n"] + posts)
    once = format_plan(text)
    assert format_plan(once) == once
    before, after = tomli.loads(text), tomli.loads(once)
    assert sorted(before["post"], key=lambda p: p["id"]) == sorted(after["post"], key=lambda p: p["id"])
    assert [p["at"] for p in after["post"]] == sorted(p["at"] for p in after["post"])
    if comment:
        for number in range(len(days)):
            assert f"# about p{number}\n[[post]]\nid = \"p{number}\"" in once
