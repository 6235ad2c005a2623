"""A seller's first session, in a real browser: log in, create goods, upload codes, check coverage."""
import os
import shutil
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as expected
from selenium.webdriver.support.ui import WebDriverWait

from conftest import FIXTURES, SELLER, screenshot


def batch_folder():
    """The files a seller would pick: good images named by amount, a ZIP, and two that must fail."""
    folder = tempfile.mkdtemp(prefix="qrstore-batch-")
    for name, fixture in [
        ("wechat_0.99.png", "png_gray8.png"), ("alipay_1.00.jpg", "jpeg_baseline.jpg"),
        ("batch.zip", "batch.zip"), ("wechat_0.97.png", "no_qr.png"), ("wechat_0.96.gif", "not_supported.gif"),
    ]:
        shutil.copy(os.path.join(FIXTURES, fixture), os.path.join(folder, name))
    return folder


def test_seller_first_session(server, browser):
    url = server["url"]
    wait = WebDriverWait(browser, 20)

    # Seller pages send a stranger to the login page.
    browser.get(url + "/admin/goods")
    assert "/admin/login" in browser.current_url
    browser.find_element(By.NAME, "username").send_keys(SELLER[0])
    browser.find_element(By.NAME, "password").send_keys(SELLER[1])
    screenshot(browser, "1-login")
    browser.find_element(By.CSS_SELECTOR, "form button").click()
    wait.until(expected.url_contains("/admin/goods"))

    # New goods, with a name that must be shown as text.
    browser.get(url + "/admin/goods/new")
    browser.find_element(By.NAME, "name").send_keys("Pro e-book <b>2026</b>")
    browser.find_element(By.NAME, "price").send_keys("1.00")
    browser.find_element(By.NAME, "description").send_keys("Three hundred pages.\nPDF and EPUB.")
    browser.find_element(By.NAME, "delivery").send_keys("https://example.com/download/abc")
    browser.find_element(By.CSS_SELECTOR, "main form button").click()
    wait.until(expected.url_contains("saved=1"))
    assert "Saved." in browser.page_source
    link = browser.find_element(By.CSS_SELECTOR, "p.share a").get_attribute("href")
    assert "/goods/" in link and len(link.rsplit("/", 1)[1]) == 21
    screenshot(browser, "2-goods-saved")

    # A batch upload: every file gets its row.
    browser.get(url + "/admin/codes/upload")
    folder = batch_folder()
    files = [os.path.join(folder, name) for name in sorted(os.listdir(folder))]
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys("\n".join(files))
    browser.find_element(By.CSS_SELECTOR, "#upload button").click()
    wait.until(expected.presence_of_element_located((By.CSS_SELECTOR, "#results table")))
    statuses = [row.get_attribute("class") for row in browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")]
    # In name order: alipay_1.00.jpg; batch.zip's wechat_0.99.png, alipay-1.00.jpg (the same code as the
    # first file) and 0.98.png; wechat_0.96.gif; wechat_0.97.png (no code); wechat_0.99.png (as in the ZIP).
    assert statuses == ["imported", "imported", "duplicate", "imported", "rejected", "rejected", "duplicate"], statuses
    results = browser.find_element(By.ID, "results").text
    assert "No QR code was found" in results and "Not a PNG or JPEG image" in results
    thumbnails = browser.find_elements(By.CSS_SELECTOR, "#results img.thumb")
    assert thumbnails and all(browser.execute_script("return arguments[0].naturalWidth", img) > 0 for img in thumbnails)
    screenshot(browser, "3-upload-results")

    # The coverage grid: 1.00 down to 0.90, gaps marked.
    browser.get(url + "/admin/coverage")
    cells = browser.find_elements(By.CSS_SELECTOR, "table.grid tbody tr")
    assert len(cells) == 11
    assert len(browser.find_elements(By.CSS_SELECTOR, "td.gap")) == 22 - 3
    screenshot(browser, "4-coverage")

    # The buyer's view of the goods.
    browser.get(url + "/")
    card = browser.find_element(By.CSS_SELECTOR, ".goods-grid a")
    assert card.text == "Pro e-book <b>2026</b>"
    card.click()
    assert browser.find_element(By.CSS_SELECTOR, ".price.big").text == "¥ 1.00"
    assert "download/abc" not in browser.page_source
    screenshot(browser, "5-product")


def test_old_hash_links_reach_the_new_pages(server, browser):
    browser.get(server["url"] + "/#/goods/AAAAAAAAAAAAAAAAAAAAA")
    WebDriverWait(browser, 10).until(lambda driver: "/goods/AAAAAAAAAAAAAAAAAAAAA" in driver.current_url)
    assert "not for sale" in browser.page_source
