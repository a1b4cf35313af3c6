"""Message builders: LINE message objects as plain dicts (the JSON LINE documents).

Only ``bot.line`` turns them into SDK objects; everything here is testable without LINE.
Limits respected here: altText <= 1,500 chars, bubble <= 30 KB, carousel <= 12 bubbles and
50 KB, action labels <= 40 chars, quick-reply labels <= 20 and <= 13 items.
"""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from bot import texts

ALT_TEXT_MAX = 1500
LABEL_MAX = 40
QUICK_LABEL_MAX = 20
QUICK_ITEMS_MAX = 13
CAROUSEL_MAX = 12
BUBBLE_BYTES_MAX = 30_000
TEXT_MAX = 5000
BRAND = "#0B7A3E"
# The staff card's colours start with a letter: staff (and tools) read "#<digits>" as a ticket number.
STAFF_RED = "#B3261E"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tel_uri(phone: str) -> str:
    """'02-653-4444 ต่อ 4144' -> 'tel:026534444,4144' (a pause, then the extension)."""
    main, _, ext = phone.partition("ต่อ")
    digits = re.sub(r"\D", "", main)
    ext_digits = re.sub(r"\D", "", ext)
    return f"tel:{digits}" + (f",{ext_digits}" if ext_digits else "")


def postback(label: str, shown: str | None = None, **data: str) -> dict:
    """A button that tells the bot ``data``; ``shown`` appears in the chat as if typed."""
    action = {"type": "postback", "label": clip(label, LABEL_MAX), "data": urlencode(data)}
    if shown:
        action["displayText"] = clip(shown, 300)
    return action


def quick_reply(items: list[tuple[str, str]]) -> dict:
    """Buttons under a message; each sends its text as if the villager typed it."""
    return {"items": [{"type": "action", "action": {"type": "message", "label": clip(label, QUICK_LABEL_MAX),
                                                     "text": say}} for label, say in items[:QUICK_ITEMS_MAX]]}


def text_message(text: str, quick: list[tuple[str, str]] | None = None) -> dict:
    msg = {"type": "text", "text": clip(text, TEXT_MAX)}
    if quick:
        msg["quickReply"] = quick_reply(quick)
    return msg


def default_quick() -> list[tuple[str, str]]:
    return [(texts.QUICK_MENU, texts.QUICK_MENU), (texts.QUICK_CONTACT, texts.QUICK_CONTACT),
            (texts.QUICK_STAFF, texts.ASK_STAFF_DISPLAY)]


def _button(action: dict, primary: bool = False, colour: str = BRAND) -> dict:
    # height md: a finger-sized target (sm is 40 px, md 52 px)
    return {"type": "button", "action": action, "style": "primary" if primary else "link",
            "height": "md", **({"color": colour} if primary else {})}


SCALABLE = {"text", "button", "icon"}


def scaled(component: dict) -> dict:
    """Every text, button and icon follows the villager's LINE font-size setting ("scaling"),
    so someone who set large text in LINE gets large cards, not fixed small print."""
    if component.get("type") in SCALABLE:
        component["scaling"] = True
    for key in ("header", "hero", "body", "footer"):
        if isinstance(component.get(key), dict):
            scaled(component[key])
    for child in component.get("contents", []) if isinstance(component.get("contents"), list) else []:
        scaled(child)
    return component


def service_bubble(service: dict, choose: bool = False) -> dict:
    """The answer card: name, agency, numbered steps, a call button per phone, website, staff."""
    steps = [{"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
        {"type": "text", "text": f"{i}.", "flex": 0, "size": "md", "color": "#555555"},
        {"type": "text", "text": clip(step, 300), "wrap": True, "size": "md", "flex": 1}]}
        for i, step in enumerate(service["steps"], 1)]
    buttons = []
    if choose:
        buttons.append(_button(postback(texts.BUTTON_CHOOSE, service["name"], action="choose", service=service["id"]), True))
    buttons.append(_button({"type": "uri", "label": texts.BUTTON_WEBSITE, "uri": service["url"]}, not choose))
    buttons += [_button({"type": "uri", "label": clip(texts.BUTTON_CALL.format(phone=p), LABEL_MAX),
                         "uri": tel_uri(p)}) for p in service["phones"]]
    if not choose:
        buttons.append(_button(postback(texts.BUTTON_ASK_STAFF, texts.ASK_STAFF_DISPLAY, action="ask_staff",
                                         service=service["id"])))
    return {
        "type": "bubble", "size": "mega",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": BRAND, "contents": [
            {"type": "text", "text": clip(service["name"], 120), "weight": "bold", "wrap": True, "color": "#FFFFFF"},
            {"type": "text", "text": clip(texts.AGENCY_LABEL.format(agency=service["agency"]), 120),
             "size": "sm", "wrap": True, "color": "#E8F5E9"}]},
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": [
            {"type": "text", "text": texts.STEPS_TITLE, "weight": "bold", "size": "md"}, *steps]},
        "footer": {"type": "box", "layout": "vertical", "spacing": "xs", "contents": buttons},
    }


def service_alt_text(service: dict) -> str:
    steps = " ".join(f"{i}) {s}" for i, s in enumerate(service["steps"], 1))
    return clip(texts.ALT_SERVICE.format(name=service["name"], steps=steps, phones=", ".join(service["phones"]),
                                         url=service["url"]), ALT_TEXT_MAX)


def flex(alt_text: str, contents: dict) -> dict:
    return {"type": "flex", "altText": clip(alt_text, ALT_TEXT_MAX), "contents": scaled(contents)}


# A service's answer card, built once per service dict (a catalogue reload brings new ones): it is
# the same for every villager, and building it (every text scaled, every button's data encoded)
# cost a tenth of a delivery. Messages are never changed in place (``with_feedback`` copies).
_SERVICE_ANSWERS: dict[int, tuple[dict, dict]] = {}
_SERVICE_ANSWERS_MAX = 512  # a bound on memory (a huge catalogue, what reloads leave behind)


def service_answer(service: dict) -> list[dict]:
    cached = _SERVICE_ANSWERS.get(id(service))
    if cached is None or cached[0] is not service:  # the id of a dict since dropped may come back
        msg = flex(service_alt_text(service), service_bubble(service))
        msg["quickReply"] = quick_reply(default_quick())
        if len(_SERVICE_ANSWERS) >= _SERVICE_ANSWERS_MAX:
            _SERVICE_ANSWERS.clear()
        cached = _SERVICE_ANSWERS[id(service)] = (service, msg)
    return [cached[1]]


def with_feedback(messages: list[dict], inquiry_id: int) -> list[dict]:
    """The answer card ends with a small "ใช่เรื่องนี้ไหม" and yes/no (postbacks naming the inquiry)."""
    out = list(messages)
    at = next((i for i, m in enumerate(out) if m["type"] == "flex" and m["contents"]["type"] == "bubble"), None)
    if at is None:
        return out
    # Copied along the path that changes (a deep copy of the card cost more than building it):
    # the messages passed in are never changed in place.
    card = out[at] = {**out[at], "contents": {**out[at]["contents"]}}
    footer = card["contents"]["footer"] = {**card["contents"]["footer"]}
    footer["contents"] = list(footer["contents"])
    def choice(label: str, shown: str, answer: str) -> dict:
        return {**_button(postback(label, shown, action="helpful", inquiry=str(inquiry_id), answer=answer)),
                "style": "secondary", "flex": 1}
    card["contents"]["footer"]["contents"].append(scaled({
        "type": "box", "layout": "vertical", "margin": "lg", "spacing": "sm", "contents": [
            {"type": "separator"},
            {"type": "text", "text": texts.FEEDBACK_QUESTION, "size": "sm", "align": "center", "color": "#555555"},
            {"type": "box", "layout": "horizontal", "spacing": "md", "contents": [
                choice(texts.FEEDBACK_YES, texts.FEEDBACK_YES_SHOWN, "yes"),
                choice(texts.FEEDBACK_NO, texts.FEEDBACK_NO_SHOWN, "no")]}]}))
    return out


def rating_request(text: str, ticket_id: int) -> dict:
    """``text`` and the question "how did we do", with five one-tap answers (words, 5 best)."""
    msg = text_message(f"{text}\n\n{texts.RATE_QUESTION}")
    msg["quickReply"] = {"items": [{"type": "action", "action": postback(
        label, label, action="rate", ticket=str(ticket_id), score=str(score))} for score, label in texts.RATE_CHOICES]}
    return msg


def choice_carousel(services: list[dict], intro: str | None = None) -> list[dict]:
    """Top candidates, each answerable at once, plus "none of these: ask staff"."""
    bubbles = [service_bubble(s, choose=True) for s in services[: CAROUSEL_MAX - 1]]
    bubbles.append({"type": "bubble", "size": "kilo", "body": {"type": "box", "layout": "vertical", "spacing": "md",
        "contents": [{"type": "text", "text": texts.CHOOSE_NONE_TITLE, "weight": "bold", "wrap": True},
                     {"type": "text", "text": texts.CHOOSE_NONE_TEXT, "wrap": True, "size": "md"}]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            _button(postback(texts.BUTTON_NONE, texts.ASK_STAFF_DISPLAY, action="ask_staff"), True)]}})
    alt = texts.ALT_CHOOSE.format(names=", ".join(s["name"] for s in services))
    return [text_message(intro or texts.CHOOSE_INTRO), flex(alt, {"type": "carousel", "contents": bubbles})]


def category_quick(categories: list[dict]) -> list[tuple[str, str]]:
    """A category's quick reply says its short name (never cut) and sends it back as typed."""
    return [(c["short_name"], c["short_name"]) for c in categories]


def category_menu(categories: list[dict], services: list[dict], office_short: str,
                  category_id: str | None = None) -> dict:
    """Help: the groups as quick replies; a chosen group is a card listing its services."""
    if category_id is None:
        return text_message(texts.HELP.format(count=len(services), office_short=office_short),
                            category_quick(categories) + [(texts.QUICK_CONTACT, texts.QUICK_CONTACT)])
    return category_card(next(c for c in categories if c["id"] == category_id), services, categories)


def category_card(category: dict, services: list[dict], categories: list[dict], pick: str = "service",
                  intro: str | None = None) -> dict:
    """One row per service, the whole row tappable (names wrap: none is cut, however long).
    ``pick``: the rows' postback action ("service" from the menu; "choose" when the villager's
    question is pending, so the learning loop hears which one they meant)."""
    members = [s for s in services if s.get("category") == category["id"]]
    rows = []
    for s in members:
        if rows:
            rows.append({"type": "separator"})
        rows.append({"type": "box", "layout": "horizontal", "paddingTop": "md", "paddingBottom": "md", "spacing": "md",
                     # a box action's label is only read aloud; LINE's general action limit is 20
                     "action": postback(clip(s["name"], QUICK_LABEL_MAX), s["name"], action=pick, service=s["id"]),
                     "contents": [{"type": "text", "text": clip(s["name"], 120), "wrap": True, "size": "md",
                                   "color": BRAND, "flex": 1},
                                  {"type": "text", "text": "›", "size": "xl", "color": BRAND, "flex": 0,
                                   "gravity": "center"}]})
    bubble = {"type": "bubble", "size": "giga",
              "header": {"type": "box", "layout": "vertical", "backgroundColor": BRAND, "contents": [
                  {"type": "text", "text": category["name"], "weight": "bold", "wrap": True, "color": "#FFFFFF",
                   "size": "lg"},
                  {"type": "text", "text": intro or texts.CATEGORY_PICK, "wrap": True, "color": "#E8F5E9",
                   "size": "sm"}]},
              "body": {"type": "box", "layout": "vertical", "contents": rows},
              "footer": {"type": "box", "layout": "vertical", "contents": [
                  _button(postback(texts.BUTTON_ASK_STAFF, texts.ASK_STAFF_DISPLAY, action="ask_staff"))]}}
    alt = texts.CATEGORY_LIST.format(category=category["name"], lines="\n".join(f"• {s['name']}" for s in members))
    others = [c for c in categories if c["id"] != category["id"]]
    msg = flex(alt, bubble)
    msg["quickReply"] = quick_reply(category_quick(others) + [(texts.QUICK_STAFF, texts.ASK_STAFF_DISPLAY)])
    return msg


def contact_card(office: dict) -> dict:
    """The office: name, address, hours, and a button that dials it."""
    def line(label: str, value: str) -> dict:
        return {"type": "box", "layout": "baseline", "spacing": "md", "contents": [
            {"type": "text", "text": label, "size": "md", "color": "#555555", "flex": 0},
            {"type": "text", "text": value, "size": "md", "wrap": True, "flex": 1}]}
    body = [line(texts.CONTACT_PHONE, office["phone"]), line(texts.CONTACT_HOURS, office["hours_text"])]
    if office.get("address"):
        body.insert(0, line(texts.CONTACT_ADDRESS, office["address"]))
    body.append({"type": "text", "text": texts.CONTACT_NOTE, "size": "sm", "wrap": True, "color": "#555555"})
    bubble = {"type": "bubble", "size": "mega",
              "header": {"type": "box", "layout": "vertical", "backgroundColor": BRAND, "contents": [
                  {"type": "text", "text": office["name"], "weight": "bold", "wrap": True, "color": "#FFFFFF"}]},
              "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": body},
              "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
                  _button({"type": "uri", "label": clip(texts.BUTTON_CALL.format(phone=office["phone"]), LABEL_MAX),
                           "uri": tel_uri(office["phone"])}, True),
                  _button(postback(texts.BUTTON_ASK_STAFF, texts.ASK_STAFF_DISPLAY, action="ask_staff"))]}}
    alt = texts.CONTACT.format(office_name=office["name"], address=office.get("address", "-"),
                               phone=office["phone"], hours=office["hours_text"])
    msg = flex(alt, bubble)
    msg["quickReply"] = quick_reply([(texts.QUICK_MENU, texts.QUICK_MENU), (texts.QUICK_STAFF, texts.ASK_STAFF_DISPLAY)])
    return msg


def size_ok(message: dict) -> bool:
    """True when a Flex message is within LINE's size limits."""
    if message.get("type") != "flex":
        return True
    size = len(json.dumps(message["contents"], ensure_ascii=False).encode())
    if message["contents"]["type"] == "carousel":
        return size <= 50_000 and len(message["contents"]["contents"]) <= CAROUSEL_MAX
    return size <= BUBBLE_BYTES_MAX and len(message["altText"]) <= ALT_TEXT_MAX


def emergency_answer(emergency: dict) -> list[dict]:
    """The first message to someone in danger: the hotline, big, in one sentence, and a button
    that dials it. The notification (altText) says the same, so the lock screen shows the number."""
    first = emergency["hotlines"][0]
    sentence = texts.EMERGENCY_SENTENCE.format(number=first["number"], label=first["label"])
    buttons = [_button({"type": "uri", "label": clip(texts.EMERGENCY_CALL.format(**h), LABEL_MAX),
                        "uri": tel_uri(h["number"])}, True, STAFF_RED) for h in emergency["hotlines"]]
    bubble = {"type": "bubble", "size": "mega",
              "header": {"type": "box", "layout": "vertical", "backgroundColor": STAFF_RED, "contents": [
                  {"type": "text", "text": texts.EMERGENCY_HEADLINE.format(number=first["number"]), "weight": "bold",
                   "size": "xxl", "color": "#FFFFFF", "wrap": True}]},
              "body": {"type": "box", "layout": "vertical", "contents": [
                  {"type": "text", "text": sentence, "wrap": True, "size": "lg", "weight": "bold"}]},
              "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": buttons}}
    return [flex(sentence, scaled(bubble))]


CARD_ITEMS_MAX = 6  # media buttons on one staff card; '#N' lists them all


def _item_rows(items: list) -> tuple[list[dict], list[dict]]:
    """A staff card's lines (notes on what cannot be opened) and buttons for what can."""
    notes, buttons = [], []
    for item in items[:CARD_ITEMS_MAX]:
        if item.url:
            label = texts.MEDIA_BUTTON[item.kind] + (f" {item.name}" if item.name else "")
            buttons.append(_button({"type": "uri", "label": clip(label, LABEL_MAX), "uri": item.url}))
        if item.note:
            notes.append({"type": "text", "text": clip(f"{item.label.splitlines()[0]} {item.note}", 300),
                          "size": "xs", "wrap": True})
    if len(items) > CARD_ITEMS_MAX:
        notes.append({"type": "text", "text": texts.STAFF_NOTICE_MORE_ITEMS.format(count=len(items)), "size": "xs",
                      "wrap": True})
    return notes, buttons


def staff_notice(ticket_id: int, name: str, questions: list[str], asked_at: str, topic: str | None,
                 candidates: list[dict], followup: bool = False, items: list | None = None,
                 urgent: str | None = None) -> dict:
    """The card staff act on: who asked what and when, what they sent (the first photo shown,
    links to the rest), and buttons to take, close or answer."""
    items = items or []
    title = (texts.STAFF_EMERGENCY_TITLE if urgent else texts.STAFF_NOTICE_FOLLOWUP_TITLE if followup
             else texts.STAFF_NOTICE_TITLE).format(ticket=ticket_id)
    body = [{"type": "text", "text": texts.STAFF_NOTICE_FROM.format(name=name), "size": "sm", "wrap": True},
            {"type": "text", "text": texts.STAFF_NOTICE_AT.format(at=asked_at), "size": "xs"}]
    body += [{"type": "text", "text": clip(q, 1000), "wrap": True, "weight": "bold" if i == 0 else "regular"}
             for i, q in enumerate(questions[-8:])]
    notes, item_buttons = _item_rows(items)
    body += notes
    if urgent:  # "urgent": what the villager was told to call
        body.append({"type": "text", "text": urgent, "weight": "bold", "color": STAFF_RED, "wrap": True})
    if topic:
        body.append({"type": "text", "text": texts.STAFF_NOTICE_TOPIC.format(topic=topic), "size": "xs", "wrap": True})
    body.append({"type": "text", "text": texts.STAFF_NOTICE_HOWTO.format(ticket=ticket_id), "size": "xs", "wrap": True})
    buttons = [_button(postback(texts.STAFF_BUTTON_TAKE, f"{texts.STAFF_BUTTON_TAKE} #{ticket_id}", action="take",
                                ticket=str(ticket_id)), True, STAFF_RED),
               _button(postback(texts.STAFF_BUTTON_CLOSE, f"{texts.STAFF_BUTTON_CLOSE} #{ticket_id}", action="close",
                                ticket=str(ticket_id)))]
    buttons += item_buttons
    buttons += [_button(postback(texts.STAFF_BUTTON_ANSWER_WITH.format(name=s["name"]), action="answer_with",
                                 ticket=str(ticket_id), service=s["id"])) for s in candidates[:3]]
    alt = texts.STAFF_NOTICE_ALT.format(ticket=ticket_id, name=name, question=" / ".join(questions[-8:]))
    bubble = {"type": "bubble", "header": {"type": "box", "layout": "vertical", "backgroundColor": STAFF_RED,
              "contents": [{"type": "text", "text": title, "weight": "bold", "color": "#FFFFFF"}]},
              "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
              "footer": {"type": "box", "layout": "vertical", "spacing": "xs", "contents": buttons}}
    photo = next((i for i in items if i.image), None)
    if photo:  # the photo itself, on the card; a tap opens it full size
        bubble["hero"] = {"type": "image", "url": photo.preview or photo.image, "size": "full",
                          "aspectMode": "cover", "aspectRatio": "4:3",
                          "action": {"type": "uri", "label": texts.MEDIA_BUTTON["image"], "uri": photo.image}}
    return flex(alt, bubble)


def image_message(url: str, preview: str | None = None) -> dict:
    return {"type": "image", "originalContentUrl": url, "previewImageUrl": preview or url}
