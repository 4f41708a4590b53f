"""What the clinic's services need from the outside world: accounts, consent links,
the audit log, alerts and a clinician's changes, as protocols (``services.ports``
holds a person's own record).

The database adapter implements these (``adapters/db/accounts.py``, ``clinic.py``);
the password hasher is ``adapters/auth/passwords.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from backstride.services.ports import UnitOfWork


class Role(StrEnum):
    RUNNER = "runner"
    CLINICIAN = "clinician"


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    display_name: str
    role: Role
    password_hash: str | None
    created_at: datetime
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor_id: int
    actor_name: str
    action: str
    detail: str


@dataclass(frozen=True, slots=True)
class CareAlert:
    id: int
    runner_id: int
    runner_name: str
    clinician_id: int
    created_at: datetime
    day: date
    kind: str  # "warning_sign" or "flare"
    level: str
    rules: tuple[str, ...]
    acknowledged_at: datetime | None


class ClinicianChangeKind(StrEnum):
    REMOVE = "remove"  # take an exercise out of the plan
    SWAP = "swap"  # replace an exercise with another from the library
    DOSE = "dose"  # change an exercise's sets, reps or hold
    HOLD_RUNNING = "hold_running"  # no running until the clinician releases it
    NOTE = "note"  # a note to the runner


@dataclass(frozen=True, slots=True)
class ClinicianChange:
    id: int
    runner_id: int
    clinician_id: int
    clinician_name: str
    created_at: datetime
    kind: ClinicianChangeKind
    exercise: str | None = None
    replacement: str | None = None
    dose: dict[str, Any] | None = None
    note: str | None = None


class AccountRepository(Protocol):
    def add(
        self,
        username: str,
        display_name: str,
        role: Role,
        password_hash: str | None,
        created_at: datetime,
    ) -> int: ...

    def get(self, user_id: int) -> Account | None: ...

    def by_username(self, username: str) -> Account | None: ...

    def list(self) -> Sequence[Account]: ...

    def set_password(self, user_id: int, password_hash: str) -> None: ...

    def set_disabled(self, user_id: int, disabled: bool) -> None: ...

    def start_session(
        self, token_hash: str, user_id: int, created_at: datetime, expires_at: datetime
    ) -> None: ...

    def session_user(self, token_hash: str, now: datetime) -> Account | None: ...

    def end_session(self, token_hash: str) -> None: ...

    def end_expired_sessions(self, now: datetime) -> int: ...

    def record_attempt(
        self, username: str, address: str, at: datetime, succeeded: bool
    ) -> None: ...

    def failures_since(
        self, since: datetime, *, username: str | None, address: str | None
    ) -> int: ...

    def forget_attempts_before(self, before: datetime) -> None: ...


class ClinicRepository(Protocol):
    def add_invitation(
        self, code_hash: str, clinician_id: int, created_at: datetime, expires_at: datetime
    ) -> None: ...

    def take_invitation(self, code_hash: str, runner_id: int, now: datetime) -> int | None: ...

    def link(self, runner_id: int, clinician_id: int, now: datetime) -> None: ...

    def unlink(self, runner_id: int, clinician_id: int, now: datetime) -> bool: ...

    def is_linked(self, runner_id: int, clinician_id: int) -> bool: ...

    def clinicians_of(self, runner_id: int) -> Sequence[Account]: ...

    def runners_of(self, clinician_id: int) -> Sequence[Account]: ...

    def audit(
        self, at: datetime, actor_id: int, runner_id: int, action: str, detail: str
    ) -> None: ...

    def audit_of(self, runner_id: int, limit: int = 50) -> Sequence[AuditEntry]: ...

    def raise_alerts(
        self, runner_id: int, day: date, kind: str, level: str, rules: Sequence[str], now: datetime
    ) -> int: ...

    def alerts_for(self, clinician_id: int, *, open_only: bool = True) -> Sequence[CareAlert]: ...

    def acknowledge(self, alert_id: int, clinician_id: int, now: datetime) -> bool: ...

    def add_change(
        self,
        runner_id: int,
        clinician_id: int,
        at: datetime,
        kind: ClinicianChangeKind,
        *,
        exercise: str | None = None,
        replacement: str | None = None,
        dose: dict[str, Any] | None = None,
        note: str | None = None,
    ) -> int: ...

    def changes_for(self, runner_id: int) -> Sequence[ClinicianChange]: ...

    def withdraw_change(self, change_id: int, runner_id: int, now: datetime) -> bool: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class ClinicUnitOfWork(UnitOfWork, Protocol):
    """A unit of work over one owner's record that also reaches the accounts and the
    clinic's tables (multi-user mode)."""

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def clinic(self) -> ClinicRepository: ...
