"""As deployed: gunicorn with several workers (metrics add up, logs read well), and several app
servers behind a load balancer sharing one PostgreSQL."""
import re
import threading
import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import STAFF, blob, other_event, text_event, throwaway_postgres
from tests.test_gunicorn import Server, catalogue  # noqa: F401 - the fixture

QUESTIONS = ["ต่อใบขับขี่ที่หมดอายุ", "ขอใช้น้ำประปาบ้านใหม่", "ขอมีบัตรประจำตัวคนพิการ", "ตรวจสอบสิทธิบัตรสวัสดิการแห่งรัฐ",
             "ยื่นภาษีเงินได้บุคคลธรรมดา", "หางานทำใกล้บ้าน"]
ESCALATIONS = ["ขอยืมเต็นท์ไปงานบวช", "ถนนหน้าบ้านเป็นหลุมใหญ่ มาซ่อมได้ไหม", "ขอรถดูดส้วมมาที่บ้าน"]


def scrape(server) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=10) as r:
        body = r.read().decode()
    out = {}
    for family in text_string_to_metric_families(body):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def received(samples) -> float:
    return sum(v for (name, _), v in samples.items() if name == "bot_events_received_total")


@pytest.fixture
def server(fake_line, tmp_path, catalogue):  # noqa: F811
    srv = Server(fake_line, tmp_path, catalogue)
    yield srv
    srv.stop()


def test_metrics_add_up_every_worker_and_logs_read_well(server, fake_line, tmp_path):
    events = [text_event(q, user=f"U{k:032x}") for k, q in enumerate(QUESTIONS)]
    for ev in events:
        assert server.post([ev]) == 200
    server.post([events[0]])  # a redelivery
    group = "C" + "0812345678" * 3 + "ab"  # a group id whose digits look like a phone number
    server.post([other_event("join", group=group, user=None)])
    fake_line.wait(lambda: all(fake_line.replies(ev["replyToken"]) for ev in events), 20)
    time.sleep(1)
    # Whichever worker answers the scrape, the totals are the server's.
    scrapes = [scrape(server) for _ in range(8)]
    assert {received(s) for s in scrapes} == {len(events) + 2}
    last = scrapes[-1]
    assert last[("bot_villager_outcomes_total", (("outcome", "answer"),))] == len(QUESTIONS)
    assert last[("bot_events_duplicate_total", ())] == 1
    pids = {dict(labels)["pid"] for (name, labels) in last if name == "bot_worker_max_rss_bytes"}
    assert len(pids) == 2  # memory is the one figure kept per worker process
    log = (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")
    assert "alembic" not in log.lower()  # quiet at INFO: no migration chatter per worker
    assert f"joined chat {group} " in log  # the admin can copy the staff group id from here
    handled = [line for line in log.splitlines() if "handled" in line and "bot.worker" in line]
    assert len(handled) == len(events) + 1  # one line per event (the redelivery is not handled again)
    assert sum(line.endswith("handled: answer") for line in handled) == len(QUESTIONS)  # and what became of it
    assert not any(q in log for q in QUESTIONS)  # never a message body


@pytest.fixture
def shared_postgres(pg_admin_url):
    with throwaway_postgres(pg_admin_url) as url:
        yield url


def test_two_app_servers_on_one_postgresql_answer_each_event_once(fake_line, tmp_path, catalogue,  # noqa: F811
                                                                  shared_postgres):
    """Scaling out: two app servers behind a load balancer share one PostgreSQL. LINE redelivers
    each event and the copies land on both servers at the same time: every villager is answered
    once, staff get one card per new ticket, and the villager and staff read the same #N."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    servers = [Server(fake_line, tmp_path / "a", catalogue, shared_postgres),
               Server(fake_line, tmp_path / "b", catalogue, shared_postgres)]
    try:
        answered = [text_event(q, user=f"U{k:032x}") for k, q in enumerate(QUESTIONS)]
        escalated = [text_event(q, user=f"U{k + 50:032x}") for k, q in enumerate(ESCALATIONS)]
        events = answered + escalated
        # The load balancer sends LINE's redeliveries anywhere: every event reaches both servers, twice, at once.
        posts = [threading.Thread(target=srv.post, args=([ev],)) for ev in events for srv in servers * 2]
        [t.start() for t in posts]
        [t.join() for t in posts]
        fake_line.wait(lambda: all(fake_line.replies(ev["replyToken"]) for ev in events), 30)
        fake_line.wait(lambda: len(fake_line.pushes(STAFF)) >= len(escalated), 30)
        time.sleep(3)  # time for any second answer or notice to show up
        for ev in events:
            assert len(fake_line.replies(ev["replyToken"])) == 1, ev["message"]["text"]
            assert not fake_line.pushes(ev["source"]["userId"])
        notices = fake_line.pushes(STAFF)
        assert len(notices) == len(escalated)  # one card per ticket, not one per server
        for q in ESCALATIONS:
            assert sum(q in blob([n]) for n in notices) == 1
        told = {n for ev in escalated for n in re.findall(r"#(\d+)", blob(fake_line.replies(ev["replyToken"])))}
        assert told == {re.search(r"#(\d+)", blob([n])).group(1) for n in notices}  # the same #N on both sides
        # Each server counts what it received; together they saw every delivery.
        assert sum(received(scrape(srv)) for srv in servers) == len(events) * 4
    finally:
        for srv in servers:
            srv.stop()


def test_a_console_save_on_one_server_reaches_the_others_catalogue(tmp_path, sqlite_url):
    import json
    import os

    from bot.catalogue import KnowledgeStore
    from bot.catalogue_edit import CatalogueEditor, CatalogueFollower
    from bot.config import ROOT
    from bot.db import make_engine, make_session_factory, migrate
    engine = make_engine(sqlite_url)
    migrate(engine)
    sf = make_session_factory(engine)
    original = (ROOT / "catalogue.json").read_text(encoding="utf-8")
    here, there = tmp_path / "a.json", tmp_path / "b.json"  # two servers' files, one database
    for path in (here, there):
        path.write_text(original, encoding="utf-8")
        os.utime(path, (1_700_000_000, 1_700_000_000))  # deployed a while ago
    store_there = KnowledgeStore(there)
    follower = CatalogueFollower(there, sf)
    assert not follower.check()  # nothing saved from a console yet

    def rename(data):
        data["services"][0]["name"] = "จองคิวทำใบขับขี่ออนไลน์"
        return data
    CatalogueEditor(here, sf, lambda: store_there.current.lexicon).save("somchai", rename, "ชื่อบริการ")
    assert follower.check()
    assert json.loads(there.read_text(encoding="utf-8"))["services"][0]["name"] == "จองคิวทำใบขับขี่ออนไลน์"
    assert store_there.refresh() and store_there.current.catalogue.services[0]["name"] == "จองคิวทำใบขับขี่ออนไลน์"
    assert not CatalogueFollower(here, sf).check()  # the saving server already has it
    # A hand edit made afterwards on that server is the newest word: never overwritten.
    there.write_text(there.read_text(encoding="utf-8").replace("จองคิวทำใบขับขี่ออนไลน์", "จองคิวใบขับขี่"),
                     encoding="utf-8")
    assert not follower.check()
    assert "จองคิวใบขับขี่" in there.read_text(encoding="utf-8")
    engine.dispose()


def test_deploy_examples_match_what_the_app_reads():
    """The env file example names only settings the app reads, each explained in the README; the
    systemd unit starts what the Procfile starts."""
    import re

    from bot.config import ROOT
    sources = "".join(p.read_text(encoding="utf-8") for p in [*(ROOT / "bot").rglob("*.py"), ROOT / "webhook.py",
                                                               ROOT / "gunicorn.conf.py"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = re.findall(r"^#?([A-Z][A-Z_]+)=", (ROOT / "deploy" / "oss-bot.env.example").read_text(), re.M)
    assert {"LINE_CHANNEL_SECRET", "DATABASE_URL", "SECRET_KEY", "RETENTION_DAYS"} <= set(names)
    for name in names:
        assert f'"{name}"' in sources, f"{name} in the env example is not read by the app"
        assert f"`{name}`" in readme, f"{name} is not explained in the README"
    unit = (ROOT / "deploy" / "oss-bot.service").read_text()
    procfile = (ROOT / "Procfile").read_text()
    assert "EnvironmentFile=/etc/oss-bot.env" in unit
    assert "gunicorn webhook:app --config gunicorn.conf.py" in unit and "gunicorn webhook:app --config gunicorn.conf.py" in procfile
    assert "PROMETHEUS_MULTIPROC_DIR=/run/oss-bot/" in unit and "RuntimeDirectory=oss-bot" in unit
