"""Everything LINE: signature check, event parsing, reply/push/profile/quota calls.

The rest of the bot speaks in plain dicts (messages) and ``Incoming`` (events) and never imports
the SDK. Every API call carries a timeout: the SDK has none by default.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import urllib3
from linebot.v3.messaging import (ApiClient, ApiException, Configuration, Message, MessagingApi,
                                  PushMessageRequest, ReplyMessageRequest)
from linebot.v3.webhook import SignatureValidator
from linebot.v3.webhooks import (Event, FollowEvent, JoinEvent, MessageEvent, PostbackEvent,
                                 TextMessageContent, UnfollowEvent)

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://api.line.me"
TIMEOUT = (3.05, 6.0)  # connect, read (seconds); the outbox claim lease is longer than both


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
        msg_type = (raw.get("message") or {}).get("type") if raw.get("type") == "message" else None
        return Incoming(kind="message" if msg_type else "other", message_type=msg_type, **base)
    if isinstance(ev, MessageEvent):
        msg = ev.message
        mtype = (raw.get("message") or {}).get("type")
        inc = Incoming(kind="message", message_type=mtype, message_id=getattr(msg, "id", None), **base)
        if isinstance(msg, TextMessageContent):
            inc.text = msg.text
            inc.quoted_message_id = msg.quoted_message_id
            mention = msg.mention
            inc.mentions_bot = bool(mention and any(getattr(m, "is_self", False) for m in mention.mentionees))
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

    def __init__(self, access_token: str, endpoint: str = DEFAULT_ENDPOINT, timeout=TIMEOUT):
        self._config = Configuration(host=endpoint.rstrip("/"), access_token=access_token)
        self._config.retries = urllib3.Retry(total=0, redirect=0)  # the outbox retries, with backoff
        self._timeout = timeout
        self._client = ApiClient(self._config)  # pooled connections, thread-safe (urllib3)
        self._api = MessagingApi(self._client)

    @staticmethod
    def _messages(messages: list[dict]) -> list:
        return [Message.from_dict(m) for m in messages]

    def reply(self, reply_token: str, messages: list[dict]) -> list[str]:
        """Send a reply; returns the sent message ids."""
        try:
            res = self._api.reply_message(ReplyMessageRequest(reply_token=reply_token,
                                                              messages=self._messages(messages)),
                                          _request_timeout=self._timeout)
        except (ApiException, urllib3.exceptions.HTTPError, OSError) as e:
            _raise_for(e, "reply")
        return [m.id for m in (res.sent_messages or [])]

    def push(self, to: str, messages: list[dict], retry_key: str) -> list[str]:
        """Push with an idempotency key; a 409 means LINE already accepted this key: success."""
        try:
            res = self._api.push_message(PushMessageRequest(to=to, messages=self._messages(messages)),
                                         x_line_retry_key=retry_key, _request_timeout=self._timeout)
        except ApiException as e:
            if e.status == 409:
                return []
            _raise_for(e, "push")
        except (urllib3.exceptions.HTTPError, OSError) as e:
            _raise_for(e, "push")
        return [m.id for m in (res.sent_messages or [])]

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
