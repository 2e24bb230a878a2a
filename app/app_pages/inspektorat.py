"""Inspektorat: the month's `flags` (counts per flag and the list; docs/flags.md) and the
month's publication history (`publications`: every version with its change summary; an
officer's numbers per version side by side with the current ones; docs/publications.md).
For the inspectorate and leadership only; other roles get "not allowed" and nothing else."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app import data, ui
from app.i18n import t

CASE_PAGE = "app_pages/kasus.py"
ALL_FLAGS = "*"

snap = ui.snapshot_or_stop()
viewer = data.current_viewer()

st.title(t("insp.title"))
if not data.may_see_inspectorate(viewer):
    roles = ", ".join(t(f"role.{r}") for r in ("inspectorate", "leadership"))
    st.error(t("auth.not_allowed_page", roles=roles), icon=":material/block:")
    st.stop()
st.caption(t("insp.caption"))

month_frame = data.months(snap)
if month_frame.is_empty():
    st.info(t("no_months"))
    st.stop()
month = ui.month_selector(month_frame)

# --- flags ---------------------------------------------------------------------------
st.header(t("insp.flags", month=month))
st.caption(t("insp.flags_note"))
flags = data.flags(snap, month, viewer)
if flags.is_empty():
    st.info(t("insp.no_flags", month=month), icon=":material/check_circle:")
else:
    counts = data.flag_counts(flags)
    st.dataframe(
        counts,
        hide_index=True,
        key="flag_counts",
        column_config={
            "flag": st.column_config.TextColumn(t("insp.col.flag")),
            "cases": st.column_config.NumberColumn(t("insp.col.cases")),
            "officers": st.column_config.NumberColumn(t("insp.col.officers")),
        },
    )
    flag = st.selectbox(
        t("insp.flag_filter"),
        [ALL_FLAGS, *counts["flag"].to_list()],
        format_func=lambda f: t("insp.all_flags") if f == ALL_FLAGS else f,
        key="flag_filter",
    )
    listed = flags if flag == ALL_FLAGS else flags.filter(pl.col("flag") == flag)
    st.caption(t("prof.open_case"))
    picked = st.dataframe(
        listed.select("flag", "case_id", "officer_nip", "unit_code", "detail"),
        hide_index=True,
        placeholder=ui.MISSING,
        key="flags_table",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "flag": st.column_config.TextColumn(t("insp.col.flag")),
            "case_id": st.column_config.TextColumn(t("col.case_id")),
            "officer_nip": st.column_config.TextColumn(t("col.nip")),
            "unit_code": st.column_config.TextColumn(t("col.unit")),
            "detail": st.column_config.TextColumn(t("insp.col.detail"), width="large"),
        },
    )
    if picked is not None and picked.selection.rows:  # the flagged case, in full
        case_id = listed["case_id"][picked.selection.rows[0]]
        st.switch_page(CASE_PAGE, query_params={"case": case_id})

# --- publication history ---------------------------------------------------------------
st.header(t("insp.history", month=month))
st.caption(t("insp.history_caption"))
versions = data.publications(snap, month, viewer)
if versions.is_empty():
    st.info(t("insp.no_versions", month=month))
    st.stop()
st.dataframe(
    versions.select(
        "version",
        "published_at",
        "supersedes",
        "provisional",
        "change_summary",
        "policy_version",
        "code_version",
        "snapshot_hash",
    ),
    hide_index=True,
    placeholder=ui.MISSING,
    key="publications_table",
    column_config={
        "version": st.column_config.NumberColumn(t("insp.col.version")),
        "published_at": st.column_config.DatetimeColumn(
            t("insp.col.published_at"), format="YYYY-MM-DD HH:mm"
        ),
        "supersedes": st.column_config.NumberColumn(t("insp.col.supersedes")),
        "provisional": st.column_config.CheckboxColumn(t("col.provisional")),
        "change_summary": st.column_config.TextColumn(t("insp.col.summary"), width="large"),
        "policy_version": st.column_config.TextColumn(t("insp.col.policy")),
        "code_version": st.column_config.TextColumn(t("insp.col.code")),
        "snapshot_hash": st.column_config.TextColumn(t("insp.col.snapshot_hash")),
    },
)
for i, row in enumerate(versions.iter_rows(named=True)):
    with st.expander(t("insp.version", version=row["version"]), expanded=i == 0):
        st.text(row["change_summary"] or ui.MISSING)  # names file rows: plain text

st.subheader(t("insp.compare"))
if not data.records_officers(snap):
    st.info(t("off.no_officer_records"), icon=":material/person_off:")
    st.stop()
officers = data.officers_month(snap, month, viewer)
names = dict(officers.select("officer_nip", "officer_name").iter_rows())
flagged = set(flags["officer_nip"].to_list())
options = sorted(names, key=lambda n: (n not in flagged, names[n] or "", n))
nip = ui.synced_selectbox(
    t("insp.compare_choose"),
    options,
    param="nip",
    placeholder=t("prof.choose_placeholder"),
    format_func=lambda n: f"{names[n] or t('unknown')} — {n}",
)
if nip:
    side = data.officer_versions(snap, month, nip, viewer)
    if side.width <= 1:
        st.info(t("insp.compare_none", month=month))
    else:
        st.dataframe(
            side,
            hide_index=True,
            placeholder=ui.MISSING,
            key="officer_versions_table",
            column_config={
                "measure": st.column_config.TextColumn(t("insp.col.measure"), pinned=True),
                "current": st.column_config.TextColumn(t("insp.current")),
            },
        )
