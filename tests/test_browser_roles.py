"""Sign-in with roles in a real browser (Debian's Chromium through Playwright): a copy of the
demo city with a users file, one user per role, each signing in through the form and
checked for what they may see and what not; an SKPD head editing the URL to another unit's
officer gets "not allowed" and none of that officer's numbers."""

from __future__ import annotations

import pytest

from tests.conftest import read_snapshot
from tests.test_browser import PAGE_TIMEOUT_MS, launch_chromium, serve_app
from tests.test_users import make_cast

pytestmark = pytest.mark.browser

PASSWORD = "sandi-uji-browser-7"
AS_OF_MONTH = "(SELECT strftime(as_of_date, '%Y-%m') FROM snapshot_info)"
USERS = {"pimpinan": "leadership", "bkpsdm": "hr", "inspektur": "inspectorate",
         "kepala": "skpd_head"}  # fmt: skip
WIDE = {"width": 3840, "height": 1600}  # every column of a table drawn, none scrolled away
# the text of every cell a Streamlit table (glide grid) draws, scrolled from top to bottom
GRID_CELLS = """async (el) => {
  const seen = new Set();
  const grab = () => el.querySelectorAll('td').forEach(td => seen.add(td.innerText.trim()));
  const sc = el.querySelector('.dvn-scroller');
  grab();
  if (sc) {
    for (let y = 0; y <= sc.scrollHeight; y += Math.max(40, sc.clientHeight / 2)) {
      sc.scrollTo(0, y); await new Promise(r => setTimeout(r, 200)); grab();
    }
    sc.scrollTo(0, 0);
  }
  return [...seen];
}"""


@pytest.fixture(scope="module")
def cast(demo_home, tmp_path_factory) -> dict:
    """A copy of the demo city with one user per role (tests/test_users.py make_cast)."""
    root = tmp_path_factory.mktemp("browser_roles") / "home"
    return make_cast(demo_home, root, USERS, PASSWORD)


@pytest.fixture(scope="module")
def server(cast, tmp_path_factory):
    log = tmp_path_factory.mktemp("streamlit_roles") / "server.log"
    with serve_app(cast["root"], log, env_drop=("RAPOR_REQUIRE_SIGNIN",)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as chromium:
        yield chromium


def _open_signed_in(browser, url: str, username: str, password: str = PASSWORD,
                    viewport: dict | None = None):  # fmt: skip
    """A fresh session (a new context) at `url`, signed in through the form."""
    context = browser.new_context(viewport=viewport or {"width": 1440, "height": 900},
                                  locale="id-ID")  # fmt: skip
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("heading", name="Masuk ke rapor").wait_for(timeout=PAGE_TIMEOUT_MS)
    assert page.locator('[data-testid="stMetric"], [data-testid="stDataFrame"]').count() == 0
    _sign_in_form(page, username, password)
    return context, page


def _sign_in_form(page, username: str, password: str = PASSWORD) -> None:
    """Fill in and send the sign-in form the page shows."""
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()


def _settled(page, heading: str) -> str:
    page.get_by_role("heading", name=heading).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=PAGE_TIMEOUT_MS,
    )
    page.wait_for_timeout(1500)
    text = page.inner_text("body")
    assert "Traceback" not in text
    assert page.locator('[data-testid="stException"]').count() == 0
    return text


def _cells(page) -> set[str]:
    grids = page.locator('[data-testid="stDataFrame"]')
    return {cell for i in range(grids.count()) for cell in grids.nth(i).evaluate(GRID_CELLS)}


def _id_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@pytest.mark.timeout(300)
def test_wrong_password_is_rejected(server, browser):
    context, page = _open_signed_in(browser, server, "kepala", "not-the-password")
    try:
        page.get_by_text("Nama pengguna atau kata sandi salah.").wait_for(timeout=PAGE_TIMEOUT_MS)
        assert page.get_by_role("heading", name="Ikhtisar pimpinan").count() == 0
        assert page.locator('[data-testid="stMetric"], [data-testid="stDataFrame"]').count() == 0
    finally:
        context.close()


@pytest.mark.timeout(400)
@pytest.mark.parametrize("username", ["pimpinan", "bkpsdm", "inspektur"])
def test_every_unit_roles_see_every_officer(server, browser, cast, username):
    month = cast["month"]
    context, page = _open_signed_in(browser, f"{server}/pegawai?month={month}", username)
    try:
        text = _settled(page, "Pegawai (ASN)")
        assert f"{_id_int(cast['all_count'])} pegawai pada bulan {month}" in text
        assert f"Masuk sebagai {username.title()}" in text
        page.goto(f"{server}/profil_pegawai?nip={cast['other_nip']}&month={month}",
                  wait_until="domcontentloaded")  # fmt: skip
        page.get_by_label("Nama pengguna").fill(username)  # a reload is a new session
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
        text = _settled(page, "Profil pegawai")
        assert cast["other_nip"] in text and "Tidak diizinkan" not in text
        assert page.locator('[data-testid="stMetric"]').count() >= 6
    finally:
        context.close()


@pytest.mark.timeout(400)
@pytest.mark.parametrize(("username", "sees_text"),
                         [("bkpsdm", False), ("inspektur", True), ("kepala", False)])  # fmt: skip
def test_confidential_text_only_for_the_inspectorate(server, browser, cast, username, sees_text):
    url = f"{server}/profil_pegawai?nip={cast['nip']}&month={cast['month']}"
    context, page = _open_signed_in(browser, url, username, viewport=WIDE)
    try:
        text = _settled(page, "Profil pegawai")
        assert cast["nip"] in text
        page.get_by_text(cast["case_id"]).first.wait_for(state="attached", timeout=PAGE_TIMEOUT_MS)
        cells = _cells(page)
        assert cast["case_id"] in cells  # the case is drawn: its title cell was read too
        assert (cast["title"] in cells) is sees_text
        if not sees_text:  # (the flags column says "rahasia" for every role)
            assert "rahasia" in cells
    finally:
        context.close()


@pytest.mark.timeout(400)
def test_skpd_head_sees_only_their_unit_and_cannot_open_another_by_url(server, browser, cast):
    month, unit = cast["month"], cast["unit"]
    context, page = _open_signed_in(browser, f"{server}/pegawai?month={month}", "kepala")
    try:
        text = _settled(page, "Pegawai (ASN)")
        assert f"{_id_int(cast['own_count'])} pegawai pada bulan {month}" in text
        assert cast["own_count"] < cast["all_count"]
        assert f"Kepala SKPD {unit}" in text
        assert cast["other_nip"] not in _cells(page)

        # their own officer opens
        page.goto(f"{server}/profil_pegawai?nip={cast['nip']}&month={month}",
                  wait_until="domcontentloaded")  # fmt: skip
        _sign_in_form(page, "kepala")
        text = _settled(page, "Profil pegawai")
        assert cast["nip"] in text and "Tidak diizinkan" not in text
        assert page.locator('[data-testid="stMetric"]').count() >= 6

        # another unit's officer, by editing the URL: refused, nothing of theirs shown
        page.goto(f"{server}/profil_pegawai?nip={cast['other_nip']}&month={month}",
                  wait_until="domcontentloaded")  # fmt: skip
        _sign_in_form(page, "kepala")
        text = _settled(page, "Profil pegawai")
        assert "Tidak diizinkan" in text
        assert page.locator('[data-testid="stMetric"]').count() == 0
        assert page.locator('[data-testid="stDataFrame"]').count() == 0
        assert page.locator(".vega-embed").count() == 0
        assert cast["other_name"] not in text
        assert cast["other_unit"] not in text

        # and another unit's officer list, by editing ?unit=
        page.goto(f"{server}/pegawai?unit={cast['other_unit']}&month={month}",
                  wait_until="domcontentloaded")  # fmt: skip
        _sign_in_form(page, "kepala")
        text = _settled(page, "Pegawai (ASN)")
        assert "Tidak diizinkan" in text
        assert page.locator('[data-testid="stDataFrame"]').count() == 0

        # a case their unit never held, by editing ?case=: refused, nothing of it shown
        ((other_case,),) = read_snapshot(
            cast["root"],
            """
            SELECT min(case_id) FROM cases
            WHERE coalesce(unit_code, '') <> $u
              AND case_id NOT IN (SELECT case_id FROM segments WHERE unit_code = $u)
              AND case_id NOT IN (SELECT case_id FROM holder_facts WHERE unit_code = $u)
        """,
            {"u": unit},
        )
        page.goto(f"{server}/kasus?case={other_case}", wait_until="domcontentloaded")
        _sign_in_form(page, "kepala")
        text = _settled(page, "Kasus")
        assert f"Kasus {other_case} tidak pernah dipegang unit Anda ({unit})" in text
        assert page.locator('[data-testid="stDataFrame"]').count() == 0
        assert page.locator('[data-testid="stMetric"]').count() == 0

        # their own unit's confidential case opens, its text hidden
        page.goto(f"{server}/kasus?case={cast['case_id']}", wait_until="domcontentloaded")
        _sign_in_form(page, "kepala")
        text = _settled(page, "Kasus")
        assert cast["case_id"] in text and "rahasia" in text
        assert cast["title"] not in text
        assert page.locator('[data-testid="stDataFrame"]').count() == 4

        # sign out: back to the form
        page.get_by_role("button", name="Keluar").click()
        page.get_by_role("heading", name="Masuk ke rapor").wait_for(timeout=PAGE_TIMEOUT_MS)
    finally:
        context.close()
