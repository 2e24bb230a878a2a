"""Benchmark: `rapor run` end to end on a flat 311-style export, seconds per Dagster step.

    .venv/bin/python bench/end_to_end_bench.py [--rows 121145] [--code DIR ...] [--rounds 1]

Generates (numpy, seeded) one flat CSV export in the shape New York City publishes its 311
service requests (the 41 columns of `tests/data/nyc311/311_nyc_sample.csv`; one year of
cases with agencies, complaint types, descriptors, addresses, ZIP codes, coordinates,
resolution texts, opened / closed / due timestamps), about 537 bytes a row, so 121,145
rows are a 65 MB file. The home is `tests/fixtures/nyc311` (the agencies as units) with the
export as a source read through `mappings/nyc311.yaml`.

For each `--code` folder (a checkout of rapor; default: this one), in turn and in a fresh
copy of the home each time, it runs `rapor run` in its own process with that checkout's
code first on PYTHONPATH, and reads every step's duration from the Dagster instance the
run wrote (`get_run_step_stats`). Passing the base commit's checkout and this one gives
before and after side by side in one run. The **metric build** is the engine's SQL
stages (cases, holder_facts and the three month tables), as `bench/metrics_bench.py`
counts it; every other step is ingestion, quality gate, flags, publication or snapshot.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "nyc311"
MAPPING = ROOT / "mappings" / "nyc311.yaml"
HEADER_FROM = ROOT / "tests" / "data" / "nyc311" / "311_nyc_sample.csv"
METRIC_STEPS = ("cases", "holder_facts", "officer_month", "unit_month", "tenant_month")
INGEST_STEPS = ("source_rows", "staged_sources")
TS = "%m/%d/%Y %I:%M:%S %p"

AGENCIES = {  # agency: (name, share, [(complaint type, [descriptors])])
    "NYPD": ("New York City Police Department", 0.40, [
        ("Noise - Residential", ["Loud Music/Party", "Banging/Pounding", "Loud Talking"]),
        ("Blocked Driveway", ["No Access", "Partial Access"]),
        ("Illegal Parking", ["Double Parked Blocking Traffic", "Commercial Overnight Parking"]),
        ("Derelict Vehicle", ["With License Plate", "No License Plate"]),
        ("Noise - Commercial", ["Loud Music/Party", "Car/Truck Music"])]),
    "DOF": ("Department of Finance", 0.12, [
        ("DOF Property - Owner Issue", ["Property Address", "Owner Name"]),
        ("SCRIE", ["Renewal", "Miscellaneous"]),
        ("DOF Property - Payment Issue", ["Misapplied Payment", "Refund"])]),
    "HPD": ("Department of Housing Preservation and Development", 0.12, [
        ("HEAT/HOT WATER", ["ENTIRE BUILDING", "APARTMENT ONLY"]),
        ("PLUMBING", ["WATER-LEAKS", "TOILET"]), ("PAINT/PLASTER", ["WALL", "CEILING"])]),
    "DOT": ("Department of Transportation", 0.08, [
        ("Street Light Condition", ["Street Light Out", "Lamppost Damaged"]),
        ("Street Condition", ["Pothole", "Cave-in"]),
        ("Street Sign - Missing", ["Other/Unknown", "School Crossing"])]),
    "DSNY": ("Department of Sanitation", 0.07, [
        ("Missed Collection", ["Trash", "Recycling - Paper"]),
        ("Dirty Conditions", ["Trash", "E3 Dirty Sidewalk"])]),
    "DEP": ("Department of Environmental Protection", 0.06, [
        ("Water System", ["Hydrant Leaking (WC1)", "No Water (WNW)"]),
        ("Sewer", ["Catch Basin Clogged/Flooding (Use Comments) (SC)", "Sewer Backup (SA)"])]),
    "DPR": ("Department of Parks and Recreation", 0.05, [
        ("Damaged Tree", ["Branch Cracked and Will Fall", "Tree Leaning/Uprooted"]),
        ("Overgrown Tree/Branches", ["Blocking Street", "Hitting Building"])]),
    "DOHMH": ("Department of Health and Mental Hygiene", 0.03, [
        ("Rodent", ["Rat Sighting", "Mouse Sighting"]),
        ("Food Establishment", ["Food Spoiled", "Pests/Unsanitary"])]),
    "DHS": ("Department of Homeless Services", 0.02, [
        ("Homeless Person Assistance", ["Chronic", "Non-Chronic"])]),
    "DCA": ("Department of Consumer Affairs", 0.02, [
        ("Consumer Complaint", ["Overcharge", "Non-Delivery Goods"])]),
    "TLC": ("Taxi and Limousine Commission", 0.02, [
        ("Taxi Complaint", ["Driver Complaint", "Insurance Information Requested"])]),
    "HRA": ("Human Resources Administration", 0.01, [
        ("Benefit Card Replacement", ["Medicaid", "Food Stamp"])]),
}  # fmt: skip
BOROUGHS = ("BROOKLYN", "QUEENS", "MANHATTAN", "BRONX", "STATEN ISLAND", "Unspecified")
BOROUGH_P = (0.30, 0.24, 0.22, 0.17, 0.05, 0.02)
STREETS = ("BROADWAY", "3 AVENUE", "FLATBUSH AVENUE", "JAMAICA AVENUE", "GRAND CONCOURSE",
           "QUEENS BOULEVARD", "ATLANTIC AVENUE", "OCEAN PARKWAY", "25 STREET", "MAIN STREET",
           "VICTORY BOULEVARD", "NOSTRAND AVENUE", "AMSTERDAM AVENUE", "FORDHAM ROAD")  # fmt: skip
RESOLUTIONS = (
    "The Police Department responded to the complaint and with the information available "
    "observed no evidence of the violation at that time.",
    "The Police Department responded and upon arrival those responsible for the condition "
    "were gone.",
    "The Department of Transportation has completed the request or corrected the condition.",
    "Upon inspection, the reported condition was not found, therefore no action was taken.",
    "The Department of Finance resolved this issue.",
    "The Department of Housing Preservation and Development inspected the following "
    "conditions. Violations were issued.",
    "The Department of Sanitation investigated this complaint and found no violation at "
    "the location.",
    "Service Request status for this request is available on the Department's website; "
    "please use the Service Request number to check it, or call 311 for details.",
)
CHANNELS = ("PHONE", "ONLINE", "MOBILE", "UNKNOWN", "OTHER")
CHANNEL_P = (0.62, 0.22, 0.12, 0.03, 0.01)
LOCATION_TYPES = ("Street/Sidewalk", "Residential Building/House", "RESIDENTIAL BUILDING",
                  "Street", "Property Address", "Club/Bar/Restaurant", "Park")  # fmt: skip


def _stamp(seconds: np.ndarray) -> pl.Series:
    """Epoch seconds as NYC's `03/01/2011 02:27:57 PM` text."""
    return pl.Series(seconds * 1000).cast(pl.Datetime("ms")).dt.strftime(TS)


def generate(path: Path, rows: int, seed: int = 311, year: int = 2013) -> None:
    """A flat 311 export of `rows` cases opened during `year` (see the module docstring)."""
    rng = np.random.default_rng(seed)
    header = HEADER_FROM.read_text().splitlines()[0].split(",")
    agencies = list(AGENCIES)
    share = np.array([AGENCIES[a][1] for a in agencies])
    agency = rng.choice(len(agencies), rows, p=share / share.sum())
    kind = rng.integers(0, 1 << 30, rows)
    types, descriptors = [], []
    for a, k in zip(agency.tolist(), kind.tolist(), strict=True):  # small tables, per row
        pairs = AGENCIES[agencies[a]][2]
        ctype, descs = pairs[k % len(pairs)]
        types.append(ctype)
        descriptors.append(descs[(k >> 8) % len(descs)])
    start = np.datetime64(f"{year}-01-01T00:00:00", "s").astype(np.int64)
    created = start + rng.integers(0, 365 * 86400, rows)
    closed = created + (rng.exponential(4.0, rows) * 86400).astype(np.int64) + 600
    due = created + rng.integers(3, 30, rows) * 86400
    status_draw = rng.random(rows)
    status = np.where(status_draw < 0.96, "Closed",
                      np.where(status_draw < 0.98, "Assigned", "Pending"))  # fmt: skip
    # a closed date on about one open request in four (the fault the mapping quarantines)
    has_closed = (status == "Closed") | (rng.random(rows) < 0.25)
    borough = rng.choice(len(BOROUGHS), rows, p=BOROUGH_P)
    zips = rng.integers(10001, 11698, rows).astype(str)
    zips = np.where(rng.random(rows) < 0.01, "N/A", zips)
    lat = np.round(40.50 + rng.random(rows) * 0.40, 12)
    lon = np.round(-74.25 + rng.random(rows) * 0.55, 12)
    no_place = rng.random(rows) < 0.04
    number = rng.integers(1, 2500, rows).astype(str)
    street = np.array(STREETS)[rng.integers(0, len(STREETS), rows)]
    cross = np.array(STREETS)[rng.integers(0, len(STREETS), rows)]
    resolution = np.array(RESOLUTIONS)[rng.integers(0, len(RESOLUTIONS), rows)]
    boards = zip(rng.integers(1, 18, rows).tolist(), np.array(BOROUGHS)[borough].tolist(),
                 strict=True)  # fmt: skip
    board = [f"{n:02d} {b}" for n, b in boards]
    lat_s = pl.Series(lat).cast(pl.String)
    lon_s = pl.Series(lon).cast(pl.String)
    blank = pl.lit(None, pl.String)
    frame = pl.DataFrame({
        "Unique Key": pl.Series(20_000_000 + np.arange(rows)).cast(pl.String),
        "Created Date": _stamp(created),
        "Closed Date": _stamp(closed),
        "Agency": np.array(agencies)[agency],
        "Agency Name": np.array([AGENCIES[a][0] for a in agencies])[agency],
        "Complaint Type": types,
        "Descriptor": descriptors,
        "Location Type": np.array(LOCATION_TYPES)[rng.integers(0, len(LOCATION_TYPES), rows)],
        "Incident Zip": zips,
        "Incident Address": np.char.add(np.char.add(number, " "), street),
        "Street Name": street,
        "Cross Street 1": cross,
        "Cross Street 2": np.array(STREETS)[rng.integers(0, len(STREETS), rows)],
        "Address Type": np.where(rng.random(rows) < 0.8, "ADDRESS", "INTERSECTION"),
        "City": np.where(borough == 2, "NEW YORK", np.array(BOROUGHS)[borough]),
        "Facility Type": "N/A",
        "Status": status,
        "Due Date": _stamp(due),
        "Resolution Description": resolution,
        "Resolution Action Updated Date": _stamp(closed),
        "Community Board": board,
        "BBL": pl.Series(rng.integers(1_000_000_000, 5_999_999_999, rows)).cast(pl.String),
        "Borough": np.array(BOROUGHS)[borough],
        "X Coordinate (State Plane)": rng.integers(913_000, 1_067_000, rows).astype(str),
        "Y Coordinate (State Plane)": rng.integers(121_000, 271_000, rows).astype(str),
        "Open Data Channel Type": np.array(CHANNELS)[rng.choice(len(CHANNELS), rows, p=CHANNEL_P)],
        "Park Facility Name": "Unspecified",
        "Park Borough": np.array(BOROUGHS)[borough],
        "Latitude": lat_s,
        "Longitude": lon_s,
    })  # fmt: skip
    frame = frame.with_columns(
        pl.when(pl.Series(has_closed)).then(pl.col("Closed Date")).otherwise(blank)
        .alias("Closed Date"),
        pl.when(pl.Series(no_place)).then(blank).otherwise(pl.col("Latitude")).alias("Latitude"),
        pl.when(pl.Series(no_place)).then(blank).otherwise(pl.col("Longitude")).alias("Longitude"),
    ).with_columns(
        pl.when(pl.col("Latitude").is_not_null())
        .then(pl.format("({}, {})", "Latitude", "Longitude")).alias("Location")
    )  # fmt: skip
    frame = frame.select(
        pl.col(c) if c in frame.columns else blank.alias(c) for c in header
    )
    frame.write_csv(path, null_value="")


def make_home(target: Path, export: Path, year: int = 2013) -> Path:
    """The nyc311 fixture home with `export` as source `nyc` (mapped by nyc311.yaml)."""
    shutil.copytree(FIXTURE, target)
    tenant = (target / "tenant.yaml").read_text()
    (target / "tenant.yaml").write_text(tenant.replace("2013-12-31", f"{year}-12-31"))
    source = target / "sources" / "nyc"
    source.mkdir(parents=True)
    shutil.copy(MAPPING, source / "source.yaml")
    os.link(export, source / export.name)
    return target


def run(code: str, home: Path) -> tuple[float, dict[str, float]]:
    """`rapor run` with `code` first on PYTHONPATH: wall seconds and seconds per step.
    `PATH@nopyc` runs it without compiled bytecode (an empty PYTHONPYCACHEPREFIX, with
    PYTHONDONTWRITEBYTECODE): every module compiled from source in the run, as in a venv
    that `uv sync` made without `--compile-bytecode` (dev.py before this bench)."""
    code, _, how = code.partition("@")
    env = {**os.environ, "PYTHONPATH": code, "DAGSTER_HOME": str(home / "dagster")}
    if how == "nopyc":
        env |= {"PYTHONPYCACHEPREFIX": str(home / "no-pyc"), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--home", str(home)],
        env=env, cwd=code, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"rapor run failed ({code}):\n{done.stdout}\n{done.stderr}")
    return wall, step_seconds(home)


def step_seconds(home: Path) -> dict[str, float]:
    """Seconds per step over every run in the home's Dagster instance (the two of a
    `rapor run`), read in a separate process so no run state leaks into this one."""
    script = (
        "import dagster as dg, json, sys\n"
        "inst = dg.DagsterInstance.get()\n"
        "out = {}\n"
        "for r in inst.get_runs():\n"
        "    for s in inst.get_run_step_stats(r.run_id):\n"
        "        if s.end_time and s.start_time:\n"
        "            out[s.step_key] = out.get(s.step_key, 0) + s.end_time - s.start_time\n"
        "print(json.dumps(out))\n"
    )  # fmt: skip
    env = {**os.environ, "DAGSTER_HOME": str(home / "dagster")}
    done = subprocess.run([sys.executable, "-c", script], env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    import json

    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[121_145])
    parser.add_argument("--code", nargs="+", default=[str(ROOT)],
                        help="checkouts to compare, in this order (default: this one); "
                        "PATH@nopyc: without compiled bytecode")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=1, help="alternating runs per checkout")
    parser.add_argument("--tmp", type=Path, default=None, help="where to write (default: /tmp)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.tmp, prefix="rapor-e2e-") as tmp:
        for rows in args.rows:
            export = Path(tmp) / f"311_{rows}.csv"
            t = time.perf_counter()
            generate(export, rows)
            print(f"\n{rows:,} rows, {export.stat().st_size / 1e6:.1f} MB "
                  f"(generated in {time.perf_counter() - t:.1f} s)")  # fmt: skip
            results: dict[str, list[tuple[float, dict]]] = {}
            for r in range(args.rounds):
                for i, code in enumerate(args.code):
                    home = make_home(Path(tmp) / f"home-{rows}-{i}-{r}", export)
                    results.setdefault(code, []).append(run(code, home))
                    shutil.rmtree(home)
            report(results)
            export.unlink()
    return 0


def report(results: dict[str, list[tuple[float, dict]]]) -> None:
    """One column per checkout (the median over rounds), one row per step."""
    codes = list(results)
    med = {c: _median_steps(results[c]) for c in codes}
    steps = sorted({s for c in codes for s in med[c]}, key=lambda s: -med[codes[-1]].get(s, 0))
    width = max(len(s) for s in steps) + 2
    names = [Path(c.split("@")[0]).name + ("@nopyc" if "@nopyc" in c else "") for c in codes]
    print(f"{'step':<{width}}" + "".join(f"{n:>14}" for n in names))
    for s in steps:
        print(f"{s:<{width}}" + "".join(f"{med[c].get(s, 0):>14.2f}" for c in codes))
    for label, keys in (("= metric build", METRIC_STEPS), ("= ingestion", INGEST_STEPS)):
        print(f"{label:<{width}}" + "".join(
            f"{sum(med[c].get(k, 0) for k in keys):>14.2f}" for c in codes))  # fmt: skip
    print(f"{'= all steps':<{width}}" + "".join(f"{sum(med[c].values()):>14.2f}" for c in codes))
    walls = {c: sorted(w for w, _ in results[c])[len(results[c]) // 2] for c in codes}
    print(f"{'end to end (wall)':<{width}}" + "".join(f"{walls[c]:>14.2f}" for c in codes))


def _median_steps(runs: list[tuple[float, dict]]) -> dict[str, float]:
    keys = {k for _, steps in runs for k in steps}
    return {k: sorted(s.get(k, 0) for _, s in runs)[len(runs) // 2] for k in keys}


if __name__ == "__main__":
    raise SystemExit(main())
