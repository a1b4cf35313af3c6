"""The unanswered report on a seeded database, and PDPA purge (both storage backends)."""
import datetime as dt

from bot.db import Inquiry, Ticket, TicketMessage, make_engine, make_session_factory, migrate
from bot.learning import purge_texts, unanswered_report
from tests.conftest import shared_store


def seeded(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    sf = make_session_factory(engine)
    now = dt.datetime.utcnow()
    with sf.begin() as s:
        for text in ["ขอซ่อมถนนหน้าบ้าน", "ซ่อมถนนหน้าบ้านให้หน่อย", "ถนนหน้าบ้านพัง ขอซ่อม"]:
            s.add(Inquiry(user_id="U1", text=text, outcome="escalate", candidates=[], created_at=now))
        s.add(Inquiry(user_id="U2", text="ภาษี", outcome="choose",
                      candidates=["personal-income-tax-filing", "tax-refund-tracking"],
                      chosen_service_id="tax-refund-tracking", created_at=now))
        s.add(Inquiry(user_id="U3", text="จองคิวทำใบขับขี่", outcome="answer", created_at=now))
        s.add(Inquiry(user_id="U4", text="เรื่องเก่ามาก", outcome="escalate", created_at=now - dt.timedelta(days=90)))
        t = Ticket(user_id="U1", status="closed", created_at=now - dt.timedelta(days=400))
        s.add(t)
        s.flush()
        s.add(TicketMessage(ticket_id=t.id, author="villager", text="เลขบัตร 1234567890123",
                            created_at=now - dt.timedelta(days=400)))
    return engine, sf


def test_unanswered_groups_similar_questions_and_suggests(db_url):
    engine, sf = seeded(db_url)
    groups = unanswered_report(sf, shared_store().current, days=30)
    assert groups[0].count == 3 and len(groups[0].variants) == 2
    tax = next(g for g in groups if g.question == "ภาษี")
    assert tax.chosen == "tax-refund-tracking" and "tax-refund-tracking" in tax.suggestion
    assert all("ใบขับขี่" not in g.question for g in groups)  # answered questions are not listed
    assert all("เก่ามาก" not in g.question for g in groups)    # outside the window
    engine.dispose()


def test_purge_forgets_texts_but_keeps_tickets(db_url):
    engine, sf = seeded(db_url)
    counts = purge_texts(sf, dt.timedelta(days=60))
    assert counts["ticket messages"] == 1 and counts["inquiries"] == 1
    with sf() as s:
        ticket = s.query(Ticket).one()
        assert ticket.status == "closed" and ticket.messages[0].text is None
        assert s.query(Inquiry).filter(Inquiry.text.is_(None)).count() == 1
    engine.dispose()


def test_purge_never_touches_open_tickets_and_dry_run_changes_nothing(db_url):
    engine, sf = seeded(db_url)
    old = dt.datetime.utcnow() - dt.timedelta(days=400)
    with sf.begin() as s:
        still_open = Ticket(user_id="U9", status="open", created_at=old)
        s.add(still_open)
        s.flush()
        s.add(TicketMessage(ticket_id=still_open.id, author="villager", text="ถนนพังตั้งแต่ปีที่แล้ว", created_at=old))
        open_id = still_open.id
    preview = purge_texts(sf, dt.timedelta(days=0), dry_run=True)
    assert preview["ticket messages"] == 1 and preview["inquiries"] == 6
    with sf() as s:
        assert s.query(TicketMessage).filter(TicketMessage.text.is_(None)).count() == 0  # nothing changed
        assert s.query(Inquiry).filter(Inquiry.text.is_(None)).count() == 0
    done = purge_texts(sf, dt.timedelta(days=0))
    assert done == preview  # the dry run said exactly what went
    with sf() as s:
        kept = s.get(Ticket, open_id)
        assert [m.text for m in kept.messages] == ["ถนนพังตั้งแต่ปีที่แล้ว"]
    engine.dispose()


def test_reports_never_show_a_national_id_in_full(tmp_path):
    """`bot unanswered` (text and --csv) goes to admins, not the ticket's staff: IDs are masked."""
    import os
    import subprocess
    import sys

    from bot.config import ROOT
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    engine, sf = seeded(url)
    with sf.begin() as s:
        s.add(Inquiry(user_id="U5", text="ขอคัดสำเนาทะเบียนบ้าน บัตร 3-1005-01234-56-7", outcome="escalate",
                      candidates=[], created_at=dt.datetime.utcnow()))
        s.add(Inquiry(user_id="U6", text="เช็คสิทธิ์ให้หน่อย 3100501234567", outcome="choose",
                      candidates=["welfare-card"], created_at=dt.datetime.utcnow()))
    engine.dispose()
    env = dict(os.environ, DATABASE_URL=url)
    for args in (["unanswered"], ["unanswered", "--csv"]):
        out = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT,
                             timeout=120, env=env).stdout
        assert "ทะเบียนบ้าน" in out and "เช็คสิทธิ์" in out   # the words admins learn from stay
        assert "01234" not in out and "3100501234567" not in out and "x-xxxx-xxxx4-56-7" in out
