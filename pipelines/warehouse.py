"""DuckDB connections and running the SQL files of `sql/` with named parameters."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

import sql


def connect(path: Path | str, read_only: bool = False, memory_limit: str | None = None):
    """A DuckDB connection with rapor's macros loaded."""
    if not read_only:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("SET TimeZone = 'UTC'")
    # row order in tables carries no meaning here (queries sort); dropping it lets DuckDB
    # write in parallel
    con.execute("SET preserve_insertion_order = false")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")  # a setting, not a value
    if not read_only:
        run_sql(con, "macros")
    return con


def run_sql(con, name: str, params: Mapping[str, Any] | None = None) -> None:
    """Run every statement of `sql/<name>.sql`, each with the parameters it names.

    DuckDB binds parameters only in the last statement of a multi-statement string, so the
    file is split into statements and each runs on its own.
    """
    params = dict(params or {})
    for statement in con.extract_statements(sql.text(name)):
        wanted = set(statement.named_parameters)
        missing = wanted - params.keys()
        if missing:
            raise KeyError(f"sql/{name}.sql needs parameters {sorted(missing)}")
        con.execute(statement.query, {k: params[k] for k in wanted} if wanted else None)
