"""The `rapor` command line: calendar listing for auditors, errors for a bad home."""

import datetime as dt

import numpy as np

from assets.calendar import national_holidays
from pipelines.cli import main


def test_calendar_lists_named_days_and_counts(uji_home, capsys):
    assert main(["calendar", "--home", str(uji_home.root), "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "2025-03-28 Fri  Cuti Bersama Hari Suci Nyepi" in out
    assert "2025-04-07 Mon  Cuti Bersama Hari Raya Idul Fitri" in out
    # independent count: Mon-Fri days of 2025 that are not national holidays / cuti bersama
    holidays = np.array(sorted(d for d in national_holidays() if d.year == 2025),
                        dtype="datetime64[D]")  # fmt: skip
    working = np.busday_count(dt.date(2025, 1, 1), dt.date(2026, 1, 1), holidays=holidays)
    assert f"{working} working days; {365 - working} non-working days" in out


def test_calendar_applies_the_tenants_overrides(uji_home, capsys):
    (uji_home.reference_dir / "calendar_overrides.csv").write_text(
        "date,is_working_day,note,applies_to\n"
        "2025-05-02,false,Hari Jadi Kota Uji,all\n"
        "2025-05-03,true,Sabtu pelayanan,puskesmas\n"
    )
    main(["calendar", "--home", str(uji_home.root), "--year", "2025"])
    assert "2025-05-02 Fri  Hari Jadi Kota Uji" in capsys.readouterr().out
    main(["calendar", "--home", str(uji_home.root), "--year", "2025", "--kind", "puskesmas",
          "--workweek", "6"])  # fmt: skip
    out = capsys.readouterr().out
    assert "2025-05-02 Fri  Hari Jadi Kota Uji" in out
    assert "2025-05-03" not in out  # a working Saturday there


def test_missing_home_is_a_clear_error(tmp_path, capsys):
    assert main(["run", "--home", str(tmp_path / "nowhere")]) == 2
    assert "tenant.yaml is missing" in capsys.readouterr().err
