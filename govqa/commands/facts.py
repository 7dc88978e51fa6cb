"""`govqa officials`, `govqa meetings` and `govqa figures`: the facts tables of the
index, as a table on a terminal or one JSON object a line; `govqa brief`: one report's
meeting brief."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from govqa.commands.shared import (
    GovqaError,
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
@click.option(
    "--history",
    "history_of",
    metavar="NAME|POST",
    default=None,
    help="The titles a person held, or who held a post (区长, 宛城区区长), over time.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a line.")
@pass_context
def officials(obj: _Context, region: str | None, history_of: str | None, as_json: bool) -> None:
    """Officials named in the reports, with their titles, the report and its date.

    \b
    Examples:
      govqa officials
      govqa officials --region 黔江区 --json
      govqa officials --history 郭炜
      govqa officials --history 宛城区区长
    """
    rows = _fact_rows(obj, lambda store: store.officials(region=region))
    if history_of is not None:
        _print_history(history_of, rows, as_json)
        return
    if as_json:
        for row in rows:
            _echo_json(row)
        return
    _print_table(
        "officials",
        ["name", "titles", "region", "date", "file"],
        [
            [
                r["name"] + (" (garbled)" if r["unknown"] else ""),
                "、".join(r["titles"]),
                r["region"] or "",
                r["date"] or "",
                r["file"],
            ]
            for r in rows
        ],
    )


def _print_history(ref: str, rows: list[OfficialRow], as_json: bool) -> None:
    """Tenures of a person or a post, earliest first."""
    from retrieval.tenure import history

    found = history(rows, ref)
    if not found:
        raise GovqaError(f"no official or title {ref!r} in the reports")
    if as_json:
        for tenure in found:
            _echo_json(tenure.to_json())
        return
    _print_table(
        f"history of {ref}",
        ["name", "title", "region", "first seen", "last seen", "reports"],
        [
            [t.name, t.title, t.region or "", t.first or "", t.last or "", str(len(t.doc_ids))]
            for t in found
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


@click.command()
@click.argument("report")
@click.option("--json", "as_json", is_flag=True, help="Print the brief as one JSON object.")
@click.option(
    "--script",
    type=click.Choice(["zh-hans", "zh-hant", "en"]),
    default="zh-hans",
    show_default=True,
    help="The script of the labels and quotes.",
)
@pass_context
def brief(obj: _Context, report: str, as_json: bool, script: str) -> None:
    """A meeting brief of REPORT: date and place, chair, attendees with titles, speakers
    with their main points, figures announced, targets set — each with its sentence.

    REPORT is a doc id, the file it was ingested from (path or name), or the name of a
    meeting (its latest report).

    \b
    Examples:
      govqa brief 001_240d0124548b3155.txt
      govqa brief 宛城区三级干部会议 --json
    """
    from retrieval.brief import find_report, make_brief, render

    with _translate_errors():
        _require_index(obj)
        _require_reports(obj.services)
        store = obj.services.store
        doc_id = find_report(store, report)
        made = make_brief(store, doc_id) if doc_id else None
    if made is None:
        raise GovqaError(f"no stored report is {report!r}: give a doc id, a file or a meeting")
    if as_json:
        _echo_json(made.to_json())
        return
    click.echo(render(made, script))  # type: ignore[arg-type]
