"""The cross-channel merge on real-shaped data: NYC 311 (docs/merging.md, "What is no
evidence").

The home holds the real 2011 NYC 311 sample (999 requests, unedited) as background, which
gives the category "Noise - Residential" its real 226 requests and its real stock
resolution texts, and a second export written here, in 2012, a year after the sample:

- A: 60 pairs of different requests, a phone one and an online one 2 hours apart in one
  zip, whose title is the request type itself ("Noise - Residential") and whose map pin is
  one default geocode that all 120 carry; the even pairs also share the real stock
  resolution text that 73 of the sample's requests carry. Under the old rule (plain
  Jaccard >= 0.6, pins within 500 m) every pair had similarity 1.00 and pins 0 m apart:
  60 false merges. Now: no evidence at all, 120 cases of one.
- B: 5 true copies with informative text (address, flat, what is heard), real pins; the
  online copy of pairs 3 and 4 sits on the default pin, 5 km away, which is no pin: 5
  cases of two.
- C: one pair with that same informative text but real pins 2 km apart: 2 cases.
- D: two pairs with informative text whose zip is the placeholder 00000, which 60 other
  requests (illegal parking, phone, one a week) carry too: 64 of the home's 1,195
  requests, more than 5 %, so no place: 4 cases (and the 60 fillers 60 more).

Every expected number is worked out from the rows written here (the docstrings say how).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import math
import shutil
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.runner import run_pipeline
from tests.conftest import copy_fixture, read_snapshot

ROOT = Path(__file__).resolve().parent.parent
NYC_SAMPLE = Path(__file__).parent / "data" / "nyc311" / "311_nyc_sample.csv"
TIME = "%m/%d/%Y %I:%M:%S %p"
NOISE = "Noise - Residential"
STOCK = (
    "The Police Department responded to the complaint and with the information available "
    "observed no evidence of the violation at that time."
)
DEFAULT_PIN = (40.7128, -74.0060)  # one geocode for every address the city could not place
A_ZIPS = ["11201", "11203", "11204", "11205", "11206", "11207", "11208", "11209", "11210",
          "11211"]  # fmt: skip
START = dt.datetime(2012, 1, 2, 10, 0)

# B, C, D: informative texts, one per pair; B's real pins (lat, lon) and zips
B = [
    ("Loud bass music from apartment 4C at 1520 Ocean Avenue every night after midnight",
     "11230", (40.6190, -73.9580)),
    ("Party with DJ speakers on the roof of 77 Clinton Street until 4 am on weekends",
     "11231", (40.6890, -73.9970)),
    ("Dog barking nonstop in backyard behind 312 Prospect Place since owner moved out",
     "11215", (40.6740, -73.9680)),
    ("Drilling and hammering inside unit 2R at 45 Lenox Road before 7 am daily",
     "11216", (40.6530, -73.9520)),
    ("Tenant upstairs at 910 Cortelyou Road plays drums loudly every evening for hours",
     "11218", (40.6410, -73.9650)),
]  # fmt: skip
C = ("Karaoke machine blasting songs from ground floor bar at 18 Albemarle Road nightly",
     "11219", (40.6450, -73.9750))  # fmt: skip
D = ["Generator humming all night outside 600 Rogers Avenue courtyard next to playground",
     "Leaf blower crew at 230 Parkside Avenue starting at dawn every Saturday morning"]  # fmt: skip


def _header() -> list[str]:
    with open(NYC_SAMPLE, newline="", encoding="utf8") as f:
        return next(csv.reader(f))


def _row(key, at, descriptor, zip_code, pin, channel, resolution="", borough="BROOKLYN"):
    row = dict.fromkeys(_header(), "")
    row.update({
        "Unique Key": str(key),
        "Created Date": at.strftime(TIME),
        "Agency": "NYPD",
        "Agency Name": "New York City Police Department",
        "Complaint Type": NOISE,
        "Descriptor": descriptor,
        "Incident Zip": zip_code,
        "Borough": borough,
        "Status": "Open",
        "Resolution Description": resolution,
        "Open Data Channel Type": channel,
        "Latitude": f"{pin[0]:.4f}" if pin else "",
        "Longitude": f"{pin[1]:.4f}" if pin else "",
    })  # fmt: skip
    return row


def constructed_rows() -> list[dict]:
    """Phone request 9000000 + 2i, its online counterpart 9000001 + 2i, pair i in week i."""
    rows, i = [], 0

    def pair(descriptor, zip_code, pin_a, pin_b, resolution="", borough="BROOKLYN"):
        nonlocal i
        at = START + dt.timedelta(days=7 * i)
        rows.append(_row(9000000 + 2 * i, at, descriptor, zip_code, pin_a, "PHONE",
                         resolution, borough))  # fmt: skip
        rows.append(_row(9000001 + 2 * i, at + dt.timedelta(hours=2), descriptor, zip_code,
                         pin_b, "ONLINE", resolution, borough))  # fmt: skip
        i += 1

    for n in range(60):  # A
        pair(NOISE, A_ZIPS[n % 10], DEFAULT_PIN, DEFAULT_PIN, STOCK if n % 2 == 0 else "")
    for n, (text, zip_code, pin) in enumerate(B):  # B: pairs 60..64
        near = (pin[0] + 0.0001, pin[1])  # 0.0001 degree of latitude north: 11 m
        pair(text, zip_code, pin, near if n < 3 else DEFAULT_PIN)
    text, zip_code, pin = C  # C: pair 65, the online pin 0.018 degree north (2.0 km)
    pair(text, zip_code, pin, (pin[0] + 0.018, pin[1]))
    for text in D:  # D: pairs 66, 67, placeholder zip
        pair(text, "00000", (40.6600, -73.9530), (40.6601, -73.9530))
    for j in range(60):  # the placeholder's other requests
        filler = _row(9500000 + j, START + dt.timedelta(days=7 * j, hours=5),
                      "Blocked Hydrant", "00000", None, "PHONE")  # fmt: skip
        filler["Complaint Type"] = "Illegal Parking"
        rows.append(filler)
    return rows


def pair_key(i: int) -> tuple[str, str]:
    return f"nyc_2012:{9000000 + 2 * i}", f"nyc_2012:{9000001 + 2 * i}"


@pytest.fixture(scope="module")
def nyc_home(tmp_path_factory):
    home = copy_fixture("nyc311", tmp_path_factory.mktemp("nycmerge") / "home")
    for name, rows in (("nyc_2011", None), ("nyc_2012", constructed_rows())):
        folder = home.sources_dir / name
        folder.mkdir(parents=True)
        shutil.copy(ROOT / "mappings" / "nyc311.yaml", folder / "source.yaml")
        if rows is None:
            shutil.copy(NYC_SAMPLE, folder / NYC_SAMPLE.name)
            continue
        with open(folder / "export.csv", "w", newline="", encoding="utf8") as f:
            writer = csv.DictWriter(f, fieldnames=_header())
            writer.writeheader()
            writer.writerows(rows)
    run_pipeline(home)
    return home


def members(home) -> dict[str, tuple]:
    rows = read_snapshot(
        home,
        "SELECT source || ':' || source_id, case_id, member_count, match_rule, match_with, "
        "match_score, match_weight, pin_distance_m, match_evidence FROM case_members "
        "WHERE source = 'nyc_2012'",
    )
    return {r[0]: r[1:] for r in rows}


def _jaccard(x: str, y: str) -> float:
    wx = {w for w in x.lower().replace(".", " ").replace("-", " ").split() if len(w) > 1}
    wy = {w for w in y.lower().replace(".", " ").replace("-", " ").split() if len(w) > 1}
    return len(wx & wy) / len(wx | wy)


def test_the_fixture_has_teeth():
    """Independently of the pipeline: the old rule (Jaccard of the words >= 0.6, pins within
    500 m) would have merged all 60 A pairs (same text, same pin) and both D pairs."""
    rows = constructed_rows()[:136]
    by_pair = [rows[k : k + 2] for k in range(0, len(rows), 2)]
    assert len(by_pair) == 68
    old = 0
    for a, b in by_pair:
        text_a = a["Descriptor"] + " " + a["Resolution Description"]
        text_b = b["Descriptor"] + " " + b["Resolution Description"]
        pins = (float(a["Latitude"]), float(a["Longitude"])) == (
            float(b["Latitude"]),
            float(b["Longitude"]),
        ) or abs(float(a["Latitude"]) - float(b["Latitude"])) < 0.004  # < 445 m
        old += _jaccard(text_a, text_b) >= 0.6 and pins
    # A (60) + B 0..2 (pins 11 m) + D (2); not B 3, 4 (5 km) nor C (2 km)
    assert old == 65
    with open(NYC_SAMPLE, newline="", encoding="utf8") as f:
        sample = list(csv.DictReader(f))
    noise = [r for r in sample if r["Complaint Type"] == NOISE]
    assert len(noise) == 226
    assert sum(r["Resolution Description"] == STOCK for r in noise) == 73
    assert sum(r["Incident Zip"] == "00000" for r in sample) == 0


def test_request_type_titles_and_a_default_pin_merge_nothing(nyc_home):
    m = members(nyc_home)
    for i in range(60):
        for key in pair_key(i):
            assert m[key][1:4] == (1, None, None), (i, key, m[key])


def test_true_copies_with_informative_text_still_merge(nyc_home):
    m = members(nyc_home)
    for i in range(60, 65):
        phone, online = pair_key(i)
        assert m[phone][0] == m[online][0] == phone  # one case, the earlier is primary
        assert m[online][1:5] == (2, "text", phone, 1.0), m[online]
        assert m[online][5] >= 4.0  # the shared words weigh at least text_evidence_min
    # pairs 60..62: pins 0.0001 degree of latitude apart, 6371 km * radians(0.0001) = 11 m
    expected_m = 6371000 * math.radians(0.0001)
    for i in (60, 61, 62):
        assert m[pair_key(i)[1]][6] == pytest.approx(expected_m, abs=0.01)
    # pairs 63, 64: the online copy's pin is the default geocode (122 requests carry it):
    # treated as absent, so no distance, and the evidence names no pins
    for i in (63, 64):
        assert m[pair_key(i)[1]][6] is None
        assert "map pins" not in m[pair_key(i)[1]][7]


def test_far_pins_and_a_crowded_place_still_block(nyc_home):
    m = members(nyc_home)
    for i in (65, 66, 67):  # C: pins 2 km apart; D: zip 00000 (64 of 1,195 requests)
        for key in pair_key(i):
            assert m[key][1:4] == (1, None, None), (i, key)


def test_case_count_of_the_constructed_export(nyc_home):
    """196 requests: A 120 cases of one, B 5 of two, C 2, D 4, fillers 60 = 191 cases; with
    the sample's 999, 1,195 requests in the home."""
    cases = {v[0] for v in members(nyc_home).values()}
    assert len(members(nyc_home)) == 196
    assert len(cases) == 191
    assert read_snapshot(nyc_home, "SELECT count(*) FROM case_members") == [(1195,)]


def _words(text: str) -> set[str]:
    for ch in '\n\t,.()/:;!?"':
        text = text.replace(ch, " ")
    return {w for w in text.lower().split(" ") if len(w) > 1}


def test_evidence_of_an_informative_copy(nyc_home):
    """Pair 60's weight, recomputed here from the CSV rows: each shared word weighs
    ln((N + 1) / (df + 1)), N the category's requests (226 real + 136 constructed), df
    those whose evidence text uses it. A request's evidence is its descriptor (unless it is
    only words of the category's name) and its resolution text unless more than 50 of the
    category's requests carry it word for word. Words of the category's name and place
    (zip, borough) weigh nothing; the pair's texts are equal, so the similarity is 1."""
    with open(NYC_SAMPLE, newline="", encoding="utf8") as f:
        rows = [r for r in csv.DictReader(f) if r["Complaint Type"] == NOISE]
    rows += [r for r in constructed_rows() if r["Complaint Type"] == NOISE]
    n = len(rows)
    assert n == 362
    values = [
        v.strip().lower() for r in rows for v in (r["Descriptor"], r["Resolution Description"])
    ]
    stock = {v for v in set(values) if v and values.count(v) > 50}
    assert STOCK.lower() in stock  # 73 + 30
    category = _words(NOISE.replace("-", " "))
    df: dict[str, int] = {}
    for r in rows:
        text = ""
        if not _words(r["Descriptor"]) <= category and r["Descriptor"].lower() not in stock:
            text += r["Descriptor"]
        if r["Resolution Description"].strip().lower() not in stock:
            text += "\n" + r["Resolution Description"]
        for w in _words(text):
            df[w] = df.get(w, 0) + 1
    shared = _words(B[0][0]) - category - {"11230", "brooklyn"}
    weight = sum(math.log((n + 1) / (df[w] + 1)) for w in shared)
    m = members(nyc_home)
    evidence = m[pair_key(60)[1]][7]
    assert m[pair_key(60)[1]][5] == pytest.approx(weight, rel=1e-9)
    heaviest = sorted(shared, key=lambda w: (df[w], w))[:6]
    assert evidence == (
        f"text similarity 1.00 with {pair_key(60)[0]} (call_center): same category and "
        f"kelurahan 11230, map pins 11 m apart; shared words weigh {weight:.1f} "
        f"({', '.join(heaviest)}, ...); neither has a reporter; 2 hours apart"
    )


def test_merge_report_on_a_home_without_truth(nyc_home, capsys):
    assert main(["merge-report", "--home", str(nyc_home.root), "--examples", "3"]) == 0
    out = capsys.readouterr().out
    assert "Sample of the text rule's merged pairs to review" in out
    assert "precision and recall need a demo city's truth" in out
    # the sampled text pairs are constructed B pairs (the 2011 sample may add its own)
    texts = [line for line in out.splitlines() if line.startswith("       title: ")]
    assert texts and all(t.strip() != f"title: {NOISE}" for t in texts)


def test_pairs_are_distinct_requests():
    keys = [r["Unique Key"] for r in constructed_rows()]
    assert len(set(keys)) == len(keys)
    with open(NYC_SAMPLE, newline="", encoding="utf8") as f:
        assert not set(keys) & {r["Unique Key"] for r in csv.DictReader(f)}
    assert list(itertools.islice(keys, 2)) == ["9000000", "9000001"]
