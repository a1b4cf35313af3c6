"""Sarabun, the typeface of Thai government documents, installed from PyPI (fontpkg-sarabun) by
``make setup``: the rich menu draws its labels with it and the web pages serve it (webhook.py).
Apart from bot.richmenu, so a worker serving the font loads no Pillow."""
from __future__ import annotations

from pathlib import Path

import fontpkg


def thai_font_path(weight: int = 700) -> Path | None:
    """The installed Sarabun nearest ``weight``; None when the package is not installed."""
    try:
        return Path(fontpkg.path("Sarabun", weight=weight, nearest=True))
    except fontpkg.FontpkgError:
        return None
