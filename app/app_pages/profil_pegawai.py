"""Profil pegawai: one officer's monthly numbers and the cases behind them (?nip=...)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app import charts, data, ui
from app.i18n import rating_label, t, t_or

NIP_KEY = "nip"  # the query parameter
MAX_TIMELINES = 25  # expanders rendered at once; the rest through a selector

snap = ui.snapshot_or_stop()
viewer = data.current_viewer()

st.title(t("prof.title"))
directory = data.officer_directory(snap, viewer)
labels = {
    nip: f"{name or t('unknown')} — {nip}" + (f" ({unit})" if unit else "")
    for nip, name, unit in directory.select("nip", "name", "unit_code").iter_rows()
}
asked = st.query_params.get(NIP_KEY)
if asked and asked not in labels:
    st.warning(t("prof.unknown_nip", nip=asked), icon=":material/person_off:")
nip = ui.synced_selectbox(
    t("prof.choose"),
    list(labels),
    param=NIP_KEY,
    placeholder=t("prof.choose_placeholder"),
    format_func=labels.__getitem__,
)
if not nip:
    st.info(t("prof.none_chosen"))
    st.stop()

person = directory.filter(pl.col("nip") == nip).row(0, named=True)
postings = data.officer_postings(snap, nip, viewer)
history = data.officer_history(snap, nip, viewer)

st.header(person["name"] or nip)
current = postings.row(0, named=True) if postings.height else None
facts = [f"{t('col.nip')} **{nip}**"]
if current:
    facts += [
        f"{current['unit_name']} ({current['unit_code']})",
        current["position"] or "",
        current["grade"] or "",
    ]
elif person["unit_code"]:
    facts.append(person["unit_code"])
st.markdown(" · ".join(f for f in facts if f))

with st.expander(t("prof.postings")):
    if postings.is_empty():
        st.caption(t("prof.no_postings"))
    else:
        st.dataframe(
            postings.select(
                "unit_name", "unit_code", "position", "grade", "valid_from", "valid_to"
            ),
            hide_index=True,
            key="officer_postings_table",
            column_config={
                "unit_name": st.column_config.TextColumn(t("col.unit")),
                "unit_code": st.column_config.TextColumn(t("col.unit_code")),
                "position": st.column_config.TextColumn(t("col.position")),
                "grade": st.column_config.TextColumn(t("col.grade")),
                "valid_from": st.column_config.DateColumn(t("col.valid_from")),
                "valid_to": st.column_config.DateColumn(t("col.valid_to")),
            },
        )

if history.is_empty():
    st.info(t("prof.no_months"))
    st.stop()

month = ui.month_selector(history.select("month", "provisional"))
row = history.filter(pl.col("month") == month).row(0, named=True)

# --- the chosen month ------------------------------------------------------------------
st.subheader(t("prof.month_numbers", month=month))
cols = st.columns(4) + st.columns(3)
cols[0].metric(t("prof.metric_received"), ui.fmt_int(row["received"]), border=True)
cols[1].metric(t("prof.metric_resolved"), ui.fmt_int(row["resolved"]), border=True)
for col, kind, label in (
    (cols[2], "response", "prof.metric_response"),
    (cols[3], "resolution", "prof.metric_resolution"),
):
    col.metric(
        t(label),
        ui.fmt_pct(row[f"{kind}_rate"]),
        help=t(
            "prof.rate_help",
            met=ui.fmt_int(row[f"{kind}_met"]),
            due=ui.fmt_int(row[f"{kind}_due"]),
            low=ui.fmt_pct(row[f"{kind}_rate_low"]),
            high=ui.fmt_pct(row[f"{kind}_rate_high"]),
        ),
        border=True,
    )
    met, due = ui.fmt_int(row[f"{kind}_met"]), ui.fmt_int(row[f"{kind}_due"])
    interval = ui.fmt_interval(row[f"{kind}_rate_low"], row[f"{kind}_rate_high"])
    col.caption(f"{met}/{due} · {t('interval')} {interval}")
cols[4].metric(t("prof.metric_median"), ui.fmt_wd(row["resolution_wd_median"]), border=True)
cols[5].metric(
    t("prof.metric_satisfaction"),
    ui.fmt_num(row["satisfaction_shrunk"], 2),
    help=t(
        "prof.satisfaction_help",
        n=ui.fmt_int(row["ratings_n"]),
        mean=ui.fmt_num(row["satisfaction_mean"], 2),
    ),
    border=True,
)
with cols[6].container(border=True):
    st.metric(
        t("prof.metric_rating"),
        ui.fmt_num(row["score"], 0),
        help=t("off.rating_help"),
    )
    st.markdown(ui.rating_badge(row["rating"]))

# --- over time -------------------------------------------------------------------------
st.subheader(t("prof.history"))
rates = pl.concat(
    [
        history.select(
            "month",
            "provisional",
            pl.lit(t(f"col.{kind}_rate")).alias("series"),
            pl.col(f"{kind}_rate").alias("rate"),
            pl.col(f"{kind}_rate_low").alias("low"),
            pl.col(f"{kind}_rate_high").alias("high"),
        )
        for kind in ("response", "resolution")
    ]
).filter(pl.col("rate").is_not_null())
st.caption(t("prof.rates_chart"))
if rates.is_empty():
    st.info(t("prof.no_rates"))
else:
    st.altair_chart(
        charts.rates_with_intervals(
            rates,
            month="month",
            series="series",
            value="rate",
            low="low",
            high="high",
            provisional="provisional",
            y_title=t("prof.on_time"),
        ),
        width="stretch",
        key="chart_officer_rates",
    )
st.dataframe(
    history.sort("month", descending=True)
    .with_columns(ui.percent_of("response_rate", "resolution_rate"))
    .select(
        "month",
        "unit_code",
        "received",
        "resolved",
        "response_due",
        "response_rate",
        "resolution_due",
        "resolution_rate",
        pl.struct("resolution_rate_low", "resolution_rate_high")
        .map_elements(
            lambda s: ui.fmt_interval(s["resolution_rate_low"], s["resolution_rate_high"]),
            return_dtype=pl.String,
        )
        .alias("interval"),
        "resolution_wd_median",
        "backlog_end",
        "overdue_backlog_end",
        "ratings_n",
        "satisfaction_shrunk",
        "observed_expected_ratio",
        "score",
        pl.col("rating").map_elements(rating_label, return_dtype=pl.String),
        "provisional",
    ),
    hide_index=True,
    placeholder=ui.MISSING,
    key="officer_history_table",
    column_config={
        "month": st.column_config.TextColumn(t("col.month"), pinned=True),
        "unit_code": st.column_config.TextColumn(t("col.unit")),
        "received": st.column_config.NumberColumn(t("col.received")),
        "resolved": st.column_config.NumberColumn(t("col.resolved")),
        "response_due": st.column_config.NumberColumn(t("col.response_due_long")),
        "response_rate": st.column_config.NumberColumn(t("col.response_rate"), format=ui.PCT),
        "resolution_due": st.column_config.NumberColumn(t("col.resolution_due_long")),
        "resolution_rate": st.column_config.NumberColumn(t("col.resolution_rate"), format=ui.PCT),
        "interval": st.column_config.TextColumn(t("col.interval")),
        "resolution_wd_median": st.column_config.NumberColumn(t("col.median_wd"), format="%.1f"),
        "backlog_end": st.column_config.NumberColumn(t("col.backlog")),
        "overdue_backlog_end": st.column_config.NumberColumn(t("col.overdue")),
        "ratings_n": st.column_config.NumberColumn(t("col.ratings_n")),
        "satisfaction_shrunk": st.column_config.NumberColumn(t("col.satisfaction"), format="%.2f"),
        "observed_expected_ratio": st.column_config.NumberColumn(t("col.oe_ratio"), format="%.2f"),
        "score": st.column_config.NumberColumn(t("col.score"), format="%.0f"),
        "rating": st.column_config.TextColumn(t("col.rating")),
        "provisional": st.column_config.CheckboxColumn(t("col.provisional")),
    },
)

# --- the cases behind the month --------------------------------------------------------
st.subheader(t("prof.cases", month=month))
cases = data.officer_cases(snap, nip, month, viewer)
if cases.is_empty():
    st.info(t("prof.no_cases"))
    st.stop()
st.caption(t("prof.cases_caption", n=ui.fmt_int(cases.height)))
# cases that count in this month's deadlines and volumes first, held backlog after
cases = cases.sort(
    pl.col("roles").list.set_difference(["other"]).list.len() == 0, "received_at", "case_id"
)


def _roles(roles: list[str]) -> str:
    return ", ".join(t_or(f"role.{r}", r) for r in roles)


def _flags(confidential: bool | None, anonymous: bool | None) -> str:
    return " · ".join(
        word for word, on in ((t("confidential"), confidential), (t("anonymous"), anonymous)) if on
    )


shown = cases.select(
    "case_id",
    "received_at",
    "category",
    "complaint_class",
    pl.col("status").map_elements(lambda s: t_or(f"case.status.{s}", s), return_dtype=pl.String),
    "resolution_wd",
    "resolution_due_wd",
    "resolution_met",
    pl.col("roles").map_elements(_roles, return_dtype=pl.String),
    "title",
    pl.struct("is_confidential", "is_anonymous")
    .map_elements(lambda s: _flags(s["is_confidential"], s["is_anonymous"]), return_dtype=pl.String)
    .alias("flags"),
    pl.col("district").fill_null(t("unknown")),
)
st.dataframe(
    shown,
    hide_index=True,
    placeholder=ui.MISSING,
    key="officer_cases_table",
    column_config={
        "case_id": st.column_config.TextColumn(t("col.case_id"), pinned=True),
        "received_at": st.column_config.DatetimeColumn(
            t("col.received_at"), format="YYYY-MM-DD HH:mm"
        ),
        "category": st.column_config.TextColumn(t("col.category")),
        "complaint_class": st.column_config.TextColumn(t("col.class")),
        "status": st.column_config.TextColumn(t("col.case_status")),
        "resolution_wd": st.column_config.NumberColumn(t("col.resolution_wd")),
        "resolution_due_wd": st.column_config.NumberColumn(t("col.resolution_due_wd")),
        "resolution_met": st.column_config.CheckboxColumn(t("col.case_met")),
        "roles": st.column_config.TextColumn(t("col.roles"), width="medium"),
        "title": st.column_config.TextColumn(t("col.title"), width="large"),
        "flags": st.column_config.TextColumn(t("col.flags")),
        "district": st.column_config.TextColumn(t("col.district")),
    },
)

st.subheader(t("prof.timeline"))
events = data.case_events(snap, cases, viewer)


def _timeline(case: dict) -> None:
    rows = events.filter(pl.col("case_id") == case["case_id"])
    if rows.is_empty():
        st.caption(t("prof.no_events"))
        return
    st.dataframe(
        rows.select(
            "seq",
            "event_at",
            pl.col("event_type").map_elements(
                lambda e: t_or(f"event.{e}", e), return_dtype=pl.String
            ),
            "unit_code",
            "officer_nip",
            "note",
        ),
        hide_index=True,
        key=f"events_{case['case_id']}",
        column_config={
            "seq": st.column_config.NumberColumn("#", width="small"),
            "event_at": st.column_config.DatetimeColumn(
                t("col.event_at"), format="YYYY-MM-DD HH:mm"
            ),
            "event_type": st.column_config.TextColumn(t("col.event_type")),
            "unit_code": st.column_config.TextColumn(t("col.unit")),
            "officer_nip": st.column_config.TextColumn(t("col.officer")),
            "note": st.column_config.TextColumn(t("col.note"), width="large"),
        },
    )


def _case_label(case: dict) -> str:
    status = t_or(f"case.status.{case['status']}", case["status"])
    flags = _flags(case["is_confidential"], case["is_anonymous"])
    return " · ".join(x for x in (case["case_id"], case["category"], status, flags) if x)


case_rows = cases.to_dicts()
for case in case_rows[:MAX_TIMELINES]:
    with st.expander(_case_label(case), icon=":material/timeline:"):
        _timeline(case)
if len(case_rows) > MAX_TIMELINES:
    st.caption(t("prof.timeline_more", shown=MAX_TIMELINES, n=len(case_rows)))
    rest = {c["case_id"]: c for c in case_rows[MAX_TIMELINES:]}
    other = st.selectbox(
        t("prof.other_case"),
        list(rest),
        index=None,
        format_func=lambda c: _case_label(rest[c]),
        placeholder=t("prof.choose_case"),
        key="other_case",
    )
    if other:
        _timeline(rest[other])
