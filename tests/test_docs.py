"""The manual stands alone: its generated pages say what the code says, and the README's links lead somewhere.

`mkdocs build --strict` (in .ci/run) checks every link and anchor inside docs/."""

import importlib.util
import re

from tests.conftest import ROOT


def generator():
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_pages_are_current():
    stale = [path.name for path, text in generator().pages().items() if path.read_text(encoding="utf-8") != text]
    assert stale == [], "run: python docs/generate.py"


def test_the_rule_reference_has_every_rule_with_its_documentation_and_settings():
    from balance.registry import RULES

    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | {rule.name} | {rule.severity} |" in page
        section = page.split(f"\n## {rule.code} {rule.name}\n", 1)[1].split("\n## ", 1)[0]
        assert "Why:" in section and "```toml" in section and "Options:" in section, rule.code
        assert all(f"| `{option.name}` |" in section for option in rule.options), rule.code


def test_the_keys_page_lists_the_help_screen_and_every_binding_of_the_calendar():
    from calendar_tui.keys import help_rows
    from calendar_tui.screens.calendar import CalendarScreen

    page = (ROOT / "docs" / "keys.md").read_text(encoding="utf-8")
    assert [line for line in page.split("## Every binding")[0].splitlines() if line.startswith("| `")] == [
        f"| `{key}` | {action} |" for key, action in help_rows(CalendarScreen.BINDINGS)
    ]
    calendar = page.split("### The calendar\n", 1)[1].split("\n### ", 1)[0]
    assert [line.split(" | ")[2] for line in calendar.splitlines() if line.startswith("| `")] == [f"`{b.action}`" for b in CalendarScreen.BINDINGS]


def test_the_readmes_links_lead_to_files_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = [target.split("#")[0] for target in re.findall(r"\]\(([^)]+)\)", readme) if "://" not in target]
    assert len(targets) >= 10
    assert [target for target in targets if not (ROOT / target).exists()] == []
