"""The `rapor` command line: demo, run, app, calendar, merge-report, users."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from pipelines.home import HOME_ENV, Home, HomeError
from pipelines.policy import DEFAULT_POLICY


def _print_summary(summary, seconds: float, home: Home, merge: str | None = None) -> None:
    first, last = summary.months
    print(f"\nrapor: published scorecards for {home.tenant.name} ({first} .. {last})")
    print(f"  cases            {summary.cases:>8,}  ({summary.complaints_merged:,} "
          "complaints merged into another channel's case)")  # fmt: skip
    if merge:
        print(f"  merge vs truth   {merge}")
    print(f"  officers scored  {summary.officers:>8,}")
    print(f"  units scored     {summary.units:>8,}")
    print(f"  quarantined rows {summary.quarantined:>8,}")
    for table, why, n in summary.quarantine_reasons[:12]:
        print(f"      {n:>6,}  {table}: {why}")
    if summary.clamped_events:
        print(f"  clock skew       {summary.clamped_events:>8,}  events stamped just before "
              "receipt, set to the receipt time (a note; policy "
              "events.clock_skew_tolerance_minutes)")  # fmt: skip
    if summary.unread_files:
        print(f"  files not read   {len(summary.unread_files):>8,}  (no table of their source "
              "reads them; see quarantine, docs/sources.md)")  # fmt: skip
        for name in summary.unread_files[:20]:
            print(f"          {name}")
        if len(summary.unread_files) > 20:
            print(f"          ... and {len(summary.unread_files) - 20:,} more")
    if summary.verdicts:
        _print_verdicts(summary.verdicts)
    if summary.publications:
        versions = ", ".join(
            f"{month} v{version}{' (sementara)' if provisional else ''}"
            for month, version, provisional in summary.publications
        )
        print(f"  published        {versions}")
    else:
        print("  published        no new versions (no month's numbers moved)")
    if summary.distribution_rules:
        print(f"  predikat         {summary.distribution_broken:,} of "
              f"{summary.distribution_rules:,} distribution rules broken (SE MenPANRB; a "
              "warning, see the Rekomendasi page and docs/predikat.md)")  # fmt: skip
    print(f"  snapshot         {summary.snapshot}")
    print(f"  Dagster runs     {', '.join(summary.runs)} (DAGSTER_HOME={home.dagster_home})")
    print(f"  took             {seconds:.1f} s")
    print("\nOpen the app with:")
    print(f"  {sys.argv[0] if sys.argv[0].endswith('rapor') else 'rapor'} app --home {home.root}")
    print("then browse to http://localhost:8501")


def _print_verdicts(verdicts: list[tuple], shown: int = 10) -> None:
    """The source's own verdicts against rapor's, per unit, with the disagreeing cases."""
    total = [sum(row[i] for row in verdicts) for i in range(1, 7)]
    _, compared, agree, disagree, not_judged, unknown = total
    print(f"  source verdicts  agree {agree:,} of {compared:,} compared ({disagree:,} "
          f"disagree; {not_judged:,} not judged by rapor, {unknown:,} unknown value)")  # fmt: skip
    for unit, _, compared, agree, disagree, _, _, ids in verdicts:
        listed = ", ".join(ids[:shown]) + (f" ... and {len(ids) - shown:,} more"
                                           if len(ids) > shown else "")  # fmt: skip
        print(
            f"      {unit or '(no unit)':<12} agree {agree:,} of {compared:,}"
            + (f", disagree {disagree:,}: {listed}" if disagree else "")
        )


def _run(home: Home, month: str | None, merge_vs_truth: bool = False) -> int:
    from pipelines.runner import ConfigurationError, PipelineFailed, run_pipeline

    started = time.monotonic()
    try:
        summary = run_pipeline(home, month)
    except ConfigurationError as exc:  # nothing ran: one line, the usage exit status
        print(f"rapor: {exc} (nothing was run; the last published snapshot is still served)",
              file=sys.stderr)  # fmt: skip
        return 2
    except PipelineFailed as exc:
        print(f"rapor: the run failed; the previous snapshot (if any) is still served.\n  {exc}",
              file=sys.stderr)  # fmt: skip
        return 1
    merge = None
    if merge_vs_truth:  # a demo city knows which complaints are one (rapor merge-report)
        from pipelines.merge_eval import MergeEvalError, evaluate

        try:
            merge = evaluate(home, examples=0).summary_line()
        except MergeEvalError as exc:
            merge = f"not measured: {exc}"
    _print_summary(summary, time.monotonic() - started, home, merge)
    return 0


def cmd_demo(args) -> int:
    from pipelines.demo import generate_city

    home = Home.resolve(args.home)
    home.root.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    facts = generate_city(home.root, complaints=args.complaints, seed=args.seed)
    if not home.policy_file.exists():
        shutil.copy(DEFAULT_POLICY, home.policy_file)
    print(f"rapor: generated a demo city in {home.root} in {time.monotonic() - started:.1f} s: "
          f"{facts['units']} units, {facts['officers']} officers, "
          f"{sum(facts['complaints'].values()):,} complaints, "
          f"{sum(facts['events'].values()):,} events, {sum(facts['ratings'].values()):,} "
          f"ratings, {facts['faults_total']} injected faults "
          f"({facts['period']['start']} .. {facts['period']['end']})")  # fmt: skip
    return _run(home, None, merge_vs_truth=True)


def cmd_run(args) -> int:
    home = Home.resolve(args.home)
    home.tenant  # noqa: B018 - fails early, with a clear message, on a folder that is no home
    return _run(home, args.month)


def cmd_app(args) -> int:
    home = Home.resolve(args.home)
    if not home.snapshot_path.exists():
        print(f"rapor: no published snapshot at {home.snapshot_path}; run `rapor run` first",
              file=sys.stderr)  # fmt: skip
        return 1
    app = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
    env = {**os.environ, HOME_ENV: str(home.root)}
    command = [sys.executable, "-m", "streamlit", "run", str(app),
               "--server.port", str(args.port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]  # fmt: skip
    print(f"rapor: serving {home.snapshot_path} on http://localhost:{args.port}", flush=True)
    os.execve(sys.executable, command, env)  # streamlit takes over this process


def cmd_calendar(args) -> int:
    import polars as pl

    from assets.calendar import STANDARD_KIND, build_calendar, weekend_note
    from assets.common import replace_table
    from assets.reference import read_reference
    from pipelines.engine import run_stage
    from pipelines.warehouse import connect

    home = Home.resolve(args.home)
    con = connect(":memory:")  # the overrides go through the same checks as in a run
    for table, frame in read_reference(home).items():
        replace_table(con, f"raw_{table}", frame)
    run_stage(con, "reference", {"now": home.tenant.now_local()})
    overrides = con.sql(
        "SELECT date, is_working_day, note, applies_to FROM ref_calendar_overrides"
    ).pl()
    kind = args.kind or STANDARD_KIND
    spec = home.tenant.holidays  # the tenant's country, as in a run
    year = build_calendar(kind, args.workweek, overrides, spec=spec).filter(
        pl.col("day").dt.year() == args.year
    )
    off = year.filter(~pl.col("is_working_day"))
    named = off.filter(pl.col("note") != weekend_note(spec))
    print(f"Non-working days {args.year}, calendar {kind}-{args.workweek}d "
          f"({home.tenant.name}, holidays {spec.label}), weekends aside:")  # fmt: skip
    for day, note in named.select("day", "note").iter_rows():
        print(f"  {day:%Y-%m-%d} {day:%a}  {note}")
    weekends = off.height - named.height
    print(f"{year.height - off.height} working days; {off.height} non-working days: "
          f"{named.height} named above, {weekends} other weekend days")  # fmt: skip
    return 0


def cmd_merge_report(args) -> int:
    """What the merge did on any home (counts by rule, samples of merged pairs to review);
    on a demo city also precision and recall against the generator's truth."""
    from pipelines.merge_eval import MergeEvalError, evaluate, has_truth, review

    home = Home.resolve(args.home)
    try:
        summary = review(home, examples=args.examples)
        report = evaluate(home, examples=args.examples) if has_truth(home) else None
    except MergeEvalError as exc:
        print(f"rapor: {exc}", file=sys.stderr)
        return 1
    print(f"rapor: cross-channel merge of {home.tenant.name} (docs/merging.md)")
    print(summary.render())
    if report is None:
        print("\n(no demo_truth/duplicates.csv: precision and recall need a demo city's truth)")
        return 0
    print("\nAgainst the demo truth (pairs of complaints in one case):")
    print(report.render())
    return 0


def cmd_users(args) -> int:
    """rapor users add|list|remove: the app's users in DIR/users.yaml (docs/access.md)."""
    import getpass

    from pipelines.users import UsersError, add_user, load_users, remove_user, users_path

    home = Home.resolve(args.home)
    needs = {"add": ("username", "role"), "remove": ("username",)}.get(args.action, ())
    missing = [f"--{n}" for n in needs if not getattr(args, n)]
    if missing:
        print(f"rapor: users {args.action} needs {' and '.join(missing)}", file=sys.stderr)
        return 2
    try:
        if args.action == "list":
            users = load_users(home)
            if users is None:
                print(f"rapor: no users file ({users_path(home)}): the app is open to anyone")
                return 0
            for u in sorted(users.values(), key=lambda u: u.username):
                how = ("password" if u.password else "") + ("+oidc" if u.email else "")
                print(f"{u.username:<20} {u.role:<13} {u.unit or '*':<12} "
                      f"{how.strip('+'):<14} {u.name}")  # fmt: skip
            return 0
        if args.action == "remove":
            remove_user(home, args.username)
            print(f"rapor: removed {args.username} from {users_path(home)}")
            return 0
        if args.no_password:
            password = None
        elif args.password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass(f"password for {args.username}: ")
            if getpass.getpass("again: ") != password:
                print("rapor: the passwords differ", file=sys.stderr)
                return 1
        user = add_user(home, args.username, args.role, password, unit=args.unit,
                        name=args.name or "", email=args.email,
                        replace=args.replace)  # fmt: skip
    except UsersError as exc:
        print(f"rapor: {exc}", file=sys.stderr)
        return 1
    scope = f" of {user.unit}" if user.unit else ""
    print(f"rapor: {user.username} ({user.role}{scope}) saved in {users_path(home)}")
    return 0


def cmd_export(args) -> int:
    import logging

    import streamlit  # noqa: F401 - its cache warns "no runtime" outside the app: quiet it

    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    from app.exports import ExportError, export

    home = Home.resolve(args.home)
    if not home.snapshot_path.exists():
        print(f"rapor: no published snapshot at {home.snapshot_path}; run `rapor run` first",
              file=sys.stderr)  # fmt: skip
        return 1
    started = time.monotonic()
    try:
        report = export(args.format, home.snapshot_path, args.month, args.out, lang=args.lang)
    except ExportError as exc:
        print(f"rapor: {exc}", file=sys.stderr)
        return 1
    print(f"rapor: wrote {args.format} of {report.info['tenant_name']} {args.month} to "
          f"{args.out} in {time.monotonic() - started:.1f} s (policy "
          f"{report.policy.version}, snapshot sha256:{report.snapshot_hash[:16]}…, "
          f"{report.hash_source})")  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="rapor", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_home(p):
        p.add_argument("--home", help=f"the home folder (default: ${HOME_ENV})")
        return p

    p = with_home(sub.add_parser("demo", help="create a demo city in DIR and run everything"))
    p.add_argument("--complaints", type=int, default=30_000)
    p.add_argument("--seed", type=int, default=20251)
    p.set_defaults(func=cmd_demo)

    p = with_home(sub.add_parser("run", help="run the pipeline over what DIR holds"))
    p.add_argument("--month", help="recompute only this month (YYYY-MM)")
    p.set_defaults(func=cmd_run)

    p = with_home(sub.add_parser("app", help="serve the app on the published snapshot"))
    p.add_argument("--port", type=int, default=8501)
    p.set_defaults(func=cmd_app)

    helped = "merges by rule and samples to review; on a demo city precision and recall"
    p = with_home(sub.add_parser("merge-report", help=helped))
    p.add_argument(
        "--examples",
        type=int,
        default=5,
        help="samples per rule, and false and missed merges, shown",
    )
    p.set_defaults(func=cmd_merge_report)

    p = with_home(sub.add_parser("calendar", help="print a year's non-working days"))
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--kind", help="unit kind whose overrides apply (default: tenant-wide)")
    p.add_argument("--workweek", type=int, choices=(5, 6), default=5)
    p.set_defaults(func=cmd_calendar)

    p = with_home(sub.add_parser("users", help="manage the app's users (DIR/users.yaml)"))
    p.add_argument("action", choices=("add", "list", "remove"))
    p.add_argument("--username", help="add/remove: the user's sign-in name")
    p.add_argument("--role", choices=("leadership", "hr", "inspectorate", "skpd_head"))
    p.add_argument("--unit", help="skpd_head: the unit_code (reference/units.csv)")
    p.add_argument("--name", help="the name the app shows")
    p.add_argument("--email", help="the OIDC identity (st.login), optional")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.add_argument("--no-password", action="store_true", help="OIDC sign-in only")
    p.add_argument("--replace", action="store_true", help="update an existing user")
    p.set_defaults(func=cmd_users)

    p = with_home(sub.add_parser("export", help="write a month's scorecards: xlsx, pdf or csv"))
    p.add_argument("--month", required=True, help="the month (YYYY-MM)")
    p.add_argument("--format", required=True, choices=("xlsx", "pdf", "csv"))
    p.add_argument("--out", required=True, help="the file to write (csv: a .zip or a folder)")
    p.add_argument("--lang", choices=("id", "en"), default="id", help="labels (default: id)")
    p.set_defaults(func=cmd_export)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except HomeError as exc:
        print(f"rapor: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
