"""The `minwon-bot` command. Thin: each subcommand calls one function; every known error
becomes a short message and a non-zero exit, never a traceback."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import DBAPIError

from bot import operations
from bot.config import ConfigError, load_settings
from storage.db import DatabaseUnavailable, is_outage
from storage.ingest import IngestRefused
from storage.publishing import PublishError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="민원서비스 종합평가 Slack bot")
err = Console(stderr=True, soft_wrap=True)  # soft_wrap: an error line is never broken up
F = TypeVar("F", bound=Callable[..., Any])

EXIT_NOT_UNDERSTOOD = 2
EXIT_CONFIG = 2
OWN_PACKAGES = ("bot", "handlers", "answers", "storage", "scoring", "domain")


def clean_errors(func: F) -> F:
    """Turn the errors an operator can cause into one readable line each."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            err.print(f"[red]설정 오류:[/red] {escape(str(exc))}")
            raise typer.Exit(EXIT_CONFIG) from None
        except IngestRefused as exc:
            err.print(f"[red]Refused — nothing was written.[/red] {len(exc.errors)} problem(s):")
            for line in exc.errors:
                err.print(f"  {line}", markup=False)
            raise typer.Exit(1) from None
        except (PublishError, operations.ChartError) as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            raise typer.Exit(1) from None
        except DatabaseUnavailable as exc:
            err.print(f"[red]The database is unavailable:[/red] {escape(str(exc))}")
            raise typer.Exit(1) from None
        except BrokenPipeError:  # `minwon-bot ask … | head -1`: the reader has had enough
            _silence_stdout()
            raise typer.Exit(0) from None
        except Exception as exc:
            what = failure_label(exc)
            if what is None:
                raise
            first = (str(exc).splitlines() or [""])[0][:200]
            err.print(f"[red]{what}:[/red] {exc.__class__.__name__}: {escape(first)}")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def failure_label(exc: BaseException) -> str | None:
    """How to name an unexpected error in one line; None lets it through as a bug. Only the
    database's own failures are called an outage (not a Slack timeout, not a closed pipe)."""
    if is_outage(exc):
        return "The database is unavailable"
    if isinstance(exc, DBAPIError):
        return "The database refused the operation"
    if isinstance(exc, OSError):  # TimeoutError and ConnectionError included
        return "A network or file operation failed"
    return None


@app.command()
@clean_errors
def ask(
    question: Annotated[
        str | None, typer.Argument(help='e.g. "경남 고성군 2023 등급"', show_default=False)
    ] = None,
    drafts: Annotated[
        bool, typer.Option("--drafts", help="include unpublished draft years")
    ] = False,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="also write the answer's chart as PNG to this path"),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="answer every line of this file (UTF-8, '-' for stdin), each after its "
            "question echoed as '» question'",
        ),
    ] = None,
) -> None:
    """Answer one question as plain text (exit 2 when it could not be understood); with
    --file, one question per line (exit 2 when any could not be understood)."""
    if file is not None:
        if question is not None or chart is not None:
            err.print("[red]--file answers a file's questions: give no question or --chart.[/red]")
            raise typer.Exit(EXIT_NOT_UNDERSTOOD)
        answered = asyncio.run(operations.ask_file(load_settings(), _lines(file), drafts=drafts))
    elif question is None:
        err.print('[red]Give a question (minwon-bot ask "김해시 2023") or --file FILE.[/red]')
        raise typer.Exit(EXIT_NOT_UNDERSTOOD)
    else:
        settings = load_settings()
        answered = asyncio.run(operations.ask(settings, question, drafts=drafts, chart=chart))
    raise typer.Exit(0 if answered else EXIT_NOT_UNDERSTOOD)


def _lines(file: Path) -> list[str]:
    """The file's lines (stdin for '-'); bytes that are not UTF-8 are replaced, not fatal."""
    if str(file) == "-":
        return sys.stdin.buffer.read().decode("utf-8", "replace").splitlines()
    try:
        return file.read_bytes().decode("utf-8-sig", "replace").splitlines()
    except OSError as exc:
        err.print(f"[red]Cannot read {escape(str(file))}:[/red] {escape(exc.strerror or str(exc))}")
        raise typer.Exit(EXIT_NOT_UNDERSTOOD) from None


@app.command()
@clean_errors
def console(
    drafts: Annotated[
        bool, typer.Option("--drafts", help="include unpublished draft years")
    ] = False,
) -> None:
    """Chat in the terminal; reads piped stdin line by line too."""
    asyncio.run(operations.console(load_settings(), drafts=drafts))


@app.command()
@clean_errors
def ingest(
    file: Annotated[
        Path,
        typer.Argument(
            help="one row per agency (CSV/XLSX, the columns of grades.csv) or the ministry's "
            "official table (CSV, TSV, XLSX, HWPX, PDF, pasted text saved as .txt); "
            "- reads standard input"
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="validate and report; write nothing")
    ] = False,
    new_agencies: Annotated[
        bool,
        typer.Option(
            "--new-agencies",
            help="let rows whose name is not in the agency catalog add that agency "
            "(region and type from the row; audited and listed)",
        ),
    ] = False,
    year: Annotated[
        int | None, typer.Option("--year", help="an official table's year, if it has no title")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="an official table's source URL (출처)")
    ] = None,
    correct: Annotated[
        bool,
        typer.Option(
            "--correct",
            help="this load corrects grades of a published year (refused without it; "
            "the earlier versions are kept)",
        ),
    ] = False,
) -> None:
    """Validate every row, then load the file in one transaction (or refuse it whole).
    Every name must be a catalog agency of its year unless --new-agencies is given; an
    official result table takes its year and source from the file or --year/--source.
    A load that would change grades of a published year needs --correct."""
    report = asyncio.run(
        operations.ingest(
            load_settings(),
            file,
            dry_run=dry_run,
            new_agencies=new_agencies,
            year=year,
            source_url=source,
            correct=correct,
        )
    )
    typer.echo(report.summary())
    for line in report.change_lines():  # every change, never cut
        typer.echo(line)


@app.command()
@clean_errors
def record(
    agency: Annotated[str, typer.Argument(help='e.g. 경찰청, "고성군(경남)", "경남 고성군"')],
    year: Annotated[int, typer.Argument(help="the evaluation year, e.g. 2025")],
) -> None:
    """Every version and source of one result: what it says now, where each source came
    from, the loads that confirmed it and the earlier versions (drafts included)."""
    found = asyncio.run(operations.record(load_settings(), agency, year))
    raise typer.Exit(0 if found else 1)


@app.command()
@clean_errors
def coverage(
    year: Annotated[int | None, typer.Argument(help="one year, e.g. 2024 (default: all)")] = None,
) -> None:
    """Per year and grading group: results known / graded, and whether the 가 list is complete."""
    typer.echo(asyncio.run(operations.coverage(load_settings(), year)), nl=False)


@app.command()
@clean_errors
def publish(year: Annotated[int, typer.Argument(help="the evaluation year, e.g. 2025")]) -> None:
    """Publish a draft year: everyone can see it from now on."""
    report = asyncio.run(operations.publish(load_settings(), year))
    typer.echo(report.summary())


@app.command()
@clean_errors
def serve(
    http: Annotated[
        bool, typer.Option("--http", help="HTTP mode: POST /slack/events (else Socket Mode)")
    ] = False,
    port: Annotated[int, typer.Option("--port", help="HTTP port")] = 3000,
    host: Annotated[str, typer.Option("--host", help="HTTP bind address")] = "0.0.0.0",
) -> None:
    """Serve Slack: Socket Mode when SLACK_APP_TOKEN is set, or HTTP with --http."""
    asyncio.run(operations.serve(load_settings(), http=http, host=host, port=port))


@app.command()
@clean_errors
def announce() -> None:
    """Deliver queued announcements now, and exit when the queue is empty."""
    pending = asyncio.run(operations.announce(load_settings()))
    typer.echo(
        "all announcements delivered"
        if not pending
        else f"{pending} announcement(s) still waiting to be retried"
    )


@app.command()
@clean_errors
def run() -> None:
    """What `make run` starts: Slack when it is configured, otherwise the console."""
    asyncio.run(operations.run(load_settings()))


@app.callback()
@clean_errors
def start() -> None:
    """Runs before every command: logging as LOG_LEVEL says."""
    configure_logging(load_settings().log_level)


def configure_logging(level: str) -> None:
    """Our own packages log at ``level``; libraries only warn (or less, if asked)."""
    numeric = logging.getLevelName(level)
    logging.basicConfig(stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(max(numeric, logging.WARNING))
    for package in OWN_PACKAGES:
        logging.getLogger(package).setLevel(numeric)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit cannot fail again (see
    "Note on SIGPIPE" in the docs of Python's signal module)."""
    with open(os.devnull, "wb") as devnull:
        os.dup2(devnull.fileno(), sys.stdout.fileno())


def main() -> None:
    try:
        app()
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()


if __name__ == "__main__":
    main()
