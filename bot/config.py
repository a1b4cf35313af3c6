"""Settings, read from the environment when the app is created (never at import time)."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from bot.db import default_sqlite_url
from bot.line import DEFAULT_DATA_ENDPOINT, DEFAULT_ENDPOINT

ROOT = Path(__file__).resolve().parent.parent
# PDPA retention: a shorter one loses texts staff may still need (the CLI wants --force for it).
MIN_RETENTION_DAYS = 30
DEFAULT_RETENTION_DAYS = 90


@dataclass(frozen=True)
class Config:
    channel_secret: str | None = None
    access_token: str | None = None
    api_endpoint: str = DEFAULT_ENDPOINT
    data_api_endpoint: str = DEFAULT_DATA_ENDPOINT  # message content (photos, files) is fetched here
    database_url: str = ""
    staff_group_id: str | None = None
    catalogue_path: str = str(ROOT / "catalogue.json")
    lexicon_path: str | None = None          # default: intents/intents.json
    try_page: bool = True                    # the local try-it page at /
    background: bool = True                  # run the delivery loop thread in this process
    poll_seconds: float = 1.0                # how often the loop looks for stranded work / reloads
    followup_batch_minutes: int = 15
    quota_warn_ratio: float = 0.8
    secret_key: str | None = None            # signs console sessions; None: kept under instance/
    public_url: str | None = None            # the bot's own https base URL (secure cookies; media links under it)
    media_max_bytes: int = 25 * 1024 * 1024  # a villager's photo/video/file bigger than this is not kept
    ratelimit_storage: str = "memory://"     # Flask-Limiter storage (e.g. redis://) shared by workers
    retention_days: int = 0                  # nightly purge of texts older than this; 0 = no nightly purge

    @property
    def line_enabled(self) -> bool:
        return bool(self.channel_secret and self.access_token)

    def is_staff_chat(self, chat_id: str | None) -> bool:
        """The staff group (or one staff member's own chat, when that is what STAFF_GROUP_ID names)."""
        return bool(self.staff_group_id) and chat_id == self.staff_group_id

    @classmethod
    def from_env(cls, env: dict | None = None, instance_path: str | os.PathLike = ROOT / "instance") -> "Config":
        env = os.environ if env is None else env
        secret, token = env.get("LINE_CHANNEL_SECRET") or None, env.get("LINE_CHANNEL_ACCESS_TOKEN") or None
        try_flag = env.get("TRY_PAGE", "").lower()
        # With real LINE credentials the try-it page is off unless asked for explicitly.
        try_page = try_flag in ("1", "true", "yes", "on") if try_flag else not (secret and token)
        return cls(channel_secret=secret, access_token=token,
                   api_endpoint=env.get("LINE_API_ENDPOINT") or DEFAULT_ENDPOINT,
                   data_api_endpoint=env.get("LINE_DATA_API_ENDPOINT") or DEFAULT_DATA_ENDPOINT,
                   database_url=env.get("DATABASE_URL") or default_sqlite_url(instance_path),
                   staff_group_id=env.get("STAFF_GROUP_ID") or None,
                   catalogue_path=env.get("CATALOGUE_PATH") or str(ROOT / "catalogue.json"),
                   try_page=try_page, secret_key=env.get("SECRET_KEY") or None,
                   public_url=(env.get("PUBLIC_URL") or "").rstrip("/") or None,
                   media_max_bytes=int(env.get("MEDIA_MAX_BYTES") or cls.media_max_bytes),
                   ratelimit_storage=env.get("RATELIMIT_STORAGE_URI") or "memory://",
                   retention_days=_retention_days(env.get("RETENTION_DAYS")))


def _retention_days(value: str | None) -> int:
    """RETENTION_DAYS: days texts are kept (default 90); 0 turns the nightly purge off."""
    if value is None or not value.strip():
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(value)
    except ValueError:
        raise ValueError(f"RETENTION_DAYS must be a number of days, not {value!r}") from None
    if days != 0 and days < MIN_RETENTION_DAYS:
        raise ValueError(f"RETENTION_DAYS={days} is below the {MIN_RETENTION_DAYS}-day minimum "
                         "(0 turns the nightly purge off)")
    return days


def instance_secret(instance_path: str | os.PathLike, name: str = "secret_key") -> str:
    """A random secret generated once and kept in ``instance/`` (mode 0600), for when SECRET_KEY
    is unset: every worker and every restart then signs with the same key."""
    path = Path(instance_path) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)  # atomic and exclusive: the first worker's key wins, complete
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text(encoding="ascii").strip()
