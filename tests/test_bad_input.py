"""A bad file dropped into a source: quarantined row by row, the run finishes and says so."""

from pipelines.runner import run_pipeline
from tests.conftest import read_snapshot

BAD_COMPLAINTS = """\
source_id,channel,received_at,category,district
B1,walk_in,2025-04-22 09:00:00,sampah,Tembalang
B2,walk_in,22/04/2025 9 pagi,sampah,Tembalang
B3,telepati,2025-04-22 09:00:00,sampah,Tembalang
B4,walk_in,2025-04-22 09:00:00,,Tembalang
B1,walk_in,2025-04-22 09:00:00,sampah,Tembalang
B5,walk_in,2031-01-01 09:00:00,sampah,Tembalang
"""

WRONG_COLUMNS = """\
id,when,what
X1,2025-04-22,sampah
X2,2025-04-23,jalan
"""

RAGGED_EVENTS = """\
source_id,event_at,event_type,unit_code,officer_nip,note
B1,2025-04-22 10:00:00,forwarded,DPU,199001012015032002,ok
B1,2025-04-23 10:00:00,responded,DPU
B1,2025-04-24 10:00:00,resolved,DPU,199001012015032002,done,extra,fields
"""


def test_bad_files_are_quarantined_row_by_row(uji_home):
    bad = uji_home.sources_dir / "loket"
    bad.mkdir()
    (bad / "complaints.csv").write_text(BAD_COMPLAINTS)
    (bad / "events.csv").write_text(RAGGED_EVENTS)
    other = uji_home.sources_dir / "kiriman"
    other.mkdir()
    (other / "complaints.csv").write_text(WRONG_COLUMNS)

    summary = run_pipeline(uji_home)

    rows = read_snapshot(
        uji_home,
        "SELECT source, file, row_number, reason_code FROM quarantine "
        "WHERE source IN ('loket', 'kiriman') ORDER BY ALL",
    )
    assert rows == [
        ("kiriman", "complaints.csv", 1, "file lacks required column(s)"),
        ("kiriman", "complaints.csv", 2, "file lacks required column(s)"),
        ("loket", "complaints.csv", 2, "received_at is not a timestamp"),
        ("loket", "complaints.csv", 3, "unknown channel"),
        ("loket", "complaints.csv", 4, "missing category"),
        ("loket", "complaints.csv", 5, "exact duplicate"),
        ("loket", "complaints.csv", 6, "received_at is in the future"),
        ("loket", "events.csv", 2, "malformed row"),
        ("loket", "events.csv", 3, "malformed row"),
    ]
    # the good rows of the same files went through
    assert read_snapshot(uji_home, "SELECT status FROM cases WHERE case_id = 'loket:B1'") == [
        ("forwarded",)
    ]
    assert summary.quarantined == 4 + len(rows)  # the fixture's own 4 bad rows, plus these
    raw = read_snapshot(
        uji_home,
        "SELECT raw_row FROM quarantine WHERE source = 'loket' AND row_number = 3 "
        "AND file = 'complaints.csv'",
    )[0][0]
    assert '"channel":"telepati"' in raw
