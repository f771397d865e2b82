"""Debian's headless Chromium, driven through chromedriver, for the console's browser tests."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from mockserver import REPO_ROOT

WAIT = 15.0  # every wait for the page is bounded by this
SCREENSHOTS = Path(os.environ.get("CONSOLE_SCREENSHOTS") or REPO_ROOT / "docs" / "console")


def chromium_paths() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def start_browser(width: int = 1280, height: int = 800) -> webdriver.Chrome:
    paths = chromium_paths()
    if paths is None:
        raise AssertionError("chromium and chromedriver are needed: apt-get install chromium chromium-driver (.ci/run does)")
    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-extensions", "--disable-background-networking", f"--window-size={width},{height}",
                "--force-device-scale-factor=1", "--lang=en-GB"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(paths[1]), options=options)
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver


def wait_for(driver, condition, message: str, timeout: float = WAIT):
    """Waits until `condition(driver)` is truthy and returns it; fails with `message` and the page's text."""
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: condition(d))
    except Exception as e:  # TimeoutException, or the condition raising for good
        body = driver.find_element(By.TAG_NAME, "body").text[:3000]
        raise AssertionError(f"{message} (after {timeout}s at {driver.current_url}):\n{body}") from e


def text_of(driver, css: str) -> str:
    """The text of the first match, or "" (live pages swap their content: a stale element is read again)."""
    for _ in range(5):
        try:
            found = driver.find_elements(By.CSS_SELECTOR, css)
            return found[0].text if found else ""
        except StaleElementReferenceException:
            continue
    return ""


def screenshot(driver, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    time.sleep(0.2)  # let a toast or a progress bar finish drawing
    driver.save_screenshot(str(path))
    return path
