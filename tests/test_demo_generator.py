"""Tests of the demo city generator (pipelines.demo)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import polars as pl
import pytest
import yaml

from pipelines.demo import generate_city

END = dt.date(2026, 11, 1)
SOURCES = ("lapor", "lapor_semar")
FILES = ("complaints.csv", "events.csv", "ratings.csv")
TS_COLUMN = {"complaints.csv": "received_at", "events.csv": "event_at", "ratings.csv": "rated_at"}
COLUMNS = {
    "complaints.csv": [
        "source_id",
        "channel",
        "received_at",
        "category",
        "complaint_class",
        "title",
        "description",
        "district",
        "village",
        "lat",
        "lon",
        "reporter_id",
        "is_anonymous",
        "is_confidential",
        "due_at",
    ],
    "events.csv": ["source_id", "event_at", "event_type", "unit_code", "officer_nip", "note"],
    "ratings.csv": ["source_id", "rated_at", "score", "resolved", "comment"],
}
TS_PATTERN = {
    "lapor": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$",
    "lapor_semar": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$",
}
CHANNEL_TARGET = {
    "lapor": 25,
    "whatsapp": 22,
    "city_portal": 15,
    "call_center": 8,
    "instagram": 7,
    "walk_in": 5,
    "facebook": 4,
    "x": 4,
    "email": 3,
    "sms": 2,
    "mobile_app": 2,
    "mass_media": 2,
    "letter": 1,
}
EVENT_TYPES = {
    "verified",
    "forwarded",
    "reassigned",
    "responded",
    "clarification_requested",
    "clarified",
    "resolved",
    "reopened",
    "archived",
    "rejected",
    "postponed",
}


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> tuple[Path, dict]:
    home = tmp_path_factory.mktemp("city")
    return home, generate_city(home, complaints=30_000)


def read(home: Path, source: str, file: str) -> pl.DataFrame:
    df = pl.read_csv(home / "sources" / source / file, infer_schema=False)
    return df.with_row_index("row_number", offset=1)


def faults(home: Path) -> pl.DataFrame:
    return pl.read_csv(home / "demo_truth/faults.csv")


def fault_rows(home: Path, source: str, file: str) -> set[int]:
    f = faults(home).filter((pl.col("source") == source) & (pl.col("file") == file))
    return set(f["row_number"].to_list())


def clean(home: Path, source: str, file: str) -> pl.DataFrame:
    df = read(home, source, file)
    return df.filter(~pl.col("row_number").is_in(sorted(fault_rows(home, source, file))))


def parse_ts(source: str) -> pl.Expr:
    fmt = "%Y-%m-%dT%H:%M:%S%:z" if source == "lapor" else "%Y-%m-%d %H:%M:%S"
    expr = pl.col("ts").str.to_datetime(fmt, strict=False)
    if source == "lapor":
        return expr.dt.convert_time_zone("Asia/Jakarta").dt.replace_time_zone(None)
    return expr


def nip_is_valid(nip: str | None) -> bool:
    if nip is None or len(nip) != 18 or not nip.isdigit():
        return False
    try:
        birth = dt.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return False
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or not 1965 <= birth.year <= 2000:
        return False
    # Appointed after the 18th birthday, never in the future.
    if (year, month) <= (birth.year + 18, birth.month) or year > 2024:
        return False
    return nip[14] in "12" and nip[15:] != "000"


def iso_parses(value: str | None) -> bool:
    if not value:
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def test_home_layout_and_reference(city):
    home, summary = city
    tenant = yaml.safe_load((home / "tenant.yaml").read_text())
    assert tenant == {
        "name": "Kota Semarang (demo)",
        "code": "semarang-demo",
        "timezone": "Asia/Jakarta",
        "as_of": dt.date(2026, 10, 31),
    }
    key = (home / "secret.key").read_text()
    assert len(key) == 64 and int(key, 16) >= 0
    units = pl.read_csv(home / "reference/units.csv", infer_schema=False)
    assert units.columns == [
        "unit_code",
        "name",
        "kind",
        "parent_code",
        "workweek",
        "valid_from",
        "valid_to",
    ]
    assert 40 <= units.height <= 50 and units.height == summary["units"]
    assert units["unit_code"].is_unique().all()
    assert set(units["kind"]) <= {
        "dinas",
        "badan",
        "bagian",
        "kecamatan",
        "kelurahan",
        "puskesmas",
        "rsud",
        "other",
    }
    assert (units["kind"] == "kecamatan").sum() == 16
    assert set(units.filter(pl.col("kind") == "puskesmas")["workweek"]) == {"6"}
    assert set(units.filter(pl.col("kind") != "puskesmas")["workweek"]) == {"5"}
    parents = set(units["parent_code"].drop_nulls())
    assert parents <= set(units["unit_code"])
    overrides = pl.read_csv(home / "reference/calendar_overrides.csv", infer_schema=False)
    assert overrides.columns == ["date", "is_working_day", "note", "applies_to"]
    assert 2 <= overrides.height <= 3
    assert "Hari Jadi Kota Semarang" in overrides["note"].to_list()


def test_officers_have_valid_nips_and_history(city):
    home, _ = city
    off = pl.read_csv(home / "reference/officers.csv", infer_schema=False)
    assert off.columns == [
        "nip",
        "name",
        "unit_code",
        "position",
        "grade",
        "valid_from",
        "valid_to",
    ]
    assert all(nip_is_valid(n) for n in off["nip"])
    units = set(pl.read_csv(home / "reference/units.csv", infer_schema=False)["unit_code"])
    assert set(off["unit_code"]) <= units
    people = off["nip"].n_unique()
    assert 200 <= people <= 500
    movers = off.group_by("nip").len().filter(pl.col("len") > 1)
    assert set(movers["len"]) == {2}
    assert 0.02 <= movers.height / people <= 0.08
    for nip in movers["nip"]:
        a, b = off.filter(pl.col("nip") == nip).sort("valid_from").rows(named=True)
        assert a["unit_code"] != b["unit_code"] and b["valid_to"] is None
        moved = dt.date.fromisoformat(b["valid_from"])
        assert dt.date.fromisoformat(a["valid_to"]) == moved - dt.timedelta(days=1)
    admins = off.filter(
        (pl.col("unit_code") == "DISKOMINFO") & pl.col("position").str.contains("LAPOR")
    )
    assert 4 <= admins.height <= 6


def test_columns_exactly_as_contract(city):
    home, _ = city
    for source in SOURCES:
        for file in FILES:
            header = (home / "sources" / source / file).read_text().split("\n", 1)[0]
            assert header.split(",") == COLUMNS[file], (source, file)


def test_events_reference_known_units_and_valid_officers(city):
    home, _ = city
    units = pl.read_csv(home / "reference/units.csv", infer_schema=False)["unit_code"]
    off = pl.read_csv(home / "reference/officers.csv", infer_schema=False)
    for source in SOURCES:
        ev = clean(home, source, "events.csv")
        assert set(ev["event_type"]) <= EVENT_TYPES
        assert ev["unit_code"].is_in(units.implode()).all()
        assert ev["officer_nip"].null_count() == 0
        day = ev.with_columns(day=pl.col("event_at").str.slice(0, 10))
        matched = day.join(
            off, left_on=["officer_nip", "unit_code"], right_on=["nip", "unit_code"]
        ).filter(
            (pl.col("valid_from") <= pl.col("day"))
            & (pl.col("valid_to").is_null() | (pl.col("day") <= pl.col("valid_to")))
        )
        assert matched["row_number"].n_unique() == ev.height, source


def test_nothing_dated_on_or_after_end(city):
    home, summary = city
    start = dt.datetime(2024, 11, 1)
    stop = dt.datetime(END.year, END.month, END.day)
    assert summary["period"] == {"start": "2024-11-01", "end": "2026-10-31"}
    for source in SOURCES:
        for file in FILES:
            df = clean(home, source, file).rename({TS_COLUMN[file]: "ts"})
            assert df["ts"].str.contains(TS_PATTERN[source]).all(), (source, file)
            ts = df.select(parse_ts(source))["ts"]
            assert ts.null_count() == 0
            assert ts.max() < stop, (source, file)
            if file == "complaints.csv":
                assert ts.min() >= start
                due = df.rename({"ts": "received_at", "due_at": "ts"}).select(parse_ts(source))
                assert due["ts"].drop_nulls().max() < stop


def test_forwarded_on_or_after_received(city):
    home, _ = city
    for source in SOURCES:
        comp = read(home, source, "complaints.csv").unique("source_id", keep="first")
        comp = comp.rename({"received_at": "ts"}).with_columns(recv=parse_ts(source))
        ev = clean(home, source, "events.csv").rename({"event_at": "ts"})
        ev = ev.with_columns(at=parse_ts(source))
        fwd = ev.filter(pl.col("event_type") == "forwarded").join(
            comp.select("source_id", "recv"), on="source_id"
        )
        assert fwd["source_id"].n_unique() > 0.8 * comp.height
        assert (fwd["at"] >= fwd["recv"]).all()
        # Every event of a case comes after its receipt, except injected faults.
        both = ev.join(comp.select("source_id", "recv"), on="source_id")
        assert (both["at"] >= both["recv"]).all()


def test_channel_shares(city):
    home, _ = city
    comp = pl.concat([read(home, s, "complaints.csv").select("channel") for s in SOURCES])
    shares = comp["channel"].value_counts(normalize=True)
    got = dict(zip(shares["channel"], shares["proportion"], strict=True))
    assert set(got) == set(CHANNEL_TARGET)
    for channel, target in CHANNEL_TARGET.items():
        assert abs(100 * got[channel] - target) <= 3, channel
    lapor = set(read(home, "lapor", "complaints.csv")["channel"])
    assert lapor == {"lapor", "sms", "mobile_app"}


def test_fault_rows_really_are_faulty(city):
    home, summary = city
    units = set(pl.read_csv(home / "reference/units.csv", infer_schema=False)["unit_code"])
    f = faults(home)
    assert f.columns == ["source", "file", "row_number", "fault"]
    assert f.select("source", "file", "row_number").is_unique().all()
    assert set(f["fault"]) == {
        "bad_nip",
        "bad_timestamp",
        "closed_before_opened",
        "unknown_unit",
        "exact_duplicate",
        "bad_score",
        "missing_source_id",
    }
    total = sum(sum(summary[k].values()) for k in ("complaints", "events", "ratings"))
    assert 0.002 <= f.height / total <= 0.01
    for source in SOURCES:
        comp = read(home, source, "complaints.csv")
        received = dict(zip(comp["source_id"], comp["received_at"], strict=True))
        for file in FILES:
            df = read(home, source, file)
            rows = df.drop("row_number").rows()
            cols = df.drop("row_number").columns
            for _, _, n, fault in f.filter(
                (pl.col("source") == source) & (pl.col("file") == file)
            ).iter_rows():
                row = dict(zip(cols, rows[n - 1], strict=True))
                if fault == "bad_nip":
                    assert not nip_is_valid(row["officer_nip"])
                elif fault == "bad_timestamp":
                    assert not iso_parses(row[TS_COLUMN[file]])
                elif fault == "closed_before_opened":
                    assert row["event_type"] == "resolved"
                    at = dt.datetime.fromisoformat(row["event_at"])
                    assert at < dt.datetime.fromisoformat(received[row["source_id"]])
                elif fault == "unknown_unit":
                    assert row["unit_code"] not in units
                elif fault == "exact_duplicate":
                    assert n >= 2 and rows[n - 1] == rows[n - 2]
                elif fault == "bad_score":
                    assert row["score"] not in {"1", "2", "3", "4", "5"}
                elif fault == "missing_source_id":
                    assert not row["source_id"]
                else:
                    pytest.fail(fault)
            # Outside the listed rows there are no verbatim repeats, missing ids or bad scores.
            listed = fault_rows(home, source, file)
            repeats = df.filter(~pl.struct(cols).is_first_distinct())["row_number"]
            assert set(repeats) <= listed
            assert set(df.filter(pl.col("source_id").is_null())["row_number"]) <= listed
            if file == "ratings.csv":
                bad = df.filter(~pl.col("score").is_in(["1", "2", "3", "4", "5"]))
                assert set(bad["row_number"]) <= listed


def test_duplicate_truth_covers_every_complaint(city):
    home, summary = city
    truth = pl.read_csv(home / "demo_truth/duplicates.csv", infer_schema=False)
    assert truth.columns == ["source", "source_id", "complaint_key"]
    rows = pl.concat(
        [
            read(home, s, "complaints.csv").select(pl.lit(s).alias("source"), "source_id").unique()
            for s in SOURCES
        ]
    )
    assert (
        truth.select("source", "source_id")
        .sort("source", "source_id")
        .equals(rows.sort("source", "source_id"))
    )
    groups = truth.group_by("complaint_key").len()
    assert groups.filter(pl.col("len") > 1).height == summary["duplicate_groups"]
    assert 0.04 <= summary["duplicate_groups"] / truth.height <= 0.08


def test_deterministic(tmp_path):
    generate_city(tmp_path / "a", complaints=2_000, seed=7)
    generate_city(tmp_path / "b", complaints=2_000, seed=7)
    generate_city(tmp_path / "c", complaints=2_000, seed=8)
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert len(files) >= 14
    for rel in files:
        if rel != Path("secret.key"):
            assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    # the secret is random per home, not drawn from the seed, and readable by its owner only
    keys = {(tmp_path / h / "secret.key").read_text() for h in "abc"}
    assert len(keys) == 3 and all(len(k) == 64 for k in keys)
    for h in "abc":
        assert (tmp_path / h / "secret.key").stat().st_mode & 0o777 == 0o600
    for rel in ("sources/lapor/events.csv", "reference/officers.csv"):
        assert (tmp_path / "a" / rel).read_bytes() != (tmp_path / "c" / rel).read_bytes(), rel


def test_scale_200k_is_fast(tmp_path):
    started = time.perf_counter()
    summary = generate_city(tmp_path, complaints=200_000)
    assert time.perf_counter() - started < 15
    assert sum(summary["complaints"].values()) >= 200_000
