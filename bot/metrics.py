"""Prometheus metrics, served at ``/metrics`` (prometheus-client).

gunicorn runs several worker processes and a scrape reaches any one of them. We use
prometheus-client's multiprocess mode: ``gunicorn.conf.py`` gives every server a fresh
``PROMETHEUS_MULTIPROC_DIR``, each worker writes its counts there, and ``/metrics`` adds up all
workers of this server, so a scrape gives the same totals whichever worker answers, and totals do
not drop when a worker is replaced. Memory is the one figure kept per process (a ``pid`` label).
Without that directory (tests, a single process) the figures are this process's own.

Several app servers: scrape each one (Prometheus adds an ``instance`` label); the counters are per
server, to be summed. The database figures (backlog, failed) are the same on every server.

No personal data: labels are event kinds, outcomes and message kinds, never ids or texts.
"""
from __future__ import annotations

import os
import resource

from flask import Blueprint, Response
from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram,
                               generate_latest)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from bot.db import InboundEvent, OutboundMessage

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Outcomes of a villager's event; listed so that a zero shows as 0, not as a missing series.
OUTCOMES = ("answer", "choose", "intent", "escalate", "emergency")
# From the event's arrival to LINE accepting the message: a reply token lives about a minute.
DELIVERY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300)


class Metrics:
    """One app's counters (its own registry: two apps in one test process do not mix)."""

    def __init__(self):
        self.registry = CollectorRegistry()
        r = self.registry
        self.events = Counter("bot_events_received", "Webhook events received (redeliveries too), by event kind and source",
                              ["kind", "source"], registry=r)
        self.duplicates = Counter("bot_events_duplicate", "Events LINE delivered again (ignored: already stored)",
                                  registry=r)
        self.outcomes = Counter("bot_villager_outcomes", "What the bot did with a villager's event: answer, "
                                "choose (a carousel), intent (small talk, contact...), escalate (to staff), emergency",
                                ["outcome"], registry=r)
        self.sent = Counter("bot_outbox_sent", "Messages LINE accepted, by kind (reply/push) and purpose",
                            ["kind", "purpose"], registry=r)
        self.send_failures = Counter("bot_outbox_send_failures", "Failed send attempts; final=true: given up",
                                     ["final"], registry=r)
        self.delivery = Histogram("bot_delivery_seconds", "From queueing a message (the event's arrival) to LINE "
                                  "accepting it", ["kind"], buckets=DELIVERY_BUCKETS, registry=r)
        self.reloads = Counter("bot_catalogue_reloads", "Catalogue edits picked up (ok) or refused as invalid",
                               ["result"], registry=r)
        self.memory = Gauge("bot_worker_max_rss_bytes", "Peak resident memory of each worker process",
                            registry=r, multiprocess_mode="liveall")
        for outcome in OUTCOMES:
            self.outcomes.labels(outcome)
        for final in ("false", "true"):
            self.send_failures.labels(final)
        for result in ("ok", "refused"):
            self.reloads.labels(result)

    # -- what the worker reports ------------------------------------------------------------
    def received(self, kind: str, source: str) -> None:
        self.events.labels(kind, source).inc()

    def outcome(self, decision, escalated: bool) -> str | None:
        """Count and name what happened to a villager's event. ``decision``: the matcher's, for a
        text (None for other events); ``escalated``: a ticket was opened or joined."""
        kind = getattr(decision, "kind", None)
        if kind == "emergency" or getattr(decision, "intent", None) == "emergency":
            outcome = "emergency"
        elif escalated:
            outcome = "escalate"
        else:
            outcome = kind if kind in OUTCOMES else None
        if outcome:
            self.outcomes.labels(outcome).inc()
        return outcome

    def delivered(self, kind: str, purpose: str, status: str, seconds: float | None) -> None:
        if status == "sent":
            self.sent.labels(kind, purpose).inc()
            if seconds is not None:
                self.delivery.labels(kind).observe(max(seconds, 0.0))
        elif status in ("pending", "failed"):
            self.send_failures.labels("true" if status == "failed" else "false").inc()

    def note_memory(self) -> None:
        self.memory.set(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)  # Linux: KiB


class DatabaseCollector:
    """Figures read from the database at scrape time: the same for every worker and server."""

    def __init__(self, session_factory: sessionmaker):
        self.sf = session_factory

    def collect(self):
        with self.sf() as s:
            outbox = dict(s.execute(select(OutboundMessage.status, func.count())
                                    .where(OutboundMessage.status.in_(["pending", "failed"]))
                                    .group_by(OutboundMessage.status)).all())
            inbound = s.scalar(select(func.count()).select_from(InboundEvent).where(InboundEvent.status == "pending"))
        yield GaugeMetricFamily("bot_outbox_backlog", "Messages waiting to be sent (or retried)",
                                value=outbox.get("pending", 0))
        yield GaugeMetricFamily("bot_outbox_failed", "Messages given up on after all retries",
                                value=outbox.get("failed", 0))
        yield GaugeMetricFamily("bot_events_pending", "Stored events not handled yet", value=inbound)


def blueprint(metrics: Metrics, session_factory: sessionmaker) -> Blueprint:
    bp = Blueprint("metrics", __name__)
    database = DatabaseCollector(session_factory)

    @bp.get("/metrics")
    def scrape():
        metrics.note_memory()
        registry = CollectorRegistry()
        path = os.environ.get(MULTIPROC_ENV)
        if path:
            MultiProcessCollector(registry, path=path)  # every worker of this server
        else:
            registry = metrics.registry
        out = generate_latest(registry) + _database_figures(database)
        return Response(out, content_type=CONTENT_TYPE_LATEST)

    return bp


def _database_figures(database: DatabaseCollector) -> bytes:
    registry = CollectorRegistry()
    registry.register(database)
    return generate_latest(registry)
