"""The console's work on both storage backends: inbox, answering (the same path as `#N answer`
in the LINE group), statistics, the monthly report, the catalogue editor and the learning inbox."""
import base64
import csv
import datetime as dt
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot import report, stats as stats_mod, texts
from bot.db import AuditEntry, CatalogueVersion, Inquiry, Ticket, TicketMessage
from tests import consolekit as kit
from tests.conftest import STAFF, blob, other_event, post_events


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    url, drop = kit.database(request, tmp, request.param)
    env = kit.build(url, tmp)
    env.add_user("somchai", "admin")
    env.add_user("malee", "admin")
    env.add_user("daeng", "staff")
    yield env
    kit.close(env)
    drop()


def _ticket_number(reply) -> int:
    return int(re.search(r"#(\d+)", blob(reply)).group(1))


def test_inbox_lists_open_tickets_newest_activity_first_and_searches(env):
    _, r1 = env.ask("ขอให้ อบต. มาซ่อมถนนลูกรังหมู่ห้าที่เป็นหลุม")
    _, r2 = env.ask("น้ำไม่ไหลมาสามวันแล้วที่ซอยวัดป่า")
    first, second = _ticket_number(r1), _ticket_number(r2)
    c = kit.sign_in(env.app, "daeng")
    html = c.get("/console").get_data(as_text=True)
    assert f"#{first}" in html and f"#{second}" in html and "ซ่อมถนนลูกรัง" in html
    assert html.index(f">#{second}<") < html.index(f">#{first}<")  # newest activity first
    assert "ป้าสมศรี" in html  # the villager's LINE name, fetched for the staff notice
    found = c.get("/console/?q=ถนนลูกรัง").get_data(as_text=True)
    assert f">#{first}<" in found and f">#{second}<" not in found
    assert f">#{second}<" in c.get(f"/console/?q=%23{second}").get_data(as_text=True)


def test_a_console_answer_travels_the_line_groups_path(env):
    villager, reply = env.ask("อยากให้มาพ่นยุงที่ศาลาหมู่บ้านหนองปลิง")
    n = _ticket_number(reply)
    c = kit.sign_in(env.app, "daeng")
    page = c.get(f"/console/tickets/{n}").get_data(as_text=True)
    assert "พ่นยุง" in page and 'name="answer"' in page and texts.ESCALATED.split("#")[0][:20] in page
    answer = "พรุ่งนี้บ่ายเจ้าหน้าที่เข้าไปพ่นให้ค่ะ\nเตรียมปิดประตูหน้าต่างด้วยนะคะ"
    r = kit.post_form(c, f"/console/tickets/{n}", f"/console/tickets/{n}/answer", {"answer": answer})
    assert r.status_code == 302
    pushed = env.line.wait(lambda: env.line.pushes(villager))
    # exactly what `#N answer` typed in the LINE group sends, with a retry key
    assert pushed[-1]["body"]["messages"] == [{"type": "text", "text": texts.STAFF_ANSWER_TO_VILLAGER.format(
        ticket=n, answer=answer)}] and pushed[-1]["retry_key"]
    confirm = texts.STAFF_ANSWER_SENT.format(ticket=n, name="ป้าสมศรี")
    assert env.line.wait(lambda: [p for p in env.line.pushes(STAFF) if confirm in blob(p)])
    page = c.get(f"/console/tickets/{n}").get_data(as_text=True)
    assert "เตรียมปิดประตูหน้าต่าง" in page and confirm in page  # in the conversation; the confirmation flashed
    with env.sf() as s:
        msg = s.scalars(select(TicketMessage).where(TicketMessage.ticket_id == n, TicketMessage.author == "staff")).one()
        assert msg.author_name == "daeng"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.target == f"#{n}")).all()
        assert [(a.username, a.action) for a in audit] == [("daeng", "answer")]


def test_take_and_close_buttons_act_like_the_group_buttons(env):
    villager, reply = env.ask("ขอเต็นท์ไปใช้งานศพที่บ้านหมู่แปด")
    n = _ticket_number(reply)
    c = kit.sign_in(env.app, "daeng")
    kit.post_form(c, f"/console/tickets/{n}", f"/console/tickets/{n}/take", {})
    assert env.line.wait(lambda: [p for p in env.line.pushes(STAFF)
                                  if texts.STAFF_TAKEN.format(staff="daeng", ticket=n) in blob(p)])
    assert "✋ daeng" in c.get("/console/?show=mine").get_data(as_text=True)
    kit.post_form(c, f"/console/tickets/{n}", f"/console/tickets/{n}/close", {})
    assert env.line.wait(lambda: [p for p in env.line.pushes(villager)
                                  if texts.VILLAGER_TICKET_CLOSED.format(ticket=n) in blob(p)])
    with env.sf() as s:
        assert s.get(Ticket, n).status == "closed"
    assert f">#{n}<" not in c.get("/console/").get_data(as_text=True)
    assert f">#{n}<" in c.get("/console/?show=closed").get_data(as_text=True)
    # a closed ticket refuses an answer the same way the group does
    r = c.post(f"/console/tickets/{n}/answer", data={"answer": "สาย", "csrf_token": kit.csrf_of(
        c.get(f"/console/tickets/{n}").get_data(as_text=True))}, follow_redirects=True)
    assert texts.STAFF_CLOSED_TICKET.format(ticket=n) in r.get_data(as_text=True)


def _seed_month(env, year: int, month: int) -> None:
    """A controlled month: 3 tickets staff answered after 10, 20 and 90 minutes, bot answers."""
    start = dt.datetime(year, month, 3, 3, 0)  # 10:00 in Bangkok
    with env.sf.begin() as s:
        for i, minutes in enumerate([10, 20, 90]):
            t = Ticket(user_id=f"Useed{i}", display_name="ผู้ทดสอบ", status="closed", topic=None,
                       candidates=["driving-licence-queue"], created_at=start + dt.timedelta(days=i),
                       updated_at=start, rating=[5, 4, 2][i])
            s.add(t)
            s.flush()
            s.add(TicketMessage(ticket_id=t.id, author="villager", text="คำถาม", created_at=t.created_at))
            s.add(TicketMessage(ticket_id=t.id, author="staff", author_name="daeng", text="คำตอบ",
                                created_at=t.created_at + dt.timedelta(minutes=minutes)))
        for i in range(4):
            s.add(Inquiry(user_id=f"Ubot{i % 2}", text="เช็คบัตรคนจน", outcome="answer", service_id="social-welfare-check",
                          created_at=start + dt.timedelta(hours=i), helpful=[True, True, False, None][i]))
        s.add(Inquiry(user_id="Ux", text="x", outcome="escalate", created_at=start))


def test_stats_count_the_period_with_response_time_median_and_p90(env):
    _seed_month(env, 2025, 3)
    cat = env.store.current.catalogue
    with env.sf() as s:
        st = stats_mod.compute(s, cat, stats_mod.Period.month(2025, 3, stats_mod.office_tz(cat)))
    assert st.first_response == [10.0, 20.0, 90.0]
    assert st.response_median == 20.0 and st.response_p90 == pytest.approx(76.0)
    assert st.outcomes == {"answer": 4, "choose": 0, "intent": 0, "escalate": 1, "emergency": 0}
    assert st.per_service == [("ตรวจสอบสิทธิ์สวัสดิการสังคม", 4)]
    assert dict(st.per_day)[dt.date(2025, 3, 3)] == {"answer": 4, "escalate": 1}
    assert st.ratings == {5: 1, 4: 1, 2: 1} and st.helpful == {True: 2, False: 1}
    c = kit.sign_in(env.app, "daeng")
    html = c.get("/console/stats?from=2025-03-01&to=2025-03-31").get_data(as_text=True)
    assert html.count("<svg") >= 5
    assert "20 นาที" in html and "ตรวจสอบสิทธิ์สวัสดิการสังคม" in html
    assert "3.67" in html  # average rating beside its chart


def test_monthly_report_download_and_command(env, tmp_path, monkeypatch):
    _seed_month(env, 2025, 4)
    c = kit.sign_in(env.app, "daeng")
    r = c.get("/console/report?month=2025-04&format=csv")
    assert r.status_code == 200 and r.data.startswith(b"\xef\xbb\xbf")
    assert "oss-report-2025-04.csv" in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert "องค์การบริหารส่วนตำบลบ่อทอง" in rows[0][0] and "เมษายน พ.ศ. 2568" in rows[1][0]
    assert rows[2] == report.COLUMNS
    by_label = {row[1]: row for row in rows[3:]}
    licence = by_label["จองคิวทำใบขับขี่"]
    assert licence[0] == "งานบริการเพื่อประชาชน" and licence[4] == "3" and licence[5] == "20.0"
    assert licence[6] == "3" and licence[7] == "3.67"
    assert by_label["ตรวจสอบสิทธิ์สวัสดิการสังคม"][2:4] == ["2", "4"]  # 2 villagers, 4 answers
    total = by_label["รวมทั้งหมด"]
    assert total[2:5] == ["5", "4", "3"] and total[8:10] == ["2", "1"]

    x = c.get("/console/report?month=2025-04&format=xlsx")
    ws = load_workbook(io.BytesIO(x.data)).active
    assert "เมษายน" in ws["A2"].value and ws["B3"].value == report.COLUMNS[1]
    assert any(row[1] == "รวมทั้งหมด" and row[2] == 5 for row in ws.iter_rows(values_only=True))

    # the command reads the same database and catalogue as the server
    from bot.__main__ import main
    monkeypatch.setenv("DATABASE_URL", str(env.sf.kw["bind"].url.render_as_string(hide_password=False)))
    monkeypatch.setenv("CATALOGUE_PATH", str(env.catalogue))
    out = tmp_path / "april.xlsx"
    assert main(["report", "--month", "2025-04", "--out", str(out)]) == 0
    assert load_workbook(out).active["A1"].value.startswith("รายงานสถิติการให้บริการ")
    assert main(["report", "--month", "2025-13", "--out", str(tmp_path / "x.csv")]) == 2


def _service_form(c, service_id):
    html = c.get(f"/console/catalogue/services/{service_id}").get_data(as_text=True)
    fields = {}
    for name in ["name", "agency", "url"]:
        fields[name] = re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
    for name in ["steps", "phones", "keywords", "examples", "not_this", "doubt_words", "not_doubt"]:
        fields[name] = re.search(rf'name="{name}"[^>]*>([^<]*)</textarea>', html).group(1)
    fields["category"] = re.search(r'<option value="(\w+)" selected', html).group(1)
    fields["base"] = re.search(r'name="base" value="([^"]*)"', html).group(1)
    fields["csrf_token"] = kit.csrf_of(html)
    import html as h
    return {k: h.unescape(v) for k, v in fields.items()}


def test_editor_saves_a_valid_edit_and_the_bot_answers_with_it(env):
    c = kit.sign_in(env.app, "somchai")
    form = _service_form(c, "tree-seedlings")
    form["keywords"] += "\nต้นไม้แจกฟรีหน้าฝนปีนี้"
    r = c.post("/console/catalogue/services/tree-seedlings", data=form)
    assert r.status_code == 302
    saved = json.loads(env.catalogue.read_text(encoding="utf-8"))
    assert "ต้นไม้แจกฟรีหน้าฝนปีนี้" in next(s for s in saved["services"] if s["id"] == "tree-seedlings")["keywords"]
    _, reply = env.ask("ต้นไม้แจกฟรีหน้าฝนปีนี้")
    assert "ขอรับกล้าไม้ออนไลน์" in blob(reply)
    page = c.get("/console/catalogue/services/tree-seedlings").get_data(as_text=True)
    assert texts.CONSOLE_SAVED in page and "linecard" in page  # and the card preview
    with env.sf() as s:
        versions = s.scalars(select(CatalogueVersion).order_by(CatalogueVersion.id)).all()
        assert versions[0].saved_by == "(ไฟล์เดิม)" and versions[-1].saved_by == "somchai"
        assert json.loads(versions[-1].content) == saved


def test_an_admin_adds_a_doubt_word_and_the_bot_asks_staff_instead_of_answering(env):
    c = kit.sign_in(env.app, "somchai")
    def tickets() -> int:
        with env.sf() as s:
            return s.scalar(select(func.count()).select_from(Ticket))

    before = tickets()
    env.ask("กล้าไม้ที่ได้มาใบเหลืองหมดเลย")
    assert tickets() == before  # answered with the seedlings card
    form = _service_form(c, "tree-seedlings")
    assert "ตาย" in form["doubt_words"].split("\n")  # the entry's own doubt words are shown
    form["doubt_words"] += "\nใบเหลือง"
    assert c.post("/console/catalogue/services/tree-seedlings", data=form).status_code == 302
    saved = json.loads(env.catalogue.read_text(encoding="utf-8"))
    entry = next(s for s in saved["services"] if s["id"] == "tree-seedlings")
    assert "ใบเหลือง" in entry["doubt_words"] and "not_doubt" not in entry  # empty lists stay out
    env.ask("กล้าไม้ที่ได้มาใบเหลืองหมดเลย")
    assert tickets() == before + 1  # now staff are asked (the card still shown meanwhile)


def test_editor_refuses_an_invalid_edit_with_the_reason_beside_the_field(env):
    c = kit.sign_in(env.app, "somchai")
    before = env.catalogue.read_text(encoding="utf-8")
    form = _service_form(c, "driving-licence-queue")
    form.update(url="javascript:alert(1)", phones=form["phones"] + "\n12")
    r = c.post("/console/catalogue/services/driving-licence-queue", data=form)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and env.catalogue.read_text(encoding="utf-8") == before
    url_field = html[html.index('name="url"'):html.index('name="keywords"')]
    assert "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https://" in url_field
    assert "เบอร์ไม่ใช่เบอร์ไทย: 12" in html[html.index('name="phones"'):html.index('name="url"')]
    assert 'value="javascript:alert(1)"' in html  # the admin's input is kept to fix
    form = _service_form(c, "driving-licence-queue")
    form["name"] = ""  # the browser asks for it first; the server checks anyway, in Thai
    html = c.post("/console/catalogue/services/driving-licence-queue", data=form).get_data(as_text=True)
    assert "ต้องไม่เว้นว่าง" in html[html.index('name="name"'):html.index('name="agency"')]
    # a keyword another service owns is refused too, naming it
    form = _service_form(c, "social-welfare-check")
    form["keywords"] += "\nใบขับขี่"
    html = c.post("/console/catalogue/services/social-welfare-check", data=form).get_data(as_text=True)
    assert "driving-licence-queue" in html and env.catalogue.read_text(encoding="utf-8") == before


def test_two_admins_editing_at_once_cannot_overwrite_each_other(env):
    a, b = kit.sign_in(env.app, "somchai"), kit.sign_in(env.app, "malee")
    form_a, form_b = _service_form(a, "surname-check"), _service_form(b, "surname-check")
    other = _service_form(b, "land-parcel-search")  # another service, opened at the same time
    form_a["keywords"] += "\nเช็คนามสกุลซ้ำไหมของสมชาย"
    assert a.post("/console/catalogue/services/surname-check", data=form_a).status_code == 302
    form_b["keywords"] += "\nเช็คนามสกุลซ้ำไหมของมาลี"
    r = b.post("/console/catalogue/services/surname-check", data=form_b)
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "somchai" in html and "เช็คนามสกุลซ้ำไหมของมาลี" in html
    keywords = next(s for s in json.loads(env.catalogue.read_text(encoding="utf-8"))["services"]
                    if s["id"] == "surname-check")["keywords"]
    assert "เช็คนามสกุลซ้ำไหมของสมชาย" in keywords and "เช็คนามสกุลซ้ำไหมของมาลี" not in keywords
    # an edit of a different service made meanwhile is not a conflict, and keeps A's edit
    other["keywords"] += "\nดูรูปแปลงที่ดินของมาลี"
    assert b.post("/console/catalogue/services/land-parcel-search", data=other).status_code == 302
    services = {s["id"]: s for s in json.loads(env.catalogue.read_text(encoding="utf-8"))["services"]}
    assert "เช็คนามสกุลซ้ำไหมของสมชาย" in services["surname-check"]["keywords"]
    assert "ดูรูปแปลงที่ดินของมาลี" in services["land-parcel-search"]["keywords"]


def test_history_restores_a_previous_version_in_one_click(env):
    c = kit.sign_in(env.app, "somchai")
    form = _service_form(c, "legal-case-status")
    form["keywords"] += "\nคดีความของลุงมีถึงไหนแล้ว"
    assert c.post("/console/catalogue/services/legal-case-status", data=form).status_code == 302
    with env.sf() as s:
        newest = s.scalars(select(CatalogueVersion).order_by(CatalogueVersion.id.desc())).first()
        previous = s.scalars(select(CatalogueVersion).where(CatalogueVersion.id < newest.id)
                             .order_by(CatalogueVersion.id.desc())).first()
    html = c.get("/console/catalogue/history").get_data(as_text=True)
    assert "somchai" in html and f"/console/catalogue/history/{previous.id}/restore" in html
    r = kit.post_form(c, "/console/catalogue/history", f"/console/catalogue/history/{previous.id}/restore", {})
    assert r.status_code == 302
    assert json.loads(env.catalogue.read_text(encoding="utf-8")) == json.loads(previous.content)
    assert "คดีความของลุงมีถึงไหนแล้ว" not in env.catalogue.read_text(encoding="utf-8")
    with env.sf() as s:
        assert s.scalars(select(AuditEntry.action).where(AuditEntry.username == "somchai")
                         .order_by(AuditEntry.id.desc())).first() == "catalogue_restore"


def test_adding_a_service_and_editing_office_hours(env):
    c = kit.sign_in(env.app, "somchai")
    assert 'href="/console/catalogue/new"' in c.get("/console/catalogue").get_data(as_text=True)
    new = {"id": "elderly-allowance-online", "name": "ลงทะเบียนเบี้ยยังชีพผู้สูงอายุออนไลน์ทดสอบ",
           "agency": "กรมกิจการผู้สูงอายุ", "category": "citizen", "steps": "เตรียมบัตรประชาชน\nยื่นที่ อบต.",
           "phones": "02-642-4336", "url": "https://www.dop.go.th/", "keywords": "เบี้ยคนแก่ลงทะเบียนออนไลน์ทดสอบ",
           "examples": "", "not_this": ""}
    assert kit.post_form(c, "/console/catalogue/new", "/console/catalogue/new", new).status_code == 302
    assert "elderly-allowance-online" in env.catalogue.read_text(encoding="utf-8")
    r = kit.post_form(c, "/console/catalogue/new", "/console/catalogue/new", new)  # the same id again
    assert r.status_code == 422 and "id ซ้ำ" in r.get_data(as_text=True)

    page = c.get("/console/catalogue/office").get_data(as_text=True)
    base, token = re.search(r'name="base" value="([^"]*)"', page).group(1), kit.csrf_of(page)
    holidays = re.search(r'name="holidays"[^>]*>([^<]*)</textarea>', page).group(1)
    form = {"csrf_token": token, "base": base, "phone": "036-795644", "hours_text": "จันทร์–ศุกร์ 08:30–16:30 น.",
            "weekdays": ["0", "1", "2", "3", "4"], "open": "08:30", "close": "16:30",
            "holidays": holidays + "\n2027-13-45 วันผิด"}
    r = c.post("/console/catalogue/office", data=form)
    assert r.status_code == 422 and "2027-13-45" in r.get_data(as_text=True)
    form["holidays"] = holidays + "\n2027-06-15 วันหยุดพิเศษของตำบล"
    assert c.post("/console/catalogue/office", data=form).status_code == 302
    office = json.loads(env.catalogue.read_text(encoding="utf-8"))["office"]
    assert {"date": "2027-06-15", "name": "วันหยุดพิเศษของตำบล"} in office["holidays"]


def test_learning_inbox_adds_a_phrase_through_the_editor_validation(env):
    question = "ลุงอยากได้กล้าตะแบกไปปลูกหัวไร่ปลายนา"
    _, reply = env.ask(question)
    assert "#" in blob(reply)  # not understood: it went to staff
    c = kit.sign_in(env.app, "somchai")
    html = c.get("/console/learning").get_data(as_text=True)
    assert question in html and 'action="/console/learning/add"' in html
    r = kit.post_form(c, "/console/learning", "/console/learning/add",
                      {"service": "tree-seedlings", "kind": "keywords", "text": "กล้าตะแบก"})
    assert r.status_code == 302
    assert "กล้าตะแบก" in next(s for s in json.loads(env.catalogue.read_text(encoding="utf-8"))["services"]
                                   if s["id"] == "tree-seedlings")["keywords"]
    _, reply = env.ask(question)
    assert "ขอรับกล้าไม้ออนไลน์" in blob(reply)  # learned
    # a phrase another service owns is refused, with the reason, and nothing is written
    before = env.catalogue.read_text(encoding="utf-8")
    r = kit.post_form(c, "/console/learning", "/console/learning/add",
                      {"service": "social-welfare-check", "kind": "keywords", "text": "ใบขับขี่"})
    assert "driving-licence-queue" in c.get(r.headers["Location"]).get_data(as_text=True)
    assert env.catalogue.read_text(encoding="utf-8") == before
    staff = kit.sign_in(env.app, "daeng")
    assert 'action="/console/learning/add"' not in staff.get("/console/learning").get_data(as_text=True)


def test_a_not_this_answer_reaches_the_learning_inbox_and_becomes_a_not_this_phrase(env):
    question = "ต่อใบขับขี่ให้รถไถเดินตามได้ไหม"
    villager, reply = env.ask(question)
    assert "gecc.dlt.go.th" in blob(reply)
    with env.sf() as s:
        inquiry = s.scalars(select(Inquiry).where(Inquiry.user_id == villager)).one()
    no = other_event("postback", user=villager, postback={"data": f"action=helpful&inquiry={inquiry.id}&answer=no"})
    post_events(env.app.test_client(), [no])
    env.line.wait(lambda: env.line.replies(no["replyToken"]))
    c = kit.sign_in(env.app, "somchai")
    html = c.get("/console/learning").get_data(as_text=True)
    item = html[html.index(question):]
    item = item[:item.index("</li>")]
    assert "ชาวบ้านบอกว่าไม่ใช่" in item and '<option value="not_this" selected' in item
    assert '<option value="driving-licence-queue" selected' in item
    r = kit.post_form(c, "/console/learning", "/console/learning/add",
                      {"service": "driving-licence-queue", "kind": "not_this", "text": "รถไถเดินตาม"})
    assert r.status_code == 302
    saved = next(s for s in json.loads(env.catalogue.read_text(encoding="utf-8"))["services"]
                 if s["id"] == "driving-licence-queue")
    assert "รถไถเดินตาม" in saved["not_this"]


PNG_1PX = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def test_a_ticket_page_shows_the_photos_and_places_the_villager_sent(env):
    villager, reply = env.ask("ท่อประปาหมู่บ้านแตกหน้าบ้านน้ำไหลนองถนน")
    n = _ticket_number(reply)
    env.line.contents["881001"] = ("image/png", PNG_1PX)
    for message in [{"type": "image", "id": "881001", "quoteToken": "q881", "contentProvider": {"type": "line"}},
                    {"type": "location", "id": "881002", "title": "หน้าวัดบ่อทอง", "address": "หมู่ 3",
                     "latitude": 14.912345, "longitude": 100.845678}]:
        ev = other_event("message", user=villager, message=message)
        post_events(env.app.test_client(), [ev])
        env.line.wait(lambda: env.line.replies(ev["replyToken"]))
    c = kit.sign_in(env.app, "daeng")
    page = env.line.wait(lambda: (lambda html: html if "<img" in html else None)(
        c.get(f"/console/tickets/{n}").get_data(as_text=True)))
    assert page, "the photo never showed on the ticket's page"
    img = re.search(r'<img src="http://localhost(/media/[^"]+)"', page).group(1)
    assert c.get(img).data == PNG_1PX  # the signed link opens the photo
    assert "https://www.google.com/maps?q=14.912345,100.845678" in page
    assert env.app.test_client().get(img[:-3] + "xyz").status_code == 403  # a tampered link opens nothing
