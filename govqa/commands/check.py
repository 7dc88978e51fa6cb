"""`govqa check`: verify the index end to end and, with --repair, fix it."""

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
@click.option("--repair", is_flag=True, help="Fix what is wrong (re-embed, delete, re-index).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@_NO_WAIT
@pass_context
def check(obj: _Context, repair: bool, as_json: bool, no_wait: bool) -> None:
    """Verify the index end to end; exit code 1 when something is wrong.

    Reads back the vector of every chunk of every stored report (by id, in pages),
    looks for vectors of no stored chunk, half-written reports, and lexical-index or
    facts rows that disagree with the reports. With --repair, missing or unreadable
    vectors are embedded again, orphan vectors deleted, half-written reports whose
    writer is gone cleared (ingest them again), stray catalogue rows fixed; then it
    checks again. It waits for a running ingest to finish first.

    \b
    Examples:
      govqa check
      govqa check --repair --json
    """
    from retrieval.check import check_store, repair_store

    with _translate_errors():
        _require_index(obj)
        services = obj.services
        if repair:
            result = repair_store(services.store, services.embeddings, wait=not no_wait)
        else:
            result = check_store(services.store, wait=not no_wait)
    if as_json:
        _echo_json(result.to_json())
    else:
        click.echo(
            f"reports {result.reports}, chunks {result.chunks}, vectors {result.vectors}; "
            f"checked in {result.seconds:.1f} s"
        )
        for what, done in result.repaired.items():
            click.echo(f"repaired: {what.replace('_', ' ')}: {done}")
        lines = {
            "unreadable or missing vectors": result.unreadable_vectors,
            "vectors of no stored chunk": result.orphan_vectors,
            "half-written reports (writer gone)": result.half_written,
            "reports being written by a running process": result.being_written,
        }
        for label, items in lines.items():
            if items:
                click.echo(f"{label}: {len(items)} (e.g. {', '.join(items[:3])})")
        for problem in result.catalogue:
            click.echo(f"catalogue: {problem}")
        click.echo("ok" if result.ok else f"{result.problems} problems")
        if not result.ok and not repair:
            click.echo("run `govqa check --repair` to fix them", err=True)
    if not result.ok:
        sys.exit(1)
