"""All data access of the app.

The app reads only the published snapshot `$RAPOR_HOME/serving/rapor.duckdb`, read-only, in
short-lived connections (one per query; DuckDB lets many read-only processes share a file,
and the pipeline swaps a new snapshot in with an atomic rename). Every query is
parameterised. Results are polars frames cached with `st.cache_data`, keyed on the snapshot's
path and modification time, so a new publication is picked up on the next rerun.

Who may see what is decided here, in one place: the public functions take a `Viewer` and
pass every result through `_scope` (which units' rows) and `_redact_cases` /
`_redact_events` / `_redact_flags` (which fields). Redaction goes by the snapshot's flag
columns: a case is confidential (anonymous) when any complaint merged into it is
(sql/case_heads.sql), and every event carries its own complaint's flags (sql/case_events.sql).
`current_viewer()` is the signed-in user's Viewer (`viewer_for` maps the roles of
DIR/users.yaml, app/auth.py signs in; docs/access.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from pipelines.home import Home, HomeError
from pipelines.quality import QUALITY_FILE

CACHE = {"max_entries": 128, "ttl": 3600, "show_spinner": False}
# The policy defaults (pipelines/default_policy.yaml), used only for a snapshot that does
# not carry its policy in snapshot_info.policy_json.
DEFAULT_MIN_JUDGED = 10  # rating.min_judged_deadlines
DEFAULT_POLICY: dict[str, Any] = {
    "deadlines": {"forwarding": 3, "response": 5},
    "rating": {"min_judged_deadlines": DEFAULT_MIN_JUDGED},
    "reopen_window_days": 30,
    "rating_window_days": 30,
}
# The facts of holder_facts, in the order the app lists them.
FACTS = ("received", "forwarding", "response", "resolution", "resolved", "resolution_event",
         "rating", "backlog")  # fmt: skip
Z95 = 1.959963984540054  # the same z the pipeline's wilson_low / wilson_high use
REDACTED = "rahasia"
# Reporter-related columns masked on anonymous cases wherever a query returns them.
REPORTER_COLUMNS = ("reporter_hash", "reporter_id", "reporter_name", "reporter_contact")
CONFIDENTIAL_COLUMNS = ("title", "description")
OPEN_STATUSES = ("received", "forwarded", "in_progress")
CLOSED_STATUSES = ("archived", "rejected")


# --- the snapshot --------------------------------------------------------------------------
class SnapshotUnavailable(Exception):
    """No usable snapshot: `reason` is no_home, no_file or unreadable."""

    def __init__(
        self,
        reason: str,
        home: str | None = None,
        path: str | None = None,
        error: str | None = None,
    ) -> None:
        super().__init__(f"{reason}: {path or home or ''} {error or ''}".strip())
        self.reason, self.home, self.path, self.error = reason, home, path, error


@dataclass(frozen=True)
class Snapshot:
    path: str
    mtime_ns: int
    home: str


def locate() -> Snapshot:
    """The published snapshot of the home in $RAPOR_HOME, or SnapshotUnavailable."""
    try:
        home = Home.resolve()
    except HomeError as exc:
        raise SnapshotUnavailable("no_home", error=str(exc)) from exc
    path = home.snapshot_path
    try:
        stat = path.stat()
    except OSError as exc:
        raise SnapshotUnavailable("no_file", str(home.root), str(path)) from exc
    snap = Snapshot(str(path), stat.st_mtime_ns, str(home.root))
    try:
        info(snap)
    except duckdb.Error as exc:
        raise SnapshotUnavailable("unreadable", str(home.root), str(path), str(exc)) from exc
    return snap


def _query(path: str, sql: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
    with duckdb.connect(path, read_only=True) as con:
        return con.sql(sql, params=params or {}).pl()


# --- who may see what (the one place for access rules) ------------------------------------
@dataclass(frozen=True)
class Viewer:
    """Who is looking. `units` None means every unit (leadership, HR, inspectorate)."""

    role: str = "pimpinan"
    units: tuple[str, ...] | None = None
    see_confidential: bool = False
    see_reporter: bool = False


# What each role of DIR/users.yaml sees (docs/access.md has the full matrix):
# leadership and HR every unit; the inspectorate also the text of confidential (rahasia)
# cases; an SKPD head only their own unit, without confidential text. Nobody sees the
# reporter of an anonymous case: anonymity is promised to the reporter, and no audit
# question of this app needs the identity.
ROLE_ACCESS: dict[str, tuple[bool, bool, bool]] = {
    # role: (every unit, see_confidential, see_reporter)
    "leadership": (True, False, False),
    "hr": (True, False, False),
    "inspectorate": (True, True, False),
    "skpd_head": (False, False, False),
}
NOBODY = Viewer(role="none", units=())  # fails closed: every scoped query returns no rows


def viewer_for(role: str, unit: str | None = None) -> Viewer:
    """The Viewer of a user with `role` (and, for an SKPD head, their `unit`)."""
    if role not in ROLE_ACCESS:
        return NOBODY
    every_unit, confidential, reporter = ROLE_ACCESS[role]
    if not every_unit and not unit:
        return NOBODY
    units = None if every_unit else (str(unit),)
    return Viewer(role, units, confidential, reporter)


def current_viewer() -> Viewer:
    """The viewer of this session: the signed-in user's role (app/auth.py); without a
    users file (open mode, a demo) the default all-units viewer; a session that should be
    signed in but is not sees nothing."""
    from app import auth  # auth imports this module

    return auth.current_viewer()


def _scope(frame: pl.DataFrame, viewer: Viewer, column: str = "unit_code") -> pl.DataFrame:
    if viewer.units is None or column not in frame.columns:
        return frame
    return frame.filter(pl.col(column).is_in(list(viewer.units)))


def _redact_cases(frame: pl.DataFrame, viewer: Viewer) -> pl.DataFrame:
    """Hide the text of confidential (rahasia) cases and the reporter of anonymous ones."""
    masks = []
    if not viewer.see_confidential and "is_confidential" in frame.columns:
        masks += [
            pl.when(pl.col("is_confidential").fill_null(False))
            .then(pl.lit(REDACTED))
            .otherwise(pl.col(c).cast(pl.String))
            .alias(c)
            for c in CONFIDENTIAL_COLUMNS
            if c in frame.columns
        ]
    if not viewer.see_reporter and "is_anonymous" in frame.columns:
        masks += _reporters_hidden(frame, pl.col("is_anonymous").fill_null(False))
    return frame.with_columns(masks) if masks else frame


def _reporters_hidden(frame: pl.DataFrame, anonymous: pl.Expr) -> list[pl.Expr]:
    """The reporter columns of `frame`, empty where `anonymous` holds."""
    return [
        pl.when(anonymous).then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.col(c).cast(pl.String)).alias(c)
        for c in REPORTER_COLUMNS if c in frame.columns
    ]  # fmt: skip


def _redact_events(events: pl.DataFrame, cases: pl.DataFrame, viewer: Viewer) -> pl.DataFrame:
    """Event notes (tindak lanjut texts) may quote the report: a note is hidden when its
    own complaint is confidential (the event's `is_confidential`, NULL in a snapshot
    published before it was carried: counted as confidential) or its case is (any member
    is); the reporter columns of an anonymous complaint's events are hidden too."""
    if events.is_empty():
        return events
    secret = cases.filter(pl.col("is_confidential").fill_null(False))["case_id"].to_list()

    def own(flag: str) -> pl.Expr:
        present = flag in events.columns
        return pl.col(flag).cast(pl.Boolean).fill_null(True) if present else pl.lit(False)

    masks = []
    if not viewer.see_confidential and "note" in events.columns:
        hidden = own("is_confidential") | pl.col("case_id").is_in(secret)
        masks.append(
            pl.when(hidden & pl.col("note").is_not_null())
            .then(pl.lit(REDACTED))
            .otherwise(pl.col("note"))
            .alias("note")
        )
    if not viewer.see_reporter:
        masks += _reporters_hidden(events, own("is_anonymous"))
    return events.with_columns(masks) if masks else events


def _redact_flags(flags: pl.DataFrame, viewer: Viewer) -> pl.DataFrame:
    """A flag's detail quotes the closing note in double quotes (sql/flags.sql): on a
    confidential case (its `is_confidential`, joined from cases) the quote becomes
    "rahasia" for a viewer who may not see confidential text."""
    if viewer.see_confidential or flags.is_empty() or "is_confidential" not in flags.columns:
        return flags
    return flags.with_columns(
        pl.when(pl.col("is_confidential").fill_null(True))
        .then(pl.col("detail").str.replace(r'(?s)".*"', f'"{REDACTED}"'))
        .otherwise(pl.col("detail"))
        .alias("detail")
    )


# --- helpers -------------------------------------------------------------------------------
def wilson(met: str, due: str, prefix: str) -> list[pl.Expr]:
    """rate, low, high (95 % Wilson) of met/due, named prefix_rate/_low/_high."""
    k, n = pl.col(met).cast(pl.Float64), pl.col(due).cast(pl.Float64)
    p = k / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * (p * (1 - p) / n + Z95**2 / (4 * n * n)).sqrt() / (1 + Z95**2 / n)
    ok = n > 0
    return [
        pl.when(ok).then(p).alias(f"{prefix}_rate"),
        pl.when(ok).then(centre - half).alias(f"{prefix}_low"),
        pl.when(ok).then(centre + half).alias(f"{prefix}_high"),
    ]


def rank_units(units: pl.DataFrame, min_judged: int) -> pl.DataFrame:
    """Units ranked by resolution compliance (best first); units with fewer than
    `min_judged` judged resolution deadlines keep their row with rank null (not ranked),
    listed after the ranked ones."""
    ranked = pl.col("resolution_due") >= max(min_judged, 1)
    return (
        units.with_columns(ranked.alias("ranked"))
        .with_columns(
            pl.when(ranked)
            .then(pl.col("resolution_rate"))
            .rank("min", descending=True)
            .cast(pl.Int64)
            .alias("rank")
        )
        .sort(["ranked", "rank", "unit_name"], descending=[True, False, False], nulls_last=True)
    )


def rank_units_by_median(units: pl.DataFrame, min_resolved: int) -> pl.DataFrame:
    """Units ranked by median resolution working days (lowest first); units that resolved
    fewer than `min_resolved` cases are not ranked; units that resolved none are kept with
    a null median."""
    ranked = (pl.col("resolved") >= max(min_resolved, 1)) & pl.col(
        "resolution_wd_median"
    ).is_not_null()
    return (
        units.with_columns(ranked.alias("ranked_median"))
        .with_columns(
            pl.when(ranked)
            .then(pl.col("resolution_wd_median"))
            .rank("min")
            .cast(pl.Int64)
            .alias("rank_median")
        )
        .sort(
            ["ranked_median", "rank_median", "resolution_wd_median", "unit_name"],
            descending=[True, False, False, False],
            nulls_last=True,
        )
    )


# --- cached queries (arguments: snapshot path and mtime, then the query's own) ------------
@st.cache_data(**CACHE)
def _info(path: str, mtime_ns: int) -> dict[str, Any]:
    rows = _query(path, "SELECT * FROM snapshot_info").to_dicts()
    if not rows:
        raise duckdb.InvalidInputException("snapshot_info is empty")
    return rows[0]


@st.cache_data(**CACHE)
def _months(path: str, mtime_ns: int) -> pl.DataFrame:
    # months after the as-of month only hold deadlines met early: not a month to show yet
    return _query(
        path,
        """
        SELECT month, provisional
        FROM tenant_month
        WHERE month <= (SELECT strftime(as_of_date, '%Y-%m') FROM snapshot_info)
        ORDER BY month
    """,
    )


@st.cache_data(**CACHE)
def _tenant_months(path: str, mtime_ns: int) -> pl.DataFrame:
    # the published tenant-wide rows as they are; only the forwarding interval is added
    # (the table publishes none), with the pipeline's own Wilson formula
    frame = _query(
        path,
        """
        SELECT * EXCLUDE (tenant)
        FROM tenant_month
        WHERE month <= (SELECT strftime(as_of_date, '%Y-%m') FROM snapshot_info)
        ORDER BY month
    """,
    )
    _published_rate, low, high = wilson("forwarding_met", "forwarding_due", "forwarding")
    return frame.with_columns(low, high)


@st.cache_data(**CACHE)
def _unit_month(path: str, mtime_ns: int, month: str) -> pl.DataFrame:
    return _query(
        path,
        """
        SELECT
            m.unit_code,
            coalesce(m.unit_name, m.unit_code) AS unit_name,
            m.unit_kind,
            m.received, m.resolved,
            m.forwarding_due, m.forwarding_met, m.forwarding_rate,
            m.response_due, m.response_met, m.response_rate,
            m.response_rate_low, m.response_rate_high,
            m.resolution_due, m.resolution_met, m.resolution_rate,
            m.resolution_rate_low, m.resolution_rate_high,
            m.resolution_wd_median, m.resolution_wd_p90,
            m.backlog_end, m.overdue_backlog_end,
            m.ratings_n, m.satisfaction_mean, m.satisfaction_shrunk,
            m.rating_response_rate, m.reopen_rate,
            m.expected_resolution_rate, m.observed_expected_ratio,
            m.score, m.rating, m.provisional
        FROM unit_month AS m
        WHERE m.month = $month
        ORDER BY m.unit_code
    """,
        {"month": month},
    )


@st.cache_data(**CACHE)
def _channels(path: str, mtime_ns: int, month: str) -> pl.DataFrame:
    # a case that came through several channels counts once in each of them
    return _query(
        path,
        """
        WITH received AS (
            SELECT channels FROM cases WHERE strftime(received_at, '%Y-%m') = $month
        )
        SELECT
            channel,
            count(*) AS cases,
            (SELECT count(*) FROM received WHERE len(channels) > 1) AS multi_channel_cases
        FROM (SELECT unnest(channels) AS channel FROM received)
        GROUP BY channel
        ORDER BY cases DESC, channel
    """,
        {"month": month},
    )


@st.cache_data(**CACHE)
def _districts(path: str, mtime_ns: int, month: str) -> pl.DataFrame:
    return _query(
        path,
        """
        SELECT
            district,
            CASE WHEN status = 'resolved' THEN 'resolved'
                 WHEN list_contains($closed, status) THEN 'closed'
                 ELSE 'open' END AS status_group,
            count(*) AS cases
        FROM cases
        WHERE strftime(received_at, '%Y-%m') = $month
        GROUP BY ALL
        ORDER BY district, status_group
    """,
        {"month": month, "closed": list(CLOSED_STATUSES)},
    )


@st.cache_data(**CACHE)
def _officer_month(path: str, mtime_ns: int, month: str) -> pl.DataFrame:
    return _query(
        path,
        """
        WITH unit_names AS (
            SELECT unit_code, arg_max(name, valid_from) AS unit_name FROM units GROUP BY ALL
        )
        SELECT
            o.officer_nip,
            o.officer_name,
            o.unit_code,
            coalesce(n.unit_name, o.unit_code) AS unit_name,
            o.received, o.resolved,
            o.response_due, o.response_met, o.response_rate,
            o.response_rate_low, o.response_rate_high,
            o.resolution_due, o.resolution_met, o.resolution_rate,
            o.resolution_rate_low, o.resolution_rate_high,
            o.resolution_wd_median, o.resolution_wd_p90,
            o.backlog_end, o.overdue_backlog_end,
            o.ratings_n, o.satisfaction_mean, o.satisfaction_shrunk,
            o.rating_response_rate, o.reopen_rate,
            o.expected_resolution_rate, o.observed_expected_ratio,
            o.score, o.rating, o.provisional,
            o.behaviour_rating, o.predikat, o.credit_percent, o.tpp_percent
        FROM officer_month AS o
        LEFT JOIN unit_names AS n USING (unit_code)
        WHERE o.month = $month
        ORDER BY unit_name, o.officer_name, o.officer_nip
    """,
        {"month": month},
    )


@st.cache_data(**CACHE)
def _officer_directory(path: str, mtime_ns: int) -> pl.DataFrame:
    return _query(
        path,
        """
        WITH ref AS (
            SELECT nip, arg_max(name, valid_from) AS name,
                   arg_max(unit_code, valid_from) AS unit_code
            FROM officers GROUP BY nip
        ), scored AS (
            SELECT officer_nip AS nip, arg_max(officer_name, month) AS name,
                   arg_max(unit_code, month) AS unit_code
            FROM officer_month GROUP BY officer_nip
        )
        SELECT
            nip,
            coalesce(ref.name, scored.name) AS name,
            coalesce(scored.unit_code, ref.unit_code) AS unit_code,
            scored.nip IS NOT NULL AS has_scorecards
        FROM scored
        FULL JOIN ref USING (nip)
        ORDER BY has_scorecards DESC, name, nip
    """,
    )


@st.cache_data(**CACHE)
def _officer_postings(path: str, mtime_ns: int, nip: str) -> pl.DataFrame:
    return _query(
        path,
        """
        WITH unit_names AS (
            SELECT unit_code, arg_max(name, valid_from) AS unit_name FROM units GROUP BY ALL
        )
        SELECT o.name, o.unit_code, coalesce(n.unit_name, o.unit_code) AS unit_name,
               o.position, o.grade, o.valid_from, o.valid_to
        FROM officers AS o
        LEFT JOIN unit_names AS n USING (unit_code)
        WHERE o.nip = $nip
        ORDER BY o.valid_from DESC
    """,
        {"nip": nip},
    )


@st.cache_data(**CACHE)
def _officer_history(path: str, mtime_ns: int, nip: str) -> pl.DataFrame:
    frame = _query(
        path,
        """
        -- officer_month has no forwarding columns: an admin's forwarding deadlines are
        -- counted from the same holder_facts rows unit_month counts them from
        WITH behind AS (
            SELECT
                month,
                count(DISTINCT case_key) AS case_count,
                count(*) FILTER (WHERE fact = 'forwarding') AS forwarding_due,
                count(*) FILTER (WHERE fact = 'forwarding' AND met) AS forwarding_met
            FROM holder_facts
            WHERE officer_nip = $nip
            GROUP BY month
        )
        SELECT
            o.month, o.officer_name, o.unit_code,
            o.received, o.resolved,
            o.response_due, o.response_met, o.response_rate,
            o.response_rate_low, o.response_rate_high,
            o.resolution_due, o.resolution_met, o.resolution_rate,
            o.resolution_rate_low, o.resolution_rate_high,
            o.resolution_wd_median, o.resolution_wd_p90, o.backlog_end, o.overdue_backlog_end,
            o.ratings_n, o.satisfaction_mean, o.satisfaction_shrunk,
            o.rating_response_rate, o.reopen_rate,
            o.expected_resolution_rate, o.observed_expected_ratio,
            o.score, o.rating, o.provisional,
            o.behaviour_rating, o.predikat, o.credit_percent, o.tpp_percent,
            coalesce(b.case_count, 0) AS case_count,
            coalesce(b.forwarding_due, 0) AS forwarding_due,
            coalesce(b.forwarding_met, 0) AS forwarding_met
        FROM officer_month AS o
        LEFT JOIN behind AS b USING (month)
        WHERE o.officer_nip = $nip
          AND o.month <= (SELECT strftime(as_of_date, '%Y-%m') FROM snapshot_info)
        ORDER BY o.month
    """,
        {"nip": nip},
    )
    return frame.with_columns(wilson("forwarding_met", "forwarding_due", "forwarding"))


@st.cache_data(**CACHE)
def _officer_cases(path: str, mtime_ns: int, nip: str, month: str) -> pl.DataFrame:
    # The cases behind one officer-month: exactly the officer's holder_facts rows of that
    # month (the rows officer_month counts), grouped by case, each case with its facts.
    return _query(
        path,
        """
        WITH facts AS (
            SELECT
                case_key, fact, met, wd, score, flag,
                list_position($facts, fact) AS fact_order
            FROM holder_facts
            WHERE officer_nip = $nip AND month = $month
        ), per_case AS (
            SELECT
                case_key,
                list(fact ORDER BY fact_order, wd, score) AS facts,
                list({'fact': fact, 'met': met, 'wd': wd, 'score': score, 'flag': flag}
                     ORDER BY fact_order, wd, score) AS fact_rows
            FROM facts
            GROUP BY case_key
        )
        SELECT
            c.case_id, c.received_at, c.category, c.complaint_class, c.status,
            c.resolution_wd, c.resolution_due_wd, c.resolution_met, c.resolution_due_date,
            c.resolved_at, c.credited_officer_nip, c.officer_nip,
            c.title, c.description, c.district, c.village, c.channels,
            c.source, c.source_id, c.is_confidential, c.is_anonymous,
            p.facts, p.fact_rows
        FROM per_case AS p
        JOIN cases AS c USING (case_key)
        ORDER BY c.received_at, c.case_id
    """,
        {"nip": nip, "month": month, "facts": list(FACTS)},
    )


# the event's own complaint's flags; a snapshot published before they were carried gives
# NULL, which _redact_events treats as confidential and anonymous (fails closed)
EVENT_FLAGS = {
    True: "is_confidential, is_anonymous",
    False: "NULL::BOOLEAN AS is_confidential, NULL::BOOLEAN AS is_anonymous",
}


# whether a closure was the source system's own (sql/automatic_closures.sql); a snapshot
# published before it was carried has none
AUTOMATIC_FLAG = {True: "is_automatic", False: "false AS is_automatic"}


@st.cache_data(**CACHE)
def _case_events(path: str, mtime_ns: int, case_ids: tuple[str, ...]) -> pl.DataFrame:
    flagged = _query(
        path,
        "SELECT count(*) = 2 AS flagged FROM duckdb_columns() WHERE table_name = 'case_events'"
        " AND column_name IN ('is_confidential', 'is_anonymous')",
    ).item()
    automatic = _query(
        path,
        "SELECT count(*) = 1 AS automatic FROM duckdb_columns() WHERE table_name = 'case_events'"
        " AND column_name = 'is_automatic'",
    ).item()
    return _query(
        path,
        f"""
        SELECT case_id, seq, event_at, event_type, unit_code, officer_nip, note,
               source, source_id, file, row_number, {EVENT_FLAGS[bool(flagged)]},
               {AUTOMATIC_FLAG[bool(automatic)]}
        FROM case_events
        WHERE case_id IN (SELECT unnest($ids))
        ORDER BY case_id, seq
    """,
        {"ids": list(case_ids)},
    )


# --- the public interface the pages use ---------------------------------------------------
def info(snap: Snapshot) -> dict[str, Any]:
    """The snapshot_info row: tenant, tenant_name, as_of_date, published_at, policy..."""
    return _info(snap.path, snap.mtime_ns)


@dataclass(frozen=True)
class PolicyView:
    """The policy a snapshot was computed with (`raw`, as in policy.yaml), and where it came
    from: `snapshot` (snapshot_info.policy_json) or `default` (an older snapshot without
    it: the documented defaults)."""

    min_judged: int
    source: str
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def value(self, *path: str, default: Any = None) -> Any:
        node: Any = self.raw
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node

    @property
    def version(self) -> str | None:
        return self.value("version")


def policy(snap: Snapshot) -> PolicyView:
    """The policy in force for the snapshot, from `snapshot_info.policy_json` (the
    minimum number of judged deadlines, the deadlines, the windows...)."""
    meta = info(snap)
    if meta.get("policy_json"):
        try:
            raw = json.loads(meta["policy_json"])
            return PolicyView(int(raw["rating"]["min_judged_deadlines"]), "snapshot", raw)
        except (TypeError, ValueError, KeyError):
            pass
    return PolicyView(DEFAULT_MIN_JUDGED, "default", DEFAULT_POLICY)


def months(snap: Snapshot) -> pl.DataFrame:
    """month, provisional: every month up to the as-of month, oldest first."""
    return _months(snap.path, snap.mtime_ns)


def default_month(month_frame: pl.DataFrame) -> str | None:
    """The latest month that is not provisional, else the latest month."""
    if month_frame.is_empty():
        return None
    final = month_frame.filter(~pl.col("provisional").fill_null(True))
    return (final if not final.is_empty() else month_frame)["month"].max()


def tenant_months(snap: Snapshot, viewer: Viewer) -> pl.DataFrame:
    """The snapshot's `tenant_month` rows up to the as-of month (every measure of the
    tenant as a whole), plus forwarding_low / forwarding_high. (Tenant-wide: a viewer
    limited to some units will get these per unit once such a role exists.)"""
    return _tenant_months(snap.path, snap.mtime_ns)


def unit_ranking(snap: Snapshot, month: str, viewer: Viewer, min_judged: int) -> pl.DataFrame:
    """Every unit of unit_month for `month`, ranked by compliance and by median time. A
    viewer limited to some units gets their rows with their rank among all units."""
    units = _unit_month(snap.path, snap.mtime_ns, month)
    return _scope(rank_units(rank_units_by_median(units, min_judged), min_judged), viewer)


@st.cache_data(**CACHE)
def _records_officers(path: str, mtime_ns: int) -> bool:
    return bool(_query(path, "SELECT EXISTS (SELECT 1 FROM officer_month) AS any_").item())


def records_officers(snap: Snapshot) -> bool:
    """False when the sources record no officer at all (only units: no officer_nip on any
    event, so no officer-month in any month); the officer views then say so plainly."""
    return _records_officers(snap.path, snap.mtime_ns)


def unit_names(snap: Snapshot, month: str, viewer: Viewer) -> dict[str, str]:
    """unit_code -> name of every unit with a unit_month row in `month` that the viewer
    may see (with or without officers)."""
    units = _scope(_unit_month(snap.path, snap.mtime_ns, month), viewer)
    return dict(units.select("unit_code", "unit_name").iter_rows())


def unit_numbers(snap: Snapshot, month: str, unit_code: str, viewer: Viewer) -> dict | None:
    """The unit_month row of one unit and month (None if none, or not in the viewer's units)."""
    rows = _scope(_unit_month(snap.path, snap.mtime_ns, month), viewer).filter(
        pl.col("unit_code") == unit_code
    )
    return rows.row(0, named=True) if rows.height else None


def channel_mix(snap: Snapshot, month: str, viewer: Viewer) -> pl.DataFrame:
    """channel, cases, multi_channel_cases: where the month's cases came in (tenant-wide)."""
    return _channels(snap.path, snap.mtime_ns, month)


def district_mix(snap: Snapshot, month: str, viewer: Viewer) -> pl.DataFrame:
    """district, status_group (resolved / open / closed), cases: the month's cases by
    kecamatan and their status on the as-of date (tenant-wide)."""
    return _districts(snap.path, snap.mtime_ns, month)


def officers_month(
    snap: Snapshot, month: str, viewer: Viewer, unit_code: str | None = None
) -> pl.DataFrame:
    frame = _scope(_officer_month(snap.path, snap.mtime_ns, month), viewer)
    return frame if unit_code is None else frame.filter(pl.col("unit_code") == unit_code)


def officer_directory(snap: Snapshot, viewer: Viewer) -> pl.DataFrame:
    return _scope(_officer_directory(snap.path, snap.mtime_ns), viewer)


def officer_postings(snap: Snapshot, nip: str, viewer: Viewer) -> pl.DataFrame:
    return _scope(_officer_postings(snap.path, snap.mtime_ns, nip), viewer)


def officer_history(snap: Snapshot, nip: str, viewer: Viewer) -> pl.DataFrame:
    return _scope(_officer_history(snap.path, snap.mtime_ns, nip), viewer)


def officer_cases(snap: Snapshot, nip: str, month: str, viewer: Viewer) -> pl.DataFrame:
    """The cases behind an officer-month (its holder_facts rows, by case): case fields,
    `facts` (the fact names, in FACTS order) and `fact_rows` (fact, met, wd, score, flag)."""
    if not officer_history(snap, nip, viewer).filter(pl.col("month") == month).height:
        return _officer_cases(snap.path, snap.mtime_ns, nip, month).clear()
    return _redact_cases(_officer_cases(snap.path, snap.mtime_ns, nip, month), viewer)


def case_events(snap: Snapshot, cases: pl.DataFrame, viewer: Viewer) -> pl.DataFrame:
    """The lifecycle events of the given cases (a frame from officer_cases)."""
    ids = tuple(sorted(cases["case_id"].to_list()))
    if not ids:
        return _case_events(snap.path, snap.mtime_ns, ("",)).clear()
    return _redact_events(_case_events(snap.path, snap.mtime_ns, ids), cases, viewer)


# --- one case: the case page (app_pages/kasus.py) ------------------------------------------
@st.cache_data(**CACHE)
def _case_detail(path: str, mtime_ns: int, case_id: str) -> dict[str, pl.DataFrame]:
    one = {"id": case_id}
    return {
        "case": _query(path, "SELECT * EXCLUDE (case_key) FROM cases WHERE case_id = $id", one),
        "members": _query(
            path,
            """
            SELECT source, source_id, channel, received_at, is_primary, match_evidence
            FROM case_members WHERE case_id = $id
            ORDER BY NOT is_primary, received_at, source, source_id
        """,
            one,
        ),
        "segments": _query(
            path,
            """
            SELECT segment_no, kind, start_at, next_start_at, unit_code, officer_nip,
                   response_end_at, response_end_type
            FROM segments WHERE case_id = $id ORDER BY segment_no
        """,
            one,
        ),
        "clocks": _query(
            path,
            """
            SELECT clock, segment_no, start_at, end_at, allowed_wd, paused_wd, elapsed_wd,
                   due_date, judged, met, due_month
            FROM clocks WHERE case_id = $id
            ORDER BY list_position(['forwarding', 'response', 'resolution'], clock),
                     segment_no
        """,
            one,
        ),
        # every unit the case passed through: an SKPD head may open it if one is theirs
        "units": _query(
            path,
            """
            SELECT unit_code FROM segments WHERE case_id = $id AND unit_code IS NOT NULL
            UNION SELECT unit_code FROM holder_facts
                  WHERE case_id = $id AND unit_code IS NOT NULL
            UNION SELECT unit_code FROM cases WHERE case_id = $id AND unit_code IS NOT NULL
        """,
            one,
        ),
    }


class CaseNotAllowed(Exception):
    """The viewer's units never held the case."""


def case_detail(snap: Snapshot, case_id: str, viewer: Viewer) -> dict[str, Any] | None:
    """One case for the case page: `case` (the cases row, redacted for the viewer),
    `members` (the complaints merged into it, by channel), `events` (its timeline),
    `segments` (who held it when) and `clocks` (each deadline: start, due date, paused and
    elapsed working days, met). None when there is no such case; CaseNotAllowed when the
    viewer's units never held it."""
    detail = _case_detail(snap.path, snap.mtime_ns, case_id)
    if detail["case"].is_empty():
        return None
    held_by = set(detail["units"]["unit_code"].to_list())
    if viewer.units is not None and not held_by & set(viewer.units):
        raise CaseNotAllowed(case_id)
    case = _redact_cases(detail["case"], viewer)
    events = _redact_events(_case_events(snap.path, snap.mtime_ns, (case_id,)), case, viewer)
    return {
        "case": case.row(0, named=True),
        "members": detail["members"],
        "events": events,
        "segments": detail["segments"],
        "clocks": detail["clocks"],
    }


# --- quality gates ---------------------------------------------------------------------------
# The gate writes its results to serving/quality.duckdb itself, blocked or not, so the app can
# say why a publication was blocked while it still serves the previous snapshot (which holds
# the results of the gate it passed, in its own quality_results table).
QUALITY_COLUMNS = """run, asset, "check", family, expectation, passed, observed, expected,
    failing_rows, rows_checked, failing_rows_sample, checked_at"""


@dataclass(frozen=True)
class Gate:
    """The latest quality gate: one row per expectation (`results`, failed ones first), read
    from `source`: `file` (serving/quality.duckdb) or `snapshot` (its quality_results)."""

    source: str
    path: str
    results: pl.DataFrame = field(compare=False)

    @property
    def run(self) -> str | None:
        return self.results["run"][0] if self.results.height else None

    @property
    def checked_at(self) -> Any:
        return self.results["checked_at"].max() if self.results.height else None

    @property
    def passed(self) -> bool:
        return bool(self.results["passed"].all())

    @property
    def failures(self) -> pl.DataFrame:
        return self.results.filter(~pl.col("passed"))

    @property
    def failed_checks(self) -> list[str]:
        return sorted(set(self.failures["check"].to_list()))

    def checks(self) -> pl.DataFrame:
        """check, passed, expectations, failed: one row per check, failed ones first."""
        return (
            self.results.group_by("check")
            .agg(
                pl.col("passed").all().alias("passed"),
                pl.len().alias("expectations"),
                (~pl.col("passed")).sum().alias("failed"),
            )
            .sort(["passed", "check"])
        )


def _quality_file() -> tuple[str, int] | None:
    """Path and modification time of $RAPOR_HOME/serving/quality.duckdb, if there is one."""
    try:
        path = Home.resolve().serving_dir / QUALITY_FILE
        return str(path), path.stat().st_mtime_ns
    except (HomeError, OSError):
        return None


@st.cache_data(**CACHE)
def _gate_file(path: str, mtime_ns: int) -> pl.DataFrame:
    return _query(
        path,
        f"SELECT {QUALITY_COLUMNS} FROM quality_results "
        'ORDER BY passed, "check", family, expectation',
    )


@st.cache_data(**CACHE)
def _gate_snapshot(path: str, mtime_ns: int) -> pl.DataFrame:
    # a snapshot published before the gate existed has no quality_results: no rows
    with duckdb.connect(path, read_only=True) as con:
        (present,) = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'quality_results'"
        ).fetchone()
        if not present:
            return pl.DataFrame()
        return con.sql(
            f"SELECT {QUALITY_COLUMNS} FROM quality_results "
            'ORDER BY passed, "check", family, expectation'
        ).pl()


def latest_gate(snap: Snapshot | None = None) -> Gate | None:
    """The latest quality gate: the gate's own file when there is one (it is newer than any
    snapshot, and written even when the gate blocked publication), else the results the
    snapshot `snap` carries; None when neither has any."""
    located = _quality_file()
    if located is not None:
        frame = _gate_file(*located)
        if frame.height:
            return Gate("file", located[0], frame)
    if snap is not None:
        frame = _gate_snapshot(snap.path, snap.mtime_ns)
        if frame.height:
            return Gate("snapshot", snap.path, frame)
    return None


@st.cache_data(**CACHE)
def _quarantine_counts(path: str, mtime_ns: int) -> pl.DataFrame:
    return _query(
        path,
        """
        SELECT source, input_table, reason_code, count(*) AS rows, min(run_id) AS run_id
        FROM quarantine
        GROUP BY ALL
        ORDER BY source, rows DESC, input_table, reason_code
    """,
    )


def quarantine_counts(snap: Snapshot, viewer: Viewer) -> pl.DataFrame:
    """source, input_table, reason_code, rows, run_id: the quarantined input rows of the
    served snapshot's run, counted per source and reason (counts only: no raw rows)."""
    return _quarantine_counts(snap.path, snap.mtime_ns)


@st.cache_data(**CACHE)
def _verdict_tables(path: str, mtime_ns: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    with duckdb.connect(path, read_only=True) as con:
        present = {
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_name IN ('verdict_agreement', 'source_verdicts')"
            ).fetchall()
        }
        if present != {"verdict_agreement", "source_verdicts"}:  # an older snapshot
            return pl.DataFrame(), pl.DataFrame()
        agreement = con.sql("SELECT * FROM verdict_agreement ORDER BY unit_code").pl()
        disagreeing = con.sql(
            "SELECT case_id, unit_code, month, deadline_basis, source_verdict, rapor_verdict "
            "FROM source_verdicts WHERE NOT agrees ORDER BY unit_code, case_id"
        ).pl()
    return agreement, disagreeing


def verdict_agreement(snap: Snapshot, viewer: Viewer) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A source's own on-time / overdue verdicts against rapor's, as published
    (verdict_agreement per unit; the disagreeing cases of source_verdicts), for the units
    the viewer may see. Both empty when no source gives a verdict (docs/sources.md)."""
    agreement, disagreeing = _verdict_tables(snap.path, snap.mtime_ns)
    if agreement.is_empty():
        return agreement, disagreeing
    return _scope(agreement, viewer), _scope(disagreeing, viewer)


# --- recommendations and flags (docs/flags.md), publications (docs/publications.md) -------
# Who may open which of these pages. The open mode's default viewer ("pimpinan", every unit)
# counts as leadership. An SKPD head gets the recommendations of their own unit only.
RECOMMENDATION_ROLES = ("leadership", "hr", "inspectorate", "skpd_head", "pimpinan")
INSPECTORATE_ROLES = ("leadership", "inspectorate", "pimpinan")
RECOMMENDATION_KINDS = ("reward_candidate", "coaching", "inspectorate_review")
# the officer_month measures the publication history compares, version by version
VERSION_MEASURES = (
    "received", "resolved", "response_due", "response_met", "response_rate",
    "resolution_due", "resolution_met", "resolution_rate", "resolution_wd_median",
    "resolution_wd_p90", "backlog_end", "overdue_backlog_end", "ratings_n",
    "satisfaction_mean", "satisfaction_shrunk", "reopen_rate", "observed_expected_ratio",
    "score", "rating", "predikat", "provisional",
)  # fmt: skip


def may_see_recommendations(viewer: Viewer) -> bool:
    return viewer.role in RECOMMENDATION_ROLES and viewer.units != ()


def may_see_inspectorate(viewer: Viewer) -> bool:
    return viewer.role in INSPECTORATE_ROLES and viewer.units is None


@st.cache_data(**CACHE)
def _recommendations(path: str, mtime_ns: int, month: str) -> pl.DataFrame:
    return _query(
        path,
        """
        WITH names AS (
            SELECT nip, arg_max(name, valid_from) AS officer_name FROM officers GROUP BY nip
        )
        SELECT r.month, r.officer_nip, n.officer_name, r.unit_code, r.kind, r.reasons,
               r.evidence_case_ids, r.evidence_cases
        FROM recommendations AS r
        LEFT JOIN names AS n ON n.nip = r.officer_nip
        WHERE r.month = $month
        ORDER BY list_position($kinds, r.kind), r.unit_code, n.officer_name, r.officer_nip
    """,
        {"month": month, "kinds": list(RECOMMENDATION_KINDS)},
    )


def recommendations(snap: Snapshot, month: str, viewer: Viewer) -> pl.DataFrame:
    """The `recommendations` rows of `month` with the officer's name, in the viewer's units
    (none for a viewer who may not see them): month, officer_nip, officer_name, unit_code,
    kind, reasons, evidence_case_ids, evidence_cases."""
    frame = _scope(_recommendations(snap.path, snap.mtime_ns, month), viewer)
    return frame if may_see_recommendations(viewer) else frame.clear()


@st.cache_data(**CACHE)
def _predikat_distribution(path: str, mtime_ns: int, month: str) -> pl.DataFrame:
    return _query(
        path,
        """
        SELECT month, unit_code, organisation_rating, predikat_list, limit_kind, limit_value,
               rated_officers, officers_in_rule, share, passed, provisional, detail
        FROM predikat_distribution
        WHERE month = $month
        ORDER BY passed, unit_code NULLS FIRST, predikat_list
    """,
        {"month": month},
    )


def predikat_distribution(snap: Snapshot, month: str, viewer: Viewer) -> pl.DataFrame:
    """The SE MenPANRB distribution rules judged for `month` (docs/predikat.md), broken ones
    first: the pemda-wide rows (unit_code NULL) only for viewers of every unit."""
    frame = _scope(_predikat_distribution(snap.path, snap.mtime_ns, month), viewer)
    return frame if may_see_recommendations(viewer) else frame.clear()


def recommendations_xlsx(frame: pl.DataFrame, headers: dict[str, str], sheet: str) -> bytes:
    """The recommendations frame as an Excel workbook (in memory, xlsxwriter): one sheet,
    one row per recommendation, the evidence case ids joined with ", "."""
    import io

    import xlsxwriter

    rows = frame.with_columns(pl.col("evidence_case_ids").list.join(", "))
    columns = [c for c in headers if c in rows.columns]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold, wrap = book.add_format({"bold": True}), book.add_format({"text_wrap": True})
    ws = book.add_worksheet(sheet[:31])
    for j, column in enumerate(columns):
        ws.write_string(0, j, headers[column], bold)
    for i, row in enumerate(rows.select(columns).iter_rows(), start=1):
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, int | float):
                ws.write_number(i, j, value)
            else:
                ws.write_string(i, j, str(value), wrap if columns[j] == "reasons" else None)
    widths = {"reasons": 80, "evidence_case_ids": 40, "officer_name": 30}
    for j, column in enumerate(columns):
        ws.set_column(j, j, widths.get(column, 18))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(rows.height, 1), max(len(columns) - 1, 0))
    book.close()
    return buffer.getvalue()


@st.cache_data(**CACHE)
def _flags(path: str, mtime_ns: int, month: str) -> pl.DataFrame:
    return _query(
        path,
        """
        SELECT f.month, f.case_id, f.officer_nip, f.unit_code, f.flag, f.detail,
               c.is_confidential
        FROM flags AS f
        LEFT JOIN cases AS c USING (case_id)
        WHERE f.month = $month
        ORDER BY f.flag, f.unit_code, f.officer_nip, f.case_id
    """,
        {"month": month},
    )


def flags(snap: Snapshot, month: str, viewer: Viewer) -> pl.DataFrame:
    """The `flags` rows of `month` (inspectorate and leadership only), a confidential
    case's quoted note redacted."""
    frame = _redact_flags(_scope(_flags(snap.path, snap.mtime_ns, month), viewer), viewer)
    return frame if may_see_inspectorate(viewer) else frame.clear()


def flag_counts(frame: pl.DataFrame) -> pl.DataFrame:
    """flag, cases, officers: per flag of a `flags` frame, most frequent first."""
    return (
        frame.group_by("flag")
        .agg(pl.len().alias("cases"), pl.col("officer_nip").n_unique().alias("officers"))
        .sort(["cases", "flag"], descending=[True, False])
    )


@st.cache_data(**CACHE)
def _publications(path: str, mtime_ns: int, month: str) -> pl.DataFrame:
    return _query(
        path,
        """
        SELECT version, published_at, supersedes, provisional, change_summary,
               input_fingerprint, policy_version, policy_hash, calendar_hash, code_version,
               snapshot_hash
        FROM publications
        WHERE month = $month
        ORDER BY version DESC
    """,
        {"month": month},
    )


def publications(snap: Snapshot, month: str, viewer: Viewer) -> pl.DataFrame:
    """The publication versions of `month`, newest first (inspectorate and leadership)."""
    frame = _publications(snap.path, snap.mtime_ns, month)
    return frame if may_see_inspectorate(viewer) else frame.clear()


@st.cache_data(**CACHE)
def _officer_versions(path: str, mtime_ns: int, month: str, nip: str) -> pl.DataFrame:
    measures = ", ".join(VERSION_MEASURES)
    return _query(
        path,
        f"""
        SELECT 'v' || version AS version, unit_code, {measures}
        FROM published_officer_month
        WHERE month = $month AND officer_nip = $nip
        UNION ALL BY NAME
        SELECT 'current' AS version, unit_code, {measures}
        FROM officer_month
        WHERE month = $month AND officer_nip = $nip
    """,
        {"month": month, "nip": nip},
    )


def officer_versions(snap: Snapshot, month: str, nip: str, viewer: Viewer) -> pl.DataFrame:
    """One officer's numbers of `month` as every publication version froze them, side by
    side with the current ones: a row per measure, a column per version (v1, v2, ...) and
    `current` (officer_month). Measures are shown as text so numbers and words fit."""
    if not may_see_inspectorate(viewer):
        return pl.DataFrame({"measure": []}, schema={"measure": pl.String})
    frame = _scope(_officer_versions(snap.path, snap.mtime_ns, month, nip), viewer)
    if frame.is_empty():
        return pl.DataFrame({"measure": []}, schema={"measure": pl.String})
    order = sorted(
        (v for v in frame["version"].unique().to_list() if v != "current"),
        key=lambda v: int(v[1:]),
    ) + (["current"] if "current" in frame["version"].to_list() else [])
    columns = ["unit_code", *VERSION_MEASURES]
    text = frame.select(
        "version",
        *[
            pl.col(c).round(4).cast(pl.String) if frame.schema[c].is_float()
            else pl.col(c).cast(pl.String)
            for c in columns
        ],
    )  # fmt: skip
    rows = {row["version"]: row for row in text.iter_rows(named=True)}
    return pl.DataFrame(
        {"measure": columns, **{v: [rows[v][c] for c in columns] for v in order}},
        schema={"measure": pl.String, **{v: pl.String for v in order}},
    )
