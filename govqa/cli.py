"""The `govqa` command line: parse, call the core, print, turn errors into sentences.

This module holds the `govqa` group (settings, logging, secrets hidden) and ``main``; each
command lives in :mod:`govqa.commands` and is added to the group here.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import click

from govqa import redaction
from govqa.commands.ask import ask, chat
from govqa.commands.bot import bot_command
from govqa.commands.check import check
from govqa.commands.eval import eval_command
from govqa.commands.facts import brief, figures, meetings, officials
from govqa.commands.ingest import ingest
from govqa.commands.inspect import inspect
from govqa.commands.models import models
from govqa.commands.remove import remove
from govqa.commands.shared import GovqaError, ServicesFactory, _Context
from govqa.commands.stats import stats
from govqa.settings import ConfigError, load_settings

logger = logging.getLogger(__name__)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the index lives (default: GOVQA_DATA_DIR or ./data).",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Read 今年/去年/latest in questions as of this date (default: GOVQA_AS_OF or today).",
)
@click.version_option(package_name="govqa")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, as_of: datetime | None) -> None:
    """govqa — answers from Chinese local-government reports, with the sentence they came from.

    \b
    Quick start:
      govqa ingest seeds/
      govqa ask "宛城区2024年地区生产总值是多少？"
      govqa ask --json "Who chaired the Jiyuan meeting?"
    """
    try:
        settings = load_settings(
            store={} if data_dir is None else {"data_dir": data_dir},
            retrieval={} if as_of is None else {"as_of": as_of.date()},
        )
    except ConfigError as e:  # a GOVQA_* value that does not parse: name it
        raise GovqaError(f"bad configuration: {e}") from e
    except (OSError, ValueError) as e:  # .env unreadable or not UTF-8
        raise GovqaError(f"bad configuration: cannot read .env: {e}") from e
    # Before anything can log: no record, at any level, shows a secret.
    redaction.hide_bot_token(settings.telegram.bot_token.get_secret_value())
    redaction.hide(settings.llm.api_key.get_secret_value(), "[api key]")
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # ``main(make_services=...)`` arrives here as the initial obj (None from the shell).
    ctx.obj = _Context(settings, make_services=ctx.obj)


cli.add_command(ingest)
cli.add_command(remove)
cli.add_command(ask)
cli.add_command(chat)
cli.add_command(inspect)
cli.add_command(stats)
cli.add_command(check)
cli.add_command(eval_command)
cli.add_command(officials)
cli.add_command(meetings)
cli.add_command(figures)
cli.add_command(brief)
cli.add_command(bot_command)
cli.add_command(models)


def main(args: Sequence[str] | None = None, make_services: ServicesFactory | None = None) -> None:
    """The `govqa` command: always exits (SystemExit), with the code the shell sees.

    ``args`` default to the process's own; ``make_services`` replaces build_services for
    the command's Services (tests run commands in their own process over a model they
    have loaded once; the `govqa` script passes neither).
    """
    try:
        cli(args=args, prog_name="govqa", obj=make_services)
    except Exception:  # a bug: its traceback goes out, but never with a secret in it
        sys.stderr.write(redaction.scrub(traceback.format_exc()))
        sys.exit(1)
