"""Sign-in: who is using the app, from DIR/users.yaml (pipelines/users.py, docs/access.md).

- With a users file, every page needs a signed-in user. The sign-in form checks the
  username and password against the file (scrypt, constant-time comparison); a failed
  attempt waits a moment and gets one generic message, whether the username exists or not.
  Failures are throttled per username and per client address, across sessions: after 5
  within 15 minutes that username or address is refused for 15 minutes, and every failure
  and lockout is a line in DIR/audit/signin.log (pipelines/signin.py).
  The session keeps only the username: the role is read from the file on every run, so a
  removed user or a changed role takes effect at the next click.
- Optionally, OIDC through `st.login` (an `[auth]` section in .streamlit/secrets.toml): the
  signed-in e-mail address is looked up among the users' `email` fields for the role.
- Without a users file the app stays open (a demo, a laptop) and says so in the sidebar;
  RAPOR_REQUIRE_SIGNIN=1 turns that into a refusal for servers that must never be open.

The requested page and its query parameters are kept while the form is shown, so a shared
link (?nip=...) opens after sign-in, and the page still applies the signed-in user's scope.
"""

from __future__ import annotations

import math
import os
import sqlite3
import time

import streamlit as st

from app import data, ui
from app.i18n import LANG_KEY, t
from pipelines.home import Home, HomeError
from pipelines.signin import SignInThrottle
from pipelines.users import User, UsersError, find_by_email, load_users

AUTH_KEY = "auth_user"  # session_state: the signed-in username
FAILURES_KEY = "auth_failures"
REQUIRE_ENV = "RAPOR_REQUIRE_SIGNIN"
FAIL_DELAY = 1.0  # seconds after a failed sign-in, doubling per failure in a session
MAX_DELAY = 8.0


def _required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in ("1", "true", "yes")


def users() -> dict[str, User] | None:
    """The users of $RAPOR_HOME, or None when it has no users file (open mode)."""
    try:
        home = Home.resolve()
    except HomeError:
        return None
    return load_users(home)


def oidc_enabled() -> bool:
    """Whether .streamlit/secrets.toml configures st.login (an [auth] section)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _oidc_email() -> str | None:
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or "") or None
    except Exception:  # st.user without auth configured
        return None
    return None


def _client_address() -> str | None:
    """The client's address as the server sees it (None for localhost or outside a
    session); X-Forwarded-For is not trusted: a client can write any value there."""
    try:
        address = st.context.ip_address
    except Exception:
        return None
    return address if isinstance(address, str) and address else None


def signed_in(table: dict[str, User]) -> User | None:
    """The signed-in user of this session, still present in the users file."""
    name = st.session_state.get(AUTH_KEY)
    if name:
        return table.get(name)
    if oidc_enabled():
        return find_by_email(table, _oidc_email())
    return None


def current_viewer() -> data.Viewer:
    """The signed-in user's Viewer; open mode: everyone the default viewer; otherwise
    (no user, an unreadable users file) a viewer that sees nothing."""
    try:
        table = users()
    except (UsersError, OSError, ValueError):
        return data.NOBODY
    if table is None:
        return data.NOBODY if _required() else data.Viewer()
    user = signed_in(table)
    return data.viewer_for(user.role, user.unit) if user else data.NOBODY


def role_label(user: User) -> str:
    label = t(f"role.{user.role}")
    return f"{label} {user.unit}" if user.unit else label


def _sign_out() -> None:
    via_oidc = not st.session_state.get(AUTH_KEY) and _oidc_email() is not None
    lang = st.session_state.get(LANG_KEY)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if lang:
        st.session_state[LANG_KEY] = lang
    if via_oidc:
        st.logout()
    st.rerun()


def _sign_in_form(table: dict[str, User]) -> None:
    st.title(t("auth.title"))
    st.caption(t("auth.caption"))
    with st.form("sign_in", clear_on_submit=True, width=420):
        username = st.text_input(t("auth.username"), autocomplete="username")
        password = st.text_input(t("auth.password"), type="password",
                                 autocomplete="current-password")  # fmt: skip
        submitted = st.form_submit_button(t("auth.submit"), type="primary")
    if submitted:
        try:  # the lockout state lives in the home: no sign-in without it (fail closed)
            throttle = SignInThrottle(Home.resolve())
            attempt = throttle.attempt(table, username or "", password or "", _client_address())
        except (OSError, sqlite3.Error, HomeError) as exc:
            error = ui.plain(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            st.error(t("auth.throttle_unavailable", error=error), icon=":material/error:")
            return
        user = attempt.user
        if user is not None:
            st.session_state[AUTH_KEY] = user.username
            st.session_state.pop(FAILURES_KEY, None)
            st.rerun()
        failures = st.session_state.get(FAILURES_KEY, 0) + 1
        st.session_state[FAILURES_KEY] = failures
        time.sleep(min(FAIL_DELAY * 2 ** (failures - 1), MAX_DELAY))
        if attempt.locked_for > 0:
            minutes = max(1, math.ceil(attempt.locked_for / 60))
            st.error(t("auth.locked", minutes=minutes), icon=":material/lock_clock:")
        else:
            st.error(t("auth.failed"), icon=":material/lock:")
    if oidc_enabled():
        email = _oidc_email()
        if email:  # signed in with the identity provider, but no role here
            st.warning(t("auth.oidc_no_role", email=ui.plain(email)), icon=":material/person_off:")
            st.button(t("auth.sign_out"), on_click=st.logout)
        else:
            st.button(t("auth.oidc"), on_click=st.login, icon=":material/login:")


def gate(pages: list) -> User | None:
    """Call before anything shows data. Returns the signed-in user (None in open mode);
    when someone must sign in first, shows the form (the requested page stays in the URL)
    and ends the run."""
    try:
        table = users()
    except (UsersError, OSError, ValueError) as exc:
        st.navigation(pages, position="hidden")
        error = ui.plain(str(exc).splitlines()[0])
        st.error(t("auth.bad_file", error=error), icon=":material/error:")
        st.stop()
        raise  # unreachable
    if table is None:
        if _required():
            st.navigation(pages, position="hidden")
            st.error(t("auth.required_no_users"), icon=":material/lock:")
            st.stop()
        st.sidebar.warning(t("auth.open_notice"), icon=":material/lock_open:")
        return None
    user = signed_in(table)
    if user is None:
        st.navigation(pages, position="hidden")
        _sign_in_form(table)
        st.stop()
        raise AssertionError("unreachable")  # st.stop() ends the run
    with st.sidebar:
        name = ui.plain(user.name or user.username)
        st.markdown(t("auth.signed_in", name=name, role=ui.plain(role_label(user))))
        if st.button(t("auth.sign_out"), icon=":material/logout:", key="sign_out"):
            _sign_out()
    return user
