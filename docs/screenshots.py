"""Make the console screenshots in docs/ (run: .venv/bin/python docs/screenshots.py).

A month of demonstration traffic goes through the real pipeline (villagers' questions from our
own tests/data/tuning.tsv posted to /callback; staff answers through the console's answer path),
then its timestamps are spread over the last 30 days. Chromium (Debian's) takes the pictures at a
desk's width (1280 px) and a phone's (390 px). Needs a Thai font (fonts-thai-tlwg) to show Thai.
"""
from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, update  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from bot.db import Inquiry, OutboundMessage, Ticket, TicketMessage, utcnow  # noqa: E402
from bot.line import Incoming  # noqa: E402
from tests import consolekit as kit  # noqa: E402

NAMES = ["ป้าสมศรี", "ลุงบุญมี", "น้องมายด์", "พี่หนึ่ง", "ยายทองใบ", "นายสมปอง", "แม่ค้าน้อย", "ลุงเฉลิม",
         "คุณวันดี", "ตาเผือก", "พี่ต่าย", "น้าแดง"]


def main(out: Path = ROOT / "docs") -> None:
    rng = random.Random(11)
    rows = [line.split("\t", 1) for line in (ROOT / "tests/data/tuning.tsv").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    escalations = [q for label, q in rows if label == "X"]
    answered = [q for label, q in rows if label not in ("X", "S", "C", "H")]
    tmp = Path(tempfile.mkdtemp(prefix="console-shots-"))
    env = kit.build(f"sqlite:///{tmp / 'bot.db'}", tmp)
    env.add_user("somchai", "admin")
    env.add_user("malee", "staff")
    for i in range(140):
        env.ask(rng.choice(answered), user=f"U{i % 60:032d}")
    tickets = []
    for i, q in enumerate(rng.sample(escalations, 26)):
        env.ask(q, user=f"U{100 + i:032d}")
    now = utcnow()
    processor = env.app.extensions["bot"]["processor"]
    with env.sf.begin() as s:
        for inq in s.scalars(select(Inquiry)):
            inq.created_at = now - dt.timedelta(days=rng.triangular(0, 29, 3), hours=rng.uniform(0, 8))
            if inq.outcome == "answer" and rng.random() < 0.3:
                inq.helpful = rng.random() < 0.86
        for t in s.scalars(select(Ticket).order_by(Ticket.id)):
            t.display_name = NAMES[t.id % len(NAMES)]
            tickets.append(t.id)
    for n, ticket_id in enumerate(tickets):  # staff answer most of them, from the console's path
        if n % 4 == 3:
            continue
        user = "malee" if n % 3 else "somchai"
        inc = Incoming(event_id=f"demo-{n}", kind="message", source_type="group", user_id=f"console:{user}",
                       chat_id=kit.STAFF, message_type="text", text=f"#{ticket_id} รับเรื่องแล้วค่ะ จะประสานกองช่างให้")
        processor.handle_console(inc, {inc.user_id: user})
    with env.sf.begin() as s:
        for n, t in enumerate(s.scalars(select(Ticket).order_by(Ticket.id))):
            opened = now - dt.timedelta(days=rng.triangular(0, 25, 1), hours=rng.uniform(0, 6))
            if n >= len(tickets) - 5:
                opened = now - dt.timedelta(minutes=rng.uniform(5, 300))  # today's, still waiting
            s.execute(update(TicketMessage).where(TicketMessage.ticket_id == t.id, TicketMessage.author == "villager")
                      .values(created_at=opened))
            s.execute(update(TicketMessage).where(TicketMessage.ticket_id == t.id, TicketMessage.author == "staff")
                      .values(created_at=opened + dt.timedelta(minutes=rng.lognormvariate(3.6, 0.9))))
            t.created_at = t.updated_at = opened
            s.execute(update(OutboundMessage).where(OutboundMessage.ticket_id == t.id).values(created_at=opened))
            if n % 5 == 1:
                t.taken_by = "malee"
            if n % 3 == 0 and n < len(tickets) - 6:
                t.status, t.closed_at, t.rating = "closed", opened + dt.timedelta(hours=3), rng.choice([5, 5, 4, 4, 3, 2])
    server = make_server("127.0.0.1", 0, env.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, viewport in [("", {"width": 1280, "height": 900}), ("-390", {"width": 390, "height": 844})]:
            page = browser.new_page(viewport=viewport, device_scale_factor=1)
            page.goto(url + "/console/login")
            page.fill("input[name=username]", "somchai")
            page.fill("input[name=password]", kit.PASSWORD)
            page.locator("input[name=password]").press("Enter")
            page.wait_for_load_state()
            for path, shot in [("/console/", "inbox"), ("/console/stats", "stats"),
                               (f"/console/tickets/{tickets[0]}", "ticket"),
                               ("/console/catalogue/services/driving-licence-queue", "editor"),
                               ("/console/learning", "learning")]:
                page.goto(url + path)
                page.screenshot(path=str(out / f"console-{shot}{name}.png"), full_page=shot in ("stats", "editor"))
            page.close()
        browser.close()
    server.shutdown()
    kit.close(env)
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
