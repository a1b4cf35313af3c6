"""Fixtures in the style of Flask's tutorial (app, client), plus a fake LINE platform and a
database for each storage backend. pytest-socket (pytest.ini) fails any non-local network call."""
from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import json
import os
import random
import string
import time
import uuid

import pytest
from sqlalchemy import create_engine, text

from bot.catalogue import KnowledgeStore
from bot.config import ROOT, Config
from tests.fakeline import FakeLine
from webhook import create_app

SECRET = "test-secret"
TOKEN = "test-token"
STAFF = "C" + "5" * 32
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


@functools.cache
def shared_store() -> KnowledgeStore:
    """The project's catalogue and matcher, built once per test run (it is the slow part of an app)."""
    return KnowledgeStore(ROOT / "catalogue.json")


def make_app(config: Config):
    """``create_app`` with the shared catalogue (for configs using the default catalogue)."""
    assert config.catalogue_path == str(ROOT / "catalogue.json") and config.lexicon_path is None
    return create_app(config, store=shared_store())


def _postgres_available() -> str | None:
    try:
        engine = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                               connect_args={"connect_timeout": 2})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as e:  # noqa: BLE001
        return f"PostgreSQL not reachable at {PG_URL}: {type(e).__name__}"


@pytest.fixture(scope="session")
def pg_admin_url():
    reason = _postgres_available()
    if reason:
        pytest.skip(reason)
    return PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database of each kind (a throwaway PostgreSQL database per test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.db'}"
        return
    with throwaway_postgres(request.getfixturevalue("pg_admin_url")) as url:
        yield url


@contextlib.contextmanager
def throwaway_postgres(admin_url: str):
    """A new, empty PostgreSQL database, dropped afterwards."""
    name = "bot_test_" + uuid.uuid4().hex[:12]
    engine = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture
def fake_line():
    fake = FakeLine()
    yield fake
    fake.close()


def bot_config(fake_line, database_url: str, **changes) -> Config:
    """The tests' usual configuration: the fake LINE, a staff group, no background threads."""
    return Config(channel_secret=SECRET, access_token=TOKEN, api_endpoint=fake_line.url, database_url=database_url,
                  staff_group_id=STAFF, background=False, try_page=False, **changes)


@contextlib.contextmanager
def running_app(config: Config):
    app = make_app(config)
    try:
        yield app
    finally:
        app.extensions["bot"]["processor"].stop()
        app.extensions["bot"]["engine"].dispose()


@pytest.fixture
def config(fake_line, sqlite_url):
    return bot_config(fake_line, sqlite_url)


@pytest.fixture
def app(config):
    with running_app(config) as app:
        yield app


@pytest.fixture
def app_on_each_db(fake_line, db_url):
    """The app on SQLite and on PostgreSQL, where storage matters."""
    with running_app(bot_config(fake_line, db_url)) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


def signature(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _token() -> str:
    return "".join(random.choices(string.hexdigits.lower(), k=32))


def text_event(text: str, user: str = "U" + "1" * 32, group: str | None = None, **message) -> dict:
    """A text message event shaped like a real webhook (quoteToken, deliveryContext, ids)."""
    source = {"type": "group", "groupId": group, "userId": user} if group else {"type": "user", "userId": user}
    return {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000), "source": source,
            "webhookEventId": "01" + uuid.uuid4().hex[:24].upper(), "deliveryContext": {"isRedelivery": False},
            "replyToken": _token(),
            "message": {"type": "text", "id": str(random.randrange(10 ** 17)), "text": text,
                        "quoteToken": "q" + uuid.uuid4().hex, **message}}


def other_event(etype: str, user: str = "U" + "1" * 32, group: str | None = None, **fields) -> dict:
    source = {"type": "group", "groupId": group, "userId": user} if group else {"type": "user", "userId": user}
    ev = {"type": etype, "mode": "active", "timestamp": int(time.time() * 1000), "source": source,
          "webhookEventId": "01" + uuid.uuid4().hex[:24].upper(), "deliveryContext": {"isRedelivery": False}}
    if etype in ("message", "follow", "postback", "join"):
        ev["replyToken"] = _token()
    if etype == "follow":
        ev["follow"] = {"isUnblocked": False}
    ev.update(fields)
    return ev


def post_events(client, events: list[dict], secret: str = SECRET):
    body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False).encode()
    return client.post("/callback", data=body, headers={"X-Line-Signature": signature(body, secret),
                                                        "Content-Type": "application/json"})


def blob(calls) -> str:
    return json.dumps(calls, ensure_ascii=False)
