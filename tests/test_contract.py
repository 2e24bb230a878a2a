"""docs/contract.md, the data contract shipped with rapor, says what the code does: the
canonical input columns (and which are required), the channels, complaint classes and event
types staging accepts, and the output tables and columns the published snapshot holds."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from assets.readers import TABLES
from pipelines.home import Home
from pipelines.mappings import EVENT_TYPES
from pipelines.quality import CHANNELS

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
STAGING = (ROOT / "sql" / "stg_complaints.sql").read_text(encoding="utf-8")


def input_table(name: str) -> list[tuple[list[str], str, str]]:
    """The rows of the contract's table for input `name` (section 1.1): (column names,
    type, notes); a row may name several columns ("lat, lon")."""
    body = CONTRACT.split(f"`{name}`", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("column", "---"):
            continue
        rows.append(([c.strip() for c in cells[0].split(",")], cells[1], cells[2]))
    return rows


def notes_of(table: str, column: str) -> list[str]:
    (notes,) = [n for names, _, n in input_table(table) if column in names]
    return [v.strip() for v in re.sub(r"\(.*?\)", "", notes).split(",")]


def sql_list(after: str) -> list[str]:
    """The quoted values of the `NOT IN (...)` list that follows `after` in staging."""
    values = re.search(re.escape(after) + r"\s+NOT IN \(([^)]*)\)", STAGING)
    assert values, after
    return re.findall(r"'([^']+)'", values[1])


def test_the_canonical_input_columns_are_the_readers():
    for table in ("complaints", "events", "ratings"):
        rows = input_table(table)
        columns = [c for names, _, _ in rows for c in names]
        required = [c for names, kind, _ in rows if "required" in kind for c in names]
        assert sorted(columns) == sorted(TABLES[table][0]), table
        assert sorted(required) == sorted(TABLES[table][1]), table


def test_channels_classes_and_event_types_are_what_staging_accepts():
    channels = notes_of("complaints", "channel")
    assert channels == list(CHANNELS) == sql_list("channel_t")
    classes = [c.split()[0] for c in notes_of("complaints", "complaint_class")]
    assert classes == sql_list("class_t")
    assert notes_of("events", "event_type") == list(EVENT_TYPES)


def output_tables() -> dict[str, list[str]]:
    """Section 2: each output table and the columns it must hold. The contract names them
    in prose: the list runs to the first full stop, after the colon of a description
    ("one row per deduplicated case: ..."); a parenthesis explains; words of one name are
    joined ("row number" is row_number, "final unit_code" is unit_code)."""
    section = CONTRACT.split("## 2. Outputs", 1)[1].split("## 3.", 1)[0]
    out = {}
    for item in re.split(r"\n- ", section)[1:]:
        name, text = re.match(r"`(\w+)`: (.*)", item, re.S).groups()
        text = re.sub(r"\([^)]*\)", "", " ".join(text.split())).split(". ", 1)[0]
        text = text.split(": ", 1)[-1].rstrip(".")
        if name == "unit_month":  # "the same measures per tenant, ..., plus forwarding_due"
            text = text.replace("the same measures per ", "").replace("plus ", "")
            text = text.replace(" for the admin clock", "")
        phrases = [p.split() for p in text.split(",")]
        out[name] = ["_".join(w[1:] if w[0] == "final" else w) for w in phrases if w]
    return out


def test_the_published_snapshot_holds_every_contract_output(demo_home):
    tables = output_tables()
    assert set(tables) == {"cases", "officer_month", "unit_month", "recommendations", "flags",
                           "quality_results", "quarantine", "publications"}  # fmt: skip
    con = duckdb.connect(str(Home(demo_home).snapshot_path), read_only=True)
    try:
        for table, required in tables.items():
            have = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
            expected = set(required)
            if table == "unit_month":  # the same measures as officer_month, per unit
                expected |= set(tables["officer_month"]) - {"officer_nip"}
            assert not expected - have, (table, sorted(expected - have))
    finally:
        con.close()


def test_the_docs_link_the_shipped_contract_and_it_is_the_shared_spec():
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    outside = [p.name for p in docs if "shared/spec/contract.md" in p.read_text("utf-8")]
    assert outside == [], "link docs/contract.md, not a path outside the repository"
    spec = ROOT.parent / "shared" / "spec" / "contract.md"
    if spec.exists():  # the project's own copy says what the spec says, word for word
        shipped = CONTRACT.split("-->\n\n", 1)[1]
        assert shipped == spec.read_text(encoding="utf-8")
