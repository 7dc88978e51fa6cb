"""`govqa inspect`: what govqa reads in a file, without ingesting it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from govqa.commands.shared import (
    GovqaError,
    _Context,
    _echo_json,
    _printable,
    _translate_errors,
    pass_context,
)

if TYPE_CHECKING:
    from ingest.facts import Facts
    from ingest.types import Report


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a document.")
@click.option("--lines", default=5, show_default=True, help="Lines of cleaned text to show.")
@click.option("--limit", default=3, show_default=True, help="Documents shown from a .jsonl file.")
@pass_context
def inspect(obj: _Context, file: Path, as_json: bool, lines: int, limit: int) -> None:
    """Show what govqa understands of FILE, without ingesting it.

    Prints the metadata (title, date with inferred year, region, outlet, reporters,
    meeting), how much converter noise was removed, the chunks it would make, how
    many facts it holds (officials, meetings, figures, speech points), the stored
    report it would be grouped with as a republished copy, and the first lines of
    cleaned text — to check a new source before ingesting it.

    \b
    Examples:
      govqa inspect seeds/000_362367a7f1d5f63f.txt
      govqa inspect reports.jsonl --limit 1 --json
    """
    from itertools import islice

    from ingest.loaders import LoadError, load_file
    from ingest.pipeline import build_report, make_chunks, make_facts
    from ingest.types import INSPECT_FIELDS

    if not file.is_file():
        raise GovqaError(f"no such file: {_printable(str(file))}")
    limits = obj.settings.ingest
    try:
        documents = list(
            islice(
                load_file(file, max_bytes=limits.max_bytes, max_chars=limits.max_chars),
                max(limit, 1),
            )
        )
    except LoadError as e:
        raise GovqaError(f"{_printable(str(file))}: {_printable(str(e))}") from e
    for raw in documents:
        report = build_report(
            raw, doc_id=raw.key or file.name, file=file.name, source=str(file.resolve())
        )
        shown = {name: getattr(report, name) for name in INSPECT_FIELDS}
        facts = make_facts(report)
        info: dict[str, object] = {
            **{k: list(v) if isinstance(v, tuple) else v for k, v in shown.items()},
            "characters": {
                "original": len(report.original_text),
                "cleaned": len(report.cleaned_text),
            },
            "chunks": len(make_chunks(report)),
            "facts": _fact_counts(facts),
            "republished_copy_of": _copy_of(obj, report, facts),
            "cleaned_start": report.cleaned_text.splitlines()[: max(lines, 0)],
        }
        if as_json:
            _echo_json(info)
            continue
        for key, value in info.items():
            if key == "cleaned_start" and isinstance(value, list):
                click.echo("cleaned text:")
                for line in value:
                    click.echo(f"  | {line}")
            elif isinstance(value, list):
                click.echo(f"{key}: {'、'.join(value) if value else '-'}")
            elif key == "republished_copy_of" and isinstance(value, dict):
                click.echo(
                    f"{key}: {value['file']} ({value['doc_id']}, "
                    f"{value['likeness']:.0%} of the shorter text shared)"
                )
            elif isinstance(value, dict):
                click.echo(f"{key}: " + ", ".join(f"{k} {v}" for k, v in value.items()))
            else:
                click.echo(f"{key}: {'-' if value is None else value}")
        click.echo("")


def _copy_of(obj: _Context, report: Report, facts: Facts) -> dict[str, object] | None:
    """The stored report this one would be grouped with as a republished copy (None:
    none, or no index in the data dir)."""
    from govqa.services import catalogue_path
    from ingest.duplicates import fingerprint

    if not obj.settings.store.chroma_url and not catalogue_path(obj.settings.store).is_file():
        return None
    names = [o.name for o in facts.officials if not o.unknown]
    with _translate_errors():
        store = obj.services.store
        match = store.copy_of(
            fingerprint(report.cleaned_text, names, report.date, report.region), report.doc_id
        )
        if match is None:
            return None
        stored = store.get_reports([match.doc_id]).get(match.doc_id)
    return {
        "doc_id": match.doc_id,
        "file": stored.file if stored else None,
        "group": match.group_id,
        "likeness": round(match.likeness.containment, 3),
    }


def _fact_counts(facts: Facts) -> dict[str, int]:
    return {
        "officials": len(facts.officials),
        "meetings": len(facts.meetings),
        "figures": len(facts.figures),
        "speech_points": len(facts.points),
    }
