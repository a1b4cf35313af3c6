"""Once a night, on one worker of one server (for hosts without cron): the PDPA purge
(``RETENTION_DAYS``), and a reminder to staff when next year's office days are still missing."""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import sessionmaker

from bot import office, staff, texts
from bot.catalogue import KnowledgeStore
from bot.config import Config
from bot.db import Setting, utcnow
from bot.learning import purge_texts

log = logging.getLogger(__name__)

NIGHTLY_HOUR = 2  # office time: the quietest hour; a server that was down then catches up on start


class Nightly:
    def __init__(self, session_factory: sessionmaker, store: KnowledgeStore, config: Config):
        self.sf = session_factory
        self.store = store
        self.config = config
        self._done_for: dt.date | None = None  # this process already saw tonight's job done or claimed

    def run_if_due(self, now: dt.datetime | None = None) -> bool:
        """Called every sweep; cheap until the office's clock passes NIGHTLY_HOUR. True when this
        process ran tonight's job (every other worker and server finds it claimed)."""
        office_info = self.store.current.catalogue.office
        local = office.as_local(now or utcnow(), office_info)
        if local.hour < NIGHTLY_HOUR or self._done_for == local.date():
            return False
        self._done_for = local.date()
        if not self._claim(local.date()):
            return False
        self.run(local.date(), office_info)
        return True

    def _claim(self, day: dt.date) -> bool:
        with self.sf.begin() as s:
            insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
            stmt = (insert(Setting).values(key=f"nightly-{day.isoformat()}", value="claimed", updated_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["key"]).returning(Setting.key))
            return s.execute(stmt).scalar() is not None

    def run(self, today: dt.date, office_info: dict) -> None:
        if self.config.retention_days:
            counts = purge_texts(self.sf, dt.timedelta(days=self.config.retention_days))
            log.info("nightly purge (texts older than %s days): %s", self.config.retention_days,
                     ", ".join(f"{k} {v}" for k, v in counts.items()))
        year = office.coming_year_missing_own_days(office_info, today)
        if year:
            with self.sf.begin() as s:  # told once, on the staff group's next message
                staff.queue_staff_notice(s, f"office-days-{year}",
                                         texts.STAFF_OFFICE_DAYS_MISSING.format(year=year + 543))
