"""Clock skew is not a fault: an event stamped just before its complaint's receipt (a field
app's clock) is set to the receipt time and noted; further before receipt it is quarantined,
and the case whose event was quarantined says so on its page, in flags and in exports.

A small home (Kota Uji's reference data, one source written here), run through the real
pipeline. Hand-worked: both complaints are received on Monday 14 April 2025 by DPU.
  K1 09:00:00, resolved 08:59:30 (30 s before: within the default 5 minutes) -> clamped:
     resolved at 09:00:00, its resolution clock ends at receipt, 0 working days, met.
  K2 10:00:00, forwarded 10:30, resolved 09:50:00 (10 minutes before) -> quarantined. K2 stays
     open; its 14-working-day resolution deadline passes well before as_of (31 May 2025:
     the 15th working day after 14 April is in May even without any holiday), so it is
     judged missed, with the data-problem note.
With events.clock_skew_tolerance_minutes: 0 in policy.yaml, K1's resolution is quarantined
too.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from app import exports
from pipelines.policy import DEFAULT_POLICY, PolicyError, load_policy
from pipelines.runner import run_pipeline
from tests.conftest import copy_fixture, read_snapshot, write_csv

APP = str(Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py")
BUDI = "199001012015032002"  # DPU, in Kota Uji's officers.csv
COMPLAINTS = [
    "source_id", "channel", "received_at", "category", "complaint_class", "title",
    "description", "district", "village", "lat", "lon", "reporter_id", "is_anonymous",
    "is_confidential", "due_at",
]  # fmt: skip
EVENTS = ["source_id", "event_at", "event_type", "unit_code", "officer_nip", "note"]


def make_home(root, tolerance: int | None = None):
    home = copy_fixture("kota_uji", root)
    src = home.root / "sources" / "s1"
    shutil.rmtree(src)
    src.mkdir()
    write_csv(src / "complaints.csv", COMPLAINTS, [
        ["K1", "lapor", "2025-04-14 09:00:00", "jalan_rusak", "pengaduan", "Lubang", "jalan",
         "Tembalang", "Bulusan", "", "", "0811", "false", "false", ""],
        ["K2", "lapor", "2025-04-14 10:00:00", "sampah", "pengaduan", "Sampah", "menumpuk",
         "Banyumanik", "Srondol", "", "", "0822", "false", "false", ""],
    ])  # fmt: skip
    write_csv(src / "events.csv", EVENTS, [
        ["K1", "2025-04-14 08:59:30", "resolved", "DPU", BUDI, "lubang sudah ditambal rapi"],
        ["K2", "2025-04-14 10:30:00", "forwarded", "DPU", BUDI, ""],
        ["K2", "2025-04-14 09:50:00", "resolved", "DPU", BUDI, "sampah sudah diangkut semua"],
    ])  # fmt: skip
    if tolerance is not None:
        policy = yaml.safe_load(DEFAULT_POLICY.read_text())
        policy["events"]["clock_skew_tolerance_minutes"] = tolerance
        (home.root / "policy.yaml").write_text(yaml.safe_dump(policy, sort_keys=False))
    return home


@pytest.fixture(scope="module")
def skewed(tmp_path_factory):
    home = make_home(tmp_path_factory.mktemp("skew") / "home")
    return home, run_pipeline(home)


def test_thirty_seconds_before_receipt_is_clamped_and_the_case_resolves(skewed):
    home, summary = skewed
    (case,) = read_snapshot(
        home,
        "SELECT status, resolved_at, resolution_wd, resolution_met, clamped_events,"
        " quarantined_events FROM cases WHERE case_id = 's1:K1'",
    )
    receipt = dt.datetime(2025, 4, 14, 9, 0, 0)
    assert case == ("resolved", receipt, 0, True, 1, 0)
    (clock,) = read_snapshot(
        home, "SELECT end_at, met FROM clocks WHERE case_id = 's1:K1' AND clock = 'resolution'"
    )
    assert clock == (receipt, True)
    # the stamp the source gave is kept beside the clamped time
    assert read_snapshot(
        home, "SELECT event_at, event_at_recorded FROM case_events WHERE case_id = 's1:K1'"
    ) == [(receipt, dt.datetime(2025, 4, 14, 8, 59, 30))]
    assert summary.clamped_events == 1


def test_ten_minutes_before_receipt_is_quarantined_with_its_reason(skewed):
    home, _ = skewed
    rows = read_snapshot(
        home, "SELECT input_table, row_number, reason FROM quarantine ORDER BY row_number"
    )
    assert rows == [
        (
            "events",
            3,
            "event before the complaint was received: 2025-04-14 09:50:00 < 2025-04-14 10:00:00",
        )
    ]
    (case,) = read_snapshot(
        home,
        "SELECT status, resolved_at, resolution_met, quarantined_events,"
        " quarantined_closing_events, clamped_events FROM cases WHERE case_id = 's1:K2'",
    )
    assert case[0] != "resolved" and case[1:] == (None, False, 1, 1, 0)


def test_the_clamp_is_a_quality_note_not_a_failure(skewed):
    home, _ = skewed
    notes = read_snapshot(
        home,
        "SELECT passed, observed, failing_rows FROM quality_results WHERE family = 'notes'",
    )
    assert notes == [
        (True, "1 events stamped 30-30 s before receipt: event_at set to the receipt time", 1)
    ]
    assert read_snapshot(home, "SELECT count(*) FROM quality_results WHERE NOT passed") == [(0,)]


def test_the_missed_deadline_carries_the_data_note_in_flags_and_exports(skewed):
    home, _ = skewed
    flags = read_snapshot(
        home, "SELECT case_id, officer_nip, flag, detail FROM flags ORDER BY case_id, flag"
    )
    (due,) = read_snapshot(home, "SELECT resolution_due_date FROM cases WHERE case_id = 's1:K2'")
    assert [f for f in flags if f[2] == "missed_deadline_data_problem"] == [
        (
            "s1:K2",
            BUDI,
            "missed_deadline_data_problem",
            f"tenggat penyelesaian {due[0]:%Y-%m-%d} terlewat, tetapi 1 peristiwa kasus ini "
            "dikarantina (1 di antaranya penutupan): masalah data, bukan (hanya) "
            "keterlambatan petugas",
        )
    ]
    month = read_snapshot(home, "SELECT resolution_judged_month FROM cases WHERE case_id = 's1:K2'")
    book_bytes = io.BytesIO()
    exports.export_xlsx(home.snapshot_path, month[0][0], book_bytes, lang="en")
    book = openpyxl.load_workbook(io.BytesIO(book_bytes.getvalue()), read_only=True)
    rows = list(book["cases"].iter_rows(values_only=True))
    cases = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    k2 = [c for c in cases if c["case_id"] == "s1:K2"]
    assert k2 and {(c["resolution_met"], c["quarantined_events"], c["data_note"]) for c in k2} == {
        (False, 1, "data problem: 1 events quarantined (1 closures), not the officer's delay")
    }


def test_the_case_page_says_its_event_was_quarantined(skewed, monkeypatch):
    home, _ = skewed
    monkeypatch.setenv("RAPOR_HOME", str(home.root))

    def page(case_id: str) -> list[str]:
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["case"] = case_id
        at.switch_page("app_pages/kasus.py")
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return [w.value for w in at.warning] + [i.value for i in at.info]

    k2 = page("s1:K2")
    assert any(
        m.startswith("Masalah data: 1 peristiwa kasus ini dikarantina (1 di antaranya penutupan)")
        for m in k2
    ), k2
    k1 = page("s1:K1")
    assert not any("dikarantina" in m for m in k1)
    assert any(m.startswith("Catatan mutu data: 1 peristiwa kasus ini dicap") for m in k1), k1


def test_the_tolerance_comes_from_policy(tmp_path):
    home = make_home(tmp_path / "home", tolerance=0)
    summary = run_pipeline(home)
    assert summary.clamped_events == 0
    rows = read_snapshot(home, "SELECT row_number, reason FROM quarantine ORDER BY row_number")
    assert rows == [
        (1, "event before the complaint was received: 2025-04-14 08:59:30 < 2025-04-14 09:00:00"),
        (3, "event before the complaint was received: 2025-04-14 09:50:00 < 2025-04-14 10:00:00"),
    ]
    assert read_snapshot(home, "SELECT status FROM cases WHERE case_id = 's1:K1'") != [
        ("resolved",)
    ]
    assert read_snapshot(home, "SELECT count(*) FROM quality_results WHERE family = 'notes'") == [
        (0,)
    ]


@pytest.mark.parametrize("value", [-1, 2.5, "lima"])
def test_a_bad_tolerance_is_refused(tmp_path, value):
    policy = yaml.safe_load(DEFAULT_POLICY.read_text())
    policy["events"]["clock_skew_tolerance_minutes"] = value
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(policy))
    with pytest.raises(PolicyError, match=r"events\.clock_skew_tolerance_minutes"):
        load_policy(path)


def test_an_unknown_events_key_is_refused(tmp_path):
    policy = yaml.safe_load(DEFAULT_POLICY.read_text())
    policy["events"] = {"clock_skew_tolerance_minute": 5}
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(policy))
    with pytest.raises(PolicyError, match="clock_skew_tolerance_minutes"):
        load_policy(path)
    assert load_policy().sql_params()["clock_skew_tolerance_minutes"] == 5


def test_the_note_counts_and_spans_the_clamped_events():
    import pandas as pd

    from pipelines.quality import clock_skew_note

    ts = pd.Timestamp
    frame = pd.DataFrame(
        {
            "event_key": [1, 2, 3],
            "source": ["s", "s", "s"],
            "source_id": ["A", "B", "C"],
            "file": ["e.csv"] * 3,
            "row_number": [1, 2, 3],
            "event_type": ["resolved"] * 3,
            "event_at": [ts("2025-01-02 10:00:00"), ts("2025-01-02 11:00:00"),
                         ts("2025-01-02 13:00:00")],
            "event_at_recorded": [ts("2025-01-02 09:59:30"), pd.NaT, ts("2025-01-02 12:59:02")],
            "complaint_received_at": [ts("2025-01-02 10:00:00"), ts("2025-01-02 09:00:00"),
                                      ts("2025-01-02 13:00:00")],
        }
    )  # fmt: skip
    (note,) = clock_skew_note(frame)
    # A: 30 s early; C: 13:00:00 - 12:59:02 = 58 s early; B was not moved
    assert (note.passed, note.failing_rows, note.rows_checked) == (True, 2, 3)
    assert note.observed.startswith("2 events stamped 30-58 s before receipt")
    assert [r["source_id"] for r in note.sample] == ["A", "C"]
    assert clock_skew_note(frame.assign(event_at_recorded=pd.NaT)) == []
