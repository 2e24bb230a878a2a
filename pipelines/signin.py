"""Sign-in throttling: a lockout per username and per client address, with an audit log.

After `MAX_FAILURES` failed sign-ins within `WINDOW_SECONDS` for one username (from any
address) or from one client address (for any username), further attempts for that username
or from that address are refused, without checking the password, for `LOCKOUT_SECONDS`.
A connection without a known address (localhost, a reverse proxy on the same host) is
throttled per username only.
A successful sign-in clears the username's failures (not the address's: one valid account
must not reset the counter of an address that is guessing others' passwords).

The state lives in `DIR/audit/signin.sqlite` (the home, never the warehouse or the
published snapshot), so a new browser session or an app restart does not reset it; SQLite
with a busy timeout and `BEGIN IMMEDIATE` keeps concurrent sessions and app processes
consistent. Every failure, lockout, refused attempt and success is one line in
`DIR/audit/signin.log` (UTC time, event, username, address, counts); never the password.
See docs/access.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipelines.home import Home
from pipelines.users import User, authenticate

MAX_FAILURES = 5  # failed sign-ins within the window that lock a username or an address
WINDOW_SECONDS = 15 * 60
LOCKOUT_SECONDS = 15 * 60
AUDIT_DIR = "audit"
STATE_FILE = "signin.sqlite"
LOG_FILE = "signin.log"
UNKNOWN_ADDRESS = "unknown"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS failures (kind TEXT NOT NULL, key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS failures_key ON failures (kind, key, at);
CREATE TABLE IF NOT EXISTS lockouts (
    kind TEXT NOT NULL, key TEXT NOT NULL, until REAL NOT NULL, PRIMARY KEY (kind, key)
);
"""
_UNPRINTABLE = re.compile(r"[^\x21-\x7e]")


@dataclass(frozen=True)
class Attempt:
    """The outcome of one sign-in attempt: the user when it succeeded; `locked_for` the
    seconds left of a lockout that refused it (0 when none)."""

    user: User | None
    locked_for: float = 0.0


def _clean(text: str) -> str:
    """A log-safe token: printable ASCII only (no spaces, newlines or control characters,
    so a crafted username cannot forge an audit line), at most 64 characters."""
    return _UNPRINTABLE.sub("?", text)[:64] or "-"


class SignInThrottle:
    """The lockout state and audit log of one home. `clock` returns seconds (time.time by
    default; tests inject their own)."""

    def __init__(self, home: Home | str | os.PathLike, clock: Callable[[], float] = time.time):
        root = home.root if isinstance(home, Home) else Path(home)
        self.folder = root / AUDIT_DIR
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.state_path = self.folder / STATE_FILE
        self.log_path = self.folder / LOG_FILE
        self.clock = clock
        with self._connect() as con:
            con.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """An autocommit connection (explicit BEGIN IMMEDIATE where counting), closed after."""
        con = sqlite3.connect(self.state_path, timeout=30, isolation_level=None)
        try:
            yield con
        finally:
            con.close()

    @staticmethod
    def _keys(username: str, address: str | None) -> list[tuple[str, str]]:
        """The counters an attempt counts on: its username, and its address when known
        (a local connection, or every client behind a reverse proxy on this host, has
        none: one shared counter would let anyone lock everyone out)."""
        keys = [("user", username.strip().lower()[:256])]
        return [*keys, ("address", address)] if address else keys

    def locked_for(self, username: str, address: str | None) -> float:
        """Seconds left of the longest lockout on this username or address (0: none)."""
        now = self.clock()
        with self._connect() as con:
            left = [
                row[0] - now
                for kind, key in self._keys(username, address)
                for row in con.execute(
                    "SELECT until FROM lockouts WHERE kind = ? AND key = ?", (kind, key)
                )
            ]
        return max([0.0, *left])

    def _audit(self, event: str, username: str, address: str | None, **counts: object) -> None:
        stamp = dt.datetime.fromtimestamp(self.clock(), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        extra = "".join(f" {k}={v}" for k, v in counts.items())
        line = (f"{stamp} signin {event} user={_clean(username.strip().lower())} "
                f"address={_clean(address or UNKNOWN_ADDRESS)}{extra}\n")  # fmt: skip
        fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode())  # one write per line: whole lines, also when concurrent
        finally:
            os.close(fd)

    def _reserve(self, username: str, address: str | None) -> tuple[float, list[int]]:
        """In one transaction: the seconds left of a lockout (then nothing is counted), or
        the attempt counted as a failure in advance (the rowids, removed again when the
        password is right). Counting before the password is checked keeps parallel guesses
        to MAX_FAILURES checks per window."""
        now = self.clock()
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            con.execute("DELETE FROM failures WHERE at <= ?", (now - WINDOW_SECONDS,))
            con.execute("DELETE FROM lockouts WHERE until <= ?", (now,))
            keys = self._keys(username, address)
            left = 0.0
            for kind, key in keys:
                for (until,) in con.execute(
                    "SELECT until FROM lockouts WHERE kind = ? AND key = ?", (kind, key)
                ):
                    left = max(left, until - now)
                (n,) = con.execute(
                    "SELECT count(*) FROM failures WHERE kind = ? AND key = ?", (kind, key)
                ).fetchone()
                if n >= MAX_FAILURES:  # attempts still being checked will lock it
                    left = max(left, float(LOCKOUT_SECONDS))
            rowids = []
            if left <= 0:
                for kind, key in keys:
                    cur = con.execute("INSERT INTO failures VALUES (?, ?, ?)", (kind, key, now))
                    rowids.append(int(cur.lastrowid or 0))
            con.execute("COMMIT")
        return left, rowids

    def _failed(self, username: str, address: str | None) -> float:
        """After a wrong password (already counted): lock a username or address that
        reached MAX_FAILURES within the window; audit lines. Returns the lockout's seconds
        (0: not locked)."""
        now = self.clock()
        counts: dict[str, int] = {}
        locked = []
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            for kind, key in self._keys(username, address):
                (n,) = con.execute(
                    "SELECT count(*) FROM failures WHERE kind = ? AND key = ? AND at > ?",
                    (kind, key, now - WINDOW_SECONDS),
                ).fetchone()
                counts[kind] = n
                if n >= MAX_FAILURES:
                    con.execute(
                        "INSERT OR REPLACE INTO lockouts VALUES (?, ?, ?)",
                        (kind, key, now + LOCKOUT_SECONDS),
                    )
                    con.execute("DELETE FROM failures WHERE kind = ? AND key = ?", (kind, key))
                    locked.append(kind)
            con.execute("COMMIT")
        self._audit("failure", username, address, failures_user=counts["user"],
                    failures_address=counts.get("address", "-"))  # fmt: skip
        for kind in locked:
            self._audit("lockout", username, address, locked=kind, seconds=LOCKOUT_SECONDS)
        return float(LOCKOUT_SECONDS) if locked else 0.0

    def _succeeded(self, username: str, address: str | None, rowids: list[int]) -> None:
        """A right password: this attempt is no failure, the username's failures are
        forgotten (the address's stay)."""
        kind, key = self._keys(username, address)[0]
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            con.executemany("DELETE FROM failures WHERE rowid = ?", [(r,) for r in rowids])
            con.execute("DELETE FROM failures WHERE kind = ? AND key = ?", (kind, key))
            con.execute("COMMIT")
        self._audit("success", username, address)

    def attempt(
        self, users: dict[str, User], username: str, password: str, address: str | None
    ) -> Attempt:
        """Check a sign-in: refused unchecked while the username or address is locked;
        otherwise the password is checked and the outcome counted and logged."""
        left, rowids = self._reserve(username, address)
        if left > 0:
            self._audit("refused_locked", username, address, seconds_left=math.ceil(left))
            return Attempt(None, left)
        user = authenticate(users, username, password)
        if user is None:
            return Attempt(None, self._failed(username, address))
        self._succeeded(username, address, rowids)
        return Attempt(user)
