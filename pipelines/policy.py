"""The policy file: deadlines, weights and thresholds, validated, with a stable hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_POLICY = Path(__file__).with_name("default_policy.yaml")
COMPLAINT_CLASSES = ("pengaduan", "aspirasi", "permintaan_informasi", "whistleblowing")


class PolicyError(ValueError):
    """A policy file that cannot be used; the message says which key and why."""


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
        }


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


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate a policy file (the packaged default when `path` is None)."""
    path = path or DEFAULT_POLICY
    try:
        raw = yaml.safe_load(Path(path).read_text())
    except yaml.YAMLError as exc:
        raise PolicyError(f"policy {path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise PolicyError(f"policy {path}: expected a mapping at the top")
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
    _require(raw, "rating.min_judged_deadlines", int, 0)
    _require(raw, "rating.max_interval_width", (int, float), 0)
    above = _require(raw, "rating.above", (int, float), 0)
    below = _require(raw, "rating.below", (int, float), 0)
    if not below <= above <= 100:
        raise PolicyError("policy: need 0 <= rating.below <= rating.above <= 100")
    return Policy(raw=raw, source=str(path))
