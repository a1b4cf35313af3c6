"""The webhook through the real SDK against the local fake Messaging API."""
import json
import threading

from tests.conftest import STAFF, blob, make_app, other_event, post_events, signature, text_event


def test_bad_or_missing_signature_is_refused_and_nothing_is_sent(client, fake_line):
    ev = text_event("จองคิวทำใบขับขี่")
    body = json.dumps({"events": [ev]}).encode()
    assert client.post("/callback", data=body, headers={"X-Line-Signature": "AAAA"}).status_code == 400
    assert client.post("/callback", data=body).status_code == 400
    assert post_events(client, [ev], secret="wrong-secret").status_code == 400
    assert not fake_line.wait(fake_line.replies, 0.5)


def test_malformed_json_with_a_valid_signature_is_400(client):
    body = b"{not json"
    assert client.post("/callback", data=body, headers={"X-Line-Signature": signature(body)}).status_code == 400
    body = b'{"events": "nope"}'
    assert client.post("/callback", data=body, headers={"X-Line-Signature": signature(body)}).status_code == 400


def test_console_verification_with_no_events_is_200(client, fake_line):
    assert post_events(client, []).status_code == 200
    assert not fake_line.calls


def test_a_question_gets_a_flex_answer_with_call_and_website_buttons(client, fake_line):
    ev = text_event("ใบขับขี่หมดอายุ ต่อยังไงคะ")
    assert post_events(client, [ev]).status_code == 200
    reply = fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))
    msg = reply[0]["body"]["messages"][0]
    assert msg["type"] == "flex" and "gecc.dlt.go.th" in blob(msg)
    buttons = [c["action"] for c in msg["contents"]["footer"]["contents"] if c["type"] == "button"]
    assert {"tel:022778888", "tel:1584"} <= {b.get("uri") for b in buttons}
    assert any(b.get("uri", "").startswith("https://gecc.dlt.go.th") for b in buttons)


def test_redelivered_and_concurrent_duplicates_are_answered_once(client, fake_line):
    ev = text_event("ขอมีบัตรประจำตัวคนพิการ")
    copies = [dict(ev, replyToken=f"{k:032x}", deliveryContext={"isRedelivery": True}) for k in range(6)]
    threads = [threading.Thread(target=post_events, args=(client, [c])) for c in copies]
    [t.start() for t in threads]
    [t.join() for t in threads]
    fake_line.wait(fake_line.replies, 2)
    assert len(fake_line.replies()) == 1


def test_unmatched_question_opens_a_ticket_and_tells_staff_with_the_same_number(client, fake_line):
    ev = text_event("ถนนหน้าบ้านเป็นหลุมใหญ่มาก ช่วยมาซ่อมหน่อย")
    post_events(client, [ev])
    push = fake_line.wait(lambda: fake_line.pushes(STAFF))
    reply = fake_line.replies(ev["replyToken"])
    assert "#1" in blob(reply) and "036-795644" in blob(reply)
    assert "#1" in blob(push) and "ถนนหน้าบ้านเป็นหลุมใหญ่มาก" in blob(push) and "ป้าสมศรี" in blob(push)
    assert push[0]["retry_key"]


def test_national_id_is_masked_for_staff_but_kept_in_the_ticket(client, fake_line, app):
    post_events(client, [text_event("ขอสำเนาทะเบียนบ้าน เลขบัตร 1-2345-67890-12-3")])
    push = fake_line.wait(lambda: fake_line.pushes(STAFF))
    assert "1-2345-67890-12-3" not in blob(push) and "x-xxxx" in blob(push)


def test_non_text_messages_get_a_friendly_reply_and_never_escalate(client, fake_line):
    events = [other_event("message", message={"type": "sticker", "id": "1", "quoteToken": "q", "packageId": "446",
                                              "stickerId": "1988", "stickerResourceType": "STATIC"}),
              other_event("message", message={"type": "image", "id": "2", "quoteToken": "q",
                                              "contentProvider": {"type": "line"}}),
              other_event("message", message={"type": "audio", "id": "3", "duration": 1000,
                                              "contentProvider": {"type": "line"}}),
              other_event("message", message={"type": "location", "id": "4", "latitude": 14.9, "longitude": 100.8,
                                              "address": "ลพบุรี"})]
    assert post_events(client, events).status_code == 200
    assert fake_line.wait(lambda: len(fake_line.replies()) == 4)
    # Nothing is pushed to the villager; the photo, voice and location may reach staff (one ticket).
    assert all(p["body"]["to"] == STAFF for p in fake_line.pushes()) and len(fake_line.pushes()) <= 1


def test_follow_gets_a_welcome_with_a_privacy_notice(client, fake_line):
    ev = other_event("follow")
    post_events(client, [ev])
    reply = fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))
    assert "ความเป็นส่วนตัว" in blob(reply)


def test_unfollow_and_unknown_event_types_are_acknowledged_quietly(client, fake_line):
    assert post_events(client, [other_event("unfollow"), other_event("somethingNew")]).status_code == 200
    assert not fake_line.wait(lambda: fake_line.calls, 0.3)


def test_huge_and_hostile_text_is_answered_and_harmless(client, fake_line):
    for text in ["ก" * 5000, "'; DROP TABLE tickets; -- <script>alert(1)</script> \u0000 😀"]:
        ev = text_event(text, user="U" + "9" * 32)
        assert post_events(client, [ev]).status_code == 200
        assert fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))
    assert client.get("/healthz").status_code == 200


def test_expired_reply_token_falls_back_to_a_push(client, fake_line):
    fake_line.reject_replies = True
    ev = text_event("ขอกล้าไม้ไปปลูก", user="U" + "4" * 32)
    post_events(client, [ev])
    push = fake_line.wait(lambda: fake_line.pushes("U" + "4" * 32))
    assert "fp.forest.go.th" in blob(push)


def test_a_reply_that_fails_on_the_way_is_sent_again_at_once(client, fake_line):
    """No sweeper runs here: the answer comes from the send right after the 200, not a later retry."""
    fake_line.fail_replies = 1   # LINE answers 500, the token unused
    ev = text_event("ขอกล้าไม้ไปปลูก", user="U" + "5" * 32)
    post_events(client, [ev])
    assert "fp.forest.go.th" in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"]), 2))
    assert not fake_line.pushes("U" + "5" * 32)


def test_a_reply_delivered_but_answered_with_an_error_is_not_sent_twice(client, fake_line):
    fake_line.lose_replies = 1   # LINE delivers it, the answer is lost: the retry's token is refused
    ev = text_event("ขอกล้าไม้ไปปลูก", user="U" + "6" * 32)
    post_events(client, [ev])
    assert len(fake_line.wait(lambda: fake_line.replies(ev["replyToken"]), 2)) == 1
    assert not fake_line.wait(lambda: fake_line.pushes("U" + "6" * 32), 0.5)  # no push: it was delivered


def test_other_groups_get_answers_but_never_open_tickets(client, fake_line):
    group = "C" + "7" * 32
    ev = text_event("ขอใช้ไฟฟ้าบ้านใหม่", group=group)
    post_events(client, [ev])
    assert "peacos.pea.co.th" in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"])))
    post_events(client, [text_event("เย็นนี้ใครไปงานบุญบ้าง", group=group)])
    assert not fake_line.wait(lambda: fake_line.pushes(STAFF), 0.5)


def test_without_credentials_callback_says_503_and_try_page_is_on(fake_line, sqlite_url):
    from bot.config import Config
    app = make_app(Config(database_url=sqlite_url, background=False))
    c = app.test_client()
    r = c.post("/callback", data=b"{}")
    assert r.status_code == 503 and b"LINE_CHANNEL_SECRET" in r.data
    assert c.get("/").status_code == 200
    r = c.post("/try", json={"text": "ขอติดต่อเจ้าหน้าที่"})
    assert r.json["escalate"] and "ไม่ส่งจริง" in r.json["note"]
    app.extensions["bot"]["processor"].stop()


def test_try_page_is_off_in_production_unless_enabled(client):
    assert client.get("/").status_code == 404
    assert client.post("/try", json={"text": "สวัสดี"}).status_code == 404


def test_config_turns_try_page_off_with_credentials_unless_asked():
    from bot.config import Config
    env = {"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t"}
    assert not Config.from_env(env).try_page
    assert Config.from_env(dict(env, TRY_PAGE="1")).try_page
    assert Config.from_env({}).try_page


def test_standby_mode_events_are_acknowledged_but_not_answered(client, fake_line):
    ev = dict(text_event("ขอใช้ไฟฟ้าบ้านใหม่"), mode="standby")
    ev.pop("replyToken")
    assert post_events(client, [ev]).status_code == 200
    assert not fake_line.wait(lambda: fake_line.calls, 0.5)


def test_webhook_refuses_a_body_too_big_for_line_and_answers_other_methods_through_flask(client):
    body = b'{"events": []}' + b" " * 1_000_000
    assert client.post("/callback", data=body, headers={"X-Line-Signature": signature(body)}).status_code == 413
    assert client.get("/callback").status_code in (404, 405)
    body = b'{"destination": "U1", "events": []}'  # LINE's "verify" button sends no events
    r = client.post("/callback", data=body, headers={"X-Line-Signature": signature(body)})
    assert (r.status_code, r.data) == (200, b"OK")
