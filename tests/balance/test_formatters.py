"""Output formats in process: colour only when asked, escaping for GitHub."""

from dataclasses import replace

from balance.formatters import github, text
from tests.conftest import DATA, check_file


def test_text_colours_codes_by_severity_only_when_asked():
    found = check_file(DATA / "CAD001.toml")
    assert "\033[" not in text(found, [], 1)
    coloured = text(found, [], 1, colour=True)
    assert "\033[1m\033[31mCAD001\033[0m" in coloured


def test_github_escapes_newlines_percent_and_property_separators():
    found = check_file(DATA / "CAD001.toml")
    odd = [replace(found[0], message="100% sure\nreally", path="a,b:c.toml")]
    line = github(odd, [], 1)
    assert "file=a%2Cb%3Ac.toml" in line and "100%25 sure%0Areally" in line
