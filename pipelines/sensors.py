"""File-drop sensor: a new or changed file under DIR/sources or DIR/reference starts a run."""

import hashlib
import json

import dagster as dg

from assets.mapped import LANDING_DIR as LANDING
from pipelines.jobs import rapor_job
from pipelines.resources import RaporHome
from pipelines.schedules import recompute_request


def input_files_state(rapor: RaporHome) -> dict[str, list[int]]:
    """Every input file (relative path) with its size and modification time; what fetches
    from servers landed is not an input drop."""
    home = rapor.home
    state = {}
    for folder in (home.sources_dir, home.reference_dir):
        if folder.exists():
            for path in sorted(folder.rglob("*")):
                # a fetched source's landing/ is written by the runs themselves
                if path.is_file() and not path.name.startswith(".") and LANDING not in path.parts:
                    st = path.stat()
                    state[str(path.relative_to(home.root))] = [st.st_size, st.st_mtime_ns]
    return state


@dg.sensor(
    job=rapor_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.STOPPED,
)
def source_file_sensor(context: dg.SensorEvaluationContext, rapor: RaporHome):
    """Requests a run when files under sources/ or reference/ appear or change. The cursor
    holds the last state seen, so each drop is picked up exactly once."""
    state = input_files_state(rapor)
    previous = json.loads(context.cursor) if context.cursor else {}
    changed = sorted(p for p, s in state.items() if previous.get(p) != s)
    if not changed:
        return dg.SkipReason("no new or changed input files")
    context.update_cursor(json.dumps(state, sort_keys=True))
    key = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]
    context.log.info(f"changed: {', '.join(changed[:20])}")
    return recompute_request(rapor, run_key=key)
