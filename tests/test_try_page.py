"""The try-it page in a real browser (Debian's Chromium driven by Playwright)."""
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from bot.config import Config
from tests.conftest import make_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (apt-get install chromium)")


@pytest.fixture
def page_url(sqlite_url):
    app = make_app(Config(database_url=sqlite_url, background=False))  # no LINE credentials: try page on
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    app.extensions["bot"]["processor"].stop()


@pytest.fixture
def page(page_url):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        page.goto(page_url)
        yield page
        browser.close()


def ask(page, text):
    before = page.locator(".bot").count()
    page.fill("#q", text)
    page.click("form button")
    page.wait_for_function(f"document.querySelectorAll('.bot').length > {before}")
    return page.locator(".bot").last


def test_question_shows_the_service_card(page):
    card = ask(page, "ต่อใบขับขี่ที่หมดอายุ")
    assert "จองคิวทำใบขับขี่" in card.inner_text()
    assert card.locator("a[href^='tel:']").count() == 2
    assert card.locator("a[href^='https://gecc.dlt.go.th']").count() == 1


def test_unanswerable_question_says_it_would_go_to_staff_without_sending(page):
    reply = ask(page, "ขอยืมเต็นท์ไปงานบวชลูก")
    assert "ไม่ส่งจริง" in reply.inner_text()


def test_choosing_from_a_carousel_shows_that_service(page):
    ask(page, "ภาษี")
    page.locator(".bot").last.locator("button", has_text="เรื่องนี้").nth(1).click()
    page.wait_for_function("document.querySelectorAll('.bot').length >= 2")
    assert "efiling.rd.go.th" in page.locator(".bot").last.inner_html()


def test_a_category_lists_its_services_and_a_row_opens_one(page, tmp_path):
    ask(page, "ดูบริการทั้งหมด")
    page.locator(".bot").last.locator(".quick button", has_text="แรงงาน/หางาน").click()  # the short name, whole
    page.wait_for_function("document.querySelectorAll('.bot').length >= 2")
    card = page.locator(".bot").last
    assert "ขึ้นทะเบียนคนว่างงาน" in card.inner_text()
    page.screenshot(path=str(tmp_path / "category.png"), full_page=True)
    card.locator("[role=button]", has_text="ขึ้นทะเบียนคนว่างงาน").click()
    page.wait_for_function("document.querySelectorAll('.bot').length >= 3")
    assert "ขึ้นทะเบียนคนว่างงาน" in page.locator(".bot").last.locator(".header").inner_text()
