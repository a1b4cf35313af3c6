"""The tap-first rich menu: a few big tiles under the chat, drawn from the catalogue.

``build(catalogue)`` makes the menu's JSON (areas with postback actions the bot handles) and
its image (Pillow, a real Thai font with HarfBuzz shaping through libraqm); ``deploy`` uploads
both through ``bot.line.RichMenuApi``, makes the menu the default and deletes the menus earlier
deploys made (told apart by ``NAME_PREFIX``), so deploying again leaves exactly one.

Tiles: one per catalogue category (up to ``MAX_CATEGORIES``), then the office's contact, a
person (staff) and how to use the menu. Who reads them: villagers, many over 70, on cheap phones.
So: large dark tiles with white text (contrast >= ``MIN_CONTRAST``, WCAG AAA), one short phrase
per tile, and a simple picture.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont, features

from bot import fonts, texts
from bot.thai import Tokenizer

WIDTH, HEIGHT = 2500, 1686          # LINE's large size; each of the 2 rows is 843 px tall
COLUMNS = 3
MAX_CATEGORIES = 6                   # + 3 fixed tiles = 9 tiles, 3 rows at most
IMAGE_MAX_BYTES = 1_000_000          # LINE refuses bigger images
CHAT_BAR_MAX = 14                    # LINE's limit for chatBarText
AREA_LABEL_MAX = 20                  # what a screen reader reads for an area
NAME_PREFIX = "oss-menu"             # menus this command made (the channel may have others)
GUTTER = 14                          # white lines between tiles: where one tile ends is obvious
MIN_CONTRAST = 7.0                   # WCAG AAA for text
LABEL_PX_MAX, LABEL_PX_MIN = 150, 104  # em size in image pixels; ~22 and ~15 dp on a 360 dp wide phone
TEXT_COLOUR = (255, 255, 255)

# Dark, distinct tile colours; white text on each is at least MIN_CONTRAST.
CATEGORY_COLOURS = [(11, 93, 42), (13, 71, 161), (106, 27, 154), (121, 61, 0), (0, 77, 64), (136, 14, 79)]
CONTACT_COLOUR = (0, 84, 119)
STAFF_COLOUR = (166, 35, 0)
HOWTO_COLOUR = (55, 55, 55)


class RichMenuError(Exception):
    """The menu cannot be built as asked (no Thai font, a label that does not fit, too many tiles)."""


@dataclass
class Tile:
    label: str            # drawn on the tile and read aloud (area action label)
    icon: str
    colour: tuple[int, int, int]
    data: dict[str, str]  # the postback the tile sends
    shown: str            # what appears in the chat as if the villager typed it
    bounds: dict = field(default_factory=dict)


@dataclass
class Menu:
    request: dict         # the rich menu object LINE takes
    image: bytes
    content_type: str
    tiles: list[Tile]


def tiles_for(catalogue) -> list[Tile]:
    categories = catalogue.categories
    if len(categories) > MAX_CATEGORIES:
        raise RichMenuError(texts.RICHMENU_TOO_MANY.format(count=len(categories), max=MAX_CATEGORIES))
    tiles = [Tile(c["short_name"], c.get("icon", "document"), CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)],
                  {"action": "category", "category": c["id"]}, c["name"])
             for i, c in enumerate(categories)]
    tiles += [Tile(texts.TILE_CONTACT, "phone", CONTACT_COLOUR, {"action": "contact"}, texts.QUICK_CONTACT),
              Tile(texts.TILE_STAFF, "chat", STAFF_COLOUR, {"action": "ask_staff"}, texts.ASK_STAFF_DISPLAY),
              Tile(texts.TILE_HOWTO, "question", HOWTO_COLOUR, {"action": "howto"}, texts.TILE_HOWTO)]
    rows = -(-len(tiles) // COLUMNS)
    for i, tile in enumerate(tiles):
        r, c = divmod(i, COLUMNS)
        in_row = min(COLUMNS, len(tiles) - r * COLUMNS)  # a short last row stretches its tiles
        x0, x1 = c * WIDTH // in_row, (c + 1) * WIDTH // in_row
        y0, y1 = r * HEIGHT // rows, (r + 1) * HEIGHT // rows
        tile.bounds = {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0}
    return tiles


def request_for(tiles: list[Tile], name: str) -> dict:
    for t in tiles:
        if not 1 <= len(t.label) <= AREA_LABEL_MAX:
            raise RichMenuError(texts.RICHMENU_BAD_LABEL.format(label=t.label, max=AREA_LABEL_MAX))
    return {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,  # shown open: many villagers never find the chat-bar toggle
        "name": name,
        "chatBarText": texts.RICHMENU_CHAT_BAR[:CHAT_BAR_MAX],
        "areas": [{"bounds": t.bounds, "action": {"type": "postback", "label": t.label, "data": urlencode(t.data),
                                                  "displayText": t.shown}} for t in tiles],
    }


def build(catalogue) -> Menu:
    tiles = tiles_for(catalogue)
    image, content_type = draw(tiles)
    version = hashlib.sha256(image).hexdigest()[:12]
    return Menu(request_for(tiles, f"{NAME_PREFIX} {catalogue.data.get('version', '')} {version}".strip()),
                image, content_type, tiles)


# -- the image ---------------------------------------------------------------------------------

def _check_font(path: Path, labels: list[str]) -> None:
    """Refuse to draw what the font cannot show (it would come out as empty boxes)."""
    if not features.check("raqm"):
        raise RichMenuError(texts.RICHMENU_NO_SHAPING)
    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap()
    missing = sorted({ch for label in labels for ch in label if not ch.isspace() and ord(ch) not in cmap})
    if missing:
        raise RichMenuError(texts.RICHMENU_MISSING_GLYPHS.format(
            font=path.name, chars="".join(missing), labels=", ".join(x for x in labels if set(x) & set(missing))))


def _relative_luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio (1 to 21)."""
    la, lb = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _words(label: str) -> list[str]:
    """Where a Thai label may break: spaces, then word boundaries (Thai writes words together)."""
    tokenizer = Tokenizer()
    out: list[str] = []
    for part in label.split():
        pieces = tokenizer.tokens(part) or [part]
        if out:
            pieces[0] = " " + pieces[0]
        out += pieces
    return out


def _lines(draw, label: str, font, width: int) -> list[str] | None:
    """Greedy word wrap into at most two lines no wider than ``width``; None if it does not fit."""
    lines = [""]
    for word in _words(label):
        trial = lines[-1] + word
        if draw.textlength(trial, font=font) <= width or not lines[-1]:
            lines[-1] = trial
        else:
            lines.append(word.strip())
    lines = [line.strip() for line in lines]
    if len(lines) > 2 or any(draw.textlength(line, font=font) > width for line in lines):
        return None
    return lines


def _fit(draw, label: str, font_path: Path, width: int):
    for size in range(LABEL_PX_MAX, LABEL_PX_MIN - 1, -4):
        font = ImageFont.truetype(str(font_path), size, layout_engine=ImageFont.Layout.RAQM)
        lines = _lines(draw, label, font, width)
        if lines:
            return font, lines
    raise RichMenuError(texts.RICHMENU_TOO_LONG.format(label=label, px=LABEL_PX_MIN))


def draw(tiles: list[Tile]) -> tuple[bytes, str]:
    font_path = fonts.thai_font_path()
    if font_path is None:
        raise RichMenuError(texts.RICHMENU_NO_FONT)
    _check_font(font_path, [t.label for t in tiles] + ["?"])
    for t in tiles:
        if contrast(t.colour, TEXT_COLOUR) < MIN_CONTRAST:
            raise RichMenuError(texts.RICHMENU_LOW_CONTRAST.format(label=t.label, colour=t.colour))
    img = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    d = ImageDraw.Draw(img)
    for t in tiles:
        b = t.bounds
        x0, y0 = b["x"] + GUTTER // 2, b["y"] + GUTTER // 2
        x1, y1 = b["x"] + b["width"] - GUTTER // 2, b["y"] + b["height"] - GUTTER // 2
        d.rounded_rectangle((x0, y0, x1, y1), radius=36, fill=t.colour)
        h = y1 - y0
        icon_box = (x0 + (x1 - x0) / 2 - h * 0.19, y0 + h * 0.08, x0 + (x1 - x0) / 2 + h * 0.19, y0 + h * 0.46)
        ICONS.get(t.icon, _icon_document)(d, icon_box, t.colour, font_path)
        font, lines = _fit(d, t.label, font_path, int((x1 - x0) * 0.88))
        line_h = font.size * 1.25
        top = y0 + h * 0.52 + (h * 0.46 - line_h * len(lines)) / 2
        for k, line in enumerate(lines):
            d.text(((x0 + x1) / 2, top + line_h * (k + 0.5)), line, font=font, fill=TEXT_COLOUR, anchor="mm")
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    if buf.tell() <= IMAGE_MAX_BYTES:
        return buf.getvalue(), "image/png"
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, optimize=True)
    if buf.tell() > IMAGE_MAX_BYTES:
        raise RichMenuError(texts.RICHMENU_TOO_BIG.format(size=buf.tell(), max=IMAGE_MAX_BYTES))
    return buf.getvalue(), "image/jpeg"


# -- pictures: simple white shapes, recognisable at a glance --------------------------------

def _icon_people(d, box, bg, font_path):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    for cx, scale in ((x0 + w * 0.30, 0.85), (x0 + w * 0.70, 0.85), (x0 + w * 0.5, 1.0)):
        r = w * 0.14 * scale
        head_y = y0 + h * (0.30 if scale == 1 else 0.24)
        d.ellipse((cx - r, head_y - r, cx + r, head_y + r), fill="white", outline=bg, width=8)
        bw = w * 0.26 * scale
        d.pieslice((cx - bw, head_y + r * 1.2, cx + bw, head_y + r * 1.2 + bw * 2), 180, 360, fill="white",
                   outline=bg, width=8)


def _icon_shop(d, box, bg, font_path):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.rectangle((x0 + w * 0.1, y0 + h * 0.45, x1 - w * 0.1, y1 - h * 0.1), fill="white")  # the shop
    d.polygon([(x0 + w * 0.12, y0 + h * 0.1), (x1 - w * 0.12, y0 + h * 0.1), (x1, y0 + h * 0.32),
               (x0, y0 + h * 0.32)], fill="white")  # the awning, scalloped below
    for k in range(4):
        sx = x0 + w * 0.25 * k
        d.pieslice((sx, y0 + h * 0.22, sx + w * 0.25, y0 + h * 0.42), 0, 180, fill="white")
    d.rectangle((x0 + w * 0.22, y0 + h * 0.56, x0 + w * 0.46, y0 + h * 0.72), fill=bg)  # window
    d.rectangle((x0 + w * 0.56, y0 + h * 0.56, x0 + w * 0.76, y1 - h * 0.1), fill=bg)  # door


def _icon_briefcase(d, box, bg, font_path):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle((x0 + w * 0.32, y0 + h * 0.12, x1 - w * 0.32, y0 + h * 0.42), radius=w * 0.06,
                        outline="white", width=int(w * 0.07))
    d.rounded_rectangle((x0, y0 + h * 0.3, x1, y1 - h * 0.08), radius=w * 0.08, fill="white")
    d.rectangle((x0, y0 + h * 0.55, x1, y0 + h * 0.6), fill=bg)
    d.rectangle((x0 + w * 0.44, y0 + h * 0.5, x0 + w * 0.56, y0 + h * 0.66), fill="white", outline=bg, width=6)


def _icon_phone(d, box, bg, font_path):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle((x0 + w * 0.22, y0, x1 - w * 0.22, y1), radius=w * 0.1, fill="white")
    d.rectangle((x0 + w * 0.29, y0 + h * 0.12, x1 - w * 0.29, y1 - h * 0.2), fill=bg)  # the screen
    d.ellipse((x0 + w * 0.45, y1 - h * 0.15, x1 - w * 0.45, y1 - h * 0.05), fill=bg)  # the button


def _icon_chat(d, box, bg, font_path):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle((x0 - w * 0.1, y0 + h * 0.08, x1 + w * 0.1, y1 - h * 0.22), radius=w * 0.18, fill="white")
    d.polygon([(x0 + w * 0.15, y1 - h * 0.25), (x0 + w * 0.1, y1), (x0 + w * 0.45, y1 - h * 0.25)], fill="white")
    for k in range(3):
        cx, cy, r = x0 + w * (0.2 + 0.3 * k), y0 + h * 0.43, w * 0.07
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=bg)


def _icon_question(d, box, bg, font_path):
    x0, y0, x1, y1 = box
    d.ellipse(box, fill="white")
    font = ImageFont.truetype(str(font_path), int((y1 - y0) * 0.8), layout_engine=ImageFont.Layout.RAQM)
    d.text(((x0 + x1) / 2, (y0 + y1) / 2), "?", font=font, fill=bg, anchor="mm")


def _icon_document(d, box, bg, font_path):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.rounded_rectangle((x0 + w * 0.15, y0, x1 - w * 0.15, y1), radius=w * 0.06, fill="white")
    for k in range(4):
        y = y0 + h * (0.22 + 0.18 * k)
        d.rectangle((x0 + w * 0.27, y, x1 - w * 0.27, y + h * 0.06), fill=bg)


def _icon_farm(d, box, bg, font_path):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.rectangle((x0 + w * 0.47, y0 + h * 0.35, x0 + w * 0.53, y1), fill="white")  # stem
    d.ellipse((x0 + w * 0.05, y0 + h * 0.25, x0 + w * 0.5, y0 + h * 0.6), fill="white")  # leaves
    d.ellipse((x0 + w * 0.5, y0 + h * 0.05, x1 - w * 0.05, y0 + h * 0.45), fill="white")
    d.rectangle((x0, y1 - h * 0.08, x1, y1), fill="white")  # ground


def _icon_home(d, box, bg, font_path):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.polygon([(x0, y0 + h * 0.45), ((x0 + x1) / 2, y0), (x1, y0 + h * 0.45)], fill="white")
    d.rectangle((x0 + w * 0.15, y0 + h * 0.44, x1 - w * 0.15, y1), fill="white")
    d.rectangle((x0 + w * 0.42, y0 + h * 0.65, x1 - w * 0.42, y1), fill=bg)


def _icon_heart(d, box, bg, font_path):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d.ellipse((x0, y0 + h * 0.1, x0 + w * 0.55, y0 + h * 0.6), fill="white")
    d.ellipse((x1 - w * 0.55, y0 + h * 0.1, x1, y0 + h * 0.6), fill="white")
    d.polygon([(x0 + w * 0.03, y0 + h * 0.45), ((x0 + x1) / 2, y1), (x1 - w * 0.03, y0 + h * 0.45)], fill="white")


ICONS = {"people": _icon_people, "shop": _icon_shop, "briefcase": _icon_briefcase, "phone": _icon_phone,
         "chat": _icon_chat, "question": _icon_question, "document": _icon_document, "farm": _icon_farm,
         "home": _icon_home, "heart": _icon_heart}


# -- LINE ----------------------------------------------------------------------------------------

def ours(api) -> list[str]:
    return [menu_id for menu_id, name in api.list() if (name or "").startswith(NAME_PREFIX)]


def deploy(api, catalogue) -> tuple[str, Menu, list[str]]:
    """Create the new menu, upload its image, make it the default, then delete the menus earlier
    deploys made. Villagers are never left without a menu; a failed upload leaves no orphan."""
    menu = build(catalogue)  # fails before touching LINE when the font or a label is wrong
    previous = ours(api)
    menu_id = api.create(menu.request)
    try:
        api.upload_image(menu_id, menu.image, menu.content_type)
        api.set_default(menu_id)
    except Exception:
        api.delete(menu_id)
        raise
    for old in previous:
        api.delete(old)
    return menu_id, menu, previous


def remove(api) -> list[str]:
    """Take the menu down: no default, and every menu these commands made deleted."""
    api.cancel_default()
    gone = ours(api)
    for menu_id in gone:
        api.delete(menu_id)
    return gone
