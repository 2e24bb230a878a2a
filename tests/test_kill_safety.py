"""A run killed with SIGKILL halfway leaves the published snapshot intact; a rerun completes."""

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from pipelines.runner import instance_for, release_dead_runs, run_pipeline
from tests.conftest import read_snapshot

RAPOR = Path(sys.executable).parent / "rapor"
TABLES = ("cases", "officer_month", "unit_month", "tenant_month")


def contents(home) -> dict:
    return {t: read_snapshot(home, f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}


def test_sigkill_mid_run_keeps_the_last_snapshot(uji_home):
    run_pipeline(uji_home)
    before = contents(uji_home)
    digest = hashlib.sha256(uji_home.snapshot_path.read_bytes()).hexdigest()
    # a late closure arrives, then the run that would publish it is killed midway
    with open(uji_home.sources_dir / "s1" / "events.csv", "a") as f:
        f.write("C3,2025-05-20 10:00:00,resolved,PKM-A,199202022018011003,selesai\n")
    written = uji_home.warehouse_path.stat().st_mtime_ns
    proc = subprocess.Popen([RAPOR, "run", "--home", uji_home.root],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    # kill as soon as the run starts writing the warehouse: in the middle of it
    while uji_home.warehouse_path.stat().st_mtime_ns == written and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # its process is gone, so its run is dead: marked failed, its warehouse slot freed
    instance = instance_for(uji_home)
    (killed,) = instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
    assert release_dead_runs(uji_home, instance) == [killed.run_id]
    assert instance.get_run_by_id(killed.run_id).status == dg.DagsterRunStatus.FAILURE
    assert hashlib.sha256(uji_home.snapshot_path.read_bytes()).hexdigest() == digest
    assert contents(uji_home) == before  # still readable, still the old numbers

    run_pipeline(uji_home)  # the next run completes it
    (status,) = read_snapshot(uji_home, "SELECT status FROM cases WHERE case_id = 's1:C3'")
    assert status == ("resolved",)
    completed = contents(uji_home)
    assert completed != before
    run_pipeline(uji_home)  # and running again changes nothing
    assert contents(uji_home) == completed
