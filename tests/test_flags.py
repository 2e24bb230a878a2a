"""Gaming and anomaly flags, hand-worked: one small tenant where each case is built to raise
one flag (or, as a control, none), through the real engine.

Calendar facts used (2025, 5-day week): 16-20 and 23-27 June are working days (27 June is
Islamic New Year: not one), 7-11 and 14 July are working days.
"""

from __future__ import annotations

import csv

import duckdb

from pipelines.engine import build, load_home_inputs
from pipelines.resources import RaporHome
from pipelines.warehouse import connect
from tests.test_metrics_hand_cases import ADMIN, BUDI, DEWI, Scenario, complaint, write_home

LONG = "Jalan sudah ditambal oleh tim UPTD pagi ini."  # a real response text
INFO = {"complaint_class": "permintaan_informasi"}  # 5 working days to resolve

# (case, event_at, event_type, unit, officer, note)
EVENTS = [
    # closed with a template note, with no note, and (control) with a real one
    ("T1", "2025-06-16 09:00:00", "forwarded", "DPU", BUDI, ""),
    ("T1", "2025-06-18 10:00:00", "resolved", "DPU", BUDI, "Selesai"),
    ("T2", "2025-06-16 09:00:00", "forwarded", "DPU", BUDI, ""),
    ("T2", "2025-06-18 10:00:00", "resolved", "DPU", BUDI, LONG),
    ("T3", "2025-06-16 09:00:00", "forwarded", "DPU", BUDI, ""),
    ("T3", "2025-06-19 10:00:00", "resolved", "DPU", BUDI, ""),
    # resolved three times, reopened twice
    ("R1", "2025-06-16 09:00:00", "forwarded", "DPU", BUDI, ""),
    ("R1", "2025-06-17 10:00:00", "resolved", "DPU", BUDI, LONG),
    ("R1", "2025-06-18 10:00:00", "reopened", "", "", "belum beres"),
    ("R1", "2025-06-19 10:00:00", "resolved", "DPU", BUDI, LONG),
    ("R1", "2025-06-20 10:00:00", "reopened", "", "", "masih rusak"),
    ("R1", "2025-06-23 10:00:00", "resolved", "DPU", BUDI, LONG),
    # resolved, but the citizen says it is not fixed
    ("N1", "2025-06-16 09:00:00", "forwarded", "DPU", BUDI, ""),
    ("N1", "2025-06-17 10:00:00", "resolved", "DPU", BUDI, LONG),
    # passed DPU -> DLH -> DPU
    ("P1", "2025-06-16 09:00:00", "forwarded", "DPU", BUDI, ""),
    ("P1", "2025-06-17 09:00:00", "reassigned", "DLH", DEWI, "bukan wewenang"),
    ("P1", "2025-06-18 09:00:00", "reassigned", "DPU", BUDI, "kembalikan"),
    # information request received Mon 16 Jun: due 23 Jun (17, 18, 19, 20, 23). Asking the
    # citizen on Fri 20 Jun, the last working day before it, is flagged; (control) on
    # Wed 18 Jun it is not
    ("L1", "2025-06-16 09:00:00", "forwarded", "DPU", BUDI, ""),
    ("L1", "2025-06-20 15:00:00", "clarification_requested", "DPU", BUDI, "mohon foto"),
    ("L1", "2025-06-24 09:00:00", "clarified", "", "", ""),
    ("L1", "2025-06-25 10:00:00", "resolved", "DPU", BUDI, LONG),
    ("L2", "2025-06-16 09:00:00", "forwarded", "DPU", BUDI, ""),
    ("L2", "2025-06-18 15:00:00", "clarification_requested", "DPU", BUDI, "mohon foto"),
    ("L2", "2025-06-19 09:00:00", "clarified", "", "", ""),
    ("L2", "2025-06-20 10:00:00", "resolved", "DPU", BUDI, LONG),
    # archived by the admin as a duplicate, but nothing was merged with it
    ("D1", "2025-06-16 10:00:00", "archived", "KOMINFO", ADMIN, "Laporan ganda"),
    # Dewi: five information requests received Mon 7 Jul, due Mon 14 Jul (8, 9, 10, 11,
    # 14); three resolved on the due date, two on Wed 9 Jul: 3 of 5 >= half
    *[(b, "2025-07-07 09:00:00", "forwarded", "DLH", DEWI, "") for b in
      ("B1", "B2", "B3", "B4", "B5")],
    *[(b, "2025-07-14 15:00:00", "resolved", "DLH", DEWI, LONG) for b in ("B1", "B2", "B3")],
    *[(b, "2025-07-09 15:00:00", "resolved", "DLH", DEWI, LONG) for b in ("B4", "B5")],
]  # fmt: skip

COMPLAINTS = [
    complaint(c, received, reporter_id=f"08{i:09d}", **(INFO if c[0] in "LB" else {}))
    for i, (c, received) in enumerate(
        [("T1", "2025-06-16 08:00:00"), ("T2", "2025-06-16 08:00:00"),
         ("T3", "2025-06-16 08:00:00"), ("R1", "2025-06-16 08:00:00"),
         ("N1", "2025-06-16 08:00:00"), ("P1", "2025-06-16 08:00:00"),
         ("L1", "2025-06-16 08:00:00"), ("L2", "2025-06-16 08:00:00"),
         ("D1", "2025-06-16 08:00:00"),
         *[(b, "2025-07-07 08:00:00") for b in ("B1", "B2", "B3", "B4", "B5")]]
    )
]  # fmt: skip

EXPECTED = {
    ("2025-06", "s:T1", BUDI, "closed_without_text",
     'diselesaikan pada 2025-06-18 10:00 hanya dengan "Selesai" sebagai tanggapan'),
    ("2025-06", "s:T3", BUDI, "closed_without_text",
     "diselesaikan pada 2025-06-19 10:00 tanpa teks tanggapan"),
    ("2025-06", "s:R1", BUDI, "reopen_loop", "dibuka kembali 2 kali, terakhir pada 2025-06-20"),
    ("2025-06", "s:N1", BUDI, "rated_not_fixed",
     "ditandai selesai pada 2025-06-17; penilaian warga tanggal 2025-06-20 (skor 2) "
     "menyatakan masalahnya belum teratasi"),
    ("2025-06", "s:P1", BUDI, "ping_pong", "berpindah antarunit 3 kali: DPU -> DLH -> DPU"),
    ("2025-06", "s:L1", BUDI, "late_clarification",
     "klarifikasi diminta pada 2025-06-20, pada hari kerja terakhir sebelum tenggat "
     "penyelesaian atau sesudahnya (tenggat 2025-06-23 sebelum jeda)"),
    ("2025-06", "s:D1", ADMIN, "archived_as_duplicate",
     'diarsipkan pada 2025-06-16 sebagai "Laporan ganda", tetapi tidak ada pengaduan lain '
     "yang digabung dengannya"),
    *{("2025-07", f"s:{b}", DEWI, "deadline_bunching",
       "diselesaikan tepat pada tanggal tenggatnya 2025-07-14; 3 dari 5 penyelesaian pegawai "
       "ini pada 2025-07 jatuh pada tanggal tenggatnya") for b in ("B1", "B2", "B3")},
}  # fmt: skip


def write_events(home, events: list[tuple]) -> None:
    """The scenario's events with their notes (write_home writes none)."""
    with open(home.sources_dir / "s" / "events.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source_id", "event_at", "event_type", "unit_code", "officer_nip", "note"])
        w.writerows(events)


def test_each_flag_on_its_hand_made_case(tmp_path):
    scenario = Scenario(name="flags", complaints=COMPLAINTS, events=[], as_of="2025-08-31")
    home = write_home(tmp_path / "home", scenario)
    source = home.sources_dir / "s"
    write_events(home, EVENTS)
    with open(source / "ratings.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source_id", "rated_at", "score", "resolved"])
        w.writerows([("N1", "2025-06-20 10:00:00", 2, "false"),
                     ("T2", "2025-06-20 10:00:00", 5, "true")])  # fmt: skip
    con = connect(home.warehouse_path)
    try:
        params = {**RaporHome(path=str(home.root)).sql_params(), "run_id": "test"}
        build(con, params, lambda c: load_home_inputs(home, c))
        assert con.execute("SELECT count(*) FROM quarantine").fetchall() == [(0,)]
        got = set(
            con.execute("SELECT month, case_id, officer_nip, flag, detail FROM flags").fetchall()
        )
    finally:
        con.close()
    assert got == EXPECTED


def test_flags_are_published_with_case_ids(demo_home):
    con = duckdb.connect(str(demo_home / "serving" / "rapor.duckdb"), read_only=True)
    try:
        columns = [r[0] for r in con.execute("DESCRIBE flags").fetchall()]
        orphans = con.execute(
            "SELECT count(*) FROM flags ANTI JOIN cases USING (case_id)"
        ).fetchall()
    finally:
        con.close()
    assert columns[:6] == ["tenant", "month", "case_id", "officer_nip", "flag", "detail"]
    assert orphans == [(0,)]


# --- recommendations ------------------------------------------------------------------------

REC_EVENTS = [
    # Budi misses both deadlines of one case in each of March, April and May 2025: each
    # deadline falls due in its month (M3: response 10 Mar, resolution 21 Mar; M4: 15 and
    # 29 Apr; M5: 9 and 26 May), nothing is ever answered
    ("M3", "2025-03-03 09:00:00", "forwarded", "DPU", BUDI, ""),
    ("M4", "2025-04-08 09:00:00", "forwarded", "DPU", BUDI, ""),
    ("M5", "2025-05-02 09:00:00", "forwarded", "DPU", BUDI, ""),
    # Dewi answers and resolves hers at once: response due 15 Apr, resolution 29 Apr
    ("G4", "2025-04-08 09:00:00", "forwarded", "DLH", DEWI, ""),
    ("G4", "2025-04-08 10:00:00", "responded", "DLH", DEWI, "Segera kami tangani."),
    ("G4", "2025-04-09 10:00:00", "resolved", "DLH", DEWI, LONG),
]


def recommendation_home(root):
    """The recommendations scenario (REC_EVENTS) written into `root`, with a policy that
    rates on a single judged deadline (the default asks for 10), so that a handful of cases
    shows every kind of recommendation."""
    import yaml

    from pipelines.policy import DEFAULT_POLICY

    received = {"M3": "2025-03-03 08:00:00", "M4": "2025-04-08 08:00:00",
                "M5": "2025-05-02 08:00:00", "G4": "2025-04-08 08:00:00"}  # fmt: skip
    scenario = Scenario(
        name="recommendations",
        complaints=[complaint(c, t, reporter_id=f"0812{i}") for i, (c, t) in
                    enumerate(received.items())],
        events=[],
        as_of="2025-09-30",
    )  # fmt: skip
    home = write_home(root, scenario)
    write_events(home, REC_EVENTS)
    policy = yaml.safe_load(DEFAULT_POLICY.read_text())
    policy["rating"]["min_judged_deadlines"] = 1
    policy["rating"]["max_interval_width"] = 1.0
    home.policy_file.write_text(yaml.safe_dump(policy))
    return home


def build_home(home, query: str, query_params: dict | None = None) -> list[tuple]:
    """Run the engine over `home`'s inputs and return `query` on the warehouse."""
    con = connect(home.warehouse_path)
    try:
        params = {**RaporHome(path=str(home.root)).sql_params(), "run_id": "test"}
        build(con, params, lambda c: load_home_inputs(home, c))
        return con.execute(query, query_params).fetchall()
    finally:
        con.close()


def test_recommendations_cite_numbers_thresholds_and_cases(tmp_path):
    got = build_home(
        recommendation_home(tmp_path / "home"),
        "SELECT month, officer_nip, kind, reasons, evidence_case_ids, evidence_cases "
        "FROM recommendations ORDER BY month, officer_nip, kind",
    )
    # Wilson 95 % interval: 0 of 1 -> 0-79 %, 1 of 1 -> 21-100 %
    below = (
        "Hasil kerja di bawah ekspektasi: skor 0,0 (di bawah ambang 60); penyelesaian tepat "
        "waktu 0 dari 1 tenggat (0 %, IK 95 % 0–79 %); tanggapan tepat waktu 0 dari 1 "
        "tenggat (0 %). Tenggat yang terlewat: 1 kasus."
    )
    assert got == [
        ("2025-03", BUDI, "coaching", below, ["s:M3"], 1),
        ("2025-04", BUDI, "coaching", below, ["s:M4"], 1),
        ("2025-04", DEWI, "reward_candidate",
         "Hasil kerja di atas ekspektasi: skor 100,0 (ambang kebijakan 85); penyelesaian "
         "tepat waktu 1 dari 1 tenggat (100 %, IK 95 % 21–100 %); tanggapan tepat waktu 1 "
         "dari 1 tenggat (100 %). Tidak ada tanda anomali bulan ini.", ["s:G4"], 1),
        ("2025-05", BUDI, "coaching", below, ["s:M5"], 1),
        ("2025-05", BUDI, "inspectorate_review",
         "Di bawah ekspektasi 3 bulan berturut-turut (2025-03, 2025-04, 2025-05; skor "
         "0,0 / 0,0 / 0,0; ambang kebijakan 3 bulan).", ["s:M5"], 1),
    ]  # fmt: skip
