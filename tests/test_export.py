"""Exports (app/exports.py, `rapor export`) on the demo city: the workbook and the PDF are
written, read back (openpyxl, pypdf) and compared with independent queries of the snapshot."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from app import data, exports
from pipelines.cli import main
from tests.conftest import read_snapshot

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
AS_OF_MONTH = "(SELECT strftime(as_of_date, '%Y-%m') FROM snapshot_info)"


def snapshot(home: Path) -> Path:
    return home / "serving" / "rapor.duckdb"


def min_judged(home: Path) -> int:
    (policy,) = read_snapshot(home, "SELECT policy_json FROM snapshot_info")[0]
    return int(json.loads(policy)["rating"]["min_judged_deadlines"])


@pytest.fixture(scope="module")
def month(demo_home) -> str:
    """A month up to the as-of month with ranked units and, if any, rated officers."""
    return read_snapshot(
        demo_home,
        f"""
        SELECT u.month FROM unit_month AS u
        WHERE u.month <= {AS_OF_MONTH}
        GROUP BY u.month
        ORDER BY (SELECT count(*) FROM officer_month AS o WHERE o.month = u.month
                    AND o.rating <> 'data_tidak_cukup') DESC,
                 count(*) FILTER (WHERE u.resolution_due >= $n) DESC, u.month DESC
        LIMIT 1
        """,
        {"n": min_judged(demo_home)},
    )[0][0]


def sheet_rows(book, name: str) -> list[dict]:
    rows = list(book[name].iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


def pdf_pages(blob: bytes) -> list[str]:
    """Each page's text, whitespace collapsed (table cells wrap names over lines)."""
    reader = PdfReader(io.BytesIO(blob))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


# --- xlsx -----------------------------------------------------------------------------------
def test_xlsx_has_every_sheet_with_the_snapshots_numbers(demo_home, month, tmp_path):
    out = tmp_path / "m.xlsx"
    report = exports.export_xlsx(snapshot(demo_home), month, out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == list(exports.SHEETS)

    expected = {
        r[0]: r[1:]
        for r in read_snapshot(
            demo_home,
            """SELECT unit_code, received, resolved, resolution_due, resolution_met,
                      resolution_rate, resolution_rate_low, resolution_rate_high, score, rating
               FROM unit_month WHERE month = $m""",
            {"m": month},
        )
    }
    units = sheet_rows(book, "unit_month")
    assert {u["unit_code"] for u in units} == set(expected)
    n = min_judged(demo_home)
    for u in units:
        want = expected[u["unit_code"]]
        got = (u["received"], u["resolved"], u["resolution_due"], u["resolution_met"])
        assert got == want[:4]
        shown = (u["resolution_rate"], u["resolution_rate_low"], u["resolution_rate_high"],
                 u["score"])  # fmt: skip
        for value, ref in zip(shown, want[4:8], strict=True):
            assert value == pytest.approx(ref, abs=1e-12) if ref is not None else value is None
        assert u["rating"] == want[8]
        assert u["month"] == month
        assert (u["rank"] is not None) == (u["resolution_due"] >= n)

    officers = {
        r[0]: r[1:]
        for r in read_snapshot(
            demo_home,
            """SELECT officer_nip, unit_code, resolution_due, resolution_rate, rating
               FROM officer_month WHERE month = $m""",
            {"m": month},
        )
    }
    rows = sheet_rows(book, "officer_month")
    assert len(rows) == len(officers)
    for o in rows:
        unit, due, rate, rating = officers[o["officer_nip"]]
        assert (o["unit_code"], o["resolution_due"], o["rating"]) == (unit, due, rating)
        assert o["resolution_rate"] == pytest.approx(rate) if rate is not None else True

    (cases,) = read_snapshot(
        demo_home,
        "SELECT list(DISTINCT case_id) FROM holder_facts WHERE month = $m",
        {"m": month},
    )[0]
    assert {c["case_id"] for c in sheet_rows(book, "cases")} == set(cases)
    (quarantined,) = read_snapshot(demo_home, "SELECT count(*) FROM quarantine")[0]
    assert sum(r["rows"] for r in sheet_rows(book, "quarantine")) == quarantined
    (checks,) = read_snapshot(demo_home, "SELECT count(*) FROM quality_results")[0]
    assert len(sheet_rows(book, "quality_results")) == checks

    # the summary: provenance and totals equal tenant_month
    summary = {r[0]: r[1] for r in book["ringkasan"].iter_rows(min_row=4, values_only=True)}
    version, policy_hash, tenant_name = read_snapshot(
        demo_home, "SELECT policy_version, policy_hash, tenant_name FROM snapshot_info"
    )[0]
    assert summary["Kebijakan"] == version
    assert summary["Hash kebijakan (sha256)"] == policy_hash
    assert summary["Pemda"] == tenant_name
    assert summary["Hash snapshot (sha256)"] == report.snapshot_hash
    assert re.fullmatch(r"[0-9a-f]{64}", report.snapshot_hash)
    received, rate = read_snapshot(
        demo_home,
        "SELECT received, resolution_rate FROM tenant_month WHERE month = $m",
        {"m": month},
    )[0]
    assert summary["Diterima"] == received
    assert summary["Penyelesaian tepat waktu"] == pytest.approx(rate)

    # formatted: header style, rates as %, frozen header, autofilter
    ws = book["unit_month"]
    header = [c.value for c in ws[1]]
    rate_cell = ws.cell(row=2, column=header.index("resolution_rate") + 1)
    assert rate_cell.number_format == "0.0%"
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    assert ws["A1"].font.bold
    assert ws.column_dimensions["B"].width > 8


def test_snapshot_hash_is_per_month_and_stable(demo_home, month):
    path = str(snapshot(demo_home))
    other = read_snapshot(
        demo_home, "SELECT min(month) FROM unit_month WHERE month <> $m", {"m": month}
    )[0][0]
    first = exports.month_content_hash(path, month)
    assert first == exports.month_content_hash(path, month)
    assert first != exports.month_content_hash(path, other)


# --- pdf ------------------------------------------------------------------------------------
def test_pdf_has_cover_summary_tables_images_and_a_footer_on_every_page(demo_home, month):
    buffer = io.BytesIO()
    report = exports.export_pdf(snapshot(demo_home), month, buffer)
    blob = buffer.getvalue()
    assert blob.startswith(b"%PDF")
    pages = pdf_pages(blob)
    assert len(pages) >= 3
    tenant_name, version = read_snapshot(
        demo_home, "SELECT tenant_name, policy_version FROM snapshot_info"
    )[0]
    for page in pages:
        assert f"Kebijakan {version}" in page
        assert report.snapshot_hash in page
        assert tenant_name in page and month in page
    assert re.search(r"Halaman 1\b", pages[0]) and f"Halaman {len(pages)}" in pages[-1]
    assert "Laporan Bulanan Penanganan Pengaduan" in pages[0]
    text = " ".join(pages)
    # the league table: every unit with enough judged deadlines, by name, with its rate
    ranked = read_snapshot(
        demo_home,
        """SELECT coalesce(unit_name, unit_code), resolution_rate FROM unit_month
           WHERE month = $m AND resolution_due >= $n""",
        {"m": month, "n": min_judged(demo_home)},
    )
    assert ranked, "the demo month should rank some units"
    for name, rate in ranked:
        assert name in text
        assert exports.fmt_pct(rate, "id", 1) in text
    rated = read_snapshot(
        demo_home,
        """SELECT officer_nip FROM officer_month
           WHERE month = $m AND rating <> 'data_tidak_cukup'""",
        {"m": month},
    )
    for (nip,) in rated:
        assert nip in text
    (received,) = read_snapshot(
        demo_home, "SELECT received FROM tenant_month WHERE month = $m", {"m": month}
    )[0]
    assert f"diterima {exports.fmt_int(received, 'id')} pengaduan" in text
    reader = PdfReader(io.BytesIO(blob))
    assert sum(len(p.images) for p in reader.pages) >= 1


def test_pdf_in_english(demo_home, month):
    buffer = io.BytesIO()
    exports.export_pdf(snapshot(demo_home), month, buffer, lang="en")
    pages = pdf_pages(buffer.getvalue())
    assert "Monthly Complaint-Handling Report" in pages[0]
    assert all("Page " in p and "Policy " in p for p in pages)


# --- scoping for an SKPD head ---------------------------------------------------------------
def test_skpd_head_export_holds_only_the_unit_and_no_confidential_text(demo_home, tmp_path):
    month, unit = read_snapshot(
        demo_home,
        f"""SELECT h.month, h.unit_code FROM holder_facts AS h JOIN cases AS c USING (case_key)
            WHERE c.is_confidential AND h.month <= {AS_OF_MONTH}
            GROUP BY ALL ORDER BY count(DISTINCT h.case_id) DESC, h.month DESC LIMIT 1""",
    )[0]
    viewer = data.Viewer(role="kepala_skpd", units=(unit,))
    out = tmp_path / "skpd.xlsx"
    exports.export_xlsx(snapshot(demo_home), month, out, viewer=viewer)
    book = openpyxl.load_workbook(out)

    own = {r[0] for r in read_snapshot(
        demo_home, "SELECT officer_nip FROM officer_month WHERE month = $m AND unit_code = $u",
        {"m": month, "u": unit})}  # fmt: skip
    others = {r[0] for r in read_snapshot(
        demo_home, "SELECT officer_nip FROM officer_month WHERE month = $m AND unit_code <> $u",
        {"m": month, "u": unit})}  # fmt: skip
    assert others, "the month should have other units' officers to leave out"
    assert {o["officer_nip"] for o in sheet_rows(book, "officer_month")} == own
    assert {u["unit_code"] for u in sheet_rows(book, "unit_month")} == {unit}
    cases = sheet_rows(book, "cases")
    assert cases and {c["holder_unit_code"] for c in cases} == {unit}

    secrets = read_snapshot(
        demo_home,
        """SELECT case_id, title, description FROM cases WHERE is_confidential
           AND description NOT IN (SELECT description FROM cases
                                   WHERE NOT is_confidential AND description IS NOT NULL)""",
    )
    secret_ids = {r[0] for r in secrets}
    shown_secret = [c for c in cases if c["case_id"] in secret_ids]
    assert shown_secret, "the unit's month should include confidential cases"
    assert all(c["title"] == c["description"] == data.REDACTED for c in shown_secret)
    cells = {
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    }
    assert not any(desc in cells for _, _, desc in secrets)
    assert not (others - own) & cells

    buffer = io.BytesIO()
    exports.export_pdf(snapshot(demo_home), month, buffer, viewer=viewer)
    text = " ".join(pdf_pages(buffer.getvalue()))
    assert f"SKPD {unit} saja" in text
    assert not any(nip in text for nip in others - own)
    assert not any(desc[:40] in text for _, _, desc in secrets)


# --- csv ------------------------------------------------------------------------------------
def test_csv_zip_and_folder(demo_home, month, tmp_path):
    out = tmp_path / "m.zip"
    report = exports.export_csv(snapshot(demo_home), month, out)
    with zipfile.ZipFile(out) as archive:
        assert set(archive.namelist()) == {"unit_month.csv", "officer_month.csv", "metadata.json"}
        units = pl.read_csv(archive.read("unit_month.csv"))
        meta = json.loads(archive.read("metadata.json"))
    (n_units, met) = read_snapshot(
        demo_home,
        "SELECT count(*), sum(resolution_met) FROM unit_month WHERE month = $m",
        {"m": month},
    )[0]
    assert units.height == n_units and units["resolution_met"].sum() == met
    assert meta["snapshot_hash"] == report.snapshot_hash and meta["month"] == month
    folder = tmp_path / "csv"
    exports.export_csv(snapshot(demo_home), month, folder)
    assert (
        pl.read_csv(folder / "officer_month.csv").height
        == read_snapshot(
            demo_home, "SELECT count(*) FROM officer_month WHERE month = $m", {"m": month}
        )[0][0]
    )


# --- the command line -----------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "csv"])
def test_cli_export_writes_the_file(demo_home, month, tmp_path, fmt, capsys):
    out = tmp_path / f"out.{'zip' if fmt == 'csv' else fmt}"
    args = ["export", "--home", str(demo_home), "--month", month, "--format", fmt]
    assert main([*args, "--out", str(out)]) == 0
    assert out.stat().st_size > 1000
    assert f"wrote {fmt}" in capsys.readouterr().out


def test_cli_export_unknown_month_and_missing_snapshot(demo_home, uji_home, tmp_path, capsys):
    out = tmp_path / "x.xlsx"
    args = ["export", "--format", "xlsx", "--out", str(out)]
    assert main([*args, "--home", str(demo_home), "--month", "2031-01"]) == 1
    err = capsys.readouterr().err
    assert "no data for month 2031-01" in err and not out.exists()
    assert main([*args, "--home", str(uji_home.root), "--month", "2025-01"]) == 1
    assert "no published snapshot" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["export", "--home", str(demo_home), "--month", "2025-01", "--format", "doc",
              "--out", str(out)])  # fmt: skip
    assert exc.value.code == 2


# --- the app --------------------------------------------------------------------------------
def test_overview_offers_the_downloads(demo_home, monkeypatch):
    monkeypatch.setenv("RAPOR_HOME", str(demo_home))
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("app_pages/ikhtisar.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Unduh Excel", "Unduh laporan PDF"]


def test_download_bytes_are_the_export(demo_home, month):
    snap = exports.snapshot_at(snapshot(demo_home))
    blob = exports.export_bytes("xlsx", snap, month, data.Viewer(), "id")
    book = openpyxl.load_workbook(io.BytesIO(blob))
    (n_units,) = read_snapshot(
        demo_home, "SELECT count(*) FROM unit_month WHERE month = $m", {"m": month}
    )[0]
    assert len(sheet_rows(book, "unit_month")) == n_units
    pdf = exports.export_bytes("pdf", snap, month, data.Viewer(), "en")
    assert "Monthly Complaint-Handling Report" in pdf_pages(pdf)[0]


def test_snapshot_hash_comes_from_the_months_newest_publication(demo_home, month, tmp_path):
    import shutil

    import duckdb

    copy = tmp_path / "rapor.duckdb"
    shutil.copy(snapshot(demo_home), copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("DROP TABLE IF EXISTS publications")
        con.execute(
            "CREATE TABLE publications (tenant VARCHAR, month VARCHAR, version INTEGER, "
            "published_at TIMESTAMP, snapshot_hash VARCHAR)"
        )
        con.execute(
            "INSERT INTO publications VALUES ('t', $m, 1, '2026-01-01', 'a' || repeat('0', 63)),"
            " ('t', $m, 2, '2026-02-01', 'b' || repeat('0', 63))",
            {"m": month},
        )
    buffer = io.BytesIO()
    report = exports.export_pdf(copy, month, buffer)
    assert (report.snapshot_hash, report.hash_source) == ("b" + "0" * 63, "publications")
    assert all("snapshot sha256:b000" in page for page in pdf_pages(buffer.getvalue()))
