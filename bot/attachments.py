"""Photos, voice messages, videos, files and locations a villager sends: kept with their ticket.

- ``add`` (in the event's transaction) records the item as a line of the ticket and a ``Media``
  row; a location is complete at once, content is ``pending``.
- ``fetch`` downloads the content from LINE's data API (LINE keeps it only for a while), right
  after the event is answered and again from the database (``due_ids``, the sweeper) with a
  backoff until it is stored, is too large to keep, or LINE says it is gone.
- ``Links`` signs links to the stored content (HMAC with ``SECRET_KEY``, expiring), under
  ``PUBLIC_URL``; ``bot.media_view`` serves them. Staff cards and ``#N`` list ``Item``s.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker, undefer

from bot import texts
from bot.db import Media, Ticket, utcnow
from bot.line import Incoming, LineApi, SendError
from bot.privacy import mask_national_ids

log = logging.getLogger(__name__)

KINDS = ("image", "video", "audio", "file", "location")
LINK_LIFETIME = dt.timedelta(days=7)  # a staff card's links; '#N' in the group signs fresh ones
CLAIM_LEASE = dt.timedelta(seconds=60)  # longer than one download may take (CONTENT_TIMEOUT)
BACKOFF = [2, 5, 15, 60, 300, 900, 1800, 3600, 3600, 3600]  # seconds; then the fetch has failed
# LINE shows a photo in a card or image message only if it is JPEG/PNG and at most 10 MB; its
# preview at most 1 MB (a bigger photo gets a smaller JPEG preview made here).
IMAGE_TYPES = {"image/jpeg", "image/png"}
IMAGE_MAX_BYTES = 10_000_000
PREVIEW_MAX_BYTES = 1_000_000
PREVIEW_SIDE = 1024
MAP_URL = "https://www.google.com/maps?q={lat},{lon}"


# -- recording (inside the event's transaction) --------------------------------------------------
def describe(kind: str, inc_or_row) -> str:
    """The ticket line staff read for an item (a location's text carries its coordinates)."""
    a = getattr(inc_or_row, "attachment", None) or inc_or_row
    if kind == "location":
        lat, lon = a.latitude, a.longitude
        parts = [p for p in (a.title, a.address) if p]
        where = f"{lat:.6f}, {lon:.6f}" if lat is not None and lon is not None else ""
        link = MAP_URL.format(lat=f"{lat:.6f}", lon=f"{lon:.6f}") if where else ""
        return texts.MEDIA_LINE["location"].format(place=" · ".join(parts + [where]), map=link).strip()
    name = getattr(a, "file_name", None) or ""
    seconds = (getattr(a, "duration_ms", None) or 0) // 1000
    return texts.MEDIA_LINE[kind].format(name=name, seconds=seconds).replace(" ()", "").strip()


def add(session: Session, ticket: Ticket, message_id: int, inc: Incoming) -> Media:
    """Record an item of the ticket. Content is fetched after the commit by whoever made it
    (the row is created claimed, so the sweeper leaves it alone meanwhile)."""
    a = inc.attachment
    row = Media(ticket_id=ticket.id, ticket_message_id=message_id, nonce=secrets.token_hex(8),
                kind=inc.message_type, line_message_id=inc.message_id, file_name=a.file_name,
                duration_ms=a.duration_ms, size=a.file_size, title=a.title, address=a.address, latitude=a.latitude,
                longitude=a.longitude, attempts=0, next_attempt_at=utcnow(), created_at=utcnow())
    if inc.message_type == "location":
        row.status = "none"
    elif a.external_url:
        row.status, row.external_url = "external", a.external_url
    else:
        row.status, row.claimed_at = "pending", utcnow()
    session.add(row)
    session.flush()
    return row


# -- fetching (outside any transaction) -----------------------------------------------------------
def _claim(sf: sessionmaker, media_id: int, mine: bool) -> bool:
    """``mine``: the row was just made claimed by this worker. Otherwise the claim must be stale."""
    now = utcnow()
    stale = or_(Media.claimed_at.is_(None), Media.claimed_at < now - CLAIM_LEASE)
    with sf.begin() as s:
        return s.execute(update(Media).where(Media.id == media_id, Media.status == "pending",
                                             *(() if mine else (stale,)))
                         .values(claimed_at=now, attempts=Media.attempts + 1)).rowcount == 1


def due_ids(sf: sessionmaker, limit: int = 20) -> list[int]:
    now = utcnow()
    with sf() as s:
        return list(s.scalars(select(Media.id).where(
            Media.status == "pending", Media.next_attempt_at <= now,
            or_(Media.claimed_at.is_(None), Media.claimed_at < now - CLAIM_LEASE)).order_by(Media.id).limit(limit)))


def _preview(data: bytes, content_type: str | None) -> bytes | None:
    """A JPEG small enough for LINE's preview, for a photo too big to be its own preview."""
    if content_type not in IMAGE_TYPES or len(data) <= PREVIEW_MAX_BYTES:
        return None
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
            out = io.BytesIO()
            im.convert("RGB").save(out, "JPEG", quality=80)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def fetch(sf: sessionmaker, line: LineApi, media_id: int, max_bytes: int, mine: bool = False) -> str:
    """Download one item's content and keep it. Returns the row's new status."""
    if not _claim(sf, media_id, mine):
        return "skipped"
    with sf() as s:
        row = s.get(Media, media_id)
        kind, message_id, attempts, announced = row.kind, row.line_message_id, row.attempts, row.size
    status, error, data, ctype, preview = "stored", None, None, None, None
    if announced and announced > max_bytes:  # a file says its size: do not even download it
        status = "too_large"
    else:
        try:
            data, ctype = line.content(message_id, transcoded=kind in ("video", "audio"))
        except SendError as e:
            error = str(e)[:300]
            status = "pending" if e.transient and attempts < len(BACKOFF) else "failed" if e.transient else "gone"
            log.warning("media %s fetch attempt %s failed: %s", media_id, attempts, error)
        else:
            ctype = (ctype or "application/octet-stream").split(";")[0].strip().lower()
            if len(data) > max_bytes:
                status, data = "too_large", None
            else:
                preview = _preview(data, ctype)
    with sf.begin() as s:
        row = s.get(Media, media_id)
        row.status, row.error, row.claimed_at = status, error, None
        if status == "stored":
            row.data, row.preview, row.content_type, row.size, row.stored_at = data, preview, ctype, len(data), utcnow()
        elif status == "pending":
            row.next_attempt_at = utcnow() + dt.timedelta(seconds=BACKOFF[min(attempts, len(BACKOFF)) - 1])
    log.info("media %s (%s): %s", media_id, kind, status)
    return status


# -- links ------------------------------------------------------------------------------------------
class Links:
    """Signed, expiring links to stored content. No PUBLIC_URL: no links (staff are told why)."""

    def __init__(self, public_url: str | None, secret_key: str, lifetime: dt.timedelta = LINK_LIFETIME):
        self.base = (public_url or "").rstrip("/") or None
        self.lifetime = lifetime
        self._signer = URLSafeTimedSerializer(secret_key, salt="media-link",
                                              signer_kwargs={"digest_method": hashlib.sha256})

    def url(self, row: Media, variant: str = "") -> str | None:
        if self.base is None:
            return None
        return f"{self.base}/media/{self._signer.dumps([row.id, row.nonce, variant])}"

    def open(self, token: str) -> tuple[int, str, str] | None:
        """(media id, nonce, variant) of a genuine, unexpired link; None otherwise."""
        try:
            media_id, nonce, variant = self._signer.loads(token, max_age=int(self.lifetime.total_seconds()))
            return int(media_id), str(nonce), str(variant)
        except (SignatureExpired, BadSignature, ValueError, TypeError):
            return None


@dataclass
class Item:
    """One thing a villager sent, as staff see it."""

    kind: str
    label: str                 # the ticket line, national IDs masked (cards and '#N' alike)
    name: str | None = None    # a file's name, masked the same way
    url: str | None = None     # open / play / download
    image: str | None = None   # LINE can show it: a photo stored as JPEG/PNG within 10 MB
    preview: str | None = None
    note: str | None = None    # why it cannot be opened (yet)


def items(session: Session, links: Links, ticket_id: int, after: int | None = None,
          upto: int | None = None) -> list[Item]:
    """The ticket's items (of villager messages after < id <= upto), oldest first."""
    query = select(Media).where(Media.ticket_id == ticket_id)
    if after is not None:
        query = query.where(Media.ticket_message_id > after)
    if upto is not None:
        query = query.where(Media.ticket_message_id <= upto)
    out = []
    for row in session.scalars(query.order_by(Media.id)):
        item = Item(row.kind, mask_national_ids(describe(row.kind, row)),
                    mask_national_ids(row.file_name) if row.file_name else None)
        if row.kind == "location":
            if row.latitude is not None and row.longitude is not None:
                item.url = MAP_URL.format(lat=f"{row.latitude:.6f}", lon=f"{row.longitude:.6f}")
        elif row.status == "external":
            item.url = row.external_url
        elif row.status in ("stored", "pending"):
            item.url = links.url(row)
            if item.url is None:
                item.note = texts.MEDIA_NO_PUBLIC_URL
            elif row.status == "pending":
                item.note = texts.MEDIA_NOTE["pending"]
            elif row.kind == "image" and row.content_type in IMAGE_TYPES and (row.size or 0) <= IMAGE_MAX_BYTES:
                item.image = item.url
                item.preview = links.url(row, "preview") if row.size and row.size > PREVIEW_MAX_BYTES else item.url
        else:
            item.note = texts.MEDIA_NOTE[row.status]
        out.append(item)
    return out


def content(session: Session, media_id: int, nonce: str, variant: str) -> Media | None:
    """The stored row a link names (with its bytes loaded), or None."""
    row = session.scalars(select(Media).options(undefer(Media.data), undefer(Media.preview))
                          .where(Media.id == media_id)).first()
    if row is None or not secrets.compare_digest(row.nonce, nonce):
        return None
    return row
