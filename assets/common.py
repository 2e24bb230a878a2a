"""Small helpers the asset modules share."""

from __future__ import annotations

import polars as pl

WAREHOUSE_POOL = "warehouse"  # DuckDB has one writer: assets that write share this pool


def replace_table(con, name: str, frame: pl.DataFrame) -> None:
    """Replace warehouse table `name` with a polars frame."""
    con.register("_frame", frame.to_arrow())
    try:
        con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _frame')
    finally:
        con.unregister("_frame")


def count(con, table: str, where: str = "true") -> int:
    return con.execute(f'SELECT count(*) FROM "{table}" WHERE {where}').fetchone()[0]
