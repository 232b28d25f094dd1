"""Headless Chromium: each demo role signs in, sees the shell and every page, and signs out."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.helpers.browser import sign_in

pytestmark = pytest.mark.browser

NAV_LABELS = [
    "Overview",
    "Milestones",
    "Actions",
    "Savings",
    "KPIs",
    "Transition",
    "Benchmarking",
    "Audit",
    "Board pack",
]


@pytest.mark.parametrize(
    ("username", "shown_as"),
    [
        ("admin", "Programme office administrator · Administrator"),
        ("cj.lead", "Customer Journey work-stream lead · Project lead"),
        ("cabinet.member", "Cabinet Member for Health and Social Care · Viewer"),
    ],
)
def test_each_role_signs_in_and_sees_the_shell(dash_duo, app, username, shown_as):
    dash_duo.start_server(app, navigate=False)
    # Anonymous visitors land on the sign-in form, not the dashboard.
    dash_duo.driver.get(dash_duo.server.url.rstrip("/") + "/milestones")
    dash_duo.wait_for_element("#sign-in")
    assert "/login" in dash_duo.driver.current_url

    sign_in(dash_duo, username)
    dash_duo.wait_for_text_to_equal("h1", "Programme overview")
    navbar_text = dash_duo.find_element(".app-navbar").text
    assert shown_as in navbar_text.replace("\n", " ")
    links = [link.text for link in dash_duo.driver.find_elements(By.CSS_SELECTOR, ".app-nav-link")]
    assert links == NAV_LABELS + (["Admin"] if username == "admin" else [])
    if username == "admin":
        # Every page is found from the navbar: the programme office's pages under its Admin menu.
        dash_duo.find_element("#nav-admin").click()
        admin_pages = dash_duo.driver.find_elements(By.CSS_SELECTOR, ".app-admin-link")
        assert [(link.text, link.get_attribute("href").rsplit("/", 1)[-1]) for link in admin_pages] == [
            ("Import spreadsheets", "import"),
            ("Users", "users"),
        ]
        admin_pages[0].click()
        dash_duo.wait_for_text_to_equal("h1", "Import")
        dash_duo.find_element("a.app-nav-link[href='/']").click()
        dash_duo.wait_for_text_to_equal("h1", "Programme overview")

    # The database summary is on the page about the data, linked from every page's footer, not on the
    # overview; it comes from the seeded database through a guarded callback.
    assert not dash_duo.driver.find_elements(By.ID, "data-summary-table")
    dash_duo.wait_for_element("#ov-owed ul, #ov-owed p")  # the overview has drawn: the footer stays put
    footer_link = dash_duo.find_element("#footer-about")
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", footer_link
    )
    footer_link.click()
    dash_duo.wait_for_text_to_equal("h1", "About the data")
    assert "Customer Journey cabinet report, 9 Oct 2018" in dash_duo.find_element("#about-sources").text
    dash_duo.wait_for_element("#data-summary-table")
    assert "KPI values" in dash_duo.find_element("#data-summary-table").text

    # The navbar moves between pages without a reload.
    dash_duo.find_element("a.app-nav-link[href='/audit']").click()
    dash_duo.wait_for_text_to_equal("h1", "Audit trail")
    dash_duo.wait_for_contains_text("#audit-count", "shown, newest first")

    # Dash's Babel polyfill is replaced by the regenerator runtime alone, loaded first; the charts and
    # grids above were loaded lazily through it, and the console shows no error (checked below).
    scripts = [
        script.get_attribute("src") or ""
        for script in dash_duo.driver.find_elements(By.CSS_SELECTOR, "footer script[src]")
    ]
    assert "/assets/vendor/regenerator-runtime-0.14.1.js" in scripts[0]
    assert not any("polyfill" in src for src in scripts)
    assert dash_duo.driver.execute_script("return typeof regeneratorRuntime.mark") == "function"

    assert dash_duo.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert dash_duo.driver.find_elements(By.CSS_SELECTOR, "main#main")
    assert dash_duo.get_logs() == []

    dash_duo.find_element("#sign-out").click()
    dash_duo.wait_for_element("#sign-in")
    assert "You have signed out" in dash_duo.driver.page_source
