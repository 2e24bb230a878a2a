"""'Did you mean ...?' for configuration mistakes: the nearest valid key or name, by
spelling, so a typo in source.yaml, tenant.yaml, policy.yaml or a reference CSV header
reads as one line that says what to write instead."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(word: object, choices: Iterable[object]) -> str:
    """ " (did you mean 'x'?)" for the valid choice closest to `word`, or "" if none is."""
    options = [str(c) for c in choices]
    match = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def unknown_keys(given: Iterable[object], allowed: Iterable[object]) -> str | None:
    """ "unknown key(s) 'a' (did you mean 'b'?), ..." for the keys of `given` not in
    `allowed`, or None when there are none."""
    valid = [str(a) for a in allowed]
    unknown = sorted({str(k) for k in given} - set(valid))
    if not unknown:
        return None
    return "unknown key(s) " + ", ".join(f"'{k}'{nearest(k, valid)}" for k in unknown)
