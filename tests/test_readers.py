"""The readers of input files (assets/readers.py, the reading part of assets/mapped.py):
the fast CSV path used and recorded, encodings, oversized fields, deep JSON, spreadsheet
formulas, unreadable files. Unit-level: no pipeline runs here."""

from __future__ import annotations

import csv
import io
import json

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.mapped import MAX_DEPTH, TOO_DEEP, read_records
from assets.readers import (
    FAST_READER,
    FIELD_LIMIT,
    ROW_PROBLEM,
    ROW_READER,
    Reporters,
    _finish,
    _read_csv_rows,
    decode_bytes,
    read_csv,
    read_table,
)
from pipelines.mappings import parse_mapping

REPORTERS = Reporters(b"k" * 32)
HEADER = "source_id,channel,received_at,category,title\n"
ROWS = [
    ["K1", "lapor", "2025-04-14 08:00:00", "sampah", "Sampah menumpuk"],
    ["K2", "whatsapp", "2025-04-15 09:30:00", "jalan_rusak", "Jalan berlubang"],
    ["K3", "email", "2025-04-16 10:00:00", "sampah", "Sampah"],
]


def csv_text(rows, header=HEADER, end="\n") -> str:
    """Rows as CSV, quoted by the csv module (a CR or LF in a value is quoted whatever the
    line end), lines ending with `end`."""
    lines = []
    for row in rows:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow(row)
        lines.append(out.getvalue()[:-2] + end)
    return header.replace("\n", end) + "".join(lines)


def both_readers(path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What read_csv gives, and what the row-by-row reader alone gives, for one file."""
    data = path.read_bytes()
    return read_csv(path).frame, _finish(_read_csv_rows(decode_bytes(data)))


def mapping(**csv_options):
    raw = {
        "format": "csv",
        "complaints": {"columns": {"source_id": "id", "channel": {"value": "lapor"},
                                   "received_at": "waktu", "category": "kategori"}},
    }  # fmt: skip
    if csv_options:
        raw["csv"] = csv_options
    return parse_mapping(raw, "s")


# --- the fast path -----------------------------------------------------------------------


def test_a_well_formed_csv_is_read_by_polars_and_both_readers_agree(tmp_path):
    path = tmp_path / "complaints.csv"
    # empty fields, a quoted separator, a quoted line break, a doubled quote, CRLF
    path.write_text('a,b,c\r\n1,,3\r\n"x,y","two\nlines","say ""hi"""\r\n,,\r\n', encoding="utf8")
    read = read_csv(path)
    assert (read.reader, read.encoding, read.fallback) == (FAST_READER, "utf-8", None)
    expected = [
        ("1", None, "3", None),
        ("x,y", "two\nlines", 'say "hi"', None),
        (None, None, None, None),
    ]
    fast, rows = both_readers(path)
    assert fast.columns == rows.columns == ["a", "b", "c", ROW_PROBLEM]
    assert fast.rows() == rows.rows() == expected


cell = st.text(
    alphabet=st.sampled_from(list(',"\r\n ;\t'))
    | st.characters(codec="utf-8", exclude_categories=["Cs"]),
    max_size=8,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    width=st.integers(2, 5),
    data=st.data(),
    end=st.sampled_from(["\n", "\r\n"]),
)
def test_both_readers_give_the_same_rows_for_any_well_formed_csv(tmp_path, width, data, end):
    rows = data.draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=8))
    header = ",".join(f"c{i}" for i in range(width)) + "\n"
    path = tmp_path / "x.csv"
    path.write_bytes(csv_text(rows, header, end).encode("utf8"))
    fast, by_row = both_readers(path)
    assert fast.rows() == by_row.rows()
    assert fast.rows() == [(*[c or None for c in r], None) for r in rows]
    if not any("\r" in c for r in rows for c in r):  # a CR in a value: left to the csv module
        assert read_csv(path).reader == FAST_READER


def test_ragged_rows_go_row_by_row_and_say_why(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("a,b,c\n1,2,3\n4,5\n\n6,7,8,9\n10,11,12\n")
    read = read_csv(path)
    assert read.reader == ROW_READER
    assert read.fallback.startswith("polars: ComputeError")  # the row with 4 fields
    # the blank line is not a record: 4 records, numbered in order
    assert read.frame.rows() == [
        ("1", "2", "3", None),
        ("4", "5", None, "malformed row: 2 fields, header has 3"),
        ("6", "7", "8", "malformed row: 4 fields, header has 3"),
        ("10", "11", "12", None),
    ]


def test_a_quote_never_closed_quarantines_each_line_after_it(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,2\n3,"oops\n5,6\n7,8\n')
    read = read_csv(path)
    problem = "malformed row: a quote opened on line 3 is never closed"
    assert read.frame.rows() == [
        ("1", "2", None), ("3", '"oops', problem), ("5", "6", problem), ("7", "8", problem)
    ]  # fmt: skip


# --- encodings ---------------------------------------------------------------------------


def test_a_utf8_bom_file_is_staged_with_its_columns(tmp_path):
    """Excel's "CSV UTF-8": the BOM used to glue itself to the first column's name."""
    path = tmp_path / "complaints.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text(ROWS).encode("utf8"))
    inventory = []
    frame = read_table(path, "complaints", "s", REPORTERS, inventory=inventory)
    assert frame["file_problem"].to_list() == [None, None, None]
    assert frame["source_id"].to_list() == ["K1", "K2", "K3"]
    assert inventory == [
        {"source": "s", "file": "complaints.csv", "input_table": "complaints",
         "format": "csv", "encoding": "utf-8 (BOM)", "reader": FAST_READER,
         "bytes": path.stat().st_size, "rows": 3, "note": None}
    ]  # fmt: skip


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_files_with_a_bom_are_read_as_text(tmp_path, codec):
    rows = [*ROWS, ["K4", "lapor", "2025-04-17 08:00:00", "sampah", "Got ü ñ é"],
            ["K5", "lapor", "2025-04-18 08:00:00", "sampah", "Jalan Ahmad Yani"]]  # fmt: skip
    path = tmp_path / "complaints.csv"
    path.write_bytes(("\ufeff" + csv_text(rows, end="\r\n")).encode(codec))
    read = read_csv(path)
    assert (read.reader, read.encoding) == (FAST_READER, f"{codec} (BOM)")
    frame = read_table(path, "complaints", "s", REPORTERS)
    assert frame.height == 5  # not 12 rows of mojibake
    assert frame["file_problem"].null_count() == 5
    assert frame["title"].to_list()[3:] == ["Got ü ñ é", "Jalan Ahmad Yani"]


@pytest.mark.parametrize(("declared", "codec", "used"), [
    ("latin-1", "latin-1", "iso8859-1 (declared)"),
    ("cp1252", "cp1252", "cp1252 (declared)"),
])  # fmt: skip
def test_a_declared_encoding_is_used_and_recorded(tmp_path, declared, codec, used):
    path = tmp_path / "export.csv"
    path.write_bytes("id,waktu,kategori\nA1,2025-04-14 08:00,Jalan rusak é ñ\n".encode(codec))
    frame, how = read_records(path, mapping(encoding=declared))
    assert frame["kategori"].to_list() == ["Jalan rusak é ñ"]
    assert how == {"fmt": "csv", "encoding": used, "reader": FAST_READER, "note": None}


def test_undeclared_invalid_utf8_quarantines_its_rows_and_says_to_declare(tmp_path):
    """latin-1 bytes in a file read as UTF-8 used to become U+FFFD silently."""
    path = tmp_path / "complaints.csv"
    path.write_bytes(HEADER.encode() + b"K1,lapor,2025-04-14 08:00:00,sampah,Caf\xe9\n"
                     + csv_text(ROWS[1:], header="").encode())  # fmt: skip
    read = read_csv(path)
    assert read.reader == ROW_READER
    assert read.fallback == "invalid bytes: this file is not valid utf-8"
    assert read.frame["title"].to_list() == ["Caf\ufffd", "Jalan berlubang", "Sampah"]
    assert read.frame[ROW_PROBLEM].to_list() == [
        "invalid bytes: this row is not valid utf-8; declare the file's encoding in "
        "source.yaml (csv: {encoding: cp1252})",
        None,
        None,
    ]


# --- limits ------------------------------------------------------------------------------


@pytest.mark.parametrize("ragged", [False, True])
def test_an_oversized_field_quarantines_its_record_only(tmp_path, ragged):
    """One field over 128 KB used to turn the whole file into one quarantine row."""
    big = "x" * 131_073
    rows = [ROWS[0], [*ROWS[1][:4], big], ROWS[2]] + ([["K9", "lapor"]] if ragged else [])
    path = tmp_path / "complaints.csv"
    path.write_text(csv_text(rows))
    read = read_csv(path)
    assert read.reader == (ROW_READER if ragged else FAST_READER)
    frame = read_table(path, "complaints", "s", REPORTERS)
    assert frame["source_id"].to_list()[:3] == ["K1", "K2", "K3"]
    assert frame["file_problem"].to_list()[:3] == [
        None, f"field over {FIELD_LIMIT} bytes: title (131073 bytes)", None
    ]  # fmt: skip
    assert frame["title"][1] == "x" * 200 + "…"  # kept short in quarantine


def deep(n: int) -> str:
    return '{"a": ' * n + "1" + "}" * n


def test_a_3000_deep_jsonl_line_quarantines_that_line(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_text(f'{{"id": "A"}}\n{deep(3000)}\n\n{{"id": "C", "x": {{"y": 2}}}}\n')
    frame, _ = read_records(path, parse_mapping(_jsonl_mapping(), "s"))
    assert frame.select("_source_row", ROW_PROBLEM, "id").rows() == [
        (1, None, "A"), (2, TOO_DEEP, None), (4, None, "C")
    ]  # fmt: skip
    assert frame["x.y"].to_list() == [None, None, "2"]


def test_a_deep_element_of_a_json_document_quarantines_that_element(tmp_path):
    path = tmp_path / "m.json"
    wrapped = f'{{"meta": [1, 2], "data": {{"items": [{{"id": "A"}}, {deep(3000)}, ' \
              f'{{"id": "C, [x]"}}, 7, {deep(MAX_DEPTH + 1)}]}}}}'  # fmt: skip
    path.write_text(wrapped)
    raw = _jsonl_mapping() | {"format": "json", "json": {"records": "data.items"}}
    frame, _ = read_records(path, parse_mapping(raw, "s"))
    assert frame.select("_source_row", ROW_PROBLEM, "id").rows() == [
        (1, None, "A"),
        (2, TOO_DEEP, None),
        (3, None, "C, [x]"),
        (4, "malformed record: not a JSON object: 7", None),
        (5, TOO_DEEP, None),
    ]


def _jsonl_mapping() -> dict:
    return {
        "format": "jsonl",
        "complaints": {"columns": {"source_id": "id", "channel": {"value": "x"},
                                   "received_at": "t", "category": "c"}},
    }  # fmt: skip


def test_a_formula_without_a_computed_value_quarantines_its_record(tmp_path):
    """openpyxl (like any program) saves formulas without values; they used to read as
    blank."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "waktu", "kategori"])
    sheet.append(["A1", "2025-04-14 08:00", "sampah"])
    sheet.append(["A2", "=TODAY()", "sampah"])
    sheet.append([None, None, None])  # a blank row: not a record
    sheet.append(["A3", "2025-04-16 08:00", "jalan", None, "stray"])
    path = tmp_path / "x.xlsx"
    book.save(path)
    frame, how = read_records(path, _xlsx())
    assert how == {"fmt": "xlsx", "reader": "openpyxl"}
    assert frame.select("_source_row", ROW_PROBLEM, "waktu").rows() == [
        (1, None, "2025-04-14 08:00"),
        (2, "formula without a computed value in column waktu (cell B3: =TODAY())", "=TODAY()"),
        (4, "malformed row: 1 value(s) beyond the header's 3 columns", "2025-04-16 08:00"),
    ]


def _xlsx():
    return parse_mapping(
        {"format": "xlsx",
         "complaints": {"columns": {"source_id": "id", "channel": {"value": "lapor"},
                                    "received_at": "waktu", "category": "kategori"}}},
        "s",
    )  # fmt: skip


# --- files that cannot be read -----------------------------------------------------------


def test_an_unreadable_csv_is_quarantined_row_by_row_with_its_size(tmp_path):
    path = tmp_path / "complaints.csv"
    path.write_text(csv_text(ROWS))
    inventory = []
    frame = read_table(path, "complaints", "s", REPORTERS, "klingon", inventory)
    size = path.stat().st_size
    problem = (
        f"unreadable file ({size} bytes): ValueError: unknown encoding 'klingon' declared "
        "in source.yaml"
    )
    assert frame.select("row_number", "file_problem").rows() == [
        (1, problem), (2, problem), (3, problem)
    ]  # fmt: skip
    assert (inventory[0]["rows"], inventory[0]["note"]) == (3, problem)


def test_an_unreadable_workbook_is_one_row_with_its_size(tmp_path):
    from assets.mapped import _read_file

    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a zip file at all")
    inventory = []
    records, unread = _read_file(path, _xlsx(), "complaints", "s", "x.xlsx", inventory, str)
    assert records is None
    assert unread.select("row_number").to_series().to_list() == [0]
    assert unread["file_problem"][0].startswith("unreadable file (21 bytes): ")
    assert inventory[0] | {"note": None} == {
        "source": "s", "file": "x.xlsx", "input_table": "complaints", "format": "xlsx",
        "encoding": None, "reader": "xlsx", "bytes": 21, "rows": 1, "note": None,
    }  # fmt: skip


def test_jsonl_with_a_bom_and_bad_bytes(tmp_path):
    path = tmp_path / "m.jsonl"
    path.write_bytes(
        b'\xef\xbb\xbf{"id": "A"}\r\n{"id": "B\xff"}\n' + json.dumps({"id": "C"}).encode()
    )
    frame, how = read_records(path, parse_mapping(_jsonl_mapping(), "s"))
    assert how["encoding"] == "utf-8 (BOM)"
    assert frame.select("_source_row", "id", ROW_PROBLEM).rows() == [
        (1, "A", None),
        (2, "B\ufffd", "invalid bytes: this record is not valid utf-8; save the file as UTF-8"),
        (3, "C", None),
    ]  # fmt: skip


def test_a_formula_with_a_computed_value_reads_that_value(tmp_path):
    """A workbook Excel saved holds each formula's value: that value is read."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["id", "waktu", "kategori"])
    book.active.append(["A1", "=1+1", "sampah"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    path = tmp_path / "x.xlsx"  # as Excel saves it: the formula's value cached beside it
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
            out.writestr(item, data)
    frame, _ = read_records(path, _xlsx())
    assert frame.select("_source_row", ROW_PROBLEM, "waktu").rows() == [(1, None, "2")]


# --- reporter hashing: each distinct value once, the same hashes as row by row ----------


def test_reporter_hash_series_equals_hmac_of_each_row():
    """`hash_series` hashes each distinct value once; every row must still get exactly the
    HMAC-SHA256 (tenant secret, stripped and lower-cased value) it got when each row was
    hashed on its own, computed here with hmac directly. Blank and null give null."""
    import hashlib
    import hmac

    secret = b"test-secret"
    values = ["0812 3456 7890", " Ani@Mail.ID ", "ani@mail.id", None, "", "   ",
              "0812 3456 7890", "3374010101010001"]  # fmt: skip
    got = Reporters(secret).hash_series(pl.Series("reporter_id", values)).to_list()

    def by_hand(v):
        if v is None or not v.strip():
            return None
        return hmac.new(secret, v.strip().lower().encode(), hashlib.sha256).hexdigest()

    assert got == [by_hand(v) for v in values]
    assert got[1] == got[2] and got[0] == got[6] and got[3:6] == [None, None, None]
    assert len(set(got) - {None}) == 3
    nothing = Reporters(secret).hash_series(pl.Series("reporter_id", [None, None], pl.String))
    assert nothing.to_list() == [None, None]


def test_canonical_read_hashes_reporters_as_before(tmp_path):
    """Through the whole canonical read (`read_table`), the reporter column holds the
    HMAC of each row's value: the values stored by earlier runs (and merged on) do not
    change."""
    import hashlib
    import hmac

    secret = b"another-secret"
    reporters = [f"warga-{i % 7}" for i in range(50)] + ["", "WARGA-3"]
    path = tmp_path / "complaints.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source_id", "channel", "received_at", "category", "reporter_id"])
        for i, r in enumerate(reporters):
            w.writerow([f"K{i}", "whatsapp", "2025-04-14 08:00:00", "sampah", r])
    frame = read_table(path, "complaints", "s", Reporters(secret))
    expected = [
        hmac.new(secret, r.lower().encode(), hashlib.sha256).hexdigest() if r else None
        for r in reporters
    ]
    assert frame["reporter_id"].to_list() == expected
