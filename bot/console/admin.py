"""Admins' pages: console accounts and the audit log."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from bot import accounts, texts
from bot.console.common import Console, admin_required
from bot.db import AuditEntry

ACCOUNT_ACTIONS = {  # the accounts page's buttons: action -> what it does (session, name, form)
    "add": lambda s, name, form: accounts.add(s, name, form.get("role", ""), form.get("password", "")),
    "passwd": lambda s, name, form: accounts.set_password(s, name, form.get("password", "")),
    "remove": lambda s, name, form: accounts.remove(s, name),
}


def register(bp: Blueprint, c: Console) -> None:
    sf, audit = c.sf, c.audit

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
        change = ACCOUNT_ACTIONS.get(action)
        if change is None:
            abort(400)
        try:
            if action == "remove" and name == current_user.username:
                raise accounts.AccountError(texts.CONSOLE_NOT_YOURSELF)  # an office never locks itself out
            with sf.begin() as s:
                change(s, name, request.form)
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
