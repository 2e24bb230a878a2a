"""Kasus: one case (?case=ID) as an auditor checks it: what it is, the complaints merged
into it by channel, every deadline clock (start, due date, paused and elapsed working days,
met), who held it when (holder segments), and the event timeline with each event's source
row (a closure the source's system made by itself shown as such: its resolution clock
ends at the last follow-up). Reached from an officer's cases; an SKPD head opens only
cases their unit held."""

from __future__ import annotations

import streamlit as st

from app import data, ui
from app.i18n import t, t_or

CASE_KEY = "case"

snap = ui.snapshot_or_stop()
viewer = data.current_viewer()

st.title(t("case.title"))
st.caption(t("case.caption"))
asked = st.query_params.get(CASE_KEY, "")
case_id = st.text_input(t("case.choose"), value=asked, placeholder="lapor:LPR-…").strip()
if case_id != asked:
    st.query_params[CASE_KEY] = case_id
if not case_id:
    st.info(t("case.none_chosen"))
    st.stop()

try:
    detail = data.case_detail(snap, case_id, viewer)
except data.CaseNotAllowed:
    units = ", ".join(viewer.units or ())
    st.error(t("case.not_allowed", case=ui.plain(case_id), units=ui.plain(units)),
             icon=":material/block:")  # fmt: skip
    st.stop()
if detail is None:
    st.warning(t("case.not_found", case=ui.plain(case_id)), icon=":material/search_off:")
    st.stop()

case = detail["case"]
status = t_or(f"case.status.{case['status']}", case["status"])
marks = [t(word) for word, on in (("confidential", case["is_confidential"]),
                                  ("anonymous", case["is_anonymous"])) if on]  # fmt: skip
# complaint text is text: escaped where Markdown frames it, st.text where it stands alone
st.subheader(" · ".join(ui.plain(x) for x in [case_id, case["category"] or "", status, *marks]))
if case["title"]:
    st.markdown(f"**{ui.plain(case['title'])}**")
if case["description"]:
    st.text(case["description"])
# a data problem of its events (older snapshots lack the columns: nothing to say)
if case.get("quarantined_events"):
    st.warning(
        t("case.quarantined_events", n=ui.fmt_int(case["quarantined_events"]),
          closing=ui.fmt_int(case.get("quarantined_closing_events") or 0)),
        icon=":material/report:",
    )  # fmt: skip
if case.get("clamped_events"):
    st.info(t("case.clamped_events", n=ui.fmt_int(case["clamped_events"])),
            icon=":material/schedule:")  # fmt: skip


def _days(x) -> str:
    return ui.MISSING if x is None else f"{ui.fmt_num(x, 0)} {t('wd.short')}"


cols = st.columns(4)
received = case["received_at"]
cols[0].metric(t("col.received_at"), ui.MISSING if received is None else f"{received:%Y-%m-%d}",
               border=True)  # fmt: skip
cols[0].caption(ui.fmt_timestamp(received))
cols[1].metric(
    t("col.resolution_wd"),
    _days(case["resolution_wd"]),
    help=ui.definition_link("cases_table"),
    border=True,
)
cols[2].metric(
    t("col.resolution_due_wd"),
    _days(case["resolution_due_wd"]),
    help=ui.definition_link("resolution_clock"),
    border=True,
)
met = case["resolution_met"]
# a source whose mapping gives records without due_at no deadline: "tidak dinilai"
verdict = ui.MISSING if met is None else (t("yes") if met else t("no"))
if case.get("resolution_deadline_basis") == "none":
    verdict = t("q.basis.none")
cols[3].metric(
    t("col.case_met"),
    verdict,
    help=ui.definition_link("judged"),
    border=True,
)
facts = [
    (t("col.channels"), ", ".join(case["channels"] or [])),
    (t("col.class"), case["complaint_class"]),
    (t("col.district"), " / ".join(x for x in (case["district"], case["village"]) if x)),
    (t("case.final_holder"), " · ".join(x for x in (case["unit_code"], case["officer_nip"]) if x)),
    (t("case.credited"), " · ".join(
        x for x in (case["credited_unit_code"], case["credited_officer_nip"]) if x)),
    (t("case.resolved_at"), ui.fmt_timestamp(case["resolved_at"])),
    *([(t("case.closed_automatically"), t(
        "case.closed_automatically_value", closed=ui.fmt_timestamp(case.get("closed_at")),
        resolved=ui.fmt_timestamp(case["resolved_at"])))]
      if case.get("closed_automatically") else []),
    (t("case.reopened"), ui.fmt_int(case["reopen_count"])),
    (t("case.rating"), ui.MISSING if case["rating_score"] is None else f"{case['rating_score']}/5"),
]  # fmt: skip
if case.get("source_verdict"):  # the source's own verdict (docs/sources.md#deadlines)
    facts.append((t("q.col.source_verdict"), t(f"q.verdict.{case['source_verdict']}")))
st.markdown("  \n".join(f"**{label}**: {ui.plain(value or ui.MISSING)}" for label, value in facts))

# --- complaints merged into the case ---------------------------------------------------
members = detail["members"]
st.subheader(t("case.members", n=members.height))
st.dataframe(
    members,
    hide_index=True,
    placeholder=ui.MISSING,
    key="case_members_table",
    column_config={
        "source": st.column_config.TextColumn(t("case.col.source")),
        "source_id": st.column_config.TextColumn(t("col.source_id")),
        "channel": st.column_config.TextColumn(t("case.col.channel")),
        "received_at": st.column_config.DatetimeColumn(
            t("col.received_at"), format="YYYY-MM-DD HH:mm"
        ),
        "is_primary": st.column_config.CheckboxColumn(t("case.col.primary")),
        "match_evidence": st.column_config.TextColumn(
            t("case.col.evidence"), width="large", help=ui.definition_link("merge")
        ),
    },
)

# --- deadlines ---------------------------------------------------------------------------
st.subheader(t("case.clocks"))
st.caption(t("case.clocks_caption") + " " + ui.definition_link("clocks"))
clocks = detail["clocks"]
holders = detail["segments"].select("segment_no", "unit_code", "officer_nip")
clocks = clocks.join(holders, on="segment_no", how="left")
st.dataframe(
    clocks.select(
        ui.words(clocks, "clock", lambda c: t_or(f"fact.{c}", c), "clock"),
        "segment_no",
        "unit_code",
        "officer_nip",
        "start_at",
        "due_date",
        "end_at",
        "allowed_wd",
        "paused_wd",
        "elapsed_wd",
        "judged",
        "met",
        "due_month",
    ),
    hide_index=True,
    placeholder=ui.MISSING,
    key="case_clocks_table",
    column_config={
        "clock": st.column_config.TextColumn(t("case.col.clock"), pinned=True),
        "segment_no": st.column_config.NumberColumn(t("case.col.segment"), width="small"),
        "unit_code": st.column_config.TextColumn(t("col.unit")),
        "officer_nip": st.column_config.TextColumn(t("col.officer")),
        "start_at": st.column_config.DatetimeColumn(t("case.col.start"), format="YYYY-MM-DD HH:mm"),
        "due_date": st.column_config.DateColumn(t("case.col.due"), format="YYYY-MM-DD"),
        "end_at": st.column_config.DatetimeColumn(t("case.col.end"), format="YYYY-MM-DD HH:mm"),
        "allowed_wd": st.column_config.NumberColumn(t("case.col.allowed_wd")),
        "paused_wd": st.column_config.NumberColumn(t("case.col.paused_wd")),
        "elapsed_wd": st.column_config.NumberColumn(t("case.col.elapsed_wd")),
        "judged": st.column_config.CheckboxColumn(t("case.col.judged")),
        "met": st.column_config.CheckboxColumn(t("col.case_met")),
        "due_month": st.column_config.TextColumn(t("case.col.due_month")),
    },
)

# --- who held it -----------------------------------------------------------------------
st.subheader(t("case.segments"))
segments = detail["segments"]
st.dataframe(
    segments.with_columns(
        ui.words(segments, "kind", lambda k: t_or(f"case.segment.{k}", k), "kind"),
        ui.words(segments, "response_end_type", lambda e: t_or(f"event.{e}", e or ""), "ended_by"),
    ).drop("response_end_type"),
    hide_index=True,
    placeholder=ui.MISSING,
    key="case_segments_table",
    column_config={
        "segment_no": st.column_config.NumberColumn(t("case.col.segment"), width="small"),
        "kind": st.column_config.TextColumn(t("case.col.kind")),
        "start_at": st.column_config.DatetimeColumn(t("case.col.start"), format="YYYY-MM-DD HH:mm"),
        "next_start_at": st.column_config.DatetimeColumn(
            t("case.col.next_start"), format="YYYY-MM-DD HH:mm"
        ),
        "unit_code": st.column_config.TextColumn(t("col.unit")),
        "officer_nip": st.column_config.TextColumn(t("col.officer")),
        "response_end_at": st.column_config.DatetimeColumn(
            t("case.col.response_end"), format="YYYY-MM-DD HH:mm"
        ),
        "ended_by": st.column_config.TextColumn(t("case.col.ended_by")),
    },
)

# --- the event timeline ------------------------------------------------------------------
events = detail["events"]
st.subheader(t("case.events", n=events.height))
ui.event_table(events, "case_events_table")
