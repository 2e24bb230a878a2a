"""Reading input files as text rows, numbered, with reporter identities hashed on the way in.

Every row read comes out either as a row of text columns or as a file-level problem that
the staging SQL turns into one quarantine row per input row; nothing is skipped.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from assets.identifiers import KEY_COLUMNS, Scrubber

COMPLAINT_COLUMNS = (
    "source_id", "channel", "received_at", "category", "complaint_class", "title",
    "description", "district", "village", "lat", "lon", "reporter_id", "is_anonymous",
    "is_confidential", "due_at",
)  # fmt: skip
EVENT_COLUMNS = ("source_id", "event_at", "event_type", "unit_code", "officer_nip", "note")
RATING_COLUMNS = ("source_id", "rated_at", "score", "resolved", "comment")
UNIT_COLUMNS = ("unit_code", "name", "kind", "parent_code", "workweek", "valid_from", "valid_to")
OFFICER_COLUMNS = ("nip", "name", "unit_code", "position", "grade", "valid_from", "valid_to")
OVERRIDE_COLUMNS = ("date", "is_working_day", "note", "applies_to")

TABLES = {
    "complaints": (COMPLAINT_COLUMNS, ("source_id", "channel", "received_at", "category")),
    "events": (EVENT_COLUMNS, ("source_id", "event_at", "event_type")),
    "ratings": (RATING_COLUMNS, ("source_id", "rated_at", "score")),
    "units": (UNIT_COLUMNS, ("unit_code", "name", "kind", "workweek")),
    "officers": (OFFICER_COLUMNS, ("nip", "name", "unit_code", "valid_from")),
    "calendar_overrides": (OVERRIDE_COLUMNS, ("date", "is_working_day", "applies_to")),
    # from HR (docs/predikat.md): perilaku kerja per officer, and each organisation's own
    # predikat kinerja, per period (YYYY-MM, or YYYY for the whole year)
    "behaviour_ratings": (
        ("nip", "period", "behaviour_rating", "note"),
        ("nip", "period", "behaviour_rating"),
    ),
    "organisation_ratings": (
        ("unit_code", "period", "organisation_rating", "note"),
        ("period", "organisation_rating"),
    ),
    # reviewed merge overrides (docs/merging.md); every column is required
    "case_links": (("action", "source_a", "source_id_a", "source_b", "source_id_b", "reason",
                    "reviewed_by", "reviewed_at"),) * 2,
}  # fmt: skip
META = ("source", "file", "row_number", "file_problem")
ROW_PROBLEM = "_row_problem"  # a problem with one record, found while reading it
ORIGINAL_ROW = "original_row"  # a mapped source's own record, as JSON
# the tables citizens write into: reporter ids hashed, identifiers in every value scrubbed
CITIZEN_TABLES = ("complaints", "events", "ratings")


@dataclass(frozen=True)
class Reporters:
    """Turns reporter identifiers into keyed hashes (HMAC-SHA256 with the tenant secret)."""

    secret: bytes

    def hash(self, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        key = value.strip().lower()
        return hmac.new(self.secret, key.encode(), hashlib.sha256).hexdigest()


def find_table_file(folder: Path, table: str) -> Path | None:
    for suffix in (".csv", ".parquet"):
        candidate = folder / f"{table}{suffix}"
        if candidate.exists():
            return candidate
    return None


def empty_frame(table: str) -> pl.DataFrame:
    columns, _ = TABLES[table]
    schema = {
        "source": pl.String,
        "file": pl.String,
        "row_number": pl.Int64,
        "file_problem": pl.String,
    } | {c: pl.String for c in (*columns, ORIGINAL_ROW)}
    return pl.DataFrame(schema=schema)


def read_csv_text(path: Path, separator: str = ",", encoding: str = "utf8") -> pl.DataFrame:
    """All columns as text. Falls back to the csv module to report ragged rows one by one."""
    try:
        return pl.read_csv(
            path, infer_schema=False, missing_utf8_is_empty_string=False,
            raise_if_empty=False, encoding=encoding, separator=separator,
        )  # fmt: skip
    except Exception:
        return _read_csv_rows(path, separator, encoding)


def _read_csv_rows(path: Path, separator: str = ",", encoding: str = "utf8") -> pl.DataFrame:
    text = path.read_bytes().decode(encoding.replace("utf8-lossy", "utf8"), errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    if not rows:
        return pl.DataFrame()
    header, body = _unique_header(rows[0]), rows[1:]
    width = len(header)
    records, problems = [], []
    for fields in body:
        if len(fields) != width:
            problems.append(f"malformed row: {len(fields)} fields, header has {width}")
            fields = (fields + [None] * width)[:width]
        else:
            problems.append(None)
        records.append([f if f != "" else None for f in fields])
    frame = pl.DataFrame(records, schema=dict.fromkeys(header, pl.String), orient="row")
    return frame.with_columns(pl.Series(ROW_PROBLEM, problems, dtype=pl.String))


def _unique_header(names: list[str]) -> list[str]:
    """Header names made unique and non-empty (a blank or repeated name gets a suffix)."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def file_problem_frame(table: str, source: str, file: str, problem: str) -> pl.DataFrame:
    """A file that could not be read at all: one row (row 0) that staging quarantines."""
    return empty_frame(table).vstack(
        pl.DataFrame(
            {"source": [source], "file": [file], "row_number": [0], "file_problem": [problem]},
        ).with_columns(
            [pl.lit(None, pl.String).alias(c) for c in empty_frame(table).columns[4:]]
        ).select(empty_frame(table).columns)
    )  # fmt: skip


def read_table(path: Path, table: str, source: str, reporters: Reporters | None) -> pl.DataFrame:
    """One canonical input file as text columns plus source, file, row_number and
    file_problem."""
    try:
        if path.suffix == ".parquet":
            frame = pl.read_parquet(path)
            frame = frame.with_columns(pl.all().cast(pl.String))
        else:
            frame = read_csv_text(path)
    except Exception as exc:
        problem = f"unreadable file: {type(exc).__name__}: {exc}"
        return file_problem_frame(table, source, path.name, problem)
    frame = frame.rename({c: c.strip().lower() for c in frame.columns})
    return canonical_frame(frame, table, source, path.name, reporters)


def canonical_frame(
    frame: pl.DataFrame,
    table: str,
    source: str,
    file: str,
    reporters: Reporters | None,
    row_numbers: pl.Expr | None = None,
    reporters_hashed: bool = False,
) -> pl.DataFrame:
    """Records already named as the canonical columns, as the raw_<table> rows: text
    columns, reporter ids hashed, numbered (1 = first data row) unless `row_numbers` says
    otherwise, with the row's or file's problem. An optional `original_row` column (the
    source's own record as JSON, built already scrubbed by the caller) is kept.

    In the citizen tables, every value is scrubbed of personal identifiers before any copy
    is kept (assets/identifiers.py): the reporter column is hashed whole; in a row with a
    problem (malformed, shifted, in a file lacking columns) every column is scrubbed fully,
    since its values may sit in the wrong columns; in a good row, every column fully except
    keys, codes, times and coordinates (KEY_COLUMNS: e-mail, phone and, outside ids, NIK
    only). The problem text is scrubbed too: it may quote the record."""
    columns, required = TABLES[table]
    missing = [c for c in required if c not in frame.columns]
    if ROW_PROBLEM not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias(ROW_PROBLEM))
    file_problem = (
        pl.lit(f"file lacks required column(s): {', '.join(missing)}")
        if missing
        else pl.col(ROW_PROBLEM)
    )
    frame = frame.with_columns(
        [pl.lit(None, pl.String).alias(c) for c in (*columns, ORIGINAL_ROW)
         if c not in frame.columns]
    )  # fmt: skip
    if "reporter_id" in columns and not reporters_hashed:
        assert reporters is not None, "complaints need a reporter hasher"
        frame = frame.with_columns(
            pl.col("reporter_id").cast(pl.String).map_elements(reporters.hash,
                                                               return_dtype=pl.String)
        )  # fmt: skip
    if table in CITIZEN_TABLES:
        assert reporters is not None, f"{table} need a hasher for identifiers"
        frame = _scrub_identifiers(frame, columns, Scrubber(reporters), bool(missing))
    if row_numbers is None:
        frame = frame.with_row_index("_row", offset=1)
        row_numbers = pl.col("_row")
    return frame.select(
        pl.lit(source).alias("source"),
        pl.lit(file).alias("file"),
        row_numbers.cast(pl.Int64).alias("row_number"),
        file_problem.cast(pl.String).alias("file_problem"),
        *[pl.col(c).cast(pl.String) for c in columns],
        pl.col(ORIGINAL_ROW).cast(pl.String),
    )


def _scrub_identifiers(
    frame: pl.DataFrame, columns: tuple[str, ...], scrubber: Scrubber, all_broken: bool
) -> pl.DataFrame:
    """The canonical columns and the row problem with identifiers replaced by tokens; the
    reporter column (already a hash) is left alone."""
    broken = frame[ROW_PROBLEM].is_not_null() | all_broken
    return frame.with_columns(
        *[scrubber.series(frame[c], KEY_COLUMNS.get(c, "all"), broken).alias(c)
          for c in columns if c != "reporter_id"],
        scrubber.series(frame[ROW_PROBLEM]).alias(ROW_PROBLEM),
    )  # fmt: skip
