"""The fact tables: /officials, /meetings, /figures, /brief and /stats."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from telegram import Update

from bot import messages
from bot.formatting import Line, bold, code, in_script, italic, joined, line
from bot.handlers.common import command_argument, say, store_is_empty
from bot.state import BotContext
from ingest.script import Script, to_simplified

if TYPE_CHECKING:
    from retrieval.store import FigureRow, MeetingRow, OfficialRow, Store

Row = TypeVar("Row")

_YEAR = re.compile(r"^(19|20)\d\d年?$")


async def _facts(
    update: Update,
    context: BotContext,
    script: Script,
    title_key: str,
    query: Callable[[Store], list[Row]],
    render: Callable[[Row], list[Line]],
) -> None:
    services = context.bot_data.services
    if await asyncio.to_thread(store_is_empty, services):
        await say(update, context, [line(messages.text("empty_store", script))])
        return
    rows = await asyncio.to_thread(query, services.store)
    if not rows:
        await say(update, context, [line(messages.text("nothing_found", script))])
        return
    lines: list[Line] = [
        line(
            bold(
                f"{messages.text(title_key, script)}（{len(rows)}）"
                if script != "en"
                else f"{messages.text(title_key, script)} ({len(rows)})"
            )
        )
    ]
    for row in rows:
        lines.extend(render(row))
    await say(update, context, lines)


async def officials(update: Update, context: BotContext) -> None:
    """List officials and their titles, optionally of one region: /officials 嘉定区."""
    region = command_argument(update)
    script = messages.script_for(update, region)

    def render(row: OfficialRow) -> list[Line]:
        name = in_script(row["name"], script) + ("（?）" if row["unknown"] else "")
        titles = joined([in_script(t, script) for t in row["titles"]], script)
        where = f" · {in_script(row['region'], script)}" if row["region"] else ""
        when = f" · {row['date']}" if row["date"] else ""
        return [line(bold(name), f" — {titles}{where}", italic(when))]

    await _facts(
        update,
        context,
        script,
        "officials_title",
        lambda store: store.officials(region=to_simplified(region) or None),
        render,
    )


async def meetings(update: Update, context: BotContext) -> None:
    """List the meetings reported: date, place, chair, speakers, attendees."""
    script = messages.script_for(update)

    def render(row: MeetingRow) -> list[Line]:
        lines: list[Line] = [line(""), line(bold(in_script(row["name"], script)))]
        about = " · ".join(in_script(p, script) for p in (row["date"], row["place"]) if p)
        if about:
            lines.append(line(italic(about)))
        for people, label_key in (
            (row["chairs"], "chair"),
            (row["speakers"], "speakers"),
            (row["attendees"], "attendees"),
        ):
            if people:
                label = messages.text(label_key, script)
                names = joined([in_script(n, script) for n in people], script)
                lines.append(line(f"{label}{'：' if script != 'en' else ': '}{names}"))
        return lines

    await _facts(update, context, script, "meetings_title", lambda store: store.meetings(), render)


async def figures(update: Update, context: BotContext) -> None:
    """List the figures announced, optionally of one region and year: /figures 宛城区 2024;
    or each place's targets of a metric beside its results: /figures compare GDP 2025."""
    words = command_argument(update).split()
    year = next((w[:4] for w in words if _YEAR.match(w)), None)
    if words and words[0].lower() in ("compare", "对比", "對比", "目标", "目標"):
        await _targets(update, context, [w for w in words[1:] if not _YEAR.match(w)], year)
        return
    region = " ".join(w for w in words if not _YEAR.match(w))
    script = messages.script_for(update, region)

    def render(row: FigureRow) -> list[Line]:
        details = [row["year"], row["change"], row["rank"], row["kind"], row["region"]]
        about = " · ".join(in_script(str(d), script) for d in details if d)
        return [
            line(
                bold(in_script(row["metric"], script)),
                f" {row['value']}{in_script(row['unit'] or '', script)}",
                italic(f"（{about}）" if script != "en" else f" ({about})"),
            )
        ]

    await _facts(
        update,
        context,
        script,
        "figures_title",
        lambda store: store.figures(region=to_simplified(region) or None, year=year),
        render,
    )


async def _targets(update: Update, context: BotContext, words: list[str], year: str | None) -> None:
    """/figures compare 地区生产总值 2025: a monospace row a place (target, result, met)."""
    from retrieval.compare import metric_of
    from retrieval.targets import Pair, pairs, status

    wanted = " ".join(words)
    script = messages.script_for(update, wanted)
    metric = metric_of(to_simplified(wanted).lower()) or to_simplified(wanted) or None

    def render(pair: Pair) -> list[Line]:
        result = pair.achieved.shown if pair.achieved else "—"
        row = f"{pair.place} {pair.year} {pair.wanted(script)} → {result}  {status(pair, script)}"
        return [line(code(in_script(row, script)))]

    await _facts(
        update,
        context,
        script,
        "targets_title",
        lambda store: pairs(store, year=year, metric=metric),
        render,
    )


async def stats(update: Update, context: BotContext) -> None:
    """How many reports, chunks and facts the index holds."""
    script = messages.script_for(update)
    store = context.bot_data.services.store

    def counts() -> dict[str, int]:
        return {**store.stats(), **store.fact_counts()}

    values = await asyncio.to_thread(counts)
    await say(
        update,
        context,
        [
            line(bold(messages.text("stats_title", script))),
            line(messages.text("stats_line", script, **values)),
        ],
    )


async def brief(update: Update, context: BotContext) -> None:
    """One report's meeting brief: /brief 宛城区三级干部会议 (or a report's file name)."""
    from retrieval.brief import find_report, make_brief, render

    wanted = command_argument(update)
    script = messages.script_for(update, wanted)
    if not wanted:
        await say(update, context, [line(messages.text("brief_usage", script))])
        return
    services = context.bot_data.services
    if await asyncio.to_thread(store_is_empty, services):
        await say(update, context, [line(messages.text("empty_store", script))])
        return

    def made() -> str | None:
        doc_id = find_report(services.store, wanted)
        found = make_brief(services.store, doc_id) if doc_id else None
        return render(found, script) if found else None

    text = await asyncio.to_thread(made)
    if text is None:
        await say(update, context, [line(messages.text("nothing_found", script))])
        return
    heading, *rest = text.splitlines()
    await say(update, context, [line(bold(heading)), *(line(r) for r in rest)])
