"""The monthly schedule: early each month, recompute the trailing months and publish."""

import dagster as dg

from pipelines.home import Home, HomeError
from pipelines.jobs import rapor_job
from pipelines.partitions import range_tags, trailing_months
from pipelines.resources import RaporHome

RECOMPUTE_MONTHS = 3  # late closures, reopenings and ratings still change recent months
DEFAULT_ZONE = "Asia/Jakarta"


def schedule_zone() -> str:
    """The zone the schedule's cron is read in: the tenant's (tenant.yaml `timezone`) when
    $RAPOR_HOME names a usable home, as under `dg dev`; else Asia/Jakarta (WIB)."""
    try:
        return Home.resolve().tenant.timezone
    except (HomeError, OSError):
        return DEFAULT_ZONE


def recompute_request(rapor: RaporHome, run_key: str | None = None) -> dg.RunRequest:
    last_month = rapor.as_of_date().strftime("%Y-%m")
    first, last = trailing_months(last_month, RECOMPUTE_MONTHS)
    return dg.RunRequest(run_key=run_key, tags=range_tags(first, last))


@dg.schedule(
    cron_schedule="0 2 2 * *",
    job=rapor_job,
    execution_timezone=schedule_zone(),
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
def monthly_schedule(context: dg.ScheduleEvaluationContext, rapor: RaporHome):
    """On the 2nd of each month at 02:00 in the tenant's time zone (WIB by default): the last
    three months, then publish."""
    return recompute_request(rapor)
