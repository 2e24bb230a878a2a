"""The app's local users: DIR/users.yaml, managed by `rapor users add|list|remove`.

Each user has a role (leadership, hr, inspectorate, skpd_head), a display name, for an SKPD
head the unit, and a password hash. The file lives in the home root (beside tenant.yaml and
secret.key, never under serving/, which is published) and is written with mode 0600.

Password hashes use scrypt from the standard library (RFC 7914) with a per-user random salt
of 16 bytes and the cost N=2**14, r=8, p=1 (about 16 MiB of memory and some 50 ms per
check), stored as `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`, so the cost can be raised
later without invalidating older hashes. Verification recomputes the hash with the stored
parameters and compares in constant time (hmac.compare_digest). Checking an unknown user
costs the same as a wrong password (a dummy hash is checked), so the time of an answer
does not tell which usernames exist.

A user may also carry an e-mail address: with OIDC enabled in the app (st.login, see
docs/access.md) that address is how a signed-in identity finds its role. Such a user may
have no password (`--no-password`): then only OIDC can sign them in.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from pipelines.home import Home

USERS_FILE = "users.yaml"
ROLES = ("leadership", "hr", "inspectorate", "skpd_head")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN, SALT_LEN = 2**14, 8, 1, 32, 16
MAXMEM = 64 * 1024 * 1024


class UsersError(ValueError):
    """A users file or a user that cannot be used, with a message saying what to fix."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    name: str = ""
    unit: str | None = None  # skpd_head only: the unit_code they head
    email: str | None = None  # the OIDC identity (optional)
    password: str | None = None  # the scrypt hash; None: OIDC only

    def public(self) -> dict:
        """The user without the hash (for listings)."""
        row = asdict(self)
        row.pop("password")
        return row


def users_path(home: Home) -> Path:
    return home.root / USERS_FILE


# --- hashing ---------------------------------------------------------------------------------
def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R,
                  p: int = SCRYPT_P) -> str:  # fmt: skip
    """A new scrypt hash of `password` with a fresh random salt."""
    salt = secrets.token_bytes(SALT_LEN)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                            maxmem=MAXMEM, dklen=SCRYPT_LEN)  # fmt: skip
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches the stored hash (constant-time comparison). A missing or
    malformed hash never matches."""
    try:
        scheme, n, r, p, salt, digest = (stored or "").split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt),
                                n=int(n), r=int(r), p=int(p), maxmem=MAXMEM,
                                dklen=len(expected))  # fmt: skip
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(16))
    return _DUMMY_HASH


# --- the file --------------------------------------------------------------------------------
def load_users(home: Home) -> dict[str, User] | None:
    """The users of `home` by username, or None when there is no users file (open mode)."""
    path = users_path(home)
    if not path.exists():
        return None
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rows = raw.get("users") or []
    if not isinstance(rows, list):
        raise UsersError(f"{path}: `users` must be a list")
    users: dict[str, User] = {}
    for row in rows:
        if not isinstance(row, dict) or not row.get("username") or row.get("role") not in ROLES:
            raise UsersError(f"{path}: every user needs a username and a role in {ROLES}")
        user = User(
            username=str(row["username"]),
            role=str(row["role"]),
            name=str(row.get("name") or ""),
            unit=str(row["unit"]) if row.get("unit") else None,
            email=str(row["email"]).lower() if row.get("email") else None,
            password=str(row["password"]) if row.get("password") else None,
        )
        if user.role == "skpd_head" and not user.unit:
            raise UsersError(f"{path}: skpd_head {user.username} has no unit")
        users[user.username] = user
    return users


def save_users(home: Home, users: dict[str, User]) -> Path:
    """Write the users file atomically, readable by its owner only."""
    path = users_path(home)
    rows = [{k: v for k, v in asdict(u).items() if v not in (None, "")}
            for u in sorted(users.values(), key=lambda u: u.username)]  # fmt: skip
    text = (
        "# rapor app users: managed with `rapor users add|list|remove` (docs/access.md).\n"
        "# Passwords are scrypt hashes; never put a plain password here.\n"
        + yaml.safe_dump({"version": 1, "users": rows}, sort_keys=False, allow_unicode=True)
    )
    tmp = path.with_suffix(".yaml.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def known_units(home: Home) -> dict[str, str]:
    """unit_code -> name from DIR/reference/units.csv (the latest name of each code)."""
    path = home.reference_dir / "units.csv"
    if not path.exists():
        raise UsersError(f"{path} is missing: cannot check the unit of an SKPD head")
    with path.open(newline="", encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: r.get("valid_from") or "")
    return {r["unit_code"]: r.get("name") or r["unit_code"] for r in rows if r.get("unit_code")}


def add_user(home: Home, username: str, role: str, password: str | None, *,
             unit: str | None = None, name: str = "", email: str | None = None,
             replace: bool = False) -> User:  # fmt: skip
    """Add (or with `replace`, update) a user; checks the role, the unit and the password."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise UsersError("username: 2-64 characters a-z 0-9 . _ -, starting with a letter/digit")
    if role not in ROLES:
        raise UsersError(f"role must be one of {', '.join(ROLES)}")
    if role == "skpd_head":
        if not unit:
            raise UsersError("an skpd_head needs --unit UNIT_CODE")
        units = known_units(home)
        if unit not in units:
            raise UsersError(f"unknown unit {unit!r}: not in {home.reference_dir / 'units.csv'}")
    elif unit:
        raise UsersError(f"--unit is only for skpd_head (a {role} sees every unit)")
    if password is None and not email:
        raise UsersError("a user without a password needs --email (to sign in through OIDC)")
    if password is not None and len(password) < MIN_PASSWORD:
        raise UsersError(f"the password needs at least {MIN_PASSWORD} characters")
    users = load_users(home) or {}
    if username in users and not replace:
        raise UsersError(f"user {username!r} exists (use --replace to change it)")
    user = User(username, role, name or username, unit, email.lower() if email else None,
                hash_password(password) if password is not None else None)  # fmt: skip
    users[username] = user
    save_users(home, users)
    return user


def remove_user(home: Home, username: str) -> None:
    users = load_users(home) or {}
    if username not in users:
        raise UsersError(f"no user {username!r}")
    del users[username]
    save_users(home, users)


def authenticate(users: dict[str, User], username: str, password: str) -> User | None:
    """The user if `password` is theirs, else None; the same work for an unknown username
    as for a wrong password."""
    user = users.get(username.strip().lower())
    if user is None or user.password is None:
        verify_password(password, _dummy_hash())
        return None
    return user if verify_password(password, user.password) else None


def find_by_email(users: dict[str, User], email: str | None) -> User | None:
    if not email:
        return None
    wanted = email.strip().lower()
    return next((u for u in users.values() if u.email == wanted), None)
