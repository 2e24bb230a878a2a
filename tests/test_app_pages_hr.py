"""The Rekomendasi (HR) and Inspektorat pages on the demo city's snapshot, with AppTest.
Expected rows come from querying the snapshot directly (tests/conftest.read_snapshot), not
from the app's data layer; roles sign in through a users file on a copy of the demo home."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from pipelines.home import Home
from pipelines.users import add_user
from tests.conftest import read_snapshot

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
RECOMMENDATIONS, INSPECTORATE = "app_pages/rekomendasi.py", "app_pages/inspektorat.py"
TIMEOUT = 120
PASSWORD = "sandi-yang-panjang-1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_ALLOWED = "Tidak diizinkan"


def run_app(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def sign_in(at: AppTest, username: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(PASSWORD)
    return at.button[0].click().run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# each table of the two pages, by the columns only it has
TABLES = {
    "recommendations_table": ("reasons", "kind_label"),
    "flag_counts": ("flag", "cases", "officers"),
    "flags_table": ("flag", "case_id", "detail"),
    "publications_table": ("version", "change_summary"),
    "officer_versions_table": ("measure", "current"),
}


def table(at: AppTest, key: str):
    (frame,) = tables_with(at, *TABLES[key])
    return frame


def tables_with(at: AppTest, *columns: str) -> list:
    return [f.value for f in at.dataframe if all(c in f.value.columns for c in columns)]


@pytest.fixture
def home(demo_home, monkeypatch) -> Path:
    monkeypatch.setenv("RAPOR_HOME", str(demo_home))
    monkeypatch.delenv("RAPOR_REQUIRE_SIGNIN", raising=False)
    return demo_home


@pytest.fixture(scope="module")
def rec_month(demo_home) -> str:
    """The settled month with the most recommendations (ties: the one with most kinds)."""
    rows = read_snapshot(
        demo_home,
        """SELECT month FROM recommendations GROUP BY month
           ORDER BY count(DISTINCT unit_code) DESC, count(DISTINCT kind) DESC, count(*) DESC,
                    month DESC LIMIT 1""",
    )
    if not rows:
        pytest.skip("the demo city has no recommendations")
    return rows[0][0]


@pytest.fixture(scope="module")
def flag_month(demo_home) -> str:
    rows = read_snapshot(
        demo_home,
        """SELECT month FROM flags GROUP BY month
           ORDER BY count(DISTINCT flag) DESC, count(*) DESC, month DESC LIMIT 1""",
    )
    if not rows:
        pytest.skip("the demo city has no flags")
    return rows[0][0]


def expected_recommendations(root: Path, month: str, unit: str | None = None) -> set[tuple]:
    rows = read_snapshot(
        root,
        """SELECT r.officer_nip, o.name, r.unit_code, r.kind, r.reasons, r.evidence_cases,
                  array_to_string(r.evidence_case_ids, ', ')
           FROM recommendations AS r
           LEFT JOIN (SELECT nip, arg_max(name, valid_from) AS name FROM officers GROUP BY nip)
                AS o ON o.nip = r.officer_nip
           WHERE r.month = $m AND ($u IS NULL OR r.unit_code = $u)""",
        {"m": month, "u": unit},
    )
    return set(rows)


def shown_recommendations(at: AppTest) -> set[tuple]:
    frame = table(at, "recommendations_table")
    columns = ["officer_nip", "officer_name", "unit_code", "kind", "reasons", "evidence_cases",
               "evidence_case_ids"]  # fmt: skip
    return {
        tuple(int(v) if c == "evidence_cases" else v for c, v in zip(columns, row, strict=True))
        for row in frame[columns].itertuples(index=False)
    }


# --- Rekomendasi -------------------------------------------------------------------------------
def test_recommendations_page_shows_the_months_rows(home, rec_month):
    at = run_app(RECOMMENDATIONS, month=rec_month)
    assert_clean(at)
    expected = expected_recommendations(home, rec_month)
    assert expected and shown_recommendations(at) == expected
    assert len(table(at, "recommendations_table")) == len(expected)
    notes = " ".join(i.value for i in at.info)
    assert "keputusan tetap di tangan manusia" in notes


def test_recommendations_filter_by_kind(home, rec_month):
    at = run_app(RECOMMENDATIONS, month=rec_month)
    kinds = sorted({row[3] for row in expected_recommendations(home, rec_month)})
    for kind in kinds:
        at.selectbox(key="kind_select").set_value(kind).run()
        assert_clean(at)
        expected = {r for r in expected_recommendations(home, rec_month) if r[3] == kind}
        assert shown_recommendations(at) == expected
        assert at.query_params["kind"] == [kind] or at.query_params["kind"] == kind
    # a kind the month does not have: no table, the empty note
    missing = [k for k in ("reward_candidate", "coaching", "inspectorate_review")
               if k not in kinds]  # fmt: skip
    if missing:
        at.selectbox(key="kind_select").set_value(missing[0]).run()
        assert not tables_with(at, "reasons")
        assert any(rec_month in i.value for i in at.info)


def test_recommendations_excel_holds_the_same_rows(home, rec_month, monkeypatch):
    captured: list[bytes] = []
    original = MediaFileManager.add

    def spy(self, path_or_data, mimetype, *args, **kwargs):
        if mimetype == XLSX:
            captured.append(path_or_data)
        return original(self, path_or_data, mimetype, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", spy)
    at = run_app(RECOMMENDATIONS, month=rec_month, kind="coaching")  # the filter: not the file
    assert_clean(at)
    (button,) = at.get("download_button")
    assert button.proto.label == "Unduh Excel" and not button.proto.disabled
    assert captured, "the page handed no Excel file to the download button"
    sheet = openpyxl.load_workbook(io.BytesIO(captured[-1])).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[:4] == ["Bulan", "NIP", "Nama", "SKPD"]
    kind_words = {"reward_candidate": "Calon penghargaan", "coaching": "Pembinaan",
                  "inspectorate_review": "Usulan pemeriksaan Inspektorat"}  # fmt: skip
    expected = {
        (rec_month, nip, name, unit, kind_words[kind], reasons, n, ids)
        for nip, name, unit, kind, reasons, n, ids in expected_recommendations(home, rec_month)
    }
    assert len(rows) == len(expected)
    assert {tuple(r) for r in rows} == expected


# --- roles (a copy of the demo home with a users file) -----------------------------------------
@pytest.fixture(scope="module")
def cast(demo_home, rec_month, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("hr_roles") / "home"
    skip = shutil.ignore_patterns("warehouse", "dagster", "sources", "landing")
    shutil.copytree(demo_home, root, ignore=skip)
    (unit,) = read_snapshot(
        root,
        "SELECT unit_code FROM recommendations WHERE month = $m ORDER BY unit_code LIMIT 1",
        {"m": rec_month},
    )[0]
    home = Home(root)
    for username, role in (("pimpinan", "leadership"), ("bkpsdm", "hr"),
                           ("inspektur", "inspectorate"), ("kepala", "skpd_head")):  # fmt: skip
        add_user(home, username, role, PASSWORD, unit=unit if role == "skpd_head" else None)
    return {"root": root, "unit": unit}


@pytest.fixture
def roles_home(cast, monkeypatch) -> dict:
    monkeypatch.setenv("RAPOR_HOME", str(cast["root"]))
    monkeypatch.delenv("RAPOR_REQUIRE_SIGNIN", raising=False)
    return cast


def test_skpd_head_sees_only_their_units_recommendations(roles_home, rec_month):
    root, unit = roles_home["root"], roles_home["unit"]
    at = sign_in(run_app(RECOMMENDATIONS, month=rec_month), "kepala")
    assert_clean(at)
    own = expected_recommendations(root, rec_month, unit)
    everyone = expected_recommendations(root, rec_month)
    assert own and own != everyone  # the month has rows of other units, which must not show
    assert shown_recommendations(at) == own
    other_nips = {r[0] for r in everyone - own} - {r[0] for r in own}
    shown_text = " ".join(str(f.value.to_dict()) for f in at.dataframe)
    assert not any(nip in shown_text for nip in other_nips)


@pytest.mark.parametrize("username", ["bkpsdm", "inspektur", "pimpinan"])
def test_hr_inspectorate_and_leadership_see_every_recommendation(roles_home, rec_month,
                                                                 username):  # fmt: skip
    at = sign_in(run_app(RECOMMENDATIONS, month=rec_month), username)
    assert_clean(at)
    assert shown_recommendations(at) == expected_recommendations(roles_home["root"], rec_month)


@pytest.mark.parametrize("username", ["bkpsdm", "kepala"])
def test_inspectorate_page_refuses_hr_and_skpd_head(roles_home, flag_month, username):
    at = sign_in(run_app(INSPECTORATE, month=flag_month), username)
    assert not at.exception
    assert len(at.error) == 1 and NOT_ALLOWED in at.error[0].value
    assert not at.dataframe and not at.get("download_button")


@pytest.mark.parametrize("username", ["inspektur", "pimpinan"])
def test_inspectorate_page_opens_for_inspectorate_and_leadership(roles_home, flag_month,
                                                                 username):  # fmt: skip
    at = sign_in(run_app(INSPECTORATE, month=flag_month), username)
    assert_clean(at)
    assert (
        len(table(at, "flags_table"))
        == read_snapshot(
            roles_home["root"], "SELECT count(*) FROM flags WHERE month = $m", {"m": flag_month}
        )[0][0]
    )


# --- Inspektorat -------------------------------------------------------------------------------
def test_inspectorate_flag_counts_and_list(home, flag_month):
    at = run_app(INSPECTORATE, month=flag_month)
    assert_clean(at)
    counts = table(at, "flag_counts")
    expected = dict(read_snapshot(
        home, "SELECT flag, count(*) FROM flags WHERE month = $m GROUP BY flag", {"m": flag_month}
    ))  # fmt: skip
    assert len(expected) > 1
    assert dict(zip(counts["flag"], counts["cases"].astype(int), strict=True)) == expected
    listed = table(at, "flags_table")
    expected_rows = set(read_snapshot(
        home, "SELECT flag, case_id, officer_nip, unit_code, detail FROM flags WHERE month = $m",
        {"m": flag_month},
    ))  # fmt: skip
    assert len(listed) == sum(expected.values())
    assert set(listed[["flag", "case_id", "officer_nip", "unit_code", "detail"]]
               .itertuples(index=False, name=None)) == expected_rows  # fmt: skip
    # the flag filter narrows the list to one flag
    rarest = min(expected, key=lambda f: (expected[f], f))
    at.selectbox(key="flag_filter").set_value(rarest).run()
    assert set(table(at, "flags_table")["flag"]) == {rarest}
    assert len(table(at, "flags_table")) == expected[rarest]


def test_inspectorate_shows_the_months_publication_versions(home, flag_month):
    at = run_app(INSPECTORATE, month=flag_month)
    assert_clean(at)
    versions = table(at, "publications_table")
    expected = read_snapshot(
        home,
        "SELECT version, change_summary FROM publications WHERE month = $m ORDER BY version DESC",
        {"m": flag_month},
    )
    assert expected
    assert list(zip(versions["version"].astype(int), versions["change_summary"],
                    strict=True)) == expected  # fmt: skip
    expanders = [e.label for e in at.expander]
    assert [f"Versi {v}" for v, _ in expected] == [x for x in expanders if x.startswith("Versi")]


def test_inspectorate_officer_versions_side_by_side(home, flag_month):
    nip, = read_snapshot(
        home, "SELECT officer_nip FROM flags WHERE month = $m ORDER BY officer_nip LIMIT 1",
        {"m": flag_month},
    )[0]  # fmt: skip
    at = run_app(INSPECTORATE, month=flag_month, nip=nip)
    assert_clean(at)
    side = table(at, "officer_versions_table").set_index("measure")
    frozen = read_snapshot(
        home,
        """SELECT version, resolved, backlog_end, rating FROM published_officer_month
           WHERE month = $m AND officer_nip = $n ORDER BY version""",
        {"m": flag_month, "n": nip},
    )
    (current,) = read_snapshot(
        home,
        "SELECT resolved, backlog_end, rating FROM officer_month WHERE month = $m "
        "AND officer_nip = $n",
        {"m": flag_month, "n": nip},
    )
    assert frozen
    assert list(side.columns) == [f"v{v}" for v, *_ in frozen] + ["current"]
    for version, resolved, backlog, rating in frozen:
        column = side[f"v{version}"]
        assert (column["resolved"], column["backlog_end"], column["rating"]) == (
            str(resolved), str(backlog), rating)  # fmt: skip
    now = side["current"]
    assert (now["resolved"], now["backlog_end"], now["rating"]) == (
        str(current[0]), str(current[1]), current[2])  # fmt: skip
