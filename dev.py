#!/usr/bin/env python3
"""Set up and run rapor from a fresh clone with nothing but Python 3.11+.

    python3 dev.py demo    # install, build the demo city, run the pipeline, publish
    python3 dev.py test    # install (plus Debian chromium for browser tests), run the tests
    python3 dev.py app     # serve the app on the demo snapshot

The first call creates .venv/ with uv and the locked dependencies (uv.lock); later calls
reuse it until pyproject.toml or uv.lock change.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
STAMP = VENV / ".rapor-installed"
DEMO_HOME = Path(os.environ.get("RAPOR_HOME", ROOT / "demo-home"))


def sh(*command: str | Path, **kwargs) -> None:
    print("+", " ".join(str(c) for c in command), flush=True)
    subprocess.run([str(c) for c in command], check=True, cwd=ROOT, **kwargs)


SYNC_FLAGS = b"--compile-bytecode"  # part of the stamp: a venv made without it is redone


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on whatever python3 is
        sys.exit("rapor needs Python 3.11 or newer")
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + (ROOT / "uv.lock").read_bytes() + SYNC_FLAGS
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        sh(sys.executable, "-m", "venv", VENV)
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "uv")
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(VENV)}
    # --compile-bytecode: the .pyc files written once here, so that no process compiles
    # Dagster, Great Expectations and their dependencies again (Python does not write them
    # itself where PYTHONDONTWRITEBYTECODE is set, as on CI): importing GX took 38 s
    # without them on a busy machine, 9 s with them
    sh(BIN / "uv", "sync", "--frozen", "--all-extras", "--inexact", "--quiet",
       "--compile-bytecode", env=env)  # fmt: skip
    STAMP.write_text(wanted)


def ensure_chromium() -> None:
    """Browser tests drive Debian's chromium; install it where we may (root, apt)."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        sh("apt-get", "update", "-qq", env=env)
        sh("apt-get", "install", "-y", "-qq", "chromium", env=env)
    else:
        print("note: no chromium found; browser tests will be skipped "
              "(install Debian's chromium package to run them)")  # fmt: skip


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    rest = sys.argv[2:]
    if command == "demo":
        setup()
        sh(BIN / "rapor", "demo", "--home", DEMO_HOME, *rest)
        return 0
    if command == "test":
        setup()
        ensure_chromium()
        return subprocess.call([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT)
    if command == "app":
        setup()
        return subprocess.call([str(BIN / "rapor"), "app", "--home", str(DEMO_HOME), *rest])
    print(__doc__)
    return 0 if command == "help" else 2


if __name__ == "__main__":
    sys.exit(main())
