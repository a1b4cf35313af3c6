"""Photos, voice messages, videos, files and locations reach staff with the villager's ticket,
fetched through the real SDK from the local fake LINE, kept in the database, served by signed links."""
import base64
import datetime as dt
import io
import logging
import re
import time

import pytest
from PIL import Image
from sqlalchemy import select, update

from bot import attachments
from bot.config import Config
from bot.db import Media, TicketMessage
from bot.learning import purge_texts
from tests.fakeline import FakeLine
from tests.conftest import SECRET, STAFF, TOKEN, blob, other_event, post_events, text_event
from webhook import create_app

PUBLIC = "https://oss-bot.example"
VILLAGER = "U" + "a" * 32
STAFFER = "U" + "b" * 32
PNG_1PX = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
M4A = b"\x00\x00\x00\x18ftypM4A " + bytes(range(256)) * 8
MP4 = b"\x00\x00\x00\x20ftypisom" + bytes(range(256)) * 12
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 10 + b"\n%%EOF\n"


def make_app(fake_line, db_url, **kw):
    cfg = dict(channel_secret=SECRET, access_token=TOKEN, api_endpoint=fake_line.url,
               data_api_endpoint=fake_line.url, database_url=db_url, staff_group_id=STAFF, background=False,
               try_page=False, public_url=PUBLIC, secret_key="media-test-key")
    cfg.update(kw)
    return create_app(Config(**cfg))


@pytest.fixture
def media_app(fake_line, sqlite_url):
    app = make_app(fake_line, sqlite_url)
    yield app
    app.extensions["bot"]["processor"].stop()
    app.extensions["bot"]["engine"].dispose()


def media_event(message: dict, user: str = VILLAGER) -> dict:
    return other_event("message", user=user, message=message)


def send(client, fake_line, message: dict, user: str = VILLAGER):
    ev = media_event(message, user)
    assert post_events(client, [ev]).status_code == 200
    return fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))


def links_in(obj) -> list[str]:
    return sorted(set(re.findall(re.escape(PUBLIC) + r"/media/[A-Za-z0-9_.\-]+", blob(obj))))


def open_link(client, url: str):
    return client.get(url[len(PUBLIC):])


def staff_says(client, fake_line, text):
    ev = text_event(text, user=STAFFER, group=STAFF)
    post_events(client, [ev])
    return fake_line.wait(lambda: fake_line.replies(ev["replyToken"]))


KINDS = [
    ("image", {"type": "image", "id": "700001", "quoteToken": "q1", "contentProvider": {"type": "line"}},
     "image/png", PNG_1PX),
    ("video", {"type": "video", "id": "700002", "quoteToken": "q2", "duration": 8000,
               "contentProvider": {"type": "line"}}, "video/mp4", MP4),
    ("audio", {"type": "audio", "id": "700003", "duration": 4000, "contentProvider": {"type": "line"}},
     "audio/x-m4a", M4A),
    ("file", {"type": "file", "id": "700004", "fileName": "คำร้อง.pdf", "fileSize": len(PDF)},
     "application/pdf", PDF),
]


@pytest.mark.parametrize("kind,message,ctype,data", KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_reaches_staff_and_opens_from_a_signed_link(media_app, fake_line, kind, message, ctype, data):
    fake_line.contents[message["id"]] = (ctype, data)
    c = media_app.test_client()
    reply = send(c, fake_line, message)
    assert "#1" in blob(reply) and "เจ้าหน้าที่" in blob(reply)
    card = fake_line.wait(lambda: fake_line.pushes(STAFF))
    assert "#1" in blob(card)
    # fetched from the data API with the channel token, before staff were told
    assert fake_line.downloads(message["id"])[0]["auth"] == "Bearer " + TOKEN
    urls = links_in(card)
    assert urls, "the staff card links to what the villager sent"
    r = open_link(c, urls[0])
    assert r.status_code == 200 and r.data == data and r.mimetype == ctype
    assert r.headers["Cache-Control"].startswith("private") and r.headers["X-Content-Type-Options"] == "nosniff"
    if kind == "image":  # the photo itself is on the card
        assert card[0]["body"]["messages"][0]["contents"]["hero"]["url"] == urls[0]
    if kind == "file":
        assert "คำร้อง.pdf" in blob(card)


def test_content_comes_from_the_data_api_endpoint(fake_line, sqlite_url):
    data_api = FakeLine()
    data_api.contents["705001"] = ("image/png", PNG_1PX)
    app = make_app(fake_line, sqlite_url, data_api_endpoint=data_api.url)
    try:
        send(app.test_client(), fake_line, KINDS[0][1] | {"id": "705001"})
        fake_line.wait(lambda: fake_line.pushes(STAFF))
        assert data_api.downloads("705001") and not fake_line.downloads("705001")
    finally:
        app.extensions["bot"]["processor"].stop()
        data_api.close()


def test_media_are_stored_in_the_database_on_both_backends(fake_line, db_url):
    """Any app server sharing the database can serve what another one fetched."""
    fake_line.contents["710001"] = ("image/jpeg", b"\xff\xd8\xff\xe0" + bytes(5000))
    first = make_app(fake_line, db_url)
    second = make_app(fake_line, db_url)
    try:
        send(first.test_client(), fake_line, KINDS[0][1] | {"id": "710001"})
        url = links_in(fake_line.wait(lambda: fake_line.pushes(STAFF)))[0]
        r = open_link(second.test_client(), url)
        assert r.status_code == 200 and r.data.startswith(b"\xff\xd8") and len(r.data) == 5004
        r = second.test_client().get(url[len(PUBLIC):], headers={"Range": "bytes=0-99"})  # phones stream audio/video
        assert r.status_code == 206 and len(r.data) == 100
    finally:
        for app in (first, second):
            app.extensions["bot"]["processor"].stop()
            app.extensions["bot"]["engine"].dispose()


def test_a_failed_fetch_is_retried_from_the_database(media_app, fake_line):
    fake_line.contents["720001"] = ("image/png", PNG_1PX)
    fake_line.fail_contents = 1
    c = media_app.test_client()
    send(c, fake_line, KINDS[0][1] | {"id": "720001"})
    card = fake_line.wait(lambda: fake_line.pushes(STAFF))
    url = links_in(card)[0]
    assert "กำลังดึงไฟล์" in blob(card)  # staff are told it is on its way
    r = open_link(c, url)
    assert r.status_code == 503 and r.headers["Retry-After"]
    processor = media_app.extensions["bot"]["processor"]
    with processor.sf() as s:
        row = s.scalars(select(Media)).one()
        assert row.status == "pending" and row.attempts == 1 and row.claimed_at is None
    processor.sweep()
    assert open_link(c, url).status_code == 503  # not due yet: backoff
    with processor.sf.begin() as s:
        s.execute(update(Media).values(next_attempt_at=dt.datetime(2000, 1, 1)))
    processor.sweep()
    assert len(fake_line.downloads("720001")) == 2
    r = open_link(c, url)  # the link staff already have now works
    assert r.status_code == 200 and r.data == PNG_1PX


def test_content_line_no_longer_has_is_said_not_retried(media_app, fake_line):
    c = media_app.test_client()
    send(c, fake_line, KINDS[0][1] | {"id": "730001"})  # the fake has no such content: 404
    card = fake_line.wait(lambda: fake_line.pushes(STAFF))
    assert "LINE ไม่มีไฟล์นี้แล้ว" in blob(card) and not links_in(card)
    processor = media_app.extensions["bot"]["processor"]
    with processor.sf.begin() as s:
        s.execute(update(Media).values(next_attempt_at=dt.datetime(2000, 1, 1)))
    processor.sweep()
    assert len(fake_line.downloads("730001")) == 1


def test_a_video_still_being_prepared_is_fetched_later(media_app, fake_line):
    fake_line.contents["740001"] = ("video/mp4", MP4)
    fake_line.transcoding = "processing"
    c = media_app.test_client()
    send(c, fake_line, KINDS[1][1] | {"id": "740001"})
    fake_line.wait(lambda: fake_line.pushes(STAFF))
    assert not fake_line.downloads("740001")
    fake_line.transcoding = "succeeded"
    processor = media_app.extensions["bot"]["processor"]
    with processor.sf.begin() as s:
        s.execute(update(Media).values(next_attempt_at=dt.datetime(2000, 1, 1)))
    processor.sweep()
    with processor.sf() as s:
        assert s.scalars(select(Media.status)).one() == "stored"


def test_too_large_content_is_not_kept_and_staff_are_told(fake_line, sqlite_url):
    app = make_app(fake_line, sqlite_url, media_max_bytes=1000)
    try:
        fake_line.contents["750001"] = ("application/pdf", PDF)
        fake_line.contents["750002"] = ("image/png", PNG_1PX + bytes(2000))
        c = app.test_client()
        send(c, fake_line, KINDS[3][1] | {"id": "750001"})  # the file says its size: not even downloaded
        assert not fake_line.downloads("750001")
        card = fake_line.wait(lambda: fake_line.pushes(STAFF))
        assert "ใหญ่เกิน" in blob(card)
        send(c, fake_line, KINDS[0][1] | {"id": "750002"})  # a photo is measured once downloaded
        sf = app.extensions["bot"]["processor"].sf

        def statuses():
            with sf() as s:
                return [(r.status, r.data) for r in s.scalars(select(Media).order_by(Media.id))]
        assert fake_line.wait(lambda: statuses() == [("too_large", None), ("too_large", None)])
    finally:
        app.extensions["bot"]["processor"].stop()


def test_a_big_photo_gets_a_small_preview(media_app, fake_line):
    im = Image.effect_noise((1600, 1200), 90).convert("RGB")
    out = io.BytesIO()
    im.save(out, "PNG")
    big = out.getvalue()
    assert len(big) > attachments.PREVIEW_MAX_BYTES
    fake_line.contents["760001"] = ("image/png", big)
    c = media_app.test_client()
    send(c, fake_line, KINDS[0][1] | {"id": "760001"})
    hero = fake_line.wait(lambda: fake_line.pushes(STAFF))[0]["body"]["messages"][0]["contents"]["hero"]
    full, preview = open_link(c, hero["action"]["uri"]), open_link(c, hero["url"])
    assert full.data == big
    assert preview.mimetype == "image/jpeg" and len(preview.data) <= attachments.PREVIEW_MAX_BYTES
    assert max(Image.open(io.BytesIO(preview.data)).size) <= attachments.PREVIEW_SIDE


def test_tampered_and_expired_links_give_nothing(media_app, fake_line, monkeypatch):
    fake_line.contents["770001"] = ("image/png", PNG_1PX)
    c = media_app.test_client()
    send(c, fake_line, KINDS[0][1] | {"id": "770001"})
    url = links_in(fake_line.wait(lambda: fake_line.pushes(STAFF)))[0]
    token = url.rsplit("/", 1)[1]
    for i in (3, len(token) // 2, len(token) - 2):
        bad = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1:]
        r = c.get("/media/" + bad)
        assert r.status_code in (403, 404) and PNG_1PX not in r.data
    # a genuine link for a row id whose nonce differs (an id reused after a purge) opens nothing
    links = media_app.extensions["bot"]["links"]
    with media_app.extensions["bot"]["processor"].sf() as s:
        row = s.scalars(select(Media)).one()
        s.expunge(row)
    row.nonce = "0" * 16
    assert c.get(links.url(row)[len(PUBLIC):]).status_code == 404
    # signed with another key
    other = attachments.Links(PUBLIC, "another-key")
    row.nonce = media_app.extensions["bot"]["processor"].sf().get(Media, row.id).nonce
    assert c.get(other.url(row)[len(PUBLIC):]).status_code == 403
    # a link older than its lifetime
    real_time = time.time
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: real_time() - links.lifetime.total_seconds() - 60)
    old = links.url(row)
    monkeypatch.setattr("itsdangerous.timed.time.time", real_time)
    r = c.get(old[len(PUBLIC):])
    assert r.status_code == 403 and PNG_1PX not in r.data


def test_hash_n_lists_every_item_with_fresh_links_and_the_photo(media_app, fake_line):
    fake_line.contents.update({"780001": ("image/png", PNG_1PX), "780003": ("application/pdf", PDF)})
    c = media_app.test_client()
    send(c, fake_line, {"type": "text", "id": "780000", "text": "ถนนหน้าบ้านพังค่ะ", "quoteToken": "q0"})
    send(c, fake_line, KINDS[0][1] | {"id": "780001"})
    send(c, fake_line, KINDS[3][1] | {"id": "780003", "fileName": "บัตร 1234567890123.pdf"})
    loc = send(c, fake_line, {"type": "location", "id": "780004", "title": "หน้าวัดบ่อทอง",
                              "address": "หมู่ 3 ต.บ่อทอง", "latitude": 14.912345, "longitude": 100.845678})
    assert "#1" in blob(loc)
    sf = media_app.extensions["bot"]["processor"].sf

    def fetched() -> bool:  # the photo and the file come from LINE in the background
        with sf() as s:
            return sorted(r.status for r in s.scalars(select(Media).where(Media.kind.in_(("image", "file"))))) \
                == ["stored", "stored"]
    assert fake_line.wait(fetched)
    shown = staff_says(c, fake_line, "#1")
    text = blob(shown)
    assert "ถนนหน้าบ้านพัง" in text and "หน้าวัดบ่อทอง" in text and "14.912345" in text
    assert "https://www.google.com/maps?q=14.912345,100.845678" in text
    assert "1234567890123" not in text and "บัตร x-xxxx-xxxx0-12-3.pdf" in text
    urls = links_in(shown)
    opened = {open_link(c, u).data for u in urls}
    assert PNG_1PX in opened and PDF in opened
    images = [m for m in shown[0]["body"]["messages"] if m["type"] == "image"]
    assert images and open_link(c, images[0]["originalContentUrl"]).data == PNG_1PX


def test_a_location_alone_opens_a_ticket_and_asks_what_it_is_about(media_app, fake_line):
    c = media_app.test_client()
    reply = send(c, fake_line, {"type": "location", "id": "790001", "title": "เสาไฟหน้าบ้าน",
                                "address": "หมู่ 5 ต.บ่อทอง", "latitude": 14.9, "longitude": 100.8})
    assert "#1" in blob(reply) and "เกี่ยวกับเรื่องอะไร" in blob(reply)
    card = fake_line.wait(lambda: fake_line.pushes(STAFF))
    assert "เสาไฟหน้าบ้าน" in blob(card) and "https://www.google.com/maps?q=14.900000,100.800000" in blob(card)
    # the explanation that follows joins the same ticket
    follow = send(c, fake_line, {"type": "text", "id": "790002", "text": "ไฟทางตรงนี้ดับมาสามวันแล้ว",
                                 "quoteToken": "q2"})
    assert "#1" in blob(follow)


def test_a_sticker_is_small_talk(media_app, fake_line):
    c = media_app.test_client()
    reply = send(c, fake_line, {"type": "sticker", "id": "795001", "quoteToken": "q", "packageId": "446",
                                "stickerId": "1988", "stickerResourceType": "STATIC"})
    assert reply and "สติกเกอร์" in blob(reply)
    assert not fake_line.wait(lambda: fake_line.pushes(STAFF), 0.5)


def test_media_in_another_group_open_no_ticket(media_app, fake_line):
    c = media_app.test_client()
    ev = other_event("message", user=VILLAGER, group="C" + "9" * 32, message=KINDS[0][1] | {"id": "796001"})
    post_events(c, [ev])
    assert not fake_line.wait(lambda: fake_line.pushes(STAFF), 0.5)
    assert not fake_line.downloads("796001")


def test_purge_deletes_media_and_locations_with_the_texts(media_app, fake_line):
    fake_line.contents["797001"] = ("image/png", PNG_1PX)
    c = media_app.test_client()
    send(c, fake_line, KINDS[0][1] | {"id": "797001"})
    send(c, fake_line, {"type": "location", "id": "797002", "title": "บ้าน", "address": "หมู่ 1",
                        "latitude": 14.91, "longitude": 100.84})
    url = links_in(fake_line.wait(lambda: fake_line.pushes(STAFF)))[0]
    assert open_link(c, url).status_code == 200
    sf = media_app.extensions["bot"]["processor"].sf
    assert purge_texts(sf, dt.timedelta(days=-1))["media and locations"] == 0  # staff still work on the ticket
    staff_says(c, fake_line, "ปิด #1")
    counts = purge_texts(sf, dt.timedelta(days=-1))  # everything is "older" than tomorrow
    assert counts["media and locations"] == 2
    with sf() as s:
        assert not s.scalars(select(Media)).all()
        assert all(m.text is None for m in s.scalars(select(TicketMessage)))  # coordinates were in a text too
    assert open_link(c, url).status_code == 404


def test_logs_carry_neither_content_nor_signed_links(media_app, fake_line, caplog):
    caplog.set_level(logging.DEBUG)
    fake_line.contents["798001"] = ("application/pdf", PDF)
    c = media_app.test_client()
    send(c, fake_line, KINDS[3][1] | {"id": "798001"})
    card = fake_line.wait(lambda: fake_line.pushes(STAFF))
    token = links_in(card)[0].rsplit("/", 1)[1]
    from bot.privacy import MaskingFilter
    lines = []
    for record in caplog.records:
        MaskingFilter().filter(record)
        lines.append(record.getMessage())
    text = "\n".join(lines)
    assert token not in text and "%PDF" not in text and "คำร้อง" not in text


def test_settings_for_media_and_a_kept_secret(tmp_path):
    from bot.config import instance_secret
    key = instance_secret(tmp_path)
    assert key == instance_secret(tmp_path) and (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    env = {"PUBLIC_URL": "https://bot.example/", "LINE_DATA_API_ENDPOINT": "http://127.0.0.1:9",
           "MEDIA_MAX_BYTES": "1000"}
    cfg = Config.from_env(env, instance_path=tmp_path)
    assert cfg.public_url == "https://bot.example" and cfg.data_api_endpoint == "http://127.0.0.1:9"
    assert cfg.media_max_bytes == 1000
    cfg = Config.from_env({}, instance_path=tmp_path)
    assert cfg.data_api_endpoint == "https://api-data.line.me" and cfg.media_max_bytes == 25 * 1024 * 1024
