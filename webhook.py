"""The Flask app: LINE webhook, health check, the try-it page, and the staff console (/console).

``create_app(config=None)`` builds everything once (database, migrations, catalogue, matcher,
LINE client, background delivery) and returns the app; ``webhook:app`` is what gunicorn serves.
The heavy parts (the catalogue ``store``, the database ``engine``) may be passed in already
built, so tests build them once, not per app.
"""
from __future__ import annotations

import dataclasses
import gc
import json
import logging
import os
import threading

import orjson
from flask import Flask, abort, jsonify, render_template, request, send_file
from sqlalchemy import text

from sqlalchemy.engine import Engine

from bot import console, fonts, line, metrics, office, replies, texts
from bot.catalogue import KnowledgeStore
from bot.config import Config, instance_secret
from bot.conversation import answer_text, escalation_message, escalation_reply
from bot.db import make_engine, make_session_factory, migrate, utcnow
from bot.media_view import bp as media_bp
from bot.privacy import MaskingFilter
from bot.worker import Processor

MAX_BODY = 1_000_000  # LINE batches are small; anything this big is not LINE


def create_app(config: Config | None = None, *, store: KnowledgeStore | None = None,
               engine: Engine | None = None) -> Flask:
    app = Flask(__name__, template_folder="bot/templates", static_folder=None)
    config = config or Config.from_env(instance_path=app.instance_path)
    if not config.secret_key:
        config = dataclasses.replace(config, secret_key=instance_secret(app.instance_path))
    app.secret_key = config.secret_key
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    _configure_logging()

    engine = engine or make_engine(config.database_url)
    migrate(engine)  # idempotent: a passed-in engine may be new or already at head
    session_factory = make_session_factory(engine)
    store = store or KnowledgeStore(config.catalogue_path, config.lexicon_path)
    office.warm(store.current.catalogue.office, utcnow().date())
    api = (line.LineApi(config.access_token, config.api_endpoint, data_endpoint=config.data_api_endpoint)
           if config.line_enabled else None)
    if config.line_enabled and not config.staff_group_id:
        logging.getLogger(__name__).warning("STAFF_GROUP_ID is not set: questions the bot cannot answer "
                                            "will be ticketed but no staff group will hear of them")
    if config.line_enabled and not config.public_url:
        logging.getLogger(__name__).warning("PUBLIC_URL is not set: staff cannot open the photos and files "
                                            "villagers send (they are kept; set it to this server's https URL)")
    processor = Processor(session_factory, store, config, api, metrics.Metrics())
    if config.background:
        processor.start()
    app.extensions["bot"] = {"config": config, "engine": engine, "store": store, "processor": processor,
                             "session_factory": session_factory, "links": processor.links}
    app.register_blueprint(media_bp)
    console.init_app(app, config, session_factory, store, processor)
    app.register_blueprint(metrics.blueprint(processor.metrics, session_factory))

    # LINE's webhook is served in front of Flask (its request context, URL routing and hooks for
    # the console cost ~0.4 ms of CPU a delivery, and it needs none of them); everything else is
    # Flask's.
    app.wsgi_app = _Webhook(config, processor, app.wsgi_app)

    @app.get("/healthz")
    def healthz():
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return jsonify(status="ok", catalogue=store.current.catalogue.summary())

    @app.get("/fonts/sarabun-<int:weight>.ttf")
    def thai_font(weight: int):
        """Sarabun, the rich menu's Thai font, for the pages too: Thai reads on a screen or in a
        screenshot without a Thai font of its own (and no CDN is asked)."""
        path = fonts.thai_font_path(weight) if weight in (400, 700) else None
        if path is None:
            abort(404)
        return send_file(path, mimetype="font/ttf", max_age=30 * 86400)

    @app.get("/")
    def try_page():
        if not config.try_page:
            abort(404)
        return render_template("try.html", office=store.current.catalogue.office)

    @app.post("/try")
    def try_api():
        """Same understanding and cards as LINE; never opens tickets or pushes."""
        if not config.try_page:
            abort(404)
        data = request.get_json(silent=True) or {}
        knowledge = store.current
        service = knowledge.catalogue.by_id.get(str(data.get("service", "")))
        if service:  # a carousel choice
            return jsonify(kind="answer", services=[service["id"]], messages=replies.service_answer(service),
                           escalate=False, note=None)
        answer = answer_text(knowledge, str(data.get("text", ""))[:2000])
        d = answer.decision
        messages = answer.messages
        if answer.escalate:  # what the villager would read; no ticket is opened here
            messages = escalation_reply(d, escalation_message(knowledge.catalogue.office, "…", utcnow(), d),
                                        answer.messages)
        return jsonify(kind=d.kind, services=d.services, intent=d.intent, reason=d.reason,
                       messages=messages, escalate=answer.escalate,
                       note=texts.TRY_WOULD_ESCALATE if answer.escalate else None)

    return app


class _Webhook:
    """WSGI for ``POST /callback`` (LINE's webhook): signature, JSON, ``processor.receive``
    (on disk, and a villager's event handled, before the 200); other requests go to Flask."""

    def __init__(self, config: Config, processor: Processor, flask_wsgi):
        self.config = config
        self.processor = processor
        self.flask_wsgi = flask_wsgi

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != "/callback" or environ.get("REQUEST_METHOD") != "POST":
            return self.flask_wsgi(environ, start_response)
        return self.callback(environ, start_response)

    @staticmethod
    def _answer(start_response, status: str, body: bytes, ctype: str = "text/plain; charset=utf-8"):
        start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))])
        return [body]

    def callback(self, environ, start_response):
        if not self.config.line_enabled:
            return self._answer(start_response, "503 Service Unavailable", json.dumps(
                {"error": "LINE is not configured: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN "
                          "(see README)"}).encode(), "application/json")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self._answer(start_response, "400 Bad Request", b"bad content length")
        if length > MAX_BODY:
            return self._answer(start_response, "413 Request Entity Too Large", b"too large")
        stream = environ["wsgi.input"]
        if length:
            body = stream.read(length)
        elif environ.get("wsgi.input_terminated"):  # chunked: the server ends the stream
            body = stream.read(MAX_BODY + 1)
            if len(body) > MAX_BODY:
                return self._answer(start_response, "413 Request Entity Too Large", b"too large")
        else:
            body = b""
        if not line.verify_signature(self.config.channel_secret, body, environ.get("HTTP_X_LINE_SIGNATURE", "")):
            return self._answer(start_response, "400 Bad Request", b"invalid signature")
        try:
            events = orjson.loads(body)["events"]
            if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
                raise ValueError
        except (ValueError, KeyError, TypeError):  # UnicodeDecodeError is a ValueError
            return self._answer(start_response, "400 Bad Request", b"malformed webhook body")
        try:
            self.processor.receive(events)  # on disk (and for villagers, handled) before the 200
        except Exception:  # noqa: BLE001 - LINE will redeliver; what was stored stays stored
            logging.getLogger(__name__).exception("receiving a webhook failed")
            return self._answer(start_response, "500 Internal Server Error", b"internal error")
        return self._answer(start_response, "200 OK", b"OK")


def _configure_logging() -> None:
    """One line per event, never a message body; IDs and phone numbers masked in any case."""
    root = logging.getLogger()
    if not any(isinstance(f, MaskingFilter) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(MaskingFilter())
        root.addHandler(handler)
        root.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
        logging.getLogger("linebot").setLevel(logging.INFO)  # at DEBUG the SDK logs bodies: content, links
    # Alembic narrates every start (context, DDL mode, each revision) at INFO, in every worker.
    logging.getLogger("alembic").setLevel(logging.WARNING)


class LazyApp:
    """``webhook:app`` for gunicorn. The real app is built in each worker process, after the
    fork (``gunicorn.conf.py`` warms it before the worker takes requests), so importing this
    module reads no environment, opens no database and starts no thread."""

    def __init__(self, factory=create_app):
        self._factory = factory
        self._app: Flask | None = None
        self._lock = threading.Lock()

    def warm(self) -> Flask:
        if self._app is None:
            with self._lock:
                if self._app is None:
                    self._app = self._factory()
                    # What the app holds (catalogue, matcher, models) lives as long as the worker:
                    # kept out of the cyclic collector's full passes, which otherwise walk all of it
                    # (~160,000 objects: a 60 ms pause every few hundred deliveries, felt in p99).
                    gc.collect()
                    gc.freeze()
        return self._app

    def __call__(self, environ, start_response):
        return self.warm()(environ, start_response)

    def stop(self) -> None:
        """Finish the background work of a built app (its sends, their outcomes)."""
        if self._app is not None:
            self._app.extensions["bot"]["processor"].stop()


app = LazyApp()
