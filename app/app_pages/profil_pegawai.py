"""Profil pegawai: one officer's monthly numbers and the cases behind them (?nip=...).

A viewer limited to some units (an SKPD head) who asks for an officer outside them, by a
link or by editing the URL, gets "not allowed" and nothing else; the data layer scopes every
query to the viewer's units as well."""

from __future__ import annotations

import polars as pl
import streamlit as st

from app import charts, data, ui
from app.i18n import predikat_label, rating_label, t, t_or

NIP_KEY = "nip"  # the query parameter
CASE_PAGE = "app_pages/kasus.py"

snap = ui.snapshot_or_stop()
viewer = data.current_viewer()

st.title(t("prof.title"))
if not data.records_officers(snap):
    st.info(t("off.no_officer_records"), icon=":material/person_off:")
    st.stop()
directory = data.officer_directory(snap, viewer)
labels = {
    nip: f"{name or t('unknown')} — {nip}" + (f" ({unit})" if unit else "")
    for nip, name, unit in directory.select("nip", "name", "unit_code").iter_rows()
}
asked = st.query_params.get(NIP_KEY)
if asked and asked not in labels and viewer.units is not None:
    # outside the viewer's units (or no officer at all: the answer does not say which)
    units = ", ".join(viewer.units)
    st.error(t("auth.not_allowed_officer", nip=ui.plain(asked), units=ui.plain(units)),
             icon=":material/block:")  # fmt: skip
    st.stop()
if asked and asked not in labels:
    st.warning(t("prof.unknown_nip", nip=ui.plain(asked)), icon=":material/person_off:")
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

st.header(ui.plain(person["name"] or nip))
current = postings.row(0, named=True) if postings.height else None
facts = [f"{t('col.nip')} **{ui.plain(nip)}**"]
if current:
    facts += [
        f"{ui.plain(current['unit_name'])} ({ui.plain(current['unit_code'])})",
        ui.plain(current["position"]),
        ui.plain(current["grade"]),
    ]
elif person["unit_code"]:
    facts.append(ui.plain(person["unit_code"]))
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
# forwarding deadlines only for officers who verify complaints (admins) in some month
verifies = bool(history["forwarding_due"].sum())
cols = st.columns(4) + st.columns(4 if verifies else 3)
next_col = iter(cols[4:])


def _number(col, label: str, value: str, anchor: str, help_text: str, note: str = "") -> None:
    """One number with its help, a note below it and the link to its definition."""
    col.metric(
        label, value, help=ui.with_definition(help_text, anchor), border=True, height="stretch"
    )
    link = ui.definition_link(anchor)
    col.caption(f"{note} · {link}" if note else link)


_number(
    cols[0],
    t("prof.metric_received"),
    ui.fmt_int(row["received"]),
    "received",
    t("prof.received_help"),
)
_number(
    cols[1],
    t("prof.metric_resolved"),
    ui.fmt_int(row["resolved"]),
    "resolved",
    t("prof.resolved_help"),
)
for col, kind, label in (
    (cols[2], "response", "prof.metric_response"),
    (cols[3], "resolution", "prof.metric_resolution"),
):
    met, due = ui.fmt_int(row[f"{kind}_met"]), ui.fmt_int(row[f"{kind}_due"])
    interval = ui.fmt_interval(row[f"{kind}_rate_low"], row[f"{kind}_rate_high"])
    _number(
        col,
        t(label),
        ui.fmt_pct(row[f"{kind}_rate"]),
        f"{kind}_rate",
        t(
            "prof.rate_help",
            met=met,
            due=due,
            low=ui.fmt_pct(row[f"{kind}_rate_low"]),
            high=ui.fmt_pct(row[f"{kind}_rate_high"]),
        ),
        f"{met}/{due} · {t('interval')} {interval}",
    )
if verifies:
    _number(
        next(next_col),
        t("prof.metric_forwarding"),
        ui.fmt_pct(row["forwarding_rate"]),
        "forwarding_rate",
        t(
            "prof.forwarding_help",
            met=ui.fmt_int(row["forwarding_met"]),
            due=ui.fmt_int(row["forwarding_due"]),
            low=ui.fmt_pct(row["forwarding_low"]),
            high=ui.fmt_pct(row["forwarding_high"]),
        ),
        f"{ui.fmt_int(row['forwarding_met'])}/{ui.fmt_int(row['forwarding_due'])}",
    )
_number(
    next(next_col),
    t("prof.metric_median"),
    ui.fmt_wd(row["resolution_wd_median"]),
    "resolution_wd_median",
    t("prof.median_help", p90=ui.fmt_wd(row["resolution_wd_p90"])),
)
_number(
    next(next_col),
    t("prof.metric_satisfaction"),
    ui.fmt_num(row["satisfaction_shrunk"], 2),
    "satisfaction_shrunk",
    t(
        "prof.satisfaction_help",
        n=ui.fmt_int(row["ratings_n"]),
        mean=ui.fmt_num(row["satisfaction_mean"], 2),
    ),
    t("ov.ratings", n=ui.fmt_int(row["ratings_n"])),
)
with next(next_col).container(border=True):
    st.metric(
        t("prof.metric_rating"),
        ui.fmt_num(row["score"], 0),
        help=ui.with_definition(t("off.rating_help"), "rating"),
    )
    st.markdown(ui.rating_badge(row["rating"]))
    st.caption(ui.definitions_caption((t("col.score"), "score"), (t("col.rating"), "rating")))

tpp = ui.fmt_num(row["tpp_percent"], 0) + " %" if row["tpp_percent"] is not None else ui.MISSING
if row["predikat"] is not None:
    st.markdown(
        t(
            "prof.predikat",
            predikat=predikat_label(row["predikat"]),
            hasil=rating_label(row["rating"]),
            perilaku=rating_label(row["behaviour_rating"]),
            credit=ui.fmt_num(row["credit_percent"], 0) + " %",
            tpp=tpp,
        )
    )
elif row["rating"] in (None, "data_tidak_cukup"):
    st.markdown(t("prof.predikat_no_result", hasil=rating_label(row["rating"]) or ui.MISSING))
else:
    st.markdown(t("prof.predikat_no_behaviour", tpp=tpp))
st.caption(f"{t('prof.tpp_note')} · {ui.definition_link('predikat')}")

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
st.caption(
    t("prof.rates_chart")
    + " "
    + ui.definitions_caption(
        (t("col.response_rate"), "response_rate"),
        (t("col.resolution_rate"), "resolution_rate"),
        (t("col.interval"), "wilson"),
    )
)
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
recent = history.sort("month", descending=True)
monthly = recent.with_columns(
    ui.percent_of("response_rate", "resolution_rate", "forwarding_rate")
).select(
    "month",
    "unit_code",
    "received",
    "resolved",
    "response_due",
    "response_rate",
    "resolution_due",
    "resolution_rate",
    ui.interval_words(recent, "resolution_rate"),
    "forwarding_due",
    "forwarding_rate",
    "resolution_wd_median",
    "backlog_end",
    "overdue_backlog_end",
    "ratings_n",
    "satisfaction_shrunk",
    "observed_expected_ratio",
    "score",
    ui.words(recent, "rating", rating_label, "rating"),
    ui.words(recent, "predikat", predikat_label, "predikat"),
    "provisional",
    "case_count",
)
st.dataframe(
    monthly if verifies else monthly.drop("forwarding_due", "forwarding_rate"),
    hide_index=True,
    placeholder=ui.MISSING,
    key="officer_history_table",
    column_config={
        "month": st.column_config.TextColumn(
            t("col.month"), pinned=True, help=ui.definition_link("month")
        ),
        "unit_code": st.column_config.TextColumn(
            t("col.unit"), help=ui.definition_link("unit_code")
        ),
        "received": ui.number_column("col.received", "received"),
        "resolved": ui.number_column("col.resolved", "resolved"),
        "response_due": ui.number_column("col.response_due_long", "response_due"),
        "response_rate": ui.number_column("col.response_rate", "response_rate", fmt=ui.PCT),
        "resolution_due": ui.number_column("col.resolution_due_long", "resolution_due"),
        "resolution_rate": ui.number_column("col.resolution_rate", "resolution_rate", fmt=ui.PCT),
        "interval": st.column_config.TextColumn(
            t("col.interval"), help=ui.definition_link("wilson")
        ),
        "forwarding_due": ui.number_column("col.forwarding_due", "forwarding_due"),
        "forwarding_rate": ui.number_column("col.forwarding_rate", "forwarding_rate", fmt=ui.PCT),
        "resolution_wd_median": ui.number_column(
            "col.median_wd", "resolution_wd_median", fmt="%.1f"
        ),
        "backlog_end": ui.number_column("col.backlog", "backlog_end"),
        "overdue_backlog_end": ui.number_column("col.overdue", "overdue_backlog_end"),
        "ratings_n": ui.number_column("col.ratings_n", "ratings_n"),
        "satisfaction_shrunk": ui.number_column(
            "col.satisfaction", "satisfaction_shrunk", fmt="%.2f"
        ),
        "observed_expected_ratio": ui.number_column(
            "col.oe_ratio", "observed_expected_ratio", fmt="%.2f"
        ),
        "score": ui.number_column("col.score", "score", fmt="%.0f"),
        "rating": st.column_config.TextColumn(t("col.rating"), help=ui.definition_link("rating")),
        "predikat": st.column_config.TextColumn(
            t("col.predikat"), help=ui.definition_link("predikat")
        ),
        "provisional": st.column_config.CheckboxColumn(
            t("col.provisional"), help=ui.definition_link("provisional")
        ),
        "case_count": ui.number_column("col.cases", "holder_facts"),
    },
)

# --- the cases behind the month --------------------------------------------------------
st.subheader(t("prof.cases", month=month))
cases = data.officer_cases(snap, nip, month, viewer)
if cases.is_empty():
    st.info(t("prof.no_cases"))
    st.stop()
st.caption(
    t("prof.cases_caption", n=ui.fmt_int(cases.height), month=month)
    + " "
    + ui.definitions_caption(
        ("holder_facts", "holder_facts"), (t("col.resolution_wd"), "cases_table")
    )
)
# cases that count in this month's deadlines and volumes first, those only in the backlog after
cases = cases.sort(
    pl.col("facts").list.set_difference(["backlog"]).list.len() == 0, "received_at", "case_id"
)
WD = t("wd.short")


def _fact(row: dict) -> str:
    """One holder_facts row in words: 'tenggat tanggapan ✓ 3 HK', 'penilaian warga 4/5'."""
    fact = row["fact"]
    text = t_or(f"fact.{fact}", fact)
    if fact in ("forwarding", "response", "resolution"):
        mark = "✓" if row["met"] else "✗"
        days = "" if row["wd"] is None else f" {row['wd']} {WD}"
        return f"{text} {mark}{days}"
    if fact == "resolved":
        days = "" if row["wd"] is None else f" ({row['wd']} {WD})"
        return text + days + (f", {t('fact.rated')}" if row["flag"] else "")
    if fact == "resolution_event":
        return text + (f", {t('fact.reopened')}" if row["flag"] else "")
    if fact == "rating":
        return f"{text} {row['score']}/5" + (
            f" ({t('fact.not_fixed')})" if row["flag"] is False else ""
        )
    if fact == "backlog":
        return text + (f", {t('fact.overdue')}" if row["flag"] else "")
    return text


def _facts(rows: list[dict]) -> str:
    return "; ".join(_fact(r) for r in rows)


def _flags(confidential: bool | None, anonymous: bool | None) -> str:
    return " · ".join(
        word for word, on in ((t("confidential"), confidential), (t("anonymous"), anonymous)) if on
    )


shown = cases.select(
    "case_id",
    ui.words(cases, "fact_rows", _facts, "facts"),
    "received_at",
    "category",
    "complaint_class",
    ui.words(cases, "status", lambda s: t_or(f"case.status.{s}", s), "status"),
    "resolution_wd",
    "resolution_due_wd",
    "resolution_met",
    "title",
    ui.words(
        cases,
        pl.struct("is_confidential", "is_anonymous"),
        lambda s: _flags(s["is_confidential"], s["is_anonymous"]),
        "flags",
    ),
    pl.col("district").fill_null(t("unknown")),
)
st.caption(t("prof.open_case"))
picked = st.dataframe(
    shown,
    hide_index=True,
    placeholder=ui.MISSING,
    key="officer_cases_table",
    on_select="rerun",
    selection_mode="single-row",
    column_config={
        "case_id": st.column_config.TextColumn(
            t("col.case_id"), pinned=True, help=ui.definition_link("merge")
        ),
        "facts": st.column_config.TextColumn(
            t("col.facts"),
            width="large",
            help=ui.with_definition(t("prof.facts_help"), "holder_facts"),
        ),
        "received_at": st.column_config.DatetimeColumn(
            t("col.received_at"), format="YYYY-MM-DD HH:mm"
        ),
        "category": st.column_config.TextColumn(t("col.category")),
        "complaint_class": st.column_config.TextColumn(
            t("col.class"), help=ui.definition_link("resolution_clock")
        ),
        "status": st.column_config.TextColumn(
            t("col.case_status"), help=ui.definition_link("status")
        ),
        "resolution_wd": ui.number_column("col.resolution_wd", "cases_table"),
        "resolution_due_wd": ui.number_column("col.resolution_due_wd", "resolution_clock"),
        "resolution_met": st.column_config.CheckboxColumn(
            t("col.case_met"), help=ui.definition_link("judged")
        ),
        "title": st.column_config.TextColumn(t("col.title"), width="large"),
        "flags": st.column_config.TextColumn(t("col.flags")),
        "district": st.column_config.TextColumn(t("col.district")),
    },
)

if picked is not None and picked.selection.rows:
    st.switch_page(CASE_PAGE, query_params={"case": shown["case_id"][picked.selection.rows[0]]})

st.subheader(t("prof.timeline"))


def _timeline(case: dict) -> None:
    rows = data.case_events(snap, cases.filter(pl.col("case_id") == case["case_id"]), viewer)
    if rows.is_empty():
        st.caption(t("prof.no_events"))
        return
    ui.event_table(rows, "timeline_events")
    st.page_link(
        CASE_PAGE,
        label=t("prof.case_page"),
        icon=":material/description:",
        query_params={"case": case["case_id"]},
    )


def _case_label(case: dict) -> str:
    status = t_or(f"case.status.{case['status']}", case["status"])
    flags = _flags(case["is_confidential"], case["is_anonymous"])
    return " · ".join(x for x in (case["case_id"], case["category"], status, flags) if x)


# one timeline at a time, on demand: the whole case (deadlines, holders) is on its page
by_id = {c["case_id"]: c for c in cases.to_dicts()}
chosen = st.selectbox(
    t("prof.timeline_case"),
    list(by_id),
    index=None,
    format_func=lambda c: _case_label(by_id[c]),
    placeholder=t("prof.choose_case"),
    key="timeline_case",
)
if chosen:
    _timeline(by_id[chosen])
