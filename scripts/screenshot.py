"""Takes README's screenshot: signs in as the admin demo user and captures a page (headless Chromium).

Usage: python scripts/screenshot.py [PATH] [OUTPUT.png]   (the app must be running on $BASE_URL or :8050)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.common.by import By


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "/"
    output = sys.argv[2] if len(sys.argv) > 2 else "docs/screenshot-overview.png"
    base = os.environ.get("BASE_URL", "http://127.0.0.1:8050")
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--window-size=1280,{os.environ.get('HEIGHT', '900')}",
        f"--user-data-dir={tempfile.mkdtemp()}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options)
    try:
        driver.get(base + "/login")
        driver.find_element(By.ID, "username").send_keys(os.environ.get("DEMO_USER", "admin"))
        driver.find_element(By.ID, "password").send_keys(os.environ.get("DEMO_PASSWORD", "admin-demo-2026"))
        driver.find_element(By.ID, "sign-in").click()
        time.sleep(2)
        driver.get(base + path)
        time.sleep(4)
        driver.save_screenshot(output)
        print(f"saved {output}")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
