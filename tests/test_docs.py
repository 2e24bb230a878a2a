"""docs/metrics.md keeps up with the published tables: every column of the month tables has
a stable anchor in both languages, and the worked Lebaran example holds on the real
calendar."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "metrics.md"
MONTH_TABLES = ("officer_month", "unit_month", "tenant_month")
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')


def create_table_columns(table: str) -> list[str]:
    """The column names of the CREATE TABLE statement in sql/<table>.sql."""
    sql = (ROOT / "sql" / f"{table}.sql").read_text()
    sql = re.sub(r"--[^\n]*", "", sql)
    found = re.search(
        rf"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?{table}\s*\((.*?)\)\s*;",
        sql,
        re.IGNORECASE | re.DOTALL,
    )
    assert found, f"no CREATE TABLE {table} in sql/{table}.sql"
    columns = [part.split()[0] for part in found.group(1).split(",") if part.strip()]
    assert columns, table
    return columns


def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def halves() -> tuple[str, str]:
    text = doc()
    en_at, id_at = text.index('<a id="lang-en"></a>'), text.index('<a id="lang-id"></a>')
    assert en_at < id_at
    return text[en_at:id_at], text[id_at:]


def test_column_parser_reads_the_create_table_lists():
    columns = create_table_columns("tenant_month")
    assert columns[:4] == ["tenant", "month", "cases_received", "received"]
    assert columns[-1] == "provisional"
    assert "satisfaction_shrunk" in create_table_columns("officer_month")
    assert "forwarding_due" in create_table_columns("unit_month")


@pytest.mark.parametrize("table", MONTH_TABLES)
def test_every_column_has_an_anchor_in_both_languages(table):
    anchors = set(ANCHOR.findall(doc()))
    columns = create_table_columns(table)
    missing = [c for c in columns if c not in anchors]
    assert not missing, f"{table} columns without an anchor in docs/metrics.md: {missing}"
    missing_id = [c for c in columns if f"id-{c}" not in anchors]
    assert not missing_id, f"{table} columns without an Indonesian anchor: {missing_id}"


def test_anchors_are_unique_and_the_two_languages_are_parallel():
    english, indonesian = halves()
    en = ANCHOR.findall(english)
    ind = ANCHOR.findall(indonesian)
    everything = ANCHOR.findall(doc())
    assert len(everything) == len(set(everything)), "duplicate anchors"
    assert [f"id-{a}" for a in en if a != "lang-en"] == [a for a in ind if a != "lang-id"]


def test_internal_links_point_at_anchors():
    anchors = set(ANCHOR.findall(doc()))
    links = re.findall(r"\]\(#([^)]+)\)", doc())
    assert links
    assert not [link for link in links if link not in anchors]
    english, indonesian = halves()
    # each half links within itself
    assert not [x for x in re.findall(r"\]\(#([^)]+)\)", english) if x.startswith("id-")]
    assert all(x.startswith("id-") for x in re.findall(r"\]\(#([^)]+)\)", indonesian))


def test_every_anchor_is_followed_by_a_heading():
    lines = doc().splitlines()
    for i, line in enumerate(lines):
        if ANCHOR.search(line):
            assert ANCHOR.sub("", line).strip() == "", f"line {i + 1}: text beside an anchor"
            assert lines[i + 1].startswith("#"), f"line {i + 1}: anchor not before a heading"


def test_the_lebaran_example_is_in_both_languages():
    english, indonesian = halves()
    for part in (english, indonesian):
        for date in ("2025-03-27", "2025-04-08", "2025-04-09", "2025-04-10", "2025-04-11"):
            assert date in part
        assert "wd = 4" in part
    assert "2025-03-27 10:00 WIB" in " ".join(english.split())
    assert "2025-04-10 16:59" in english and "2025-04-11 08:00" in english
    assert "2025-04-10 pukul 16.59" in indonesian and "2025-04-11 pukul 08.00" in indonesian


def test_the_lebaran_example_holds_on_the_real_calendar():
    from assets.calendar import build_calendar

    no_overrides = pl.DataFrame(
        schema={
            "date": pl.Date,
            "is_working_day": pl.Boolean,
            "note": pl.String,
            "applies_to": pl.String,
        }
    )
    days = build_calendar("tenant", 5, no_overrides).filter(
        pl.col("day").is_between(dt.date(2025, 3, 27), dt.date(2025, 4, 11))
    )
    index = dict(days.select("day", "wd_index").iter_rows())
    received = dt.date(2025, 3, 27)
    working = days.filter(pl.col("is_working_day") & (pl.col("day") > received))["day"]
    assert working.to_list()[:3] == [dt.date(2025, 4, 8), dt.date(2025, 4, 9), dt.date(2025, 4, 10)]
    assert index[dt.date(2025, 4, 10)] - index[received] == 3  # met: wd <= 3
    assert index[dt.date(2025, 4, 11)] - index[received] == 4  # missed


def test_quoted_policy_defaults_are_the_default_policy():
    policy = yaml.safe_load((ROOT / "pipelines" / "default_policy.yaml").read_text())
    english, _ = halves()
    deadlines = policy["deadlines"]
    expected = [
        f"`deadlines.forwarding` = **{deadlines['forwarding']}** working days",
        f"`deadlines.response` = **{deadlines['response']}** working days",
        f"class `permintaan_informasi`: **{deadlines['resolution']['permintaan_informasi']}**",
        f"`aspirasi`: **{deadlines['resolution']['aspirasi']}**",
        f"`whistleblowing`: **{deadlines['resolution']['whistleblowing']}**",
        f"anything else: **{deadlines['resolution']['pengaduan']}**",
        f"(default `{deadlines['field_inspection_categories'][0]}`): "
        f"**{deadlines['field_inspection']}**",
        f"(default **{policy['satisfaction']['shrinkage_k']}**)",
        f"(default **{policy['rating']['min_judged_deadlines']}**)",
        f"(default **{policy['rating']['max_interval_width']}**)",
        f"(default **{policy['rating']['above']}**)",
        f"(default **{policy['rating']['below']}**)",
        f"(default **{policy['cases']['merge_window_days']}**)",
        f"version {policy['version']}",
        f"(weight **{policy['score']['weights']['resolution_rate']}**)",
        f"`response_rate` (**{policy['score']['weights']['response_rate']}**)",
        f"(**{policy['score']['weights']['satisfaction']}**)",
    ]
    flat = " ".join(english.split())
    missing = [e for e in expected if " ".join(e.split()) not in flat]
    assert not missing, missing
