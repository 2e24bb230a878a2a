"""Declarative source mappings: `DIR/sources/<name>/source.yaml` turns an export in its own
shape into the canonical `complaints`, `events` and `ratings` rows of the data contract.

The format is documented in docs/sources.md. A mapping only renames, maps values and
rewrites timestamps; it never judges a row. Whatever it cannot make sense of (an unknown
status, a timestamp in no declared format) reaches staging as it came, where the row is
quarantined with a reason.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from assets.readers import TABLES
from pipelines.suggest import nearest, unknown_keys

MAPPING_FILE = "source.yaml"
FORMATS = ("canonical", "csv", "xlsx", "json", "jsonl", "open311", "mysql", "postgresql")
FILE_FORMATS = ("csv", "xlsx", "json", "jsonl", "open311")
DATABASE_FORMATS = ("mysql", "postgresql")
TIMESTAMP_FIELDS = frozenset({"received_at", "due_at", "event_at", "rated_at"})
EVENT_TYPES = (
    "verified", "forwarded", "reassigned", "responded", "clarification_requested",
    "clarified", "resolved", "reopened", "archived", "rejected", "postponed",
)  # fmt: skip


class MappingError(ValueError):
    """A source.yaml that cannot be used, with a message saying where and what to fix."""


@dataclass(frozen=True)
class FieldSpec:
    """How one canonical column is made from a source record: a column of the record
    (optionally through a value map) or a constant."""

    column: str | None = None
    value: str | None = None
    map: dict[str, str] | None = None  # keys compared trimmed and case-insensitively
    # with `map`: the value for blanks and values not in the map (without it, a value not
    # in the map passes as it came, for staging to judge); without `map`: for blanks
    default: str | None = None
    optional: bool = False  # a column some files lack: absent means blank, not a problem
    pattern: str | None = None  # a regular expression a non-blank value must match

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,) if self.column else ()


@dataclass(frozen=True)
class Condition:
    """A test on one column of a record: its trimmed value is (or is not) one of `values`,
    compared case-insensitively."""

    column: str
    values: tuple[str, ...]
    negate: bool = False


@dataclass(frozen=True)
class DerivedEvent:
    """An event made from a column of a one-row-per-case record: when `when` holds (or,
    without `when`, when the `at` column has a value), the row yields this event."""

    event_type: str
    at: FieldSpec
    fields: dict[str, FieldSpec]
    when: Condition | None = None
    # when `when` does not hold but `at` has a value: "ignore" it (the column also serves
    # other statuses) or "quarantine" the event as an inconsistent record
    otherwise: str = "ignore"


@dataclass(frozen=True)
class TableSpec:
    """One canonical table: where its records come from and how each column is made."""

    fields: dict[str, FieldSpec]
    origin: str | None = None  # a file glob (file formats), a table or query (databases)
    derived: tuple[DerivedEvent, ...] = ()  # events only: made from the complaint records
    key: str | None = None  # the record key: a later file's record replaces an earlier one
    updated_at: str | None = None  # databases: the column the fetch watermark follows

    @property
    def is_derived(self) -> bool:
        return bool(self.derived)


DUE_AT_CHOICES = ("source", "policy")
COMPARE_CHOICES = ("timestamp", "date")
WITHOUT_DUE_AT_CHOICES = ("policy", "not_judged")


@dataclass(frozen=True)
class Deadlines:
    """How a source's resolution deadlines are judged (docs/sources.md, "Deadlines"):
    `due_at` "source" honours the record's own due_at, "policy" the policy's working days;
    with the source's, `compare` "timestamp" means met iff resolved_at <= due_at, "date"
    iff date(resolved_at) <= date(due_at); `without_due_at` "policy" judges a record
    without a due_at by the policy's working days, "not_judged" gives it no deadline."""

    due_at: str = "source"
    compare: str = "timestamp"
    without_due_at: str = "policy"

    @property
    def rule(self) -> str:
        """The rule staging carries per complaint: policy, timestamp or date."""
        return "policy" if self.due_at == "policy" else self.compare


@dataclass(frozen=True)
class Verdict:
    """The source's own on-time / overdue verdict: a column and the values (compared
    trimmed and case-insensitively) that mean each."""

    column: str
    on_time: tuple[str, ...]
    overdue: tuple[str, ...]


@dataclass(frozen=True)
class Mapping:
    name: str
    format: str
    tables: dict[str, TableSpec]
    timestamp_formats: tuple[str, ...] = ()
    timezone: str | None = None  # the zone of timestamps without an offset; None: tenant's
    blanks: tuple[str, ...] = ()  # values that mean "no value" in this export (N/A, -)
    csv_delimiter: str = ","
    encoding: str = "utf8"
    records_path: tuple[str, ...] = ()  # json: where the list of records sits
    url: str | None = None  # open311 over HTTP
    page_size: int = 100
    connection: dict[str, Any] = field(default_factory=dict)  # databases
    # source fields kept in `original_row` besides those the mapping names (scrubbed too)
    keep_fields: tuple[str, ...] = ()
    deadlines: Deadlines | None = None  # None: the policy's deadlines.use_source_due_at
    verdict: Verdict | None = None


def _choice(spec: dict, key: str, choices: tuple[str, ...], where: str) -> str:
    value = spec.get(key, choices[0])
    if value not in choices:
        raise MappingError(f"{where}.{key}: must be one of {', '.join(choices)}, got {value!r}"
                           f"{nearest(value, choices)}")  # fmt: skip
    return value


def _deadlines(spec: Any, where: str) -> Deadlines:
    if not isinstance(spec, dict):
        raise MappingError(f"{where}: expected due_at, compare and/or without_due_at")
    unknown = unknown_keys(spec, ("due_at", "compare", "without_due_at"))
    if unknown:
        raise MappingError(f"{where}: {unknown}")
    due_at = _choice(spec, "due_at", DUE_AT_CHOICES, where)
    if due_at == "policy" and ({"compare", "without_due_at"} & set(spec)):
        raise MappingError(f"{where}: compare and without_due_at only with due_at: source")
    return Deadlines(
        due_at=due_at,
        compare=_choice(spec, "compare", COMPARE_CHOICES, where),
        without_due_at=_choice(spec, "without_due_at", WITHOUT_DUE_AT_CHOICES, where),
    )


def _verdict(spec: Any, where: str) -> Verdict:
    if not isinstance(spec, dict):
        raise MappingError(f"{where}: expected {{column: ..., on_time: [...], overdue: [...]}}")
    unknown = unknown_keys(spec, ("column", "on_time", "overdue"))
    if unknown:
        raise MappingError(f"{where}: {unknown}")
    missing = [k for k in ("column", "on_time", "overdue") if k not in spec]
    if missing:
        raise MappingError(f"{where}: required key(s) missing: {', '.join(missing)}")
    values = {}
    for key in ("on_time", "overdue"):
        given = spec[key]
        if isinstance(given, str | int | bool):
            given = [given]
        if not isinstance(given, list) or not given:
            raise MappingError(f"{where}.{key}: expected a non-empty list of source values")
        values[key] = tuple(str(v).strip().lower() for v in given)
    both = sorted(set(values["on_time"]) & set(values["overdue"]))
    if both:
        raise MappingError(f"{where}: {', '.join(map(repr, both))} both on_time and overdue")
    return Verdict(str(spec["column"]), values["on_time"], values["overdue"])


def _field(spec: Any, where: str) -> FieldSpec:
    if isinstance(spec, str):
        return FieldSpec(column=spec)
    if isinstance(spec, int | float | bool):
        return FieldSpec(value=str(spec).lower() if isinstance(spec, bool) else str(spec))
    if not isinstance(spec, dict):
        raise MappingError(f"{where}: expected a column name or a mapping, got {spec!r}")
    unknown = unknown_keys(spec, ("column", "value", "map", "default", "optional", "pattern"))
    if unknown:
        raise MappingError(f"{where}: {unknown}")
    if ("column" in spec) == ("value" in spec):
        raise MappingError(f"{where}: give exactly one of 'column' or 'value'")
    values = spec.get("map")
    if values is not None and not isinstance(values, dict):
        raise MappingError(f"{where}.map: expected source value: canonical value pairs")
    default = spec.get("default")
    pattern = spec.get("pattern")
    if pattern is not None:
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise MappingError(f"{where}.pattern: not a regular expression: {exc}") from exc
    return FieldSpec(
        column=str(spec["column"]) if "column" in spec else None,
        value=None if spec.get("value") is None else str(spec["value"]),
        map={str(k).strip().lower(): str(v) for k, v in values.items()} if values else None,
        default=None if default is None else str(default),
        optional=bool(spec.get("optional", False)),
        pattern=None if pattern is None else str(pattern),
    )


def _condition(spec: Any, where: str) -> Condition:
    if not isinstance(spec, dict) or "column" not in spec or not ({"in", "not_in"} & set(spec)):
        raise MappingError(f"{where}: expected {{column: ..., in: [...]}} or not_in")
    negate = "not_in" in spec
    values = spec["not_in" if negate else "in"]
    if not isinstance(values, list) or not values:
        raise MappingError(f"{where}: 'in' / 'not_in' takes a non-empty list")
    return Condition(str(spec["column"]), tuple(str(v).strip().lower() for v in values), negate)


def _columns(spec: Any, table: str, where: str) -> dict[str, FieldSpec]:
    allowed, required = TABLES[table]
    if not isinstance(spec, dict):
        raise MappingError(f"{where}: expected canonical column: source column pairs")
    unknown = set(spec) - set(allowed)
    if unknown:
        raise MappingError(
            f"{where}: {', '.join(sorted(unknown))} not a column of {table} "
            f"(columns: {', '.join(allowed)})"
        )
    fields = {name: _field(value, f"{where}.{name}") for name, value in spec.items()}
    missing = [c for c in required if c not in fields]
    if missing:
        raise MappingError(f"{where}: required column(s) not mapped: {', '.join(missing)}")
    return fields


def _derived(spec: Any, where: str) -> tuple[DerivedEvent, ...]:
    if not isinstance(spec, list) or not spec:
        raise MappingError(f"{where}: expected a list of events")
    events = []
    for i, item in enumerate(spec):
        here = f"{where}[{i}]"
        if not isinstance(item, dict) or "event_type" not in item or "at" not in item:
            raise MappingError(f"{here}: each event needs event_type and at")
        if item["event_type"] not in EVENT_TYPES:
            raise MappingError(f"{here}.event_type: {item['event_type']!r} is not one of "
                               f"{', '.join(EVENT_TYPES)}")  # fmt: skip
        extra = unknown_keys(item, ("event_type", "at", "when", "otherwise", "unit_code",
                                    "officer_nip", "note"))  # fmt: skip
        otherwise = item.get("otherwise", "ignore")
        if otherwise not in ("ignore", "quarantine"):
            raise MappingError(f"{here}.otherwise: 'ignore' or 'quarantine', got {otherwise!r}")
        if "otherwise" in item and "when" not in item:
            raise MappingError(f"{here}.otherwise: only with 'when'")
        if extra:
            raise MappingError(f"{here}: {extra}")
        events.append(
            DerivedEvent(
                event_type=item["event_type"],
                at=_field(item["at"], f"{here}.at"),
                fields={
                    k: _field(item[k], f"{here}.{k}")
                    for k in ("unit_code", "officer_nip", "note")
                    if k in item
                },
                when=_condition(item["when"], f"{here}.when") if "when" in item else None,
                otherwise=otherwise,
            )
        )
    return tuple(events)


def origin_problem(pattern: str) -> str | None:
    """Why a `from:` file pattern could reach outside its source folder (an absolute path,
    a `..` component, a home directory), or None when it stays inside."""
    text = pattern.strip()
    if not text:
        return "an empty pattern names no file"
    parts = re.split(r"[/\\]", text)
    if text.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", text):
        return "an absolute path; give a file pattern inside the source folder"
    if ".." in parts:
        return "'..' leaves the source folder; give a file pattern inside it"
    return None


def outside_problem(folder: Path, path: Path) -> str | None:
    """Why a file found in a source folder may not be read: its real location (symbolic
    links followed, of the file and of the folders on its way) is not inside the folder.
    None when it may be read. The source folder counts where it sits in `sources/`: a
    source folder that is itself a link elsewhere (to the home, say) has no readable file."""
    inside = folder.parent.resolve() / folder.name
    shown = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else str(path)
    real = Path(os.path.realpath(path))
    if real.is_relative_to(inside):
        return None
    how = "is a symbolic link to" if path.is_symlink() else "lies outside the source folder, at"
    return f"{shown} {how} {real}; only files inside sources/{folder.name}/ are read"


def parse_mapping(raw: Any, name: str) -> Mapping:
    """A validated Mapping from the YAML document of source `name`."""
    where = f"sources/{name}/{MAPPING_FILE}"
    if not isinstance(raw, dict):
        raise MappingError(f"{where}: expected a mapping at the top level")
    fmt = raw.get("format")
    if fmt not in FORMATS:
        raise MappingError(f"{where}: format must be one of {', '.join(FORMATS)}, got {fmt!r}"
                           f"{nearest(fmt, FORMATS)}")  # fmt: skip
    known = {"format", "complaints", "events", "ratings", "timestamps", "csv", "json", "url",
             "page_size", "connection", "updated_at", "key", "description", "blanks",
             "keep_fields", "deadlines", "verdict"}  # fmt: skip
    unknown = unknown_keys(raw, sorted(known))
    if unknown:
        raise MappingError(f"{where}: {unknown}")
    tables: dict[str, TableSpec] = {}
    if fmt != "canonical":
        if "complaints" not in raw:
            raise MappingError(f"{where}: 'complaints' is required")
        for table in ("complaints", "events", "ratings"):
            spec = raw.get(table)
            if spec is None:
                continue
            here = f"{where}: {table}"
            if not isinstance(spec, dict):
                raise MappingError(f"{here}: expected 'columns' (and 'from'), or 'derive'")
            if table == "events" and "derive" in spec:
                if set(spec) != {"derive"}:
                    raise MappingError(f"{here}: 'derive' stands alone")
                tables[table] = TableSpec(fields={}, derived=_derived(spec["derive"], here))
                continue
            if "columns" not in spec:
                raise MappingError(f"{here}: 'columns' is required")
            extra = unknown_keys(spec, ("columns", "from", "key", "updated_at"))
            if extra:
                raise MappingError(f"{here}: {extra}")
            origin = spec.get("from")
            fetched = fmt in DATABASE_FORMATS or (fmt == "open311" and raw.get("url"))
            if origin is not None and not fetched:
                problem = origin_problem(str(origin))
                if problem:
                    raise MappingError(f"{here}.from: {str(origin)!r} refused: {problem}")
            tables[table] = TableSpec(
                fields=_columns(spec["columns"], table, f"{here}.columns"),
                origin=None if spec.get("from") is None else str(spec["from"]),
                key=spec.get("key", raw.get("key")),
                updated_at=spec.get("updated_at", raw.get("updated_at")),
            )
    stamps = raw.get("timestamps") or {}
    if not isinstance(stamps, dict):
        raise MappingError(f"{where}: timestamps: expected formats and/or timezone")
    formats = stamps.get("formats") or []
    if isinstance(formats, str):
        formats = [formats]
    zone = stamps.get("timezone")
    if zone is not None:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise MappingError(f"{where}: timestamps.timezone: unknown zone {zone!r}") from exc
    csv_opts = raw.get("csv") or {}
    json_opts = raw.get("json") or {}
    path = json_opts.get("records") or ()
    if fmt in DATABASE_FORMATS:
        if not raw.get("connection"):
            raise MappingError(f"{where}: a {fmt} source needs 'connection'")
        for table, spec in tables.items():
            if spec.is_derived:
                continue
            for key in ("origin", "key", "updated_at"):
                if not getattr(spec, key):
                    name = "from" if key == "origin" else key
                    raise MappingError(f"{where}: {table} needs '{name}' (a {fmt} source)")
    if fmt == "open311" and tables.get("events") is None:
        raise MappingError(f"{where}: an open311 source needs events (derive)")
    keep = raw.get("keep_fields") or []
    if not isinstance(keep, list) or not all(isinstance(k, str) and k for k in keep):
        raise MappingError(f"{where}: keep_fields: expected a list of source field names")
    deadlines = _deadlines(raw["deadlines"], f"{where}: deadlines") if "deadlines" in raw else None
    verdict = _verdict(raw["verdict"], f"{where}: verdict") if "verdict" in raw else None
    if verdict is not None and fmt == "canonical":
        raise MappingError(f"{where}: verdict: only a mapped source (not canonical) has one")
    return Mapping(
        name=name,
        format=fmt,
        tables=tables,
        timestamp_formats=tuple(str(f) for f in formats),
        timezone=zone,
        blanks=tuple(str(b) for b in raw.get("blanks") or ()),
        csv_delimiter=str(csv_opts.get("delimiter", ",")),
        encoding=str(csv_opts.get("encoding", "utf8")),
        records_path=tuple(path.split(".")) if isinstance(path, str) else tuple(path),
        url=raw.get("url"),
        page_size=int(raw.get("page_size", 100)),
        connection=dict(raw.get("connection") or {}),
        keep_fields=tuple(keep),
        deadlines=deadlines,
        verdict=verdict,
    )


def load_mapping(folder: Path) -> Mapping | None:
    """The mapping of a source folder, or None for a folder of canonical files."""
    path = folder / MAPPING_FILE
    if not path.exists():
        return None
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf8"))
    except yaml.YAMLError as exc:
        raise MappingError(f"sources/{folder.name}/{MAPPING_FILE}: not valid YAML: {exc}") from exc
    return parse_mapping(raw, folder.name)
