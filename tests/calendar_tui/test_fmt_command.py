"""`cadence fmt` through the real command: rewrite, --check for CI and pre-commit, --diff."""

import shutil

from tests.conftest import DATA, SAMPLES, run_cadence


def test_check_fails_on_an_unformatted_plan_and_changes_nothing(tmp_path):
    plan = tmp_path / "plan.toml"
    shutil.copy(DATA / "commented.toml", plan)
    before = plan.read_bytes()
    result = run_cadence("fmt", "--check", str(plan))
    assert result.returncode == 1
    assert result.stdout == f"would reformat {plan} (1 table to change; run: cadence fmt {plan})\n"
    assert plan.read_bytes() == before


def test_check_passes_on_formatted_plans():
    result = run_cadence("fmt", "--check", *map(str, sorted(SAMPLES.glob("*.toml"))))
    assert result.returncode == 0 and result.stdout == "3 plans already formatted\n"


def test_diff_prints_a_unified_diff(tmp_path):
    plan = tmp_path / "plan.toml"
    shutil.copy(DATA / "commented.toml", plan)
    result = run_cadence("fmt", "--diff", str(plan))
    assert result.returncode == 1
    assert result.stdout.startswith(f"--- {plan}\n+++ {plan} (formatted)\n@@")
    assert "\n-  [post.x]\n" in result.stdout and "\n+[post.x]\n" in result.stdout


def test_fmt_rewrites_in_place_and_is_idempotent(tmp_path):
    plan = tmp_path / "plan.toml"
    shutil.copy(DATA / "commented.toml", plan)
    assert run_cadence("fmt", str(plan)).stdout == f"formatted {plan}\n"
    once = plan.read_text()
    assert run_cadence("fmt", str(plan)).stdout == "1 plan already formatted\n"
    assert plan.read_text() == once
    assert run_cadence("check", str(plan), "--today", "2027-02-01").returncode in (0, 1)  # still a valid plan


def test_fmt_refuses_broken_toml_with_its_line():
    result = run_cadence("fmt", str(DATA / "bad_plans" / "broken_toml.toml"))
    assert result.returncode == 2
    assert "broken_toml.toml:9:25: invalid TOML" in result.stderr


def test_fmt_keeps_a_byte_order_mark(tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_bytes(b"\xef\xbb\xbf" + (SAMPLES / "kopi-senja.toml").read_text().replace("\ntitle = ", "\ntitle  =  ").encode())
    assert run_cadence("fmt", str(plan)).returncode == 0
    assert plan.read_bytes().startswith(b"\xef\xbb\xbf")
    assert run_cadence("fmt", "--check", str(plan)).returncode == 0


def test_fmt_moves_sub_tables_to_their_table_once(tmp_path):
    plan = tmp_path / "plan.toml"
    sample = (SAMPLES / "kopi-senja.toml").read_text()
    plan.write_text(sample + "\n# our own notes\n[review.x]\nowner = \"rina\"\n\n[channels.instagram.x]\nhandle = \"@kopisenja\"\n")
    assert run_cadence("fmt", str(plan)).stdout == f"formatted {plan}\n"
    once = plan.read_text()
    assert '\n[review]\ncadence = "0 16 * * FRI"     # Friday afternoon: what worked this week?\n# our own notes\n[review.x]\nowner = "rina"\n\n' in once
    assert '\n[channels.instagram.x]\nhandle = "@kopisenja"\n' in once and once.endswith(sample.rsplit("\n\n", 1)[-1])
    check = run_cadence("fmt", "--check", str(plan))
    assert check.returncode == 0 and check.stdout == "1 plan already formatted\n"
    assert run_cadence("check", str(plan), "--today", "2027-01-01").returncode in (0, 1)
