"""The SQL macros every file relies on: NIP plausibility, timestamps, Wilson intervals."""

import datetime as dt
import math

import pytest

from pipelines.warehouse import connect


@pytest.fixture(scope="module")
def con():
    c = connect(":memory:")
    yield c
    c.close()


@pytest.mark.parametrize(
    ("nip", "problem"),
    [
        ("198503152010011001", None),  # born 1985-03-15, appointed 2010-01, male, serial 001
        ("199202022018012003", None),  # female
        (" 198503152010011001 ", None),  # stray blanks are trimmed
        ("19850315201001100", "NIP must be 18 digits, got 17 characters"),
        ("19850315201001100A", "NIP must be 18 digits, got 18 characters"),
        ("198502302010011001", "NIP birth date 19850230 is not a date"),
        ("183003152010011001", "NIP birth year 1830 is implausible"),
        ("198503152010131001", "NIP appointment month 201013 is not a month"),
        ("198503151995011001", "NIP appointment before age 17"),
        ("198503152010013001", "NIP sex digit must be 1 or 2, got 3"),
        ("", "empty NIP"),
        # the run is on 2026-11-29: appointed this month is plausible, next month is not
        ("199001012026111001", None),
        ("199001012026121001", "NIP appointment month 202612 is after this run's month 2026-11"),
    ],
)
def test_nip_problem(con, nip, problem):
    now = dt.datetime(2026, 11, 29, 23, 59)
    assert con.execute("SELECT nip_problem($n, $now)", {"n": nip, "now": now}).fetchone()[0] == (
        problem
    )


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("2025-03-27T10:00:00+07:00", "Asia/Jakarta", dt.datetime(2025, 3, 27, 10)),
        ("2025-03-27T10:00:00+07:00", "Asia/Makassar", dt.datetime(2025, 3, 27, 11)),
        ("2025-03-27T16:30:00Z", "Asia/Jayapura", dt.datetime(2025, 3, 28, 1, 30)),
        ("2025-03-27 23:59:00", "Asia/Makassar", dt.datetime(2025, 3, 27, 23, 59)),
        ("2025-03-27", "Asia/Jakarta", dt.datetime(2025, 3, 27)),
        ("31/02/2025 25:61", "Asia/Jakarta", None),
        ("kemarin", "Asia/Jakarta", None),
        ("", "Asia/Jakarta", None),
    ],
)
def test_parse_local_ts(con, text, tz, expected):
    got = con.execute("SELECT parse_local_ts($t, $z)", {"t": text, "z": tz}).fetchone()[0]
    assert got == expected


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Textbook Wilson score interval, written out independently of the SQL macro."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize(("k", "n"), [(8, 10), (0, 5), (5, 5), (37, 120), (1, 1)])
def test_wilson_interval(con, k, n):
    low, high = con.execute("SELECT wilson_low($k, $n), wilson_high($k, $n)", {"k": k, "n": n}
                            ).fetchone()  # fmt: skip
    exp_low, exp_high = wilson(k, n)
    assert low == pytest.approx(exp_low, abs=1e-12)
    assert high == pytest.approx(exp_high, abs=1e-12)


def test_wilson_known_value(con):
    # 8 of 10: the 95 % Wilson interval is 0.4902 .. 0.9433 (standard tables)
    low, high = con.execute("SELECT wilson_low(8, 10), wilson_high(8, 10)").fetchone()
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
