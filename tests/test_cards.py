"""Cards an elderly villager can read and tap: every text and button follows LINE's font-size
setting, steps are medium size, buttons finger-sized, and no label is cut."""
from __future__ import annotations

import pytest

from bot import replies
from bot.catalogue import load
from bot.config import ROOT
from intents import IntentContext, handler_for


@pytest.fixture(scope="module")
def cat():
    return load(ROOT / "catalogue.json", check_examples=False)


def every_message(cat) -> list[dict]:
    """Every kind of message the bot builds, for every service and category."""
    out = []
    for s in cat.services:
        out += replies.service_answer(s)
    out += replies.choice_carousel(cat.services[:4])
    out += [replies.category_menu(cat.categories, cat.services, "อบต.", c["id"]) for c in cat.categories]
    out += [replies.category_menu(cat.categories, cat.services, "อบต.")]
    out.append(replies.contact_card(cat.office))
    for name in ("greeting", "thanks", "help", "contact", "howto", "empty"):
        out += handler_for(name)(IntentContext(cat))
    out.append(replies.staff_notice(7, "ป้าสมศรี", ["ถามเรื่องถนน"], "26 พ.ย. 09:00", None, cat.services[:3]))
    return out


def components(node):
    if isinstance(node, dict):
        if "type" in node:
            yield node
        for value in node.values():
            yield from components(value)
    elif isinstance(node, list):
        for value in node:
            yield from components(value)


def test_every_text_and_button_on_every_card_scales_with_the_villagers_font_size(cat):
    flexes = [m for m in every_message(cat) if m["type"] == "flex"]
    assert len(flexes) > len(cat.services)
    for m in flexes:
        for c in components(m["contents"]):
            if c["type"] in ("text", "button"):
                assert c.get("scaling") is True, c


def test_steps_are_medium_and_buttons_finger_sized(cat):
    for s in cat.services:
        bubble = replies.service_answer(s)[0]["contents"]
        steps = [c for c in components(bubble["body"]) if c["type"] == "text"]
        assert all(c.get("size") in ("md", "lg") for c in steps)
    for m in every_message(cat):
        for c in components(m.get("contents", {})):
            if c["type"] == "button":
                assert c["height"] == "md"


def test_no_label_is_cut(cat):
    """A cut label (…) leaves a villager guessing: category quick replies use the short name."""
    for m in every_message(cat):
        for item in (m.get("quickReply") or {}).get("items", []):
            label = item["action"]["label"]
            assert len(label) <= replies.QUICK_LABEL_MAX and not label.endswith("…"), label
        for c in components(m.get("contents", {})):
            if c["type"] == "button":
                label = c["action"]["label"]
                assert len(label) <= replies.LABEL_MAX and not label.endswith("…"), label


def test_a_category_lists_all_its_services_as_whole_tappable_rows(cat):
    for c in cat.categories:
        card = replies.category_menu(cat.categories, cat.services, "อบต.", c["id"])
        rows = [x for x in components(card["contents"]["body"]) if x.get("action")]
        members = [s for s in cat.services if s["category"] == c["id"]]
        assert [r["action"]["data"] for r in rows] == [f"action=service&service={s['id']}" for s in members]
        names = [t["text"] for r in rows for t in r["contents"] if t["type"] == "text" and t.get("wrap")]
        assert names == [s["name"] for s in members]  # whole names (they wrap), never clipped
        assert replies.size_ok(card)


def test_the_office_card_dials_the_office(cat):
    card = replies.contact_card(cat.office)
    uris = [c["action"]["uri"] for c in components(card["contents"]) if c["type"] == "button"
            and c["action"]["type"] == "uri"]
    assert uris == ["tel:036795644"]
    assert cat.office["hours_text"] in str(card)
