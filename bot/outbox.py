"""The outbox: every reply and push is a row first, then sent, then marked sent.

A push keeps one ``X-Line-Retry-Key`` for all its attempts, so retrying after a timeout can
never deliver twice (LINE answers 409 to a key it already accepted). A reply whose token has
expired (about a minute) becomes a push to the same chat, so nothing acknowledged is dropped.
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from bot.db import OutboundMessage, Prepared, StaffNoticeLink, Ticket, utcnow
from bot.line import LineApi, SendError

log = logging.getLogger(__name__)

MAX_MESSAGES = 5            # LINE's limit per call
REPLY_TOKEN_LIFETIME = dt.timedelta(seconds=50)  # tokens live about a minute; keep a margin
# A row is claimed by whoever sends it (its creator first). A claim older than this belonged
# to a worker that died mid-send: one attempt takes at most bot.line.TIMEOUT (connect + read).
# Kept short so a dead worker's rows go out soon; an overlap could not answer twice anyway
# (a reply token works once, a push carries its retry key), it would only waste a call.
CLAIM_LEASE = dt.timedelta(seconds=5)
MAX_ATTEMPTS = 12
BACKOFF = [1, 2, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600]


def enqueue_reply(session: Session, reply_token: str | None, chat_id: str, messages: list[dict],
                  event_time: dt.datetime | None = None, purpose: str = "reply",
                  ticket_id: int | None = None, claimed: bool = False) -> list[OutboundMessage]:
    """Queue a reply (free); without a token it is a push. See ``enqueue_push`` for ``claimed``."""
    rows = [OutboundMessage(**values) for values in _rows(reply_token, chat_id, messages, event_time, purpose,
                                                          ticket_id, claimed)]
    session.add_all(rows)
    return rows


def enqueue_push(session: Session, to: str, messages: list[dict], purpose: str,
                 ticket_id: int | None = None, claimed: bool = False) -> list[OutboundMessage]:
    """Queue a push. ``claimed``: the caller sends the returned rows itself once committed
    (``deliver(row)``); otherwise the sweeper sends them on its next round."""
    return enqueue_reply(session, None, to, messages, None, purpose, ticket_id, claimed)


@dataclass(slots=True)
class Queued:
    """A row its creator sends itself once committed: what the sender reads of it, without an
    ORM instance (building one, and its flush, cost more than the rest of a villager's
    transaction, inside the write lock)."""

    id: int
    kind: str
    to: str
    reply_token: str | None
    reply_deadline: dt.datetime | None
    messages: list
    retry_key: str
    attempts: int
    purpose: str
    ticket_id: int | None
    created_at: dt.datetime


_INSERT = Prepared(OutboundMessage.__table__.insert().returning(OutboundMessage.__table__.c.id),
                   ("to", "purpose", "ticket_id", "status", "next_attempt_at", "created_at", "claimed_at", "attempts",
                    "kind", "reply_token", "reply_deadline", "messages", "retry_key"))


def queue_reply(session: Session, reply_token: str | None, chat_id: str, messages: list[dict],
                event_time: dt.datetime | None = None, purpose: str = "reply",
                ticket_id: int | None = None) -> list[Queued]:
    """``enqueue_reply(..., claimed=True)`` for the hot path: the rows are inserted by a statement
    built once and come back as ``Queued`` records (nothing to change on them before the commit)."""
    conn = session.connection()
    out = []
    for values in _rows(reply_token, chat_id, messages, event_time, purpose, ticket_id, claimed=True):
        row_id = _INSERT.scalar(conn, values)
        out.append(Queued(row_id, values["kind"], values["to"], values["reply_token"], values["reply_deadline"],
                          values["messages"], values["retry_key"], values["attempts"], values["purpose"],
                          values["ticket_id"], values["created_at"]))
    return out


def queue_push(session: Session, to: str, messages: list[dict], purpose: str,
               ticket_id: int | None = None) -> list[Queued]:
    return queue_reply(session, None, to, messages, None, purpose, ticket_id)


def _rows(reply_token: str | None, to: str, messages: list[dict], event_time: dt.datetime | None, purpose: str,
          ticket_id: int | None, claimed: bool) -> list[dict]:
    """The rows' columns: one reply, or a push per MAX_MESSAGES messages (no token: a push)."""
    now = utcnow()
    common = {"to": to, "purpose": purpose, "ticket_id": ticket_id, "status": "pending", "next_attempt_at": now,
              "created_at": now, "claimed_at": now if claimed else None, "attempts": 1 if claimed else 0}
    if not messages:
        return []
    if reply_token:
        return [{**common, "kind": "reply", "reply_token": reply_token, "messages": messages[:MAX_MESSAGES],
                 "reply_deadline": (event_time or now) + REPLY_TOKEN_LIFETIME, "retry_key": str(uuid.uuid4())}]
    return [{**common, "kind": "push", "reply_token": None, "reply_deadline": None,
             "messages": messages[i:i + MAX_MESSAGES], "retry_key": str(uuid.uuid4())}
            for i in range(0, len(messages), MAX_MESSAGES)]


def claim_due(session_factory: sessionmaker, limit: int = 50) -> list[OutboundMessage]:
    """Claim, in one statement, up to ``limit`` rows due for an attempt: never sent yet, due for
    a retry, or claimed by a worker that died (its claim is older than CLAIM_LEASE). Several
    workers may sweep at once: each row goes to one of them."""
    now = utcnow()
    due = and_(OutboundMessage.status == "pending", OutboundMessage.next_attempt_at <= now,
               or_(OutboundMessage.claimed_at.is_(None), OutboundMessage.claimed_at < now - CLAIM_LEASE))
    ids = select(OutboundMessage.id).where(due).order_by(OutboundMessage.id).limit(limit)
    with session_factory() as s:  # usually nothing is due: look before taking the write lock
        if s.scalar(ids.limit(1)) is None:
            return []
    ids = ids.scalar_subquery()
    with session_factory.begin() as s:
        rows = list(s.scalars(update(OutboundMessage).where(OutboundMessage.id.in_(ids), due)
                              .values(claimed_at=now, attempts=OutboundMessage.attempts + 1)
                              .returning(OutboundMessage)))
    return sorted(rows, key=lambda r: r.id)


def _attempted_elsewhere(session_factory: sessionmaker, row_id: int, attempts: int) -> bool:
    """Did another worker claim this row after us (our attempt waited past CLAIM_LEASE)?"""
    with session_factory() as s:
        return (s.scalar(select(OutboundMessage.attempts).where(OutboundMessage.id == row_id)) or 0) > attempts


@dataclass
class Outcome:
    """What one attempt at a row came to, to be written down (``record``)."""

    row: OutboundMessage | Queued
    status: str                     # sent | pending (retry later) | failed
    kind: str                       # what it went as: reply | push
    error: str | None = None
    sent_ids: list[str] = field(default_factory=list)
    # A staff card's villager name, looked up just before it went: written on the ticket (if it
    # has none) and into the row's messages (a retry sends the card with the name).
    name: str | None = None


def attempt(session_factory: sessionmaker, line: LineApi, row: OutboundMessage | Queued) -> Outcome:
    """Send one row this worker holds the claim on (it created it claimed, or ``claim_due``
    gave it); the network part of ``deliver``.

    A reply LINE refuses on a retry was delivered: the earlier attempt used its token (LINE
    accepted it and the worker died, or timed out, before writing that down), and a reply token
    works once. Pushing it now would answer twice. Only a first attempt's refusal (an expired or
    unusable token) falls back to a push. A first attempt that fails on the way (a timeout, a 5xx)
    is tried again at once, as a retry."""
    row_id, kind, to, token, deadline = row.id, row.kind, row.to, row.reply_token, row.reply_deadline
    messages, key, attempts = row.messages, row.retry_key, row.attempts
    try:
        if kind == "reply" and deadline and utcnow() < deadline:
            try:
                try:
                    sent = line.reply(token, messages)
                except SendError as e:
                    if not e.transient or attempts > 1:
                        raise
                    # once more at once, not after the backoff: the villager is waiting. What follows
                    # is a retry: a refusal now says the first call used the token, so it was delivered
                    log.info("reply %s failed (%s); trying it again at once", row_id, e)
                    attempts += 1
                    sent = line.reply(token, messages)
                return Outcome(row, "sent", "reply", sent_ids=sent)
            except SendError as e:
                if e.transient:
                    raise
                if attempts > 1 or _attempted_elsewhere(session_factory, row_id, attempts):
                    log.info("reply %s refused on attempt %s: an earlier attempt was delivered", row_id, attempts)
                    return Outcome(row, "sent", "reply")
                # token expired or unusable: the same content as a push, with its idempotency key
                log.warning("reply %s refused (%s); sending as push", row_id, e.status)
        return Outcome(row, "sent", "push", sent_ids=line.push(to, messages, key))
    except SendError as e:
        status = "pending" if e.transient and attempts < MAX_ATTEMPTS else "failed"
        log.warning("outbound %s attempt %s failed: %s", row_id, attempts, e)
        return Outcome(row, status, kind, error=str(e)[:500])


_OUTBOX = OutboundMessage.__table__
# What an attempt came to, one prepared statement per status: ``record`` runs each once for all
# the rows of its kind (executemany), without building a statement (or an ORM update) per row.
_MARK = {status: Prepared(statement) for status, statement in {
    "sent": _OUTBOX.update().where(_OUTBOX.c.id == bindparam("row_id")).values(
        status="sent", error=None, claimed_at=None, kind=bindparam("sent_as"), sent_at=bindparam("now"),
        sent_message_ids=bindparam("ids")),
    "pending": _OUTBOX.update().where(_OUTBOX.c.id == bindparam("row_id")).values(
        status="pending", error=bindparam("error"), claimed_at=None, kind=bindparam("sent_as"),
        next_attempt_at=bindparam("retry_at")),
    "failed": _OUTBOX.update().where(_OUTBOX.c.id == bindparam("row_id")).values(
        status="failed", error=bindparam("error"), claimed_at=None, kind=bindparam("sent_as")),
}.items()}
# Staff answer by quoting a card: which ticket each card's LINE message is (a card's outcome is
# written at once, so this runs about once per escalation; built once, as the statements above).
_LINK_NOTICE = {name: Prepared(insert(StaffNoticeLink.__table__).on_conflict_do_nothing(index_elements=["message_id"]))
                for name, insert in (("sqlite", sqlite_insert), ("postgresql", pg_insert))}
_TICKETS = Ticket.__table__
_NAME_TICKET = Prepared(_TICKETS.update().where(_TICKETS.c.id == bindparam("ticket_id"),
                                                 _TICKETS.c.display_name.is_(None))
                        .values(display_name=bindparam("name")))
# A staff card whose villager name was looked up just before it went keeps the name in its row's
# messages (a retry sends the card as it went): written by the same UPDATE as its outcome.
_MARK_NAMED = {status: Prepared(mark.statement.values(messages=bindparam("messages"))) for status, mark in _MARK.items()}


def record(session: Session, outcomes: list[Outcome]) -> None:
    """Write down what attempts came to (one transaction for many: fewer turns at the lock)."""
    now = utcnow()
    rows: dict[str, list[dict]] = {status: [] for status in _MARK}
    named_rows: dict[str, list[dict]] = {status: [] for status in _MARK}
    links, names = [], []
    for o in outcomes:
        params = {"row_id": o.row.id, "sent_as": o.kind, "error": o.error, "now": now, "ids": o.sent_ids,
                  "retry_at": now + dt.timedelta(seconds=BACKOFF[min(o.row.attempts, len(BACKOFF)) - 1])}
        if o.name and o.row.ticket_id:
            names.append({"ticket_id": o.row.ticket_id, "name": o.name})
            named_rows[o.status].append({**params, "messages": o.row.messages})
        else:
            rows[o.status].append(params)
        if o.status == "sent" and o.row.purpose == "staff_notice" and o.row.ticket_id:
            # staff answer by quoting the notice: remember which ticket it was
            links += [{"message_id": str(mid), "ticket_id": o.row.ticket_id} for mid in o.sent_ids]
    conn = session.connection()
    if names:
        _NAME_TICKET.run_many(conn, names)
    for marks, by_status in ((_MARK, rows), (_MARK_NAMED, named_rows)):
        for status, params in by_status.items():
            if params:
                marks[status].run_many(conn, params)
    if links:
        _LINK_NOTICE[conn.dialect.name].run_many(conn, links)


def deliver(session_factory: sessionmaker, line: LineApi, row: OutboundMessage) -> str:
    """Send one claimed row and write down what came of it. Returns the row's new status."""
    outcome = attempt(session_factory, line, row)
    with session_factory.begin() as s:
        record(s, [outcome])
    return outcome.status
