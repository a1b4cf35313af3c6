"""What every console page module shares: the app's services, the audit helper, the admin check."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from flask import abort
from flask_login import current_user, login_required

from bot import office
from bot.catalogue_edit import CatalogueEditor
from bot.config import Config
from bot.db import AuditEntry


@dataclass(frozen=True)
class Console:
    """The services the pages work with (built once per app by ``make_blueprint``)."""

    config: Config
    sf: object          # sessionmaker
    store: object       # KnowledgeStore: the running bot's catalogue
    processor: object   # the bot's delivery: staff actions go through it
    editor: CatalogueEditor

    def local(self, at: dt.datetime | None) -> str:
        """A stored UTC time as the office reads it."""
        return office.local_stamp(at, self.store.current.catalogue.office) if at else ""

    @staticmethod
    def audit(session, action: str, target: str, detail: str | None = None) -> None:
        """Record who did it, in the caller's transaction."""
        session.add(AuditEntry(username=current_user.username, action=action, target=target, detail=detail))


def admin_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped
