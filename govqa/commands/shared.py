"""What several commands share: the context object, `pass_context`, errors turned into
sentences, escaped and JSON output, status lines, the progress bar and the checks that
an index and reports are there."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeAlias

import click

from govqa.settings import Settings

if TYPE_CHECKING:
    from govqa.services import Services


class GovqaError(click.ClickException):
    """An expected failure: one sentence for the user, exit code 2, no traceback."""

    exit_code = 2


# What a terminal acts on or hides, and so must not be printed as it is in a file name, a
# doc id or a reason: C0 and C1 controls (a newline, ESC), line and paragraph separators,
# bidirectional overrides and isolates (U+202E turns "gpj.txt" around), zero-width and other
# invisible format characters, tag characters.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def _printable(text: str) -> str:
    """``text`` with every character of _UNPRINTABLE written as its escape (\\n, \\u202e)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _json_escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code > 0xFFFF:  # JSON writes a character beyond the BMP as two UTF-16 escapes
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def _echo_json(data: object) -> None:
    # json.dumps escapes C0 controls only; the rest of _UNPRINTABLE is escaped too, which
    # decodes to the same strings.
    click.echo(_UNPRINTABLE.sub(_json_escape, json.dumps(data, ensure_ascii=False)))


def _status(message: str) -> None:
    click.echo(message, err=True)


@contextmanager
def _translate_errors() -> Iterator[None]:
    """Library errors a user can act on become GovqaError; bugs keep their traceback."""
    from govqa.services import ServiceError
    from ingest.pipeline import IngestInputError
    from models import ModelPrepError
    from retrieval.embeddings import EmbeddingError
    from retrieval.writelock import StoreBusyError

    try:
        yield
    except (ServiceError, IngestInputError, EmbeddingError, ModelPrepError, StoreBusyError) as e:
        raise GovqaError(str(e)) from e


# Builds the Services of one command from its settings and a status-line printer:
# build_services, unless the caller of ``govqa.cli.main`` hands in another (a test that runs
# commands in its own process over a model it has loaded once).
ServicesFactory: TypeAlias = "Callable[[Settings, Callable[[str], None]], Services]"


class _Context:
    def __init__(self, settings: Settings, make_services: ServicesFactory | None = None) -> None:
        self.settings = settings
        self._make_services = make_services
        self._services: Services | None = None
        self.wait = True  # for another process's write (--no-wait: exit 2 instead)
        self.replace = False  # ingest --replace

    @property
    def services(self) -> Services:
        if self._services is None:
            if self._make_services is not None:
                self._services = self._make_services(self.settings, _status)
            else:
                from govqa.services import build_services

                self._services = build_services(self.settings, progress=_status)
        return self._services


pass_context = click.make_pass_decorator(_Context)


_NO_WAIT = click.option(
    "--no-wait",
    is_flag=True,
    help="If another govqa process is writing to the index, exit (code 2) instead of waiting.",
)


@contextmanager
def _progress(total: int, unit: str, *, enabled: bool = True) -> Iterator[Callable[[], None]]:
    """A progress bar with rate and ETA on a terminal; silent otherwise or when disabled."""
    from tqdm import tqdm

    bar = tqdm(
        total=total,
        unit=f" {unit}",
        disable=None if enabled else True,  # None: only when stderr is a terminal
        file=sys.stderr,
        dynamic_ncols=True,
    )
    try:
        yield lambda: bar.update(1)
    finally:
        bar.close()


def _require_index(obj: _Context) -> None:
    """Commands that read the index refuse a data dir that holds none (without creating it)."""
    from govqa.services import catalogue_path

    store = obj.settings.store
    if not store.chroma_url and not catalogue_path(store).is_file():
        raise GovqaError(
            f"no index in {store.resolved_data_dir}: run `govqa ingest PATH` first "
            "(or pick the data dir with --data-dir or GOVQA_DATA_DIR)"
        )


def _require_reports(services: Services, documents: int | None = None) -> None:
    """Commands that answer refuse an index without reports (``documents``: the count, if
    the caller has it already)."""
    if documents == 0 or (documents is None and not services.store.has_reports()):
        raise GovqaError(
            "no reports ingested yet in "
            f"{services.settings.store.resolved_data_dir}: run `govqa ingest PATH` first"
        )


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
