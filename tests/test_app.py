"""The Streamlit app on a real snapshot (the demo city of conftest), page by page, with
`streamlit.testing.v1.AppTest`. Expected numbers come from querying the snapshot directly,
not from the app's own data layer."""

from __future__ import annotations

import json
import re
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
OVERVIEW, OFFICERS, PROFILE, DEFINITIONS = (
    "app_pages/ikhtisar.py",
    "app_pages/pegawai.py",
    "app_pages/profil_pegawai.py",
    "app_pages/definisi.py",
)
TIMEOUT = 120
AS_OF_MONTH = "(SELECT strftime(as_of_date, '%Y-%m') FROM snapshot_info)"
DEFINITION_LINK = re.compile(r"\(definisi\?lang=(id|en)#([a-z0-9_]+)\)")
# holder_facts.fact -> how the profile's case table names it (Bahasa Indonesia)
FACT_WORDS = {
    "received": "diterima",
    "forwarding": "tenggat disposisi",
    "response": "tenggat tanggapan",
    "resolution": "tenggat penyelesaian",
    "resolved": "diselesaikan",
    "resolution_event": "peristiwa penyelesaian",
    "rating": "penilaian warga",
    "backlog": "tunggakan akhir bulan",
}


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
        f"SELECT max(month) FROM tenant_month WHERE NOT provisional AND month <= {AS_OF_MONTH}",
    )[0][0]


def busy_officer(home: Path, month: str, resolving: bool = False) -> tuple[str, list[str]]:
    """The officer with the most cases behind `month` (with `resolving`: among those with
    judged resolution deadlines), and those case ids, from holder_facts."""
    nip, case_ids = read_snapshot(
        home,
        """
        SELECT officer_nip, list(DISTINCT case_id ORDER BY case_id)
        FROM holder_facts
        WHERE month = $month AND officer_nip IS NOT NULL
        GROUP BY officer_nip
        HAVING NOT $resolving OR count(*) FILTER (WHERE fact = 'resolution') > 0
        ORDER BY count(DISTINCT case_id) DESC, officer_nip LIMIT 1
    """,
        {"month": month, "resolving": resolving},
    )[0]
    return nip, list(case_ids)


def snapshot_frame(home: Path, query: str, params: dict | None = None) -> pl.DataFrame:
    with duckdb.connect(str(home / "serving" / "rapor.duckdb"), read_only=True) as con:
        return con.sql(query, params=params or {}).pl()


def id_num(x: float, digits: int = 0) -> str:
    """A number the way Bahasa Indonesia writes it: 1.234,5."""
    return f"{x:,.{digits}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


def id_pct(x: float, digits: int = 0) -> str:
    return f"{id_num(100 * x, digits)}%"


def definition_links(at: AppTest) -> list[tuple[str, str]]:
    """Every (lang, anchor) of a link to the definitions page on the page: in metric help,
    captions, Markdown and table column help."""
    texts = [m.help for m in at.metric]
    texts += [c.value for c in at.caption] + [m.value for m in at.markdown]
    texts += [frame.proto.columns for frame in at.dataframe]
    return [link for text in texts for link in DEFINITION_LINK.findall(text or "")]


def rendered_anchors(lang: str = "id") -> set[str]:
    """The anchors the definitions page gives its headings."""
    at = run_app(DEFINITIONS, lang=lang)
    assert_clean(at)
    return {h.anchor for h in [*at.header, *at.subheader] if h.anchor}


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


def test_overview_headline_numbers_equal_tenant_month(home):
    month = default_month(home)
    query = "SELECT * FROM tenant_month WHERE month = $m"
    row = snapshot_frame(home, query, {"m": month}).row(0, named=True)
    at = run_app()
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Diterima SKPD": id_num(row["received"]),
        "Diselesaikan": id_num(row["resolved"]),
        "Penyelesaian tepat waktu": id_pct(row["resolution_rate"]),
        "Median HK selesai": id_num(row["resolution_wd_median"], 1),
        "Tunggakan": id_num(row["backlog_end"]),
        "Disposisi tepat waktu": id_pct(row["forwarding_rate"]),
        "Respons tepat waktu": id_pct(row["response_rate"]),
        "Kepuasan warga": id_num(row["satisfaction_mean"], 2),
        "Dibuka kembali": id_pct(row["reopen_rate"], 1),
    }
    captions = " ".join(c.value for c in at.caption)
    assert f"{id_num(row['overdue_backlog_end'])} lewat tenggat" in captions
    assert f"{id_num(row['ratings_n'])} penilaian" in captions
    low, high = row["resolution_rate_low"], row["resolution_rate_high"]
    assert f"IK 95 %: {id_num(100 * low)}–{id_pct(high)}" in captions


def test_overview_trends_are_tenant_month(home):
    expected = pl.DataFrame(
        read_snapshot(
            home,
            f"""
            SELECT month, resolution_rate, resolution_rate_low, resolution_rate_high
            FROM tenant_month WHERE month <= {AS_OF_MONTH} AND resolution_due > 0
            ORDER BY month
        """,
        ),
        schema=["month", "resolution_rate", "low", "high"],
        orient="row",
    )
    at = run_app()
    trend = next(
        d
        for d in chart_data(at)
        if {"month", "resolution_rate", "resolution_rate_low"} <= set(d.columns)
    )
    got = pl.from_pandas(trend[["month", "resolution_rate", "resolution_rate_low"]]).sort("month")
    assert got["month"].to_list() == expected["month"].to_list()
    assert (got["resolution_rate"] - expected["resolution_rate"]).abs().max() < 1e-12
    assert (got["resolution_rate_low"] - expected["low"]).abs().max() < 1e-12


def test_overview_takes_the_month_from_the_link_and_marks_provisional_months(home):
    months = read_snapshot(
        home, f"SELECT month, provisional FROM tenant_month WHERE month <= {AS_OF_MONTH} ORDER BY 1"
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
    assert "Forwarded on time" in [m.label for m in at.metric]
    # links to the definitions keep the language
    assert {lang for lang, _ in definition_links(at)} == {"en"}


def test_a_link_can_choose_the_language(home):
    at = run_app(lang="en")
    assert_clean(at)
    assert at.title[0].value == "Leadership overview"
    assert at.selectbox(key="lang").value == "en"
    at = run_app(lang="xx")
    assert at.title[0].value == "Ikhtisar pimpinan"


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
    # the predikat in words, officer by officer as the snapshot holds it (empty: none)
    words = {"sangat_baik": "Sangat Baik", "baik": "Baik", "butuh_perbaikan": "Butuh Perbaikan",
             "kurang": "Kurang", "sangat_kurang": "Sangat Kurang", None: ""}  # fmt: skip
    predikat = dict(
        read_snapshot(
            home,
            "SELECT officer_nip, predikat FROM officer_month WHERE month = $m",
            {"m": month},
        )
    )
    shown = table_with(at, "officer_nip", "predikat_label")
    assert {n: p or "" for n, p in zip(shown["officer_nip"], shown["predikat_label"],
                                       strict=True)} == {
        n: words[p] for n, p in predikat.items()
    }  # fmt: skip


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
    cases = table_with(at, "case_id", "facts", "resolution_due_wd")
    # exactly the holder_facts cases of the officer and month, each once
    assert sorted(cases["case_id"]) == case_ids
    history = table_with(at, "month", "resolution_rate", "interval", "case_count")
    behind = dict(
        read_snapshot(
            home,
            f"""
            SELECT o.month, count(DISTINCT f.case_id)
            FROM officer_month AS o
            LEFT JOIN holder_facts AS f ON f.officer_nip = o.officer_nip AND f.month = o.month
            WHERE o.officer_nip = $nip AND o.month <= {AS_OF_MONTH}
            GROUP BY o.month
        """,
            {"nip": nip},
        )
    )
    assert dict(zip(history["month"], history["case_count"], strict=True)) == behind
    assert at.get("vega_lite_chart")
    # a case's timeline on demand: every case is in the selector, and the chosen one shows
    # exactly its case_events rows, in order
    picker = at.selectbox(key="timeline_case")
    assert len(picker.options) == len(case_ids)
    assert all(any(o.startswith(c) for o in picker.options) for c in case_ids)
    chosen = case_ids[0]
    picker.select(chosen).run()
    assert_clean(at)
    events = table_with(at, "seq", "event_at", "origin")
    expected = read_snapshot(
        home, "SELECT seq FROM case_events WHERE case_id = $c ORDER BY seq", {"c": chosen}
    )
    assert list(events["seq"]) == [s for (s,) in expected]


def test_each_case_says_what_it_counts_as(home):
    month = default_month(home)
    nip, _ = busy_officer(home, month, resolving=True)
    facts = read_snapshot(
        home,
        """
        SELECT case_id, fact, met FROM holder_facts
        WHERE officer_nip = $nip AND month = $month
    """,
        {"nip": nip, "month": month},
    )
    at = run_app(PROFILE, nip=nip, month=month)
    assert_clean(at)
    cases = table_with(at, "case_id", "facts")
    shown = dict(zip(cases["case_id"], cases["facts"], strict=True))
    by_length = sorted(FACT_WORDS.items(), key=lambda kv: -len(kv[1]))
    for case_id in {c for c, _, _ in facts}:
        items = shown[case_id].split("; ")
        named = sorted(next(f for f, word in by_length if item.startswith(word)) for item in items)
        mine = [(f, met) for c, f, met in facts if c == case_id]
        assert named == sorted(f for f, _ in mine), (case_id, shown[case_id])
        judged = [met for f, met in mine if f in ("forwarding", "response", "resolution")]
        assert shown[case_id].count("✓") == sum(judged), shown[case_id]
        assert shown[case_id].count("✗") == len(judged) - sum(judged), shown[case_id]
    assert any("tenggat penyelesaian" in text for text in shown.values())


def test_an_admins_profile_counts_the_forwarding_deadlines(home):
    month = default_month(home)
    nip, due, met = read_snapshot(
        home,
        """
        SELECT officer_nip, count(*), count(*) FILTER (WHERE met) FROM holder_facts
        WHERE fact = 'forwarding' AND month = $m AND officer_nip IS NOT NULL
        GROUP BY officer_nip ORDER BY count(*) DESC, officer_nip LIMIT 1
    """,
        {"m": month},
    )[0]
    at = run_app(PROFILE, nip=nip, month=month)
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Disposisi tepat waktu"] == id_pct(met / due)
    assert f"{met}/{due} · [Definisi]" in " ".join(c.value for c in at.caption)
    history = table_with(at, "month", "forwarding_due")
    assert history.loc[history["month"] == month, "forwarding_due"].tolist() == [due]
    # an officer who never verifies a complaint has no forwarding number
    other, _ = busy_officer(home, month, resolving=True)
    (verified,) = read_snapshot(
        home,
        "SELECT count(*) FROM holder_facts WHERE fact = 'forwarding' AND officer_nip = $n",
        {"n": other},
    )[0]
    if not verified:
        at = run_app(PROFILE, nip=other, month=month)
        assert "Disposisi tepat waktu" not in [m.label for m in at.metric]


def test_profile_hides_confidential_text(home):
    found = read_snapshot(
        home,
        f"""
        SELECT f.officer_nip, f.month, c.case_id, c.title
        FROM holder_facts AS f
        JOIN cases AS c USING (case_key)
        WHERE c.is_confidential AND c.title IS NOT NULL AND f.officer_nip IS NOT NULL
          AND f.month <= {AS_OF_MONTH}
        ORDER BY f.month DESC, f.officer_nip LIMIT 1
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
    nip, _ = busy_officer(home, month, resolving=True)
    at = run_app(PROFILE, nip=nip, month=month)
    at.selectbox(key="lang").set_value("en").run()
    assert_clean(at)
    assert at.title[0].value == "Officer profile"
    assert f"Numbers for {month}" in [s.value for s in at.subheader]
    # labels computed per row are in English too (not the default language)
    cases = table_with(at, "case_id", "facts", "status")
    assert any("resolution deadline" in text for text in cases["facts"])
    assert not any("tenggat" in text for text in cases["facts"])
    assert set(cases["status"]) <= {"received", "forwarded", "in progress", "resolved",
                                    "archived", "rejected"}  # fmt: skip


# --- Definisi metrik -------------------------------------------------------------------
def month_table_columns() -> set[str]:
    from tests.test_docs import MONTH_TABLES, create_table_columns

    return {c for table in MONTH_TABLES for c in create_table_columns(table)}


def test_definitions_page_renders_the_document_with_anchors(home):
    from app import metric_docs

    at = run_app(DEFINITIONS)
    assert_clean(at)
    assert at.title[0].value == "Definisi metrik"
    anchors = {h.anchor for h in [*at.header, *at.subheader] if h.anchor}
    headings = [h.value for h in at.header]
    assert "Hari kerja dan kalender" in headings
    assert "Contoh perhitungan: Lebaran 2025" in headings
    body = " ".join(m.value for m in at.markdown)
    for date in ("2025-03-27", "2025-04-08", "2025-04-09", "2025-04-10", "2025-04-11"):
        assert date in body
    assert "English" not in headings and "Working days and calendars" not in headings
    # every column of the month tables reaches a rendered heading
    index = metric_docs.anchor_index(
        metric_docs.sections(metric_docs.DOC_PATH.read_text(encoding="utf-8"), "id")
    )
    for column in month_table_columns():
        assert index[column].anchor in anchors, column
    # the policy in force is shown beside the document
    policy = table_with(at, "parameter", "value")
    assert "rating.min_judged_deadlines" in set(policy["parameter"])


def test_definitions_page_in_english(home):
    at = run_app(DEFINITIONS, lang="en")
    assert_clean(at)
    assert at.title[0].value == "Metric definitions"
    headings = [h.value for h in at.header]
    assert "Working days and calendars" in headings
    assert "Hari kerja dan kalender" not in headings
    assert rendered_anchors("en") == rendered_anchors("id")


@pytest.mark.parametrize("page", [None, OFFICERS, PROFILE])
def test_every_number_links_to_its_definition(home, page):
    query = {}
    if page == PROFILE:
        month = default_month(home)
        query = {"nip": busy_officer(home, month, resolving=True)[0], "month": month}
    at = run_app(page, **query)
    assert_clean(at)
    links = definition_links(at)
    assert links
    assert {lang for lang, _ in links} == {"id"}
    assert {anchor for _, anchor in links} <= rendered_anchors()
    # every headline number has its definition in the help and below it
    for metric in at.metric:
        assert DEFINITION_LINK.search(metric.help or ""), metric.label
    # every number column of every table links to its definition
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        for name, column in config.items():
            if column.get("type_config", {}).get("type") == "number" and name not in {"seq"}:
                assert DEFINITION_LINK.search(column.get("help", "")), (frame.key, name)


# --- no snapshot, new snapshot ---------------------------------------------------------
@pytest.mark.parametrize("page", [None, OFFICERS, PROFILE, DEFINITIONS])
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
    assert "Zona waktu: Asia/Jakarta (WIB)" in footer  # the demo city is in WIB


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


def test_policy_comes_from_the_snapshot(home):
    (policy_json,) = read_snapshot(home, "SELECT policy_json FROM snapshot_info")[0]
    raw = json.loads(policy_json)
    rules = data.policy(data.locate())
    assert rules.source == "snapshot"
    assert rules.min_judged == raw["rating"]["min_judged_deadlines"]
    assert rules.value("deadlines", "forwarding") == raw["deadlines"]["forwarding"]
    assert rules.version == raw["version"]


def test_a_snapshot_with_another_policy_changes_the_minimum(demo_home, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "serving").mkdir(parents=True)
    snapshot = home / "serving" / "rapor.duckdb"
    shutil.copy(demo_home / "serving" / "rapor.duckdb", snapshot)
    con = duckdb.connect(str(snapshot))
    (raw,) = con.execute("SELECT policy_json FROM snapshot_info").fetchone()
    policy = json.loads(raw)
    policy["rating"]["min_judged_deadlines"] = 1000
    con.execute("UPDATE snapshot_info SET policy_json = $p", {"p": json.dumps(policy)})
    con.close()
    monkeypatch.setenv("RAPOR_HOME", str(home))
    at = run_app()
    assert_clean(at)
    table = table_with(at, "unit_code", "rank")
    assert table["rank"].isna().all()  # no unit has 1000 judged deadlines
    assert any("1000 tenggat" in c.value for c in at.caption)

    con = duckdb.connect(str(snapshot))
    con.execute("UPDATE snapshot_info SET policy_json = NULL")
    con.close()
    rules = data.policy(data.locate())
    assert (rules.source, rules.min_judged) == ("default", 10)
