"""Jobs: the whole pipeline, from sources to the published snapshot."""

import dagster as dg

rapor_job = dg.define_asset_job(
    "rapor_job",
    selection=dg.AssetSelection.all(),
    description="Ingest every source, build cases and clocks, recompute the month partitions "
    "of the run, audit, publish the serving snapshot.",
)
