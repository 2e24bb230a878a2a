"""Confidentiality follows the complaint, not the case (docs/access.md, docs/merging.md).

A hand-made source s2 on a copy of Kota Uji, through the real pipeline: a rahasia complaint
(K2) merged by its reporter into a non-confidential one (K1, the primary: more events), an
anonymous complaint (A1) with a named one of the same reporter (N1), and two anonymous
copies (A2, A3) of one report. Then the demo city with a reviewer's link that puts a
confidential complaint into a non-confidential one's case, in a real browser.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from app import data, exports
from pipelines.home import Home
from pipelines.runner import run_pipeline
from pipelines.users import add_user
from tests.conftest import copy_fixture, read_snapshot, write_csv

MONTH = "2025-05"
ADMIN, BUDI = "198503152010011001", "199001012015032002"  # KOMINFO admin, DPU officer
COMPLAINTS = ["source_id", "channel", "received_at", "category", "complaint_class", "title",
              "description", "district", "village", "reporter_id", "is_anonymous",
              "is_confidential"]  # fmt: skip
S2 = [
    # one reporter, one problem, six hours apart: the reporter rule merges them; K2 is rahasia
    ("K1", "lapor", "2025-05-05 09:00:00", "jalan_rusak", "Jalan amblas di Jl. Sirojudin",
     "Aspal turun setengah meter", "Tandang", "0821-0001", "false", "false"),
    ("K2", "whatsapp", "2025-05-05 15:00:00", "jalan_rusak", "Pungutan liar oleh mandor proyek",
     "Mandor meminta uang kepada warga", "Tandang", "0821-0001", "false", "true"),
    # the same reporter, once anonymous and once named: never one case by that reporter
    ("A1", "whatsapp", "2025-05-12 08:00:00", "sampah", "Sampah menumpuk di Jl. Kenari",
     "Bau menyengat", "Meteseh", "0822-0002", "true", "false"),
    ("N1", "sms", "2025-05-12 10:00:00", "sampah", "Sampah menumpuk di Jl. Kenari",
     "Bau menyengat", "Meteseh", "0822-0002", "false", "false"),
    # two anonymous copies of one report by one reporter: one case, by that reporter, with
    # evidence that does not say "same reporter"
    ("A2", "whatsapp", "2025-05-14 08:00:00", "banjir", "Banjir di Jl. Melon",
     "Air masuk rumah warga", "Rowosari", "0823-0003", "true", "false"),
    ("A3", "call_center", "2025-05-14 11:00:00", "banjir", "Banjir di Jl. Melon",
     "Air masuk rumah warga", "Rowosari", "0823-0003", "true", "false"),
]  # fmt: skip
K1_NOTES = ("Tim survei dijadwalkan ke lokasi amblas", "Perbaikan aspal selesai dikerjakan")
K2_NOTES = ("Keterangan saksi pungutan dicatat terpisah", "Beres pak")  # the last: a flag
EVENTS = [
    ("K1", "2025-05-05 10:00:00", "verified", "KOMINFO", ADMIN, ""),
    ("K1", "2025-05-05 11:00:00", "forwarded", "DPU", BUDI, ""),
    ("K1", "2025-05-06 09:00:00", "responded", "DPU", BUDI, K1_NOTES[0]),
    ("K1", "2025-05-08 09:00:00", "resolved", "DPU", BUDI, K1_NOTES[1]),
    ("K2", "2025-05-07 09:00:00", "responded", "DPU", BUDI, K2_NOTES[0]),
    ("K2", "2025-05-09 09:00:00", "resolved", "DPU", BUDI, K2_NOTES[1]),
]
K1_TITLE = S2[0][4]
# what a role that may not see confidential text must never get: the rahasia member's
# notes and texts, and the text of the case it is in (which tells the same story)
SECRETS = (*K2_NOTES, S2[1][4], S2[1][5], K1_TITLE, S2[0][5], *K1_NOTES)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Home:
    """Kota Uji plus source s2 (above), through the real pipeline."""
    home = copy_fixture("kota_uji", tmp_path_factory.mktemp("confidential") / "home")
    write_csv(
        home.sources_dir / "s2" / "complaints.csv",
        COMPLAINTS,
        [(sid, ch, at, cat, "pengaduan", title, desc, "Tembalang", village, rep, anon, conf)
         for sid, ch, at, cat, title, desc, village, rep, anon, conf in S2],
    )  # fmt: skip
    write_csv(
        home.sources_dir / "s2" / "events.csv",
        ["source_id", "event_at", "event_type", "unit_code", "officer_nip", "note"],
        EVENTS,
    )
    run_pipeline(home)
    return home


# --- (1) the SQL: the case and its events carry the members' flags -----------------------
def test_a_confidential_member_makes_the_case_confidential(home):
    assert read_snapshot(
        home,
        "SELECT member_count, is_confidential, is_anonymous FROM cases WHERE case_id = 's2:K1'",
    ) == [(2, True, False)]
    # every event says whose it is and whether that complaint is rahasia
    assert read_snapshot(
        home,
        """SELECT source_id, event_type, is_confidential FROM case_events
           WHERE case_id = 's2:K1' ORDER BY seq""",
    ) == [
        ("K1", "verified", False), ("K1", "forwarded", False), ("K1", "responded", False),
        ("K2", "responded", True), ("K1", "resolved", False), ("K2", "resolved", True),
    ]  # fmt: skip
    assert read_snapshot(
        home,
        """SELECT source_id, is_primary, is_confidential FROM case_members
           WHERE case_id = 's2:K1' ORDER BY source_id""",
    ) == [("K1", True, False), ("K2", False, True)]


def test_an_anonymous_reporter_is_never_merge_evidence(home):
    rows = {
        sid: (case_id, evidence)
        for sid, case_id, evidence in read_snapshot(
            home,
            "SELECT source_id, case_id, match_evidence FROM case_members WHERE source = 's2'",
        )
    }
    # the anonymous A1 and the named N1 share a reporter: two cases, no evidence
    assert rows["A1"] == ("s2:A1", None) and rows["N1"] == ("s2:N1", None)
    # the anonymous copies A2 and A3 are one case, by their (hidden) reporter
    assert rows["A2"] == (
        "s2:A2",
        "both anonymous, one reporter (not shown), category and kelurahan Rowosari as s2:A3; "
        "3 hours apart",
    )
    assert rows["A3"] == (
        "s2:A2",
        "both anonymous, one reporter (not shown), category and kelurahan Rowosari as s2:A2; "
        "3 hours apart",
    )
    anonymous = [rows[sid][1] for sid in ("A1", "A2", "A3") if rows[sid][1]]
    assert len(anonymous) == 2 and not any("same reporter" in e for e in anonymous)
    assert read_snapshot(
        home, "SELECT is_anonymous FROM cases WHERE case_id IN ('s2:A1', 's2:N1', 's2:A2')"
        " ORDER BY case_id",
    ) == [(True,), (True,), (False,)]  # fmt: skip


# --- (2) the data layer and the exports, role by role -----------------------------------
def _texts(*frames: pl.DataFrame) -> list[str]:
    """Every cell of the frames as text (lists and structs included)."""
    return [str(v) for f in frames for row in f.iter_rows() for v in row if v is not None]


def _role_reads(home: Home, viewer: data.Viewer, tmp_path: Path) -> dict[str, list[str]]:
    snap = exports.snapshot_at(home.snapshot_path)
    cases = data.officer_cases(snap, BUDI, MONTH, viewer)
    detail = data.case_detail(snap, "s2:K1", viewer)
    frames = [cases, data.case_events(snap, cases, viewer), detail["events"],
              detail["members"], pl.DataFrame([detail["case"]]),
              data.flags(snap, MONTH, viewer)]  # fmt: skip
    out = tmp_path / f"{viewer.role}.xlsx"
    exports.export_xlsx(home.snapshot_path, MONTH, out, viewer=viewer)
    book = openpyxl.load_workbook(out)
    xlsx = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
            for v in row if v is not None]  # fmt: skip
    events = detail["events"]
    flagged = "is_confidential" in events.columns
    buffer = io.BytesIO()
    exports.export_csv(home.snapshot_path, MONTH, buffer, viewer=viewer)
    with zipfile.ZipFile(buffer) as archive:
        csv_text = [archive.read(name).decode() for name in archive.namelist()]
    return {"data": _texts(*frames), "xlsx": xlsx, "csv": csv_text,
            "case_title": [detail["case"]["title"]],
            "notes": events["note"].drop_nulls().to_list(),
            "rahasia_events": events.filter("is_confidential")["seq"].to_list() if flagged
            else None}  # fmt: skip


@pytest.mark.parametrize(
    "viewer",
    [data.viewer_for("hr"), data.viewer_for("skpd_head", "DPU"), data.viewer_for("leadership")],
    ids=["hr", "skpd_head", "leadership"],
)
def test_roles_without_confidential_access_get_no_member_text(home, viewer, tmp_path):
    reads = _role_reads(home, viewer, tmp_path)
    for where in ("data", "xlsx", "csv"):
        leaked = [s for s in SECRETS for cell in reads[where] if s in cell]
        assert not leaked, f"{viewer.role} {where}: {leaked}"
    assert reads["case_title"] == [data.REDACTED]
    assert reads["notes"] == [data.REDACTED] * 4
    assert data.REDACTED in reads["xlsx"]  # the case's row is there, redacted


def test_the_inspectorate_sees_the_confidential_members_text(home, tmp_path):
    reads = _role_reads(home, data.viewer_for("inspectorate"), tmp_path)
    assert reads["case_title"] == [K1_TITLE]
    assert reads["notes"] == [K1_NOTES[0], K2_NOTES[0], K1_NOTES[1], K2_NOTES[1]]
    assert reads["rahasia_events"] == [4, 6]  # and which of them are the rahasia member's
    assert K1_TITLE in reads["xlsx"]
    # the flag quoting the rahasia member's closing note, in full
    assert any(f'"{K2_NOTES[1]}"' in cell for cell in reads["data"])


def test_an_older_snapshot_without_event_flags_fails_closed():
    """A snapshot published before events carried their complaint's flags (NULL): every
    note is hidden from a role without confidential access; an auditor still sees them."""
    events = pl.DataFrame({"case_id": ["x", "y"], "note": ["isi", "isi"],
                           "is_confidential": [None, False]},
                          schema_overrides={"is_confidential": pl.Boolean})  # fmt: skip
    cases = pl.DataFrame({"case_id": ["x", "y"], "is_confidential": [False, False]})
    hr, auditor = data.viewer_for("hr"), data.viewer_for("inspectorate")
    assert data._redact_events(events, cases, hr)["note"].to_list() == [data.REDACTED, "isi"]
    assert data._redact_events(events, cases, auditor)["note"].to_list() == ["isi", "isi"]


# --- (3) in a real browser: the demo city, a confidential complaint linked into a case ------
PASSWORD = "sandi-uji-rahasia-9"
USERS = {"bkpsdm": "hr", "kepala": "skpd_head", "inspektur": "inspectorate"}


@pytest.fixture(scope="module")
def linked_demo(demo_home, tmp_path_factory) -> dict:
    """A copy of the demo city where a reviewer links a confidential single-complaint case
    (C, with notes) into a non-confidential one with more events (N, so N stays primary and
    names the case), run again; one user per role, the SKPD head of a unit that held it."""
    (c_source, c_id, c_events), (n_source, n_id, n_events) = read_snapshot(
        demo_home,
        """
        WITH single AS (
            SELECT m.case_id, m.source, m.source_id, c.is_confidential, c.is_anonymous,
                   count(e.seq) AS events, count(e.note) AS notes
            FROM case_members AS m
            JOIN cases AS c USING (case_id)
            LEFT JOIN case_events AS e USING (case_id)
            WHERE m.member_count = 1
            GROUP BY ALL
        ), secret AS (
            SELECT * FROM single WHERE is_confidential AND notes > 0
            ORDER BY notes DESC, case_id LIMIT 1
        ), plain AS (
            SELECT * FROM single
            WHERE NOT is_confidential AND NOT is_anonymous AND notes > 0
              AND events > (SELECT events FROM secret) + 1
            ORDER BY case_id LIMIT 1
        )
        SELECT source, source_id, events FROM (
            SELECT 1 AS k, * FROM secret UNION ALL SELECT 2, * FROM plain
        ) ORDER BY k
        """,
    )
    assert n_events > c_events
    notes = {note for (note,) in read_snapshot(
        demo_home, "SELECT note FROM case_events WHERE case_id = $c AND note IS NOT NULL",
        {"c": f"{c_source}:{c_id}"})}  # fmt: skip
    root = tmp_path_factory.mktemp("linked_demo") / "home"
    shutil.copytree(demo_home, root, ignore=shutil.ignore_patterns("warehouse", "dagster",
                                                                   "serving"))  # fmt: skip
    write_csv(
        root / "reference" / "case_links.csv",
        ["action", "source_a", "source_id_a", "source_b", "source_id_b", "reason",
         "reviewed_by", "reviewed_at"],
        [("link", n_source, n_id, c_source, c_id, "same report", "Ani", "2026-10-01")],
    )  # fmt: skip
    home = Home(root)
    run_pipeline(home)
    case_id = f"{n_source}:{n_id}"
    ((unit,),) = read_snapshot(
        home, "SELECT min(unit_code) FROM segments WHERE case_id = $c", {"c": case_id}
    )
    for username, role in USERS.items():
        add_user(home, username, role, PASSWORD, unit=unit if role == "skpd_head" else None)
    # the rahasia member's notes that no other event of the case also carries
    others = {note for (note,) in read_snapshot(
        home, "SELECT note FROM case_events WHERE case_id = $c AND source_id <> $s"
        " AND note IS NOT NULL", {"c": case_id, "s": c_id})}  # fmt: skip
    return {"root": root, "case_id": case_id, "notes": sorted(notes - others or notes)}


@pytest.mark.browser
@pytest.mark.timeout(400)
def test_case_page_hides_a_confidential_members_notes(linked_demo, tmp_path):
    from tests.test_browser import launch_chromium, serve_app
    from tests.test_browser_roles import GRID_CELLS, WIDE, _open_signed_in, _settled

    def timeline(page) -> set[str]:
        """Every cell of the case's event timeline (the page's last table), scrolled into
        view so that it is drawn."""
        grid = page.locator('[data-testid="stDataFrame"]').last
        grid.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        return set(grid.evaluate(GRID_CELLS))

    url = f"/kasus?case={linked_demo['case_id']}"
    with (serve_app(linked_demo["root"], tmp_path / "server.log",
                    env_drop=("RAPOR_REQUIRE_SIGNIN",)) as server,
          launch_chromium() as browser):  # fmt: skip
        for username, sees in (("bkpsdm", False), ("kepala", False), ("inspektur", True)):
            context, page = _open_signed_in(browser, server + url, username, PASSWORD, WIDE)
            try:
                text = _settled(page, "Kasus")
                assert linked_demo["case_id"] in text and "Tidak diizinkan" not in text
                drawn = timeline(page)
                shown = [n for n in linked_demo["notes"] if n in drawn or n in text]
                assert shown == (linked_demo["notes"] if sees else []), username
                assert (data.REDACTED in drawn) is not sees
            finally:
                context.close()
