"""Sources on servers, fetched for real: a city's complaint database on MariaDB and on
PostgreSQL (the shipped mappings/city_db_*.yaml on the reference schema in
mappings/city_db_schema.sql), and an Open311 GeoReport v2 endpoint served over HTTP from
this process (mappings/open311_http.yaml), plus the same requests as a file
(mappings/open311.yaml). The pipeline runs through Dagster on tests/fixtures/kota_fetch.

Every expected value is worked out by hand from the rows the tests insert or serve (see
the comments), not from the code under test.

Server tests skip when the server is not reachable (on 127.0.0.1, the default ports, as
root / postgres without password), unless RAPOR_REQUIRE_SERVERS=1 (CI): then they fail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import itertools
import json
import os
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dagster as dg
import duckdb
import pytest
import yaml

from assets.fetch import (
    FetchError,
    as_text,
    fetch_database,
    fetch_open311,
    fetch_sources,
    select_sql,
    server_settings,
)
from pipelines.home import Home
from pipelines.mappings import load_mapping, parse_mapping
from pipelines.runner import PipelineFailed, instance_for, run_pipeline
from tests.conftest import copy_fixture, free_port

ROOT = Path(__file__).resolve().parent.parent
MAPPINGS = ROOT / "mappings"
SECRET = b"tests-only-fetch-secret"  # tests/fixtures/kota_fetch/secret.key
SERVERS = {"mysql": ("MariaDB", "127.0.0.1", 3306), "postgresql": ("PostgreSQL", "127.0.0.1", 5432)}
REQUIRE_SERVERS = os.environ.get("RAPOR_REQUIRE_SERVERS") == "1"
PASSWORD_ENV = "RAPOR_TEST_CITY_DB_PASSWORD"
ADMIN = "198501012009011001"  # Kominfo
ANDI = "198705122010011002"  # DPU


def reporter_hash(value: str) -> str:
    """The keyed hash of a reporter id, as docs/home.md describes it (HMAC-SHA256 with the
    tenant secret over the trimmed, lower-cased id)."""
    return hmac.new(SECRET, value.strip().lower().encode(), hashlib.sha256).hexdigest()


def server_unavailable(kind: str, exc: Exception):
    name, host, port = SERVERS[kind]
    message = f"{name} not reachable on {host}:{port}: {type(exc).__name__}: {exc}"
    if REQUIRE_SERVERS:
        pytest.fail(f"{message} (RAPOR_REQUIRE_SERVERS=1: the servers must be up)")
    pytest.skip(message)


def query(path: Path, sql: str, params: dict | None = None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def tables_holding(path: Path, needles: list[str]) -> list[tuple[str, str]]:
    """(table, needle) for every table of a DuckDB file with a row whose text has needle."""
    hits = []
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT internal"
        ).fetchall()
        assert tables, path
        for schema, table in tables:
            for needle in needles:
                (n,) = con.execute(
                    f'SELECT count(*) FROM "{schema}"."{table}" AS t '
                    "WHERE contains(CAST(t AS VARCHAR), $needle)",
                    {"needle": needle},
                ).fetchone()
                if n:
                    hits.append((table, needle))
    finally:
        con.close()
    return hits


def landed(home: Home, source: str, table: str) -> dict[str, list[dict]]:
    """The landed files of a source's table: name -> records."""
    folder = home.sources_dir / source / "landing" / table
    return {
        p.name: [json.loads(line) for line in p.read_text(encoding="utf8").splitlines()]
        for p in sorted(folder.glob("*.jsonl"))
    }


def latest_metadata(home: Home, asset: str) -> dict:
    instance = instance_for(home)
    event = instance.get_latest_materialization_event(dg.AssetKey(asset))
    return {k: v.value for k, v in event.asset_materialization.metadata.items()}


# --- the city database -----------------------------------------------------------------


def schema_statements(kind: str) -> list[str]:
    """The statements of one dialect's part of mappings/city_db_schema.sql."""
    text = (MAPPINGS / "city_db_schema.sql").read_text(encoding="utf8")
    parts = re.split(r"^-- \[(mysql|postgresql)\].*$", text, flags=re.MULTILINE)
    section = dict(zip(parts[1::2], parts[2::2], strict=True))[kind]
    if kind == "postgresql":
        return [section]  # psycopg runs several statements in one call (no parameters)
    return [s for s in re.split(r";\s*$", section, flags=re.MULTILINE) if s.strip()]


@dataclass
class CityDb:
    """A fresh database with the reference schema, and a SELECT-only user with a password
    (which the source's connection block reads from PASSWORD_ENV)."""

    kind: str
    database: str
    user: str
    password: str

    @property
    def host_port(self) -> tuple[str, int]:
        return SERVERS[self.kind][1], SERVERS[self.kind][2]

    def connect(self, database: str | None = None):
        host, port = self.host_port
        if self.kind == "mysql":
            import pymysql

            return pymysql.connect(
                host=host, port=port, user="root", password="", database=database,
                autocommit=True, connect_timeout=3,
            )  # fmt: skip
        import psycopg

        return psycopg.connect(host=host, port=port, user="postgres", dbname=database or "postgres",
                               autocommit=True, connect_timeout=3)  # fmt: skip

    def run(self, sql: str, params: tuple | None = None) -> None:
        con = self.connect(self.database)
        try:
            with con.cursor() as cur:
                cur.execute(sql, params)
        finally:
            con.close()

    def ts(self, text: str | None) -> str | None:
        """A local time of the city (WIB) as the schema stores it: MySQL DATETIME holds it
        as it is; PostgreSQL timestamptz needs the offset."""
        if text is None or self.kind == "mysql":
            return text
        return f"{text}+07:00"

    def insert(self, table: str, rows: list[dict]) -> None:
        stamps = {"diterima_pada", "batas_waktu", "diperbarui_pada", "waktu", "dinilai_pada"}
        for row in rows:
            names = list(row)
            values = tuple(self.ts(row[n]) if n in stamps else row[n] for n in names)
            self.run(f"INSERT INTO {table} ({', '.join(names)}) "
                     f"VALUES ({', '.join(['%s'] * len(names))})", values)  # fmt: skip

    def connection(self) -> dict:
        host, port = self.host_port
        return {"host": host, "port": port, "user": self.user, "database": self.database,
                "password_env": PASSWORD_ENV}  # fmt: skip


def create_city_db(kind: str) -> CityDb:
    suffix = uuid.uuid4().hex[:10]
    db = CityDb(kind, f"rapor_t_{suffix}", f"rapor_r_{suffix}", f"pw-{suffix}")
    try:
        admin = db.connect()
    except Exception as exc:
        server_unavailable(kind, exc)
    try:
        with admin.cursor() as cur:
            if kind == "mysql":
                cur.execute(f"CREATE DATABASE {db.database} CHARACTER SET utf8mb4")
                cur.execute(f"CREATE USER '{db.user}'@'%' IDENTIFIED BY '{db.password}'")
                cur.execute(f"GRANT SELECT ON {db.database}.* TO '{db.user}'@'%'")
            else:
                cur.execute(f"CREATE DATABASE {db.database}")
                cur.execute(f"CREATE ROLE {db.user} LOGIN PASSWORD '{db.password}'")
    finally:
        admin.close()
    for statement in schema_statements(kind):
        db.run(statement)
    if kind == "postgresql":
        db.run(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {db.user}")
    return db


def drop_city_db(db: CityDb) -> None:
    admin = db.connect()
    try:
        with admin.cursor() as cur:
            if db.kind == "mysql":
                cur.execute(f"DROP DATABASE IF EXISTS {db.database}")
                cur.execute(f"DROP USER IF EXISTS '{db.user}'@'%'")
            else:
                cur.execute(f"DROP DATABASE IF EXISTS {db.database} WITH (FORCE)")
                cur.execute(f"DROP ROLE IF EXISTS {db.user}")
    finally:
        admin.close()


@pytest.fixture(params=["mysql", "postgresql"])
def city_db(request, monkeypatch) -> Iterator[CityDb]:
    """A city database with the reference schema on each server, dropped afterwards."""
    db = create_city_db(request.param)
    monkeypatch.setenv(PASSWORD_ENV, db.password)
    try:
        yield db
    finally:
        drop_city_db(db)


# ids are given in insertion order (1, 2, 3, ...); times are WIB
PENGADUAN = [
    {"nomor": "ADU-2025-0001", "diterima_pada": "2025-03-03 08:00:00", "kanal": "web",
     "kategori": "Jalan Rusak", "jenis": "pengaduan", "judul": "Jalan berlubang",
     "isi": "Lubang besar di Jl. Merdeka", "kecamatan": "Cibeunying Kaler",
     "kelurahan": "Sukaluyu", "lat": "-6.914744", "lon": "107.609810",
     "pelapor": "081234567890", "anonim": False, "rahasia": False, "batas_waktu": None,
     "diperbarui_pada": "2025-03-10 09:00:00"},
    {"nomor": "ADU-2025-0002", "diterima_pada": "2025-03-04 10:30:00", "kanal": "WA",
     "kategori": "Sampah", "jenis": "aspirasi", "judul": "Sampah menumpuk",
     "isi": "Belum diangkut seminggu", "kecamatan": "Coblong", "kelurahan": "Dago",
     "lat": "-6.885000", "lon": "107.613000", "pelapor": "3273012345670001",
     "anonim": True, "rahasia": False, "batas_waktu": "2025-03-20 16:00:00",
     "diperbarui_pada": "2025-03-05 11:00:00"},
    {"nomor": "ADU-2025-0003", "diterima_pada": "2025-03-05 14:00:00", "kanal": "lapor",
     "kategori": "Lampu Jalan", "jenis": "informasi", "judul": "Lampu mati", "isi": None,
     "kecamatan": "Cibeunying Kaler", "kelurahan": None, "lat": None, "lon": None,
     "pelapor": None, "anonim": False, "rahasia": True, "batas_waktu": None,
     "diperbarui_pada": "2025-03-10 09:00:00"},
]  # fmt: skip
PENGADUAN_LOG = [
    {"pengaduan_nomor": "ADU-2025-0001", "waktu": "2025-03-03 09:00:00", "aksi": "verifikasi",
     "kode_unit": "KOMINFO", "nip": ADMIN, "catatan": None,
     "diperbarui_pada": "2025-03-03 09:00:00"},
    {"pengaduan_nomor": "ADU-2025-0001", "waktu": "2025-03-03 10:00:00", "aksi": "disposisi",
     "kode_unit": "DPU", "nip": ADMIN, "catatan": "ke DPU",
     "diperbarui_pada": "2025-03-03 10:00:00"},
    {"pengaduan_nomor": "ADU-2025-0001", "waktu": "2025-03-06 13:00:00", "aksi": "tanggapan",
     "kode_unit": "DPU", "nip": ANDI, "catatan": "Akan ditambal",
     "diperbarui_pada": "2025-03-06 13:00:00"},
    {"pengaduan_nomor": "ADU-2025-0001", "waktu": "2025-03-10 09:00:00", "aksi": "selesai",
     "kode_unit": "DPU", "nip": ANDI, "catatan": "Sudah ditambal",
     "diperbarui_pada": "2025-03-10 09:00:00"},
    {"pengaduan_nomor": "ADU-2025-0002", "waktu": "2025-03-04 11:00:00", "aksi": "DISPOSISI",
     "kode_unit": "DLH", "nip": ADMIN, "catatan": None,
     "diperbarui_pada": "2025-03-04 11:00:00"},
    {"pengaduan_nomor": "ADU-2025-0003", "waktu": "2025-03-05 15:00:00", "aksi": "disposisi",
     "kode_unit": "DISHUB", "nip": ADMIN, "catatan": None,
     "diperbarui_pada": "2025-03-05 15:00:00"},
]  # fmt: skip
PENILAIAN = [
    {"pengaduan_nomor": "ADU-2025-0001", "dinilai_pada": "2025-03-11 08:00:00", "skor": 4,
     "selesai": True, "komentar": "Cepat", "diperbarui_pada": "2025-03-11 08:00:00"},
]  # fmt: skip
# the second round: ADU-2025-0002 changes (title, kelurahan), ADU-2025-0004 is new
UPDATE_0002 = ("UPDATE pengaduan SET judul = %s, kelurahan = %s, diperbarui_pada = %s "
               "WHERE nomor = %s")  # fmt: skip
NEW_0004 = {"nomor": "ADU-2025-0004", "diterima_pada": "2025-03-12 08:00:00",
            "kanal": "telepon", "kategori": "Banjir", "jenis": None,
            "judul": "Genangan di underpass", "isi": "Setinggi lutut",
            "kecamatan": "Coblong", "kelurahan": "Lebak Siliwangi", "lat": "-6.890000",
            "lon": "107.610000", "pelapor": "081298765432", "anonim": False,
            "rahasia": False, "batas_waktu": None,
            "diperbarui_pada": "2025-03-12 08:30:00"}  # fmt: skip
NEW_LOG_0004 = {"pengaduan_nomor": "ADU-2025-0004", "waktu": "2025-03-12 09:00:00",
                "aksi": "disposisi", "kode_unit": "DPU", "nip": ADMIN, "catatan": None,
                "diperbarui_pada": "2025-03-12 09:00:00"}  # fmt: skip
REPORTERS = ["081234567890", "3273012345670001", "081298765432"]


def write_source(home: Home, name: str, mapping_file: str, **overrides) -> Path:
    """sources/<name>/source.yaml: a shipped mapping with some top-level keys replaced."""
    raw = yaml.safe_load((MAPPINGS / mapping_file).read_text(encoding="utf8"))
    raw.update(overrides)
    folder = home.sources_dir / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "source.yaml").write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf8")
    return folder


def t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


STAGED_COMPLAINTS = """
    SELECT source_id, channel, received_at, category, complaint_class, title, description,
           district, village, lat, lon, reporter_hash, is_anonymous, is_confidential, due_at
    FROM stg_complaints WHERE source = $source ORDER BY source_id"""
STAGED_EVENTS = """
    SELECT source_id, event_at, event_type, unit_code, officer_nip, note
    FROM stg_events WHERE source = $source ORDER BY source_id, event_at, event_type"""


def test_city_database_fetched_by_watermark_end_to_end(city_db, tmp_path, monkeypatch):
    monkeypatch.delenv("RAPOR_HASH_SECRET", raising=False)
    home = copy_fixture("kota_fetch", tmp_path / "home")
    city_db.insert("pengaduan", PENGADUAN)
    city_db.insert("pengaduan_log", PENGADUAN_LOG)
    city_db.insert("penilaian", PENILAIAN)
    mapping_file = f"city_db_{city_db.kind}.yaml"
    folder = write_source(home, "kota_db", mapping_file, connection=city_db.connection())

    run_pipeline(home)

    wh = home.warehouse_path
    complaint_1 = ("ADU-2025-0001", "city_portal", t("2025-03-03 08:00"), "jalan rusak",
                   "pengaduan", "Jalan berlubang", "Lubang besar di Jl. Merdeka",
                   "Cibeunying Kaler", "Sukaluyu", -6.914744, 107.60981,
                   reporter_hash("081234567890"), False, False, None)  # fmt: skip
    complaint_2 = ("ADU-2025-0002", "whatsapp", t("2025-03-04 10:30"), "sampah", "aspirasi",
                   "Sampah menumpuk", "Belum diangkut seminggu", "Coblong", "Dago", -6.885,
                   107.613, reporter_hash("3273012345670001"), True, False,
                   t("2025-03-20 16:00"))  # fmt: skip
    complaint_3 = ("ADU-2025-0003", "lapor", t("2025-03-05 14:00"), "lampu jalan",
                   "permintaan_informasi", "Lampu mati", None, "Cibeunying Kaler", None,
                   None, None, None, False, True, None)  # fmt: skip
    assert query(wh, STAGED_COMPLAINTS, {"source": "kota_db"}) == [
        complaint_1, complaint_2, complaint_3
    ]  # fmt: skip
    events = [
        ("ADU-2025-0001", t("2025-03-03 09:00"), "verified", "KOMINFO", ADMIN, None),
        ("ADU-2025-0001", t("2025-03-03 10:00"), "forwarded", "DPU", ADMIN, "ke DPU"),
        ("ADU-2025-0001", t("2025-03-06 13:00"), "responded", "DPU", ANDI, "Akan ditambal"),
        ("ADU-2025-0001", t("2025-03-10 09:00"), "resolved", "DPU", ANDI, "Sudah ditambal"),
        ("ADU-2025-0002", t("2025-03-04 11:00"), "forwarded", "DLH", ADMIN, None),
        ("ADU-2025-0003", t("2025-03-05 15:00"), "forwarded", "DISHUB", ADMIN, None),
    ]
    assert query(wh, STAGED_EVENTS, {"source": "kota_db"}) == events
    assert query(wh, "SELECT source_id, rated_at, score, resolved, comment FROM stg_ratings") == [
        ("ADU-2025-0001", t("2025-03-11 08:00"), 4, True, "Cepat")
    ]
    assert query(home.snapshot_path, "SELECT count(*) FROM quarantine") == [(0,)]
    # three complaints landed in id order within diperbarui_pada: 0002 (5 March), then
    # 0001 and 0003 (both 10 March 09:00, the watermark)
    first = landed(home, "kota_db", "complaints")
    assert list(first) == ["fetch-000001.jsonl"]
    assert [r["nomor"] for r in first["fetch-000001.jsonl"]] == [
        "ADU-2025-0002", "ADU-2025-0001", "ADU-2025-0003"
    ]  # fmt: skip
    mark = json.loads((folder / "landing/complaints/watermark.json").read_text())
    expected_mark = {"mysql": "2025-03-10 09:00:00", "postgresql": "2025-03-10 02:00:00+00:00"}
    assert mark["updated_at"] == expected_mark[city_db.kind]
    assert (mark["rows"], sorted(mark["at_watermark"])) == (3, ["1", "3"])
    assert latest_metadata(home, "source_rows")["fetched_kota_db_complaints"] == 3

    # second round: one row changes, one is new (each with its diperbarui_pada bumped)
    city_db.run(UPDATE_0002, ("Sampah menumpuk di pasar", "Lebak Gede",
                              city_db.ts("2025-03-12 10:00:00"), "ADU-2025-0002"))  # fmt: skip
    city_db.insert("pengaduan", [NEW_0004])
    city_db.insert("pengaduan_log", [NEW_LOG_0004])

    run_pipeline(home)

    # only what changed was fetched: 0004 (12 March 08:30), then 0002 (10:00)
    complaints = landed(home, "kota_db", "complaints")
    assert list(complaints) == ["fetch-000001.jsonl", "fetch-000002.jsonl"]
    second = complaints["fetch-000002.jsonl"]
    assert [(r["nomor"], r["judul"]) for r in second] == [
        ("ADU-2025-0004", "Genangan di underpass"),
        ("ADU-2025-0002", "Sampah menumpuk di pasar"),
    ]
    # the log in diperbarui_pada order: 0001 verified, forwarded (3 March), 0002 (4 March),
    # 0003 (5 March), 0001 responded (6 March), resolved (10 March); then only the new one
    assert [[r["pengaduan_nomor"] for r in f] for f in landed(home, "kota_db", "events").values()
            ] == [["ADU-2025-0001", "ADU-2025-0001", "ADU-2025-0002", "ADU-2025-0003",
                   "ADU-2025-0001", "ADU-2025-0001"], ["ADU-2025-0004"]]  # fmt: skip
    assert list(landed(home, "kota_db", "ratings")) == ["fetch-000001.jsonl"]  # nothing new
    meta = latest_metadata(home, "source_rows")
    assert [meta[f"fetched_kota_db_{n}"] for n in ("complaints", "events", "ratings")] == [
        2, 1, 0
    ]  # fmt: skip

    # no duplicate: four complaints, the newest version of 0002
    complaint_2_new = (*complaint_2[:5], "Sampah menumpuk di pasar", complaint_2[6],
                       "Coblong", "Lebak Gede", *complaint_2[9:])  # fmt: skip
    complaint_4 = ("ADU-2025-0004", "call_center", t("2025-03-12 08:00"), "banjir",
                   "pengaduan", "Genangan di underpass", "Setinggi lutut", "Coblong",
                   "Lebak Siliwangi", -6.89, 107.61, reporter_hash("081298765432"), False,
                   False, None)  # fmt: skip
    assert query(wh, STAGED_COMPLAINTS, {"source": "kota_db"}) == [
        complaint_1, complaint_2_new, complaint_3, complaint_4
    ]  # fmt: skip
    assert query(home.snapshot_path, "SELECT case_id FROM cases ORDER BY 1") == [
        (f"kota_db:ADU-2025-000{i}",) for i in (1, 2, 3, 4)
    ]
    assert query(wh, STAGED_EVENTS, {"source": "kota_db"}) == sorted(
        [*events, ("ADU-2025-0004", t("2025-03-12 09:00"), "forwarded", "DPU", ADMIN, None)]
    )
    # the old version of 0002 (row 1 of the first fetch) is kept in quarantine
    rows = query(home.snapshot_path, "SELECT input_table, file, row_number, reason, "
                 "original_row FROM quarantine")  # fmt: skip
    assert [r[:4] for r in rows] == [
        ("complaints", "landing/complaints/fetch-000001.jsonl", 1,
         "superseded: by landing/complaints/fetch-000002.jsonl row 2")
    ]  # fmt: skip
    original = json.loads(rows[0][4])
    assert (original["nomor"], original["judul"], original["kelurahan"]) == (
        "ADU-2025-0002", "Sampah menumpuk", "Dago"
    )  # fmt: skip
    assert original["pelapor"] == reporter_hash("3273012345670001")
    # read = staged + quarantined
    for table, read, staged, quarantined in (("complaints", 5, 4, 1), ("events", 7, 7, 0),
                                             ("ratings", 1, 1, 0)):  # fmt: skip
        assert query(wh, f"SELECT count(*) FROM raw_{table}") == [(read,)]
        assert query(wh, f"SELECT count(*) FROM stg_{table}") == [(staged,)]
        assert query(
            wh, "SELECT count(*) FROM quarantine WHERE input_table = $t", {"t": table}
        ) == [(quarantined,)]
    # reporter ids are hashed everywhere rapor keeps data
    assert tables_holding(wh, REPORTERS) == []
    assert tables_holding(home.snapshot_path, REPORTERS) == []
    parquet = sorted(home.parquet_dir.glob("*.parquet"))
    assert parquet
    for path, needle in itertools.product(parquet, REPORTERS):
        found = duckdb.execute(
            "SELECT count(*) FROM read_parquet($p) AS t WHERE contains(CAST(t AS VARCHAR), $n)",
            {"p": str(path), "n": needle},
        ).fetchone()
        assert found == (0,), (path.name, needle)
    assert tables_holding(wh, [reporter_hash("081298765432")])  # the check can see

    # nothing changed since: a fetch lands nothing and keeps its watermark
    mark = (folder / "landing/complaints/watermark.json").read_text()
    assert fetch_sources(home) == {"kota_db": {"complaints": 0, "events": 0, "ratings": 0}}
    assert list(landed(home, "kota_db", "complaints")) == [
        "fetch-000001.jsonl", "fetch-000002.jsonl"
    ]  # fmt: skip
    assert (folder / "landing/complaints/watermark.json").read_text() == mark
    assert json.loads(mark)["updated_at"] == {
        "mysql": "2025-03-12 10:00:00", "postgresql": "2025-03-12 03:00:00+00:00"
    }[city_db.kind]  # fmt: skip


def test_query_origin_same_timestamp_rows_and_values_as_text(city_db, tmp_path):
    """`from` as a query (with a literal %), rows committed later with the watermark's own
    timestamp, and how values are written."""
    city_db.insert("pengaduan", PENGADUAN)
    mapping = yaml.safe_load((MAPPINGS / f"city_db_{city_db.kind}.yaml").read_text())
    mapping["connection"] = city_db.connection()
    mapping["complaints"]["from"] = (
        "SELECT p.*, '100%' AS tanda FROM pengaduan AS p WHERE p.kategori LIKE 'Ja%' "
        "OR p.kategori LIKE 'Lam%'"
    )
    mapping = {k: v for k, v in mapping.items() if k not in ("events", "ratings")}
    folder = tmp_path / "sources" / "kota_db"
    parsed = parse_mapping(mapping, folder.name)

    # 0001 and 0003 match the query; both carry the watermark, 10 March 09:00
    assert fetch_database(folder, parsed) == {"complaints": 2}
    (records,) = landed(Home(tmp_path), "kota_db", "complaints").values()
    first = records[0]
    assert (first["nomor"], first["tanda"], first["lat"], first["lon"], first["pelapor"]) == (
        "ADU-2025-0001", "100%", "-6.914744", "107.609810", "081234567890"
    )  # fmt: skip
    assert (first["anonim"], records[1]["rahasia"]) == {
        "mysql": ("0", "1"), "postgresql": ("false", "true")
    }[city_db.kind]  # fmt: skip
    assert (first["diterima_pada"], first["batas_waktu"], records[1]["isi"]) == (
        {"mysql": "2025-03-03 08:00:00", "postgresql": "2025-03-03 01:00:00+00:00"}[city_db.kind],
        None, None,
    )  # fmt: skip

    # a row committed later with that same timestamp is still fetched; the two already
    # landed, unchanged, are not landed again
    late = {**PENGADUAN[0], "nomor": "ADU-2025-0009", "pelapor": None}
    city_db.insert("pengaduan", [late])
    assert fetch_database(folder, parsed) == {"complaints": 1}
    files = landed(Home(tmp_path), "kota_db", "complaints")
    assert [r["nomor"] for r in files["fetch-000002.jsonl"]] == ["ADU-2025-0009"]
    assert fetch_database(folder, parsed) == {"complaints": 0}
    # a change keeping the timestamp but altering the row is fetched again (the schema's
    # PostgreSQL trigger would bump the timestamp: a writer that does not is simulated)
    if city_db.kind == "postgresql":
        city_db.run("ALTER TABLE pengaduan DISABLE TRIGGER pengaduan_diperbarui")
    city_db.run("UPDATE pengaduan SET judul = %s, diperbarui_pada = diperbarui_pada "
                "WHERE nomor = %s", ("Jalan berlubang dalam", "ADU-2025-0001"))  # fmt: skip
    assert fetch_database(folder, parsed) == {"complaints": 1}
    files = landed(Home(tmp_path), "kota_db", "complaints")
    assert [r["judul"] for r in files["fetch-000003.jsonl"]] == ["Jalan berlubang dalam"]
    assert sorted(files) == ["fetch-000001.jsonl", "fetch-000002.jsonl", "fetch-000003.jsonl"]
    assert not [p for p in (folder / "landing").rglob("*") if p.name.startswith(".")]


def test_awkward_table_and_column_names_are_quoted(city_db, tmp_path):
    """Names come from the mapping file: a reserved word and a name with a space work."""
    if city_db.kind == "mysql":
        city_db.run("CREATE TABLE `order` (`key` INT PRIMARY KEY, `select` VARCHAR(40), "
                    "`updated at` DATETIME NOT NULL)")  # fmt: skip
    else:
        city_db.run('CREATE TABLE "order" ("key" int PRIMARY KEY, "select" varchar(40), '
                    '"updated at" timestamp NOT NULL)')  # fmt: skip
        city_db.run(f'GRANT SELECT ON "order" TO {city_db.user}')
    insert = {"mysql": "INSERT INTO `order` VALUES (%s, %s, %s)",
              "postgresql": 'INSERT INTO "order" VALUES (%s, %s, %s)'}[city_db.kind]  # fmt: skip
    city_db.run(insert, (2, "b", "2025-03-02 10:00:00"))
    city_db.run(insert, (1, "a", "2025-03-02 10:00:00"))
    columns = {"source_id": "key", "channel": {"value": "other"},
               "received_at": "updated at", "category": "select"}  # fmt: skip
    raw = {"format": city_db.kind, "connection": city_db.connection(),
           "complaints": {"from": "order", "key": "key", "updated_at": "updated at",
                          "columns": columns}}  # fmt: skip
    folder = tmp_path / "sources" / "aneh"
    mapping = parse_mapping(raw, "aneh")
    assert fetch_database(folder, mapping) == {"complaints": 2}
    city_db.run(insert, (3, "c'); DROP TABLE x; --", "2025-03-02 11:00:00"))
    assert fetch_database(folder, mapping) == {"complaints": 1}
    files = landed(Home(tmp_path), "aneh", "complaints")
    # key order within one updated_at: 1 before 2
    assert [[(r["key"], r["select"]) for r in f] for f in files.values()] == [
        [("1", "a"), ("2", "b")], [("3", "c'); DROP TABLE x; --")]
    ]  # fmt: skip


def test_select_sql_quotes_names_wraps_queries_and_binds_the_watermark():
    table = parse_mapping({"format": "postgresql", "connection": {"host": "h", "database": "d"},
                           "complaints": {"from": 'kota."pengaduan"', "key": "id",
                                          "updated_at": "diperbarui_pada",
                                          "columns": {"source_id": "nomor", "channel": "kanal",
                                                      "received_at": "t", "category": "k"}}},
                          "x").tables["complaints"]  # fmt: skip
    assert select_sql(table, "postgresql", since=True) == (
        'SELECT * FROM "kota"."""pengaduan""" WHERE "diperbarui_pada" >= %s '
        'ORDER BY "diperbarui_pada", "id"'
    )  # fmt: skip
    assert select_sql(table, "mysql", since=False) == (
        'SELECT * FROM `kota`.`"pengaduan"` ORDER BY `diperbarui_pada`, `id`'
    )  # fmt: skip
    query_table = dataclasses.replace(table, origin=" select * from p where k like 'a%';\n")
    assert select_sql(query_table, "mysql", since=True) == (
        "SELECT * FROM (select * from p where k like 'a%%') AS rapor_src "
        "WHERE `diperbarui_pada` >= %s ORDER BY `diperbarui_pada`, `id`"
    )  # fmt: skip


def test_values_are_landed_as_text():
    wib = dt.timezone(dt.timedelta(hours=7))
    assert [as_text(v) for v in (None, True, False, 3, 2.5, 107.0, Decimal("1E+2"),
                                 Decimal("-6.914700"), dt.date(2025, 3, 1),
                                 dt.datetime(2025, 3, 1, 8, 0), b"\xff", "  teks  ",
                                 {"a": [1, "b"]})] == [
        None, "true", "false", "3", "2.5", "107", "100", "-6.914700", "2025-03-01",
        "2025-03-01 08:00:00", "ff", "  teks  ", '{"a": [1, "b"]}'
    ]  # fmt: skip
    assert as_text(dt.datetime(2025, 3, 1, 8, 0, tzinfo=wib)) == "2025-03-01 08:00:00+07:00"
    assert as_text(dt.datetime(2025, 3, 1, 1, 0), naive_is_utc=True) == "2025-03-01 01:00:00+00:00"


def test_connection_from_url_env_and_password_env():
    raw = yaml.safe_load((MAPPINGS / "city_db_postgresql.yaml").read_text())
    raw["connection"]["url_env"] = "RAPOR_TEST_DB_URL"
    mapping = parse_mapping(raw, "kota_db")
    url = "postgresql://baca%40kota:rahasia%2F1@db.lan:6543/pengaduan_prod"
    server = server_settings(mapping, {"RAPOR_TEST_DB_URL": url})
    assert (server.host, server.port, server.user, server.password, server.database) == (
        "db.lan", 6543, "baca@kota", "rahasia/1", "pengaduan_prod"
    )  # fmt: skip
    assert "rahasia" not in server.describe()
    # without the URL variable: the block, the password from its variable
    server = server_settings(mapping, {"RAPOR_PENGADUAN_DB_PASSWORD": "pw"})
    assert (server.host, server.port, server.user, server.password, server.database) == (
        "db.pengaduan.kota.go.id", 5432, "rapor_baca", "pw", "pengaduan"
    )  # fmt: skip
    with pytest.raises(FetchError, match="must be a postgresql:// URL"):
        server_settings(mapping, {"RAPOR_TEST_DB_URL": "mysql://u@h/d"})


@pytest.mark.parametrize("kind", ["mysql", "postgresql"])
def test_unreachable_database_fails_the_run_naming_source_and_host(kind, tmp_path):
    home = copy_fixture("kota_fetch", tmp_path / "home")
    port = free_port()  # nothing listens there
    connection = {"host": "127.0.0.1", "port": port, "user": "rapor", "database": "pengaduan",
                  "connect_timeout": 3}  # fmt: skip
    folder = write_source(home, "kota_db", f"city_db_{kind}.yaml", connection=connection)
    with pytest.raises(
        FetchError, match=rf"source kota_db: cannot connect to .*127\.0\.0\.1:{port}"
    ):
        fetch_database(folder, load_mapping(folder))
    with pytest.raises(PipelineFailed, match=rf"source kota_db: .*127\.0\.0\.1:{port}"):
        run_pipeline(home)
    assert not home.snapshot_path.exists()
    assert not (folder / "landing").exists()


def test_missing_password_variable_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    raw = yaml.safe_load((MAPPINGS / "city_db_mysql.yaml").read_text())
    raw["connection"]["password_env"] = PASSWORD_ENV
    with pytest.raises(FetchError, match=f"{PASSWORD_ENV} .*is not set"):
        fetch_database(tmp_path, parse_mapping(raw, "kota_db"))


# --- Open311 -----------------------------------------------------------------------------


def service_request(sid, status, service, agency, requested, updated, **more) -> dict:
    return {"service_request_id": sid, "status": status, "status_notes": None,
            "service_name": service, "service_code": service[:3].upper(),
            "description": f"Laporan {service.lower()}", "agency_responsible": agency,
            "service_notice": "", "requested_datetime": requested,
            "updated_datetime": updated, "expected_datetime": None, "address": "Bandung",
            "zipcode": "40111", "lat": -6.9147, "long": 107.6098, "media_url": None,
            **more}  # fmt: skip


REQUESTS = [
    service_request("638344", "closed", "Jalan Rusak", "Dinas Pekerjaan Umum",
                    "2025-03-03T08:00:00+07:00", "2025-03-07T15:30:00+07:00",
                    status_notes="Sudah diperbaiki", description="Jalan berlubang di depan pasar",
                    expected_datetime="2025-03-17T08:00:00+07:00"),
    service_request("638345", "open", "Sampah", "Dinas Lingkungan Hidup",
                    "2025-03-04T02:30:00Z", "2025-03-04T02:30:00Z", lat=-6.885, long=107.613),
    service_request("638346", "open", "Lampu Jalan", "Dinas Perhubungan",
                    "2025-03-05T14:00:00+07:00", "2025-03-05T14:00:00+07:00", zipcode=None),
    service_request("638347", "closed", "Drainase", "Dinas Pekerjaan Umum",
                    "2025-03-06T09:00:00+07:00", "2025-03-08T10:00:00+07:00",
                    status_notes="Saluran dibersihkan"),
    service_request("638348", "open", "Pohon Tumbang", "dinas lingkungan hidup ",
                    "2025-03-07T07:45:00+07:00", "2025-03-07T07:45:00+07:00"),
]  # fmt: skip
# the second round: 638346 is closed, 638349 is new
CLOSED_638346 = {**REQUESTS[2], "status": "closed", "status_notes": "Lampu diganti",
                 "updated_datetime": "2025-03-10T11:00:00+07:00"}  # fmt: skip
NEW_638349 = service_request(
    "638349",
    "open",
    "Trotoar Rusak",
    "Dinas Pekerjaan Umum",
    "2025-03-11T10:00:00+07:00",
    "2025-03-11T10:00:00+07:00",
)


class Open311Server:
    """GET /georeport/v2/requests.json?page=N&page_size=M over the current `records`."""

    def __init__(self, records: list[dict]):
        self.records = records
        self.pages: list[int] = []
        self.same_page_always = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                args = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path != "/georeport/v2/requests.json" or args.get("jurisdiction_id") != (
                    "kota.go.id"
                ):
                    self.send_error(404)
                    return
                page, size = int(args["page"]), int(args["page_size"])
                server.pages.append(page)
                start = 0 if server.same_page_always else (page - 1) * size
                body = json.dumps(server.records[start : start + size]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = (f"http://127.0.0.1:{self.httpd.server_address[1]}"
                    "/georeport/v2/requests.json?jurisdiction_id=kota.go.id")  # fmt: skip
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def open311_server() -> Iterator[Open311Server]:
    server = Open311Server(list(REQUESTS))
    try:
        yield server
    finally:
        server.close()


def expected_open311() -> tuple[list[tuple], list[tuple]]:
    """The five requests of REQUESTS as staged complaints and events (WIB)."""
    complaints = [
        ("638344", "city_portal", t("2025-03-03 08:00"), "jalan rusak", "Jalan Rusak",
         "Jalan berlubang di depan pasar", "40111", -6.9147, 107.6098, t("2025-03-17 08:00")),
        # 02:30 UTC is 09:30 WIB
        ("638345", "city_portal", t("2025-03-04 09:30"), "sampah", "Sampah", "Laporan sampah",
         "40111", -6.885, 107.613, None),
        ("638346", "city_portal", t("2025-03-05 14:00"), "lampu jalan", "Lampu Jalan",
         "Laporan lampu jalan", None, -6.9147, 107.6098, None),
        ("638347", "city_portal", t("2025-03-06 09:00"), "drainase", "Drainase",
         "Laporan drainase", "40111", -6.9147, 107.6098, None),
        ("638348", "city_portal", t("2025-03-07 07:45"), "pohon tumbang", "Pohon Tumbang",
         "Laporan pohon tumbang", "40111", -6.9147, 107.6098, None),
    ]  # fmt: skip
    events = [
        ("638344", t("2025-03-03 08:00"), "forwarded", "DPU", None),
        ("638344", t("2025-03-07 15:30"), "resolved", "DPU", "Sudah diperbaiki"),
        ("638345", t("2025-03-04 09:30"), "forwarded", "DLH", None),
        ("638346", t("2025-03-05 14:00"), "forwarded", "DISHUB", None),
        ("638347", t("2025-03-06 09:00"), "forwarded", "DPU", None),
        ("638347", t("2025-03-08 10:00"), "resolved", "DPU", "Saluran dibersihkan"),
        ("638348", t("2025-03-07 07:45"), "forwarded", "DLH", None),
    ]
    return complaints, events


OPEN311_COMPLAINTS = """
    SELECT source_id, channel, received_at, category, title, description, village, lat, lon,
           due_at
    FROM stg_complaints WHERE source = $source ORDER BY source_id"""
OPEN311_EVENTS = """
    SELECT source_id, event_at, event_type, unit_code, note
    FROM stg_events WHERE source = $source ORDER BY source_id, event_at, event_type"""


def test_open311_over_http_and_as_a_file_end_to_end(open311_server, tmp_path, monkeypatch):
    monkeypatch.delenv("RAPOR_HASH_SECRET", raising=False)
    home = copy_fixture("kota_fetch", tmp_path / "home")
    write_source(home, "kota311", "open311_http.yaml", url=open311_server.url, page_size=2)
    files = write_source(home, "kota311_file", "open311.yaml")
    (files / "requests-2025-03.json").write_text(json.dumps(REQUESTS), encoding="utf8")

    run_pipeline(home)

    wh = home.warehouse_path
    assert open311_server.pages == [1, 2, 3]  # 2 + 2 + 1 requests: the short page ends it
    complaints, events = expected_open311()
    for source in ("kota311", "kota311_file"):
        assert query(wh, OPEN311_COMPLAINTS, {"source": source}) == complaints, source
        assert query(wh, OPEN311_EVENTS, {"source": source}) == events, source
    (first,) = landed(home, "kota311", "complaints").values()
    assert [r["service_request_id"] for r in first] == ["638344", "638345", "638346",
                                                        "638347", "638348"]  # fmt: skip
    assert (first[1]["lat"], first[1]["long"], first[0]["media_url"]) == ("-6.885", "107.613",
                                                                          None)  # fmt: skip
    assert query(home.snapshot_path, "SELECT count(*) FROM quarantine") == [(0,)]

    # second round: 638346 is closed, 638349 is new; six requests fill three pages, the
    # fourth comes back empty
    open311_server.records = [*REQUESTS[:2], CLOSED_638346, *REQUESTS[3:], NEW_638349]
    open311_server.pages.clear()

    run_pipeline(home)

    assert open311_server.pages == [1, 2, 3, 4]
    fetches = landed(home, "kota311", "complaints")
    assert list(fetches) == ["fetch-000001.jsonl", "fetch-000002.jsonl"]
    assert [(r["service_request_id"], r["status"]) for r in fetches["fetch-000002.jsonl"]] == [
        ("638346", "closed"), ("638349", "open")
    ]  # fmt: skip
    assert latest_metadata(home, "source_rows")["fetched_kota311_complaints"] == 2
    new_complaint = ("638349", "city_portal", t("2025-03-11 10:00"), "trotoar rusak",
                     "Trotoar Rusak", "Laporan trotoar rusak", "40111", -6.9147, 107.6098,
                     None)  # fmt: skip
    assert query(wh, OPEN311_COMPLAINTS, {"source": "kota311"}) == [*complaints, new_complaint]
    assert query(wh, OPEN311_EVENTS, {"source": "kota311"}) == sorted([
        *events,
        ("638346", t("2025-03-10 11:00"), "resolved", "DISHUB", "Lampu diganti"),
        ("638349", t("2025-03-11 10:00"), "forwarded", "DPU", None),
    ])  # fmt: skip
    assert query(wh, OPEN311_EVENTS, {"source": "kota311_file"}) == events  # unchanged
    # 638346's first version (row 3 of the first fetch) and the event made from it are
    # kept in quarantine, superseded by row 1 of the second fetch
    by = "superseded: by landing/complaints/fetch-000002.jsonl row 1"
    assert query(
        home.snapshot_path,
        "SELECT input_table, source, file, row_number, reason FROM quarantine ORDER BY ALL",
    ) == [
        ("complaints", "kota311", "landing/complaints/fetch-000001.jsonl", 3, by),
        ("events", "kota311", "landing/complaints/fetch-000001.jsonl#forwarded", 3, by),
    ]
    # read = staged + quarantined: 5 + 2 complaint records; events: 7 from the first fetch,
    # 3 from the second (638346 forwarded and resolved, 638349 forwarded)
    for table, read, staged, quarantined in (("complaints", 7, 6, 1), ("events", 10, 9, 1)):
        assert query(wh, f"SELECT count(*) FROM raw_{table} WHERE source = 'kota311'") == [
            (read,)
        ]  # fmt: skip
        assert query(wh, f"SELECT count(*) FROM stg_{table} WHERE source = 'kota311'") == [
            (staged,)
        ]  # fmt: skip
        assert query(home.snapshot_path, "SELECT count(*) FROM quarantine WHERE input_table = "
                     f"'{table}' AND source = 'kota311'") == [(quarantined,)]  # fmt: skip
    assert len(query(home.snapshot_path, "SELECT case_id FROM cases")) == 6 + 5

    # nothing changed since: every page is read again, nothing is landed
    open311_server.pages.clear()
    assert fetch_sources(home) == {"kota311": {"complaints": 0}}
    assert open311_server.pages == [1, 2, 3, 4]
    assert len(landed(home, "kota311", "complaints")) == 2


def test_open311_server_ignoring_pages_is_an_error(open311_server, tmp_path):
    open311_server.same_page_always = True
    raw = yaml.safe_load((MAPPINGS / "open311_http.yaml").read_text())
    mapping = parse_mapping({**raw, "url": open311_server.url, "page_size": 2}, "kota311")
    with pytest.raises(FetchError, match="returned page 2 the same as page 1"):
        fetch_open311(tmp_path / "kota311", mapping)
    assert not (tmp_path / "kota311" / "landing" / "complaints").exists()


def test_open311_unreachable_names_source_and_url(tmp_path):
    raw = yaml.safe_load((MAPPINGS / "open311_http.yaml").read_text())
    url = f"http://127.0.0.1:{free_port()}/requests.json"
    mapping = parse_mapping({**raw, "url": url}, "kota311")
    with pytest.raises(FetchError, match=r"source kota311: GET http://127\.0\.0\.1:\d+/requests"):
        fetch_open311(tmp_path / "kota311", mapping)


@pytest.mark.parametrize("name", ["city_db_mysql", "city_db_postgresql", "open311", "open311_http"])
def test_shipped_mappings_parse(name):
    mapping = parse_mapping(yaml.safe_load((MAPPINGS / f"{name}.yaml").read_text()), name)
    source_id = mapping.tables["complaints"].fields["source_id"].column
    assert source_id == ("nomor" if name.startswith("city_db") else "service_request_id")
    if name.startswith("city_db"):
        assert {t: (s.origin, s.key, s.updated_at) for t, s in mapping.tables.items()} == {
            "complaints": ("pengaduan", "id", "diperbarui_pada"),
            "events": ("pengaduan_log", "id", "diperbarui_pada"),
            "ratings": ("penilaian", "id", "diperbarui_pada"),
        }
        assert mapping.tables["events"].fields["event_type"].map["disposisi"] == "forwarded"
    else:
        events = mapping.tables["events"].derived
        assert [e.event_type for e in events] == ["forwarded", "resolved"]
        assert events[0].fields["unit_code"].map["dinas perhubungan"] == "DISHUB"
        assert (mapping.url is not None) == (name == "open311_http")
