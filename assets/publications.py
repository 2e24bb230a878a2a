"""Frozen, versioned publications of every month (docs/publications.md).

A month's publication is its rows of officer_month, unit_month, tenant_month,
recommendations, predikat_distribution and flags, frozen under a version number with the
fingerprints of what made them. A new version is appended only when the month's numbers
(snapshot hash), the policy or the calendar changed; nothing is ever updated or deleted,
so every old version stays readable.
"""

import datetime as dt
import hashlib
from importlib.metadata import version as package_version

import dagster as dg

from assets.common import WAREHOUSE_POOL
from pipelines.resources import RaporHome
from pipelines.warehouse import run_sql

# month table -> (frozen copy, the columns that name one row of a month)
MONTH_TABLES = {
    "officer_month": ("published_officer_month", ("officer_nip", "unit_code")),
    "unit_month": ("published_unit_month", ("unit_code",)),
    "tenant_month": ("published_tenant_month", ()),
    # what HR was told, with its reasons and evidence: a decision cites a version
    "recommendations": ("published_recommendations", ("officer_nip", "kind")),
    # the pola distribusi warnings HR saw beside the predikat (unit_code NULL: the pemda)
    "predikat_distribution": (
        "published_predikat_distribution",
        ("unit_code", "organisation_rating", "predikat_list", "limit_kind"),
    ),
    # what the inspectorate was pointed at
    "flags": ("published_flags", ("case_id", "flag", "officer_nip", "detail")),
}
LABELS = {"officer_month": "ASN", "unit_month": "SKPD", "tenant_month": "pemda",
          "recommendations": "rekomendasi", "predikat_distribution": "pola distribusi",
          "flags": "tanda"}  # fmt: skip
MAX_EXAMPLES = 5  # input rows named per kind of change in a change summary
MAX_MOVES = 20  # rows whose moved numbers a change summary spells out
WINDOW_MONTHS = 12  # the trailing means of sql/month_measures.sql: the month and 11 before


def canonical(value) -> str:
    """One value as stable text: doubles rounded to 9 decimals (a last-bit difference of a
    parallel sum must not make a new version), NULL as an empty field."""
    if value is None:
        return ""
    if isinstance(value, float):
        rounded = round(value, 9)
        return repr(0.0 if rounded == 0 else rounded)
    return str(value)


def month_rows(con, table: str, month: str, source: str | None = None, version=None):
    """(columns, rows sorted canonically) of one month of a month table or its frozen copy."""
    if source is None:
        cur = con.execute(f"SELECT * FROM {table} WHERE month = $m", {"m": month})
    else:
        cur = con.execute(
            f"SELECT * EXCLUDE (version) FROM {source} WHERE month = $m AND version = $v",
            {"m": month, "v": version},
        )
    columns = [d[0] for d in cur.description]
    rows = cur.fetchall()
    rows.sort(key=lambda r: [canonical(v) for v in r])
    return columns, rows


def snapshot_hash(con, month: str) -> str:
    """SHA-256 of the month's published rows: each table's name, columns and rows in
    canonical order and format. Run ids and timestamps are not in these tables."""
    digest = hashlib.sha256()
    for table in MONTH_TABLES:
        columns, rows = month_rows(con, table, month)
        digest.update(f"#{table}\x1e{'|'.join(columns)}\n".encode())
        for row in rows:
            digest.update(("\x1f".join(canonical(v) for v in row) + "\n").encode())
    return digest.hexdigest()


def _keyed(columns, rows, key_cols) -> dict:
    at = [columns.index(c) for c in key_cols]
    return {tuple(r[i] for i in at): dict(zip(columns, r, strict=True)) for r in rows}


def moved_numbers(con, month: str, previous: int) -> list[str]:
    """For each officer, unit and the tenant whose numbers differ from version `previous`:
    which measure moved from what to what."""
    lines = []
    for table, (frozen, key_cols) in MONTH_TABLES.items():
        columns, rows = month_rows(con, table, month)
        old_columns, old_rows = month_rows(con, table, month, frozen, previous)
        new, old = _keyed(columns, rows, key_cols), _keyed(old_columns, old_rows, key_cols)
        for key in sorted(new.keys() | old.keys(), key=lambda k: [canonical(v) for v in k]):
            who = f"{LABELS[table]} {' '.join(canonical(v) or '-' for v in key)}".strip()
            if key not in old:
                lines.append(f"{who}: baris baru")
                continue
            if key not in new:
                lines.append(f"{who}: baris dihapus")
                continue
            changes = [
                f"{c} {canonical(old[key].get(c)) or 'kosong'} → {canonical(v) or 'kosong'}"
                for c, v in new[key].items()
                if canonical(v) != canonical(old[key].get(c))
            ]
            if changes:
                lines.append(f"{who}: " + ", ".join(changes))
    return lines


def _input_rows(con, month: str, version: int | None = None) -> dict[str, tuple]:
    if version is None:
        query = (
            "SELECT row_hash, input_table, source, file, row_number, detail "
            "FROM publication_input_rows WHERE month = $m"
        )
        params = {"m": month}
    else:
        query = (
            "SELECT row_hash, input_table, source, file, row_number, detail "
            "FROM publication_inputs WHERE month = $m AND version = $v"
        )
        params = {"m": month, "v": version}
    return {r[0]: r[1:] for r in con.execute(query, params).fetchall()}


def _row_label(row: tuple) -> str:
    table, source, file, row_number, detail = row
    return f"{table} {source}/{file} baris {row_number} ({detail})"


def input_changes(old: dict, new: dict) -> list[str]:
    """The input rows that came or went between two versions, counted, with examples."""
    lines = []
    for hashes, rows, what in (
        (new.keys() - old.keys(), new, "baris input baru atau berubah"),
        (old.keys() - new.keys(), old, "baris input yang tidak ada lagi atau berubah"),
    ):
        if hashes:
            labels = sorted(_row_label(rows[h]) for h in hashes)
            extra = len(labels) - MAX_EXAMPLES
            more = f"; dan {extra} lainnya" if extra > 0 else ""
            lines.append(f"{len(labels)} {what}: " + "; ".join(labels[:MAX_EXAMPLES]) + more)
    return lines


def input_fingerprint(rows: dict, reference_hash: str) -> str:
    """SHA-256 over the sorted content hashes of the month's input rows and the reference
    data's hash: equal fingerprints mean the same inputs, wherever they were read from."""
    return hashlib.sha256((",".join(sorted(rows)) + "|" + reference_hash).encode()).hexdigest()


def window_fingerprint(prints: dict[str, str], month: str) -> str:
    """SHA-256 over the fingerprints (`publication_month_prints`) of the input rows of the
    cases that ended in the 11 months before `month`: what its trailing 12-month means
    (tenant satisfaction, resolution rate per category) read besides its own rows."""
    year, number = map(int, month.split("-"))
    at = year * 12 + number - 1
    back = [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(at - WINDOW_MONTHS + 1, at)]
    text = ",".join(f"{m}:{prints[m]}" for m in back if m in prints)
    return hashlib.sha256(text.encode()).hexdigest()


def causes(previous: dict, now: dict, inputs: dict, old_inputs: dict, provisional) -> list[str]:
    """Why a month's version differs from the previous one: each cause named only if its
    own fingerprint differs from the one the previous version recorded."""
    reasons = []
    if now["policy_hash"] != previous["policy_hash"]:
        versions = (
            f"versi {previous['policy_version']} → {now['policy_version']}"
            if previous["policy_version"] != now["policy_version"]
            else f"versi tetap {now['policy_version']}, isinya berubah"
        )
        reasons.append(
            f"kebijakan berubah ({versions}; "
            f"policy_hash {previous['policy_hash'][:12]} → {now['policy_hash'][:12]})"
        )
    if now["calendar_hash"] != previous["calendar_hash"]:
        reasons.append("kalender hari kerja berubah")
    if now["reference_hash"] != previous["reference_hash"]:
        reasons.append(
            "data referensi (unit, pegawai, penilaian perilaku/organisasi atau tautan kasus) "
            "berubah"
        )
    reasons += input_changes(old_inputs, inputs)
    # NULL in versions made before these were recorded: then they cannot be compared
    if previous["window_fingerprint"] not in (None, now["window_fingerprint"]):
        reasons.append(
            "input kasus yang berakhir dalam 11 bulan sebelumnya berubah (dipakai rata-rata "
            "12 bulan terakhir: kepuasan pemda dan tingkat penyelesaian per kategori)"
        )
    # the cut-off moves a month only while its windows are open (provisional)
    if previous["as_of_date"] not in (None, now["as_of_date"]) and (
        previous["provisional"] or provisional
    ):
        reasons.append(
            f"tanggal batas data (as_of) berubah ({previous['as_of_date']} → "
            f"{now['as_of_date']}), jendela bulan yang masih sementara ikut bergeser"
        )
    if now["code_version"] != previous["code_version"]:
        reasons.append(f"versi kode berubah ({previous['code_version']} → {now['code_version']})")
    if not reasons:
        reasons.append(
            f"tidak dapat dipastikan: versi {previous['version']} dibuat sebelum rapor mencatat "
            "batas data dan input bulan-bulan sebelumnya"
            if previous["window_fingerprint"] is None or previous["as_of_date"] is None
            else "cara hitung atau susunan kolom berubah (input, kebijakan, kalender, data "
            "referensi, batas data dan versi kode sama)"
        )
    return reasons


def change_summary(con, month, previous, now, inputs, old_inputs, provisional) -> str:
    """Human-readable (Bahasa Indonesia): what moved and why, against the previous version."""
    note = " Bulan ini masih sementara (provisional): angkanya dapat berubah." * provisional
    if previous is None:
        return f"Publikasi pertama bulan {month}.{note}"
    reasons = causes(previous, now, inputs, old_inputs, provisional)
    moved = moved_numbers(con, month, previous["version"])
    shown = moved[:MAX_MOVES] + (
        [f"dan {len(moved) - MAX_MOVES} baris lainnya"] if len(moved) > MAX_MOVES else []
    )
    return (
        f"Versi {previous['version'] + 1} menggantikan versi {previous['version']} bulan {month}."
        f"{note} Angka yang berubah: "
        + ("; ".join(shown) if shown else "tidak ada")
        + ". Sebab: "
        + ("; ".join(reasons) if reasons else "tidak diketahui")
        + "."
    )


PUBLICATION_COLUMNS = (
    "tenant", "month", "version", "published_at", "input_fingerprint", "policy_version",
    "policy_hash", "calendar_hash", "code_version", "snapshot_hash", "supersedes",
    "change_summary", "provisional", "reference_hash", "input_rows", "run_id", "as_of_date",
    "window_fingerprint",
)  # fmt: skip


def _latest(con, tenant: str, month: str) -> dict | None:
    cur = con.execute(
        f"SELECT {', '.join(PUBLICATION_COLUMNS)} FROM publications "
        "WHERE tenant = $t AND month = $m ORDER BY version DESC LIMIT 1",
        {"t": tenant, "m": month},
    )
    rows = cur.fetchall()
    return dict(zip(PUBLICATION_COLUMNS, rows[0], strict=True)) if rows else None


def _add_new_columns(con) -> None:
    """Give the frozen copies any column a month table gained since they were created
    (older versions hold NULL there); existing rows are never changed otherwise."""
    for table, (frozen, _) in MONTH_TABLES.items():
        missing = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns AS c "
            "WHERE table_name = $t AND NOT EXISTS (SELECT 1 FROM information_schema.columns "
            "WHERE table_name = $f AND column_name = c.column_name) ORDER BY ordinal_position",
            {"t": table, "f": frozen},
        ).fetchall()
        for column, data_type in missing:  # names and types from the catalog, not values
            con.execute(f'ALTER TABLE {frozen} ADD COLUMN "{column}" {data_type}')


def _month_inputs(con, reference_hash: str) -> dict[str, tuple[str, int]]:
    """month -> (input fingerprint, number of distinct input rows), computed in the
    warehouse for every month at once: `input_fingerprint` and the length of
    `_input_rows`, without fetching the rows (hex digests sort the same in both)."""
    return {
        month: (fingerprint, rows)
        for month, fingerprint, rows in con.execute(
            "SELECT month, sha256(string_agg(DISTINCT row_hash, ',' ORDER BY row_hash) "
            "|| '|' || $ref), count(DISTINCT row_hash) "
            "FROM publication_input_rows GROUP BY month",
            {"ref": reference_hash},
        ).fetchall()
    }


def publish_months(con, tenant: str, policy, run_id: str | None, as_of: dt.date) -> list:
    """Append a version for every month (up to the month of `as_of`, the data cut-off)
    whose numbers, policy or calendar differ from its newest version. Returns
    [(month, version, provisional)].

    A month whose numbers did not move costs its snapshot hash only: its input rows are
    read into Python only for a change summary (a month that had a version before). Every
    new version of the run is written in one transaction (publications, publication_inputs
    and each frozen table with one INSERT each), so the versions of one run appear
    together or not at all."""
    as_of_month = as_of.strftime("%Y-%m")
    run_sql(con, "publication_tables")
    run_sql(con, "publication_inputs")
    reference_hash, calendar_hash = con.execute(
        "SELECT reference_hash, calendar_hash FROM publication_reference"
    ).fetchall()[0]
    prints = dict(con.execute("SELECT month, print FROM publication_month_prints").fetchall())
    months = [
        m
        for (m,) in con.execute(
            "SELECT DISTINCT month FROM tenant_month WHERE month <= $m "
            "UNION SELECT DISTINCT month FROM unit_month WHERE month <= $m "
            "UNION SELECT DISTINCT month FROM officer_month WHERE month <= $m ORDER BY 1",
            {"m": as_of_month},
        ).fetchall()
    ]
    _add_new_columns(con)
    month_inputs = _month_inputs(con, reference_hash)
    no_inputs = (input_fingerprint({}, reference_hash), 0)
    provisional_months = dict(
        con.execute(
            "SELECT month, coalesce(bool_or(provisional), false) FROM ("
            "SELECT month, provisional FROM tenant_month UNION ALL "
            "SELECT month, provisional FROM unit_month UNION ALL "
            "SELECT month, provisional FROM officer_month) GROUP BY month"
        ).fetchall()
    )
    published_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows, made = [], []
    for month in months:
        previous = _latest(con, tenant, month)
        now = {
            "tenant": tenant,
            "month": month,
            "snapshot_hash": snapshot_hash(con, month),
            "policy_version": policy.version,
            "policy_hash": policy.hash,
            "calendar_hash": calendar_hash,
            "reference_hash": reference_hash,
            "code_version": package_version("rapor"),
            "as_of_date": as_of,
            "window_fingerprint": window_fingerprint(prints, month),
        }
        if previous is not None and all(
            previous[k] == now[k] for k in ("snapshot_hash", "policy_hash", "calendar_hash")
        ):
            continue
        provisional = bool(provisional_months.get(month, False))
        version = 1 if previous is None else previous["version"] + 1
        fingerprint, input_rows = month_inputs.get(month, no_inputs)
        if previous is None:
            summary = change_summary(con, month, None, now, {}, {}, provisional)
        else:
            summary = change_summary(
                con, month, previous, now, _input_rows(con, month),
                _input_rows(con, month, previous["version"]), provisional,
            )  # fmt: skip
        rows.append({
            **now,
            "version": version,
            "published_at": published_at,
            "input_fingerprint": fingerprint,
            "supersedes": None if previous is None else previous["version"],
            "change_summary": summary,
            "provisional": provisional,
            "input_rows": input_rows,
            "run_id": run_id,
        })  # fmt: skip
        made.append((month, version, provisional))
    if rows:
        _append_versions(con, tenant, rows)
    return made


def _append_versions(con, tenant: str, rows: list[dict]) -> None:
    """The new versions, in one transaction: their publications rows, input rows and
    frozen month rows (each table with one INSERT over the months published)."""
    made = {"m": [r["month"] for r in rows], "v": [r["version"] for r in rows]}
    con.execute("BEGIN TRANSACTION")
    try:
        con.executemany(
            f"INSERT INTO publications ({', '.join(PUBLICATION_COLUMNS)}) VALUES ("
            + ", ".join(f"${c}" for c in PUBLICATION_COLUMNS)
            + ")",
            [{c: r[c] for c in PUBLICATION_COLUMNS} for r in rows],
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE publication_made AS "
            "SELECT unnest($m::VARCHAR[]) AS month, unnest($v::INTEGER[]) AS version",
            made,
        )
        con.execute(
            "INSERT INTO publication_inputs SELECT $t, i.month, p.version, i.input_table, "
            "i.source, i.file, i.row_number, i.row_hash, i.detail "
            "FROM publication_input_rows AS i JOIN publication_made AS p USING (month)",
            {"t": tenant},
        )
        for table, (frozen, _) in MONTH_TABLES.items():
            con.execute(
                f"INSERT INTO {frozen} BY NAME SELECT p.version, t.* "
                f"FROM {table} AS t JOIN publication_made AS p USING (month)"
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


@dg.asset(
    group_name="publish",
    deps=["officer_month", "unit_month", "tenant_month", "recommendations"],
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
)
def publications(context: dg.AssetExecutionContext, rapor: RaporHome) -> dg.MaterializeResult:
    """The append-only publication history: one row per (tenant, month, version) in
    `publications` with the fingerprints of its inputs, policy, calendar and code, its
    snapshot hash and change summary; each version's month rows frozen in
    `published_officer_month`, `published_unit_month`, `published_tenant_month`,
    `published_recommendations`, `published_predikat_distribution` and `published_flags`;
    and the content hashes of its input rows in `publication_inputs`. A month gets a new
    version only when its numbers, the policy or the calendar changed."""
    tenant = rapor.home.tenant.code
    with rapor.warehouse() as con:
        made = publish_months(con, tenant, rapor.policy(), context.run.run_id, rapor.as_of_date())
        total = con.execute(
            "SELECT count(*) FROM publications WHERE tenant = $t", {"t": tenant}
        ).fetchall()[0][0]
    for month, version, provisional in made:
        context.log.info(
            f"published {month} version {version}" + (" (provisional)" if provisional else "")
        )
    return dg.MaterializeResult(
        metadata={
            "new_versions": ", ".join(f"{m} v{v}" for m, v, _ in made) or "none",
            "versions_total": total,
        }
    )
