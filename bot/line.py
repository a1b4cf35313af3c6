"""Everything LINE: signature check, event parsing, reply/push/profile/quota calls.

The rest of the bot speaks in plain dicts (messages) and ``Incoming`` (events) and never imports
the SDK. Every API call carries a timeout: the SDK has none by default.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import urllib3
from linebot.v3.messaging import (ApiClient, ApiException, Configuration, MessagingApi, MessagingApiBlob,
                                  RichMenuRequest)
from linebot.v3.webhook import SignatureValidator
from linebot.v3.webhooks import (Event, FollowEvent, JoinEvent, MessageEvent, PostbackEvent,
                                 TextMessageContent, UnfollowEvent)

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://api.line.me"
DEFAULT_DATA_ENDPOINT = "https://api-data.line.me"  # message content, rich menu images
TIMEOUT = (2.0, 2.5)  # connect, read (seconds); bot.outbox.CLAIM_LEASE is longer than both together
UPLOAD_TIMEOUT = (3.05, 60.0)  # a rich menu image is up to 1 MB, sent from an admin's connection
CONTENT_TIMEOUT = (3.05, 20.0)  # a video takes longer to come down than a reply to go up


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


def _attachment(msg) -> Attachment:
    provider = getattr(msg, "content_provider", None)
    external = provider.original_content_url if provider is not None and provider.type == "external" else None
    return Attachment(external_url=external, file_name=getattr(msg, "file_name", None),
                      file_size=getattr(msg, "file_size", None), duration_ms=getattr(msg, "duration", None),
                      title=getattr(msg, "title", None), address=getattr(msg, "address", None),
                      latitude=getattr(msg, "latitude", None), longitude=getattr(msg, "longitude", None))


def verify_signature(channel_secret: str, body: str, signature: str) -> bool:
    if not signature:
        return False
    return SignatureValidator(channel_secret).validate(body, signature)


def _source(raw: dict) -> tuple[str, str | None, str | None]:
    src = raw.get("source") or {}
    kind = src.get("type", "user")
    user = src.get("userId")
    chat = src.get("groupId") or src.get("roomId") or user
    return kind, user, chat


def parse_event(raw: dict) -> Incoming:
    """Convert one event dict (as LINE sent it) with the SDK's own models."""
    source_type, user_id, chat_id = _source(raw)
    base = dict(event_id=raw.get("webhookEventId") or "", source_type=source_type, user_id=user_id,
                chat_id=chat_id, reply_token=raw.get("replyToken"), timestamp_ms=int(raw.get("timestamp") or 0),
                redelivery=bool((raw.get("deliveryContext") or {}).get("isRedelivery")),
                standby=raw.get("mode") == "standby")
    try:
        ev = Event.from_dict(raw)
    except (ValueError, TypeError, KeyError) as e:  # shapes the SDK does not know
        log.info("unparsed webhook event type=%s: %s", raw.get("type"), type(e).__name__)
        msg = (raw.get("message") or {}) if raw.get("type") == "message" else {}
        msg_type, msg_id = msg.get("type"), msg.get("id")
        return Incoming(kind="message" if msg_type else "other", message_type=msg_type,
                        message_id=str(msg_id) if msg_id else None,
                        attachment=Attachment() if msg_type and msg_type not in ("text", "sticker") else None, **base)
    if isinstance(ev, MessageEvent):
        msg = ev.message
        mtype = (raw.get("message") or {}).get("type")
        inc = Incoming(kind="message", message_type=mtype, message_id=getattr(msg, "id", None), **base)
        if isinstance(msg, TextMessageContent):
            inc.text = msg.text
            inc.quoted_message_id = msg.quoted_message_id
            mention = msg.mention
            inc.mentions_bot = bool(mention and any(getattr(m, "is_self", False) for m in mention.mentionees))
        elif mtype != "sticker":
            inc.attachment = _attachment(msg)
        return inc
    if isinstance(ev, PostbackEvent):
        return Incoming(kind="postback", postback=parse_postback(ev.postback.data), **base)
    if isinstance(ev, FollowEvent):
        return Incoming(kind="follow", **base)
    if isinstance(ev, UnfollowEvent):
        return Incoming(kind="unfollow", **base)
    if isinstance(ev, JoinEvent):
        return Incoming(kind="join", **base)
    return Incoming(kind="other", **base)


def parse_postback(data: str | None) -> dict[str, str]:
    """``action=take&ticket=12`` -> ``{"action": "take", "ticket": "12"}`` (our buttons' data)."""
    return {k: v[0] for k, v in parse_qs(data or "").items()}


def _raise_for(e: Exception, what: str) -> None:
    if isinstance(e, ApiException):
        status = e.status or 0
        transient = status >= 500 or status == 429
        body = (e.body or b"")[:300] if isinstance(e.body, (bytes, bytearray)) else str(e.body or "")[:300]
        raise SendError(f"{what} failed: HTTP {status} {body!r}", status, transient) from e
    raise SendError(f"{what} failed: {type(e).__name__}", None, True) from e


class LineApi:
    """The Messaging API calls the bot makes, through the official SDK."""

    def __init__(self, access_token: str, endpoint: str = DEFAULT_ENDPOINT, timeout=TIMEOUT,
                 data_endpoint: str = DEFAULT_DATA_ENDPOINT):
        self._config = Configuration(host=endpoint.rstrip("/"), access_token=access_token)
        self._config.retries = urllib3.Retry(total=0, redirect=0)  # the outbox retries, with backoff
        self._timeout = timeout
        self._client = ApiClient(self._config)  # pooled connections, thread-safe (urllib3)
        self._api = MessagingApi(self._client)
        data_config = Configuration(host=data_endpoint.rstrip("/"), access_token=access_token)
        data_config.retries = urllib3.Retry(total=0, redirect=0)  # retried from the database instead
        self._blob = MessagingApiBlob(ApiClient(data_config))

    def _post_messages(self, path: str, body: dict, headers: dict | None = None) -> list[str]:
        """POST a reply or push through the SDK's client (auth, pooled connections, timeout,
        ``ApiException``) with our plain-dict messages as the JSON body. The typed route
        (``Message.from_dict``, a request model, argument validation twice, serialising back)
        cost ~3 ms of CPU per call for dicts ``bot.replies`` already keeps within LINE's limits."""
        res = self._client.call_api(path, "POST", header_params={"Accept": "application/json",
                                                                 "Content-Type": "application/json",
                                                                 **(headers or {})},
                                    body=body, response_types_map={"200": "ReplyMessageResponse"},
                                    auth_settings=["Bearer"], _return_http_data_only=True,
                                    _request_timeout=self._timeout, _host=DEFAULT_ENDPOINT)
        return [m.id for m in (res.sent_messages or [])] if res is not None else []

    def reply(self, reply_token: str, messages: list[dict]) -> list[str]:
        """Send a reply; returns the sent message ids."""
        try:
            return self._post_messages("/v2/bot/message/reply", {"replyToken": reply_token, "messages": messages})
        except (ApiException, urllib3.exceptions.HTTPError, OSError) as e:
            _raise_for(e, "reply")

    def push(self, to: str, messages: list[dict], retry_key: str) -> list[str]:
        """Push with an idempotency key; a 409 means LINE already accepted this key: success."""
        try:
            return self._post_messages("/v2/bot/message/push", {"to": to, "messages": messages},
                                       {"X-Line-Retry-Key": retry_key})
        except ApiException as e:
            if e.status == 409:
                return []
            _raise_for(e, "push")
        except (urllib3.exceptions.HTTPError, OSError) as e:
            _raise_for(e, "push")

    def display_name(self, user_id: str, group_id: str | None = None) -> str | None:
        try:
            if group_id:
                return self._api.get_group_member_profile(group_id, user_id, _request_timeout=self._timeout).display_name
            return self._api.get_profile(user_id, _request_timeout=self._timeout).display_name
        except (ApiException, urllib3.exceptions.HTTPError, OSError, ValueError) as e:
            log.info("profile lookup failed: %s", type(e).__name__)
            return None

    def push_quota(self) -> tuple[int | None, int | None]:
        """(monthly limit or None when unlimited, used this month)."""
        try:
            quota = self._api.get_message_quota(_request_timeout=self._timeout)
            used = self._api.get_message_quota_consumption(_request_timeout=self._timeout)
        except (ApiException, urllib3.exceptions.HTTPError, OSError, ValueError) as e:
            log.info("quota lookup failed: %s", type(e).__name__)
            return None, None
        return (quota.value if quota.type == "limited" else None), used.total_usage

    def content(self, message_id: str, transcoded: bool = False) -> tuple[bytes, str | None]:
        """The bytes of a photo, voice message, video or file, and their content type.

        ``transcoded``: a video or voice message LINE may still be preparing; asked first so a
        not-yet-ready one is a transient error (retried) rather than an empty download."""
        try:
            if transcoded:
                state = self._blob.get_message_content_transcoding_by_message_id(
                    message_id, _request_timeout=self._timeout).status
                if state == "processing":
                    raise SendError("content is still being prepared", None, True)
                if state == "failed":
                    raise SendError("LINE could not prepare the content", None, False)
            res = self._blob.get_message_content_with_http_info(message_id, _request_timeout=CONTENT_TIMEOUT)
        except (ApiException, urllib3.exceptions.HTTPError, OSError) as e:
            _raise_for(e, "content")
        return bytes(res.data or b""), (res.headers or {}).get("Content-Type")


class RichMenuApi:
    """The rich menu calls (an admin's command, not the webhook): create, image, default, list, delete."""

    def __init__(self, access_token: str, endpoint: str = DEFAULT_ENDPOINT,
                 data_endpoint: str = DEFAULT_DATA_ENDPOINT, timeout=TIMEOUT, upload_timeout=UPLOAD_TIMEOUT):
        self._clients = []
        self._api = MessagingApi(self._client(access_token, endpoint))
        self._blob = MessagingApiBlob(self._client(access_token, data_endpoint))  # images go to api-data
        self._timeout, self._upload_timeout = timeout, upload_timeout

    def _client(self, access_token: str, host: str) -> ApiClient:
        config = Configuration(host=host.rstrip("/"), access_token=access_token)
        config.retries = urllib3.Retry(total=0, redirect=0)
        client = ApiClient(config)
        self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (ApiException, urllib3.exceptions.HTTPError, OSError) as e:
            _raise_for(e, what)

    def create(self, menu: dict) -> str:
        """Create a rich menu from its JSON (size, areas, chatBarText...); returns its id."""
        request = RichMenuRequest.from_dict(menu)
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
