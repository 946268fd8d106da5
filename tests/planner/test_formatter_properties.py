"""``cadence fmt`` never changes a value: for nasty but valid TOML (multi-line strings with
trailing spaces and tabs, escapes, comments in odd places, arrays of tables, inline tables,
sub-tables written apart from their table or before it, CRLF and mixed line endings), the
formatted text parses to the same data (posts reordered) and formatting it again changes nothing."""

import tomli
from hypothesis import assume, given
from hypothesis import strategies as st

from planner.formatter import format_plan

SPACE = st.sampled_from(["", " ", "  ", "\t", " \t"])
COMMENT = st.sampled_from(["# note", "#", "# a # in a comment", '# "quoted" [[post]]', "#\ttab"])
BASIC = st.sampled_from(['"plain"', '"caf\\u00e9"', '"a\\tb"', '"quote \\" inside"', '"# not a comment"', '""', '"[[post]]"'])
LITERAL = st.sampled_from(["'literal'", "'C:\\path'", "''"])
MULTILINE = st.sampled_from([
    '"""\nfirst line  \nsecond\t\n"""',
    '"""  \nhard break  \n"""',
    '"""\t\nTabbed first line"""',
    '"""line one\\\n   continued"""',
    "'''\nliteral  \n  kept '''",
    '"""\n[[post]]\nid = "inside a string"\n"""',
    '""""quoted" start"""',
    '"""two  \n\n\nblank lines  """',
])
SCALAR = st.one_of(BASIC, LITERAL, MULTILINE, st.sampled_from(["1", "-7", "3.5", "1e3", "true", "false", "2027-03-01", "2027-03-01T09:00:00", "10:30:00", "2027-03-01T09:00:00+02:00"]))
ARRAY = st.sampled_from([
    '["a", "b"]', "[]", '[\n  "a",   # first\n  # between\n  "b",\n]', "[1, [2, 3]]",
    '["a-rather-long-item-number-one", "a-rather-long-item-number-two", "a-rather-long-item-3"]',
    '[\n[1],\n[[2]]\n]',
])
INLINE = st.sampled_from(['{ a = 1 }', '{a="x", b = { c = [1] }}', "{}"])
VALUE = st.one_of(SCALAR, ARRAY, INLINE)
KEYS = {
    "plan": ["name", "timezone", "start", "end", "objective", "x-extra"],
    "kinds.tip": ["label", "useful", "effort"],
    "zz": ["a", "b", '"quoted key"'],
    "post": ["title", "body", "channel", "kind", "status", "tags", "owner", "idea"],
    "post.x": ["campaign", "n"],
    "backlog": ["title", "kind", "body"],
    "channels": ["mark", "cadence", "label", "max_per_day"],
}
# tables under others, written anywhere in the file (after other tables, before their own):
# fmt moves each to its table, whose header goes first
SUB_TABLES = [
    "[plan.x]", "[plan.x.deep]", "[[plan.x.list]]", "[channels.ig.x]", "[channels.tt.x]", "[kinds.tip.x]",
    "[team.ana.x]", "[x.notes]", "[rules.severity]", "[post.x]", "[[post.x]]", "[zz0.sub]",
]
NAMED_TABLES = ["[channels.ig]", "[channels.tt]", "[kinds.tip]", "[team.ana]", "[x]"]


@st.composite
def entry(draw, keys):
    key = draw(st.sampled_from(keys))
    before = "".join(draw(COMMENT) + "\n" for _ in range(draw(st.integers(0, 1))))
    after = draw(st.sampled_from(["", "  " + draw(COMMENT)])) if draw(st.booleans()) else ""
    return key, f"{before}{draw(SPACE)}{key}{draw(SPACE)}={draw(SPACE)}{draw(VALUE)}{after}{draw(SPACE)}\n"


@st.composite
def table(draw, header, keys, fixed=()):
    lines = [f"{draw(SPACE)}{header}{draw(st.sampled_from(['', '   # header comment']))}\n"]
    used = set()
    for key, value in fixed:
        lines.append(f"{key} = {value}\n")
        used.add(key)
    for _ in range(draw(st.integers(0, 4))):
        key, line = draw(entry(keys))
        if key not in used:
            used.add(key)
            lines.append(line)
    gap = "".join(draw(st.sampled_from(["\n", draw(COMMENT) + "\n", "  \n"])) for _ in range(draw(st.integers(0, 3))))
    return "".join(lines) + gap


@st.composite
def plans(draw):
    parts = [draw(st.sampled_from(["", "# top comment\n\n", "# top\n"]))]
    tables = [draw(table("[plan]", KEYS["plan"], (("timezone", '"Europe/Berlin"'),)))]
    for number in range(draw(st.integers(0, 6))):
        what = draw(st.sampled_from(["post", "post", "backlog", "kinds", "zz", "empty", "named", "sub", "sub"]))
        if what == "post":
            at = f"2027-03-{draw(st.integers(1, 3)):02d}T{draw(st.sampled_from(['09:00:00', '02:30:00', '09:00:00+01:00']))}"
            post_id = draw(st.sampled_from([f'"p{number}"', f"'p{number}'", f'"p\\u00e9{number}"']))
            text = draw(table("[[post]]", KEYS["post"], (("id", post_id), ("at", at))))
            sub = draw(st.sampled_from(["", "[post.x]", "[[post.x]]"]))
            if sub:
                text += draw(table(sub, KEYS["post.x"]))
            tables.append(text)
        elif what == "backlog":
            tables.append(draw(table("[[backlog]]", KEYS["backlog"], (("id", f'"bk{number}"'),))))
        elif what == "kinds":
            tables.append(draw(table(f"[kinds.k{number}]", KEYS["kinds.tip"])))
        elif what == "zz":
            tables.append(draw(table(f"[zz{number}]", KEYS["zz"])))
        elif what == "named":
            header = draw(st.sampled_from(NAMED_TABLES))
            tables.append(draw(table(header, KEYS["channels"] if "channels" in header else KEYS["zz"])))
        elif what == "sub":
            tables.append(draw(table(draw(st.sampled_from(SUB_TABLES)), KEYS["zz"])))
        else:
            tables.append(f"[empty{number}]\n" + draw(st.sampled_from(["", "# under an empty table\n", "# c\n\n", "\n# c\n"])))
    plan = tables.pop(0)
    tables.insert(draw(st.integers(0, min(len(tables), 2))), plan)  # mostly first; fmt moves it there
    parts += tables
    parts.append(draw(st.sampled_from(["", "# the end\n", "\n\n", "# end without newline"])))
    text = "".join(parts)
    ending = draw(st.sampled_from(["lf", "crlf", "mixed"]))
    if ending == "crlf":
        text = text.replace("\n", "\r\n")
    elif ending == "mixed":
        lines = text.split("\n")
        text = "".join(line + draw(st.sampled_from(["\n", "\r\n"])) for line in lines[:-1]) + lines[-1]
    return text


def canonical(data: dict) -> dict:
    """The parsed plan with posts in a fixed order (fmt sorts them; nothing else may change)."""
    if isinstance(data.get("post"), list):
        data = {**data, "post": sorted(data["post"], key=repr)}
    return data


@given(plans())
def test_fmt_keeps_every_value_and_is_idempotent(text):
    try:
        before = tomli.loads(text)
    except tomli.TOMLDecodeError:
        assume(False)
    once = format_plan(text)
    assert canonical(tomli.loads(once)) == canonical(before)
    assert format_plan(once) == once


def test_trailing_spaces_that_are_data_stay():
    text = '[plan]\nname = "P"\n\n[zz]\na = """Markdown hard break  \nnext line"""\nb = """\t\nfirst line is a tab"""\n'
    assert format_plan(text) == text


def test_cases_hypothesis_found_stay_fixed():
    cases = [
        '[plan]\ntimezone = "Europe/Berlin"\n[[backlog]]\nid = "bk0"\n# note\n\n\n',  # a comment under the last table
        '[plan]\ntimezone = "Europe/Berlin"\n[[post]]\nid = "p0"\nat = 2027-03-01T09:00:00\n\n# note\n\n[post.x]\n',  # above a sub-table
        '[plan]\nname = "P"\n\n[empty]\n# under an empty table\n\n[zz]\na = 1\n# end without newline',
        '[plan]\nname = "P"\n\n[[post.x]]\na = 1\n',  # an array of tables under a post that is not one
        '[plan]\ntimezone = "Europe/Berlin"\n[empty0]\n[plan.x]\n[zz]\na = 1\n',  # a sub-table after another table
        '[channels.ig.x]\na = 1\n# c\n\n# d\n[channels.ig]\nmark = "IG"\n\n[zz]\nb = 2\n',  # a table after its sub-table
    ]
    for text in cases:
        once = format_plan(text)
        assert canonical(tomli.loads(once)) == canonical(tomli.loads(text))
        assert format_plan(once) == once
        assert once.rstrip("\n").endswith(text.rstrip("\n").rsplit("\n", 1)[-1])  # nothing lost at the end


@given(plans())
def test_the_quick_paths_lay_tables_out_as_the_full_one_does(text):
    from planner.formatter import _as_laid_out, _plain_table_lines, table_lines
    from planner.source import SourceIndex, content_end, line_start

    text = text.replace("\r\n", "\n")
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError:
        assume(False)
    source = SourceIndex(text, data)
    paths = [path for path in source.tables if path]
    starts = [line_start(text, source.tables[path].start) for path in paths] + [len(text)]
    for number, path in enumerate(paths):
        last = content_end(text, starts[number], starts[number + 1])
        full = table_lines(text, starts[number], last, path)
        for quick in (_plain_table_lines(text, starts[number], last, path), _as_laid_out(text, starts[number], last, path)):
            if quick is not None:
                assert "\n".join(quick) == "\n".join(full)
