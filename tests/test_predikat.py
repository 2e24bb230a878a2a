"""The PermenPANRB 6/2022 predikat and the SE MenPANRB distribution check, hand-worked.

The scenario is the recommendations one (tests/test_flags.py): with a single judged
deadline enough to rate, Budi's hasil kerja is di_bawah_ekspektasi in March, April and May
2025 (score 0: every deadline missed) and Dewi's is di_atas_ekspektasi in April (score 100).
HR adds perilaku kerja and organisation ratings below; every expected value is written out
from the rules in docs/predikat.md, not computed.
"""

from __future__ import annotations

import pytest
import yaml

from pipelines.policy import DEFAULT_POLICY, PolicyError, load_policy
from pipelines.warehouse import connect
from tests.conftest import read_snapshot, write_csv
from tests.test_flags import build_home, recommendation_home
from tests.test_metrics_hand_cases import BUDI, DEWI

HASIL_PERILAKU_PREDIKAT = [
    ("di_atas_ekspektasi", "di_atas_ekspektasi", "sangat_baik"),
    ("di_atas_ekspektasi", "sesuai_ekspektasi", "baik"),
    ("sesuai_ekspektasi", "di_atas_ekspektasi", "baik"),
    ("sesuai_ekspektasi", "sesuai_ekspektasi", "baik"),
    ("di_bawah_ekspektasi", "sesuai_ekspektasi", "butuh_perbaikan"),
    ("di_bawah_ekspektasi", "di_atas_ekspektasi", "butuh_perbaikan"),
    ("di_atas_ekspektasi", "di_bawah_ekspektasi", "kurang"),
    ("sesuai_ekspektasi", "di_bawah_ekspektasi", "kurang"),
    ("di_bawah_ekspektasi", "di_bawah_ekspektasi", "sangat_kurang"),
    ("data_tidak_cukup", "di_atas_ekspektasi", None),
    ("sesuai_ekspektasi", None, None),
    (None, "sesuai_ekspektasi", None),
]


@pytest.mark.parametrize(("hasil", "perilaku", "predikat"), HASIL_PERILAKU_PREDIKAT)
def test_predikat_follows_the_permenpanrb_table(hasil, perilaku, predikat):
    con = connect(":memory:")
    try:
        got = con.execute("SELECT predikat_of($h, $p)", {"h": hasil, "p": perilaku}).fetchall()
    finally:
        con.close()
    assert got == [(predikat,)]


@pytest.fixture(scope="module")
def hr_home(tmp_path_factory):
    home = recommendation_home(tmp_path_factory.mktemp("predikat") / "home")
    policy = yaml.safe_load(home.policy_file.read_text())
    policy["predikat"] = {"distribution_min_officers": 1}  # judge even one officer
    home.policy_file.write_text(yaml.safe_dump(policy))
    write_csv(
        home.reference_dir / "behaviour_ratings.csv",
        ["nip", "period", "behaviour_rating", "note"],
        [
            (BUDI, "2025", "sesuai_ekspektasi", ""),  # the year...
            (BUDI, "2025-05", "di_bawah_ekspektasi", "teguran"),  # ...but May's own wins
            (DEWI, "2025-04", "Di Atas Ekspektasi", ""),  # spelled as HR types it
            ("19850315201001100", "2025", "sesuai_ekspektasi", ""),  # row 4
            (DEWI, "2025-13", "sesuai_ekspektasi", ""),  # row 5
            (DEWI, "2025-06", "bagus", ""),  # row 6
            (BUDI, "2025", "di_atas_ekspektasi", ""),  # row 7: repeats row 1
        ],
    )
    write_csv(
        home.reference_dir / "organisation_ratings.csv",
        ["unit_code", "period", "organisation_rating", "note"],
        [
            ("", "2025", "baik", "pemda"),
            ("DPU", "2025-04", "butuh_perbaikan", ""),
            ("DLH", "2025-04", "istimewa", ""),
            ("XYZ", "2025", "baik", ""),  # row 4
            ("", "2025", "istimewa", ""),  # row 5: repeats row 1
        ],
    )
    return home


def test_predikat_credit_and_tpp_per_officer_month(hr_home):
    got = build_home(
        hr_home,
        "SELECT month, officer_nip, rating, behaviour_rating, predikat, credit_percent, "
        "tpp_percent FROM officer_month WHERE officer_nip IN ($budi, $dewi) "
        "ORDER BY month, officer_nip",
        {"budi": BUDI, "dewi": DEWI},
    )
    # score 0 is in the lowest TPP band (0 %), score 100 in the top one (100 %)
    assert got == [
        ("2025-03", BUDI, "di_bawah_ekspektasi", "sesuai_ekspektasi", "butuh_perbaikan", 75, 0),
        ("2025-04", BUDI, "di_bawah_ekspektasi", "sesuai_ekspektasi", "butuh_perbaikan", 75, 0),
        ("2025-04", DEWI, "di_atas_ekspektasi", "di_atas_ekspektasi", "sangat_baik", 150, 100),
        ("2025-05", BUDI, "di_bawah_ekspektasi", "di_bawah_ekspektasi", "sangat_kurang", 25, 0),
        # June to September: Budi's missed cases are still open, nothing falls due: no
        # score, no predikat, whatever his perilaku kerja
        *[(m, BUDI, "data_tidak_cukup", "sesuai_ekspektasi", None, None, None)
          for m in ("2025-06", "2025-07", "2025-08", "2025-09")],
    ]  # fmt: skip


def test_bad_hr_rows_are_quarantined_with_reasons(hr_home):
    got = build_home(
        hr_home,
        "SELECT input_table, row_number, reason FROM quarantine "
        "WHERE input_table LIKE '%ratings' AND input_table <> 'ratings' ORDER BY ALL",
    )
    assert got == [
        ("behaviour_ratings", 4, "invalid NIP: NIP must be 18 digits, got 17 characters"),
        ("behaviour_ratings", 5, "period must be YYYY-MM or YYYY: got 2025-13"),
        ("behaviour_ratings", 6, "behaviour_rating must be di_atas_ekspektasi, "
         "sesuai_ekspektasi or di_bawah_ekspektasi: got bagus"),
        ("behaviour_ratings", 7, "repeated rating: same NIP and period as row 1"),
        ("organisation_ratings", 4, "unknown unit: XYZ"),
        ("organisation_ratings", 5, "repeated rating: same unit and period as row 1"),
    ]  # fmt: skip


def test_distribution_rules_judged_per_unit_and_pemda(hr_home):
    got = build_home(
        hr_home,
        "SELECT month, unit_code, organisation_rating, predikat_list, limit_kind, "
        "rated_officers, officers_in_rule, passed FROM predikat_distribution ORDER BY ALL",
    )
    # rated officers (with a predikat): March Budi (butuh_perbaikan); April Budi in DPU
    # (butuh_perbaikan) and Dewi in DLH (sangat_baik); May Budi (sangat_kurang)
    assert got == [
        # pemda, baik, March: 0 of 1 baik (<= 70 %); 1 butuh_perbaikan/kurang (>= 1)
        ("2025-03", None, "baik", "baik", "max", 1, 0, True),
        ("2025-03", None, "baik", "butuh_perbaikan,kurang", "at_least", 1, 1, True),
        # DLH, istimewa: 1 of 1 sangat_baik, above the 70 % cap
        ("2025-04", "DLH", "istimewa", "sangat_baik", "max", 1, 1, False),
        # DPU, butuh_perbaikan: 1 of 1 butuh_perbaikan (>= 60 %), 0 sangat_baik (<= 10 %)
        ("2025-04", "DPU", "butuh_perbaikan", "butuh_perbaikan", "min", 1, 1, True),
        ("2025-04", "DPU", "butuh_perbaikan", "sangat_baik", "max", 1, 0, True),
        ("2025-04", None, "baik", "baik", "max", 2, 0, True),
        ("2025-04", None, "baik", "butuh_perbaikan,kurang", "at_least", 2, 1, True),
        # May: Budi is sangat_kurang, so nobody is butuh_perbaikan or kurang
        ("2025-05", None, "baik", "baik", "max", 1, 0, True),
        ("2025-05", None, "baik", "butuh_perbaikan,kurang", "at_least", 1, 0, False),
    ]
    detail = build_home(
        hr_home,
        "SELECT detail FROM predikat_distribution WHERE month = '2025-04' AND unit_code = 'DLH'",
    )
    assert detail == [
        ("Predikat kinerja organisasi istimewa: paling banyak 70% pegawai berpredikat sangat "
         "baik; tercatat 1 dari 1 pegawai (100%).",)
    ]  # fmt: skip


def test_the_run_summary_counts_the_warnings(hr_home):
    """Through a real Dagster run (rapor run's runner): the 9 rules judged above, 2 broken."""
    from pipelines.runner import run_pipeline

    summary = run_pipeline(hr_home)
    assert (summary.distribution_rules, summary.distribution_broken) == (9, 2)
    # what HR saw is frozen with each month's version: the 9 rules of the test above, the
    # broken two among them, under version 1 of their month
    frozen = read_snapshot(
        hr_home,
        "SELECT version, month, unit_code, predikat_list, limit_kind, passed "
        "FROM published_predikat_distribution ORDER BY ALL",
    )
    assert len(frozen) == 9 and {row[0] for row in frozen} == {1}
    assert [row[1:] for row in frozen if not row[-1]] == [
        ("2025-04", "DLH", "sangat_baik", "max", False),
        ("2025-05", None, "butuh_perbaikan,kurang", "at_least", False),
    ]


def _policy_with(tmp_path, **sections):
    raw = yaml.safe_load(DEFAULT_POLICY.read_text())
    raw.update(sections)
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ({"predikat": {"distribution": {"luar_biasa": []}}},
         "'predikat.distribution.luar_biasa': organisation ratings are"),
        ({"predikat": {"distribution": {"baik": [{"predikat": ["baik"], "max": 1.5}]}}},
         "'predikat.distribution.baik rule 1': max is a share from 0 to 1"),
        ({"predikat": {"distribution": {"baik": [{"predikat": ["bagus"], "max": 0.5}]}}},
         "'predikat.distribution.baik rule 1': 'predikat' must be a list of"),
        ({"predikat": {"distribution": {"baik": [{"predikat": ["baik"], "max": 0.5,
                                                   "min": 0.1}]}}},
         "needs 'predikat' and exactly one of ['max', 'min', 'at_least']"),
        ({"predikat": {"credit_percent": {"baik": 100}}},
         "'predikat.credit_percent' needs exactly"),
        ({"tpp": {"bands": [{"min_score": 50, "percent": 40}, {"min_score": 60,
                                                                "percent": 55}]}},
         "min_score must fall strictly"),
        ({"tpp": {"bands": [{"min_score": 50, "percent": 40}]}},
         "the last of 'tpp.bands' must have min_score 0"),
        ({"tpp": {"bands": [{"min_score": 0, "percent": 140}]}}, "percent must be 0..100"),
        ({"predikat": {"distribution_min_officers": 0}},
         "'predikat.distribution_min_officers' must be >= 1"),
    ],
)  # fmt: skip
def test_a_bad_predikat_or_tpp_policy_is_refused_by_name(tmp_path, sections, message):
    with pytest.raises(PolicyError) as err:
        load_policy(_policy_with(tmp_path, **sections))
    assert message in str(err.value)


def test_distribution_rules_become_parallel_parameters():
    params = load_policy().sql_params()
    rules = list(zip(params["dist_org"], params["dist_predikat"], params["dist_kind"],
                     params["dist_limit"], strict=True))  # fmt: skip
    assert ("baik", "baik", "max", 0.7) in rules
    assert ("baik", "butuh_perbaikan,kurang", "at_least", 1.0) in rules
    assert ("sangat_kurang", "sangat_baik", "max", 0.0) in rules
    assert len(rules) == 11  # 1 + 2 + 2 + 3 + 3, as in default_policy.yaml


def test_tpp_band_by_score_and_none_on_too_little_data(demo_home):
    """On the demo city: every rated officer-month's tpp_percent is its score's band, worked
    out here from the Perwal's table; officer-months with too little data get none, even
    with a score."""
    rows = read_snapshot(demo_home, "SELECT score, rating, tpp_percent FROM officer_month")
    bands = [(90, 100), (80, 85), (70, 70), (60, 55), (50, 40), (40, 25), (0, 0)]
    unrated_with_score = [r for r in rows if r[1] == "data_tidak_cukup" and r[0] is not None]
    assert unrated_with_score  # the case this guards against exists in the demo
    assert all(tpp is None for _, _, tpp in unrated_with_score)
    rated = [r for r in rows if r[1] not in (None, "data_tidak_cukup")]
    assert rated
    for score, _, tpp in rated:
        assert tpp == next(percent for low, percent in bands if score >= low), score
