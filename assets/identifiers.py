"""Personal identifiers in citizen text, found and replaced by keyed hash tokens.

A reporter's e-mail address, phone number or NIK must never be stored in clear, wherever a
row puts it (a shifted CSV row, an unmapped field of a JSON record, a complaint's own
text). `Scrubber.scrub` replaces each match inside a text with `[id:<12 hex>]`, the first
12 hex digits of the tenant's keyed hash (`Reporters`) of the normalised value: the same
e-mail or number gives the same token everywhere (a value stays linkable), but it cannot be
read back without the tenant secret.

What counts as an identifier (docs/sources.md, "Personal data"):
- e-mail addresses (`local@domain`, a top-level domain not required, so a truncated one
  is caught too);
- Indonesian phone numbers: mobile `08..`, `628..`, `+628..` with 10-13 digits in all,
  any number written with `+62`, and landlines `(021) 555 1234` / `021-5551234`; spaces,
  dots and dashes allowed between digits;
- NIK, the 16-digit population number (also written 4-4-4-4);
- with `numbers=True`: any other run of 10 or more digits, except exactly 18 digits.
  No complaint field needs such a number in clear, while citizens write bank accounts
  (10-16 digits), BPJS cards (13), KK numbers (16), NPWP (15) and phone numbers without
  prefix. 18 digits is the NIP shape: civil servants' ids are not reporter data and are
  what the scorecards are keyed by. Decimal fractions (`-6.20881234567`) are not numbers
  in this sense.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from assets.readers import Reporters

TOKEN = r"\[id:[0-9a-f]{12}\]"
_OPEN = r"(?<!\d)(?<!\d\.)"  # not inside a number, nor the fraction of a decimal
_CLOSE = r"(?!\d)"
_PATTERNS = {
    "token": TOKEN,  # already scrubbed: left as it is
    "email": r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*",
    "nik": _OPEN + r"(?:\d{16}|\d{4}(?P<sep>[ .-])\d{4}(?P=sep)\d{4}(?P=sep)\d{4})" + _CLOSE,
    "phone": _OPEN
    + r"(?:(?:\+62|62|0)[ .-]?8(?:[ .-]?\d){8,11}"  # mobile: 08.. / 628.. / +628..
    + r"|\+62[ .-]?\(?[2-9]\d{0,2}\)?(?:[ .-]?\d){6,9}"  # any other +62 number
    + r"|\(0[2-9]\d{1,2}\)[ .-]?\d{3,4}[ .-]?\d{3,4})"  # landline (021) 555 1234
    + _CLOSE,
    "landline": _OPEN + r"0[2-9]\d{1,2}-\d{6,8}" + _CLOSE,  # 021-5551234 (not in ids)
    "number": _OPEN + r"\d{10,}" + _CLOSE,
}  # fmt: skip
# what is replaced: "all" kinds in free text and in rows with a problem; in key columns of a
# well-formed row, no other long numbers ("identifiers"), and in ids no NIK and no dashed
# landline either ("contact": a 16-digit source_id, a NIP missing two digits or an id like
# RT-031-123456 is not a citizen's number)
LEVELS = {
    "all": ("token", "email", "nik", "phone", "landline", "number"),
    "identifiers": ("token", "email", "nik", "phone", "landline"),
    "contact": ("token", "email", "phone"),
}
_REGEXES = {
    level: re.compile("|".join(f"(?P<{k}>{_PATTERNS[k]})" for k in kinds))
    for level, kinds in LEVELS.items()
}
# cheap tests Polars runs on whole columns (it has no look-around): supersets of what the
# patterns match, so only the few texts that may hold an identifier reach Python
_CONTACT = r"@|\+62|(?:^|\D)(?:62|0)[ .-]?8(?:[ .-]?\d){8}|\(0"
_LANDLINE = r"|(?:^|\D)0[2-9]\d{1,2}-\d{6}"
CANDIDATES = {
    "all": _CONTACT + _LANDLINE + r"|\d{10}|\d{4}[ .-]\d{4}[ .-]\d{4}",
    "identifiers": _CONTACT + _LANDLINE + r"|\d{16}|\d{4}[ .-]\d{4}[ .-]\d{4}",
    "contact": _CONTACT,
}
NIP_DIGITS = 18
# columns holding keys, codes, times or coordinates, and what is replaced in them when the
# row is well-formed (in a row with a problem its values may sit anywhere: "all")
KEY_COLUMNS = {
    "source_id": "contact", "officer_nip": "contact", "unit_code": "identifiers",
    "received_at": "identifiers", "due_at": "identifiers", "event_at": "identifiers",
    "rated_at": "identifiers", "lat": "identifiers", "lon": "identifiers",
}  # fmt: skip


class Scrubber:
    """Replaces identifiers in texts with keyed hash tokens (see the module docstring)."""

    def __init__(self, reporters: Reporters):
        self.reporters = reporters
        self._tokens: dict[str, str] = {}

    def token(self, normalised: str) -> str:
        """`[id:<12 hex>]` for a normalised identifier (the tenant's keyed hash)."""
        token = self._tokens.get(normalised)
        if token is None:
            token = f"[id:{self.reporters.hash(normalised)[:12]}]"
            self._tokens[normalised] = token
        return token

    def _replace(self, match: re.Match) -> str:
        kind, text = match.lastgroup, match.group()
        if kind == "token":
            return text
        if kind == "email":
            return self.token(text.lower())
        digits = re.sub(r"\D", "", text)
        if kind == "number" and len(digits) == NIP_DIGITS:
            return text
        if kind == "phone" and digits.startswith("62"):
            digits = "0" + digits[2:]  # +62 812 ... and 0812 ... are one number
        return self.token(digits)

    def scrub(self, text: str | None, level: str = "all") -> str | None:
        """`text` with every identifier of `level` (LEVELS) replaced by its token."""
        if text is None:
            return None
        return _REGEXES[level].sub(self._replace, text)

    def series(
        self, values: pl.Series, level: str = "all", broken: pl.Series | None = None
    ) -> pl.Series:
        """A text column scrubbed at `level`, and fully in the `broken` rows. Only texts a
        cheap Polars test flags reach Python, so a clean column costs one regex scan."""
        values = values.cast(pl.String)
        flagged = values.str.contains(CANDIDATES[level])
        if broken is not None and level != "all":
            flagged = flagged | (broken & values.str.contains(CANDIDATES["all"]))
        flagged = flagged.fill_null(False)
        if not flagged.any():
            return values
        rows = flagged.arg_true()
        texts = values.gather(rows).to_list()
        if broken is None:
            levels = [level] * len(rows)
        else:
            levels = ["all" if b else level for b in broken.gather(rows).to_list()]
        scrubbed = [self.scrub(t, lv) for t, lv in zip(texts, levels, strict=True)]
        return values.scatter(rows, pl.Series(scrubbed, dtype=pl.String))
