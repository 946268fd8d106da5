"""Backlog ideas that come back (recycle_after), wear out (max_uses) and expire (expires), in the
suggestions and in what the loader accepts."""

import pytest

from planner.errors import PlanError
from tests.conftest import check_text, plan_text, post_toml

CHANNELS = '[channels.instagram]\ncadence = "0 10 * * MON"\n\n[channels.x]\ncadence = "0 12 * * MON"\n\n'
# The idea went out on instagram on Monday 4 January; the slots are the Mondays of January on both channels.
USED = post_toml("ig-used", "2027-01-04T10:00:00", title='"Grind size"', idea='"bk-grind"') + post_toml("x-first", "2027-01-04T12:00:00", channel="x")


def offered(idea: str) -> list[tuple[str, str]]:
    """(channel, day) of the slots whose CAD001 help offers the idea."""
    text = plan_text(CHANNELS + f'[[backlog]]\nid = "bk-grind"\nkind = "tip"\ntitle = "Grind size"\n{idea}\n' + USED)
    return [
        (d.channel, str(d.date))
        for d in check_text(text, today="2027-01-01", select=("CAD001",))
        if any("bk-grind" in line for line in d.suggestions)
    ]


def test_without_the_new_keys_an_idea_comes_back_after_the_repeat_window_on_its_channel_and_at_once_on_another():
    assert offered("") == [
        ("instagram", "2027-01-18"), ("instagram", "2027-01-25"),
        ("x", "2027-01-11"), ("x", "2027-01-18"), ("x", "2027-01-25"),
    ]


def test_recycle_after_keeps_it_off_every_channel_until_then():
    assert offered('recycle_after = "14d"') == [("instagram", "2027-01-18"), ("instagram", "2027-01-25"), ("x", "2027-01-18"), ("x", "2027-01-25")]
    assert offered('recycle_after = "21d"') == [("instagram", "2027-01-25"), ("x", "2027-01-25")]


def test_max_uses_counts_every_post_made_from_it_and_expires_ends_it():
    assert offered("max_uses = 1") == []
    assert offered("max_uses = 2") == offered("")
    assert offered("expires = 2027-01-18") == [("instagram", "2027-01-18"), ("x", "2027-01-11"), ("x", "2027-01-18")]


@pytest.mark.parametrize("line, message", [
    ("max_uses = 0", "max_uses must be a whole number of at least 1, not the number 0"),
    ('recycle_after = "soon"', "recycle_after: "),
    ('expires = "2027-02-01"', "expires must be a date such as 2027-01-31 (no quotes), not the string '2027-02-01'"),
])
def test_the_new_keys_are_checked_with_their_line(line, message):
    text = plan_text(CHANNELS + f'[[backlog]]\nid = "bk-grind"\nkind = "tip"\ntitle = "Grind size"\n{line}\n')
    with pytest.raises(PlanError) as raised:
        check_text(text)
    (problem,) = raised.value.problems
    assert problem.message.startswith(message) and problem.line == text.splitlines().index(line) + 1


def test_proposals_count_the_uses_they_propose():
    from datetime import date

    from balance.engine import CheckOptions, context_for
    from balance.registry import vocabulary
    from planner.loader import plan_from_text

    text = plan_text(CHANNELS + '[[backlog]]\nid = "bk-grind"\nkind = "tip"\ntitle = "Grind size"\nmax_uses = 2\n' + USED)
    proposals = context_for(plan_from_text(text, "plan.toml", vocabulary()), CheckOptions(), date(2027, 1, 1)).suggester.propose()
    assert [(p.channel, str(p.at.date())) for p in proposals if p.idea] == [("x", "2027-01-11")]  # the second and last use
    recycled = text.replace("max_uses = 2", 'recycle_after = "14d"')
    proposals = context_for(plan_from_text(recycled, "plan.toml", vocabulary()), CheckOptions(), date(2027, 1, 1)).suggester.propose()
    assert [(p.channel, str(p.at.date())) for p in proposals if p.idea] == [("instagram", "2027-01-18")]  # then 14 days from it
