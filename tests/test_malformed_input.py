"""Property tests: malformed CSV and JSON never crash ingestion, and every input row is either
staged or quarantined (read = staged + quarantined, per table)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.common import replace_table
from assets.ingest import SOURCE_TABLES, read_sources
from assets.readers import COMPLAINT_COLUMNS
from pipelines.engine import load_home_inputs, run_stage
from pipelines.home import Home
from pipelines.resources import RaporHome
from pipelines.warehouse import connect
from tests.conftest import FIXTURES

MAPPINGS = Path(__file__).resolve().parent.parent / "mappings"
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# cells that stress a CSV reader: separators, quotes, line breaks, blanks, odd unicode
cell = st.one_of(
    st.sampled_from(["", " ", '"', '""', ",", "\n", "\r\n", "2025-04-14 08:00:00", "lapor",
                     "sampah", "DPU", "199001012015032002", "-", "N/A", "\x00", "é", "💥"]),
    st.text(max_size=12),
)  # fmt: skip


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """A warehouse holding Kota Uji's reference data and calendars, loaded once."""
    root = tmp_path_factory.mktemp("malformed") / "home"
    shutil.copytree(FIXTURES / "kota_uji", root)
    shutil.rmtree(root / "sources")
    (root / "sources").mkdir()
    home = Home(root)
    con = connect(root / "warehouse" / "rapor.duckdb")
    load_home_inputs(home, con)
    params = {**RaporHome(path=str(root)).sql_params(), "run_id": "property"}
    yield home, con, params
    con.close()


def mapping(name: str) -> str:
    return (MAPPINGS / f"{name}.yaml").read_text()


def ingest(warehouse, files: dict[str, bytes], source_yaml: str | None = None):
    """Drop `files` (and a source.yaml) into a fresh source folder, read and stage
    everything; then check that every row read is staged or quarantined, table by table."""
    home, con, params = warehouse
    for old in home.sources_dir.iterdir():
        shutil.rmtree(old)
    folder = home.sources_dir / f"s{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    if source_yaml:
        (folder / "source.yaml").write_text(source_yaml)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    frames, _ = read_sources(home)
    for table, frame in frames.items():
        replace_table(con, f"raw_{table}", frame)
    run_stage(con, "staging", params)
    for table in SOURCE_TABLES:
        # fetchall: a result left half-read would block the next register() (DuckDB 2.0)
        read = con.execute(f"SELECT count(*) FROM raw_{table}").fetchall()[0][0]
        staged = con.execute(f"SELECT count(*) FROM stg_{table}").fetchall()[0][0]
        rejected = con.execute(
            "SELECT count(*) FROM quarantine WHERE input_table = $t", {"t": table}
        ).fetchall()[0][0]
        assert read == staged + rejected, (table, read, staged, rejected)
    return frames


def csv_bytes(header: list[str], rows: list[list[str]], mangle: bytes = b"") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf8") + mangle


@SETTINGS
@given(
    header=st.lists(st.sampled_from([*COMPLAINT_COLUMNS, "junk", ""]), min_size=1, max_size=8),
    rows=st.lists(st.lists(cell, min_size=0, max_size=10), max_size=12),
    mangle=st.sampled_from([b"", b"\xff\xfe broken utf8\n", b'"unclosed,quote\n', b"a,b\r"]),
)
def test_canonical_csv_never_crashes_and_adds_up(warehouse, header, rows, mangle):
    frames = ingest(warehouse, {"complaints.csv": csv_bytes(header, rows, mangle)})
    # every physical data record became exactly one row (blank lines are no records)
    assert frames["complaints"].height >= 1 or not any(rows)  # [] is a blank line


@SETTINGS
@given(rows=st.lists(st.lists(cell, min_size=5, max_size=9), max_size=10))
def test_mapped_csv_never_crashes_and_adds_up(warehouse, rows):
    header = ["Unique Key", "Created Date", "Closed Date", "Agency", "Complaint Type",
              "Descriptor", "Status", "Due Date", "Incident Zip"]  # fmt: skip
    cells = [(r + [""] * 9)[:9] for r in rows]
    # half the rows get plausible values where it matters, so staging sees real work
    for i, r in enumerate(cells):
        if i % 2 == 0:
            r[0], r[1], r[3], r[4] = f"K{i}", "04/14/2025 08:00:00 AM", "DPU", "sampah"
    ingest(warehouse, {"export.csv": csv_bytes(header, cells)}, mapping("nyc311"))


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | cell,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=8,
)  # fmt: skip
record = st.fixed_dictionaries(
    {},
    optional={
        "id": cell, "platform": st.sampled_from(["instagram", "twitter", "news", "?"]),
        "posted_at": st.sampled_from(["2025-04-14T08:15:00+07:00", "kemarin", "", "2025"]),
        "text": cell, "topic": cell, "author": st.dictionaries(st.just("handle"), cell),
        "location": json_value, "disposisi": json_value,
    },
)  # fmt: skip
line = st.one_of(
    record.map(json.dumps),
    json_value.map(json.dumps),
    st.text(max_size=20).filter(lambda s: "\n" not in s and "\r" not in s),
    st.just("{broken"),
)


@SETTINGS
@given(lines=st.lists(line, max_size=12), tail=st.sampled_from([b"", b"\xff\n", b"\n\n"]))
def test_jsonl_never_crashes_and_adds_up(warehouse, lines, tail):
    data = ("\n".join(lines) + "\n").encode("utf8") + tail
    frames = ingest(warehouse, {"mentions.jsonl": data}, mapping("social_media"))
    non_blank = [x for x in data.decode("utf8", errors="replace").split("\n") if x.strip()]
    assert frames["complaints"].height == len(non_blank)


@SETTINGS
@given(doc=st.one_of(st.lists(st.one_of(record, json_value), max_size=10), json_value))
def test_json_document_never_crashes_and_adds_up(warehouse, doc):
    as_json = mapping("social_media").replace("format: jsonl", "format: json")
    frames = ingest(warehouse, {"mentions.json": json.dumps(doc).encode()}, as_json)
    # a list: one row per item; anything else: the file is one quarantined row
    assert frames["complaints"].height == (len(doc) if isinstance(doc, list) else 1)


def test_a_nip_appointed_in_the_future_is_quarantined_by_staging(warehouse):
    """A mistyped appointment year (2051 for 2015) is quarantined with its reason, not left
    for the quality gate to block the whole publication over."""
    _, con, params = warehouse
    complaints = csv_bytes(
        ["source_id", "channel", "received_at", "category", "title"],
        [["K1", "lapor", "2025-04-14 08:00:00", "sampah", "Sampah"]],
    )
    events = csv_bytes(
        ["source_id", "event_at", "event_type", "unit_code", "officer_nip"],
        [
            ["K1", "2025-04-14 09:00:00", "verified", "KOMINFO", "198503152010011001"],
            ["K1", "2025-04-14 10:00:00", "forwarded", "DPU", "199001012051031002"],
        ],
    )
    ingest(warehouse, {"complaints.csv": complaints, "events.csv": events})
    month = params["now"].strftime("%Y-%m")
    reason = f"invalid NIP: NIP appointment month 205103 is after this run's month {month}"
    assert con.execute(
        "SELECT input_table, row_number, reason FROM quarantine ORDER BY ALL"
    ).fetchall() == [("events", 2, reason)]
    assert con.execute("SELECT event_type FROM stg_events").fetchall() == [("verified",)]
