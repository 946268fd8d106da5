"""The position index: headers and keys found where they are, never inside strings."""

import tomli
from hypothesis import given
from hypothesis import strategies as st

from planner.source import Lines, SourceIndex

TRICKY = '''\
# a comment with [[post]]
[plan]
name = "x" # [[post]] in a comment
notes = """
[[post]]
id = "inside a multi-line string"
"""
arr = [
  [[1]],
  [1, 2],
]
esc = "a \\" [[post]] b"

[[post]]
id = "a"
  [post.x]
  owner_note = 1

[[post]]
"quoted.key" = 'literal'
tags = [\'\'\'
[[post]]\'\'\']
[channels."instagram"]
cadence = ["0 10 * * *"]
'''


def index() -> SourceIndex:
    return SourceIndex(TRICKY, tomli.loads(TRICKY))  # the scanner only ever sees valid TOML


def test_headers_inside_strings_and_arrays_are_not_headers():
    tables = index().tables
    assert [path for path in tables if path[:1] == ("post",)] == [("post", 0), ("post", 0, "x"), ("post", 1)]
    assert tables[("post", 0)].line == 14
    assert tables[("post", 1)].line == 19


def test_keys_of_a_table_are_located():
    source = index()
    assert source.locate(("plan", "arr")) == (8, 1)
    assert source.locate(("post", 1, "tags")) == (21, 1)
    assert source.locate(("post", 1, "quoted.key")) == (20, 1)
    assert source.locate(("post", 0, "x", "owner_note")) == (17, 3)


def test_quoted_table_names_are_unquoted():
    assert index().locate(("channels", "instagram", "cadence")) == (24, 1)


def test_missing_key_falls_back_to_its_table_header():
    assert index().locate(("channels", "instagram", "tolerance")) == (23, 1)
    assert index().locate(("nowhere", "at", "all")) == (1, 1)


def test_crlf_files_count_lines_the_same():
    text = "[plan]\r\nname = 'x'\r\n\r\n[[post]]\r\nid = 'a'\r\n"
    assert SourceIndex(text, tomli.loads(text)).locate(("post", 0, "id")) == (5, 1)


def test_triple_quotes_inside_ordinary_strings_and_comments_open_nothing():
    text = (
        "[plan]\n"
        "a = '\"\"\"'  # not a multi-line string\n"
        "b = \"'''\"\n"
        "# \"\"\" in a comment\n"
        "[[post]]\n"
        "body = '''\n[[post]]\n'''\n"
        "[[post]]\n"
        "id = 'x'\n"
    )
    data = tomli.loads(text)
    source = SourceIndex(text, data)
    assert [(path, table.line) for path, table in source.tables.items()] == [((), 1), (("plan",), 1), (("post", 0), 5), (("post", 1), 9)]


def test_a_header_lookalike_inside_a_multi_line_array_falls_back_to_the_careful_scan():
    text = "[plan]\ngrid = [\n[[1]],\n]\n[[post]]\nid = 'a'\n[[post]]\nid = 'b'\n"
    data = tomli.loads(text)
    source = SourceIndex(text, data)
    assert [path for path in source.tables] == [(), ("plan",), ("post", 0), ("post", 1)]
    assert source.locate(("post", 1, "id")) == (8, 1)


def test_without_a_parse_to_check_against_a_header_inside_an_array_is_still_not_taken():
    text = "[plan]\ngrid = [\n  [1],\n[[\"post\"]],\n]\n[[post]]\nid = 'a'\n"
    tomli.loads(text)
    source = SourceIndex(text)  # the writer's case: no parse
    assert [path for path in source.tables] == [(), ("plan",), ("post", 0)]
    assert source.locate(("post", 0, "id")) == (7, 1)


@given(st.text(alphabet="ab\n", max_size=200), st.lists(st.integers(0, 200), max_size=30))
def test_lines_counted_from_any_known_offset_agree_with_counting_from_the_start(text, offsets):
    lines = Lines(text)
    for offset in offsets:
        offset = min(offset, len(text))
        assert lines.line(offset) == text.count("\n", 0, offset) + 1
