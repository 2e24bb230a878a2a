"""Ikhtisar: the leadership's monthly overview of SKPD (units)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app import charts, data, ui
from app.i18n import t

snap = ui.snapshot_or_stop()
viewer = data.current_viewer()
meta = data.info(snap)
rules = data.policy(snap)
min_n = rules.min_judged

st.title(t("ov.title"))
month_frame = data.months(snap)
if month_frame.is_empty():
    st.info(t("no_months"))
    st.stop()

top = st.columns([1, 3])
month = ui.month_selector(month_frame, container=top[0])
top[1].caption(t("ov.caption", tenant=meta["tenant_name"], month=month))

# --- headline numbers ------------------------------------------------------------------
trend = data.tenant_months(snap, viewer)
this = trend.filter(pl.col("month") == month).to_dicts()
earlier = trend.filter(pl.col("month") < month).tail(1).to_dicts()
prev = earlier[0] if earlier else None
row = this[0] if this else None


def _delta(key: str, scale: float = 1.0, digits: int = 0, unit: str = "") -> str | None:
    if row is None or prev is None or row.get(key) is None or prev.get(key) is None:
        return None
    diff = round((row[key] - prev[key]) * scale, digits)
    if diff == 0:
        return None
    return f"{'+' if diff > 0 else ''}{ui.fmt_num(diff, digits)}{unit}"


if row is None:
    st.info(t("ov.no_units", month=month))
else:
    cols = st.columns(5)
    cols[0].metric(
        t("ov.received"),
        ui.fmt_int(row["received"]),
        _delta("received"),
        delta_color="off",
        help=t("ov.received_help"),
        border=True,
    )
    cols[1].metric(
        t("ov.resolved"),
        ui.fmt_int(row["resolved"]),
        _delta("resolved"),
        delta_color="off",
        help=t("ov.resolved_help"),
        border=True,
    )
    cols[2].metric(
        t("ov.compliance"),
        ui.fmt_pct(row["resolution_rate"]),
        _delta("resolution_rate", 100, 1, f" {t('unit.pp')}"),
        help=t(
            "ov.compliance_help",
            due=ui.fmt_int(row["resolution_due"]),
            low=ui.fmt_pct(row["resolution_low"], 1),
            high=ui.fmt_pct(row["resolution_high"], 1),
        ),
        border=True,
    )
    cols[2].caption(
        f"{t('interval')}: {ui.fmt_interval(row['resolution_low'], row['resolution_high'])}"
    )
    cols[3].metric(
        t("ov.median"),
        ui.fmt_num(row["resolution_wd_median"]),
        _delta("resolution_wd_median", 1, 1),
        delta_color="inverse",
        help=t("ov.median_help"),
        border=True,
    )
    cols[4].metric(
        t("ov.backlog"),
        ui.fmt_int(row["backlog_end"]),
        _delta("backlog_end"),
        delta_color="inverse",
        help=t("ov.backlog_help", overdue=ui.fmt_int(row["overdue_backlog_end"])),
        border=True,
    )
    cols[4].caption(f"{ui.fmt_int(row['overdue_backlog_end'])} {t('ov.overdue')}")
    if prev is not None:
        st.caption(t("ov.vs_previous", month=prev["month"]))

# --- unit rankings ---------------------------------------------------------------------
st.header(t("ov.rank_title"))
if rules.source == "default":
    st.caption(t("policy_min_assumed", n=min_n))
units = data.unit_ranking(snap, month, viewer, min_n)
if units.is_empty():
    st.info(t("ov.no_units", month=month))
else:
    ranked_label, insufficient_label = t("ov.ranked"), t("insufficient")
    by_rate = units.with_columns(
        pl.when(pl.col("ranked"))
        .then(pl.format("{}. {}", pl.col("rank"), pl.col("unit_name")))
        .otherwise(pl.format("– {}", pl.col("unit_name")))
        .alias("label"),
        pl.when(pl.col("ranked"))
        .then(pl.lit(ranked_label))
        .otherwise(pl.lit(insufficient_label))
        .alias("group"),
    )
    with st.container():
        st.subheader(t("ov.rank_compliance"))
        st.caption(t("ov.rank_caption", n=min_n))
        st.altair_chart(
            charts.ranked_bars(
                by_rate,
                label="label",
                value="resolution_rate",
                low="resolution_rate_low",
                high="resolution_rate_high",
                group="group",
                groups=(ranked_label, insufficient_label),
                x_title=t("col.resolution_rate"),
                percent=True,
                missing_text=insufficient_label,
            ),
            width="stretch",
            key="chart_rank_compliance",
        )
    by_median = units.sort(
        ["ranked_median", "rank_median", "resolution_wd_median", "unit_name"],
        descending=[True, False, False, False],
        nulls_last=True,
    ).with_columns(
        pl.when(pl.col("ranked_median"))
        .then(pl.format("{}. {}", pl.col("rank_median"), pl.col("unit_name")))
        .otherwise(pl.format("– {}", pl.col("unit_name")))
        .alias("label"),
        pl.when(pl.col("ranked_median"))
        .then(pl.lit(ranked_label))
        .otherwise(pl.lit(insufficient_label))
        .alias("group"),
    )
    with st.container():
        st.subheader(t("ov.rank_median"))
        st.caption(t("ov.median_caption", n=min_n))
        st.altair_chart(
            charts.ranked_bars(
                by_median,
                label="label",
                value="resolution_wd_median",
                low="resolution_wd_median",
                high="resolution_wd_p90",
                group="group",
                groups=(ranked_label, insufficient_label),
                x_title=f"{t('col.median_wd')} ({t('wd')})",
                missing_text=insufficient_label,
            ),
            width="stretch",
            key="chart_rank_median",
        )
    with st.expander(t("ov.rank_table"), expanded=False):
        table = units.select(
            "rank",
            "unit_name",
            "unit_code",
            "resolution_due",
            "resolution_met",
            "resolution_rate",
            pl.struct("resolution_rate_low", "resolution_rate_high")
            .map_elements(
                lambda s: ui.fmt_interval(s["resolution_rate_low"], s["resolution_rate_high"]),
                return_dtype=pl.String,
            )
            .alias("interval"),
            "resolved",
            "resolution_wd_median",
            "resolution_wd_p90",
            "backlog_end",
            "overdue_backlog_end",
            pl.when(pl.col("ranked"))
            .then(pl.lit(""))
            .otherwise(pl.lit(insufficient_label))
            .alias("note"),
        )
        st.dataframe(
            table.with_columns(ui.percent_of("resolution_rate")),
            hide_index=True,
            placeholder=ui.MISSING,
            key="unit_ranking_table",
            column_config={
                "rank": st.column_config.NumberColumn(t("col.rank"), width="small"),
                "unit_name": st.column_config.TextColumn(t("col.unit"), width="large"),
                "unit_code": st.column_config.TextColumn(t("col.unit_code")),
                "resolution_due": st.column_config.NumberColumn(t("col.resolution_due")),
                "resolution_met": st.column_config.NumberColumn(t("col.resolution_met")),
                "resolution_rate": st.column_config.NumberColumn(
                    t("col.resolution_rate"), format=ui.PCT
                ),
                "interval": st.column_config.TextColumn(t("col.interval")),
                "resolved": st.column_config.NumberColumn(t("col.resolved")),
                "resolution_wd_median": st.column_config.NumberColumn(
                    t("col.median_wd"), format="%.1f"
                ),
                "resolution_wd_p90": st.column_config.NumberColumn(t("col.p90_wd"), format="%.1f"),
                "backlog_end": st.column_config.NumberColumn(t("col.backlog")),
                "overdue_backlog_end": st.column_config.NumberColumn(t("col.overdue")),
                "note": st.column_config.TextColumn(t("col.status")),
            },
        )

# --- trend -----------------------------------------------------------------------------
st.header(t("ov.trend_title"))
st.caption(t("ov.trend_caption"))
left, right = st.columns(2)
with left:
    st.subheader(t("ov.trend_compliance"))
    judged = trend.filter(pl.col("resolution_due") > 0)
    st.altair_chart(
        charts.trend(
            judged,
            month="month",
            value="resolution_rate",
            low="resolution_low",
            high="resolution_high",
            provisional="provisional",
            y_title=t("col.resolution_rate"),
            percent=True,
        ),
        width="stretch",
        key="chart_trend_compliance",
    )
with right:
    st.subheader(t("ov.trend_median"))
    long = (
        trend.filter(pl.col("resolution_wd_median").is_not_null())
        .select("month", "provisional", "resolution_wd_median", "resolution_wd_p90")
        .unpivot(index=["month", "provisional"], variable_name="measure", value_name="wd")
        .with_columns(
            pl.col("measure").replace_strict(
                {"resolution_wd_median": t("col.median_wd"), "resolution_wd_p90": t("col.p90_wd")}
            )
        )
    )
    st.altair_chart(
        charts.trend(
            long,
            month="month",
            value="wd",
            series="measure",
            provisional="provisional",
            y_title=t("wd"),
        ),
        width="stretch",
        key="chart_trend_median",
    )

# --- where complaints come from --------------------------------------------------------
st.header(t("ov.sources_title", month=month))
channels = data.channel_mix(snap, month, viewer)
districts = data.district_mix(snap, month, viewer)
if channels.is_empty() and districts.is_empty():
    st.info(t("ov.no_cases", month=month))
else:
    left, right = st.columns(2)
    with left:
        st.subheader(t("ov.channels"))
        multi = int(channels["multi_channel_cases"].max() or 0) if channels.height else 0
        st.caption(t("ov.channels_caption", n=ui.fmt_int(multi)))
        st.altair_chart(
            charts.count_bars(channels, category="channel", count="cases", x_title=t("col.count")),
            width="stretch",
            key="chart_channels",
        )
    with right:
        st.subheader(t("ov.districts"))
        st.caption(t("ov.districts_caption"))
        groups = ["resolved", "open", "closed"]
        labels = {g: t(f"status_group.{g}") for g in groups}
        shown = districts.with_columns(
            pl.col("district").fill_null(t("unknown")),
            pl.col("status_group").replace_strict(labels).alias("status_label"),
        )
        st.altair_chart(
            charts.stacked_bars(
                shown,
                category="district",
                stack="status_label",
                count="cases",
                stack_order=[labels[g] for g in groups],
                x_title=t("col.count"),
            ),
            width="stretch",
            key="chart_districts",
        )
