""""Did this help?" and "how did we do?", through the webhook, stored in a real database:
the card's yes/no, the "no" path (runner-ups or the category, and ask staff), `bot unanswered`
showing it, and the rating asked once when a ticket closes and stored with the ticket."""
from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from bot import texts
from bot.db import Inquiry, Ticket, make_session_factory
from bot.learning import unanswered_report
from tests.conftest import STAFF, blob, other_event, post_events, text_event

VILLAGER = "U" + "c" * 32
STAFFER = "U" + "d" * 32


@pytest.fixture
def app(app_on_each_db):
    return app_on_each_db


def sessions(app):
    return make_session_factory(app.extensions["bot"]["engine"])


def session(app):
    return sessions(app)()


def say(app, fake_line, text, user=VILLAGER):
    ev = text_event(text, user=user)
    post_events(app.test_client(), [ev])
    return fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))[0]["body"]["messages"]


def tap(app, fake_line, data, user=VILLAGER, group=None):
    ev = other_event("postback", user=user, group=group, postback={"data": data})
    post_events(app.test_client(), [ev])
    return fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))[0]["body"]["messages"]


def actions(messages) -> list[dict]:
    """Every action in the messages (buttons, tappable rows, quick replies)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("action"), dict):
                found.append(node["action"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(messages)
    return found


def feedback_buttons(messages) -> dict[str, str]:
    return {parse_qs(a["data"])["answer"][0]: a["data"] for a in actions(messages)
            if a.get("type") == "postback" and "action=helpful" in a["data"]}


def test_an_answer_asks_was_this_it_and_yes_is_stored(app, fake_line):
    card = say(app, fake_line, "ขอใช้ไฟฟ้าบ้านใหม่")
    buttons = feedback_buttons(card)
    assert set(buttons) == {"yes", "no"} and texts.FEEDBACK_QUESTION in blob(card)
    footer = card[0]["contents"]["footer"]["contents"]
    assert texts.FEEDBACK_QUESTION in json.dumps(footer[-1], ensure_ascii=False)  # the card ends with it
    reply = tap(app, fake_line, buttons["yes"])
    assert reply[0]["text"] == texts.FEEDBACK_THANKS
    with session(app) as s:
        inquiry = s.scalars(select(Inquiry)).one()
        assert inquiry.helpful is True and inquiry.feedback_at is not None


def test_a_service_and_our_number_asked_together_get_both_the_card_first(app, fake_line):
    messages = say(app, fake_line, "จองคิวสอบใบขับขี่ยังไง แล้วขอเบอร์ศูนย์ด้วยค่ะ")
    assert len(messages) == 2 and "gecc.dlt.go.th" in blob(messages[0])          # the card, with "was this it?"
    assert set(feedback_buttons(messages[:1])) == {"yes", "no"}
    office_phone = app.extensions["bot"]["store"].current.catalogue.office["phone"]
    assert office_phone in blob(messages[1])                                      # and the office's own number


def test_no_offers_the_runner_up_and_staff_and_is_logged(app, fake_line):
    knowledge = app.extensions["bot"]["store"].current
    question = "ขอติดตั้งประปาใหม่ ไฟฟ้า"
    decision = knowledge.matcher.decide(question)
    assert decision.kind == "answer" and len(decision.scores) >= 2
    answered, runner_up = list(decision.scores)[:2]
    card = say(app, fake_line, question)
    reply = tap(app, fake_line, feedback_buttons(card)["no"])
    carousel = next(m for m in reply if m["type"] == "flex")["contents"]
    datas = [a["data"] for a in actions(carousel) if a.get("type") == "postback"]
    assert f"action=choose&service={runner_up}" in datas
    assert all(answered not in d for d in datas)  # not the one just turned down
    assert "action=ask_staff" in datas
    with session(app) as s:
        assert s.scalars(select(Inquiry.helpful)).one() is False
    group, = unanswered_report(sessions(app), knowledge, days=1)
    assert group.question == question and group.rejected == answered and '"not_this"' in group.suggestion

    # the villager picks the runner-up: the learning loop learns what they meant
    card = tap(app, fake_line, f"action=choose&service={runner_up}")
    assert knowledge.catalogue.by_id[runner_up]["url"] in blob(card) and feedback_buttons(card)
    group, = unanswered_report(sessions(app), knowledge, days=1)
    assert group.chosen == runner_up and group.rejected == answered
    assert f"id={runner_up}" in group.suggestion and '"examples"' in group.suggestion


def test_no_without_a_runner_up_offers_the_category_and_staff(app, fake_line):
    knowledge = app.extensions["bot"]["store"].current
    cat = knowledge.catalogue
    decision = knowledge.matcher.decide("ขอใช้ไฟฟ้า")
    assert decision.kind == "answer" and len(decision.scores) == 1
    answered = decision.services[0]
    reply = tap(app, fake_line, feedback_buttons(say(app, fake_line, "ขอใช้ไฟฟ้า"))["no"])
    datas = [a["data"] for a in actions(reply) if a.get("type") == "postback"]
    same_category = [s["id"] for s in cat.services
                     if s["category"] == cat.by_id[answered]["category"] and s["id"] != answered]
    assert [d for d in datas if d.startswith("action=choose")] == [f"action=choose&service={s}" for s in same_category]
    assert "action=ask_staff" in datas

    # ask staff from there: the ticket carries the question the villager asked
    reply = tap(app, fake_line, "action=ask_staff")
    assert "#1" in blob(reply)
    notice = fake_line.wait(lambda: fake_line.pushes(STAFF))
    assert "ขอใช้ไฟฟ้า" in blob(notice)


def test_someone_elses_feedback_button_changes_nothing(app, fake_line):
    buttons = feedback_buttons(say(app, fake_line, "ขอใช้ไฟฟ้าบ้านใหม่"))
    tap(app, fake_line, buttons["no"], user="U" + "e" * 32)
    with session(app) as s:
        assert s.scalars(select(Inquiry.helpful).where(Inquiry.user_id == VILLAGER)).one() is None


def test_unanswered_cli_shows_not_this(app, fake_line, monkeypatch, capsys, db_url):
    from bot.__main__ import main
    tap(app, fake_line, feedback_buttons(say(app, fake_line, "ขอใช้ไฟฟ้าบ้านใหม่"))["no"])
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["unanswered", "--days", "1"]) == 0
    out = capsys.readouterr().out
    assert "ขอใช้ไฟฟ้าบ้านใหม่" in out
    assert texts.CLI_UNANSWERED_REJECTED.format(service="electricity-provincial") in out


def _ticket_answered_by_staff(app, fake_line):
    say(app, fake_line, "ขอให้มาตัดกิ่งไม้ที่บังไฟทางหมู่ 3")
    ev = text_event("#1 พรุ่งนี้เจ้าหน้าที่เข้าไปตัดให้ค่ะ", user=STAFFER, group=STAFF)
    post_events(app.test_client(), [ev])
    fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))


def rating_items(message: dict) -> list[dict]:
    return [i["action"] for i in (message.get("quickReply") or {}).get("items", [])
            if "action=rate" in i["action"].get("data", "")]


def test_staff_closing_asks_for_a_rating_once_in_the_same_push(app, fake_line):
    _ticket_answered_by_staff(app, fake_line)
    pushes_before = len(fake_line.pushes(VILLAGER))
    ev = text_event("ปิด #1", user=STAFFER, group=STAFF)
    post_events(app.test_client(), [ev])
    pushes = fake_line.wait(lambda: fake_line.pushes(VILLAGER)[pushes_before:])
    assert len(pushes) == 1  # "closed" and "how did we do" are one message: no extra push
    message, = pushes[0]["body"]["messages"]
    items = rating_items(message)
    assert [i["label"] for i in items] == [label for _, label in texts.RATE_CHOICES]
    assert all(len(i["label"]) <= 20 for i in items)
    with session(app) as s:
        assert s.get(Ticket, 1).rating_asked_at is not None

    assert tap(app, fake_line, items[1]["data"])[0]["text"] == texts.RATE_THANKS  # "ดี" = 4
    assert texts.RATE_ALREADY.format(ticket=1) == tap(app, fake_line, items[4]["data"])[0]["text"]
    with session(app) as s:
        t = s.get(Ticket, 1)
        assert (t.rating, t.rated_at is not None) == (4, True)

    # closing again, or thanking later, never asks twice
    ev = text_event("ปิด #1", user=STAFFER, group=STAFF)
    post_events(app.test_client(), [ev])
    fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))
    assert len(fake_line.pushes(VILLAGER)) == pushes_before + 1
    assert not rating_items(say(app, fake_line, "ขอบคุณค่ะ")[0])


def test_thanks_closes_and_asks_in_the_reply_and_a_typed_rating_counts(app, fake_line):
    _ticket_answered_by_staff(app, fake_line)
    pushes_before = len(fake_line.pushes(VILLAGER))
    reply = say(app, fake_line, "ขอบคุณมากค่ะ")
    assert "#1" in reply[0]["text"] and len(rating_items(reply[0])) == 5
    assert len(fake_line.pushes(VILLAGER)) == pushes_before  # the reply token carried it: no push
    assert say(app, fake_line, "ดีมากค่ะ")[0]["text"] == texts.RATE_THANKS
    with session(app) as s:
        t = s.get(Ticket, 1)
        assert (t.status, t.rating) == ("closed", 5)
    # once rated, "5" is an ordinary message again (not a second rating)
    say(app, fake_line, "5")
    with session(app) as s:
        assert s.get(Ticket, 1).rating == 5


def test_only_the_ticket_owner_can_rate_it(app, fake_line):
    _ticket_answered_by_staff(app, fake_line)
    say(app, fake_line, "ขอบคุณค่ะ")
    tap(app, fake_line, "action=rate&ticket=1&score=1", user="U" + "e" * 32)
    with session(app) as s:
        assert s.get(Ticket, 1).rating is None
