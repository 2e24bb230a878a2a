"""Sign-in with roles: password hashing, `rapor users`, and what each role sees in the app
(AppTest on a copy of the demo city with a users file). Expected rows come from querying
the snapshot directly, not from the app's data layer."""

from __future__ import annotations

import io
import shutil
import stat

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from app import data
from pipelines import users as users_mod
from pipelines.cli import main
from pipelines.home import Home
from pipelines.users import (
    UsersError,
    add_user,
    authenticate,
    hash_password,
    load_users,
    verify_password,
)
from tests.conftest import read_snapshot
from tests.test_app import OFFICERS, PROFILE, run_app

AS_OF_MONTH = "(SELECT strftime(as_of_date, '%Y-%m') FROM snapshot_info)"
PASSWORD = "sandi-yang-panjang-1"
FAILED = "Nama pengguna atau kata sandi salah."


# --- hashing -------------------------------------------------------------------------------
def test_hash_is_salted_scrypt_and_verifies():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second  # a fresh salt every time
    scheme, n, r, p, _salt, _digest = first.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**14, 8, 1)
    assert PASSWORD not in first
    assert verify_password(PASSWORD, first) and verify_password(PASSWORD, second)
    assert not verify_password(PASSWORD + "x", first)
    assert not verify_password("", first)


def test_the_stored_cost_is_the_one_checked():
    cheap = hash_password(PASSWORD, n=2**10, r=4, p=1)
    assert cheap.startswith("scrypt$1024$4$1$")
    assert verify_password(PASSWORD, cheap)
    assert not verify_password(PASSWORD, cheap.replace("$1024$", "$2048$", 1))


@pytest.mark.parametrize("stored", [None, "", "plain-text", "md5$abc", "scrypt$x$8$1$AA==$AA==",
                                    "scrypt$16384$8$1$not base64$AA=="])  # fmt: skip
def test_a_malformed_hash_never_matches(stored):
    assert not verify_password(PASSWORD, stored)


def test_authenticate_gives_one_answer_for_unknown_user_and_wrong_password(uji_home, monkeypatch):
    add_user(uji_home, "Kepala.DPU", "skpd_head", PASSWORD, unit="DPU")
    add_user(uji_home, "sso", "hr", None, email="SSO@Kota.go.id")
    table = load_users(uji_home)
    assert set(table) == {"kepala.dpu", "sso"}  # usernames are kept lower case
    assert authenticate(table, "KEPALA.DPU ", PASSWORD).unit == "DPU"
    checked = []
    real = users_mod.verify_password
    monkeypatch.setattr(users_mod, "verify_password",
                        lambda pw, h: checked.append(h) or real(pw, h))  # fmt: skip
    assert authenticate(table, "kepala.dpu", "wrong-password") is None
    assert authenticate(table, "nobody", PASSWORD) is None
    assert authenticate(table, "sso", "") is None  # OIDC only: no password sign-in
    assert len(checked) == 3  # a hash is checked in every case, also for unknown users
    assert users_mod.find_by_email(table, " sso@kota.GO.id").username == "sso"


# --- rapor users ---------------------------------------------------------------------------
def _add(home: Home, *args: str, password: str = PASSWORD, monkeypatch=None) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["users", "add", "--home", str(home.root), "--password-stdin", *args])


def test_users_add_list_remove(uji_home, monkeypatch, capsys):
    assert _add(uji_home, "--username", "kepala", "--role", "skpd_head", "--unit", "DPU",
                "--name", "Kepala DPU", monkeypatch=monkeypatch) == 0  # fmt: skip
    assert _add(uji_home, "--username", "inspektur", "--role", "inspectorate",
                monkeypatch=monkeypatch) == 0  # fmt: skip
    path = uji_home.root / "users.yaml"
    assert path.exists() and not (uji_home.serving_dir / "users.yaml").exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert PASSWORD not in text
    rows = {u["username"]: u for u in yaml.safe_load(text)["users"]}
    assert rows["kepala"]["unit"] == "DPU" and rows["kepala"]["name"] == "Kepala DPU"
    assert verify_password(PASSWORD, rows["inspektur"]["password"])
    capsys.readouterr()

    assert main(["users", "list", "--home", str(uji_home.root)]) == 0
    out = capsys.readouterr().out
    assert "kepala" in out and "skpd_head" in out and "DPU" in out and "inspectorate" in out
    assert "scrypt" not in out

    assert main(["users", "remove", "--home", str(uji_home.root), "--username", "kepala"]) == 0
    assert set(load_users(uji_home)) == {"inspektur"}
    assert main(["users", "remove", "--home", str(uji_home.root), "--username", "kepala"]) == 1
    assert "no user 'kepala'" in capsys.readouterr().err


def test_users_list_without_a_file_says_the_app_is_open(uji_home, capsys):
    assert main(["users", "list", "--home", str(uji_home.root)]) == 0
    assert "open to anyone" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--role", "skpd_head", "--unit", "NOPE"], PASSWORD, "unknown unit 'NOPE'"),
        (["--role", "skpd_head"], PASSWORD, "needs --unit"),
        (["--role", "hr", "--unit", "DPU"], PASSWORD, "only for skpd_head"),
        (["--role", "hr"], "pendek", "at least 10 characters"),
    ],
)
def test_users_add_refuses_bad_input(uji_home, monkeypatch, capsys, args, password, message):
    code = _add(uji_home, "--username", "someone", *args, password=password,
                monkeypatch=monkeypatch)  # fmt: skip
    assert code == 1
    assert message in capsys.readouterr().err
    assert not (uji_home.root / "users.yaml").exists()


def test_users_add_refuses_a_duplicate_unless_replaced(uji_home, monkeypatch, capsys):
    assert _add(uji_home, "--username", "a1", "--role", "hr", monkeypatch=monkeypatch) == 0
    assert _add(uji_home, "--username", "a1", "--role", "leadership",
                monkeypatch=monkeypatch) == 1  # fmt: skip
    assert "exists" in capsys.readouterr().err
    assert _add(uji_home, "--username", "a1", "--role", "leadership", "--replace",
                password="another-password-2", monkeypatch=monkeypatch) == 0  # fmt: skip
    user = load_users(uji_home)["a1"]
    assert user.role == "leadership" and verify_password("another-password-2", user.password)


def test_users_add_prompts_twice_and_never_takes_the_password_as_an_argument(
    uji_home, monkeypatch, capsys
):
    answers = iter([PASSWORD, PASSWORD + "typo"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    base = ["users", "add", "--home", str(uji_home.root), "--username", "b1", "--role", "hr"]
    assert main(base) == 1
    assert "differ" in capsys.readouterr().err
    answers = iter([PASSWORD, PASSWORD])
    assert main(base) == 0
    assert verify_password(PASSWORD, load_users(uji_home)["b1"].password)
    with pytest.raises(SystemExit):
        main([*base, "--password", PASSWORD])
    assert main(["users", "add", "--home", str(uji_home.root), "--role", "hr"]) == 2


def test_a_broken_users_file_is_an_error(uji_home):
    (uji_home.root / "users.yaml").write_text("users:\n  - username: x\n    role: admin\n")
    with pytest.raises(UsersError):
        load_users(uji_home)


# --- roles -> viewers ------------------------------------------------------------------------
def test_role_matrix():
    assert data.viewer_for("leadership") == data.Viewer("leadership", None, False, False)
    assert data.viewer_for("hr") == data.Viewer("hr", None, False, False)
    assert data.viewer_for("inspectorate") == data.Viewer("inspectorate", None, True, False)
    assert data.viewer_for("skpd_head", "DPU") == data.Viewer("skpd_head", ("DPU",), False, False)
    # fail closed: an unknown role, or an SKPD head without a unit, sees no unit
    assert data.viewer_for("admin").units == ()
    assert data.viewer_for("skpd_head").units == ()


# --- the app, per role -----------------------------------------------------------------------
ROLES = {  # username: (role, unit)
    "pimpinan": ("leadership", None),
    "bkpsdm": ("hr", None),
    "inspektur": ("inspectorate", None),
    "kepala": ("skpd_head", "<own>"),
}


def make_cast(demo_home, root, users: dict[str, str], password: str) -> dict:
    """A copy of the demo city's snapshot and reference at `root` with `users` (username:
    role; the skpd_head heads the unit below), and the officers role tests look at: one with
    a confidential case whose title no open case shares (own unit of the SKPD head) and the
    busiest named officer of another unit; each stayed in one unit throughout."""
    skip = shutil.ignore_patterns("warehouse", "dagster", "sources", "landing")
    shutil.copytree(demo_home, root, ignore=skip)
    one_unit = """
        {col} IN (SELECT officer_nip FROM officer_month GROUP BY 1
                  HAVING count(DISTINCT unit_code) = 1)
        AND {col} IN (SELECT nip FROM officers GROUP BY 1 HAVING count(DISTINCT unit_code) = 1)
    """
    found = read_snapshot(
        root,
        f"""
        SELECT f.officer_nip, f.month, c.case_id, c.title, o.unit_code
        FROM holder_facts AS f
        JOIN cases AS c USING (case_key)
        JOIN officer_month AS o ON o.officer_nip = f.officer_nip AND o.month = f.month
        WHERE c.is_confidential AND c.title IS NOT NULL AND f.month <= {AS_OF_MONTH}
          AND c.title NOT IN (SELECT title FROM cases WHERE NOT is_confidential
                              AND title IS NOT NULL)
          AND {one_unit.format(col="f.officer_nip")}
        ORDER BY f.month DESC, f.officer_nip, c.case_id LIMIT 1
    """,
    )
    if not found:
        pytest.skip("the demo city has no confidential case behind a one-unit officer")
    nip, month, case_id, title, unit = found[0]
    other_nip, other_name, other_unit = read_snapshot(
        root,
        f"""
        SELECT officer_nip, officer_name, unit_code FROM officer_month
        WHERE month = $month AND unit_code <> $unit AND officer_name IS NOT NULL
          AND {one_unit.format(col="officer_nip")}
        ORDER BY resolution_due + response_due DESC, officer_nip LIMIT 1
    """,
        {"month": month, "unit": unit},
    )[0]
    counts = dict(
        read_snapshot(
            root,
            "SELECT unit_code = $unit, count(*) FROM officer_month WHERE month = $m GROUP BY 1",
            {"unit": unit, "m": month},
        )
    )
    for username, role in users.items():
        add_user(Home(root), username, role, password,
                 unit=unit if role == "skpd_head" else None, name=username.title())  # fmt: skip
    return {"root": root, "nip": nip, "month": month, "case_id": case_id, "title": title,
            "unit": unit, "other_nip": other_nip, "other_name": other_name,
            "other_unit": other_unit, "own_count": counts[True],
            "all_count": counts[True] + counts[False]}  # fmt: skip


@pytest.fixture(scope="module")
def cast(demo_home, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("roles") / "home"
    return make_cast(demo_home, root, {u: role for u, (role, _) in ROLES.items()}, PASSWORD)


@pytest.fixture
def roles_home(cast, monkeypatch) -> dict:
    monkeypatch.setenv("RAPOR_HOME", str(cast["root"]))
    monkeypatch.delenv("RAPOR_REQUIRE_SIGNIN", raising=False)
    return cast


def sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def shows_data(at: AppTest) -> bool:
    return bool(at.dataframe or at.metric or at.get("vega_lite_chart"))


def everything(at: AppTest) -> str:
    return " ".join(str(f.value.to_dict()) for f in at.dataframe) + " ".join(
        m.value for m in at.markdown
    )


def test_without_a_users_file_the_app_is_open_and_says_so(demo_home, monkeypatch):
    monkeypatch.setenv("RAPOR_HOME", str(demo_home))
    monkeypatch.delenv("RAPOR_REQUIRE_SIGNIN", raising=False)
    at = run_app(OFFICERS)
    assert not at.exception
    assert any("Tanpa login" in w.value for w in at.sidebar.warning)
    assert at.dataframe
    monkeypatch.setenv("RAPOR_REQUIRE_SIGNIN", "1")
    at = run_app(OFFICERS)
    assert any("RAPOR_REQUIRE_SIGNIN" in e.value for e in at.error)
    assert not shows_data(at)


@pytest.mark.parametrize("page", [None, OFFICERS, PROFILE, "app_pages/mutu.py"])
def test_every_page_asks_for_sign_in_first(roles_home, page):
    at = run_app(page, nip=roles_home["nip"], month=roles_home["month"])
    assert not at.exception
    assert [x.value for x in at.title] == ["Masuk ke rapor"]
    assert not shows_data(at)
    assert roles_home["nip"] not in everything(at)


def test_wrong_password_and_unknown_user_get_the_same_message(roles_home):
    at = sign_in(run_app(), "kepala", "wrong-password")
    assert [e.value for e in at.error] == [FAILED]
    assert not shows_data(at)
    at = sign_in(run_app(), "no-such-user", PASSWORD)
    assert [e.value for e in at.error] == [FAILED]
    assert [x.value for x in at.title] == ["Masuk ke rapor"]


def test_the_requested_page_opens_after_sign_in(roles_home):
    at = sign_in(run_app(PROFILE, nip=roles_home["nip"], month=roles_home["month"]),
                 "bkpsdm")  # fmt: skip
    assert not at.exception and not at.error
    assert [x.value for x in at.title] == ["Profil pegawai"]
    assert roles_home["nip"] in everything(at)
    assert any("Bkpsdm" in m.value for m in at.sidebar.markdown)


@pytest.mark.parametrize("username", ["pimpinan", "bkpsdm", "inspektur"])
def test_leadership_hr_and_inspectorate_see_every_unit(roles_home, username):
    at = sign_in(run_app(OFFICERS, month=roles_home["month"]), username)
    assert not at.exception and not at.error
    listed = set(at.dataframe[0].value["unit_code"])
    expected = {u for (u,) in read_snapshot(roles_home["root"],
                "SELECT DISTINCT unit_code FROM officer_month WHERE month = $m",
                {"m": roles_home["month"]})}  # fmt: skip
    assert listed == expected and len(listed) > 1


@pytest.mark.parametrize(("username", "sees_text"),
                         [("pimpinan", False), ("bkpsdm", False), ("inspektur", True),
                          ("kepala", False)])  # fmt: skip
def test_confidential_text_only_for_the_inspectorate(roles_home, username, sees_text):
    at = sign_in(run_app(PROFILE, nip=roles_home["nip"], month=roles_home["month"]), username)
    assert not at.exception and not at.error
    cases = next(f.value for f in at.dataframe if "title" in f.value.columns)
    shown = cases.loc[cases["case_id"] == roles_home["case_id"], "title"].tolist()
    assert shown == ([roles_home["title"]] if sees_text else ["rahasia"])
    assert (roles_home["title"] in everything(at)) is sees_text


def test_skpd_head_sees_only_their_unit(roles_home):
    unit, month = roles_home["unit"], roles_home["month"]
    at = sign_in(run_app(OFFICERS, month=month), "kepala")
    assert not at.exception and not at.error
    officers = at.dataframe[0].value
    expected = {n for (n,) in read_snapshot(roles_home["root"],
                "SELECT officer_nip FROM officer_month WHERE month = $m AND unit_code = $u",
                {"m": month, "u": unit})}  # fmt: skip
    assert set(officers["unit_code"]) == {unit}
    assert set(officers["officer_nip"]) == expected
    assert roles_home["other_nip"] not in everything(at)

    # the overview's ranking: their own row, with its rank among all units
    snap = data.locate()
    everyone = data.unit_ranking(snap, month, data.Viewer(), 10)
    own = data.unit_ranking(snap, month, data.viewer_for("skpd_head", unit), 10)
    assert own["unit_code"].to_list() == [unit]
    assert own["rank"].to_list() == everyone.filter(everyone["unit_code"] == unit)["rank"].to_list()


def test_skpd_head_cannot_open_another_units_officer_by_url(roles_home):
    other = roles_home["other_nip"]
    at = sign_in(run_app(PROFILE, nip=other, month=roles_home["month"]), "kepala")
    assert not at.exception
    assert len(at.error) == 1 and "Tidak diizinkan" in at.error[0].value
    assert not shows_data(at)
    assert [s.key for s in at.selectbox] == ["lang"]  # no officer picker: it stops there
    # the data layer refuses as well, whatever a page asks
    viewer = data.viewer_for("skpd_head", roles_home["unit"])
    snap = data.locate()
    assert data.officer_history(snap, other, viewer).is_empty()
    assert data.officer_postings(snap, other, viewer).is_empty()
    assert data.officer_cases(snap, other, roles_home["month"], viewer).is_empty()

    at = sign_in(run_app(OFFICERS, unit=roles_home["other_unit"]), "kepala")
    assert len(at.error) == 1 and roles_home["other_unit"] in at.error[0].value
    assert not shows_data(at)


def test_sign_out_and_a_removed_user(roles_home, tmp_path, monkeypatch):
    at = sign_in(run_app(OFFICERS), "pimpinan")
    assert at.dataframe
    at.sidebar.button(key="sign_out").click().run()
    assert [x.value for x in at.title] == ["Masuk ke rapor"] and not shows_data(at)

    # a user removed from the file is out at the next click
    root = tmp_path / "home"
    shutil.copytree(roles_home["root"], root)
    monkeypatch.setenv("RAPOR_HOME", str(root))
    at = sign_in(run_app(OFFICERS), "bkpsdm")
    assert at.dataframe
    users_mod.remove_user(Home(root), "bkpsdm")
    at.run()
    assert [x.value for x in at.title] == ["Masuk ke rapor"] and not shows_data(at)
