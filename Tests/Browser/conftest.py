"""Fixtures for the browser tests: a real qrstore server and a real headless Chromium."""
import os
import re
import shutil
import signal
import subprocess
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(REPOSITORY, "Tests", "Fixtures", "images")
OUTPUT = os.path.join(REPOSITORY, "test-output", "browser")
SELLER = ("admin", "browser test password")
LISTENER_SECRET = "browser-test-listener-secret-000"
PHONE_AGENT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
               "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")


def start_server(extra_environment=None, workdir=None, port=0):
    """`qrstore serve` on `port` (a free one by default), with a fresh database (or the one in
    `workdir`, for a restart) and the first seller from the environment; returns the process, its
    URL and its folder."""
    binary = os.environ.get("QRSTORE_BINARY", os.path.join(REPOSITORY, ".build", "debug", "qrstore"))
    workdir = workdir or tempfile.mkdtemp(prefix="qrstore-browser-")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QRSTORE_")}
    environment["QRSTORE_ADMIN_PASSWORD"] = SELLER[1]
    environment["QRSTORE_ADMIN_API_TOKEN"] = "browser-test-api-token"
    environment["QRSTORE_LISTENER_SECRET"] = LISTENER_SECRET
    environment.update(extra_environment or {})
    process = subprocess.Popen(
        [binary, "serve", "--http-port", str(port),
         "--templates-path", os.path.join(REPOSITORY, "Templates"),
         "--static-path", os.path.join(REPOSITORY, "Static"),
         "--strings-path", os.path.join(REPOSITORY, "Config", "strings")],
        cwd=workdir, env=environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = None
    for line in process.stdout:
        match = re.search(r"running at (http://\S+)", line)
        if match:
            url = match.group(1)
            break
    assert url, "the server did not start"
    return process, url, workdir


def stop_server(process, workdir):
    process.send_signal(signal.SIGINT)
    process.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def server():
    """A server of its own for each test file, so that files do not see each other's data."""
    process, url, workdir = start_server()
    yield {"url": url, "workdir": workdir}
    stop_server(process, workdir)


def chromium(*arguments, language=None):
    """Headless Chromium through Debian's chromium-driver, asking for `language` when given."""
    os.makedirs(OUTPUT, exist_ok=True)
    options = webdriver.ChromeOptions()
    if language:
        options.add_argument(f"--lang={language}")
        options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", *arguments):
        options.add_argument(argument)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.implicitly_wait(5)
    return driver


@pytest.fixture(scope="session")
def browser():
    """A laptop-sized window; screenshots go to test-output/browser."""
    driver = chromium("--window-size=1280,900")
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def phone_zh():
    """A phone-sized window of a Chinese phone: it asks for zh-CN."""
    driver = chromium("--window-size=390,844", f"--user-agent={PHONE_AGENT}", language="zh-CN")
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def phone():
    """A phone-sized window with a phone's user agent."""
    driver = chromium("--window-size=390,844", f"--user-agent={PHONE_AGENT}")
    yield driver
    driver.quit()


def screenshot(driver, name):
    """Saves the whole page, however long, as test-output/browser/NAME.png."""
    width = driver.get_window_size()["width"]
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, max(844 if width < 500 else 900, height + 40))
    driver.save_screenshot(os.path.join(OUTPUT, f"{name}.png"))


def log_in(driver, url, page):
    """Opens the seller's PAGE, logs in on the login page it leads to, and waits until PAGE is shown."""
    driver.get(url + page)
    if "/admin/login" in driver.current_url:
        driver.find_element(By.NAME, "username").send_keys(SELLER[0])
        driver.find_element(By.NAME, "password").send_keys(SELLER[1])
        driver.find_element(By.CSS_SELECTOR, "form button").click()
    WebDriverWait(driver, 10).until(lambda d: "/admin/login" not in d.current_url and page in d.current_url)
