"""The `minwon-bot` command. Thin: each subcommand calls one function; every known error
becomes a short message and a non-zero exit, never a traceback."""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import DBAPIError, OperationalError

from bot import operations
from bot.config import ConfigError, load_settings
from storage.db import DatabaseUnavailable
from storage.ingest import IngestRefused
from storage.publishing import PublishError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="민원서비스 종합평가 Slack bot")
err = Console(stderr=True, soft_wrap=True)  # soft_wrap: an error line is never broken up
F = TypeVar("F", bound=Callable[..., Any])

EXIT_NOT_UNDERSTOOD = 2
EXIT_CONFIG = 2


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
        except (OperationalError, DBAPIError, OSError) as exc:
            first = (str(exc).splitlines() or [""])[0][:200]
            err.print(
                f"[red]The database is unavailable:[/red] {exc.__class__.__name__}: {escape(first)}"
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


@app.command()
@clean_errors
def ask(
    question: Annotated[str, typer.Argument(help='e.g. "경남 고성군 2023 등급"')],
    drafts: Annotated[
        bool, typer.Option("--drafts", help="include unpublished draft years")
    ] = False,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="also write the answer's chart as PNG to this path"),
    ] = None,
) -> None:
    """Answer one question as plain text (exit 2 when it could not be understood)."""
    answered = asyncio.run(operations.ask(load_settings(), question, drafts=drafts, chart=chart))
    raise typer.Exit(0 if answered else EXIT_NOT_UNDERSTOOD)


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
    file: Annotated[Path, typer.Argument(help="CSV or XLSX with the columns of grades.csv")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="validate and report; write nothing")
    ] = False,
) -> None:
    """Validate every row, then load the file in one transaction (or refuse it whole)."""
    report = asyncio.run(operations.ingest(load_settings(), file, dry_run=dry_run))
    typer.echo(report.summary())


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


def main() -> None:
    logging.basicConfig(
        level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    app()


if __name__ == "__main__":
    main()
