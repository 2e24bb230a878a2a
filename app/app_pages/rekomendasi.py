"""Rekomendasi: the month's `recommendations` (reward candidates, coaching, inspectorate
reviews; docs/flags.md) with the officers' names, filterable by kind (?kind=), and the
month's rows as an Excel download. For leadership, HR, the inspectorate, and an SKPD head
for their own unit; rapor recommends and documents, people decide."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app import data, ui
from app.i18n import t, t_or

ALL_KINDS = "*"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

snap = ui.snapshot_or_stop()
viewer = data.current_viewer()

st.title(t("rec.title"))
if not data.may_see_recommendations(viewer):
    roles = ", ".join(t(f"role.{r}") for r in ("leadership", "hr", "inspectorate", "skpd_head"))
    st.error(t("auth.not_allowed_page", roles=roles), icon=":material/block:")
    st.stop()
st.caption(t("rec.caption"))
st.info(t("rec.decide_note"), icon=":material/gavel:")
if viewer.units is not None:
    st.caption(t("rec.scope_unit", units=", ".join(viewer.units)))

month_frame = data.months(snap)
if month_frame.is_empty():
    st.info(t("no_months"))
    st.stop()
if not data.records_officers(snap):  # recommendations are about officers
    st.info(t("off.no_officer_records"), icon=":material/person_off:")
    st.stop()


def kind_label(kind: str) -> str:
    return t("rec.all_kinds") if kind == ALL_KINDS else t_or(f"rec.kind.{kind}", kind)


top = st.columns([1, 2])
month = ui.month_selector(month_frame, container=top[0])
kind = ui.synced_selectbox(
    t("rec.kind_filter"),
    [ALL_KINDS, *data.RECOMMENDATION_KINDS],
    param="kind",
    default=ALL_KINDS,
    format_func=kind_label,
    container=top[1],
)
month_rows = data.recommendations(snap, month, viewer)
shown = month_rows if kind in (None, ALL_KINDS) else month_rows.filter(pl.col("kind") == kind)

headers = {
    "month": t("col.month"),
    "officer_nip": t("col.nip"),
    "officer_name": t("col.name"),
    "unit_code": t("col.unit"),
    "kind": t("rec.col.kind"),
    "reasons": t("rec.col.reasons"),
    "evidence_cases": t("rec.col.evidence_n"),
    "evidence_case_ids": t("rec.col.evidence"),
}
workbook = month_rows.with_columns(ui.words(month_rows, "kind", kind_label, "kind"))
st.download_button(
    t("rec.download"),
    data=data.recommendations_xlsx(workbook, headers, t("page.recommendations")),
    file_name=f"rapor-{data.info(snap)['tenant']}-rekomendasi-{month}.xlsx",
    mime=XLSX_MIME,
    help=t("rec.download_help", month=month),
    on_click="ignore",
    icon=":material/download:",
    key="download_recommendations",
    disabled=month_rows.is_empty(),
)

# --- the SE MenPANRB distribution of the month's predikat (docs/predikat.md) ------------
distribution = data.predikat_distribution(snap, month, viewer)
broken = distribution.filter(~pl.col("passed"))
with st.expander(
    t("rec.distribution", broken=ui.fmt_int(broken.height), n=ui.fmt_int(distribution.height)),
    expanded=not broken.is_empty(),
):
    st.caption(t("rec.distribution_caption"))
    for rule in broken.iter_rows(named=True):
        where = rule["unit_code"] or t("rec.pemda")
        st.warning(f"**{ui.plain(where)}**: {ui.plain(rule['detail'])}", icon=":material/warning:")
    if distribution.is_empty():
        st.caption(t("rec.distribution_none"))
    else:
        st.dataframe(
            distribution.select(
                pl.col("unit_code").fill_null(t("rec.pemda")),
                "organisation_rating",
                "detail",
                "passed",
            ),
            hide_index=True,
            key="distribution_table",
            column_config={
                "unit_code": st.column_config.TextColumn(t("col.unit")),
                "organisation_rating": st.column_config.TextColumn(t("rec.col.org_rating")),
                "detail": st.column_config.TextColumn(t("rec.col.rule"), width="large"),
                "passed": st.column_config.CheckboxColumn(t("rec.col.passed")),
            },
        )

if shown.is_empty():
    st.info(t("rec.empty", month=month))
    st.stop()
st.caption(t("rec.count", n=ui.fmt_int(shown.height), month=month))
st.dataframe(
    shown.select(
        "officer_nip",
        pl.col("officer_name").fill_null(t("unknown")),
        "unit_code",
        "kind",
        ui.words(shown, "kind", kind_label, "kind_label"),
        "reasons",
        "evidence_cases",
        pl.col("evidence_case_ids").list.join(", "),
    ),
    hide_index=True,
    placeholder=ui.MISSING,
    key="recommendations_table",
    column_config={
        "officer_nip": st.column_config.TextColumn(t("col.nip"), pinned=True),
        "officer_name": st.column_config.TextColumn(t("col.name"), pinned=True),
        "unit_code": st.column_config.TextColumn(t("col.unit")),
        "kind": None,  # the code, kept in the data for links and tests; shown in words
        "kind_label": st.column_config.TextColumn(t("rec.col.kind")),
        "reasons": st.column_config.TextColumn(t("rec.col.reasons"), width="large"),
        "evidence_cases": st.column_config.NumberColumn(t("rec.col.evidence_n")),
        "evidence_case_ids": st.column_config.TextColumn(t("rec.col.evidence"), width="large"),
    },
)
