"""One case per complaint: the cross-channel merge (sql/case_members.sql, docs/merging.md).

Precision and recall on a generated demo city are computed here from the truth file and the
snapshot with plain Python sets, not by pipelines.merge_eval. The hand-made cases run the
real pipeline on a copy of the Kota Uji home with a second source (s2) and a reviewed
override file; every expected case, evidence text and quarantine reason below was worked
out by hand from the rows written here.
"""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from pipelines.cli import main
from pipelines.policy import DEFAULT_POLICY, PolicyError, load_policy
from pipelines.runner import run_pipeline
from tests.conftest import copy_fixture, read_snapshot, write_csv

# --------------------------------------------------------------- against the demo truth


def pairs(groups) -> set[frozenset]:
    return {frozenset(p) for members in groups for p in itertools.combinations(members, 2)}


def truth_and_merge(home: Path) -> tuple[set, set]:
    """(pairs of staged complaints that are one complaint, pairs that share a case)."""
    cases = defaultdict(list)
    for source, source_id, case_key in read_snapshot(
        home, "SELECT source, source_id, case_key FROM case_members"
    ):
        cases[case_key].append((source, source_id))
    staged = {m for members in cases.values() for m in members}
    truth = defaultdict(list)
    with open(home / "demo_truth" / "duplicates.csv", newline="") as f:
        for row in csv.DictReader(f):
            key = (row["source"], row["source_id"])
            if key in staged:
                truth[row["complaint_key"]].append(key)
    return pairs(truth.values()), pairs(cases.values())


def test_demo_city_merge_precision_and_recall(demo_home):
    same, merged = truth_and_merge(demo_home)
    right = same & merged
    precision, recall = len(right) / len(merged), len(right) / len(same)
    assert precision >= 0.95, f"precision {precision:.3f}: {len(merged - same)} false merges"
    assert recall >= 0.9, f"recall {recall:.3f}: {len(same - merged)} missed merges"


def test_demo_city_needs_the_text_rule(demo_home):
    """About a tenth of the copies come through e-mail or mass media, whose reporters no
    phone number matches: only the text rule finds them, and they must carry its evidence."""
    (text, merged, without) = read_snapshot(
        demo_home,
        """SELECT count(*) FILTER (WHERE match_evidence LIKE 'text similarity %'),
                  count(*) FILTER (WHERE member_count > 1),
                  count(*) FILTER (WHERE member_count > 1 AND match_evidence IS NULL)
           FROM case_members""",
    )[0]
    assert text >= 10
    assert without == 0 and merged > text


def test_merge_report_agrees_with_the_plain_count(demo_home, capsys):
    same, merged = truth_and_merge(demo_home)
    assert main(["merge-report", "--home", str(demo_home), "--examples", "2"]) == 0
    out = capsys.readouterr().out
    precision = len(same & merged) / len(merged)
    recall = len(same & merged) / len(same)
    assert f"precision              {precision:.4f}" in out
    assert f"recall                 {recall:.4f}" in out
    assert f"true positives      {len(same & merged):>9,}" in out
    assert f"false positives     {len(merged - same):>9,}" in out
    assert f"false negatives     {len(same - merged):>9,}" in out


def test_merge_report_works_without_a_truth(uji_home, capsys):
    """Kota Uji (no truth file): C1 and C2 are one case by the reporter rule, C3 is alone
    and C4 is quarantined, so 3 complaints, 2 cases, 1 complaint merged by the reporter."""
    run_pipeline(uji_home)
    assert main(["merge-report", "--home", str(uji_home.root)]) == 0
    out = capsys.readouterr().out
    assert "  complaints                  3\n" in out
    assert "  cases                       2  (1 of more than one complaint; 1 complaints" in out
    assert "    reporter rule             1\n" in out
    assert "    text rule                 0\n" in out
    assert "Sample of the reporter rule's merged pairs to review (1 of 1):" in out
    assert "  a  s1:C2  " in out and "  b  s1:C1  " in out
    assert "evidence: same reporter, category and kelurahan Bulusan as s1:C1" in out
    assert "precision and recall need a demo city's truth" in out
    assert "precision " not in out.replace("precision and recall need", "")


def test_merge_report_needs_a_snapshot(uji_home, capsys):
    assert main(["merge-report", "--home", str(uji_home.root)]) == 1
    assert "no published snapshot" in capsys.readouterr().err


# --------------------------------------------------------------- hand-made cases

COLUMNS = ["source_id", "channel", "received_at", "category", "complaint_class", "title",
           "description", "district", "village", "reporter_id"]  # fmt: skip

# (source_id, channel, received_at, category, title, description, village, reporter_id);
# every complaint is in Kec. Tembalang, each group in its own kelurahan
S2 = [
    # link: different reporters 15 days apart, no rule joins them; the reviewer does
    ("L1", "lapor", "2025-05-05 09:00:00", "jalan_rusak", "Jalan berlubang", "Lubang besar",
     "Sendangmulyo", "0811-1111"),
    ("L2", "whatsapp", "2025-05-20 09:00:00", "jalan_rusak", "Jalan berlubang", "Lubang besar",
     "Sendangmulyo", "0811-2222"),
    # unlink: one reporter chains U1 -> U2 (24 h) -> U3 (23 h); U2 is taken out, and U1 and
    # U3 (47 h apart, within 3 days) stay one case without it
    ("U1", "whatsapp", "2025-05-06 10:00:00", "sampah", "Sampah", "Menumpuk", "Meteseh",
     "0812-3333"),
    ("U2", "sms", "2025-05-07 10:00:00", "sampah", "Sampah", "Menumpuk", "Meteseh",
     "0812-3333"),
    ("U3", "call_center", "2025-05-08 09:00:00", "sampah", "Sampah", "Menumpuk", "Meteseh",
     "0812-3333"),
    # (a category with fewer than cases.common_min_complaints = 50 complaints weighs every
    # word 1, so the weighted similarity is the plain Jaccard one; the category's name is
    # not in these texts)
    # text similarity 0.6, above the threshold 0.45: T1 words {banjir di jl kenanga air
    # setinggi lutut} (7), T2 {banjir jl kenanga air setinggi lutut sejak pagi ini} (9),
    # 6 shared, 10 in all: 6 / 10 = 0.6, merged. E-mail and phone: not comparable.
    ("T1", "whatsapp", "2025-05-12 08:00:00", "drainase", "Banjir di Jl. Kenanga",
     "Air setinggi lutut", "Rowosari", "0813-4444"),
    ("T2", "email", "2025-05-12 13:00:00", "drainase", "Banjir Jl. Kenanga",
     "air setinggi lutut sejak pagi ini", "Rowosari", "warga.satu@contoh.id"),
    # below: T3 {banjir di jl melati air setinggi lutut} (7), T4 {banjir jl melati air
    # sejak pagi tadi} (7), 4 shared, 10 in all: 4 / 10 = 0.4 < 0.45, not merged
    ("T3", "whatsapp", "2025-05-12 08:00:00", "drainase", "Banjir di Jl. Melati",
     "Air setinggi lutut", "Kramas", "0813-5555"),
    ("T4", "email", "2025-05-12 13:00:00", "drainase", "Banjir Jl. Melati",
     "air sejak pagi tadi", "Kramas", "warga.dua@contoh.id"),
    # the window (3 days): exactly 72 hours apart merges, 72 hours and a minute does not
    ("W1", "whatsapp", "2025-05-14 08:00:00", "pohon_tumbang", "Pohon tumbang di Jl. Cempaka",
     "Menutup jalan", "Jangli", "0814-6666"),
    ("W2", "mass_media", "2025-05-17 08:00:00", "pohon_tumbang",
     "Pohon tumbang di Jl. Cempaka", "Menutup jalan", "Jangli", ""),
    ("W3", "whatsapp", "2025-05-14 08:00:00", "pohon_tumbang", "Pohon tumbang di Jl. Cempaka",
     "Menutup jalan", "Tandang", "0814-7777"),
    ("W4", "mass_media", "2025-05-17 08:01:00", "pohon_tumbang",
     "Pohon tumbang di Jl. Cempaka", "Menutup jalan", "Tandang", ""),
    # similar texts (9 of 11 words, 0.82) naming two streets: two places, not merged
    ("S1", "whatsapp", "2025-05-15 08:00:00", "lampu_jalan", "Lampu jalan mati di Jl. Mawar",
     "Gelap sejak minggu lalu", "Mangunharjo", "0815-8888"),
    ("S2", "email", "2025-05-15 10:00:00", "lampu_jalan", "Lampu jalan mati di Jl. Anggrek",
     "Gelap sejak minggu lalu", "Mangunharjo", "warga.tiga@contoh.id"),
    # the same text from two different phone numbers: two people, never a text match (and
    # the reviewer's link for them is quarantined for want of a reason)
    ("P1", "whatsapp", "2025-05-16 08:00:00", "parkir_liar", "Parkir liar di Jl. Dahlia",
     "Menutup trotoar", "Kedungmundu", "0816-1111"),
    ("P2", "sms", "2025-05-16 09:00:00", "parkir_liar", "Parkir liar di Jl. Dahlia",
     "Menutup trotoar", "Kedungmundu", "0816-2222"),
]  # fmt: skip

LINKS = [
    ("link", "s2", "L1", "s2", "L2", "same pothole reported twice", "Ani", "2025-05-25"),
    ("unlink", "s2", "U2", "s2", "U1", "a different pile of rubbish", "Budi", "2025-05-26"),
    ("link", "s2", "L1", "s2", "NOPE", "typo in the id", "Ani", "2025-05-25"),
    ("link", "s1", "C4", "s1", "C1", "C4 was quarantined", "Ani", "2025-05-25"),
    ("merge", "s2", "P1", "s2", "P2", "same car", "Ani", "2025-05-25"),
    ("link", "s2", "P1", "s2", "P2", "", "Ani", "2025-05-25"),
]
LINK_COLUMNS = ["action", "source_a", "source_id_a", "source_b", "source_id_b", "reason",
                "reviewed_by", "reviewed_at"]  # fmt: skip


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """Kota Uji plus source s2 and reference/case_links.csv, through the real pipeline."""
    home = copy_fixture("kota_uji", tmp_path_factory.mktemp("merge") / "home")
    write_csv(
        home.sources_dir / "s2" / "complaints.csv",
        COLUMNS,
        [(sid, ch, at, cat, "pengaduan", title, desc, "Tembalang", village, rep)
         for sid, ch, at, cat, title, desc, village, rep in S2],
    )  # fmt: skip
    write_csv(home.reference_dir / "case_links.csv", LINK_COLUMNS, LINKS)
    run_pipeline(home)
    return home


def members(home) -> dict[str, tuple]:
    """complaint (source:source_id) -> (its case_id, member_count, match_evidence)."""
    rows = read_snapshot(
        home,
        "SELECT source || ':' || source_id, case_id, member_count, match_evidence "
        "FROM case_members",
    )
    return {r[0]: r[1:] for r in rows}


def test_cases_after_rules_and_overrides(merged):
    got = defaultdict(set)
    for complaint, (case_id, _, _) in members(merged).items():
        got[case_id].add(complaint)
    assert sorted(sorted(c) for c in got.values()) == sorted(
        sorted(c)
        for c in [
            {"s1:C1", "s1:C2"}, {"s1:C3"},  # Kota Uji itself: C4 is quarantined
            {"s2:L1", "s2:L2"},  # linked by the reviewer
            {"s2:U1", "s2:U3"}, {"s2:U2"},  # U2 unlinked
            {"s2:T1", "s2:T2"}, {"s2:T3"}, {"s2:T4"},  # 0.6 merges, 0.4 does not
            {"s2:W1", "s2:W2"}, {"s2:W3"}, {"s2:W4"},  # 72 h merges, 72 h 1 min does not
            {"s2:S1"}, {"s2:S2"},  # two streets
            {"s2:P1"}, {"s2:P2"},  # two phone numbers; their link was quarantined
        ]
    )  # fmt: skip


def test_primary_is_the_earliest_when_none_was_handled(merged):
    m = members(merged)
    assert m["s2:L2"][:2] == ("s2:L1", 2)
    assert m["s2:U3"][:2] == ("s2:U1", 2)
    assert m["s2:T2"][:2] == ("s2:T1", 2)
    assert m["s2:W2"][:2] == ("s2:W1", 2)


def test_link_override_merges_two_cases_with_the_reviewers_evidence(merged):
    m = members(merged)
    why = "by reviewer Ani (2025-05-25): same pothole reported twice"
    assert m["s2:L1"][2] == f"linked with s2:L2 {why}"
    assert m["s2:L2"][2] == f"linked with s2:L1 {why}"


def test_unlink_override_splits_a_case(merged):
    m = members(merged)
    assert m["s2:U2"] == (
        "s2:U2",
        1,
        "unlinked from the case of s2:U1 by reviewer Budi (2025-05-26): "
        "a different pile of rubbish",
    )
    # 8 May 09:00 - 6 May 10:00 = 47 hours
    same = "same reporter, category and kelurahan Meteseh as"
    assert m["s2:U1"][2] == f"{same} s2:U3; 47 hours apart"
    assert m["s2:U3"][2] == f"{same} s2:U1; 47 hours apart"


def test_evidence_of_the_reporter_rule(merged):
    # C1 27 Mar 10:00 (+07:00), C2 28 Mar 09:00: 23 hours
    m = members(merged)
    same = "same reporter, category and kelurahan Bulusan as"
    assert m["s1:C1"][2] == f"{same} s1:C2; 23 hours apart"
    assert m["s1:C2"][2] == f"{same} s1:C1; 23 hours apart"
    assert m["s1:C3"][2] is None  # a case of its own: nothing to explain


def test_evidence_of_the_text_rule(merged):
    m = members(merged)
    assert m["s2:T1"][2] == (
        "text similarity 0.60 with s2:T2 (email): same category and kelurahan Rowosari, "
        "both name Jl. Kenanga; shared words weigh 6.0 (air, banjir, jl, kenanga, lutut, "
        "setinggi); reporter identifiers of different kinds (email, phone); 5 hours apart"
    )
    # the words of the category's name (pohon, tumbang) are no evidence: 5 words left
    assert m["s2:W2"][2] == (
        "text similarity 1.00 with s2:W1 (whatsapp): same category and kelurahan Jangli, "
        "both name Jl. Cempaka; shared words weigh 5.0 (cempaka, di, jalan, jl, menutup); "
        "no reporter on the mass_media one; 3.0 days apart"
    )
    structured = dict(
        (r[0], r[1:])
        for r in read_snapshot(
            merged,
            "SELECT source || ':' || source_id, match_rule, match_with, match_score, "
            "match_weight, pin_distance_m FROM case_members",
        )
    )
    assert structured["s2:T1"] == ("text", "s2:T2", pytest.approx(0.6), 6.0, None)
    assert structured["s2:W2"] == ("text", "s2:W1", 1.0, 5.0, None)
    assert structured["s2:U1"][:2] == ("reporter", "s2:U3")
    assert structured["s2:L1"][:2] == ("link", "s2:L2")
    assert structured["s2:U2"] == ("unlink", None, None, None, None)
    assert structured["s2:S1"] == (None, None, None, None, None)
    for alone in ("s2:T3", "s2:T4", "s2:W3", "s2:W4", "s2:S1", "s2:S2", "s2:P1", "s2:P2"):
        assert m[alone][1:] == (1, None), alone


def test_bad_override_rows_are_quarantined_with_their_reason(merged):
    rows = read_snapshot(
        merged,
        "SELECT source, file, row_number, reason FROM quarantine "
        "WHERE input_table = 'case_links' ORDER BY row_number",
    )
    unknown = "is not among the staged complaints (missing or quarantined)"
    assert rows == [
        ("reference", "case_links.csv", 3, f"unknown complaint: s2:NOPE {unknown}"),
        ("reference", "case_links.csv", 4, f"unknown complaint: s1:C4 {unknown}"),
        ("reference", "case_links.csv", 5, "unknown action: merge (link or unlink)"),
        ("reference", "case_links.csv", 6, "missing reason"),
    ]
    # the Kota Uji source rows are quarantined as before, nothing of s2
    others = read_snapshot(
        merged, "SELECT count(*) FROM quarantine WHERE input_table <> 'case_links'"
    )[0][0]
    assert others == 4


def test_override_file_without_reviewer_columns_is_quarantined_whole(uji_home):
    write_csv(uji_home.reference_dir / "case_links.csv", ["action", "source_a", "source_id_a",
              "source_b", "source_id_b"], [("link", "s1", "C1", "s1", "C3")])  # fmt: skip
    run_pipeline(uji_home)
    rows = read_snapshot(
        uji_home, "SELECT row_number, reason FROM quarantine WHERE input_table = 'case_links'"
    )
    assert rows == [(1, "file lacks required column(s): reason, reviewed_by, reviewed_at")]
    assert read_snapshot(uji_home, "SELECT count(*) FROM cases")[0][0] == 2  # C1+C2, C3


# --------------------------------------------------------------- policy settings


def write_policy(tmp_path: Path, **cases) -> Path:
    raw = yaml.safe_load(DEFAULT_POLICY.read_text())
    raw["cases"] = {"merge_window_days": 3, **cases}
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_merge_settings_default_when_left_out(tmp_path):
    params = load_policy(write_policy(tmp_path)).sql_params()
    assert params["text_similarity_min"] == 0.45
    assert params["text_evidence_min"] == 4.0
    assert params["common_min_complaints"] == 50
    assert (params["common_place_share"], params["common_pin_share"]) == (0.05, 0.002)
    assert params["common_text_share"] == 0.05
    assert params["max_pin_distance_m"] == 500
    assert params["text_match_max_candidates"] == 30
    assert (params["reporter_kind_channels"], params["reporter_kind_names"]) == (
        ["email"],
        ["email"],
    )


@pytest.mark.parametrize(
    ("cases", "message"),
    [
        ({"text_similarity": 0.5}, "cases: unknown key(s) 'text_similarity' (did you mean"),
        ({"text_similarity_min": 0}, "must be > 0 and <= 1"),
        ({"text_similarity_min": 1.5}, "must be > 0 and <= 1"),
        ({"max_pin_distance_m": -1}, "must be >= 0"),
        ({"text_match_max_candidates": 0}, "must be >= 1"),
        ({"reporter_id_kinds": ["email"]}, "cases.reporter_id_kinds"),
        ({"reporter_id_kinds": {"email": ""}}, "maps channel names to kinds"),
        ({"text_evidence_min": -1}, "must be >= 0"),
        ({"text_evidence_min": "high"}, "cases.text_evidence_min' must be"),
        ({"common_min_complaints": 0}, "must be >= 1"),
        ({"common_pin_share": 0}, "'cases.common_pin_share' must be > 0 and <= 1"),
        ({"common_place_share": 2}, "'cases.common_place_share' must be > 0 and <= 1"),
        ({"common_text_share": 1.5}, "'cases.common_text_share' must be > 0 and <= 1"),
        ({"common_pin_shares": 0.1}, "did you mean 'common_pin_share'"),
    ],
)
def test_bad_merge_settings_are_refused(tmp_path, cases, message):
    with pytest.raises(PolicyError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_policy(write_policy(tmp_path, **cases))
