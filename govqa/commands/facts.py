"""`govqa officials`, `govqa meetings` and `govqa figures`: the facts tables of the
index, as a table on a terminal or one JSON object a line."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from govqa.commands.shared import (
    _Context,
    _echo_json,
    _require_index,
    _require_reports,
    _translate_errors,
    pass_context,
)

if TYPE_CHECKING:
    from retrieval.store import FigureRow, MeetingRow, OfficialRow, Store

_Row = TypeVar("_Row", "OfficialRow", "MeetingRow", "FigureRow")


def _print_table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    """A table on a terminal (rich), tab-separated lines when piped."""
    if not sys.stdout.isatty():
        click.echo("\t".join(columns))
        for row in rows:
            click.echo("\t".join(row))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    Console().print(table)


def _fact_rows(obj: _Context, read: Callable[[Store], list[_Row]]) -> list[_Row]:
    """The rows ``read`` takes from the store, once the data dir holds reports."""
    with _translate_errors():
        _require_index(obj)
        _require_reports(obj.services)
        return read(obj.services.store)


@click.command()
@click.option("--region", default=None, help="Only officials of this region (e.g. 嘉定区).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a line.")
@pass_context
def officials(obj: _Context, region: str | None, as_json: bool) -> None:
    """Officials named in the reports, with their titles and the report.

    \b
    Examples:
      govqa officials
      govqa officials --region 黔江区 --json
    """
    rows = _fact_rows(obj, lambda store: store.officials(region=region))
    if as_json:
        for row in rows:
            _echo_json(row)
        return
    _print_table(
        "officials",
        ["name", "titles", "region", "file"],
        [
            [
                r["name"] + (" (garbled)" if r["unknown"] else ""),
                "、".join(r["titles"]),
                r["region"] or "",
                r["file"],
            ]
            for r in rows
        ],
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a line.")
@pass_context
def meetings(obj: _Context, as_json: bool) -> None:
    """Meetings reported: date, place, who chaired, spoke and attended.

    \b
    Example:
      govqa meetings --json
    """
    rows = _fact_rows(obj, lambda store: store.meetings())
    if as_json:
        for row in rows:
            _echo_json(row)
        return
    _print_table(
        "meetings",
        ["meeting", "date", "place", "chair", "speakers", "attendees", "file"],
        [
            [
                r["name"],
                r["date"] or "",
                r["place"] or "",
                "、".join(r["chairs"]),
                "、".join(r["speakers"]),
                "、".join(r["attendees"]),
                r["file"],
            ]
            for r in rows
        ],
    )


@click.command()
@click.option("--region", default=None, help="Only figures of this region.")
@click.option("--year", default=None, type=click.IntRange(1900, 2100), help="Only this year.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a line.")
@pass_context
def figures(obj: _Context, region: str | None, year: int | None, as_json: bool) -> None:
    """Figures announced in the reports: metric, value, year, change, rank, kind.

    \b
    Examples:
      govqa figures --region 宛城区
      govqa figures --year 2024 --json
    """
    rows = _fact_rows(
        obj, lambda store: store.figures(region=region, year=str(year) if year else None)
    )
    if as_json:
        for row in rows:
            _echo_json(row)
        return
    _print_table(
        "figures",
        ["metric", "value", "year", "change", "rank", "kind", "region", "file"],
        [
            [
                r["metric"],
                f"{r['value']}{r['unit']}",
                r["year"] or "",
                r["change"] or "",
                r["rank"] or "",
                r["kind"],
                r["region"] or "",
                r["file"],
            ]
            for r in rows
        ],
    )
