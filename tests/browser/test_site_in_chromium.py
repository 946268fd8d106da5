"""The calendar site (`cadence export --to html`) as a client opens it: from the folder, in
Chromium, at desktop and at phone width."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLES, run_cadence

PLAN = SAMPLES / "maple-pine-holiday.toml"
TODAY = "2027-11-20"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    result = run_cadence("export", str(PLAN), "--to", "html", "-o", str(folder), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def posts():
    from planner.loader import load_plan

    return load_plan(str(PLAN)).posts


@pytest.fixture
def page(browser):
    """A page that records every request it makes and every message its console gets (a
    Content-Security-Policy violation is one), and lets none leave the folder."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests, page.messages = [], []
    page.on("console", lambda message: page.messages.append(f"{message.type}: {message.text}"))

    def record(route):
        page.requests.append(route.request.url)
        route.continue_() if route.request.url.startswith("file://") else route.abort()

    context.route("**/*", record)
    yield page
    context.close()


def test_each_post_stands_under_its_day_and_a_filter_hides_the_others(page, site, posts):
    page.goto((site / "2027-11.html").as_uri())
    shown = page.eval_on_selector_all(
        "[data-view=month] a.item", "chips => chips.map(chip => [chip.closest('.day').dataset.day, chip.textContent])"
    )
    november = [post for post in posts if post.day.month == 11 and post.status != "skipped"]
    assert len(shown) == len(november)
    for post in november:
        assert [str(post.day), f"{post.at:%H:%M}"] in [[day, text[:5]] for day, text in shown if post.title in text], post.id
    page.select_option("select[data-filter=channel]", "email")
    visible = page.locator("[data-view=month] a.item:visible")
    assert visible.count() == sum(post.channel == "email" for post in november) > 0
    assert set(visible.evaluate_all("chips => chips.map(chip => chip.dataset.channel)")) == {"email"}
    assert page.locator("a[rel=next]").get_attribute("href") == "2027-12.html?channel=email"  # the filter goes along
    page.click("a[rel=next]")
    assert page.locator("select[data-filter=channel]").input_value() == "email"
    assert set(page.locator("[data-view=month] a.item:visible").evaluate_all("chips => chips.map(chip => chip.dataset.channel)")) == {"email"}


def test_the_page_asks_nothing_of_anywhere_and_its_views_and_links_work(page, site):
    page.goto((site / "index.html").as_uri())
    page.click("text=next week")  # to the week view, at the week after --today's
    assert page.locator(".week:visible h2").inner_text().startswith("Week 47 · Mon 22 Nov 2027")
    page.click("[data-show=month]")
    chip = page.locator("[data-view=month] a.item").first
    title = chip.inner_text()
    chip.click()  # to its details in the list view
    post = page.locator("article:target")
    assert post.is_visible() and page.locator("[data-view=month]").is_hidden()
    assert title.split(" ", 2)[2].rstrip(" ✓✗") in post.inner_text()
    page.locator(".findings li a[href^='#d-']").first.click()  # a finding to its day, in the month view
    assert page.locator(".day:target").is_visible()
    page.locator(".day:target .flag").first.click()  # and back to the finding
    assert page.locator(".findings li:target").is_visible()
    assert [url.rsplit("/", 1)[1].split("#")[0] for url in page.requests] == ["index.html", "2027-11.html"]
    assert page.messages == []


def test_it_reads_at_phone_width_in_the_dark_and_prints_a_month_on_a_page(page, site, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="dark")
    page.goto((site / "2027-12.html").as_uri())
    page.screenshot(path=tmp_path / "phone.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the side
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(21, 24, 28)"
    width = page.evaluate("document.querySelector('.day[data-day]').getBoundingClientRect().width")
    assert width > 300  # a day a line wide, not a seventh of the phone
    page.emulate_media(media="print", color_scheme="light")
    page.set_viewport_size({"width": 1062, "height": 733})  # A4 landscape less the margins, in CSS pixels
    assert page.locator("[data-view=week]").is_hidden() and page.locator(".controls").is_hidden()
    assert page.evaluate("document.querySelector('.grid').getBoundingClientRect().bottom") <= 733
