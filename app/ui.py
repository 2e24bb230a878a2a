"""UI pieces shared by the pages: the snapshot guard, the month selector, the sidebar
footer, links to the metric definitions and number formatting in the chosen language."""

from __future__ import annotations

import datetime as dt
import math
import re
import string
from pathlib import Path

import polars as pl
import streamlit as st

from app import data, metric_docs
from app.i18n import language, rating_label, t, t_or
from pipelines.home import zone_label

MONTH_KEY = "month"  # the query parameter (?month=YYYY-MM)
REMEMBERED_MONTH = "chosen_month"  # the month last chosen on any page
MISSING = "–"  # what tables and numbers show for a missing value


# --- text from the data ------------------------------------------------------------------
# CommonMark lets a backslash escape any ASCII punctuation. Escaped here: every character
# that can open a Markdown, HTML or Streamlit construct. The colon is written as an entity
# instead: Streamlit rewrites ":material/" in the source before parsing and reads
# ":name[...]" (colours, badges, icons) and ":shortcode:" (emoji) itself. Left as they are,
# since they open nothing once [ ] < > : are escaped: ( ) . , ; ? ' " % / (but a leading
# "1." or "1)" would start a list: escaped). remark-gfm turns bare URLs in the text into
# links after parsing, whatever the escapes: an invisible WORD JOINER (U+2060) after
# "http:" and "www" keeps them text. (A bare e-mail address may still become a mailto:
# link: harmless, and a joiner would spoil copying the address.)
_MARKDOWN_ESCAPES = {ord(c): "\\" + c for c in string.punctuation if c not in ":().,;?'\"%/"}
_MARKDOWN_ESCAPES |= {ord(":"): "&#58;", ord("\n"): " ", ord("\r"): " "}
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(https?:(?=//)|\bwww(?=\.))")
_LIST_START = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")


def plain(text: object) -> str:
    """Text from the data (a complaint title, an officer's or unit's name, a value from a
    link) for a Markdown context: st.markdown, st.caption, headers, alerts, labels. Every
    Markdown and HTML construct is escaped, so links, images (`![x](http://...)`), raw HTML,
    math, Streamlit's `:color[...]`, `:material/...:` and emoji shortcodes show as the
    literal text and never fetch anything; bare URLs stay unlinked; line breaks become
    spaces. For text on its own, prefer st.text (no Markdown at all)."""
    if text is None:
        return ""
    unlinked = _AUTOLINK.sub(lambda m: m[1] + WORD_JOINER, str(text))
    return _LIST_START.sub(r"\1\\\2", unlinked.translate(_MARKDOWN_ESCAPES))


# --- numbers ---------------------------------------------------------------------------
def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_int(x: object) -> str:
    if _missing(x):
        return MISSING
    text = f"{int(x):,}"  # type: ignore[call-overload]
    return text.replace(",", ".") if language() == "id" else text


def fmt_num(x: object, digits: int = 1) -> str:
    if _missing(x):
        return MISSING
    text = f"{float(x):,.{digits}f}"  # type: ignore[arg-type]
    if language() == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def fmt_pct(x: object, digits: int = 0) -> str:
    return MISSING if _missing(x) else f"{fmt_num(100 * float(x), digits)}%"  # type: ignore[arg-type]


def fmt_interval(low: object, high: object) -> str:
    if _missing(low) or _missing(high):
        return MISSING
    return f"{fmt_num(100 * float(low), 0)}–{fmt_pct(high)}"  # type: ignore[arg-type]


def fmt_wd(x: object) -> str:
    return MISSING if _missing(x) else f"{fmt_num(x)} {t('wd')}"


def zone_words(timezone: object) -> str:
    """The tenant's time zone, in which every time on the pages is given (the publication
    time aside, in UTC): "Asia/Jakarta (WIB)", "America/New_York (EST/EDT)"."""
    return MISSING if _missing(timezone) else zone_label(str(timezone))


def fmt_timestamp(x: object) -> str:
    if isinstance(x, dt.datetime):
        return x.strftime("%Y-%m-%d %H:%M")
    return MISSING if _missing(x) else str(x)


def words(frame: pl.DataFrame, expr: pl.Expr | str, fn, name: str) -> pl.Series:
    """`fn` over the values of `expr`, as a text column `name`. Runs here, in the script's
    thread: `t()` needs the session's language, and polars' map_elements would call `fn` on
    its worker threads, where there is no session (every label would fall back to the
    default language)."""
    values = frame.select(expr).to_series().to_list()
    return pl.Series(name, [fn(v) for v in values], dtype=pl.String)


def interval_words(frame: pl.DataFrame, prefix: str, name: str = "interval") -> pl.Series:
    """The interval `prefix`_low–`prefix`_high of each row, formatted."""
    low, high = f"{prefix}_low", f"{prefix}_high"
    return words(frame, pl.struct(low, high), lambda s: fmt_interval(s[low], s[high]), name)


PCT = "%.0f%%"  # NumberColumn format of a percentage column made by `percent_of`


def percent_of(*columns: str) -> list[pl.Expr]:
    """Rates (0..1) as percentages (0..100) for tables: numbers stay sortable."""
    return [(pl.col(c) * 100).alias(c) for c in columns]


# --- links to the metric definitions (docs/metrics.md, served as the page "definisi") ---
@st.cache_data(show_spinner=False, max_entries=8)
def _doc_sections(path: str, mtime_ns: int, lang: str) -> list[metric_docs.Section]:
    return metric_docs.sections(Path(path).read_text(encoding="utf-8"), lang)


def doc_sections(lang: str | None = None) -> list[metric_docs.Section]:
    """The sections of docs/metrics.md in `lang` (default: the current language); empty
    when the document is missing."""
    path = metric_docs.DOC_PATH
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError:
        return []
    return _doc_sections(str(path), mtime_ns, lang or language())


def definition_href(anchor: str) -> str:
    """The link to `anchor` on the definitions page, in the current language. An anchor the
    document lacks raises (as a missing text key does), so a typo cannot ship a dead link."""
    index = metric_docs.anchor_index(doc_sections())
    if index and anchor not in index:
        raise KeyError(f"docs/metrics.md has no anchor {anchor!r}")
    return metric_docs.definition_href(anchor, language(), index)


def definition_link(anchor: str, label: str | None = None) -> str:
    """A Markdown link "Definisi" (or `label`) to the definition of `anchor`."""
    return f"[{label or t('def.link')}]({definition_href(anchor)})"


def with_definition(text: str, anchor: str) -> str:
    """A help text followed by the link to the definition (for tooltips)."""
    link = definition_link(anchor)
    return f"{text}\n\n{link}" if text else link


def definitions_caption(*pairs: tuple[str, str]) -> str:
    """The text "Definisi: [label](...) · [label](...)" for (label, anchor) pairs."""
    links = " · ".join(definition_link(anchor, label) for label, anchor in pairs)
    return t("def.links", links=links)


def number_column(label_key: str, anchor: str, *, fmt: str | None = None, help_text: str = "",
                  **kwargs):  # fmt: skip
    """A table's number column labelled t(label_key), its help linking to the definition."""
    return st.column_config.NumberColumn(
        t(label_key), format=fmt, help=with_definition(help_text, anchor), **kwargs
    )


# --- the snapshot ----------------------------------------------------------------------
def snapshot_or_stop() -> data.Snapshot:
    """The published snapshot, or a clear message on how to produce one (never a
    traceback) and the end of this run."""
    try:
        return data.locate()
    except data.SnapshotUnavailable as exc:
        st.title(t("app.title"))
        title = "missing.unreadable_title" if exc.reason == "unreadable" else "missing.title"
        st.error(t(title), icon=":material/database_off:")
        if exc.reason == "no_home":
            st.markdown(t("missing.no_home"))
        elif exc.reason == "no_file":
            st.markdown(t("missing.no_file", path=exc.path))
        else:
            st.markdown(t("missing.unreadable", path=exc.path, error=plain(exc.error)))
        st.markdown(t("missing.howto", home=exc.home or "DIR"))
        st.stop()
        raise  # unreachable: st.stop() ends the run


def sidebar_footer(snap: data.Snapshot) -> None:
    meta = data.info(snap)
    published = meta.get("published_at")
    policy_hash = str(meta.get("policy_hash") or "")[:12]
    with st.sidebar:
        st.divider()
        st.markdown(f"**{t('snapshot.heading')}**")
        lines = [
            f"{t('snapshot.tenant')}: **{plain(meta.get('tenant_name'))}**",
            f"{t('snapshot.as_of')}: {meta.get('as_of_date')}",
            f"{t('snapshot.published')}: {fmt_timestamp(published)} UTC",
            f"{t('snapshot.timezone')}: {zone_words(meta.get('timezone'))}",
            f"{t('snapshot.policy')}: {plain(meta.get('policy_version'))} (`{policy_hash}`)",
            f"{t('snapshot.code')}: {plain(meta.get('code_version'))}",
        ]
        st.caption("  \n".join(lines))


# --- selectors mirrored in the URL -------------------------------------------------------
def synced_selectbox(
    label: str,
    options: list,
    *,
    param: str,
    default=None,
    format_func=str,
    placeholder: str | None = None,
    container=None,
):
    """A selectbox mirrored in the ?param= query parameter, so a page can be linked to and
    shared. Its value: what the user chose on this page, else the query parameter (a
    link), else `default`. (Not `bind="query-params"`: that puts the formatted label in
    the URL instead of the value.)"""
    widget_key = f"{param}_select"
    chosen_before = st.session_state.get(widget_key)
    asked = st.query_params.get(param)
    if chosen_before in options:
        value = chosen_before
    elif asked in options:
        value = asked
    else:
        value = default
    chosen = (container or st).selectbox(
        label,
        options,
        index=options.index(value) if value in options else None,
        format_func=format_func,
        placeholder=placeholder,
        key=widget_key,
    )
    if chosen is None:
        if param in st.query_params and asked in options:
            del st.query_params[param]
    elif asked != chosen:
        st.query_params[param] = chosen
    return chosen


def month_label(month: str, provisional: bool) -> str:
    return f"{month} ({t('month.provisional')})" if provisional else month


def month_selector(month_frame: pl.DataFrame, *, container=None) -> str | None:
    """A selector over `month_frame` (month, provisional), newest first, mirrored in
    ?month=. Default: the month chosen on the previous page, else the latest
    non-provisional month. Provisional months are labelled "sementara", and a note says
    so when one is chosen."""
    if month_frame.is_empty():
        return None
    frame = month_frame.sort("month", descending=True)
    options = frame["month"].to_list()
    provisional = dict(zip(options, frame["provisional"].fill_null(True).to_list(), strict=True))
    remembered = st.session_state.get(REMEMBERED_MONTH)
    default = remembered if remembered in options else data.default_month(frame)
    chosen = synced_selectbox(
        t("month.label"),
        options,
        param=MONTH_KEY,
        default=default,
        format_func=lambda m: month_label(m, provisional[m]),
        container=container,
    )
    st.session_state[REMEMBERED_MONTH] = chosen
    if chosen and provisional.get(chosen):
        st.warning(t("month.provisional_note", month=chosen), icon=":material/schedule:")
    return chosen


def rating_badge(code: str | None) -> str:
    colours = {
        "di_atas_ekspektasi": "green",
        "sesuai_ekspektasi": "blue",
        "di_bawah_ekspektasi": "red",
        "data_tidak_cukup": "gray",
    }
    return f":{colours.get(code or '', 'gray')}-badge[{rating_label(code)}]"


def event_table(events: pl.DataFrame, key: str) -> None:
    """A case's lifecycle events (data.case_events / data.case_detail rows) as a table:
    order, time, event in words (a closure the source's system made by itself says so:
    docs/metrics.md#automatic_closures), unit, officer, note, and the source row it came
    from."""
    shown = pl.col("event_type")
    if "is_automatic" in events.columns:
        automatic = pl.col("is_automatic").fill_null(False)
        shown = pl.when(automatic).then(pl.lit("automatic_closure")).otherwise(shown)
    st.dataframe(
        events.select(
            "seq",
            "event_at",
            words(events, shown, lambda e: t_or(f"event.{e}", e), "event_type"),
            "unit_code",
            "officer_nip",
            "note",
            pl.format("{}/{}:{}", "source", "file", "row_number").alias("origin"),
            "source_id",
        ),
        hide_index=True,
        placeholder=MISSING,
        key=key,
        column_config={
            "seq": st.column_config.NumberColumn("#", width="small"),
            "event_at": st.column_config.DatetimeColumn(
                t("col.event_at"), format="YYYY-MM-DD HH:mm"
            ),
            "event_type": st.column_config.TextColumn(t("col.event_type")),
            "unit_code": st.column_config.TextColumn(t("col.unit")),
            "officer_nip": st.column_config.TextColumn(t("col.officer")),
            "note": st.column_config.TextColumn(t("col.note"), width="large"),
            "origin": st.column_config.TextColumn(t("col.source")),
            "source_id": st.column_config.TextColumn(t("col.source_id")),
        },
    )
