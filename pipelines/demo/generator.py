"""Seeded, vectorised generator of a Semarang-like demo tenant (see `generate_city`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import holidays
import numpy as np
import polars as pl
import yaml

from assets import readers
from pipelines.demo import names as nm
from pipelines.home import create_secret

DAY = 86_400
FAR = 10**7  # a day number far beyond any period: "never moves"
DUP_RATE = 0.06
TS_OFFSET = "%Y-%m-%dT%H:%M:%S+07:00"
TS_LOCAL = "%Y-%m-%d %H:%M:%S"
SOURCE_FORMATS = {"lapor": TS_OFFSET, "lapor_semar": TS_LOCAL}

EVENT_TYPES = [
    "postponed",
    "verified",
    "forwarded",
    "reassigned",
    "clarification_requested",
    "clarified",
    "responded",
    "resolved",
    "reopened",
    "archived",
    "rejected",
]
EV = {name: i for i, name in enumerate(EVENT_TYPES)}
GAMING = ["none", "template_close", "clarify_before_deadline", "resolve_on_deadline"]

# the contract's column lists, from the one place the readers also use
COMPLAINT_COLUMNS = list(readers.COMPLAINT_COLUMNS)
EVENT_COLUMNS = list(readers.EVENT_COLUMNS)
RATING_COLUMNS = list(readers.RATING_COLUMNS)
UNIT_COLUMNS = list(readers.UNIT_COLUMNS)
OFFICER_COLUMNS = list(readers.OFFICER_COLUMNS)
OVERRIDE_COLUMNS = list(readers.OVERRIDE_COLUMNS)

# Officers per unit kind (half-open ranges); Diskominfo also gets 4-6 LAPOR! admins.
STAFF_SIZE = {
    "dinas": (6, 13),
    "badan": (6, 11),
    "bagian": (3, 6),
    "kecamatan": (3, 6),
    "kelurahan": (3, 5),
    "puskesmas": (3, 6),
    "rsud": (5, 9),
    "other": (3, 6),
}

# Share of rows turned faulty, per file, and the fault mix per file (exact_duplicate last:
# it copies rows that carry no other fault).
FAULT_RATE = {"complaints.csv": 0.002, "events.csv": 0.0055, "ratings.csv": 0.007}
FAULT_MIX = {
    "complaints.csv": [("bad_timestamp", 0.4), ("exact_duplicate", 0.6)],
    "events.csv": [
        ("bad_nip", 0.22),
        ("bad_timestamp", 0.18),
        ("closed_before_opened", 0.12),
        ("unknown_unit", 0.15),
        ("missing_source_id", 0.15),
        ("exact_duplicate", 0.18),
    ],
    "ratings.csv": [
        ("bad_score", 0.4),
        ("bad_timestamp", 0.2),
        ("missing_source_id", 0.2),
        ("exact_duplicate", 0.2),
    ],
}


def generate_city(
    home: Path,
    complaints: int = 30_000,
    seed: int = 20251,
    months: int = 24,
    end: dt.date = dt.date(2026, 11, 1),
) -> dict:
    """Write a complete demo tenant (Kota Semarang, demo) into `home`.

    The data cover the `months` calendar months ending the day before `end`; nothing is dated
    on or after `end`. `complaints` counts complaint records over both sources (the
    underlying complaints plus ~6 % cross-channel duplicates); injected `exact_duplicate`
    faults add a few physical rows on top. The same arguments give byte-identical files,
    except secret.key: random per home (kept if `home` has one), written with mode 0600.

    Written: tenant.yaml, secret.key, reference/{units,officers,calendar_overrides,
    behaviour_ratings,organisation_ratings}.csv,
    sources/{lapor,lapor_semar}/{complaints,events,ratings}.csv and demo_truth/ (duplicate
    groups, injected faults, officer behaviour). Returns a summary dict of counts: units,
    officers, complaints/events/ratings per source (physical rows), faults per type and
    duplicate groups.
    """
    home = Path(home)
    start = _period_start(end, months)
    if start.year < 2000 or months < 1 or complaints < 0:
        raise ValueError("the demo needs months >= 1, complaints >= 0 and a period after 2000")
    d0, d1 = _day(start), _day(end)
    rng_ref = np.random.default_rng([seed, 1])
    rng = np.random.default_rng([seed, 2])
    rng_fault = np.random.default_rng([seed, 3])

    units = _build_units()
    overrides = _overrides(start, end)
    cal = _Calendar(range(start.year - 1, end.year + 3), overrides, d0, d1)
    places = _Places(rng_ref)
    off = _build_officers(rng_ref, units, start, d0, d1)
    holder = _Roster(off, off["holder_w"], len(units["code"]))
    admin = _Roster(off, off["admin_w"], len(units["code"]))

    n_base = round(complaints / (1 + DUP_RATE))
    n_dup = max(complaints - n_base, 0)
    base = _sample_base(rng, n_base, d0, d1, cal, places, units)
    vocab = _Vocab()
    ev, fin = _lifecycle(rng, base, off, units, holder, admin, cal, vocab, d1)
    rows, dup_ev = _add_duplicates(rng, base, n_dup, cal, admin, units, vocab, d0, d1)
    ev = {k: np.concatenate([ev[k], dup_ev[k]]) for k in ev}
    ratings = _ratings(rng, fin, vocab, d1)

    tables = _assemble(rows, ev, ratings, units, off, vocab, places)
    fault_rows = []
    for source in nm.SOURCES:
        for file in ("complaints.csv", "events.csv", "ratings.csv"):
            df, found = _inject_faults(rng_fault, tables[source][file], file, source)
            tables[source][file] = df
            fault_rows.extend(found)

    _write(home, start, end, units, off, overrides, tables, fault_rows)
    # its own stream, so the files above stay what they were before HR ratings existed
    _write_hr_ratings(home, np.random.default_rng([seed, 4]), start, end, units, off)
    summary = {
        "period": {"start": start.isoformat(), "end": (end - dt.timedelta(days=1)).isoformat()},
        "units": len(units["code"]),
        "officers": len(off["nip"]),
        "officer_rows": len(off["nip"]) + int((off["unit_b"] >= 0).sum()),
        "movers": int((off["unit_b"] >= 0).sum()),
        "gamers": int((off["gaming"] > 0).sum()),
        "complaints": {s: tables[s]["complaints.csv"].height for s in nm.SOURCES},
        "events": {s: tables[s]["events.csv"].height for s in nm.SOURCES},
        "ratings": {s: tables[s]["ratings.csv"].height for s in nm.SOURCES},
        "faults": {
            f: sum(1 for r in fault_rows if r[3] == f) for f in sorted({r[3] for r in fault_rows})
        },
        "faults_total": len(fault_rows),
        "duplicate_groups": int(n_dup),
    }
    return summary


# ---------------------------------------------------------------- dates and calendar


def _day(d: dt.date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def _date(day: int) -> dt.date:
    return np.datetime64(int(day), "D").astype(dt.date)


def _period_start(end: dt.date, months: int) -> dt.date:
    last = end - dt.timedelta(days=1)
    idx = last.year * 12 + last.month - 1 - (months - 1)
    return dt.date(idx // 12, idx % 12 + 1, 1)


def _overrides(start: dt.date, end: dt.date) -> list[tuple[dt.date, bool, str, str]]:
    rows = []
    for year in range(start.year, end.year + 1):
        d = dt.date(year, 5, 2)
        if start <= d < end:
            rows.append((d, False, "Hari Jadi Kota Semarang", "all"))
    rows = rows[-2:]
    joint = holidays.country_holidays(
        "ID", years=range(start.year, end.year + 1), categories=("government",)
    )
    weekdays = sorted(d for d in joint if start <= d < end and d.weekday() < 5)
    if weekdays:
        rows.append((weekdays[0], True, "Puskesmas tetap melayani pada cuti bersama", "puskesmas"))
    return sorted(rows)


class _Calendar:
    """Working days of the two unit calendars (Mon-Fri, and Mon-Sat for puskesmas)."""

    def __init__(self, years, overrides, d0: int, d1: int):
        hol = holidays.country_holidays(
            "ID", years=years, categories=("public", "government"), language="en_US"
        )
        base = set(hol)
        off_all = {d for d, working, _, applies in overrides if not working and applies == "all"}
        on_all = {d for d, working, _, applies in overrides if working and applies == "all"}
        off_pkm = {d for d, working, _, a in overrides if not working and a == "puskesmas"}
        on_pkm = {d for d, working, _, a in overrides if working and a == "puskesmas"}
        h5 = sorted((base | off_all) - on_all)
        h6 = sorted((base | off_all | off_pkm) - on_all - on_pkm)
        self.cal5 = np.busdaycalendar(weekmask="1111100", holidays=h5)
        self.cal6 = np.busdaycalendar(weekmask="1111110", holidays=h6)
        self.holiday_days = np.array(sorted(_day(d) for d in base | off_all), dtype=np.int64)
        # Handling slows down in the two weeks after Lebaran and around the year end.
        self.f0 = d0 - 400
        span = np.arange(self.f0, d1 + 800)
        dates = span.astype("datetime64[D]")
        month = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
        dom = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
        factor = np.ones(len(span))
        factor[((month == 12) & (dom >= 15)) | ((month == 1) & (dom <= 10))] = 1.5
        for d, name in hol.items():
            if name.startswith("Eid al-Fitr") and "Joint" not in name and "Second" not in name:
                s = _day(d) - self.f0
                factor[max(s, 0) : max(s + 14, 0)] = 1.8
        self.factor_table = factor

    def factor(self, day: np.ndarray) -> np.ndarray:
        idx = np.clip(day - self.f0, 0, len(self.factor_table) - 1)
        return self.factor_table[idx]

    def offset(self, day: np.ndarray, k, six) -> np.ndarray:
        """The k-th working day after `day` (k = 0: `day` itself or the next working day)."""
        day = np.asarray(day, dtype=np.int64)
        k = np.broadcast_to(np.asarray(k, dtype=np.int64), day.shape)
        six = np.broadcast_to(np.asarray(six, dtype=bool), day.shape)
        out = np.empty(day.shape, dtype=np.int64)
        d = day.astype("datetime64[D]")
        for flag, cal in ((False, self.cal5), (True, self.cal6)):
            sel = six == flag
            if not sel.any():
                continue
            ds, ks = d[sel], k[sel]
            fwd = np.busday_offset(ds, 0, roll="forward", busdaycal=cal)
            bwd = np.busday_offset(ds, ks, roll="backward", busdaycal=cal)
            out[sel] = np.where(ks == 0, fwd, bwd).astype(np.int64)
        return out

    def roll_back(self, day: np.ndarray, six) -> np.ndarray:
        day = np.asarray(day, dtype=np.int64)
        six = np.broadcast_to(np.asarray(six, dtype=bool), day.shape)
        d = day.astype("datetime64[D]")
        out = np.empty(day.shape, dtype=np.int64)
        for flag, cal in ((False, self.cal5), (True, self.cal6)):
            sel = six == flag
            out[sel] = np.busday_offset(d[sel], 0, roll="backward", busdaycal=cal).astype(np.int64)
        return out

    def count(self, a: np.ndarray, b: np.ndarray, six) -> np.ndarray:
        six = np.broadcast_to(np.asarray(six, dtype=bool), a.shape)
        out = np.empty(a.shape, dtype=np.int64)
        da, db = a.astype("datetime64[D]"), b.astype("datetime64[D]")
        for flag, cal in ((False, self.cal5), (True, self.cal6)):
            sel = six == flag
            out[sel] = np.busday_count(da[sel], db[sel], busdaycal=cal)
        return out


# ---------------------------------------------------------------- reference data


def _build_units() -> dict:
    rows = [(c, n, k, p, 5) for c, n, k, p in nm.UNITS]
    for kec in nm.KECAMATAN:
        rows.append((_code("KEC", kec), f"Kecamatan {kec}", "kecamatan", "", 5))
    for kel, kec in nm.KELURAHAN_UNITS:
        rows.append((_code("KEL", kel), f"Kelurahan {kel}", "kelurahan", _code("KEC", kec), 5))
    for pkm, _kec in nm.PUSKESMAS:
        rows.append((_code("PKM", pkm), f"Puskesmas {pkm}", "puskesmas", "DINKES", 6))
    codes = [r[0] for r in rows]
    return {
        "code": codes,
        "name": [r[1] for r in rows],
        "kind": [r[2] for r in rows],
        "parent": [r[3] for r in rows],
        "workweek": np.array([r[4] for r in rows]),
        "index": {c: i for i, c in enumerate(codes)},
    }


def _code(prefix: str, name: str) -> str:
    return f"{prefix}-{name.upper().replace(' ', '-')}"


class _Places:
    """Kecamatan, kelurahan and streets as flat arrays (villages and streets by district)."""

    def __init__(self, rng: np.random.Generator):
        self.districts = list(nm.KECAMATAN)
        info = list(nm.KECAMATAN.values())
        self.lat = np.array([v[0] for v in info])
        self.lon = np.array([v[1] for v in info])
        self.pop = np.array([v[2] for v in info], dtype=float)
        self.flood = np.array([v[3] for v in info], dtype=float)
        self.villages, self.streets = [], []
        v_off, s_off = [], []
        for v in info:
            v_off.append(len(self.villages))
            s_off.append(len(self.streets))
            self.villages.extend(v[4])
            self.streets.extend(v[5])
        self.v_off, self.v_cnt = np.array(v_off), np.array([len(v[4]) for v in info])
        self.s_off, self.s_cnt = np.array(s_off), np.array([len(v[5]) for v in info])
        self.v_lat = rng.normal(0, 0.008, len(self.villages))
        self.v_lon = rng.normal(0, 0.008, len(self.villages))


def _build_officers(
    rng: np.random.Generator, units: dict, start: dt.date, d0: int, d1: int
) -> dict:
    cap = min(dt.date(2024, 12, 1), start - dt.timedelta(days=31))
    floor = min(dt.date(2015, 1, 1), start)
    recs = []
    nips = set()
    for ui, (code, kind) in enumerate(zip(units["code"], units["kind"], strict=True)):
        lo, hi = STAFF_SIZE[kind] if code != nm.ADMIN_UNIT else (4, 7)
        n = int(rng.integers(lo, hi))
        n_admin = int(rng.integers(4, 7)) if code == nm.ADMIN_UNIT else 0
        n_mid = 1 if n <= 4 else round(n * 0.3)
        ranks = ["head"] + ["middle"] * n_mid + ["staff"] * (n - 1 - n_mid) + ["admin"] * n_admin
        for j, rank in enumerate(ranks):
            if rank == "head":
                position = nm.HEAD_BY_UNIT.get(code, nm.HEAD[kind])
            elif rank == "middle":
                position = nm.MIDDLE[kind][(j - 1) % len(nm.MIDDLE[kind])]
            elif rank == "staff":
                position = nm.STAFF[kind][int(rng.integers(len(nm.STAFF[kind])))]
            else:
                position = nm.ADMIN_POSITION
            sex = 1 if rng.random() < 0.55 else 2
            lo, hi = {"head": (1966, 1976), "middle": (1970, 1989)}.get(rank, (1975, 2001))
            hi = min(hi, cap.year - 19)
            birth = _random_date(rng, int(rng.integers(min(lo, hi - 1), hi)))
            ay = int(rng.integers(birth.year + 20, min(birth.year + 35, cap.year) + 1))
            am = int(rng.integers(1, 13 if ay < cap.year else cap.month + 1))
            while True:
                serial = int(rng.integers(1, 1000))
                nip = f"{birth:%Y%m%d}{ay}{am:02d}{sex}{serial:03d}"
                if nip not in nips:
                    nips.add(nip)
                    break
            grade_pool = nm.GRADES["staff" if rank == "admin" else rank]
            grade = grade_pool[int(rng.integers(len(grade_pool)))]
            hw = {"head": 0.1, "middle": 0.8, "staff": 1.5, "admin": 0.0}[rank]
            if position.startswith("Sekretaris"):
                hw = 0.3
            if "Pengaduan" in position and rank != "admin":
                hw = 2.5
            recs.append(
                {
                    "nip": nip,
                    "name": _person_name(rng, sex, position),
                    "unit": ui,
                    "position": position,
                    "grade": grade,
                    "rank": rank,
                    "valid_from": max(floor, dt.date(ay, am, 1)),
                    "holder_w": hw,
                    "admin_w": 1.0 if rank == "admin" else 0.0,
                }
            )
    n = len(recs)
    speed = rng.lognormal(0.0, 0.35, n)
    kind = rng.random(n)
    speed = np.where(kind < 0.1, speed * 0.5, np.where(kind > 0.9, speed * 2.0, speed))
    off = {
        "nip": [r["nip"] for r in recs],
        "name": [r["name"] for r in recs],
        "position": [r["position"] for r in recs],
        "grade": [r["grade"] for r in recs],
        "valid_from": [r["valid_from"] for r in recs],
        "unit_a": np.array([r["unit"] for r in recs]),
        "unit_b": np.full(n, -1),
        "move_day": np.full(n, FAR, dtype=np.int64),
        "holder_w": np.array([r["holder_w"] for r in recs]),
        "admin_w": np.array([r["admin_w"] for r in recs]),
        "speed": speed,
        "gaming": np.zeros(n, dtype=np.int64),
    }
    eligible = np.array([r["rank"] in ("middle", "staff") for r in recs])
    gamers = rng.choice(
        np.nonzero(eligible & (off["holder_w"] >= 0.8))[0], max(3, round(0.03 * n)), replace=False
    )
    off["gaming"][gamers] = np.arange(len(gamers)) % 3 + 1
    # About 5 % of officers move once; heads and admins stay, no unit drops below 3.
    size = np.bincount(off["unit_a"], minlength=len(units["code"]))
    targets = [
        i
        for i, k in enumerate(units["kind"])
        if k in ("dinas", "badan", "bagian", "kecamatan", "kelurahan")
    ]
    want = max(2, round(0.05 * n))
    for o in rng.permutation(np.nonzero(eligible)[0]):
        if want == 0:
            break
        ua = off["unit_a"][o]
        if size[ua] < 4 or units["kind"][ua] in ("puskesmas", "rsud"):
            continue
        ub = int(rng.choice([t for t in targets if t != ua]))
        size[ua] -= 1
        off["unit_b"][o] = ub
        margin = (d1 - d0) // 8
        off["move_day"][o] = int(rng.integers(d0 + margin + 1, d1 - margin))
        if units["kind"][ub] != units["kind"][ua] and recs[o]["rank"] == "staff":
            off["position"][o] = "Staf Pelaksana"
        want -= 1
    return off


def _random_date(rng: np.random.Generator, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))


def _person_name(rng: np.random.Generator, sex: int, position: str) -> str:
    first = nm.MALE_NAMES if sex == 1 else nm.FEMALE_NAMES
    last = nm.MALE_SURNAMES if sex == 1 else nm.FEMALE_SURNAMES
    name = first[int(rng.integers(len(first)))]
    if rng.random() < 0.85:
        name += " " + last[int(rng.integers(len(last)))]
    if position in ("Kepala Puskesmas", "Direktur"):
        return f"dr. {name}"
    if position in ("Perawat", "Bidan"):
        return f"{name}, {nm.DEGREES_HEALTH[int(rng.integers(len(nm.DEGREES_HEALTH)))]}"
    if rng.random() < 0.65:
        return f"{name}, {nm.DEGREES[int(rng.integers(len(nm.DEGREES)))]}"
    return name


class _Roster:
    """Weighted, vectorised choice of an officer valid in a unit on a day."""

    def __init__(self, off: dict, weight: np.ndarray, n_units: int):
        self.off = off
        self.bounds = np.unique(off["move_day"][off["unit_b"] >= 0])
        self.n_ep = len(self.bounds) + 1
        flat, w, start, length = [], [], [], []
        for u in range(n_units):
            for e in range(self.n_ep):
                rep = (
                    self.bounds[e - 1] if e > 0 else (self.bounds[0] - 1 if len(self.bounds) else 0)
                )
                ids = np.nonzero(_valid(off, np.arange(len(weight)), u, rep) & (weight > 0))[0]
                start.append(len(flat))
                length.append(len(ids))
                flat.extend(ids.tolist())
                w.extend(weight[ids].tolist())
        self.flat = np.array(flat, dtype=np.int64)
        self.cum = np.cumsum(np.array(w, dtype=float))
        self.start = np.array(start, dtype=np.int64)
        self.length = np.array(length, dtype=np.int64)
        cum0 = np.concatenate([[0.0], self.cum])
        self.cum0 = cum0[self.start]
        self.total = cum0[self.start + self.length] - self.cum0

    def pick(self, unit: np.ndarray, day: np.ndarray, r: np.ndarray) -> np.ndarray:
        seg = unit * self.n_ep + np.searchsorted(self.bounds, day, side="right")
        if (self.length[seg] == 0).any():
            raise ValueError("a unit has no eligible officer")
        idx = np.searchsorted(self.cum, self.cum0[seg] + r * self.total[seg], side="right")
        idx = np.clip(idx, self.start[seg], self.start[seg] + self.length[seg] - 1)
        return self.flat[idx]

    def keep_or_pick(self, officer, unit, day, r):
        """The case holder while still valid in the unit, else a colleague valid that day."""
        return np.where(_valid(self.off, officer, unit, day), officer, self.pick(unit, day, r))


def _valid(off: dict, o, u, day):
    move = off["move_day"][o]
    return ((off["unit_a"][o] == u) & (day < move)) | ((off["unit_b"][o] == u) & (day >= move))


# ---------------------------------------------------------------- complaints


def _sample_base(rng, n, d0, d1, cal, places, units) -> dict:
    cats = nm.CATEGORIES
    days = np.arange(d0, d1)
    month = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    w_day = np.array([1.1, 1.0, 1.0, 1.0, 0.95, 0.6, 0.5])[weekday]
    w_day = w_day * np.where(np.isin(days, cal.holiday_days), 0.55, 1.0)
    w_day = w_day * (1 + 0.15 * (days - d0) / 365.0)
    share = np.array([c["share"] for c in cats])
    season = np.array([nm.SEASONS[c["season"]] for c in cats])
    p = share[:, None] * season[:, month] * w_day[None, :]
    cell = rng.choice(p.size, size=n, p=(p / p.sum()).ravel())
    cat = cell // len(days)
    day = d0 + cell % len(days)
    hw = np.array(nm.HOUR_WEIGHTS)
    tod = rng.choice(24, size=n, p=hw / hw.sum()) * 3600 + rng.integers(0, 3600, n)
    ch_share = np.array([c[1] for c in nm.CHANNELS])
    channel = rng.choice(len(nm.CHANNELS), size=n, p=ch_share / ch_share.sum())
    t = _office_hours(rng, day * DAY + tod, channel, cal, d1)
    order = np.argsort(t, kind="stable")
    t, cat, channel = t[order], cat[order], channel[order]
    b = {"t": t, "cat": cat, "channel": channel}

    cls_p = np.array([c[1] for c in nm.CLASSES])
    cls = rng.choice(len(nm.CLASSES), size=n, p=cls_p / cls_p.sum())
    asp = np.array([c["code"] == "pembangunan" for c in cats])[cat]
    cls = np.where(asp & (rng.random(n) < 0.7), 2, cls)
    b["cls"] = cls
    dist = np.empty(n, dtype=np.int64)
    for ci, c in enumerate(cats):
        sel = np.nonzero(cat == ci)[0]
        w = places.pop * (places.flood if c.get("flood") else 1.0)
        dist[sel] = rng.choice(len(w), size=len(sel), p=w / w.sum())
    b["dist"] = dist
    b["vill"] = places.v_off[dist] + (rng.random(n) * places.v_cnt[dist]).astype(np.int64)
    b["street"] = places.s_off[dist] + (rng.random(n) * places.s_cnt[dist]).astype(np.int64)
    geo_ch = np.isin(channel, [i for i, c in enumerate(nm.CHANNELS) if c[0] in nm.GEO_CHANNELS])
    b["geo"] = np.where(geo_ch, rng.random(n) < 0.85, rng.random(n) < 0.1)
    b["lat"] = places.lat[dist] + places.v_lat[b["vill"]] + rng.normal(0, 0.004, n)
    b["lon"] = places.lon[dist] + places.v_lon[b["vill"]] + rng.normal(0, 0.004, n)
    b["village_blank"] = rng.random(n) < 0.03
    n_pool = max(20, int(0.8 * n))
    n_freq = max(5, n // 150)
    b["rep"] = np.where(
        rng.random(n) < 0.15, rng.integers(0, n_freq, n), rng.integers(n_freq, n_pool + n_freq, n)
    )
    b["anon"] = rng.random(n) < 0.08
    wb = cls == 3
    b["conf"] = (rng.random(n) < 0.027) | (wb & (rng.random(n) < 0.7))
    due_k = np.where(cls == 1, 5, 14)
    due_day = cal.offset(t // DAY, due_k, False)
    b["due_t"] = np.where((rng.random(n) < 0.04) & (due_day < d1), due_day * DAY + 16 * 3600, -1)
    # var picks a coherent title/problem/detail set; tform and dform pick the wording.
    b["var"] = rng.integers(0, 3, n)
    b["tform"] = rng.choice(3, size=n, p=[0.6, 0.2, 0.2])
    b["dform"] = rng.choice(3, size=n, p=[0.6, 0.2, 0.2])
    for key, size in (
        ("open_v", len(nm.OPENINGS)),
        ("plea_v", len(nm.PLEAS)),
        ("infop_v", len(nm.INFO_PREFIXES)),
        ("wbd_v", len(nm.WB_DETAILS)),
    ):
        b[key] = rng.integers(0, size, n)
    b["unit"], b["wrong"] = _route(rng, cat, cls, dist, b["vill"], units, places)
    b["key"] = np.arange(1, n + 1)
    return b


def _office_hours(rng, t, channel, cal, d1):
    """Counter and letter complaints arrive on working days during office hours."""
    office = np.isin(channel, [i for i, c in enumerate(nm.CHANNELS) if c[0] in nm.OFFICE_CHANNELS])
    day = t // DAY
    wd = cal.offset(day, 0, False)
    wd = np.where(wd >= d1, cal.roll_back(day, False), wd)
    moved = wd * DAY + rng.integers(8 * 3600, 15 * 3600, len(t))
    return np.where(office, moved, t)


def _route(rng, cat, cls, dist, vill, units, places):
    idx = units["index"]
    n = len(cat)
    kec_unit = np.array([idx[_code("KEC", k)] for k in places.districts])
    kel_unit = np.full(len(places.villages), -1)
    for kel, kec in nm.KELURAHAN_UNITS:
        d = places.districts.index(kec)
        v = places.v_off[d] + places.villages[places.v_off[d] :].index(kel)
        kel_unit[v] = idx[_code("KEL", kel)]
    pkm_unit = np.full(len(places.districts), idx["DINKES"])
    for pkm, kec in nm.PUSKESMAS:
        pkm_unit[places.districts.index(kec)] = idx[_code("PKM", pkm)]
    local = np.where((kel_unit[vill] >= 0) & (rng.random(n) < 0.6), kel_unit[vill], kec_unit[dist])

    def resolve(target: str, sel: np.ndarray) -> np.ndarray:
        if target == "@kec":
            return local[sel]
        if target == "@pkm":
            return pkm_unit[dist[sel]]
        return np.full(len(sel), idx[target])

    unit = np.empty(n, dtype=np.int64)
    wrong = np.empty(n, dtype=np.int64)
    for ci, c in enumerate(nm.CATEGORIES):
        sel = np.nonzero(cat == ci)[0]
        u = rng.random(len(sel))
        # Walk the cumulative shares from the last option back to the first.
        acc = 1.0
        for target, share in reversed(c["route"]):
            acc -= share
            hit = u >= acc - 1e-12
            unit[sel[hit]] = resolve(target, sel[hit])
            u = np.where(hit, -1.0, u)
        wb = cls[sel] == 3
        primary = unit[sel].copy()
        unit[sel[wb]] = idx["INSPEKTORAT"]
        cands = np.stack([resolve(t, sel) for t in c["confuse"]])
        pick = rng.integers(0, len(c["confuse"]), len(sel))
        w = cands[pick, np.arange(len(sel))]
        alt = cands[(pick + 1) % len(c["confuse"]), np.arange(len(sel))]
        w = np.where(w == unit[sel], alt, w)
        fallback = np.where(unit[sel] == idx["DPU"], idx["DISPERKIM"], idx["DPU"])
        w = np.where(w == unit[sel], fallback, w)
        wrong[sel] = np.where(wb, primary, w)
    return unit, wrong


# ---------------------------------------------------------------- lifecycle


class _Vocab:
    """Note texts stored once; events carry an index (-1 = no note)."""

    def __init__(self):
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def id(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(text)
        return self.index[text]

    def ids(self, texts) -> np.ndarray:
        return np.array([self.id(t) for t in texts], dtype=np.int64)


def _stamp(rng, day, prev_t):
    """A time on `day` within (mostly) office hours, never before `prev_t` plus a short gap."""
    n = len(day)
    tod = np.where(
        rng.random(n) < 0.88, rng.integers(27_000, 59_400, n), rng.integers(59_400, 75_600, n)
    )
    return np.maximum(day * DAY + tod, prev_t + rng.integers(300, 5_400, n))


def _wd(rng, mean):
    """Working-day delays: exponential with the given (per-row) mean, rounded down."""
    return np.floor(rng.exponential(1.0, len(mean)) * mean).astype(np.int64)


def _tail(rng, n, p, lo, hi):
    return np.where(rng.random(n) < p, rng.integers(lo, hi, n), 0)


def _lifecycle(rng, b, off, units, holder, admin, cal, vocab, d1):
    """Events of the underlying complaints, one masked column of timestamps per stage.

    Each stage starts from the previous stage's timestamp, so a case's events are strictly
    increasing in time; dropping everything at or after the end leaves a prefix of the flow.
    Returns the events (row, t, type, unit, officer, note, stage) and per-case closing data.
    """
    n = len(b["t"])
    ar = np.arange(n)
    end_t = d1 * DAY
    recv_t = b["t"]
    recv_day = recv_t // DAY
    six_u = units["workweek"] == 6
    speed, gaming = off["speed"], off["gaming"]
    F, W = b["unit"], b["wrong"]
    six = six_u[F]
    adm_unit = np.full(n, units["index"][nm.ADMIN_UNIT])
    events = []

    def add(mask, t, etype, unit, officer, note):
        sel = np.nonzero(mask & (t < end_t))[0]
        events.append(
            (
                sel,
                t[sel],
                np.full(len(sel), EV[etype]),
                _at(unit, sel),
                _at(officer, sel),
                _at(note, sel),
            )
        )

    u = rng.random(n)
    arch, rej, norm = u < 0.03, (u >= 0.03) & (u < 0.04), u >= 0.04
    post = norm & (rng.random(n) < 0.01)
    adm = admin.pick(adm_unit, recv_day, rng.random(n))
    a_speed = speed[adm]

    t_post = _stamp(rng, cal.offset(recv_day, rng.integers(0, 3, n), False), recv_t)
    add(
        post,
        t_post,
        "postponed",
        adm_unit,
        adm,
        vocab.ids(nm.NOTE_POSTPONED)[rng.integers(0, 2, n)],
    )
    t_close = _stamp(rng, cal.offset(recv_day, _wd(rng, 1.0 * a_speed), False), recv_t)
    add(
        arch,
        t_close,
        "archived",
        adm_unit,
        adm,
        vocab.ids(nm.NOTE_ARCHIVED)[rng.integers(0, len(nm.NOTE_ARCHIVED), n)],
    )
    add(
        rej,
        t_close,
        "rejected",
        adm_unit,
        adm,
        vocab.ids(nm.NOTE_REJECTED)[rng.integers(0, len(nm.NOTE_REJECTED), n)],
    )

    base_t = np.where(post, t_post, recv_t)
    base_day = base_t // DAY
    kv = (
        _wd(rng, 1.1 * a_speed * cal.factor(base_day))
        + _tail(rng, n, 0.05, 3, 13)
        + np.where(post, rng.integers(3, 11, n), 0)
    )
    t_ver = _stamp(rng, cal.offset(base_day, kv, False), base_t)
    add(norm, t_ver, "verified", adm_unit, adm, vocab.id(nm.NOTE_VERIFIED))
    kf = (rng.random(n) < 0.2).astype(np.int64)
    t_fwd = _stamp(rng, cal.offset(t_ver // DAY, kf, False), t_ver)

    # Receipt chain: forwarded to u_0, then "bukan wewenang" bounces; u_r is the right unit.
    r = rng.choice(5, size=n, p=[0.9, 0.08, 0.012, 0.005, 0.003])
    r[~norm] = 0
    st_t = np.empty((5, n), dtype=np.int64)
    st_u = np.empty((5, n), dtype=np.int64)
    st_o = np.empty((5, n), dtype=np.int64)
    fwd_note = vocab.ids([f"Disposisi kepada {name}." for name in units["name"]])
    for j in range(5):
        uj = np.where((r - j) % 2 == 0, F, W)
        if j == 0:
            tj = t_fwd
        else:
            prev_t = st_t[j - 1]
            k = 1 + _wd(rng, 1.5 * speed[st_o[j - 1]] * cal.factor(prev_t // DAY))
            tj = _stamp(rng, cal.offset(prev_t // DAY, k, six_u[st_u[j - 1]]), prev_t)
        st_t[j], st_u[j] = tj, uj
        st_o[j] = holder.pick(uj, tj // DAY, rng.random(n))
        if j == 0:
            add(norm, tj, "forwarded", uj, st_o[j], fwd_note[uj])
        else:
            pair = st_u[j - 1] * len(units["code"]) + uj
            add(norm & (r >= j), tj, "reassigned", uj, st_o[j], _pair_notes(vocab, pair, units))
    t_f = st_t[r, ar]
    hold = st_o[r, ar]
    day_f = t_f // DAY
    r_hold = rng.random(n)

    def at(t):
        return holder.keep_or_pick(hold, F, t // DAY, r_hold)

    sp = speed[hold]
    g = gaming[hold]
    g_on = (g > 0) & (rng.random(n) < 0.8)
    tmpl, clar_g, last_g = g_on & (g == 1), g_on & (g == 2), g_on & (g == 3)
    fac = cal.factor(day_f)
    cat = b["cat"]
    info = b["cls"] == 1
    field = np.array([bool(c.get("field")) for c in nm.CATEGORIES])[cat]

    m_clar = norm & ~tmpl & ((rng.random(n) < 0.05) | clar_g)
    # The clarify-gamer asks on the 4th working day: just before the 5-day response deadline.
    kc = np.where(clar_g, 4, _wd(rng, 1.5 * sp * fac))
    t_creq = _stamp(rng, cal.offset(day_f, kc, six), t_f)
    add(
        m_clar,
        t_creq,
        "clarification_requested",
        F,
        at(t_creq),
        vocab.ids(nm.NOTE_CLARIFICATION)[rng.integers(0, len(nm.NOTE_CLARIFICATION), n)],
    )
    t_clar = t_creq + rng.integers(3_600, 10 * DAY, n)
    add(
        m_clar,
        t_clar,
        "clarified",
        F,
        at(t_clar),
        vocab.ids(nm.NOTE_CLARIFIED)[rng.integers(0, len(nm.NOTE_CLARIFIED), n)],
    )

    resp_base = np.where(m_clar, t_clar, t_f)
    kr = np.where(tmpl, 0, _wd(rng, 1.8 * sp * fac) + _tail(rng, n, 0.06, 4, 16))
    t_resp = _stamp(rng, cal.offset(resp_base // DAY, kr, six), resp_base)
    stall1 = ~tmpl & (rng.random(n) < np.minimum(0.012 * sp, 0.2))
    m_resp = norm & ~stall1
    resp_notes = np.stack([vocab.ids([c["responses"][i] for c in nm.CATEGORIES]) for i in range(2)])
    v = rng.integers(0, 2, n)
    note_r = resp_notes[v, cat]
    note_r = np.where(info, vocab.ids(nm.NOTE_INFO_RESPONSE)[v], note_r)
    note_r = np.where(b["cls"] == 3, vocab.ids(nm.NOTE_WB_RESPONSE)[v], note_r)
    tmpl_note = vocab.ids(nm.NOTE_TEMPLATE)[rng.integers(0, len(nm.NOTE_TEMPLATE), n)]
    note_r = np.where(tmpl, tmpl_note, note_r)
    add(m_resp, t_resp, "responded", F, at(t_resp), note_r)

    mean_s = np.where(info, 0.6, np.where(field, 12.0, np.where(b["cls"] == 3, 10.0, 3.5)))
    ks = np.where(tmpl, 0, _wd(rng, mean_s * sp * fac) + _tail(rng, n, 0.05, 8, 31))
    t_res = _stamp(rng, cal.offset(t_resp // DAY, ks, six), t_resp)
    due_day = np.where(
        field, cal.roll_back(day_f + 60, six), cal.offset(day_f, np.where(info, 5, 14), six)
    )
    on_due = last_g & (t_resp // DAY <= due_day)
    t_due = np.maximum(
        due_day * DAY + rng.integers(52_200, 59_400, n), t_resp + rng.integers(300, 3_600, n)
    )
    t_res = np.where(on_due, t_due, t_res)
    stall2 = ~tmpl & (rng.random(n) < np.minimum(0.012 * sp, 0.2))
    m_res = m_resp & ~stall2
    res_notes = np.stack(
        [vocab.ids([c["resolutions"][i] for c in nm.CATEGORIES]) for i in range(2)]
    )
    v = rng.integers(0, 2, n)
    note_s = np.where(b["cls"] == 3, vocab.ids(nm.NOTE_WB_RESOLUTION)[v], res_notes[v, cat])
    note_s = np.where(tmpl, tmpl_note, note_s)
    add(m_res, t_res, "resolved", F, at(t_res), note_s)

    m_reo = m_res & (rng.random(n) < np.where(tmpl, 0.15, 0.04))
    t_reo = t_res + rng.integers(DAY, 14 * DAY, n)
    add(
        m_reo,
        t_reo,
        "reopened",
        F,
        at(t_reo),
        vocab.ids(nm.NOTE_REOPENED)[rng.integers(0, len(nm.NOTE_REOPENED), n)],
    )
    ks2 = _wd(rng, 3.0 * sp * cal.factor(t_reo // DAY))
    t_res2 = _stamp(rng, cal.offset(t_reo // DAY, ks2, six), t_reo)
    v = rng.integers(0, 2, n)
    add(m_reo, t_res2, "resolved", F, at(t_res2), np.where(tmpl, tmpl_note, res_notes[v, cat]))

    reopened = m_reo & (t_reo < end_t)
    t_fin = np.where(reopened, t_res2, t_res)
    fin = {
        "case": ar,
        "closed": m_res & (t_fin < end_t),
        "t_fin": t_fin,
        "wd": cal.count(day_f, t_fin // DAY, six),
        "reopened": reopened,
        "template": tmpl,
    }
    sel, t, et, un, of, no = (np.concatenate(x) for x in zip(*events, strict=True))
    stage = np.concatenate([np.full(len(e[0]), i) for i, e in enumerate(events)])
    ev = {"row": sel, "t": t, "type": et, "unit": un, "officer": of, "note": no, "stage": stage}
    return ev, fin


def _at(x, sel):
    x = np.asarray(x)
    return np.full(len(sel), x, dtype=np.int64) if x.ndim == 0 else x[sel]


def _pair_notes(vocab, pair, units):
    n_units = len(units["code"])
    uniq, inv = np.unique(pair, return_inverse=True)
    ids = vocab.ids(
        [
            f"Bukan wewenang {units['name'][p // n_units]}; dialihkan ke "
            f"{units['name'][p % n_units]}."
            for p in uniq
        ]
    )
    return ids[inv]


def _add_duplicates(rng, b, n_dup, cal, admin, units, vocab, d0, d1):
    """Append cross-channel resubmissions of the same complaint (same reporter and place)."""
    n = len(b["t"])
    orig = np.sort(rng.choice(n, size=min(n_dup, n), replace=False))
    m = len(orig)
    rows = {k: np.concatenate([v, v[orig]]) for k, v in b.items()}
    ch_share = np.array([c[1] for c in nm.CHANNELS])
    p = ch_share / ch_share.sum()
    channel = rng.choice(len(p), size=m, p=p)
    while (clash := channel == b["channel"][orig]).any():
        channel[clash] = rng.choice(len(p), size=int(clash.sum()), p=p)
    delta = rng.integers(0, 2 * DAY, m) * np.where(rng.random(m) < 0.5, -1, 1)
    t = b["t"][orig] + delta
    t = np.where((t < d0 * DAY) | (t >= d1 * DAY), b["t"][orig] - delta, t)
    t = np.clip(t, d0 * DAY, d1 * DAY - 1)
    t = _office_hours(rng, t, channel, cal, d1)
    rows["t"][n:] = t
    rows["channel"][n:] = channel
    # Reworded: same problem, another title and description form.
    for key in ("tform", "dform"):
        rows[key][n:] = (b[key][orig] + rng.integers(1, 3, m)) % 3
    for key, size in (
        ("open_v", len(nm.OPENINGS)),
        ("plea_v", len(nm.PLEAS)),
        ("infop_v", len(nm.INFO_PREFIXES)),
        ("wbd_v", len(nm.WB_DETAILS)),
    ):
        rows[key][n:] = rng.integers(0, size, m)
    rows["lat"][n:] += rng.normal(0, 0.001, m)
    rows["lon"][n:] += rng.normal(0, 0.001, m)
    geo_ch = np.isin(channel, [i for i, c in enumerate(nm.CHANNELS) if c[0] in nm.GEO_CHANNELS])
    rows["geo"][n:] = np.where(geo_ch, rng.random(m) < 0.85, rng.random(m) < 0.1)
    rows["due_t"][n:] = -1

    # Some duplicates get archived in their own source as "duplikat".
    later = np.maximum(t, b["t"][orig])
    k = rng.integers(0, 3, m)
    t_arc = _stamp(rng, cal.offset(later // DAY, k, False), later)
    adm_unit = np.full(m, units["index"][nm.ADMIN_UNIT])
    adm = admin.pick(adm_unit, t_arc // DAY, rng.random(m))
    sel = np.nonzero((rng.random(m) < 0.4) & (t_arc < d1 * DAY))[0]
    notes = vocab.ids(nm.NOTE_DUPLICATE)[rng.integers(0, len(nm.NOTE_DUPLICATE), len(sel))]
    ev = {
        "row": n + sel,
        "t": t_arc[sel],
        "type": np.full(len(sel), EV["archived"]),
        "unit": adm_unit[sel],
        "officer": adm[sel],
        "note": notes,
        "stage": np.full(len(sel), 99),
    }
    return rows, ev


def _ratings(rng, fin, vocab, d1) -> dict:
    n = len(fin["case"])
    rated = fin["closed"] & (rng.random(n) < 0.40)
    t = fin["t_fin"] + rng.integers(600, 10 * DAY, n)
    rated &= t < d1 * DAY
    latent = (
        4.7
        - 0.09 * fin["wd"]
        + rng.normal(0, 0.8, n)
        - 1.0 * fin["reopened"]
        - 1.3 * fin["template"]
    )
    score = np.clip(np.round(latent), 1, 5).astype(np.int64)
    p_false = np.array([0.55, 0.35, 0.12, 0.04, 0.015])[score - 1]
    fixed = rng.random(n) >= p_false
    bucket = np.where(score <= 2, 0, np.where(score == 3, 1, 2))
    pools = [vocab.ids(nm.RATING_COMMENTS[k]) for k in ("low", "mid", "high")]
    comment = np.full(n, -1, dtype=np.int64)
    for i, pool in enumerate(pools):
        sel = np.nonzero(bucket == i)[0]
        comment[sel] = pool[rng.integers(0, len(pool), len(sel))]
    comment = np.where(rng.random(n) < 0.35, comment, -1)
    sel = np.nonzero(rated)[0]
    return {
        "row": sel,
        "t": t[sel],
        "score": score[sel],
        "fixed": fixed[sel],
        "comment": comment[sel],
    }


# ---------------------------------------------------------------- tables


def _fmt(t: np.ndarray, fmt: str) -> pl.Series:
    return pl.from_epoch(pl.Series(np.asarray(t, dtype=np.int64)), time_unit="s").dt.strftime(fmt)


def _take(strings: list, idx: np.ndarray) -> pl.Series:
    return pl.Series(strings, dtype=pl.String).gather(np.asarray(idx, dtype=np.int64))


def _assemble(rows, ev, ratings, units, off, vocab, places) -> dict:
    n = len(rows["t"])
    chan_src = np.array([nm.SOURCES.index(c[2]) for c in nm.CHANNELS])
    src = chan_src[rows["channel"]]
    order = np.lexsort((rows["t"], src))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    # source_id: LPR-<year>-<seq in year> for SP4N-LAPOR!, LS-<seq> for the city system.
    src_s, t_s = src[order], rows["t"][order]
    year_s = (t_s // DAY).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    key_s = np.where(src_s == 0, year_s, 0) + src_s * 10_000
    _, first, inv = np.unique(key_s, return_index=True, return_inverse=True)
    seq = np.arange(n) - first[inv] + 1
    sid_sorted = (
        pl.DataFrame({"src": src_s, "y": year_s, "seq": seq})
        .select(
            pl.when(pl.col("src") == 0)
            .then(
                pl.concat_str(
                    [
                        pl.lit("LPR-"),
                        pl.col("y").cast(pl.String),
                        pl.lit("-"),
                        pl.col("seq").cast(pl.String).str.zfill(6),
                    ]
                )
            )
            .otherwise(pl.concat_str([pl.lit("LS-"), pl.col("seq").cast(pl.String).str.zfill(7)]))
        )
        .to_series()
    )
    sid = sid_sorted.gather(rank)

    comp = _complaint_frame(rows, sid, places)
    ev_src = src[ev["row"]]
    ev_order = np.lexsort((ev["stage"], rank[ev["row"]], ev["t"]))
    rt_order = np.lexsort((rank[ratings["row"]], ratings["t"]))
    rt_src = src[ratings["row"]]
    nip = pl.Series(off["nip"], dtype=pl.String)
    unit_code = pl.Series(units["code"], dtype=pl.String)
    notes = pl.Series([*vocab.items, None], dtype=pl.String)
    tables = {}
    for s, source in enumerate(nm.SOURCES):
        fmt = SOURCE_FORMATS[source]
        c_idx = order[src_s == s]
        e_idx = ev_order[ev_src[ev_order] == s]
        r_idx = rt_order[rt_src[rt_order] == s]
        c_df = (
            comp[c_idx]
            .with_columns(
                received_at=_fmt(rows["t"][c_idx], fmt),
                due_at=_fmt(rows["due_t"][c_idx], fmt).scatter(
                    np.nonzero(rows["due_t"][c_idx] < 0)[0], None
                ),
            )
            .select(COMPLAINT_COLUMNS)
        )
        e_df = pl.DataFrame(
            {
                "source_id": sid.gather(ev["row"][e_idx]),
                "event_at": _fmt(ev["t"][e_idx], fmt),
                "event_type": _take(EVENT_TYPES, ev["type"][e_idx]),
                "unit_code": unit_code.gather(ev["unit"][e_idx]),
                "officer_nip": nip.gather(ev["officer"][e_idx]),
                "note": notes.gather(
                    np.where(ev["note"][e_idx] < 0, len(vocab.items), ev["note"][e_idx])
                ),
            }
        )
        rt_comment = ratings["comment"][r_idx]
        r_df = pl.DataFrame(
            {
                "source_id": sid.gather(ratings["row"][r_idx]),
                "rated_at": _fmt(ratings["t"][r_idx], fmt),
                "score": pl.Series(ratings["score"][r_idx], dtype=pl.Int64),
                "resolved": pl.Series(ratings["fixed"][r_idx], dtype=pl.Boolean),
                "comment": notes.gather(np.where(rt_comment < 0, len(vocab.items), rt_comment)),
            }
        )
        tables[source] = {
            "complaints.csv": (c_df, {"has_events": np.isin(c_idx, ev["row"])}),
            "events.csv": (
                e_df,
                {"recv_t": rows["t"][ev["row"][e_idx]], "type": ev["type"][e_idx], "fmt": fmt},
            ),
            "ratings.csv": (r_df, {}),
            "sid": sid.gather(c_idx),
            "key": rows["key"][c_idx],
        }
    return tables


def _complaint_frame(rows, sid, places) -> pl.DataFrame:
    cats = nm.CATEGORIES
    cat = rows["cat"]
    n_cat = len(cats)

    def per_cat(field: str, variant: np.ndarray) -> pl.Series:
        flat = [c[field][i] for i in range(3) for c in cats]
        return _take(flat, variant * n_cat + cat)

    reporter = _reporters(rows)
    df = pl.DataFrame(
        {
            "source_id": sid,
            "channel": _take([c[0] for c in nm.CHANNELS], rows["channel"]),
            "category": _take([c["code"] for c in cats], cat),
            "complaint_class": _take([c[0] for c in nm.CLASSES], rows["cls"]),
            "cls": rows["cls"],
            "tform": rows["tform"],
            "dform": rows["dform"],
            "t_title": per_cat("titles", rows["var"]),
            "problem": per_cat("problems", rows["var"]),
            "detail": per_cat("details", rows["var"]),
            "label": _take([c["label"] for c in cats], cat),
            "info": _take([c["info"] for c in cats], cat),
            "opening": _take(nm.OPENINGS, rows["open_v"]),
            "plea": _take(nm.PLEAS, rows["plea_v"]),
            "info_prefix": _take(nm.INFO_PREFIXES, rows["infop_v"]),
            "wb_detail": _take(nm.WB_DETAILS, rows["wbd_v"]),
            "street": _take(places.streets, rows["street"]),
            "vname": _take(places.villages, rows["vill"]),
            "district": _take(places.districts, rows["dist"]),
            "blank": rows["village_blank"],
            "lat": np.round(rows["lat"], 6),
            "lon": np.round(rows["lon"], 6),
            "geo": rows["geo"],
            "reporter_id": reporter,
            "is_anonymous": rows["anon"],
            "is_confidential": rows["conf"],
        }
    )
    c = pl.col
    place = [
        c("street"),
        pl.lit(", Kel. "),
        c("vname"),
        pl.lit(", Kec. "),
        c("district"),
        pl.lit(". "),
    ]
    p_lower, t_lower = _lower_first(c("problem")), _lower_first(c("t_title"))
    title = (
        pl.when((c("cls") == 0) & (c("tform") == 0))
        .then(pl.concat_str([c("t_title"), pl.lit(" di "), c("street")]))
        .when((c("cls") == 0) & (c("tform") == 1))
        .then(pl.concat_str([c("t_title"), pl.lit(" di Kel. "), c("vname")]))
        .when(c("cls") == 0)
        .then(
            pl.concat_str(
                [
                    pl.lit("Tolong, "),
                    t_lower,
                    pl.lit(" - "),
                    c("street"),
                    pl.lit(", "),
                    c("district"),
                ]
            )
        )
        .when(c("cls") == 1)
        .then(pl.concat_str([c("info_prefix"), c("info")]))
        .when(c("cls") == 2)
        .then(
            pl.concat_str(
                [pl.lit("Usulan perbaikan "), c("label"), pl.lit(" di Kel. "), c("vname")]
            )
        )
        .otherwise(pl.concat_str([pl.lit("Dugaan pungutan liar layanan "), c("label")]))
    )
    description = (
        pl.when((c("cls") == 0) & (c("dform") == 0))
        .then(
            pl.concat_str(
                [
                    c("opening"),
                    c("problem"),
                    pl.lit(" di "),
                    *place,
                    c("detail"),
                    pl.lit(" "),
                    c("plea"),
                ]
            )
        )
        .when((c("cls") == 0) & (c("dform") == 1))
        .then(
            pl.concat_str(
                [
                    c("opening"),
                    pl.lit("Di "),
                    c("street"),
                    pl.lit(", Kel. "),
                    c("vname"),
                    pl.lit(", Kec. "),
                    c("district"),
                    pl.lit(", "),
                    p_lower,
                    pl.lit(". "),
                    c("detail"),
                    pl.lit(" "),
                    c("plea"),
                ]
            )
        )
        .when(c("cls") == 0)
        .then(
            pl.concat_str(
                [
                    c("opening"),
                    pl.lit("Lapor, "),
                    p_lower,
                    pl.lit(" di "),
                    c("street"),
                    pl.lit(" ("),
                    c("vname"),
                    pl.lit(", "),
                    c("district"),
                    pl.lit("). "),
                    c("detail"),
                    pl.lit(" "),
                    c("plea"),
                ]
            )
        )
        .when((c("cls") == 1) & (c("dform") == 1))
        .then(
            pl.concat_str(
                [
                    c("opening"),
                    c("info_prefix"),
                    c("info"),
                    pl.lit(" untuk warga Kel. "),
                    c("vname"),
                    pl.lit(", Kec. "),
                    c("district"),
                    pl.lit(". Terima kasih."),
                ]
            )
        )
        .when(c("cls") == 1)
        .then(
            pl.concat_str(
                [
                    c("opening"),
                    pl.lit("Saya warga Kel. "),
                    c("vname"),
                    pl.lit(", Kec. "),
                    c("district"),
                    pl.lit(". "),
                    c("info_prefix"),
                    c("info"),
                    pl.lit(". Terima kasih."),
                ]
            )
        )
        .when(c("cls") == 2)
        .then(
            pl.concat_str(
                [
                    c("opening"),
                    pl.lit("Saya mengusulkan perbaikan layanan "),
                    c("label"),
                    pl.lit(" di sekitar "),
                    *place,
                    c("detail"),
                    pl.lit(" "),
                    c("plea"),
                ]
            )
        )
        .otherwise(
            pl.concat_str(
                [
                    c("opening"),
                    pl.lit(
                        "Saya melaporkan dugaan pungutan liar oleh oknum petugas terkait layanan "
                    ),
                    c("label"),
                    pl.lit(" di Kec. "),
                    c("district"),
                    pl.lit(". "),
                    c("wb_detail"),
                    pl.lit(" Mohon identitas saya dirahasiakan."),
                ]
            )
        )
    )
    return df.with_columns(
        title=title,
        description=description,
        village=pl.when(c("blank")).then(None).otherwise(c("vname")),
        lat=pl.when(c("geo")).then(c("lat")),
        lon=pl.when(c("geo")).then(c("lon")),
    )


def _lower_first(text: pl.Expr) -> pl.Expr:
    """Lower-case the first letter to continue a sentence, but leave acronyms (PJU, KTP-el)."""
    lowered = pl.concat_str([text.str.slice(0, 1).str.to_lowercase(), text.str.slice(1)])
    return pl.when(text.str.contains(r"^.[a-z ]")).then(lowered).otherwise(text)


def _reporters(rows) -> pl.Series:
    """Phone numbers (email address on the email channel); none for mass media."""
    rep = rows["rep"]
    channel = np.array([c[0] for c in nm.CHANNELS])[rows["channel"]]
    # An affine map with a multiplier coprime to 10^8 keeps reporters' numbers distinct.
    digits = (rep * 48_271 + 12_345_678) % 100_000_000
    df = pl.DataFrame(
        {
            "prefix": _take(nm.PHONE_PREFIXES, rep % len(nm.PHONE_PREFIXES)),
            "digits": digits,
            "name": _take(nm.REPORTER_NAMES, (rep * 7_919) % len(nm.REPORTER_NAMES)),
            "domain": _take(nm.EMAIL_DOMAINS, rep % len(nm.EMAIL_DOMAINS)),
            "rep": rep,
            "channel": channel,
        }
    )
    c = pl.col
    return df.select(
        pl.when(c("channel") == "mass_media")
        .then(None)
        .when(c("channel") == "email")
        .then(pl.concat_str([c("name"), c("rep").cast(pl.String), pl.lit("@"), c("domain")]))
        .otherwise(pl.concat_str([c("prefix"), c("digits").cast(pl.String).str.zfill(8)]))
        .alias("reporter_id")
    ).to_series()


# ---------------------------------------------------------------- faults


def _inject_faults(rng, table, file: str, source: str):
    df, info = table
    n = df.height
    total = round(FAULT_RATE[file] * n)
    used = np.zeros(n, dtype=bool)
    chosen = {}
    eligible = {
        "bad_timestamp": (~info["has_events"]) if file == "complaints.csv" else None,
        "closed_before_opened": (info["type"] == EV["resolved"]) if file == "events.csv" else None,
    }
    for fault, share in FAULT_MIX[file]:
        k = round(total * share)
        if total and not k:
            k = 1
        ok = ~used if eligible.get(fault) is None else ~used & eligible[fault]
        cand = np.nonzero(ok)[0]
        pick = np.sort(rng.choice(cand, size=min(k, len(cand)), replace=False))
        used[pick] = True
        chosen[fault] = pick

    ts_col = {"complaints.csv": "received_at", "events.csv": "event_at", "ratings.csv": "rated_at"}[
        file
    ]
    cols = {}
    if len(idx := chosen.get("bad_timestamp", [])):
        vals = _take(nm.BAD_TIMESTAMPS, rng.integers(0, len(nm.BAD_TIMESTAMPS), len(idx)))
        cols[ts_col] = df[ts_col].scatter(idx, vals)
    if len(idx := chosen.get("closed_before_opened", [])):
        early = info["recv_t"][idx] - rng.integers(3_600, 20 * DAY, len(idx))
        cols[ts_col] = cols.get(ts_col, df[ts_col]).scatter(idx, _fmt(early, info["fmt"]))
    if len(idx := chosen.get("bad_nip", [])):
        cols["officer_nip"] = df["officer_nip"].scatter(
            idx, _break_nips(rng, df["officer_nip"].gather(idx))
        )
    if len(idx := chosen.get("unknown_unit", [])):
        cols["unit_code"] = df["unit_code"].scatter(
            idx, _take(nm.UNKNOWN_UNITS, rng.integers(0, len(nm.UNKNOWN_UNITS), len(idx)))
        )
    if len(idx := chosen.get("bad_score", [])):
        cols["score"] = df["score"].scatter(
            idx, pl.Series(np.where(rng.random(len(idx)) < 0.5, 0, 7), dtype=pl.Int64)
        )
    if len(idx := chosen.get("missing_source_id", [])):
        cols["source_id"] = df["source_id"].scatter(idx, None)
    if cols:
        df = df.with_columns(**cols)

    counts = np.ones(n, dtype=np.int64)
    counts[chosen.get("exact_duplicate", [])] = 2
    first = np.cumsum(counts) - counts  # 0-based position of each row's first copy
    df = df[np.repeat(np.arange(n), counts)]
    found = []
    for fault, idx in chosen.items():
        shift = 2 if fault == "exact_duplicate" else 1
        found.extend((source, file, int(p), fault) for p in first[idx] + shift)
    return df, found


def _break_nips(rng, nips: pl.Series) -> pl.Series:
    """Wrong length, impossible birth month or sex digit 3."""
    way = rng.integers(0, 4, len(nips))
    c = pl.col("nip")
    return (
        pl.DataFrame({"nip": nips, "way": way})
        .select(
            pl.when(pl.col("way") == 0)
            .then(c.str.slice(0, 17))
            .when(pl.col("way") == 1)
            .then(pl.concat_str([c, pl.lit("7")]))
            .when(pl.col("way") == 2)
            .then(pl.concat_str([c.str.slice(0, 4), pl.lit("13"), c.str.slice(6)]))
            .otherwise(pl.concat_str([c.str.slice(0, 14), pl.lit("3"), c.str.slice(15)]))
        )
        .to_series()
    )


# ---------------------------------------------------------------- output


def _write(home, start, end, units, off, overrides, tables, fault_rows):
    for sub in ("reference", "demo_truth", *(f"sources/{s}" for s in nm.SOURCES)):
        (home / sub).mkdir(parents=True, exist_ok=True)
    tenant = {
        "name": nm.TENANT_NAME,
        "code": nm.TENANT_CODE,
        "timezone": nm.TIMEZONE,
        "as_of": end - dt.timedelta(days=1),
    }
    (home / "tenant.yaml").write_text(yaml.safe_dump(tenant, sort_keys=False), encoding="utf-8")
    # random per home (not from the seed) and private: same-seed demos share no secret
    create_secret(home / "secret.key")

    pl.DataFrame(
        {
            "unit_code": units["code"],
            "name": units["name"],
            "kind": units["kind"],
            "parent_code": [p or None for p in units["parent"]],
            "workweek": units["workweek"],
            "valid_from": [min(dt.date(2015, 1, 1), start).isoformat()] * len(units["code"]),
            "valid_to": pl.Series([None] * len(units["code"]), dtype=pl.String),
        }
    ).select(UNIT_COLUMNS).write_csv(home / "reference/units.csv")

    recs = []
    for o in range(len(off["nip"])):
        ua, ub = units["code"][off["unit_a"][o]], off["unit_b"][o]
        common = (off["nip"][o], off["name"][o])
        vf = off["valid_from"][o].isoformat()
        if ub < 0:
            recs.append((*common, ua, off["position"][o], off["grade"][o], vf, None))
        else:
            move = _date(off["move_day"][o])
            recs.append(
                (
                    *common,
                    ua,
                    off["position"][o],
                    off["grade"][o],
                    vf,
                    (move - dt.timedelta(days=1)).isoformat(),
                )
            )
            recs.append(
                (
                    *common,
                    units["code"][ub],
                    off["position"][o],
                    off["grade"][o],
                    move.isoformat(),
                    None,
                )
            )
    pl.DataFrame(recs, schema=OFFICER_COLUMNS, orient="row").sort(
        ["unit_code", "nip", "valid_from"]
    ).write_csv(home / "reference/officers.csv")

    pl.DataFrame(
        [(d.isoformat(), w, note, a) for d, w, note, a in overrides],
        schema=OVERRIDE_COLUMNS,
        orient="row",
    ).write_csv(home / "reference/calendar_overrides.csv")

    dup_parts = []
    for source in nm.SOURCES:
        folder = home / "sources" / source
        for file in ("complaints.csv", "events.csv", "ratings.csv"):
            tables[source][file].write_csv(folder / file, float_precision=6)
        dup_parts.append(
            pl.DataFrame(
                {
                    "source": source,
                    "source_id": tables[source]["sid"],
                    "complaint_key": pl.Series(tables[source]["key"]).cast(pl.String).str.zfill(7),
                }
            )
        )
    pl.concat(dup_parts).with_columns(
        complaint_key=pl.concat_str([pl.lit("CK-"), pl.col("complaint_key")])
    ).sort(["complaint_key", "source", "source_id"]).write_csv(home / "demo_truth/duplicates.csv")
    pl.DataFrame(
        fault_rows,
        schema=["source", "file", "row_number", "fault"],
        orient="row",
    ).sort(["source", "file", "row_number"]).write_csv(home / "demo_truth/faults.csv")
    pl.DataFrame(
        {
            "nip": off["nip"],
            "speed_factor": np.round(off["speed"], 3),
            "gaming": _take(GAMING, off["gaming"]),
        }
    ).sort("nip").write_csv(home / "demo_truth/officers.csv")
    (home / "demo_truth/README.md").write_text(TRUTH_README, encoding="utf-8")


def _write_hr_ratings(home, rng, start, end, units, off) -> None:
    """What HR supplies for the predikat (docs/predikat.md): a perilaku kerja rating per
    officer and year (officers who game the clock are rated below more often), the pemda's
    organisation rating per year, and the dinas' and badan's own."""
    years = range(start.year, (end - dt.timedelta(days=1)).year + 1)
    levels = ["di_atas_ekspektasi", "sesuai_ekspektasi", "di_bawah_ekspektasi"]
    behaviour = []
    for o in range(len(off["nip"])):
        p = [0.05, 0.6, 0.35] if off["gaming"][o] > 0 else [0.2, 0.7, 0.1]
        for year in years:
            behaviour.append((off["nip"][o], str(year), levels[rng.choice(3, p=p)], None))
    pl.DataFrame(
        behaviour, schema=["nip", "period", "behaviour_rating", "note"], orient="row"
    ).sort(["nip", "period"]).write_csv(home / "reference/behaviour_ratings.csv")
    kinds = ["istimewa", "baik", "butuh_perbaikan"]
    organisations = [(None, str(year), "baik", "pemda") for year in years]
    for code, kind in zip(units["code"], units["kind"], strict=True):
        if kind in ("dinas", "badan"):
            for year in years:
                organisations.append(
                    (code, str(year), kinds[rng.choice(3, p=[0.2, 0.7, 0.1])], None)
                )
    pl.DataFrame(
        organisations,
        schema=["unit_code", "period", "organisation_rating", "note"],
        orient="row",
    ).write_csv(home / "reference/organisation_ratings.csv")


TRUTH_README = """# demo_truth

What the demo generator (`pipelines.demo.generate_city`) planted in this home, for tests and
for checking the pipeline against known answers; the pipeline itself must never read it.
`duplicates.csv` maps every complaint row (source, source_id) to `complaint_key`, the
underlying citizen problem: rows sharing a key are the same complaint sent through several
channels, and should merge into one case. `faults.csv` lists every injected data fault by
source, file, 1-based data row number (header not counted) and fault type (bad_nip,
bad_timestamp, closed_before_opened, unknown_unit, exact_duplicate, bad_score,
missing_source_id); each listed row carries exactly one fault and every other row is clean.
`officers.csv` gives each officer's hidden handling speed factor (below 1 is faster) and
whether they game the clock (template_close, clarify_before_deadline, resolve_on_deadline).
"""
