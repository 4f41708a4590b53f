"""`backstride import`, `runs`, `run add`, `shoes` and `load`: the activity log.

A thin layer over ``services.importing`` and ``services.training``: parse the
options, call the service, print a table or JSON. Progress goes to stderr so that
stdout stays clean for ``--format json``. The services are imported inside the
commands, so that registering them costs nothing (see ``cli/main.py``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.table import Table

from backstride.cli import formatting
from backstride.cli.common import (
    check_format,
    connect,
    err,
    fail,
    out,
    parse_day,
    print_json,
)
from backstride.cli.options import DbOption, FormatOption

if TYPE_CHECKING:
    from backstride.services import training
    from backstride.services.importing import ImportProgress, ImportSummary
    from backstride.services.ports import SavedActivity, UnitOfWork

run_app = typer.Typer(name="run", help="Log a run by hand (for runs without a watch).")
shoes_app = typer.Typer(
    name="shoes",
    help="Shoes: add pairs, see the distance in each, assign runs, retire a pair.",
    invoke_without_command=True,
)

SHOWN_DUPLICATES = 20
# The surfaces `run add --surface` takes, for its help (services.training.SURFACES,
# written out so that the help needs no import; a unit test keeps them equal).
SURFACES = ("asphalt", "concrete", "track", "trail", "grass", "treadmill", "sand", "gravel")


def _uow(db: str | None) -> UnitOfWork:
    return connect(db).unit_of_work()


# --- import -----------------------------------------------------------------------------


class _Bar:
    """A Rich progress bar on stderr with the running counts (only on a terminal)."""

    def __init__(self, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files · {task.fields[counts]}"),
            TimeElapsedColumn(),
            console=err,
            disable=not err.is_terminal,
            transient=True,
        )
        self._task = self._progress.add_task("import", total=total, counts="")

    def __enter__(self) -> _Bar:
        self._progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._progress.stop()

    def __call__(self, state: ImportProgress) -> None:
        counts = (
            f"{state.imported} new · {state.replaced} replaced · "
            f"{state.duplicates} duplicates · {state.skipped} skipped"
        )
        self._progress.update(self._task, completed=state.files_done, counts=counts)


def _print_summary(summary: ImportSummary) -> None:
    out.print(
        f"Imported {summary.imported} new activities from {summary.files} files; "
        f"{summary.replaced} replaced by a richer file, {len(summary.duplicates)} duplicates, "
        f"{len(summary.skipped)} skipped.",
        markup=False,
    )
    if summary.skipped:
        out.print("Skipped:")
        for item in summary.skipped:
            out.print(f"  {item.name}: {item.reason}", markup=False, soft_wrap=True)
    if summary.duplicates:
        out.print("Duplicates (already in your log):")
        for dup in summary.duplicates[:SHOWN_DUPLICATES]:
            out.print(
                f"  {dup.name}: {dup.reason} (run {dup.activity_id})", markup=False, soft_wrap=True
            )
        hidden = len(summary.duplicates) - SHOWN_DUPLICATES
        if hidden > 0:
            out.print(f"  … and {hidden} more (--format json lists them all)")
    if summary.stored:
        out.print("See them with `backstride runs`.")


def import_files(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Activity files (FIT, GPX, TCX, .gz, zip, Strava or Garmin export) or folders.",
            metavar="PATH...",
            show_default=False,
        ),
    ],
    format: FormatOption = "text",
    db: DbOption = None,
) -> None:
    """Import runs from watch and app files; a file already imported is not added twice."""
    from backstride.services import importing
    from backstride.services.clock import SystemClock

    chosen = check_format(format, ("text", "json"))
    missing = importing.missing_paths(paths)
    if missing:
        fail([f"{path}: no such file or folder" for path in missing])
    uow = _uow(db)
    files = importing.list_files(paths)
    with _Bar(len(files)) as bar:
        summary = importing.import_paths(uow, SystemClock(), paths, progress=bar)
    if chosen == "json":
        print_json(importing.summary_document(summary))
    else:
        _print_summary(summary)


# --- runs ---------------------------------------------------------------------------------


def _number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}f}"


def _runs_table(activities: list[SavedActivity]) -> Table:
    """Human units: km, h:mm:ss, min:ss /km (`--format json` keeps metres and seconds).

    The time is the moving time where the file has one, else the elapsed time; the
    pace is over that time. Dates always carry the year.
    """
    from backstride.services import training

    table = Table(
        title="Runs and other activities (newest first)",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    numbers = ("km", "time", "pace /km", "ascent m", "avg HR", "spm")
    for column in ("id", "sport", "start (local)", *numbers, "shoes", "source"):
        # Two-word headers stack, so ten columns fit a 100-column terminal.
        table.add_column(
            column.replace(" ", "\n") if column in numbers else column,
            justify="right" if column in numbers else "left",
            no_wrap=column != "shoes",
            min_width=6 if column == "shoes" else None,
        )
    for a in activities:
        start = training.local_start(a)
        time = a.moving_s if a.moving_s and a.moving_s > 0 else a.elapsed_s
        table.add_row(
            str(a.id),
            a.sport.replace("_running", "").replace("_", " "),
            formatting.dated(start) + ("" if a.utc_offset_s is not None else "*"),
            formatting.km(a.distance_m),
            formatting.duration(time),
            formatting.pace(time, a.distance_m),
            _number(a.ascent_m),
            _number(a.avg_hr),
            _number(a.avg_cadence_spm),
            a.shoe_name or "-",
            "check-in" if a.source_format == "checkin" else "hand" if a.manual else a.source_format,
        )
    return table


RUNS_PAGE = 50  # activities `backstride runs` shows unless told otherwise


def _more(page: training.RunPage, limit: int | None, before_day: str | None) -> None:
    """Where this page sits in the log, and how to see the rest."""
    shown = len(page.activities)
    out.print(
        f"{shown:,} of {page.total:,} activities shown; {page.older:,} older.",
        markup=False,
    )
    if page.next is None:
        return
    size = f" --limit {limit}" if limit is not None else ""
    every = "backstride runs --all" + (f" --before {before_day}" if before_day else "")
    out.print(
        f"Next page: `backstride runs --cursor {page.next}{size}`; all of them: `{every}`.",
        markup=False,
        soft_wrap=True,
    )


def runs(
    format: FormatOption = "text",
    limit: Annotated[
        int | None,
        typer.Option(
            help=f"How many activities to show, newest first (default: {RUNS_PAGE}).",
            min=1,
            show_default=False,
        ),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Show every activity (no pages).")] = False,
    cursor: Annotated[
        str | None,
        typer.Option(
            help="Continue after the page that printed this cursor (its `next`).",
            metavar="CURSOR",
        ),
    ] = None,
    before: Annotated[
        str | None,
        typer.Option(
            "--before",
            help="Start with the activities before this day, YYYY-MM-DD.",
            metavar="DATE",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """List imported and hand-entered activities, newest first, a page at a time.

    With `--format json`: the page's activities, the log's `total` and the `next`
    cursor (null on the last page), as `GET /api/v1/activities` answers.
    """
    from backstride.cli.care import show_care
    from backstride.services import training
    from backstride.services.care import care_state
    from backstride.services.clock import SystemClock

    chosen = check_format(format, ("text", "json"))
    problems = []
    if all_ and limit is not None:
        problems.append("--all shows every activity: leave out --limit")
    if cursor is not None and before is not None:
        problems.append("--cursor already says where the page starts: leave out --before")
    position = None
    if cursor is not None:
        try:
            position = training.parse_cursor(cursor)
        except ValueError as error:
            problems.append(f"--cursor: {error}")
    if problems:
        fail(problems)
    if before is not None:
        position = training.position_before_day(parse_day(before, "--before"))
    size = None if all_ else (limit or RUNS_PAGE)
    page = training.run_page(_uow(db), size, position)
    if chosen == "json":
        print_json(training.page_document(page))
        return
    # While care is needed now or on hold, the instruction comes before the run log.
    care = care_state(_uow(db), SystemClock().today())
    if care.suspended or care.flare is not None:
        show_care(care)
    found = list(page.activities)
    if not found:
        if page.total:
            out.print(f"No activities there; the log holds {page.total:,}: `backstride runs`.")
            return
        out.print("No runs yet. Import files with `backstride import PATH` or add one by hand")
        out.print("with `backstride run add --date 2026-03-14 --distance-km 8 --duration 45:00`.")
        return
    out.print(_runs_table(found))
    if any(a.utc_offset_s is None for a in found):
        out.print("* the file did not say its time zone: shown in this computer's time zone")
    if page.next is not None or position is not None:
        _more(page, limit, before)


# --- run add ------------------------------------------------------------------------------

_DURATION = re.compile(r"^(?:(\d+):)?(\d{1,3}):(\d{2})$")


def parse_duration(text: str) -> float:
    """'45:30' (min:s), '1:05:30' (h:min:s) or '45' / '45.5' (minutes) -> seconds."""
    cleaned = text.strip()
    problem = ValueError(f"not a duration: {text!r}")
    match = _DURATION.match(cleaned)
    if match:
        hours, minutes, seconds = match.groups()
        if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            raise problem
        return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    try:
        minutes_only = float(cleaned)
    except ValueError:
        raise problem from None
    if not math.isfinite(minutes_only):
        raise problem
    return minutes_only * 60


def _parse_start(text: str) -> dt.datetime:
    """A local date, optionally with a time; noon when no time is given."""
    cleaned = text.strip().replace(" ", "T", 1)
    if "T" in cleaned:
        moment = dt.datetime.fromisoformat(cleaned)
    else:
        moment = dt.datetime.combine(dt.date.fromisoformat(cleaned), dt.time(12, 0))
    # A naive wall-clock time is this computer's local time.
    return moment if moment.tzinfo else moment.astimezone()


@run_app.command("add")
def run_add(
    date: Annotated[
        str,
        typer.Option(
            "--date",
            help="Day of the run, YYYY-MM-DD, optionally with a time (2026-03-14T07:30).",
            metavar="DATE",
            show_default=False,
        ),
    ],
    distance_km: Annotated[
        float,
        typer.Option("--distance-km", help="Distance in kilometres.", show_default=False),
    ],
    duration: Annotated[
        str,
        typer.Option(
            "--duration",
            help="How long it took: 45:30 (min:s), 1:05:30 (h:min:s) or minutes (45).",
            show_default=False,
        ),
    ],
    surface: Annotated[
        str | None,
        typer.Option(help=f"Where: {', '.join(SURFACES)}."),
    ] = None,
    shoes: Annotated[
        str | None, typer.Option(help="Shoes worn (default: your default pair).", metavar="NAME")
    ] = None,
    pain: Annotated[
        int | None, typer.Option(help="Back pain felt during the run, 0-10.", metavar="0-10")
    ] = None,
    format: FormatOption = "text",
    db: DbOption = None,
) -> None:
    """Add a run by hand (no watch file)."""
    from backstride.services import training
    from backstride.services.clock import SystemClock
    from backstride.services.training import TrainingError

    chosen = check_format(format, ("text", "json"))
    problems = []
    try:
        start = _parse_start(date)
    except ValueError:
        problems.append(f"--date: expected a date like 2026-03-14 (got {date!r})")
    try:
        seconds = parse_duration(duration)
    except ValueError:
        problems.append(f"--duration: expected 45:30, 1:05:30 or minutes (got {duration!r})")
    if problems:
        fail(problems)
    run = training.ManualRun(start, distance_km, seconds, surface, shoes, pain)
    try:
        added = training.add_manual_run(_uow(db), SystemClock(), run)
    except TrainingError as error:
        fail(error.problems)
    if chosen == "json":
        document = training.activity_document(added.run)
        document["similar_run_id"] = added.similar.id if added.similar else None
        print_json(document)
        return
    minutes, secs = divmod(round(seconds), 60)
    out.print(
        f"Added run {added.run.id}: {distance_km:g} km in {minutes}:{secs:02d} "
        f"on {start.date().isoformat()}"
        + (f", shoes {added.run.shoe_name}" if added.run.shoe_name else ""),
        markup=False,
    )
    if added.similar is not None:
        err.print(
            f"note: run {added.similar.id} on the same day has about the same distance; "
            "if it is the same run, the load counts it twice.",
            markup=False,
        )


# --- shoes --------------------------------------------------------------------------------


def _shoes_list(chosen: str, db: str | None) -> None:
    from backstride.services import training

    statuses = training.list_shoes(_uow(db))
    if chosen == "json":
        print_json([training.shoe_document(s) for s in statuses])
        return
    if not statuses:
        out.print('No shoes yet. Add a pair with `backstride shoes add "Pegasus 40" --default`.')
        return
    table = Table(title="Shoes")
    for column in ("name", "km", "runs", "status"):
        table.add_column(column, justify="right" if column in ("km", "runs") else "left")
    for s in statuses:
        state = "retired" if s.shoe.retired else ("default" if s.shoe.is_default else "in use")
        if s.worn and not s.shoe.retired:
            state += ", worn"
        table.add_row(s.shoe.name, f"{s.km:.0f}", str(s.activities), state)
    out.print(table)
    for s in statuses:
        if s.warning:
            err.print(f"warning: {s.warning}", markup=False, soft_wrap=True)


@shoes_app.callback()
def shoes_main(
    ctx: typer.Context,
    format: FormatOption = "text",
    db: DbOption = None,
) -> None:
    """Shoes: add pairs, see the distance in each, assign runs, retire a pair."""
    if ctx.invoked_subcommand is None:
        _shoes_list(check_format(format, ("text", "json")), db)


@shoes_app.command("list")
def shoes_list(format: FormatOption = "text", db: DbOption = None) -> None:
    """Every pair with its distance; a warning for pairs past the worn-shoe mark."""
    _shoes_list(check_format(format, ("text", "json")), db)


@shoes_app.command("add")
def shoes_add(
    name: Annotated[str, typer.Argument(help="A name you will recognise, e.g. 'Pegasus 40'.")],
    default: Annotated[
        bool, typer.Option("--default", help="New runs go to this pair unless told otherwise.")
    ] = False,
    started_km: Annotated[
        float, typer.Option("--started-km", help="Distance the pair had done before.")
    ] = 0.0,
    db: DbOption = None,
) -> None:
    """Add a pair of shoes."""
    from backstride.services import training
    from backstride.services.training import TrainingError

    try:
        shoe = training.add_shoe(_uow(db), name, started_km=started_km, default=default)
    except TrainingError as error:
        fail(error.problems)
    out.print(
        f"Added shoes {shoe.name!r}" + (" (default pair)" if shoe.is_default else ""),
        markup=False,
    )


@shoes_app.command("default")
def shoes_default(name: Annotated[str, typer.Argument()], db: DbOption = None) -> None:
    """Make a pair the default for new runs."""
    from backstride.services import training
    from backstride.services.training import TrainingError

    try:
        shoe = training.set_default_shoe(_uow(db), name)
    except TrainingError as error:
        fail(error.problems)
    out.print(f"New runs now go to {shoe.name!r}.", markup=False)


@shoes_app.command("assign")
def shoes_assign(
    run_id: Annotated[int, typer.Argument(help="The run's id (see `backstride runs`).")],
    name: Annotated[str, typer.Argument(help="The shoes' name.")],
    db: DbOption = None,
) -> None:
    """Say which shoes a run was in."""
    from backstride.services import training
    from backstride.services.training import TrainingError

    try:
        activity = training.assign_shoe(_uow(db), run_id, name)
    except TrainingError as error:
        fail(error.problems)
    out.print(f"Run {activity.id} is now in {activity.shoe_name!r}.", markup=False)


@shoes_app.command("retire")
def shoes_retire(name: Annotated[str, typer.Argument()], db: DbOption = None) -> None:
    """Retire a pair: it keeps its runs but gets no new ones."""
    from backstride.services import training
    from backstride.services.training import TrainingError

    try:
        shoe = training.retire_shoe(_uow(db), name)
    except TrainingError as error:
        fail(error.problems)
    out.print(f"Retired {shoe.name!r}.", markup=False)


# --- load ---------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0f}%"


def _print_load(report: training.LoadReport, with_pain: bool) -> None:
    summary = report.summary
    table = Table(
        title=f"Running, rolling weeks to {summary.today.isoformat()}", box=box.SIMPLE_HEAD
    )
    for column in ("week", "km", "time", "runs", "change", "longest", "long run", "spm"):
        table.add_column(column, justify="left" if column == "week" else "right", no_wrap=True)
    for w in summary.weeks:
        hours, minutes = divmod(round(w.duration_s / 60), 60)
        table.add_row(
            f"{w.start:%d %b}–{w.end:%d %b}",
            f"{w.distance_km:.1f}",
            f"{hours}:{minutes:02d}",
            str(w.runs),
            _pct(w.change_pct),
            f"{w.longest_run_km:.1f}",
            "-" if w.long_run_share is None else f"{w.long_run_share:.0%}",
            _number(w.cadence_spm),
        )
    out.print(table)
    ac = summary.acute_chronic
    ratio = "" if ac.ratio is None else f" ({ac.ratio:.1f} times the average)"
    out.print(
        f"Last 7 days: {ac.acute_km:.1f} km. Average of the last 4 weeks: "
        f"{ac.chronic_km_per_week:.1f} km a week{ratio}.",
        markup=False,
    )
    out.print(f"[dim]{ac.caveat}[/dim]")
    cadence = summary.cadence
    if cadence.recent_spm is not None:
        change = (
            "" if cadence.change_spm is None else f" ({cadence.change_spm:+.0f} on the 4 before)"
        )
        out.print(
            f"Cadence: median {cadence.recent_spm:.0f} steps/min over "
            f"{cadence.recent_runs} run{'s' if cadence.recent_runs != 1 else ''} "
            f"in the last 4 weeks{change}.",
            markup=False,
        )
    if summary.surfaces:
        mix = ", ".join(f"{s.surface} {s.distance_km:.1f} km" for s in summary.surfaces)
        out.print(f"Surfaces, last 4 weeks: {mix}.", markup=False)
    for shoe in report.shoes:
        if not shoe.shoe.retired:
            out.print(f"Shoes {shoe.shoe.name!r}: {shoe.km:.0f} km.", markup=False)
        if shoe.warning:
            err.print(f"warning: {shoe.warning}", markup=False, soft_wrap=True)
    if report.answers.values:
        out.print("For your next assessment, measured from your log:")
        for field, value in report.answers.values.items():
            note = report.answers.measured.get(f"running.{field}", "")
            out.print(f"  {field} = {value} ({note})", markup=False, soft_wrap=True)
    pain = report.pain
    out.print(f"Pain and load: {pain.headline}", markup=False, soft_wrap=True)
    for finding in pain.findings:
        out.print(f"  {finding}", markup=False, soft_wrap=True)
    if pain.enough:
        out.print(f"[dim]{pain.caveat}[/dim]")
    if with_pain and pain.pairs:
        days = Table(title="Next-day pain after each day's running")
        for column in ("day", "km", "min", "surface", "shoes", "next-day pain"):
            days.add_column(column, justify="right" if column in ("km", "min") else "left")
        for p in pain.pairs:
            days.add_row(
                p.load.day.isoformat(),
                f"{p.load.distance_km:.1f}",
                f"{p.load.duration_min:.0f}",
                ", ".join(p.load.surfaces) or "-",
                ", ".join(p.load.shoes) or "-",
                str(p.next_day_pain),
            )
        out.print(days)
    elif not with_pain and pain.pairs:
        out.print("  (--with-pain lists the days)")


def load(
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="Last day to include, YYYY-MM-DD (default: today).", metavar="DATE"
        ),
    ] = None,
    weeks: Annotated[int, typer.Option(help="How many weeks to show.", min=1, max=104)] = 8,
    with_pain: Annotated[
        bool, typer.Option("--with-pain", help="List next-day pain against each day's running.")
    ] = False,
    format: FormatOption = "text",
    db: DbOption = None,
) -> None:
    """Training load from your log: weekly distance, change, cadence, surfaces, shoes, pain."""
    from backstride.services import training

    chosen = check_format(format, ("text", "json"))
    today = parse_day(date)
    report = training.load_report(_uow(db), today, weeks=weeks)
    if chosen == "json":
        print_json(training.load_document(report, pain_days=with_pain))
        return
    if not report.activities:
        out.print("No runs in your log yet: `backstride import PATH` or `backstride run add`.")
        return
    _print_load(report, with_pain)
