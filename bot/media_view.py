"""``GET /media/<token>``: what a villager sent, for staff who open a signed link.

A link that is not genuine or has expired gives 403 and nothing else; one whose item is gone
(purged, never fetched) 404; content still on its way from LINE 503 with ``Retry-After``.
Content is served as LINE gave it, but only pictures, sound, video and PDF are shown inline;
anything else downloads, and nothing runs scripts in our origin (CSP sandbox, nosniff).
"""
from __future__ import annotations

import io

from flask import Blueprint, Response, current_app, send_file

from bot import attachments, texts

bp = Blueprint("media", __name__)

INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"}
INLINE_PREFIXES = ("audio/", "video/")
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "audio/x-m4a": "m4a", "audio/mp4": "m4a",
              "video/mp4": "mp4", "application/pdf": "pdf"}


def _refuse(code: int, text: str) -> Response:
    return Response(text, code, mimetype="text/plain; charset=utf-8", headers={"Cache-Control": "no-store"})


@bp.get("/media/<token>")
def media(token: str):
    bot = current_app.extensions["bot"]
    opened = bot["links"].open(token)
    if opened is None:
        return _refuse(403, texts.MEDIA_LINK_INVALID)
    media_id, nonce, variant = opened
    with bot["session_factory"]() as s:
        row = attachments.content(s, media_id, nonce, variant)
        if row is None or row.status not in ("stored", "pending"):
            return _refuse(404, texts.MEDIA_LINK_GONE)
        if row.status == "pending":
            resp = _refuse(503, texts.MEDIA_LINK_PENDING)
            resp.headers["Retry-After"] = "5"
            return resp
        ctype, kind, file_name = row.content_type or "application/octet-stream", row.kind, row.file_name
        data = row.data
        if variant == "preview" and row.preview:
            data, ctype, file_name = row.preview, "image/jpeg", None  # made here, always a JPEG
    inline = ctype in INLINE_TYPES or ctype.startswith(INLINE_PREFIXES)
    name = file_name or f"{kind}-{media_id}.{EXTENSIONS.get(ctype, 'bin')}"
    resp = send_file(io.BytesIO(data), mimetype=ctype if inline else "application/octet-stream",
                     as_attachment=not inline, download_name=name, conditional=True, etag=False, max_age=0)
    resp.headers["Cache-Control"] = "private, no-store"  # personal data: no shared cache keeps it
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "sandbox"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp
