"""The staff group: answer a ticket (``#N text`` or a quote-reply of its card), show it (``#N``),
list open ones (``เรื่องค้าง``), take or close it (buttons, or ``รับ #N`` / ``ปิด #N``).

Group replies use the reply token (free); only what must reach a villager is pushed.
"""
from __future__ import annotations

import re

from sqlalchemy import select

from bot import attachments, office, replies, texts, tickets
from bot.db import Setting, Ticket, utcnow
from bot.dispatch import NO_MATCH, Router
from bot.line import Incoming
from bot.privacy import mask_national_ids

PENDING_PREFIX = "staff_notice:"

# What staff can say or tap: (pattern or action, handler), read by ``bot.dispatch``.
commands = Router()


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
        ctx.reply(inc.reply_token, inc.chat_id, (messages + pending)[:5])


def _staff_name(ctx, inc: Incoming) -> str:
    return ctx.name_of(inc.user_id) or "เจ้าหน้าที่"


def _respond(ctx, inc: Incoming) -> list[dict]:
    if inc.kind == "join":
        return [replies.text_message(texts.STAFF_HELP)]
    if inc.kind == "postback":
        number = inc.postback.get("ticket", "")
        ticket = ctx.session.get(Ticket, int(number)) if number.isdigit() else None
        if ticket is None:
            return [_unknown(number or "?")]
        handler = commands.postback_handler(ctx, inc)
        return handler(ctx, inc, ticket) if handler else []
    if inc.kind != "message" or inc.message_type != "text" or not inc.text:
        return []
    result = commands.dispatch_text(ctx, inc, inc.text.strip())
    return [] if result is NO_MATCH else result  # no match: staff talking among themselves


def _unknown(number: str) -> dict:
    return replies.text_message(texts.STAFF_UNKNOWN_TICKET.format(ticket=number))


def _numbered(handler):
    """A text command naming ``#N`` in its first group: the handler gets the ticket (or staff hear
    there is no such ticket)."""
    def with_ticket(ctx, inc: Incoming, match):
        ticket = ctx.session.get(Ticket, int(match.group(1)))
        return handler(ctx, inc, ticket, match) if ticket is not None else [_unknown(match.group(1))]
    return with_ticket


# -- text commands, tried in this order ----------------------------------------------------------
@commands.when(lambda ctx, inc, text: inc.quoted_message_id and tickets.ticket_by_notice(ctx.session,
                                                                                         inc.quoted_message_id))
def _quoted_answer(ctx, inc: Incoming, ticket: Ticket) -> list[dict]:
    """A quote-reply on a ticket's card answers that ticket."""
    return _answer(ctx, inc, ticket, inc.text.strip())


@commands.words("เรื่องค้าง", "รายการ", "list", "open", "#", "ค้าง")
def _list_command(ctx, inc: Incoming, match) -> list[dict]:
    return [_open_list(ctx)]


@commands.words("วิธีใช้", "help", "ช่วยด้วย", "คำสั่ง")
def _help_command(ctx, inc: Incoming, match) -> list[dict]:
    return [replies.text_message(texts.STAFF_HELP)]


@commands.text(r"^\s*รับ\s*(?:เรื่อง)?\s*#?\s*(\d+)\s*$")
@_numbered
def _take_command(ctx, inc: Incoming, ticket: Ticket, match) -> list[dict]:
    return _take(ctx, inc, ticket)


@commands.text(r"^\s*ปิด\s*(?:เรื่อง)?\s*#?\s*(\d+)\s*$")
@_numbered
def _close_command(ctx, inc: Incoming, ticket: Ticket, match) -> list[dict]:
    return _close(ctx, inc, ticket)


@commands.text(r"^\s*#\s*(\d+)\s*$")
@_numbered
def _show_command(ctx, inc: Incoming, ticket: Ticket, match) -> list[dict]:
    return _summary(ctx, ticket)


@commands.text(r"^\s*#\s*(\d+)\s*(.*\S)\s*$", re.S)
@_numbered
def _answer_command(ctx, inc: Incoming, ticket: Ticket, match) -> list[dict]:
    return _answer(ctx, inc, ticket, match.group(2).strip())


# -- the buttons on a ticket's card (postback ``action``; the ticket is looked up first) ----------
@commands.postback("answer_with", when=lambda ctx, inc: inc.postback.get("service") in ctx.catalogue.by_id)
def _answer_with_button(ctx, inc: Incoming, ticket: Ticket) -> list[dict]:
    return _answer_with_service(ctx, inc, ticket, inc.postback["service"])


@commands.postback(None)
def _unknown_button(ctx, inc: Incoming, ticket: Ticket) -> list[dict]:
    return []


def _answer(ctx, inc: Incoming, ticket: Ticket, answer: str) -> list[dict]:
    if ticket.status != "open":
        return [replies.text_message(texts.STAFF_CLOSED_TICKET.format(ticket=ticket.id))]
    tickets.add_message(ctx.session, ticket, "staff", answer, _staff_name(ctx, inc))
    ctx.push(ticket.user_id,
                 [replies.text_message(texts.STAFF_ANSWER_TO_VILLAGER.format(ticket=ticket.id, answer=answer))],
                 "staff_answer", ticket.id)
    return [replies.text_message(texts.STAFF_ANSWER_SENT.format(ticket=ticket.id,
                                                                name=ticket.display_name or texts.UNKNOWN_NAME))]


def _answer_with_service(ctx, inc: Incoming, ticket: Ticket, service_id: str) -> list[dict]:
    if ticket.status != "open":
        return [replies.text_message(texts.STAFF_CLOSED_TICKET.format(ticket=ticket.id))]
    service = ctx.catalogue.by_id[service_id]
    tickets.add_message(ctx.session, ticket, "staff", service["name"], _staff_name(ctx, inc))
    ctx.push(ticket.user_id, replies.service_answer(service), "staff_answer", ticket.id)
    return [replies.text_message(texts.STAFF_ANSWERED_WITH_SERVICE.format(name=service["name"], ticket=ticket.id))]


@commands.postback("take")
def _take(ctx, inc: Incoming, ticket: Ticket) -> list[dict]:
    if ticket.status != "open":
        return [replies.text_message(texts.STAFF_CLOSED_TICKET.format(ticket=ticket.id))]
    ticket.taken_by = _staff_name(ctx, inc)
    ticket.updated_at = utcnow()
    return [replies.text_message(texts.STAFF_TAKEN.format(staff=ticket.taken_by, ticket=ticket.id))]


@commands.postback("close")
def _close(ctx, inc: Incoming, ticket: Ticket) -> list[dict]:
    if ticket.status != "open":
        return [replies.text_message(texts.STAFF_CLOSED_TICKET.format(ticket=ticket.id))]
    tickets.close(ticket)
    closed = texts.VILLAGER_TICKET_CLOSED.format(ticket=ticket.id)
    # The villager has no reply token here: the rating question rides in the same push.
    message = replies.rating_request(closed, ticket.id) if tickets.invite_rating(ticket, ctx.now) \
        else replies.text_message(closed)
    ctx.push(ticket.user_id, [message], "ticket_closed", ticket.id)
    return [replies.text_message(texts.STAFF_CLOSED.format(ticket=ticket.id))]


SUMMARY_IMAGES = 3  # photos shown as images under '#N' (a reply carries at most 5 messages)


def _summary(ctx, ticket: Ticket) -> list[dict]:
    """The ticket's conversation, then every photo, voice message, video, file and location in
    it with a freshly signed link, and the first photos themselves."""
    lines = "\n".join(f"{'👤' if m.author == 'villager' else '🧑‍💼'} {mask_national_ids(m.text or '…')}"
                      for m in ticket.messages[-15:])
    out = [replies.text_message(texts.STAFF_TICKET_SUMMARY.format(
        ticket=ticket.id, status=texts.STATUS_OPEN if ticket.status == "open" else texts.STATUS_CLOSED,
        taken=texts.TAKEN_BY.format(staff=ticket.taken_by) if ticket.taken_by else "",
        name=ticket.display_name or texts.UNKNOWN_NAME, at=office.local_stamp(ticket.created_at, ctx.catalogue.office), lines=lines))]
    links = attachments.Links(ctx.config.public_url, ctx.config.secret_key or "")
    items = attachments.items(ctx.session, links, ticket.id)
    if items:
        listed = "\n".join(f"{i}. {item.label.splitlines()[0]} {item.url or ''} {item.note or ''}".rstrip()
                           for i, item in enumerate(items, 1))
        out.append(replies.text_message(texts.MEDIA_LIST.format(ticket=ticket.id, count=len(items), lines=listed,
                                                                days=links.lifetime.days)))
        out += [replies.image_message(i.image, i.preview) for i in items if i.image][:SUMMARY_IMAGES]
    return out


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
