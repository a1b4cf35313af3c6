"""Operating the bot: /metrics as Prometheus scrapes it, the nightly purge, retention settings."""
import datetime as dt

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.config import Config
from bot.db import Setting, Ticket, TicketMessage, utcnow
from tests.conftest import STAFF, post_events, text_event

VILLAGER = "U" + "7" * 32


def scrape(client) -> dict[tuple[str, tuple], float]:
    r = client.get("/metrics")
    assert r.status_code == 200 and r.content_type.startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(r.get_data(as_text=True)):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples, r.get_data(as_text=True)


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_what_happened_without_personal_data(app, client, fake_line):
    answered = text_event("ต่อใบขับขี่ที่หมดอายุ", user=VILLAGER)
    escalated = text_event("ขอยืมเต็นท์ไปงานบวชที่บ้าน โทร 0812345678", user=VILLAGER)
    danger = text_event("ไฟไหม้บ้าน ช่วยด้วย", user="U" + "6" * 32)
    post_events(client, [answered, escalated, danger])
    post_events(client, [answered])  # LINE redelivers
    fake_line.wait(lambda: len(fake_line.pushes(STAFF)) >= 2)
    fake_line.wait(lambda: len(fake_line.replies(escalated["replyToken"])) == 1)
    settle(app)
    samples, body = scrape(client)
    assert value(samples, "bot_events_received_total", kind="message", source="villager") == 4
    assert value(samples, "bot_events_duplicate_total") == 1
    assert value(samples, "bot_villager_outcomes_total", outcome="answer") == 1
    assert value(samples, "bot_villager_outcomes_total", outcome="escalate") == 1
    assert value(samples, "bot_villager_outcomes_total", outcome="emergency") == 1  # not also an escalation
    assert value(samples, "bot_outbox_sent_total", kind="push", purpose="staff_notice") == 2
    assert value(samples, "bot_delivery_seconds_count", kind="reply") >= 3
    assert value(samples, "bot_outbox_backlog") == 0 and value(samples, "bot_outbox_failed") == 0
    # Nobody can be told apart from the metrics: no user or group ids, no texts, no phone numbers.
    for private in (VILLAGER, STAFF, "ใบขับขี่", "เต็นท์", "0812345678", answered["replyToken"]):
        assert private not in body


def settle(app) -> None:
    """Every send finished, its outcome written down and counted."""
    processor = app.extensions["bot"]["processor"]
    processor.pool.shutdown(wait=True)
    processor.sender.recorder.stop()


def test_metrics_show_failures_and_the_backlog(app, client, fake_line):
    fake_line.fail_pushes = 1
    post_events(client, [text_event("ท่อประปาหมู่บ้านแตกหลายวันแล้ว", user=VILLAGER)])
    fake_line.wait(lambda: fake_line.fail_pushes == 0 and fake_line.replies())  # the staff push refused
    settle(app)
    samples, _ = scrape(client)
    assert value(samples, "bot_outbox_send_failures_total", final="false") == 1
    assert value(samples, "bot_outbox_backlog") == 1  # the staff notice waits for its retry


def test_catalogue_reloads_and_refusals_are_counted(config, tmp_path):
    from bot.config import ROOT
    from webhook import create_app
    path = tmp_path / "catalogue.json"
    original = (ROOT / "catalogue.json").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    app = create_app(Config(**{**config.__dict__, "catalogue_path": str(path)}))
    processor, client = app.extensions["bot"]["processor"], app.test_client()
    try:
        path.write_text(original.replace("จองคิวทำใบขับขี่", "จองคิวทำใบขับขี่ (ออนไลน์)", 1), encoding="utf-8")
        processor.sweep()
        path.write_text("{ broken", encoding="utf-8")
        processor.sweep()
        samples, _ = scrape(client)
        assert value(samples, "bot_catalogue_reloads_total", result="ok") == 1
        assert value(samples, "bot_catalogue_reloads_total", result="refused") == 1
    finally:
        processor.stop()
        app.extensions["bot"]["engine"].dispose()


def _old_tickets(sf, now):
    old = now - dt.timedelta(days=400)
    with sf.begin() as s:
        closed = Ticket(user_id=VILLAGER, status="closed", created_at=old)
        still_open = Ticket(user_id="U" + "8" * 32, status="open", created_at=old)
        s.add_all([closed, still_open])
        s.flush()
        s.add_all([TicketMessage(ticket_id=closed.id, author="villager", text="บ้านเลขที่ 12 ถนนพัง", created_at=old),
                   TicketMessage(ticket_id=still_open.id, author="villager", text="ไฟทางดับ", created_at=old)])
        return closed.id, still_open.id


def test_nightly_purge_runs_once_a_night_across_workers(app):
    processor = app.extensions["bot"]["processor"]
    sf = processor.sf
    closed_id, open_id = _old_tickets(sf, utcnow())
    config = Config(**{**processor.sweeper.config.__dict__, "retention_days": 90})
    from bot.nightly import Nightly
    store = app.extensions["bot"]["store"]
    worker_a, worker_b = Nightly(sf, store, config), Nightly(sf, store, config)
    night = dt.datetime(2026, 11, 25, 19, 30)      # 02:30 on the 26th in Lopburi
    assert not worker_a.run_if_due(dt.datetime(2026, 11, 25, 18, 0))  # 01:00 office time: too early
    assert worker_a.run_if_due(night)
    assert not worker_b.run_if_due(night)          # another worker (or server): already claimed
    assert not worker_a.run_if_due(night + dt.timedelta(hours=3))  # once a night
    with sf() as s:
        assert s.get(Ticket, closed_id).messages[0].text is None
        assert s.get(Ticket, open_id).messages[0].text == "ไฟทางดับ"  # open tickets are never touched
        # The shipped catalogue expects the office's own days: staff are reminded once about next year.
        notice = s.get(Setting, "staff_notice:office-days-2027")
        assert notice is not None and "2570" in notice.value


def test_nightly_purge_off_keeps_texts(app):
    processor = app.extensions["bot"]["processor"]
    sf = processor.sf
    closed_id, _ = _old_tickets(sf, utcnow())
    from bot.nightly import Nightly
    nightly = Nightly(sf, app.extensions["bot"]["store"], Config(**{**processor.sweeper.config.__dict__,
                                                                    "retention_days": 0}))
    assert nightly.run_if_due(dt.datetime(2026, 11, 25, 19, 30))
    with sf() as s:
        assert s.get(Ticket, closed_id).messages[0].text == "บ้านเลขที่ 12 ถนนพัง"


def test_retention_comes_from_the_environment_with_a_minimum():
    assert Config.from_env({}).retention_days == 90
    assert Config.from_env({"RETENTION_DAYS": "365"}).retention_days == 365
    assert Config.from_env({"RETENTION_DAYS": "0"}).retention_days == 0
    with pytest.raises(ValueError, match="30-day minimum"):
        Config.from_env({"RETENTION_DAYS": "7"})
    with pytest.raises(ValueError, match="number of days"):
        Config.from_env({"RETENTION_DAYS": "ninety"})
