"""Quality gates (pipelines/quality.py, assets/quality.py, app page Mutu data).

(a) Each expectation family fails on a frame with one known defect, and only the expectation
    for that defect fails, with the observed value worked out by hand.
(b) End to end through real Dagster runs: a good run publishes; a run whose input breaks a
    gate reports the failed check, leaves the served snapshot byte-identical, and the
    gate's own file `serving/quality.duckdb` says why.
(c) The app's quality page says why publication was blocked (AppTest, and the browser when
    Chromium is installed).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import sql
from app.ui import plain
from pipelines import quality
from pipelines.home import Home
from pipelines.policy import DEFAULT_POLICY, PolicyError, VolumeGate, load_policy
from pipelines.warehouse import connect

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app" / "streamlit_app.py"
QUALITY_PAGE = "app_pages/mutu.py"
NOW = dt.datetime(2026, 11, 29, 10, 0, 0)
TS = pd.Timestamp
SQL_TEXT = sql.text


# --- frames with no defect -------------------------------------------------------------
def complaints(**columns) -> pd.DataFrame:
    """Three good staged complaints (the columns of sql/quality_complaints.sql)."""
    frame = pd.DataFrame(
        {
            "complaint_key": pd.array([1, 2, 3], dtype="Int64"),
            "source": ["s1", "s1", "s2"],
            "source_id": ["C1", "C2", "C1"],
            "channel": ["lapor", "whatsapp", "email"],
            "complaint_class": ["pengaduan", "aspirasi", "pengaduan"],
            "received_at": [TS("2026-10-01 09:00"), TS("2026-10-02 10:00"), TS("2026-10-03 11:00")],
            "file": ["complaints.csv", "complaints.csv", "complaints.csv"],
            "row_number": pd.array([1, 2, 1], dtype="Int64"),
        }
    )
    return frame.assign(**columns)


GOOD_NIPS = ["198503152010011001", "199001012015032002", "199202022018011003"]


def events(**columns) -> pd.DataFrame:
    """Four good staged events (the columns of sql/quality_events.sql)."""
    frame = pd.DataFrame(
        {
            "event_key": pd.array([11, 12, 13, 14], dtype="Int64"),
            "complaint_key": pd.array([1, 1, 2, 3], dtype="Int64"),
            "source": ["s1", "s1", "s1", "s2"],
            "source_id": ["C1", "C1", "C2", "C1"],
            "event_type": ["verified", "forwarded", "forwarded", "responded"],
            "event_at": [
                TS("2026-10-01 10:00"),
                TS("2026-10-02 08:00"),
                TS("2026-10-02 10:00"),
                TS("2026-10-05 09:00"),
            ],
            "complaint_received_at": [
                TS("2026-10-01 09:00"),
                TS("2026-10-01 09:00"),
                TS("2026-10-02 10:00"),
                TS("2026-10-03 11:00"),
            ],
            "unit_code": ["KOMINFO", "DPU", "DPU", None],
            "officer_nip": [GOOD_NIPS[0], GOOD_NIPS[1], GOOD_NIPS[1], GOOD_NIPS[2]],
            "file": ["events.csv"] * 4,
            "row_number": pd.array([1, 2, 3, 1], dtype="Int64"),
        }
    )
    return frame.assign(**columns)


def ratings(**columns) -> pd.DataFrame:
    """Three good staged ratings (the columns of sql/quality_ratings.sql)."""
    frame = pd.DataFrame(
        {
            "complaint_key": pd.array([1, 2, 3], dtype="Int64"),
            "source": ["s1", "s1", "s2"],
            "source_id": ["C1", "C2", "C1"],
            "rated_at": [TS("2026-10-20 09:00"), TS("2026-10-21 09:00"), TS("2026-10-22 09:00")],
            "complaint_received_at": [
                TS("2026-10-01 09:00"),
                TS("2026-10-02 10:00"),
                TS("2026-10-03 11:00"),
            ],
            "score": pd.array([4, 5, 1], dtype="Int32"),
            "file": ["ratings.csv"] * 3,
            "row_number": pd.array([1, 2, 1], dtype="Int64"),
        }
    )
    return frame.assign(**columns)


UNITS = ["KOMINFO", "DPU", "PKM-A"]


def check_events(frame: pd.DataFrame, officers=GOOD_NIPS) -> list[quality.Outcome]:
    return quality.check_events(frame, now=NOW, units=UNITS, officers=officers)


def failures(outcomes: list[quality.Outcome]) -> list[tuple[str, str]]:
    return [(o.expectation, o.observed) for o in quality.failed(outcomes)]


# --- (a) each family fails on its defect -------------------------------------------------
def test_good_frames_meet_every_expectation():
    got = {
        "complaints": quality.check_complaints(complaints(), now=NOW),
        "events": check_events(events()),
        "ratings": quality.check_ratings(ratings(), now=NOW),
    }
    assert {k: failures(v) for k, v in got.items()} == {
        "complaints": [],
        "events": [],
        "ratings": [],
    }
    assert [len(v) for v in got.values()] == [7, 17, 7]
    assert all(o.rows_checked == 3 for o in got["complaints"])
    # events: the per-row expectations count 4 events, the NIP ones 3 distinct NIPs
    assert sorted({o.rows_checked for o in got["events"]}) == [3, 4]
    assert {o.family for v in got.values() for o in v} == {
        "keys",
        "timestamps",
        "values",
        "references",
        "nip",
        "scores",
    }


def test_keys_duplicate_and_missing():
    dup = quality.check_complaints(
        complaints(complaint_key=pd.array([1, 2, 2], dtype="Int64")), now=NOW
    )
    assert failures(dup) == [
        ("expect_column_values_to_be_unique(complaint_key)", "2 of 3 rows fail, e.g. 2; 2")
    ]
    (bad,) = quality.failed(dup)
    assert bad.failing_rows == 2 and bad.family == "keys"
    assert [(r["complaint_key"], r["source_id"], r["row_number"]) for r in bad.sample] == [
        (2, "C2", 2),
        (2, "C1", 1),
    ]

    missing = check_events(events(event_key=pd.array([11, None, 13, 14], dtype="Int64")))
    assert failures(missing) == [
        ("expect_column_values_to_not_be_null(event_key)", "1 of 4 rows fail")
    ]
    assert quality.failed(missing)[0].sample == [
        {
            "event_key": None,
            "source": "s1",
            "source_id": "C1",
            "file": "events.csv",
            "row_number": 2,
        }
    ]

    twice = quality.check_complaints(complaints(source_id=["C1", "C1", "C1"]), now=NOW)
    assert failures(twice) == [
        (
            "expect_compound_columns_to_be_unique(source, source_id)",
            "2 of 3 rows fail, e.g. source=s1 source_id=C1; source=s1 source_id=C1",
        )
    ]


def test_timestamps_in_the_future_or_before_receipt():
    future = TS("2026-11-29 10:00:01")  # one second after the run's now
    got = quality.check_complaints(
        complaints(received_at=[TS("2026-10-01 09:00"), future, TS("2026-10-03 11:00")]), now=NOW
    )
    assert failures(got) == [
        (
            "expect_column_values_to_be_between(received_at)",
            "1 of 3 rows fail, e.g. 2026-11-29 10:00:01",
        )
    ]
    assert quality.failed(got)[0].expected == (
        "received_at not after the run's now (2026-11-29 10:00:00, local time)"
    )

    early = events(
        event_at=[
            TS("2026-10-01 10:00"),
            TS("2026-10-01 08:59:59"),
            TS("2026-10-02 10:00"),
            TS("2026-10-05 09:00"),
        ]
    )
    assert failures(check_events(early)) == [
        (
            "expect_column_pair_values_a_to_be_greater_than_b(event_at, complaint_received_at)",
            "1 of 4 rows fail, e.g. (2026-10-01 08:59:59, 2026-10-01 09:00:00)",
        )
    ]

    rated = ratings(
        rated_at=[TS("2026-10-20 09:00"), TS("2026-10-21 09:00"), TS("2026-10-03 10:59")]
    )
    (bad,) = quality.failed(quality.check_ratings(rated, now=NOW))
    assert (bad.expectation, bad.observed) == (
        "expect_column_pair_values_a_to_be_greater_than_b(rated_at, complaint_received_at)",
        "1 of 3 rows fail, e.g. (2026-10-03 10:59:00, 2026-10-03 11:00:00)",
    )
    assert bad.sample == [
        {
            "complaint_key": 3,
            "source": "s2",
            "source_id": "C1",
            "file": "ratings.csv",
            "row_number": 1,
            "rated_at": "2026-10-03 10:59:00",
            "complaint_received_at": "2026-10-03 11:00:00",
        }
    ]


def test_scores_outside_1_to_5():
    got = quality.check_ratings(ratings(score=pd.array([4, 6, 0], dtype="Int32")), now=NOW)
    assert failures(got) == [
        ("expect_column_values_to_be_between(score)", "2 of 3 rows fail, e.g. 6; 0")
    ]
    assert quality.failed(got)[0].family == "scores"


def test_references_unknown_unit_officer_and_complaint():
    unit = check_events(events(unit_code=["KOMINFO", "DPU", "DINSOS", None]))
    assert failures(unit) == [
        ("expect_column_values_to_be_in_set(unit_code)", "1 of 4 rows fail, e.g. DINSOS")
    ]
    stranger = "198001012005011005"  # a plausible NIP, but no reference officer has it
    officer = check_events(events(officer_nip=[GOOD_NIPS[0], GOOD_NIPS[1], stranger, None]))
    assert failures(officer) == [
        ("expect_column_values_to_be_in_set(officer_nip)", f"1 of 3 NIPs fail, e.g. {stranger}")
    ]
    assert quality.failed(officer)[0].sample == [{"officer_nip": stranger, "rows": 1}]
    orphan = check_events(
        events(
            complaint_received_at=[
                TS("2026-10-01 09:00"),
                None,
                TS("2026-10-02 10:00"),
                TS("2026-10-03 11:00"),
            ]
        )
    )
    assert failures(orphan) == [
        ("expect_column_values_to_not_be_null(complaint_received_at)", "1 of 4 rows fail")
    ]


def test_values_outside_the_contract():
    got = quality.check_complaints(complaints(channel=["lapor", "fax", "email"]), now=NOW)
    assert failures(got) == [
        ("expect_column_values_to_be_in_set(channel)", "1 of 3 rows fail, e.g. fax")
    ]


NIP_DEFECTS = [
    # (NIP, the one expectation it fails, what staging's nip_problem says about it)
    (
        "19900101201503100",
        "expect_column_values_to_match_regex(officer_nip)",
        "NIP must be 18 digits, got 17 characters",
    ),
    (
        "199002302015031001",
        "expect_column_values_to_match_strftime_format(nip_birth_date)",
        "NIP birth date 19900230 is not a date",
    ),
    (
        "193001012015031001",
        "expect_column_values_to_be_between(nip_birth_year)",
        "NIP birth year 1930 is implausible",
    ),
    (
        "199001012015131001",
        "expect_column_values_to_match_strftime_format(nip_appointment)",
        "NIP appointment month 201513 is not a month",
    ),
    (
        "199001012006031001",
        "expect_column_values_to_be_between(nip_age_at_appointment)",
        "NIP appointment before age 17",
    ),
    (
        "199001012015033001",
        "expect_column_values_to_be_in_set(nip_sex_digit)",
        "NIP sex digit must be 1 or 2, got 3",
    ),
    # appointed in December 2026, after the run's month (November 2026)
    (
        "199001012026121001",
        "expect_column_values_to_be_between(nip_appointment_month)",
        "NIP appointment month 202612 is after this run's month 2026-11",
    ),
]


@pytest.mark.parametrize(("nip", "expectation", "staging_says"), NIP_DEFECTS)
def test_nip_plausibility(nip, expectation, staging_says):
    frame = events(officer_nip=[GOOD_NIPS[0], GOOD_NIPS[1], nip, nip])
    got = check_events(frame, officers=[*GOOD_NIPS, nip])
    # one NIP of the 3 distinct ones (it is on 2 events): named in the observed text
    assert failures(got) == [(expectation, f"1 of 3 NIPs fail, e.g. {nip}")]
    (bad,) = quality.failed(got)
    assert bad.family == "nip"
    assert bad.sample[0]["officer_nip"] == nip and bad.sample[0]["rows"] == 2
    # the same rules as staging's macro, which quarantines the row before the gate sees it
    con = connect(":memory:")
    (problem,) = con.execute("SELECT nip_problem($n, $now)", {"n": nip, "now": NOW}).fetchone()
    con.close()
    assert problem == staging_says


def test_nip_parts():
    parts = quality.nip_frame(pd.Series(["199001012015032002", "1990", None, "199001012015032002"]))
    assert parts.to_dict("records")[0] == {
        "officer_nip": "199001012015032002",
        "rows": 2,
        "nip_birth_date": "19900101",
        "nip_birth_year": 1990,
        "nip_appointment": "201503",
        "nip_appointment_month": TS("2015-03-01"),
        "nip_age_at_appointment": 25,
        "nip_sex_digit": "2",
    }
    short = parts.to_dict("records")[1]
    assert short["officer_nip"] == "1990" and short["rows"] == 1
    assert all(pd.isna(short[c]) for c in ("nip_birth_date", "nip_birth_year", "nip_sex_digit"))


def test_schema_missing_and_retyped_columns():
    columns = dict(quality.SCHEMAS["stg_complaints"])
    columns["received_at"] = "VARCHAR"
    del columns["due_at"]
    columns["extra"] = "VARCHAR"  # more columns are welcome
    (outcome,) = quality.check_schema("stg_complaints_valid", "stg_complaints", columns)
    assert not outcome.passed and outcome.family == "schema"
    assert outcome.expectation == "expect_column_distinct_values_to_contain_set(column_spec)"
    assert outcome.observed == (
        "missing received_at TIMESTAMP, due_at TIMESTAMP; found received_at VARCHAR, due_at absent"
    )
    assert (outcome.failing_rows, outcome.rows_checked) == (2, 19)
    assert outcome.sample == [
        {"column": "received_at", "expected_type": "TIMESTAMP", "type": "VARCHAR"},
        {"column": "due_at", "expected_type": "TIMESTAMP", "type": None},
    ]
    (ok,) = quality.check_schema("stg_ratings_valid", "stg_ratings", quality.SCHEMAS["stg_ratings"])
    assert ok.passed and ok.observed == "all 9 columns with their types"


def months(counts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"month": list(counts), "complaints": list(counts.values())})


# six months before 2026-10: median of 80, 90, 100, 110, 120, 130 = (100 + 110) / 2 = 105
HISTORY = {
    "2026-04": 100,
    "2026-05": 120,
    "2026-06": 80,
    "2026-07": 110,
    "2026-08": 90,
    "2026-09": 130,
}


@pytest.mark.parametrize(
    ("newest", "passed", "observed"),
    [
        (40, False, "2026-10: 40 complaints, 38 % of the median 105 of 2026-04..2026-09"),
        (53, True, "2026-10: 53 complaints, 50 % of the median 105 of 2026-04..2026-09"),
        (315, True, "2026-10: 315 complaints, 300 % of the median 105 of 2026-04..2026-09"),
        (316, False, "2026-10: 316 complaints, 301 % of the median 105 of 2026-04..2026-09"),
    ],
)
def test_volume_against_the_median_of_six_months(newest, passed, observed):
    # an older month outside the six is not part of the median
    monthly = months({"2026-03": 1000, **HISTORY, "2026-10": newest})
    (outcome,) = quality.check_volume(monthly, VolumeGate())
    assert (outcome.expectation, outcome.passed, outcome.observed) == (
        "expect_column_values_to_be_between(ratio_to_median)",
        passed,
        observed,
    )
    assert outcome.expected == (
        "complaints of the newest complete month between 50 % and 300 % of the median of the "
        "6 months before it"
    )
    assert outcome.rows_checked == 7
    if not passed:
        assert outcome.sample == [{"month": "2026-10", "complaints": newest}] + [
            {"month": m, "complaints": n} for m, n in reversed(HISTORY.items())
        ]


def test_volume_thresholds_come_from_the_policy():
    monthly = months({**HISTORY, "2026-10": 60})  # 57 % of 105
    assert quality.check_volume(monthly, VolumeGate())[0].passed
    (stricter,) = quality.check_volume(monthly, VolumeGate(min_ratio=0.8, baseline_months=3))
    # the median of the 3 months before: 90, 110, 130 -> 110; 60 / 110 = 55 %
    assert (stricter.passed, stricter.observed) == (
        False,
        "2026-10: 60 complaints, 55 % of the median 110 of 2026-07..2026-09",
    )


def test_volume_not_judged_without_enough_history_or_complaints():
    (short,) = quality.check_volume(
        months({"2026-08": 100, "2026-09": 90, "2026-10": 0}), VolumeGate()
    )
    assert short.passed
    assert short.observed == "not judged: 2 month(s) of history before 2026-10, needs 3"
    (small,) = quality.check_volume(
        months({"2026-06": 3, "2026-07": 5, "2026-08": 4, "2026-09": 6, "2026-10": 0}),
        VolumeGate(),
    )
    assert small.passed
    assert small.observed == "not judged: median 4.5 complaints a month, below 30"
    (none,) = quality.check_volume(months({}), VolumeGate())
    assert none.passed and none.observed == "no complaint staged"


def test_a_suite_that_cannot_evaluate_fails():
    (outcome,) = [
        o
        for o in quality.check_complaints(complaints().drop(columns="channel"), now=NOW)
        if not o.passed
    ]
    assert outcome.expectation == "expect_column_values_to_be_in_set(channel)"
    assert outcome.observed.startswith("could not be evaluated")


# --- the policy section ------------------------------------------------------------------
def write_policy(tmp_path: Path, quality_yaml: str) -> Path:
    """The default policy with `quality_yaml` instead of its quality section."""
    path = tmp_path / "policy.yaml"
    path.write_text(DEFAULT_POLICY.read_text().split("\nquality:")[0] + quality_yaml)
    return path


def test_policy_quality_defaults_and_overrides(tmp_path):
    assert load_policy().volume_gate == VolumeGate()
    assert load_policy().raw["quality"]["volume"]["min_ratio"] == 0.5
    without = load_policy(write_policy(tmp_path, "\n"))
    assert "quality" not in without.raw and without.volume_gate == VolumeGate()
    custom = load_policy(write_policy(tmp_path, "\nquality:\n  volume:\n    min_ratio: 0.7\n"))
    assert custom.volume_gate == VolumeGate(min_ratio=0.7)


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        # (. for the parentheses: the test escapes only opening ones)
        (
            "quality:\n  volume:\n    min_ration: 0.7\n",
            "quality.volume: unknown key.s. 'min_ration' .did you mean 'min_ratio'",
        ),
        ("quality:\n  volumes: {}\n", "quality: unknown key.s. 'volumes' .did you mean 'volume'"),
        ("quality:\n  volume:\n    min_ratio: 3\n    max_ratio: 2\n", "min_ratio < "),
        ("quality:\n  volume:\n    baseline_months: 2.5\n", "'quality.volume.baseline_months'"),
        ("quality:\n  volume:\n    min_ratio: -1\n", "must be >= 0"),
        ("quality:\n  volume:\n    min_baseline_months: 7\n", "min_baseline_months <="),
    ],
)
def test_policy_quality_is_validated(tmp_path, yaml_text, message):
    with pytest.raises(PolicyError, match=message.replace("(", r"\(")):
        load_policy(write_policy(tmp_path, "\n" + yaml_text))


def test_loading_the_code_location_does_not_import_great_expectations():
    code = "import sys, pipelines.definitions; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr[-2000:]


# --- (b) end to end: a failed gate blocks publication -------------------------------------
def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(path: Path, sql: str, params: dict | None = None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def quality_file(home: Home) -> Path:
    return home.serving_dir / "quality.duckdb"


def gate_rows(path: Path) -> list[tuple]:
    """(run, check, expectation, passed, observed) of quality_results in a file."""
    return query(
        path,
        'SELECT run, "check", expectation, passed, observed FROM quality_results '
        'ORDER BY "check", expectation, observed',
    )


def run_events(home: Home, run_id: str) -> tuple[dict, set[str]]:
    """The check evaluations (name -> data) and the assets materialized in a Dagster run."""
    from pipelines.runner import instance_for

    logs = instance_for(home).all_logs(run_id)
    events = [e.dagster_event for e in logs if e.dagster_event is not None]
    checks = {
        e.event_specific_data.check_name: e.event_specific_data
        for e in events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    materialized = {
        e.asset_key.to_user_string()
        for e in events
        if e.event_type_value == "ASSET_MATERIALIZATION"
    }
    return checks, materialized


def blocked_run(home: Home) -> tuple[str, str]:
    """Run the pipeline, which must fail: (the PipelineFailed message, the failed run id)."""
    from pipelines.runner import PipelineFailed, run_pipeline

    with pytest.raises(PipelineFailed) as failure:
        run_pipeline(home)
    message = str(failure.value)
    return message, message.split()[1]  # "run <id> failed: ..."


TYPO_NIP = "199001012051011004"  # appointed "2051-01": 2015 mistyped
# the rule of staging's NIP macro that the blocked run below goes without
APPOINTMENT_RULE = re.compile(r"\n *WHEN [^\n]*\n *> date_trunc\('month', now\)\n.*\n.*\n")


def staging_without_the_appointment_rule(name: str) -> str:
    """sql.text, but with a staging defect: `nip_problem` lacks its appointment-month rule."""
    text = SQL_TEXT(name)
    if name == "macros":
        text, found = APPOINTMENT_RULE.subn("\n", text)
        assert found == 1, "the appointment-month rule of nip_problem was not found"
    return text


@pytest.fixture(scope="module")
def uji_blocked(tmp_path_factory) -> dict:
    """Kota Uji: a good run publishes; then an officer whose NIP was mistyped (appointment
    month 2051-01) handles an event, and the next run is blocked. Staging quarantines such
    a NIP itself (test_a_nip_appointed_in_the_future_is_quarantined_by_staging); here it is
    given a defect, its NIP macro without that rule, so the row reaches the gate, which is
    there to catch what a staging bug lets through."""
    from pipelines.runner import run_pipeline
    from tests.conftest import copy_fixture

    home = copy_fixture("kota_uji", tmp_path_factory.mktemp("uji_blocked") / "home")
    run_pipeline(home)
    before = {
        "sha256": sha256(home.snapshot_path),
        "info": query(home.snapshot_path, "SELECT published_at, run_id FROM snapshot_info")[0],
        "snapshot_gate": gate_rows(home.snapshot_path),
        "file_gate": gate_rows(quality_file(home)),
        "parquet_rows": duckdb.connect()
        .execute(
            "SELECT count(*), count(*) FILTER (WHERE passed) FROM read_parquet($p)",
            {"p": str(home.parquet_dir / "quality_results.parquet")},
        )
        .fetchone(),
    }
    with open(home.reference_dir / "officers.csv", "a") as f:
        f.write(f"{TYPO_NIP},Dewi,PKM-A,Staf,III/a,2015-01-01,\n")
    with open(home.sources_dir / "s1" / "events.csv", "a") as f:
        f.write(f"C3,2025-04-16 09:00:00,reassigned,PKM-A,{TYPO_NIP},\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sql, "text", staging_without_the_appointment_rule)
        message, run_id = blocked_run(home)
    return {"home": home, "before": before, "message": message, "run_id": run_id}


def test_a_good_run_publishes_its_gate(uji_blocked):
    before = uji_blocked["before"]
    rows = before["snapshot_gate"]
    # 8 complaint + 18 event + 8 rating expectations + the volume: all met, one gate run
    assert len(rows) == 35 and all(passed for _, _, _, passed, _ in rows)
    assert {check for _, check, _, _, _ in rows} == set(quality.CHECKS)
    assert len({run for run, *_ in rows}) == 1
    assert before["file_gate"] == rows  # the gate's own file: the same results
    assert before["parquet_rows"] == (35, 35)  # and the Parquet copy of the snapshot
    volume = [observed for _, check, _, _, observed in rows if check == "complaint_volume"]
    # Kota Uji: complaints in 2025-03 and 2025-04 only, before the newest month 2025-05
    assert volume == ["not judged: 2 month(s) of history before 2025-05, needs 3"]


def test_a_failed_gate_is_reported_and_blocks_downstream(uji_blocked):
    home, run_id = uji_blocked["home"], uji_blocked["run_id"]
    assert "check failed: stg_events_valid" in uji_blocked["message"]
    assert "rows_add_up" not in uji_blocked["message"]
    checks, materialized = run_events(home, run_id)
    assert {name: e.passed for name, e in checks.items()} == {
        "rows_add_up": True,
        "stg_complaints_valid": True,
        "stg_events_valid": False,
        "stg_ratings_valid": True,
        "complaint_volume": True,
    }
    # write, audit, (no) publish: the staged tables were written, nothing after them
    assert materialized == {"reference_data", "calendar_days", "source_rows", "staged_sources"}
    failed = checks["stg_events_valid"]
    assert failed.metadata["failed"].value == 1
    assert f"1 of 4 NIPs fail, e.g. {TYPO_NIP}" in failed.metadata["failures"].value
    assert failed.metadata["failing_rows_sample"].value == {
        "expect_column_values_to_be_between(nip_appointment_month)": [
            {"officer_nip": TYPO_NIP, "rows": 1, "nip_appointment": "205101"}
        ]
    }


def test_a_failed_gate_leaves_the_snapshot_untouched(uji_blocked):
    home, before = uji_blocked["home"], uji_blocked["before"]
    assert sha256(home.snapshot_path) == before["sha256"]
    info = query(home.snapshot_path, "SELECT published_at, run_id FROM snapshot_info")[0]
    assert info == before["info"]
    assert gate_rows(home.snapshot_path) == before["snapshot_gate"]


def test_publishing_alone_after_a_failed_gate_is_refused(uji_blocked):
    """`serving_snapshot` materialized on its own (as from the Dagster UI) after a failed
    gate: refused, the served snapshot stays as it was."""
    from pipelines.runner import PipelineFailed, _materialize, instance_for

    home = uji_blocked["home"]
    with pytest.raises(PipelineFailed, match=r"quality gate of run .* failed, so nothing is"):
        _materialize(["serving_snapshot"], home, instance_for(home))
    assert sha256(home.snapshot_path) == uji_blocked["before"]["sha256"]


def test_the_gate_file_says_why(uji_blocked):
    home, run_id = uji_blocked["home"], uji_blocked["run_id"]
    rows = query(
        quality_file(home),
        'SELECT run, asset, "check", family, expectation, observed, expected, failing_rows, '
        "rows_checked, failing_rows_sample FROM quality_results WHERE NOT passed",
    )
    # NIPs on the staged events: 198503152010011001, 199001012015032002,
    # 199202022018011003 and the new one (the 16-digit NIP's event is quarantined)
    assert rows == [
        (
            run_id,
            "staged_sources",
            "stg_events_valid",
            "nip",
            "expect_column_values_to_be_between(nip_appointment_month)",
            f"1 of 4 NIPs fail, e.g. {TYPO_NIP}",
            f"appointment month not after the run's month ({dt.date.today():%Y-%m})",
            1,
            4,
            json.dumps([{"officer_nip": TYPO_NIP, "rows": 1, "nip_appointment": "205101"}]),
        )
    ]
    (total, runs) = query(
        quality_file(home), "SELECT count(*), count(DISTINCT run) FROM quality_results"
    )[0]
    assert (total, runs) == (35, 1)
    # the warehouse keeps every gate run for the audit: the good one and the blocked one
    history = query(
        home.warehouse_path,
        "SELECT count(DISTINCT run), count(*) FILTER (WHERE NOT passed) FROM quality_results",
    )
    assert history == [(2, 1)]


# --- (b) the volume gate on the demo city --------------------------------------------------
KEPT = 10  # complaints of the newest month left in the sources


@pytest.fixture(scope="module")
def volume_blocked(demo_home, tmp_path_factory) -> dict:
    """A copy of the demo city (24 months to 2026-10, published by conftest) in which all
    but 10 of the complaints staged for 2026-10 disappear from the sources: the volume gate
    must block the next run."""
    root = tmp_path_factory.mktemp("volume_blocked") / "home"
    shutil.copytree(demo_home, root)
    home = Home(root)
    monthly = dict(
        query(
            home.warehouse_path,
            "SELECT strftime(received_at, '%Y-%m'), count(*) FROM stg_complaints GROUP BY 1",
        )
    )
    october = query(
        home.warehouse_path,
        "SELECT source, source_id FROM stg_complaints "
        "WHERE strftime(received_at, '%Y-%m') = '2026-10' ORDER BY source, source_id",
    )
    gone = set(october[KEPT:])
    for folder in home.source_dirs():
        path = folder / "complaints.csv"
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows = list(reader)
        at = header.index("source_id")
        kept = [r for r in rows if (folder.name, r[at].strip()) not in gone]
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([header, *kept])
    before = {
        "sha256": sha256(home.snapshot_path),
        "info": query(home.snapshot_path, "SELECT published_at, run_id FROM snapshot_info")[0],
        "file_gate": gate_rows(quality_file(home)),
        "snapshot_gate": gate_rows(home.snapshot_path),
    }
    message, run_id = blocked_run(home)
    return {
        "home": home,
        "monthly": monthly,
        "october": len(october),
        "before": before,
        "message": message,
        "run_id": run_id,
    }


def volume_words(newest: int, monthly: dict[str, int]) -> str:
    """The observed text, worked out here from the months' counts."""
    baseline = [
        monthly[m] for m in ("2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09")
    ]
    median = statistics.median(baseline)
    shown = int(median) if float(median).is_integer() else median
    return (
        f"2026-10: {newest} complaints, {100 * newest / median:.0f} % of the median "
        f"{shown} of 2026-04..2026-09"
    )


def test_the_demo_city_passes_its_volume_gate(volume_blocked):
    before, monthly = volume_blocked["before"], volume_blocked["monthly"]
    assert all(passed for *_, passed, _ in before["snapshot_gate"])
    assert before["file_gate"] == before["snapshot_gate"]
    (observed,) = [o for _, c, _, _, o in before["file_gate"] if c == "complaint_volume"]
    assert observed == volume_words(volume_blocked["october"], monthly)


def test_a_collapsed_month_blocks_publication(volume_blocked):
    home, before, monthly = (
        volume_blocked["home"],
        volume_blocked["before"],
        volume_blocked["monthly"],
    )
    assert "check failed: complaint_volume" in volume_blocked["message"]
    assert sha256(home.snapshot_path) == before["sha256"]
    info = query(home.snapshot_path, "SELECT published_at, run_id FROM snapshot_info")[0]
    assert info == before["info"]
    rows = query(
        quality_file(home),
        'SELECT run, "check", expectation, observed, failing_rows_sample FROM quality_results '
        "WHERE NOT passed",
    )
    (run, check, expectation, observed, sample) = rows[0]
    assert len(rows) == 1
    assert (run, check, expectation) == (
        volume_blocked["run_id"],
        "complaint_volume",
        "expect_column_values_to_be_between(ratio_to_median)",
    )
    assert observed == volume_words(KEPT, monthly)
    months = ["2026-10", "2026-09", "2026-08", "2026-07", "2026-06", "2026-05", "2026-04"]
    assert json.loads(sample) == [{"month": "2026-10", "complaints": KEPT}] + [
        {"month": m, "complaints": monthly[m]} for m in months[1:]
    ]


# --- (c) the app says why ------------------------------------------------------------------
def run_app(home: Path, page: str | None = None, **query_params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query_params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return at.run()


def published_words(home: Home) -> str:
    (published,) = query(home.snapshot_path, "SELECT published_at FROM snapshot_info")[0]
    return f"{published:%Y-%m-%d %H:%M} UTC"


def test_quality_page_says_why_publication_is_blocked(volume_blocked, monkeypatch):
    home = volume_blocked["home"]
    monkeypatch.setenv("RAPOR_HOME", str(home.root))
    at = run_app(home, QUALITY_PAGE)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == "Mutu data"
    (banner,) = [e.value for e in at.error]
    assert banner.startswith(
        f"**Penerbitan diblokir**: gerbang mutu terakhir (run `{volume_blocked['run_id']}`"
    )
    assert f"Snapshot yang ditampilkan berasal dari {published_words(home)}." in banner
    assert (
        "- **complaint_volume** · `expect_column_values_to_be_between(ratio_to_median)`: "
        + plain(volume_words(KEPT, volume_blocked["monthly"]))  # as the page escapes it
    ) in banner
    checks = at.dataframe[0].value
    assert dict(zip(checks["check"], checks["status"], strict=True)) == {
        "complaint_volume": "gagal",
        "stg_complaints_valid": "lolos",
        "stg_events_valid": "lolos",
        "stg_ratings_valid": "lolos",
    }
    sample = at.dataframe[2].value  # the first failed expectation's failing rows
    assert sample["complaints"].tolist()[0] == KEPT

    at.selectbox(key="lang").set_value("en").run()
    (banner,) = [e.value for e in at.error]
    assert banner.startswith("**Publication blocked**: the latest quality gate (run")
    assert f"The snapshot shown is from {published_words(home)}." in banner


def test_every_page_warns_that_publication_is_blocked(volume_blocked, monkeypatch):
    home = volume_blocked["home"]
    monkeypatch.setenv("RAPOR_HOME", str(home.root))
    at = run_app(home)
    assert not at.exception and not at.error
    assert at.title[0].value == "Ikhtisar pimpinan"  # still serving the previous snapshot
    assert (
        "**Penerbitan diblokir**: gerbang mutu terakhir gagal (complaint_volume). Snapshot yang "
        f"ditampilkan berasal dari {published_words(home)}."
    ) in [w.value for w in at.warning]


def gate_warnings(at) -> list:
    """The page's warnings, without the sidebar notice that no sign-in is configured."""
    return [w for w in at.warning if w.icon != ":material/lock_open:"]


def test_quality_page_on_a_passing_gate_shows_the_quarantine(demo_home, monkeypatch):
    monkeypatch.setenv("RAPOR_HOME", str(demo_home))
    home = Home(demo_home)
    at = run_app(home, QUALITY_PAGE)
    assert not at.exception and not at.error and not gate_warnings(at)
    (run, expectations) = query(
        quality_file(home), "SELECT any_value(run), count(*) FROM quality_results"
    )[0]
    (checked_at,) = query(quality_file(home), "SELECT max(checked_at) FROM quality_results")[0]
    assert [s.value for s in at.success] == [
        f"Gerbang mutu terakhir lolos (run `{run}`, {checked_at:%Y-%m-%d %H:%M} UTC): "
        f"{expectations} harapan terpenuhi."
    ]
    table = at.dataframe[-1].value
    expected = query(
        home.snapshot_path,
        "SELECT source, input_table, reason_code, count(*) FROM quarantine GROUP BY ALL",
    )
    assert sorted(map(tuple, table.itertuples(index=False))) == sorted(expected)
    assert table["rows"].sum() == query(home.snapshot_path, "SELECT count(*) FROM quarantine")[0][0]


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_quality_page_in_the_browser(volume_blocked, tmp_path):
    from tests import test_browser as tb

    if not tb.CHROMIUM.exists():
        pytest.skip(f"{tb.CHROMIUM} is missing: install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    home = volume_blocked["home"]
    port = tb.free_port()
    env = {**os.environ, "RAPOR_HOME": str(home.root)}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    log = tmp_path / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        tb._wait_healthy(url, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(tb.CHROMIUM), headless=True, args=tb.CHROMIUM_ARGS
            )
            try:
                page = browser.new_page(viewport=tb.WINDOW, locale="id-ID")
                page.goto(f"{url}/mutu", wait_until="domcontentloaded")
                page.get_by_role("heading", name="Mutu data").first.wait_for(
                    timeout=tb.PAGE_TIMEOUT_MS
                )
                page.get_by_text("Penerbitan diblokir").first.wait_for(timeout=tb.PAGE_TIMEOUT_MS)
                body = page.inner_text("body")
                assert "Traceback" not in body
                assert volume_words(KEPT, volume_blocked["monthly"]) in body
                assert f"berasal dari {published_words(home)}" in body
                assert page.locator('[data-testid="stException"]').count() == 0
                tb._screenshot(page, "mutu_diblokir")
            finally:
                browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert "Traceback" not in log.read_text()


def test_without_any_snapshot_the_app_still_says_why(volume_blocked, tmp_path, monkeypatch):
    """A gate that blocked the very first publication: no snapshot, only the gate's file."""
    (tmp_path / "serving").mkdir()
    shutil.copy(quality_file(volume_blocked["home"]), tmp_path / "serving" / "quality.duckdb")
    monkeypatch.setenv("RAPOR_HOME", str(tmp_path))
    at = run_app(Home(tmp_path))
    assert not at.exception
    assert [w.value for w in gate_warnings(at)] == [
        "Gerbang mutu terakhir gagal (complaint_volume), sehingga belum ada yang diterbitkan."
    ]
    assert [e.value for e in at.error] == ["Belum ada data yang diterbitkan"]


def test_gate_outcomes_same_on_microsecond_and_nanosecond_timestamps():
    """DuckDB gives pandas microsecond timestamps; the gate hands GX nanoseconds (whole
    column comparisons, not a Python call per value). The outcomes must be the same, and
    the one complaint received after `now` (worked out by hand: row 3) must fail."""
    import pandas as pd

    from pipelines import quality as q

    now = dt.datetime(2025, 5, 1, 12, 0)
    received = pd.Series(pd.to_datetime(["2025-04-01 08:00:00", "2025-04-30 23:59:59",
                                         "2025-05-01 12:00:01", None]))  # fmt: skip
    frame = pd.DataFrame({
        "complaint_key": [1, 2, 3, 4], "source": ["s"] * 4,
        "source_id": ["a", "b", "c", "d"], "channel": ["whatsapp"] * 4,
        "complaint_class": ["pengaduan"] * 4, "file": ["f.csv"] * 4,
        "row_number": [1, 2, 3, 4],
    })  # fmt: skip
    micro = frame.assign(received_at=received.astype("datetime64[us]"))
    nano = frame.assign(received_at=received.astype("datetime64[ns]"))
    got_micro = q.check_complaints(micro, now=now)
    got_nano = q.check_complaints(nano, now=now)
    assert [(o.expectation, o.passed, o.observed, o.failing_rows, o.sample) for o in got_micro] \
        == [(o.expectation, o.passed, o.observed, o.failing_rows, o.sample) for o in got_nano]
    (future,) = [o for o in got_micro if o.expectation.endswith("between(received_at)")]
    assert (future.passed, future.failing_rows) == (False, 1)
    assert future.sample[0]["source_id"] == "c"
    (present,) = [o for o in got_micro if o.expectation.endswith("not_be_null(received_at)")]
    assert (present.passed, present.failing_rows) == (False, 1)
