"""Accounts, login and sessions for the multi-user mode.

* Usernames are trimmed and lower-cased; passwords are at least 10 characters
  (NIST SP 800-63B asks for 8 or more and no composition rules) and never stored,
  only their argon2 hash.
* A login fails the same way for an unknown name, a wrong password and a disabled
  account, and costs a hash verification either way, so neither the answer nor its
  timing tells which names exist.
* Rate limit: after ``MAX_FAILURES_PER_NAME`` failed logins for one name, or
  ``MAX_FAILURES_PER_ADDRESS`` from one address, within ``WINDOW``, further logins
  for it are refused until the window has passed. The attempts are rows in the
  database, so every app worker counts the same ones.
* A session is a random token in a cookie; the database keeps its SHA-256 and an
  expiry, so logging out (or disabling the account) ends it on every worker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from backstride.services.clinic_ports import Account, ClinicUnitOfWork, PasswordHasher, Role
from backstride.services.ports import Clock
from backstride.services.validation import Refused

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
RESERVED_NAMES = frozenset({"local", "admin", "root"})
MIN_PASSWORD = 10
MAX_PASSWORD = 256
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 30
WINDOW = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(days=14)

UnitOfWorkFactory = Callable[[int], ClinicUnitOfWork]


class AccountError(Refused):
    """Input an account cannot be made or changed with; one line per problem."""


class LoginRefused(Exception):
    """Wrong name or password, or too many attempts (``limited``)."""

    def __init__(self, limited: bool) -> None:
        super().__init__("too many attempts" if limited else "wrong username or password")
        self.limited = limited


@dataclass(frozen=True, slots=True)
class StartedSession:
    token: str  # for the cookie; only its hash is stored
    account: Account
    expires_at: dt.datetime


def normal_username(name: str) -> str:
    return name.strip().lower()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_new_account(username: str, password: str, display_name: str) -> list[str]:
    problems = []
    if not USERNAME.match(username):
        problems.append(
            "username: 2 to 40 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    elif username in RESERVED_NAMES:
        problems.append(f"username: {username!r} is reserved")
    problems += check_password(password)
    if not display_name.strip() or len(display_name) > 120:
        problems.append("name: 1 to 120 characters")
    return problems


def check_password(password: str) -> list[str]:
    if len(password) < MIN_PASSWORD:
        return [f"password: at least {MIN_PASSWORD} characters"]
    if len(password) > MAX_PASSWORD:
        return [f"password: at most {MAX_PASSWORD} characters"]
    return []


def add_account(
    uow: ClinicUnitOfWork,
    clock: Clock,
    hasher: PasswordHasher,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str | None = None,
) -> Account:
    name = normal_username(username)
    shown = (display_name or name).strip()
    problems = check_new_account(name, password, shown)
    if problems:
        raise AccountError(problems)
    password_hash = hasher.hash(password)
    with uow:
        if uow.accounts.by_username(name) is not None:
            raise AccountError([f"username: {name!r} is taken"])
        user_id = uow.accounts.add(name, shown, role, password_hash, clock.now())
        uow.commit()
        found = uow.accounts.get(user_id)
    if found is None:  # pragma: no cover - committed in this very transaction
        raise AccountError(["the account was not stored"])
    return found


def list_accounts(uow: ClinicUnitOfWork) -> Sequence[Account]:
    with uow:
        # The local account (the one-person app) is not somebody to list.
        return [a for a in uow.accounts.list() if a.password_hash is not None]


def log_in(
    uow: ClinicUnitOfWork,
    clock: Clock,
    hasher: PasswordHasher,
    *,
    username: str,
    password: str,
    address: str,
) -> StartedSession:
    """Check the password and start a session, or raise :class:`LoginRefused`."""
    name = normal_username(username)[:80]
    now = clock.now()
    since = now - WINDOW
    with uow:
        accounts = uow.accounts
        limited = (
            accounts.failures_since(since, username=name, address=None) >= MAX_FAILURES_PER_NAME
            or accounts.failures_since(since, username=None, address=address)
            >= MAX_FAILURES_PER_ADDRESS
        )
        if limited:
            raise LoginRefused(limited=True)
        account = accounts.by_username(name)
        stored = account.password_hash if account else None
        # Verify against a dummy hash when there is no account: the same cost either way.
        ok = hasher.verify(stored or _dummy_hash(hasher), password[:MAX_PASSWORD])
        ok = ok and account is not None and stored is not None and not account.disabled
        accounts.record_attempt(name, address, now, ok)
        if not ok or account is None or stored is None:
            uow.commit()
            raise LoginRefused(limited=False)
        if hasher.needs_rehash(stored):
            accounts.set_password(account.id, hasher.hash(password))
        token = secrets.token_urlsafe(32)
        expires = now + SESSION_LIFETIME
        accounts.start_session(token_hash(token), account.id, now, expires)
        accounts.forget_attempts_before(now - 4 * WINDOW)
        accounts.end_expired_sessions(now)
        uow.commit()
    return StartedSession(token, account, expires)


_DUMMY: dict[int, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    key = id(hasher)
    if key not in _DUMMY:
        _DUMMY[key] = hasher.hash(secrets.token_urlsafe(16))
    return _DUMMY[key]


def session_account(uow: ClinicUnitOfWork, clock: Clock, token: str) -> Account | None:
    if not token or len(token) > 100:
        return None
    with uow:
        return uow.accounts.session_user(token_hash(token), clock.now())


def log_out(uow: ClinicUnitOfWork, token: str) -> None:
    with uow:
        uow.accounts.end_session(token_hash(token))
        uow.commit()


def set_password(
    uow: ClinicUnitOfWork, hasher: PasswordHasher, username: str, password: str
) -> None:
    problems = check_password(password)
    if problems:
        raise AccountError(problems)
    with uow:
        account = uow.accounts.by_username(normal_username(username))
        if account is None or account.password_hash is None:
            raise AccountError([f"username: no account {username!r}"])
        uow.accounts.set_password(account.id, hasher.hash(password))
        uow.commit()
