"""The rapor home folder: where one tenant's config, sources, warehouse and snapshot live.

See docs/home.md for the layout. Everything that needs a path asks a `Home` for it, so no
path is hard-coded anywhere else.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from pipelines.suggest import nearest, unknown_keys

HOME_ENV = "RAPOR_HOME"
SECRET_ENV = "RAPOR_HASH_SECRET"
log = logging.getLogger(__name__)
TIME_ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
TENANT_KEYS = ("name", "code", "timezone", "as_of")


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
        if raw["timezone"] not in TIME_ZONES:
            raise HomeError(
                f"{self.tenant_file}: timezone must be one of {', '.join(TIME_ZONES)}, got "
                f"{raw['timezone']!r}{nearest(raw['timezone'], TIME_ZONES)}"
            )
        as_of = raw.get("as_of")
        return Tenant(
            name=str(raw["name"]),
            code=str(raw["code"]),
            timezone=raw["timezone"],
            as_of=str(as_of) if as_of else None,
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
