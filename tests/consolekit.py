"""Helpers for the console tests: one app per test module and backend, signed-in clients."""
from __future__ import annotations

import json
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from bot import accounts
from bot.config import ROOT, Config
from tests.conftest import SECRET, STAFF, TOKEN, post_events, text_event
from tests.fakeline import FakeLine
from webhook import create_app

PASSWORD = "a long enough password 1"


@dataclass
class Env:
    app: object
    line: FakeLine
    catalogue: Path

    @property
    def sf(self):
        return self.app.extensions["bot"]["processor"].sf

    @property
    def store(self):
        return self.app.extensions["bot"]["store"]

    def add_user(self, name: str, role: str = "staff", password: str = PASSWORD) -> None:
        with self.sf.begin() as s:
            accounts.add(s, name, role, password)

    def ask(self, text_: str, user: str | None = None) -> tuple[str, list]:
        """A villager writes to the bot through /callback; returns (user id, the bot's reply)."""
        user = user or "U" + uuid.uuid4().hex
        ev = text_event(text_, user=user)
        post_events(self.app.test_client(), [ev])
        reply = self.line.wait(lambda: self.line.replies(ev["replyToken"]))
        said = " ".join(m.get("text", "") for call in reply for m in call["body"]["messages"])
        ticket = re.search(r"#\d+\b", said)  # a card's colours (#555555) are no ticket
        staff_group = self.app.extensions["bot"]["config"].staff_group_id
        if ticket and staff_group:
            # An escalation: its staff notice (which also records the villager's LINE name) goes out
            # after the reply; tests read the console and count LINE calls from after it.
            self.line.wait(lambda: any(ticket.group() in json.dumps(p["body"], ensure_ascii=False)
                                       for p in self.line.pushes(staff_group)))
        return user, reply


def database(request, tmp_dir: Path, backend: str):
    """A database URL for a module: SQLite in tmp_dir or a throwaway PostgreSQL database."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_dir / 'bot.db'}", lambda: None
    admin = request.getfixturevalue("pg_admin_url")
    name = "bot_console_" + uuid.uuid4().hex[:12]
    engine = create_engine(admin.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))

    def drop():
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        engine.dispose()
    return admin.rsplit("/", 1)[0] + "/" + name, drop


def build(db_url: str, tmp_dir: Path, staff_group: str | None = STAFF) -> Env:
    line = FakeLine()
    catalogue = tmp_dir / "catalogue.json"
    shutil.copy(ROOT / "catalogue.json", catalogue)
    app = create_app(Config(channel_secret=SECRET, access_token=TOKEN, api_endpoint=line.url,
                            data_api_endpoint=line.url, database_url=db_url,
                            staff_group_id=staff_group, background=False, try_page=False,
                            catalogue_path=str(catalogue), secret_key="test-console-key"))
    app.config["TESTING"] = True
    return Env(app, line, catalogue)


def close(env: Env) -> None:
    env.app.extensions["bot"]["processor"].stop()
    env.app.extensions["bot"]["engine"].dispose()
    env.line.close()


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "the page has no CSRF token"
    return m.group(1)


def sign_in(app, username: str, password: str = PASSWORD):
    client = app.test_client()
    token = csrf_of(client.get("/console/login").get_data(as_text=True))
    r = client.post("/console/login", data={"username": username, "password": password, "csrf_token": token})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return client


def post_form(client, page: str, action: str, data: dict):
    """Submit a form the way a browser does: with the token from the page it is on."""
    html = client.get(page).get_data(as_text=True)
    hidden = {"csrf_token": csrf_of(html)}
    base = re.search(r'name="base" value="([^"]*)"', html)
    if base:  # the editor's optimistic-concurrency stamp of what the page showed
        hidden["base"] = base.group(1)
    return client.post(action, data={**hidden, **data})
