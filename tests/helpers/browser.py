"""Driving the app in headless Chromium (dash[testing]'s dash_duo): signing in through the form."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.helpers import DEMO_PASSWORDS


def sign_in(dash_duo, username: str, path: str | None = None, *, password: str | None = None) -> str:
    """Sign in through the form as a demo user; returns the server's base URL.

    With `path` the form sends the user on to it (the test waits for that page); without, this waits
    for the overview, where signing in lands.
    """
    base = dash_duo.server.url.rstrip("/")
    dash_duo.driver.get(f"{base}/login?next={path}" if path else f"{base}/login")
    dash_duo.wait_for_element("#username").send_keys(username)
    dash_duo.find_element("#password").send_keys(password or DEMO_PASSWORDS[username])
    dash_duo.find_element("#sign-in").click()
    if not path:
        dash_duo.wait_for_text_to_equal("h1", "Programme overview")
    return base


def set_date(dash_duo, element_id: str, iso_date: str) -> None:
    """Fill a date input as the browser's date picker would (its typed format depends on the OS locale)."""
    dash_duo.driver.execute_script(
        "var input = document.getElementById(arguments[0]);"
        "var setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;"
        "setter.call(input, arguments[1]);"
        "input.dispatchEvent(new Event('input', {bubbles: true}));"
        "input.dispatchEvent(new Event('change', {bubbles: true}));",
        element_id,
        iso_date,
    )


def sign_out(dash_duo) -> None:
    """Sign out as a person would from GET /logout: press its Sign out button (when signed in)."""
    dash_duo.driver.get(dash_duo.server.url.rstrip("/") + "/logout")
    dash_duo.wait_for_element("#sign-in, #sign-out-confirm")
    buttons = dash_duo.driver.find_elements(By.CSS_SELECTOR, "#sign-out-confirm")
    if buttons:
        buttons[0].click()
        dash_duo.wait_for_element("#sign-in")


def scroll_to(dash_duo, element_id: str) -> None:
    """Scroll the page until the element is on screen, as a reader scrolling down would (a section
    drawn when near the screen is read only then)."""
    element = dash_duo.wait_for_element(f"#{element_id}")
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'start', behavior: 'instant'});", element
    )
