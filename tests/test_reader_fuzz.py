"""Fuzz the readers: random malformed CSV, JSON Lines, JSON and XLSX files, and, row by
row, every written record comes out of the reader exactly once, as a row without a problem
(with its values) or as a row with a problem (staged + quarantined = written)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.mapped import read_records
from assets.readers import (
    FAST_READER,
    FIELD_LIMIT,
    ROW_PROBLEM,
    _finish,
    _read_csv_rows,
    decode_bytes,
    read_csv,
)
from pipelines.mappings import parse_mapping

MAPPINGS = Path(__file__).resolve().parent.parent / "mappings"
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
COLUMNS = {"source_id": "c0", "channel": {"value": "lapor"}, "received_at": "c1",
           "category": {"value": "x"}}  # fmt: skip

# text that stresses a CSV writer and reader: separators, quotes, line breaks, unicode
cell = st.text(alphabet=st.sampled_from([*'ab ,"\n\r;é💥\t', "\x00"]), max_size=6)
plain = st.text(alphabet=st.sampled_from(list("abcxyz")), min_size=1, max_size=4)


def quoted(cells: list[str]) -> str:
    """Cells as one CSV record (the csv module's quoting), without its line end."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()[:-2]


@st.composite
def csv_record(draw, width: int, utf16: bool):
    """One written record: its bytes (no line end), and its values when well formed (None
    when it must come out with a problem)."""
    kinds = ["good", "good", "stray_quote", "short", "long", "huge"] + ([] if utf16 else ["bad"])
    kind = draw(st.sampled_from(kinds))
    cells = draw(st.lists(cell, min_size=width, max_size=width))
    if kind == "good":
        return quoted(cells).encode(), cells
    if kind == "stray_quote":  # a quote inside an unquoted field is a literal quote
        cells[-1] = draw(plain) + '"' + draw(plain)
        return (quoted(cells[:-1]) + "," + cells[-1]).encode(), cells
    if kind == "short":
        return quoted(cells[: draw(st.integers(1, width - 1))] or [""]).encode(), None
    if kind == "long":
        return quoted(cells + draw(st.lists(cell, min_size=1, max_size=2))).encode(), None
    if kind == "huge":
        cells[0] = "x" * (FIELD_LIMIT + 1)
        return quoted(cells).encode(), None
    cells[0] = draw(plain)  # "bad": a byte that is not UTF-8
    return quoted(cells).encode().replace(cells[0].encode(), cells[0].encode() + b"\xff", 1), None


@st.composite
def csv_file(draw):
    """A file's bytes and, in order, the records written to it."""
    width = draw(st.integers(2, 4))
    prefix = draw(st.sampled_from(["", "utf-8-bom", "utf-16"]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    records = draw(st.lists(csv_record(width, prefix == "utf-16"), max_size=8))
    lines = [",".join(f"c{i}" for i in range(width)).encode()]
    for data, _ in records:
        lines.append(data)
        if draw(st.integers(0, 5)) == 0:
            lines.append(b"")  # a blank line: not a record
    written = [values for _, values in records]
    if draw(st.booleans()):  # a quote opened on the last line and never closed
        lines.append(quoted([draw(plain)] * (width - 1)).encode() + b',"' + draw(plain).encode())
        written.append(None)
    body = end.encode().join(lines) + (end.encode() if draw(st.booleans()) else b"")
    if prefix == "utf-16":
        return "\ufeff".encode("utf-16-le") + body.decode().encode("utf-16-le"), written
    return (b"\xef\xbb\xbf" if prefix else b"") + body, written


@FUZZ
@given(case=csv_file())
def test_every_csv_record_comes_out_once(tmp_path, case):
    data, written = case
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    frame = read_csv(path).frame
    assert frame.height == len(written)
    for row, values in zip(frame.iter_rows(named=True), written, strict=True):
        if values is None:
            assert row[ROW_PROBLEM] is not None, row
        else:
            assert row[ROW_PROBLEM] is None, row
            assert [row[f"c{i}"] for i in range(len(values))] == [v or None for v in values]


def deep(n: int) -> str:
    """A JSON value nested n levels deep, as text (the json module cannot write it)."""
    return '{"a": ' * n + "1" + "}" * n if n % 2 else "[" * n + "1" + "]" * n


good_object = st.dictionaries(
    plain, st.none() | st.integers() | cell | st.dictionaries(plain, cell, max_size=2),
    max_size=3,
)  # fmt: skip
json_item = st.one_of(
    good_object.map(lambda d: ("good", d)),
    st.sampled_from([1, "text", [1, 2], None, True]).map(lambda v: ("bad", v)),
    st.sampled_from([3000, 65]).map(lambda n: ("deep", n)),
)


def as_json(item) -> str:
    kind, value = item
    return deep(value) if kind == "deep" else json.dumps(value, ensure_ascii=False)


def _jsonl_line(item) -> tuple[bytes, bool]:
    kind = item[0]
    if kind == "broken":
        return b"{broken", False
    if kind == "bytes":
        return b'{"id": "x\xff"}', False
    return as_json(item).encode(), kind == "good"


@FUZZ
@given(
    items=st.lists(json_item | st.sampled_from([("broken", None), ("bytes", None)]), max_size=10),
    blanks=st.lists(st.booleans(), min_size=10, max_size=10),
    end=st.sampled_from([b"\n", b"\r\n"]),
    bom=st.booleans(),
)
def test_every_jsonl_line_comes_out_once(tmp_path, items, blanks, end, bom):
    lines, good = [], []
    for item, blank in zip(items, blanks, strict=False):
        data, ok = _jsonl_line(item)
        lines.append(data)
        good.append(ok)
        if blank:
            lines.append(b"  ")
    path = tmp_path / "x.jsonl"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + end.join(lines))
    raw = {"format": "jsonl", "complaints": {"columns": COLUMNS}}
    frame, _ = read_records(path, parse_mapping(raw, "s"))
    assert frame[ROW_PROBLEM].is_null().to_list() == good


@settings(FUZZ, max_examples=25)
@given(items=st.lists(json_item, max_size=8), wrapped=st.booleans())
def test_every_json_element_comes_out_once(tmp_path, items, wrapped):
    doc = "[" + ", ".join(as_json(item) for item in items) + "]"
    path = tmp_path / "x.json"
    path.write_text(f'{{"meta": {{"n": [1, {{}}]}}, "data": {doc}}}' if wrapped else doc)
    raw = {"format": "json", "complaints": {"columns": COLUMNS}}
    if wrapped:
        raw["json"] = {"records": "data"}
    frame, _ = read_records(path, parse_mapping(raw, "s"))
    assert frame[ROW_PROBLEM].is_null().to_list() == [kind == "good" for kind, _ in items]


xlsx_value = st.none() | st.integers(-5, 5) | plain
xlsx_row = st.one_of(
    st.lists(xlsx_value, min_size=3, max_size=3).map(lambda r: ("good", r)),
    st.just(("formula", ["=1+1", "a", None])),
    st.just(("long", ["a", None, None, "beyond"])),
    st.just(("blank", [None, None, None])),
)


@settings(FUZZ, max_examples=15)
@given(rows=st.lists(xlsx_row, max_size=8))
def test_every_xlsx_row_comes_out_once(tmp_path, rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["c0", "c1", "c2"])
    for _, values in rows:
        sheet.append(values)
    path = tmp_path / "x.xlsx"
    book.save(path)
    raw = {"format": "xlsx", "complaints": {"columns": COLUMNS}}
    frame, _ = read_records(path, parse_mapping(raw, "s"))
    records = [
        (kind, values)
        for kind, values in rows
        if kind != "blank" and not (kind == "good" and all(v is None for v in values))
    ]
    assert frame[ROW_PROBLEM].is_null().to_list() == [kind == "good" for kind, _ in records]
    for row, (kind, values) in zip(frame.iter_rows(named=True), records, strict=True):
        if kind == "good":
            assert [row[f"c{i}"] for i in range(3)] == [
                None if v is None else str(v) for v in values
            ]


def test_rows_add_up_through_the_pipeline_for_bad_files(uji_home):
    """One full run over a few such files: the blocking `rows_add_up` check passes (the
    run would fail otherwise), each bad record is one quarantine row, a canonical folder's
    declared encoding is used, and `raw_files` says how each file was read."""
    import duckdb

    from pipelines.runner import run_pipeline
    from tests.conftest import read_snapshot

    canonical = uji_home.sources_dir / "loket"
    canonical.mkdir()
    good = "B{},walk_in,2025-04-22 09:00:00,sampah,Tembalang\n"
    (canonical / "complaints.csv").write_bytes(
        b"\xef\xbb\xbfsource_id,channel,received_at,category,district\n"
        + good.format(1).encode()
        + b"B2,walk_in\n"
        + good.format(3).replace("Tembalang", "x" * 131_073).encode()
        + good.format(4).replace("Tembalang", "Caf\xe9").encode("latin-1")
    )
    mapped = uji_home.sources_dir / "medsos"
    mapped.mkdir()
    (mapped / "source.yaml").write_text((MAPPINGS / "social_media.yaml").read_text())
    (mapped / "m.jsonl").write_bytes(
        b"\n".join([
            json.dumps({"id": "M1", "platform": "instagram", "topic": "sampah",
                        "posted_at": "2025-04-14T08:15:00+07:00", "text": "x"}).encode(),
            deep(3000).encode(),
            b'{"id": "M3\xff"}',
        ])
    )  # fmt: skip
    declared = uji_home.sources_dir / "surat"  # canonical files, encoding declared
    declared.mkdir()
    (declared / "source.yaml").write_text("format: canonical\ncsv: {encoding: cp1252}\n")
    (declared / "complaints.csv").write_bytes(
        b"source_id,channel,received_at,category,district\n"
        + good.format(1).replace("Tembalang", "Caf\u00e9 \u20ac").encode("cp1252")
    )
    run_pipeline(uji_home)
    rows = read_snapshot(
        uji_home,
        "SELECT source, file, row_number, reason_code FROM quarantine "
        "WHERE source IN ('loket', 'medsos') ORDER BY ALL",
    )
    assert rows == [
        ("loket", "complaints.csv", 2, "malformed row"),
        ("loket", "complaints.csv", 3, f"field over {FIELD_LIMIT} bytes"),
        ("loket", "complaints.csv", 4, "invalid bytes"),
        ("medsos", "m.jsonl", 2, "malformed record"),
        ("medsos", "m.jsonl", 3, "invalid bytes"),
    ]
    con = duckdb.connect(str(uji_home.root / "warehouse" / "rapor.duckdb"), read_only=True)
    try:
        files = con.execute(
            "SELECT source, file, format, encoding, reader, rows FROM raw_files "
            "WHERE source IN ('loket', 'medsos', 'surat') ORDER BY ALL"
        ).fetchall()
        staged = con.execute(
            "SELECT district FROM stg_complaints WHERE source = 'surat'"
        ).fetchall()
    finally:
        con.close()
    assert staged == [("Caf\u00e9 \u20ac",)]
    assert files == [
        ("loket", "complaints.csv", "csv", "utf-8 (BOM)", "csv module", 4),
        ("medsos", "m.jsonl", "jsonl", "utf-8", "json", 3),
        ("surat", "complaints.csv", "csv", "cp1252 (declared)", "polars", 1),
    ]
    assert read_snapshot(uji_home, "SELECT count(*) FROM quarantine WHERE source = 'surat'") == [
        (0,)
    ]


@settings(FUZZ, max_examples=200)
@given(
    header=st.sampled_from(["a,b", "a,b,c", '"a,x",b', '"a\nz",b', "a,b\r"]),
    body=st.lists(st.sampled_from([*'a,"\n\r é;\t', '"x,y"', "\r\n"]), max_size=40).map("".join),
)
def test_whenever_polars_reads_a_file_the_csv_module_reads_the_same(tmp_path, header, body):
    """Byte soup: when the fast path accepts a file, its rows are the row reader's."""
    data = (header + "\n" + body).encode()
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    read = read_csv(path)
    if read.reader == FAST_READER:
        assert read.frame.rows() == _finish(_read_csv_rows(decode_bytes(data))).rows()
