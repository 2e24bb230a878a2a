"""The policy file: deadlines, weights and thresholds, validated, with a stable hash."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from pipelines.home import yaml_where
from pipelines.suggest import unknown_keys

DEFAULT_POLICY = Path(__file__).with_name("default_policy.yaml")
COMPLAINT_CLASSES = ("pengaduan", "aspirasi", "permintaan_informasi", "whistleblowing")


class PolicyError(ValueError):
    """A policy file that cannot be used; the message says which key and why."""


@dataclass(frozen=True)
class VolumeGate:
    """The `quality.volume` section (docs/quality.md), optional in a tenant's policy: a key
    left out takes the default here. Complaints received in the newest complete month must
    lie between `min_ratio` and `max_ratio` times the median of the `baseline_months` months
    before it. Not judged with fewer than `min_baseline_months` of those months holding
    data, or with a median below `min_baseline_median` (too few complaints for a ratio to
    mean anything)."""

    baseline_months: int = 6
    min_baseline_months: int = 3
    min_baseline_median: float = 30
    min_ratio: float = 0.5
    max_ratio: float = 3.0


VOLUME_KEYS = frozenset(f.name for f in fields(VolumeGate))


@dataclass(frozen=True)
class Policy:
    raw: dict[str, Any]
    source: str

    @property
    def version(self) -> str:
        return str(self.raw["version"])

    @property
    def hash(self) -> str:
        canonical = json.dumps(self.raw, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @property
    def volume_gate(self) -> VolumeGate:
        """The `quality.volume` settings, defaults filled in (validated by load_policy)."""
        return VolumeGate(**((self.raw.get("quality") or {}).get("volume") or {}))

    def sql_params(self) -> dict[str, Any]:
        """The policy values the SQL files take as named parameters."""
        d, r, s = self.raw["deadlines"], self.raw["rating"], self.raw["score"]["weights"]
        res = d["resolution"]
        return {
            "forwarding_wd": d["forwarding"],
            "response_wd": d["response"],
            "due_pengaduan": res["pengaduan"],
            "due_aspirasi": res["aspirasi"],
            "due_permintaan_informasi": res["permintaan_informasi"],
            "due_whistleblowing": res["whistleblowing"],
            "due_field_inspection": d["field_inspection"],
            "field_inspection_categories": list(d["field_inspection_categories"]),
            "use_source_due_at": bool(d["use_source_due_at"]),
            "reopen_window_days": self.raw["reopen_window_days"],
            "rating_window_days": self.raw["rating_window_days"],
            "shrinkage_k": self.raw["satisfaction"]["shrinkage_k"],
            "w_resolution": s["resolution_rate"],
            "w_response": s["response_rate"],
            "w_satisfaction": s["satisfaction"],
            "min_judged": r["min_judged_deadlines"],
            "max_interval_width": r["max_interval_width"],
            "rating_above": r["above"],
            "rating_below": r["below"],
            "merge_window_days": self.raw["cases"]["merge_window_days"],
            **merge_params(self.raw["cases"]),
            **event_params(self.raw.get("events") or {}),
            **flag_params(self.raw.get("flags") or {}),
            **closure_params(self.raw.get("closures") or {}),
            **recommendation_params(self.raw.get("recommendations") or {}),
            **predikat_params(self.raw.get("predikat") or {}),
            **tpp_params(self.raw.get("tpp") or {}),
        }


# the sections whose keys are fixed by the packaged policy (the others check their own)
FIXED_SECTIONS = ("", "deadlines", "deadlines.resolution", "satisfaction", "score",
                  "score.weights", "rating", "quality", "quality.volume")  # fmt: skip


@functools.cache
def _packaged_policy() -> dict:
    """The packaged policy's tree, read once per process (load_policy runs per asset)."""
    return yaml.safe_load(DEFAULT_POLICY.read_text())


def _check_keys(raw: dict, path: Path) -> None:
    """A key the packaged policy does not have, in a section whose keys are fixed, is a
    typo: refused with the nearest valid key, before a missing key is reported."""
    default = _packaged_policy()
    for section in FIXED_SECTIONS:
        given, allowed = raw, default
        for key in filter(None, section.split(".")):
            given = given.get(key) if isinstance(given, dict) else None
            allowed = allowed[key]
        if isinstance(given, dict):
            unknown = unknown_keys(given, allowed)
            if unknown:
                raise PolicyError(f"policy {path}: {section or 'top level'}: {unknown}")


def _require(raw: dict, path: str, kind: type | tuple, minimum: float | None = None):
    node: Any = raw
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            raise PolicyError(f"policy: '{path}' is missing")
        node = node[key]
    if not isinstance(node, kind) or (isinstance(node, bool) and kind is not bool):
        raise PolicyError(f"policy: '{path}' must be {kind}, got {node!r}")
    if minimum is not None and node < minimum:
        raise PolicyError(f"policy: '{path}' must be >= {minimum}, got {node!r}")
    return node


# cases: the optional merge settings (docs/merging.md); a key left out takes this default
MERGE_DEFAULTS: dict[str, Any] = {
    "text_similarity_min": 0.45,
    "text_evidence_min": 4.0,
    "max_pin_distance_m": 500,
    "text_match_max_candidates": 30,
    "reporter_id_kinds": {"email": "email"},
    "common_min_complaints": 50,
    "common_place_share": 0.05,
    "common_pin_share": 0.002,
    "common_text_share": 0.05,
}


def merge_params(cases: dict) -> dict[str, Any]:
    """The merge settings as SQL parameters, defaults filled in."""
    merged = {**MERGE_DEFAULTS, **cases}
    kinds = {str(k).strip().lower(): str(v) for k, v in merged["reporter_id_kinds"].items()}
    return {
        "text_similarity_min": float(merged["text_similarity_min"]),
        "text_evidence_min": float(merged["text_evidence_min"]),
        "common_min_complaints": int(merged["common_min_complaints"]),
        "common_place_share": float(merged["common_place_share"]),
        "common_pin_share": float(merged["common_pin_share"]),
        "common_text_share": float(merged["common_text_share"]),
        "max_pin_distance_m": float(merged["max_pin_distance_m"]),
        "text_match_max_candidates": int(merged["text_match_max_candidates"]),
        "reporter_kind_channels": list(kinds) or [""],
        "reporter_kind_names": list(kinds.values()) or ["phone"],
    }


def _check_merge(cases: dict) -> None:
    """`cases`: known keys only (a typo must not fall back to a default silently)."""
    unknown = unknown_keys(cases, ("merge_window_days", *MERGE_DEFAULTS))
    if unknown:
        raise PolicyError(f"policy: cases: {unknown}")
    raw = {"cases": {**MERGE_DEFAULTS, **cases}}
    if not 0 < _require(raw, "cases.text_similarity_min", (int, float), 0) <= 1:
        raise PolicyError("policy: 'cases.text_similarity_min' must be > 0 and <= 1")
    _require(raw, "cases.text_evidence_min", (int, float), 0)
    _require(raw, "cases.max_pin_distance_m", (int, float), 0)
    _require(raw, "cases.common_min_complaints", int, 1)
    for key in ("common_place_share", "common_pin_share", "common_text_share"):
        if not 0 < _require(raw, f"cases.{key}", (int, float), 0) <= 1:
            raise PolicyError(f"policy: 'cases.{key}' must be > 0 and <= 1")
    _require(raw, "cases.text_match_max_candidates", int, 1)
    kinds = _require(raw, "cases.reporter_id_kinds", dict)
    for channel, kind in kinds.items():
        if not isinstance(channel, str) or not isinstance(kind, str) or not kind.strip():
            raise PolicyError(
                f"policy: 'cases.reporter_id_kinds' maps channel names to kinds (text), "
                f"got {channel!r}: {kind!r}"
            )


# events: how the lifecycle events are read (sql/stg_events.sql); a key left out takes this
# default
EVENT_DEFAULTS: dict[str, Any] = {
    # an event stamped before its complaint's receipt by at most this many minutes is a
    # clock's skew, not a fault: set to the receipt time (and noted); further: quarantined
    "clock_skew_tolerance_minutes": 5,
}


def event_params(events: dict) -> dict[str, Any]:
    """The event settings as SQL parameters, defaults filled in."""
    merged = {**EVENT_DEFAULTS, **events}
    return {"clock_skew_tolerance_minutes": int(merged["clock_skew_tolerance_minutes"])}


def _check_events(events: Any) -> None:
    """`events`: optional; known keys only; the tolerance a whole number of minutes >= 0."""
    if not isinstance(events, dict):
        raise PolicyError("policy: 'events' must be a mapping")
    unknown = unknown_keys(events, EVENT_DEFAULTS)
    if unknown:
        raise PolicyError(f"policy: events: {unknown}")
    _require({"events": {**EVENT_DEFAULTS, **events}}, "events.clock_skew_tolerance_minutes",
             int, 0)  # fmt: skip


# flags: the gaming and anomaly signals for the inspectorate (docs/flags.md); a key
# left out takes this default
FLAG_DEFAULTS: dict[str, Any] = {
    # a resolution note shorter than this, or one of these texts, is "no response text"
    "min_note_chars": 15,
    "template_notes": ["selesai", "sudah selesai", "sudah ditindaklanjuti",
                       "telah ditindaklanjuti", "done", "ok", "-", "."],
    "reopen_loop": 2,             # reopened this many times or more
    "ping_pong_transfers": 3,     # forwarded / reassigned this many times or more
    "bunching_min_resolved": 5,   # an officer-month with at least this many resolutions...
    "bunching_share": 0.5,        # ...of which at least this share fell on their due date
    "duplicate_words": ["duplikat", "ganda", "duplicate", "sama dengan laporan"],
    "bulk_closure_min": 10,       # this many closures by one hand (officer, else unit)...
    "bulk_closure_minutes": 15,   # ...within this many minutes: a bulk closure
}  # fmt: skip


def flag_params(flags: dict) -> dict[str, Any]:
    """The flag settings as SQL parameters, defaults filled in."""
    merged = {**FLAG_DEFAULTS, **flags}
    return {
        "flag_min_note_chars": int(merged["min_note_chars"]),
        "flag_template_notes": [str(t).strip().lower() for t in merged["template_notes"]],
        "flag_reopen_loop": int(merged["reopen_loop"]),
        "flag_ping_pong_transfers": int(merged["ping_pong_transfers"]),
        "flag_bunching_min_resolved": int(merged["bunching_min_resolved"]),
        "flag_bunching_share": float(merged["bunching_share"]),
        "flag_duplicate_words": [str(w).strip().lower() for w in merged["duplicate_words"]]
        or ["\x00"],
        "flag_bulk_closure_min": int(merged["bulk_closure_min"]),
        "flag_bulk_closure_minutes": int(merged["bulk_closure_minutes"]),
    }


def _check_flags(flags: Any) -> None:
    """`flags`: optional; known keys only, with sensible values."""
    if not isinstance(flags, dict):
        raise PolicyError("policy: 'flags' must be a mapping")
    unknown = unknown_keys(flags, FLAG_DEFAULTS)
    if unknown:
        raise PolicyError(f"policy: flags: {unknown}")
    raw = {"flags": {**FLAG_DEFAULTS, **flags}}
    for key in ("min_note_chars", "reopen_loop", "ping_pong_transfers", "bunching_min_resolved"):
        _require(raw, f"flags.{key}", int, 0)
    _require(raw, "flags.bulk_closure_min", int, 2)
    _require(raw, "flags.bulk_closure_minutes", int, 1)
    if not 0 < _require(raw, "flags.bunching_share", (int, float), 0) <= 1:
        raise PolicyError("policy: 'flags.bunching_share' must be > 0 and <= 1")
    for key in ("template_notes", "duplicate_words"):
        if not all(isinstance(x, str) for x in _require(raw, f"flags.{key}", list)):
            raise PolicyError(f"policy: 'flags.{key}' must be a list of texts")


# closures: how closing events are read (docs/metrics.md, "Automatic closures"); a key
# left out takes this default. LAPOR! closes a report by itself at 01:00 on the 9th working
# day after its last activity: such a closure is the system's act, not an officer's.
AUTOMATIC_CLOSURE_DEFAULTS: dict[str, Any] = {
    "channels": ["lapor"],      # the complaints' channels whose system closes automatically
    "after_working_days": 9,    # on this working day after the last activity...
    "at": "01:00",              # ...at this local time (HH:MM)
}  # fmt: skip
CLOSURE_KEYS = ("automatic",)


def closure_params(closures: dict) -> dict[str, Any]:
    """The closure settings as SQL parameters, defaults filled in. No channel: no closure
    is automatic."""
    auto = {**AUTOMATIC_CLOSURE_DEFAULTS, **(closures.get("automatic") or {})}
    return {
        "auto_close_channels": [str(c).strip().lower() for c in auto["channels"]] or ["\x00"],
        "auto_close_after_wd": int(auto["after_working_days"]),
        "auto_close_at": _clock_time(auto["at"]),
    }


def _clock_time(value: Any) -> str:
    """'01:00' (or 1:00) as HH:MM; YAML 1.1 reads an unquoted 01:00 as 60 (minutes)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value // 60}:{value % 60:02d}"
    hours, _, minutes = str(value).strip().partition(":")
    return f"{int(hours):02d}:{int(minutes):02d}"


def _check_closures(closures: Any) -> None:
    """`closures`: optional; `automatic` with known keys: channels (a list of texts),
    after_working_days (a whole number >= 1), at (a time of day HH:MM)."""
    if not isinstance(closures, dict):
        raise PolicyError("policy: 'closures' must be a mapping")
    unknown = unknown_keys(closures, CLOSURE_KEYS)
    if unknown:
        raise PolicyError(f"policy: closures: {unknown}")
    auto = closures.get("automatic") or {}
    if not isinstance(auto, dict):
        raise PolicyError("policy: 'closures.automatic' must be a mapping")
    unknown = unknown_keys(auto, AUTOMATIC_CLOSURE_DEFAULTS)
    if unknown:
        raise PolicyError(f"policy: closures.automatic: {unknown}")
    raw = {"closures": {"automatic": {**AUTOMATIC_CLOSURE_DEFAULTS, **auto}}}
    channels = _require(raw, "closures.automatic.channels", list)
    if not all(isinstance(c, str) for c in channels):
        raise PolicyError("policy: 'closures.automatic.channels' must be a list of texts")
    _require(raw, "closures.automatic.after_working_days", int, 1)
    at = raw["closures"]["automatic"]["at"]
    try:
        hours, minutes = map(int, _clock_time(at).split(":"))
        valid = 0 <= hours <= 23 and 0 <= minutes <= 59
    except ValueError:
        valid = False
    if not valid:
        raise PolicyError(
            f"policy: 'closures.automatic.at' must be a time of day HH:MM, got {at!r}"
        )


# recommendations: when an officer-month becomes a recommendation (sql/recommendations.sql)
RECOMMENDATION_DEFAULTS: dict[str, Any] = {
    "consecutive_below": 3,  # di_bawah_ekspektasi this many months in a row: inspectorate
    "flags_for_review": 3,  # this many flags on the officer in a month...
    "flagged_percent": 10,  # ...on at least this % of the cases handled: inspectorate
    "max_cited_cases": 20,  # case ids listed as evidence (the count is always given)
}


def recommendation_params(rec: dict) -> dict[str, Any]:
    """The recommendation settings as SQL parameters, defaults filled in."""
    merged = {**RECOMMENDATION_DEFAULTS, **rec}
    return {f"rec_{k}": int(v) for k, v in merged.items()}


def _check_recommendations(rec: Any) -> None:
    """`recommendations`: optional; known keys only, whole numbers >= 1."""
    if not isinstance(rec, dict):
        raise PolicyError("policy: 'recommendations' must be a mapping")
    unknown = unknown_keys(rec, RECOMMENDATION_DEFAULTS)
    if unknown:
        raise PolicyError(f"policy: recommendations: {unknown}")
    raw = {"recommendations": {**RECOMMENDATION_DEFAULTS, **rec}}
    for key in RECOMMENDATION_DEFAULTS:
        _require(raw, f"recommendations.{key}", int, 1)


# predikat: PermenPANRB 6/2022 and the SE MenPANRB distribution (docs/predikat.md)
PREDIKATS = ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
ORGANISATION_RATINGS = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
PREDIKAT_DEFAULTS: dict[str, Any] = {
    # a unit (or the pemda) is judged against the distribution only with at least this many
    # officers holding a predikat that month: one officer rated baik is "100 % baik"
    "distribution_min_officers": 5,
    # credit-point multiplier per predikat (PermenPANRB 1/2023)
    "credit_percent": {"sangat_baik": 150, "baik": 100, "butuh_perbaikan": 75, "kurang": 50,
                       "sangat_kurang": 25},
    # the pola distribusi by the organisation's own predikat: the share of its rated
    # officers whose predikat is in `predikat` may be at most `max`, must be at least `min`,
    # or must count at least `at_least` officers
    "distribution": {
        "istimewa": [{"predikat": ["sangat_baik"], "max": 0.70}],
        "baik": [{"predikat": ["baik"], "max": 0.70},
                 {"predikat": ["butuh_perbaikan", "kurang"], "at_least": 1}],
        "butuh_perbaikan": [{"predikat": ["butuh_perbaikan"], "min": 0.60},
                            {"predikat": ["sangat_baik"], "max": 0.10}],
        "kurang": [{"predikat": ["kurang"], "min": 0.60},
                   {"predikat": ["butuh_perbaikan"], "min": 0.10},
                   {"predikat": ["sangat_baik"], "max": 0.10}],
        "sangat_kurang": [{"predikat": ["sangat_kurang"], "min": 0.60},
                          {"predikat": ["kurang", "butuh_perbaikan"], "min": 0.10},
                          {"predikat": ["sangat_baik"], "max": 0.0}],
    },
}  # fmt: skip
RULE_LIMITS = ("max", "min", "at_least")


def predikat_params(section: dict) -> dict[str, Any]:
    """The predikat settings as SQL parameters (parallel lists), defaults filled in."""
    merged = {**PREDIKAT_DEFAULTS, **section}
    credit = merged["credit_percent"]
    rules = [
        (org, ",".join(rule["predikat"]), kind, float(rule[kind]))
        for org, org_rules in sorted(merged["distribution"].items())
        for rule in org_rules
        for kind in RULE_LIMITS
        if kind in rule
    ]
    return {
        "credit_predikat": list(PREDIKATS),
        "credit_percent": [float(credit[p]) for p in PREDIKATS],
        "dist_org": [r[0] for r in rules] or [""],
        "dist_predikat": [r[1] for r in rules] or [""],
        "dist_kind": [r[2] for r in rules] or [""],
        "dist_limit": [r[3] for r in rules] or [0.0],
        "dist_min_officers": int(merged["distribution_min_officers"]),
    }


def _check_predikat(section: Any) -> None:
    """`predikat`: optional; known keys, predikat and organisation ratings by name, and
    every distribution rule with one limit of the right range."""
    if not isinstance(section, dict):
        raise PolicyError("policy: 'predikat' must be a mapping")
    unknown = unknown_keys(section, PREDIKAT_DEFAULTS)
    if unknown:
        raise PolicyError(f"policy: predikat: {unknown}")
    credit = section.get("credit_percent", PREDIKAT_DEFAULTS["credit_percent"])
    if not isinstance(credit, dict) or set(credit) != set(PREDIKATS):
        raise PolicyError(f"policy: 'predikat.credit_percent' needs exactly {list(PREDIKATS)}")
    raw = {"predikat": {**PREDIKAT_DEFAULTS, **section, "credit_percent": credit}}
    _require(raw, "predikat.distribution_min_officers", int, 1)
    for p in PREDIKATS:
        _require(raw, f"predikat.credit_percent.{p}", (int, float), 0)
    distribution = section.get("distribution", PREDIKAT_DEFAULTS["distribution"])
    if not isinstance(distribution, dict):
        raise PolicyError("policy: 'predikat.distribution' must be a mapping")
    for org, rules in distribution.items():
        where = f"predikat.distribution.{org}"
        if org not in ORGANISATION_RATINGS:
            raise PolicyError(
                f"policy: '{where}': organisation ratings are {list(ORGANISATION_RATINGS)}"
            )
        if not isinstance(rules, list):
            raise PolicyError(f"policy: '{where}' must be a list of rules")
        for i, rule in enumerate(rules, 1):
            at = f"{where} rule {i}"
            if not isinstance(rule, dict):
                raise PolicyError(f"policy: '{at}' must be a mapping")
            names = rule.get("predikat")
            if not isinstance(names, list) or not names or not set(names) <= set(PREDIKATS):
                raise PolicyError(f"policy: '{at}': 'predikat' must be a list of {list(PREDIKATS)}")
            limits = [k for k in RULE_LIMITS if k in rule]
            if len(limits) != 1 or set(rule) != {"predikat", limits[0]}:
                raise PolicyError(
                    f"policy: '{at}' needs 'predikat' and exactly one of {list(RULE_LIMITS)}"
                )
            value = rule[limits[0]]
            if limits[0] == "at_least":
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    raise PolicyError(f"policy: '{at}': at_least must be a whole number >= 1")
            elif (
                not isinstance(value, (int, float))
                or isinstance(value, bool)
                or not (0 <= value <= 1)
            ):
                raise PolicyError(f"policy: '{at}': {limits[0]} is a share from 0 to 1")


# tpp: the TPP bands by score (Kota Semarang Perwal 76/2021 as the example); indicative only
TPP_DEFAULTS: dict[str, Any] = {
    "bands": [{"min_score": 90, "percent": 100}, {"min_score": 80, "percent": 85},
              {"min_score": 70, "percent": 70}, {"min_score": 60, "percent": 55},
              {"min_score": 50, "percent": 40}, {"min_score": 40, "percent": 25},
              {"min_score": 0, "percent": 0}],
}  # fmt: skip


def tpp_params(section: dict) -> dict[str, Any]:
    bands = {**TPP_DEFAULTS, **section}["bands"]
    return {
        "tpp_min_score": [float(b["min_score"]) for b in bands],
        "tpp_percent": [float(b["percent"]) for b in bands],
    }


def _check_tpp(section: Any) -> None:
    """`tpp`: optional; bands with strictly falling min_score down to 0, percent 0..100."""
    if not isinstance(section, dict) or set(section) - {"bands"}:
        raise PolicyError("policy: 'tpp' must be a mapping with only 'bands'")
    bands = section.get("bands", TPP_DEFAULTS["bands"])
    if not isinstance(bands, list) or not bands:
        raise PolicyError("policy: 'tpp.bands' must be a non-empty list")
    previous = None
    for i, band in enumerate(bands, 1):
        if not isinstance(band, dict) or set(band) != {"min_score", "percent"}:
            raise PolicyError(f"policy: 'tpp.bands' entry {i} needs min_score and percent")
        raw = {"band": band}
        low = _require(raw, "band.min_score", (int, float), 0)
        if not 0 <= _require(raw, "band.percent", (int, float), 0) <= 100:
            raise PolicyError(f"policy: 'tpp.bands' entry {i}: percent must be 0..100")
        if previous is not None and low >= previous:
            raise PolicyError("policy: 'tpp.bands' min_score must fall strictly, band by band")
        previous = low
    if previous != 0:
        raise PolicyError("policy: the last of 'tpp.bands' must have min_score 0")


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate a policy file (the packaged default when `path` is None)."""
    path = path or DEFAULT_POLICY
    try:
        raw = yaml.safe_load(Path(path).read_text())
    except yaml.YAMLError as exc:
        raise PolicyError(f"policy {path}: not valid YAML: {yaml_where(exc)}") from exc
    if not isinstance(raw, dict):
        raise PolicyError(f"policy {path}: expected a mapping at the top")
    _check_keys(raw, path)
    _require(raw, "version", (str, int, float))
    for key in ("forwarding", "response", "field_inspection"):
        _require(raw, f"deadlines.{key}", int, 1)
    for cls in COMPLAINT_CLASSES:
        _require(raw, f"deadlines.resolution.{cls}", int, 1)
    _require(raw, "deadlines.field_inspection_categories", list)
    _require(raw, "deadlines.use_source_due_at", bool)
    _require(raw, "reopen_window_days", int, 0)
    _require(raw, "rating_window_days", int, 0)
    _require(raw, "satisfaction.shrinkage_k", (int, float), 0)
    weights = [
        _require(raw, f"score.weights.{w}", (int, float), 0)
        for w in ("resolution_rate", "response_rate", "satisfaction")
    ]
    if sum(weights) <= 0:
        raise PolicyError("policy: score.weights must not all be zero")
    _require(raw, "cases.merge_window_days", int, 0)
    _check_merge(raw["cases"])
    _require(raw, "rating.min_judged_deadlines", int, 0)
    _require(raw, "rating.max_interval_width", (int, float), 0)
    above = _require(raw, "rating.above", (int, float), 0)
    below = _require(raw, "rating.below", (int, float), 0)
    if not below <= above <= 100:
        raise PolicyError("policy: need 0 <= rating.below <= rating.above <= 100")
    _check_quality(raw)
    _check_events(raw.get("events") or {})
    _check_flags(raw.get("flags") or {})
    _check_closures(raw.get("closures") or {})
    _check_recommendations(raw.get("recommendations") or {})
    _check_predikat(raw.get("predikat") or {})
    _check_tpp(raw.get("tpp") or {})
    return Policy(raw=raw, source=str(path))


def _check_quality(raw: dict) -> None:
    """The optional `quality:` section: known keys only (a typo must not silently fall back
    to a default), each of the right type and range."""
    quality = raw.get("quality")
    if quality is None:
        return
    if not isinstance(quality, dict):
        raise PolicyError(f"policy: 'quality' must be a mapping, got {quality!r}")
    unknown = sorted(set(quality) - {"volume"})
    if unknown:
        raise PolicyError(f"policy: unknown key 'quality.{unknown[0]}'")
    volume = quality.get("volume")
    if volume is None:
        return
    if not isinstance(volume, dict):
        raise PolicyError(f"policy: 'quality.volume' must be a mapping, got {volume!r}")
    unknown = sorted(set(volume) - VOLUME_KEYS)
    if unknown:
        raise PolicyError(f"policy: unknown key 'quality.volume.{unknown[0]}'")
    for key in volume:
        if key.endswith("_months"):  # whole months, at least one
            _require(raw, f"quality.volume.{key}", int, 1)
        else:
            _require(raw, f"quality.volume.{key}", (int, float), 0)
    gate = VolumeGate(**volume)
    if gate.min_baseline_months > gate.baseline_months:
        raise PolicyError(
            "policy: need quality.volume.min_baseline_months <= quality.volume.baseline_months"
        )
    if not gate.min_ratio < gate.max_ratio:
        raise PolicyError("policy: need quality.volume.min_ratio < quality.volume.max_ratio")
