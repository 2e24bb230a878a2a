"""Mapped sources from real files: the NYC 311 exports as they are, an SP4N-LAPOR! export as
CSV and as XLSX, social-media JSON Lines; re-exports; every row staged or quarantined."""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import os
import shutil
from pathlib import Path

import pytest
import yaml

from pipelines.home import Home
from pipelines.mappings import MappingError, parse_mapping
from pipelines.runner import PipelineFailed, run_pipeline
from tests.conftest import FIXTURES, copy_fixture, read_snapshot

ROOT = Path(__file__).resolve().parent.parent
MAPPINGS = ROOT / "mappings"
NYC_DATA = Path(__file__).parent / "data" / "nyc311"
NYC_FILES = {
    "nyc_2011": "311_nyc_sample.csv",
    "nyc_micro": "311_subset.micro.csv",
    "nyc_2013": "311-service-requests.sample.csv",
}
NYC_TIME = "%m/%d/%Y %I:%M:%S %p"


def add_source(home: Home, name: str, mapping: str, files: dict[str, str | bytes | Path]):
    folder = home.sources_dir / name
    folder.mkdir(parents=True)
    shutil.copy(MAPPINGS / f"{mapping}.yaml", folder / "source.yaml")
    for file, content in files.items():
        if isinstance(content, Path):
            shutil.copy(content, folder / file)
        elif isinstance(content, bytes):
            (folder / file).write_bytes(content)
        else:
            (folder / file).write_text(content)
    return folder


def counts(home: Home, source: str) -> dict[str, tuple[int, int]]:
    """(staged, quarantined) per input table of one source, from the warehouse."""
    import duckdb

    con = duckdb.connect(str(home.warehouse_path), read_only=True)
    try:
        out = {}
        for table in ("complaints", "events"):
            staged = con.execute(
                f"SELECT count(*) FROM stg_{table} WHERE source = $s", {"s": source}
            ).fetchone()[0]
            rejected = con.execute(
                "SELECT count(*) FROM quarantine WHERE source = $s AND input_table = $t",
                {"s": source, "t": table},
            ).fetchone()[0]
            out[table] = (staged, rejected)
        return out
    finally:
        con.close()


# --- NYC 311: three real exports, unedited ---------------------------------------------


def test_nyc_files_are_the_shared_real_data():
    places = [ROOT.parent / "shared" / "data", Path("/work/shared/data")]
    if os.environ.get("RAPOR_SHARED_DATA"):
        places.insert(0, Path(os.environ["RAPOR_SHARED_DATA"]))
    shared = next((p / "nyc311" for p in places if (p / "nyc311").exists()), None)
    if shared is None:
        pytest.skip(f"no shared data folder to compare with (looked in {places})")
    for name in NYC_FILES.values():
        assert filecmp.cmp(NYC_DATA / name, shared / name, shallow=False), name


@pytest.fixture(scope="module")
def nyc_home(tmp_path_factory) -> Home:
    home = copy_fixture("nyc311", tmp_path_factory.mktemp("nyc") / "home")
    for source, name in NYC_FILES.items():
        add_source(home, source, "nyc311", {name: NYC_DATA / name})
    run_pipeline(home)
    return home


@pytest.mark.parametrize("source", NYC_FILES)
def test_nyc_rows_add_up(nyc_home, source):
    """Every data row is a complaint staged or quarantined; its derived events (a forward
    on creation, a resolution when Closed, a fault when a closed date sits on an open
    request) are staged or quarantined too. Expected numbers from the csv module."""
    with open(NYC_DATA / NYC_FILES[source], newline="", encoding="utf8") as f:
        rows = list(csv.DictReader(f))
    closed = sum(r["Status"] == "Closed" for r in rows)
    faulty = sum(r["Status"] != "Closed" and r["Closed Date"].strip() != "" for r in rows)
    got = counts(nyc_home, source)
    assert sum(got["complaints"]) == len(rows)
    assert sum(got["events"]) == len(rows) + closed + faulty


def test_nyc_real_faults_are_quarantined_with_reasons(nyc_home):
    rows = read_snapshot(
        nyc_home,
        "SELECT source, file, row_number, input_table, reason FROM quarantine ORDER BY ALL",
    )
    assert rows == [
        # zip code 99432-01234 (an "odd zip code"); its forward shares its fate
        ("nyc_2013", "311-service-requests.sample.csv", 1, "complaints",
         "village does not match ^[0-9]{5}$: 99432-01234"),
        ("nyc_2013", "311-service-requests.sample.csv#forwarded", 1, "events",
         "complaint row quarantined: village does not match ^[0-9]{5}$"),
        # closed dates on requests that are not closed
        ("nyc_2013", "311-service-requests.sample.csv#resolved", 71, "events",
         "inconsistent record: Closed Date is set but Status is Pending "
         "(resolved needs one of closed)"),
        ("nyc_2013", "311-service-requests.sample.csv#resolved", 73, "events",
         "inconsistent record: Closed Date is set but Status is Pending "
         "(resolved needs one of closed)"),
        ("nyc_micro", "311_subset.micro.csv#resolved", 1073, "events",
         "inconsistent record: Closed Date is set but Status is Pending "
         "(resolved needs one of closed)"),
        # "closed" on 01/01/1900, before it was created
        ("nyc_micro", "311_subset.micro.csv#resolved", 1603, "events",
         "inconsistent record: Closed Date is set but Status is Assigned "
         "(resolved needs one of closed)"),
    ]  # fmt: skip


def test_nyc_times_are_converted_from_new_york_to_tenant_time(nyc_home):
    # 19937896: created 03/01/2011 02:27:57 PM EST (UTC-5) = 2011-03-02 02:27:57 WIB;
    # closed 03/14/2011 03:59:20 PM, after the 13 March DST switch: EDT (UTC-4), so
    # 2011-03-15 02:59:20 WIB. 26593698 (2013 file, no channel column, still open):
    # 10/31/2013 02:01:04 AM EDT (UTC-4) = 13:01:04 WIB.
    got = read_snapshot(
        nyc_home,
        "SELECT case_id, received_at, resolved_at, status, unit_code, channels FROM cases "
        "WHERE case_id IN ('nyc_2011:19937896', 'nyc_2013:26593698') ORDER BY case_id",
    )
    assert got == [
        ("nyc_2011:19937896", dt.datetime(2011, 3, 2, 2, 27, 57),
         dt.datetime(2011, 3, 15, 2, 59, 20), "resolved", "DOF", ["call_center"]),
        ("nyc_2013:26593698", dt.datetime(2013, 10, 31, 13, 1, 4), None, "forwarded",
         "NYPD", ["call_center"]),
    ]  # fmt: skip


def test_nyc_original_rows_are_kept_in_quarantine(nyc_home):
    (original,) = read_snapshot(
        nyc_home,
        "SELECT original_row FROM quarantine WHERE source = 'nyc_2013' AND row_number = 1 "
        "AND input_table = 'complaints'",
    )[0]
    assert '"Unique Key":"26589651"' in original
    assert '"Incident Zip":"99432-01234"' in original


# --- re-exports: the same file twice, a corrected export ----------------------------------


def _head(path: Path, n: int) -> str:
    with open(path, encoding="utf8", newline="") as f:
        return "".join(f.readline() for _ in range(n + 1))


def test_same_file_twice_and_a_corrected_reexport(tmp_path):
    home = copy_fixture("nyc311", tmp_path / "home")
    first = _head(NYC_DATA / "311_nyc_sample.csv", 50)
    # the corrected export: 19937901 (row 2) was really closed on 16 March at 09:00 EDT
    corrected = first.replace(
        "19937901,03/01/2011 10:41:13 AM,03/15/2011 04:14:19 PM",
        "19937901,03/01/2011 10:41:13 AM,03/16/2011 09:00:00 AM",
    )
    assert corrected != first
    files = {"export-1.csv": first, "export-1-copy.csv": first, "export-2.csv": corrected}
    add_source(home, "nyc", "nyc311", files)
    run_pipeline(home)

    assert read_snapshot(home, "SELECT count(*) FROM cases") == [(50,)]
    assert read_snapshot(home, "SELECT resolved_at FROM cases WHERE case_id = 'nyc:19937901'") == [
        (dt.datetime(2011, 3, 16, 20, 0, 0),)
    ]  # 09:00 EDT = 20:00 WIB
    reasons = read_snapshot(
        home,
        "SELECT input_table, file, count(*), count(*) FILTER (WHERE reason = "
        "'superseded: by export-2.csv row ' || row_number "
        "|| CASE WHEN input_table = 'events' THEN ', with its complaint row' ELSE '' END) "
        "FROM quarantine GROUP BY ALL ORDER BY ALL",
    )
    # both older files are fully superseded, row by row, by the same row of export-2.csv;
    # each of their 50 complaints had a forward and (all closed) a resolution
    assert reasons == [
        ("complaints", "export-1-copy.csv", 50, 50),
        ("complaints", "export-1.csv", 50, 50),
        ("events", "export-1-copy.csv#forwarded", 50, 50),
        ("events", "export-1-copy.csv#resolved", 50, 50),
        ("events", "export-1.csv#forwarded", 50, 50),
        ("events", "export-1.csv#resolved", 50, 50),
    ]
    # the superseded version keeps its values: what changed can be read back
    (old,) = read_snapshot(
        home,
        "SELECT original_row FROM quarantine WHERE file = 'export-1.csv' "
        "AND input_table = 'complaints' AND row_number = 2",
    )[0]
    assert '"Closed Date":"03/15/2011 04:14:19 PM"' in old
    # its events are quarantined with the same record (kept once, on the complaint row)
    assert read_snapshot(
        home,
        "SELECT file, original_row FROM quarantine WHERE file LIKE 'export-1.csv#%' "
        "AND input_table = 'events' AND row_number = 2 ORDER BY file",
    ) == [("export-1.csv#forwarded", old), ("export-1.csv#resolved", old)]

    # running again changes nothing
    before = read_snapshot(home, "SELECT * FROM cases ORDER BY case_id")
    run_pipeline(home)
    assert read_snapshot(home, "SELECT * FROM cases ORDER BY case_id") == before


# --- SP4N-LAPOR! export, CSV and XLSX ----------------------------------------------------

LAPOR_HEADER = [
    "TrackingID", "Pelapor", "JudulLaporan", "IsiLaporan", "Kategori", "KategoriID",
    "DisposisiInstansi", "DisposisiInstansiID", "Area", "AreaID", "Status",
    "TanggalLaporanMasuk", "TanggalDisposisi", "TanggalLaporanAktivitasTerakhir",
    "TanggalLaporanDitutup",
]  # fmt: skip
LAPOR_ROWS = [
    ["L1", "081234567890", "Jalan berlubang", "Di depan SD", "Infrastruktur", "1", "Dinas PU",
     "1234", "Tembalang", "33", "Terdisposisi Selesai", dt.datetime(2025, 4, 14, 8, 0),
     dt.datetime(2025, 4, 14, 10, 0), "2025-04-17 09:00:00", "2025-04-17 09:00:00"],
    ["L2", "-", "Puskesmas tutup", "Pagi tutup", "Kesehatan", "2", "Puskesmas A", "5678",
     "Banyumanik", "34", "Terdisposisi Sedang Diproses", "15/04/2025 09:30",
     "15/04/2025 11:00", "16/04/2025 08:00", "-"],
    ["L3", "0856", "Iklan", "Promo", "Lainnya", "9", "-", "-", "Tembalang", "33", "Arsip",
     "16/04/2025 10:00:00", "-", "16/04/2025 12:00:00", "16/04/2025 12:00:00"],
    ["L4", "0857", "Sampah", "Menumpuk", "Lingkungan Hidup dan Kehutanan", "3", "Dinas X",
     "7777", "Tembalang", "33", "Terdisposisi Belum Ditindaklanjuti", "2025-04-18 08:00:00",
     "2025-04-18 09:00:00", "-", "-"],
    ["L5", "0858", "Tanggal rusak", "?", "Infrastruktur", "1", "Dinas PU", "1234",
     "Tembalang", "33", "Belum Terverifikasi", "kemarin", "-", "-", "-"],
    ["L6", "0859", "Selesai tanpa tanggal", "?", "Infrastruktur", "1", "Dinas PU", "1234",
     "Tembalang", "33", "Selesai", "2025-04-20 08:00:00", "2025-04-20 09:00:00", "-", "-"],
]  # fmt: skip


def _lapor_csv() -> str:
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LAPOR_HEADER)
    for row in LAPOR_ROWS:
        writer.writerow(v.strftime("%Y-%m-%d %H:%M:%S") if isinstance(v, dt.datetime) else v
                        for v in row)  # fmt: skip
    return out.getvalue()


def _lapor_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(LAPOR_HEADER)
    for row in LAPOR_ROWS:
        sheet.append(row)  # real Excel dates where the row holds datetimes
    book.save(path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_sp4n_lapor_export(uji_home, tmp_path, fmt):
    if fmt == "csv":
        folder = add_source(uji_home, "lapor_export", "sp4n_lapor", {"export.csv": _lapor_csv()})
    else:
        folder = add_source(uji_home, "lapor_export", "sp4n_lapor",
                            {"export.xlsx": _lapor_xlsx(tmp_path / "export.xlsx")})  # fmt: skip
        mapping = yaml.safe_load((folder / "source.yaml").read_text())
        mapping["format"] = "xlsx"
        (folder / "source.yaml").write_text(yaml.safe_dump(mapping))
    run_pipeline(uji_home)
    file = f"export.{fmt}"

    cases = read_snapshot(
        uji_home,
        "SELECT source_id, category, district, received_at, forwarded_at, resolved_at, status, "
        "unit_code FROM cases WHERE case_id LIKE 'lapor_export:%' ORDER BY source_id",
    )
    d = dt.datetime
    assert cases == [
        ("L1", "jalan_rusak", "Tembalang", d(2025, 4, 14, 8), d(2025, 4, 14, 10),
         d(2025, 4, 17, 9), "resolved", "DPU"),
        ("L2", "puskesmas", "Banyumanik", d(2025, 4, 15, 9, 30), d(2025, 4, 15, 11), None,
         "forwarded", "PKM-A"),
        ("L3", "lainnya", "Tembalang", d(2025, 4, 16, 10), None, None, "archived", None),
        ("L4", "sampah", "Tembalang", d(2025, 4, 18, 8), None, None, "received", None),
        ("L6", "jalan_rusak", "Tembalang", d(2025, 4, 20, 8), d(2025, 4, 20, 9), None,
         "forwarded", "DPU"),
    ]  # fmt: skip
    rejected = read_snapshot(
        uji_home,
        "SELECT input_table, file, row_number, reason FROM quarantine "
        "WHERE source = 'lapor_export' ORDER BY ALL",
    )
    assert rejected == [
        ("complaints", file, 5, "received_at is not a timestamp: kemarin"),
        ("events", f"{file}#forwarded", 4, "unknown unit: 7777"),
        ("events", f"{file}#resolved", 6, "missing event_at"),
    ]
    # the reporter's phone number never reaches the snapshot
    raw = uji_home.snapshot_path.read_bytes()
    assert b"081234567890" not in raw


def test_sp4n_reporters_are_hashed_in_the_warehouse(uji_home):
    import duckdb

    add_source(uji_home, "lapor_export", "sp4n_lapor", {"export.csv": _lapor_csv()})
    run_pipeline(uji_home)
    con = duckdb.connect(str(uji_home.warehouse_path), read_only=True)
    try:
        got = dict(con.execute(
            "SELECT source_id, reporter_hash FROM stg_complaints "
            "WHERE source = 'lapor_export' AND source_id IN ('L1', 'L2')"
        ).fetchall())  # fmt: skip
    finally:
        con.close()
    assert got["L2"] is None  # '-' means no reporter
    assert len(got["L1"]) == 64 and "081234567890" not in got["L1"]
    assert b"081234567890" not in uji_home.warehouse_path.read_bytes()


# --- social media / mass media monitoring, JSON Lines -------------------------------------

SOCIAL = (
    '{"id": "ig-1", "platform": "Instagram", "posted_at": "2025-04-14T08:15:00+07:00", '
    '"author": {"handle": "@warga1"}, "text": "Jalan berlubang", "topic": "jalan_rusak", '
    '"location": {"kecamatan": "Tembalang", "kelurahan": "Bulusan", "lat": -7.05, '
    '"lon": 110.44}, "disposisi": {"unit": "DPU", "at": "2025-04-14T10:00:00+07:00"}}\n'
    '{"id": "tw-2", "platform": "twitter", "posted_at": "2025-04-15T09:00:00+08:00", '
    '"text": "Sampah menumpuk", "topic": "sampah"}\n'
    "\n"
    "{not json at all\n"
    "[1, 2]\n"
    '{"id": "fs-3", "platform": "friendster", "posted_at": "2025-04-15T09:00:00+07:00", '
    '"text": "?", "topic": "sampah"}\n'
)


def test_social_media_jsonl(uji_home):
    add_source(uji_home, "monitoring", "social_media", {"mentions.jsonl": SOCIAL})
    run_pipeline(uji_home)
    cases = read_snapshot(
        uji_home,
        "SELECT source_id, channels, received_at, village, lat, forwarded_at, unit_code "
        "FROM cases WHERE case_id LIKE 'monitoring:%' ORDER BY ALL",
    )
    d = dt.datetime
    assert cases == [
        ("ig-1", ["instagram"], d(2025, 4, 14, 8, 15), "Bulusan", -7.05,
         d(2025, 4, 14, 10), "DPU"),
        # 09:00 WITA (UTC+8) is 08:00 WIB
        ("tw-2", ["x"], d(2025, 4, 15, 8, 0), None, None, None, None),
    ]  # fmt: skip
    rejected = read_snapshot(
        uji_home,
        "SELECT row_number, reason_code FROM quarantine WHERE source = 'monitoring' ORDER BY ALL",
    )
    # numbered by line: line 3 is blank (not a record), lines 4-6 are rejected
    assert rejected == [
        (4, "malformed JSON line"),
        (5, "malformed record"),
        (6, "unknown channel"),
    ]


# --- mapping files --------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(MAPPINGS.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_mappings_are_valid(path):
    mapping = parse_mapping(yaml.safe_load(path.read_text()), path.stem)
    assert "complaints" in mapping.tables


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "excel"}, "format must be one of"),
        ({"complaints": {"columns": {"source_id": "id"}}}, "required column(s) not mapped"),
        ({"complaints": {"columns": {"source_id": "id", "nope": "x"}}}, "nope not a column"),
        ({"events": {"derive": [{"event_type": "fixed", "at": "x"}]}}, "'fixed' is not one of"),
        ({"timestamps": {"timezone": "Mars/Olympus"}}, "unknown zone 'Mars/Olympus'"),
        ({"complaints": {"columns": {"source_id": {"column": "a", "value": "b"}}}},
         "exactly one of 'column' or 'value'"),
    ],
)  # fmt: skip
def test_bad_mappings_say_what_to_fix(change, message):
    raw = yaml.safe_load((MAPPINGS / "nyc311.yaml").read_text())
    raw.update(change)
    with pytest.raises(MappingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_mapping(raw, "x")


def test_a_bad_mapping_fails_the_run_and_keeps_the_snapshot(uji_home):
    run_pipeline(uji_home)
    before = uji_home.snapshot_path.read_bytes()
    folder = uji_home.sources_dir / "rusak"
    folder.mkdir()
    (folder / "source.yaml").write_text("format: csv\ncomplaints: {columns: {source_id: a}}\n")
    with pytest.raises(PipelineFailed, match="required column"):
        run_pipeline(uji_home)
    assert uji_home.snapshot_path.read_bytes() == before


def test_fixture_home_has_no_mapping_surprises():
    # the canonical fixture stays canonical (no source.yaml): the mapped path is opt-in
    assert not list((FIXTURES / "kota_uji" / "sources").glob("*/source.yaml"))
