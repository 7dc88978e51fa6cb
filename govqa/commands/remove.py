"""`govqa remove`: take reports out of the index by doc id or by the path they came
from."""

from __future__ import annotations

import sys

import click

from govqa.commands.shared import (
    _NO_WAIT,
    _Context,
    _echo_json,
    _require_index,
    _translate_errors,
    pass_context,
)


@click.command()
@click.argument("targets", nargs=-1, required=True, metavar="DOC_ID_OR_PATH...")
@click.option(
    "--json", "as_json", is_flag=True, help='Print {"removed": [...], "not_found": [...]}.'
)
@_NO_WAIT
@pass_context
def remove(obj: _Context, targets: tuple[str, ...], as_json: bool, no_wait: bool) -> None:
    """Remove reports from the index, by doc id or by the path they were ingested from.

    A path is resolved as ingest resolves it and need not exist any more; a folder
    removes every report ingested from under it, a .jsonl file all of its reports.
    Something that names no stored report is listed and exits with code 1; the
    reports the other arguments name are still removed.

    \b
    Examples:
      govqa remove 001_240d0124548b3155.txt
      govqa remove reports/old/ reports/2023.jsonl --json
    """
    from ingest.pipeline import select_reports

    with _translate_errors():
        _require_index(obj)
        store = obj.services.store
        with store.writing(wait=not no_wait):
            selection = select_reports(store.sources(), targets)
            removed = [doc_id for doc_id in selection.doc_ids if store.remove_report(doc_id)]
    if as_json:
        _echo_json({"removed": removed, "not_found": selection.not_found})
    else:
        for doc_id in removed:
            click.echo(f"removed {doc_id}")
        for target in selection.not_found:
            click.echo(
                f"not found: {target}: no stored report has this id or was ingested from this path",
                err=True,
            )
    if selection.not_found:
        sys.exit(1)
