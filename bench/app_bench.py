"""Benchmark: how fast each page of the app answers, cold and warm, in a real browser.

    .venv/bin/python bench/app_bench.py [--home demo-home] [--rounds 5]

Serves the app on the home's published snapshot (`rapor app`'s Streamlit, on a free port)
and opens every page in Debian's headless Chromium through Playwright. A page "answers"
when its heading is shown, Streamlit has finished the script run and every chart is drawn;
the time runs from the navigation to that moment, so it includes the browser's work.
The first visit of a page is cold (the server's query caches are empty); the following
`--rounds` visits, each a full reload and so a new Streamlit session, are warm. A user who
has the app open moves between pages through the sidebar instead, which reuses the
session and skips the browser's reload: `--rounds` such moves (from the definitions page)
are timed too, for the pages the sidebar opens on their own. Reported per page: cold
seconds, median and worst warm reload, median and worst sidebar move, and warm / cold.
The home defaults to the README's demo city (`python3 dev.py demo`, 30,000 complaints).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_browser import launch_chromium, serve_app  # noqa: E402

WINDOW = {"width": 1440, "height": 900}
SETTLED = """(n) => {
    const running = document.querySelector('[data-testid="stStatusWidget"]');
    const drawn = [...document.querySelectorAll('.vega-embed canvas, .vega-embed svg')]
        .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
    return !running && drawn.length >= n;
}"""


def pages(snapshot: Path) -> list[tuple[str, str, str, int, str | None]]:
    """(name, path, heading, charts, sidebar link) for every page, on a busy officer and
    one of their cases in the latest settled month; the profile and the case page need a
    chosen officer or case, so they have no sidebar move here."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        nip, month = con.execute("""
            SELECT officer_nip, month FROM officer_month
            WHERE NOT provisional
            ORDER BY month DESC, resolution_due + response_due DESC, officer_nip LIMIT 1
        """).fetchone()
        case_id = con.execute(
            "SELECT min(case_id) FROM holder_facts WHERE officer_nip = $n AND month = $m",
            {"n": nip, "m": month},
        ).fetchone()[0]
        unit = con.execute(
            "SELECT unit_code FROM officer_month WHERE officer_nip = $n AND month = $m",
            {"n": nip, "m": month},
        ).fetchone()[0]
    finally:
        con.close()
    return [
        ("ikhtisar", f"?month={month}", "Ikhtisar pimpinan", 6, "Ikhtisar"),
        ("skpd", f"pegawai?unit={unit}&month={month}", "Pegawai (ASN)", 0, "Pegawai"),
        ("profil_pegawai", f"profil_pegawai?nip={nip}&month={month}", "Profil pegawai", 1,
         None),
        ("kasus", f"kasus?case={case_id}", "Kasus", 0, None),
        ("rekomendasi", f"rekomendasi?month={month}", "Rekomendasi kepegawaian", 0,
         "Rekomendasi"),
        ("inspektorat", f"inspektorat?month={month}", "Inspektorat", 0, "Inspektorat"),
        ("mutu", "mutu", "Mutu data", 0, "Mutu data"),
    ]  # fmt: skip


def answer_seconds(page, url: str, heading: str, charts: int) -> float:
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("heading", name=heading).first.wait_for(timeout=120_000)
    page.wait_for_function(SETTLED, arg=charts, timeout=120_000, polling=50)
    return time.perf_counter() - started


def move_seconds(page, server: str, link: str, heading: str, charts: int) -> float:
    """From the definitions page, through the sidebar link `link`, until `heading`'s page
    has finished."""
    answer_seconds(page, f"{server}/definisi", "Definisi metrik", 0)
    sidebar = page.locator('[data-testid="stSidebarNav"]')
    started = time.perf_counter()
    sidebar.get_by_role("link", name=link, exact=True).click()
    page.get_by_role("heading", name=heading).first.wait_for(timeout=120_000)
    page.wait_for_function(SETTLED, arg=charts, timeout=120_000, polling=50)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", default=str(ROOT / "demo-home"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    home = Path(args.home).resolve()
    snapshot = home / "serving" / "rapor.duckdb"
    if not snapshot.exists():
        sys.exit(f"no snapshot at {snapshot}: run `python3 dev.py demo` (or rapor demo) first")
    log = Path("/tmp") / "rapor-app-bench.log"
    rows = []
    with serve_app(home, log) as server, launch_chromium() as chromium:
        context = chromium.new_context(viewport=WINDOW, locale="id-ID")
        page = context.new_page()
        # load the app's static files once, so that the first page is not also the
        # browser's first visit
        answer_seconds(page, f"{server}/definisi", "Definisi metrik", 0)
        for name, path, heading, charts, link in pages(snapshot):
            url = f"{server}/{path}"
            cold = answer_seconds(page, url, heading, charts)
            warm = [answer_seconds(page, url, heading, charts) for _ in range(args.rounds)]
            moves = [
                move_seconds(page, server, link, heading, charts) for _ in range(args.rounds)
            ] if link else []  # fmt: skip
            rows.append((name, cold, warm, moves))
        context.close()
    print(f"app pages on {home} ({args.rounds} warm reloads and sidebar moves each)")
    print(f"{'page':<16}{'cold s':>8}{'reload med':>12}{'reload max':>12}"
          f"{'move med':>10}{'move max':>10}{'reload/cold':>13}")  # fmt: skip
    for name, cold, warm, moves in rows:
        med = statistics.median(warm)
        move = f"{statistics.median(moves):>10.2f}{max(moves):>10.2f}" if moves else " " * 20
        print(f"{name:<16}{cold:>8.2f}{med:>12.2f}{max(warm):>12.2f}{move}{med / cold:>13.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
