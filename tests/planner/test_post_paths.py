"""The loader's two ways of reading a [[post]] agree: the fast path (plain type tests, for the
posts of a clean plan) and the checked path (located per-key checkers that report each problem).

Each property gives both the same table, as tomli parses it, in the same plan: the fast path
must build the very post the checked path builds, and refuse exactly the posts in which the
checked path finds a problem (refusing a valid one would only be slow, but silently so).
"""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.loader import RuleVocabulary, _Reader, post_fields
from planner.localtime import instant, local
from balance.registry import vocabulary
from planner.loader import plan_from_text
from planner.model import STATUSES, Channel, Kind, Post
from planner.source import SourceIndex
from tests.conftest import plan_text, post_toml

TZ = ZoneInfo("Europe/Berlin")
KINDS = {name: Kind(name, name) for name in ("tip", "promo")}
CHANNELS = {name: Channel(name, name) for name in ("instagram", "linkedin")}
TEAM = {"ana": ("legal",), "budi": ()}
VOCABULARY = RuleVocabulary(codes=frozenset({"CAD001", "MIX001"}))

texts = st.text(max_size=12)
names = st.text(min_size=1, max_size=12).filter(str.strip)
offsets = st.sampled_from([timezone.utc, timezone(timedelta(hours=7)), timezone(timedelta(hours=-3, minutes=-30))])
# any day a plan can name, and the two Berlin change days, where a wall time may be missing or repeated
walls = st.one_of(
    st.datetimes(datetime(1900, 1, 1), datetime(2999, 12, 31, 23, 59, 59)),
    st.datetimes(datetime(2027, 3, 27, 22), datetime(2027, 3, 28, 4)),
    st.datetimes(datetime(2027, 10, 30, 22), datetime(2027, 10, 31, 4)),
)
moments = st.one_of(walls, st.datetimes(datetime(1900, 1, 2), datetime(2999, 12, 30), timezones=offsets))


@st.composite
def contexts(draw) -> tuple[dict, RuleVocabulary | None]:
    """A plan's team (none: any owner) and its rules' vocabulary (none: any code)."""
    return draw(st.sampled_from([TEAM, {}])), draw(st.sampled_from([VOCABULARY, None]))


@st.composite
def valid_posts(draw, team: dict, vocabulary: RuleVocabulary | None) -> dict:
    """A [[post]] table as tomli gives it, valid in a plan with this team and vocabulary."""
    members = st.sampled_from(sorted(team)) if team else names
    codes = st.sampled_from(sorted(vocabulary.codes)) if vocabulary else names
    spec = {
        "id": draw(names), "at": draw(moments), "channel": draw(st.sampled_from(sorted(CHANNELS))),
        "kind": draw(st.sampled_from(sorted(KINDS))), "title": draw(texts),
    }
    optional = {
        "body": texts, "status": st.sampled_from(STATUSES), "owner": members, "link": texts,
        "approved_by": st.lists(members, max_size=3), "tags": st.lists(texts, max_size=3), "ignore": st.lists(codes, max_size=2),
        "idea": names, "audience": names, "x": st.dictionaries(names, st.one_of(texts, st.integers()), max_size=2),
    }
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
        spec[key] = draw(optional[key])
    return spec


# what a plan could write instead of each valid value, as tomli parses it
NOT_TEXT = st.one_of(st.integers(-5, 5), st.booleans(), st.floats(allow_nan=True), st.lists(texts, max_size=1), st.dictionaries(names, texts, max_size=1))
NOT_TEXTS = st.one_of(texts, st.lists(st.one_of(st.integers(), st.booleans()), min_size=1, max_size=2), st.dictionaries(names, texts, max_size=1))
SPOILED = {
    "id": st.one_of(st.just(""), st.just("  "), NOT_TEXT),
    "at": st.one_of(st.dates(), st.times(), st.datetimes(max_value=datetime(1899, 12, 31)), st.datetimes(min_value=datetime(3000, 1, 1)), texts),
    "channel": st.one_of(st.just("instagarm"), NOT_TEXT),
    "kind": st.one_of(st.just("tips"), NOT_TEXT),
    "title": NOT_TEXT,
    "body": NOT_TEXT,
    "status": st.one_of(st.just("done"), st.just("Draft"), NOT_TEXT),
    "owner": st.one_of(st.just("zed"), NOT_TEXT),
    "link": NOT_TEXT,
    "approved_by": st.one_of(st.just(["ana", "zed"]), NOT_TEXTS),
    "tags": NOT_TEXTS,
    "ignore": st.one_of(st.just(["CAD01"]), NOT_TEXTS),
    "idea": NOT_TEXT,
    "audience": NOT_TEXT,
    "x": st.one_of(texts, st.integers(), st.lists(texts, max_size=1)),
}


FAULTS = [*SPOILED, "unknown key", "missing key", "duplicate id"]


@st.composite
def spoiled_posts(draw, fault: str, team: dict, vocabulary: RuleVocabulary | None) -> tuple[dict, dict]:
    """A valid post with one ``fault`` (a key's value spoiled, an unknown key, a missing key, a
    duplicate id), and the ids already taken."""
    spec = draw(valid_posts(team, vocabulary))
    seen: dict = {}
    if fault in SPOILED:
        spec[fault] = draw(SPOILED[fault])  # some are valid in some plans: "zed" owns a post where no team is defined
    elif fault == "unknown key":
        spec[draw(st.sampled_from(["chanel", "date", "notes"]))] = draw(texts)
    elif fault == "missing key":
        del spec[draw(st.sampled_from(["id", "at", "channel", "kind", "title"]))]
    else:
        seen[spec["id"]] = ("post", 0)
    return spec, seen


def both_paths(spec: dict, team: dict, vocabulary: RuleVocabulary | None, seen: dict | None = None):
    """The fast path's post, and the checked path's post and problems, each by a reader of its own."""
    fast = _Reader("plan.toml", SourceIndex(""), vocabulary).valid_post(1, spec, TZ, KINDS, CHANNELS, team, dict(seen or {}))
    reader = _Reader("plan.toml", SourceIndex(""), vocabulary)
    checked = reader.checked_post(1, spec, TZ, KINDS, CHANNELS, team, dict(seen or {}))
    return fast, checked, reader.problems


def same_post(first, second) -> bool:
    """Equal, and equal in what ``==`` leaves out: ``x``, and the offset and fold of ``at``
    (aware times of one zone compare by their wall time alone)."""
    return first == second and first.x == second.x and (first.at.utcoffset(), first.at.fold) == (second.at.utcoffset(), second.at.fold)


@given(data=st.data(), context=contexts())
def test_both_paths_build_the_same_post_from_any_valid_table(data, context):
    team, vocabulary = context
    spec = data.draw(valid_posts(team, vocabulary))
    fast, checked, problems = both_paths(spec, team, vocabulary)
    assert problems == []
    assert fast is not None and checked is not None
    assert same_post(fast, checked)
    # each field from its own key: the post written back is the table, less its defaults
    assert fast.index == 1 and (fast.ts, fast.at) == (instant(spec["at"], TZ), local(fast.ts, TZ)) and fast.day == fast.at.date()
    written = {"status": "draft", **spec, "at": fast.at.replace(tzinfo=None), "ignore": sorted(set(spec.get("ignore", ())))}
    assert post_fields(fast) == {key: value for key, value in written.items() if value not in ("", [], {})}


@pytest.mark.parametrize("fault", FAULTS)
@settings(max_examples=20)
@given(data=st.data(), context=contexts())
def test_the_fast_path_refuses_exactly_the_posts_the_checked_path_finds_a_problem_in(fault, data, context):
    team, vocabulary = context
    spec, seen = data.draw(spoiled_posts(fault, team, vocabulary))
    fast, checked, problems = both_paths(spec, team, vocabulary, seen)
    assert (fast is None) == bool(problems), (spec, problems)
    if fast is not None:
        assert same_post(fast, checked)


def test_a_post_is_built_with_every_field_of_its_table():
    spec = {
        "id": "a", "at": datetime(2027, 3, 28, 2, 30), "channel": "instagram", "kind": "promo", "title": "Launch",
        "body": "Body", "status": "review", "owner": "ana", "link": "https://example.com", "approved_by": ["ana", "budi"],
        "tags": ["launch"], "ignore": ["CAD001"], "idea": "i1", "audience": "students", "x": {"note": "kept"},
    }
    fast, checked, _ = both_paths(spec, TEAM, VOCABULARY)
    assert same_post(fast, checked)
    assert (fast.at.isoformat(), fast.day, fast.ts) == ("2027-03-28T03:30:00+02:00", date(2027, 3, 28), 1806197400)
    assert (fast.body, fast.status, fast.owner, fast.link) == ("Body", "review", "ana", "https://example.com")
    assert (fast.approved_by, fast.tags, fast.ignore) == (("ana", "budi"), ("launch",), frozenset({"CAD001"}))
    assert (fast.idea, fast.audience, fast.x) == ("i1", "students", {"note": "kept"})
    bare = both_paths({key: spec[key] for key in ("id", "at", "channel", "kind", "title")}, TEAM, VOCABULARY)[0]
    assert (bare.body, bare.status, bare.owner, bare.approved_by, bare.ignore, bare.x) == ("", "draft", None, (), frozenset(), {})


def test_posts_share_the_plans_strings_for_their_names():
    """tomli makes a string for each value of each post; the posts hold the plan's own string
    for a channel, kind, status and team member instead (and one empty ignore set), so the
    parse's copies go with its tables."""
    team = '[team.ana]\nroles = ["legal"]\n\n[channels.instagram]\ncadence = ["0 10 * * *"]\n\n'
    posts = "".join(
        post_toml(f"p{day}", f"2027-01-0{day}T10:00:00", kind="promo", status='"review"', owner='"ana"', approved_by='["ana"]')
        for day in (5, 6)
    )
    plan = plan_from_text(plan_text(team + posts), "plan.toml", vocabulary())
    first, second = plan.posts
    (channel,), kind, (member,) = plan.channels, next(name for name in plan.kinds if name == "promo"), plan.team
    assert first.channel is second.channel is channel and first.kind is second.kind is kind
    assert first.status is second.status is STATUSES[STATUSES.index("review")]
    assert first.owner is second.owner is first.approved_by[0] is second.approved_by[0] is member
    assert first.ignore is second.ignore == frozenset()


def test_the_loaders_post_is_the_dataclass_own_post():
    """loaded_post stores the slots directly; it must make exactly what Post(**fields) makes,
    frozen and hashable alike, take Post's fields in Post's order (the loader passes them by
    position), and refuse a field left out."""
    import dataclasses
    import inspect

    from planner.model import loaded_post

    assert list(inspect.signature(loaded_post).parameters) == [field.name for field in dataclasses.fields(Post)]
    channel = "[channels.instagram]\ncadence = [\"0 10 * * *\"]\n\n"
    plan = plan_from_text(plan_text(channel + post_toml("p1", "2027-01-05T10:00:00", tags='["a"]')), "plan.toml", vocabulary())
    (post,) = plan.posts
    fields = {field.name: getattr(post, field.name) for field in dataclasses.fields(post)}
    made = loaded_post(**fields)
    assert type(made) is Post and made == Post(**fields) and hash(made) == hash(Post(**fields))
    assert made == loaded_post(*fields.values()) and dataclasses.replace(made, title="other").title == "other"
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.title = "changed"
    del fields["audience"]
    with pytest.raises(TypeError, match="audience"):
        loaded_post(**fields)
