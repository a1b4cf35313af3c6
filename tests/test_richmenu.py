"""The rich menu: its JSON and image within LINE's rules, deploy/replace/remove against the fake
LINE (images to the data endpoint), and a clear refusal when the Thai font is missing."""
from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from bot import richmenu, texts
from bot.__main__ import main
from bot.catalogue import load
from bot.config import ROOT
from urllib.parse import parse_qs

from tests.conftest import STAFF, TOKEN, blob, other_event, post_events
from tests.fakeline import FakeLine


@pytest.fixture(scope="module")
def catalogue():
    return load(ROOT / "catalogue.json", check_examples=False)


@pytest.fixture(scope="module")
def menu(catalogue):
    return richmenu.build(catalogue)


@pytest.fixture
def line_env(monkeypatch):
    """The Messaging API and the data API as two hosts (as on LINE) sharing one state."""
    api, data = FakeLine(), FakeLine()
    data.richmenus, data.richmenu_images = api.richmenus, api.richmenu_images
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("LINE_API_ENDPOINT", api.url)
    monkeypatch.setenv("LINE_DATA_API_ENDPOINT", data.url)
    yield api, data
    api.close()
    data.close()


def test_the_menu_follows_lines_rules(menu, catalogue):
    req = menu.request
    w, h = req["size"]["width"], req["size"]["height"]
    assert (w, h) in ((2500, 1686), (2500, 843))
    assert 1 <= len(req["chatBarText"]) <= 14
    areas = req["areas"]
    assert 4 <= len(areas) <= 20
    for a in areas:
        b = a["bounds"]
        assert b["x"] >= 0 and b["y"] >= 0 and b["x"] + b["width"] <= w and b["y"] + b["height"] <= h
        assert 1 <= len(a["action"]["label"]) <= 20
        assert a["action"]["type"] == "postback" and a["action"]["displayText"]

    def covering(x, y):
        return [a for a in areas if a["bounds"]["x"] <= x < a["bounds"]["x"] + a["bounds"]["width"]
                and a["bounds"]["y"] <= y < a["bounds"]["y"] + a["bounds"]["height"]]
    # every point of the image belongs to exactly one tile: no dead space, no overlap
    assert all(len(covering(x, y)) == 1 for x in range(0, w, 25) for y in range(0, h, 25))
    # one tile per category, then contact, staff, how to use
    datas = [a["action"]["data"] for a in areas]
    assert datas == [f"action=category&category={c['id']}" for c in catalogue.categories] + [
        "action=contact", "action=ask_staff", "action=howto"]


def test_the_image_is_big_clear_and_small_enough(menu):
    assert menu.content_type == "image/png" and len(menu.image) <= 1_000_000
    img = Image.open(io.BytesIO(menu.image)).convert("RGB")
    assert img.size == (menu.request["size"]["width"], menu.request["size"]["height"])
    for tile in menu.tiles:  # each tile is its dark colour with white text (not blank, not boxes of nothing)
        b = tile.bounds
        crop = img.crop((b["x"], b["y"] + b["height"] // 2, b["x"] + b["width"], b["y"] + b["height"]))
        colours = crop.getcolors(maxcolors=1 << 20)
        white = sum(n for n, c in colours if c == (255, 255, 255))
        tile_colour = sum(n for n, c in colours if c == tile.colour)
        assert tile_colour > 0.5 * crop.width * crop.height
        assert white > 0.04 * crop.width * crop.height  # big letters: a large share of the lower half
        assert richmenu.contrast(tile.colour, (255, 255, 255)) >= 7


def test_a_label_the_font_cannot_show_is_refused_not_drawn_as_boxes(catalogue):
    tiles = richmenu.tiles_for(catalogue)
    tiles[0].label = "บริการ 漢字"
    with pytest.raises(richmenu.RichMenuError, match="漢"):
        richmenu.draw(tiles)


def test_a_label_too_long_for_its_tile_is_refused(catalogue):
    tiles = richmenu.tiles_for(catalogue)
    tiles[0].label = "งานบริการด้านแรงงานและการมีงานทำ"
    with pytest.raises(richmenu.RichMenuError, match="short_name"):
        richmenu.draw(tiles)


def test_no_thai_font_is_a_clear_message(monkeypatch, tmp_path, capsys):
    import fontpkg

    def missing(*a, **k):
        raise fontpkg.FamilyNotInstalled("Sarabun")
    monkeypatch.setattr(fontpkg, "path", missing)
    assert main(["richmenu", "preview", "--out", str(tmp_path / "m.png")]) == 1
    assert "Sarabun" in capsys.readouterr().err
    assert not (tmp_path / "m.png").exists()


def test_preview_writes_the_image(tmp_path, capsys):
    out = tmp_path / "menu.png"
    assert main(["richmenu", "preview", "--out", str(out)]) == 0
    assert Image.open(out).size == (2500, 1686)
    assert str(out.stat().st_size // 1000) in capsys.readouterr().out.replace(",", "")


def test_deploy_uploads_to_the_data_api_and_sets_the_default(line_env):
    api, data = line_env
    assert main(["richmenu", "deploy"]) == 0
    (rid, menu), = api.richmenus.items()
    ctype, image = api.richmenu_images[rid]
    assert ctype == "image/png" and Image.open(io.BytesIO(image)).size == (2500, 1686)
    assert [c["path"] for c in data.calls] == [f"/v2/bot/richmenu/{rid}/content"]  # images go to api-data
    assert not any(c["path"].endswith("/content") for c in api.calls)
    assert api.default_richmenu == rid
    assert menu["chatBarText"] and len(menu["areas"]) == 6


def test_deploying_again_replaces_the_previous_menu(line_env):
    api, _ = line_env
    api.richmenus["richmenu-" + "0" * 32] = {"name": "made by hand in another tool", "size": {"width": 2500, "height": 843},
                                            "selected": False, "chatBarText": "Menu", "areas": []}
    assert main(["richmenu", "deploy"]) == 0
    first = api.default_richmenu
    assert main(["richmenu", "deploy"]) == 0
    ours = [k for k, v in api.richmenus.items() if v["name"].startswith(richmenu.NAME_PREFIX)]
    assert ours == [api.default_richmenu] and api.default_richmenu != first
    assert "richmenu-" + "0" * 32 in api.richmenus  # other tools' menus are left alone


def test_a_failed_upload_leaves_no_orphan_and_keeps_the_old_menu(line_env, capsys):
    api, data = line_env
    assert main(["richmenu", "deploy"]) == 0
    before = dict(api.richmenus)
    data.fail_richmenu_images = 1
    assert main(["richmenu", "deploy"]) == 1
    assert texts.CLI_RICHMENU_LINE_REFUSED.split(":")[0] in capsys.readouterr().err
    assert api.richmenus == before and api.default_richmenu in before


def test_remove_takes_the_menu_down(line_env):
    api, _ = line_env
    assert main(["richmenu", "deploy"]) == 0
    assert main(["richmenu", "remove"]) == 0
    assert api.richmenus == {} and api.default_richmenu is None


def test_deploy_without_a_token_says_so(monkeypatch, capsys):
    monkeypatch.delenv("LINE_CHANNEL_ACCESS_TOKEN", raising=False)
    assert main(["richmenu", "deploy"]) == 2
    assert "LINE_CHANNEL_ACCESS_TOKEN" in capsys.readouterr().err


def test_the_committed_preview_is_what_the_catalogue_draws(menu):
    """docs/richmenu.png (shown in the README) must not go stale when the catalogue changes."""
    committed = Image.open(ROOT / "docs" / "richmenu.png").convert("RGB")
    drawn = Image.open(io.BytesIO(menu.image)).convert("RGB")
    assert committed.tobytes() == drawn.tobytes(), "run: python -m bot richmenu preview --out docs/richmenu.png"


def test_category_short_names_are_schema_checked(tmp_path, capsys):
    data = json.loads((ROOT / "catalogue.json").read_text(encoding="utf-8"))
    data["categories"][0]["short_name"] = "งานบริการเพื่อประชาชนทุกคน"  # over 20: a quick reply would cut it
    del data["categories"][1]["short_name"]
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["catalogue", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "categories/0/short_name" in out and "short_name" in out.split("categories/1")[1]


def test_every_tile_gets_the_reply_it_promises(client, fake_line, menu, catalogue):
    """Tap each area as LINE would send it (a postback event) and read the bot's reply."""
    for k, area in enumerate(menu.request["areas"]):
        ev = other_event("postback", user="U%032x" % (900 + k), postback={"data": area["action"]["data"]})
        post_events(client, [ev])
        messages = fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))[0]["body"]["messages"]
        data = {key: v[0] for key, v in parse_qs(area["action"]["data"]).items()}
        if data["action"] == "category":
            card = messages[0]
            rows = [r["action"]["data"] for r in card["contents"]["body"]["contents"] if r.get("action")]
            assert rows == [f"action=service&service={s['id']}" for s in catalogue.services
                            if s["category"] == data["category"]]
            # a row opens that service's card (with its link)
            sid = rows[0].split("=")[-1]
            tap = other_event("postback", user="U%032x" % (900 + k), postback={"data": rows[0]})
            post_events(client, [tap])
            assert catalogue.by_id[sid]["url"] in blob(fake_line.wait(lambda: fake_line.replies(tap["replyToken"])))
        elif data["action"] == "contact":
            uris = [b["action"]["uri"] for b in messages[0]["contents"]["footer"]["contents"] if "uri" in b["action"]]
            assert "tel:036795644" in uris
        elif data["action"] == "ask_staff":
            assert "#1" in messages[0]["text"]
            assert "#1" in blob(fake_line.wait(lambda: fake_line.pushes(STAFF)))
        else:
            assert data["action"] == "howto" and "คุยกับเจ้าหน้าที่" in messages[0]["text"]
    assert len(fake_line.pushes(STAFF)) == 1  # only "talk to staff" reaches staff
