"""Exports of one month of the published snapshot: an Excel workbook, a PDF monthly report
and CSV files. Used by `rapor export` and by the overview page's download buttons.

Every export reads the snapshot through the app's data layer (`app.data`), so it shows the
numbers the app shows and passes through the same access rules: a `Viewer` limited to some
units gets only those units' rows and officers, and confidential case text is redacted
unless the viewer may see it. The default viewer (the CLI's) sees every unit; like the app's
default viewer it does not see confidential case text.

The snapshot hash printed on every export is the month's newest `publications.snapshot_hash`
when the snapshot has that table; otherwise it is computed here (`month_content_hash`: the
sha256 of the month's unit_month and officer_month rows in a canonical CSV form) and labelled
as such. See docs/export.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import duckdb
import polars as pl
import streamlit as st

from app import data
from app.i18n import TEXT
from pipelines.home import zone_label

FORMATS = ("xlsx", "pdf", "csv")
LANGS = ("id", "en")
MISSING = "–"
MONTH_NAMES = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}  # fmt: skip
# columns shown as percentages (a fraction 0..1 in the snapshot)
RATE_COLUMNS = {
    "forwarding_rate", "response_rate", "response_rate_low", "response_rate_high",
    "resolution_rate", "resolution_rate_low", "resolution_rate_high", "rating_response_rate",
    "reopen_rate", "expected_resolution_rate",
}  # fmt: skip
# the columns of the case sheet (a case's row per unit and officer that held it this month)
CASE_COLUMNS = (
    "case_id", "holder_unit_code", "holder_officer_nip", "facts", "received_at", "category",
    "complaint_class", "status", "unit_code", "officer_nip", "resolution_wd",
    "resolution_due_wd", "resolution_met", "resolved_at", "channels", "district",
    "is_confidential", "is_anonymous", "title", "description",
    "quarantined_events", "clamped_events", "data_note",
)  # fmt: skip


class ExportError(Exception):
    """The export cannot be made (no snapshot, a month without data, a bad format)."""


# --- language and numbers (the app's formats, for a language given explicitly) ------------
def tr(key: str, lang: str, **values: object) -> str:
    text = TEXT[key][lang if lang in LANGS else "id"]
    return text.format(**values) if values else text


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_int(x: object, lang: str) -> str:
    if _missing(x):
        return MISSING
    text = f"{int(x):,}"  # type: ignore[call-overload]
    return text.replace(",", ".") if lang == "id" else text


def fmt_num(x: object, lang: str, digits: int = 1) -> str:
    if _missing(x):
        return MISSING
    text = f"{float(x):,.{digits}f}"  # type: ignore[arg-type]
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def fmt_pct(x: object, lang: str, digits: int = 0) -> str:
    return MISSING if _missing(x) else f"{fmt_num(100 * float(x), lang, digits)}%"  # type: ignore[arg-type]


def fmt_interval(low: object, high: object, lang: str) -> str:
    if _missing(low) or _missing(high):
        return MISSING
    return f"{fmt_num(100 * float(low), lang, 0)}–{fmt_pct(high, lang)}"  # type: ignore[arg-type]


def month_words(month: str, lang: str) -> str:
    year, mon = month.split("-")
    return f"{MONTH_NAMES[lang][int(mon) - 1]} {year}"


def rating_words(code: str | None, lang: str) -> str:
    if code is None:
        return MISSING
    entry = TEXT.get(f"rating.{code}")
    return entry[lang] if entry else code.replace("_", " ")


# --- the month's data ---------------------------------------------------------------------
def snapshot_at(path: str | os.PathLike) -> data.Snapshot:
    """The snapshot file at `path` (DIR/serving/rapor.duckdb) as the data layer's Snapshot."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise ExportError(f"no published snapshot at {path}; run `rapor run` first") from exc
    return data.Snapshot(str(path), stat.st_mtime_ns, str(path.parent.parent))


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = $t", {"t": table}
    ).fetchall()
    return bool(rows[0][0])


def month_content_hash(path: str, month: str) -> str:
    """sha256 of the month's unit_month and officer_month rows, every column, in a canonical
    form (columns by name, rows sorted, CSV), tenant-wide whoever the viewer is."""
    digest = hashlib.sha256()
    with duckdb.connect(path, read_only=True) as con:
        for table, keys in (("unit_month", "unit_code"), ("officer_month", "officer_nip")):
            frame = con.sql(
                f"SELECT * FROM {table} WHERE month = $month ORDER BY {keys}, unit_code",
                params={"month": month},
            ).pl()
            frame = frame.select(sorted(frame.columns))
            digest.update(table.encode() + b"\n")
            digest.update(frame.write_csv(float_precision=12).encode())
    return digest.hexdigest()


def _snapshot_hash(path: str, month: str) -> tuple[str, str]:
    """(hash, where it comes from: publications | computed)."""
    with duckdb.connect(path, read_only=True) as con:
        if _has_table(con, "publications"):
            row = con.execute(
                """SELECT snapshot_hash FROM publications
                   WHERE month = $month AND snapshot_hash IS NOT NULL
                   ORDER BY published_at DESC NULLS LAST, version DESC LIMIT 1""",
                {"month": month},
            ).fetchall()
            if row:
                return str(row[0][0]), "publications"
    return month_content_hash(path, month), "computed"


def _month_cases(path: str, month: str) -> pl.DataFrame:
    """The cases behind the month: one row per case and holder (unit, officer) from the
    month's holder_facts rows (the rows unit_month and officer_month count)."""
    with duckdb.connect(path, read_only=True) as con:
        return con.sql(
            """
            WITH held AS (
                SELECT case_key, unit_code AS holder_unit_code,
                       officer_nip AS holder_officer_nip,
                       string_agg(DISTINCT fact, ', ' ORDER BY fact) AS facts
                FROM holder_facts
                WHERE month = $month
                GROUP BY ALL
            )
            SELECT h.holder_unit_code, h.holder_officer_nip, h.facts, c.*
            FROM held AS h JOIN cases AS c USING (case_key)
            ORDER BY c.received_at, c.case_id, h.holder_unit_code, h.holder_officer_nip
            """,
            params={"month": month},
        ).pl()


def _quality(path: str) -> pl.DataFrame:
    with duckdb.connect(path, read_only=True) as con:
        if not _has_table(con, "quality_results"):
            return pl.DataFrame()
        return con.sql(
            f"SELECT {data.QUALITY_COLUMNS} FROM quality_results "
            'ORDER BY passed, "check", family, expectation'
        ).pl()


@dataclass(frozen=True)
class MonthReport:
    """Everything one month's export shows, already scoped and redacted for `viewer`."""

    month: str
    lang: str
    viewer: data.Viewer
    info: dict[str, Any]
    policy: data.PolicyView
    snapshot_hash: str
    hash_source: str
    provisional: bool
    totals: dict[str, Any]
    trend: pl.DataFrame
    units: pl.DataFrame
    officers: pl.DataFrame
    cases: pl.DataFrame
    quarantine: pl.DataFrame
    quality: pl.DataFrame
    # a source's own verdicts against rapor's (docs/sources.md), over the snapshot: per
    # unit, and the disagreeing cases; empty when no source gives a verdict
    verdicts: pl.DataFrame
    disagreements: pl.DataFrame

    @property
    def scope(self) -> str:
        if self.viewer.units is None:
            return tr("exp.scope_all", self.lang)
        return tr("exp.scope_units", self.lang, units=", ".join(self.viewer.units))

    @property
    def footer(self) -> str:
        label = (
            "snapshot" if self.hash_source == "publications" else tr("exp.hash_computed", self.lang)
        )
        return (f"{tr('snapshot.policy', self.lang)} {self.policy.version or MISSING} · "
                f"{label} sha256:{self.snapshot_hash}")  # fmt: skip


def month_report(
    snapshot_path: str | os.PathLike, month: str, viewer: data.Viewer | None = None,
    lang: str = "id",
) -> MonthReport:  # fmt: skip
    """Read and scope one month of the snapshot. ExportError for a month without data."""
    if lang not in LANGS:
        raise ExportError(f"unknown language {lang!r}: one of {', '.join(LANGS)}")
    viewer = viewer or data.Viewer()
    snap = snapshot_at(snapshot_path)
    try:
        info = data.info(snap)
    except duckdb.Error as exc:
        raise ExportError(f"the snapshot {snap.path} cannot be read: {exc}") from exc
    months = data.months(snap)
    known = months["month"].to_list()
    if month not in known:
        span = f"{known[0]} .. {known[-1]}" if known else "none"
        raise ExportError(f"no data for month {month} in the snapshot (months: {span})")
    rules = data.policy(snap)
    units = data.unit_ranking(snap, month, viewer, rules.min_judged)
    officers = data.officers_month(snap, month, viewer)
    cases = data._redact_cases(  # the data layer's own rules, as on every page
        data._scope(_month_cases(snap.path, month), viewer, "holder_unit_code"), viewer
    )
    if viewer.units is not None:  # a case passed on to another unit: not its officer's NIP
        cases = cases.with_columns(
            pl.when(pl.col("unit_code").is_in(list(viewer.units)))
            .then(pl.col("officer_nip"))
            .alias("officer_nip")
        )
    cases = _with_data_note(cases, lang)
    trend = data.tenant_months(snap, viewer)
    provisional = bool(months.filter(pl.col("month") == month)["provisional"][0])
    if viewer.units is None:
        rows = trend.filter(pl.col("month") == month).to_dicts()
        totals = rows[0] if rows else {}
    else:
        totals = _sum_units(units)
    digest, source = _snapshot_hash(snap.path, month)
    verdicts, disagreements = data.verdict_agreement(snap, viewer)
    return MonthReport(
        month=month, lang=lang, viewer=viewer, info=info, policy=rules,
        snapshot_hash=digest, hash_source=source, provisional=provisional, totals=totals,
        trend=trend, units=units, officers=officers, cases=cases.select(CASE_COLUMNS),
        quarantine=data.quarantine_counts(snap, viewer), quality=_quality(snap.path),
        verdicts=verdicts, disagreements=disagreements,
    )  # fmt: skip


def _with_data_note(cases: pl.DataFrame, lang: str) -> pl.DataFrame:
    """`data_note`: the case's events that were quarantined (a missed deadline may be the
    data's fault, not the officer's) or clamped for clock skew; empty when none. A snapshot
    from before these columns counts none."""
    for column in ("quarantined_events", "quarantined_closing_events", "clamped_events"):
        if column not in cases.columns:
            cases = cases.with_columns(pl.lit(0, pl.Int32).alias(column))
    quarantined = pl.col("quarantined_events").fill_null(0)
    clamped = pl.col("clamped_events").fill_null(0)
    head, _, tail = tr("exp.data_note_quarantined", lang).partition("{n}")
    mid, _, end = tail.partition("{closing}")
    skew_head, _, skew_tail = tr("exp.data_note_clamped", lang).partition("{n}")
    note_q = pl.concat_str(
        pl.lit(head), quarantined.cast(pl.String), pl.lit(mid),
        pl.col("quarantined_closing_events").fill_null(0).cast(pl.String), pl.lit(end),
    )  # fmt: skip
    note_c = pl.concat_str(pl.lit(skew_head), clamped.cast(pl.String), pl.lit(skew_tail))
    return cases.with_columns(
        pl.concat_str(
            pl.when(quarantined > 0).then(note_q),
            pl.when(clamped > 0).then(note_c),
            separator="; ",
            ignore_nulls=True,
        ).alias("data_note")
    ).with_columns(pl.when(pl.col("data_note") != "").then(pl.col("data_note")).alias("data_note"))


def _sum_units(units: pl.DataFrame) -> dict[str, Any]:
    """Totals over a viewer's units, rates with their Wilson interval (no medians: a median
    of medians is not one)."""
    counts = ["received", "resolved", "forwarding_due", "forwarding_met", "response_due",
              "response_met", "resolution_due", "resolution_met", "backlog_end",
              "overdue_backlog_end", "ratings_n"]  # fmt: skip
    summed = units.select(pl.col(c).sum() for c in counts)
    summed = summed.with_columns(
        *data.wilson("resolution_met", "resolution_due", "resolution_rate"),
        *data.wilson("response_met", "response_due", "response_rate"),
        *data.wilson("forwarding_met", "forwarding_due", "forwarding"),
    ).rename({"resolution_rate_rate": "resolution_rate", "response_rate_rate": "response_rate"})
    return summed.to_dicts()[0]


# --- xlsx ---------------------------------------------------------------------------------
SHEETS = ("ringkasan", "unit_month", "officer_month", "cases", "quarantine", "quality_results")


def zone_words(info: dict) -> str:
    """The tenant's time zone, in which the export's times are given: "Asia/Jakarta (WIB)",
    "America/New_York (EST/EDT)"; the publication time is in UTC."""
    zone = info.get("timezone")
    return zone_label(str(zone)) if zone else MISSING


def _summary_rows(report: MonthReport) -> list[tuple[str, Any, str | None]]:
    """(label, value, number format) of the summary sheet and the PDF summary."""
    lang, info, tot = report.lang, report.info, report.totals
    rows: list[tuple[str, Any, str | None]] = [
        (tr("snapshot.tenant", lang), info["tenant_name"], None),
        (tr("exp.tenant_code", lang), info["tenant"], None),
        (tr("month.label", lang), report.month, None),
        (tr("col.provisional", lang), tr("exp.yes" if report.provisional else "exp.no", lang),
         None),
        (tr("exp.scope", lang), report.scope, None),
        (tr("snapshot.as_of", lang), str(info["as_of_date"]), None),
        (tr("snapshot.published", lang), f"{info['published_at']} UTC", None),
        (tr("snapshot.timezone", lang), zone_words(info), None),
        (tr("exp.run_id", lang), info.get("run_id"), None),
        (tr("snapshot.policy", lang), info.get("policy_version"), None),
        (tr("exp.policy_hash", lang), info.get("policy_hash"), None),
        (tr("snapshot.code", lang), info.get("code_version"), None),
        (tr("exp.snapshot_hash", lang), report.snapshot_hash, None),
        (tr("exp.hash_source", lang), tr(f"exp.hash_source.{report.hash_source}", lang), None),
        (tr("exp.min_judged", lang), report.policy.min_judged, "0"),
    ]  # fmt: skip
    measures = [
        ("col.received", "received", "#,##0"),
        ("col.resolved", "resolved", "#,##0"),
        ("col.resolution_due", "resolution_due", "#,##0"),
        ("col.resolution_met", "resolution_met", "#,##0"),
        ("col.resolution_rate", "resolution_rate", "0.0%"),
        ("exp.resolution_low", "resolution_rate_low", "0.0%"),
        ("exp.resolution_high", "resolution_rate_high", "0.0%"),
        ("col.response_rate", "response_rate", "0.0%"),
        ("col.forwarding_rate", "forwarding_rate", "0.0%"),
        ("col.median_wd", "resolution_wd_median", "0.0"),
        ("col.p90_wd", "resolution_wd_p90", "0.0"),
        ("col.backlog", "backlog_end", "#,##0"),
        ("col.overdue", "overdue_backlog_end", "#,##0"),
        ("col.ratings_n", "ratings_n", "#,##0"),
        ("exp.satisfaction_mean", "satisfaction_mean", "0.00"),
    ]
    rows += [(tr(k, lang), tot.get(col), fmt) for k, col, fmt in measures if col in tot]
    rows += [
        (tr("exp.units_ranked", lang), int(report.units["ranked"].sum()), "0"),
        (tr("exp.units_total", lang), report.units.height, "0"),
        (tr("exp.officers_rated", lang), _rated(report.officers).height, "0"),
        (tr("exp.officers_total", lang), report.officers.height, "0"),
        (tr("exp.cases_rows", lang), report.cases["case_id"].n_unique(), "0"),
        (tr("exp.quarantined", lang), int(report.quarantine["rows"].sum() or 0), "#,##0"),
    ]
    return rows


def _rated(officers: pl.DataFrame) -> pl.DataFrame:
    return officers.filter(
        pl.col("rating").is_not_null() & (pl.col("rating") != "data_tidak_cukup")
    )


# A text cell starting with one of these is read as a formula (or DDE) by spreadsheets
# (OWASP "CSV injection"): XLSX writes every text as a string cell, CSV prefixes a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_csv_text(text: str) -> str:
    """`text` for a CSV cell a spreadsheet shows as text: one that begins with a formula
    character gets a leading single quote (the field is quoted by the writer)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def inert_csv_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with every text column passed through `inert_csv_text` (numbers, dates and
    booleans unchanged: a negative number stays a number)."""
    pattern = r"^[=+\-@\t\r]"
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(pattern)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c))
        .alias(c)
        for c, dtype in frame.schema.items()
        if dtype == pl.String
    )  # fmt: skip


def _write(ws, row: int, col: int, value: Any, fmt=None) -> None:
    """One cell: text always as a string cell (never a formula, a URL or a number), other
    values by type."""
    if isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    else:
        ws.write(row, col, value, fmt)


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def write_xlsx(report: MonthReport, out: str | os.PathLike | IO[bytes]) -> None:
    import xlsxwriter

    target = out if hasattr(out, "write") else str(out)
    book = xlsxwriter.Workbook(target, {
        "remove_timezone": True, "nan_inf_to_errors": True,
        # text is text: `write` would turn "=..." into a formula and "http..." into a link
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })  # fmt: skip
    head = book.add_format({"bold": True, "bg_color": "#1f6fb4", "font_color": "white",
                            "border": 1, "text_wrap": True, "valign": "top"})  # fmt: skip
    formats = {
        "pct": book.add_format({"num_format": "0.0%"}),
        "int": book.add_format({"num_format": "#,##0"}),
        "dec": book.add_format({"num_format": "0.00"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        "day": book.add_format({"num_format": "yyyy-mm-dd"}),
    }
    label = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})

    sheet = book.add_worksheet("ringkasan")
    _write(sheet, 0, 0, tr("exp.title", report.lang), title)
    _write(sheet, 1, 0, f"{report.info['tenant_name']} · {month_words(report.month, report.lang)}")
    for i, (name, value, fmt) in enumerate(_summary_rows(report), start=3):
        _write(sheet, i, 0, name, label)
        style = book.add_format({"num_format": fmt}) if fmt else None
        if value is None or (isinstance(value, float) and math.isnan(value)):
            sheet.write_blank(i, 1, None)
        else:
            _write(sheet, i, 1, _cell(value), style)
    sheet.set_column(0, 0, 38)
    sheet.set_column(1, 1, 70)

    def table(name: str, frame: pl.DataFrame) -> None:
        ws = book.add_worksheet(name)
        for j, column in enumerate(frame.columns):
            _write(ws, 0, j, column, head)
            dtype = frame.schema[column]
            if column in RATE_COLUMNS:
                fmt = formats["pct"]
            elif dtype.is_integer():
                fmt = formats["int"]
            elif dtype.is_float():
                fmt = formats["dec"]
            elif dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
                fmt = formats["date"]
            elif dtype == pl.Date:
                fmt = formats["day"]
            else:
                fmt = None
            values = [_cell(v) for v in frame[column].to_list()]
            width = max([len(column)] + [len(str(v)) for v in values[:500] if v is not None])
            ws.set_column(j, j, min(max(width + 2, 8), 60), fmt)
            for i, value in enumerate(values, start=1):
                if value is None:
                    continue
                _write(ws, i, j, value, fmt)
        ws.freeze_panes(1, 0)
        ws.set_row(0, 30)
        if frame.width:
            ws.autofilter(0, 0, max(frame.height, 1), frame.width - 1)

    table(
        "unit_month",
        report.units.with_columns(pl.lit(report.month).alias("month")).select(
            "month", "rank", pl.exclude("month", "rank", "ranked", "ranked_median", "rank_median")
        ),
    )
    table("officer_month", report.officers.with_columns(pl.lit(report.month).alias("month"))
          .select("month", pl.exclude("month")))  # fmt: skip
    table("cases", report.cases)
    table("quarantine", report.quarantine)
    table("quality_results", report.quality)
    if not report.verdicts.is_empty():  # only when a source gives its own verdict
        table("verdict_agreement", report.verdicts)
        table("verdict_disagreements", report.disagreements)
    book.close()


# --- pdf ----------------------------------------------------------------------------------
def _png(chart, width: int) -> bytes:
    import vl_convert as vlc

    # vl-convert renders offline, with its own bundled fonts
    return vlc.vegalite_to_png(chart.properties(width=width).to_json(), scale=2)


def _unit_chart(report: MonthReport) -> bytes | None:
    from app import charts

    units = report.units.filter(pl.col("resolution_due") > 0)
    if units.is_empty():
        return None
    ranked, insufficient = tr("ov.ranked", report.lang), tr("insufficient", report.lang)
    frame = units.with_columns(
        pl.when(pl.col("ranked"))
        .then(pl.format("{}. {}", pl.col("rank"), pl.col("unit_name")))
        .otherwise(pl.format("– {}", pl.col("unit_name")))
        .alias("label"),
        pl.when(pl.col("ranked")).then(pl.lit(ranked)).otherwise(pl.lit(insufficient))
        .alias("group"),
    )  # fmt: skip
    chart = charts.ranked_bars(
        frame, label="label", value="resolution_rate", low="resolution_rate_low",
        high="resolution_rate_high", group="group", groups=(ranked, insufficient),
        x_title=tr("col.resolution_rate", report.lang), percent=True,
    )  # fmt: skip
    return _png(chart, 330)


def _trend_chart(report: MonthReport) -> bytes | None:
    from app import charts

    judged = report.trend.filter(
        (pl.col("resolution_due") > 0) & (pl.col("month") <= report.month)
    ).tail(24)
    if judged.is_empty():
        return None
    chart = charts.trend(
        judged, month="month", value="resolution_rate", low="resolution_rate_low",
        high="resolution_rate_high", provisional="provisional",
        y_title=tr("col.resolution_rate", report.lang), percent=True, height=200,
    )  # fmt: skip
    return _png(chart, 440)


def _summary_text(report: MonthReport) -> str:
    lang, tot = report.lang, report.totals
    if not tot:
        return tr("exp.no_totals", lang)
    values = {
        "received": fmt_int(tot.get("received"), lang),
        "resolved": fmt_int(tot.get("resolved"), lang),
        "rate": fmt_pct(tot.get("resolution_rate"), lang, 1),
        "interval": fmt_interval(tot.get("resolution_rate_low"),
                                 tot.get("resolution_rate_high"), lang),
        "due": fmt_int(tot.get("resolution_due"), lang),
        "response": fmt_pct(tot.get("response_rate"), lang, 1),
        "median": fmt_num(tot.get("resolution_wd_median"), lang),
        "backlog": fmt_int(tot.get("backlog_end"), lang),
        "overdue": fmt_int(tot.get("overdue_backlog_end"), lang),
        "ranked": fmt_int(int(report.units["ranked"].sum()), lang),
        "units": fmt_int(report.units.height, lang),
        "rated": fmt_int(_rated(report.officers).height, lang),
        "officers": fmt_int(report.officers.height, lang),
        "min": report.policy.min_judged,
    }  # fmt: skip
    return tr("exp.summary_text", lang, **values)


def write_pdf(report: MonthReport, out: str | os.PathLike | IO[bytes]) -> None:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        Image,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    lang = report.lang
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["BodyText"], fontSize=7.5, leading=9)
    centred = ParagraphStyle("centred", parent=styles["Title"], alignment=TA_CENTER)
    sub = ParagraphStyle("sub", parent=styles["Heading2"], alignment=TA_CENTER)
    width = A4[0] - 3.6 * cm
    footer = report.footer

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(1.8 * cm, 1.0 * cm, footer)
        canvas.drawRightString(A4[0] - 1.8 * cm, 1.0 * cm, tr("exp.page", lang, n=doc.page))
        canvas.drawString(1.8 * cm, A4[1] - 1.0 * cm,
                          f"{report.info['tenant_name']} · {report.month}")  # fmt: skip
        canvas.restoreState()

    def grid(rows: list[list[Any]], widths: list[float], numeric_from: int) -> Table:
        # a Paragraph parses its text as markup (<img src=...>, <a>): names are escaped
        body = [[Paragraph(escape(c), small) if isinstance(c, str) and len(c) > 28 else c
                 for c in r] for r in rows]  # fmt: skip
        tbl = Table(body, colWidths=widths, repeatRows=1)
        tbl.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), "Helvetica", 7.5),
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f6fb4")),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eef3f8")]),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
            ("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ]))  # fmt: skip
        return tbl

    info = report.info
    story: list[Any] = [
        Spacer(1, 5 * cm),
        Paragraph(tr("exp.title", lang), centred),
        Spacer(1, 0.6 * cm),
        Paragraph(escape(info["tenant_name"]), sub),
        Paragraph(f"{month_words(report.month, lang)} ({report.month})", sub),
        Spacer(1, 1.5 * cm),
    ]
    cover = [
        [tr("exp.made_on", lang), dt.date.today().isoformat()],
        [tr("snapshot.as_of", lang), str(info["as_of_date"])],
        [tr("snapshot.published", lang), f"{str(info['published_at'])[:19]} UTC"],
        [tr("snapshot.timezone", lang), zone_words(info)],
        [tr("snapshot.policy", lang), f"{info.get('policy_version')} "
                                      f"(sha256 {str(info.get('policy_hash'))[:16]}…)"],
        [tr("exp.snapshot_hash", lang), Paragraph(report.snapshot_hash, small)],
        [tr("exp.hash_source", lang), tr(f"exp.hash_source.{report.hash_source}", lang)],
        [tr("exp.scope", lang), report.scope],
    ]  # fmt: skip
    cover_table = Table(cover, colWidths=[5 * cm, 10 * cm])
    cover_table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 9),
                                     ("FONT", (0, 0), (0, -1), "Helvetica-Bold", 9),
                                     ("VALIGN", (0, 0), (-1, -1), "TOP")]))  # fmt: skip
    story += [cover_table]
    if report.provisional:
        story += [Spacer(1, 1 * cm),
                  Paragraph(tr("month.provisional_note", lang, month=report.month)
                            .replace("**", ""), styles["BodyText"])]  # fmt: skip
    story += [PageBreak(), Paragraph(tr("exp.summary", lang), styles["Heading1"]),
              Paragraph(_summary_text(report), styles["BodyText"]),
              Spacer(1, 0.4 * cm)]  # fmt: skip

    trend_png = _trend_chart(report)
    if trend_png:
        story += [Paragraph(tr("exp.chart_trend", lang), styles["Heading3"]),
                  _image(Image, trend_png, width * 0.9, 9 * cm)]  # fmt: skip
    unit_png = _unit_chart(report)
    if unit_png:
        story += [Paragraph(tr("exp.chart_units", lang, n=report.policy.min_judged),
                            styles["Heading3"]),
                  _image(Image, unit_png, width * 0.85, A4[1] - 7 * cm)]  # fmt: skip

    # the league table: ranked units only
    ranked = report.units.filter(pl.col("ranked")).sort("rank")
    story += [PageBreak(), Paragraph(tr("exp.unit_table", lang), styles["Heading1"]),
              Paragraph(tr("ov.rank_caption", lang, n=report.policy.min_judged),
                        styles["BodyText"])]  # fmt: skip
    if ranked.is_empty():
        story.append(Paragraph(tr("exp.none_ranked", lang), styles["BodyText"]))
    else:
        header = [tr(k, lang) for k in ("col.rank", "col.unit", "col.resolution_due",
                                        "col.resolution_met", "col.resolution_rate",
                                        "col.interval", "col.median_wd", "col.backlog",
                                        "col.rating")]  # fmt: skip
        rows = [header] + [
            [str(u["rank"]), u["unit_name"], fmt_int(u["resolution_due"], lang),
             fmt_int(u["resolution_met"], lang), fmt_pct(u["resolution_rate"], lang, 1),
             fmt_interval(u["resolution_rate_low"], u["resolution_rate_high"], lang),
             fmt_num(u["resolution_wd_median"], lang), fmt_int(u["backlog_end"], lang),
             rating_words(u["rating"], lang)]
            for u in ranked.iter_rows(named=True)
        ]  # fmt: skip
        story.append(grid(_wrap_head(rows, Paragraph, small),
                          [1.5 * cm, 4.4 * cm, 1.5 * cm, 1.3 * cm, 2.0 * cm, 1.7 * cm,
                           1.3 * cm, 1.7 * cm, 2.0 * cm], 2))  # fmt: skip
    not_ranked = report.units.height - ranked.height
    if not_ranked:
        story.append(Paragraph(tr("exp.not_ranked", lang, n=not_ranked), small))

    rated = _rated(report.officers).sort(["score", "officer_name"], descending=[True, False],
                                         nulls_last=True)  # fmt: skip
    story += [Spacer(1, 0.6 * cm), Paragraph(tr("exp.officer_table", lang), styles["Heading1"])]
    if rated.is_empty():
        story.append(Paragraph(tr("exp.none_rated", lang, n=report.policy.min_judged),
                               styles["BodyText"]))  # fmt: skip
    else:
        header = [tr(k, lang) for k in ("col.nip", "col.name", "col.unit",
                                        "col.resolution_due", "col.resolution_rate",
                                        "col.interval", "col.score", "col.rating")]  # fmt: skip
        rows = [header] + [
            [o["officer_nip"], o["officer_name"] or MISSING, o["unit_name"],
             fmt_int(o["resolution_due"], lang), fmt_pct(o["resolution_rate"], lang, 1),
             fmt_interval(o["resolution_rate_low"], o["resolution_rate_high"], lang),
             fmt_num(o["score"], lang, 0), rating_words(o["rating"], lang)]
            for o in rated.iter_rows(named=True)
        ]  # fmt: skip
        story.append(grid(_wrap_head(rows, Paragraph, small),
                          [3.0 * cm, 3.1 * cm, 3.2 * cm, 1.4 * cm, 2.0 * cm, 1.7 * cm,
                           1.0 * cm, 2.0 * cm], 3))  # fmt: skip
    others = report.officers.height - rated.height
    if others:
        story.append(Paragraph(tr("exp.not_rated", lang, n=others), small))

    if not report.verdicts.is_empty():  # a source's own verdicts against rapor's
        story += [Spacer(1, 0.6 * cm), Paragraph(tr("q.verdicts", lang), styles["Heading1"]),
                  Paragraph(tr("exp.verdicts_caption", lang), styles["BodyText"])]  # fmt: skip
        header = [tr(f"q.col.{k}", lang) for k in ("unit", "with_verdict", "compared", "agree",
                                                   "disagree", "rapor_not_judged",
                                                   "agreement_rate")]  # fmt: skip
        rows = [header] + [
            [v["unit_code"] or MISSING, fmt_int(v["with_verdict"], lang),
             fmt_int(v["compared"], lang), fmt_int(v["agree"], lang),
             fmt_int(v["disagree"], lang), fmt_int(v["rapor_not_judged"], lang),
             fmt_pct(v["agreement_rate"], lang, 1)]
            for v in report.verdicts.iter_rows(named=True)
        ]  # fmt: skip
        story.append(grid(_wrap_head(rows, Paragraph, small),
                          [3.0 * cm] + [2.0 * cm] * 6, 1))  # fmt: skip
        ids = report.disagreements["case_id"].to_list() if report.disagreements.height else []
        if ids:
            shown = ", ".join(ids[:50]) + (" …" if len(ids) > 50 else "")
            story.append(Paragraph(tr("exp.verdicts_disagreeing", lang, n=len(ids), ids=shown),
                                   small))  # fmt: skip

    doc = SimpleDocTemplate(
        out if hasattr(out, "write") else str(out), pagesize=A4,
        leftMargin=1.8 * cm, rightMargin=1.8 * cm, topMargin=1.6 * cm, bottomMargin=1.8 * cm,
        title=f"{tr('exp.title', lang)} {info['tenant_name']} {report.month}",
        author="rapor", subject=footer,
    )  # fmt: skip
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)


def _wrap_head(rows: list[list[Any]], paragraph, style) -> list[list[Any]]:
    return [[paragraph(f"<b>{c}</b>", style) for c in rows[0]], *rows[1:]]


def _image(image_cls, png: bytes, max_w: float, max_h: float):
    from reportlab.lib.utils import ImageReader

    w, h = ImageReader(io.BytesIO(png)).getSize()
    ratio = min(max_w / w, max_h / h)
    return image_cls(io.BytesIO(png), width=w * ratio, height=h * ratio)


# --- csv ----------------------------------------------------------------------------------
def _csv_frames(report: MonthReport) -> dict[str, pl.DataFrame]:
    lists = [c for c, t in report.officers.schema.items() if isinstance(t, pl.List)]
    return {
        "unit_month.csv": report.units.with_columns(pl.lit(report.month).alias("month")).select(
            "month", "rank", pl.exclude("month", "rank", "ranked", "ranked_median",
                                        "rank_median")),
        "officer_month.csv": report.officers.with_columns(
            pl.lit(report.month).alias("month")).select("month", pl.exclude("month", *lists)),
    } | ({"verdict_agreement.csv": report.verdicts,
          "verdict_disagreements.csv": report.disagreements}
         if not report.verdicts.is_empty() else {})  # fmt: skip


def _metadata(report: MonthReport) -> str:
    meta = {
        "tenant": report.info["tenant"], "tenant_name": report.info["tenant_name"],
        "month": report.month, "provisional": report.provisional,
        "as_of_date": str(report.info["as_of_date"]),
        "published_at": str(report.info["published_at"]), "run_id": report.info.get("run_id"),
        "timezone": report.info.get("timezone"),
        "policy_version": report.info.get("policy_version"),
        "policy_hash": report.info.get("policy_hash"),
        "snapshot_hash": report.snapshot_hash, "snapshot_hash_source": report.hash_source,
        "scope_units": list(report.viewer.units) if report.viewer.units else None,
        "rates": "fractions 0..1 (0.875 = 87.5 %)",
    }  # fmt: skip
    return json.dumps(meta, indent=2, ensure_ascii=False) + "\n"


def write_csv(report: MonthReport, out: str | os.PathLike | IO[bytes]) -> None:
    """A zip of unit_month.csv, officer_month.csv and metadata.json when `out` is a file
    object or a path ending in .zip; otherwise a directory `out` holding those files."""
    files = {
        name: inert_csv_frame(frame).write_csv(quote_style="non_numeric")
        for name, frame in _csv_frames(report).items()
    }
    files["metadata.json"] = _metadata(report)
    if hasattr(out, "write") or str(out).lower().endswith(".zip"):
        target = out if hasattr(out, "write") else str(out)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
        return
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


# --- the public functions -----------------------------------------------------------------
WRITERS = {"xlsx": write_xlsx, "pdf": write_pdf, "csv": write_csv}


def export(fmt: str, snapshot_path: str | os.PathLike, month: str,
           out: str | os.PathLike | IO[bytes], viewer: data.Viewer | None = None,
           lang: str = "id") -> MonthReport:  # fmt: skip
    if fmt not in WRITERS:
        raise ExportError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    report = month_report(snapshot_path, month, viewer, lang)
    WRITERS[fmt](report, out)
    return report


def export_xlsx(snapshot_path, month, out, viewer=None, lang="id") -> MonthReport:
    """Excel workbook: ringkasan, unit_month, officer_month, cases, quarantine,
    quality_results (one sheet each)."""
    return export("xlsx", snapshot_path, month, out, viewer, lang)


def export_pdf(snapshot_path, month, out, viewer=None, lang="id") -> MonthReport:
    """A4 monthly report: cover, summary, charts, league tables, footer on every page."""
    return export("pdf", snapshot_path, month, out, viewer, lang)


def export_csv(snapshot_path, month, out, viewer=None, lang="id") -> MonthReport:
    """unit_month.csv, officer_month.csv and metadata.json: a zip or a directory."""
    return export("csv", snapshot_path, month, out, viewer, lang)


MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "application/zip",
}


def file_name(info: dict[str, Any], month: str, fmt: str) -> str:
    suffix = "zip" if fmt == "csv" else fmt
    return f"rapor-{info['tenant']}-{month}.{suffix}"


# --- in-app downloads (bounded cache: snapshot, its mtime, month, viewer, language) -------
@st.cache_data(max_entries=8, ttl=3600, show_spinner=False)
def _bytes(fmt: str, path: str, mtime_ns: int, month: str, viewer: tuple, lang: str) -> bytes:
    role, units, confidential, reporter = viewer
    buffer = io.BytesIO()
    export(fmt, path, month, buffer, data.Viewer(role, units, confidential, reporter), lang)
    return buffer.getvalue()


def export_bytes(fmt: str, snap: data.Snapshot, month: str, viewer: data.Viewer,
                 lang: str) -> bytes:  # fmt: skip
    """The export as bytes, for st.download_button."""
    key = (viewer.role, viewer.units, viewer.see_confidential, viewer.see_reporter)
    return _bytes(fmt, snap.path, snap.mtime_ns, month, key, lang)
