"""The one Dagster entry point: every asset, check, job, schedule, sensor and resource."""

import dagster as dg

from assets import calendar, cases, ingest, months, publications, publish, quality, reference
from pipelines.jobs import rapor_job
from pipelines.resources import home_resource
from pipelines.schedules import monthly_schedule
from pipelines.sensors import source_file_sensor

defs = dg.Definitions(
    # the quality gate's checks are listed with the assets: `dg.materialize` (pipelines/
    # runner.py) runs what `defs.assets` holds, and a module loader skips asset checks
    assets=[
        *dg.load_assets_from_modules(
            [reference, calendar, ingest, cases, months, publications, publish]
        ),
        quality.quality_gate,
    ],
    jobs=[rapor_job],
    schedules=[monthly_schedule],
    sensors=[source_file_sensor],
    resources={"rapor": home_resource()},
    # every step writes the one DuckDB file (pool of 1), so steps run one after another
    # anyway; in one process they skip a ~5 s interpreter start each
    executor=dg.in_process_executor,
)
