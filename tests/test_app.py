"""The Streamlit app on a real snapshot (the demo city of conftest), page by page, with
`streamlit.testing.v1.AppTest`. Expected numbers come from querying the snapshot directly,
not from the app's own data layer."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from app import data
from tests.conftest import read_snapshot

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
OVERVIEW, OFFICERS, PROFILE = (
    "app_pages/ikhtisar.py",
    "app_pages/pegawai.py",
    "app_pages/profil_pegawai.py",
)
TIMEOUT = 120


@pytest.fixture
def home(demo_home, monkeypatch) -> Path:
    monkeypatch.setenv("RAPOR_HOME", str(demo_home))
    return demo_home


def run_app(page: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return at.run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def table_with(at: AppTest, *columns: str):
    """The (first) dataframe shown that has all of `columns`."""
    for frame in at.dataframe:
        value = frame.value
        if all(c in value.columns for c in columns):
            return value
    raise AssertionError(f"no table with columns {columns}")


def chart_data(at: AppTest) -> list:
    """The data frames behind every Altair chart on the page."""
    return [
        dataframe_util.convert_arrow_bytes_to_pandas_df(ds.data.data)
        for chart in at.get("vega_lite_chart")
        for ds in chart.proto.datasets
    ]


def default_month(home: Path) -> str:
    """The latest non-provisional month up to the as-of month, from the snapshot."""
    return read_snapshot(
        home,
        """
        SELECT max(month) FROM (
            SELECT month, bool_or(provisional) AS provisional FROM unit_month
            WHERE month <= (SELECT strftime(as_of_date, '%Y-%m') FROM snapshot_info)
            GROUP BY month)
        WHERE NOT provisional
    """,
    )[0][0]


def busy_officer(home: Path, month: str) -> tuple[str, list[str]]:
    """The officer with the most cases behind `month`, and those case ids."""
    nip, case_ids = read_snapshot(
        home,
        """
        SELECT officer_nip, case_ids FROM officer_month WHERE month = $month
        ORDER BY len(case_ids) DESC, officer_nip LIMIT 1
    """,
        {"month": month},
    )[0]
    return nip, list(case_ids)


# --- Ikhtisar --------------------------------------------------------------------------
def test_overview_ranks_every_unit_of_the_default_month(home):
    month = default_month(home)
    at = run_app()
    assert_clean(at)
    assert at.title[0].value == "Ikhtisar pimpinan"
    assert at.selectbox(key="month_select").value == month

    units = {
        r[0]
        for r in read_snapshot(
            home, "SELECT unit_code FROM unit_month WHERE month = $m", {"m": month}
        )
    }
    table = table_with(at, "unit_code", "rank", "resolution_rate")
    assert len(table) == len(units)
    assert set(table["unit_code"]) == units
    # ranked only with enough judged deadlines, and ranks follow the rate
    ranked = table[table["rank"].notna()]
    assert (ranked["resolution_due"] >= 10).all()
    assert (table[table["rank"].isna()]["note"] == "data tidak cukup").all()
    assert ranked["resolution_rate"].is_monotonic_decreasing
    # both ranking charts carry every unit of the month
    ranking_charts = [d for d in chart_data(at) if "unit_code" in d.columns]
    assert len(ranking_charts) == 2
    assert all(set(d["unit_code"]) == units for d in ranking_charts)
    assert len(at.get("vega_lite_chart")) == 6


def test_overview_headline_numbers_match_the_snapshot(home):
    month = default_month(home)
    received, resolved = read_snapshot(
        home,
        """
        SELECT count(*) FILTER (WHERE strftime(received_at, '%Y-%m') = $m),
               count(*) FILTER (WHERE strftime(resolved_at, '%Y-%m') = $m)
        FROM cases
    """,
        {"m": month},
    )[0]
    due, met = read_snapshot(
        home,
        """
        SELECT sum(resolution_due), sum(resolution_met) FROM unit_month WHERE month = $m
    """,
        {"m": month},
    )[0]
    at = run_app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pengaduan masuk"] == f"{received:,}".replace(",", ".")
    assert metrics["Diselesaikan"] == f"{resolved:,}".replace(",", ".")
    assert metrics["Tepat waktu"] == f"{round(100 * met / due)}%"


def test_overview_takes_the_month_from_the_link_and_marks_provisional_months(home):
    months = read_snapshot(
        home,
        """
        SELECT month, bool_or(provisional) FROM unit_month
        WHERE month <= (SELECT strftime(as_of_date, '%Y-%m') FROM snapshot_info)
        GROUP BY month ORDER BY month
    """,
    )
    provisional = [m for m, p in months if p]
    assert provisional, "the demo's last month should still be provisional"
    month = provisional[-1]
    at = run_app(month=month)
    assert_clean(at)
    assert at.selectbox(key="month_select").value == month
    assert any("sementara" in w.value for w in at.warning)
    (count,) = read_snapshot(
        home, "SELECT count(*) FROM unit_month WHERE month = $m", {"m": month}
    )[0]
    assert len(table_with(at, "unit_code", "rank")) == count


def test_switching_to_english_changes_the_headings(home):
    at = run_app()
    assert at.title[0].value == "Ikhtisar pimpinan"
    at.selectbox(key="lang").set_value("en").run()
    assert_clean(at)
    assert at.title[0].value == "Leadership overview"
    assert "SKPD ranking" in [h.value for h in at.header]


# --- Pegawai ---------------------------------------------------------------------------
def test_officers_page_lists_every_officer_of_the_month(home):
    month = default_month(home)
    at = run_app(OFFICERS)
    assert_clean(at)
    assert at.title[0].value == "Pegawai (ASN)"
    expected = {
        r[0]
        for r in read_snapshot(
            home, "SELECT officer_nip FROM officer_month WHERE month = $m", {"m": month}
        )
    }
    table = table_with(at, "officer_nip", "rating_label", "provisional")
    assert set(table["officer_nip"]) == expected
    assert len(table) == len(expected)
    assert set(table["rating_label"]) <= {
        "Di atas ekspektasi",
        "Sesuai ekspektasi",
        "Di bawah ekspektasi",
        "Data tidak cukup",
    }


def test_officers_page_filters_by_unit(home):
    month = default_month(home)
    unit, count = read_snapshot(
        home,
        """
        SELECT unit_code, count(*) FROM officer_month WHERE month = $m
        GROUP BY unit_code ORDER BY count(*) DESC, unit_code LIMIT 1
    """,
        {"m": month},
    )[0]
    at = run_app(OFFICERS, unit=unit)
    assert_clean(at)
    table = table_with(at, "officer_nip", "unit_code")
    assert len(table) == count
    assert set(table["unit_code"]) == {unit}


def test_selecting_an_officer_opens_the_profile(home):
    at = run_app(OFFICERS)
    table = table_with(at, "officer_nip")
    nip = table["officer_nip"].iloc[2]
    at.session_state["officer_table"] = {"selection": {"rows": [2], "columns": [], "cells": []}}
    at.run()
    assert_clean(at)
    assert at.title[0].value == "Profil pegawai"
    assert at.selectbox(key="nip_select").value == nip


# --- Profil pegawai --------------------------------------------------------------------
def test_profile_shows_the_officer_and_the_cases_behind_the_month(home):
    month = default_month(home)
    nip, case_ids = busy_officer(home, month)
    at = run_app(PROFILE, nip=nip, month=month)
    assert_clean(at)
    assert any(nip in m.value for m in at.markdown)
    assert at.selectbox(key="month_select").value == month
    cases = table_with(at, "case_id", "resolution_due_wd", "roles")
    assert sorted(cases["case_id"]) == sorted(case_ids)
    history = table_with(at, "month", "resolution_rate", "interval")
    (months,) = read_snapshot(
        home,
        """
        SELECT count(*) FROM officer_month WHERE officer_nip = $nip
          AND month <= (SELECT strftime(as_of_date, '%Y-%m') FROM snapshot_info)
    """,
        {"nip": nip},
    )[0]
    assert len(history) == months
    # timelines: one expander per case (up to the page's limit), events from case_events
    labels = [e.label for e in at.expander]
    shown = [c for c in cases["case_id"] if any(label.startswith(c) for label in labels)]
    assert len(shown) == min(len(case_ids), 25)
    assert at.get("vega_lite_chart")


def test_profile_hides_confidential_text(home):
    found = read_snapshot(
        home,
        """
        SELECT o.officer_nip, o.month, c.case_id, c.title
        FROM officer_month AS o, unnest(o.case_ids) AS u(case_id)
        JOIN cases AS c ON c.case_id = u.case_id
        WHERE c.is_confidential AND c.title IS NOT NULL
          AND o.month <= (SELECT strftime(as_of_date, '%Y-%m') FROM snapshot_info)
        ORDER BY o.month DESC, o.officer_nip LIMIT 1
    """,
    )
    if not found:
        pytest.skip("the demo city has no confidential case behind any officer-month")
    nip, month, case_id, title = found[0]
    at = run_app(PROFILE, nip=nip, month=month)
    assert_clean(at)
    cases = table_with(at, "case_id", "title")
    assert cases.loc[cases["case_id"] == case_id, "title"].tolist() == ["rahasia"]
    assert all(title not in str(frame.value.to_dict()) for frame in at.dataframe)


def test_profile_of_an_unknown_nip_says_so(home):
    at = run_app(PROFILE, nip="000000000000000000")
    assert_clean(at)
    assert any("000000000000000000" in w.value for w in at.warning)
    assert at.selectbox(key="nip_select").value is None


def test_profile_in_english(home):
    month = default_month(home)
    nip, _ = busy_officer(home, month)
    at = run_app(PROFILE, nip=nip, month=month)
    at.selectbox(key="lang").set_value("en").run()
    assert_clean(at)
    assert at.title[0].value == "Officer profile"
    assert f"Numbers for {month}" in [s.value for s in at.subheader]


# --- no snapshot, new snapshot ---------------------------------------------------------
@pytest.mark.parametrize("page", [None, OFFICERS, PROFILE])
def test_missing_snapshot_says_how_to_publish_one(tmp_path, monkeypatch, page):
    monkeypatch.setenv("RAPOR_HOME", str(tmp_path))
    at = run_app(page)
    assert not at.exception
    assert [e.value for e in at.error] == ["Belum ada data yang diterbitkan"]
    assert any(f"rapor run --home {tmp_path}" in m.value for m in at.markdown)


def test_sidebar_shows_the_publication(home):
    info = read_snapshot(
        home, "SELECT tenant_name, as_of_date, policy_version, policy_hash FROM snapshot_info"
    )[0]
    at = run_app()
    footer = " ".join(c.value for c in at.sidebar.caption)
    assert info[0] in footer
    assert str(info[1]) in footer
    assert info[2] in footer
    assert info[3][:12] in footer


def test_a_new_publication_is_picked_up(demo_home, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "serving").mkdir(parents=True)
    snapshot = home / "serving" / "rapor.duckdb"
    shutil.copy(demo_home / "serving" / "rapor.duckdb", snapshot)
    monkeypatch.setenv("RAPOR_HOME", str(home))
    before = data.info(data.locate())["tenant_name"]

    renamed = home / "serving" / ".next.tmp"
    shutil.copy(snapshot, renamed)
    con = duckdb.connect(str(renamed))
    con.execute("UPDATE snapshot_info SET tenant_name = 'Kota Baru'")
    con.close()
    renamed.replace(snapshot)  # what the pipeline's publication does
    assert data.info(data.locate())["tenant_name"] == "Kota Baru" != before


# --- the data layer --------------------------------------------------------------------
def test_wilson_intervals_match_the_pipeline(home):
    rows = pl.DataFrame(
        read_snapshot(
            home,
            """
            SELECT resolution_met, resolution_due, resolution_rate_low, resolution_rate_high
            FROM officer_month WHERE resolution_due > 0 ORDER BY ALL LIMIT 200
        """,
        ),
        schema=["met", "due", "low", "high"],
        orient="row",
    )
    ours = rows.with_columns(data.wilson("met", "due", "w"))
    assert (ours["w_low"] - ours["low"]).abs().max() < 1e-9
    assert (ours["w_high"] - ours["high"]).abs().max() < 1e-9


def test_rank_units_leaves_small_units_unranked():
    units = pl.DataFrame(
        {
            "unit_code": ["A", "B", "C", "D"],
            "unit_name": ["A", "B", "C", "D"],
            "resolution_due": [20, 9, 30, 0],
            "resolution_rate": [0.5, 1.0, 0.9, None],
        }
    )
    ranked = data.rank_units(units, 10)
    assert ranked["unit_code"].to_list() == ["C", "A", "B", "D"]
    assert ranked["rank"].to_list() == [1, 2, None, None]


def test_redaction_is_applied_in_one_place():
    cases = pl.DataFrame(
        {
            "case_id": ["x", "y"],
            "title": ["Rumah saya", "Jalan rusak"],
            "description": ["isi", "isi"],
            "reporter_hash": ["h1", "h2"],
            "is_confidential": [True, False],
            "is_anonymous": [False, True],
        }
    )
    shown = data._redact_cases(cases, data.current_viewer())
    assert shown["title"].to_list() == ["rahasia", "Jalan rusak"]
    assert shown["reporter_hash"].to_list() == ["h1", None]
    auditor = data.Viewer(role="inspektorat", see_confidential=True, see_reporter=True)
    assert data._redact_cases(cases, auditor).equals(cases)
    events = pl.DataFrame({"case_id": ["x", "y"], "note": ["detail", "detail"]})
    assert data._redact_events(events, cases, data.current_viewer())["note"].to_list() == [
        "rahasia",
        "detail",
    ]


def test_policy_minimum_comes_from_a_verified_policy(home):
    rules = data.policy(data.locate())
    assert rules.min_judged == 10
    assert rules.source in {"snapshot", "policy_file"}
