"""`govqa eval`: answer a JSONL file of questions and score the answers."""

from __future__ import annotations

from pathlib import Path

import click

from govqa.commands.shared import (
    GovqaError,
    _Context,
    _echo_json,
    _progress,
    _require_index,
    _require_reports,
    _translate_errors,
    pass_context,
)


@click.command("eval")
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
