"""Every SQL file parses, and names only parameters the pipeline provides."""

import duckdb
import pytest

import sql
from pipelines.policy import load_policy

RUNTIME_PARAMS = {"tenant", "tz", "now", "as_of_date", "run_id", "month_from", "month_to"}


@pytest.mark.parametrize("name", sql.names())
def test_sql_file_parses_and_names_known_parameters(name):
    con = duckdb.connect()
    statements = con.extract_statements(sql.text(name))
    assert statements, f"sql/{name}.sql holds no statement"
    known = RUNTIME_PARAMS | load_policy().sql_params().keys()
    for statement in statements:
        unknown = set(statement.named_parameters) - known
        assert not unknown, f"sql/{name}.sql names unknown parameters {unknown}"


def test_every_sql_file_is_used_by_code():
    from pathlib import Path

    code = "\n".join(p.read_text() for d in ("assets", "pipelines") for p in Path(d).rglob("*.py"))
    unused = [n for n in sql.names() if f'"{n}"' not in code]
    assert not unused, f"SQL files nobody runs: {unused}"
