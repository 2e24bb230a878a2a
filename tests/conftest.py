"""Shared fixtures: a hand-made tenant home, and a small generated demo city run once."""

from __future__ import annotations

import csv
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from pipelines.home import Home

FIXTURES = Path(__file__).parent / "fixtures"
DEMO_COMPLAINTS = 3_000


def copy_fixture(name: str, target: Path) -> Home:
    shutil.copytree(FIXTURES / name, target)
    return Home(target)


@pytest.fixture
def uji_home(tmp_path: Path) -> Home:
    """A fresh copy of the hand-made Kota Uji home (numbers worked out by hand in tests)."""
    return copy_fixture("kota_uji", tmp_path / "kota_uji")


def write_csv(path: Path, header: list[str], rows) -> None:
    """A CSV file with `header` and `rows` (its folders made)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def edit_csv(
    path: Path,
    key: str,
    column: str,
    values: dict[str, str],
    where: Callable[[dict], bool] = lambda row: True,
) -> None:
    """Set `column` of the rows of a CSV whose `key` is in `values` (and that `where` keeps)
    to `values[key]`, in place; every other cell stays as it was."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row[key] in values and where(row):
            row[column] = values[row[key]]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def read_snapshot(home: Home | Path, query: str, params: dict | None = None) -> list[tuple]:
    path = home.snapshot_path if isinstance(home, Home) else Home(home).snapshot_path
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(query, params or {}).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory) -> Path:
    """A small demo city (3,000 complaints, 24 months) through the real pipeline, once."""
    from pipelines.demo import generate_city
    from pipelines.runner import run_pipeline

    root = tmp_path_factory.mktemp("demo") / "home"
    root.mkdir()
    generate_city(root, complaints=DEMO_COMPLAINTS)
    run_pipeline(Home(root))
    return root


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on (a moment ago)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
