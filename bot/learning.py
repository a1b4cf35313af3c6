"""The learning loop and retention: what the bot could not answer, and forgetting old texts."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import sessionmaker

from bot import texts
from bot.db import InboundEvent, Inquiry, Media, OutboundMessage, Ticket, TicketMessage, utcnow
from bot.privacy import mask_national_ids
from bot.thai import Tokenizer, normalize

SIMILAR = 72  # rapidfuzz token_set_ratio on normalised text: same question, other words


@dataclass
class Group:
    question: str
    count: int = 1
    variants: list[str] = field(default_factory=list)
    closest: str | None = None
    chosen: str | None = None
    rejected: str | None = None  # the service villagers were answered and said "not this" to
    suggestion: str = ""
    _norms: list[str] = field(default_factory=list, repr=False)
    _candidates: Counter = field(default_factory=Counter, repr=False)
    _choices: Counter = field(default_factory=Counter, repr=False)
    _rejections: Counter = field(default_factory=Counter, repr=False)


def unanswered_report(session_factory: sessionmaker, knowledge, days: int) -> list[Group]:
    """Escalated or offered-a-choice questions, and answers the villager said were "not this"
    (the card's "ใช่เรื่องนี้ไหม"), grouped by similarity, most frequent first."""
    since = utcnow() - dt.timedelta(days=days)
    with session_factory() as s:
        # an answer the villager turned down: "not this", or another service picked after it
        turned_down = or_(Inquiry.helpful.is_(False), and_(Inquiry.chosen_service_id.is_not(None),
                                                           Inquiry.chosen_service_id != Inquiry.service_id))
        rows = s.execute(select(Inquiry.text, Inquiry.candidates, Inquiry.chosen_service_id, Inquiry.service_id,
                                Inquiry.helpful)
                         .where(Inquiry.created_at >= since, Inquiry.text.is_not(None),
                                or_(Inquiry.outcome.in_(["escalate", "choose"]), turned_down))
                         .order_by(Inquiry.id)).all()
    tokens = Tokenizer()  # the plain dictionary: catalogue compounds would hide shared words
    filler = knowledge.matcher.filler
    groups: list[Group] = []
    for text, candidates, chosen, answered, helpful in rows:
        text = mask_national_ids(text)  # a report leaves the ticket: admins need the words, not the ID
        norm = " ".join(t for t in tokens.tokens(normalize(text)) if t not in filler)
        home = next((g for g in groups if max(fuzz.token_set_ratio(norm, n) for n in g._norms[:5]) >= SIMILAR), None)
        if home is None:
            home = Group(question=text, count=0)
            groups.append(home)
        elif text != home.question and text not in home.variants:
            home.variants.append(text)
        home.count += 1
        home._norms.append(norm)
        rejected = set()
        if helpful is False:  # "not this" to the last card shown for this question
            rejected.add(chosen or answered)
        if answered and chosen and chosen != answered:  # the bot's answer, then another service picked
            rejected.add(answered)
        home._rejections.update(rejected)
        home._candidates.update([c for c in (candidates or []) if c not in rejected][:1])
        if chosen and chosen not in rejected:
            home._choices[chosen] += 1
    names = {s["id"]: s["name"] for s in knowledge.catalogue.services}
    for g in groups:
        g.closest = g._candidates.most_common(1)[0][0] if g._candidates else None
        g.chosen = g._choices.most_common(1)[0][0] if g._choices else None
        g.rejected = g._rejections.most_common(1)[0][0] if g._rejections else None
        target = g.chosen or (g.closest if g.closest in names else None)
        question = json.dumps(g.question, ensure_ascii=False)
        if g.rejected in names and not g.chosen:
            g.suggestion = texts.SUGGEST_NOT_THIS.format(service=g.rejected, name=names[g.rejected], question=question)
        elif target:
            g.suggestion = texts.SUGGEST_ADD_EXAMPLE.format(service=target, name=names[target], question=question)
        else:
            g.suggestion = texts.SUGGEST_ESCALATION_TOPIC.format(question=question)
    return sorted(groups, key=lambda g: -g.count)


def purge_texts(session_factory: sessionmaker, older_than: dt.timedelta, dry_run: bool = False) -> dict[str, int]:
    """PDPA retention: forget what villagers wrote and sent after a while. Tickets keep number,
    dates and status; photos, voice messages, videos, files and locations are deleted, and so are
    processed webhook events and sent messages (which contain texts, coordinates and links). Open
    tickets are never touched: staff are still working on them. ``dry_run`` counts, changes nothing."""
    cutoff = utcnow() - older_than
    open_tickets = select(Ticket.id).where(Ticket.status == "open")
    # (what, table, which rows, column to blank; None = delete the row)
    targets = [
        ("ticket messages", TicketMessage, and_(TicketMessage.created_at < cutoff, TicketMessage.text.is_not(None),
                                                TicketMessage.ticket_id.not_in(open_tickets)), "text"),
        ("media and locations", Media, and_(Media.created_at < cutoff, Media.ticket_id.not_in(open_tickets)), None),
        ("inquiries", Inquiry, and_(Inquiry.created_at < cutoff, Inquiry.text.is_not(None)), "text"),
        ("webhook events", InboundEvent, and_(InboundEvent.received_at < cutoff, InboundEvent.status != "pending"),
         None),
        ("sent messages", OutboundMessage, and_(OutboundMessage.created_at < cutoff, OutboundMessage.status != "pending",
                                                or_(OutboundMessage.ticket_id.is_(None),
                                                    OutboundMessage.ticket_id.not_in(open_tickets))), None),
    ]
    counts = {}
    with session_factory.begin() as s:
        for what, table, where, column in targets:
            if dry_run:
                counts[what] = s.scalar(select(func.count()).select_from(table).where(where))
            elif column:
                counts[what] = s.execute(update(table).where(where).values({column: None})).rowcount
            else:
                counts[what] = s.execute(delete(table).where(where)).rowcount
    return counts


def open_ticket_count(session_factory: sessionmaker) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(Ticket).where(Ticket.status == "open"))
