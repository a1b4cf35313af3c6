"""The console in a real Chromium (Debian's, driven by Playwright), at a phone's width (390 px)
and a desk's (1280 px): sign in, read the inbox, answer a villager, the editor, every page fits."""
import re
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests import consolekit as kit
from tests.conftest import blob

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (apt-get install chromium)")
PHONE, DESK = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
QUESTION = "ถนนหน้าโรงเรียนบ้านหนองม่วงมีหลุมใหญ่ รถล้มบ่อยมาก ช่วยมาซ่อมหน่อย"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    env = kit.build(f"sqlite:///{tmp / 'bot.db'}", tmp)
    env.add_user("admin1", "admin")
    villager, reply = env.ask(QUESTION)
    server = make_server("127.0.0.1", 0, env.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield env, f"http://127.0.0.1:{server.server_port}", villager
    server.shutdown()
    kit.close(env)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def signed_in(browser, url, viewport):
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(8000)
    page.goto(url + "/console")
    assert page.locator("input[name=password]").count() == 1 and "หลุมใหญ่" not in page.content()
    page.fill("input[name=username]", "admin1")
    page.fill("input[name=password]", kit.PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r".*/console/?$"))
    return page


def fits(page) -> bool:
    """Nothing sticks out sideways (a phone would have to scroll left and right)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_phone_signs_in_reads_the_inbox_and_answers(site, browser):
    env, url, villager = site
    page = signed_in(browser, url, PHONE)
    assert "หลุมใหญ่" in page.content() and fits(page)
    page.locator("a.num").first.click()
    page.wait_for_load_state()
    assert fits(page) and page.locator("textarea[name=answer]").is_visible()
    page.fill("textarea[name=answer]", "กองช่างจะเข้าไปดูพรุ่งนี้เช้าค่ะ")
    page.locator("form.answer [type=submit]").click()
    page.wait_for_load_state()
    assert env.line.wait(lambda: [p for p in env.line.pushes(villager) if "กองช่างจะเข้าไปดูพรุ่งนี้เช้าค่ะ" in blob(p)])
    assert page.locator(".msg.staff", has_text="กองช่างจะเข้าไปดูพรุ่งนี้เช้าค่ะ").count() == 1
    assert page.locator(".flash").first.is_visible()  # the group's confirmation, shown here too
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390px", "1280px"])
def test_every_page_fits_the_screen(site, browser, viewport):
    env, url, _ = site
    page = signed_in(browser, url, viewport)
    for path in ["/console/", "/console/tickets/1", "/console/stats", "/console/learning", "/console/catalogue",
                 "/console/catalogue/services/electricity-provincial", "/console/catalogue/new",
                 "/console/catalogue/office", "/console/catalogue/history", "/console/audit", "/console/users"]:
        response = page.goto(url + path)
        assert response.status == 200, path
        assert fits(page), f"{path} is wider than {viewport['width']} px"
        assert page.locator("form[action*=logout] [type=submit]").is_visible(), path
    page.goto(url + "/console/stats")
    assert page.locator("svg").count() >= 5
    page.close()


def test_the_editor_in_the_browser_saves_and_refuses_with_the_reason(site, browser):
    env, url, _ = site
    page = signed_in(browser, url, DESK)
    page.goto(url + "/console/catalogue")
    page.locator("a:has-text('ขอใช้ไฟฟ้าในเขตต่างจังหวัด')").click()
    page.wait_for_load_state()
    assert page.locator(".linecard").is_visible()  # the card preview
    keywords = page.locator("textarea[name=keywords]")
    keywords.fill(keywords.input_value() + "\nไฟฟ้าเข้าเถียงนาใหม่")
    page.locator("form:has(textarea[name=keywords]) [type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".flash.message", has_text="บันทึกแล้ว").is_visible()
    assert "ไฟฟ้าเข้าเถียงนาใหม่" in env.catalogue.read_text(encoding="utf-8")
    before = env.catalogue.read_text(encoding="utf-8")
    page.fill("input[name=url]", "ftp://pea.co.th")
    page.locator("form:has(input[name=url]) [type=submit]").click()
    page.wait_for_load_state()
    error = page.locator("label:has(input[name=url]) .err")
    assert error.is_visible() and "https://" in error.inner_text()
    assert env.catalogue.read_text(encoding="utf-8") == before
    page.close()


def test_thai_is_drawn_with_the_apps_own_font(site, browser):
    """Sarabun comes from the app (/fonts/…), not a CDN and not the device: Thai reads even where the
    machine has no Thai font (this one may not), and the page asks nothing of the internet."""
    env, url, _ = site
    page = signed_in(browser, url, DESK)
    asked = []
    page.on("request", lambda r: asked.append(r.url))
    page.goto(url + "/console/stats")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px Sarabun', 'สถิติ')")
    assert page.evaluate("[...document.fonts].some(f => f.family.includes('Sarabun') && f.status === 'loaded')")
    assert all(u.startswith(url) for u in asked)
    page.close()
