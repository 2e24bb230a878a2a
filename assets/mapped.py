"""Reading a mapped source (see pipelines/mappings.py and docs/sources.md): its files, in
their own format, turned into canonical raw rows by the mapping.

Each record keeps its file and row number (1 = first data record; for JSON Lines, the
line number) and its original fields as JSON (`original_row`), so a quarantined row can be
found in the export it came from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import polars as pl

from assets.identifiers import KEY_COLUMNS, Scrubber
from assets.readers import (
    BAD_MARK,
    ORIGINAL_ROW,
    ROW_PROBLEM,
    VERDICT_COLUMN,
    Reporters,
    Text,
    canonical_frame,
    decode_bytes,
    empty_frame,
    file_entry,
    file_problem_frame,
    read_csv,
    unique_header,
    unmarked,
    unreadable,
)
from pipelines.mappings import (
    DATABASE_FORMATS,
    MAPPING_FILE,
    TIMESTAMP_FIELDS,
    Condition,
    FieldSpec,
    Mapping,
    MappingError,
    TableSpec,
    Verdict,
    origin_problem,
    outside_problem,
)

ROW = "_source_row"  # the record's number in its file, carried through the mapping
DEFAULT_GLOB = {"csv": "*.csv", "xlsx": "*.xlsx", "json": "*.json", "jsonl": "*.jsonl",
                "open311": "*.json"}  # fmt: skip
LANDING_DIR = "landing"  # inside the source folder: what fetches from servers wrote
HARMLESS_FILES = frozenset({".gitkeep", ".DS_Store", "Thumbs.db", "desktop.ini"})
MAX_DEPTH = 64  # JSON records nested deeper are quarantined (docs/sources.md)
TOO_DEEP = f"malformed record: nested deeper than {MAX_DEPTH} levels"


def _text(value) -> str | None:
    """A record value as the text staging reads."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    text = str(value)
    return text if text.strip() != "" else None


def _flatten(record: dict, prefix: str = "") -> dict[str, str | None]:
    """A JSON object's fields as text, nested objects flattened with dots (iteratively:
    `_too_deep` has bounded the depth, and no nesting can exhaust the stack here)."""
    out: dict[str, str | None] = {}
    stack = [(prefix, record)]
    while stack:
        base, obj = stack.pop()
        nested = []
        for key, value in obj.items():
            name = f"{base}{key}"
            if isinstance(value, dict):
                nested.append((f"{name}.", value))
            else:
                out[name] = _text(value)
        stack.extend(reversed(nested))
    return out


def _too_deep(value, limit: int = MAX_DEPTH) -> bool:
    """Whether objects and lists nest more than `limit` levels (counted without
    recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            stack.extend(
                (v, depth + 1) for v in (item.values() if isinstance(item, dict) else item)
            )
    return False


def _record(item, shown: str | None = None) -> tuple[dict, str | None]:
    """One parsed JSON value as a record's fields and its problem (`shown`: its text)."""
    if _too_deep(item):
        return {}, TOO_DEEP
    if not isinstance(item, dict):
        shown = _text(item) if shown is None else shown.strip()
        return {}, f"malformed record: not a JSON object: {shown}"[:300]
    return _flatten(item), None


def _parse(text: str):
    """A JSON value and None, or None and the problem that stops it being read (deep
    nesting included: the json module raises RecursionError)."""
    try:
        return json.loads(text), None
    except RecursionError:
        return None, TOO_DEEP
    except ValueError as exc:
        return None, f"malformed JSON: {exc}"[:300]


def _checked(fields: dict, problem: str | None, text: Text) -> tuple[dict, str | None]:
    """A record read from a file holding bytes its encoding could not decode: if the
    record holds some, they show as U+FFFD and the record is quarantined with the reason."""
    if not text.bad:
        return fields, problem
    if any(BAD_MARK in k or (v is not None and BAD_MARK in v) for k, v in fields.items()):
        fields = {unmarked(k): v if v is None else unmarked(v) for k, v in fields.items()}
        problem = problem or text.bad_problem("record", declarable=False)
    return fields, problem if problem is None else unmarked(problem)


def _records_frame(records: list[dict], problems: list[str | None], numbers: list[int]):
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    # built from the row numbers first: records with no fields at all still count as rows
    return pl.DataFrame(
        [pl.Series(ROW, numbers, dtype=pl.Int64),
         pl.Series(ROW_PROBLEM, problems, dtype=pl.String),
         *[pl.Series(n, [r.get(n) for r in records], dtype=pl.String) for n in names]]
    )  # fmt: skip


def read_json_records(path: Path, records_path: tuple[str, ...] = ()) -> pl.DataFrame:
    """A JSON document holding a list of objects (at `records_path`), one row per object.
    When the document as a whole cannot be parsed (a record nested too deep, one bad
    element), its list is split into elements, each read on its own: one bad record is
    quarantined, not the file."""
    return _json_records(decode_bytes(path.read_bytes()), records_path)


def _json_records(text: Text, records_path: tuple[str, ...]) -> pl.DataFrame:
    doc, problem = _parse(text.text)
    if problem is None:
        for key in records_path:
            doc = doc.get(key) if isinstance(doc, dict) else None
        if not isinstance(doc, list):
            where = ".".join(records_path) or "the top level"
            raise ValueError(f"no list of records at {where}")
        parsed = [(item, None, None) for item in doc]
    else:
        parsed = [(*_parse(e), e) for e in _array_items(text.text, records_path, problem)]
    records, problems = [], []
    for item, problem, shown in parsed:
        fields = {}
        if problem is None:
            fields, problem = _record(item, shown)
        fields, problem = _checked(fields, problem, text)
        records.append(fields)
        problems.append(problem)
    return _records_frame(records, problems, list(range(1, len(records) + 1)))


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+', re.S)


def _array_items(text: str, records_path: tuple[str, ...], problem: str) -> list[str]:
    """The texts of the elements of the list at `records_path`, found by scanning the
    document's tokens (no parsing, so no depth limit); ValueError when there is none."""
    stack: list[list] = []  # [bracket, path to it, key being read (objects)]
    target = tuple(records_path)
    depth = None  # stack depth inside the target list
    items, start, last_string = [], None, None
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if depth is not None and len(stack) == depth and start is None and tok not in ",]":
            start = m.start()
        if tok in "[{":
            if not stack:
                where = ()
            elif stack[-1][0] == "{":
                where = (*stack[-1][1], stack[-1][2])
            else:
                where = (*stack[-1][1], None)
            stack.append([tok, where, None])
            if tok == "[" and where == target and depth is None:
                depth = len(stack)
        elif tok in "]}":
            if depth is not None and len(stack) == depth:
                if start is not None:
                    items.append(text[start : m.start()])
                return items
            if not stack:
                break
            stack.pop()
        elif tok == ",":
            if depth is not None and len(stack) == depth and start is not None:
                items.append(text[start : m.start()])
                start = None
        elif tok == ":":
            if stack and stack[-1][0] == "{" and last_string is not None:
                stack[-1][2] = last_string
        elif tok.startswith('"'):
            try:
                last_string = json.loads(tok)
            except ValueError:
                last_string = None
            continue
        last_string = None
    raise ValueError(f"no list of records found ({problem})")


def read_jsonl_records(path: Path) -> pl.DataFrame:
    """A JSON Lines file, one row per non-blank line (lines end with LF or CRLF); a line
    that is not a JSON object, is nested too deep or holds bytes that are not valid UTF-8
    is kept as a row with its problem (numbered by its line)."""
    return _jsonl_records(decode_bytes(path.read_bytes()))


def _jsonl_records(text: Text) -> pl.DataFrame:
    records, problems, numbers = [], [], []
    for number, line in enumerate(text.text.split("\n"), start=1):
        if not line.strip():
            continue
        numbers.append(number)
        item, problem = _parse(line)
        fields = {}
        if problem is None:
            fields, problem = _record(item, line)
        elif problem.startswith("malformed JSON:"):
            problem = problem.replace("malformed JSON:", "malformed JSON line:", 1)
        fields, problem = _checked(fields, problem, text)
        records.append(fields)
        problems.append(problem)
    return _records_frame(records, problems, numbers)


def read_xlsx_records(path: Path) -> pl.DataFrame:
    """The first sheet of a workbook, first row as header, every cell as text. A formula
    cell reads as the value Excel computed and saved; a formula without one (a workbook
    written by a program, never opened in Excel) is a problem of its record, never a
    blank."""
    header, rows, formulas = _xlsx_cells(path, data_only=False)
    if header is None:
        return pl.DataFrame()
    cached = _xlsx_cells(path, data_only=True)[1] if formulas else {}
    named = [_text(h) or "" for h in header]
    while named and not named[-1]:
        named.pop()  # blank header cells at the end are not columns
    names = unique_header(named)
    records, numbers, problems = [], [], []
    for number, values in rows.items():
        problem = None
        for i in formulas.get(number, ()):
            value = cached[number][i] if i < len(cached.get(number, ())) else None
            if value is None:
                letter = _column_letter(i)
                column = names[i] if i < len(names) else letter
                problem = problem or (
                    f"formula without a computed value in column {column}"
                    f" (cell {letter}{number + 1}: {values[i]})"
                )
            else:
                values[i] = value
        extra = [v for v in values[len(names) :] if v is not None]
        if extra:
            problem = problem or (
                f"malformed row: {len(extra)} value(s) beyond the header's {len(names)} columns"
            )
        records.append(dict(zip(names, values, strict=False)))
        numbers.append(number)
        problems.append(problem)
    return _records_frame(records, problems, numbers)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _xlsx_cells(path: Path, data_only: bool):
    """The first sheet's header and its non-blank rows (by data row number, 1 = the row
    under the header) as text; without `data_only`, also where the formula cells are."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=data_only)
    rows: dict[int, list] = {}
    formulas: dict[int, list[int]] = {}
    try:
        cells = book.worksheets[0].iter_rows()
        first = next(cells, None)
        if first is None:
            return None, rows, formulas
        header = [c.value for c in first]
        for number, row in enumerate(cells, start=1):
            values = [_text(c.value) for c in row]
            found = [i for i, c in enumerate(row) if c.data_type == "f"]
            if all(v is None for v in values):
                continue  # trailing formatted-but-empty rows are not records
            if found:  # only without data_only: the formula itself, not its value
                formulas[number] = found
                for i in found:
                    values[i] = getattr(row[i].value, "text", None) or str(row[i].value)
            rows[number] = values
    finally:
        book.close()
    return header, rows, formulas


def read_records(path: Path, mapping: Mapping) -> tuple[pl.DataFrame, dict]:
    """One file of a mapped source as text records with their row numbers; the values the
    mapping lists as `blanks` (N/A, -) read as blank. Also how it was read: format,
    encoding, reader and why the row-by-row CSV reader was needed (`file_entry`)."""
    frame, how = _read_records(path, mapping)
    if not mapping.blanks:
        return frame, how
    blanks = list(mapping.blanks)
    text = [c for c in frame.columns if c not in (ROW, ROW_PROBLEM)]
    return frame.with_columns(
        pl.when(pl.col(c).str.strip_chars().is_in(blanks)).then(None).otherwise(pl.col(c)).alias(c)
        for c in text
    ), how


def _format(path: Path, mapping: Mapping) -> str:
    fmt = "jsonl" if is_fetched(mapping) else mapping.format
    if fmt in ("json", "open311") and path.suffix == ".jsonl":
        return "jsonl"
    return "json" if fmt == "open311" else fmt


def _read_records(path: Path, mapping: Mapping) -> tuple[pl.DataFrame, dict]:
    fmt = _format(path, mapping)
    if fmt == "csv":
        read = read_csv(path, mapping.csv_delimiter, mapping.encoding)
        frame = read.frame.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
        return frame, {"fmt": fmt, "encoding": read.encoding, "reader": read.reader,
                       "note": read.fallback}  # fmt: skip
    if fmt == "xlsx":
        return read_xlsx_records(path), {"fmt": fmt, "reader": "openpyxl"}
    text = decode_bytes(path.read_bytes())
    how = {"fmt": fmt, "encoding": text.encoding, "reader": "json"}
    if fmt == "jsonl":
        return _jsonl_records(text), how
    return _json_records(text, mapping.records_path), how


def _read_file(path, mapping, table, source, name, inventory, scrub):
    """`read_records` (records, None), with the file added to `inventory` when given; a
    file that cannot be read at all gives (None, its file problem frame, `unreadable`),
    its problem passed through `scrub` (an error may quote the file's text)."""
    unread = None
    try:
        records, how = read_records(path, mapping)
    except Exception as exc:
        fmt = _format(path, mapping)
        problem, rows = unreadable(path, exc, fmt)
        problem = scrub(problem)
        records = unread = file_problem_frame(table, source, name, problem, rows)
        how = {"fmt": fmt, "note": problem}
    if inventory is not None:
        inventory.append(file_entry(source, name, table, how.pop("fmt"), path, records.height,
                                    **how))  # fmt: skip
    return (None, unread) if unread is not None else (records, None)


def is_fetched(mapping: Mapping) -> bool:
    """A source rapor fetches from a server (a database, an Open311 endpoint)."""
    return mapping.format in DATABASE_FORMATS or (mapping.format == "open311" and bool(mapping.url))


def landing_dir(folder: Path, table: str) -> Path:
    """Where the fetches of a fetched source's table land, one JSON Lines file per fetch."""
    return folder / LANDING_DIR / table


def source_files(folder: Path, mapping: Mapping, table: str, pattern: str | None) -> list[Path]:
    """The files a table reads, in name order (a later file's version of a complaint
    replaces an earlier one); fetched sources read what their fetches landed. Only files
    inside the folder: a pattern or a file (a symbolic link) that leads outside it is
    refused with a MappingError, so the run fails before anything is published."""
    if is_fetched(mapping):
        found = landing_dir(folder, table).glob("fetch-*.jsonl")
    else:
        glob = pattern or DEFAULT_GLOB[mapping.format]
        problem = origin_problem(glob)
        if problem:
            raise MappingError(
                f"sources/{folder.name}/{MAPPING_FILE}: {table}.from: {glob!r} refused: {problem}"
            )
        found = folder.glob(glob)
    files = sorted(p for p in found if p.is_file())
    for path in files:
        problem = outside_problem(folder, path)
        if problem:
            raise MappingError(f"sources/{folder.name}: {table}: refused: {problem}")
    return files


def unread_files(folder: Path, read: list[Path], fetched: bool = False) -> list[Path]:
    """The files of a source folder that no table reads, in name order: everything but
    the files read, `source.yaml`, a fetched source's `landing/` folder and the few files
    that are never data (README*, .gitkeep, and what file browsers leave: .DS_Store,
    Thumbs.db, desktop.ini)."""
    taken = {p.resolve() for p in read}
    out = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or path.resolve() in taken:
            continue
        if rel.as_posix() == MAPPING_FILE or (fetched and rel.parts[0] == LANDING_DIR):
            continue
        if path.name.upper().startswith("README") or path.name in HARMLESS_FILES:
            continue
        out.append(path)
    return out


# --- applying a mapping ---------------------------------------------------------------


def _trimmed(column: str) -> pl.Expr:
    text = pl.col(column).cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def _field_expr(spec: FieldSpec) -> pl.Expr:
    if spec.value is not None:
        return pl.lit(spec.value, pl.String)
    raw = pl.col(spec.column).cast(pl.String)
    default = pl.lit(spec.default, pl.String)
    if not spec.map:
        return raw if spec.default is None else pl.coalesce(_trimmed(spec.column), default)
    key = _trimmed(spec.column).str.to_lowercase()
    fallback = raw if spec.default is None else default
    return pl.when(key.is_in(list(spec.map))).then(
        key.replace_strict(spec.map, default=None, return_dtype=pl.String)
    ).otherwise(fallback)  # fmt: skip


def _pattern_problems(specs: dict[str, FieldSpec]) -> pl.Expr:
    """The first field whose value does not match its declared pattern, as a problem."""
    checks = [
        pl.when(_trimmed(s.column).is_not_null()
                & ~_trimmed(s.column).str.contains(s.pattern).fill_null(True))
        .then(pl.lit(f"{name} does not match {s.pattern}: ") + _trimmed(s.column))
        for name, s in specs.items() if s.pattern and s.column
    ]  # fmt: skip
    return pl.coalesce(checks) if checks else pl.lit(None, pl.String)


# a zone after a time of day: Z, UTC, GMT or an offset (+07:00, +0700, +07, -05:00)
ZONE_SUFFIX = r"(?i)(\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)$"


def _zone_offset(text: pl.Expr) -> pl.Expr:
    """The zone a timestamp text ends with as an ISO offset (+00:00 for Z, UTC, GMT;
    +08:00 for +0800 or +08), or null when it names none."""
    suffix = text.str.extract(ZONE_SUFFIX, 2).str.to_uppercase()
    return (
        pl.when(suffix.is_in(["Z", "UTC", "GMT"])).then(pl.lit("+00:00"))
        .when(suffix.str.len_chars() == 3).then(suffix + ":00")
        .when(suffix.str.len_chars() == 5)
        .then(suffix.str.slice(0, 3) + ":" + suffix.str.slice(3, 2))
        .otherwise(suffix)
    )  # fmt: skip


def _timestamp_expr(expr: pl.Expr, mapping: Mapping) -> pl.Expr:
    """A source timestamp rewritten as ISO 8601 when it matches a declared format;
    otherwise left as it came, for staging to read (ISO) or to quarantine. A zone the
    value itself carries (Z, UTC, an offset; or a format's %z) is kept as its offset and
    wins over the mapping's `timezone`; without one, the mapping's zone gives the offset,
    and without that the value stays local time of the tenant."""
    if not mapping.timestamp_formats:
        return expr
    text = expr.str.strip_chars()
    offset = _zone_offset(text)
    base = text.str.replace(ZONE_SUFFIX, "${1}")
    isos = []
    for fmt in mapping.timestamp_formats:
        if any(zone in fmt for zone in ("%z", "%:z", "%#z")):  # the format reads the offset
            parsed = text.str.strptime(pl.Datetime("us", "UTC"), fmt, strict=False)
            isos.append(parsed.dt.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
            continue
        parsed = base.str.strptime(pl.Datetime("us"), fmt, strict=False)
        given = parsed.dt.strftime("%Y-%m-%dT%H:%M:%S") + offset
        if mapping.timezone:
            zoned = parsed.dt.replace_time_zone(
                mapping.timezone, ambiguous="earliest", non_existent="null"
            ).dt.strftime("%Y-%m-%dT%H:%M:%S%:z")
        else:
            zoned = parsed.dt.strftime("%Y-%m-%d %H:%M:%S")
        isos.append(pl.when(offset.is_not_null()).then(given).otherwise(zoned))
    iso = pl.coalesce(isos)
    return pl.when(iso.is_not_null()).then(iso).otherwise(expr)


def _condition_expr(cond: Condition) -> pl.Expr:
    hit = _trimmed(cond.column).str.to_lowercase().is_in(list(cond.values)).fill_null(False)
    return ~hit if cond.negate else hit


def _needed_columns(specs: dict[str, FieldSpec], extra: tuple[str, ...] = ()) -> set[str]:
    return {c for s in specs.values() for c in s.columns} | set(extra)


def _verdict_expr(verdict: Verdict) -> pl.Expr:
    """The source's own verdict as on_time or overdue; a value in neither list is
    "unknown" (its text is not kept: it is counted, not judged); a blank is null."""
    value = _trimmed(verdict.column).str.to_lowercase()
    return (
        pl.when(value.is_null()).then(pl.lit(None, pl.String))
        .when(value.is_in(list(verdict.on_time))).then(pl.lit("on_time"))
        .when(value.is_in(list(verdict.overdue))).then(pl.lit("overdue"))
        .otherwise(pl.lit("unknown"))
        .alias(VERDICT_COLUMN)
    )  # fmt: skip


def _map_table(
    records: pl.DataFrame,
    specs: dict[str, FieldSpec],
    mapping: Mapping,
    verdict: Verdict | None = None,
) -> pl.DataFrame:
    exprs = [_verdict_expr(verdict)] if verdict is not None else []
    for name, spec in specs.items():
        expr = _field_expr(spec)
        if name in TIMESTAMP_FIELDS:
            expr = _timestamp_expr(expr, mapping)
        exprs.append(expr.alias(name))
    problem = pl.coalesce(pl.col(ROW_PROBLEM), _pattern_problems(specs)).alias(ROW_PROBLEM)
    return records.select(*exprs, problem, ROW, ORIGINAL_ROW)


def _with_missing(
    records: pl.DataFrame, needed: set[str], optional: set[str], strict: bool
) -> pl.DataFrame:
    """Columns the mapping names but the file lacks: null (JSON: an absent key is a null),
    and for tabular files, unless the mapping calls them optional, a problem on every row."""
    missing = sorted(needed - set(records.columns))
    if not missing:
        return records
    records = records.with_columns([pl.lit(None, pl.String).alias(c) for c in missing])
    required = [c for c in missing if c not in optional]
    if strict and required:
        problem = f"file lacks mapped column(s): {', '.join(required)}"
        records = records.with_columns(
            pl.coalesce(pl.col(ROW_PROBLEM), pl.lit(problem)).alias(ROW_PROBLEM)
        )
    return records


def _supersede(parts: list[tuple[str, pl.DataFrame]], key: str) -> list[tuple[str, pl.DataFrame]]:
    """Across the files of a keyed table (in name order), the last record with a key wins:
    earlier ones get the problem 'superseded: by <file> row <n>', so they are kept, with
    their values, in quarantine."""
    latest: dict[str, tuple[str, int]] = {}
    for name, records in parts:
        if key not in records.columns:
            continue
        for value, row in records.select(_trimmed(key), ROW).iter_rows():
            if value is not None:
                latest[value] = (name, row)
    if not latest:
        return parts
    winners = pl.DataFrame(
        {"_key": list(latest), "_by_file": [v[0] for v in latest.values()],
         "_by_row": [v[1] for v in latest.values()]},
        schema={"_key": pl.String, "_by_file": pl.String, "_by_row": pl.Int64},
    )  # fmt: skip
    out = []
    for name, records in parts:
        if key not in records.columns:
            out.append((name, records))
            continue
        joined = records.with_columns(_trimmed(key).alias("_key")).join(
            winners, on="_key", how="left", maintain_order="left"
        )
        lost = (pl.col("_by_file") != name) | (pl.col("_by_row") != pl.col(ROW))
        problem = pl.when(lost.fill_null(False)).then(
            pl.format("superseded: by {} row {}", "_by_file", "_by_row")
        )
        out.append((name, joined.with_columns(
            pl.coalesce(pl.col(ROW_PROBLEM), problem).alias(ROW_PROBLEM)
        ).drop("_key", "_by_file", "_by_row")))  # fmt: skip
    return out


def _derive_events(records: pl.DataFrame, spec: TableSpec, complaints: TableSpec, mapping):
    """The events a one-row-per-case record yields, one frame per event kind. With
    `otherwise: quarantine`, a record whose `when` column says the event did not happen
    while its `at` column has a value contradicts itself: it yields the event with a
    problem, so the row is quarantined rather than the value ignored."""
    source_id = _field_expr(complaints.fields["source_id"])
    out = []
    for event in spec.derived:
        at = _field_expr(event.at)
        present = at.str.strip_chars().fill_null("") != ""
        problem = pl.col(ROW_PROBLEM)
        if event.when is None:
            keep = present
        elif event.otherwise == "ignore":
            keep = _condition_expr(event.when)
        else:
            happened = _condition_expr(event.when)
            keep = happened | present
            said = _trimmed(event.when.column).fill_null("(blank)")
            contradiction = pl.format(
                "inconsistent record: {} is set but {} is {} ({} needs {}{})",
                pl.lit(event.at.column or "at"),
                pl.lit(event.when.column),
                said,
                pl.lit(event.event_type),
                pl.lit("none of " if event.when.negate else "one of "),
                pl.lit(", ".join(event.when.values)),
            )
            problem = pl.coalesce(problem, pl.when(~happened).then(contradiction))
        fields = [
            source_id.alias("source_id"),
            _timestamp_expr(at, mapping).alias("event_at"),
            pl.lit(event.event_type).alias("event_type"),
        ]
        fields += [_field_expr(s).alias(k) for k, s in event.fields.items()]
        # the record's original_row is not copied to each of its events: quarantine.sql
        # reads it from the complaint row ('export.csv#resolved' row n = 'export.csv' row n)
        rows = records.filter(keep).select(
            *fields, problem.alias(ROW_PROBLEM), ROW, pl.lit(None, pl.String).alias(ORIGINAL_ROW)
        )
        out.append((event.event_type, rows))
    return out


def _hash_reporters(records: pl.DataFrame, spec: TableSpec, reporters: Reporters):
    """The column that holds reporter identities, hashed in the record itself, so neither
    the mapped row nor the original record kept for quarantine holds it in clear."""
    column = _reporter_column(spec)
    if column is None or column not in records.columns:
        return records
    return records.with_columns(reporters.hash_series(records[column]))


def _reporter_column(spec: TableSpec) -> str | None:
    field = spec.fields.get("reporter_id")
    return field.column if field is not None and field.column else None


def _original_row(
    records: pl.DataFrame,
    named: set[str],
    keys: dict[str, str],
    hashed: str | None,
    scrubber: Scrubber,
) -> pl.Series:
    """The record's own fields as JSON, for quarantine: only the fields the mapping names
    (and its `keep_fields`), each scrubbed of identifiers (assets/identifiers.py): fields
    mapped to keys, codes, times and coordinates at their level (`keys`, as KEY_COLUMNS),
    every other field, and every field of a record the reader found broken, fully.
    `hashed` (the reporter column) is a hash already."""
    kept = [c for c in records.columns if c in named and c not in (ROW, ROW_PROBLEM)]
    if not kept:
        return pl.repeat(None, records.height, dtype=pl.String, eager=True).alias(ORIGINAL_ROW)
    broken = records[ROW_PROBLEM].is_not_null()
    fields = [
        records[c] if c == hashed else scrubber.series(records[c], keys.get(c, "all"), broken)
        for c in kept
    ]
    return (
        pl.DataFrame(fields)
        .select(pl.struct(kept).struct.json_encode())
        .to_series()
        .alias(ORIGINAL_ROW)
    )


def read_mapped_source(
    folder: Path, mapping: Mapping, reporters: Reporters, inventory: list[dict] | None = None
) -> tuple[dict[str, list[pl.DataFrame]], list[str]]:
    """A mapped source's canonical raw rows by table, and the files read (each added to
    `inventory` with how it was read, when given)."""
    frames: dict[str, list[pl.DataFrame]] = {t: [] for t in ("complaints", "events", "ratings")}
    files: list[str] = []
    strict = mapping.format in ("csv", "xlsx")
    complaints = mapping.tables["complaints"]
    scrubber = Scrubber(reporters)
    for table, spec in mapping.tables.items():
        if spec.is_derived:
            continue
        derived = mapping.tables.get("events") if table == "complaints" else None
        derived = derived if derived is not None and derived.is_derived else None
        verdict = mapping.verdict if table == "complaints" else None
        needed = _needed_columns(spec.fields, (verdict.column,) if verdict else ())
        optional = {s.column for s in spec.fields.values() if s.optional and s.column}
        optional |= {verdict.column} if verdict else set()  # absent: no verdict
        keys = {s.column: KEY_COLUMNS[n] for n, s in spec.fields.items()
                if n in KEY_COLUMNS and s.column}  # fmt: skip
        if derived is not None:
            for event in derived.derived:
                needed |= _needed_columns(event.fields) | set(event.at.columns)
                needed |= {event.when.column} if event.when else set()
                optional |= {s.column for s in (event.at, *event.fields.values())
                             if s.optional and s.column}  # fmt: skip
                keys |= {c: "identifiers" for c in event.at.columns}
                keys |= {s.column: KEY_COLUMNS[n] for n, s in event.fields.items()
                         if n in KEY_COLUMNS and s.column}  # fmt: skip
        keys |= {c: "contact" for c in (spec.key, spec.updated_at) if c}
        named = needed | set(keys) | set(mapping.keep_fields)
        parts = []
        for path in source_files(folder, mapping, table, spec.origin):
            name = path.relative_to(folder).as_posix()
            files.append(f"{folder.name}/{name}")
            records, unread = _read_file(
                path, mapping, table, folder.name, name, inventory, scrubber.scrub
            )
            if unread is not None:
                frames[table].append(unread)
                continue
            if ROW_PROBLEM not in records.columns:
                records = records.with_columns(pl.lit(None, pl.String).alias(ROW_PROBLEM))
            if table == "complaints":
                records = _hash_reporters(records, spec, reporters)
            hashed = _reporter_column(spec) if table == "complaints" else None
            records = records.with_columns(_original_row(records, named, keys, hashed, scrubber))
            parts.append((name, _with_missing(records, needed, optional, strict)))
        if spec.key:
            parts = _supersede(parts, spec.key)
        for name, records in parts:
            mapped = _map_table(records, spec.fields, mapping, verdict)
            frames[table].append(
                canonical_frame(
                    mapped, table, folder.name, name, reporters, pl.col(ROW),
                    reporters_hashed=True,
                )
            )  # fmt: skip
            if derived is None:
                continue
            for event_type, rows in _derive_events(records, derived, complaints, mapping):
                frames["events"].append(canonical_frame(
                    rows, "events", folder.name, f"{name}#{event_type}", reporters, pl.col(ROW)
                ))  # fmt: skip
    return {t: fs or [empty_frame(t)] for t, fs in frames.items()}, files
