"""The rapor home folder: where one tenant's config, sources, warehouse and snapshot live.

See docs/home.md for the layout. Everything that needs a path asks a `Home` for it, so no
path is hard-coded anywhere else.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import secrets
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import yaml

from pipelines.suggest import nearest, unknown_keys

HOME_ENV = "RAPOR_HOME"
SECRET_ENV = "RAPOR_HASH_SECRET"
log = logging.getLogger(__name__)
# Indonesia's zones and their abbreviations; any other IANA zone is allowed too (zone_label)
TIME_ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
TENANT_KEYS = ("name", "code", "timezone", "as_of", "holidays")
HOLIDAY_KEYS = ("country", "subdivision", "categories")
DEFAULT_COUNTRY = "ID"
# Indonesia's calendar: national holidays (public) and cuti bersama (government)
DEFAULT_CATEGORIES = {"ID": ("public", "government")}


@functools.cache
def iana_zones() -> frozenset[str]:
    """Every IANA time zone name this machine knows (zoneinfo), without the pseudo-zones."""
    return frozenset(available_timezones() - {"localtime", "Factory"})


def zone_label(timezone: str, year: int = 2025) -> str:
    """The zone as people read it: "Asia/Jakarta (WIB)", "America/New_York (EST/EDT)",
    "Asia/Dubai" (a zone whose abbreviation is only an offset is named alone)."""
    if timezone in TIME_ZONES:
        return f"{timezone} ({TIME_ZONES[timezone]})"
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError, OSError):  # a zone this machine does not know: its name
        return timezone
    names = []
    for month in (1, 7):
        name = dt.datetime(year, month, 1, 12, tzinfo=zone).tzname() or ""
        if name and name[0] not in "+-" and name not in names:
            names.append(name)
    return f"{timezone} ({'/'.join(names)})" if names and names != [timezone] else timezone


@dataclass(frozen=True)
class HolidaySpec:
    """Which public holidays the working-day calendars leave out: a country (and optional
    subdivision) of the `holidays` package, and its holiday categories."""

    country: str = DEFAULT_COUNTRY
    subdivision: str | None = None
    categories: tuple[str, ...] = DEFAULT_CATEGORIES[DEFAULT_COUNTRY]

    @property
    def label(self) -> str:
        """ "ID (public, government)", "US-NY (public)": as the snapshot and the log name it."""
        where = self.country + (f"-{self.subdivision}" if self.subdivision else "")
        return f"{where} ({', '.join(self.categories)})"


def holiday_spec(raw: object, where: str) -> HolidaySpec:
    """tenant.yaml's `holidays:` (absent: Indonesia, public holidays and cuti bersama),
    checked against what the `holidays` package supports; HomeError names the nearest."""
    import holidays

    if raw is None:
        return HolidaySpec()
    if not isinstance(raw, dict):
        raise HomeError(
            f"{where}: holidays must be a mapping with keys {', '.join(HOLIDAY_KEYS)} "
            f"(e.g. holidays: {{country: US, subdivision: NY}}), got {raw!r}"
        )
    unknown = unknown_keys(raw, HOLIDAY_KEYS)
    if unknown:
        raise HomeError(f"{where}: holidays: {unknown}")
    supported = holidays.list_supported_countries()
    country = str(raw.get("country") or DEFAULT_COUNTRY).strip()
    if country.upper() not in supported:
        raise HomeError(
            f"{where}: holidays.country must be a country code the holidays package knows "
            f"(ISO 3166-1, e.g. ID, US, DE), got {country!r}{nearest(country.upper(), supported)}"
        )
    country = country.upper()
    subdivision = raw.get("subdivision")
    if subdivision is not None and str(subdivision).strip() != "":
        given = str(subdivision).strip()
        known = {str(s).upper(): str(s) for s in supported[country]}
        if given.upper() not in known:
            hint = nearest(given.upper(), known) if known else ""
            codes = sorted(known.values())
            listed = (
                f"a subdivision code such as {', '.join(codes[:8])}"
                f"{', ...' if len(codes) > 8 else ''}"
                if codes
                else f"empty: {country} has no subdivisions in the holidays package"
            )
            raise HomeError(
                f"{where}: holidays.subdivision of {country} must be {listed}, got {given!r}{hint}"
            )
        subdivision = known[given.upper()]
    else:
        subdivision = None
    categories = raw.get("categories")
    if categories is None:
        cats = DEFAULT_CATEGORIES.get(country, ("public",))
    else:
        if isinstance(categories, str):
            categories = [categories]
        if not isinstance(categories, list):
            raise HomeError(
                f"{where}: holidays.categories must be a list such as [public], got {categories!r}"
            )
        allowed = holidays.country_holidays(country).supported_categories
        wrong = [c for c in categories if c not in allowed]
        if wrong or not categories:
            first = wrong[0] if wrong else ""
            raise HomeError(
                f"{where}: holidays.categories of {country} must be among "
                f"{', '.join(allowed)}, got {first!r}{nearest(first, allowed)}"
            )
        cats = tuple(dict.fromkeys(str(c) for c in categories))
    return HolidaySpec(country=country, subdivision=subdivision, categories=cats)


def yaml_where(exc: yaml.YAMLError) -> str:
    """A YAML syntax error in one line: what is wrong and where (line and column)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}" if mark else problem


class HomeError(ValueError):
    """A home folder that cannot be used, with a message saying what to fix."""


@dataclass(frozen=True)
class Tenant:
    name: str
    code: str
    timezone: str
    as_of: str | None = None  # data cut-off (ISO date); None means "today"
    holidays: HolidaySpec = HolidaySpec()  # the country whose public holidays are days off

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def now_local(self) -> dt.datetime:
        """The tenant's wall-clock time now, to the second, without a zone."""
        return dt.datetime.now(self.zone).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def resolve(cls, path: str | os.PathLike | None = None) -> Home:
        """The home given explicitly, else $RAPOR_HOME."""
        chosen = path or os.environ.get(HOME_ENV)
        if not chosen:
            raise HomeError(f"no home folder: pass --home DIR or set {HOME_ENV}")
        return cls(Path(chosen).expanduser().resolve())

    # --- layout -------------------------------------------------------------------------
    @property
    def tenant_file(self) -> Path:
        return self.root / "tenant.yaml"

    @property
    def policy_file(self) -> Path:
        return self.root / "policy.yaml"

    @property
    def secret_file(self) -> Path:
        return self.root / "secret.key"

    @property
    def reference_dir(self) -> Path:
        return self.root / "reference"

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def warehouse_path(self) -> Path:
        return self.root / "warehouse" / "rapor.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"

    @property
    def serving_dir(self) -> Path:
        return self.root / "serving"

    @property
    def snapshot_path(self) -> Path:
        return self.serving_dir / "rapor.duckdb"

    @property
    def parquet_dir(self) -> Path:
        return self.serving_dir / "parquet"

    # --- contents -----------------------------------------------------------------------
    @cached_property
    def tenant(self) -> Tenant:
        if not self.tenant_file.exists():
            raise HomeError(f"{self.tenant_file} is missing: is {self.root} a rapor home?")
        try:
            raw = yaml.safe_load(self.tenant_file.read_text()) or {}
        except yaml.YAMLError as exc:
            raise HomeError(f"{self.tenant_file}: not valid YAML: {yaml_where(exc)}") from exc
        if not isinstance(raw, dict):
            raise HomeError(f"{self.tenant_file}: expected keys name, code, timezone, as_of")
        unknown = unknown_keys(raw, TENANT_KEYS)
        if unknown:
            raise HomeError(f"{self.tenant_file}: {unknown}")
        missing = [k for k in ("name", "code", "timezone") if not raw.get(k)]
        if missing:
            raise HomeError(f"{self.tenant_file}: missing {', '.join(missing)}")
        if str(raw["timezone"]) not in iana_zones():
            raise HomeError(
                f"{self.tenant_file}: timezone must be an IANA time zone (e.g. "
                f"{', '.join(TIME_ZONES)}, America/New_York), got "
                f"{raw['timezone']!r}{nearest(raw['timezone'], sorted(iana_zones()))}"
            )
        as_of = raw.get("as_of")
        return Tenant(
            name=str(raw["name"]),
            code=str(raw["code"]),
            timezone=str(raw["timezone"]),
            as_of=str(as_of) if as_of else None,
            holidays=holiday_spec(raw.get("holidays"), str(self.tenant_file)),
        )

    def hash_secret(self) -> bytes:
        """The per-tenant secret that keys reporter hashes; created on first use (random,
        mode 0600), and tightened to 0600 if it was readable by others."""
        if os.environ.get(SECRET_ENV):
            return os.environ[SECRET_ENV].encode()
        if not create_secret(self.secret_file):
            tighten_secret(self.secret_file)
        return self.secret_file.read_text().strip().encode()

    def source_dirs(self) -> list[Path]:
        if not self.sources_dir.exists():
            return []
        return sorted(p for p in self.sources_dir.iterdir() if p.is_dir())

    def ensure_dirs(self) -> None:
        for d in (self.warehouse_path.parent, self.dagster_home, self.serving_dir):
            d.mkdir(parents=True, exist_ok=True)
        dagster_yaml = self.dagster_home / "dagster.yaml"
        if not dagster_yaml.exists():
            dagster_yaml.write_text(DAGSTER_YAML)


def create_secret(path: Path) -> bool:
    """Write a new random secret (32 bytes, hex) to `path` unless it exists; False if it did.

    The file is never readable by others, not even for a moment: the secret is written to
    a private temporary file created with mode 0600, then hard-linked into place, which
    fails if another process created `path` first (its secret is then the one kept)."""
    if path.exists():
        return False
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(secrets.token_hex(32))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: a rename, still private
            if path.exists():
                return False
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return True


def tighten_secret(path: Path) -> bool:
    """Make an existing secret file readable by its owner only (0600), saying so in the
    log; True if it had to be changed."""
    mode = path.stat().st_mode & 0o777
    if not mode & 0o077:
        return False
    path.chmod(0o600)
    log.warning(f"rapor: {path} was readable by others (mode {mode:04o}); now 0600")
    return True


# Writers to the warehouse share one pool of size 1: DuckDB allows a single writer.
DAGSTER_YAML = """\
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""
