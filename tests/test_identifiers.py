"""Raw identifiers never stored: a reporter's e-mail, phone number and NIK are hashed or
replaced by keyed tokens before any copy of a row is kept, whatever the row's shape."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
import yaml

from assets.identifiers import Scrubber
from assets.mapped import read_mapped_source
from assets.readers import Reporters, read_table
from pipelines.mappings import MappingError, load_mapping, parse_mapping
from pipelines.runner import run_pipeline
from tests.conftest import read_snapshot

ROOT = Path(__file__).resolve().parent.parent
SECRET = b"uji-secret"
EMAIL = "Siti.Planted@contoh.id"
PHONE = "0813-9988-7766"
NIK = "3374015203850004"
NESTED_EMAIL = "budi.nested@contoh.id"
NIP = "199001012015032002"  # a civil servant's NIP: not personal reporter data, kept as is
# every spelling of the planted values that must not appear anywhere
NEEDLES = (EMAIL, EMAIL.lower(), "planted@contoh", PHONE, "081399887766", "813-9988-7766",
           "813 9988 7766", NIK, NESTED_EMAIL, "nested@contoh")  # fmt: skip

HEADER = (
    "source_id,channel,received_at,category,complaint_class,title,description,district,"
    "village,lat,lon,reporter_id,is_anonymous,is_confidential,due_at"
)
# row 1 is good (the phone and NIK in its text); rows 2-4 are shifted by an unquoted comma in
# the title, so the reporter's e-mail, phone and NIK land in is_anonymous; row 5 lacks one
# field, so its reporter (the phone) lands in lon
SHIFTED_COMPLAINTS = f"""\
{HEADER}
K1,walk_in,2025-04-22 09:00:00,sampah,,Sampah,hubungi {PHONE} NIK {NIK},Tembalang,Bulusan,-7.05,110.44,{EMAIL},false,false,
K2,walk_in,2025-04-22 09:00:00,sampah,,Sampah, menumpuk,bau,Tembalang,Bulusan,-7.05,110.44,{EMAIL},false,false,
K3,walk_in,2025-04-22 09:00:00,sampah,,Sampah, menumpuk,bau,Tembalang,Bulusan,-7.05,110.44,{PHONE},false,false,
K4,walk_in,2025-04-22 09:00:00,sampah,,Sampah, menumpuk,bau,Tembalang,Bulusan,-7.05,110.44,{NIK},false,false,
K5,walk_in,2025-04-22 09:00:00,sampah,,Sampah,bau,Tembalang,Bulusan,-7.05,{PHONE},false,false,
"""  # noqa: E501
EVENTS = f"""\
source_id,event_at,event_type,unit_code,officer_nip,note
K1,2025-04-22 10:00:00,forwarded,DPU,{NIP},pelapor minta dihubungi di {EMAIL}
"""


def _record(i: int, **extra) -> dict:
    return {
        "id": f"j-{i}", "platform": "instagram", "posted_at": "2025-04-14T08:15:00+07:00",
        "author": {"handle": "@warga1"}, "text": "Jalan berlubang", "topic": "jalan_rusak",
        "tiket": f"T-{i}", "email": EMAIL, "nik": NIK, "telepon": PHONE,
        "pelapor": {"nama": "Siti", "kontak": {"email": NESTED_EMAIL, "hp": PHONE}},
    } | extra  # fmt: skip


JSONL = "\n".join(
    [
        json.dumps(_record(1)),
        json.dumps(_record(2, platform="friendster", text=f"kontak {EMAIL}")),  # quarantined
        json.dumps([EMAIL, NIK]),  # not an object: its text is the problem's detail
        json.dumps(_record(3, tiket=f"T-3 / {PHONE}")),  # a kept field holding a phone
    ]
)


def token(value: str) -> str:
    """The keyed token for a normalised identifier, computed independently of the code."""
    return "[id:" + hmac.new(SECRET, value.encode(), hashlib.sha256).hexdigest()[:12] + "]"


def social_with_keep(folder: Path) -> None:
    raw = yaml.safe_load((ROOT / "mappings" / "social_media.yaml").read_text())
    raw["keep_fields"] = ["tiket", "pelapor.nama"]
    folder.mkdir(parents=True)
    (folder / "source.yaml").write_text(yaml.safe_dump(raw))
    (folder / "mentions.jsonl").write_text(JSONL + "\n")


# --- the detector ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"hubungi {EMAIL} atau {PHONE}",
         f"hubungi {token(EMAIL.lower())} atau {token('081399887766')}"),
        ("+62 813 9988 7766 / 62813-9988-7766",
         f"{token('081399887766')} / {token('081399887766')}"),
        (f"NIK {NIK} = 3374 0152 0385 0004", f"NIK {token(NIK)} = {token(NIK)}"),
        ("telp (024) 555 1234", f"telp {token('0245551234')}"),
        ("rekening 1234567890", f"rekening {token('1234567890')}"),
        (f"petugas NIP {NIP}", f"petugas NIP {NIP}"),  # 18 digits: a NIP, kept
        ("2025-08-12 10:00:00+07:00, lat -6.20881234567",
         "2025-08-12 10:00:00+07:00, lat -6.20881234567"),
        ("Rp 1.500.000.000, nomor 12345, LS-0003495", "Rp 1.500.000.000, nomor 12345, LS-0003495"),
        ("malformed: truncated budi@conto", f"malformed: truncated {token('budi@conto')}"),
    ],
)  # fmt: skip
def test_scrub_replaces_identifiers_with_keyed_tokens(text, expected):
    scrubber = Scrubber(Reporters(SECRET))
    assert scrubber.scrub(text) == expected
    assert scrubber.scrub(expected) == expected  # a token is never scrubbed again


def test_key_columns_keep_long_numbers_unless_the_row_is_broken():
    scrubber = Scrubber(Reporters(SECRET))
    # a numeric source_id, a NIP missing two digits: ids, not a citizen's number
    assert scrubber.scrub("2403150001234", "contact") == "2403150001234"
    assert scrubber.scrub("1990010120150320", "contact") == "1990010120150320"
    assert scrubber.scrub("RT-031-123456", "contact") == "RT-031-123456"
    assert scrubber.scrub("telp 031-123456", "all") == f"telp {token('031123456')}"
    assert scrubber.scrub(f"{EMAIL} {PHONE}", "contact") == (
        f"{token(EMAIL.lower())} {token('081399887766')}"
    )
    assert scrubber.scrub(f"{NIK} 1733212800", "identifiers") == f"{token(NIK)} 1733212800"
    values = pl.Series(["2403150001234", "2403150001234", "LS-1", None, PHONE])
    broken = pl.Series([False, True, True, True, False])
    assert scrubber.series(values, "contact", broken).to_list() == [
        "2403150001234", token("2403150001234"), "LS-1", None, token("081399887766"),
    ]  # fmt: skip


def test_shifted_csv_row_is_scrubbed_before_it_is_kept(tmp_path):
    path = tmp_path / "complaints.csv"
    path.write_text(SHIFTED_COMPLAINTS)
    frame = read_table(path, "complaints", "loket", Reporters(SECRET))
    rows = {r["source_id"]: r for r in frame.iter_rows(named=True)}
    email, phone, nik = token(EMAIL.lower()), token("081399887766"), token(NIK)
    reporter = hmac.new(SECRET, EMAIL.lower().encode(), hashlib.sha256).hexdigest()
    good = rows["K1"]
    assert (good["description"], good["reporter_id"]) == (f"hubungi {phone} NIK {nik}", reporter)
    assert (good["received_at"], good["lat"], good["lon"]) == (
        "2025-04-22 09:00:00",
        "-7.05",
        "110.44",
    )
    # the unquoted comma moved every value after the title one column right
    assert [rows[k]["is_anonymous"] for k in ("K2", "K3", "K4")] == [email, phone, nik]
    assert rows["K5"]["lon"] == phone
    assert rows["K2"]["file_problem"] == "malformed row: 16 fields, header has 15"
    events = tmp_path / "events.csv"
    events.write_text(EVENTS)
    (event,) = read_table(events, "events", "loket", Reporters(SECRET)).iter_rows(named=True)
    assert (event["officer_nip"], event["note"]) == (NIP, f"pelapor minta dihubungi di {email}")


def test_original_row_keeps_only_named_and_declared_fields(tmp_path):
    folder = tmp_path / "monitoring"
    social_with_keep(folder)
    frames, _ = read_mapped_source(folder, load_mapping(folder), Reporters(SECRET))
    complaints = pl.concat(frames["complaints"])
    originals = [json.loads(o) if o else None for o in complaints["original_row"]]
    handle = hmac.new(SECRET, b"@warga1", hashlib.sha256).hexdigest()
    assert originals[0] == {
        "id": "j-1", "platform": "instagram", "posted_at": "2025-04-14T08:15:00+07:00",
        "author.handle": handle, "text": "Jalan berlubang", "topic": "jalan_rusak",
        "tiket": "T-1", "pelapor.nama": "Siti",
    }  # fmt: skip
    assert originals[1]["text"] == f"kontak {token(EMAIL.lower())}"
    assert set(originals[2].values()) == {None}  # a line that is not an object: no fields
    assert complaints["file_problem"][2] == (
        f'malformed record: not a JSON object: ["{token(EMAIL.lower())}", "{token(NIK)}"]'
    )
    assert originals[3]["tiket"] == f"T-3 / {token('081399887766')}"


def test_keep_fields_must_be_a_list_of_names():
    raw = yaml.safe_load((ROOT / "mappings" / "social_media.yaml").read_text())
    assert parse_mapping(raw | {"keep_fields": ["a.b"]}, "m").keep_fields == ("a.b",)
    with pytest.raises(MappingError, match="keep_fields: expected a list"):
        parse_mapping(raw | {"keep_fields": "email"}, "m")


# --- nowhere in the home --------------------------------------------------------------------


def _duckdb_texts(path: Path) -> list[str]:
    """Every row of every table and view of a DuckDB file, as text (queried, not grepped:
    DuckDB compresses strings)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT temporary "
            "UNION ALL SELECT schema_name, view_name FROM duckdb_views() "
            "WHERE NOT internal AND NOT temporary"
        ).fetchall()
        texts = []
        for schema, name in names:
            rows = con.execute(f'SELECT CAST(t AS VARCHAR) FROM "{schema}"."{name}" AS t')
            texts += [f"{path.name}:{name}:{r[0]}" for r in rows.fetchall()]
        return texts
    finally:
        con.close()


def _parquet_texts(path: Path) -> list[str]:
    con = duckdb.connect()
    try:
        rows = con.execute("SELECT CAST(t AS VARCHAR) FROM read_parquet($p) AS t", {"p": str(path)})
        return [f"{path.name}:{r[0]}" for r in rows.fetchall()]
    finally:
        con.close()


def test_planted_identifiers_are_nowhere_in_the_home(uji_home):
    loket = uji_home.sources_dir / "loket"
    loket.mkdir()
    (loket / "complaints.csv").write_text(SHIFTED_COMPLAINTS)
    (loket / "events.csv").write_text(EVENTS)
    social_with_keep(uji_home.sources_dir / "monitoring")
    inputs = {p for p in uji_home.sources_dir.rglob("*") if p.is_file()}

    run_pipeline(uji_home)

    # the run did read them: the good rows are staged, the bad ones quarantined
    assert read_snapshot(
        uji_home,
        "SELECT source, row_number, reason_code FROM quarantine "
        "WHERE source IN ('loket', 'monitoring') ORDER BY ALL",
    ) == [
        ("loket", 2, "malformed row"), ("loket", 3, "malformed row"),
        ("loket", 4, "malformed row"), ("loket", 5, "malformed row"),
        ("monitoring", 2, "unknown channel"), ("monitoring", 3, "malformed record"),
    ]  # fmt: skip
    assert read_snapshot(
        uji_home, "SELECT count(*) FROM cases WHERE case_id IN ('loket:K1', 'monitoring:j-1')"
    ) == [(2,)]
    texts, files = [], []
    for path in sorted(p for p in uji_home.root.rglob("*") if p.is_file()):
        if path in inputs:
            continue
        if path.suffix == ".duckdb":
            texts += _duckdb_texts(path)
        elif path.suffix == ".parquet":
            texts += _parquet_texts(path)
        else:
            files.append(path)
    assert any("[id:" in t for t in texts)  # the tokens are there instead
    assert any(NIP in t for t in texts)  # and the officer's NIP as it was
    leaks = [(n, t[:200]) for t in texts for n in NEEDLES if n.lower() in t.lower()]
    assert leaks == []
    needles = [n.encode() for n in NEEDLES] + [n.lower().encode() for n in NEEDLES]
    leaked_files = [
        (str(p.relative_to(uji_home.root)), n)
        for p in files
        for n in needles
        if n in p.read_bytes() or n in p.read_bytes().lower()
    ]
    assert leaked_files == []
    assert any(uji_home.dagster_home in p.parents for p in files)  # its storage was searched
