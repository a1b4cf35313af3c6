"""Service statistics for a period: what the console's stats page draws and the monthly report
lists. Rows are read once and counted in Python (an office has thousands a month, not millions),
so SQLite and PostgreSQL give the same numbers without dialect-specific date SQL."""
from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import Inquiry, Ticket, TicketMessage, utcnow

# Open tickets by age: (upper bound, label). The last bucket has no bound.
AGE_BUCKETS = [(dt.timedelta(hours=1), "ไม่ถึง 1 ชม."), (dt.timedelta(hours=8), "1–8 ชม."),
               (dt.timedelta(days=1), "8–24 ชม."), (dt.timedelta(days=3), "1–3 วัน"),
               (dt.timedelta(days=7), "3–7 วัน"), (None, "เกิน 7 วัน")]
OUTCOME_LABELS = {"answer": "บอทตอบเอง", "choose": "บอทให้เลือกบริการ", "intent": "ทักทาย/ข้อมูลสำนักงาน",
                  "escalate": "ส่งเจ้าหน้าที่", "emergency": "เหตุฉุกเฉิน (ให้เบอร์สายด่วนและส่งเจ้าหน้าที่)"}
OTHER = "อื่น ๆ (ไม่ระบุเรื่อง)"


@dataclass
class Period:
    """Whole local days [first, last] in the office's timezone, with their UTC bounds."""

    first: dt.date
    last: dt.date
    tz: ZoneInfo

    @property
    def start_utc(self) -> dt.datetime:
        return _utc(dt.datetime.combine(self.first, dt.time(), self.tz))

    @property
    def end_utc(self) -> dt.datetime:  # exclusive
        return _utc(dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), self.tz))

    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def local_date(self, at: dt.datetime) -> dt.date:
        return at.replace(tzinfo=dt.timezone.utc).astimezone(self.tz).date()

    @classmethod
    def month(cls, year: int, month: int, tz: ZoneInfo) -> "Period":
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return cls(first, nxt - dt.timedelta(days=1), tz)


def _utc(at: dt.datetime) -> dt.datetime:
    return at.astimezone(dt.timezone.utc).replace(tzinfo=None)


def office_tz(catalogue) -> ZoneInfo:
    return ZoneInfo(catalogue.office["hours"].get("timezone", "Asia/Bangkok"))


def quantile(values: list[float], q: float) -> float | None:
    """Inclusive quantile (q in 0..1); None for no values."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


@dataclass
class Row:
    """One line of the monthly report (a service, a staff topic, a category subtotal or the total)."""

    label: str
    category: str
    kind: str = "service"         # service|topic|subtotal|total
    villagers: int = 0
    by_bot: int = 0
    by_staff: int = 0
    response_minutes: float | None = None
    ratings: list[int] = field(default_factory=list)
    helpful_yes: int = 0
    helpful_no: int = 0

    @property
    def rating_avg(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 2) if self.ratings else None

    @property
    def satisfaction_count(self) -> int:
        return len(self.ratings) + self.helpful_yes + self.helpful_no


@dataclass
class Stats:
    period: Period
    per_day: list[tuple[dt.date, dict[str, int]]]
    outcomes: dict[str, int]
    per_service: list[tuple[str, int]]
    per_category: list[tuple[str, int]]
    tickets_opened: int
    first_response: list[float]              # minutes, one per ticket staff answered
    open_by_age: list[tuple[str, int]]
    ratings: Counter
    helpful: Counter                          # True/False -> count
    rows: list[Row]                           # the monthly report's lines

    @property
    def questions(self) -> int:
        return sum(self.outcomes.values())

    @property
    def rating_count(self) -> int:
        return sum(self.ratings.values())

    @property
    def rating_avg(self) -> float | None:
        return sum(k * v for k, v in self.ratings.items()) / self.rating_count if self.rating_count else None

    @property
    def rating_rows(self) -> list[tuple[str, int]]:
        return [("★" * r, self.ratings.get(r, 0)) for r in (5, 4, 3, 2, 1)]

    @property
    def response_median(self) -> float | None:
        return quantile(self.first_response, 0.5)

    @property
    def response_p90(self) -> float | None:
        return quantile(self.first_response, 0.9)


def compute(session: Session, catalogue, period: Period, now: dt.datetime | None = None) -> Stats:
    now = now or utcnow()
    start, end = period.start_utc, period.end_utc
    services = catalogue.by_id
    categories = {c["id"]: c["name"] for c in catalogue.categories}
    topics = catalogue.topic_names

    inquiries = session.execute(select(Inquiry.user_id, Inquiry.outcome, Inquiry.service_id, Inquiry.chosen_service_id,
                                       Inquiry.created_at, Inquiry.helpful)
                                .where(Inquiry.created_at >= start, Inquiry.created_at < end)).all()

    per_day = {d: Counter() for d in period.days()}
    outcomes: Counter = Counter()
    service_count: Counter = Counter()
    rows: dict[tuple[str, str], Row] = {}
    villagers: dict[tuple[str, str], set] = defaultdict(set)
    helpful: Counter = Counter()

    def row_for(service_id: str | None, topic_id: str | None) -> tuple[str, str]:
        if service_id in services:
            s = services[service_id]
            key = ("service", service_id)
            if key not in rows:
                rows[key] = Row(s["name"], categories.get(s.get("category", ""), OTHER))
            return key
        label = topics.get(topic_id or "") or OTHER
        key = ("topic", label)
        if key not in rows:
            rows[key] = Row(label, "ส่งเจ้าหน้าที่", kind="topic")
        return key

    for r in inquiries:
        outcomes[r.outcome] += 1
        day = period.local_date(r.created_at)
        if day in per_day:
            per_day[day][r.outcome] += 1
        served = r.service_id if r.outcome == "answer" else r.chosen_service_id
        if served in services:
            service_count[served] += 1
            key = row_for(served, None)
            rows[key].by_bot += 1
            villagers[key].add(r.user_id)
            if r.helpful is not None:  # "did this help", asked under a service card
                helpful[bool(r.helpful)] += 1
                if r.helpful:
                    rows[key].helpful_yes += 1
                else:
                    rows[key].helpful_no += 1

    tickets = session.scalars(select(Ticket).where(Ticket.created_at >= start, Ticket.created_at < end)).all()
    first_staff = dict(session.execute(
        select(TicketMessage.ticket_id, func.min(TicketMessage.created_at))
        .where(TicketMessage.author == "staff", TicketMessage.ticket_id.in_([t.id for t in tickets] or [-1]))
        .group_by(TicketMessage.ticket_id)).all())
    response: list[float] = []
    per_row_response: dict[tuple[str, str], list[float]] = defaultdict(list)
    ratings: Counter = Counter()
    for t in tickets:
        # A ticket counts under its staff topic, else the service the bot thought closest.
        closest = next((c for c in (t.candidates or []) if c in services), None)
        key = row_for(None if t.topic else closest, t.topic)
        rows[key].by_staff += 1
        villagers[key].add(t.user_id)
        if t.id in first_staff:
            minutes = (first_staff[t.id] - t.created_at).total_seconds() / 60
            response.append(minutes)
            per_row_response[key].append(minutes)
        if t.rating:  # 1..5, asked when the ticket was closed
            ratings[t.rating] += 1
            rows[key].ratings.append(t.rating)
    for key, row in rows.items():
        row.villagers = len(villagers[key])
        row.response_minutes = quantile(per_row_response[key], 0.5)

    open_tickets = session.scalars(select(Ticket.created_at).where(Ticket.status == "open")).all()
    ages: Counter = Counter()
    for created in open_tickets:
        age = now - created
        ages[next(label for bound, label in AGE_BUCKETS if bound is None or age < bound)] += 1

    cat_count: Counter = Counter()
    for sid, n in service_count.items():
        cat_count[categories.get(services[sid].get("category", ""), OTHER)] += n
    return Stats(period=period,
                 per_day=[(d, dict(c)) for d, c in per_day.items()],
                 outcomes={k: outcomes.get(k, 0) for k in OUTCOME_LABELS},
                 per_service=[(services[s]["name"], n) for s, n in service_count.most_common()],
                 per_category=cat_count.most_common(),
                 tickets_opened=len(tickets), first_response=sorted(response),
                 open_by_age=[(label, ages.get(label, 0)) for _, label in AGE_BUCKETS],
                 ratings=ratings, helpful=helpful, rows=_ordered_rows(rows, villagers, per_row_response,
                                                                      list(categories.values())))


def _ordered_rows(rows: dict, villagers: dict, responses: dict, category_order: list[str]) -> list[Row]:
    """Services by category (manual's order of categories), each category with a subtotal; the
    staff topics; then the total. Subtotals count distinct villagers, not sums."""
    out: list[Row] = []
    groups: dict[str, list] = defaultdict(list)
    for key, row in rows.items():
        groups[row.category].append(key)
    order = [c for c in category_order if c in groups] + sorted(c for c in groups if c not in category_order)
    total_keys: list = []
    for cat in order:
        keys = sorted(groups[cat], key=lambda k: (-rows[k].by_bot - rows[k].by_staff, rows[k].label))
        out += [rows[k] for k in keys]
        out.append(_sum(f"รวม{cat}", cat, "subtotal", keys, rows, villagers, responses))
        total_keys += keys
    out.append(_sum("รวมทั้งหมด", "", "total", total_keys, rows, villagers, responses))
    return out


def _sum(label, category, kind, keys, rows, villagers, responses) -> Row:
    who = set().union(*(villagers[k] for k in keys)) if keys else set()
    minutes = sorted(m for k in keys for m in responses[k])
    return Row(label, category, kind, villagers=len(who), by_bot=sum(rows[k].by_bot for k in keys),
               by_staff=sum(rows[k].by_staff for k in keys), response_minutes=quantile(minutes, 0.5),
               ratings=[r for k in keys for r in rows[k].ratings],
               helpful_yes=sum(rows[k].helpful_yes for k in keys), helpful_no=sum(rows[k].helpful_no for k in keys))
