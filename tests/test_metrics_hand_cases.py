"""Hand-worked metric cases, one small tenant each, through the real engine (DuckDB SQL).

Every expected number was worked out by hand on the 2025 Indonesian calendar
(holidays 0.109, categories public + government) and written down here; the comments
show the counting. Working days after a date are listed as "08(1), 09(2) ..." meaning
8 April is the 1st working day after receipt, and so on. Nothing here is computed by the
code under test.

2025 non-working weekdays used below: 28 Mar (cuti Nyepi), 31 Mar-1 Apr (Idul Fitri),
2-4 and 7 Apr (cuti), 18 Apr (Good Friday), 1 May, 12-13 May (Waisak + cuti), 29-30 May
(Ascension + cuti), 6 Jun (Idul Adha), 9 Jun (cuti), 27 Jun (Islamic New Year), 18 Aug
(cuti), 5 Sep (Maulid).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipelines.engine import build, load_home_inputs
from pipelines.home import Home
from pipelines.resources import RaporHome
from pipelines.warehouse import connect

ADMIN = "198503152010011001"  # Diskominfo (verifies and forwards)
BUDI = "199001012015031002"  # DPU
DEWI = "199105052016022003"  # DLH
CITRA = "199202022018012004"  # Puskesmas A, Monday-Saturday

UNITS = [
    ("KOMINFO", "Diskominfo", "dinas", "", 5),
    ("DPU", "Dinas Pekerjaan Umum", "dinas", "", 5),
    ("DLH", "Dinas Lingkungan Hidup", "dinas", "", 5),
    ("PKM-A", "Puskesmas A", "puskesmas", "", 6),
]
OFFICERS = [
    (ADMIN, "Admin", "KOMINFO"),
    (BUDI, "Budi", "DPU"),
    (DEWI, "Dewi", "DLH"),
    (CITRA, "Citra", "PKM-A"),
]


@dataclass
class Scenario:
    name: str
    complaints: list[dict]
    events: list[tuple]  # (source_id, event_at, event_type, unit_code, officer_nip)
    as_of: str
    tz: str = "Asia/Jakarta"
    ratings: list[tuple] = field(default_factory=list)  # (source_id, rated_at, score)
    cases: dict[str, dict] = field(default_factory=dict)  # case_id -> column: value
    clocks: dict[tuple, dict] = field(default_factory=dict)  # (case, clock, seg) -> ...
    officer_month: dict[tuple, dict] = field(default_factory=dict)  # (nip, month) -> ...
    unit_month: dict[tuple, dict] = field(default_factory=dict)  # (unit, month) -> ...


def complaint(source_id, received_at, **extra) -> dict:
    return {
        "source_id": source_id,
        "channel": "lapor",
        "received_at": received_at,
        "category": "jalan_rusak",
        "complaint_class": "pengaduan",
        "district": "Tembalang",
        "village": "Bulusan",
        **extra,
    }


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# fmt: off
SCENARIOS = [
    Scenario(
        name="lebaran_2025_worked_example",
        # received Thu 27 Mar 10:00; working days after: 08 Apr(1), 09(2), 10(3), 11(4)
        complaints=[complaint("A", "2025-03-27 10:00:00"), complaint("B", "2025-03-27 10:00:00",
                                                                     village="Meteseh")],
        events=[
            ("A", "2025-03-27 11:00:00", "verified", "KOMINFO", ADMIN),
            ("A", "2025-04-10 16:59:00", "forwarded", "DPU", BUDI),
            ("B", "2025-03-27 11:00:00", "verified", "KOMINFO", ADMIN),
            ("B", "2025-04-11 08:00:00", "forwarded", "DPU", BUDI),
        ],
        as_of="2025-04-30",
        cases={
            "s:A": {"forwarding_wd": 3, "forwarding_met": True},
            "s:B": {"forwarding_wd": 4, "forwarding_met": False},
        },
        # both forwarding deadlines fall due on 10 April, both credited to the admin
        unit_month={("KOMINFO", "2025-04"): {"forwarding_due": 2, "forwarding_met": 1}},
        officer_month={
            # two segments started with Budi in April; response due 5 wd after 10 / 11 Apr
            # = 17 Apr (14,15,16,17 + 11) and 22 Apr (14,15,16,17,21): both past, unanswered
            (BUDI, "2025-04"): {"received": 2, "response_due": 2, "response_met": 0,
                                "backlog_end": 2},
        },
    ),
    Scenario(
        name="receipt_on_weekend_met_exactly_on_deadline",
        # Sat 14 Jun 09:00. After it: Jun 16-20 (1-5), 23-26 (6-9; 27 Jun Islamic New Year),
        # 30 Jun (10), Jul 1-4 (11-14)
        complaints=[complaint("W", "2025-06-14 09:00:00")],
        events=[
            ("W", "2025-06-16 08:00:00", "forwarded", "DPU", BUDI),
            ("W", "2025-06-16 10:00:00", "responded", "DPU", BUDI),
            ("W", "2025-07-04 15:00:00", "resolved", "DPU", BUDI),
        ],
        as_of="2025-08-31",
        cases={"s:W": {"forwarding_wd": 1, "resolution_wd": 14, "resolution_due_wd": 14,
                       "resolution_due_date": d("2025-07-04"), "resolution_met": True,
                       "resolution_judged_month": "2025-07"}},
    ),
    Scenario(
        name="receipt_on_a_holiday",
        # Sun 17 Aug (Independence Day), Mon 18 Aug cuti bersama: Tue 19 Aug is day 1
        complaints=[complaint("H", "2025-08-17 09:00:00")],
        events=[("H", "2025-08-19 16:00:00", "forwarded", "DPU", BUDI)],
        as_of="2025-08-31",
        cases={"s:H": {"forwarding_wd": 1, "forwarding_met": True}},
    ),
    Scenario(
        name="same_day_action",
        complaints=[complaint("S", "2025-06-16 08:00:00")],
        events=[
            ("S", "2025-06-16 09:00:00", "forwarded", "DPU", BUDI),
            ("S", "2025-06-16 11:00:00", "responded", "DPU", BUDI),
            ("S", "2025-06-16 15:00:00", "resolved", "DPU", BUDI),
        ],
        as_of="2025-08-31",
        cases={"s:S": {"forwarding_wd": 0, "resolution_wd": 0, "resolution_met": True}},
        clocks={("s:S", "response", 1): {"elapsed_wd": 0, "met": True}},
        officer_month={(BUDI, "2025-06"): {"resolved": 1, "resolution_wd_median": 0.0}},
    ),
    Scenario(
        name="six_day_unit",
        # Mon 14 Apr at a Mon-Sat puskesmas: 15,16,17 (1-3), 18 Good Friday, Sat 19 (4),
        # 21-26 (5-10), 28,29,30 (11-13), 1 May holiday, Fri 2 May (14), Sat 3 May (15)
        complaints=[complaint("P", "2025-04-14 08:00:00", category="puskesmas")],
        events=[
            ("P", "2025-04-14 09:00:00", "forwarded", "PKM-A", CITRA),
            ("P", "2025-04-19 09:00:00", "responded", "PKM-A", CITRA),
            ("P", "2025-05-03 10:00:00", "resolved", "PKM-A", CITRA),
        ],
        as_of="2025-06-30",
        cases={"s:P": {"resolution_wd": 15, "resolution_due_date": d("2025-05-02"),
                       "resolution_met": False, "resolution_judged_month": "2025-05",
                       "credited_officer_nip": CITRA}},
        clocks={("s:P", "response", 1): {"elapsed_wd": 4, "met": True}},
        unit_month={("PKM-A", "2025-05"): {"resolution_due": 1, "resolution_met": 0,
                                           "resolved": 1, "resolution_wd_median": 15.0}},
    ),
    Scenario(
        name="wita_tenant_near_midnight",
        tz="Asia/Makassar",
        # 30 Jun 23:30 WIB is Tue 1 Jul 00:30 WITA: the day of receipt is 1 July.
        # After it: 02(1), 03(2), 04(3), 07(4).
        complaints=[complaint("M", "2025-06-30T23:30:00+07:00"),
                    complaint("N", "2025-06-30T23:30:00+07:00", village="Meteseh")],
        events=[
            # local time (no offset): Fri 4 Jul 23:59 WITA -> 3 working days, met
            ("M", "2025-07-04 23:59:00", "forwarded", "DPU", BUDI),
            # 6 Jul 16:30 UTC is Mon 7 Jul 00:30 WITA (still Sunday in UTC): 4, missed
            ("N", "2025-07-06T16:30:00Z", "forwarded", "DPU", BUDI),
        ],
        as_of="2025-07-31",
        cases={
            "s:M": {"received_at": dt.datetime(2025, 7, 1, 0, 30), "forwarding_wd": 3,
                    "forwarding_met": True},
            "s:N": {"forwarding_wd": 4, "forwarding_met": False},
        },
    ),
    Scenario(
        name="clarification_pause",
        # Mon 7 Jul 09:00. After it: 08(1), 09(2), 10..16 (3-7), 17(8), 18(9), 21(10),
        # 22..25 (11-14), 28..31 (15-18), Fri 1 Aug (19). Paused (09 Jul, 16 Jul]:
        # 10, 11, 14, 15, 16 = 5 working days, not counted and pushing deadlines back.
        complaints=[complaint("C", "2025-07-07 09:00:00", category="sampah")],
        events=[
            ("C", "2025-07-07 10:00:00", "forwarded", "DLH", DEWI),
            ("C", "2025-07-09 10:00:00", "clarification_requested", "DLH", DEWI),
            ("C", "2025-07-16 10:00:00", "clarified", "DLH", DEWI),
            ("C", "2025-07-17 10:00:00", "responded", "DLH", DEWI),
            ("C", "2025-07-25 10:00:00", "resolved", "DLH", DEWI),
        ],
        as_of="2025-09-30",
        # resolution: 14 elapsed - 5 paused = 9; deadline 14 + 5 = 19th day = 1 Aug
        cases={"s:C": {"resolution_wd": 9, "paused_wd": 5, "resolution_met": True,
                       "resolution_due_date": d("2025-08-01"),
                       "resolution_judged_month": "2025-08"}},
        # response: the request is not a response; 8 - 5 = 3; due 5 + 5 = 10th day = 21 Jul
        clocks={("s:C", "response", 1): {"elapsed_wd": 3, "paused_wd": 5, "met": True,
                                          "due_date": d("2025-07-21")}},
    ),
    Scenario(
        name="reassignment_starts_a_new_response_clock",
        # Mon 1 Sep. 5 Sep is Maulid. After 1 Sep: 02(1), 03(2), 04(3), 08(4) ... 12(8),
        # 15(9) ... 19(13), 22(14). After 4 Sep: 08(1) ... 11(4), 12(5), 15(6).
        complaints=[complaint("R", "2025-09-01 08:00:00", category="sampah")],
        events=[
            ("R", "2025-09-01 09:00:00", "forwarded", "DPU", BUDI),
            ("R", "2025-09-04 10:00:00", "reassigned", "DLH", DEWI),  # bukan wewenang
            ("R", "2025-09-15 10:00:00", "responded", "DLH", DEWI),
            ("R", "2025-09-19 10:00:00", "resolved", "DLH", DEWI),
        ],
        as_of="2025-11-30",
        clocks={
            # Budi's clock ends when he passes the case on: 3 working days, met
            ("s:R", "response", 1): {"elapsed_wd": 3, "met": True},
            # Dewi's starts at the reassignment: 6 working days, due 12 Sep, missed
            ("s:R", "response", 2): {"elapsed_wd": 6, "met": False,
                                     "due_date": d("2025-09-12")},
        },
        cases={"s:R": {"resolution_wd": 13, "resolution_met": True, "unit_code": "DLH",
                       "credited_officer_nip": DEWI, "transfers": 2}},
        officer_month={
            (BUDI, "2025-09"): {"received": 1, "response_due": 1, "response_met": 1,
                                "resolution_due": 0, "resolved": 0},
            (DEWI, "2025-09"): {"received": 1, "response_due": 1, "response_met": 0,
                                "resolution_due": 1, "resolution_met": 1, "resolved": 1},
        },
    ),
    Scenario(
        name="reopen_after_resolution",
        # Mon 6 Oct. After it: 07(1), 08(2), 09..17 (3-9), 20(10), 21..24 (11-14)
        complaints=[complaint("O", "2025-10-06 08:00:00")],
        events=[
            ("O", "2025-10-06 09:00:00", "forwarded", "DPU", BUDI),
            ("O", "2025-10-07 09:00:00", "responded", "DPU", BUDI),
            ("O", "2025-10-08 09:00:00", "resolved", "DPU", BUDI),
            ("O", "2025-10-20 09:00:00", "reopened", "DPU", BUDI),
            ("O", "2025-10-24 09:00:00", "resolved", "DPU", BUDI),
        ],
        as_of="2025-12-31",
        ratings=[("O", "2025-10-25 09:00:00", 2)],
        # the first resolution was undone: the clock runs to the final one, 14: met
        cases={"s:O": {"resolution_wd": 14, "resolution_met": True, "reopen_count": 1,
                       "resolved_at": dt.datetime(2025, 10, 24, 9), "status": "resolved"}},
        # two resolutions in October, one reopened within 30 days: 1/2. Rating 2 is the
        # tenant's only rating: mu = 2, shrunk = (2 + 10 * 2) / 11 = 2
        officer_month={(BUDI, "2025-10"): {"resolved": 1, "reopen_rate": 0.5, "ratings_n": 1,
                                           "satisfaction_mean": 2.0,
                                           "satisfaction_shrunk": 2.0}},
    ),
    Scenario(
        name="open_past_deadline_at_month_end",
        # Mon 3 Nov. After it: 04..07 (1-4), 10..14 (5-9), 17..21 (10-14): due Fri 21 Nov
        complaints=[complaint("X", "2025-11-03 08:00:00", category="sampah")],
        events=[
            ("X", "2025-11-03 09:00:00", "forwarded", "DLH", DEWI),
            ("X", "2025-11-04 09:00:00", "responded", "DLH", DEWI),
        ],
        as_of="2025-12-31",
        cases={"s:X": {"status": "in_progress", "resolution_due_date": d("2025-11-21"),
                       "resolution_met": False, "resolution_judged_month": "2025-11",
                       "credited_officer_nip": DEWI}},
        unit_month={
            ("DLH", "2025-11"): {"resolution_due": 1, "resolution_met": 0, "backlog_end": 1,
                                 "overdue_backlog_end": 1},
            # still open and overdue at the end of December, judged only once (November)
            ("DLH", "2025-12"): {"resolution_due": 0, "backlog_end": 1,
                                 "overdue_backlog_end": 1},
        },
    ),
    Scenario(
        name="deadline_falls_in_the_next_month",
        # Mon 24 Nov. After it: 25..28 (1-4), Dec 1..5 (5-9), 8..12 (10-14): due 12 Dec.
        # Resolved Fri 28 Nov: 4 working days. Duration counts in November (resolved);
        # the deadline is judged in December (due).
        complaints=[complaint("N", "2025-11-24 08:00:00")],
        events=[
            ("N", "2025-11-24 09:00:00", "forwarded", "DPU", BUDI),
            ("N", "2025-11-28 09:00:00", "resolved", "DPU", BUDI),
        ],
        as_of="2026-01-31",
        cases={"s:N": {"resolution_wd": 4, "resolution_due_date": d("2025-12-12"),
                       "resolution_judged_month": "2025-12"}},
        officer_month={
            (BUDI, "2025-11"): {"resolved": 1, "resolution_wd_median": 4.0,
                                "resolution_due": 0},
            (BUDI, "2025-12"): {"resolved": 0, "resolution_due": 1, "resolution_met": 1},
        },
    ),
    Scenario(
        name="same_complaint_through_two_channels_counts_once",
        # WhatsApp Mon 2 Jun 08:00, LAPOR! Tue 3 Jun 09:00: same reporter, category, place.
        # The clock starts at the earliest receipt. After 2 Jun: 03(1), 04(2), 05(3),
        # 6 Jun Idul Adha, 9 Jun cuti, 10(4).
        complaints=[
            complaint("WA1", "2025-06-02 08:00:00", channel="whatsapp", reporter_id="0812-1"),
            complaint("LP1", "2025-06-03 09:00:00", reporter_id="0812-1"),
        ],
        events=[
            ("LP1", "2025-06-03 10:00:00", "forwarded", "DPU", BUDI),
            ("LP1", "2025-06-10 10:00:00", "resolved", "DPU", BUDI),
        ],
        as_of="2025-08-31",
        cases={"s:LP1": {"channels": ["lapor", "whatsapp"], "member_count": 2,
                         "received_at": dt.datetime(2025, 6, 2, 8), "resolution_wd": 4}},
        officer_month={(BUDI, "2025-06"): {"received": 1, "resolved": 1}},
    ),
    Scenario(
        name="forwarded_to_a_unit_without_an_officer",
        # Mon 16 Jun 08:00, forwarded to DPU the same morning naming no officer; Budi is the
        # first officer who acts in the segment, so he holds it. After 16 Jun: 17(1), 18(2)
        complaints=[complaint("N", "2025-06-16 08:00:00")],
        events=[
            ("N", "2025-06-16 08:30:00", "verified", "KOMINFO", ADMIN),
            ("N", "2025-06-16 10:00:00", "forwarded", "DPU", ""),
            ("N", "2025-06-18 09:00:00", "responded", "DPU", BUDI),
            ("N", "2025-06-20 15:00:00", "resolved", "DPU", BUDI),
        ],
        as_of="2025-08-31",
        cases={"s:N": {"officer_nip": BUDI, "credited_officer_nip": BUDI, "resolution_wd": 4}},
        clocks={
            ("s:N", "forwarding", 0): {"elapsed_wd": 0, "met": True,
                                       "holder_unit_code": "KOMINFO",
                                       "holder_officer_nip": ADMIN},
            ("s:N", "response", 1): {"elapsed_wd": 2, "met": True, "holder_unit_code": "DPU",
                                     "holder_officer_nip": BUDI},
        },
        officer_month={(BUDI, "2025-06"): {"received": 1, "response_due": 1,
                                           "response_met": 1, "resolved": 1}},
    ),
]
# fmt: on


def write_home(root: Path, scenario: Scenario) -> Home:
    (root / "reference").mkdir(parents=True)
    (root / "sources" / "s").mkdir(parents=True)
    (root / "tenant.yaml").write_text(
        f"name: Kota Uji\ncode: uji\ntimezone: {scenario.tz}\nas_of: {scenario.as_of}\n"
    )
    (root / "secret.key").write_text("hand-cases")

    def write(path: Path, header: list[str], rows: list) -> None:
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)

    write(
        root / "reference/units.csv",
        ["unit_code", "name", "kind", "parent_code", "workweek", "valid_from", "valid_to"],
        [(*u, "2015-01-01", "") for u in UNITS],
    )
    write(
        root / "reference/officers.csv",
        ["nip", "name", "unit_code", "position", "grade", "valid_from", "valid_to"],
        [(n, name, u, "Staf", "III/a", "2015-01-01", "") for n, name, u in OFFICERS],
    )
    write(
        root / "reference/calendar_overrides.csv",
        ["date", "is_working_day", "note", "applies_to"],
        [],
    )
    columns = [
        "source_id",
        "channel",
        "received_at",
        "category",
        "complaint_class",
        "district",
        "village",
        "reporter_id",
    ]
    write(
        root / "sources/s/complaints.csv",
        columns,
        [[c.get(k, "") for k in columns] for c in scenario.complaints],
    )
    write(
        root / "sources/s/events.csv",
        ["source_id", "event_at", "event_type", "unit_code", "officer_nip"],
        scenario.events,
    )
    write(root / "sources/s/ratings.csv", ["source_id", "rated_at", "score"], scenario.ratings)
    return Home(root)


def check_rows(con, table: str, keys: tuple[str, ...], expected: dict) -> None:
    for key, wanted in expected.items():
        key = key if isinstance(key, tuple) else (key,)
        where = " AND ".join(f"{k} = ${k}" for k in keys)
        names = ", ".join(wanted)
        rows = con.execute(
            f"SELECT {names} FROM {table} WHERE {where}", dict(zip(keys, key, strict=True))
        ).fetchall()
        assert len(rows) == 1, f"{table} {key}: {len(rows)} rows"
        got = dict(zip(wanted, rows[0], strict=True))
        assert got == wanted, f"{table} {key}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_hand_worked_case(tmp_path, scenario):
    home = write_home(tmp_path / "home", scenario)
    con = connect(home.warehouse_path)
    try:
        params = {**RaporHome(path=str(home.root)).sql_params(), "run_id": "test"}
        build(con, params, lambda c: load_home_inputs(home, c))
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
        check_rows(con, "cases", ("case_id",), scenario.cases)
        con.execute(
            "CREATE TEMP VIEW case_clocks AS "
            "SELECT c.case_id, k.* FROM clocks AS k JOIN cases AS c USING (case_key)"
        )
        check_rows(con, "case_clocks", ("case_id", "clock", "segment_no"), scenario.clocks)
        check_rows(con, "officer_month", ("officer_nip", "month"), scenario.officer_month)
        check_rows(con, "unit_month", ("unit_code", "month"), scenario.unit_month)
    finally:
        con.close()
