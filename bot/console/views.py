"""The console's blueprint: signing in and out, and the pieces every page needs (sessions, CSRF,
security headers, error pages). ``make_blueprint`` builds it around the app's own services
(no module globals, as in Flask's application factory); the pages live in tickets, reports,
editing and admin, each registering its routes on the blueprint."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import UserMixin, login_user, logout_user
from flask_wtf.csrf import CSRFError

from bot import accounts, texts
from bot.catalogue_edit import CatalogueEditor
from bot.console import admin, editing, reports, tickets
from bot.console.common import Console
from bot.db import AuditEntry, ConsoleUser

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
    c = Console(config, sf, store, processor, CatalogueEditor(config.catalogue_path, sf, lambda: store.current.lexicon))
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
        return {"office_info": store.current.catalogue.office, "local": c.local, "age": tickets.age}

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

    for pages in (tickets, reports, editing, admin):
        pages.register(bp, c)
    return bp
