"""SP4N-LAPOR! as it really exports: the 117 real 2015 reports of Kemendikbud
(tests/data/lapor2015), read by `mappings/sp4n_lapor_2015.yaml` alone, through the real
pipeline. Every expected number is worked out here, independently of rapor: timestamps
with datetime.strptime, the automatic closures with numpy.busday_offset on a holiday list
taken from the `holidays` package, working days with numpy.busday_count, the bulk closure
from the raw closing times."""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import os
import shutil
from pathlib import Path

import duckdb
import holidays
import numpy as np
import pytest
import yaml

from pipelines.home import Home
from pipelines.policy import PolicyError, load_policy
from pipelines.runner import run_pipeline
from tests.conftest import copy_fixture, read_snapshot

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "lapor2015"
FILE = "lapor_2015_kemendikbud.csv"
SOURCE = "lapor"
TIME = "%d/%m/%Y %H:%M:%S"
DEADLINE_WD = 14  # the default policy's pengaduan resolution deadline


def _rows() -> list[dict]:
    with open(DATA / FILE, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _ts(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, TIME)


# the national calendar as LAPOR! uses it, built here from the `holidays` package: public
# holidays and cuti bersama (category "government"), not from rapor's own calendar
HOLIDAYS = sorted(
    holidays.country_holidays("ID", years=range(2014, 2017), categories=("public", "government"))
)


def _expected_closure_day(last_activity: dt.datetime) -> dt.date:
    day = np.busday_offset(np.datetime64(last_activity.date()), 9, roll="forward",
                           holidays=HOLIDAYS)  # fmt: skip
    return day.astype(dt.date)


def _wd(start: dt.datetime, end: dt.datetime) -> int:
    """Working days d with date(start) < d <= date(end)."""
    a = np.datetime64(start.date()) + 1
    b = np.datetime64(end.date()) + 1
    return int(np.busday_count(a, b, holidays=HOLIDAYS))


def _automatic(row: dict) -> bool:
    closed = _ts(row["TanggalLaporanDitutup"])
    return closed.strftime("%H:%M") == "01:00" and closed.date() == _expected_closure_day(
        _ts(row["TanggalLaporanAktivitasTerakhir"])
    )


def _make_home(root: Path, policy: dict | None = None) -> Home:
    home = copy_fixture("lapor2015", root)
    folder = home.sources_dir / SOURCE
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "mappings" / "sp4n_lapor_2015.yaml", folder / "source.yaml")
    shutil.copy(DATA / FILE, folder / FILE)
    if policy is not None:
        raw = yaml.safe_load((ROOT / "pipelines" / "default_policy.yaml").read_text())
        for section, values in policy.items():
            raw[section] = {**raw.get(section, {}), **values}
        (root / "policy.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    return home


@pytest.fixture(scope="module")
def lapor_home(tmp_path_factory) -> Home:
    home = _make_home(tmp_path_factory.mktemp("lapor2015") / "home")
    run_pipeline(home)
    return home


def test_the_file_is_the_shared_real_data():
    places = [ROOT.parent / "shared" / "data", Path("/work/shared/data")]
    if os.environ.get("RAPOR_SHARED_DATA"):
        places.insert(0, Path(os.environ["RAPOR_SHARED_DATA"]))
    shared = next((p / "lapor2015" / FILE for p in places if (p / "lapor2015" / FILE).exists()),
                  None)  # fmt: skip
    if shared is None:
        pytest.skip(f"no shared data folder to compare with (looked in {places})")
    assert filecmp.cmp(DATA / FILE, shared, shallow=False)


def test_the_independent_reading_of_the_file():
    """What the other tests rely on, from the file alone: 117 reports, 91 closed at 01:00 on
    the day busday_offset predicts, 17 closed on 2015-06-13 between 06:09 and 06:21."""
    rows = _rows()
    assert len(rows) == 117
    assert sum(_automatic(r) for r in rows) == 91
    bulk = [_ts(r["TanggalLaporanDitutup"]) for r in rows
            if _ts(r["TanggalLaporanDitutup"]).date() == dt.date(2015, 6, 13)]  # fmt: skip
    assert len(bulk) == 17
    assert (min(bulk).strftime("%H:%M"), max(bulk).strftime("%H:%M")) == ("06:09", "06:21")
    # unpadded day and month: 7/1/2015 is 7 January
    assert rows[0]["TanggalLaporanMasuk"] == "7/1/2015 10:27:00"
    # cuti bersama are in the calendar: 2015-07-16 .. 07-21 around Idul Fitri
    assert dt.date(2015, 7, 16) in HOLIDAYS and dt.date(2015, 7, 21) in HOLIDAYS


def test_every_row_is_ingested_by_the_mapping(lapor_home):
    """117 complaints and 3 events each (forwarded, responded, resolved), nothing
    quarantined, every timestamp read day-first from its unpadded text."""
    rows = _rows()
    con = duckdb.connect(str(lapor_home.warehouse_path), read_only=True)
    try:
        quarantined = con.execute(
            "SELECT count(*) FROM quarantine WHERE source = $s", {"s": SOURCE}
        ).fetchone()[0]
        complaints = dict(con.execute(
            "SELECT source_id, received_at FROM stg_complaints WHERE source = $s", {"s": SOURCE}
        ).fetchall())  # fmt: skip
        events = con.execute(
            "SELECT source_id, event_type, event_at, unit_code FROM stg_events WHERE source = $s",
            {"s": SOURCE},
        ).fetchall()
    finally:
        con.close()
    assert quarantined == 0
    assert complaints == {r["id"]: _ts(r["TanggalLaporanMasuk"]) for r in rows}
    columns = {"forwarded": "TanggalDisposisi", "responded": "TanggalLaporanAktivitasTerakhir",
               "resolved": "TanggalLaporanDitutup"}  # fmt: skip
    expected = sorted(
        (r["id"], kind, _ts(r[column]), "KEMENDIKBUD")
        for r in rows
        for kind, column in columns.items()
    )
    assert sorted(events) == expected


def test_exactly_the_91_automatic_closures_on_the_predicted_day(lapor_home):
    rows = {r["id"]: r for r in _rows()}
    expected = {f"{SOURCE}:{i}" for i, r in rows.items() if _automatic(r)}
    assert len(expected) == 91
    cases = read_snapshot(lapor_home, "SELECT case_id, closed_automatically, closed_at FROM cases")
    assert {c for c, auto, _ in cases if auto} == expected
    assert len(cases) == 117
    for case_id, auto, closed_at in cases:
        row = rows[case_id.split(":", 1)[1]]
        assert closed_at == _ts(row["TanggalLaporanDitutup"]), case_id
        if auto:
            last = _ts(row["TanggalLaporanAktivitasTerakhir"])
            assert closed_at.date() == _expected_closure_day(last), case_id
            assert closed_at.time() == dt.time(1, 0), case_id
    # in the published timeline the closure is an event of its own, marked automatic
    marked = read_snapshot(
        lapor_home,
        "SELECT case_id, event_type, event_at FROM case_events WHERE is_automatic",
    )
    assert {c for c, _, _ in marked} == expected and len(marked) == 91
    assert all(kind == "resolved" for _, kind, _ in marked)
    assert all(at == _ts(rows[c.split(":", 1)[1]]["TanggalLaporanDitutup"]) for c, _, at in marked)


def test_resolution_clocks_end_at_the_last_activity(lapor_home):
    """An automatic closure resolves the case at its last follow-up: resolved_at, the clock's
    end, its working days and whether it is met; a closure by hand ends it at the closure."""
    rows = {r["id"]: r for r in _rows()}
    got = read_snapshot(
        lapor_home,
        """
        SELECT c.case_id, c.resolved_at, c.resolution_wd, c.resolution_met, k.end_at,
               c.status, h.month
        FROM cases AS c
        JOIN clocks AS k ON k.case_id = c.case_id AND k.clock = 'resolution'
        LEFT JOIN holder_facts AS h ON h.case_id = c.case_id AND h.fact = 'resolved'
        """,
    )
    assert len(got) == 117
    automatic_wd = []
    for case_id, resolved_at, wd, met, end_at, status, month in got:
        row = rows[case_id.split(":", 1)[1]]
        end = _ts(row["TanggalLaporanAktivitasTerakhir"] if _automatic(row)
                  else row["TanggalLaporanDitutup"])  # fmt: skip
        received = _ts(row["TanggalLaporanMasuk"])
        assert (status, resolved_at, end_at) == ("resolved", end, end), case_id
        assert wd == _wd(received, end), case_id
        assert met == (_wd(received, end) <= DEADLINE_WD), case_id
        assert month == end.strftime("%Y-%m"), case_id
        if _automatic(row):
            automatic_wd.append(wd)
            # the officer is not billed for the citizen's 9 working days of confirmation
            assert _wd(received, _ts(row["TanggalLaporanDitutup"])) == wd + 9, case_id
    assert len(automatic_wd) == 91


def test_the_bulk_closure_is_flagged_and_nothing_else(lapor_home):
    rows = _rows()
    bulk = {f"{SOURCE}:{r['id']}" for r in rows
            if _ts(r["TanggalLaporanDitutup"]).date() == dt.date(2015, 6, 13)}  # fmt: skip
    flags = read_snapshot(lapor_home, "SELECT case_id, flag, month, unit_code, detail FROM flags")
    flagged = [f for f in flags if f[1] == "bulk_closure"]
    assert {f[0] for f in flagged} == bulk and len(flagged) == 17
    assert {(f[2], f[3]) for f in flagged} == {("2015-06", "KEMENDIKBUD")}
    assert all("satu dari 17 penutupan" in f[4] and "2015-06-13 06:09 dan 06:21" in f[4]
               for f in flagged)  # fmt: skip
    # automatic closures are the system's: no flag of any kind names one
    automatic = {f"{SOURCE}:{r['id']}" for r in rows if _automatic(r)}
    assert not {f[0] for f in flags} & automatic


def test_with_the_rule_off_every_closure_is_the_officers(tmp_path):
    """closures.automatic.channels: [] — no closure is automatic, the resolution clock ends
    at the closure, and the system's bursts at 01:00 (43 reports on 2015-02-18, 14 on
    02-25, 10 on 02-23) then look like bulk closures too: the rule is what keeps them out."""
    home = _make_home(tmp_path / "home", {"closures": {"automatic": {"channels": []}}})
    run_pipeline(home)
    rows = {r["id"]: r for r in _rows()}
    got = read_snapshot(home, "SELECT case_id, resolved_at, closed_automatically FROM cases")
    assert len(got) == 117
    for case_id, resolved_at, auto in got:
        assert not auto
        assert resolved_at == _ts(rows[case_id.split(":", 1)[1]]["TanggalLaporanDitutup"])
    assert read_snapshot(home, "SELECT count(*) FROM case_events WHERE is_automatic") == [(0,)]
    closed_at: dict[str, list[str]] = {}
    for i, r in rows.items():
        closed_at.setdefault(r["TanggalLaporanDitutup"], []).append(f"{SOURCE}:{i}")
    bursts = {c for at, ids in closed_at.items() if at.endswith(" 01:00:00") and len(ids) >= 10
              for c in ids}  # fmt: skip
    assert len(bursts) == 43 + 14 + 10
    flagged = {c for (c,) in read_snapshot(
        home, "SELECT case_id FROM flags WHERE flag = 'bulk_closure'")}  # fmt: skip
    bulk = {f"{SOURCE}:{i}" for i, r in rows.items()
            if _ts(r["TanggalLaporanDitutup"]).date() == dt.date(2015, 6, 13)}  # fmt: skip
    assert flagged == bursts | bulk


@pytest.mark.parametrize(
    ("section", "change", "message"),
    [
        ("closures", {"automatic": {"at": "25:00"}}, "closures.automatic.at"),
        ("closures", {"automatic": {"after_workingdays": 9}}, "after_working_days"),
        ("closures", {"automatic": {"channels": "lapor"}}, "closures.automatic.channels"),
        ("closures", {"automatic": {"after_working_days": 0}}, "after_working_days"),
        ("flags", {"bulk_closure_min": 1}, "flags.bulk_closure_min"),
        ("flags", {"bulk_closure_minutes": 0}, "flags.bulk_closure_minutes"),
    ],
)
def test_bad_closure_settings_are_refused(tmp_path, section, change, message):
    raw = yaml.safe_load((ROOT / "pipelines" / "default_policy.yaml").read_text())
    raw[section] = {**raw[section], **change}
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(PolicyError, match=message):
        load_policy(path)


def test_closure_time_reads_as_written(tmp_path):
    """An unquoted 01:00 is 60 to YAML 1.1 (sexagesimal): still 01:00."""
    text = (ROOT / "pipelines" / "default_policy.yaml").read_text()
    assert 'at: "01:00"' in text
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace('at: "01:00"', "at: 01:00"))
    assert load_policy(path).sql_params()["auto_close_at"] == "01:00"
    assert load_policy().sql_params()["auto_close_at"] == "01:00"


@pytest.mark.parametrize(
    ("lang", "event_words", "fact_words"),
    [
        ("id", "ditutup otomatis oleh sistem", "penyelesaian pegawai dihitung pada tindak lanjut"),
        ("en", "closed automatically by the system", "the officer's resolution is the last"),
    ],
)
def test_the_case_page_shows_the_automatic_closure(lapor_home, monkeypatch, lang, event_words,
                                                   fact_words):  # fmt: skip
    """Report 66425: last activity 11/2/2015 10:56, closed by LAPOR! at 01:00 on 25/2/2015
    (the 9th working day after; 2015-02-19, Imlek, is a holiday)."""
    from streamlit.testing.v1 import AppTest

    row = next(r for r in _rows() if r["id"] == "66425")
    last, closed = _ts(row["TanggalLaporanAktivitasTerakhir"]), _ts(row["TanggalLaporanDitutup"])
    assert _expected_closure_day(last) == closed.date() == dt.date(2015, 2, 25)
    monkeypatch.setenv("RAPOR_HOME", str(lapor_home.root))
    at = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=120)
    at.query_params["case"] = f"{SOURCE}:66425"
    at.query_params["lang"] = lang
    at.switch_page("app_pages/kasus.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    timeline = next(f.value for f in at.dataframe if "seq" in f.value.columns)
    shown = dict(zip(timeline["seq"], timeline["event_type"], strict=True))
    assert list(shown.values())[-1] == event_words
    assert sum(v == event_words for v in shown.values()) == 1
    # (ui.plain escapes what Markdown could read as markup: '-' and ':' in a time)
    text = " ".join(m.value for m in at.markdown).replace("\\-", "-").replace("&#58;", ":")
    assert fact_words in text
    assert f"{closed:%Y-%m-%d %H:%M}" in text and f"{last:%Y-%m-%d %H:%M}" in text


# --- hand-worked: the rule's edges, through the engine on a small canonical tenant -------
# 2025 calendar: 18 Apr (Good Friday) is a holiday; the working days after Fri 11 Apr are
# 14(1) 15(2) 16(3) 17(4) 21(5) 22(6) 23(7) 24(8) 25(9); after Sat 12 Apr the count starts
# on Mon 14 Apr as day 0 (roll forward): 15(1) 16(2) 17(3) 21(4) 22(5) 23(6) 24(7) 25(8)
# 28(9).
def _hand_scenario():
    from tests.test_metrics_hand_cases import BUDI, CITRA, DEWI, Scenario, complaint

    def lifecycle(sid, responded_at, resolved_at, unit="DPU", nip=BUDI):
        return [
            (sid, "2025-04-10 10:00:00", "forwarded", unit, nip),
            (sid, responded_at, "responded", unit, nip),
            (sid, resolved_at, "resolved", unit, nip),
        ]

    complaints = [complaint(s, "2025-04-10 09:00:00") for s in ("A", "B", "C", "E")]
    complaints.append(complaint("D", "2025-04-10 09:00:00", channel="whatsapp"))
    events = (
        lifecycle("A", "2025-04-11 14:00:00", "2025-04-25 01:00:00")  # 9th wd: automatic
        + lifecycle("B", "2025-04-11 14:00:00", "2025-04-24 01:00:00")  # 8th wd: by hand
        + lifecycle("C", "2025-04-12 10:00:00", "2025-04-28 01:00:00")  # Saturday: automatic
        + lifecycle("D", "2025-04-11 14:00:00", "2025-04-25 01:00:00")  # not lapor: by hand
        + lifecycle("E", "2025-04-11 14:00:00", "2025-04-25 01:05:00")  # not 01:00: by hand
    )
    # bulk: Dewi closes 10 within 09:00-09:15 (15 minutes, bounds included) and one more at
    # 09:31; Budi one at 09:05 (another hand); Citra 9 within 5 minutes (too few)
    bulk_times = ["09:00", "09:01", "09:02", "09:03", "09:04", "09:05", "09:06", "09:07",
                  "09:08", "09:15", "09:31"]  # fmt: skip
    hands = [(f"W{i}", DEWI, "DLH", at) for i, at in enumerate(bulk_times)]
    hands += [("X0", BUDI, "DPU", "09:05")]
    hands += [(f"Y{i}", CITRA, "PKM-A", f"10:0{i // 2}") for i in range(9)]
    for sid, nip, unit, at in hands:
        complaints.append(complaint(sid, "2025-05-05 08:00:00", channel="email"))
        events += [
            (sid, "2025-05-05 08:30:00", "forwarded", unit, nip),
            (sid, f"2025-05-06 {at}:00", "resolved", unit, nip),
        ]
    return Scenario(name="closures", complaints=complaints, events=events, as_of="2025-06-30")


def test_hand_worked_automatic_and_bulk_closures(tmp_path):
    from pipelines.engine import build, load_home_inputs
    from pipelines.resources import RaporHome
    from pipelines.warehouse import connect
    from tests.test_metrics_hand_cases import write_home

    home = write_home(tmp_path / "home", _hand_scenario())
    con = connect(home.warehouse_path)
    try:
        params = {**RaporHome(path=str(home.root)).sql_params(), "run_id": "test"}
        build(con, params, lambda c: load_home_inputs(home, c))
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0
        got = {
            row[0]: row[1:]
            for row in con.execute(
                "SELECT case_id, closed_automatically, resolved_at, resolution_wd FROM cases"
                " WHERE case_id IN ('s:A', 's:B', 's:C', 's:D', 's:E')"
            ).fetchall()
        }
        flagged = con.execute(
            "SELECT case_id, officer_nip, detail FROM flags WHERE flag = 'bulk_closure'"
        ).fetchall()
    finally:
        con.close()
    at = dt.datetime.fromisoformat
    # received Thu 10 Apr: wd to Fri 11 Apr = 1, to Sat 12 Apr = 1 (not a working day);
    # B ends 24 Apr: 11(1) 14(2) 15(3) 16(4) 17(5) 21(6) 22(7) 23(8) 24(9); D, E 25 Apr: 10
    assert got == {
        "s:A": (True, at("2025-04-11 14:00"), 1),
        "s:B": (False, at("2025-04-24 01:00"), 9),
        "s:C": (True, at("2025-04-12 10:00"), 1),
        "s:D": (False, at("2025-04-25 01:00"), 10),
        "s:E": (False, at("2025-04-25 01:05"), 10),
    }
    from tests.test_metrics_hand_cases import DEWI

    assert sorted(c for c, _, _ in flagged) == [f"s:W{i}" for i in range(10)]
    assert {n for _, n, _ in flagged} == {DEWI}
    assert all(
        d.startswith("diselesaikan pada 2025-05-06 09:")
        and f"oleh NIP {DEWI}, satu dari 10 penutupan oleh tangan yang sama antara "
        "2025-05-06 09:00 dan 09:15"
        in d
        for _, _, d in flagged
    )
