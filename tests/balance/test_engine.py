"""Choosing rules: [rules] config, command-line overrides and a post's own ignore."""

from tests.conftest import DATA, check_file, check_text, plan_text, post_toml

CLOSE = '[channels.x]\nmin_spacing = "1h"\n\n' + post_toml("a", "2027-01-04T10:00:00", channel="x") + post_toml("b", "2027-01-04T10:10:00", channel="x")


def codes(text: str, **options) -> set[str]:
    return {d.code for d in check_text(plan_text(text, end="2027-01-10"), select=options.pop("select", ("CAD005", "PLN")), **options)}


def test_rules_ignore_in_config_takes_codes_and_prefixes():
    assert codes(CLOSE) == {"CAD005", "PLN001", "PLN002"}
    assert codes('[rules]\nignore = ["CAD005"]\n\n' + CLOSE) == {"PLN001", "PLN002"}
    assert codes('[rules]\nignore = ["PLN"]\n\n' + CLOSE) == {"CAD005"}


def test_rules_select_in_config_is_replaced_by_the_command_line():
    text = '[rules]\nselect = ["PLN001"]\n\n' + CLOSE
    assert {d.code for d in check_text(plan_text(text, end="2027-01-10"))} == {"PLN001"}
    assert {d.code for d in check_text(plan_text(text, end="2027-01-10"), select=("CAD005",))} == {"CAD005"}


def test_command_line_ignore_adds_to_config():
    assert codes('[rules]\nignore = ["PLN001"]\n\n' + CLOSE, ignore=("PLN002",)) == {"CAD005"}


def test_severity_override_and_off():
    (diagnostic,) = check_text(plan_text('[rules]\nseverity = { CAD005 = "warning" }\n\n' + CLOSE, end="2027-01-10"), select=("CAD005",))
    assert diagnostic.severity == "warning"
    assert codes('[rules]\nseverity = { CAD005 = "off" }\n\n' + CLOSE) == {"PLN001", "PLN002"}


def test_a_post_can_ignore_a_rule_for_itself_only():
    text = CLOSE.replace('title = "Post b"', 'title = "Post b"\nignore = ["CAD005"]')
    assert codes(text) == {"PLN001", "PLN002"}
    other = CLOSE + post_toml("c", "2027-01-05T10:00:00", channel="x") + post_toml("d", "2027-01-05T10:10:00", channel="x")
    other = other.replace('title = "Post b"', 'title = "Post b"\nignore = ["CAD005"]')
    assert [d.post_ids for d in check_text(plan_text(other, end="2027-01-10"), select=("CAD005",))] == [("c", "d")]


def test_settings_come_from_rules_table():
    text = '[rules]\ndue_soon = "10d"\n\n[channels.x]\n\n' + post_toml("a", "2027-01-09T10:00:00", channel="x", status='"draft"')
    assert {d.code for d in check_text(plan_text(text, end="2027-01-10"), select=("PUB001",))} == {"PUB001"}
    assert {d.code for d in check_text(plan_text(text.replace("10d", "3d"), end="2027-01-10"), select=("PUB001",))} == set()


def test_diagnostics_are_sorted_by_line_then_code():
    found = check_file(DATA / "PLN003.toml")
    assert [(d.line, d.code) for d in found] == sorted((d.line, d.code) for d in found)
