"""Monthly partitions: one per calendar month of the tenant, the current month included."""

import datetime as dt

import dagster as dg

monthly = dg.MonthlyPartitionsDefinition(start_date="2010-01-01", end_offset=1)


def month_label(partition_key: str) -> str:
    """'2025-03-01' -> '2025-03'."""
    return partition_key[:7]


def partition_key(month: str) -> str:
    """'2025-03' -> '2025-03-01' (and checks it is a real month)."""
    return dt.date.fromisoformat(f"{month}-01").isoformat()


def range_tags(first_month: str, last_month: str) -> dict[str, str]:
    """Run tags that make one run cover a range of month partitions."""
    return {
        "dagster/asset_partition_range_start": partition_key(first_month),
        "dagster/asset_partition_range_end": partition_key(last_month),
    }


def trailing_months(last_month: str, count: int) -> tuple[str, str]:
    """The `count` months ending with `last_month` (both YYYY-MM), as (first, last)."""
    year, month = map(int, last_month.split("-"))
    index = year * 12 + month - 1 - (count - 1)
    return f"{index // 12:04d}-{index % 12 + 1:02d}", last_month
