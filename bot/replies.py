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


def _button(action: dict, primary: bool = False) -> dict:
    return {"type": "button", "action": action, "style": "primary" if primary else "link",
            "height": "sm", **({"color": BRAND} if primary else {})}


def service_bubble(service: dict, choose: bool = False) -> dict:
    """The answer card: name, agency, numbered steps, a call button per phone, website, staff."""
    steps = [{"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
        {"type": "text", "text": f"{i}.", "flex": 0, "size": "sm", "color": "#555555"},
        {"type": "text", "text": clip(step, 300), "wrap": True, "size": "sm", "flex": 1}]}
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
             "size": "xs", "wrap": True, "color": "#E8F5E9"}]},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "text", "text": texts.STEPS_TITLE, "weight": "bold", "size": "sm"}, *steps]},
        "footer": {"type": "box", "layout": "vertical", "spacing": "xs", "contents": buttons},
    }


def service_alt_text(service: dict) -> str:
    steps = " ".join(f"{i}) {s}" for i, s in enumerate(service["steps"], 1))
    return clip(texts.ALT_SERVICE.format(name=service["name"], steps=steps, phones=", ".join(service["phones"]),
                                         url=service["url"]), ALT_TEXT_MAX)


def flex(alt_text: str, contents: dict) -> dict:
    return {"type": "flex", "altText": clip(alt_text, ALT_TEXT_MAX), "contents": contents}


def service_answer(service: dict) -> list[dict]:
    msg = flex(service_alt_text(service), service_bubble(service))
    msg["quickReply"] = quick_reply(default_quick())
    return [msg]


def choice_carousel(services: list[dict]) -> list[dict]:
    """Top candidates, each answerable at once, plus "none of these: ask staff"."""
    bubbles = [service_bubble(s, choose=True) for s in services[: CAROUSEL_MAX - 1]]
    bubbles.append({"type": "bubble", "size": "kilo", "body": {"type": "box", "layout": "vertical", "spacing": "md",
        "contents": [{"type": "text", "text": texts.CHOOSE_NONE_TITLE, "weight": "bold", "wrap": True},
                     {"type": "text", "text": texts.CHOOSE_NONE_TEXT, "wrap": True, "size": "sm"}]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            _button(postback(texts.BUTTON_NONE, texts.ASK_STAFF_DISPLAY, action="ask_staff"), True)]}})
    alt = texts.ALT_CHOOSE.format(names=", ".join(s["name"] for s in services))
    return [text_message(texts.CHOOSE_INTRO), flex(alt, {"type": "carousel", "contents": bubbles})]


def category_menu(categories: list[dict], services: list[dict], office_short: str,
                  category_id: str | None = None) -> dict:
    """Help: the groups as quick replies; a chosen group lists its services as quick replies."""
    if category_id is None:
        return text_message(texts.HELP.format(count=len(services), office_short=office_short),
                            [(c["name"], c["name"]) for c in categories] + [(texts.QUICK_CONTACT, texts.QUICK_CONTACT)])
    cat = next(c for c in categories if c["id"] == category_id)
    members = [s for s in services if s.get("category") == category_id]
    lines = "\n".join(f"• {s['name']}" for s in members)
    return text_message(texts.CATEGORY_LIST.format(category=cat["name"], lines=lines),
                        [(s["name"], s["name"]) for s in members])


def size_ok(message: dict) -> bool:
    """True when a Flex message is within LINE's size limits."""
    if message.get("type") != "flex":
        return True
    size = len(json.dumps(message["contents"], ensure_ascii=False).encode())
    if message["contents"]["type"] == "carousel":
        return size <= 50_000 and len(message["contents"]["contents"]) <= CAROUSEL_MAX
    return size <= BUBBLE_BYTES_MAX and len(message["altText"]) <= ALT_TEXT_MAX


def staff_notice(ticket_id: int, name: str, questions: list[str], asked_at: str, topic: str | None,
                 candidates: list[dict], followup: bool = False) -> dict:
    """The card staff act on: who asked what and when, and buttons to take, close or answer."""
    title = (texts.STAFF_NOTICE_FOLLOWUP_TITLE if followup else texts.STAFF_NOTICE_TITLE).format(ticket=ticket_id)
    body = [{"type": "text", "text": texts.STAFF_NOTICE_FROM.format(name=name), "size": "sm", "wrap": True},
            {"type": "text", "text": texts.STAFF_NOTICE_AT.format(at=asked_at), "size": "xs", "color": "#777777"}]
    body += [{"type": "text", "text": clip(q, 1000), "wrap": True, "weight": "bold" if i == 0 else "regular"}
             for i, q in enumerate(questions[-8:])]
    if topic:
        body.append({"type": "text", "text": texts.STAFF_NOTICE_TOPIC.format(topic=topic), "size": "xs",
                     "color": "#777777", "wrap": True})
    body.append({"type": "text", "text": texts.STAFF_NOTICE_HOWTO.format(ticket=ticket_id), "size": "xs",
                 "color": "#777777", "wrap": True})
    buttons = [_button(postback(texts.STAFF_BUTTON_TAKE, f"{texts.STAFF_BUTTON_TAKE} #{ticket_id}", action="take",
                                ticket=str(ticket_id)), True),
               _button(postback(texts.STAFF_BUTTON_CLOSE, f"{texts.STAFF_BUTTON_CLOSE} #{ticket_id}", action="close",
                                ticket=str(ticket_id)))]
    buttons += [_button(postback(texts.STAFF_BUTTON_ANSWER_WITH.format(name=s["name"]), action="answer_with",
                                 ticket=str(ticket_id), service=s["id"])) for s in candidates[:3]]
    alt = texts.STAFF_NOTICE_ALT.format(ticket=ticket_id, name=name, question=" / ".join(questions[-8:]))
    return flex(alt, {"type": "bubble", "header": {"type": "box", "layout": "vertical", "backgroundColor": "#B3261E",
                      "contents": [{"type": "text", "text": title, "weight": "bold", "color": "#FFFFFF"}]},
                      "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
                      "footer": {"type": "box", "layout": "vertical", "spacing": "xs", "contents": buttons}})
