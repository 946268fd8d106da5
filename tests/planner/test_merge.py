"""The post-by-post merge: a property over random edits on two branches, and the layout it keeps."""

from datetime import datetime

import tomli
from hypothesis import given, strategies as st

from balance.registry import vocabulary
from planner.formatter import format_plan
from planner.loader import plan_from_text
from planner.merge import merge
from planner.writer import AddPost, ChangePost, DeletePost, apply_edits
from tests.conftest import plan_text, post_toml

CHANNEL = '[channels.instagram]\nowner = "rina"\n\n[team.rina]\nroles = ["social"]\n\n'


def base_plan(count: int) -> str:
    posts = "".join(post_toml(f"p{n}", f"2027-01-{4 + n % 5:02d}T{9 + n % 3:02d}:00:00") for n in range(count))
    return format_plan(plan_text(CHANNEL + "# posts, in time order\n\n" + posts, end="2027-01-17"))


edit = st.one_of(
    st.tuples(st.just("add"), st.integers(4, 10), st.integers(8, 12)),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("title"), st.integers(0, 20), st.sampled_from(["One", "Two", "Three words here"])),
    st.tuples(st.just("move"), st.integers(0, 20), st.integers(4, 10), st.integers(8, 12)),
)


def branch(text: str, name: str, edits) -> str:
    for number, (op, *args) in enumerate(edits):
        ids = [post["id"] for post in tomli.loads(text).get("post", [])]
        if op == "add":
            day, hour = args
            fields = {"id": f"{name}-{number}", "at": datetime(2027, 1, day, hour), "channel": "instagram", "kind": "tip", "title": f"{name} {number}"}
            text = apply_edits(text, [AddPost(fields)])
        elif ids:
            post_id = ids[args[0] % len(ids)]
            if op == "delete":
                text = apply_edits(text, [DeletePost(post_id)])
            elif op == "title":
                text = apply_edits(text, [ChangePost(post_id, {"title": f"{name}: {args[1]}"})])
            else:
                text = apply_edits(text, [ChangePost(post_id, {"at": datetime(2027, 1, args[1], args[2])})])
    return text


def posts(text: str) -> dict[str, dict]:
    return {post["id"]: post for post in tomli.loads(text).get("post", [])}


def changed(old: dict, new: dict) -> set[str]:
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def resolve(text: str, keep: str) -> str:
    """Every conflict resolved to one side: "ours" or "theirs"."""
    lines, out, state = text.splitlines(keepends=True), [], None
    for line in lines:
        if line.startswith("<<<<<<< "):
            state = "ours"
        elif line == "=======\n" and state:
            state = "theirs"
        elif line.startswith(">>>>>>> ") and state:
            state = None
        elif state is None or state == keep:
            out.append(line)
    return "".join(out)


@given(st.integers(0, 6), st.lists(edit, max_size=6), st.lists(edit, max_size=6))
def test_a_merge_keeps_every_post_either_side_kept_and_never_tears(count, ours_edits, theirs_edits):
    base = base_plan(count)
    ours, theirs = branch(base, "ours", ours_edits), branch(base, "theirs", theirs_edits)
    result = merge(base, ours, theirs)
    was, mine, other = posts(base), posts(ours), posts(theirs)
    expected: dict[str, dict] = {}
    must_conflict = set()
    for post_id in mine.keys() | other.keys():
        a, b, old = mine.get(post_id), other.get(post_id), was.get(post_id)
        if a == b or b == old:
            chosen = a
        elif a == old:
            chosen = b
        elif a and b and old and not any(a.get(key) != b.get(key) for key in changed(old, a) & changed(old, b)):
            chosen = {key: value for key, value in {**a, **{key: b.get(key) for key in changed(old, b)}}.items() if value is not None}
        else:
            must_conflict.add(post_id)
            continue
        if chosen is not None:
            expected[post_id] = chosen
    assert set(result.conflicts) == must_conflict
    for keep in ("ours", "theirs"):
        resolved = posts(resolve(result.text, keep))  # parses: never torn
        for post_id in must_conflict:
            assert (resolved.get(post_id) or None) == {"ours": mine, "theirs": other}[keep].get(post_id)
        assert {key: resolved[key] for key in expected} == expected
        assert resolved.keys() - expected.keys() <= must_conflict
    if result.clean:
        plan = plan_from_text(result.text, "merged.toml", vocabulary())
        assert sorted(post.id for post in plan.posts) == sorted(expected)
        if format_plan(ours) == ours:  # a formatted plan stays formatted
            assert format_plan(result.text) == result.text
        assert result.text.startswith(base[: base.index("# posts")])


def test_comments_in_and_above_posts_stay_with_them():
    base = base_plan(2).replace('[[post]]\nid = "p1"', '# the second post\n[[post]]\nid = "p1"').replace(
        'title = "Post p1"', 'title = "Post p1"  # keep this short'
    )
    ours = apply_edits(base, [ChangePost("p1", {"status": "review"})])
    theirs = apply_edits(base, [AddPost({"id": "new", "at": datetime(2027, 1, 4, 12), "channel": "instagram", "kind": "tip", "title": "New"})])
    result = merge(base, ours, theirs)
    assert result.clean
    assert '# the second post\n[[post]]\nid = "p1"' in result.text
    assert 'title = "Post p1"  # keep this short\nstatus = "review"' in result.text


def test_different_keys_of_one_post_changed_on_both_sides_merge():
    base = base_plan(2)
    ours = apply_edits(base, [ChangePost("p0", {"title": "Ours"})])
    theirs = apply_edits(base, [ChangePost("p0", {"at": datetime(2027, 1, 9, 9), "status": "review"})])
    result = merge(base, ours, theirs)
    assert result.clean
    assert [(post["id"], post["title"], post.get("status"), post["at"]) for post in posts(result.text).values()] == [
        ("p1", "Post p1", None, datetime(2027, 1, 5, 10)),
        ("p0", "Ours", "review", datetime(2027, 1, 9, 9)),
    ]
    assert not merge(base, ours, apply_edits(base, [ChangePost("p0", {"title": "Theirs"})])).clean


def test_crlf_stays_crlf():
    base = base_plan(2).replace("\n", "\r\n")
    ours = apply_edits(base, [ChangePost("p0", {"title": "Ours"})])
    theirs = apply_edits(base, [ChangePost("p1", {"title": "Theirs"})])
    result = merge(base, ours, theirs)
    assert result.clean and "\r\n" in result.text and "\n" not in result.text.replace("\r\n", "")
    assert [post["title"] for post in posts(result.text).values()] == ["Ours", "Theirs"]
