"""The staff group: answer a ticket (``#N text`` or a quote-reply of its card), show it (``#N``),
list open ones (``เรื่องค้าง``), take or close it (buttons, or ``รับ #N`` / ``ปิด #N``).

Group replies use the reply token (free); only what must reach a villager is pushed.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs

from sqlalchemy import select

from bot import office, replies, texts, tickets
from bot.db import Setting, Ticket, utcnow
from bot.line import Incoming
from bot.outbox import enqueue_push, enqueue_reply
from bot.privacy import mask_national_ids

_ANSWER = re.compile(r"^\s*#\s*(\d+)\s*(.*)$", re.S)
_COMMAND = re.compile(r"^\s*(รับ|ปิด)\s*(?:เรื่อง)?\s*#?\s*(\d+)\s*$")
_LIST = {"เรื่องค้าง", "รายการ", "list", "open", "#", "ค้าง"}
_HELP = {"วิธีใช้", "help", "ช่วยด้วย", "คำสั่ง"}
PENDING_PREFIX = "staff_notice:"


def queue_staff_notice(session, key: str, text: str) -> bool:
    """Remember a warning for staff, told once on their next message (a reply, so free)."""
    if session.get(Setting, PENDING_PREFIX + key) is not None:
        return False
    session.add(Setting(key=PENDING_PREFIX + key, value=text))
    return True


def _take_pending(session) -> list[dict]:
    rows = session.scalars(select(Setting).where(Setting.key.startswith(PENDING_PREFIX),
                                                 Setting.value.is_not(None))).all()
    out = []
    for row in rows:
        out.append(replies.text_message(row.value))
        row.value, row.updated_at = None, utcnow()  # told; the key stays so it is not told again
    return out


def handle(ctx, inc: Incoming) -> None:
    messages = _respond(ctx, inc)
    pending = _take_pending(ctx.session) if inc.reply_token else []
    if messages or pending:
        enqueue_reply(ctx.session, inc.reply_token, inc.chat_id, (messages + pending)[:5])


def _staff_name(ctx, inc: Incoming) -> str:
    return ctx.name_of(inc.user_id) or "เจ้าหน้าที่"


def _respond(ctx, inc: Incoming) -> list[dict]:
    s = ctx.session
    if inc.kind == "join":
        return [replies.text_message(texts.STAFF_HELP)]
    if inc.kind == "postback":
        data = {k: v[0] for k, v in parse_qs(inc.postback_data or "").items()}
        ticket = s.get(Ticket, int(data["ticket"])) if data.get("ticket", "").isdigit() else None
        if ticket is None:
            return [replies.text_message(texts.STAFF_UNKNOWN_TICKET.format(ticket=data.get("ticket", "?")))]
        if data.get("action") == "take":
            return _take(ctx, inc, ticket)
        if data.get("action") == "close":
            return _close(ctx, ticket)
        if data.get("action") == "answer_with" and data.get("service") in ctx.catalogue.by_id:
            return _answer_with_service(ctx, inc, ticket, data["service"])
        return []
    if inc.kind != "message" or inc.message_type != "text" or not inc.text:
        return []
    text = inc.text.strip()
    if inc.quoted_message_id:
        ticket = tickets.ticket_by_notice(s, inc.quoted_message_id)
        if ticket is not None:
            return _answer(ctx, inc, ticket, text)
    if text.lower() in _LIST:
        return [_open_list(ctx)]
    if text.lower() in _HELP:
        return [replies.text_message(texts.STAFF_HELP)]
    cmd = _COMMAND.match(text)
    if cmd:
        ticket = s.get(Ticket, int(cmd.group(2)))
        if ticket is None:
            return [replies.text_message(texts.STAFF_UNKNOWN_TICKET.format(ticket=cmd.group(2)))]
        return _take(ctx, inc, ticket) if cmd.group(1) == "รับ" else _close(ctx, ticket)
    m = _ANSWER.match(text)
    if not m:
        return []  # staff talking among themselves
    ticket = s.get(Ticket, int(m.group(1)))
    if ticket is None:
        return [replies.text_message(texts.STAFF_UNKNOWN_TICKET.format(ticket=m.group(1)))]
    if not m.group(2).strip():
        return [_summary(ctx, ticket)]
    return _answer(ctx, inc, ticket, m.group(2).strip())


def _answer(ctx, inc: Incoming, ticket: Ticket, answer: str) -> list[dict]:
    if ticket.status != "open":
        return [replies.text_message(texts.STAFF_CLOSED_TICKET.format(ticket=ticket.id))]
    tickets.add_message(ctx.session, ticket, "staff", answer, _staff_name(ctx, inc))
    enqueue_push(ctx.session, ticket.user_id,
                 [replies.text_message(texts.STAFF_ANSWER_TO_VILLAGER.format(ticket=ticket.id, answer=answer))],
                 "staff_answer", ticket.id)
    return [replies.text_message(texts.STAFF_ANSWER_SENT.format(ticket=ticket.id,
                                                                name=ticket.display_name or texts.UNKNOWN_NAME))]


def _answer_with_service(ctx, inc: Incoming, ticket: Ticket, service_id: str) -> list[dict]:
    if ticket.status != "open":
        return [replies.text_message(texts.STAFF_CLOSED_TICKET.format(ticket=ticket.id))]
    service = ctx.catalogue.by_id[service_id]
    tickets.add_message(ctx.session, ticket, "staff", service["name"], _staff_name(ctx, inc))
    enqueue_push(ctx.session, ticket.user_id, replies.service_answer(service), "staff_answer", ticket.id)
    return [replies.text_message(texts.STAFF_ANSWERED_WITH_SERVICE.format(name=service["name"], ticket=ticket.id))]


def _take(ctx, inc: Incoming, ticket: Ticket) -> list[dict]:
    if ticket.status != "open":
        return [replies.text_message(texts.STAFF_CLOSED_TICKET.format(ticket=ticket.id))]
    ticket.taken_by = _staff_name(ctx, inc)
    ticket.updated_at = utcnow()
    return [replies.text_message(texts.STAFF_TAKEN.format(staff=ticket.taken_by, ticket=ticket.id))]


def _close(ctx, ticket: Ticket) -> list[dict]:
    if ticket.status != "open":
        return [replies.text_message(texts.STAFF_CLOSED_TICKET.format(ticket=ticket.id))]
    tickets.close(ticket)
    enqueue_push(ctx.session, ticket.user_id,
                 [replies.text_message(texts.VILLAGER_TICKET_CLOSED.format(ticket=ticket.id))], "ticket_closed",
                 ticket.id)
    return [replies.text_message(texts.STAFF_CLOSED.format(ticket=ticket.id))]


def _summary(ctx, ticket: Ticket) -> dict:
    lines = "\n".join(f"{'👤' if m.author == 'villager' else '🧑‍💼'} {mask_national_ids(m.text or '…')}"
                      for m in ticket.messages[-15:])
    return replies.text_message(texts.STAFF_TICKET_SUMMARY.format(
        ticket=ticket.id, status=texts.STATUS_OPEN if ticket.status == "open" else texts.STATUS_CLOSED,
        taken=texts.TAKEN_BY.format(staff=ticket.taken_by) if ticket.taken_by else "",
        name=ticket.display_name or texts.UNKNOWN_NAME, at=office.local_stamp(ticket.created_at, ctx.catalogue.office), lines=lines))


def _age(ticket: Ticket) -> str:
    minutes = int((utcnow() - ticket.created_at).total_seconds() // 60)
    return f"{minutes // 1440} วัน" if minutes >= 1440 else f"{minutes // 60} ชม." if minutes >= 60 else f"{minutes} นาที"


def _open_list(ctx) -> dict:
    open_ = tickets.open_tickets(ctx.session)
    if not open_:
        return replies.text_message(texts.STAFF_NO_OPEN)
    lines = "\n".join(f"#{t.id} ({_age(t)}) {t.display_name or texts.UNKNOWN_NAME}"
                      f"{' ✋' + t.taken_by if t.taken_by else ''}: "
                      f"{mask_national_ids((t.messages[0].text or '…') if t.messages else '')[:60]}"
                      for t in open_[:30])
    return replies.text_message(texts.STAFF_OPEN_LIST.format(count=len(open_), lines=lines))
