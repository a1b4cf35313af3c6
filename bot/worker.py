"""From stored event to sent message, in every gunicorn worker; one class per job.

- ``Receiver`` (in the request, before the 200): a villager's event is inserted (unique on
  ``webhookEventId``) and handled in one transaction, so it is on disk and answered exactly once
  however often it arrives; a staff-group event is stored and handled by the pool
  (``process_event``). The replies and pushes a transaction queued are sent by the pool.
- ``StaffNotifier``: cards for new tickets and batched follow-ups, minding the push quota.
- ``Sweeper`` (maintenance thread, every second): events a crashed process left behind, outbox
  rows due for a retry, media downloads due for a retry, staff notices due, catalogue reload.
- ``Processor`` wires them together for the app (and the tests).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from bot import attachments, conversation, office, outbox, replies, staff, texts, tickets
from bot.catalogue import EMERGENCY_TOPIC, KnowledgeStore
from bot.catalogue_edit import CatalogueFollower
from bot.config import Config
from bot.db import InboundEvent, Media, OutboundMessage, Prepared, Setting, Ticket, utcnow
from bot.line import Incoming, LineApi, parse_event
from bot.metrics import Metrics
from bot.nightly import Nightly
from bot.privacy import mask_national_ids

log = logging.getLogger(__name__)

STRANDED_AFTER = dt.timedelta(seconds=3)   # a pending event this old was not picked up by its receiver
SEND_THREADS = 16  # the pool mostly waits on LINE (~0.3 s a call when it is slow): enough to keep up
RECORD_BATCH = 200                         # send outcomes written in one transaction, at most
# Outcomes are gathered this long after the first before they are written: under load one turn at
# the write lock then covers a few dozen replies instead of two or three. Nobody waits for them.
RECORD_LINGER = 0.05
SWEEP_BATCH = 50                           # outbox rows one sweep claims at once (sent in parallel)
MAX_EVENT_ATTEMPTS = 5
QUOTA_CHECK_EVERY = dt.timedelta(minutes=10)


def event_key(raw: dict) -> str:
    key = raw.get("webhookEventId")
    if key:
        return str(key)[:64]
    return "sha256:" + hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()[:56]


_EVENTS = InboundEvent.__table__
# Built once per dialect (both have ON CONFLICT DO NOTHING): the receive path runs it per event.
# It also returns the sender's open ticket, which nearly every villager message asks about: one
# round trip fewer per delivery on PostgreSQL (SQLite and PostgreSQL both allow a subquery there).
_INSERT_EVENT = {name: Prepared(insert(_EVENTS).on_conflict_do_nothing(index_elements=["webhook_event_id"])
                          .returning(_EVENTS.c.id, tickets.open_ticket_id_of(bindparam("user_id"))),
                          ("webhook_event_id", "payload", "received_at", "status", "attempts", "claimed_at"))
                 for name, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))}


_TICKETS = Ticket.__table__
_TELL_NEW_TICKET = Prepared(update(_TICKETS).where(_TICKETS.c.id == bindparam("ticket_id"))
                            .values(notified_at=bindparam("notified_at"), notified_upto=bindparam("notified_upto"),
                                    display_name=bindparam("display_name")))


_SETTINGS = Setting.__table__
_SAVE_QUOTA = {name: Prepared(insert(_SETTINGS).values(key="quota", value=bindparam("value"),
                                                       updated_at=bindparam("updated_at"))
                              .on_conflict_do_update(index_elements=["key"], set_={
                                  "value": bindparam("value"), "updated_at": bindparam("updated_at")}))
               for name, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))}


@dataclass
class Notice:
    """A staff card queued in the transaction that escalated (``StaffNotifier.queue``)."""

    row: outbox.Queued
    user_id: str
    card: dict    # ``replies.staff_notice``'s arguments, the name aside
    named: bool   # False: the card says "a LINE user" until the sender has looked the name up


def _safe(fn, *args):
    try:
        return fn(*args)
    except Exception:  # noqa: BLE001 - one bad event must not stop the others
        log.exception("background task %s failed", getattr(fn, "__name__", fn))
        return None


class Recorder:
    """Writes down what sends came to, many in one short transaction, on its own thread: under
    load that is one turn at the write lock for a batch of replies instead of one each.

    Losing a batch (the process dies first) loses nothing: its rows are still claimed, the
    sweeper retries them once the claim lapses, and the retry finds they went out (a used reply
    token is refused, a push's retry key answers 409). What a retry cannot find out again is
    which LINE message a staff card became (a 409 carries no ids), so that one is ``urgent``:
    written at once, with whatever else is waiting."""

    def __init__(self, session_factory: sessionmaker):
        self.sf = session_factory
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._hurry = threading.Event()
        self._thread = threading.Thread(target=self._run, name="outbox-recorder", daemon=True)
        self._thread.start()

    def put(self, outcome: outbox.Outcome, urgent: bool = False) -> None:
        self._queue.put(outcome)
        if urgent:
            self._hurry.set()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            if batch[0] is not None:
                self._hurry.wait(RECORD_LINGER)  # gather more, unless something urgent came (or stop)
            self._hurry.clear()
            while len(batch) < RECORD_BATCH and batch[-1] is not None:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            done = None in batch
            outcomes = [o for o in batch if o is not None]
            if outcomes:
                _safe(self.write, outcomes)
            if done:
                return

    def write(self, outcomes: list[outbox.Outcome]) -> None:
        with self.sf.begin() as s:
            outbox.record(s, outcomes)

    def stop(self) -> None:
        """Write what is queued, then end the thread."""
        self._queue.put(None)
        self._hurry.set()
        self._thread.join(10)


class Sender:
    """Sends outbox rows this process created (and so holds the claim on), off the request, and
    downloads the content of what villagers sent (``bot.attachments``)."""

    def __init__(self, session_factory: sessionmaker, line: LineApi | None, pool: ThreadPoolExecutor,
                 media_max_bytes: int = Config.media_max_bytes, metrics: Metrics | None = None):
        self.sf = session_factory
        self.line = line
        self.pool = pool
        self.media_max_bytes = media_max_bytes
        self.metrics = metrics or Metrics()
        self.recorder = Recorder(session_factory)

    def fetch(self, media_id: int, mine: bool = False) -> None:
        if self.line is not None:
            _safe(attachments.fetch, self.sf, self.line, media_id, self.media_max_bytes, mine)

    def deliver(self, row: OutboundMessage | outbox.Queued, name: str | None = None) -> None:
        """``name``: the villager's, looked up for this staff card; written down with its outcome."""
        if self.line is None:
            return
        outcome = _safe(outbox.attempt, self.sf, self.line, row)
        if outcome is None:
            return  # a bug, logged: the row stays claimed and is retried after its lease
        outcome.name = name
        self.recorder.put(outcome, urgent=row.purpose == "staff_notice")
        self.metrics.delivered(row.kind, row.purpose, outcome.status,
                               (utcnow() - row.created_at).total_seconds() if row.created_at else None)

    def deliver_all(self, rows: list[OutboundMessage] | list[outbox.Queued]) -> None:
        for row in rows:
            self.deliver(row)


class StaffNotifier:
    """Tells the staff group about tickets, and warns them once when the push quota runs low."""

    def __init__(self, session_factory: sessionmaker, store: KnowledgeStore, config: Config,
                 line: LineApi | None, sender: Sender):
        self.sf = session_factory
        self.store = store
        self.config = config
        self.line = line
        self.sender = sender
        self.links = attachments.Links(config.public_url, config.secret_key or "")
        self._quota: tuple[dt.datetime, bool] | None = None  # (read at, nearly used up)
        self._quota_reading = threading.Lock()  # one pool thread reads it; the others go on with what is known

    def notify(self, only: list[int] | None = None, settled: dt.timedelta | None = None) -> None:
        """Push a card for each ticket staff have not seen yet, and one for the follow-ups of a
        ticket once its last card is ``followup_batch_minutes`` old. ``only``: these tickets
        (the ones an event just touched); ``settled``: new tickets only once they are that old (the
        sweeper leaves fresh ones to the worker that opened them, rather than race it)."""
        if not self.config.staff_group_id:
            return
        now = utcnow()
        due = self._due(now)
        with self.sf() as s:
            query = select(Ticket.id, Ticket.user_id, Ticket.display_name).where(Ticket.status == "open", due)
            if only is not None:
                query = query.where(Ticket.id.in_(only))
            if settled is not None:  # a new ticket is first the business of the worker that opened it
                query = query.where(or_(Ticket.notified_at.is_not(None), Ticket.created_at < now - settled))
            rows = s.execute(query).all()
        quota_high = self._quota_high() if rows else False
        if only is None and rows:  # the sweeper leaves a ticket whose content is being fetched to its fetcher
            with self.sf() as s:
                fetching = set(s.scalars(select(Media.ticket_id).where(
                    Media.ticket_id.in_([r[0] for r in rows]), Media.status == "pending",
                    Media.claimed_at >= now - attachments.CLAIM_LEASE)))
            rows = [r for r in rows if r[0] not in fetching]
        for ticket_id, user_id, name in rows:
            if name is None and self.line is not None:
                name = self.line.display_name(user_id)  # network: outside any transaction
            queued = []
            with self.sf.begin() as s:
                ticket = s.get(Ticket, ticket_id)
                followup = ticket.notified_at is not None
                if followup and quota_high and ticket.topic != EMERGENCY_TOPIC:
                    continue  # save the push quota: staff see follow-ups on #N
                before = ticket.notified_upto
                if not self._claim(s, ticket, now, name):
                    continue  # another worker is telling staff
                card = self._card(s, ticket, before, followup)
                queued = outbox.enqueue_push(s, self.config.staff_group_id, [replies.staff_notice(
                    name=name or texts.UNKNOWN_NAME, **card)], "staff_notice", ticket_id, claimed=True)
            self.sender.deliver_all(queued)

    def queue(self, ctx: conversation.Context) -> None:
        """In the transaction that escalated: claim and queue the card of each ticket the event
        escalated (a new ticket, or a follow-up that is due), so telling staff costs no transaction
        of its own. The villager's LINE name comes from an earlier ticket of theirs; when there is
        none the sender looks it up before the push (``finish``), off the request. What this
        leaves (a quota check that is due, tickets with content still to fetch) ``notify`` does.
        Fills ``ctx.notices`` and ``ctx.settled`` (tickets told, or whose follow-ups wait for the batch)."""
        if not self.config.staff_group_id or not ctx.escalated or ctx.fetch_media:
            return
        s, now = ctx.session, ctx.now
        quota_high = self._quota[1] if self._quota and self._quota[0] > now - QUOTA_CHECK_EVERY else None
        for ticket, question in ctx.escalated:
            followup = ticket.notified_at is not None
            if followup and not (ticket.last_villager_message_id > (ticket.notified_upto or 0) and (
                    ticket.topic == EMERGENCY_TOPIC or ticket.notified_at < now - self._batch())):
                ctx.settled.add(ticket.id)
                continue  # batched: a later card tells staff
            if followup and ticket.topic != EMERGENCY_TOPIC and quota_high is not False:
                continue  # the quota decides (``notify`` reads it), or staff see follow-ups on #N
            # (a ticket this event opened was given the name an earlier ticket had, if any)
            name = ticket.display_name or (None if question is not None else tickets.known_name(s, ticket.user_id))
            before = ticket.notified_upto
            if question is not None:  # opened by this transaction: nobody else can see it, let alone claim it
                told = {"notified_at": now, "notified_upto": ticket.last_villager_message_id, "display_name": name}
                _TELL_NEW_TICKET.run(s.connection(), {"ticket_id": ticket.id, **told})
                for key, value in told.items():
                    set_committed_value(ticket, key, value)  # what the row now says, without an ORM flush
            elif not self._claim(s, ticket, now, name):
                continue  # another worker is telling staff
            # A ticket this event opened holds just the question, and nothing the villager sent
            card = self._card(s, ticket, before, followup, questions=[question] if question else None,
                              items=[] if question else None)
            (row,) = outbox.queue_push(s, self.config.staff_group_id, [replies.staff_notice(
                name=name or texts.UNKNOWN_NAME, **card)], "staff_notice", ticket.id)
            ctx.notices.append(Notice(row, ticket.user_id, card, named=name is not None))
            ctx.settled.add(ticket.id)

    def finish(self, notice: Notice) -> None:
        """Send a card queued by ``queue``: first, when the villager's name was unknown, look it up
        and put it in the card. The name is written down (on the ticket, and in the card's row,
        which a retry would send) with the card's outcome, at once (``Recorder``: a staff card's
        outcome is urgent), not in a transaction of its own before the push."""
        self._quota_high()  # read with each card (remembered between reads), staff warned when low
        name = None
        if not notice.named and self.line is not None:
            name = self.line.display_name(notice.user_id)  # network: outside any transaction
            if name:
                notice.row.messages = [replies.staff_notice(name=name, **notice.card)]
        self.sender.deliver(notice.row, name)

    def _batch(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.config.followup_batch_minutes)

    def _due(self, now: dt.datetime):
        """A ticket staff should be told about now: never told, or follow-ups whose batch is over
        (an emergency's follow-ups are not batched)."""
        return or_(Ticket.notified_at.is_(None),
                   and_(Ticket.last_villager_message_id > func.coalesce(Ticket.notified_upto, 0),
                        or_(Ticket.notified_at < now - self._batch(), Ticket.topic == EMERGENCY_TOPIC)))

    def _claim(self, s, ticket: Ticket, now: dt.datetime, name: str | None) -> bool:
        """Mark the ticket told up to its last villager message, unless another worker just did
        (atomically: the row must still be due and as last read)."""
        s.flush()  # the ticket's new message is what the card is about
        before, upto = ticket.notified_upto, ticket.last_villager_message_id or 0
        won = s.connection().execute(
            update(_TICKETS).where(_TICKETS.c.id == ticket.id, _TICKETS.c.status == "open", self._due(now),
                                   _TICKETS.c.notified_upto.is_(None) if before is None
                                   else _TICKETS.c.notified_upto == before)
            .values(notified_at=now, notified_upto=upto, display_name=ticket.display_name or name)).rowcount
        if won != 1:
            return False
        for key, value in (("notified_at", now), ("notified_upto", upto), ("display_name", ticket.display_name or name)):
            set_committed_value(ticket, key, value)  # what the row now says, without another UPDATE
        return True

    def _card(self, s, ticket: Ticket, before: int | None, followup: bool, questions: list[str] | None = None,
              items: list | None = None) -> dict:
        """``replies.staff_notice``'s arguments for the villager messages after ``before``, the name aside."""
        if questions is None:
            questions = tickets.villager_messages(s, ticket.id, before, ticket.notified_upto)
        if items is None:
            items = attachments.items(s, self.links, ticket.id, before, ticket.notified_upto)
        cat = self.store.current.catalogue
        return dict(ticket_id=ticket.id, questions=[mask_national_ids(q) for q in questions],
                    asked_at=office.local_stamp(ticket.created_at, cat.office),
                    topic=cat.topic_names.get(ticket.topic or ""),
                    candidates=[cat.by_id[x] for x in (ticket.candidates or []) if x in cat.by_id],
                    followup=followup, items=items,
                    urgent=tickets.last_bot_note(s, ticket.id) if ticket.topic == EMERGENCY_TOPIC else None)

    def _quota_high(self) -> bool:
        """Is the month's push quota nearly used up? Read from LINE every few minutes (shared
        through the database) and remembered here in between: one escalation after another must
        not each pay a database read for it. Staff are warned once when it is."""
        if self.line is None:
            return False
        now = utcnow()
        known = self._quota[1] if self._quota else False
        if (self._quota is None or self._quota[0] <= now - QUOTA_CHECK_EVERY) \
                and self._quota_reading.acquire(blocking=False):
            try:
                known = self._read_quota(now)
            except Exception:  # noqa: BLE001 - advisory: a staff card must never wait on it
                log.exception("reading the push quota failed; tried again in %s", QUOTA_CHECK_EVERY)
            finally:
                self._quota = (now, known)
                self._quota_reading.release()
        return known

    def _read_quota(self, now: dt.datetime) -> bool:
        with self.sf() as s:
            cached = s.get(Setting, "quota")
        if cached and cached.value and cached.updated_at > now - QUOTA_CHECK_EVERY:
            limit, used = json.loads(cached.value)
        else:
            limit, used = self.line.push_quota()
            with self.sf.begin() as s:  # another server may be writing it too: an upsert
                conn = s.connection()
                _SAVE_QUOTA[conn.dialect.name].run(conn, {"value": json.dumps([limit, used]), "updated_at": now})
        if not limit or used is None:
            return False
        high = used >= self.config.quota_warn_ratio * limit
        if high:
            with self.sf.begin() as s:
                staff.queue_staff_notice(s, f"quota-{now:%Y-%m}", texts.STAFF_QUOTA_WARNING.format(
                    used=used, limit=limit, pct=round(100 * used / limit)))
        return high


class Receiver:
    """Stores and handles webhook events: exactly once, however often they arrive."""

    def __init__(self, session_factory: sessionmaker, store: KnowledgeStore, config: Config,
                 line: LineApi | None, sender: Sender, notifier: StaffNotifier, metrics: Metrics):
        self.sf = session_factory
        self.store = store
        self.config = config
        self.line = line
        self.sender = sender
        self.notifier = notifier
        self.metrics = metrics

    def receive(self, raw_events: list[dict]) -> None:
        """Called before the 200, so every event is on disk before LINE hears "OK".

        A villager's event is stored *and* handled in one transaction (its replies are queued in
        the same commit; the understanding is worked out before the lock). A staff-group event
        needs a profile look-up first, so it is stored and handled by the pool. A redelivery or
        a second copy meets the unique key and is ignored."""
        for raw in raw_events:
            inc = parse_event(raw)
            staff_chat = self.config.is_staff_chat(inc.chat_id)
            self.metrics.received(inc.kind, "staff" if staff_chat else "villager")
            if staff_chat:
                if not self._store_for_the_pool(raw):
                    self.metrics.duplicates.inc()
                continue
            knowledge = self.store.current
            understood = conversation.understand(knowledge, inc)
            try:
                with self.sf.begin() as s:
                    stored = self._insert_event(s, raw, status="done", user_id=inc.user_id)
                    if stored is None:
                        self.metrics.duplicates.inc()
                        continue  # already received: a redelivery, or another worker has it
                    ctx = self._handle(s, inc, knowledge, {}, understood, open_ticket_id=stored[1])
            except Exception:  # a connection lost mid-way, say: try again at once on a fresh one
                log.exception("handling a new event failed; stored and tried again")
                self._store_for_the_pool(raw)
                continue
            self._handled(inc, ctx, understood)
            self.sender.pool.submit(self._send, ctx)

    def _store_for_the_pool(self, raw: dict) -> bool:
        """Store one event as pending and have the pool handle it now (the sweeper would only
        after STRANDED_AFTER). False for a copy already stored."""
        stored = self.accept([raw])
        for event_id, _ in stored:
            self.sender.pool.submit(_safe, self.process_event, event_id)
        return bool(stored)

    def accept(self, raw_events: list[dict]) -> list[tuple[int, dict]]:
        """Store events as pending (duplicates ignored, atomically). Returns the new ones."""
        with self.sf.begin() as s:
            stored = [(self._insert_event(s, raw, status="pending"), raw) for raw in raw_events]
        return [(row[0], raw) for row, raw in stored if row is not None]

    @staticmethod
    def _insert_event(session, raw: dict, status: str, user_id: str | None = None) -> tuple[int, int | None] | None:
        """INSERT ... ON CONFLICT DO NOTHING RETURNING: (the new row's id, ``user_id``'s open
        ticket or None), or None for a copy already stored (atomically, whichever process or
        server got it first)."""
        now = utcnow()
        conn = session.connection()
        return _INSERT_EVENT[conn.dialect.name].row(conn, {
            "webhook_event_id": event_key(raw), "payload": raw, "received_at": now, "status": status,
            "attempts": 0 if status == "pending" else 1, "claimed_at": None if status == "pending" else now,
            "user_id": user_id or ""})

    def _names_for(self, inc: Incoming) -> dict[str, str]:
        """Staff names are needed inside the transaction; fetch them before it (network)."""
        if self.line is None or not inc.user_id or not self.config.is_staff_chat(inc.chat_id):
            return {}
        name = self.line.display_name(inc.user_id, inc.chat_id if inc.source_type == "group" else None)
        return {inc.user_id: name} if name else {}

    def _handle(self, session, inc: Incoming, knowledge, names, understood,
                open_ticket_id: int | None = ...) -> conversation.Context:
        ctx = conversation.Context(session, knowledge, self.config, utcnow(), names, understood,
                                   open_ticket_id=open_ticket_id)
        conversation.handle(ctx, inc)
        self.notifier.queue(ctx)
        return ctx

    def _handled(self, inc: Incoming, ctx: conversation.Context, understood) -> None:
        """Counted and logged once committed (not inside the transaction: on SQLite it holds the
        write lock, which every other delivery waits for)."""
        outcome = None if self.config.is_staff_chat(inc.chat_id) else self.metrics.outcome(
            understood.decision if understood else None, bool(ctx.touched_tickets))
        log.info("event (%s/%s) handled%s", inc.kind, inc.message_type or "-", f": {outcome}" if outcome else "")

    def process_event(self, event_id: int) -> bool:
        """Claim and handle one stored, pending event in one transaction (the staff group's, or
        one a crashed process left behind); the pool sends what it queued."""
        with self.sf() as s:
            row = s.get(InboundEvent, event_id)
            if row is None or row.status != "pending":
                return False
            inc = parse_event(row.payload)
        names = self._names_for(inc)
        knowledge = self.store.current
        understood = conversation.understand(knowledge, inc)  # outside the write transaction
        try:
            with self.sf.begin() as s:
                claimed = s.execute(update(InboundEvent).where(InboundEvent.id == event_id,
                                                               InboundEvent.status == "pending")
                                    .values(status="done", claimed_at=utcnow(),
                                            attempts=InboundEvent.attempts + 1)).rowcount
                if claimed != 1:
                    return False  # another worker answered it
                ctx = self._handle(s, inc, knowledge, names, understood)
        except Exception as e:
            with self.sf.begin() as s:
                row = s.get(InboundEvent, event_id)
                row.attempts += 1
                row.error = type(e).__name__
                if row.attempts >= MAX_EVENT_ATTEMPTS:
                    row.status = "failed"
            raise
        self._handled(inc, ctx, understood)
        self.sender.pool.submit(self._send, ctx)
        return True

    def handle_console(self, inc: Incoming, names: dict[str, str], also=None) -> list[outbox.Queued]:
        """A staff action from the web console, handled by the same code as the LINE group's
        (``bot.staff.handle``) in one transaction (with ``also(session)``, e.g. the audit row)
        and sent the same way. Returns what was queued (the group's confirmation among it)."""
        knowledge = self.store.current
        with self.sf.begin() as s:
            ctx = conversation.Context(s, knowledge, self.config, utcnow(), names)
            staff.handle(ctx, inc)
            if also is not None:
                also(s)
        self.sender.pool.submit(self._send, ctx)
        return ctx.queued

    def _send(self, ctx: conversation.Context) -> None:
        """After the commit: the messages the transaction queued, then staff about its tickets."""
        self.sender.deliver_all(ctx.queued)
        for media_id in ctx.fetch_media:  # before staff are told, so their card can show the photo
            self.sender.fetch(media_id, mine=True)
        for notice in ctx.notices:
            _safe(self.notifier.finish, notice)
        rest = [t for t in ctx.touched_tickets if t not in ctx.settled]
        if rest:
            self.notifier.notify(rest)

    def stranded(self, limit: int = 50) -> list[int]:
        """Pending events nobody picked up (their receiver crashed, or failed, before handling)."""
        now = utcnow()
        with self.sf() as s:
            return list(s.scalars(select(InboundEvent.id).where(InboundEvent.status == "pending",
                                                                InboundEvent.received_at < now - STRANDED_AFTER)
                                  .order_by(InboundEvent.id).limit(limit)))


class Sweeper:
    """The maintenance loop: catalogue reload, stranded events, outbox retries, staff notices;
    and the nightly jobs (``bot.nightly``)."""

    def __init__(self, session_factory: sessionmaker, store: KnowledgeStore, config: Config,
                 receiver: Receiver, sender: Sender, notifier: StaffNotifier, metrics: Metrics):
        self.sf = session_factory
        self.store = store
        self.config = config
        self.receiver = receiver
        self.sender = sender
        self.notifier = notifier
        self.metrics = metrics
        self.nightly = Nightly(session_factory, store, config)
        self.follower = CatalogueFollower(store.catalogue_path, session_factory)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._error_noted: str | None = None

    def sweep(self) -> None:
        _safe(self.follower.check)  # a console save made on another app server
        if self.store.refresh():
            self.metrics.reloads.labels("ok").inc()
        if self.store.last_error is not None and self._error_noted != self.store.error_key:
            self.metrics.reloads.labels("refused").inc()
            with self.sf.begin() as s:  # staff hear about each refused edit once (across workers)
                problems = "; ".join(str(p) for p in self.store.last_error.problems[:3])
                staff.queue_staff_notice(s, self.store.error_key,
                                         texts.STAFF_CATALOGUE_ERROR.format(problems=problems[:1500]))
            self._error_noted = self.store.error_key
        for event_id in self.receiver.stranded():
            _safe(self.receiver.process_event, event_id)
        if self.sender.line is not None:  # claimed together, sent in parallel by the pool
            for row in outbox.claim_due(self.sf, limit=SWEEP_BATCH):
                self.sender.pool.submit(self.sender.deliver, row)
            for media_id in attachments.due_ids(self.sf):  # a failed download, retried from the database
                self.sender.fetch(media_id)
        _safe(self.notifier.notify, None, STRANDED_AFTER)
        self.metrics.note_memory()

    def start(self) -> None:
        if self._thread is not None:
            return

        def loop():
            while not self._stop.wait(self.config.poll_seconds):
                _safe(self.sweep)
                _safe(self.nightly.run_if_due)  # purge and reminders, once a night
        self._thread = threading.Thread(target=loop, name="sweeper", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()


class Processor:
    """The worker's parts, wired together: what ``create_app`` holds and the tests drive."""

    def __init__(self, session_factory: sessionmaker, store: KnowledgeStore, config: Config,
                 line: LineApi | None, metrics: Metrics | None = None):
        self.sf = session_factory
        self.metrics = metrics or Metrics()
        self.pool = ThreadPoolExecutor(max_workers=SEND_THREADS, thread_name_prefix="send")
        self.sender = Sender(session_factory, line, self.pool, config.media_max_bytes, self.metrics)
        self.notifier = StaffNotifier(session_factory, store, config, line, self.sender)
        self.receiver = Receiver(session_factory, store, config, line, self.sender, self.notifier, self.metrics)
        self.sweeper = Sweeper(session_factory, store, config, self.receiver, self.sender, self.notifier,
                               self.metrics)
        # what the app and the tests call
        self.receive, self.accept = self.receiver.receive, self.receiver.accept
        self.process_event, self.sweep = self.receiver.process_event, self.sweeper.sweep
        self.handle_console = self.receiver.handle_console
        self.notify_staff = self.notifier.notify
        self.links = self.notifier.links

    def start(self) -> None:
        self.sweeper.start()

    def stop(self) -> None:
        self.sweeper.stop()
        self.pool.shutdown(wait=True)
        self.sender.recorder.stop()
