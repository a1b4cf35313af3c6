"""How long the console's pages take with a busy month in the database (SQLite, one process):
  .venv/bin/python docs/console_timings.py [INQUIRIES] [TICKETS]
Seeds rows directly (20,000 questions and 1,000 tickets by default: several times what the office
sees in a month), then times each page (median of 5, Flask test client) and three catalogue saves."""
from __future__ import annotations

import datetime as dt
import html
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.db import Inquiry, Ticket, TicketMessage, utcnow  # noqa: E402
from tests import consolekit as kit  # noqa: E402


def main(inquiries: int = 20000, tickets: int = 1000) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="console-timings-"))
    env = kit.build(f"sqlite:///{tmp / 'bot.db'}", tmp)
    env.add_user("a", "admin")
    rng, now = random.Random(1), utcnow()
    ids = [s["id"] for s in env.store.current.catalogue.services]
    with env.sf.begin() as s:
        for i in range(inquiries):
            s.add(Inquiry(user_id=f"U{i % 3000}", text=f"คำถามที่ {i % 500}", service_id=rng.choice(ids),
                          outcome=rng.choice(["answer"] * 6 + ["escalate", "choose", "intent"]),
                          created_at=now - dt.timedelta(minutes=rng.uniform(0, 30 * 1440))))
        for i in range(tickets):
            t = Ticket(user_id=f"U{i}", display_name="x", status="open" if i % 3 else "closed",
                       created_at=now - dt.timedelta(days=rng.uniform(0, 30)), updated_at=now)
            s.add(t)
            s.flush()
            s.add(TicketMessage(ticket_id=t.id, author="villager", text="ขอให้มาซ่อมถนน", created_at=t.created_at))
            s.add(TicketMessage(ticket_id=t.id, author="staff", text="ok",
                                created_at=t.created_at + dt.timedelta(minutes=rng.uniform(1, 600))))
    c = kit.sign_in(env.app, "a")
    for path in ["/console/", "/console/?q=ถนน", "/console/tickets/5", "/console/stats",
                 f"/console/report?month={now:%Y-%m}&format=xlsx", "/console/learning",
                 "/console/catalogue/services/driving-licence-queue"]:
        c.get(path)
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            r = c.get(path)
            times.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, (path, r.status_code)
        print(f"{path:60s} median {sorted(times)[2]:7.1f} ms  ({len(r.data) // 1024} KB)")
    for i in range(3):
        page = c.get("/console/catalogue/services/tree-seedlings").get_data(as_text=True)
        data = {k: html.unescape(re.search(rf'name="{k}" value="([^"]*)"', page).group(1))
                for k in ["name", "agency", "url", "base", "csrf_token"]}
        for k in ["steps", "phones", "keywords", "examples", "not_this"]:
            data[k] = html.unescape(re.search(rf'name="{k}"[^>]*>([^<]*)</textarea>', page).group(1))
        data["category"], data["keywords"] = "citizen", data["keywords"] + f"\nคำทดสอบ{i}"
        t0 = time.perf_counter()
        r = c.post("/console/catalogue/services/tree-seedlings", data=data)
        print(f"catalogue save (validate + write + reload) {r.status_code} {(time.perf_counter() - t0) * 1000:7.0f} ms")
    kit.close(env)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
