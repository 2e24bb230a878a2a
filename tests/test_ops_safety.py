"""Operational safety: the hash secret is private, killed publishes leave nothing behind,
and a live run is never taken for a dead one (docs/home.md)."""

import contextlib
import logging
import os
import subprocess
import time
from pathlib import Path

import dagster as dg

from pipelines.home import Home
from pipelines.runner import instance_for, release_dead_runs, run_pipeline
from tests.conftest import read_snapshot
from tests.test_kill_safety import RAPOR


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_hash_secret_is_random_and_never_readable_by_others(tmp_path, monkeypatch, caplog):
    old_umask = os.umask(0o022)
    try:
        # a process killed right after creating the file must not leave it readable: the
        # secret is private from its first byte, with no chmod afterwards
        def killed(*_args, **_kwargs):
            raise KeyboardInterrupt("killed")

        with monkeypatch.context() as m:
            m.setattr(Path, "chmod", killed)
            m.setattr(os, "chmod", killed)
            a, b = Home(tmp_path / "a"), Home(tmp_path / "b")
            for home in (a, b):
                home.root.mkdir()
                with contextlib.suppress(KeyboardInterrupt):
                    home.hash_secret()
        for home in (a, b):
            assert mode(home.secret_file) == 0o600
            assert len(home.secret_file.read_text()) == 64
        assert a.hash_secret() != b.hash_secret()
        assert sorted(p.name for p in a.root.iterdir()) == ["secret.key"]  # no temp file

        # an existing secret readable by others is kept, and tightened, saying so
        c = Home(tmp_path / "c")
        c.root.mkdir()
        c.secret_file.write_text("rahasia-lama\n")
        c.secret_file.chmod(0o644)
        with caplog.at_level(logging.WARNING):
            assert c.hash_secret() == b"rahasia-lama"
        assert mode(c.secret_file) == 0o600
        assert f"{c.secret_file} was readable by others (mode 0644); now 0600" in caplog.text
    finally:
        os.umask(old_umask)


def test_leftovers_of_killed_publishes_are_removed_but_not_a_live_writers(uji_home):
    serving = uji_home.serving_dir
    serving.mkdir(parents=True)
    dead = dead_pid()
    # what publishes killed midway leave, named exactly as assets/publish.py and
    # pipelines/quality.py name them
    files = [f".rapor.duckdb.{dead}.tmp", f".rapor.duckdb.{dead}.tmp.wal",
             f".quality.duckdb.{dead}.tmp"]  # fmt: skip
    folders = [f".parquet.{dead}.tmp", f".parquet.{dead}.old"]
    for name in files:
        (serving / name).write_bytes(b"\0" * 1000)
    for name in folders:
        (serving / name).mkdir()
        (serving / name / "cases.parquet").write_bytes(b"\0" * 1000)
    (serving / "catatan.txt").write_text("not rapor's")
    live = subprocess.Popen(["sleep", "60"])  # stands for a publish still writing
    try:
        (serving / f".rapor.duckdb.{live.pid}.tmp").write_bytes(b"\0")
        (serving / f".parquet.{live.pid}.tmp").mkdir()
        assert mode(uji_home.secret_file) == 0o644  # as the fixture was copied
        run_pipeline(uji_home)
        left = sorted(p.name for p in serving.iterdir())
        kept = [f".rapor.duckdb.{live.pid}.tmp", f".parquet.{live.pid}.tmp"]
        assert left == sorted(["catatan.txt", "parquet", "quality.duckdb", "rapor.duckdb", *kept])
    finally:
        live.kill()
        live.wait()
    # the snapshot published beside them is whole: C1 and C2 (one reporter, one road) are
    # one case, C3 another; C4's timestamp "kemarin" is quarantined
    assert read_snapshot(uji_home, "SELECT case_id FROM cases ORDER BY 1") == [
        ("s1:C1",), ("s1:C3",),
    ]  # fmt: skip
    assert sorted(p.name for p in uji_home.parquet_dir.glob("*.parquet"))[:2] == [
        "calendar_days.parquet", "case_events.parquet",
    ]  # fmt: skip
    # the run found the fixture's secret readable by others and made it private
    assert mode(uji_home.secret_file) == 0o600


def test_a_parquet_folder_killed_between_its_two_renames_is_put_in_place(tmp_path):
    from assets.publish import clean_dead_publish_files

    home = Home(tmp_path)
    home.serving_dir.mkdir()
    dead = dead_pid()
    new, old = home.serving_dir / f".parquet.{dead}.tmp", home.serving_dir / f".parquet.{dead}.old"
    for folder, rows in ((new, b"new"), (old, b"old")):
        folder.mkdir()
        (folder / "cases.parquet").write_bytes(rows)
    # killed after `parquet` became `.old` and before `.tmp` became `parquet`
    removed = clean_dead_publish_files(home)
    assert (home.parquet_dir / "cases.parquet").read_bytes() == b"new"
    assert removed == [f".parquet.{dead}.old (0.0 MB)"]
    assert sorted(p.name for p in home.serving_dir.iterdir()) == ["parquet"]


def runs(home: Home) -> list[tuple[str, str]]:
    return sorted((r.run_id, r.status.value) for r in instance_for(home).get_runs())


def test_release_dead_runs_leaves_a_live_run_alone(uji_home):
    proc = subprocess.Popen([RAPOR, "run", "--home", uji_home.root],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    instance = instance_for(uji_home)
    released, checks, deadline = [], 0, time.monotonic() + 120
    active = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]
    # ask again and again, while the run is inside and between its steps
    while proc.poll() is None and time.monotonic() < deadline:
        if instance.get_runs(filters=dg.RunsFilter(statuses=active)):
            released += release_dead_runs(uji_home, instance)
            checks += 1
        time.sleep(0.3)
    assert proc.wait() == 0
    assert checks >= 5, "the run ended before it could be checked"
    assert released == []
    assert [status for _, status in runs(uji_home)] == ["SUCCESS", "SUCCESS"]
