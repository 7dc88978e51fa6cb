"""Telegram HTML built safely, and split into messages Telegram accepts.

Replies are built as *lines* of *spans* (raw text plus an optional ``<b>``/``<i>`` style), never
as markup strings: every piece of text is escaped when it is rendered, and every tag is opened
and closed around one span. Splitting works on the raw text before rendering, so a message
boundary can never fall inside a tag or an entity (``&amp;``), and every message is balanced
HTML on its own. Each message also carries its plain-text twin, sent when Telegram rejects the
markup anyway.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ingest.script import Script, render_in
from retrieval.messages import message
from retrieval.types import Answer

# Telegram's limit for the text of one message (counted in UTF-16 code units).
MAX_MESSAGE = 4096

Style = Literal["", "b", "i", "code"]
Span = tuple[str, Style]
Line = tuple[Span, ...]

# Split points, coarsest first: after a sentence, after a clause, at a space.
_SENTENCE_END = re.compile(r"(?<=[。！？；…!?;])|(?<=\.)(?=\s)")
_CLAUSE_END = re.compile(r"(?<=[，、：,:）)」』”])")
_SPACE = re.compile(r"(?<=\s)")
_LEVELS = (_SENTENCE_END, _CLAUSE_END, _SPACE)


@dataclass(frozen=True)
class OutMessage:
    """One Telegram message: the HTML to send and the plain text to fall back to."""

    html: str
    plain: str


def escape(text: str) -> str:
    """Text made safe for Telegram's HTML parse mode (``&``, ``<`` and ``>``)."""
    return html.escape(text, quote=False)


def line(*spans: Span | str) -> Line:
    """A line from spans; a bare string is an unstyled span."""
    return tuple((s, "") if isinstance(s, str) else s for s in spans)


def bold(text: str) -> Span:
    return (text, "b")


def italic(text: str) -> Span:
    return (text, "i")


def code(text: str) -> Span:
    """Monospace: a table row keeps its columns, and survives a split (a row a span)."""
    return (text, "code")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (astral characters count twice)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _render(text: str, style: Style) -> str:
    return f"<{style}>{escape(text)}</{style}>" if style else escape(text)


def _cut(text: str, style: Style, limit: int, level: int = 0) -> list[str]:
    """``text`` in parts whose rendering fits ``limit``: its sentences, and only where a
    sentence is too long its clauses, then words, then characters. The packer joins them."""
    if level >= len(_LEVELS):
        return _cut_characters(text, style, limit)
    parts: list[str] = []
    for part in (p for p in _LEVELS[level].split(text) if p):
        if utf16_len(_render(part, style)) <= limit:
            parts.append(part)
        else:
            parts.extend(_cut(part, style, limit, level + 1))
    return parts


def _cut_characters(text: str, style: Style, limit: int) -> list[str]:
    overhead = utf16_len(_render("", style))
    pieces: list[str] = []
    current, size = "", overhead
    for ch in text:
        width = utf16_len(escape(ch))
        if size + width > limit and current:
            pieces.append(current)
            current, size = "", overhead
        current += ch
        size += width
    if current:
        pieces.append(current)
    return pieces


def split_messages(lines: Iterable[Line], limit: int = MAX_MESSAGE) -> list[OutMessage]:
    """Pack lines into as few messages as fit ``limit``, breaking between lines when it can,
    else inside a too-long line at a sentence (clause, space, character) boundary."""
    messages: list[OutMessage] = []
    html_parts: list[str] = []
    plain_parts: list[str] = []
    size = 0

    def flush() -> None:
        nonlocal size
        rendered = "".join(html_parts).strip()
        if rendered:
            messages.append(OutMessage(rendered, "".join(plain_parts).strip()))
        html_parts.clear()
        plain_parts.clear()
        size = 0

    for spans in lines:
        rendered_line = "".join(_render(text, style) for text, style in spans if text)
        if utf16_len(rendered_line) <= limit:
            tokens = [(rendered_line, "".join(text for text, _ in spans))]
        else:
            tokens = [
                (_render(piece, style), piece)
                for text, style in spans
                if text
                for piece in _cut(text, style, limit)
            ]
        for n, (token_html, token_plain) in enumerate(tokens):
            separator = "\n" if n == 0 and html_parts else ""
            needed = utf16_len(separator) + utf16_len(token_html)
            if size + needed > limit:
                flush()
                separator, needed = "", utf16_len(token_html)
            if not html_parts and not token_html.strip():
                continue  # no message starts with a blank line
            html_parts.append(separator + token_html)
            plain_parts.append(separator + token_plain)
            size += needed
    flush()
    return messages


# -- what the bot says, as lines ---------------------------------------------------------


def answer_lines(answer: Answer, understood_as: str | None = None) -> list[Line]:
    """An answer: the first line (the answer itself) bold, the evidence lines plain."""
    lines: list[Line] = []
    if understood_as:
        lines.append(line(italic(understood_as)))
    body = answer.answer.splitlines() or [""]
    lines.append(line(bold(body[0])))
    if answer.table:
        lines.extend(table_lines(answer))
        return lines
    lines.extend(line(text) for text in body[1:])
    return lines


def table_lines(answer: Answer) -> list[Line]:
    """A comparison or targets table: a monospace row a line (each its own <code> span,
    so a split between messages falls between rows), then each row's sentence."""
    rows = answer.table or []
    cells = [_cells(row) for row in rows]
    widths = [max(_width(c[i]) for c in cells) for i in range(len(cells[0]))] if cells else []
    lines: list[Line] = []
    for n, texts in enumerate(cells, 1):
        padded = "  ".join(c + " " * (w - _width(c)) for c, w in zip(texts, widths, strict=True))
        lines.append(line(code(f"{n:>2} {padded}".rstrip())))
    for n, row in enumerate(rows, 1):
        for sentence, file in _quotes(row):
            lines.append(line(f"[{n}] 「{render_in(sentence, answer.lang)}」 ", italic(file)))  # type: ignore[arg-type]
    return lines


def _cells(row: dict[str, object]) -> list[str]:
    if "target" in row:
        target, achieved = row["target"], row["achieved"]
        met = {True: "✓", False: "✗", None: "?"}[row["met"]]  # type: ignore[index]
        return [
            str(row["place"]),
            str(row["year"]),
            str(target["shown"]) if isinstance(target, dict) else "",
            str(achieved["shown"]) if isinstance(achieved, dict) else "—",
            met,
        ]
    extra = [str(c["value"]) for c in row.get("conflicts") or []]  # type: ignore[attr-defined]
    return [
        str(row["place"]),
        str(row["shown"] or "—"),
        str(row["year"] or ""),
        " / ".join(extra),
    ]


def _quotes(row: dict[str, object]) -> list[tuple[str, str]]:
    """(sentence, file) of a row's figures: the target's and the result's, or the row's
    and the other values'."""
    cells = [row.get("target"), row.get("achieved")] if "target" in row else [row]
    cells += list(row.get("conflicts") or [])  # type: ignore[call-overload]
    return [
        (str(c["sentence"]), str(c["file"]))
        for c in cells
        if isinstance(c, dict) and c.get("sentence")
    ]


def _width(text: str) -> int:
    """Display columns: CJK characters take two."""
    return sum(2 if ord(ch) >= 0x1100 else 1 for ch in text)


def sources_lines(answer: Answer, title: str) -> list[Line]:
    """The cited reports and sentences of an answer, numbered as the CLI numbers them."""
    lines: list[Line] = [line(bold(title))]
    for n, source in enumerate(answer.sources, 1):
        about = " · ".join(p for p in (source.region, source.date, source.file) if p)
        lines.append(line(""))
        lines.append(line(f"[{n}] ", bold(source.title)))
        if about:
            lines.append(line(italic(about)))
        lines.append(line(f"「{source.snippet}」"))
        if source.also_reported_by:
            also = message("also_reported", answer.lang)  # type: ignore[arg-type]
            lines.append(
                line(italic(f"{also}: {'; '.join(c.label() for c in source.also_reported_by)}"))
            )
    return lines


def in_script(text: str, script: Script) -> str:
    """Chinese from the index (simplified) shown in the asker's script."""
    return render_in(text, script) if text else text


def joined(items: Sequence[str], script: Script) -> str:
    return ("、" if script != "en" else ", ").join(items)
