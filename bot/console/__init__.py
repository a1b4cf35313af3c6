"""The office's web console under /console: inbox and tickets, statistics, the monthly report,
the catalogue editor and the learning inbox, for signed-in office accounts.

``init_app`` sets up what a console needs on the Flask app (signed session cookies, Flask-Login,
Flask-WTF CSRF for the console's forms, Flask-Limiter for sign-in failures) and registers the
blueprint that ``bot.console.views.make_blueprint`` builds around the app's own services.
"""
from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from bot.config import Config, instance_secret

SESSION_LIFETIME = dt.timedelta(hours=12)  # an office day; then sign in again


def init_app(app: Flask, config: Config, session_factory, store, processor) -> None:
    app.secret_key = config.secret_key or instance_secret(app.instance_path)
    secure = bool(config.public_url and config.public_url.startswith("https://"))
    app.config.update(
        SESSION_COOKIE_NAME="oss_console", SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure, REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_SAMESITE="Lax", PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        # Only the console's forms are checked (the blueprint calls protect()): /callback is
        # signed by LINE and other blueprints post JSON.
        WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=int(SESSION_LIFETIME.total_seconds()),
        RATELIMIT_HEADERS_ENABLED=True,
    )
    csrf = CSRFProtect(app)
    login = LoginManager(app)
    login.session_protection = "strong"
    limiter = Limiter(get_remote_address, app=app, storage_uri=config.ratelimit_storage, default_limits=[])
    from bot.console.views import make_blueprint
    app.register_blueprint(make_blueprint(config, session_factory, store, processor, csrf, login, limiter))
