"""`cadence export --to html` for real: the site's folder written by the command line and read
back by an HTML parser. (tests/calendar_tui/test_site_in_chromium.py opens it in a browser.)"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date

from hypothesis import given, settings, strategies as st

from tests.conftest import SAMPLES, plan_text, post_toml, run_cadence
from tests.output_readers import CONTROLS, HtmlPage

TODAY = ("--today", "2027-11-20")
OUR_TAGS = {  # everything the site's pages are made of: a tag beyond these came from a plan
    "html", "head", "meta", "style", "title", "body", "header", "p", "a", "h1", "h2", "h3", "h4", "nav", "div", "label", "select",
    "option", "button", "main", "section", "span", "b", "i", "ul", "li", "small", "article", "dl", "dt", "dd", "ol", "code", "br",
    "table", "thead", "tbody", "tr", "th", "td", "script",
}


def export(plan, folder, *options: str) -> dict[str, str]:
    result = run_cadence("export", str(plan), "--to", "html", "-o", str(folder), *options)
    assert result.returncode == 0, result.stderr
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def test_a_page_per_month_and_the_same_bytes_each_time(tmp_path):
    first = export(SAMPLES / "maple-pine-holiday.toml", tmp_path / "one", *TODAY)
    again = export(SAMPLES / "maple-pine-holiday.toml", tmp_path / "two", *TODAY)
    assert list(first) == ["2027-11.html", "2027-12.html", "index.html"]
    assert first == again
    result = run_cadence("export", str(SAMPLES / "maple-pine-holiday.toml"), "--to", "html", "-o", str(tmp_path / "one"), *TODAY)
    assert result.stderr == f"wrote 3 pages to {tmp_path / 'one'}: index.html and one per month\n"
    november = HtmlPage(first["2027-11.html"])
    assert [value for value in november.values("rel") if value in ("prev", "next")] == ["next"] and 'href="2027-12.html"' in first["2027-11.html"]
    assert 'id="w-2027-W46" data-current=""' in first["2027-11.html"]  # the week view opens on --today's week


def test_the_pages_ask_for_nothing_from_anywhere_and_run_only_their_own_script(tmp_path):
    """No address outside the folder but the posts' own links, and a policy that allows only the
    page's own style and script: a page that opens from a file opens the same from GitHub Pages."""
    pages = export(SAMPLES / "maple-pine-holiday.toml", tmp_path, *TODAY)
    plan_links = set(re.findall(r'^link = "(.*)"$', (SAMPLES / "maple-pine-holiday.toml").read_text(encoding="utf-8"), re.MULTILINE))
    for name, html in pages.items():
        page = HtmlPage(html)
        assert set(page.tags) <= OUR_TAGS, name
        assert page.values("src") == [] and page.values("style") == [] and not [a for a in page.attributes if a[1].startswith("on")]
        for address in page.values("href"):
            assert address.startswith("#") or re.fullmatch(r"(index|\d{4}-\d\d)\.html(#[\w-]+)?", address) or address in plan_links, address
        policy = dict(part.strip().split(" ", 1) for part in next(
            value for tag, attribute, value in page.attributes if attribute == "content" and value.startswith("default-src")
        ).split(";"))
        [style], [script] = page.inline["style"], page.inline["script"]
        assert policy == {
            "default-src": "'none'", "style-src": sha256(style), "script-src": sha256(script), "img-src": "'none'", "base-uri": "'none'", "form-action": "'none'",
        }


def sha256(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode('utf-8')).digest()).decode()}'"


def test_recorded_outcomes_show_what_went_out_and_the_reports_figures(tmp_path):
    for name in ("kopi-senja.toml", "kopi-senja-metrics.csv"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    plan = tmp_path / "kopi-senja.toml"
    assert run_cadence("metrics", "import", str(plan), str(tmp_path / "kopi-senja-metrics.csv")).returncode == 0
    report = json.loads(run_cadence("report", str(plan), "--today", "2027-02-01", "--format", "json").stdout)["report"]
    january = export(plan, tmp_path / "site", "--today", "2027-02-01")["2027-01.html"]
    assert "no outcomes recorded" not in january
    published = sum(channel["total"]["published"] for channel in report["channels"])
    missed = sum(channel["total"]["missed"] for channel in report["channels"])
    assert (january.count("✓ published"), january.count("✗ missed")) == (2 * published, 2 * missed)  # in the week view and in the list
    instagram = report["channels"][0]["total"]
    assert "<tr class=total><td>total</td>" + "".join(f"<td>{instagram[name]}</td>" for name in ("slots", "filled", "planned", "published", "missed")) in january
    text = HtmlPage(january).text
    assert "followers 5,000 on instagram by 2027-03-31: 3,350 on 2027-01-25" in text
    engagement = " · ".join(f"{row['kind']} {row['median']:,.0f} ({row['posts']})" for row in report["channels"][0]["engagement"])
    assert f"Median engagement: {engagement}" in text


def test_arguments_it_cannot_use_change_nothing(tmp_path):
    plan = str(SAMPLES / "kopi-senja.toml")
    (tmp_path / "taken").write_text("mine", encoding="utf-8")
    for options, message in (
        ((), "--to html writes a folder of pages (index.html and one per month); name it with -o DIR"),
        (("-o", str(tmp_path / "taken")), f"-o {tmp_path / 'taken'}: not a folder; --to html writes a folder of pages"),
        (("-o", str(tmp_path / "site"), "--include-unready"), "--include-unready goes with --to buffer, hootsuite or sprout; --to html has every post already"),
    ):
        result = run_cadence("export", plan, "--to", "html", *options)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", f"cadence: error: {message}\n")
    result = run_cadence("export", plan, "--db", str(tmp_path / "outcomes.db"))
    assert (result.returncode, result.stderr) == (2, "cadence: error: --db goes with --to html\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["taken"]


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")  # TOML's basic string is JSON's, but DEL must be escaped too


@settings(max_examples=25)
@given(
    title=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40),
    link=st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    owner=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20),
)
def test_any_title_link_and_owner_is_shown_as_text_and_never_as_markup(title, link, owner):
    from balance.calendar_site import build_site
    from balance.text import printable
    from planner.loader import plan_from_text

    text = plan_text('[channels.instagram]\nowner = "rina"\n\n' + post_toml("p1", "2027-01-05T10:00:00", title=toml_string(title), link=toml_string(link), owner=toml_string(owner)))
    plan = plan_from_text(text, "plan.toml")
    pages = build_site(plan, None, date(2027, 1, 6))
    assert pages == build_site(plan, None, date(2027, 1, 6))
    page = HtmlPage(pages[1].text)
    assert set(page.tags) <= OUR_TAGS and not any(CONTROLS.search(line) for line in pages[1].text.split("\n"))
    assert printable(title) in page.text and printable(owner) in page.values("data-owner")  # and the filter offers it
    assert all(address.startswith(("#", "index.html", "http://", "https://")) for address in page.values("href"))


def test_a_kinds_colour_goes_into_the_style_only_when_it_is_a_colour():
    from balance.calendar_site import PALETTE, build_site
    from planner.loader import plan_from_text

    text = plan_text('[channels.instagram]\nowner = "rina"\n\n' + post_toml("p1", "2027-01-05T10:00:00"))
    text = text.replace("[kinds.tip]\n", '[kinds.tip]\ncolor = "#2a9d8f"\n').replace("[kinds.promo]\n", '[kinds.promo]\ncolor = "red}body{display:none"\n')
    style = HtmlPage(build_site(plan_from_text(text, "plan.toml"), None, date(2027, 1, 6))[1].text).inline["style"][0]
    assert style.endswith(f".k0{{--kind:#2a9d8f}}.k1{{--kind:{PALETTE[1]}}}.k2{{--kind:{PALETTE[2]}}}")
