"""A hypothesis grammar of cron expressions: what people write, what croniter reads, and near misses.

Fields of numbers and names in any case, lists mixing values, ranges (ascending, equal and
wrapping round) and steps, ``*`` and ``?``, ``L``, ``W``, ``#`` and ``L5``; and near misses
put in one field: values just out of range, empty items and steps, ``*`` inside a list,
Quartz's ``5L``, ``H`` and ``R``, other characters. Expressions have five fields mostly, and
other counts, macros and any text now and then. tests/planner/test_cadence.py reads them
against croniter; tests/test_mutation_fuzz.py writes them into plans.
"""

from __future__ import annotations

from hypothesis import strategies as st

MINUTE, HOUR, DAY, MONTH, WEEKDAY = range(5)
BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
NAMES = ((), (), (), "jan feb mar apr may jun jul aug sep oct nov dec".split(), "sun mon tue wed thu fri sat".split())


def _written(index: int, number: int) -> st.SearchStrategy[str]:
    """A field's value as a number, or as a name in any case where the field has names."""
    names = NAMES[index]
    offset = 1 if index == MONTH else 0
    if not names or not 0 <= number - offset < len(names):
        return st.just(str(number))
    name = names[number - offset]
    return st.sampled_from([str(number), name, name.upper(), name.title()])


def values(index: int) -> st.SearchStrategy[str]:
    low, high = BOUNDS[index]
    return st.integers(low, high).flatmap(lambda number: _written(index, number))


def ranges(index: int) -> st.SearchStrategy[str]:
    """``A-B``: ascending mostly; equal, or wrapping round (``FRI-MON``), now and then."""
    low, high = BOUNDS[index]
    ends = st.tuples(st.integers(low, high), st.integers(low, high), st.integers(0, 5))
    ordered = ends.map(lambda e: (min(e[:2]), max(e[:2])) if e[2] else (max(e[:2]), min(e[:2])))
    return ordered.flatmap(lambda e: st.tuples(_written(index, e[0]), _written(index, e[1]))).map("-".join)


def items(index: int) -> st.SearchStrategy[str]:
    """One list item: a value, a range, a step (``*/S``, ``A/S``, ``A-B/S``), or a special day."""
    low, high = BOUNDS[index]
    value, span = values(index), ranges(index)
    step = st.integers(1, high - low + 2).map(str)
    plain = st.one_of(
        value,
        span,
        st.tuples(span, step).map("/".join),
        step.map("*/{}".format),
        st.tuples(value, step).map("/".join),
    )
    if index == DAY:
        special = st.one_of(value.map("{}W".format), value.map("W{}".format), st.sampled_from(["L", "LW"]), value.map("{}-L".format))
        return st.one_of(plain, plain, special)
    if index == WEEKDAY:
        nth = st.integers(1, 5).map(str)
        special = st.one_of(st.tuples(st.one_of(value, span), nth).map("#".join), value.map("L{}".format))
        return st.one_of(plain, plain, special)
    return plain


def fields(index: int) -> st.SearchStrategy[str]:
    listed = st.lists(items(index), min_size=1, max_size=3).map(",".join)
    if index in (DAY, WEEKDAY):  # two restricted day fields are cron's either rule, or refused
        return st.one_of(st.just("*"), st.just("*"), st.just("?"), listed)
    return st.one_of(st.just("*"), listed, listed)


def near_misses(index: int) -> st.SearchStrategy[str]:
    """An item a little wrong, or right in another tool only."""
    low, high = BOUNDS[index]
    return st.one_of(
        st.sampled_from([str(low - 1), str(high + 1), f"0{low}", "99999999999", "-1", "x", "٣", "", "*", "?", "L", "W",
                         "H", "H/5", "H(0-9)", "R", "*/0", "*/", "1/x", "1-2-3", "1#", "#1", "L-2", "L/2", "1-L"]),
        values(index).map("{}/0".format),
        values(index).map("{}L".format),  # Quartz's last weekday
        values(index).map("{}#0".format),
        values(index).map("{}#6".format),
        st.tuples(values(index), values(index)).map(lambda p: f"{p[0]}-{p[1]}#2/3"),
        st.tuples(values(index), st.sampled_from([",", ",,", "-", "/", "#", "W", "L"])).map("".join),
    )


def _with_a_near_miss(parts: tuple[str, ...], index: int, miss: str, alone: bool) -> str:
    return " ".join(miss if n == index and alone else f"{part},{miss}" if n == index else part for n, part in enumerate(parts))


readable_five_fields = st.tuples(*(fields(index) for index in range(5))).map(" ".join)
"""Five fields as people write them: croniter reads most, and a plan refuses some on purpose."""

five_fields = st.one_of(
    readable_five_fields,
    st.tuples(*(fields(index) for index in range(5))).flatmap(
        lambda parts: st.integers(0, 4).flatmap(
            lambda index: st.builds(_with_a_near_miss, st.just(parts), st.just(index), near_misses(index), st.booleans())
        )
    ),
)
"""Five fields, half of them with a near miss in one field."""

cron_texts = st.one_of(
    five_fields,
    five_fields,
    five_fields,
    st.tuples(readable_five_fields, st.sampled_from(["\t", "  ", " \u00a0"])).map(lambda p: p[0].replace(" ", p[1], 1)),
    st.sampled_from([0, 1, 4, 6, 7, 8]).flatmap(lambda count: st.lists(fields(MINUTE), min_size=count, max_size=count)).map(" ".join),
    st.sampled_from(["@daily", "@HOURLY", "@Weekly", "@monthly", "@yearly", "@annually", "@midnight", "@reboot", "@dayly", "@", " @daily "]),
    st.text(max_size=24),
)
"""Any text a plan's ``cadence`` may hold, weighted towards cron expressions."""
