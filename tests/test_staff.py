"""The staff loop on both storage backends: open, follow-up, take, answer, close, reopen."""
import datetime as dt
import json
import threading

import pytest
from sqlalchemy import update

from bot.config import Config
from bot.db import StaffNoticeLink, Ticket
from tests.conftest import (SECRET, STAFF, TOKEN, blob, bot_config, make_app, other_event, post_events, running_app,
                            text_event)

VILLAGER = "U" + "a" * 32
STAFFER = "U" + "b" * 32


@pytest.fixture
def staff_app(app_on_each_db):
    return app_on_each_db


def staff_says(client, text, **message):
    ev = text_event(text, user=STAFFER, group=STAFF, **message)
    post_events(client, [ev])
    return ev


def ask(client, fake_line, text):
    ev = text_event(text, user=VILLAGER)
    post_events(client, [ev])
    return fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))


def test_ticket_lifecycle(staff_app, fake_line):
    c = staff_app.test_client()
    reply = ask(c, fake_line, "ขอให้มาพ่นยากันยุงที่หมู่ 4")
    assert "#1" in blob(reply)
    notice = fake_line.wait(lambda: fake_line.pushes(STAFF))
    card = notice[0]["body"]["messages"][0]
    assert card["type"] == "flex" and "#1" in card["altText"] and "พ่นยากันยุง" in card["altText"]
    labels = [b["action"]["label"] for b in card["contents"]["footer"]["contents"]]
    assert "รับเรื่อง" in labels and "ปิดเรื่อง" in labels

    # a follow-up joins the ticket: no second push within the batch window, visible on #1
    reply = ask(c, fake_line, "แถวบ้านมีคนเป็นไข้เลือดออกด้วย")
    assert "#1" in blob(reply)
    ev = staff_says(c, "#1")
    summary = fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))
    assert "ไข้เลือดออก" in blob(summary) and "พ่นยากันยุง" in blob(summary)
    assert len(fake_line.pushes(STAFF)) == 1

    # the bot still answers what it can while the ticket is open
    assert "efiling.dep.go.th" in blob(ask(c, fake_line, "ทำบัตรคนพิการ"))

    # take (button) records who took it
    take = other_event("postback", user=STAFFER, group=STAFF, postback={"data": "action=take&ticket=1"})
    post_events(c, [take])
    assert "พี่แดง OSS" in blob(fake_line.wait(lambda: fake_line.replies(take["replyToken"])))

    # answer by #N: pushed to the villager, confirmed in the group by reply
    ev = staff_says(c, "#1 พรุ่งนี้เช้าเจ้าหน้าที่เข้าไปพ่นให้ค่ะ")
    pushed = fake_line.wait(lambda: fake_line.pushes(VILLAGER))
    assert "พรุ่งนี้เช้าเจ้าหน้าที่เข้าไปพ่นให้ค่ะ" in blob(pushed) and pushed[0]["retry_key"]
    assert "#1" in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"])))

    # open tickets list shows it with its age
    ev = staff_says(c, "เรื่องค้าง")
    assert "#1" in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"])))

    # close by command: the villager is told nothing more will come
    ev = staff_says(c, "ปิด #1")
    fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))
    assert fake_line.wait(lambda: len(fake_line.pushes(VILLAGER)) == 2)
    assert "ปิดเรื่อง #1" in blob(fake_line.pushes(VILLAGER)[-1])

    # a closed ticket refuses answers clearly
    ev = staff_says(c, "#1 ลืมบอกค่ะ")
    assert "ปิดไปแล้ว" in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"])))

    # a new unanswerable question opens a new ticket
    assert "#2" in blob(ask(c, fake_line, "ขอยืมเต็นท์ไปงานบวช"))


def test_answer_by_quoting_the_notification(staff_app, fake_line):
    c = staff_app.test_client()
    ask(c, fake_line, "ขอยืมเครื่องสูบน้ำของ อบต.")
    notice = fake_line.wait(lambda: fake_line.pushes(STAFF))
    sf = staff_app.extensions["bot"]["processor"].sf

    def linked():  # the bot has recorded which LINE message the card became (minutes pass in real life)
        with sf() as s:
            return s.get(StaffNoticeLink, notice[0]["ids"][0]) is not None
    fake_line.wait(linked)
    staff_says(c, "ยืมได้ค่ะ มาติดต่อกองช่าง", quotedMessageId=notice[0]["ids"][0])
    assert "ยืมได้ค่ะ มาติดต่อกองช่าง" in blob(fake_line.wait(lambda: fake_line.pushes(VILLAGER)))


def test_answer_with_a_catalogue_service_button(staff_app, fake_line):
    c = staff_app.test_client()
    ask(c, fake_line, "ขอพันธุ์ปลาไปปล่อยในบ่อของหมู่บ้าน")
    fake_line.wait(lambda: fake_line.pushes(STAFF))
    ev = other_event("postback", user=STAFFER, group=STAFF,
                     postback={"data": "action=answer_with&ticket=1&service=tree-seedlings"})
    post_events(c, [ev])
    assert "fp.forest.go.th" in blob(fake_line.wait(lambda: fake_line.pushes(VILLAGER)))


def test_unknown_ticket_and_staff_chatter(staff_app, fake_line):
    c = staff_app.test_client()
    ev = staff_says(c, "#99 ตอบแล้วนะ")
    assert "ไม่พบเรื่อง #99" in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"])))
    ev = staff_says(c, "วันนี้ใครเข้าเวรบ้าง")
    assert not fake_line.wait(lambda: fake_line.replies(ev["replyToken"]), 0.5)
    assert not fake_line.pushes()


def test_messages_from_another_group_are_never_staff_answers(staff_app, fake_line):
    c = staff_app.test_client()
    ask(c, fake_line, "ขอให้มาลอกท่อระบายน้ำ")
    fake_line.wait(lambda: fake_line.pushes(STAFF))
    post_events(c, [text_event("#1 ไม่ต้องห่วง เดี๋ยวมาดู", user=STAFFER, group="C" + "9" * 32)])
    assert not fake_line.wait(lambda: fake_line.pushes(VILLAGER), 0.7)


def test_failed_push_is_retried_from_the_database_with_the_same_key(staff_app, fake_line):
    c = staff_app.test_client()
    fake_line.fail_pushes = 1
    ask(c, fake_line, "ท่อประปาหมู่บ้านแตก")
    processor = staff_app.extensions["bot"]["processor"]
    assert not fake_line.wait(lambda: fake_line.pushes(STAFF), 0.5)
    from bot.db import OutboundMessage
    sf = processor.sf
    with sf.begin() as s:  # make the retry due now instead of after the backoff
        s.execute(update(OutboundMessage).values(next_attempt_at=dt.datetime(2000, 1, 1)))
    processor.sweep()
    pushes = fake_line.wait(lambda: fake_line.pushes(STAFF))
    assert len(pushes) == 1 and "ท่อประปาหมู่บ้านแตก" in blob(pushes)


def test_followups_are_batched_then_sent_as_one_push(staff_app, fake_line):
    c = staff_app.test_client()
    ask(c, fake_line, "ขอถังขยะเพิ่มหน้าบ้าน")
    fake_line.wait(lambda: fake_line.pushes(STAFF))
    for q in ["ถังเดิมแตกแล้ว", "รถขยะไม่มาเก็บสองอาทิตย์"]:
        ask(c, fake_line, q)
    assert not fake_line.wait(lambda: len(fake_line.pushes(STAFF)) > 1, 1.0)  # batched, not pushed
    processor = staff_app.extensions["bot"]["processor"]
    with processor.sf.begin() as s:  # the 15-minute window has passed
        s.execute(update(Ticket).values(notified_at=dt.datetime(2000, 1, 1)))
    processor.sweep()
    pushes = fake_line.wait(lambda: len(fake_line.pushes(STAFF)) == 2 and fake_line.pushes(STAFF))
    assert "ถังเดิมแตกแล้ว" in blob(pushes[-1]) and "รถขยะไม่มาเก็บ" in blob(pushes[-1])
    assert "ขอถังขยะเพิ่ม" not in json.dumps(pushes[-1]["body"]["messages"][0]["altText"], ensure_ascii=False)


def test_villager_can_say_they_are_done(staff_app, fake_line):
    c = staff_app.test_client()
    ask(c, fake_line, "ขอรถน้ำมาส่งน้ำที่บ้าน")
    fake_line.wait(lambda: fake_line.pushes(STAFF))
    staff_says(c, "#1 พรุ่งนี้รถน้ำเข้าค่ะ")
    fake_line.wait(lambda: fake_line.pushes(VILLAGER))
    assert "ปิดเรื่อง #1" in blob(ask(c, fake_line, "ขอบคุณมากค่ะ"))


def test_quota_warning_is_told_to_staff_once(fake_line, sqlite_url):
    fake_line.quota_limit, fake_line.quota_used = 300, 250
    app = make_app(Config(channel_secret=SECRET, access_token=TOKEN, api_endpoint=fake_line.url,
                            database_url=sqlite_url, staff_group_id=STAFF, background=False, try_page=False))
    c = app.test_client()
    ask(c, fake_line, "ขอตัดกิ่งไม้ที่พาดสายไฟ")
    fake_line.wait(lambda: fake_line.pushes(STAFF))
    ev = staff_says(c, "รับทราบค่ะ")
    assert "250/300" in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"])))
    ev = staff_says(c, "เรื่องค้าง")
    assert "250/300" not in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"])))
    app.extensions["bot"]["processor"].stop()


def test_cards_go_out_when_two_servers_read_the_push_quota_at_once(fake_line, db_url):
    """Both servers find no quota written yet, both ask LINE, both write it down: neither card
    may be lost to that (nor wait for the sweeper)."""
    fake_line.quota_limit, fake_line.quota_delay = 300, 0.5
    with running_app(bot_config(fake_line, db_url)) as one, running_app(bot_config(fake_line, db_url)) as two:
        asked = [threading.Thread(target=post_events, args=(app.test_client(), [text_event(
                     "ขอตัดกิ่งไม้ที่พาดสายไฟ", user="U" + str(k) * 32)])) for k, app in enumerate((one, two))]
        for thread in asked:
            thread.start()
        for thread in asked:
            thread.join()
        assert len(fake_line.wait(lambda: len(fake_line.pushes(STAFF)) == 2 and fake_line.pushes(STAFF),
                                  seconds=3) or []) == 2


def test_staff_group_gets_instructions_on_join_and_on_request(staff_app, fake_line):
    c = staff_app.test_client()
    ev = other_event("join", user=STAFFER, group=STAFF)
    post_events(c, [ev])
    assert "#เลขเรื่อง" in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"])))
    ev = staff_says(c, "วิธีใช้")
    assert "เรื่องค้าง" in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"])))


def test_staff_group_id_may_be_one_staff_members_own_chat(fake_line, sqlite_url):
    staff_user = "U" + "e" * 32
    app = make_app(Config(channel_secret=SECRET, access_token=TOKEN, api_endpoint=fake_line.url,
                            database_url=sqlite_url, staff_group_id=staff_user, background=False, try_page=False))
    c = app.test_client()
    ask(c, fake_line, "ขอให้มาซ่อมฝาท่อหน้าบ้าน")
    assert fake_line.wait(lambda: fake_line.pushes(staff_user))
    post_events(c, [text_event("#1 พรุ่งนี้ช่างเข้าไปค่ะ", user=staff_user)])
    assert "พรุ่งนี้ช่างเข้าไปค่ะ" in blob(fake_line.wait(lambda: fake_line.pushes(VILLAGER)))
    app.extensions["bot"]["processor"].stop()


def test_a_returning_villagers_new_ticket_has_their_name_without_asking_line(staff_app, fake_line):
    """The name comes from their earlier ticket (in the statement that opens the new one)."""
    c = staff_app.test_client()
    ask(c, fake_line, "ขอให้มาพ่นยากันยุงที่หมู่ 4")
    fake_line.wait(lambda: fake_line.pushes(STAFF))
    assert fake_line.profiles_asked == [VILLAGER]
    ev = staff_says(c, "ปิด #1")
    fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))

    assert "#2" in blob(ask(c, fake_line, "ถนนหน้าบ้านเป็นหลุมใหญ่ ขอให้มาซ่อม"))
    card = fake_line.wait(lambda: [p for p in fake_line.pushes(STAFF) if "#2" in p["body"]["messages"][0]["altText"]])
    assert "ป้าสมศรี" in blob(card)
    assert fake_line.profiles_asked == [VILLAGER]
    with staff_app.extensions["bot"]["session_factory"]() as s:
        assert s.get(Ticket, 2).display_name == "ป้าสมศรี"
