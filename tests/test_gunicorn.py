"""The real server: gunicorn, two worker processes, the SDK against the local fake platform."""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from bot.config import ROOT
from tests.conftest import SECRET, STAFF, TOKEN, blob, signature, text_event


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    def __init__(self, fake_line, tmp_path, catalogue, db_url=None):
        self.port = _free_port()
        self.env = dict(os.environ, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
                        LINE_API_ENDPOINT=fake_line.url, STAFF_GROUP_ID=STAFF, CATALOGUE_PATH=str(catalogue),
                        DATABASE_URL=db_url or f"sqlite:///{tmp_path / 'bot.db'}", PYTHONUNBUFFERED="1")
        self.log_path = tmp_path / "server.log"
        self.log = open(self.log_path, "ab")
        self.start()

    def start(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "webhook:app", "-b", f"127.0.0.1:{self.port}",
                                      "-w", "2", "--threads", "4"], cwd=ROOT, env=self.env,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        end = time.time() + 60
        while time.time() < end:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def post(self, events):
        body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/callback", data=body, method="POST",
                                     headers={"X-Line-Signature": signature(body), "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(20)


@pytest.fixture
def catalogue(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text((ROOT / "catalogue.json").read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture
def server(fake_line, tmp_path, catalogue):
    srv = Server(fake_line, tmp_path, catalogue)
    yield srv
    srv.stop()


@pytest.fixture
def server_any_db(fake_line, tmp_path, catalogue, db_url):
    srv = Server(fake_line, tmp_path, catalogue, db_url)
    yield srv
    srv.stop()


def test_same_event_to_both_workers_at_once_is_answered_once(server_any_db, fake_line):
    server = server_any_db
    ev = text_event("ขอมีบัตรประจำตัวคนพิการ")
    threads = [threading.Thread(target=server.post, args=([dict(ev, replyToken=f"{k:032x}")],)) for k in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    time.sleep(1.0)
    assert len(fake_line.replies()) == 1


def test_answer_survives_a_crash_of_every_process(server, fake_line):
    ev = text_event("ขอรับประโยชน์ทดแทน กรณีว่างงาน", user="U" + "c" * 32)
    assert server.post([ev]) == 200
    server.kill()
    server.start()
    answered = fake_line.wait(lambda: fake_line.replies(ev["replyToken"]) or fake_line.pushes(ev["source"]["userId"]), 20)
    assert "sso.go.th" in blob(answered)
    time.sleep(1)
    assert len(fake_line.replies(ev["replyToken"])) + len(fake_line.pushes(ev["source"]["userId"])) == 1


def test_catalogue_edits_go_live_in_every_worker_and_bad_edits_are_refused(server, fake_line, catalogue):
    data = json.loads(catalogue.read_text(encoding="utf-8"))
    new = dict(data["services"][0], id="tuna-grant", name="ขอรับเงินอุดหนุนเลี้ยงปลาทูน่า",
               url="https://www.dla.go.th/tuna", keywords=["ปลาทูน่า"], examples=["ขอเงินเลี้ยงปลาทูน่า"])
    data["services"].append(new)
    tmp = catalogue.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, catalogue)
    end = time.time() + 20  # each worker notices the edit within a poll or two (slower on a busy machine)
    while server.log_path.read_text(encoding="utf-8").count("catalogue reloaded") < 2 and time.time() < end:
        time.sleep(0.2)
    for k in range(4):  # whichever worker takes it
        ev = text_event("อยากได้เงินอุดหนุนปลาทูน่า", user=f"U{k:032x}")
        server.post([ev])
        assert "www.dla.go.th/tuna" in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"])))
    catalogue.write_text('{"services": [', encoding="utf-8")
    time.sleep(3)
    ev = text_event("ขอใช้น้ำประปา", user="U" + "e" * 32)
    server.post([ev])
    assert "pwa.co.th" in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"])))
    ev = text_event("วันนี้ใครเข้าเวร", user="U" + "5" * 32, group=STAFF)  # staff hear about it once
    server.post([ev])
    assert "catalogue.json" in blob(fake_line.wait(lambda: fake_line.replies(ev["replyToken"])))


