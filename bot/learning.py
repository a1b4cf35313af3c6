"""The learning loop and retention: what the bot could not answer, and forgetting old texts."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlalchemy import delete, select, update
from sqlalchemy.orm import sessionmaker

from bot.db import InboundEvent, Inquiry, OutboundMessage, TicketMessage, utcnow
from bot.thai import Tokenizer, normalize

SIMILAR = 72  # rapidfuzz token_set_ratio on normalised text: same question, other words


@dataclass
class Group:
    question: str
    count: int = 1
    variants: list[str] = field(default_factory=list)
    closest: str | None = None
    chosen: str | None = None
    suggestion: str = ""
    _norms: list[str] = field(default_factory=list, repr=False)
    _candidates: Counter = field(default_factory=Counter, repr=False)
    _choices: Counter = field(default_factory=Counter, repr=False)


def unanswered_report(session_factory: sessionmaker, knowledge, days: int) -> list[Group]:
    """Escalated or offered-a-choice questions, grouped by similarity, most frequent first."""
    since = utcnow() - dt.timedelta(days=days)
    with session_factory() as s:
        rows = s.execute(select(Inquiry.text, Inquiry.candidates, Inquiry.chosen_service_id)
                         .where(Inquiry.created_at >= since, Inquiry.outcome.in_(["escalate", "choose"]),
                                Inquiry.text.is_not(None)).order_by(Inquiry.id)).all()
    tokens = Tokenizer()  # the plain dictionary: catalogue compounds would hide shared words
    filler = knowledge.matcher.filler
    groups: list[Group] = []
    for text, candidates, chosen in rows:
        norm = " ".join(t for t in tokens.tokens(normalize(text)) if t not in filler)
        home = next((g for g in groups if max(fuzz.token_set_ratio(norm, n) for n in g._norms[:5]) >= SIMILAR), None)
        if home is None:
            home = Group(question=text, count=0)
            groups.append(home)
        elif text != home.question and text not in home.variants:
            home.variants.append(text)
        home.count += 1
        home._norms.append(norm)
        home._candidates.update((candidates or [])[:1])
        if chosen:
            home._choices[chosen] += 1
    names = {s["id"]: s["name"] for s in knowledge.catalogue.services}
    for g in groups:
        g.closest = g._candidates.most_common(1)[0][0] if g._candidates else None
        g.chosen = g._choices.most_common(1)[0][0] if g._choices else None
        target = g.chosen or (g.closest if g.closest in names else None)
        if target:
            g.suggestion = (f'services id={target} ({names[target]}): add to "examples": '
                            + json.dumps(g.question, ensure_ascii=False))
        else:
            g.suggestion = ('not a catalogue service: if staff answer it often, add its words to an '
                            '"escalation_topics" entry (or a new service) — ' + json.dumps(g.question, ensure_ascii=False))
    return sorted(groups, key=lambda g: -g.count)


def purge_texts(session_factory: sessionmaker, older_than: dt.timedelta) -> dict[str, int]:
    """PDPA retention: forget what villagers wrote after a while. Tickets keep number, dates and
    status; processed webhook events and sent messages (which contain texts) are deleted."""
    cutoff = utcnow() - older_than
    with session_factory.begin() as s:
        counts = {
            "ticket messages": s.execute(update(TicketMessage).where(TicketMessage.created_at < cutoff,
                                                                     TicketMessage.text.is_not(None))
                                         .values(text=None)).rowcount,
            "inquiries": s.execute(update(Inquiry).where(Inquiry.created_at < cutoff, Inquiry.text.is_not(None))
                                   .values(text=None)).rowcount,
            "webhook events": s.execute(delete(InboundEvent).where(InboundEvent.received_at < cutoff,
                                                                   InboundEvent.status != "pending")).rowcount,
            "sent messages": s.execute(delete(OutboundMessage).where(OutboundMessage.created_at < cutoff,
                                                                     OutboundMessage.status != "pending")).rowcount,
        }
    return counts
