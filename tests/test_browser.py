"""The app in a real browser: `streamlit run` on a free port, driven by Debian's Chromium
through Playwright. Every page must render without an exception, with its charts drawn;
a full-page screenshot of each lands in tests/artifacts/ for a human to look at."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest

from tests.conftest import free_port, read_snapshot

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app" / "streamlit_app.py"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGE_TIMEOUT_MS = 90_000


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"streamlit did not become healthy at {url} in {timeout} s")


@pytest.fixture(scope="module")
def home(request) -> Path:
    """The demo city of conftest, or an existing home named by RAPOR_BROWSER_HOME (to look
    at the app on a full-size city: RAPOR_BROWSER_HOME=/tmp/appdemo pytest -m browser)."""
    chosen = os.environ.get("RAPOR_BROWSER_HOME")
    return Path(chosen) if chosen else request.getfixturevalue("demo_home")


@contextlib.contextmanager
def serve_app(home_root: Path, log: Path, env_drop: tuple[str, ...] = (),
              port: int | None = None, extra_args: tuple[str, ...] = ()):  # fmt: skip
    """The Streamlit app on `home_root`, on `port` (a free local one by default), with
    `extra_args` for `streamlit run`, for as long as the block runs; its log must hold no
    traceback when it stops."""
    port = port or free_port()
    env = {**os.environ, "RAPOR_HOME": str(home_root)}
    for name in env_drop:
        env.pop(name, None)
    command = [sys.executable, "-m", "streamlit", "run", str(APP),
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", *extra_args]  # fmt: skip
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        server_log = log.read_text()
        assert "Traceback" not in server_log, server_log[-3000:]


@contextlib.contextmanager
def launch_chromium():
    """Debian's headless Chromium through Playwright (skips when it is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def server(home, tmp_path_factory):
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with serve_app(home, log) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as chromium:
        yield chromium


def _officer_and_month(home: Path) -> tuple[str, str]:
    """A busy officer in the latest final month: the profile page then has charts, a
    history table and cases."""
    con = duckdb.connect(str(home / "serving" / "rapor.duckdb"), read_only=True)
    try:
        return con.execute("""
            SELECT officer_nip, month FROM officer_month
            WHERE NOT provisional
              AND month <= (SELECT strftime(as_of_date, '%Y-%m') FROM snapshot_info)
            ORDER BY month DESC, resolution_due + response_due DESC, officer_nip
            LIMIT 1
        """).fetchone()
    finally:
        con.close()


def _settle(page, heading: str, charts: int) -> None:
    """Wait for the page's heading, for Streamlit to finish the run and for at least
    `charts` Vega charts to be drawn with a non-zero size."""
    page.get_by_role("heading", name=heading).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(
        """(n) => {
            const running = document.querySelector('[data-testid="stStatusWidget"]');
            const drawn = [...document.querySelectorAll('.vega-embed canvas, .vega-embed svg')]
                .filter(e => { const r = e.getBoundingClientRect();
                               return r.width > 0 && r.height > 0; });
            return !running && drawn.length >= n;
        }""",
        arg=charts,
        timeout=PAGE_TIMEOUT_MS,
    )
    page.wait_for_timeout(1000)  # let the last chart finish its transition


def _screenshot(page, name: str) -> Path:
    """Grow the viewport to the whole app (Streamlit scrolls inside its main block, so a
    plain full-page screenshot would stop at the window) and save a PNG."""
    height = page.evaluate(
        """() => { const main = document.querySelector('[data-testid="stMain"]');
                   return Math.max(document.body.scrollHeight, main ? main.scrollHeight : 0); }"""
    )
    page.set_viewport_size({"width": 1440, "height": min(max(int(height) + 40, 900), 16000)})
    page.wait_for_timeout(1500)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _check_clean(page) -> None:
    text = page.inner_text("body")
    assert "Traceback" not in text
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


def _chart_sizes(page) -> list[tuple[float, float]]:
    boxes = page.locator(".vega-embed canvas, .vega-embed svg")
    return [(b["width"], b["height"]) for b in
            (boxes.nth(i).bounding_box() for i in range(boxes.count())) if b]  # fmt: skip


PAGES = [
    # (path, heading, charts at least, tables at least, screenshot); the overview is the
    # default page at /; the profile and case pages are reached by clicking (below)
    ("", "Ikhtisar pimpinan", 6, 0, "ikhtisar"),
    ("pegawai", "Pegawai (ASN)", 0, 1, "pegawai"),
    ("rekomendasi?month={rec_month}", "Rekomendasi kepegawaian", 0, 1, "rekomendasi"),
    ("inspektorat", "Inspektorat", 0, 2, "inspektorat"),
    ("mutu", "Mutu data", 0, 2, "mutu"),
    ("definisi", "Definisi metrik", 0, 0, "definisi"),
]
WINDOW = {"width": 1440, "height": 900}


@pytest.mark.timeout(600)
def test_every_page_renders(server, browser, home):
    nip, month = _officer_and_month(home)
    # the small test city has no recommendations in some months: show one that has
    ((rec_month,),) = read_snapshot(home, "SELECT max(month) FROM recommendations")
    context = browser.new_context(viewport=WINDOW, locale="id-ID")
    page = context.new_page()
    try:
        for path, heading, charts, tables, name in PAGES:
            page.set_viewport_size(WINDOW)
            path = path.format(rec_month=rec_month)
            page.goto(f"{server}/{path}", wait_until="domcontentloaded")
            _settle(page, heading, charts)
            _check_clean(page)
            sizes = _chart_sizes(page)
            assert len(sizes) >= charts and all(w > 0 and h > 0 for w, h in sizes), sizes
            assert page.locator('[data-testid="stDataFrame"]').count() >= tables, path
            if path == "definisi":
                for anchor in ("working_days", "lebaran_example", "resolution_rate", "rating"):
                    assert page.locator(f"#{anchor}").count() == 1, anchor
                assert "2025-04-10" in page.inner_text("body")
            _screenshot(page, name)

        page.set_viewport_size(WINDOW)
        page.goto(f"{server}/profil_pegawai?nip={nip}&month={month}",
                  wait_until="domcontentloaded")  # fmt: skip
        _settle(page, "Profil pegawai", 1)
        _check_clean(page)
        body = page.inner_text("body")
        assert nip in body
        assert page.locator('[data-testid="stDataFrame"]').count() >= 2
        assert all(w > 0 and h > 0 for w, h in _chart_sizes(page))
        # show the first case's event timeline: one more table
        tables_before = page.locator('[data-testid="stDataFrame"]:visible').count()
        page.get_by_role("combobox", name="Linimasa kasus (satu per satu)").click()
        page.keyboard.press("ArrowDown")  # opens the list
        page.get_by_role("option").first.click()
        page.wait_for_function(
            "(n) => [...document.querySelectorAll('[data-testid=\"stDataFrame\"]')]"
            ".filter(e => e.getBoundingClientRect().height > 0).length > n",
            arg=tables_before,
            timeout=PAGE_TIMEOUT_MS,
        )
        _screenshot(page, "profil_pegawai")

        # a definition link next to a number opens the definitions page at that definition
        page.set_viewport_size(WINDOW)
        page.goto(server, wait_until="domcontentloaded")
        _settle(page, "Ikhtisar pimpinan", 6)
        link = page.locator('a[href="definisi?lang=id#resolution_rate"]').first
        assert link.get_attribute("target") == "_blank"
        with context.expect_page() as opened:
            link.click()
        definition = opened.value  # the context's viewport: WINDOW
        definition.get_by_role("heading", name="Definisi metrik").wait_for(timeout=PAGE_TIMEOUT_MS)
        heading = definition.locator("#resolution_rate")
        heading.wait_for(timeout=PAGE_TIMEOUT_MS)
        definition.wait_for_function(
            """() => { const r = document.getElementById('resolution_rate')
                                 .getBoundingClientRect();
                       return r.top >= 0 && r.top < window.innerHeight / 2; }""",
            timeout=PAGE_TIMEOUT_MS,
        )
        assert "resolution_rate" in heading.inner_text()
        _check_clean(definition)
        definition.wait_for_timeout(1000)
        ARTIFACTS.mkdir(exist_ok=True)
        definition.screenshot(path=str(ARTIFACTS / "definisi_resolution_rate.png"))
        definition.close()

        # English: the sidebar selector changes the headings
        page.set_viewport_size(WINDOW)
        page.goto(server, wait_until="domcontentloaded")
        _settle(page, "Ikhtisar pimpinan", 6)
        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="English").click()
        _settle(page, "Leadership overview", 6)
        _check_clean(page)
        _screenshot(page, "ikhtisar_en")

        # the definitions in English, opened at a definition the way the app links to it
        page.set_viewport_size(WINDOW)
        page.goto(f"{server}/definisi?lang=en#satisfaction_shrunk", wait_until="domcontentloaded")
        page.get_by_role("heading", name="Metric definitions").wait_for(timeout=PAGE_TIMEOUT_MS)
        page.locator("#satisfaction_shrunk").wait_for(timeout=PAGE_TIMEOUT_MS)
        page.wait_for_function(
            """() => { const r = document.getElementById('satisfaction_shrunk')
                                 .getBoundingClientRect();
                       return r.top >= 0 && r.top < window.innerHeight / 2; }""",
            timeout=PAGE_TIMEOUT_MS,
        )
        _check_clean(page)
        assert "Working days and calendars" in page.inner_text("body")
        page.wait_for_timeout(1000)
        page.screenshot(path=str(ARTIFACTS / "definisi_en_satisfaction_shrunk.png"))
    finally:
        context.close()


@pytest.mark.timeout(300)
def test_missing_snapshot_says_how_to_publish(browser, tmp_path):
    port = free_port()
    env = {**os.environ, "RAPOR_HOME": str(tmp_path / "empty")}
    command = [sys.executable, "-m", "streamlit", "run", str(APP),
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        page = browser.new_page()
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_text("rapor run --home").first.wait_for(timeout=PAGE_TIMEOUT_MS)
        text = page.inner_text("body")
        assert "Traceback" not in text
        assert "Belum ada data yang diterbitkan" in text
        _screenshot(page, "snapshot_missing")
        page.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.mark.timeout(600)
def test_overview_downloads_excel_and_pdf(server, browser, home, tmp_path):
    """Click the overview's two download buttons in Chromium; the files that arrive hold the
    month's numbers (checked against the snapshot) and, in the PDF, the policy version on
    every page."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    context = browser.new_context(viewport=WINDOW, locale="id-ID", accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(server, wait_until="domcontentloaded")
        _settle(page, "Ikhtisar pimpinan", 6)
        files = {}
        for fmt, label in (("xlsx", "Unduh Excel"), ("pdf", "Unduh laporan PDF")):
            button = page.get_by_role("button", name=label, exact=True)
            with page.expect_download(timeout=PAGE_TIMEOUT_MS) as download:
                button.click()
            files[fmt] = tmp_path / download.value.suggested_filename
            download.value.save_as(files[fmt])
    finally:
        context.close()
    # rapor-<tenant>-<YYYY>-<MM>.xlsx: the month the page had selected
    tenant, year, mm = files["xlsx"].stem.removeprefix("rapor-").rsplit("-", 2)
    month = f"{year}-{mm}"
    con = duckdb.connect(str(Path(home) / "serving" / "rapor.duckdb"), read_only=True)
    try:
        units = con.execute(
            "SELECT count(*) FROM unit_month WHERE month = $m", {"m": month}
        ).fetchall()[0][0]
        name, policy = con.execute(
            "SELECT tenant_name, policy_version FROM snapshot_info"
        ).fetchall()[0]
    finally:
        con.close()
    book = load_workbook(files["xlsx"], read_only=True)
    assert {"ringkasan", "unit_month", "officer_month"} <= set(book.sheetnames)
    assert book["unit_month"].max_row - 1 == units  # header row + one row per unit
    assert files["pdf"].name == f"rapor-{tenant}-{month}.pdf"
    pages = [p.extract_text() for p in PdfReader(files["pdf"]).pages]
    assert len(pages) >= 2
    assert name in pages[0] and month in pages[0]
    assert all(str(policy) in text for text in pages)


def _pick_first_row(page, table_key: str) -> None:
    """Select the first row of a Streamlit table (a canvas grid): click its row marker."""
    grid = page.locator(f".st-key-{table_key} [data-testid='stDataFrame']")
    grid.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)  # header row 35 px, rows 35 px


def _wait_for_path(page, path: str) -> dict[str, str]:
    """Wait until the app switched to `path`; its query parameters."""
    page.wait_for_function(f"() => location.pathname.endsWith('/{path}')", timeout=PAGE_TIMEOUT_MS)
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


@pytest.mark.timeout(600)
def test_click_from_unit_to_officer_to_case(server, browser, home):
    """Leadership's drill-down: a unit in the league table, one of its officers, one of the
    officer's cases; each page shows what the snapshot holds for what was clicked."""
    context = browser.new_context(viewport=WINDOW, locale="id-ID")
    page = context.new_page()
    con = duckdb.connect(str(home / "serving" / "rapor.duckdb"), read_only=True)
    try:
        page.goto(server, wait_until="domcontentloaded")
        _settle(page, "Ikhtisar pimpinan", 6)
        page.get_by_text("Tabel peringkat").click()
        _pick_first_row(page, "unit_ranking_table")
        unit_params = _wait_for_path(page, "pegawai")
        unit, month = unit_params["unit"], unit_params["month"]
        _settle(page, "Pegawai (ASN)", 0)
        _check_clean(page)
        name, due, met = con.execute(
            "SELECT unit_name, resolution_due, resolution_met FROM unit_month AS m "
            "JOIN units USING (unit_code) WHERE m.unit_code = $u AND month = $m",
            {"u": unit, "m": month},
        ).fetchone()
        body = page.inner_text("body")
        assert f"{name}: angka bulan {month}" in body
        assert f"{met} dari {due} tenggat" in body
        _screenshot(page, "skpd")

        page.set_viewport_size(WINDOW)
        _pick_first_row(page, "officer_table")
        nip = _wait_for_path(page, "profil_pegawai")["nip"]
        _settle(page, "Profil pegawai", 1)
        _check_clean(page)
        assert con.execute(
            "SELECT count(*) FROM officer_month WHERE officer_nip = $n AND month = $m "
            "AND unit_code = $u",
            {"n": nip, "m": month, "u": unit},
        ).fetchone() == (1,)
        assert nip in page.inner_text("body")

        page.set_viewport_size(WINDOW)
        _pick_first_row(page, "officer_cases_table")
        case_id = _wait_for_path(page, "kasus")["case"]
        _settle(page, "Kasus", 0)
        _check_clean(page)
        # the case is one behind the officer's month, and the page shows its own numbers
        assert (
            con.execute(
                "SELECT count(*) FROM holder_facts WHERE case_id = $c AND officer_nip = $n "
                "AND month = $m",
                {"c": case_id, "n": nip, "m": month},
            ).fetchone()[0]
            >= 1
        )
        events, clocks, members = con.execute(
            "SELECT (SELECT count(*) FROM case_events WHERE case_id = $c), "
            "(SELECT count(*) FROM clocks WHERE case_id = $c), "
            "(SELECT count(*) FROM case_members WHERE case_id = $c)",
            {"c": case_id},
        ).fetchone()
        body = page.inner_text("body")
        assert case_id in body
        assert f"Linimasa peristiwa ({events})" in body
        assert f"Pengaduan dalam kasus ini ({members})" in body
        assert clocks >= 1
        # members, deadlines, holders, events
        assert page.locator('[data-testid="stDataFrame"]').count() == 4
        _screenshot(page, "kasus")
    finally:
        con.close()
        context.close()


@pytest.mark.timeout(300)
def test_a_flag_opens_its_case(server, browser, home):
    """The inspectorate's flags link to the flagged case's page."""
    ((month,),) = read_snapshot(home, "SELECT max(month) FROM flags")
    context = browser.new_context(viewport=WINDOW, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(f"{server}/inspektorat?month={month}", wait_until="domcontentloaded")
        _settle(page, "Inspektorat", 0)
        _pick_first_row(page, "flags_table")
        case_id = _wait_for_path(page, "kasus")["case"]
        _settle(page, "Kasus", 0)
        _check_clean(page)
        # the first row of the list is one of the month's flagged cases
        ((flagged,),) = read_snapshot(
            home,
            "SELECT count(*) FROM flags WHERE month = $m AND case_id = $c",
            {"m": month, "c": case_id},
        )
        assert flagged >= 1
        assert case_id in page.inner_text("body")
    finally:
        context.close()
