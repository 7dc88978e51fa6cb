"""`govqa stats`: how many reports, chunks and facts the index holds."""

from __future__ import annotations

import click

from govqa.commands.shared import (
    _Context,
    _echo_json,
    _require_index,
    _translate_errors,
    pass_context,
)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_context
def stats(obj: _Context, as_json: bool) -> None:
    """How many reports and chunks the index holds.

    \b
    Example:
      govqa stats --json
    """
    with _translate_errors():
        _require_index(obj)
        store = obj.services.store
        counts = {**store.stats(), **store.fact_counts()}
    if as_json:
        _echo_json(counts)
    else:
        for key, value in counts.items():
            click.echo(f"{key}: {value}")
