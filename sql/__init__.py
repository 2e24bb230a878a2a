"""The SQL rapor runs, one file per table it writes (plus `macros.sql`).

Values are passed as DuckDB named parameters (`$name`), never by string formatting.
"""

from pathlib import Path

SQL_DIR = Path(__file__).parent


def text(name: str) -> str:
    """The text of `sql/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text()


def names() -> list[str]:
    return sorted(p.stem for p in SQL_DIR.glob("*.sql"))
