"""Tickets: questions handed to staff, numbered ``#N``; one open ticket per villager."""
from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, make_transient_to_detached

from bot.db import Prepared, StaffNoticeLink, Ticket, TicketMessage, utcnow


def open_ticket_id_of(user_id):
    """The id of ``user_id``'s open ticket (a scalar subquery): also asked by the statement that
    stores a villager's event, so the answer is usually at hand (``known`` below)."""
    return (select(Ticket.id).where(Ticket.user_id == user_id, Ticket.status == "open")
            .order_by(Ticket.id.desc()).limit(1).scalar_subquery())


# Asked for nearly every villager message, and usually there is none: look up the id (a statement
# built once), load the ticket only when there is one.
_OPEN_TICKET_ID = Prepared(select(open_ticket_id_of(bindparam("user_id"))))


def open_ticket_of(session: Session, user_id: str, known: int | None = ...) -> Ticket | None:
    """``known``: the open ticket's id (or None) when this transaction has already asked."""
    if known is ...:
        session.flush()  # (nothing to flush, usually) the query goes to the connection, past the ORM
        known = _OPEN_TICKET_ID.scalar(session.connection(), {"user_id": user_id})
    return session.get(Ticket, known) if known is not None else None


def known_name_of(user_id):
    """The villager's LINE name from an earlier ticket of theirs (a scalar subquery): a returning
    villager costs no profile call."""
    return (select(Ticket.display_name).where(Ticket.user_id == user_id, Ticket.display_name.is_not(None))
            .order_by(Ticket.id.desc()).limit(1).scalar_subquery())


_KNOWN_NAME = Prepared(select(known_name_of(bindparam("user_id"))))


def known_name(session: Session, user_id: str) -> str | None:
    return _KNOWN_NAME.scalar(session.connection(), {"user_id": user_id})


# A new ticket and each message are written by statements built once, not ORM flushes (an
# escalation is a third of what villagers send, and ORM flushes cost more than the statements).
# A new ticket takes the villager's name from their earlier tickets in the same statement.
_TICKETS, _MESSAGES = Ticket.__table__, TicketMessage.__table__
_NEW_TICKET = Prepared(_TICKETS.insert().values(display_name=func.coalesce(bindparam("name_given"),
                                                                           known_name_of(bindparam("name_of"))))
                       .returning(_TICKETS.c.id, _TICKETS.c.display_name), (
    "user_id", "status", "topic", "candidates", "taken_by", "created_at", "updated_at", "closed_at",
    "notified_at", "notified_upto", "last_villager_message_id", "rating", "rating_asked_at", "rated_at"))
_NEW_MESSAGE = Prepared(_MESSAGES.insert().returning(_MESSAGES.c.id),
                        ("ticket_id", "author", "author_name", "text", "created_at"))
_LAST_VILLAGER_MESSAGE = Prepared(_TICKETS.update().where(_TICKETS.c.id == bindparam("ticket_id"))
                                  .values(last_villager_message_id=bindparam("message_id")))


def _new_ticket(session: Session, user_id: str, text: str, display_name: str | None, topic: str | None,
                candidates: list[str]) -> Ticket:
    """Insert a ticket and its first (villager) message; the ticket comes back as a persistent,
    unchanged ORM instance (what the rest of the transaction reads and may change). Its name is
    ``display_name``, else the one an earlier ticket of theirs has, else None."""
    now = utcnow()
    values = dict(user_id=user_id, status="open", topic=topic, candidates=candidates,
                  taken_by=None, created_at=now, updated_at=now, closed_at=None, notified_at=None,
                  notified_upto=None, last_villager_message_id=None, rating=None, rating_asked_at=None,
                  rated_at=None)
    conn = session.connection()
    ticket_id, name = _NEW_TICKET.row(conn, {**values, "name_given": display_name, "name_of": user_id})
    message_id = _NEW_MESSAGE.scalar(conn, {"ticket_id": ticket_id, "author": "villager", "author_name": display_name,
                                            "text": text, "created_at": now})
    _LAST_VILLAGER_MESSAGE.run(conn, {"ticket_id": ticket_id, "message_id": message_id})
    ticket = Ticket(id=ticket_id, display_name=name, **dict(values, last_villager_message_id=message_id))
    make_transient_to_detached(ticket)  # as if loaded: what it holds is what the row says
    session.add(ticket)
    return ticket


def open_or_join(session: Session, user_id: str, text: str, display_name: str | None,
                 topic: str | None = None, candidates: list[str] | None = None,
                 current: Ticket | None = ...) -> tuple[Ticket, bool]:
    """The villager's open ticket with this message added, or a new one. (ticket, is_new)
    ``current``: their open ticket (or None), when the caller has already looked it up."""
    ticket = open_ticket_of(session, user_id) if current is ... else current
    if ticket is None:
        return _new_ticket(session, user_id, text, display_name, topic, candidates or []), True
    add_message(session, ticket, "villager", text, display_name)
    return ticket, False


def add_message(session: Session, ticket: Ticket, author: str, text: str, author_name: str | None = None) -> None:
    now = utcnow()
    message_id = _NEW_MESSAGE.scalar(session.connection(), {
        "ticket_id": ticket.id, "author": author, "author_name": author_name, "text": text,
        "created_at": now})
    ticket.updated_at = now
    if author == "villager":
        ticket.last_villager_message_id = message_id


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
