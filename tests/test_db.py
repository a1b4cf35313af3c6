"""Storage on SQLite and PostgreSQL: migrations, the dedupe key, and durable queues."""
import datetime as dt
import threading

import pytest

from sqlalchemy import inspect, select, update

from bot.config import Config
from bot.db import InboundEvent, OutboundMessage, Ticket, make_engine, migrate
from tests.conftest import SECRET, STAFF, TOKEN, blob, make_app, text_event


def test_migrations_create_the_schema_and_are_idempotent(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"inbound_events", "outbound_messages", "tickets", "ticket_messages", "inquiries", "alembic_version"} <= tables
    engine.dispose()


def _app(fake_line, db_url):
    return make_app(Config(channel_secret=SECRET, access_token=TOKEN, api_endpoint=fake_line.url,
                             database_url=db_url, staff_group_id=STAFF, background=False, try_page=False))


def test_concurrent_duplicate_events_are_stored_once(fake_line, db_url):
    app = _app(fake_line, db_url)
    processor = app.extensions["bot"]["processor"]
    ev = text_event("ขอกล้าไม้")
    results = []
    threads = [threading.Thread(target=lambda: results.append(processor.accept([ev]))) for _ in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sum(len(r) for r in results) == 1
    with processor.sf() as s:
        assert s.scalar(select(InboundEvent).where(InboundEvent.webhook_event_id == ev["webhookEventId"])) is not None
    processor.stop()
    app.extensions["bot"]["engine"].dispose()


def test_an_acknowledged_event_is_answered_after_a_restart(fake_line, db_url):
    """Stored but never processed (the process died after the 200): the next process answers it."""
    app = _app(fake_line, db_url)
    app.extensions["bot"]["processor"].accept([text_event("ขอใช้ไฟฟ้าบ้านใหม่", user="U" + "c" * 32)])
    app.extensions["bot"]["processor"].stop()
    app.extensions["bot"]["engine"].dispose()
    assert not fake_line.calls

    restarted = _app(fake_line, db_url)
    processor = restarted.extensions["bot"]["processor"]
    with processor.sf.begin() as s:  # it has waited long enough to count as stranded
        for row in s.scalars(select(InboundEvent)):
            row.received_at = row.received_at.replace(year=2000)
    processor.sweep()
    assert "peacos.pea.co.th" in blob(fake_line.wait(fake_line.replies))
    processor.sweep()
    assert len(fake_line.calls) == 1
    processor.stop()
    restarted.extensions["bot"]["engine"].dispose()


def test_a_pooled_connection_whose_backend_was_killed_is_not_used(fake_line, pg_admin_url, caplog):
    """Connections are pinged only when they may be stale, not on every checkout: one whose
    server process is gone (killed, or PostgreSQL restarted) is not used for the next delivery,
    however recently it was used."""
    import psycopg
    from sqlalchemy import text

    from tests.conftest import throwaway_postgres
    with throwaway_postgres(pg_admin_url) as url:
        app = _app(fake_line, url)
        processor, engine = app.extensions["bot"]["processor"], app.extensions["bot"]["engine"]
        processor.receive([text_event("ขอใช้ไฟฟ้าบ้านใหม่", user="U" + "d" * 32)])
        fake_line.wait(fake_line.replies)
        assert fake_line.wait(lambda: _all_sent(processor))  # the outcome written: the pool is idle
        with engine.connect() as conn:  # the pooled connections, just used
            pids = set(conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).scalars())
        with psycopg.connect(pg_admin_url, autocommit=True) as admin:
            for pid in pids:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            # terminating only signals: wait until the processes are gone (and have said so)
            assert fake_line.wait(lambda: not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s)",
                                                            (list(pids),)).fetchall())
        fake_line.calls.clear()
        processor.receive([text_event("ขอใช้ไฟฟ้าบ้านใหม่", user="U" + "e" * 32)])  # at once: no idle time
        assert "peacos.pea.co.th" in blob(fake_line.wait(fake_line.replies))
        assert not [r for r in caplog.records if r.levelname == "ERROR"]  # not used, so nothing failed
        with processor.sf() as s:
            assert [r.status for r in s.scalars(select(InboundEvent))] == ["done", "done"]
        processor.stop()
        engine.dispose()


def test_a_delivery_whose_connection_dies_midway_is_answered_at_once(fake_line, pg_admin_url):
    """A connection can still die inside a delivery's transaction (the server killed it that very
    moment): the event is stored again on a fresh connection and answered now, not left for the
    sweeper (which is not running here)."""
    from sqlalchemy import text

    from tests.conftest import throwaway_postgres
    with throwaway_postgres(pg_admin_url) as url:
        app = _app(fake_line, url)
        processor, engine = app.extensions["bot"]["processor"], app.extensions["bot"]["engine"]
        receiver, killed = processor.receiver, []
        handle = receiver._handle

        def handle_on_a_dying_connection(session, *args, **kwargs):
            if not killed:
                killed.append(True)
                session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
            return handle(session, *args, **kwargs)

        receiver._handle = handle_on_a_dying_connection
        processor.receive([text_event("ขอใช้ไฟฟ้าบ้านใหม่", user="U" + "f" * 32)])
        assert killed
        assert "peacos.pea.co.th" in blob(fake_line.wait(fake_line.replies))
        assert len(fake_line.replies()) == 1
        with processor.sf() as s:
            assert [r.status for r in s.scalars(select(InboundEvent))] == ["done"]
        processor.stop()
        engine.dispose()


def _all_sent(processor) -> bool:
    with processor.sf() as s:
        return bool(s.scalars(select(OutboundMessage.status)).all()) and all(
            status == "sent" for status in s.scalars(select(OutboundMessage.status)))


def test_a_push_queued_without_a_claim_is_sent_once_by_the_sweeper(fake_line, db_url):
    app = _app(fake_line, db_url)
    processor = app.extensions["bot"]["processor"]
    from bot import outbox
    with processor.sf.begin() as s:  # e.g. a console action: nobody holds the row, the sweeper sends it
        outbox.enqueue_push(s, "U" + "d" * 32, [{"type": "text", "text": "คำตอบ"}], "staff_answer")
    processor.sweep()
    processor.sweep()
    assert len(fake_line.wait(lambda: fake_line.pushes("U" + "d" * 32))) == 1
    processor.stop()
    app.extensions["bot"]["engine"].dispose()


def test_a_push_left_pending_by_a_dead_worker_is_sent_once_by_another(fake_line, db_url):
    app = _app(fake_line, db_url)
    processor = app.extensions["bot"]["processor"]
    from bot import outbox
    with processor.sf.begin() as s:
        (row,) = outbox.enqueue_push(s, "U" + "d" * 32, [{"type": "text", "text": "คำตอบ"}], "staff_answer",
                                     claimed=True)
        row.claimed_at = row.claimed_at.replace(year=2000)  # its claimer died long ago
    processor.sweep()
    processor.sweep()

    def statuses():
        with processor.sf() as s:
            return s.scalars(select(OutboundMessage.status)).all()
    assert fake_line.wait(lambda: statuses() == ["sent"])  # sent by the pool
    assert len(fake_line.pushes("U" + "d" * 32)) == 1
    processor.stop()
    app.extensions["bot"]["engine"].dispose()


def test_a_reply_delivered_before_its_worker_died_is_not_sent_again(fake_line, db_url):
    """LINE accepted the reply, the worker died before writing that down: the retry's token is
    refused as used, which means it was delivered, so it is not pushed as well."""
    app = _app(fake_line, db_url)
    processor = app.extensions["bot"]["processor"]
    ev = text_event("ขอหญ้าแฝก", user="U" + "7" * 32)

    def statuses():
        with processor.sf() as s:
            return s.scalars(select(OutboundMessage.status)).all()
    processor.receive([ev])
    assert fake_line.wait(lambda: statuses() == ["sent"])
    with processor.sf.begin() as s:  # as if it died between LINE's 200 and marking the row sent
        s.execute(update(OutboundMessage).values(status="pending", sent_at=None,
                                                 claimed_at=dt.datetime(2000, 1, 1)))
    processor.sweep()
    assert fake_line.wait(lambda: statuses() == ["sent"])  # the retry is decided
    assert len(fake_line.replies(ev["replyToken"])) == 1 and not fake_line.pushes(ev["source"]["userId"])
    processor.stop()
    app.extensions["bot"]["engine"].dispose()


def test_a_reply_whose_token_is_refused_at_once_becomes_a_push(fake_line, db_url):
    app = _app(fake_line, db_url)
    processor = app.extensions["bot"]["processor"]
    fake_line.reject_replies = True  # an expired token on a redelivered event, say
    ev = text_event("ขอหญ้าแฝก", user="U" + "8" * 32)
    processor.receive([ev])
    assert "sql.ldd.go.th" in blob(fake_line.wait(lambda: fake_line.pushes(ev["source"]["userId"])))
    processor.stop()
    app.extensions["bot"]["engine"].dispose()


def test_an_event_whose_handling_fails_is_tried_again_at_once_then_kept_for_the_sweeper(fake_line, db_url, monkeypatch):
    from bot import conversation
    app = _app(fake_line, db_url)
    processor = app.extensions["bot"]["processor"]
    real = conversation.handle
    failures = {"ขอหญ้าแฝก": 1, "ขอกล้าไม้": 2}  # a bug met once; one met twice

    def flaky(ctx, inc):
        if failures.get(inc.text, 0):
            failures[inc.text] -= 1
            raise RuntimeError("a bug")
        return real(ctx, inc)
    monkeypatch.setattr(conversation, "handle", flaky)
    processor.receive([text_event("ขอหญ้าแฝก", user="U" + "f" * 32)])
    assert "sql.ldd.go.th" in blob(fake_line.wait(fake_line.replies))  # the second try, at once

    fake_line.calls.clear()
    processor.receive([text_event("ขอกล้าไม้", user="U" + "e" * 32)])
    assert not fake_line.wait(fake_line.replies, 0.3)
    with processor.sf.begin() as s:
        row = s.scalar(select(InboundEvent).order_by(InboundEvent.id.desc()))
        assert (row.status, row.attempts, row.error) == ("pending", 1, "RuntimeError")
        row.received_at = row.received_at.replace(year=2000)
    processor.sweep()
    assert fake_line.wait(fake_line.replies)
    processor.stop()
    app.extensions["bot"]["engine"].dispose()


def test_the_migrations_build_exactly_the_models(db_url):
    """A column added to a model without a migration (or the reverse) would fail in production."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.db import Base
    engine = make_engine(db_url)
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_feedback_columns_store_a_rating_and_a_helpful_flag(db_url):
    import datetime as dt

    from bot.db import Inquiry, Ticket, make_session_factory
    engine = make_engine(db_url)
    migrate(engine)
    now = dt.datetime(2026, 11, 26, 1, 0)
    with make_session_factory(engine).begin() as s:
        s.add(Ticket(user_id="U1", status="closed", rating=5, rating_asked_at=now, rated_at=now))
        s.add(Inquiry(user_id="U1", outcome="answer", helpful=False, feedback_at=now))
    with make_session_factory(engine)() as s:
        assert s.scalars(select(Ticket.rating)).one() == 5
        assert s.scalars(select(Inquiry.helpful)).one() is False
    engine.dispose()


def test_a_staff_card_whose_push_failed_is_retried_with_the_name_looked_up_for_it(fake_line, db_url):
    """A new villager's name is looked up just before their card's first push. When that push
    fails, the name is written down with the outcome (on the ticket, and into the card's row),
    and the retry sends the card with it."""
    app = _app(fake_line, db_url)
    processor = app.extensions["bot"]["processor"]
    fake_line.fail_pushes = 1
    processor.receive([text_event("ถนนหน้าบ้านเป็นหลุมใหญ่มาก ช่วยมาซ่อมหน่อย", user="U" + "7" * 32)])

    def failed_card():  # its attempt written down: pending, no longer claimed
        with processor.sf() as s:
            return s.scalar(select(OutboundMessage).where(OutboundMessage.purpose == "staff_notice",
                                                          OutboundMessage.status == "pending",
                                                          OutboundMessage.claimed_at.is_(None)))
    card = fake_line.wait(failed_card)
    assert card is not None and card.attempts == 1 and "ป้าสมศรี" in blob(card.messages)
    with processor.sf.begin() as s:  # its backoff is over
        s.execute(update(OutboundMessage).where(OutboundMessage.id == card.id).values(
            next_attempt_at=card.next_attempt_at.replace(year=2000)))
        assert s.get(Ticket, card.ticket_id).display_name == "ป้าสมศรี"
    assert not fake_line.pushes(STAFF)  # (the fake keeps only the pushes it accepted)
    processor.sweep()
    pushes = fake_line.wait(lambda: fake_line.pushes(STAFF))
    assert len(pushes) == 1 and "ป้าสมศรี" in blob(pushes) and "#" in blob(pushes)
    processor.stop()
    app.extensions["bot"]["engine"].dispose()


def test_outbox_messages_are_compressed_with_lz4_on_postgresql(pg_admin_url):
    """A flex card is past the 2 KB at which PostgreSQL compresses a value: lz4 (migration
    0007) costs the server less CPU than pglz for each outbox row."""
    from sqlalchemy import text

    from bot import outbox
    from bot.db import make_session_factory
    from tests.conftest import throwaway_postgres
    with throwaway_postgres(pg_admin_url) as url:
        engine = make_engine(url)
        migrate(engine)
        with engine.connect() as conn:
            if not conn.execute(text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                                     "WHERE name = 'default_toast_compression'")).scalar():
                engine.dispose()
                pytest.skip("this PostgreSQL server has no lz4")
        with make_session_factory(engine).begin() as s:
            outbox.queue_push(s, STAFF, [{"type": "text", "text": f"ข้อความที่ {i}"} for i in range(5)], "staff_notice")
            outbox.queue_push(s, STAFF, [{"type": "text", "text": "สวัสดีครับ " * 300}], "staff_notice")
        with engine.connect() as conn:
            methods = conn.execute(text("SELECT pg_column_compression(messages) FROM outbound_messages "
                                        "ORDER BY id")).scalars().all()
        engine.dispose()
    assert methods == [None, "lz4"]  # a short one is stored as it is


def test_repeated_statements_are_not_prepared_on_postgresql(pg_admin_url):
    """psycopg prepares a statement on its fifth run (a round trip) and drops them all at every
    ROLLBACK (DEALLOCATE ALL, another): the same few inserts of every delivery paid both, again
    and again. They run unprepared: after many deliveries the connection holds none."""
    from sqlalchemy import text

    from bot import outbox
    from bot.db import make_session_factory
    from tests.conftest import throwaway_postgres
    with throwaway_postgres(pg_admin_url) as url:
        engine = make_engine(url)
        migrate(engine)
        sf = make_session_factory(engine)
        with sf.begin() as s:  # one connection, as a busy worker's pooled one: many deliveries' inserts
            for i in range(12):
                outbox.queue_push(s, STAFF, [{"type": "text", "text": f"ข้อความที่ {i}"}], "staff_notice")
            prepared = s.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()
        engine.dispose()
    assert prepared == 0
