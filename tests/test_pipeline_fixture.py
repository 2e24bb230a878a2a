"""The real pipeline (Dagster runs, DuckDB files) on the hand-made Kota Uji home.

Every expected number below was worked out by hand from tests/fixtures/kota_uji and the
2025 Indonesian calendar (see the comments), not computed by the code under test.
"""

import datetime as dt

import dagster as dg
import duckdb
import pytest

from pipelines.runner import instance_for, run_pipeline
from tests.conftest import copy_fixture, read_snapshot

BUDI = "199001012015032002"  # DPU
CITRA = "199202022018011003"  # Puskesmas A (6-day week)
ADMIN = "198503152010011001"  # Diskominfo


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    home = copy_fixture("kota_uji", tmp_path_factory.mktemp("uji") / "home")
    return home, run_pipeline(home)


def test_quarantine_holds_each_bad_row_with_reason(published):
    home, summary = published
    rows = read_snapshot(
        home, "SELECT input_table, file, row_number, reason_code FROM quarantine ORDER BY ALL"
    )
    assert rows == [
        ("complaints", "complaints.csv", 4, "received_at is not a timestamp"),  # 'kemarin'
        ("events", "events.csv", 7, "invalid NIP"),  # 16 digits
        ("events", "events.csv", 8, "unknown complaint"),  # C9 does not exist
        ("ratings", "ratings.csv", 2, "score must be a whole number 1-5"),  # 9
    ]
    assert summary.quarantined == 4


def test_rows_add_up(published):
    home, _ = published
    staged = read_snapshot(home, "SELECT count(*) FROM case_members")[0][0]
    quarantined = read_snapshot(
        home, "SELECT count(*) FROM quarantine WHERE input_table = 'complaints'"
    )[0][0]
    assert staged + quarantined == 4  # complaints.csv has 4 data rows


def test_two_channels_make_one_case_clocked_from_the_earliest(published):
    home, _ = published
    (row,) = read_snapshot(
        home,
        "SELECT channels, member_count, received_at FROM cases WHERE case_id = 's1:C1'",
    )
    # C2 (WhatsApp, 28 March) is the same reporter, category and kelurahan a day later
    assert row == (["lapor", "whatsapp"], 2, dt.datetime(2025, 3, 27, 10, 0))
    assert read_snapshot(home, "SELECT count(*) FROM cases")[0][0] == 2


def test_lebaran_worked_example(published):
    home, _ = published
    (row,) = read_snapshot(
        home,
        """SELECT forwarding_wd, forwarding_met, resolution_wd, resolution_due_wd,
                  resolution_due_date, resolution_met, resolution_judged_month,
                  credited_officer_nip
           FROM cases WHERE case_id = 's1:C1'""",
    )
    # received Thu 27 Mar; 28 Mar cuti bersama Nyepi, 31 Mar-1 Apr Idul Fitri, 2-7 Apr cuti
    # bersama: 1st..3rd working days are 8, 9, 10 Apr, so forwarding on 10 Apr 16:59 = 3.
    # resolved Tue 15 Apr = 8,9,10,11,14,15 Apr = 6 working days. 14-day deadline: 8-11 (4),
    # 14-17 (8), 18 Apr Good Friday, 21-25 (13), Mon 28 Apr (14).
    assert row == (3, True, 6, 14, dt.date(2025, 4, 28), True, "2025-04", BUDI)


def test_six_day_unit_and_missed_deadline(published):
    home, _ = published
    (case,) = read_snapshot(
        home,
        """SELECT status, resolution_due_date, resolution_met, resolution_judged_month,
                  credited_unit_code, credited_officer_nip
           FROM cases WHERE case_id = 's1:C3'""",
    )
    # received Mon 14 Apr at a Mon-Sat puskesmas: 15,16,17 (3), 18 Good Friday, Sat 19 (4),
    # 20 Easter, 21-26 (10), 28-30 (13), 1 May Labour Day, Sat 2 May (14). Never resolved.
    assert case == ("in_progress", dt.date(2025, 5, 2), False, "2025-05", "PKM-A", CITRA)
    (response,) = read_snapshot(
        home, "SELECT elapsed_wd, met FROM clocks WHERE case_id = 's1:C3' AND clock = 'response'"
    )
    assert response == (4, True)  # forwarded Mon 14 Apr, responded Sat 19 Apr: 15,16,17,19


def test_unit_and_officer_months(published):
    home, _ = published
    units = read_snapshot(
        home,
        """SELECT month, unit_code, received, resolved, forwarding_due, forwarding_met,
                  response_due, response_met, resolution_due, resolution_met,
                  backlog_end, overdue_backlog_end, ratings_n, satisfaction_mean,
                  satisfaction_shrunk
           FROM unit_month ORDER BY month, unit_code""",
    )
    assert units == [
        # C1 waits at Diskominfo (verified, not yet forwarded) at the end of March
        ("2025-03", "KOMINFO", 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, None, None),
        # C1 forwarded, answered and resolved in April, rated 4; only rating: mu = 4
        ("2025-04", "DPU", 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 4.0, 4.0),
        ("2025-04", "KOMINFO", 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, None, None),
        # C3 was never verified, so its forwarding deadline has no admin holder; it is held
        # by the puskesmas at the end of April (due 2 May: not overdue yet)
        ("2025-04", "PKM-A", 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, None, None),
        ("2025-05", "PKM-A", 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, None, None),
    ]
    budi = read_snapshot(
        home,
        """SELECT month, unit_code, response_rate, resolution_rate, resolution_wd_median,
                  provisional, (SELECT list(DISTINCT case_id) FROM holder_facts AS f
                                WHERE f.officer_nip = o.officer_nip AND f.month = o.month)
           FROM officer_month AS o WHERE officer_nip = $nip""",
        {"nip": BUDI},
    )
    # as_of 2025-05-31: April + 30-day windows ends 30 May < 31 May, so April is final
    assert budi == [("2025-04", "DPU", 1.0, 1.0, 6.0, False, ["s1:C1"])]


def test_rerun_is_idempotent(published):
    home, _ = published
    tables = ("cases", "officer_month", "unit_month", "quarantine")
    query = "SELECT * EXCLUDE ({}) FROM {} ORDER BY ALL"
    before = {t: read_snapshot(home, query.format("run_id" if t == "quarantine" else
                                                   "tenant", t)) for t in tables}  # fmt: skip
    run_pipeline(home)
    after = {t: read_snapshot(home, query.format("run_id" if t == "quarantine" else
                                                  "tenant", t)) for t in tables}  # fmt: skip
    assert before == after


def test_runs_are_recorded_in_the_home_dagster_instance(published):
    home, summary = published
    instance = instance_for(home)
    for run_id in summary.runs:
        run = instance.get_run_by_id(run_id)
        assert run is not None and run.status == dg.DagsterRunStatus.SUCCESS


def test_a_warehouse_whose_holder_facts_is_a_table_is_upgraded(published):
    """Before 2026-11-29 holder_facts was a table; it is now a view over segments, clocks,
    cases and holder_instants. A rerun on an older warehouse replaces the table with the
    view and the published facts stay the same."""
    home, _ = published
    query = "SELECT * FROM holder_facts ORDER BY ALL"
    before = read_snapshot(home, query)
    with duckdb.connect(str(home.warehouse_path)) as con:
        con.execute("CREATE TABLE facts_then AS FROM holder_facts")
        con.execute("DROP VIEW holder_facts")
        con.execute("ALTER TABLE facts_then RENAME TO holder_facts")
    run_pipeline(home)
    with duckdb.connect(str(home.warehouse_path), read_only=True) as con:
        kind = con.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = 'holder_facts'"
        ).fetchall()
    assert kind == [("VIEW",)]
    assert read_snapshot(home, query) == before
    assert len(before) > 10
