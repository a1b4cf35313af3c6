"""Someone in danger gets the right national hotline in the first message, day or night, and the
office hears of it at once; look-alikes (an extinguisher to refill, a new electricity meter, a
rescue-volunteer form, last year's flood relief) are answered as what they are."""
import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.catalogue import EMERGENCY_TOPIC, Catalogue, validate
from bot.config import ROOT
from bot.db import Ticket
from intents import load_lexicon
from tests.conftest import STAFF, blob, post_events, shared_store, text_event

DATA = Path(__file__).with_name("data")
HOTLINE = {"fire-rescue": "199", "medical": "1669", "police": "191", "electricity": "1129", "disaster": "1784"}

# Our own phrasings, one block per kind (not the acceptance harness's, nor the blind sets').
DANGERS = {
    "199": ["ไฟไหม้ห้องนอนชั้นบน ควันเต็มบ้านแล้ว", "ไฟลามจากกองขยะมาติดรั้วบ้าน", "กลิ่นแก๊สรั่วแรงมากในห้องครัว",
            "งูจงอางเลื้อยเข้ามาในห้องนั่งเล่น", "มีงูตัวใหญ่อยู่ใต้เตียงลูก", "ลูกหมาตกบ่อน้ำลึก ติดอยู่ข้างล่าง",
            "fai mai ban yai"],
    "1669": ["ยายล้มในห้องน้ำ หมดสติ เรียกไม่ตื่น", "พ่อแน่นหน้าอก เหงื่อแตก หายใจไม่ออก",
             "มอไซค์ชนกันที่สี่แยก มีคนเจ็บนอนอยู่", "ลุงถูกงูกัดที่ขา บวมขึ้นเรื่อยๆ",
             "หลานดื่มยาฆ่าหญ้าเข้าไป", "น้องชักเกร็ง ไข้สูงมาก", "คนงานตกจากหลังคา ขาหัก"],
    "191": ["มีผู้ชายถือมีดไล่ฟันคนในงานบวช", "ได้ยินเสียงโจรงัดประตูหลังบ้านตอนนี้", "ผัวเมาอาละวาด ทุบตีแม่",
            "วัยรุ่นยกพวกตีกันหน้าร้านเหล้า", "มีคนขู่ฆ่าทางโทรศัพท์ทุกคืน"],
    "1129": ["เสาไฟฟ้าหักพาดถนนหน้าโรงเรียน", "สายไฟขาดห้อยลงมาถึงพื้น มีประกายไฟ", "หม้อแปลงระเบิดเสียงดังมาก",
             "saifai kad yu na ban"],
    "1784": ["น้ำป่าไหลหลากเข้าหมู่บ้าน คนแก่ออกไม่ได้", "ดินถล่มทับบ้านสองหลัง", "พายุพัดหลังคาปลิว มีคนติดอยู่",
             "น้ำท่วมถึงเอวแล้ว ยายติดอยู่ในบ้าน"],
}
LOOKALIKES = [  # (message, what it is instead: a service id, or None for staff / small talk)
    ("ถังดับเพลิงที่ร้านหมดอายุ เอาไปเติมได้ที่ไหน", None),
    ("ซื้อถังดับเพลิงติดบ้าน ร้านไหนดี", None),
    ("อบต.จะจัดซ้อมหนีไฟเมื่อไหร่", None),
    ("อยากขอติดตั้งไฟฟ้าบ้านใหม่ที่สร้างเสร็จ", "electricity-provincial"),
    ("ขอไฟใหม่ให้บ้านลูกสาว ทำยังไง", "electricity-provincial"),
    ("อยากสมัครเป็นอาสาสมัครกู้ภัยของตำบล", None),
    ("เบอร์กู้ภัยมีไหม จะจดไว้ติดตู้เย็น", None),
    ("เงินช่วยเหลือน้ำท่วมปีกลายยังไม่ได้เลย", None),
    ("ปีที่แล้วบ้านไฟไหม้ ขอเงินเยียวยาได้ไหม", None),
    ("ขอกระสอบทรายไว้เตรียมหน้าน้ำ", None),
    ("อบต. มีอบรมจับงูให้ชาวบ้านไหม", None),
    ("เจองูลอกคราบในสวนยาง", None),
    ("ขอรถพยาบาลไปส่งแม่หาหมอตามนัดวันศุกร์", None),
    ("ตำรวจนัดไปให้ปากคำเรื่องรถชนปีที่แล้ว", None),
    ("ขอใบอนุญาตพกปืน ต้องทำยังไง", None),
    ("สายโทรศัพท์หย่อนลงมาขวางทาง", None),
    ("ไก่ที่เลี้ยงหายใจลำบากหลายตัว", "animal-disease-report"),
]


@pytest.fixture(scope="module")
def knowledge():
    return shared_store().current


def hotline(knowledge, text: str) -> str:
    d = knowledge.matcher.decide(text)
    return knowledge.catalogue.emergency_by_id[d.emergency]["hotlines"][0]["number"] if d.kind == "emergency" else "N"


@pytest.mark.parametrize("number,text", [(n, t) for n, ts in DANGERS.items() for t in ts])
def test_each_kind_of_danger_gets_its_hotline(knowledge, number, text):
    assert hotline(knowledge, text) == number


@pytest.mark.parametrize("text,instead", LOOKALIKES)
def test_lookalikes_are_no_emergency(knowledge, text, instead):
    d = knowledge.matcher.decide(text)
    assert d.kind != "emergency", d.matched
    if instead:
        assert d.services[:1] == [instead]


def _rate(knowledge, name):
    rows = [line.split("\t", 1) for line in (DATA / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    misses = [(exp, hotline(knowledge, text), text) for exp, text in rows if hotline(knowledge, text) != exp]
    false_alarms = [m for m in misses if m[0] == "N"]
    return 1 - len(misses) / len(rows), misses, false_alarms


def test_the_emergency_question_sets_meet_the_bar(knowledge):
    """emergency_tuning.tsv was used to choose the words; emergency_heldout.tsv was written blind
    and is only measured (see the closing note for how it scored before and after)."""
    rate, misses, _ = _rate(knowledge, "emergency_tuning.tsv")
    assert rate >= 0.97, misses
    rate, misses, false_alarms = _rate(knowledge, "emergency_heldout.tsv")
    assert rate >= 0.90, misses
    assert len(false_alarms) <= 3, false_alarms


def test_the_first_message_is_the_hotline_with_a_call_button_then_the_ticket(client, fake_line, app):
    ev = text_event("งูเห่าเข้ามาในครัว ช่วยด้วยค่ะ")
    post_events(client, [ev])
    messages = fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))[0]["body"]["messages"]
    first = messages[0]
    assert "199" in first["altText"] and "199" in json.dumps(first["contents"]["header"], ensure_ascii=False)
    calls = [b["action"]["uri"] for b in first["contents"]["footer"]["contents"]]
    assert calls == ["tel:199"]
    assert "#1" in messages[1]["text"]
    assert "เวลาทำการ" not in blob(messages)  # day or night: never "staff will see this when the office opens"
    card = fake_line.wait(lambda: fake_line.pushes(STAFF))[0]["body"]["messages"][0]
    assert "🚨" in card["contents"]["header"]["contents"][0]["text"] and "งูเห่า" in card["altText"]
    assert "199" in blob(card)  # staff read what the villager was told to call
    with app.extensions["bot"]["processor"].sf() as s:
        assert s.scalars(select(Ticket.topic)).one() == EMERGENCY_TOPIC


def test_an_emergency_during_an_open_ticket_reaches_staff_at_once(client, fake_line, app):
    ev = text_event("ขอให้มาดูท่อระบายน้ำตันหน้าบ้าน")
    post_events(client, [ev])
    fake_line.wait(lambda: fake_line.pushes(STAFF))
    ev = text_event("ตอนนี้ไฟไหม้หลังบ้านแล้ว ควันเต็มเลย")
    post_events(client, [ev])
    first = fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))[0]["body"]["messages"][0]
    assert "199" in first["altText"]
    pushes = fake_line.wait(lambda: len(fake_line.pushes(STAFF)) == 2 and fake_line.pushes(STAFF))
    assert pushes, "not batched with the 15-minute follow-ups: staff hear of it now"
    assert "ไฟไหม้หลังบ้าน" in blob(pushes[-1]) and "🚨" in blob(pushes[-1])
    with app.extensions["bot"]["processor"].sf() as s:
        assert [t.topic for t in s.scalars(select(Ticket))] == [EMERGENCY_TOPIC]  # the same ticket, now urgent


def test_in_a_group_the_hotline_is_given_and_no_ticket_opened(client, fake_line):
    ev = text_event("น้ำป่ามาแล้ว คนติดอยู่บนหลังคา", group="C" + "8" * 32)
    post_events(client, [ev])
    reply = fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))
    assert "1784" in blob(reply)
    assert not fake_line.wait(lambda: fake_line.pushes(STAFF), 0.5)


def test_the_try_page_shows_the_hotline_first(sqlite_url):
    from bot.config import Config
    from webhook import create_app
    app = create_app(Config(database_url=sqlite_url, background=False), store=shared_store())
    r = app.test_client().post("/try", json={"text": "มีคนหมดสติข้างถนน"})
    body = r.get_json()
    assert body["kind"] == "emergency" and "1669" in body["messages"][0]["altText"] and body["escalate"]


def test_emergencies_are_checked_catalogue_data():
    data = json.loads((ROOT / "catalogue.json").read_text(encoding="utf-8"))
    assert {e["id"]: e["hotlines"][0]["number"] for e in data["emergencies"]} == HOTLINE
    assert not [p for p in validate(data, load_lexicon(), check_examples=False) if p.severity == "error"]
    broken = copy.deepcopy(data)
    broken["emergencies"][0]["hotlines"][0]["number"] = "19x"
    broken["emergencies"][1]["keywords"].append(broken["emergencies"][1]["not_this"][0])
    del broken["emergencies"][2]["keywords"]
    problems = [str(p) for p in validate(broken, load_lexicon(), check_examples=False)]
    assert any("emergencies[0] id=fire-rescue" in p and "hotlines" in p for p in problems)
    assert any("emergencies[2] id=police" in p and "keywords" in p for p in problems)
    del broken["emergencies"][2]  # schema errors stop the deeper checks; the rest is checked once shaped
    broken["emergencies"][0]["hotlines"][0]["number"] = "199"
    problems = [str(p) for p in validate(broken, load_lexicon(), check_examples=False)]
    assert any("emergencies[1] id=medical" in p and "not_this" in p for p in problems)


def test_an_admin_adds_a_kind_of_emergency_by_editing_the_catalogue():
    data = json.loads((ROOT / "catalogue.json").read_text(encoding="utf-8"))
    data["emergencies"].append({"id": "chemical", "name": "สารเคมีรั่ว", "keywords": ["สารเคมีรั่ว"],
                                "hotlines": [{"number": "1650", "label": "สายด่วนสารเคมี"}]})
    lexicon = load_lexicon()
    matcher = Catalogue(data).build_matcher(lexicon)
    d = matcher.decide("รถบรรทุกสารเคมีรั่วกลางถนน")
    assert d.kind == "emergency" and d.emergency == "chemical"


@pytest.mark.parametrize("text,expected", [
    ("หม้อแปลงไฟฟ้าหน้าบ้านระเบิด มีควัน", "emergency"),   # หม้อแปลง is also in a service's term
    ("ขอติดตั้งหม้อแปลงไฟฟ้าใหม่ ไฟตกบ่อย", "no emergency"),  # ตกบ่อ(ย): often, not "fell into a well"
])
def test_a_danger_inside_a_service_term_or_an_everyday_word(knowledge, text, expected):
    assert ("emergency" if knowledge.matcher.decide(text).kind == "emergency" else "no emergency") == expected


@pytest.mark.parametrize("text", [
    "พ่อรถชนจนเดินไม่ได้ อยากทำบัตรคนพิการให้พ่อ",                  # the accident explains the card
    "หลานรถล้มเมื่อปีที่แล้ว ตอนนี้เดินไม่ได้ ทำบัตรคนพิการยังไง",      # last year's accident
])
def test_an_accident_told_as_the_reason_for_a_card_is_no_emergency(text):
    assert shared_store().current.matcher.decide(text).kind != "emergency"


def test_an_accident_now_is_still_an_emergency():
    assert shared_store().current.matcher.decide("รถล้มหน้าบ้าน มีคนเจ็บเลือดออกเยอะ").kind == "emergency"
