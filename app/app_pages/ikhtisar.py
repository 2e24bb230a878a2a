"""Ikhtisar: the leadership's monthly overview of SKPD (units)."""

from __future__ import annotations

import functools

import polars as pl
import streamlit as st

from app import charts, data, exports, ui
from app.i18n import language, rating_label, t

UNIT_PAGE = "app_pages/pegawai.py"  # a unit's numbers and its officers (?unit=)

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
top[1].caption(t("ov.caption", tenant=ui.plain(meta["tenant_name"]), month=month))

# --- downloads: the month's Excel workbook and PDF report (app/exports.py), made on click --
downloads = top[1].container(horizontal=True)
for fmt, label in (("xlsx", "exp.download_xlsx"), ("pdf", "exp.download_pdf")):
    downloads.download_button(
        t(label),
        data=functools.partial(exports.export_bytes, fmt, snap, month, viewer, language()),
        file_name=exports.file_name(meta, month, fmt),
        mime=exports.MIME[fmt],
        help=t("exp.download_help", month=month),
        on_click="ignore",
        icon=":material/download:",
        key=f"download_{fmt}",
    )

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


def _headline(col, label: str, value: str, anchor: str, help_text: str, note: str = "", **kw):
    """One headline number with its help, a note below it and the link to its definition."""
    col.metric(
        label,
        value,
        help=ui.with_definition(help_text, anchor),
        border=True,
        height="stretch",  # the boxes of a row as high as the highest, notes aligned below
        **kw,
    )
    link = ui.definition_link(anchor)
    col.caption(f"{note} · {link}" if note else link)


if row is None:
    st.info(t("ov.no_units", month=month))
else:
    forwarding_wd = rules.value("deadlines", "forwarding", default="?")
    response_wd = rules.value("deadlines", "response", default="?")
    reopen_days = rules.value("reopen_window_days", default="?")
    rating_days = rules.value("rating_window_days", default="?")
    resolution_ci = ui.fmt_interval(row["resolution_rate_low"], row["resolution_rate_high"])
    response_ci = ui.fmt_interval(row["response_rate_low"], row["response_rate_high"])
    cols = st.columns(5)
    _headline(
        cols[0],
        t("ov.received"),
        ui.fmt_int(row["received"]),
        "received",
        t("ov.received_help"),
        delta=_delta("received"),
        delta_color="off",
    )
    _headline(
        cols[1],
        t("ov.resolved"),
        ui.fmt_int(row["resolved"]),
        "resolved",
        t("ov.resolved_help"),
        delta=_delta("resolved"),
        delta_color="off",
    )
    _headline(
        cols[2],
        t("ov.compliance"),
        ui.fmt_pct(row["resolution_rate"]),
        "resolution_rate",
        t(
            "ov.compliance_help",
            due=ui.fmt_int(row["resolution_due"]),
            low=ui.fmt_pct(row["resolution_rate_low"], 1),
            high=ui.fmt_pct(row["resolution_rate_high"], 1),
        ),
        f"{t('interval')}: {resolution_ci}",
        delta=_delta("resolution_rate", 100, 1, f" {t('unit.pp')}"),
    )
    _headline(
        cols[3],
        t("ov.median"),
        ui.fmt_num(row["resolution_wd_median"]),
        "resolution_wd_median",
        t("ov.median_help"),
        f"P90: {ui.fmt_num(row['resolution_wd_p90'])}",
        delta=_delta("resolution_wd_median", 1, 1),
        delta_color="inverse",
    )
    _headline(
        cols[4],
        t("ov.backlog"),
        ui.fmt_int(row["backlog_end"]),
        "backlog_end",
        t("ov.backlog_help", overdue=ui.fmt_int(row["overdue_backlog_end"])),
        f"{ui.fmt_int(row['overdue_backlog_end'])} {t('ov.overdue')}",
        delta=_delta("backlog_end"),
        delta_color="inverse",
    )
    cols = st.columns(4)
    _headline(
        cols[0],
        t("ov.forwarding"),
        ui.fmt_pct(row["forwarding_rate"]),
        "forwarding_rate",
        t(
            "ov.forwarding_help",
            n=forwarding_wd,
            met=ui.fmt_int(row["forwarding_met"]),
            due=ui.fmt_int(row["forwarding_due"]),
        ),
        f"{ui.fmt_int(row['forwarding_met'])}/{ui.fmt_int(row['forwarding_due'])}",
        delta=_delta("forwarding_rate", 100, 1, f" {t('unit.pp')}"),
    )
    _headline(
        cols[1],
        t("ov.response"),
        ui.fmt_pct(row["response_rate"]),
        "response_rate",
        t(
            "ov.response_help",
            n=response_wd,
            met=ui.fmt_int(row["response_met"]),
            due=ui.fmt_int(row["response_due"]),
            low=ui.fmt_pct(row["response_rate_low"], 1),
            high=ui.fmt_pct(row["response_rate_high"], 1),
        ),
        f"{t('interval')}: {response_ci}",
        delta=_delta("response_rate", 100, 1, f" {t('unit.pp')}"),
    )
    _headline(
        cols[2],
        t("ov.satisfaction"),
        ui.fmt_num(row["satisfaction_mean"], 2),
        "satisfaction_mean",
        t(
            "ov.satisfaction_help",
            n=ui.fmt_int(row["ratings_n"]),
            rate=ui.fmt_pct(row["rating_response_rate"]),
            days=rating_days,
        ),
        t("ov.ratings", n=ui.fmt_int(row["ratings_n"])),
        delta=_delta("satisfaction_mean", 1, 2),
    )
    _headline(
        cols[3],
        t("ov.reopen"),
        ui.fmt_pct(row["reopen_rate"], 1),
        "reopen_rate",
        t("ov.reopen_help", days=reopen_days),
        delta=_delta("reopen_rate", 100, 1, f" {t('unit.pp')}"),
        delta_color="inverse",
    )
    notes = [t("ov.headline_caption")]
    if prev is not None:
        notes.append(t("ov.vs_previous", month=prev["month"]))
    st.caption(" ".join(notes))

# --- unit rankings ---------------------------------------------------------------------
st.header(t("ov.rank_title"))
if rules.source == "default":
    st.caption(t("policy_min_assumed", n=min_n))
units = data.unit_ranking(snap, month, viewer, min_n)
if units.is_empty():
    st.info(t("ov.no_units", month=month))
else:
    ranked_label, insufficient_label = t("ov.ranked"), t("insufficient")

    def labelled(frame: pl.DataFrame, ranked: str, rank: str) -> pl.DataFrame:
        """Bar labels "3. Dinas ..." for ranked units, "– Dinas ..." for the others."""
        return frame.with_columns(
            pl.when(pl.col(ranked))
            .then(pl.format("{}. {}", pl.col(rank), pl.col("unit_name")))
            .otherwise(pl.format("– {}", pl.col("unit_name")))
            .alias("label"),
            pl.when(pl.col(ranked))
            .then(pl.lit(ranked_label))
            .otherwise(pl.lit(insufficient_label))
            .alias("group"),
        )

    by_rate = labelled(units, "ranked", "rank")
    with st.container():
        st.subheader(t("ov.rank_compliance"))
        st.caption(
            t("ov.rank_caption", n=min_n)
            + "  \n"
            + ui.definitions_caption(
                (t("col.resolution_rate"), "resolution_rate"),
                (t("col.interval"), "wilson"),
                (t("col.rating"), "rating"),
            )
        )
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
    by_median = labelled(
        units.sort(
            ["ranked_median", "rank_median", "resolution_wd_median", "unit_name"],
            descending=[True, False, False, False],
            nulls_last=True,
        ),
        "ranked_median",
        "rank_median",
    )
    with st.container():
        st.subheader(t("ov.rank_median"))
        st.caption(
            t("ov.median_caption", n=min_n)
            + "  \n"
            + ui.definitions_caption(
                (t("col.median_wd"), "resolution_wd_median"),
                (t("col.p90_wd"), "resolution_wd_p90"),
                (t("wd"), "wd"),
            )
        )
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
            ui.interval_words(units, "resolution_rate"),
            "response_rate",
            "forwarding_rate",
            "resolved",
            "resolution_wd_median",
            "resolution_wd_p90",
            "backlog_end",
            "overdue_backlog_end",
            "satisfaction_shrunk",
            "score",
            ui.words(units, "rating", rating_label, "rating"),
            pl.when(pl.col("ranked"))
            .then(pl.lit(""))
            .otherwise(pl.lit(insufficient_label))
            .alias("note"),
        )
        st.caption(t("ov.open_unit"))
        picked = st.dataframe(
            table.with_columns(
                ui.percent_of("resolution_rate", "response_rate", "forwarding_rate")
            ),
            hide_index=True,
            placeholder=ui.MISSING,
            key="unit_ranking_table",
            on_select="rerun",
            selection_mode="single-row",
            column_config={
                "rank": st.column_config.NumberColumn(
                    t("col.rank"), width="small", help=ui.definition_link("resolution_rate")
                ),
                "unit_name": st.column_config.TextColumn(t("col.unit"), width="large"),
                "unit_code": st.column_config.TextColumn(
                    t("col.unit_code"), help=ui.definition_link("unit_code")
                ),
                "resolution_due": ui.number_column("col.resolution_due", "resolution_due"),
                "resolution_met": ui.number_column("col.resolution_met", "resolution_met"),
                "resolution_rate": ui.number_column(
                    "col.resolution_rate", "resolution_rate", fmt=ui.PCT
                ),
                "interval": st.column_config.TextColumn(
                    t("col.interval"), help=ui.definition_link("wilson")
                ),
                "response_rate": ui.number_column("col.response_rate", "response_rate", fmt=ui.PCT),
                "forwarding_rate": ui.number_column(
                    "col.forwarding_rate", "forwarding_rate", fmt=ui.PCT
                ),
                "resolved": ui.number_column("col.resolved", "resolved"),
                "resolution_wd_median": ui.number_column(
                    "col.median_wd", "resolution_wd_median", fmt="%.1f"
                ),
                "resolution_wd_p90": ui.number_column(
                    "col.p90_wd", "resolution_wd_p90", fmt="%.1f"
                ),
                "backlog_end": ui.number_column("col.backlog", "backlog_end"),
                "overdue_backlog_end": ui.number_column("col.overdue", "overdue_backlog_end"),
                "satisfaction_shrunk": ui.number_column(
                    "col.satisfaction", "satisfaction_shrunk", fmt="%.2f"
                ),
                "score": ui.number_column("col.score", "score", fmt="%.0f"),
                "rating": st.column_config.TextColumn(
                    t("col.rating"), help=ui.definition_link("rating")
                ),
                "note": st.column_config.TextColumn(t("col.status")),
            },
        )
        if picked is not None and picked.selection.rows:  # the unit's page
            unit = table["unit_code"][picked.selection.rows[0]]
            st.switch_page(UNIT_PAGE, query_params={"unit": unit, "month": month})

# --- trend -----------------------------------------------------------------------------
st.header(t("ov.trend_title"))
st.caption(
    t("ov.trend_caption")
    + " "
    + ui.definitions_caption(
        (t("col.resolution_rate"), "resolution_rate"),
        (t("col.median_wd"), "resolution_wd_median"),
        (t("col.p90_wd"), "resolution_wd_p90"),
        (t("col.provisional"), "provisional"),
    )
)
left, right = st.columns(2)
with left:
    st.subheader(t("ov.trend_compliance"))
    judged = trend.filter(pl.col("resolution_due") > 0)
    st.altair_chart(
        charts.trend(
            judged,
            month="month",
            value="resolution_rate",
            low="resolution_rate_low",
            high="resolution_rate_high",
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
        st.caption(
            t("ov.channels_caption", n=ui.fmt_int(multi)) + " " + ui.definition_link("merge")
        )
        st.altair_chart(
            charts.count_bars(channels, category="channel", count="cases", x_title=t("col.count")),
            width="stretch",
            key="chart_channels",
        )
    with right:
        st.subheader(t("ov.districts"))
        st.caption(t("ov.districts_caption") + " " + ui.definition_link("status"))
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
