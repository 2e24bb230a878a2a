"""Benchmark: reading a canonical complaints CSV, the fast path against the row-by-row one.

    .venv/bin/python bench/ingest_bench.py [--mb 50] [--rounds 3]

Writes a well-formed canonical `complaints.csv` of about `--mb` MB (quoted descriptions
with commas and quotes, as exports have them) and a copy with one ragged row at the end,
then times, side by side in one run (best of `--rounds`):

- **fast**: `read_csv` on the well-formed file (Polars, checked against the file's bytes);
- **row by row**: `read_csv` on the copy, which the ragged row sends to the csv module;
- **read_table**: the whole canonical read of the well-formed file: `read_csv`, reporter
  ids hashed, personal identifiers scrubbed from every value (`assets/identifiers.py`).

Also checks that both readers give the same rows for the rows they share.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assets.readers import (  # noqa: E402
    COMPLAINT_COLUMNS,
    ROW_PROBLEM,
    Reporters,
    read_csv,
    read_table,
)


def write_files(folder: Path, megabytes: int) -> tuple[Path, Path]:
    rnd = random.Random(1)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COMPLAINT_COLUMNS)
    i = 0
    while out.tell() < megabytes * 1_000_000:
        i += 1
        writer.writerow([
            f"K{i}", "whatsapp", "2025-04-14 08:00:00", "sampah", "pengaduan",
            f"Sampah menumpuk di Jl. Kenari {i}", 'Warga mengeluhkan, "bau" ' * rnd.randint(1, 6),
            "Tembalang", "Bulusan", "-7.05", "110.44", f"08{i:010d}", "false", "false", "",
        ])  # fmt: skip
    good = folder / "complaints.csv"
    good.write_text(out.getvalue())
    ragged = folder / "ragged.csv"
    ragged.write_text(out.getvalue() + "K0,whatsapp,2025-04-14 08:00:00\n")
    return good, ragged


def best(fn, rounds: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        good, ragged = write_files(Path(tmp), args.mb)
        reporters = Reporters(b"bench-secret")
        fast_s, fast = best(lambda: read_csv(good), args.rounds)
        rows_s, rows = best(lambda: read_csv(ragged), args.rounds)
        table_s, table = best(
            lambda: read_table(good, "complaints", "bench", reporters), args.rounds
        )
        print(f"file: {good.stat().st_size / 1e6:.1f} MB, {fast.frame.height:,} rows")
        print(f"{'path':<12} {'reader':<11} {'seconds':>8} {'x fast':>7}")
        for name, seconds, reader in (
            ("fast", fast_s, fast.reader),
            ("row by row", rows_s, rows.reader),
            ("read_table", table_s, fast.reader),
        ):
            print(f"{name:<12} {reader:<11} {seconds:>8.2f} {seconds / fast_s:>7.2f}")
        shared = rows.frame.head(fast.frame.height).drop(ROW_PROBLEM)
        print("same rows from both readers:", shared.equals(fast.frame.drop(ROW_PROBLEM)))
        assert table.height == fast.frame.height
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
