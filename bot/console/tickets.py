"""The inbox and a ticket's page: read, answer, take, close (through bot.staff, as the LINE group)."""
from __future__ import annotations

import datetime as dt
import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from bot import attachments, texts
from bot.console.common import Console
from bot.db import Inquiry, Media, OutboundMessage, Ticket, TicketMessage, utcnow
from bot.line import Incoming, parse_postback
from bot.privacy import mask_national_ids

ANSWER_MAX = 4500          # LINE text messages hold 5,000 characters; the prefix takes some
INBOX_LIMIT = 200
CONSOLE_LINK_LIFETIME = dt.timedelta(hours=12)  # a ticket page's media links: a working day


def register(bp: Blueprint, c: Console) -> None:
    sf, store, processor, config, audit = c.sf, c.store, c.processor, c.config, c.audit

    @bp.get("/", strict_slashes=False)
    @login_required
    def inbox():
        q = request.args.get("q", "").strip()
        show = request.args.get("show", "open")
        query = select(Ticket)
        if show == "closed":
            query = query.where(Ticket.status == "closed")
        elif show == "mine":
            query = query.where(Ticket.status == "open", Ticket.taken_by == current_user.username)
        elif show == "untaken":
            query = query.where(Ticket.status == "open", Ticket.taken_by.is_(None))
        elif show != "all":
            query = query.where(Ticket.status == "open")
        if q:
            number = q.lstrip("#").strip()
            like = f"%{q}%"
            conditions = [Ticket.display_name.ilike(like), Ticket.taken_by.ilike(like),
                          Ticket.id.in_(select(TicketMessage.ticket_id).where(TicketMessage.text.ilike(like)))]
            if number.isdigit():
                conditions.append(Ticket.id == int(number))
            query = query.where(or_(*conditions))
        with sf() as s:
            rows = s.scalars(query.order_by(Ticket.updated_at.desc(), Ticket.id.desc()).limit(INBOX_LIMIT)).all()
            firsts = _first_questions(s, [t.id for t in rows])
        cat = store.current.catalogue
        items = [{"t": t, "question": mask_national_ids(firsts.get(t.id) or "…"), "topic": _topic(cat, t)}
                 for t in rows]
        return render_template("console/inbox.html", items=items, q=q, show=show, now=utcnow())

    @bp.get("/tickets/<int:ticket_id>")
    @login_required
    def ticket(ticket_id: int):
        with sf() as s:
            t = s.get(Ticket, ticket_id)
            if t is None:
                abort(404)
            # links signed like the staff cards' (same key), on the host the console is opened from,
            # so photos open here even before PUBLIC_URL is set
            links = attachments.Links(request.host_url, config.secret_key, CONSOLE_LINK_LIFETIME)
            timeline = _timeline(s, t, store.current.catalogue, links)
            topic = _topic(store.current.catalogue, t)
            s.expunge(t)
        return render_template("console/ticket.html", t=t, timeline=timeline, topic=topic, now=utcnow(),
                               answer_max=ANSWER_MAX)

    def _staff_event(kind: str, text: str | None = None, postback: str | None = None) -> Incoming:
        """What the LINE group would have sent: the console acts through bot.staff as that."""
        return Incoming(event_id="console-" + uuid.uuid4().hex, kind=kind, source_type="group",
                        user_id=f"console:{current_user.username}", chat_id=config.staff_group_id or "",
                        message_type="text" if text is not None else None, text=text,
                        postback=parse_postback(postback))

    def _act(ticket_id: int, inc: Incoming, action: str, detail: str | None = None):
        with sf() as s:
            if s.get(Ticket, ticket_id) is None:
                abort(404)
        queued = processor.handle_console(
            inc, {inc.user_id: current_user.username},
            also=lambda s: audit(s, action, f"#{ticket_id}", detail))
        group = [m.get("text") for row in queued if row.to == config.staff_group_id and row.purpose == "reply"
                 for m in row.messages if m.get("type") == "text"]
        for line in group:
            flash(line)
        if not config.staff_group_id:
            flash(texts.CONSOLE_NO_GROUP)
        return redirect(url_for(".ticket", ticket_id=ticket_id))

    @bp.post("/tickets/<int:ticket_id>/answer")
    @login_required
    def answer(ticket_id: int):
        text = request.form.get("answer", "").replace("\r\n", "\n").strip()
        if not text:
            flash(texts.CONSOLE_ANSWER_EMPTY, "error")
            return redirect(url_for(".ticket", ticket_id=ticket_id))
        if len(text) > ANSWER_MAX:
            flash(texts.CONSOLE_ANSWER_TOO_LONG.format(limit=ANSWER_MAX), "error")
            return redirect(url_for(".ticket", ticket_id=ticket_id))
        # Exactly what a staff member would type in the LINE group: "#N answer".
        return _act(ticket_id, _staff_event("message", text=f"#{ticket_id} {text}"), "answer", text[:1000])

    @bp.post("/tickets/<int:ticket_id>/take")
    @login_required
    def take(ticket_id: int):
        return _act(ticket_id, _staff_event("postback", postback=f"action=take&ticket={ticket_id}"), "take")

    @bp.post("/tickets/<int:ticket_id>/close")
    @login_required
    def close(ticket_id: int):
        return _act(ticket_id, _staff_event("postback", postback=f"action=close&ticket={ticket_id}"), "close")


def age(now: dt.datetime, then: dt.datetime) -> str:
    minutes = int((now - then).total_seconds() // 60)
    if minutes >= 1440:
        return f"{minutes // 1440} วัน"
    return f"{minutes // 60} ชม." if minutes >= 60 else f"{minutes} นาที"


def _topic(cat, t: Ticket) -> str:
    if t.topic and t.topic in cat.topic_names:
        return cat.topic_names[t.topic]
    names = [cat.by_id[c]["name"] for c in (t.candidates or []) if c in cat.by_id]
    return ("ใกล้เคียง: " + names[0]) if names else ""


def _first_questions(s, ids: list[int]) -> dict[int, str | None]:
    out: dict[int, str | None] = {}
    if not ids:
        return out
    rows = s.execute(select(TicketMessage.ticket_id, TicketMessage.text)
                     .where(TicketMessage.ticket_id.in_(ids), TicketMessage.author == "villager")
                     .order_by(TicketMessage.id)).all()
    for ticket_id, text in rows:
        out.setdefault(ticket_id, text)
    return out


def _message_text(m: dict) -> str:
    if m.get("type") == "text":
        return m.get("text", "")
    return m.get("altText") or f"[{m.get('type')}]"


def _timeline(s, t: Ticket, cat, links: attachments.Links) -> list[dict]:
    """The whole conversation: the villager's messages (with the photos, voice, videos, files and
    places they sent), staff answers, what the bot said to the villager about this ticket, and the
    bot's own answers to questions asked while it was open."""
    with_media = set(s.scalars(select(Media.ticket_message_id).where(Media.ticket_id == t.id)))
    items = [{"at": m.created_at, "who": m.author, "name": m.author_name,
              "text": m.text if m.text is not None else "(ลบข้อความตามระยะเวลาเก็บรักษาแล้ว)",
              "media": attachments.items(s, links, t.id, after=m.id - 1, upto=m.id) if m.id in with_media else []}
             for m in t.messages]
    sent = s.scalars(select(OutboundMessage).where(OutboundMessage.ticket_id == t.id,
                                                   OutboundMessage.to == t.user_id,
                                                   OutboundMessage.purpose != "staff_answer")).all()
    for row in sent:
        items.append({"at": row.created_at, "who": "bot", "name": None, "media": [],
                      "text": "\n".join(_message_text(m) for m in row.messages)})
    end = t.closed_at or utcnow()
    asked = s.execute(select(Inquiry.created_at, Inquiry.outcome, Inquiry.service_id, Inquiry.candidates,
                             Inquiry.chosen_service_id)
                      .where(Inquiry.user_id == t.user_id, Inquiry.created_at > t.created_at,
                             Inquiry.created_at <= end, Inquiry.outcome != "escalate")).all()
    for at, outcome, service_id, candidates, chosen in asked:
        if outcome == "answer" and service_id in cat.by_id:
            text = "ตอบด้วยบริการ: " + cat.by_id[service_id]["name"]
        elif outcome == "choose":
            names = [cat.by_id[c]["name"] for c in (candidates or []) if c in cat.by_id]
            text = "ให้เลือก: " + ", ".join(names) + (f" (ผู้ถามเลือก {cat.by_id[chosen]['name']})"
                                                        if chosen in cat.by_id else "")
        else:
            text = "ตอบทักทาย/ข้อมูลทั่วไป"
        items.append({"at": at, "who": "bot", "name": None, "text": text, "media": []})
    for item in items:
        if item["who"] != "staff":
            item["text"] = mask_national_ids(item["text"])
    return sorted(items, key=lambda x: x["at"])
