"""Storage: SQLAlchemy 2.0 typed models, engine set-up, and Alembic migrations.

SQLite (the embedded default) runs in WAL mode with a busy timeout so several gunicorn workers
can write; PostgreSQL is the production choice. Every row that matters for "nothing is lost"
lives here: inbound events, outgoing messages (the outbox), tickets and their messages.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import select
import sqlite3
import threading
import time
from pathlib import Path

import orjson

from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text,
                        create_engine, event, exc, text)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")

def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

class Base(DeclarativeBase):
    type_annotation_map = {dict: JSON, list: JSON}

class InboundEvent(Base):
    """A webhook event, stored before LINE gets its 200; processed from here."""

    __tablename__ = "inbound_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)  # the dedupe key
    payload: Mapped[dict]
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending|done|failed
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)

class OutboundMessage(Base):
    """A reply or push waiting to be sent: retried from here until LINE accepts it."""

    __tablename__ = "outbound_messages"
    # The sweeper looks for rows due (``status = 'pending' AND next_attempt_at <= now``) every
    # second in every worker. With an index on each column alone, that read every row ever sent
    # (all are past their next_attempt_at): the whole table, a few times a second. This one
    # reads only the pending rows, and serves "pending/failed" counts as the status index did.
    __table_args__ = (Index("ix_outbound_messages_status_next_attempt_at", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # reply|push
    to: Mapped[str] = mapped_column(String(64))   # user/group id (push, and reply's fallback)
    reply_token: Mapped[str | None] = mapped_column(String(255))
    reply_deadline: Mapped[dt.datetime | None] = mapped_column(DateTime)
    messages: Mapped[list]
    retry_key: Mapped[str] = mapped_column(String(36))  # X-Line-Retry-Key, fixed for all attempts
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    sent_message_ids: Mapped[list | None]
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(32), default="reply")  # reply|staff_notice|staff_answer|...
    error: Mapped[str | None] = mapped_column(Text)

class Ticket(Base):
    """A question handed to staff; its id is the ``#N`` everyone quotes."""

    __tablename__ = "tickets"
    # A villager's open ticket is looked up for nearly every message; with an index on status
    # alone, SQLite and PostgreSQL (no statistics yet, or a prepared statement's generic plan)
    # read every open ticket to find it. This one also serves "all open tickets".
    __table_args__ = (Index("ix_tickets_status_user_id", "status", "user_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    display_name: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|closed
    topic: Mapped[str | None] = mapped_column(String(64))
    candidates: Mapped[list | None]          # service ids the bot thought of
    taken_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    notified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)   # last staff push
    # Staff have been pushed every villager message up to this id; later ones are follow-ups.
    notified_upto: Mapped[int | None] = mapped_column(Integer)
    last_villager_message_id: Mapped[int | None] = mapped_column(Integer)
    # Satisfaction (ITA survey item): 1 (poor) .. 5 (excellent), asked once after closing.
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_asked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # set once: never ask twice
    rated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    messages: Mapped[list["TicketMessage"]] = relationship(back_populates="ticket", order_by="TicketMessage.id")

class TicketMessage(Base):
    __tablename__ = "ticket_messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    author: Mapped[str] = mapped_column(String(16))  # villager|staff|bot
    author_name: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str | None] = mapped_column(Text)   # None once purged (PDPA retention)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    ticket: Mapped[Ticket] = relationship(back_populates="messages")

class Media(Base):
    """What a villager sent that is not text: a photo, voice message, video, file, or location.

    The content is fetched from LINE in the background (LINE keeps it only for a while) and kept
    here, in the database, so every app server sharing it can serve it to staff."""

    __tablename__ = "media"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    ticket_message_id: Mapped[int] = mapped_column(ForeignKey("ticket_messages.id"), index=True)
    nonce: Mapped[str] = mapped_column(String(16))  # in the signed link: a reused id never opens another row
    kind: Mapped[str] = mapped_column(String(16))   # image|video|audio|file|location
    line_message_id: Mapped[str | None] = mapped_column(String(64))
    external_url: Mapped[str | None] = mapped_column(Text)  # content a provider other than LINE hosts
    file_name: Mapped[str | None] = mapped_column(String(255))
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    preview: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # a small JPEG of a big photo
    # pending|stored|too_large|gone|failed|external|none (a location: nothing to fetch)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)     # a location's place name
    address: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    stored_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

class StaffNoticeLink(Base):
    """Maps a LINE message id of a staff notification to its ticket (quote-reply answers)."""

    __tablename__ = "staff_notice_links"
    message_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)

class Inquiry(Base):
    """What was asked and how the bot decided: the learning loop's raw material."""

    __tablename__ = "inquiries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str | None] = mapped_column(Text)  # None once purged
    outcome: Mapped[str] = mapped_column(String(16), index=True)  # answer|choose|escalate|intent
    service_id: Mapped[str | None] = mapped_column(String(64))
    candidates: Mapped[list | None]
    chosen_service_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # The villager's "was this it?" on a service card: True yes, False no, None not said.
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    feedback_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

class Setting(Base):
    """Small shared facts across workers (e.g. which warnings staff were already given)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

def default_sqlite_url(instance_dir: str | os.PathLike) -> str:
    Path(instance_dir).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(instance_dir).resolve() / 'bot.db'}"


def _json_text(value) -> str:
    return orjson.dumps(value).decode()


# JSON columns (events, the cards sent) through orjson: a 5 KB answer card costs 9 µs, not 70
JSON_CODEC = {"json_serializer": _json_text, "json_deserializer": orjson.loads}


def make_engine(url: str) -> Engine:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    # No server-side prepared statements: psycopg prepares a statement on its fifth run, one more
    # round trip, and forgets them all at every ROLLBACK (a read's end) with a DEALLOCATE ALL, one
    # more; here the same few short statements were prepared again and again (0.4 extra round
    # trips a delivery). Planning them costs the server next to nothing.
    engine = create_engine(url, pool_size=5, max_overflow=5, hide_parameters=True,
                           connect_args={"prepare_threshold": None}, **JSON_CODEC)
    _ping_when_stale(engine)
    return engine


# A pooled connection idle for longer than this is pinged before use (a server restart, a dropped
# network, a killed backend). Under load connections are back in use within milliseconds.
PING_AFTER_IDLE = 5.0


def _ping_when_stale(engine: Engine) -> None:
    """SQLAlchemy's pessimistic ping (the documented "checkout" recipe), but only for a connection
    that may be stale: idle for PING_AFTER_IDLE, or with something from the server waiting on its
    socket, which an idle, healthy connection never has (a terminated backend, a server shutting
    down, say so and close it). ``pool_pre_ping`` pinged on every checkout: a round trip per
    transaction, 2-3 per delivery, for nothing. A failed ping invalidates the whole pool, as
    ``pool_pre_ping`` does: a restart left every pooled connection dead."""
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_conn, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_stale(dbapi_conn, record, _proxy):
        if time.monotonic() - record.info.get("idle_since", 0.0) < PING_AFTER_IDLE and not _server_spoke(dbapi_conn):
            return
        try:
            dialect.do_ping(dbapi_conn)
        except dialect.loaded_dbapi.Error as e:
            raise exc.InvalidatePoolError(f"ping failed: {type(e).__name__}") from e


def _server_spoke(dbapi_conn) -> bool:
    """Is there something to read on an idle connection's socket (without reading it)?"""
    try:
        poll = select.poll()
        poll.register(dbapi_conn.fileno(), select.POLLIN)
        return bool(poll.poll(0))
    except Exception:  # noqa: BLE001 - no socket to look at (a closed connection, another driver): ping
        return True


class WriteTurn:
    """One SQLite writer at a time, across this database's processes (``flock`` on a file next
    to it) and threads (a lock), handed over the moment the real COMMIT is done.

    Without it a second writer meets "busy" and SQLite's busy handler sleeps (1, 2, 5, 10 ... up
    to 100 ms) before trying again, which is what made slow requests slow under load."""

    def __init__(self, path: str | None):
        self._path = path
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int | None:
        if self._path and self._pid != os.getpid():  # a forked child must not share its parent's lock
            self._fd, self._pid = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
        return self._fd

    def acquire(self) -> None:
        self._lock.acquire()
        try:
            fd = self._file()
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            self._lock.release()
            raise

    def release(self) -> None:
        try:
            if self._fd is not None and self._pid == os.getpid():
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._lock.release()


class _TurnConnection(sqlite3.Connection):
    """Gives the write turn back after the real COMMIT/ROLLBACK (SQLAlchemy's ``commit`` event
    fires before it, so releasing there let the next writer meet "busy" and sleep)."""

    turn: WriteTurn | None = None   # set while this connection holds the turn

    def _end_turn(self) -> None:
        turn, self.turn = self.turn, None
        if turn is not None:
            turn.release()

    def commit(self):
        try:
            super().commit()
        finally:
            self._end_turn()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self._end_turn()

    def close(self):
        try:
            super().close()
        finally:
            self._end_turn()


WRITE = "bot_write"  # execution option: this transaction will write (set by ``Session.begin``)


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False,
                                              "factory": _TurnConnection},
                           hide_parameters=True, **JSON_CODEC)  # errors must not carry villagers' texts into logs
    database = engine.url.database
    turn = WriteTurn(f"{database}.turn" if database not in (None, "", ":memory:") else None)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record):  # several workers write: WAL + busy timeout
        dbapi_conn.isolation_level = None  # we say BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        # "On disk before the 200" is about our process dying (kill -9, OOM, a deploy), and for that
        # NORMAL is enough in WAL mode: a COMMIT has written its frames to the WAL file, which is in
        # the OS's page cache the moment write() returns and outlives the process; the next
        # connection reads them back. What NORMAL gives up is a power cut or kernel crash before the
        # next checkpoint's fsync, which can lose the last commits; production runs PostgreSQL for
        # that. FULL would fsync on every commit, i.e. once per delivery, the slowest step there is
        # on a small VPS disk.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        """A writing transaction takes its turn and the write lock up front (a read that later
        writes could otherwise fail at once with "database is locked", a WAL snapshot conflict);
        a read only needs a snapshot, no lock."""
        if not conn.get_execution_options().get(WRITE):
            conn.exec_driver_sql("BEGIN")
            return
        turn.acquire()
        dbapi_conn = conn.connection.dbapi_connection
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            turn.release()
            raise
        dbapi_conn.turn = turn
    return engine


class BotSession(Session):
    """``sessionmaker.begin()`` (and ``Session.begin()``) marks a writing transaction: on SQLite
    it takes the write lock at once. ``with sf() as s:`` is for reading."""

    _connection_of: tuple = (None, None)  # (transaction, its connection)

    def begin(self, nested: bool = False):
        transaction = super().begin(nested)
        if not nested and self.bind is not None and self.bind.dialect.name == "sqlite":
            self.connection(execution_options={WRITE: True})
        return transaction

    def connection(self, bind_arguments=None, execution_options=None):
        """The transaction's connection, remembered: the statements of a delivery ask for it a
        dozen times, and each ``Session.connection`` walks the binds and the transaction's states."""
        transaction = self.get_transaction()
        if bind_arguments is None and execution_options is None and transaction is not None:
            known, conn = self._connection_of
            if known is transaction and transaction.is_active and not conn.closed:
                return conn
        conn = super().connection(bind_arguments, execution_options)
        self._connection_of = (self.get_transaction(), conn)
        return conn


class Prepared:
    """A Core statement run straight on the DB-API cursor of a transaction's connection: the SQL,
    its parameters' order and their conversions (dates for SQLite, JSON) are worked out once per
    dialect, so a run costs the driver's time and little more (~15 µs on SQLite, ~35 on
    PostgreSQL, against ~45 and ~90 through ``Connection.execute``). For the few statements every
    delivery runs; the transaction is the caller's (``session.connection()`` has begun it).
    ``keys``: the parameters an INSERT or UPDATE is given (its other columns are left out)."""

    def __init__(self, statement, keys: tuple[str, ...] | None = None):
        self.statement = statement
        self.keys = keys
        self._compiled: dict[str, tuple] = {}

    def _entry(self, dialect) -> tuple:
        return self._compiled.get(dialect.name) or self._compile(dialect)

    def _compile(self, dialect) -> tuple:
        compiled = self.statement.compile(dialect=dialect, column_keys=list(self.keys) if self.keys else None)
        defaults = dict(compiled.construct_params(_check=False))  # values written into the statement
        processors = dict(compiled._bind_processors)
        order = tuple(compiled.positiontup) if dialect.positional else None
        entry = (compiled.string, defaults, processors, order)
        self._compiled[dialect.name] = entry
        return entry

    def _params(self, entry, params: dict):
        _, defaults, processors, order = entry
        values = {**defaults, **params}
        for name, process in processors.items():
            if name in values and values[name] is not None:
                values[name] = process(values[name])
        return tuple(values[name] for name in order) if order is not None else values

    def execute(self, conn, params: dict):
        """Run it; returns the DB-API cursor (for RETURNING: ``fetchone()``)."""
        entry = self._entry(conn.dialect)
        cursor = conn.connection.dbapi_connection.cursor()
        cursor.execute(entry[0], self._params(entry, params))
        return cursor

    def row(self, conn, params: dict) -> tuple | None:
        """The first row, or None."""
        cursor = self.execute(conn, params)
        try:
            return cursor.fetchone()
        finally:
            cursor.close()

    def scalar(self, conn, params: dict):
        """The first column of the first row, or None."""
        row = self.row(conn, params)
        return row[0] if row else None

    def run(self, conn, params: dict) -> int:
        """Run it without a result; returns the rows it changed."""
        cursor = self.execute(conn, params)
        try:
            return cursor.rowcount
        finally:
            cursor.close()

    # psycopg's executemany sends the rows through a pipeline, which costs ~35 µs of CPU to open and
    # close and then ~10 µs a row, against ~17 µs for a row executed on its own (one round trip
    # each). The send outcomes' statements usually have 1-4 rows a batch (a staff card's outcome
    # is written at once, with whatever else is waiting): those go one by one.
    PIPELINE_FROM = 8

    def run_many(self, conn, params: list[dict]) -> None:
        entry = self._entry(conn.dialect)
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            if conn.dialect.name == "postgresql" and len(params) < self.PIPELINE_FROM:
                for p in params:
                    cursor.execute(entry[0], self._params(entry, p))
            else:  # SQLite's executemany is a loop in C, in process: cheaper than any other way
                cursor.executemany(entry[0], [self._params(entry, p) for p in params])
        finally:
            cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, class_=BotSession, expire_on_commit=False)

@contextlib.contextmanager
def _migration_lock(engine: Engine):
    """Several gunicorn workers start at once; only one may run the migrations at a time."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(804211)"))
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(804211)"))
                conn.commit()
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        with open(str(engine.url.database) + ".migrate.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
    else:
        yield

def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with _migration_lock(engine), engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")



class ConsoleUser(Base):
    """An office account for the web console (``python -m bot users add``)."""

    __tablename__ = "console_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # admin|staff
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Changing the password changes this, which signs out the account's other sessions.
    session_token: Mapped[str] = mapped_column(String(64))


class AuditEntry(Base):
    """Who did what in the console (answers, takes, closes, catalogue saves, restores)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(32))   # answer|take|close|catalogue_save|catalogue_restore|...
    target: Mapped[str | None] = mapped_column(String(128))  # "#12", "service driving-licence-queue", ...
    detail: Mapped[str | None] = mapped_column(Text)


class CatalogueVersion(Base):
    """Every catalogue.json the console wrote (and the one it replaced): history and restore."""

    __tablename__ = "catalogue_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    saved_by: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    summary: Mapped[str | None] = mapped_column(String(255))  # what changed, in words
    content: Mapped[str] = mapped_column(Text)
