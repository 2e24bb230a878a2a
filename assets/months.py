"""Monthly scorecards per officer and per unit, one partition per month."""

import dagster as dg

from assets.common import WAREHOUSE_POOL
from pipelines.engine import run_stage
from pipelines.partitions import month_label, monthly
from pipelines.resources import RaporHome

# what every month table shares: one partition per month, a run may cover many
MONTH_TABLE = dict(
    group_name="scorecards",
    deps=["holder_facts"],
    partitions_def=monthly,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
)


def _month_range(context: dg.AssetExecutionContext) -> tuple[str, str]:
    keys = context.partition_key_range
    return month_label(keys.start), month_label(keys.end)


def _replace_months(context, rapor: RaporHome, table: str) -> dict:
    first, last = _month_range(context)
    params = {**rapor.sql_params(), "month_from": first, "month_to": last}
    with rapor.warehouse() as con:
        run_stage(con, table, params)
        rows, provisional = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE provisional) FROM {table} "
            "WHERE month BETWEEN $f AND $t",
            {"f": first, "t": last},
        ).fetchone()
    context.log.info(f"{table}: {rows} rows for {first}..{last} ({provisional} provisional)")
    return {"months": f"{first}..{last}", "rows": rows, "provisional_rows": provisional}


@dg.asset(**MONTH_TABLE)
def officer_month(context: dg.AssetExecutionContext, rapor: RaporHome) -> dg.MaterializeResult:
    """One row per officer (NIP) and month: segments received, cases resolved, response and
    resolution deadlines due and met with 95 % Wilson intervals, working-day median and p90,
    backlog, satisfaction, reopen rate, case-mix expectation, score and rating."""
    return dg.MaterializeResult(metadata=_replace_months(context, rapor, "officer_month"))


def _unit_month_consistent(con, first: str, last: str) -> dg.AssetCheckResult:
    """Independent recount: deadlines per month in unit_month equal the judged cases."""
    mismatches = con.execute(
        """
        WITH from_cases AS (
            SELECT resolution_judged_month AS month, count(*) AS n, count(*) FILTER (
                WHERE resolution_met) AS met
            FROM cases
            WHERE resolution_judged_month BETWEEN $f AND $t AND credited_unit_code IS NOT NULL
            GROUP BY 1
        ), from_units AS (
            SELECT month, sum(resolution_due) AS n, sum(resolution_met) AS met
            FROM unit_month WHERE month BETWEEN $f AND $t GROUP BY 1
        )
        SELECT coalesce(c.month, u.month), c.n, u.n, c.met, u.met
        FROM from_cases AS c FULL JOIN from_units AS u USING (month)
        WHERE coalesce(c.n, 0) <> coalesce(u.n, 0) OR coalesce(c.met, 0) <> coalesce(u.met, 0)
        """,
        {"f": first, "t": last},
    ).fetchall()
    return dg.AssetCheckResult(
        check_name="deadlines_add_up",
        passed=not mismatches,
        metadata={"mismatched_months": str(mismatches[:10]) if mismatches else "none"},
        description="resolution deadlines in unit_month equal the judged cases, per month",
    )


@dg.asset(
    **MONTH_TABLE,
    check_specs=[dg.AssetCheckSpec("deadlines_add_up", asset="unit_month", blocking=True)],
)
def unit_month(context: dg.AssetExecutionContext, rapor: RaporHome):
    """One row per unit (SKPD) and month: the officer measures summed over the unit, plus
    the admin forwarding clock (forwarding_due, forwarding_met)."""
    meta = _replace_months(context, rapor, "unit_month")
    yield dg.MaterializeResult(metadata=meta)
    first, last = _month_range(context)
    with rapor.warehouse() as con:
        yield _unit_month_consistent(con, first, last)


@dg.asset(**MONTH_TABLE)
def tenant_month(context: dg.AssetExecutionContext, rapor: RaporHome) -> dg.MaterializeResult:
    """One row per month for the whole tenant (leadership's headline numbers): every
    deadline, resolution, rating and backlog of the month, whoever held the case."""
    return dg.MaterializeResult(metadata=_replace_months(context, rapor, "tenant_month"))


@dg.asset(
    group_name="scorecards",
    deps=["officer_month", "flags"],
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
)
def recommendations(context: dg.AssetExecutionContext, rapor: RaporHome) -> dg.MaterializeResult:
    """What HR and the inspectorate should look at (`recommendations`): per officer and
    settled month, reward_candidate, coaching or inspectorate_review, each with its reasons
    in Bahasa Indonesia (numbers, policy thresholds) and the case ids behind it. rapor
    recommends and documents; people decide. Also `predikat_distribution`: the SE MenPANRB
    pola distribusi of the officers' predikat checked per unit and month (docs/predikat.md);
    a broken rule is logged as a warning."""
    with rapor.warehouse() as con:
        run_stage(con, "recommendations", rapor.sql_params())
        kinds = con.execute(
            "SELECT kind, count(*) FROM recommendations GROUP BY ALL ORDER BY 1"
        ).fetchall()
        broken = con.execute(
            "SELECT month, coalesce(unit_code, 'pemda'), detail FROM predikat_distribution "
            "WHERE NOT passed ORDER BY ALL"
        ).fetchall()
    if broken:  # one warning, not one per rule: a city can break dozens in two years
        examples = "; ".join(f"{m} {u}: {d}" for m, u, d in broken[-3:])
        context.log.warning(
            f"predikat distribution: {len(broken)} rules broken in "
            f"{len({m for m, _, _ in broken})} months (table predikat_distribution; latest: "
            f"{examples})"
        )
    return dg.MaterializeResult(
        metadata={**{f"{kind}": n for kind, n in kinds}, "distribution_rules_broken": len(broken)}
    )
