"""Reading input files as text rows, numbered, with reporter identities hashed on the way in.

Every row read comes out either as a row of text columns (with its problem, if reading it
found one) or as a file-level problem that the staging SQL turns into one quarantine row
per input row; nothing is skipped. How each file was read (encoding, reader) is recorded
(`file_entry`, the `raw_files` table). Encodings and limits: docs/sources.md.
"""

from __future__ import annotations

import codecs
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
# internal columns of raw_complaints, not in the data contract: how the source's deadlines
# are judged (from its source.yaml `deadlines:`; null: the policy's default) and the
# source's own verdict (`verdict:`), both set by the reader, never read from a file
DEADLINE_COLUMNS = ("due_rule", "undated_rule")
VERDICT_COLUMN = "source_verdict"
INTERNAL_COLUMNS = {"complaints": (*DEADLINE_COLUMNS, VERDICT_COLUMN)}
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

    def hash_series(self, values: pl.Series) -> pl.Series:
        """`hash` of every value of a column, each distinct value hashed once (a reporter
        who wrote in 40 times costs one HMAC, not 40); the same values as `hash` row by
        row."""
        values = values.cast(pl.String)
        distinct = values.drop_nulls().unique().to_list()
        if not distinct:
            return pl.repeat(None, values.len(), dtype=pl.String, eager=True).alias(values.name)
        hashes = pl.Series([self.hash(v) for v in distinct], dtype=pl.String)
        return values.replace_strict(
            pl.Series(distinct, dtype=pl.String), hashes, default=None, return_dtype=pl.String
        )


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
    } | {c: pl.String for c in (*columns, ORIGINAL_ROW, *INTERNAL_COLUMNS.get(table, ()))}
    return pl.DataFrame(schema=schema)


FIELD_LIMIT = 65_536  # bytes: a longer field quarantines its record (docs/sources.md)
FIELD_KEPT = 200  # characters of an oversized field kept in quarantine
BAD_MARK = "\udcff"  # marks an undecodable byte (sequence) in decoded text; never valid text
codecs.register_error("rapor-mark", lambda err: (BAD_MARK, err.end))
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)  # fmt: skip
FAST_READER = "polars"
ROW_READER = "csv module"


@dataclass(frozen=True)
class Text:
    """A file's bytes decoded: the text, how (the encoding used, as recorded per file),
    and whether some bytes were not valid in that encoding (marked with `BAD_MARK`)."""

    text: str
    encoding: str
    codec: str
    bad: bool

    def bad_problem(self, what: str = "row", declarable: bool = True) -> str:
        """The reason for a record holding bytes the encoding cannot decode."""
        if self.codec != "utf-8":
            fix = "check the encoding declared in source.yaml"
        elif declarable:
            fix = "declare the file's encoding in source.yaml (csv: {encoding: cp1252})"
        else:
            fix = "save the file as UTF-8"
        return f"invalid bytes: this {what} is not valid {self.codec}; {fix}"


def decode_bytes(data: bytes, declared: str = "utf8") -> Text:
    """Bytes as text: a byte order mark (UTF-8, UTF-16, UTF-32) wins; otherwise the
    declared encoding (default UTF-8). Bytes the encoding cannot decode are marked, never
    silently replaced (the records holding them are quarantined); only an explicit
    `utf8-lossy` declaration replaces them with U+FFFD."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], codec, f"{codec} (BOM)")
    if declared.replace("_", "-").lower() in ("utf8-lossy", "utf-8-lossy"):
        return Text(data.decode("utf-8", errors="replace"), "utf-8 (lossy, declared)",
                    "utf-8", False)  # fmt: skip
    try:
        codec = codecs.lookup(declared).name
    except LookupError as exc:
        raise ValueError(f"unknown encoding {declared!r} declared in source.yaml") from exc
    return _decode(data, codec, codec if codec == "utf-8" else f"{codec} (declared)")


def _decode(data: bytes, codec: str, label: str) -> Text:
    try:
        return Text(data.decode(codec), label, codec, False)
    except UnicodeDecodeError:
        return Text(data.decode(codec, errors="rapor-mark"), label, codec, True)


def unmarked(value: str) -> str:
    """Decoded text with its undecodable bytes shown as U+FFFD (storable, printable)."""
    return value.replace(BAD_MARK, "\ufffd")


@dataclass(frozen=True)
class CsvRead:
    """A CSV file read: its rows (text columns and `_row_problem`), which reader read them,
    the encoding used, and why the row-by-row reader was needed (None: it was not)."""

    frame: pl.DataFrame
    reader: str
    encoding: str
    fallback: str | None = None


def read_csv_text(path: Path, separator: str = ",", encoding: str = "utf8") -> pl.DataFrame:
    """All columns as text, with `_row_problem` (see `read_csv`)."""
    return read_csv(path, separator, encoding).frame


def read_csv(path: Path, separator: str = ",", encoding: str = "utf8") -> CsvRead:
    """A CSV file as text columns (empty field: null) with `_row_problem`, numbered in
    order (blank lines are not records). Polars reads a well-formed file; the csv module
    reads, row by row, one Polars refuses or might read differently (ragged rows, stray
    quotes, blank lines, bare CR line ends, bytes not valid in the encoding), so a bad
    record gets its own problem and the others are kept. A field over FIELD_LIMIT bytes
    is a problem of its record."""
    data = path.read_bytes()
    text = decode_bytes(data, encoding)
    if not text.bad:
        if text.encoding in ("utf-8", "utf-8 (BOM)"):  # as it is: no copy
            utf8 = data[len(codecs.BOM_UTF8) :] if text.encoding != "utf-8" else data
        else:
            utf8 = text.text.encode("utf-8")
        try:
            frame = _read_fast(utf8, separator)
        except _NotFast as why:  # recorded per file (raw_files.note)
            fallback = str(why)
        else:
            return CsvRead(_finish(frame), FAST_READER, text.encoding)
    else:
        fallback = text.bad_problem("file").split(";")[0]
    return CsvRead(_finish(_read_csv_rows(text, separator)), ROW_READER, text.encoding, fallback)


class _NotFast(Exception):
    """Why a file is left to the row-by-row reader."""


def _read_fast(data: bytes, separator: str) -> pl.DataFrame:
    """The file (UTF-8) through Polars, checked to hold exactly what the csv module would
    read. Polars fills a short row, accepts an extra trailing separator, reads a blank
    line as a row, drops a bare CR and reads some stray quotes, all silently; so the rows
    it read must write back (with minimal quoting, or with every field quoted) to the very
    bytes of the file. Anything else is left to the row-by-row reader."""
    if data.endswith((b"\n\n", b"\n\r\n")):  # trailing blank lines are not records
        data = data.rstrip(b"\r\n") + b"\n"
    carriage_returns = data.count(b"\r")
    if carriage_returns and carriage_returns != data.count(b"\r\n"):
        raise _NotFast("a carriage return outside a line end")
    try:
        frame = pl.read_csv(
            data, infer_schema=False, raise_if_empty=False, empty_string_is_null=False,
            separator=separator, quote_char='"', encoding="utf8",
        )  # fmt: skip
    except (Exception, pl.exceptions.PanicException) as exc:
        # Polars refused the file: the csv module reads it and says which row is bad
        first = (str(exc).splitlines() or [""])[0]
        raise _NotFast(f"polars: {type(exc).__name__}: {first[:200]}") from exc
    names = frame.columns
    if not names:
        return pl.DataFrame()
    if len(names) < 2:
        raise _NotFast("one column: blank lines cannot be told from blank values")
    if names != unique_header(names) or any("_duplicated_" in n for n in names):
        raise _NotFast("blank or repeated column names")
    end = "\r\n" if carriage_returns else "\n"
    target = data if data.endswith(b"\n") else data + end.encode()
    # minimal quoting writes an empty field as nothing (Polars: as null), all quoting as ""
    nulled = frame.with_columns(pl.all().replace("", None))
    for rows, style in ((nulled, "necessary"), (frame, "always")):
        written = rows.write_csv(
            separator=separator, quote_style=style, line_terminator=end, null_value=""
        )
        if written.encode("utf-8") == target:
            return frame
    raise _NotFast(
        "the rows Polars read do not write back to the file (ragged rows, blank lines, "
        "stray quotes or uncommon quoting)"
    )


def _finish(frame: pl.DataFrame) -> pl.DataFrame:
    """What both readers give: empty fields as null, and a record with a field over
    FIELD_LIMIT bytes marked (its value cut to FIELD_KEPT characters for quarantine)."""
    if ROW_PROBLEM not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias(ROW_PROBLEM))
    text = [c for c in frame.columns if c != ROW_PROBLEM]
    if not text:
        return frame
    over = [
        pl.when(pl.col(c).str.len_bytes() > FIELD_LIMIT).then(
            pl.format(f"field over {FIELD_LIMIT} bytes: {{}} ({{}} bytes)",
                      pl.lit(c), pl.col(c).str.len_bytes())
        )
        for c in text
    ]  # fmt: skip
    return frame.with_columns(
        *[
            pl.when(pl.col(c) == "").then(None)
            .when(pl.col(c).str.len_bytes() > FIELD_LIMIT)
            .then(pl.col(c).str.slice(0, FIELD_KEPT) + "…")
            .otherwise(pl.col(c)).alias(c)
            for c in text
        ],
        pl.coalesce(pl.col(ROW_PROBLEM), *over).alias(ROW_PROBLEM),
    )  # fmt: skip


def _read_csv_rows(text: Text, separator: str = ",") -> pl.DataFrame:
    """The csv module's reading, record by record: a ragged row, a record with bytes the
    encoding cannot decode, and the lines after a quote never closed are each a row with
    its problem. Empty fields stay "" here (`_finish` makes them null)."""
    csv.field_size_limit(2**31 - 1)  # FIELD_LIMIT is checked per record instead
    lines = io.StringIO(text.text, newline="").readlines()
    reader = csv.reader(iter(lines), delimiter=separator)
    rows: list[tuple[list[str], str | None, int]] = []  # fields, problem, first line
    start = 0
    for fields in reader:
        if fields:
            rows.append((fields, None, start))
        start = reader.line_num
    if not rows:
        return pl.DataFrame()
    rows = _split_unclosed(rows, lines, separator)
    (header, _, _), body = rows[0], rows[1:]
    header = unique_header([unmarked(n) for n in header])
    width = len(header)
    bad_header = text.bad and any(BAD_MARK in n for n in rows[0][0])
    records, problems = [], []
    for fields, problem, _ in body:
        if problem is None and len(fields) != width:
            problem = f"malformed row: {len(fields)} fields, header has {width}"
        if text.bad and any(BAD_MARK in f for f in fields):
            problem = problem or text.bad_problem()
            fields = [unmarked(f) for f in fields]
        if bad_header:
            problem = problem or text.bad_problem("header")
        records.append(fields if len(fields) == width else (fields + [None] * width)[:width])
        problems.append(problem)
    frame = pl.DataFrame(records, schema=dict.fromkeys(header, pl.String), orient="row")
    return frame.with_columns(pl.Series(ROW_PROBLEM, problems, dtype=pl.String))


def _split_unclosed(rows: list, lines: list[str], separator: str) -> list:
    """A quote opened and never closed swallows the rest of the file into one record:
    read the lines from that record on one by one, each a row with the problem."""
    _, _, start = rows[-1]
    try:
        list(csv.reader(iter(lines[start:]), delimiter=separator, strict=True))
        return rows
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return rows
    problem = f"malformed row: a quote opened on line {start + 1} is never closed"
    split = [
        (line.rstrip("\r\n").split(separator), problem, start + i)
        for i, line in enumerate(lines[start:]) if line.strip("\r\n")
    ]  # fmt: skip
    return rows[:-1] + split


def unique_header(names: list[str]) -> list[str]:
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


def file_problem_frame(
    table: str, source: str, file: str, problem: str, rows: int = 0
) -> pl.DataFrame:
    """A file that could not be read at all, for staging to quarantine: one row per row
    it holds (1..rows) when they can be counted, else one row (row 0) for the file."""
    numbers = list(range(1, rows + 1)) if rows > 0 else [0]
    columns = empty_frame(table).columns
    return pl.DataFrame(
        {"source": source, "file": file,
         "row_number": pl.Series(numbers, dtype=pl.Int64), "file_problem": problem},
    ).with_columns(
        [pl.lit(None, pl.String).alias(c) for c in columns[4:]]
    ).select(columns)  # fmt: skip


def unreadable(path: Path, exc: BaseException, kind: str | None) -> tuple[str, int]:
    """The problem of a file that cannot be read at all (with its size) and how many rows
    it holds, when they can be counted: a CSV's non-blank lines after the header, a JSON
    Lines file's non-blank lines; 0 (uncountable: one row for the file) otherwise."""
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    size = f"{len(data)} bytes" if data is not None else "size unknown"
    problem = f"unreadable file ({size}): {type(exc).__name__}: {exc}"[:500]
    if data is None or kind not in ("csv", "jsonl"):
        return problem, 0
    lines = sum(1 for line in data.splitlines() if line.strip())
    return problem, max(lines - (kind == "csv"), 0)


INVENTORY_SCHEMA = {
    "source": pl.String, "file": pl.String, "input_table": pl.String, "format": pl.String,
    "encoding": pl.String, "reader": pl.String, "bytes": pl.Int64, "rows": pl.Int64,
    "note": pl.String,
}  # fmt: skip


def file_entry(
    source: str,
    file: str,
    table: str,
    fmt: str,
    path: Path,
    rows: int,
    encoding: str | None = None,
    reader: str | None = None,
    note: str | None = None,
) -> dict:
    """One file read, as a row of the `raw_files` inventory (INVENTORY_SCHEMA)."""
    try:
        size = path.stat().st_size
    except OSError:
        size = None
    return {"source": source, "file": file, "input_table": table, "format": fmt,
            "encoding": encoding, "reader": reader or fmt, "bytes": size, "rows": rows,
            "note": note}  # fmt: skip


def inventory_frame(entries: list[dict]) -> pl.DataFrame:
    """The `raw_files` table: every input file read, with how it was read."""
    return pl.DataFrame(entries, schema=INVENTORY_SCHEMA)


def read_table(
    path: Path,
    table: str,
    source: str,
    reporters: Reporters | None,
    encoding: str = "utf8",
    inventory: list[dict] | None = None,
) -> pl.DataFrame:
    """One canonical input file as text columns plus source, file, row_number and
    file_problem; how it was read is added to `inventory` when given."""
    fmt = "parquet" if path.suffix == ".parquet" else "csv"
    encoding_used = reader = note = None
    try:
        if fmt == "parquet":
            frame = pl.read_parquet(path)
            frame = frame.with_columns(pl.all().cast(pl.String))
        else:
            read = read_csv(path, encoding=encoding)
            frame, encoding_used = read.frame, read.encoding
            reader, note = read.reader, read.fallback
    except Exception as exc:
        problem, rows = unreadable(path, exc, fmt)
        if reporters is not None:  # an error may quote the file's text
            problem = Scrubber(reporters).scrub(problem)
        frame = file_problem_frame(table, source, path.name, problem, rows)
        note = problem
    else:
        frame = frame.rename({c: c.strip().lower() for c in frame.columns})
        # internal columns are the reader's to set, never a file's
        frame = frame.drop([c for c in INTERNAL_COLUMNS.get(table, ()) if c in frame.columns])
        frame = canonical_frame(frame, table, source, path.name, reporters)
    if inventory is not None:
        inventory.append(file_entry(source, path.name, table, fmt, path, frame.height,
                                    encoding_used, reader, note))  # fmt: skip
    return frame


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
    internal = INTERNAL_COLUMNS.get(table, ())
    frame = frame.with_columns(
        [pl.lit(None, pl.String).alias(c) for c in (*columns, ORIGINAL_ROW, *internal)
         if c not in frame.columns]
    )  # fmt: skip
    if "reporter_id" in columns and not reporters_hashed:
        assert reporters is not None, "complaints need a reporter hasher"
        frame = frame.with_columns(reporters.hash_series(frame["reporter_id"]))
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
        *[pl.col(c).cast(pl.String) for c in internal],
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
