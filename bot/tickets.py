"""Tickets: questions handed to staff, numbered ``#N``; one open ticket per villager."""
from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.db import StaffNoticeLink, Ticket, TicketMessage, utcnow


# Asked for nearly every villager message, and usually there is none: look up the id (a statement
# built once), load the ticket only when there is one.
_OPEN_TICKET_ID = (select(Ticket.id).where(Ticket.user_id == bindparam("user_id"), Ticket.status == "open")
                   .order_by(Ticket.id.desc()).limit(1))


def open_ticket_of(session: Session, user_id: str) -> Ticket | None:
    ticket_id = session.scalar(_OPEN_TICKET_ID, {"user_id": user_id})
    return session.get(Ticket, ticket_id) if ticket_id is not None else None


def open_or_join(session: Session, user_id: str, text: str, display_name: str | None,
                 topic: str | None = None, candidates: list[str] | None = None,
                 current: Ticket | None = ...) -> tuple[Ticket, bool]:
    """The villager's open ticket with this message added, or a new one. (ticket, is_new)
    ``current``: their open ticket (or None), when the caller has already looked it up."""
    ticket = open_ticket_of(session, user_id) if current is ... else current
    is_new = ticket is None
    if is_new:
        ticket = Ticket(user_id=user_id, display_name=display_name, topic=topic, candidates=candidates or [])
        session.add(ticket)
        session.flush()  # assigns the #N
    add_message(session, ticket, "villager", text, display_name)
    return ticket, is_new


def add_message(session: Session, ticket: Ticket, author: str, text: str, author_name: str | None = None) -> None:
    message = TicketMessage(ticket_id=ticket.id, author=author, author_name=author_name, text=text)
    session.add(message)
    session.flush()
    ticket.updated_at = utcnow()
    if author == "villager":
        ticket.last_villager_message_id = message.id


def villager_messages(session: Session, ticket_id: int, after: int | None, upto: int) -> list[str]:
    """The villager's messages with after < id <= upto (all of them when ``after`` is None)."""
    query = select(TicketMessage.text).where(TicketMessage.ticket_id == ticket_id, TicketMessage.author == "villager",
                                             TicketMessage.id <= upto)
    if after is not None:
        query = query.where(TicketMessage.id > after)
    return [t or "…" for t in session.scalars(query.order_by(TicketMessage.id))]


def ticket_by_notice(session: Session, message_id: str) -> Ticket | None:
    link = session.get(StaffNoticeLink, message_id)
    return session.get(Ticket, link.ticket_id) if link else None


def close(ticket: Ticket) -> None:
    ticket.status, ticket.closed_at, ticket.updated_at = "closed", utcnow(), utcnow()


def invite_rating(ticket: Ticket, now) -> bool:
    """True the one time a closed ticket's villager should be asked to rate it (never twice)."""
    if ticket.rating_asked_at is not None or ticket.rating is not None:
        return False
    ticket.rating_asked_at = now
    return True


def awaiting_rating(session: Session, user_id: str, since) -> Ticket | None:
    """The villager's latest ticket they were asked to rate (after ``since``) and have not yet."""
    return session.scalars(select(Ticket).where(Ticket.user_id == user_id, Ticket.rating_asked_at >= since,
                                                Ticket.rating.is_(None))
                           .order_by(Ticket.rating_asked_at.desc()).limit(1)).first()


def open_tickets(session: Session) -> list[Ticket]:
    return list(session.scalars(select(Ticket).where(Ticket.status == "open").order_by(Ticket.id)))


def last_bot_note(session: Session, ticket_id: int) -> str | None:
    """What the bot last told the villager on this ticket (an emergency's hotline)."""
    return session.scalars(select(TicketMessage.text).where(TicketMessage.ticket_id == ticket_id,
                                                            TicketMessage.author == "bot")
                           .order_by(TicketMessage.id.desc()).limit(1)).first()
