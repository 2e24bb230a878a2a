"""Quality gates: the staged tables validated with Great Expectations before anything
downstream runs. A failed gate stops cases, scorecards and publication (docs/quality.md)."""

import datetime as dt

import dagster as dg

from assets.common import WAREHOUSE_POOL
from pipelines import quality
from pipelines.resources import RaporHome

MAX_LISTED = 10  # failed expectations spelled out in a check's metadata


def _failures_md(outcomes: list[quality.Outcome]) -> str:
    bad = quality.failed(outcomes)
    if not bad:
        return "none"
    lines = ["| expectation | observed | expected |", "|---|---|---|"]
    lines += [
        f"| `{o.expectation}` | {o.observed} | {o.expected} |".replace("\n", " ")
        for o in bad[:MAX_LISTED]
    ]
    if len(bad) > MAX_LISTED:
        lines.append(f"| … {len(bad) - MAX_LISTED} more | | |")
    return "\n".join(lines)


def _result(check: str, outcomes: list[quality.Outcome], seconds: float, file: str):
    bad = quality.failed(outcomes)
    rows = max((o.rows_checked for o in outcomes), default=0)
    if bad:
        description = "; ".join(f"{o.expectation}: {o.observed}" for o in bad[:3])
    else:
        description = f"{len(outcomes)} expectations met"
    return dg.AssetCheckResult(
        check_name=check,
        asset_key=quality.ASSET,
        passed=not bad,
        description=description[:1000],
        metadata={
            "expectations": len(outcomes),
            "failed": len(bad),
            "rows_checked": rows,
            "failures": dg.MetadataValue.md(_failures_md(outcomes)),
            "failing_rows_sample": dg.MetadataValue.json(
                {o.expectation: o.sample for o in bad[:MAX_LISTED] if o.sample}
            ),
            "seconds": round(seconds, 3),
            "quality_file": file,
        },
    )


@dg.multi_asset_check(
    name="quality_gate",
    specs=[
        dg.AssetCheckSpec(name, asset=quality.ASSET, blocking=True, description=text)
        for name, text in quality.CHECKS.items()
    ],
    pool=WAREHOUSE_POOL,
)
def quality_gate(context: dg.AssetCheckExecutionContext, rapor: RaporHome):
    """The quality gate on `staged_sources`: one blocking check per suite
    (stg_complaints_valid, stg_events_valid, stg_ratings_valid, complaint_volume), validated
    with Great Expectations on frames read from the warehouse. Every outcome is added to
    the warehouse table `quality_results` and written to `serving/quality.duckdb` (atomic),
    so the app shows the latest gate even when it blocked publication."""
    home = rapor.home
    timings: dict[str, float] = {}
    checked_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    run = context.run.run_id
    with rapor.warehouse() as con:
        results = quality.run_gate(
            con,
            now=rapor.now_local(),
            as_of=rapor.as_of_date(),
            volume=rapor.policy().volume_gate,
            timings=timings,
        )
        frame = quality.result_frame(
            [o for outcomes in results.values() for o in outcomes], run=run, checked_at=checked_at
        )
        quality.store(con, frame)
        path = quality.publish_file(con, home.serving_dir, run)
    context.log.info(
        "quality gate: "
        + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items())
        + f"; {frame.filter(~frame['passed']).height} of {frame.height} expectations failed"
    )
    for check, outcomes in results.items():
        yield _result(check, outcomes, timings.get(check, 0.0), str(path))
