"""Exports are inert (issue 18, item 3): officer, unit and complaint text that begins with a
formula character (= + - @ tab CR) is a text cell in every XLSX (never a formula) and is
quoted and prefixed with ' in every CSV (OWASP CSV injection); numbers stay numbers."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from app import data, exports
from pipelines.cli import main
from pipelines.runner import run_pipeline
from tests.conftest import copy_fixture, edit_csv

MONTH = "2025-04"  # every planted officer and unit has a row this month
OFFICERS = {
    "198503152010011001": '=HYPERLINK("http://127.0.0.1:9/x","klik")',
    "199001012015032002": "\tTab di depan",
    "199202022018011003": "\rCR di depan",
}
UNITS = {"KOMINFO": "+1+1", "DPU": "-2+3", "PKM-A": "@SUM(A1)"}
TITLES = {"C1": "@SUM(A1)", "C2": "-1", "C3": "=1+1", "C4": "+cmd"}
PLANTED = {*OFFICERS.values(), *UNITS.values(), "@SUM(A1)", "=1+1"}


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    """Kota Uji with formula-looking officer names, unit names and complaint titles, run."""
    home = copy_fixture("kota_uji", tmp_path_factory.mktemp("inert") / "home")
    edit_csv(home.root / "reference/officers.csv", "nip", "name", OFFICERS)
    edit_csv(home.root / "reference/units.csv", "unit_code", "name", UNITS)
    edit_csv(home.root / "sources/s1/complaints.csv", "source_id", "title", TITLES)
    run_pipeline(home)
    return home.root


def _xlsx_cells(blob: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(blob))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def _assert_inert_xlsx(blob: bytes) -> None:
    cells = _xlsx_cells(blob)
    formulas = [(c.parent.title, c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert formulas == []
    # xlsxwriter stores a CR as the OOXML escape _x000D_, which openpyxl does not decode
    texts = {c.value.replace("_x000D_", "\r") for c in cells if c.data_type == "s"}
    # every planted text is there, exactly (the cases sheet holds the titles of C1 and C3)
    assert texts >= PLANTED, PLANTED - texts
    book = openpyxl.load_workbook(io.BytesIO(blob))
    header = [c.value for c in book["unit_month"][1]]
    received = header.index("received") + 1
    numbers = [row[received - 1] for row in book["unit_month"].iter_rows(min_row=2)]
    assert numbers and all(c.data_type == "n" and isinstance(c.value, int) for c in numbers)


def test_xlsx_from_the_cli_and_the_download_button_has_no_formula(planted, tmp_path):
    out = tmp_path / "m.xlsx"
    assert main(["export", "--home", str(planted), "--month", MONTH, "--format", "xlsx",
                 "--out", str(out)]) == 0  # fmt: skip
    _assert_inert_xlsx(out.read_bytes())
    snap = exports.snapshot_at(planted / "serving" / "rapor.duckdb")
    _assert_inert_xlsx(exports.export_bytes("xlsx", snap, MONTH, data.Viewer(), "en"))


def test_csv_cells_are_escaped_and_numbers_stay_numbers(planted, tmp_path):
    out = tmp_path / "m.zip"
    assert main(["export", "--home", str(planted), "--month", MONTH, "--format", "csv",
                 "--out", str(out)]) == 0  # fmt: skip
    with zipfile.ZipFile(out) as archive:
        units_text = archive.read("unit_month.csv").decode()
        officers_text = archive.read("officer_month.csv").decode()
    units = {r["unit_code"]: r for r in csv.DictReader(io.StringIO(units_text, newline=""))}
    officers = {r["officer_nip"]: r for r in csv.DictReader(io.StringIO(officers_text, newline=""))}
    assert {code: units[code]["unit_name"] for code in UNITS} == {
        code: "'" + name for code, name in UNITS.items()
    }
    assert {nip: officers[nip]["officer_name"] for nip in OFFICERS} == {
        nip: "'" + name for nip, name in OFFICERS.items()
    }
    # the escaped fields are quoted; the counts are bare numbers
    assert '"\'+1+1"' in units_text and '"\'@SUM(A1)"' in units_text
    assert '"\'\tTab di depan"' in officers_text
    frame = pl.read_csv(io.StringIO(units_text))
    assert frame.schema["received"].is_integer()
    assert frame.filter(pl.col("unit_code") == "KOMINFO")["received"].item() >= 0


def test_inert_csv_text_and_the_recommendations_workbook():
    assert [exports.inert_csv_text(x) for x in ("=1", "+1", "-1", "@a", "\tx", "\rx", "a=1")] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "a=1",
    ]  # fmt: skip
    frame = pl.DataFrame({"officer_name": ["=1+1"], "score": [-3], "reasons": ["@x"],
                          "evidence_case_ids": [["=a", "b"]]})  # fmt: skip
    headers = {"officer_name": "Nama", "score": "Skor", "reasons": "Alasan",
               "evidence_case_ids": "Kasus"}  # fmt: skip
    cells = _xlsx_cells(data.recommendations_xlsx(frame, headers, "Rekomendasi"))
    assert [c.data_type for c in cells if c.row == 2] == ["s", "n", "s", "s"]
    assert [c.value for c in cells if c.row == 2] == ["=1+1", -3, "@x", "=a, b"]
