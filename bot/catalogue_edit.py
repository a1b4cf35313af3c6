"""Editing catalogue.json from the console: the same validation as ``catalogue check``, an atomic
write the running bot reloads as it does any edit, every version kept, and optimistic
concurrency (an edit is based on what the admin saw; if someone saved that part since, it is
refused with who and when, and the admin's input is kept for them to re-apply).
"""
from __future__ import annotations

import contextlib
import copy
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.catalogue import Problem, validate
from bot.db import AuditEntry, CatalogueVersion, utcnow

log = logging.getLogger(__name__)

# Form fields a service page edits (the rest of an entry, e.g. number and variant, is kept).
LIST_FIELDS = ("steps", "phones", "keywords", "examples", "not_this", "doubt_words", "not_doubt")
OPTIONAL_LISTS = ("not_this", "doubt_words", "not_doubt")  # left out of the entry when empty
TEXT_FIELDS = ("name", "agency", "url", "category")
_SCHEMA_PATH = re.compile(r"^services/(\d+)/(\w+)")


def fingerprint(obj) -> str:
    return hashlib.sha256(json.dumps(obj, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def lines(value: str) -> list[str]:
    return [x.strip() for x in (value or "").replace("\r", "").split("\n") if x.strip()]


def service_from_form(form, existing: dict | None) -> dict:
    """An entry from the form, keeping fields the form does not show (number, variant...)."""
    service = copy.deepcopy(existing) if existing else {}
    if not existing:
        service["id"] = (form.get("id") or "").strip()
    for name in TEXT_FIELDS:
        service[name] = (form.get(name) or "").strip()
    for name in LIST_FIELDS:
        service[name] = lines(form.get(name, ""))
    for name in OPTIONAL_LISTS:
        if not service[name]:
            service.pop(name)
    if not service["category"]:
        service.pop("category")
    return service


def service_form(service: dict) -> dict[str, str]:
    out = {name: service.get(name, "") for name in TEXT_FIELDS}
    out.update({name: "\n".join(service.get(name, [])) for name in LIST_FIELDS})
    out["id"] = service.get("id", "")
    return out


def problems_by_field(problems: list[Problem], index: int | None, section: str = "services") -> dict[str, list[Problem]]:
    """The problems of one service (by its index) or of the office, keyed by form field."""
    out: dict[str, list[Problem]] = {}
    for p in problems:
        if section == "office":
            if p.entry == "office" or p.field.startswith("office"):
                key = p.field.split("/")[1] if p.field.startswith("office/") else p.field
                out.setdefault(key, []).append(p)
            continue
        m = _SCHEMA_PATH.match(p.field)  # a schema error: "services/3/url"
        if m:
            if int(m.group(1)) == index:
                out.setdefault(m.group(2), []).append(p)
        elif p.entry.startswith(f"services[{index}] "):
            out.setdefault(p.field, []).append(p)
    return out


class Conflict(Exception):
    def __init__(self, who: str | None, when: dt.datetime | None):
        super().__init__(f"changed by {who} at {when}")
        self.who, self.when = who, when


class Rejected(Exception):
    def __init__(self, problems: list[Problem], data: dict):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems, self.data = problems, data


@dataclass
class Saved:
    version_id: int
    warnings: list[Problem]


class CatalogueEditor:
    def __init__(self, path: str | os.PathLike, session_factory: sessionmaker, lexicon_loader: Callable[[], dict]):
        self.path = Path(path)
        self.sf = session_factory
        self.lexicon = lexicon_loader

    def read(self) -> tuple[dict, str]:
        text = self.path.read_text(encoding="utf-8")
        return json.loads(text), text

    @contextlib.contextmanager
    def _locked(self):
        """Saves from every worker process take turns (read, check, write as one step)."""
        with open(str(self.path) + ".lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def last_saved(self, s: Session) -> CatalogueVersion | None:
        return s.scalars(select(CatalogueVersion).order_by(CatalogueVersion.id.desc()).limit(1)).first()

    def save(self, user: str, change: Callable[[dict], dict], summary: str,
             base: tuple[Callable[[dict], object], str] | None = None, action: str = "catalogue_save") -> Saved:
        """Apply ``change`` to the current catalogue and write it if valid.

        ``base`` = (part of the catalogue the admin edited, its fingerprint when they opened the
        form): if that part changed since, raise Conflict. Invalid results raise Rejected."""
        with self._locked():
            current, text = self.read()
            if base is not None:
                part, seen = base
                if fingerprint(part(current)) != seen:
                    with self.sf() as s:
                        last = self.last_saved(s)
                    raise Conflict(last.saved_by if last else None, last.saved_at if last else None)
            new = change(copy.deepcopy(current))
            problems = validate(new, self.lexicon())
            if any(p.severity == "error" for p in problems):
                raise Rejected([p for p in problems if p.severity == "error"], new)
            new_text = dumps(new)
            version_id = self._write(user, text, new_text, summary, action)
        return Saved(version_id, problems)

    def restore(self, user: str, version_id: int) -> Saved:
        with self.sf() as s:
            version = s.get(CatalogueVersion, version_id)
            if version is None:
                raise KeyError(version_id)
            content = version.content
        data = json.loads(content)
        return self.save(user, lambda _current: data, f"คืนค่าฉบับที่ {version_id}", action="catalogue_restore")

    def _write(self, user: str, old_text: str, new_text: str, summary: str, action: str) -> int:
        old_sha = hashlib.sha256(old_text.encode()).hexdigest()
        new_sha = hashlib.sha256(new_text.encode()).hexdigest()
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(new_text)
            fh.flush()
            os.fsync(fh.fileno())
        with self.sf.begin() as s:
            # The version being replaced is kept too, even when it came from a hand edit.
            if s.scalars(select(CatalogueVersion.id).where(CatalogueVersion.sha256 == old_sha).limit(1)).first() is None:
                mtime = dt.datetime.fromtimestamp(self.path.stat().st_mtime, dt.timezone.utc).replace(tzinfo=None)
                s.add(CatalogueVersion(saved_at=mtime, saved_by="(ไฟล์เดิม)", sha256=old_sha,
                                       summary="ฉบับก่อนแก้ผ่านหน้าเว็บ", content=old_text))
            version = CatalogueVersion(saved_at=utcnow(), saved_by=user, sha256=new_sha, summary=summary[:255],
                                       content=new_text)
            s.add(version)
            s.add(AuditEntry(username=user, action=action, target="catalogue.json", detail=summary[:1000]))
            s.flush()
            os.replace(tmp, self.path)  # atomic: readers see the old file or the new one, never half
            return version.id

    def history(self, limit: int = 50) -> list[CatalogueVersion]:
        with self.sf() as s:
            rows = s.execute(select(CatalogueVersion.id, CatalogueVersion.saved_at, CatalogueVersion.saved_by,
                                    CatalogueVersion.summary, CatalogueVersion.sha256)
                             .order_by(CatalogueVersion.id.desc()).limit(limit)).all()
        return rows


class CatalogueFollower:
    """Several app servers share one database but each has its own catalogue.json: a save from
    one server's console reaches the others through ``catalogue_versions``. The newest saved
    version is written here when it is newer than this file and differs from it (so a later hand
    edit of the file is never overwritten); the running bot then reloads it as any edit."""

    def __init__(self, path: str | os.PathLike, session_factory: sessionmaker):
        self.path = Path(path)
        self.sf = session_factory
        self._checked: tuple | None = None  # (newest version id, file stamp) already compared

    def check(self) -> bool:
        with self.sf() as s:
            newest = s.execute(select(CatalogueVersion.id, CatalogueVersion.saved_at, CatalogueVersion.sha256)
                               .order_by(CatalogueVersion.id.desc()).limit(1)).first()
        if newest is None:
            return False
        st = self.path.stat()
        key = (newest.id, st.st_mtime_ns, st.st_size)
        if key == self._checked:
            return False
        self._checked = key
        mtime = dt.datetime.fromtimestamp(st.st_mtime, dt.timezone.utc).replace(tzinfo=None)
        if newest.saved_at <= mtime or hashlib.sha256(self.path.read_bytes()).hexdigest() == newest.sha256:
            return False
        with self.sf() as s:
            content = s.get(CatalogueVersion, newest.id).content
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.follow.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)  # atomic, as the editor writes
        log.info("catalogue.json follows version %s saved from the console of another server", newest.id)
        return True
