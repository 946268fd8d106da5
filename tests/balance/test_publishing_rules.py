"""PUB001-PUB007 beyond their fixtures."""

import re
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from balance.rules.publishing import rarest_first, similar_pairs
from balance.text import fold, similarity, term_finder, words

from tests.conftest import check_text, plan_text, post_toml

SETUP = (
    '[channels.instagram]\nowner = "rina"\n\n'
    '[team.rina]\nroles = ["social"]\n\n[team.andi]\nroles = ["legal", "pr"]\n\n'
)


def found(body: str, code: str, today: str = "2027-01-01", head: str = "") -> list[str]:
    return [d.message for d in check_text(plan_text(head + SETUP + body), today=today, select=(code,))]


def test_pub001_counts_local_days_from_today():
    draft = post_toml("a", "2027-01-07T23:30:00", status='"idea"')
    assert found(draft, "PUB001", today="2027-01-04") == ["'a' is still an idea and due Thu 2027-01-07 23:30 (in 3 days)"]
    assert found(draft, "PUB001", today="2027-01-03") == []
    assert found(draft.replace('"idea"', '"review"'), "PUB001", today="2027-01-04") == []


def test_pub002_every_needed_role_must_approve():
    head = '[kinds.offer]\npromotional = true\nneeds_approval = ["legal", "pr"]\n\n'
    post = post_toml("a", "2027-01-05T10:00:00", kind="offer", approved_by='["rina"]')
    assert found(post, "PUB002", head=head) == ["'a' needs approval by legal, pr (approved by: rina); ask andi"]
    assert found(post.replace('["rina"]', '["andi"]'), "PUB002", head=head) == []


def test_pub004_a_blank_link_is_no_link():
    head = '[kinds.offer]\nneeds_link = true\n\n'
    assert found(post_toml("a", "2027-01-05T10:00:00", kind="offer", link='"  "'), "PUB004", head=head) == ["'a' is a offer and needs a link"]


def test_pub005_whole_words_case_and_accents():
    head = '[voice]\nbanned = ["termurah", "competitor x"]\n\n'

    def titled(title: str) -> list[str]:
        return found(post_toml("a", "2027-01-05T10:00:00", title=f'"{title}"'), "PUB005", head=head)

    assert titled("Kopi TÉRMURAH di kota") == ["'a' uses the banned term \"termurah\" in its title"]
    assert titled("Better than Competitor X, honestly") == ["'a' uses the banned term \"competitor x\" in its title"]
    assert titled("Harga termurahnya di sini") == []
    body = post_toml("a", "2027-01-05T10:00:00", body='"""\\nBeli sekarang,\\nharga termurah!\\n"""')
    assert found(body, "PUB005", head=head) == ["'a' uses the banned term \"termurah\" in its body"]


def test_pub006_published_and_skipped_posts_are_done():
    posts = (
        post_toml("a", "2027-01-04T10:00:00", status='"published"')
        + post_toml("b", "2027-01-05T10:00:00", status='"skipped"')
        + post_toml("c", "2027-01-05T12:00:00", status='"approved"')
        + post_toml("d", "2027-01-06T10:00:00", status='"draft"')
    )
    assert found(posts, "PUB006", today="2027-01-06") == ["'c' was due Tue 2027-01-05 12:00 and is still approved; mark it published or skipped"]


def test_pub007_near_duplicates_within_the_window_only():
    first = post_toml("a", "2027-01-04T10:00:00", title='"Latte art in three easy steps"')
    close = post_toml("b", "2027-01-10T10:00:00", title='"Latte art: three easy steps!"')
    assert found(first + close, "PUB007") == [
        "'b' repeats 'a' (Mon 2027-01-04 10:00) on instagram: 83% the same words, within repeat_window 14d"
    ]
    different = post_toml("b", "2027-01-10T10:00:00", title='"Cold brew in three easy steps"')
    assert found(first + different, "PUB007") == []
    late = post_toml("b", "2027-01-19T10:00:00", title='"Latte art in three easy steps"')
    assert found(first + late, "PUB007") == []


def test_pub007_window_and_threshold_are_settings():
    posts = post_toml("a", "2027-01-04T10:00:00", title='"Latte art in three easy steps"') + post_toml(
        "b", "2027-01-10T10:00:00", title='"Latte art: three easy steps!"'
    )
    assert found(posts, "PUB007", head='[rules]\nrepeat_similarity = 0.9\n\n') == []
    assert found(posts, "PUB007", head='[rules]\nrepeat_window = "3d"\n\n') == []


WORDS = st.sampled_from(["latte", "art", "three", "steps", "coffee", "beans", "fresh", "roast", "cold", "brew"])


@given(st.lists(st.tuples(st.integers(0, 40), st.frozensets(WORDS, max_size=6)), max_size=25), st.sampled_from([0.5, 0.8, 1.0]))
def test_prefix_filtered_pairs_match_comparing_every_pair(rows, threshold):
    rows = sorted(rows, key=lambda row: row[0])
    posts = [SimpleNamespace(id=f"p{n}", ts=day * 86400 + n) for n, (day, _) in enumerate(rows)]
    texts = {post.id: words for post, (_, words) in zip(posts, rows)}
    window = 14 * 86400
    found = [(earlier.id, later.id, round(score, 6)) for earlier, later, score in similar_pairs(posts, texts, window, threshold, *rarest_first(texts.values()))]
    expected = []
    for number, post in enumerate(posts):
        if not texts[post.id]:
            continue  # a post without words repeats nothing
        # the most similar earlier post in the window; of equals, the latest
        scored = [(similarity(texts[post.id], texts[earlier.id]), place) for place, earlier in enumerate(posts[:number]) if post.ts - earlier.ts <= window]
        if scored and max(scored)[0] >= threshold:
            score, place = max(scored)
            expected.append((posts[place].id, post.id, round(score, 6)))
    assert found == expected


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40) | st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_words_of_ascii_text_take_a_fast_path_to_the_same_words(text):
    assert words(text) == re.findall(r"\w+", fold(text))


def lookbehind_term_pattern(terms):
    """The banned-term pattern term_finder replaced: a lookbehind for the word before."""
    folded = sorted({fold(term).strip() for term in terms if term.strip()}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(term) for term in folded) + r")(?!\w)") if folded else None


@given(st.lists(st.sampled_from(["a", "ab", "b a", "É", " ", "a-"]), max_size=3), st.text(alphabet="ab -é", max_size=10))
def test_term_finder_finds_what_a_lookbehind_pattern_finds(terms, text):
    find, pattern = term_finder(tuple(terms)), lookbehind_term_pattern(terms)
    assert (find is None) == (pattern is None)
    if find is not None:
        found, expected = find(fold(text)), pattern.search(fold(text))
        assert (found and (found.span(), found.group())) == (expected and (expected.span(), expected.group()))
