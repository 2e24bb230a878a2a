"""What the cross-channel merge did, on any home: merged complaints by rule and samples of
merged pairs to review (`review`); and how well it did on a demo city: pairwise precision
and recall of `case_members` (published snapshot) against the generator's known truth
(`demo_truth/duplicates.csv`), with example false and missed merges and their evidence
(`evaluate`).

A pair of complaints is *predicted* the same when both are members of one case (same
case_key), and *truly* the same when the truth gives both the same complaint_key. Only
complaints that were staged (not quarantined) and are listed in the truth are compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from pipelines.home import Home

TRUTH_FILE = Path("demo_truth") / "duplicates.csv"


class MergeEvalError(ValueError):
    """A home that cannot be evaluated (no truth file, no snapshot); the message says why."""


@dataclass(frozen=True)
class Member:
    case_id: str  # source:source_id of the complaint
    channel: str
    received_at: dt.datetime
    case_of: str  # the case it was put in (case_id of the primary)
    evidence: str | None
    title: str | None = None


@dataclass(frozen=True)
class PairExample:
    a: Member
    b: Member


@dataclass
class MergeReport:
    complaints: int  # staged complaints that the truth lists, the ones compared
    unlisted: int  # staged complaints the truth does not list (0 for an untouched demo)
    true_positives: int  # pairs merged that are the same complaint
    false_positives: int  # pairs merged that are not
    false_negatives: int  # pairs of the same complaint left in different cases
    false_merges: list[PairExample] = field(default_factory=list)
    missed_merges: list[PairExample] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        merged = self.true_positives + self.false_positives
        return self.true_positives / merged if merged else None

    @property
    def recall(self) -> float | None:
        same = self.true_positives + self.false_negatives
        return self.true_positives / same if same else None

    def summary_line(self) -> str:
        return (
            f"precision {_fmt(self.precision)}, recall {_fmt(self.recall)} "
            f"({self.true_positives:,} pairs right, {self.false_positives:,} wrongly merged, "
            f"{self.false_negatives:,} missed)"
        )

    def render(self) -> str:
        lines = [
            f"  complaints compared {self.complaints:>9,}  (staged and listed in the truth"
            + (f"; {self.unlisted:,} staged but not listed" if self.unlisted else "")
            + ")",
            f"  precision           {_fmt(self.precision):>9}  pairs merged that are one complaint",
            f"  recall              {_fmt(self.recall):>9}  pairs of one complaint that merged",
            f"  true positives      {self.true_positives:>9,}  pairs merged, rightly",
            f"  false positives     {self.false_positives:>9,}  pairs merged, wrongly",
            f"  false negatives     {self.false_negatives:>9,}  pairs of one complaint not merged",
        ]
        for title, examples, total in (
            ("False merges", self.false_merges, self.false_positives),
            ("Missed merges", self.missed_merges, self.false_negatives),
        ):
            if not total:
                continue
            lines.append(f"\n{title} ({len(examples)} of {total:,} pairs):")
            for ex in examples:
                for tag, m in (("a", ex.a), ("b", ex.b)):
                    lines.append(
                        f"  {tag}  {m.case_id}  {m.channel}, {m.received_at:%Y-%m-%d %H:%M}, "
                        f"in case {m.case_of}"
                    )
                    if m.title:
                        lines.append(f"       title: {m.title}")
                    lines.append(f"       evidence: {m.evidence or '(none: a case of its own)'}")
                lines.append("")
        return "\n".join(lines).rstrip()


RULES = {"reporter": "reporter rule", "text": "text rule", "link": "reviewer's link"}


@dataclass
class MergeReview:
    complaints: int  # staged complaints (members of a case)
    cases: int
    merged_cases: int  # cases of more than one complaint
    by_rule: dict[str, int]  # merged complaints (not primary) by the rule of their shown link
    unlinked: int  # complaints a reviewer unlinked
    samples: dict[str, list[PairExample]] = field(default_factory=dict)

    def render(self) -> str:
        merged = sum(self.by_rule.values())
        lines = [
            f"  complaints          {self.complaints:>9,}",
            f"  cases               {self.cases:>9,}  ({self.merged_cases:,} of more than one "
            f"complaint; {merged:,} complaints merged into another's case)",
            "  merged complaints by the link shown in their evidence:",
        ]
        for rule, label in RULES.items():
            lines.append(f"    {label:<17} {self.by_rule.get(rule, 0):>9,}")
        if self.unlinked:
            lines.append(f"  unlinked by a reviewer {self.unlinked:>6,}")
        for rule, examples in self.samples.items():
            if not examples:
                continue
            lines.append(
                f"\nSample of the {RULES[rule]}'s merged pairs to review "
                f"({len(examples)} of {self.by_rule.get(rule, 0):,}):"
            )
            for ex in examples:
                for tag, m in (("a", ex.a), ("b", ex.b)):
                    lines.append(
                        f"  {tag}  {m.case_id}  {m.channel}, {m.received_at:%Y-%m-%d %H:%M}"
                    )
                    lines.append(f"       title: {m.title if m.title else '(none)'}")
                lines.append(f"       evidence: {ex.a.evidence or '(none)'}")
                lines.append("")
        return "\n".join(lines).rstrip()


def _open_snapshot(home: Home) -> duckdb.DuckDBPyConnection:
    """A connection with `home`'s published snapshot attached read-only as `snap`."""
    if not home.snapshot_path.exists():
        raise MergeEvalError(f"no published snapshot at {home.snapshot_path}: run rapor first")
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("ATTACH $p AS snap (READ_ONLY)", {"p": str(home.snapshot_path)})
    return con


def review(home: Home | Path, examples: int = 5) -> MergeReview:
    """Counts of the merge published in `home`'s snapshot by rule, and a sample of each
    rule's merged pairs (a merged complaint and the one its evidence names), spread over
    the data by a hash of the complaint, for a reviewer to judge by eye."""
    home = home if isinstance(home, Home) else Home(Path(home))
    con = _open_snapshot(home)
    try:
        columns = {r[0] for r in con.execute("DESCRIBE snap.case_members").fetchall()}
        if not {"match_rule", "match_with"} <= columns:
            raise MergeEvalError(
                "the published snapshot predates the merge's match columns: run rapor again"
            )
        complaints, cases, merged_cases, unlinked = con.execute(
            """SELECT count(*), count(DISTINCT case_key),
                      count(DISTINCT case_key) FILTER (WHERE member_count > 1),
                      count(*) FILTER (WHERE match_rule = 'unlink' AND member_count = 1)
               FROM snap.case_members"""
        ).fetchone()
        by_rule = dict(
            con.execute(
                """SELECT match_rule, count(*) FROM snap.case_members
                   WHERE NOT is_primary AND match_rule IS NOT NULL GROUP BY ALL"""
            ).fetchall()
        )
        samples: dict[str, list[PairExample]] = {}
        for rule in RULES:
            rows = con.execute(
                """SELECT m.source || ':' || m.source_id, m.channel, m.received_at, m.case_id,
                          m.match_evidence, o.source || ':' || o.source_id, o.channel,
                          o.received_at, o.case_id, o.match_evidence
                   FROM snap.case_members AS m
                   JOIN snap.case_members AS o ON o.source || ':' || o.source_id = m.match_with
                   WHERE NOT m.is_primary AND m.match_rule = $rule
                   ORDER BY hash(m.complaint_key), m.complaint_key
                   LIMIT $n""",
                {"rule": rule, "n": examples},
            ).fetchall()
            samples[rule] = [
                PairExample(
                    Member(r[0], r[1], r[2], r[3], r[4]), Member(r[5], r[6], r[7], r[8], r[9])
                )
                for r in rows
            ]
    finally:
        con.close()
    titles = _titles(
        home, [m.case_id for exs in samples.values() for ex in exs for m in (ex.a, ex.b)]
    )
    for rule, exs in samples.items():
        samples[rule] = [
            PairExample(*(replace(m, title=titles.get(m.case_id)) for m in (ex.a, ex.b)))
            for ex in exs
        ]
    return MergeReview(complaints, cases, merged_cases, by_rule, unlinked, samples)


def has_truth(home: Home) -> bool:
    return (home.root / TRUTH_FILE).exists()


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.4f}"


def evaluate(home: Home | Path, examples: int = 5) -> MergeReport:
    """Precision, recall and example mistakes of the merge published in `home`'s snapshot."""
    home = home if isinstance(home, Home) else Home(Path(home))
    truth = home.root / TRUTH_FILE
    if not truth.exists():
        raise MergeEvalError(f"no {truth}: only a demo city (rapor demo) has a known truth")
    con = _open_snapshot(home)
    try:
        con.execute(
            "CREATE TEMP TABLE truth AS SELECT source, source_id, complaint_key AS truth_key "
            "FROM read_csv($p, all_varchar = true)",
            {"p": str(truth)},
        )
        con.execute(
            """CREATE TEMP TABLE judged AS
               SELECT m.*, t.truth_key
               FROM snap.case_members AS m JOIN truth AS t USING (source, source_id)"""
        )
        complaints, staged = con.execute(
            "SELECT (SELECT count(*) FROM judged), (SELECT count(*) FROM snap.case_members)"
        ).fetchone()

        def pairs(by: str) -> int:
            return con.execute(
                f"SELECT coalesce(sum(n * (n - 1) // 2), 0) FROM "
                f"(SELECT count(*) AS n FROM judged GROUP BY {by})"
            ).fetchone()[0]

        merged, same, right = pairs("case_key"), pairs("truth_key"), pairs("case_key, truth_key")
        report = MergeReport(
            complaints=complaints,
            unlisted=staged - complaints,
            true_positives=right,
            false_positives=merged - right,
            false_negatives=same - right,
        )
        false_merges = _examples(con, "case_key", "truth_key", examples)
        missed_merges = _examples(con, "truth_key", "case_key", examples)
    finally:
        con.close()
    titles = _titles(home, [m.case_id for ex in false_merges + missed_merges for m in (ex.a, ex.b)])

    def titled(ex: PairExample) -> PairExample:
        return PairExample(*(replace(m, title=titles.get(m.case_id)) for m in (ex.a, ex.b)))

    report.false_merges = [titled(ex) for ex in false_merges]
    report.missed_merges = [titled(ex) for ex in missed_merges]
    return report


def _examples(con, same: str, differ: str, limit: int) -> list[PairExample]:
    """Pairs alike in `same` but not in `differ`, the earliest cases first."""
    rows = con.execute(
        f"""SELECT a.case_id, a.source || ':' || a.source_id, a.channel, a.received_at,
                   a.match_evidence, b.case_id, b.source || ':' || b.source_id, b.channel,
                   b.received_at, b.match_evidence
            FROM judged AS a
            JOIN judged AS b
                ON a.{same} = b.{same} AND a.{differ} <> b.{differ}
                AND a.complaint_key < b.complaint_key
            ORDER BY least(a.received_at, b.received_at), a.complaint_key, b.complaint_key
            LIMIT $n""",
        {"n": limit},
    ).fetchall()
    out = []
    for row in rows:
        a = Member(row[1], row[2], row[3], row[0], row[4])
        b = Member(row[6], row[7], row[8], row[5], row[9])
        out.append(PairExample(a, b))
    return out


def _titles(home: Home, ids: list[str]) -> dict[str, str]:
    """Titles of these complaints (source:source_id) from the warehouse (the snapshot holds
    only the primaries'); none when the warehouse cannot be opened (a run is writing it)."""
    if not ids:
        return {}
    try:
        con = duckdb.connect(str(home.warehouse_path), read_only=True)
    except duckdb.Error:
        return {}
    try:
        rows = con.execute(
            "SELECT source || ':' || source_id AS id, title FROM stg_complaints "
            "WHERE list_contains($ids, id) AND title IS NOT NULL",
            {"ids": ids},
        ).fetchall()
        return dict(rows)
    except duckdb.Error:
        return {}
    finally:
        con.close()
