"""Every input file accounted for (issue 18, items 2 and 7): sources are read only inside
their folder; a file no table reads is reported; scores are never rounded; a zone written
in a timestamp is honoured; `rows_add_up` counts file by file.

Most tests read and stage a small home directly (no Dagster); one module fixture runs the
real pipeline twice on Kota Uji: once to publish, once with a mapping that reaches out of
its folder, which must fail and leave the snapshot as it was."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

import sql
from assets.ingest import _counts_add_up, read_sources
from assets.mapped import source_files
from pipelines.cli import _print_summary, main
from pipelines.engine import load_home_inputs, run_stage
from pipelines.home import Home
from pipelines.mappings import MappingError, load_mapping, parse_mapping
from pipelines.resources import RaporHome
from pipelines.runner import PipelineFailed, instance_for, run_pipeline
from pipelines.warehouse import connect
from tests.conftest import FIXTURES, copy_fixture, read_snapshot

MAPPINGS = Path(__file__).resolve().parent.parent / "mappings"
COMPLAINT_HEADER = "source_id,channel,received_at,category\n"
PASSWORD_HASH = "$scrypt$n=16384,r=8,p=1$c2FsdA$Zm9yZ2VkLWhhc2gtbWFya2Vy"  # a planted marker
USERS = f"users:\n  admin:\n    role: admin\n    password_hash: '{PASSWORD_HASH}'\n"
LEAK_MAPPING = """\
format: csv
complaints:
  from: "{pattern}"
  columns: {{source_id: username, channel: role, received_at: x, category: y}}
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- staging a small home directly ------------------------------------------------------


@pytest.fixture(scope="module")
def uji(tmp_path_factory):
    """An open warehouse on Kota Uji's home; `stage(files)` replaces the sources with
    Kota Uji's s1 plus `files` ({"<source>/<path>": text}), reads and stages them."""
    root = tmp_path_factory.mktemp("accounting") / "home"
    shutil.copytree(FIXTURES / "kota_uji", root)
    home = Home(root)
    con = connect(root / "warehouse" / "rapor.duckdb")
    params = {**RaporHome(path=str(root)).sql_params(), "run_id": "accounting"}

    def stage(files: dict[str, str]) -> None:
        shutil.rmtree(home.sources_dir)
        shutil.copytree(FIXTURES / "kota_uji" / "sources", home.sources_dir)
        for name, text in files.items():
            path = home.sources_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        load_home_inputs(home, con)
        run_stage(con, "staging", params)

    yield con, stage
    con.close()


def rows(con, query: str) -> list[tuple]:
    return con.execute(query).fetchall()


# --- item 2: sources read only inside their folder ---------------------------------------


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("../../users.yaml", "'..' leaves the source folder"),
        ("../../../../../../etc/passwd", "'..' leaves the source folder"),
        ("exports/../../secret.key", "'..' leaves the source folder"),
        ("/etc/passwd", "an absolute path"),
        ("~/policy.yaml", "an absolute path"),
    ],
)
def test_a_from_pattern_out_of_the_folder_is_refused_when_the_mapping_loads(pattern, message):
    raw = yaml.safe_load((MAPPINGS / "nyc311.yaml").read_text())
    raw["complaints"]["from"] = pattern
    with pytest.raises(MappingError) as refused:
        parse_mapping(raw, "kota")
    assert str(refused.value) == (
        f"sources/kota/source.yaml: complaints.from: {pattern!r} refused: {message}"
        + ("; give a file pattern inside it" if ".." in message else "; give a file pattern "
           "inside the source folder")
    )  # fmt: skip


def test_database_tables_and_queries_are_not_file_patterns():
    raw = yaml.safe_load((MAPPINGS / "city_db_postgresql.yaml").read_text())
    raw["complaints"]["from"] = "SELECT * FROM pengaduan WHERE a/b > 0"
    assert parse_mapping(raw, "db").tables["complaints"].origin.startswith("SELECT")


def test_listing_refuses_absolute_patterns_and_links_out_of_the_folder(tmp_path):
    """The checks when files are listed: a pattern that skipped validation, a symbolic link
    to a home file, a linked folder that leads out; a link within the folder is fine."""
    home = tmp_path / "home"
    folder = home / "sources" / "kota"
    (folder / "2025").mkdir(parents=True)
    (home / "users.yaml").write_text(USERS)
    (folder / "source.yaml").write_text(LEAK_MAPPING.format(pattern="*.csv"))
    (folder / "2025" / "april.csv").write_text(COMPLAINT_HEADER)
    (folder / "april-again.csv").symlink_to(folder / "2025" / "april.csv")  # inside: fine
    mapping = load_mapping(folder)
    assert [p.name for p in source_files(folder, mapping, "complaints", "**/*.csv")] == [
        "april.csv", "april-again.csv",
    ]  # fmt: skip

    with pytest.raises(MappingError, match=r"'/etc/passwd' refused: an absolute path"):
        source_files(folder, mapping, "complaints", "/etc/passwd")  # was NotImplementedError

    (folder / "users.csv").symlink_to(home / "users.yaml")
    with pytest.raises(MappingError) as refused:
        source_files(folder, mapping, "complaints", "*.csv")
    assert str(refused.value) == (
        f"sources/kota: complaints: refused: users.csv is a symbolic link to "
        f"{(home / 'users.yaml').resolve()}; only files inside sources/kota/ are read"
    )
    (folder / "users.csv").unlink()

    (folder / "home").symlink_to(home)
    with pytest.raises(MappingError, match=r"home/users.yaml lies outside the source folder"):
        source_files(folder, mapping, "complaints", "home/*.yaml")


def test_a_canonical_file_that_links_to_a_home_file_is_refused_unread(tmp_path):
    home = copy_fixture("kota_uji", tmp_path / "home")
    events = home.sources_dir / "s1" / "events.csv"
    events.unlink()
    events.symlink_to(home.root / "tenant.yaml")
    with pytest.raises(MappingError, match=r"s1: events: refused: events.csv is a symbolic link"):
        read_sources(home)


# --- the real pipeline: unread files reported, a leaking mapping fails the run -----------


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    home = copy_fixture("kota_uji", tmp_path_factory.mktemp("accounting_run") / "home")
    (home.root / "users.yaml").write_text(USERS)
    s1 = home.sources_dir / "s1"
    # a May export named after its month, a note, and a README (never data: not reported)
    (s1 / "complaints-2025-05.csv").write_text(COMPLAINT_HEADER + "C7,lapor,2025-05-02,sampah\n")
    (s1 / "catatan-rating.txt").write_text("rating dari pak RT\n")
    (s1 / "README.md").write_text("Ekspor LAPOR! April 2025\n")
    summary = run_pipeline(home)
    before = {
        "sha256": sha256(home.snapshot_path),
        "mtime": home.snapshot_path.stat().st_mtime_ns,
        "quarantine": read_snapshot(home, "SELECT count(*) FROM quarantine")[0][0],
    }
    leak = home.sources_dir / "leak"
    leak.mkdir()
    (leak / "source.yaml").write_text(LEAK_MAPPING.format(pattern="../../users.yaml"))
    try:
        run_pipeline(home)
        failed = None
    except PipelineFailed as exc:
        failed = str(exc)
    return {"home": home, "summary": summary, "before": before, "failed": failed}


def test_unread_files_are_quarantined_and_summarised(published, capsys):
    home, summary = published["home"], published["summary"]
    unread = read_snapshot(
        home,
        "SELECT input_table, source, file, row_number, reason_code, reason FROM quarantine "
        "WHERE reason_code = 'file not read' ORDER BY file",
    )
    hint = "name it complaints.csv, events.csv or ratings.csv (or .parquet), or describe it in a "
    assert unread == [
        ("ratings", "s1", "catatan-rating.txt", 0, "file not read",
         f"file not read: no table of source s1 reads catatan-rating.txt; {hint}source.yaml"),
        ("complaints", "s1", "complaints-2025-05.csv", 0, "file not read",
         f"file not read: no table of source s1 reads complaints-2025-05.csv; {hint}source.yaml"),
    ]  # fmt: skip
    assert summary.unread_files == ["s1/catatan-rating.txt", "s1/complaints-2025-05.csv"]
    # the 4 bad rows of Kota Uji, plus the two files: rows_add_up passed with them
    assert summary.quarantined == 6
    _print_summary(summary, 1.0, home)
    out = capsys.readouterr().out
    assert "  files not read          2  (no table of their source reads them" in out
    assert "          s1/catatan-rating.txt\n          s1/complaints-2025-05.csv\n" in out
    assert "README" not in out


def test_a_mapping_reaching_out_fails_the_run_and_keeps_the_snapshot(published):
    home, before = published["home"], published["before"]
    assert published["failed"] is not None, "the run with a leaking mapping did not fail"
    assert (
        "complaints.from: '../../users.yaml' refused: '..' leaves the source folder"
        in (published["failed"])
    )
    assert sha256(home.snapshot_path) == before["sha256"]
    assert home.snapshot_path.stat().st_mtime_ns == before["mtime"]
    assert read_snapshot(home, "SELECT count(*) FROM quarantine")[0][0] == before["quarantine"]
    found = read_snapshot(
        home,
        "SELECT count(*) FROM quarantine WHERE source = 'leak' OR contains(raw_row, 'scrypt') "
        "OR contains(coalesce(original_row, ''), 'scrypt') OR contains(raw_row, 'root:')",
    )
    assert found == [(0,)]


def test_rapor_run_refuses_such_a_mapping_in_one_line_before_any_run(published, capsys):
    home = published["home"]
    runs = len(instance_for(home).get_runs())
    assert main(["run", "--home", str(home.root)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "rapor: sources/leak/source.yaml: complaints.from: '../../users.yaml' refused: '..' "
        "leaves the source folder; give a file pattern inside it (nothing was run; the last "
        "published snapshot is still served)"
    ]
    assert len(instance_for(home).get_runs()) == runs  # refused before Dagster ran anything
    assert sha256(home.snapshot_path) == published["before"]["sha256"]


# --- item 7: every file mentioned -------------------------------------------------------


def test_unread_files_of_a_mapped_folder(uji):
    con, stage = uji
    mapping = LEAK_MAPPING.format(pattern="laporan-*.csv").replace(
        "{source_id: username, channel: role, received_at: x, category: y}",
        "{source_id: id, channel: {value: lapor}, received_at: masuk, category: {value: sampah}}",
    )
    stage({
        "m/source.yaml": mapping,
        "m/laporan-1.csv": "id,masuk\nM1,2025-04-14 08:00:00\n",
        "m/laporan-2.xlsx": "not read: the pattern is *.csv",
        "m/landing/complaints/fetch-000001.jsonl": "{}\n",  # a file source: not its landing
        "m/readme.txt": "what this export is",
    })  # fmt: skip
    assert rows(
        con, "SELECT source, file, reason_code FROM quarantine WHERE source = 'm' ORDER BY 2"
    ) == [
        ("m", "landing/complaints/fetch-000001.jsonl", "file not read"),
        ("m", "laporan-2.xlsx", "file not read"),
    ]
    assert rows(con, "SELECT source_id FROM stg_complaints WHERE source = 'm'") == [("M1",)]
    (reason,) = rows(con, "SELECT reason FROM quarantine WHERE file = 'laporan-2.xlsx'")[0]
    assert reason == (
        "file not read: no table of source m reads laporan-2.xlsx; add a table's 'from:' "
        "pattern for it to source.yaml, or move it out"
    )
    assert _counts_add_up(con).passed


def test_a_fetched_source_landing_folder_is_not_reported(tmp_path):
    from assets.mapped import unread_files

    folder = tmp_path / "db"
    (folder / "landing" / "complaints").mkdir(parents=True)
    (folder / "source.yaml").write_text("format: mysql\n")
    (folder / "landing" / "complaints" / "watermark.json").write_text("{}")
    (folder / "notes.csv").write_text("x\n")
    assert unread_files(folder, [], fetched=True) == [folder / "notes.csv"]


# --- item 7: scores are never rounded -----------------------------------------------------

RATED = "\n".join(f"R{i},lapor,2025-04-14 08:00:00,sampah" for i in range(1, 8))


def test_non_integer_scores_are_quarantined_not_rounded(uji):
    con, stage = uji
    scores = ["3.5", "4.6", "4.0", "4", " 5 ", "4,5", "0"]
    stage({
        "r/complaints.csv": COMPLAINT_HEADER + RATED + "\n",
        "r/ratings.csv": "source_id,rated_at,score\n" + "".join(
            f'R{i},2025-04-20 10:00:00,"{s}"\n' for i, s in enumerate(scores, start=1)
        ),
    })  # fmt: skip
    # "4.0" is the whole number 4 (a spreadsheet's way of writing it); 3.5 is not a score
    assert rows(con, "SELECT source_id, score FROM stg_ratings WHERE source = 'r' ORDER BY 1") == [
        ("R3", 4), ("R4", 4), ("R5", 5),
    ]  # fmt: skip
    assert rows(
        con, "SELECT row_number, reason_code, reason FROM quarantine WHERE source = 'r' ORDER BY 1"
    ) == [
        (1, "score must be a whole number 1-5", "score must be a whole number 1-5: got 3.5"),
        (2, "score must be a whole number 1-5", "score must be a whole number 1-5: got 4.6"),
        (6, "score must be a whole number 1-5", "score must be a whole number 1-5: got 4,5"),
        (7, "score must be a whole number 1-5", "score must be a whole number 1-5: got 0"),
    ]


# --- item 7: zones in timestamps honoured --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        # 20:30 UTC is 03:30 the next day in Jakarta (UTC+7), across midnight
        ("2025-04-22T20:30:00Z", "Asia/Jakarta", dt.datetime(2025, 4, 23, 3, 30)),
        ("2025-04-22 20:30:00 UTC", "Asia/Jakarta", dt.datetime(2025, 4, 23, 3, 30)),
        ("2025-04-22 20:30:00UTC", "Asia/Jakarta", dt.datetime(2025, 4, 23, 3, 30)),
        ("2025-04-22 20:30 utc", "Asia/Jakarta", dt.datetime(2025, 4, 23, 3, 30)),
        ("2025-04-22 20:30:00 GMT", "Asia/Jakarta", dt.datetime(2025, 4, 23, 3, 30)),
        # 20:30 at +08:00 is 12:30 UTC, 19:30 in Jakarta, 20:30 in Makassar (UTC+8)
        ("2025-04-22T20:30:00+08:00", "Asia/Jakarta", dt.datetime(2025, 4, 22, 19, 30)),
        ("2025-04-22 20:30:00+0800", "Asia/Jakarta", dt.datetime(2025, 4, 22, 19, 30)),
        ("2025-04-22 20:30:00 +08:00", "Asia/Makassar", dt.datetime(2025, 4, 22, 20, 30)),
        ("2025-04-22 20:30:00+08", "Asia/Jayapura", dt.datetime(2025, 4, 22, 21, 30)),
        # 20:30 at -05:00 is 01:30 UTC on the 23rd, 08:30 in Jakarta
        ("2025-04-22 20:30:00 -05:00", "Asia/Jakarta", dt.datetime(2025, 4, 23, 8, 30)),
        # a zone name: Tokyo is UTC+9, so 20:30 there is 18:30 in Jakarta
        ("2025-04-22 20:30:00 Asia/Tokyo", "Asia/Jakarta", dt.datetime(2025, 4, 22, 18, 30)),
        # without a zone: already the tenant's local time
        ("2025-04-22 20:30:00", "Asia/Jakarta", dt.datetime(2025, 4, 22, 20, 30)),
        ("2025-04-22", "Asia/Jakarta", dt.datetime(2025, 4, 22)),
        # trailing text that is no zone is not silently dropped
        ("2025-04-22 20:30:00 kemarin", "Asia/Jakarta", None),
    ],
)
def test_parse_local_ts_honours_the_zone_written(text, tz, expected):
    con = connect(":memory:")
    try:
        got = con.execute("SELECT parse_local_ts($t, $z)", {"t": text, "z": tz}).fetchone()[0]
    finally:
        con.close()
    assert got == expected


def test_zones_in_canonical_and_mapped_timestamps_become_tenant_time(uji):
    con, stage = uji
    mapped = LEAK_MAPPING.format(pattern="*.csv").replace(
        "{source_id: username, channel: role, received_at: x, category: y}",
        "{source_id: id, channel: {value: lapor}, received_at: masuk, category: {value: sampah}}",
    ).replace("format: csv\n", "format: csv\ntimestamps: {formats: ['%d/%m/%Y %H:%M'], "
              "timezone: Asia/Makassar}\n")  # fmt: skip
    stage({
        "k/complaints.csv": COMPLAINT_HEADER + "K1,lapor,2025-04-22 20:30:00 UTC,sampah\n"
                            "K2,lapor,2025-04-22T20:30:00Z,sampah\n"
                            "K3,lapor,2025-04-22T20:30:00+08:00,sampah\n",
        "m/source.yaml": mapped,
        "m/export.csv": "id,masuk\nM1,22/04/2025 20:30 UTC\nM2,22/04/2025 20:30 +0800\n"
                        "M3,22/04/2025 20:30\nM4,2025-04-22T20:30:00Z\n",
    })  # fmt: skip
    got = rows(
        con,
        "SELECT source_id, received_at FROM stg_complaints WHERE source IN ('k', 'm') ORDER BY 1",
    )
    assert got == [
        ("K1", dt.datetime(2025, 4, 23, 3, 30)),
        ("K2", dt.datetime(2025, 4, 23, 3, 30)),
        ("K3", dt.datetime(2025, 4, 22, 19, 30)),
        ("M1", dt.datetime(2025, 4, 23, 3, 30)),  # UTC wins over the mapping's Makassar
        ("M2", dt.datetime(2025, 4, 22, 19, 30)),
        ("M3", dt.datetime(2025, 4, 22, 19, 30)),  # no zone: Makassar's, 1 hour ahead
        ("M4", dt.datetime(2025, 4, 23, 3, 30)),  # no format matches; ISO, read by staging
    ]


def test_a_format_with_an_offset_is_converted_not_relabelled(uji):
    con, stage = uji
    mapped = LEAK_MAPPING.format(pattern="*.csv").replace(
        "{source_id: username, channel: role, received_at: x, category: y}",
        "{source_id: id, channel: {value: lapor}, received_at: masuk, category: {value: sampah}}",
    ).replace("format: csv\n", "format: csv\ntimestamps: {formats: ['%d/%m/%Y %H:%M %z', "
              "'%d/%m/%Y %H:%M'], timezone: Asia/Jayapura}\n")  # fmt: skip
    stage({"m/source.yaml": mapped, "m/export.csv": "id,masuk\nM1,22/04/2025 20:30 +0800\n"
                                                    "M2,22/04/2025 20:30\n"})  # fmt: skip
    got = rows(con, "SELECT source_id, received_at FROM stg_complaints WHERE source = 'm'")
    # +0800 -> 12:30 UTC -> 19:30 WIB; naive, Jayapura (UTC+9) -> 11:30 UTC -> 18:30 WIB
    assert sorted(got) == [
        ("M1", dt.datetime(2025, 4, 22, 19, 30)), ("M2", dt.datetime(2025, 4, 22, 18, 30)),
    ]  # fmt: skip


# --- item 7: rows_add_up file by file ------------------------------------------------------


def test_rows_add_up_names_the_file_a_staging_defect_lost_a_row_of(uji, monkeypatch):
    con, stage = uji
    real = sql.text

    def losing_a_row(name: str) -> str:
        text = real(name)
        if name == "stg_complaints":
            text = text.replace(
                "FROM checked_complaints\nWHERE reason IS NULL;",
                "FROM checked_complaints\nWHERE reason IS NULL AND NOT (source = 's1' "
                "AND row_number = 2);",
            )
            assert "row_number = 2" in text
        return text

    stage({"s2/complaints.csv": COMPLAINT_HEADER + "D1,lapor,2025-04-14 08:00:00,sampah\n"})
    good = _counts_add_up(con)
    assert good.passed
    assert good.metadata["files_not_adding_up"].value == "none"
    monkeypatch.setattr(sql, "text", losing_a_row)
    stage({"s2/complaints.csv": COMPLAINT_HEADER + "D1,lapor,2025-04-14 08:00:00,sampah\n"})
    check = _counts_add_up(con)
    assert not check.passed
    # s1/complaints.csv: C1..C4, C4 quarantined ('kemarin'), C2 lost; s2 adds up
    assert check.metadata["files_not_adding_up"].value == (
        "complaints s1/complaints.csv: read 4 != staged 2 + quarantined 1"
    )
    assert check.metadata["complaints"].value == "read 5 != staged 3 + quarantined 1"
