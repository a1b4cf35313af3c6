"""The console's pages. ``make_blueprint`` closes over the app's services (database, knowledge,
delivery) instead of module globals, in the style of Flask's application factory."""
from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import or_, select

from bot import accounts, office, report, stats as stats_mod, texts
from bot.catalogue_edit import (CatalogueEditor, Conflict, Rejected, fingerprint, problems_by_field,
                                service_form, service_from_form)
from bot.console import charts
from bot.db import AuditEntry, ConsoleUser, Inquiry, OutboundMessage, Ticket, TicketMessage, utcnow
from bot.learning import unanswered_report
from bot.line import Incoming, parse_postback
from bot.privacy import mask_national_ids

ANSWER_MAX = 4500          # LINE text messages hold 5,000 characters; the prefix takes some
INBOX_LIMIT = 200
DEFAULT_PERIOD_DAYS = 30
LEARNING_DAYS = 30
LOGIN_LIMITS = ("5 per 15 minutes", "30 per hour")  # failures per (address, name) and per address


@dataclass
class Account(UserMixin):
    """The signed-in office account. Its session id includes a token that a password change
    replaces, so changing a password signs out every other session of that account."""

    id: int
    username: str
    role: str
    token: str

    def get_id(self) -> str:
        return f"{self.id}:{self.token}"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _account(user: ConsoleUser) -> Account:
    return Account(user.id, user.username, user.role, user.session_token)


def make_blueprint(config, sf, store, processor, csrf, login, limiter) -> Blueprint:
    bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
                   static_folder="static", static_url_path="/static")
    editor = CatalogueEditor(config.catalogue_path, sf, lambda: store.current.lexicon)
    login.login_view = "console.login"
    login.login_message = None

    @login.user_loader
    def load_user(session_id: str):
        user_id, _, token = session_id.partition(":")
        if not user_id.isdigit():
            return None
        with sf() as s:
            user = s.get(ConsoleUser, int(user_id))
            return _account(user) if user is not None and user.session_token == token else None

    @bp.before_request
    def _csrf():
        if request.method == "POST":
            csrf.protect()

    @bp.after_request
    def _no_store(resp):
        # Villagers' words must not stay in shared browsers' caches or be framed elsewhere.
        resp.headers.setdefault("Cache-Control", "no-store")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        return resp

    @bp.errorhandler(CSRFError)
    def _csrf_error(e):
        return render_template("console/message.html", message=texts.CONSOLE_CSRF), 400

    @bp.errorhandler(429)
    def _throttled(e):
        return render_template("console/login.html", error=texts.CONSOLE_LOGIN_THROTTLED,
                               username=request.form.get("username", "")), 429

    @bp.errorhandler(403)
    def _forbidden(e):
        return render_template("console/message.html", message=texts.CONSOLE_ADMIN_ONLY), 403

    @bp.context_processor
    def _globals():
        return {"office_info": store.current.catalogue.office, "local": _local, "age": _age}

    def admin_required(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.is_admin:
                abort(403)
            return view(*args, **kwargs)
        return wrapped

    def _local(at: dt.datetime | None) -> str:
        return office.local_stamp(at, store.current.catalogue.office) if at else ""

    def audit(s, action: str, target: str, detail: str | None = None) -> None:
        s.add(AuditEntry(username=current_user.username, action=action, target=target, detail=detail))

    # -- signing in and out ---------------------------------------------------------------------
    def _login_key() -> str:
        return f"{request.remote_addr}|{request.form.get('username', '').strip().lower()}"

    def _failed(resp) -> bool:
        return resp.status_code == 401

    @bp.route("/login", methods=["GET", "POST"], endpoint="login")
    @limiter.limit(LOGIN_LIMITS[0], key_func=_login_key, methods=["POST"], deduct_when=_failed)
    @limiter.limit(LOGIN_LIMITS[1], methods=["POST"], deduct_when=_failed)
    def login_view():
        if request.method == "GET":
            return render_template("console/login.html", username="")
        username = request.form.get("username", "")
        with sf.begin() as s:
            user = accounts.authenticate(s, username, request.form.get("password", ""))
            account = _account(user) if user else None
            if account:
                s.add(AuditEntry(username=account.username, action="sign_in", target=request.remote_addr))
        if account is None:
            return render_template("console/login.html", error=texts.CONSOLE_LOGIN_FAILED, username=username), 401
        login_user(account)
        nxt = request.args.get("next", "")
        # only a path of this console: never an open redirect
        return redirect(nxt if nxt.startswith("/console") and not nxt.startswith("//") else url_for(".inbox"))

    @bp.post("/logout")
    def logout():
        logout_user()
        flash(texts.CONSOLE_SIGNED_OUT)
        return redirect(url_for(".login"))

    # -- inbox and tickets -------------------------------------------------------------------------
    @bp.get("/", strict_slashes=False)
    @login_required
    def inbox():
        q = request.args.get("q", "").strip()
        show = request.args.get("show", "open")
        query = select(Ticket)
        if show == "closed":
            query = query.where(Ticket.status == "closed")
        elif show == "mine":
            query = query.where(Ticket.status == "open", Ticket.taken_by == current_user.username)
        elif show == "untaken":
            query = query.where(Ticket.status == "open", Ticket.taken_by.is_(None))
        elif show != "all":
            query = query.where(Ticket.status == "open")
        if q:
            number = q.lstrip("#").strip()
            like = f"%{q}%"
            conditions = [Ticket.display_name.ilike(like), Ticket.taken_by.ilike(like),
                          Ticket.id.in_(select(TicketMessage.ticket_id).where(TicketMessage.text.ilike(like)))]
            if number.isdigit():
                conditions.append(Ticket.id == int(number))
            query = query.where(or_(*conditions))
        with sf() as s:
            rows = s.scalars(query.order_by(Ticket.updated_at.desc(), Ticket.id.desc()).limit(INBOX_LIMIT)).all()
            firsts = _first_questions(s, [t.id for t in rows])
        cat = store.current.catalogue
        items = [{"t": t, "question": mask_national_ids(firsts.get(t.id) or "…"), "topic": _topic(cat, t)}
                 for t in rows]
        return render_template("console/inbox.html", items=items, q=q, show=show, now=utcnow())

    @bp.get("/tickets/<int:ticket_id>")
    @login_required
    def ticket(ticket_id: int):
        with sf() as s:
            t = s.get(Ticket, ticket_id)
            if t is None:
                abort(404)
            timeline = _timeline(s, t, store.current.catalogue)
            topic = _topic(store.current.catalogue, t)
            s.expunge(t)
        return render_template("console/ticket.html", t=t, timeline=timeline, topic=topic, now=utcnow(),
                               answer_max=ANSWER_MAX)

    def _staff_event(kind: str, text: str | None = None, postback: str | None = None) -> Incoming:
        """What the LINE group would have sent: the console acts through bot.staff as that."""
        return Incoming(event_id="console-" + uuid.uuid4().hex, kind=kind, source_type="group",
                        user_id=f"console:{current_user.username}", chat_id=config.staff_group_id or "",
                        message_type="text" if text is not None else None, text=text,
                        postback=parse_postback(postback))

    def _act(ticket_id: int, inc: Incoming, action: str, detail: str | None = None):
        with sf() as s:
            if s.get(Ticket, ticket_id) is None:
                abort(404)
        queued = processor.handle_console(
            inc, {inc.user_id: current_user.username},
            also=lambda s: audit(s, action, f"#{ticket_id}", detail))
        group = [m.get("text") for row in queued if row.to == config.staff_group_id and row.purpose == "reply"
                 for m in row.messages if m.get("type") == "text"]
        for line in group:
            flash(line)
        if not config.staff_group_id:
            flash(texts.CONSOLE_NO_GROUP)
        return redirect(url_for(".ticket", ticket_id=ticket_id))

    @bp.post("/tickets/<int:ticket_id>/answer")
    @login_required
    def answer(ticket_id: int):
        text = request.form.get("answer", "").replace("\r\n", "\n").strip()
        if not text:
            flash(texts.CONSOLE_ANSWER_EMPTY, "error")
            return redirect(url_for(".ticket", ticket_id=ticket_id))
        if len(text) > ANSWER_MAX:
            flash(texts.CONSOLE_ANSWER_TOO_LONG.format(limit=ANSWER_MAX), "error")
            return redirect(url_for(".ticket", ticket_id=ticket_id))
        # Exactly what a staff member would type in the LINE group: "#N answer".
        return _act(ticket_id, _staff_event("message", text=f"#{ticket_id} {text}"), "answer", text[:1000])

    @bp.post("/tickets/<int:ticket_id>/take")
    @login_required
    def take(ticket_id: int):
        return _act(ticket_id, _staff_event("postback", postback=f"action=take&ticket={ticket_id}"), "take")

    @bp.post("/tickets/<int:ticket_id>/close")
    @login_required
    def close(ticket_id: int):
        return _act(ticket_id, _staff_event("postback", postback=f"action=close&ticket={ticket_id}"), "close")

    # -- statistics and the monthly report -------------------------------------------------------------
    @bp.get("/stats")
    @login_required
    def stats():
        cat = store.current.catalogue
        tz = stats_mod.office_tz(cat)
        today = dt.datetime.now(tz).date()
        try:
            first = dt.date.fromisoformat(request.args["from"]) if request.args.get("from") else \
                today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
            last = dt.date.fromisoformat(request.args["to"]) if request.args.get("to") else today
            if last < first or (last - first).days > 366:
                raise ValueError
        except ValueError:
            flash(texts.CONSOLE_BAD_PERIOD, "error")
            first, last = today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today
        period = stats_mod.Period(first, last, tz)
        with sf() as s:
            st = stats_mod.compute(s, cat, period)
        days = (last - first).days + 1
        groups = unanswered_report(sf, store.current, max(1, (today - first).days + 1))[:10]
        unanswered = [(g.question + (f" (+{len(g.variants)} แบบ)" if g.variants else ""), g.count) for g in groups]
        return render_template("console/stats.html", st=st, charts=charts, first=first, last=last, days=days,
                               unanswered=unanswered, labels=stats_mod.OUTCOME_LABELS,
                               month=today.strftime("%Y-%m"))

    @bp.get("/report")
    @login_required
    def report_download():
        cat = store.current.catalogue
        try:
            year, month = report.parse_month(request.args.get("month", ""))
        except ValueError:
            flash(texts.CONSOLE_BAD_MONTH, "error")
            return redirect(url_for(".stats"))
        ext = ".xlsx" if request.args.get("format") == "xlsx" else ".csv"
        with sf() as s:
            st = report.month_stats(s, cat, year, month)
        data = report.WRITERS[ext](cat.office, year, month, st)
        mime = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if ext == ".xlsx"
                else "text/csv; charset=utf-8")
        return Response(data, mimetype=mime, headers={
            "Content-Disposition": f"attachment; filename=oss-report-{year}-{month:02d}{ext}"})

    # -- catalogue editor ----------------------------------------------------------------------------------
    @bp.get("/catalogue")
    @admin_required
    def catalogue():
        data, _ = editor.read()
        names = {c["id"]: c["name"] for c in data.get("categories", [])}
        groups: dict[str, list] = {}
        for svc in data["services"]:
            groups.setdefault(names.get(svc.get("category", ""), "อื่น ๆ"), []).append(svc)
        return render_template("console/catalogue.html", groups=groups, office_data=data["office"])

    def _service_page(service_id: str | None, form: dict, base: str, errors: dict, others: list,
                      preview: dict | None, categories: list, status: int = 200, conflict: str | None = None):
        return render_template("console/service.html", service_id=service_id, form=form, base=base, errors=errors,
                               others=others, preview=preview, categories=categories, conflict=conflict), status

    def _index_of(data: dict, service_id: str) -> int | None:
        return next((i for i, svc in enumerate(data["services"]) if svc["id"] == service_id), None)

    def _service_of(data: dict, service_id: str) -> dict | None:
        i = _index_of(data, service_id)
        return data["services"][i] if i is not None else None

    @bp.route("/catalogue/services/<service_id>", methods=["GET", "POST"])
    @bp.route("/catalogue/new", methods=["GET", "POST"], defaults={"service_id": None})
    @admin_required
    def service(service_id: str | None):
        data, _ = editor.read()
        categories = data.get("categories", [])
        index = _index_of(data, service_id) if service_id else None
        if service_id and index is None:
            abort(404)
        existing = data["services"][index] if index is not None else None
        if request.method == "GET":
            return _service_page(service_id, service_form(existing or {}), fingerprint(existing), {}, [],
                                 existing, categories)
        new = service_from_form(request.form, existing)
        target = new["id"]

        def change(current: dict) -> dict:
            i = _index_of(current, target)
            if existing is None:
                current["services"].append(new)
            else:
                current["services"][i] = new
            return current

        try:
            saved = editor.save(current_user.username, change,
                                f"{'เพิ่ม' if existing is None else 'แก้'}บริการ {target} ({new.get('name', '')})",
                                # a new service has no base: a clash of ids is a validation error
                                base=None if existing is None else (lambda d: _service_of(d, target),
                                                                    request.form.get("base", "")))
        except Conflict as e:
            return _service_page(service_id, service_form(new), request.form.get("base", ""), {}, [], new, categories,
                                 409, conflict=texts.CONSOLE_CONFLICT.format(who=e.who or texts.CONSOLE_SOMEONE,
                                                                             when=_local(e.when)))
        except Rejected as e:
            i = _index_of(e.data, target)
            if existing is None:  # a new service is the last entry (an id clash reports there too)
                i = len(e.data["services"]) - 1
            mine = problems_by_field(e.problems, i)
            shown = {id(p) for ps in mine.values() for p in ps}
            others = [p for p in e.problems if id(p) not in shown]
            flash(texts.CONSOLE_SAVE_REFUSED.format(count=len(e.problems)), "error")
            return _service_page(service_id, service_form(new), request.form.get("base", ""), mine, others, new,
                                 categories, 422)
        _after_save(saved, target)
        return redirect(url_for(".service", service_id=target))

    def _after_save(saved, service_id: str | None = None) -> None:
        store.refresh()  # this worker serves the new catalogue at once; the others within a second or two
        flash(texts.CONSOLE_SAVED)
        # the warnings of what this admin edited (not the whole file's, which they did not touch)
        mine = [p for p in saved.warnings if service_id and f"id={service_id} " in p.entry]
        if mine:
            flash(texts.CONSOLE_WARNINGS.format(problems="; ".join(f"{p.field}: {p.th}" for p in mine[:5])), "warning")

    @bp.route("/catalogue/office", methods=["GET", "POST"])
    @admin_required
    def office_hours():
        data, _ = editor.read()
        current = data["office"]
        if request.method == "GET":
            return render_template("console/office.html", form=_office_form(current), base=fingerprint(current),
                                   errors={}, others=[])
        form = request.form
        errors: dict[str, list[str]] = {}
        holidays = []
        for line in [x.strip() for x in form.get("holidays", "").splitlines() if x.strip()]:
            date, _, name = line.partition(" ")
            try:
                dt.date.fromisoformat(date)
                holidays.append({"date": date, "name": name.strip() or date})
            except ValueError:
                errors.setdefault("holidays", []).append(texts.CONSOLE_BAD_HOLIDAY.format(line=line))
        weekdays = sorted(int(d) for d in form.getlist("weekdays") if d.isdigit() and 0 <= int(d) <= 6)
        if not weekdays:
            errors.setdefault("hours", []).append(texts.CONSOLE_NO_WEEKDAY)
        for key in ("open", "close"):
            try:
                dt.time.fromisoformat(form.get(key, ""))
            except ValueError:
                errors.setdefault("hours", []).append(texts.CONSOLE_BAD_TIME)
        new = dict(current, phone=form.get("phone", "").strip(), hours_text=form.get("hours_text", "").strip(),
                   hours=dict(current["hours"], weekdays=weekdays, open=form.get("open", ""), close=form.get("close", "")),
                   holidays=sorted(holidays, key=lambda h: h["date"]))
        if errors:
            return render_template("console/office.html", form=form, base=form.get("base", ""), errors=errors,
                                   others=[]), 422
        try:
            saved = editor.save(current_user.username, lambda d: dict(d, office=new), "แก้เวลาทำการ/วันหยุด",
                                base=(lambda d: d["office"], form.get("base", "")))
        except Conflict as e:
            return render_template("console/office.html", form=form, base=form.get("base", ""), errors={}, others=[],
                                   conflict=texts.CONSOLE_CONFLICT.format(who=e.who or texts.CONSOLE_SOMEONE,
                                                                          when=_local(e.when))), 409
        except Rejected as e:
            mine = problems_by_field(e.problems, None, "office")
            shown = {id(p) for ps in mine.values() for p in ps}
            return render_template("console/office.html", form=form, base=form.get("base", ""),
                                   errors={k: [p.th for p in v] for k, v in mine.items()},
                                   others=[p for p in e.problems if id(p) not in shown]), 422
        _after_save(saved)
        return redirect(url_for(".office_hours"))

    @bp.get("/catalogue/history")
    @admin_required
    def history():
        return render_template("console/history.html", versions=editor.history())

    @bp.post("/catalogue/history/<int:version_id>/restore")
    @admin_required
    def restore(version_id: int):
        try:
            saved = editor.restore(current_user.username, version_id)
        except KeyError:
            abort(404)
        except Rejected as e:
            flash(texts.CONSOLE_SAVE_REFUSED.format(count=len(e.problems)) + ": "
                  + "; ".join(f"{p.entry} · {p.field}: {p.th}" for p in e.problems[:5]), "error")
            return redirect(url_for(".history"))
        _after_save(saved)
        flash(texts.CONSOLE_RESTORED.format(version=version_id))
        return redirect(url_for(".history"))

    # -- learning inbox --------------------------------------------------------------------------------
    @bp.get("/learning")
    @login_required
    def learning():
        days = request.args.get("days", type=int) or LEARNING_DAYS
        groups = unanswered_report(sf, store.current, max(1, min(days, 366)))
        services = store.current.catalogue.services
        return render_template("console/learning.html", groups=groups, services=services, days=days,
                               kinds=texts.CONSOLE_KIND)

    @bp.post("/learning/add")
    @admin_required
    def learning_add():
        service_id = request.form.get("service", "")
        kind = request.form.get("kind", "")
        text = " ".join(request.form.get("text", "").split())
        cat = store.current.catalogue
        if service_id not in cat.by_id or kind not in texts.CONSOLE_KIND or not text:
            abort(400)

        def change(current: dict) -> dict:
            i = _index_of(current, service_id)
            if text not in current["services"][i][kind]:
                current["services"][i][kind].append(text)
            return current

        name, label = cat.by_id[service_id]["name"], texts.CONSOLE_KIND[kind]
        try:
            saved = editor.save(current_user.username, change, f"เพิ่ม{label} \"{text}\" ให้ {service_id}")
        except Rejected as e:
            flash(texts.CONSOLE_LEARN_REFUSED.format(problems="; ".join(f"{p.field}: {p.th}" for p in e.problems[:5])),
                  "error")
            return redirect(url_for(".learning"))
        _after_save(saved, service_id)
        flash(texts.CONSOLE_LEARNED.format(text=text, kind=label, service=name))
        return redirect(url_for(".learning"))

    # -- accounts (admins) -------------------------------------------------------------------------------
    @bp.get("/users")
    @admin_required
    def users():
        with sf() as s:
            rows = accounts.list_users(s)
        return render_template("console/users.html", users=rows, roles=accounts.ROLES,
                               min_password=accounts.MIN_PASSWORD)

    @bp.post("/users")
    @admin_required
    def users_change():
        action, name = request.form.get("action", ""), request.form.get("username", "").strip()
        try:
            with sf.begin() as s:
                if action == "add":
                    accounts.add(s, name, request.form.get("role", ""), request.form.get("password", ""))
                elif action == "passwd":
                    accounts.set_password(s, name, request.form.get("password", ""))
                elif action == "remove":
                    if name == current_user.username:
                        raise accounts.AccountError(texts.CONSOLE_NOT_YOURSELF)
                    accounts.remove(s, name)
                else:
                    abort(400)
                audit(s, f"user_{action}", name, request.form.get("role") if action == "add" else None)
        except accounts.AccountError as e:
            flash(texts.CONSOLE_ACCOUNT_REFUSED.format(reason=e), "error")
        else:
            flash(texts.CONSOLE_ACCOUNT_DONE[action].format(name=name))
        return redirect(url_for(".users"))

    # -- audit log ---------------------------------------------------------------------------------------
    @bp.get("/audit")
    @admin_required
    def audit_log():
        with sf() as s:
            rows = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(300)).all()
        return render_template("console/audit.html", rows=rows)

    return bp


def _office_form(o: dict) -> dict:
    return {"phone": o.get("phone", ""), "hours_text": o.get("hours_text", ""), "open": o["hours"]["open"],
            "close": o["hours"]["close"], "weekdays": [str(d) for d in o["hours"]["weekdays"]],
            "holidays": "\n".join(f"{h['date']} {h['name']}" for h in o.get("holidays", []))}


def _age(now: dt.datetime, then: dt.datetime) -> str:
    minutes = int((now - then).total_seconds() // 60)
    if minutes >= 1440:
        return f"{minutes // 1440} วัน"
    return f"{minutes // 60} ชม." if minutes >= 60 else f"{minutes} นาที"


def _topic(cat, t: Ticket) -> str:
    if t.topic and t.topic in cat.topic_names:
        return cat.topic_names[t.topic]
    names = [cat.by_id[c]["name"] for c in (t.candidates or []) if c in cat.by_id]
    return ("ใกล้เคียง: " + names[0]) if names else ""


def _first_questions(s, ids: list[int]) -> dict[int, str | None]:
    out: dict[int, str | None] = {}
    if not ids:
        return out
    rows = s.execute(select(TicketMessage.ticket_id, TicketMessage.text)
                     .where(TicketMessage.ticket_id.in_(ids), TicketMessage.author == "villager")
                     .order_by(TicketMessage.id)).all()
    for ticket_id, text in rows:
        out.setdefault(ticket_id, text)
    return out


def _message_text(m: dict) -> str:
    if m.get("type") == "text":
        return m.get("text", "")
    return m.get("altText") or f"[{m.get('type')}]"


def _timeline(s, t: Ticket, cat) -> list[dict]:
    """The whole conversation: the villager's messages, staff answers, what the bot said to the
    villager about this ticket, and the bot's own answers to questions asked while it was open."""
    items = [{"at": m.created_at, "who": m.author, "name": m.author_name,
              "text": m.text if m.text is not None else "(ลบข้อความตามระยะเวลาเก็บรักษาแล้ว)"}
             for m in t.messages]
    sent = s.scalars(select(OutboundMessage).where(OutboundMessage.ticket_id == t.id,
                                                   OutboundMessage.to == t.user_id,
                                                   OutboundMessage.purpose != "staff_answer")).all()
    for row in sent:
        items.append({"at": row.created_at, "who": "bot", "name": None,
                      "text": "\n".join(_message_text(m) for m in row.messages)})
    end = t.closed_at or utcnow()
    asked = s.execute(select(Inquiry.created_at, Inquiry.outcome, Inquiry.service_id, Inquiry.candidates,
                             Inquiry.chosen_service_id)
                      .where(Inquiry.user_id == t.user_id, Inquiry.created_at > t.created_at,
                             Inquiry.created_at <= end, Inquiry.outcome != "escalate")).all()
    for at, outcome, service_id, candidates, chosen in asked:
        if outcome == "answer" and service_id in cat.by_id:
            text = "ตอบด้วยบริการ: " + cat.by_id[service_id]["name"]
        elif outcome == "choose":
            names = [cat.by_id[c]["name"] for c in (candidates or []) if c in cat.by_id]
            text = "ให้เลือก: " + ", ".join(names) + (f" (ผู้ถามเลือก {cat.by_id[chosen]['name']})"
                                                        if chosen in cat.by_id else "")
        else:
            text = "ตอบทักทาย/ข้อมูลทั่วไป"
        items.append({"at": at, "who": "bot", "name": None, "text": text})
    for item in items:
        if item["who"] != "staff":
            item["text"] = mask_national_ids(item["text"])
    return sorted(items, key=lambda x: x["at"])
