"""Everything LINE: signature check, event parsing, reply/push/profile/quota/content calls.

The rest of the bot speaks in plain dicts (messages) and ``Incoming`` (events). Every API call
carries a timeout.

The webhook's hot path talks JSON to the Messaging API directly over a pool of kept-alive
connections (``_Http``: the standard library's ``http.client``), and reads events from the
webhook's dicts. urllib3 (the SDK's client) cost ~1.2 ms of CPU a call against ~0.65 ms for
``http.client`` alone: its layers of pools, retries and response wrappers the bot does not use
(the outbox retries).
The SDK's typed route cost more than the rest of a delivery: importing ``linebot.v3.messaging``
and ``linebot.v3.webhooks`` (every model of the API) adds ~60 MB to each worker, and a reply
through it validated, serialised and parsed models (~3 ms of CPU) for dicts ``bot.replies``
already keeps within LINE's limits. The SDK still does the rich menu (``RichMenuApi``: an
admin's command, imported only there).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import logging
import select
import socket
import ssl
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, urlsplit

import orjson
import urllib3

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://api.line.me"
DEFAULT_DATA_ENDPOINT = "https://api-data.line.me"  # message content, rich menu images
TIMEOUT = (2.0, 2.5)  # connect, read (seconds); bot.outbox.CLAIM_LEASE is longer than both together
UPLOAD_TIMEOUT = (3.05, 60.0)  # a rich menu image is up to 1 MB, sent from an admin's connection
CONTENT_TIMEOUT = (3.05, 20.0)  # a video takes longer to come down than a reply to go up
# Kept-alive connections per host: as many as the threads that send at once (bot.worker's pool),
# so a call finds an idle connection instead of opening (and TLS-handshaking) a new one.
CONNECTIONS = 16
USER_AGENT = "bothong-oss-bot (+line-bot-sdk-python compatible)"


class SendError(Exception):
    """A call LINE did not accept. ``transient``: worth retrying (5xx, 429, timeout)."""

    def __init__(self, message: str, status: int | None = None, transient: bool = True):
        super().__init__(message)
        self.status = status
        self.transient = transient


@dataclass
class Incoming:
    """One webhook event, as the bot needs it."""

    event_id: str
    kind: str                      # message|follow|unfollow|postback|join|leave|other
    source_type: str = "user"      # user|group|room
    user_id: str | None = None
    chat_id: str | None = None     # where a push to this conversation goes (group/room/user id)
    reply_token: str | None = None
    message_type: str | None = None  # text|sticker|image|video|audio|file|location
    message_id: str | None = None
    text: str | None = None
    quoted_message_id: str | None = None
    mentions_bot: bool = False
    postback: dict[str, str] = field(default_factory=dict)  # a postback's data, parsed (first value per key)
    timestamp_ms: int = 0
    redelivery: bool = False
    standby: bool = False          # another module holds the chat: the bot must stay quiet
    attachment: Attachment | None = None  # what a photo/voice/video/file/location message carries


@dataclass
class Attachment:
    """The facts of a non-text message; its content is fetched later (``LineApi.content``)."""

    external_url: str | None = None  # content hosted by another provider, not by LINE
    file_name: str | None = None
    file_size: int | None = None
    duration_ms: int | None = None
    title: str | None = None         # location
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None


def verify_signature(channel_secret: str, body: str | bytes, signature: str) -> bool:
    """``X-Line-Signature`` is the base64 HMAC-SHA256 of the raw body with the channel secret
    (what the SDK's ``SignatureValidator`` checks; importing it loads every webhook model)."""
    if not signature:
        return False
    raw = body.encode("utf-8") if isinstance(body, str) else body
    expected = base64.b64encode(hmac.new(channel_secret.encode("utf-8"), raw, hashlib.sha256).digest())
    return hmac.compare_digest(signature.encode("utf-8"), expected)


# -- events: LINE's JSON, read defensively (a field of the wrong type is as if absent) -----------
def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _str(value) -> str | None:
    return value if isinstance(value, str) else None


def _number(value, kind: type):
    return kind(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _source(raw: dict) -> tuple[str, str | None, str | None]:
    src = _dict(raw.get("source"))
    kind = _str(src.get("type")) or "user"
    user = _str(src.get("userId"))
    chat = _str(src.get("groupId")) or _str(src.get("roomId")) or user
    return kind, user, chat


def _attachment(msg: dict) -> Attachment:
    provider = _dict(msg.get("contentProvider"))
    return Attachment(external_url=_str(provider.get("originalContentUrl")) if provider.get("type") == "external" else None,
                      file_name=_str(msg.get("fileName")), file_size=_number(msg.get("fileSize"), int),
                      duration_ms=_number(msg.get("duration"), int), title=_str(msg.get("title")),
                      address=_str(msg.get("address")), latitude=_number(msg.get("latitude"), float),
                      longitude=_number(msg.get("longitude"), float))


def _mentions_self(msg: dict) -> bool:
    mentionees = _dict(msg.get("mention")).get("mentionees")
    return isinstance(mentionees, list) and any(_dict(m).get("isSelf") is True for m in mentionees)


def parse_event(raw: dict) -> Incoming:
    """One webhook event (a dict, as LINE sent it) as the bot needs it; unknown kinds are "other"."""
    source_type, user_id, chat_id = _source(raw)
    kind = raw.get("type")
    inc = Incoming(event_id=_str(raw.get("webhookEventId")) or "", kind="other", source_type=source_type,
                   user_id=user_id, chat_id=chat_id, reply_token=_str(raw.get("replyToken")),
                   timestamp_ms=_number(raw.get("timestamp"), int) or 0,
                   redelivery=_dict(raw.get("deliveryContext")).get("isRedelivery") is True,
                   standby=raw.get("mode") == "standby")
    if kind == "message":
        msg = _dict(raw.get("message"))
        message_id = msg.get("id")
        inc.kind, inc.message_type = "message", _str(msg.get("type"))
        inc.message_id = str(message_id) if isinstance(message_id, (str, int)) and message_id != "" else None
        if inc.message_type == "text":
            inc.text = _str(msg.get("text"))
            inc.quoted_message_id = _str(msg.get("quotedMessageId"))
            inc.mentions_bot = _mentions_self(msg)
        elif inc.message_type and inc.message_type != "sticker":
            inc.attachment = _attachment(msg)
    elif kind == "postback":
        inc.kind, inc.postback = "postback", parse_postback(_str(_dict(raw.get("postback")).get("data")))
    elif kind in ("follow", "unfollow", "join"):
        inc.kind = kind
    return inc


def parse_postback(data: str | None) -> dict[str, str]:
    """``action=take&ticket=12`` -> ``{"action": "take", "ticket": "12"}`` (our buttons' data)."""
    return {k: v[0] for k, v in parse_qs(data or "").items()}


def _sent_ids(data: bytes) -> list[str]:
    """The ids of the messages LINE sent (``sentMessages``); staff quote a card by its id."""
    try:
        sent = json.loads(data or b"{}").get("sentMessages") or []
        return [str(m["id"]) for m in sent if isinstance(m, dict) and "id" in m]
    except (ValueError, AttributeError):
        return []


class _Response:
    __slots__ = ("status", "headers", "data")

    def __init__(self, status: int, headers: dict[str, str], data: bytes):
        self.status, self.headers, self.data = status, headers, data  # headers: lower-case names


class _Http:
    """Kept-alive HTTP/1.1 connections (the standard library's ``http.client``), one request at a
    time on each (thread-safe: a connection is taken from the idle list for a request and put
    back once its response is read). No retries: a failed call raises ``OSError`` or
    ``http.client.HTTPException`` and the connection is dropped."""

    def __init__(self, maxsize: int = CONNECTIONS):
        self._idle: dict[tuple[str, str, int], list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        self._maxsize = maxsize
        self._tls: ssl.SSLContext | None = None

    def _connect(self, scheme: str, host: str, port: int, timeout) -> http.client.HTTPConnection:
        if scheme == "https":
            if self._tls is None:
                self._tls = ssl.create_default_context()
            conn = http.client.HTTPSConnection(host, port, timeout=timeout.connect_timeout, context=self._tls)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout.connect_timeout)
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    @staticmethod
    def _dropped(conn: http.client.HTTPConnection) -> bool:
        """An idle kept-alive connection the server closed (or that has stray bytes): not reusable."""
        try:
            return conn.sock is None or bool(select.select([conn.sock], [], [], 0)[0])
        except (OSError, ValueError):
            return True

    def _take(self, key: tuple[str, str, int]) -> http.client.HTTPConnection | None:
        with self._lock:
            idle = self._idle.get(key)
            while idle:
                conn = idle.pop()
                if not self._dropped(conn):
                    return conn
                conn.close()
        return None

    def _give_back(self, key: tuple[str, str, int], conn: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self._maxsize:
                idle.append(conn)
                return
        conn.close()

    def request(self, method: str, url: str, body: bytes | None, headers: dict[str, str], timeout) -> _Response:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname or ""
        port = parts.port or (443 if scheme == "https" else 80)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        key = (scheme, host, port)
        conn = self._take(key) or self._connect(scheme, host, port, timeout)
        try:
            conn.sock.settimeout(timeout.read_timeout)
            conn.request(method, path, body=body, headers=headers)
            res = conn.getresponse()
            answer = _Response(res.status, {k.lower(): v for k, v in res.getheaders()}, res.read())
        except BaseException:
            conn.close()
            raise
        if res.will_close:
            conn.close()
        else:
            self._give_back(key, conn)
        return answer


class LineApi:
    """The Messaging API calls the bot makes: JSON over kept-alive connections, each with a timeout."""

    def __init__(self, access_token: str, endpoint: str = DEFAULT_ENDPOINT, timeout=TIMEOUT,
                 data_endpoint: str = DEFAULT_DATA_ENDPOINT):
        self._api = endpoint.rstrip("/")
        self._data = data_endpoint.rstrip("/")
        self._timeout = urllib3.Timeout(connect=timeout[0], read=timeout[1])
        self._headers = {"Authorization": f"Bearer {access_token}", "User-Agent": USER_AGENT}
        # no retries here: the outbox retries, with backoff and the push's retry key (thread-safe pool)
        self._http = _Http(CONNECTIONS)

    def _call(self, what: str, method: str, url: str, payload: dict | None = None, headers: dict | None = None,
              timeout=None) -> _Response:
        body = orjson.dumps(payload) if payload is not None else None  # UTF-8, as LINE expects
        headers = {**self._headers, **({"Content-Type": "application/json"} if body else {}), **(headers or {})}
        try:
            res = self._http.request(method, url, body, headers, timeout or self._timeout)
        except (OSError, ValueError, http.client.HTTPException) as e:  # timeouts, refused or dropped, garbled
            raise SendError(f"{what} failed: {type(e).__name__}", None, True) from e
        if res.status >= 300:
            raise SendError(f"{what} failed: HTTP {res.status} {res.data[:300]!r}", res.status,
                            res.status >= 500 or res.status == 429)
        return res

    def _get_json(self, what: str, path: str) -> dict:
        return _dict(json.loads(self._call(what, "GET", self._api + path).data or b"{}"))

    def reply(self, reply_token: str, messages: list[dict]) -> list[str]:
        """Send a reply; returns the sent message ids."""
        res = self._call("reply", "POST", self._api + "/v2/bot/message/reply",
                         {"replyToken": reply_token, "messages": messages})
        return _sent_ids(res.data)

    def push(self, to: str, messages: list[dict], retry_key: str) -> list[str]:
        """Push with an idempotency key; a 409 means LINE already accepted this key: success."""
        try:
            res = self._call("push", "POST", self._api + "/v2/bot/message/push", {"to": to, "messages": messages},
                             {"X-Line-Retry-Key": retry_key})
        except SendError as e:
            if e.status == 409:
                return []
            raise
        return _sent_ids(res.data)

    def display_name(self, user_id: str, group_id: str | None = None) -> str | None:
        path = (f"/v2/bot/group/{quote(group_id, safe='')}/member/{quote(user_id, safe='')}" if group_id
                else f"/v2/bot/profile/{quote(user_id, safe='')}")
        try:
            return _str(self._get_json("profile", path).get("displayName"))
        except (SendError, ValueError) as e:
            log.info("profile lookup failed: %s", type(e).__name__)
            return None

    def push_quota(self) -> tuple[int | None, int | None]:
        """(monthly limit or None when unlimited, used this month)."""
        try:
            quota = self._get_json("quota", "/v2/bot/message/quota")
            used = self._get_json("quota consumption", "/v2/bot/message/quota/consumption")
        except (SendError, ValueError) as e:
            log.info("quota lookup failed: %s", type(e).__name__)
            return None, None
        return (_number(quota.get("value"), int) if quota.get("type") == "limited" else None), \
            _number(used.get("totalUsage"), int)

    def content(self, message_id: str, transcoded: bool = False) -> tuple[bytes, str | None]:
        """The bytes of a photo, voice message, video or file, and their content type.

        ``transcoded``: a video or voice message LINE may still be preparing; asked first so a
        not-yet-ready one is a transient error (retried) rather than an empty download."""
        path = f"{self._data}/v2/bot/message/{quote(str(message_id), safe='')}/content"
        if transcoded:
            try:
                state = _dict(json.loads(self._call("content", "GET", path + "/transcoding").data or b"{}")).get("status")
            except ValueError as e:
                raise SendError("content status unreadable", None, True) from e
            if state == "processing":
                raise SendError("content is still being prepared", None, True)
            if state == "failed":
                raise SendError("LINE could not prepare the content", None, False)
        res = self._call("content", "GET", path, timeout=urllib3.Timeout(connect=CONTENT_TIMEOUT[0],
                                                                          read=CONTENT_TIMEOUT[1]))
        return bytes(res.data or b""), res.headers.get("content-type")


class RichMenuApi:
    """The rich menu calls (an admin's command, not the webhook), through the official SDK:
    create, image, default, list, delete. The SDK is imported here, not by the workers."""

    def __init__(self, access_token: str, endpoint: str = DEFAULT_ENDPOINT,
                 data_endpoint: str = DEFAULT_DATA_ENDPOINT, timeout=TIMEOUT, upload_timeout=UPLOAD_TIMEOUT):
        from linebot.v3 import messaging
        self._sdk = messaging
        self._clients = []
        self._api = messaging.MessagingApi(self._client(access_token, endpoint))
        self._blob = messaging.MessagingApiBlob(self._client(access_token, data_endpoint))  # images go to api-data
        self._timeout, self._upload_timeout = timeout, upload_timeout

    def _client(self, access_token: str, host: str):
        config = self._sdk.Configuration(host=host.rstrip("/"), access_token=access_token)
        config.retries = urllib3.Retry(total=0, redirect=0)
        client = self._sdk.ApiClient(config)
        self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except self._sdk.ApiException as e:
            status = e.status or 0
            body = (e.body or b"")[:300] if isinstance(e.body, (bytes, bytearray)) else str(e.body or "")[:300]
            raise SendError(f"{what} failed: HTTP {status} {body!r}", status, status >= 500 or status == 429) from e
        except (urllib3.exceptions.HTTPError, OSError) as e:
            raise SendError(f"{what} failed: {type(e).__name__}", None, True) from e

    def create(self, menu: dict) -> str:
        """Create a rich menu from its JSON (size, areas, chatBarText...); returns its id."""
        request = self._sdk.RichMenuRequest.from_dict(menu)
        return self._call("create rich menu", self._api.create_rich_menu, request,
                          _request_timeout=self._timeout).rich_menu_id

    def upload_image(self, menu_id: str, image: bytes, content_type: str) -> None:
        # The SDK ignores its own _content_type here; without the header it would JSON-encode the bytes.
        self._call("upload rich menu image", self._blob.set_rich_menu_image, menu_id, image,
                   _headers={"Content-Type": content_type}, _request_timeout=self._upload_timeout)

    def set_default(self, menu_id: str) -> None:
        self._call("set default rich menu", self._api.set_default_rich_menu, menu_id, _request_timeout=self._timeout)

    def cancel_default(self) -> None:
        self._call("cancel default rich menu", self._api.cancel_default_rich_menu, _request_timeout=self._timeout)

    def list(self) -> list[tuple[str, str]]:
        """(id, name) of every rich menu of the channel."""
        res = self._call("list rich menus", self._api.get_rich_menu_list, _request_timeout=self._timeout)
        return [(m.rich_menu_id, m.name) for m in (res.richmenus or [])]

    def delete(self, menu_id: str) -> None:
        self._call("delete rich menu", self._api.delete_rich_menu, menu_id, _request_timeout=self._timeout)
