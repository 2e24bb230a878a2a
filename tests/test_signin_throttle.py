"""Sign-in throttling (issue 18, item 8; pipelines/signin.py): 5 failures within 15 minutes
lock a username or a client address for 15 minutes, across sessions (state in the home),
with an audit line per failure and lockout that never holds the password."""

from __future__ import annotations

import threading

import pytest

from pipelines import signin
from pipelines.signin import SignInThrottle
from pipelines.users import User, hash_password

PASSWORD = "sandi-yang-panjang-1"
WRONG = "tebakan-salah-"  # + a number: every guess differs
T0 = 1_764_720_000.0  # 2025-12-03 00:00:00 UTC


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def users() -> dict[str, User]:
    cheap = hash_password(PASSWORD, n=2**10, r=4, p=1)  # a cheap cost keeps the test fast
    return {name: User(name, "hr", password=cheap) for name in ("budi", "citra")}


def test_five_failures_lock_the_user_until_the_window_ends(tmp_path, users):
    clock = Clock()
    throttle = SignInThrottle(tmp_path, clock)
    for i in range(5):
        clock.now += 10
        assert throttle.attempt(users, "budi", f"{WRONG}{i}", "10.0.0.1").user is None
    # locked: the right password is refused, from another address too, and by a new
    # throttle object on the same home (a new browser session, or the app restarted)
    right = throttle.attempt(users, "budi", PASSWORD, "10.0.0.1")
    assert right.user is None and right.locked_for == 15 * 60
    clock.now += 14 * 60 + 59
    again = SignInThrottle(tmp_path, clock).attempt(users, "BUDI ", PASSWORD, "10.0.0.2")
    assert again.user is None and again.locked_for == 1
    # another user from a third address is not affected
    assert throttle.attempt(users, "citra", PASSWORD, "10.0.0.3").user.username == "citra"
    clock.now += 1  # the lockout is over
    assert throttle.attempt(users, "budi", PASSWORD, "10.0.0.2").user.username == "budi"

    log = (tmp_path / "audit" / "signin.log").read_text()
    lines = log.splitlines()
    assert [line.split()[2] for line in lines] == [
        "failure", "failure", "failure", "failure", "failure", "lockout", "lockout",
        "refused_locked", "refused_locked", "success", "success",
    ]  # fmt: skip
    assert lines[0] == (
        "2025-12-03T00:00:10Z signin failure user=budi address=10.0.0.1 "
        "failures_user=1 failures_address=1"
    )
    assert lines[5:7] == [
        "2025-12-03T00:00:50Z signin lockout user=budi address=10.0.0.1 locked=user seconds=900",
        "2025-12-03T00:00:50Z signin lockout user=budi address=10.0.0.1 locked=address seconds=900",
    ]
    assert lines[7] == (
        "2025-12-03T00:00:50Z signin refused_locked user=budi address=10.0.0.1 seconds_left=900"
    )
    assert PASSWORD not in log and WRONG not in log


def test_failures_older_than_the_window_do_not_count(tmp_path, users):
    clock = Clock()
    throttle = SignInThrottle(tmp_path, clock)
    for i in range(4):
        throttle.attempt(users, "budi", f"{WRONG}{i}", None)
    clock.now += 15 * 60 + 1  # the four failures leave the window
    assert throttle.attempt(users, "budi", f"{WRONG}x", None).locked_for == 0
    assert throttle.attempt(users, "budi", PASSWORD, None).user is not None


def test_an_address_guessing_many_users_is_locked(tmp_path, users):
    clock = Clock()
    throttle = SignInThrottle(tmp_path, clock)
    for name in ("a1", "a2", "a3", "budi", "a4"):  # one failure per username
        throttle.attempt(users, name, WRONG, "192.0.2.7")
    refused = throttle.attempt(users, "citra", PASSWORD, "192.0.2.7")
    assert refused.user is None and refused.locked_for == 15 * 60
    # the same user from another address is fine: only the address is locked
    assert throttle.attempt(users, "citra", PASSWORD, "192.0.2.8").user is not None
    log = (tmp_path / "audit" / "signin.log").read_text()
    assert "signin lockout user=a4 address=192.0.2.7 locked=address seconds=900" in log
    # a connection without an address (localhost, a local proxy) shares no counter
    for name in ("b1", "b2", "b3", "b4", "b5"):
        throttle.attempt(users, name, WRONG, None)
    assert throttle.attempt(users, "citra", PASSWORD, None).user is not None


def test_concurrent_guesses_are_all_counted_and_a_username_cannot_forge_a_line(tmp_path, users):
    throttle = SignInThrottle(tmp_path)
    outcomes = []

    def guess(i: int) -> None:
        outcomes.append(SignInThrottle(tmp_path).attempt(users, "budi", f"{WRONG}{i}", "10.1.1.1"))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 8 parallel guesses: 5 checked a password (each counted before the check), 3 refused
    assert len(outcomes) == 8 and all(o.user is None for o in outcomes)
    assert throttle.locked_for("budi", "10.1.1.1") > 0
    log = (tmp_path / "audit" / "signin.log").read_text().splitlines()
    events = sorted(line.split()[2] for line in log)
    assert events == ["failure"] * 5 + ["lockout"] * 2 + ["refused_locked"] * 3
    throttle.attempt(users, "x\nforged success", WRONG, "10.9.9.9")
    last = (tmp_path / "audit" / "signin.log").read_text().splitlines()[-1]
    assert "user=x?forged?success address=10.9.9.9" in last
    assert signin.MAX_FAILURES == 5 and signin.LOCKOUT_SECONDS == signin.WINDOW_SECONDS == 900


def test_the_sign_in_form_is_throttled_across_sessions(uji_home, monkeypatch):
    """The app's form (app/auth.py) goes through the throttle: after 5 wrong passwords the
    right one is refused, in a new session too, with a lockout message."""
    from app import auth
    from pipelines.users import add_user
    from tests.test_app import run_app

    add_user(uji_home, "kepala", "skpd_head", PASSWORD, unit="DPU")
    monkeypatch.setenv("RAPOR_HOME", str(uji_home.root))
    monkeypatch.delenv("RAPOR_REQUIRE_SIGNIN", raising=False)
    monkeypatch.setattr(auth, "FAIL_DELAY", 0.0)  # the per-session pause, not under test

    def sign_in(at, password: str):
        at.text_input[0].input("kepala")
        at.text_input[1].input(password)
        return at.button[0].click().run()

    at = run_app()
    for i in range(4):
        at = sign_in(at, f"{WRONG}{i}")
        assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]
    locked = "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit."
    assert [e.value for e in sign_in(at, f"{WRONG}4").error] == [locked]
    at = sign_in(run_app(), PASSWORD)  # a new session, the right password
    assert [e.value for e in at.error] == [locked]
    assert [x.value for x in at.title] == ["Masuk ke rapor"]
    log = (uji_home.root / "audit" / "signin.log").read_text()
    assert log.count(" signin failure user=kepala ") == 5 and "signin lockout" in log
    assert PASSWORD not in log and WRONG not in log


def test_without_a_writable_lockout_record_nobody_signs_in(uji_home, monkeypatch):
    """Fail closed: when DIR/audit cannot be used, the form refuses with a clear message."""
    from pipelines.users import add_user
    from tests.test_app import run_app

    add_user(uji_home, "kepala", "skpd_head", PASSWORD, unit="DPU")
    (uji_home.root / "audit").write_text("not a folder")
    monkeypatch.setenv("RAPOR_HOME", str(uji_home.root))
    monkeypatch.delenv("RAPOR_REQUIRE_SIGNIN", raising=False)
    at = run_app()
    at.text_input[0].input("kepala")
    at.text_input[1].input(PASSWORD)
    at = at.button[0].click().run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert error.startswith("Masuk tidak dapat diperiksa: catatan percobaan masuk")
    assert [x.value for x in at.title] == ["Masuk ke rapor"]
