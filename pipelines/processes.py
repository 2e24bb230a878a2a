"""Whether a process named by its pid is still running: how rapor tells the temporary
files and Dagster runs of a killed process from those of a live one."""

from __future__ import annotations

import os
from pathlib import Path

CLOCK_SLACK = 60.0  # seconds


def _proc_stat(pid: int) -> tuple[str, float] | None:
    """(state, start time in seconds since the epoch) of process `pid` from /proc; None
    where /proc cannot tell."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        # fields after the ")" that ends the command name (which may hold spaces): state
        # is field 3, the start time in clock ticks since boot field 22
        fields = stat.rsplit(")", 1)[1].split()
        return fields[0], boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, StopIteration, ValueError, IndexError):
        return None


def process_alive(pid: int, since: float | None = None) -> bool:
    """True while process `pid` runs on this machine. With `since` (epoch seconds), a
    process that started (well) after it is a different one that was given the same pid,
    so it does not count."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, run by another user
    stat = _proc_stat(pid)
    if stat is None:
        return True
    state, started = stat
    if state == "Z":  # killed, not yet reaped by its parent
        return False
    # a minute of slack: the start time read back from /proc follows the wall clock, which
    # NTP may have stepped since; a live run must never be taken for a dead one
    return since is None or started <= since + CLOCK_SLACK
