"""Console accounts: Argon2 password hashes (argon2-cffi), roles admin|staff."""
from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import ConsoleUser

ROLES = ("admin", "staff")
MIN_PASSWORD = 10
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@functools.cache
def _dummy_hash() -> str:
    """Verified when the username is unknown, so a wrong name takes as long as a wrong password."""
    return _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    pass


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password too short: at least {MIN_PASSWORD} characters / "
                           f"รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย {MIN_PASSWORD} ตัวอักษร")


def add(session: Session, username: str, role: str, password: str) -> ConsoleUser:
    username = username.strip()
    if not username or len(username) > 64:
        raise AccountError("username must be 1-64 characters")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    check_password_rules(password)
    if get(session, username) is not None:
        raise AccountError(f"user {username} already exists / มีบัญชีชื่อนี้แล้ว")
    user = ConsoleUser(username=username, role=role, password_hash=_hasher.hash(password),
                       session_token=secrets.token_hex(16))
    session.add(user)
    return user


def get(session: Session, username: str) -> ConsoleUser | None:
    return session.scalars(select(ConsoleUser).where(ConsoleUser.username == username.strip())).first()


def set_password(session: Session, username: str, password: str) -> None:
    user = get(session, username)
    if user is None:
        raise AccountError(f"no user {username} / ไม่พบบัญชีนี้")
    check_password_rules(password)
    user.password_hash = _hasher.hash(password)
    user.session_token = secrets.token_hex(16)  # signs out every session of the old password


def remove(session: Session, username: str) -> None:
    user = get(session, username)
    if user is None:
        raise AccountError(f"no user {username} / ไม่พบบัญชีนี้")
    session.delete(user)


def authenticate(session: Session, username: str, password: str) -> ConsoleUser | None:
    user = get(session, username or "")
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def list_users(session: Session) -> list[ConsoleUser]:
    return list(session.scalars(select(ConsoleUser).order_by(ConsoleUser.username)))
