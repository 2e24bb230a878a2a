"""The Dagster code location: loadable by `dg`, one month launchable, sensor and schedule."""

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from pipelines.home import Home
from pipelines.resources import RaporHome
from pipelines.schedules import monthly_schedule
from pipelines.sensors import source_file_sensor
from tests.conftest import read_snapshot

ROOT = Path(__file__).resolve().parent.parent
DG = Path(sys.executable).parent / "dg"


def dg_env(home: Home) -> dict:
    home.ensure_dirs()
    return {**os.environ, "RAPOR_HOME": str(home.root), "DAGSTER_HOME": str(home.dagster_home)}


def test_dg_check_defs(uji_home):
    out = subprocess.run([DG, "check", "defs"], cwd=ROOT, env=dg_env(uji_home),
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "All definitions loaded successfully" in out.stdout + out.stderr


def test_dg_launch_one_month(uji_home):
    out = subprocess.run(
        [DG, "launch", "--assets", "*", "--partition", "2025-04-01"],
        cwd=ROOT, env=dg_env(uji_home), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    # only the launched month was computed and published
    assert read_snapshot(uji_home, "SELECT DISTINCT month FROM unit_month") == [("2025-04",)]
    assert read_snapshot(
        uji_home, "SELECT resolution_due, resolution_met FROM unit_month WHERE unit_code = 'DPU'"
    ) == [(1, 1)]


def test_schedule_recomputes_the_trailing_three_months(uji_home):
    context = dg.build_schedule_context(resources={"rapor": RaporHome(path=str(uji_home.root))})
    request = monthly_schedule(context)
    # as_of 2025-05-31 (tenant.yaml): March, April, May
    assert request.tags["dagster/asset_partition_range_start"] == "2025-03-01"
    assert request.tags["dagster/asset_partition_range_end"] == "2025-05-01"


def test_file_drop_sensor_fires_once_per_change(uji_home):
    rapor = RaporHome(path=str(uji_home.root))
    with dg.instance_for_test() as instance:
        first = source_file_sensor(
            dg.build_sensor_context(instance=instance, resources={"rapor": rapor})
        )
        assert isinstance(first, dg.RunRequest)
        context = dg.build_sensor_context(instance=instance, cursor=None,
                                          resources={"rapor": rapor})  # fmt: skip
        source_file_sensor(context)
        cursor = context.cursor
        again = source_file_sensor(dg.build_sensor_context(
            instance=instance, cursor=cursor, resources={"rapor": rapor}))  # fmt: skip
        assert isinstance(again, dg.SkipReason)
        dropped = uji_home.sources_dir / "walk_in"
        dropped.mkdir()
        (dropped / "complaints.csv").write_text(
            "source_id,channel,received_at,category\nW1,walk_in,2025-05-02 09:00:00,sampah\n"
        )
        fired = source_file_sensor(dg.build_sensor_context(
            instance=instance, cursor=cursor, resources={"rapor": rapor}))  # fmt: skip
        assert isinstance(fired, dg.RunRequest)
        assert fired.run_key != first.run_key


@pytest.mark.parametrize("name", ["rapor_job"])
def test_job_covers_every_asset(name):
    from pipelines.definitions import defs

    job = defs.resolve_job_def(name)
    assert {k.to_user_string() for k in job.asset_layer.selected_asset_keys} == {
        k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()
    }
