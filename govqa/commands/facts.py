"""`govqa officials`, `govqa meetings` and `govqa figures`: the facts tables of the
index, as a table on a terminal or one JSON object a line; `govqa brief`: one report's
meeting brief."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from govqa.commands.shared import (
    GovqaError,
    _Context,
    _echo_json,
    _print_table,
    _require_index,
    _require_reports,
    _translate_errors,
    pass_context,
)

if TYPE_CHECKING:
    from retrieval.store import FigureRow, MeetingRow, OfficialRow, Store

_Row = TypeVar("_Row", "OfficialRow", "MeetingRow", "FigureRow")


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
@click.option(
    "--compare",
    "metric",
    default=None,
    metavar="METRIC",
    help="Targets against results of METRIC (GDP, 地区生产总值, 一般公共预算收入 …).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a line.")
@pass_context
def figures(
    obj: _Context, region: str | None, year: int | None, metric: str | None, as_json: bool
) -> None:
    """Figures announced in the reports: metric, value, year, change, rank, kind.

    With --compare, each place's target of METRIC for a year beside the result
    reported for that year, and whether it was met.

    \b
    Examples:
      govqa figures --region 宛城区
      govqa figures --year 2024 --json
      govqa figures --compare GDP --year 2025
    """
    if metric is not None:
        _compare_targets(obj, metric, region, str(year) if year else None, as_json)
        return
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


def _compare_targets(
    obj: _Context, metric: str, region: str | None, year: str | None, as_json: bool
) -> None:
    from retrieval.compare import metric_of
    from retrieval.targets import pairs, status

    name = metric_of(metric.lower()) or metric
    with _translate_errors():
        _require_index(obj)
        found = pairs(obj.services.store, year=year, places=[region] if region else [], metric=name)
    if as_json:
        for pair in found:
            _echo_json(pair.cell())
        return
    if not found:
        click.echo(f"no target of {name} is reported" + (f" for {year}" if year else ""))
        return
    _print_table(
        f"{name}: targets and results",
        ["place", "year", "measure", "target", "achieved", "status", "target file", "result file"],
        [
            [
                p.place,
                p.year,
                "growth" if p.rate else "total",
                p.wanted("zh-hans"),
                p.achieved.shown if p.achieved else "",
                status(p, "zh-hans"),
                p.target.figure["file"] if p.target.figure else "",
                p.achieved.figure["file"] if p.achieved and p.achieved.figure else "",
            ]
            for p in found
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
