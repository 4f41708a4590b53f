"""Password hashes with argon2id (argon2-cffi), the OWASP-recommended algorithm.

argon2-cffi's defaults follow RFC 9106's second recommended option (64 MiB, 3
passes); a hash records its own parameters, so raising them later rehashes each
password at its next login (``needs_rehash``). Tests use a cheap profile.
"""

from __future__ import annotations

from argon2 import PasswordHasher as Argon2Hasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2Passwords:
    def __init__(self, *, cheap: bool = False) -> None:
        # cheap: for tests only (a real login would take ~50 ms of a core each).
        self._hasher = (
            Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1) if cheap else Argon2Hasher()
        )

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
