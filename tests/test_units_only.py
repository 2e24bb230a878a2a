"""A source that records only units (many cities do): no officer_nip on any event, no
reference/officers.csv. Its units still get month rows, the league table and exports; the
officer views say plainly that there are no officer records.

Kota Uji's units and calendar; a source written here, all in February 2025 (no holiday in
February 2025; DPU works 5 days a week, Puskesmas A 6). Worked by hand:
  U1 Mon 3 Feb 09:00; Diskominfo verifies 09:30, forwards to DPU 10:00; DPU responds Tue 4
     Feb, resolves Wed 5 Feb: resolution in 2 working days, met; response met.
  U2 Mon 3 Feb 09:00; forwarded to DPU 11:00; DPU responds Tue 4 Feb, resolves Mon 24 Feb.
     14 working days from 3 Feb: 4-7 (4), 10-14 (9), 17-21 (14): due Fri 21 Feb, missed.
  U3 Tue 4 Feb 09:00; forwarded to Puskesmas A 10:00; nothing more. On a 6-day week, 5
     working days from 4 Feb: 5, 6, 7, 8 (Sat), 10: response due Mon 10 Feb, missed;
     14: ..., 10-15 (10), 17-20 (14): resolution due Thu 20 Feb, missed.
February: DPU resolution 1 of 2 (50 %), response 2 of 2; Puskesmas A resolution 0 of 1,
response 0 of 1; Diskominfo forwarded all three on the day of receipt: forwarding 3 of 3.
"""

from __future__ import annotations

import io
import shutil

import openpyxl
import pytest

from app import exports
from pipelines.runner import run_pipeline
from tests.conftest import copy_fixture, read_snapshot, write_csv
from tests.test_browser import PAGE_TIMEOUT_MS, launch_chromium, serve_app

COMPLAINTS = [
    "source_id", "channel", "received_at", "category", "complaint_class", "title",
    "description", "district", "village", "lat", "lon", "reporter_id", "is_anonymous",
    "is_confidential", "due_at",
]  # fmt: skip
# the contract's event columns without officer_nip: the source does not record officers
EVENTS = ["source_id", "event_at", "event_type", "unit_code", "note"]
NO_OFFICERS_ID = "Sumber data ini tidak mencatat petugas"
NO_OFFICERS_EN = "This data source does not record officers"


@pytest.fixture(scope="module")
def units_only(tmp_path_factory):
    home = copy_fixture("kota_uji", tmp_path_factory.mktemp("units_only") / "home")
    (home.root / "reference" / "officers.csv").unlink()
    src = home.root / "sources" / "s1"
    shutil.rmtree(src)
    src.mkdir()
    write_csv(src / "complaints.csv", COMPLAINTS, [
        ["U1", "lapor", "2025-02-03 09:00:00", "jalan_rusak", "pengaduan", "Lubang", "jalan",
         "Tembalang", "Bulusan", "", "", "0811", "false", "false", ""],
        ["U2", "lapor", "2025-02-03 09:00:00", "drainase", "pengaduan", "Got", "mampet",
         "Banyumanik", "Srondol", "", "", "0822", "false", "false", ""],
        ["U3", "lapor", "2025-02-04 09:00:00", "puskesmas", "pengaduan", "Antre", "lama",
         "Pedurungan", "Tlogosari", "", "", "0833", "false", "false", ""],
    ])  # fmt: skip
    write_csv(src / "events.csv", EVENTS, [
        ["U1", "2025-02-03 09:30:00", "verified", "KOMINFO", ""],
        ["U1", "2025-02-03 10:00:00", "forwarded", "DPU", ""],
        ["U1", "2025-02-04 09:00:00", "responded", "DPU", "sedang dicek petugas lapangan"],
        ["U1", "2025-02-05 10:00:00", "resolved", "DPU", "lubang sudah ditambal rapi"],
        ["U2", "2025-02-03 09:30:00", "verified", "KOMINFO", ""],
        ["U2", "2025-02-03 11:00:00", "forwarded", "DPU", ""],
        ["U2", "2025-02-04 09:00:00", "responded", "DPU", "dijadwalkan pembersihan"],
        ["U2", "2025-02-24 10:00:00", "resolved", "DPU", "saluran sudah dibersihkan"],
        ["U3", "2025-02-04 09:30:00", "verified", "KOMINFO", ""],
        ["U3", "2025-02-04 10:00:00", "forwarded", "PKM-A", ""],
    ])  # fmt: skip
    summary = run_pipeline(home)
    return home, summary


def test_units_get_month_rows_without_any_officer(units_only):
    home, summary = units_only
    assert summary.officers == 0 and summary.units >= 2
    assert read_snapshot(home, "SELECT count(*) FROM quarantine") == [(0,)]
    assert read_snapshot(home, "SELECT count(*) FROM officer_month") == [(0,)]
    rows = read_snapshot(
        home,
        """SELECT unit_code, resolution_due, resolution_met, resolution_rate,
                  response_due, response_met
           FROM unit_month WHERE month = '2025-02' AND unit_code IN ('DPU', 'PKM-A')
           ORDER BY unit_code""",
    )
    assert rows == [("DPU", 2, 1, 0.5, 2, 2), ("PKM-A", 1, 0, 0.0, 1, 0)]
    assert read_snapshot(
        home,
        "SELECT forwarding_due, forwarding_met FROM unit_month"
        " WHERE month = '2025-02' AND unit_code = 'KOMINFO'",
    ) == [(3, 3)]


def test_league_table_and_export_of_a_units_only_source(units_only):
    home, _ = units_only
    out = io.BytesIO()
    exports.export_xlsx(home.snapshot_path, "2025-02", out, lang="en")
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    rows = list(book["unit_month"].iter_rows(values_only=True))
    units = {r["unit_code"]: r for r in (dict(zip(rows[0], x, strict=True)) for x in rows[1:])}
    assert (units["DPU"]["resolution_due"], units["DPU"]["resolution_met"]) == (2, 1)
    assert (units["PKM-A"]["resolution_due"], units["PKM-A"]["resolution_met"]) == (1, 0)
    assert len(list(book["officer_month"].iter_rows(values_only=True))) == 1  # header only
    cases = list(book["cases"].iter_rows(values_only=True))
    assert {r[0] for r in cases[1:]} == {"s1:U1", "s1:U2", "s1:U3"}
    pdf = io.BytesIO()
    exports.export_pdf(home.snapshot_path, "2025-02", pdf, lang="id")
    assert pdf.getvalue().startswith(b"%PDF")


@pytest.mark.browser
@pytest.mark.timeout(600)
def test_unit_page_and_officer_views_in_a_browser(units_only, tmp_path):
    home, _ = units_only
    with (
        serve_app(home.root, tmp_path / "server.log") as url,
        launch_chromium() as chromium,
    ):
        context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="id-ID")
        page = context.new_page()

        def body_of(path: str, heading: str, wait_for: str) -> str:
            page.goto(f"{url}/{path}", wait_until="domcontentloaded")
            page.get_by_role("heading", name=heading).first.wait_for(timeout=PAGE_TIMEOUT_MS)
            page.get_by_text(wait_for).first.wait_for(timeout=PAGE_TIMEOUT_MS)
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                timeout=PAGE_TIMEOUT_MS,
            )
            page.wait_for_timeout(1000)
            text = page.inner_text("body")
            assert "Traceback" not in text
            assert page.locator('[data-testid="stException"]').count() == 0
            return text

        try:
            unit = body_of("pegawai?unit=DPU&month=2025-02", "Pegawai (ASN)", NO_OFFICERS_ID)
            assert "Dinas Pekerjaan Umum: angka bulan 2025-02" in unit
            assert "1 dari 2 tenggat" in unit  # resolution
            assert "2 dari 2 tenggat" in unit  # response
            assert "50%" in unit.replace(" ", "") or "50 %" in unit
            pkm = body_of("pegawai?unit=PKM-A&month=2025-02", "Pegawai (ASN)", NO_OFFICERS_ID)
            assert "Puskesmas A: angka bulan 2025-02" in pkm and "0 dari 1 tenggat" in pkm
            profile = body_of("profil_pegawai", "Profil pegawai", NO_OFFICERS_ID)
            assert NO_OFFICERS_ID in profile
            english = body_of("profil_pegawai?lang=en", "Officer profile", NO_OFFICERS_EN)
            assert NO_OFFICERS_EN in english
        finally:
            context.close()
