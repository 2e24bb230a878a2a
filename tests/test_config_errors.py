"""A mistake in the home's configuration (tenant.yaml, policy.yaml, a source.yaml, a
reference CSV header) is one line naming the file, the key and the nearest valid key, exit
status 2, no traceback and no Dagster run; the last published snapshot stays served."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from pipelines.cli import main
from pipelines.policy import DEFAULT_POLICY
from pipelines.runner import instance_for, run_pipeline
from tests.conftest import copy_fixture

SERVED = " (nothing was run; the last published snapshot is still served)"
POLICY = DEFAULT_POLICY.read_text()
MAPPING = (
    "format: csv\ncomplaints:\n  columns: {source_id: a, channel: b, received_at: c, category: d}\n"
)


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# (file in the home, its new text (a function of the old, or None for a new file), the line)
MISTAKES = {
    "tenant key": ("tenant.yaml", lambda t: _replace(t, "timezone:", "timezon:"),
                   "{root}/tenant.yaml: unknown key(s) 'timezon' (did you mean 'timezone'?)"),
    "tenant zone": ("tenant.yaml", lambda t: _replace(t, "Asia/Jakarta", "Asia/Jakrta"),
                    "{root}/tenant.yaml: timezone must be an IANA time zone (e.g. Asia/Jakarta, "
                    "Asia/Makassar, Asia/Jayapura, America/New_York), got 'Asia/Jakrta' "
                    "(did you mean 'Asia/Jakarta'?)"),
    "tenant zone abroad": ("tenant.yaml",
                           lambda t: _replace(t, "Asia/Jakarta", "America/New_Yrok"),
                           "{root}/tenant.yaml: timezone must be an IANA time zone (e.g. "
                           "Asia/Jakarta, Asia/Makassar, Asia/Jayapura, America/New_York), got "
                           "'America/New_Yrok' (did you mean 'America/New_York'?)"),
    "tenant country": ("tenant.yaml", lambda t: t + "holidays: {country: XX}\n",
                       "{root}/tenant.yaml: holidays.country must be a country code the holidays "
                       "package knows (ISO 3166-1, e.g. ID, US, DE), got 'XX'"),
    "tenant country typo": ("tenant.yaml", lambda t: t + "holidays: {country: USS}\n",
                            "{root}/tenant.yaml: holidays.country must be a country code the "
                            "holidays package knows (ISO 3166-1, e.g. ID, US, DE), got 'USS' "
                            "(did you mean 'US'?)"),
    "tenant subdivision": ("tenant.yaml",
                           lambda t: t + "holidays: {country: US, subdivision: NYY}\n",
                           "{root}/tenant.yaml: holidays.subdivision of US must be a subdivision "
                           "code such as AK, AL, AR, AS, AZ, CA, CO, CT, ..., got 'NYY' "
                           "(did you mean 'NY'?)"),
    "tenant holidays key": ("tenant.yaml",
                            lambda t: t + "holidays: {country: US, subdivison: NY}\n",
                            "{root}/tenant.yaml: holidays: unknown key(s) 'subdivison' "
                            "(did you mean 'subdivision'?)"),
    "tenant category": ("tenant.yaml",
                        lambda t: t + "holidays: {country: ID, categories: [publik]}\n",
                        "{root}/tenant.yaml: holidays.categories of ID must be among government, "
                        "public, got 'publik' (did you mean 'public'?)"),
    "tenant yaml": ("tenant.yaml", lambda t: t + "as_of: [2025\n",
                    "{root}/tenant.yaml: not valid YAML: expected ',' or ']', but got "
                    "'<stream end>' at line 6, column 1"),
    "policy key": ("policy.yaml", lambda _: _replace(POLICY, "  forwarding: 3", "  forwardng: 3"),
                   "policy {root}/policy.yaml: deadlines: unknown key(s) 'forwardng' "
                   "(did you mean 'forwarding'?)"),
    "policy top": ("policy.yaml", lambda _: _replace(POLICY, "reopen_window_days:",
                                                     "reopen_window_dayz:"),
                   "policy {root}/policy.yaml: top level: unknown key(s) 'reopen_window_dayz' "
                   "(did you mean 'reopen_window_days'?)"),
    "policy weight": ("policy.yaml", lambda _: _replace(POLICY, "    satisfaction: 0.2",
                                                        "    satisfacton: 0.2"),
                      "policy {root}/policy.yaml: score.weights: unknown key(s) 'satisfacton' "
                      "(did you mean 'satisfaction'?)"),
    "policy flags": ("policy.yaml", lambda _: _replace(POLICY, "  reopen_loop: 2",
                                                       "  reopen_loops: 2"),
                     "policy: flags: unknown key(s) 'reopen_loops' (did you mean 'reopen_loop'?)"),
    "mapping format": ("sources/s2/source.yaml", lambda _: _replace(MAPPING, "csv", "csvv"),
                       "sources/s2/source.yaml: format must be one of canonical, csv, xlsx, json, "
                       "jsonl, open311, mysql, postgresql, got 'csvv' (did you mean 'csv'?)"),
    "mapping table": ("sources/s2/source.yaml", lambda _: _replace(MAPPING, "complaints:",
                                                                   "complaint:"),
                      "sources/s2/source.yaml: unknown key(s) 'complaint' "
                      "(did you mean 'complaints'?)"),
    "mapping field": ("sources/s2/source.yaml",
                      lambda _: _replace(MAPPING, "category: d}", "category: {colum: d}}"),
                      "sources/s2/source.yaml: complaints.columns.category: unknown key(s) "
                      "'colum' (did you mean 'column'?)"),
    "units header": ("reference/units.csv", lambda t: _replace(t, "unit_code", "unit_kode"),
                     "reference/units.csv: required column(s) missing: 'unit_code' "
                     "(the header has 'unit_kode': a typo?)"),
    "officers header": ("reference/officers.csv", lambda t: _replace(t, "valid_to", "valid_too"),
                        "reference/officers.csv: unknown column(s) 'valid_too' "
                        "(did you mean 'valid_to'?)"),
}  # fmt: skip


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    home = copy_fixture("kota_uji", tmp_path_factory.mktemp("config_errors") / "home")
    run_pipeline(home)
    return home


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_configuration_mistake_is_one_line_and_runs_nothing(published, mistake, capsys):
    home = published
    name, edit, line = MISTAKES[mistake]
    path = home.root / name
    before = path.read_text() if path.exists() else None
    snapshot = hashlib.sha256(home.snapshot_path.read_bytes()).hexdigest()
    runs = len(instance_for(home).get_runs())
    new_folder = not path.parent.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(edit(before))
    try:
        code = main(["run", "--home", str(home.root)])
    finally:  # the next mistake starts from the good home
        if before is not None:
            path.write_text(before)
        elif new_folder:
            shutil.rmtree(path.parent)
        else:
            path.unlink()
        home.__dict__.pop("tenant", None)  # a cached_property: read tenant.yaml again
    err = capsys.readouterr().err
    assert code == 2
    # tenant.yaml is read before the run is prepared: its line says nothing of a snapshot
    served = "" if name == "tenant.yaml" else SERVED
    assert err.splitlines() == ["rapor: " + line.format(root=home.root) + served]
    assert len(instance_for(home).get_runs()) == runs
    assert hashlib.sha256(home.snapshot_path.read_bytes()).hexdigest() == snapshot
