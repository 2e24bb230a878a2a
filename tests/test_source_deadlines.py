"""A source's own deadlines and verdicts (docs/sources.md, "Deadlines and the source's
verdict"): the NYC 311 exports judged by their own Due Date to the second, requests without
one not judged; a source's on-time / overdue verdict kept beside rapor's and compared."""

from __future__ import annotations

import csv
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import yaml

from pipelines.mappings import MappingError, parse_mapping
from pipelines.policy import DEFAULT_POLICY
from pipelines.runner import run_pipeline
from tests.conftest import copy_fixture, read_snapshot
from tests.test_sources import MAPPINGS, NYC_DATA, NYC_FILES, NYC_TIME, add_source

NEW_YORK = ZoneInfo("America/New_York")


def _instant(text: str) -> dt.datetime | None:
    text = text.strip()
    if not text:
        return None
    return dt.datetime.strptime(text, NYC_TIME).replace(tzinfo=NEW_YORK)


def _rows(source: str) -> list[dict]:
    with open(NYC_DATA / NYC_FILES[source], newline="", encoding="utf8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def nyc_home(tmp_path_factory):
    home = copy_fixture("nyc311", tmp_path_factory.mktemp("nyc_due") / "home")
    for source, name in NYC_FILES.items():
        add_source(home, source, "nyc311", {name: NYC_DATA / name})
    run_pipeline(home)
    return home


def test_the_shipped_nyc_mapping_honours_due_dates_to_the_second():
    mapping = parse_mapping(yaml.safe_load((MAPPINGS / "nyc311.yaml").read_text()), "nyc")
    assert mapping.deadlines is not None
    assert (mapping.deadlines.due_at, mapping.deadlines.compare,
            mapping.deadlines.without_due_at) == ("source", "timestamp", "not_judged")  # fmt: skip


def test_nyc_verdicts_are_the_files_own_closed_vs_due_comparison(nyc_home):
    """For every closed request with both dates that rapor staged with its resolution,
    met == (Closed Date <= Due Date), compared as instants in New York time by the csv
    module and datetime; every other request (no Due Date) is not judged."""
    cases = {
        case_id: (met, basis, status)
        for case_id, met, basis, status in read_snapshot(
            nyc_home,
            "SELECT case_id, resolution_met, resolution_deadline_basis, status FROM cases",
        )
    }
    # the requests whose complaint or resolution rapor quarantined (tests/test_sources.py
    # lists these real faults) are not compared
    faulty = {
        (source, int(row))
        for source, file, row in read_snapshot(
            nyc_home, "SELECT source, file, row_number FROM quarantine "
            "WHERE input_table = 'complaints' OR file LIKE '%#resolved'",
        )
    }  # fmt: skip
    assert len(faulty) == 5
    # a request merged with another into one case is judged as that case (its events
    # together): only the cases of one request are compared with the file's own row
    merged = {
        (source, source_id)
        for source, source_id in read_snapshot(
            nyc_home, "SELECT source, source_id FROM case_members WHERE member_count > 1"
        )
    }
    assert 0 < len(merged) < 30
    compared = met_n = missed_n = undated = 0
    hours_late_met_by_date = 0
    for source in NYC_FILES:
        for number, row in enumerate(_rows(source), start=1):
            if (source, number) in faulty or (source, row["Unique Key"].strip()) in merged:
                continue
            case_id = f"{source}:{row['Unique Key'].strip()}"
            assert case_id in cases, case_id
            met, basis, status = cases[case_id]
            closed, due = _instant(row["Closed Date"]), _instant(row["Due Date"])
            if due is None:
                undated += 1
                assert (met, basis) == (None, "none"), case_id
                continue
            assert basis == "source_timestamp", case_id
            if row["Status"] == "Closed" and closed is not None:
                compared += 1
                assert status == "resolved", case_id
                assert met == (closed <= due), (case_id, closed, due)
                met_n += closed <= due
                missed_n += closed > due
                hours_late_met_by_date += closed > due and closed.date() == due.date()
    # the counts show the test compares real cases both ways
    assert compared > 1000 and met_n > 100 and missed_n > 100 and undated > 0
    # and that a date comparison would have got some of them wrong
    assert hours_late_met_by_date > 0
    print(f"compared {compared}: met {met_n}, missed {missed_n}; undated {undated}; "
          f"late by hours on the due date {hours_late_met_by_date}")  # fmt: skip


def test_nyc_requests_without_due_date_are_in_no_sla_denominator(nyc_home):
    [(judged,)] = read_snapshot(
        nyc_home, "SELECT count(*) FROM cases WHERE resolution_met IS NOT NULL"
    )
    [(due,)] = read_snapshot(nyc_home, "SELECT sum(resolution_due) FROM tenant_month")
    [(none_in_facts,)] = read_snapshot(
        nyc_home,
        "SELECT count(*) FROM holder_facts AS f JOIN cases AS c USING (case_id) "
        "WHERE f.fact = 'resolution' AND c.resolution_deadline_basis = 'none'",
    )
    assert none_in_facts == 0
    assert due == judged


# --- a source's own verdict beside rapor's ---------------------------------------------

VERDICT_MAPPING = {
    "format": "csv",
    "timestamps": {"formats": ["%Y-%m-%d %H:%M"], "timezone": "Asia/Jakarta"},
    "complaints": {"columns": {
        "source_id": "id", "channel": {"value": "city_portal"}, "received_at": "dibuat",
        "category": "kategori", "title": "judul", "district": "kecamatan", "due_at": "batas",
    }},
    "deadlines": {"due_at": "source", "compare": "timestamp", "without_due_at": "not_judged"},
    "verdict": {"column": "tepat_waktu", "on_time": ["Ya"], "overdue": ["Tidak"]},
    "events": {"derive": [
        {"event_type": "forwarded", "at": "dibuat", "unit_code": "unit"},
        {"event_type": "resolved", "at": "ditutup", "unit_code": "unit"},
    ]},
}  # fmt: skip
# id, unit, received, closed, due, the source's verdict; rapor's by hand (due at 08:00):
VERDICT_ROWS = [
    ("V1", "DPU", "2025-04-14 08:00", "2025-04-22 10:00", "2025-04-25 08:00", "Ya"),  # met: agree
    ("V2", "DPU", "2025-04-15 09:00", "2025-04-25 09:00", "2025-04-25 08:00", "Ya"),  # 1 h late
    ("V3", "DPU", "2025-04-16 10:00", "2025-04-28 11:00", "2025-04-25 08:00", "Tidak"),  # agree
    ("V4", "PKM-A", "2025-04-17 11:00", "2025-04-18 12:00", "2025-04-25 08:00", "Tidak"),  # met
    ("V5", "PKM-A", "2025-04-21 12:00", "", "2025-06-30 08:00", "Ya"),  # open, due after as_of
    ("V6", "PKM-A", "2025-04-22 13:00", "2025-04-23 14:00", "2025-04-25 08:00", "mungkin"),
    ("V7", "DPU", "2025-04-23 14:00", "2025-04-24 15:00", "2025-04-25 08:00", ""),  # no verdict
    ("V8", "DPU", "2025-04-24 08:00", "2025-05-20 08:00", "", ""),  # no due_at: not judged
]  # fmt: skip
TOPICS = [
    ("jalan_rusak", "Lubang besar di jalan raya", "Tembalang"),
    ("lampu_jalan", "Lampu penerangan mati total", "Banyumanik"),
    ("drainase", "Selokan tersumbat sampah plastik", "Candisari"),
    ("puskesmas", "Antrean pendaftaran terlalu lama", "Gajahmungkur"),
    ("obat", "Stok obat habis di apotek", "Pedurungan"),
    ("imunisasi", "Jadwal vaksin anak berubah", "Genuk"),
    ("trotoar", "Trotoar retak membahayakan pejalan", "Ngaliyan"),
    ("pohon", "Dahan pohon tumbang menutup gang", "Mijen"),
]


def _verdict_csv() -> str:
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "unit", "dibuat", "ditutup", "batas", "tepat_waktu", "kategori",
                     "judul", "kecamatan"])  # fmt: skip
    for row, topic in zip(VERDICT_ROWS, TOPICS, strict=True):
        writer.writerow([*row, *topic])
    return out.getvalue()


def _plain_csv() -> str:
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "unit", "dibuat", "ditutup", "batas", "kategori", "judul",
                     "kecamatan"])  # fmt: skip
    # P1: closed an hour after its due time, on the due date; P2: no due_at, closed after
    # 3 working days (Mon 2025-05-05 -> Thu 2025-05-08)
    writer.writerow(["P1", "DPU", "2025-05-05 08:00", "2025-05-09 09:00", "2025-05-09 08:00",
                     "banjir", "Genangan air setinggi lutut", "Tugu"])  # fmt: skip
    writer.writerow(["P2", "DPU", "2025-05-05 09:00", "2025-05-08 10:00", "",
                     "parkir", "Juru parkir liar di pasar", "Semarang Barat"])  # fmt: skip
    return out.getvalue()


@pytest.fixture(scope="module")
def verdict_run(tmp_path_factory):
    """Kota Uji with the verdict source, run with `rapor run`: (home, what it printed)."""
    import contextlib
    import io

    from pipelines.cli import main

    home = copy_fixture("kota_uji", tmp_path_factory.mktemp("verdict") / "home")
    folder = home.sources_dir / "vt"
    folder.mkdir(parents=True)
    (folder / "source.yaml").write_text(yaml.safe_dump(VERDICT_MAPPING))
    (folder / "export.csv").write_text(_verdict_csv())
    # a second source says nothing of deadlines: it follows the policy, which here honours
    # a source's due_at (use_source_due_at: true, compared as dates)
    plain = home.sources_dir / "vp"
    plain.mkdir()
    mapping = {k: v for k, v in VERDICT_MAPPING.items() if k not in ("deadlines", "verdict")}
    (plain / "source.yaml").write_text(yaml.safe_dump(mapping))
    (plain / "export.csv").write_text(_plain_csv())
    policy = yaml.safe_load(DEFAULT_POLICY.read_text())
    policy["deadlines"]["use_source_due_at"] = True
    home.policy_file.write_text(yaml.safe_dump(policy))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["run", "--home", str(home.root)]) == 0
    return home, out.getvalue()


def test_source_verdicts_beside_rapors_and_their_agreement_per_unit(verdict_run):
    verdict_home, out = verdict_run
    rows = read_snapshot(
        verdict_home,
        "SELECT case_id, unit_code, source_verdict, rapor_verdict, agrees "
        "FROM source_verdicts ORDER BY case_id",
    )
    assert rows == [
        ("vt:V1", "DPU", "on_time", "on_time", True),
        ("vt:V2", "DPU", "on_time", "overdue", False),
        ("vt:V3", "DPU", "overdue", "overdue", True),
        ("vt:V4", "PKM-A", "overdue", "on_time", False),
        ("vt:V5", "PKM-A", "on_time", None, None),
        ("vt:V6", "PKM-A", "unknown", "on_time", None),
    ]
    agreement = read_snapshot(
        verdict_home,
        "SELECT unit_code, with_verdict, compared, agree, disagree, "
        "source_on_time_rapor_overdue, source_overdue_rapor_on_time, rapor_not_judged, "
        "source_unknown, agreement_rate FROM verdict_agreement ORDER BY unit_code",
    )
    assert agreement == [
        ("DPU", 3, 3, 2, 1, 1, 0, 0, 0, 2 / 3),
        ("PKM-A", 3, 1, 0, 1, 0, 1, 1, 1, 0.0),
    ]
    # V7 (no verdict) is judged by rapor all the same, by its own due timestamp
    assert read_snapshot(
        verdict_home, "SELECT resolution_met, resolution_deadline_basis FROM cases "
        "WHERE case_id = 'vt:V7'",
    ) == [(True, "source_timestamp")]  # fmt: skip
    # V8 has no due_at and its source says not_judged: no deadline, in no denominator
    assert read_snapshot(
        verdict_home, "SELECT resolution_met, resolution_deadline_basis, resolution_due_date, "
        "resolution_judged_month FROM cases WHERE case_id = 'vt:V8'",
    ) == [(None, "none", None, None)]  # fmt: skip
    # the run summary says it, per unit, with the disagreeing case ids
    assert "source verdicts  agree 2 of 4 compared (2 disagree; 1 not judged by rapor, " \
        "1 unknown value)" in out  # fmt: skip
    assert "DPU          agree 2 of 3, disagree 1: vt:V2" in out
    assert "PKM-A        agree 0 of 1, disagree 1: vt:V4" in out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"deadlines": {"due_at": "sumber"}}, "deadlines.due_at: must be one of source, policy"),
        ({"deadlines": {"compare": "timestmp"}}, "(did you mean 'timestamp'?)"),
        ({"deadlines": {"without_due_at": "not_judge"}}, "(did you mean 'not_judged'?)"),
        ({"deadlines": {"comparе": "date", "due_at": "source"}}, "unknown key(s)"),
        ({"deadlines": {"withot_due_at": "policy"}}, "(did you mean 'without_due_at'?)"),
        ({"deadlines": {"due_at": "policy", "compare": "date"}}, "only with due_at: source"),
        ({"verdict": {"column": "x", "on_time": ["Y"]}}, "required key(s) missing: overdue"),
        (
            {"verdict": {"column": "x", "on_time": ["Y"], "overdue": ["y"]}},
            "'y' both on_time and overdue",
        ),
        (
            {"verdict": {"colum": "x", "on_time": ["Y"], "overdue": ["N"]}},
            "(did you mean 'column'?)",
        ),
        ({"verdikt": {}}, "(did you mean 'verdict'?)"),
        ({"deadline": {}}, "(did you mean 'deadlines'?)"),
    ],
)
def test_bad_deadline_and_verdict_keys_say_what_to_fix(change, message):
    raw = yaml.safe_load((MAPPINGS / "nyc311.yaml").read_text())
    raw.pop("deadlines")
    raw.update(change)
    with pytest.raises(MappingError) as err:
        parse_mapping(raw, "nyc")
    assert message in str(err.value)


def test_the_mutu_page_shows_the_agreement_and_the_disagreeing_cases(verdict_run, monkeypatch):
    from tests.test_app import assert_clean, run_app, table_with

    monkeypatch.setenv("RAPOR_HOME", str(verdict_run[0].root))
    at = run_app("app_pages/mutu.py")
    assert_clean(at)
    units = table_with(at, "unit_code", "with_verdict", "agree", "disagree")
    assert units[["unit_code", "compared", "agree", "disagree"]].values.tolist() == [
        ["DPU", 3, 2, 1],
        ["PKM-A", 1, 0, 1],
    ]
    cases = table_with(at, "case_id", "source_verdict", "rapor_verdict")
    shown = cases[["case_id", "source_verdict", "rapor_verdict", "deadline_basis"]]
    assert shown.values.tolist() == [
        ["vt:V2", "tepat waktu", "terlambat", "batas waktu sumber (jam)"],
        ["vt:V4", "terlambat", "tepat waktu", "batas waktu sumber (jam)"],
    ]
    assert any("2 kasus berbeda putusan" in h.value for h in at.subheader)


def test_exports_carry_the_verdicts(verdict_run, tmp_path):
    import zipfile

    from openpyxl import load_workbook

    from app import exports

    home = verdict_run[0]
    exports.export("xlsx", home.snapshot_path, "2025-04", tmp_path / "r.xlsx")
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == [*exports.SHEETS, "verdict_agreement", "verdict_disagreements"]
    sheet = book["verdict_disagreements"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["vt:V2", "vt:V4"]
    exports.export("csv", home.snapshot_path, "2025-04", tmp_path / "r.zip")
    with zipfile.ZipFile(tmp_path / "r.zip") as archive:
        text = archive.read("verdict_agreement.csv").decode()
    assert text.splitlines()[1].startswith('"DPU",3,3,2,1,')
    exports.export("pdf", home.snapshot_path, "2025-04", tmp_path / "r.pdf")
    assert (tmp_path / "r.pdf").stat().st_size > 1000


def test_the_case_page_says_not_judged_and_shows_the_source_verdict(verdict_run, monkeypatch):
    from tests.test_app import assert_clean, run_app

    monkeypatch.setenv("RAPOR_HOME", str(verdict_run[0].root))
    at = run_app("app_pages/kasus.py", case="vt:V8")
    assert_clean(at)
    assert [m.value for m in at.metric][-1] == "tidak dinilai"
    at = run_app("app_pages/kasus.py", case="vt:V2")
    assert_clean(at)
    assert [m.value for m in at.metric][-1] == "tidak"  # rapor: missed, by an hour
    assert any("**Putusan sumber**: tepat waktu" in m.value for m in at.markdown)


def test_a_source_that_says_nothing_follows_the_policy_and_a_mapping_wins(verdict_run):
    """Precedence: with the policy's use_source_due_at true, source vp (no deadlines:
    section) is judged by dates as before (P1, an hour late on its due date, is met; P2
    without due_at by the policy's 14 working days, met after 3), while source vt's own
    deadlines: section (timestamp) wins over the policy (V2, an hour late, is missed)."""
    rows = read_snapshot(
        verdict_run[0],
        "SELECT case_id, resolution_deadline_basis, resolution_met, resolution_due_wd, "
        "resolution_due_date FROM cases WHERE case_id IN ('vp:P1', 'vp:P2', 'vt:V2') "
        "ORDER BY case_id",
    )
    assert rows == [
        ("vp:P1", "source_date", True, 4, dt.date(2025, 5, 9)),
        ("vp:P2", "policy", True, 14, dt.date(2025, 5, 27)),
        ("vt:V2", "source_timestamp", False, 7, dt.date(2025, 4, 25)),
    ]
