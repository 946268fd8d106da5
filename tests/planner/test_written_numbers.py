"""Figures as people write them: a decimal point or a decimal comma, decided once per file."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.conventions import ConventionError
from planner.written_numbers import decimal_mark, read_number, readings

OTHER = {".": ",", ",": "."}


def written(whole: int, fraction: str, mark: str, grouped: bool) -> str:
    """A figure as a file with ``mark`` writes it, with or without the other mark between thousands."""
    digits = f"{whole:,}".replace(",", OTHER[mark]) if grouped else str(whole)
    return digits + (mark + fraction if fraction else "")


FIGURES = st.tuples(st.integers(0, 10**9), st.one_of(st.just(""), st.from_regex(r"[0-9]{1,3}", fullmatch=True)), st.booleans())


def value_of(whole: int, fraction: str) -> float:
    return float(f"{whole}.{fraction or 0}")


@settings(max_examples=60)
@given(figures=st.lists(FIGURES, min_size=1, max_size=8), mark=st.sampled_from(".,"))
def test_a_figure_comes_back_as_written_when_the_file_is_read_its_way(figures, mark):
    cells = [(line, written(whole, fraction, mark, grouped), not fraction) for line, (whole, fraction, grouped) in enumerate(figures, 2)]
    for (_, text, whole), (number, fraction, _) in zip(cells, figures):  # --decimal says the file's way
        assert read_number(text, mark, whole) == value_of(number, fraction)
    decided = decimal_mark(cells)
    assert decided in (mark, None)  # the cells never settle the other way
    for (_, text, whole), (number, fraction, _) in zip(cells, figures):
        try:
            assert read_number(text, decided, whole) == value_of(number, fraction)
        except ValueError as refused:  # a figure nothing settles is refused, never read the other way
            assert decided is None and "pass --decimal" in str(refused)


SETTLING = st.tuples(st.integers(0, 10**9), st.from_regex(r"[0-9]{1,2}", fullmatch=True), st.booleans())  # a fraction of 3 digits reads both ways


@settings(max_examples=40)
@given(point=SETTLING, comma=SETTLING, between=st.lists(FIGURES, max_size=3))
def test_a_file_that_writes_both_ways_is_refused(point, comma, between):
    cells = [(2, written(*point[:2], ".", point[2]), False), (3, written(*comma[:2], ",", comma[2]), False)]
    cells += [(line, written(whole, fraction, ".", grouped), False) for line, (whole, fraction, grouped) in enumerate(between, 4)]
    assert [list(readings(text)) for _, text, _ in cells[:2]] == [["."], [","]]  # each reads only its own way
    with pytest.raises(ConventionError) as raised:
        decimal_mark(cells)
    assert raised.value.line == 3 and "a file writes its numbers one way" in str(raised.value)


@pytest.mark.parametrize(
    "text, whole, mark, value",
    [
        ("0,06", False, None, 0.06),  # only a decimal comma reads it
        ("3.250", True, None, 3250),  # a count: three thousand two hundred and fifty, either way it is written
        ("3,250", True, None, 3250),
        ("1.234.567", True, None, 1234567),
        ("1,234.5", False, None, 1234.5),
        ("0.065", False, None, 0.065),  # thousands never start with a 0
        ("12.0", True, None, 12),  # spreadsheets write counts as 12.0
        ("1e3", True, None, 1000),
        ("3.250", False, ",", 3250.0),
        ("3.250", False, ".", 3.25),
    ],
)
def test_figures_read_as_written(text, whole, mark, value):
    assert read_number(text, mark, whole) == value


@pytest.mark.parametrize(
    "text, whole, mark, reason",
    [
        ("3.250", False, None, "'3.250' is 3.25 with a decimal point and 3250 with a decimal comma; pass --decimal . or --decimal , to say which"),
        ("12,5", True, None, "'12,5' is not a whole number"),
        ("1,234,567", False, ",", "'1,234,567' is not a number written with a decimal comma"),
        ("\uff11", True, None, "'\uff11' is not a number"),  # a fullwidth digit
        ("1 234", True, None, "'1 234' is not a number"),
        ("nan", False, None, "'nan' is not a number"),
    ],
)
def test_figures_refused_say_why(text, whole, mark, reason):
    with pytest.raises(ValueError) as raised:
        read_number(text, mark, whole)
    assert str(raised.value) == reason
