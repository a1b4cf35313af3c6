"""Every card the bot can send stays within LINE's documented limits."""
import json

import pytest

from bot import replies
from tests.conftest import shared_store

CATALOGUE = shared_store().current.catalogue


def labels(obj):
    if isinstance(obj, dict):
        if "label" in obj:
            yield obj["label"]
        for v in obj.values():
            yield from labels(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from labels(v)


@pytest.mark.parametrize("service", CATALOGUE.services, ids=lambda s: s["id"])
def test_service_card_has_everything_and_fits(service):
    (msg,) = replies.service_answer(service)
    assert msg["type"] == "flex" and replies.size_ok(msg)
    assert len(msg["altText"]) <= 1500 and service["url"] in msg["altText"]
    text = json.dumps(msg, ensure_ascii=False)
    assert service["name"] in text and service["agency"] in text
    buttons = [b["action"] for b in msg["contents"]["footer"]["contents"]]
    assert sum(b.get("uri", "").startswith("tel:") for b in buttons) == len(service["phones"])
    assert any(b.get("uri") == service["url"] for b in buttons)
    assert any("ask_staff" in b.get("data", "") for b in buttons)
    assert all(len(label) <= 40 for label in labels(msg["contents"]))
    assert all(len(i["action"]["label"]) <= 20 for i in msg["quickReply"]["items"]) and len(msg["quickReply"]["items"]) <= 13


def test_every_card_is_a_message_the_sdk_accepts():
    """The bot sends its cards as plain JSON (no SDK model round trip at run time): the SDK's own
    models check here, once, that they are messages LINE knows."""
    from linebot.v3.messaging import Message
    cards = [m for s in CATALOGUE.services for m in replies.service_answer(s)]
    cards += replies.choice_carousel(CATALOGUE.services[:12])
    cards.append(replies.staff_notice(7, "ป้าสมศรี", ["ขอซ่อมถนน"], "25/11 10:00", "ถนน", CATALOGUE.services[:3]))
    for card in cards:
        parsed = Message.from_dict(card)
        assert parsed is not None and parsed.to_dict()["type"] == card["type"]


def test_numbered_steps():
    (msg,) = replies.service_answer(CATALOGUE.by_id["driving-licence-queue"])
    steps = msg["contents"]["body"]["contents"][1:]
    assert [s["contents"][0]["text"] for s in steps] == ["1.", "2.", "3.", "4.", "5."]


def test_carousel_of_every_service_still_fits():
    msgs = replies.choice_carousel(CATALOGUE.services)
    carousel = msgs[-1]
    assert replies.size_ok(carousel) and len(carousel["contents"]["contents"]) <= 12
    assert "ask_staff" in json.dumps(carousel["contents"]["contents"][-1])


@pytest.mark.parametrize("phone,uri", [("02-277-8888", "tel:022778888"), ("1584", "tel:1584"),
                                       ("02-653-4444 ต่อ 4144", "tel:026534444,4144")])
def test_tel_uri(phone, uri):
    assert replies.tel_uri(phone) == uri


def test_long_text_and_labels_are_clipped():
    assert len(replies.text_message("ก" * 9000)["text"]) <= 5000
    assert len(replies.postback("ข" * 90, action="x")["label"]) <= 40


def test_staff_card_carries_ticket_and_question_in_alt_text():
    card = replies.staff_notice(7, "ป้าสมศรี", ["ขอซ่อมถนน"], "25/11 10:00", "ถนน", [CATALOGUE.services[0]])
    assert "#7" in card["altText"] and "ขอซ่อมถนน" in card["altText"] and replies.size_ok(card)
