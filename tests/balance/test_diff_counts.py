"""``cadence diff`` counts each post once: added, removed, moved or changed add up to the posts listed."""

from hypothesis import given, settings
from hypothesis import strategies as st

from balance.diff import PlanDiff, compare_posts
from planner.loader import plan_from_text
from tests.conftest import plan_text, post_toml

VERSIONS = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]),
    st.tuples(st.sampled_from(["2027-01-05T10:00:00", "2027-01-06T09:00:00"]), st.sampled_from(['"One"', '"Two"'])),
    max_size=4,
)


def version(posts: dict) -> object:
    body = "[channels.instagram]\n\n" + "".join(post_toml(post_id, at, title=title) for post_id, (at, title) in sorted(posts.items()))
    return plan_from_text(plan_text(body), "plan.toml")


@settings(max_examples=40)
@given(old=VERSIONS, new=VERSIONS)
def test_the_counts_add_up_to_the_posts_listed(old, new):
    changes = compare_posts(version(old), version(new))
    counts = PlanDiff("old", "new", tuple(changes), (), (), ()).counts()
    assert counts["added"] + counts["removed"] + counts["moved"] + counts["changed"] == len(changes)
    both = [post_id for post_id in old.keys() & new.keys()]
    assert counts["moved_and_changed"] == sum(1 for post_id in both if old[post_id][0] != new[post_id][0] and old[post_id][1] != new[post_id][1])
