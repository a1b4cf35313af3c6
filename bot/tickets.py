"""Tickets: questions handed to staff, numbered ``#N``; one open ticket per villager."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import StaffNoticeLink, Ticket, TicketMessage, utcnow


def open_ticket_of(session: Session, user_id: str) -> Ticket | None:
    return session.scalars(select(Ticket).where(Ticket.user_id == user_id, Ticket.status == "open")
                           .order_by(Ticket.id.desc()).limit(1)).first()


def open_or_join(session: Session, user_id: str, text: str, display_name: str | None,
                 topic: str | None = None, candidates: list[str] | None = None) -> tuple[Ticket, bool]:
    """The villager's open ticket with this message added, or a new one. (ticket, is_new)"""
    ticket = open_ticket_of(session, user_id)
    is_new = ticket is None
    if is_new:
        ticket = Ticket(user_id=user_id, display_name=display_name, topic=topic, candidates=candidates or [])
        session.add(ticket)
        session.flush()  # assigns the #N
    add_message(session, ticket, "villager", text, display_name)
    return ticket, is_new


def add_message(session: Session, ticket: Ticket, author: str, text: str, author_name: str | None = None) -> None:
    session.add(TicketMessage(ticket_id=ticket.id, author=author, author_name=author_name, text=text))
    ticket.updated_at = utcnow()
    if author == "villager" and ticket.notified_at is not None:
        ticket.unnotified += 1


def villager_questions(session: Session, ticket: Ticket, only_unnotified: bool = False) -> list[str]:
    rows = session.scalars(select(TicketMessage).where(TicketMessage.ticket_id == ticket.id,
                                                       TicketMessage.author == "villager")
                           .order_by(TicketMessage.id)).all()
    texts = [m.text or "…" for m in rows]
    return texts[-ticket.unnotified:] if only_unnotified and ticket.unnotified else texts


def ticket_by_notice(session: Session, message_id: str) -> Ticket | None:
    link = session.get(StaffNoticeLink, message_id)
    return session.get(Ticket, link.ticket_id) if link else None


def close(ticket: Ticket) -> None:
    ticket.status, ticket.closed_at, ticket.updated_at = "closed", utcnow(), utcnow()


def followups_due(session: Session, batch: dt.timedelta) -> list[Ticket]:
    """Open tickets with follow-ups staff have not been shown, whose last notice is old enough."""
    return list(session.scalars(select(Ticket).where(Ticket.status == "open", Ticket.unnotified > 0,
                                                     Ticket.notified_at < utcnow() - batch)))


def open_tickets(session: Session) -> list[Ticket]:
    return list(session.scalars(select(Ticket).where(Ticket.status == "open").order_by(Ticket.id)))
