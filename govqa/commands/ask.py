"""`govqa ask` and `govqa chat`: answer questions, one, a line of standard input each,
or a conversation, and print the answer with its sources."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from govqa import redaction
from govqa.commands.shared import (
    _Context,
    _echo_json,
    _print_table,
    _require_index,
    _require_reports,
    _translate_errors,
    pass_context,
)

if TYPE_CHECKING:
    from retrieval.types import Answer


@click.command()
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
        _require_reports(services, services.ready())
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


def _print_answer(answer: Answer) -> None:
    from retrieval.messages import message

    if answer.table and sys.stdout.isatty():
        # A comparison or targets against results: the answer line, then the table
        # (each row's sentence is among the sources below).
        click.echo(answer.answer.splitlines()[0])
        _print_table(*_table(answer))
    else:
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
            if source.also_reported_by:
                also = message("also_reported", answer.lang)  # type: ignore[arg-type]
                click.echo(f"      {also}: {'; '.join(c.label() for c in source.also_reported_by)}")


def _table(answer: Answer) -> tuple[str, list[str], list[list[str]]]:
    """``answer.table`` as a title, columns and rows for :func:`_print_table`."""
    rows = answer.table or []
    if rows and "target" in rows[0]:
        columns = ["place", "year", "metric", "target", "achieved", "met"]
        cells = [
            [
                str(r["place"]),
                str(r["year"]),
                str(r["metric"]),
                str(_field(r["target"], "shown")),
                str(_field(r["achieved"], "shown")),
                {True: "yes", False: "no", None: "?"}[r["met"]],  # type: ignore[index]
            ]
            for r in rows
        ]
        return "targets", columns, cells
    columns = ["#", "place", "value", "year", "kind", "change", "file", "also stated"]
    cells = [
        [
            str(n),
            str(r["place"]),
            str(r["shown"] or "not reported"),
            str(r["year"] or ""),
            str(r["kind"] or ""),
            str(r["change"] or ""),
            str(r["file"] or ""),
            "; ".join(f"{c['value']} ({c['file']})" for c in r["conflicts"]),  # type: ignore[attr-defined]
        ]
        for n, r in enumerate(rows, 1)
    ]
    return "comparison", columns, cells


def _field(cell: object, key: str) -> object:
    return cell.get(key, "") if isinstance(cell, dict) else ""


@click.command()
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
