"""The mutation fuzzer: broken copies of every fixture and sample plan never crash a command.

Hypothesis takes a plan from tests/data and sample_plans and flips, cuts, duplicates and
retypes its lines and values, and writes cadences of the cron grammar (tests/cron_grammar.py)
into it, then runs the real ``cadence check`` and ``cadence fmt --check``
on it. Whatever the input: exit 0, 1 or 2, never a traceback, and on exit 2 every line of
standard error names ``path:line:col``.

CI runs a bounded number of examples (the "ci" profile); a long run is one variable away:

    CADENCE_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_mutation_fuzz.py -q --hypothesis-show-statistics
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import tempfile
from pathlib import Path

import tomlkit
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from calendar_tui.cli import main
from tests.conftest import DATA, SAMPLES, run_cadence
from tests.cron_grammar import cron_texts

EXAMPLES = int(os.environ.get("CADENCE_FUZZ_EXAMPLES", "40"))


def _seeds() -> list[str]:
    texts = []
    for path in sorted([*DATA.glob("*.toml"), *(DATA / "bad_plans").glob("*.toml"), *SAMPLES.glob("*.toml")]):
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, IsADirectoryError):
            continue  # the not-UTF-8 and folder fixtures: nothing to mutate line by line
    return texts


SEEDS = _seeds()

# Values of every TOML type, and the extremes that once crashed a command.
VALUES = [
    '"text"', '""', "'literal'", '"""\nmulti\nline\n"""', "42", "0", "-1", "3.5", "1e400", "nan", "inf", "true", "false",
    "[]", '["a", "b"]', "[1, [2, [3]]]", "{}", "{ a = 1 }", "2027-01-01", "2027-01-05T10:00:00", "10:00:00",
    "2027-01-05T10:00:00+07:00", "0001-01-01", "9999-12-31", "0001-01-01T00:00:00", "9999-12-31T23:59:59",
    '"99999999999d"', '"0d"', '"3h"', '"* * * * *"', '"0 0 30 2 *"', '"0 10 * * MON"', '["0 * * * *"]', "[]",
    '"America"', '"Europe/Berlin"', '"' + "A" * 300 + '"', '"draft"', '"instagram"', '"tip"', '"CAD001"',
    '["CAD001", "ZZZ"]', '{ MIX001 = "error" }', '{ promo = 2 }', "[" * 450 + "]" * 450,
]
# Values that keep a key's type, so that the plan often stays valid and the rules run on it.
_DURATIONS = ['"0m"', '"1s"', '"90m"', '"1d12h"', '"3660d"', '"3661d"', '"2w"']
SAME_TYPE = {
    "at": ["2027-03-28T02:30:00", "2027-10-31T02:30:00", "2027-01-01T00:00:00", "2026-12-31T23:59:59", "1900-01-01T00:00:00",
           "2999-12-31T23:59:59", "2027-01-04T10:00:00", "2027-02-29T10:00:00", "2028-02-29T10:00:00"],
    "start": ["2027-01-01", "1900-01-01", "2999-12-31", "2027-03-28", "2037-01-01"],
    "end": ["2027-01-01", "2027-01-03", "2999-12-31", "2036-12-31", "2037-01-10", "2027-12-31"],
    "cadence": ['["* * * * *"]', '["0 0 30 2 *"]', '["0 10 L * *"]', '["0 10 * * 1#1"]', '["0 10 15W * *"]', '["@daily"]',
                '["*/7 * * * *"]', '["0 10 * * MON-FRI"]', '["59 23 31 12 *"]', '["30 2 * * SUN"]', "[]", '"0 10 * * MON"',
                '["0 10 * * MON", "0 10 * * MON"]', '["0 9-17 * * *"]', '["H 10 * * *"]', '["0 10 * * 7"]'],
    "tolerance": _DURATIONS, "max_silence": _DURATIONS, "min_spacing": _DURATIONS, "window": _DURATIONS,
    "cooldown": _DURATIONS, "due_soon": _DURATIONS, "repeat_window": _DURATIONS,
    "max_per_day": ["1", "2", "100000", "0"],
    "max_share": ["{ tip = 0 }", "{ promo = 1 }", "{ useful = 0.5 }", "{ nothing = 0.1 }"],
    "min_share": ["{ tip = 1 }", "{ useful = 0 }", "{ conversation = 0.9 }"],
    "max_streak": ["{ promo = 0 }", "{ tip = 1 }"], "min_count": ["{ question = 5 }", "{ conversation = 0 }"],
    "timezone": ['"Australia/Lord_Howe"', '"UTC"', '"Pacific/Kiritimati"', '"America/St_Johns"', '"Europe/Berlin"'],
    "status": ['"idea"', '"draft"', '"review"', '"approved"', '"scheduled"', '"published"', '"skipped"'],
    "title": ['""', '"' + "é" * 500 + '"', '"cheapest competitor-x"', '"Latte art in three steps"'],
    "holidays": ['["ID"]', '["XX"]', '["DE-BY", "ID"]', "[]", '["US-ZZ"]'], "on_holiday": ['"skip"', '"keep"', '"never"'],
    "from": ["2027-01-14", "2027-01-20", "1900-01-01"], "to": ["2027-01-13", "2027-01-17", "2999-12-31"],
    "kinds": ['["promotional"]', '["tip", "promo"]', '["nothing"]'],
    "hours": ["0", "0.5", "1000"], "effort": ["0", "99"], "target": ["0", "-5", "1e308"],
    "network": ['"x"', '"bluesky"', '"mastodon"', '"youtube"', '"twitter"'], "preset": ['"80-20"', '"4-1-1"', '"thirds"'],
    "max_chars": ["1", "23", "1000000"], "max_hashtags": ["0", "1"], "max_mentions": ["0"], "max_title": ["1", "100"],
    "body": ['"' + "👩🏽‍🍳 #kopi @rina@mastodon.social https://kopi.example/#x e\u0301 " * 20 + '"', '"ꦏꦺꦴꦥꦶ 🇮🇩"'],
}
KEYS = ["title", "id", "at", "channel", "kind", "status", "cadence", "tolerance", "max_per_day", "timezone", "start",
        "end", "window", "max_share", "ignore", "x", "body", "hours", "effort", "kinds", "bogus", "post", "plan", "network", "preset",
        "max_chars", "max_title"]
HEADERS = ["[[post]]", "[[backlog]]", "[plan]", "[[post.x]]", "[post]", "[channels.new]", "[kinds.tip]", "[x]",
           "[rules]", "[balance]", "[[goal]]", "[[blackout]]", "[team.rina]", "[[post]", "[channels]", "[review]", "[networks.x]", "[networks]",
           "[networks.youtube]", "[mix]"]
_ASSIGNMENT = re.compile(r"^(\s*[A-Za-z0-9_.\"'-]+\s*=\s*)(.*)$")


def _mutate(text: str, rng: random.Random, crons: list[str]) -> str:
    lines = text.split("\n")
    if not lines:
        return text
    at = rng.randrange(len(lines))
    operation = rng.choice(("flip", "cut", "cut-line", "duplicate", "retype", "rekey", "header", "insert", "splice",
                            "tweak", "tweak", "tweak", "tweak", "clone", "cadence", "cadence"))
    if operation == "cadence":  # expressions of the cron grammar in a channel's or the review's cadence
        cadence = f"cadence = {tomlkit.item(rng.sample(crons, rng.randint(1, len(crons)))).as_string()}"
        keys = [n for n, line in enumerate(lines) if line.split("=")[0].strip() == "cadence"]
        if keys:
            lines[rng.choice(keys)] = cadence
        else:
            lines += ["[channels.fuzzed]", cadence]
    elif operation == "tweak":  # the same type, an edge value: the plan often stays valid
        tweakable = [n for n, line in enumerate(lines) if (found := _ASSIGNMENT.match(line)) and found[1].split("=")[0].strip() in SAME_TYPE]
        if tweakable:
            at = rng.choice(tweakable)
            key = lines[at].split("=")[0].strip()
            lines[at] = f"{key} = {rng.choice(SAME_TYPE[key])}"
    elif operation == "clone":  # another post like one of them, at another time
        headers = [n for n, line in enumerate(lines) if line.strip() == "[[post]]"]
        if headers:
            start = rng.choice(headers)
            end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith("[")), len(lines))
            block = [re.sub(r'^id = "(.*)"', rf'id = "\1-{rng.randrange(10**6)}"', line) for line in lines[start:end]]
            block = [f"at = {rng.choice(SAME_TYPE['at'])}" if line.startswith("at =") and rng.random() < 0.5 else line for line in block]
            lines[len(lines):] = ["", *block]
    elif operation == "flip":
        other = rng.randrange(len(lines))
        lines[at], lines[other] = lines[other], lines[at]
    elif operation == "cut":  # the file ends anywhere, even mid-line
        return text[: rng.randrange(len(text) + 1)]
    elif operation == "cut-line":
        del lines[at]
    elif operation == "duplicate":
        span = rng.randint(1, 8)
        lines[at:at] = lines[at : at + span]
    elif operation == "retype":
        assignments = [n for n, line in enumerate(lines) if _ASSIGNMENT.match(line)]
        if assignments:
            at = rng.choice(assignments)
            lines[at] = _ASSIGNMENT.sub(lambda found: found[1] + rng.choice(VALUES), lines[at])
    elif operation == "rekey":
        lines.insert(at, f"{rng.choice(KEYS)} = {rng.choice(VALUES)}")
    elif operation == "header":
        lines.insert(at, rng.choice(HEADERS))
    elif operation == "insert":
        position = rng.randrange(len(lines[at]) + 1)
        lines[at] = lines[at][:position] + rng.choice(['"', "'", "[", "]", "{", "}", "=", "#", "\\", "\t", "\r", "\x00", "é"]) + lines[at][position:]
    else:  # a line from another plan
        donor = rng.choice(SEEDS).split("\n")
        lines.insert(at, rng.choice(donor))
    return "\n".join(lines)


def mutated_plans():
    return st.builds(
        lambda seed, steps, randomness, crons: _apply(SEEDS[seed], steps, randomness, crons),
        st.integers(0, len(SEEDS) - 1),
        st.integers(1, 4),
        st.randoms(use_true_random=False),
        st.lists(cron_texts, min_size=1, max_size=3),
    )


def _apply(text: str, steps: int, rng: random.Random, crons: list[str]) -> str:
    for _ in range(steps):
        text = _mutate(text, rng, crons)
    return text


def run_in_process(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exit:  # argparse and CADENCE_TODAY end this way
            status = exit.code if isinstance(exit.code, int) else 2
    return status, out.getvalue(), err.getvalue()


def assert_clean_run(path: str, status: int, out: str, err: str) -> None:
    assert status in (0, 1, 2), (status, err)
    assert "Traceback" not in out + err
    if status == 2:
        located = re.compile(rf"^{re.escape(path)}:\d+:\d+: \S")
        unlocated = [line for line in err.splitlines() if not located.match(line)]
        assert not unlocated, unlocated


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_plans())
def test_a_mutated_plan_never_crashes_check_or_fmt(text):
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "plan.toml")
        Path(path).write_bytes(text.encode("utf-8", "surrogatepass"))
        status, out, err = run_in_process("check", path, "--today", "2027-01-01")
        assert_clean_run(path, status, out, err)
        event(f"check exits {status}")  # the counts of a long run: --hypothesis-show-statistics
        if "cron expression" in err:
            event("a cron expression refused")
        assert_clean_run(path, *run_in_process("check", path, "--today", "2027-01-01", "--format", "json"))
        assert_clean_run(path, *run_in_process("fmt", "--check", path))


def test_mutated_plans_through_the_real_command_line(tmp_path):
    rng = random.Random(8)
    for number in range(4):
        path = tmp_path / f"plan{number}.toml"
        path.write_text(_apply(rng.choice(SEEDS), 3, rng, ["0 10 * * MON#2", "* * * * *,0", "0 0 31 1 1#1"]), encoding="utf-8")
        for command in (["check", str(path), "--today", "2027-01-01"], ["fmt", "--check", str(path)]):
            result = run_cadence(*command)
            assert_clean_run(str(path), result.returncode, result.stdout, result.stderr)
