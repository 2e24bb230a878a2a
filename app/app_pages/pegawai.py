"""Pegawai: the month's scorecards of every officer (ASN), filterable by SKPD (?unit=); with
a unit chosen it is that unit's page: its month numbers with intervals above its officers
(the overview's league table links here). A viewer limited to some units sees only their
officers; ?unit= of another unit is refused."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app import data, ui
from app.i18n import predikat_label, rating_label, t

PROFILE_PAGE = "app_pages/profil_pegawai.py"
ALL_UNITS = "*"

snap = ui.snapshot_or_stop()
viewer = data.current_viewer()

st.title(t("off.title"))
st.caption(t("off.caption"))
month_frame = data.months(snap)
if month_frame.is_empty():
    st.info(t("no_months"))
    st.stop()

asked_unit = st.query_params.get("unit")
if viewer.units is not None and asked_unit not in (None, ALL_UNITS, *viewer.units):
    units = ", ".join(viewer.units)
    st.error(t("auth.not_allowed_unit", unit=ui.plain(asked_unit), units=ui.plain(units)),
             icon=":material/block:")  # fmt: skip
    st.stop()

top = st.columns([1, 2])
month = ui.month_selector(month_frame, container=top[0])
everyone = data.officers_month(snap, month, viewer)
# every unit of the month, also one whose sources record no officer (its page still shows)
unit_names = data.unit_names(snap, month, viewer) | dict(
    everyone.select("unit_code", "unit_name").unique().iter_rows()
)
unit_options = [ALL_UNITS, *sorted(unit_names, key=lambda c: unit_names[c] or c)]
unit = ui.synced_selectbox(
    t("off.unit_filter"),
    unit_options,
    param="unit",
    default=ALL_UNITS,
    format_func=lambda c: t("off.all_units") if c == ALL_UNITS else f"{unit_names[c]} ({c})",
    container=top[1],
)
officers = everyone if unit in (None, ALL_UNITS) else everyone.filter(pl.col("unit_code") == unit)

unit_row = None if unit in (None, ALL_UNITS) else data.unit_numbers(snap, month, unit, viewer)
if unit_row is not None:
    st.subheader(t("off.unit_numbers", unit=ui.plain(unit_names.get(unit) or unit), month=month))
    cols = st.columns(5)
    for col, kind in zip(cols[:3], ("resolution", "response", "forwarding"), strict=True):
        interval = ui.MISSING
        if f"{kind}_rate_low" in unit_row:  # unit_month has no interval for forwarding
            interval = ui.fmt_interval(unit_row[f"{kind}_rate_low"], unit_row[f"{kind}_rate_high"])
        col.metric(
            t(f"col.{kind}_rate"),
            ui.fmt_pct(unit_row[f"{kind}_rate"]),
            help=ui.definition_link(f"{kind}_rate"),
            border=True,
        )
        col.caption(
            t("off.unit_rate_note", met=ui.fmt_int(unit_row[f"{kind}_met"]),
              due=ui.fmt_int(unit_row[f"{kind}_due"]), interval=interval)
        )  # fmt: skip
    median = unit_row["resolution_wd_median"]
    cols[3].metric(
        t("col.median_wd"),
        ui.MISSING if median is None else f"{ui.fmt_num(median, 1)} {t('wd.short')}",
        help=ui.definition_link("resolution_wd_median"),
        border=True,
    )
    cols[3].caption(
        t("off.unit_backlog", n=ui.fmt_int(unit_row["backlog_end"]),
          overdue=ui.fmt_int(unit_row["overdue_backlog_end"]))
    )  # fmt: skip
    cols[4].metric(
        t("prof.metric_rating"),
        ui.fmt_num(unit_row["score"], 0),
        help=ui.definition_link("rating"),
        border=True,
    )
    cols[4].markdown(ui.rating_badge(unit_row["rating"]))

if not data.records_officers(snap):
    st.info(t("off.no_officer_records"), icon=":material/person_off:")
    st.stop()
if officers.is_empty():
    st.info(t("off.empty", month=month))
    st.stop()

st.caption(
    t("off.count", n=ui.fmt_int(officers.height), month=month)
    + " "
    + ui.definitions_caption(
        (t("col.resolution_rate"), "resolution_rate"),
        (t("col.score"), "score"),
        (t("col.rating"), "rating"),
    )
)

table = officers.select(
    "officer_nip",
    pl.col("officer_name").fill_null(t("unknown")),
    "unit_code",
    "received",
    "resolved",
    "response_rate",
    "resolution_due",
    "resolution_rate",
    ui.interval_words(officers, "resolution_rate", "resolution_interval"),
    "resolution_wd_median",
    "satisfaction_shrunk",
    "score",
    ui.words(officers, "rating", rating_label, "rating_label"),
    ui.words(officers, "predikat", predikat_label, "predikat_label"),
    "provisional",
)
event = st.dataframe(
    table.with_columns(ui.percent_of("response_rate", "resolution_rate")),
    hide_index=True,
    height=min(600, 36 * (table.height + 1) + 3),
    placeholder=ui.MISSING,
    key="officer_table",
    on_select="rerun",
    selection_mode="single-row",
    column_config={
        "officer_nip": st.column_config.TextColumn(
            t("col.nip"), pinned=True, help=ui.definition_link("officer_nip")
        ),
        "officer_name": st.column_config.TextColumn(t("col.name"), pinned=True),
        "unit_code": st.column_config.TextColumn(
            t("col.unit"), help=ui.with_definition(t("off.unit_help"), "unit_code")
        ),
        "received": ui.number_column("col.received", "received"),
        "resolved": ui.number_column("col.resolved", "resolved"),
        "response_rate": ui.number_column("col.response_rate", "response_rate", fmt=ui.PCT),
        "resolution_due": ui.number_column("col.resolution_due", "resolution_due"),
        "resolution_rate": ui.number_column("col.resolution_rate", "resolution_rate", fmt=ui.PCT),
        "resolution_interval": st.column_config.TextColumn(
            t("col.interval"), help=ui.definition_link("wilson")
        ),
        "resolution_wd_median": ui.number_column(
            "col.median_wd", "resolution_wd_median", fmt="%.1f"
        ),
        "satisfaction_shrunk": ui.number_column(
            "col.satisfaction", "satisfaction_shrunk", fmt="%.2f"
        ),
        "score": ui.number_column("col.score", "score", fmt="%.0f"),
        "rating_label": st.column_config.TextColumn(
            t("col.rating"), help=ui.with_definition(t("off.rating_help"), "rating")
        ),
        "predikat_label": st.column_config.TextColumn(
            t("col.predikat"), help=ui.definition_link("predikat")
        ),
        "provisional": st.column_config.CheckboxColumn(
            t("col.provisional"), help=ui.definition_link("provisional")
        ),
    },
)
selected = event.selection.rows if event is not None else []
if selected:
    nip = table["officer_nip"][selected[0]]
    st.switch_page(PROFILE_PAGE, query_params={"nip": nip, "month": month})

names = dict(table.select("officer_nip", "officer_name").iter_rows())
left, right = st.columns([2, 1], vertical_alignment="bottom")
choice = left.selectbox(
    t("off.open_label"),
    list(names),
    index=None,
    placeholder=t("prof.choose_placeholder"),
    format_func=lambda n: f"{names[n]} — {n}",
    key="open_officer",
)
if choice:
    right.page_link(
        PROFILE_PAGE,
        label=t("off.open_link", name=ui.plain(names[choice])),
        icon=":material/person:",
        query_params={"nip": choice, "month": month},
    )
