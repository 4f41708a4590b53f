"""Accounts, their sessions and the login attempts the rate limit counts (migration 0012).

The local one-person app is the account ``LOCAL_OWNER``, which has no password and
cannot log in; ``backstride serve --multi-user`` adds runners and clinicians.
A session cookie carries a random token; only its SHA-256 is stored, so a copy of
the database cannot be used to sign in as anybody.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.adapters.db.base import Base, UtcDateTime
from backstride.services.clinic_ports import Account, Role


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Stored as typed after trimming and lower-casing (services.accounts.normal_username).
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    # An argon2 hash (PHC string); none for the local account, which cannot log in.
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class SessionRow(Base):
    __tablename__ = "user_sessions"

    # SHA-256 of the cookie's token, hex.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LoginAttemptRow(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    succeeded: Mapped[bool] = mapped_column(Boolean)


def _account(row: UserRow) -> Account:
    return Account(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        password_hash=row.password_hash,
        created_at=row.created_at,
        disabled=row.disabled,
    )


class SqlAccountRepository:
    """Accounts, sessions and login attempts: the operator's and the login page's data,
    not a person's record, so not scoped by owner."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        username: str,
        display_name: str,
        role: Role,
        password_hash: str | None,
        created_at: datetime,
    ) -> int:
        row = UserRow(
            username=username,
            display_name=display_name,
            role=role.value,
            password_hash=password_hash,
            created_at=created_at,
            disabled=False,
        )
        self._session.add(row)
        self._session.flush()
        return row.id

    def get(self, user_id: int) -> Account | None:
        row = self._session.get(UserRow, user_id)
        return _account(row) if row else None

    def by_username(self, username: str) -> Account | None:
        row = self._session.scalars(select(UserRow).where(UserRow.username == username)).first()
        return _account(row) if row else None

    def list(self) -> Sequence[Account]:
        return [_account(r) for r in self._session.scalars(select(UserRow).order_by(UserRow.id))]

    def set_password(self, user_id: int, password_hash: str) -> None:
        self._session.execute(
            update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash)
        )

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        self._session.execute(
            update(UserRow).where(UserRow.id == user_id).values(disabled=disabled)
        )
        if disabled:
            self._session.execute(delete(SessionRow).where(SessionRow.user_id == user_id))

    # --- sessions -----------------------------------------------------------------

    def start_session(
        self, token_hash: str, user_id: int, created_at: datetime, expires_at: datetime
    ) -> None:
        self._session.add(
            SessionRow(id=token_hash, user_id=user_id, created_at=created_at, expires_at=expires_at)
        )
        self._session.flush()

    def session_user(self, token_hash: str, now: datetime) -> Account | None:
        query = (
            select(UserRow)
            .join(SessionRow, SessionRow.user_id == UserRow.id)
            .where(SessionRow.id == token_hash, SessionRow.expires_at > now)
            .where(UserRow.disabled.is_(False))
        )
        row = self._session.scalars(query).first()
        return _account(row) if row else None

    def end_session(self, token_hash: str) -> None:
        self._session.execute(delete(SessionRow).where(SessionRow.id == token_hash))

    def end_expired_sessions(self, now: datetime) -> int:
        result = self._session.execute(delete(SessionRow).where(SessionRow.expires_at <= now))
        return int(getattr(result, "rowcount", 0) or 0)

    # --- login attempts ---------------------------------------------------------------

    def record_attempt(self, username: str, address: str, at: datetime, succeeded: bool) -> None:
        self._session.add(
            LoginAttemptRow(username=username, address=address, at=at, succeeded=succeeded)
        )
        self._session.flush()

    def failures_since(self, since: datetime, *, username: str | None, address: str | None) -> int:
        query = select(func.count(LoginAttemptRow.id)).where(
            LoginAttemptRow.at >= since, LoginAttemptRow.succeeded.is_(False)
        )
        if username is not None:
            query = query.where(LoginAttemptRow.username == username)
        if address is not None:
            query = query.where(LoginAttemptRow.address == address)
        return int(self._session.execute(query).scalar_one())

    def forget_attempts_before(self, before: datetime) -> None:
        self._session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < before))
