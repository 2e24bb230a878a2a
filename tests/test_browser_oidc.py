"""OIDC sign-in (st.login) in a real browser against a real identity provider: the
`oidc-provider-mock` OpenID Provider on a local port, Streamlit configured through a
secrets file with an `[auth]` section (docs/access.md). A registered e-mail gets its role
from users.yaml; an unknown identity is told so and sees no data."""

from __future__ import annotations

import pytest

from pipelines.home import Home
from pipelines.users import add_user
from tests.conftest import free_port
from tests.test_browser import PAGE_TIMEOUT_MS, launch_chromium, serve_app
from tests.test_browser_roles import PASSWORD, USERS, _cells, _id_int, _settled
from tests.test_users import make_cast

pytestmark = pytest.mark.browser

KADIS = "kadis.sso@example.go.id"
STRANGER = "orang.lain@example.go.id"


@pytest.fixture(scope="module")
def cast(demo_home, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("browser_oidc") / "home"
    cast = make_cast(demo_home, root, USERS, PASSWORD)
    # an SKPD head who can only sign in through the identity provider
    add_user(Home(root), "kadis.sso", "skpd_head", None, unit=cast["unit"], email=KADIS)
    return cast


@pytest.fixture(scope="module")
def provider():
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub=KADIS, claims={"email": KADIS, "name": "Kadis SSO"}),
             User(sub=STRANGER, claims={"email": STRANGER, "name": "Orang Lain"})]  # fmt: skip
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def server(cast, provider, tmp_path_factory):
    folder = tmp_path_factory.mktemp("streamlit_oidc")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "uji-cookie-secret-yang-panjang-sekali"\n'
        'client_id = "rapor"\n'
        'client_secret = "rapor-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    with serve_app(cast["root"], folder / "server.log", env_drop=("RAPOR_REQUIRE_SIGNIN",),
                   port=port, extra_args=("--secrets.files", str(secrets))) as url:  # fmt: skip
        yield url


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as chromium:
        yield chromium


def _sign_in_with_sso(browser, url: str, identity: str):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("heading", name="Masuk ke rapor").wait_for(timeout=PAGE_TIMEOUT_MS)
    page.get_by_role("button", name="Masuk dengan akun SSO").click()
    # the identity provider's own authorization form
    page.locator('input[name="sub"][type="text"]').wait_for(timeout=PAGE_TIMEOUT_MS)
    page.locator('input[name="sub"][type="text"]').fill(identity)
    page.get_by_role("button", name="Authorize").click()
    return context, page


@pytest.mark.timeout(300)
def test_registered_identity_gets_its_role_and_scope(server, browser, cast):
    month = cast["month"]
    context, page = _sign_in_with_sso(browser, server, KADIS)
    try:
        # back from the provider, Streamlit opens the app's first page, signed in
        text = _settled(page, "Ikhtisar pimpinan")
        assert f"Kepala SKPD {cast['unit']}" in text and "kadis.sso" in text
        # the session cookie keeps them signed in on every page; the scope is their unit
        page.goto(f"{server}/pegawai?month={month}", wait_until="domcontentloaded")
        text = _settled(page, "Pegawai (ASN)")
        assert f"Kepala SKPD {cast['unit']}" in text
        assert f"{_id_int(cast['own_count'])} pegawai pada bulan {month}" in text
        assert cast["other_nip"] not in _cells(page)
    finally:
        context.close()


@pytest.mark.timeout(300)
def test_unknown_identity_is_told_and_sees_nothing(server, browser, cast):
    context, page = _sign_in_with_sso(browser, server, STRANGER)
    try:
        page.get_by_text(f"Akun {STRANGER} belum terdaftar").wait_for(timeout=PAGE_TIMEOUT_MS)
        assert page.locator('[data-testid="stMetric"], [data-testid="stDataFrame"]').count() == 0
        assert page.locator(".vega-embed").count() == 0
    finally:
        context.close()
