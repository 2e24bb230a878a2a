"""Mutu data: the latest quality gate (each check and expectation, passed or failed, observed
against expected, sample failing rows), a banner when it blocked publication, the
quarantine of the served run per source and reason, and, when a source gives its own
on-time / overdue verdict, its agreement with rapor's per unit and the disagreeing cases
(published tables verdict_agreement and source_verdicts)."""

from __future__ import annotations

import json

import polars as pl
import streamlit as st

from app import data, ui
from app.i18n import t

VERDICT_COLUMNS = ["unit_code", "with_verdict", "compared", "agree", "disagree",
                   "rapor_not_judged", "source_unknown", "agreement_rate"]  # fmt: skip
MAX_REASONS = 8  # failed expectations listed in the banner; the table below has them all


def md(text: object) -> str:
    """Text from the data (observed values, source ids) shown literally in Markdown."""
    return ui.plain(text)


def status_words(frame: pl.DataFrame) -> pl.Series:
    """passed -> 'lolos' / 'gagal' in the current language, as a column `status`."""
    return ui.words(
        frame, "passed", lambda ok: t("q.status.passed" if ok else "q.status.failed"), "status"
    )


def verdict_words() -> dict[str, str]:
    """A verdict (on_time, overdue, unknown) in the current language."""
    return {v: t(f"q.verdict.{v}") for v in ("on_time", "overdue", "unknown")}


def basis_words() -> dict[str, str]:
    """A resolution deadline's basis (clocks.sql) in the current language."""
    return {b: t(f"q.basis.{b}") for b in ("policy", "source_timestamp", "source_date", "none")}


snap = ui.snapshot_or_stop()
viewer = data.current_viewer()
meta = data.info(snap)

st.title(t("page.quality"))
st.caption(t("q.caption"))

gate = data.latest_gate(snap)
if gate is None:
    st.info(t("q.none"), icon=":material/info:")
else:
    checked = ui.fmt_timestamp(gate.checked_at)
    if not gate.passed:
        failures = gate.failures
        reasons = [
            "- "
            + t(
                "q.reason",
                check=r["check"],
                expectation=r["expectation"],
                observed=md(r["observed"]),
                expected=md(r["expected"]),
            )
            for r in failures.head(MAX_REASONS).iter_rows(named=True)
        ]
        if failures.height > MAX_REASONS:
            reasons.append("- " + t("q.more_reasons", n=failures.height - MAX_REASONS))
        published = ui.fmt_timestamp(meta.get("published_at"))
        st.error(
            t("q.blocked", run=gate.run, checked=checked, published=published)
            + "\n\n"
            + t("q.reasons")
            + "\n"
            + "\n".join(reasons),
            icon=":material/block:",
        )
    else:
        st.success(
            t("q.passed", run=gate.run, checked=checked, n=ui.fmt_int(gate.results.height)),
            icon=":material/verified:",
        )
    if gate.source == "snapshot":
        st.caption(t("q.from_snapshot"))

    st.header(t("q.checks"))
    checks = gate.checks()
    st.dataframe(
        checks.select("check", status_words(checks), "expectations", "failed"),
        hide_index=True,
        key="quality_checks",
        column_config={
            "check": st.column_config.TextColumn(t("q.col.check")),
            "status": st.column_config.TextColumn(t("q.col.status")),
            "expectations": st.column_config.NumberColumn(t("q.col.expectations")),
            "failed": st.column_config.NumberColumn(t("q.col.failed")),
        },
    )

    st.header(t("q.expectations"))
    st.caption(t("q.expectations_caption"))
    results = gate.results
    st.dataframe(
        results.select(
            "check",
            status_words(results),
            "family",
            "expectation",
            "observed",
            "expected",
            "failing_rows",
            "rows_checked",
        ),
        hide_index=True,
        key="quality_expectations",
        column_config={
            "check": st.column_config.TextColumn(t("q.col.check")),
            "status": st.column_config.TextColumn(t("q.col.status")),
            "family": st.column_config.TextColumn(t("q.col.family")),
            "expectation": st.column_config.TextColumn(t("q.col.expectation")),
            "observed": st.column_config.TextColumn(t("q.col.observed"), width="large"),
            "expected": st.column_config.TextColumn(t("q.col.expected"), width="large"),
            "failing_rows": st.column_config.NumberColumn(t("q.col.failing")),
            "rows_checked": st.column_config.NumberColumn(t("q.col.checked")),
        },
    )

    failed = gate.failures
    if failed.height:
        st.header(t("q.samples"))
        st.caption(t("q.samples_caption"))
        for i, r in enumerate(failed.iter_rows(named=True)):
            with st.expander(f"{r['check']} · {r['expectation']}", expanded=i == 0):
                rows = json.loads(r["failing_rows_sample"] or "[]")
                if rows:
                    st.dataframe(
                        pl.DataFrame(rows, infer_schema_length=None),
                        hide_index=True,
                        key=f"quality_sample_{i}",
                    )
                else:
                    st.caption(t("q.no_samples"))

    notes = gate.results.filter(pl.col("family") == "notes")
    if notes.height:
        st.header(t("q.notes"))
        st.caption(t("q.notes_caption"))
        for i, r in enumerate(notes.iter_rows(named=True)):
            st.warning(
                t("q.note", expectation=r["expectation"], observed=md(r["observed"]),
                  n=ui.fmt_int(r["failing_rows"])),
                icon=":material/schedule:",
            )  # fmt: skip
            rows = json.loads(r["failing_rows_sample"] or "[]")
            if rows:
                st.dataframe(
                    pl.DataFrame(rows, infer_schema_length=None),
                    hide_index=True,
                    key=f"quality_note_{i}",
                )

st.header(t("q.quarantine"))
quarantine = data.quarantine_counts(snap, viewer)
if quarantine.is_empty():
    st.info(t("q.no_quarantine"), icon=":material/check_circle:")
else:
    st.caption(
        t(
            "q.quarantine_caption",
            run=quarantine["run_id"][0],
            n=ui.fmt_int(quarantine["rows"].sum()),
        )
    )
    st.dataframe(
        quarantine.select("source", "input_table", "reason_code", "rows"),
        hide_index=True,
        key="quarantine_counts",
        column_config={
            "source": st.column_config.TextColumn(t("q.col.source")),
            "input_table": st.column_config.TextColumn(t("q.col.input")),
            "reason_code": st.column_config.TextColumn(t("q.col.reason")),
            "rows": st.column_config.NumberColumn(t("q.col.rows")),
        },
    )

agreement, disagreeing = data.verdict_agreement(snap, viewer)
if not agreement.is_empty():
    st.header(t("q.verdicts"))
    st.caption(t("q.verdicts_caption"))
    st.dataframe(
        agreement.select(VERDICT_COLUMNS),
        hide_index=True,
        key="verdict_agreement",
        column_config={
            "unit_code": st.column_config.TextColumn(t("q.col.unit")),
            "with_verdict": st.column_config.NumberColumn(t("q.col.with_verdict")),
            "compared": st.column_config.NumberColumn(t("q.col.compared")),
            "agree": st.column_config.NumberColumn(t("q.col.agree")),
            "disagree": st.column_config.NumberColumn(t("q.col.disagree")),
            "rapor_not_judged": st.column_config.NumberColumn(t("q.col.rapor_not_judged")),
            "source_unknown": st.column_config.NumberColumn(t("q.col.source_unknown")),
            "agreement_rate": st.column_config.NumberColumn(
                t("q.col.agreement_rate"), format="percent"
            ),
        },
    )
    if disagreeing.is_empty():
        st.caption(t("q.verdicts_all_agree"))
    else:
        st.subheader(t("q.verdicts_disagreeing", n=ui.fmt_int(disagreeing.height)))
        st.dataframe(
            disagreeing.with_columns(
                pl.col("source_verdict").replace_strict(verdict_words(), default=None),
                pl.col("rapor_verdict").replace_strict(verdict_words(), default=None),
                pl.col("deadline_basis").replace_strict(basis_words(), default=None),
            ),
            hide_index=True,
            key="verdict_disagreeing",
            column_config={
                "case_id": st.column_config.TextColumn(t("q.col.case")),
                "unit_code": st.column_config.TextColumn(t("q.col.unit")),
                "month": st.column_config.TextColumn(t("q.col.month")),
                "deadline_basis": st.column_config.TextColumn(t("q.col.deadline_basis")),
                "source_verdict": st.column_config.TextColumn(t("q.col.source_verdict")),
                "rapor_verdict": st.column_config.TextColumn(t("q.col.rapor_verdict")),
            },
        )
