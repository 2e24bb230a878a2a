"""Frozen, versioned publications (docs/publications.md) through real Dagster runs on the
hand-made Kota Uji home.

The moved numbers below were worked out by hand from tests/fixtures/kota_uji (see
tests/test_pipeline_fixture.py for the calendar reasoning), not computed by the code.
"""

import hashlib

import yaml

from pipelines.policy import DEFAULT_POLICY
from pipelines.runner import run_pipeline
from tests.conftest import read_snapshot

BUDI = "199001012015032002"  # DPU
CITRA = "199202022018011003"  # Puskesmas A (Mon-Sat week)
MONTHS = ["2025-03", "2025-04", "2025-05"]
# C3 (received Mon 14 Apr at PKM-A, due Fri 2 May, never resolved in the fixture) resolved
# late on Tue 20 May: data row 9 of events.csv (8 data rows before it)
LATE_RESOLUTION = "C3,2025-05-20 10:00:00,resolved,PKM-A,199202022018011003,selesai\n"


def publications(home) -> list[tuple]:
    return read_snapshot(
        home,
        "SELECT month, version, supersedes, snapshot_hash, input_fingerprint, policy_hash, "
        "calendar_hash, provisional, change_summary FROM publications ORDER BY month, version",
    )


def latest(home) -> dict[str, tuple]:
    return {row[0]: row for row in publications(home)}  # ordered: the last version wins


def test_same_inputs_same_snapshot_hash_and_no_new_version(uji_home):
    first = run_pipeline(uji_home)
    assert first.publications == [("2025-03", 1, False), ("2025-04", 1, False),
                                   ("2025-05", 1, True)]  # fmt: skip
    before = publications(uji_home)
    assert [(m, v, s) for m, v, s, *_ in before] == [(m, 1, None) for m in MONTHS]
    for month, _, _, snap, inputs, policy, calendar, provisional, summary in before:
        assert len(snap) == len(inputs) == len(policy) == len(calendar) == 64  # sha256 hex
        # as_of 2025-05-31: May's 30-day windows are still open, so May is provisional
        assert provisional == (month == "2025-05")
        assert summary.startswith(f"Publikasi pertama bulan {month}.")
        assert ("provisional" in summary) == provisional
    # three months hold different numbers, so three different hashes
    assert len({row[3] for row in before}) == 3
    # the input fingerprint (computed in the warehouse for all months at once) is, as
    # docs/publications.md defines it, the SHA-256 of the month's distinct input row
    # hashes, sorted, joined with commas, then "|" and the reference hash; input_rows
    # counts them. Worked out here in Python from the frozen publication_inputs.
    for month, fingerprint, count, reference in read_snapshot(
        uji_home,
        "SELECT month, input_fingerprint, input_rows, reference_hash FROM publications",
    ):
        hashes = {h for (h,) in read_snapshot(
            uji_home, "SELECT row_hash FROM publication_inputs WHERE month = $m", {"m": month}
        )}  # fmt: skip
        text = ",".join(sorted(hashes)) + "|" + reference
        assert fingerprint == hashlib.sha256(text.encode()).hexdigest(), month
        assert count == len(hashes) > 0, month

    second = run_pipeline(uji_home)
    assert second.publications == []
    assert publications(uji_home) == before  # same hashes, still version 1, no new row
    (frozen,) = read_snapshot(uji_home, "SELECT count(*) FROM published_officer_month")
    assert frozen == (5,)  # the five officer_month rows of version 1, not copied twice


def test_late_event_makes_a_new_version_naming_what_moved_and_why(uji_home):
    run_pipeline(uji_home)
    v1 = latest(uji_home)
    with open(uji_home.sources_dir / "s1" / "events.csv", "a") as f:
        f.write(LATE_RESOLUTION)
    summary = run_pipeline(uji_home)
    assert summary.publications == [("2025-05", 2, True)]
    now = latest(uji_home)
    # March and April: same numbers, so still version 1 with the same hash
    for month in ("2025-03", "2025-04"):
        assert now[month] == v1[month]
    month, version, supersedes, snap, fingerprint, policy, calendar, _, text = now["2025-05"]
    assert (version, supersedes) == (2, 1)
    assert snap != v1["2025-05"][3] and fingerprint != v1["2025-05"][4]
    assert (policy, calendar) == (v1["2025-05"][5], v1["2025-05"][6])
    # Citra's May: C3 now resolved (late: due 2 May, so resolution_met stays 0), leaving no
    # backlog; 14 Apr -> 20 May on the Mon-Sat calendar: 14 working days to 2 May, Sat 3 May
    # (15), 5-10 May (21), 12 Waisak and 13 cuti bersama, 14-17 May (25), 19-20 May (27)
    assert (
        f"ASN {CITRA} PKM-A: resolved 0 → 1, resolution_wd_median kosong → 27.0, "
        "resolution_wd_p90 kosong → 27.0, backlog_end 1 → 0, overdue_backlog_end 1 → 0"
    ) in text
    assert "SKPD PKM-A: resolved 0 → 1" in text
    assert "pemda: resolved 0 → 1" in text
    assert "resolution_met" not in text  # did not move
    assert "Budi" not in text and "199001012015032002" not in text  # Budi has no May row
    assert (
        "1 baris input baru atau berubah: events s1/events.csv baris 9 "
        f"(C3 resolved 2025-05-20 10:00:00 PKM-A {CITRA})"
    ) in text
    assert "kebijakan" not in text and "provisional" in text

    # the old version stays readable with its old numbers, the new one beside it
    rows = read_snapshot(
        uji_home,
        "SELECT version, resolved, backlog_end, overdue_backlog_end, resolution_wd_median "
        "FROM published_officer_month WHERE month = '2025-05' AND officer_nip = $nip "
        "ORDER BY version",
        {"nip": CITRA},
    )
    assert rows == [(1, 0, 1, 1, None), (2, 1, 0, 0, 27.0)]
    units = read_snapshot(
        uji_home,
        "SELECT version, month, unit_code, resolved FROM published_unit_month "
        "ORDER BY version, month, unit_code",
    )
    assert units == [
        (1, "2025-03", "KOMINFO", 0), (1, "2025-04", "DPU", 1), (1, "2025-04", "KOMINFO", 0),
        (1, "2025-04", "PKM-A", 0), (1, "2025-05", "PKM-A", 0), (2, "2025-05", "PKM-A", 1),
    ]  # fmt: skip
    # the inspectorate's flags are frozen the same way: C1's (Budi resolved it on 15 Apr
    # with only the template note "selesai") stays April's version 1; C3's late resolution,
    # also "selesai", is a new row of May's version 2 and is named in its summary
    c1_flag = 'diselesaikan pada 2025-04-15 09:00 hanya dengan "selesai" sebagai tanggapan'
    c3_flag = 'diselesaikan pada 2025-05-20 10:00 hanya dengan "selesai" sebagai tanggapan'
    flags = read_snapshot(
        uji_home,
        "SELECT version, month, case_id, flag, officer_nip, unit_code, detail "
        "FROM published_flags ORDER BY ALL",
    )
    # C3 missed its 2 May deadline while one of its events (row 7, a 16-digit NIP) sits in
    # quarantine: May's versions both carry that data-problem flag (docs/quality.md)
    c3_data = (
        "tenggat penyelesaian 2025-05-02 terlewat, tetapi 1 peristiwa kasus ini dikarantina: "
        "masalah data, bukan (hanya) keterlambatan petugas"
    )
    assert flags == [
        (1, "2025-04", "s1:C1", "closed_without_text", BUDI, "DPU", c1_flag),
        (1, "2025-05", "s1:C3", "missed_deadline_data_problem", CITRA, "PKM-A", c3_data),
        (2, "2025-05", "s1:C3", "closed_without_text", CITRA, "PKM-A", c3_flag),
        (2, "2025-05", "s1:C3", "missed_deadline_data_problem", CITRA, "PKM-A", c3_data),
    ]
    assert f"tanda s1:C3 closed_without_text {CITRA} {c3_flag}: baris baru" in text
    # and the input rows each version was made from are kept for the audit
    (late,) = read_snapshot(
        uji_home,
        "SELECT version, input_table, file, row_number FROM publication_inputs "
        "WHERE month = '2025-05' AND row_number = 9 AND input_table = 'events'",
    )
    assert late == (2, "events", "events.csv", 9)

    # running again from the same inputs changes nothing
    assert run_pipeline(uji_home).publications == []
    assert latest(uji_home) == now


def test_policy_change_makes_new_versions_saying_so(uji_home):
    run_pipeline(uji_home)
    v1 = latest(uji_home)
    policy = yaml.safe_load(DEFAULT_POLICY.read_text())
    policy["version"] = "uji-respons-3"
    policy["deadlines"]["response"] = 3
    uji_home.policy_file.write_text(yaml.safe_dump(policy))
    summary = run_pipeline(uji_home)
    assert [(m, v) for m, v, _ in summary.publications] == [(m, 2) for m in MONTHS]
    now = latest(uji_home)
    for month in MONTHS:
        text = now[month][8]
        assert now[month][5] != v1[month][5]  # policy_hash
        assert now[month][2] == 1  # supersedes
        assert "kebijakan berubah (versi " in text and " → uji-respons-3" in text
        assert "baris input" not in text  # no input row changed
        for other in ("cara hitung", "as_of", "versi kode", "11 bulan sebelumnya", "kalender"):
            assert other not in text  # and nothing else did
    # C3 was answered on Sat 19 Apr, 4 working days after it reached the puskesmas on Mon
    # 14 Apr (15, 16, 17, 19): met under 5 days, missed under 3. C1's answer took 1 day.
    april = now["2025-04"][8]
    assert f"ASN {CITRA} PKM-A: response_met 1 → 0, response_rate 1.0 → 0.0" in april
    assert "SKPD PKM-A: response_met 1 → 0, response_rate 1.0 → 0.0" in april
    assert "pemda: response_met 2 → 1, response_rate 1.0 → 0.5" in april
    assert "DPU" not in april  # Budi's answer after 1 day is met either way
    # March's numbers did not move: a new version all the same, because the rules changed
    assert now["2025-03"][3] == v1["2025-03"][3]
    assert "Angka yang berubah: tidak ada." in now["2025-03"][8]
    old = read_snapshot(
        uji_home,
        "SELECT version, response_met FROM published_officer_month "
        "WHERE month = '2025-04' AND officer_nip = $nip ORDER BY version",
        {"nip": CITRA},
    )
    assert old == [(1, 1), (2, 0)]


def test_recommendations_are_frozen_with_the_version_that_made_them(uji_home):
    run_pipeline(uji_home)
    # the default policy rates nobody on this small city (fewer than 10 judged deadlines)
    assert read_snapshot(uji_home, "SELECT count(*) FROM recommendations") == [(0,)]
    policy = yaml.safe_load(DEFAULT_POLICY.read_text())
    policy["version"] = "uji-rate-on-one"
    policy["rating"]["min_judged_deadlines"] = 1
    policy["rating"]["max_interval_width"] = 1.0
    uji_home.policy_file.write_text(yaml.safe_dump(policy))
    run_pipeline(uji_home)
    live = read_snapshot(
        uji_home,
        "SELECT month, officer_nip, kind, reasons, evidence_case_ids FROM recommendations "
        "ORDER BY ALL",
    )
    assert live, "rating on one deadline must recommend someone"
    frozen = read_snapshot(
        uji_home,
        "SELECT month, officer_nip, kind, reasons, evidence_case_ids "
        "FROM published_recommendations AS r "
        "WHERE version = (SELECT max(version) FROM publications AS p WHERE p.month = r.month) "
        "ORDER BY ALL",
    )
    assert frozen == live
    assert read_snapshot(
        uji_home, "SELECT count(*) FROM published_recommendations WHERE version = 1"
    ) == [(0,)]
    summaries = latest(uji_home)
    for month, nip, kind, *_ in live:  # each new recommendation is named in its month's summary
        assert f"rekomendasi {nip} {kind}: baris baru" in summaries[month][8]


def test_change_summary_names_only_the_causes_that_changed(uji_home):
    """Numbers that move through the trailing 12-month means or the data cut-off alone
    name that cause, never a calculation change that did not happen."""
    ratings = uji_home.sources_dir / "s1" / "ratings.csv"
    with open(ratings, "a") as f:  # Citra's C3, still open, rated 3 in May
        f.write("C3,2025-05-05 10:00:00,3,false,\n")
    run_pipeline(uji_home)
    # only an April input changes: C1 (a case that ended in April) rated 5 instead of 4
    ratings.write_text(ratings.read_text().replace(",4,true", ",5,true"))
    assert [(m, v) for m, v, _ in run_pipeline(uji_home).publications] == [
        ("2025-04", 2), ("2025-05", 2),
    ]  # fmt: skip
    april, may = latest(uji_home)["2025-04"][8], latest(uji_home)["2025-05"][8]
    assert "1 baris input baru atau berubah: ratings s1/ratings.csv baris 1 (C1 skor 5" in april
    assert "11 bulan sebelumnya" not in april  # C1's rows are April's own, named above
    # May's own rows did not change; its tenant mean over the trailing 12 months did:
    # shrunk = (3 + 10 mu) / 11 with mu = (4 + 3) / 2 = 3.5 before, (5 + 3) / 2 = 4 after
    assert f"ASN {CITRA} PKM-A: satisfaction_shrunk 3.454545455 → 3.909090909" in may
    assert "Sebab: input kasus yang berakhir dalam 11 bulan sebelumnya berubah" in may
    for text in (april, may):
        assert "cara hitung" not in text and "kebijakan" not in text
        assert "as_of" not in text and "versi kode" not in text
    assert "baris input" not in may

    # only the cut-off moves, past May's 30-day windows: May is final now
    uji_home.tenant_file.write_text(
        uji_home.tenant_file.read_text().replace("2025-05-31", "2025-08-31")
    )
    made = run_pipeline(uji_home).publications
    assert ("2025-05", 3, False) in made and all(m > "2025-05" for m, v, _ in made if v == 1)
    may = latest(uji_home)["2025-05"][8]
    assert f"ASN {CITRA} PKM-A: provisional True → False" in may
    assert may.endswith(
        "Sebab: tanggal batas data (as_of) berubah (2025-05-31 → 2025-08-31), jendela bulan "
        "yang masih sementara ikut bergeser."
    )
