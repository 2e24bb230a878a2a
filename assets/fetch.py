"""Fetching the sources that live on servers: a city's own complaint database (MySQL /
MariaDB, PostgreSQL) or an Open311 GeoReport v2 endpoint (see docs/sources.md).

A fetch never maps or judges anything: it lands what it read, every value as text, as one
JSON Lines file per table and fetch, `<source>/landing/<table>/fetch-NNNNNN.jsonl`, which
assets/mapped.py then reads like any export (the last version of a record wins; earlier
ones are kept in quarantine as superseded).

- Databases: each table follows a watermark, `landing/<table>/watermark.json`: the largest
  `updated_at` value landed so far. A fetch selects the rows with `updated_at >= watermark`
  (`>=`: a row committed later with the same timestamp is not missed) and leaves out the
  rows at the watermark it already landed unchanged, so a fetch with nothing new writes
  nothing. Rows deleted on the server are not seen.
- Open311: the API has no "changed since", so every fetch reads all pages and lands the
  records that are new or differ from their last landed version.

Files are written under a temporary name (starting with a dot: ignored by the readers and
the file sensor) and renamed when complete; the watermark is renamed into place after the
data. A fetch killed half way leaves no partial file, and at worst fetches again rows it
had already landed (the later copy supersedes the earlier, harmlessly).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from assets.mapped import is_fetched, landing_dir
from pipelines.mappings import Mapping, TableSpec, load_mapping

FETCH_FILE = re.compile(r"^fetch-(\d+)\.jsonl$")
WATERMARK_FILE = "watermark.json"
CONNECTION_KEYS = frozenset(
    {"host", "port", "user", "database", "password_env", "url_env", "connect_timeout"}
)
DEFAULT_PORTS = {"mysql": 3306, "postgresql": 5432}
URL_SCHEMES = {"mysql": ("mysql", "mariadb"), "postgresql": ("postgresql", "postgres")}
SERVER_NAMES = {"mysql": "MySQL/MariaDB", "postgresql": "PostgreSQL"}
CONNECT_TIMEOUT = 10  # seconds
HTTP_TIMEOUT = 60  # seconds, per Open311 page
MAX_PAGES = 100_000  # an Open311 server that never runs out of pages is a broken one
BATCH = 2_000  # database rows per round trip
QUERY_START = re.compile(r"^\s*(select|with)\b", re.IGNORECASE)

LOG = logging.getLogger(__name__)


class FetchError(RuntimeError):
    """A fetch that could not run (server unreachable, bad settings, failing query), with a
    message naming the source and the server."""


# --- values as text --------------------------------------------------------------------


def as_text(value: Any, naive_is_utc: bool = False) -> str | None:
    """A value from a driver or a JSON document as the text a landed file holds: datetimes
    as ISO 8601 ('YYYY-MM-DD HH:MM:SS', with the offset when the value has one), decimals
    without exponent, booleans as true/false, nested objects as JSON; None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if naive_is_utc and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        try:
            return raw.decode("utf8")
        except UnicodeDecodeError:
            return raw.hex()
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _record_hash(record: dict[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


# --- landing files ---------------------------------------------------------------------


def _next_file(directory: Path) -> Path:
    numbers = [int(m.group(1)) for p in directory.glob("fetch-*.jsonl")
               if (m := FETCH_FILE.match(p.name))]  # fmt: skip
    return directory / f"fetch-{max(numbers, default=0) + 1:06d}.jsonl"


def _clear_leftovers(directory: Path) -> None:
    """Temporary files of a fetch that was killed: never read, safe to remove (one run
    fetches at a time: the runs share the warehouse pool)."""
    for path in directory.glob(".fetch-*.tmp"):
        path.unlink(missing_ok=True)


def land(directory: Path, lines: Iterable[str]) -> tuple[Path | None, int]:
    """Write JSON Lines to the next `fetch-NNNNNN.jsonl` of `directory`, atomically (a
    temporary file renamed when complete); no file at all when there are no lines."""
    directory.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(directory)
    target = _next_file(directory)
    tmp = directory / f".{target.name}.{uuid.uuid4().hex[:8]}.tmp"
    count = 0
    try:
        with tmp.open("w", encoding="utf8", newline="\n") as out:
            for line in lines:
                out.write(line)
                count += 1
            out.flush()
            os.fsync(out.fileno())
        if count == 0:
            tmp.unlink()
            return None, 0
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target, count


def _write_json(path: Path, doc: dict) -> None:
    """A small JSON file replaced atomically."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf8")
    os.replace(tmp, path)


def read_watermark(folder: Path, table: str) -> dict | None:
    """The watermark of a fetched table (None before its first fetch)."""
    path = landing_dir(folder, table) / WATERMARK_FILE
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf8"))


# --- databases -------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    """Where and as whom to connect, resolved from a mapping's `connection:` block."""

    kind: str  # mysql | postgresql
    host: str
    port: int
    user: str | None
    password: str | None
    database: str
    timeout: int

    def describe(self) -> str:
        """The server as error messages name it (never with the password)."""
        who = f"{self.user}@" if self.user else ""
        return f"{SERVER_NAMES[self.kind]} {who}{self.host}:{self.port}/{self.database}"


def server_settings(mapping: Mapping, environ: dict[str, str] | None = None) -> Server:
    """The server of a database source. `connection:` gives host, port, user, database and
    `password_env` (the environment variable holding the password; none: no password);
    `url_env` names a variable that, when set, holds the whole connection as a URL
    (mysql://user:password@host:port/database, postgresql://...) and overrides the rest."""
    env = os.environ if environ is None else environ
    conn = mapping.connection
    where = f"source {mapping.name}: connection"
    unknown = set(conn) - CONNECTION_KEYS
    if unknown:
        raise FetchError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                         f"(known: {', '.join(sorted(CONNECTION_KEYS))})")  # fmt: skip
    timeout = int(conn.get("connect_timeout", CONNECT_TIMEOUT))
    url = env.get(str(conn["url_env"])) if conn.get("url_env") else None
    if url:
        parts = urlsplit(url)
        if parts.scheme not in URL_SCHEMES[mapping.format]:
            raise FetchError(f"{where}: ${conn['url_env']} must be a "
                             f"{URL_SCHEMES[mapping.format][0]}:// URL")  # fmt: skip
        host, port = parts.hostname, parts.port
        user = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password is not None else None
        database = unquote(parts.path.lstrip("/"))
    else:
        host, port, database = conn.get("host"), conn.get("port"), conn.get("database")
        user = None if conn.get("user") is None else str(conn["user"])
        password = None
        if conn.get("password_env"):
            name = str(conn["password_env"])
            if name not in env:
                raise FetchError(f"{where}: the environment variable {name} (password_env) "
                                 "is not set")  # fmt: skip
            password = env[name]
    if not host or not database:
        raise FetchError(f"{where}: host and database are required")
    return Server(
        kind=mapping.format,
        host=str(host),
        port=int(port or DEFAULT_PORTS[mapping.format]),
        user=user,
        password=password,
        database=str(database),
        timeout=timeout,
    )


def _connect(mapping: Mapping, server: Server):
    """A read connection whose session clock is UTC (MySQL TIMESTAMP columns then come in
    UTC and are landed with their offset; PostgreSQL timestamptz carry their offset)."""
    try:
        if server.kind == "mysql":
            import pymysql

            con = pymysql.connect(
                host=server.host, port=server.port, user=server.user or "",
                password=server.password or "", database=server.database,
                connect_timeout=server.timeout, charset="utf8mb4",
                cursorclass=pymysql.cursors.SSCursor, init_command="SET time_zone = '+00:00'",
            )  # fmt: skip
        else:
            import psycopg

            con = psycopg.connect(
                host=server.host, port=server.port, user=server.user,
                password=server.password, dbname=server.database,
                connect_timeout=server.timeout, options="-c timezone=UTC",
                application_name="rapor-fetch",
            )  # fmt: skip
            con.read_only = True
    except Exception as exc:
        raise FetchError(
            f"source {mapping.name}: cannot connect to {server.describe()}: "
            f"{type(exc).__name__}: {exc}".strip()
        ) from exc
    return con


def quote_identifier(name: str, kind: str, dotted: bool = False) -> str:
    """A table or column name quoted for the dialect (`a`.`b` / "a"."b"); with `dotted`,
    a name like schema.table is quoted part by part."""
    mark = "`" if kind == "mysql" else '"'
    parts = name.split(".") if dotted else [name]
    return ".".join(mark + part.replace(mark, mark * 2) + mark for part in parts)


def select_sql(spec: TableSpec, kind: str, since: bool) -> str:
    """The fetch query of a table: all rows of `from` (a table name, or a SELECT query
    wrapped as a subquery), from the watermark on when `since`, in watermark then key order.
    The watermark is the one parameter (%s); values are never written into the SQL."""
    origin = str(spec.origin).strip().rstrip(";").strip()
    if QUERY_START.match(origin):
        source = f"({origin}) AS rapor_src"
    else:
        source = quote_identifier(origin, kind, dotted=True)
    updated = quote_identifier(str(spec.updated_at), kind)
    key = quote_identifier(str(spec.key), kind)
    sql = f"SELECT * FROM {source}"
    if since:
        sql = sql.replace("%", "%%") + f" WHERE {updated} >= %s"
    return f"{sql} ORDER BY {updated}, {key}"


def _bound(watermark: dict, kind: str):
    """The watermark as the value to bind: typed as the column it came from."""
    kind_of, text = watermark["type"], watermark["updated_at"]
    if kind_of == "datetime":
        value = dt.datetime.fromisoformat(text)
        if kind == "mysql" and value.tzinfo is not None:  # the session clock is UTC
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if kind_of == "date":
        return dt.date.fromisoformat(text)
    if kind_of == "int":
        return int(text)
    if kind_of == "decimal":
        return Decimal(text)
    if kind_of == "float":
        return float(text)
    return text


def _type_name(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, bool):
        return "text"
    if isinstance(value, int):
        return "int"
    if isinstance(value, Decimal):
        return "decimal"
    if isinstance(value, float):
        return "float"
    return "text"


class _Fetched:
    """The rows of one table fetch, followed as they stream past: the largest watermark
    value and the rows that carry it (to leave out next time if unchanged)."""

    def __init__(self, spec: TableSpec, previous: dict | None, utc_columns: set[str]):
        self.spec = spec
        self.previous = previous
        self.utc_columns = utc_columns
        self.top: Any = None
        self.top_text: str | None = None
        self.at_top: dict[str, str] = {}

    def lines(self, columns: list[str], rows: Iterator[tuple]) -> Iterator[str]:
        spec, previous = self.spec, self.previous
        skip_at = previous["updated_at"] if previous else None
        skip = previous.get("at_watermark", {}) if previous else {}
        position = {name: i for i, name in enumerate(columns)}
        updated, key = position[str(spec.updated_at)], position[str(spec.key)]
        for row in rows:
            record = {
                name: as_text(value, name in self.utc_columns)
                for name, value in zip(columns, row, strict=True)
            }
            digest = _record_hash(record)
            stamp, stamp_text = row[updated], record[columns[updated]]
            key_text = record[columns[key]]
            if stamp is not None:
                if self.top is None or stamp > self.top:
                    self.top, self.top_text, self.at_top = stamp, stamp_text, {}
                if stamp == self.top and key_text is not None:
                    self.at_top[key_text] = digest
            if stamp_text is not None and stamp_text == skip_at and skip.get(key_text) == digest:
                continue  # landed by the last fetch, unchanged since
            yield _line(record)


def _cursor(con, kind: str, table: str):
    """A cursor that streams (server-side), so a large first fetch never sits in memory."""
    return con.cursor(name=f"rapor_fetch_{table}") if kind == "postgresql" else con.cursor()


def _fetch_table(con, mapping: Mapping, table: str, spec: TableSpec, server: Server, folder):
    directory = landing_dir(folder, table)
    previous = read_watermark(folder, table)
    sql = select_sql(spec, server.kind, since=previous is not None)
    params = (_bound(previous, server.kind),) if previous is not None else None
    where = f"source {mapping.name}: {table} from {spec.origin!r} on {server.describe()}"
    try:
        with _cursor(con, server.kind, table) as cur:
            cur.execute(sql, params)
            columns = [d[0] for d in cur.description]
            missing = [str(c) for c in (spec.updated_at, spec.key) if c not in columns]
            if missing:
                raise FetchError(f"{where}: no column {', '.join(missing)} in its rows "
                                 f"(columns: {', '.join(columns)})")  # fmt: skip
            if len(set(columns)) < len(columns):
                raise FetchError(f"{where}: column names repeat ({', '.join(columns)}): "
                                 "give each a name of its own (AS ...)")  # fmt: skip
            utc_columns: set[str] = set()
            if server.kind == "mysql":
                from pymysql.constants import FIELD_TYPE

                utc_columns = {d[0] for d in cur.description if d[1] == FIELD_TYPE.TIMESTAMP}
            fetched = _Fetched(spec, previous, utc_columns)
            path, count = land(directory, fetched.lines(columns, _batches(cur)))
    except FetchError:
        raise
    except Exception as exc:
        raise FetchError(f"{where}: {type(exc).__name__}: {exc}") from exc
    finally:
        if server.kind == "postgresql" and not con.closed:
            con.rollback()  # a read-only transaction: nothing to keep
    if path is not None and fetched.top is not None:
        # (a table whose rows all lack updated_at gets no watermark: every fetch reads it
        # whole again; fill the column in the database)
        _write_json(
            directory / WATERMARK_FILE,
            {
                "updated_at": fetched.top_text,
                "type": _type_name(fetched.top),
                "column": spec.updated_at,
                "at_watermark": fetched.at_top,
                "rows": count,
                "file": path.name,
                "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
        )
    return count


def _batches(cur) -> Iterator[tuple]:
    while True:
        rows = cur.fetchmany(BATCH)
        if not rows:
            return
        yield from rows


def fetch_database(folder: Path, mapping: Mapping) -> dict[str, int]:
    """Fetch the rows of each table of a database source (complaints, and events / ratings
    when they come `from` their own table) that changed since the last fetch, landing them
    in `<folder>/landing/<table>/`; the rows landed per table."""
    server = server_settings(mapping)
    con = _connect(mapping, server)
    try:
        return {
            table: _fetch_table(con, mapping, table, spec, server, folder)
            for table, spec in mapping.tables.items()
            if not spec.is_derived
        }
    finally:
        con.close()


# --- Open311 ---------------------------------------------------------------------------


def _page_url(url: str, page: int, size: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in ("page", "page_size")]  # fmt: skip
    query += [("page", str(page)), ("page_size", str(size))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _get_page(mapping: Mapping, page: int) -> list:
    url = _page_url(str(mapping.url), page, mapping.page_size)
    where = f"source {mapping.name}: GET {url}"
    request = Request(url, headers={"Accept": "application/json", "User-Agent": "rapor"})
    try:
        with urlopen(request, timeout=HTTP_TIMEOUT) as response:
            body = response.read()
    except HTTPError as exc:
        detail = exc.read()[:300].decode("utf8", errors="replace")
        raise FetchError(f"{where}: HTTP {exc.code} {exc.reason}: {detail}") from exc
    except (URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"{where}: cannot reach the server: {reason}") from exc
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise FetchError(f"{where}: not JSON: {exc}") from exc
    for key in mapping.records_path:
        doc = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(doc, list):
        at = ".".join(mapping.records_path) or "the top level"
        raise FetchError(f"{where}: no list of service requests at {at}")
    return doc


def _landed_versions(directory: Path, key: str | None) -> tuple[dict[str, str], set[str]]:
    """What the landed files hold: the hash of each key's last version, and (for records
    without a key) every record's hash."""
    latest: dict[str, str] = {}
    every: set[str] = set()
    for path in sorted(directory.glob("fetch-*.jsonl")):
        for line in path.read_text(encoding="utf8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            digest = _record_hash(record)
            every.add(digest)
            if key and isinstance(record, dict) and record.get(key) is not None:
                latest[str(record[key]).strip()] = digest
    return latest, every


def _open311_record(item: Any) -> Any:
    if not isinstance(item, dict):
        return item  # landed as it came: the reader quarantines it as malformed
    return {name: as_text(value) for name, value in item.items()}


def fetch_open311(folder: Path, mapping: Mapping) -> dict[str, int]:
    """Read every page of an Open311 GeoReport v2 endpoint (`url`, `page` and `page_size`
    query parameters, until a page comes back short or empty) and land, as one file, the
    service requests that are new or changed since their last landed version."""
    size = mapping.page_size
    if size < 1:
        raise FetchError(f"source {mapping.name}: page_size must be at least 1")
    records: list[Any] = []
    previous: list | None = None
    for page in range(1, MAX_PAGES + 1):
        batch = _get_page(mapping, page)
        if batch and batch == previous:
            raise FetchError(
                f"source {mapping.name}: {mapping.url} returned page {page} the same as "
                f"page {page - 1}: does it page with page and page_size?"
            )
        records.extend(batch)
        if len(batch) < size:
            break
        previous = batch
    else:
        raise FetchError(f"source {mapping.name}: {mapping.url} still had records after "
                         f"{MAX_PAGES} pages")  # fmt: skip
    directory = landing_dir(folder, "complaints")
    key = mapping.tables["complaints"].key
    latest, every = _landed_versions(directory, key)
    fresh: list[str] = []
    for item in records:
        record = _open311_record(item)
        digest = _record_hash(record)
        has_key = key and isinstance(record, dict) and record.get(key) is not None
        if has_key:
            name = str(record[key]).strip()
            if latest.get(name) == digest:
                continue  # landed already, unchanged
            latest[name] = digest
        elif digest in every:
            continue
        every.add(digest)
        fresh.append(_line(record))
    _, count = land(directory, fresh)
    return {"complaints": count}


# --- all sources -----------------------------------------------------------------------


def fetch_sources(home, log=None) -> dict[str, dict[str, int]]:
    """Fetch every source of the home that lives on a server (a database, an Open311
    endpoint); the rows landed per source and table. Every source is tried; if any fails,
    a FetchError naming each failed source is raised after the others have landed."""
    log = log or LOG
    fetched: dict[str, dict[str, int]] = {}
    errors: list[str] = []
    for folder in home.source_dirs():
        mapping = load_mapping(folder)
        if mapping is None or not is_fetched(mapping):
            continue
        try:
            if mapping.format == "open311":
                counts = fetch_open311(folder, mapping)
            else:
                counts = fetch_database(folder, mapping)
        except FetchError as exc:
            log.error(str(exc))
            errors.append(str(exc))
            continue
        fetched[folder.name] = counts
        log.info(f"source {folder.name}: fetched {counts}")
    if errors:
        raise FetchError("; ".join(errors))
    return fetched
