"""Text from pictures of pages — scans, screenshots, phone photos — by OCR.

rapidocr runs the PP-OCR detection and recognition models that ship inside its wheel on
onnxruntime: no network, no download. The engine is built once a process, on the first
page that needs it (about 1 s), never at import.

A page is read line by line; the lines are put in reading order (columns one after the
other, a full-width title or paragraph between them where it stands), then joined into
paragraphs: a line continues the one before unless a gap or a short line ending a
sentence closes it — so the cleaner and the sentence splitter see the text as a report
writes it, not cut where the page was. Each line's recognition score is kept; a page's
confidence is their mean weighted by characters.

Bounds: a picture over :data:`MAX_PIXELS` is refused before it is decoded, and a page is
scaled down to :data:`MAX_SIDE` pixels on its long side before OCR (which is what bounds
a page's time: 3-5 s on two cores); the loaders bound a file's pages and its total time.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

# A picture larger than this is a bomb or a poster, not a page (A4 at 600 dpi is 35 MP).
MAX_PIXELS = 60_000_000
# The long side a page is read at: A4 at about 170 dpi, which reads 12-point text as
# well as 300 dpi does, in a third of the time.
MAX_SIDE = 2000
# Lines the recogniser scores below this are noise (a stamp, a photo's texture).
MIN_LINE_SCORE = 0.5
# A line wider than this share of the text area spans the columns (a title).
_WIDE = 0.6


@dataclass(frozen=True)
class Line:
    text: str
    score: float
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    """One page read by OCR: its text (paragraphs separated by "\\n") and confidence."""

    text: str
    confidence: float  # 0..1, the lines' scores weighted by their characters
    lines: int
    upright: bool = True  # its short lines start at the left (not upside down)


@dataclass(frozen=True)
class OcrLimits:
    """What OCR may do for one file (GOVQA_OCR, GOVQA_OCR_MAX_PAGES …)."""

    enabled: bool = True
    max_pages: int = 30  # pages read by OCR; the rest are listed as left out
    min_confidence: float = 0.6  # a page below is left out, not indexed as noise
    seconds: float = 300.0  # a file's OCR time; pages after it are left out


@dataclass(frozen=True)
class OcrSummary:
    """What OCR did for one file: its pages' confidence and what it left out."""

    pages: int  # pages whose OCR text is in the report
    confidence: float  # theirs, weighted by characters
    warnings: tuple[str, ...] = ()


@dataclass
class OcrRun:
    """Reads a file's pages that need OCR, within its :class:`OcrLimits`; each page left
    out (below the confidence floor, over the page cap or the time budget) is a warning."""

    limits: OcrLimits
    on_page: Callable[[int], None] = lambda number: None
    warnings: list[str] = field(default_factory=list)
    _read: list[Page] = field(default_factory=list)
    _attempted: int = 0
    _deadline: float | None = None

    def page(self, number: int, render: Callable[[], Image.Image]) -> str | None:
        """The text of page ``number`` (``render`` draws it), or None when it is left out."""
        if self._deadline is None:
            self._deadline = time.monotonic() + self.limits.seconds
        if self._attempted >= self.limits.max_pages:
            self.warnings.append(f"page {number}: not read, over GOVQA_OCR_MAX_PAGES "
                                 f"({self.limits.max_pages} pages)")  # fmt: skip
            return None
        if time.monotonic() > self._deadline:
            self.warnings.append(f"page {number}: not read, over the OCR time budget "
                                 f"({self.limits.seconds:g} s, GOVQA_OCR_SECONDS)")  # fmt: skip
            return None
        self._attempted += 1
        self.on_page(number)
        try:
            page = read_page(render())
        except Exception as e:  # an untrusted picture: its failure is that page's
            self.warnings.append(f"page {number}: cannot be read by OCR ({e})")
            return None
        if not page.text:
            self.warnings.append(f"page {number}: no text found by OCR")
            return None
        if page.confidence < self.limits.min_confidence:
            self.warnings.append(f"page {number}: OCR confidence {page.confidence:.2f} is under "
                                 f"{self.limits.min_confidence:g}, not indexed")  # fmt: skip
            return None
        self._read.append(page)
        return page.text

    def summary(self) -> OcrSummary | None:
        """None when no page was read by OCR."""
        if not self._read and not self.warnings:
            return None
        chars = sum(len(p.text) for p in self._read)
        confidence = sum(p.confidence * len(p.text) for p in self._read) / chars if chars else 0.0
        return OcrSummary(len(self._read), round(confidence, 3), tuple(self.warnings))


_engine: Any = None
_engine_lock = threading.Lock()


def _get_engine() -> Any:
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr import RapidOCR

            _engine = RapidOCR(params={"Global.log_level": "error"})
        return _engine


def read_page(image: Image.Image) -> Page:
    """The text of one page, turned upright: a page whose lines stand taller than wide
    (turned 90°) is read again turned both ways, one read poorly (most lines dropped or
    a confidence under 0.85: upside down?) turned 180°; the best reading is kept."""
    image = image.convert("RGB")
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    page, tall, kept = _read(image)
    if page.lines and not tall and kept >= 0.5 and page.confidence >= 0.85:
        return page
    if not page.lines and not tall:
        return page  # nothing found: no turn finds more
    # Lines standing tall were read turned (the recogniser turns a tall crop itself) and
    # in the order of their tops: only a page turned upright reads in order.
    readings = [] if tall else [page]
    readings += [_read(image.rotate(a, expand=True))[0] for a in ((90, 270) if tall else (180,))]
    # Upside down, the recogniser may still read each line, but the page's short lines
    # (a paragraph's last) then end at the right: the reading they start at the left wins.
    return max(readings, key=lambda r: (r.upright, r.confidence * len(r.text)))


def _read(image: Image.Image) -> tuple[Page, bool, float]:
    """The page as it lies, whether most lines found stand taller than wide, and the
    share of them recognised well enough to keep."""
    # The line classifier (0° or 180°) is off: it turned upright long lines upside down
    # and cost 7 % of a 300 dpi page's characters in our measurements (bench.ocr).
    result = _get_engine()(image, use_cls=False)
    lines = []
    found = tall = 0
    for box, text, score in zip(
        result.boxes if result.txts else [], result.txts or (), result.scores or (), strict=True
    ):
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        found += 1
        tall += max(ys) - min(ys) > 1.5 * (max(xs) - min(xs))
        text = text.strip()
        if text and score >= MIN_LINE_SCORE:
            lines.append(Line(text, float(score), min(xs), min(ys), max(xs), max(ys)))
    ordered = reading_order(lines)
    chars = sum(len(line.text) for line in ordered)
    confidence = sum(line.score * len(line.text) for line in ordered) / chars if chars else 0.0
    page = Page(join_lines(ordered), confidence, len(ordered), _starts_left(ordered))
    return page, found > 0 and tall > found / 2, len(lines) / found if found else 0.0


def _starts_left(lines: list[Line]) -> bool:
    """Whether the page's short lines start at the left edge rather than end at the right
    one, as a paragraph's last line does on an upright page."""
    if not lines:
        return True
    left, right = min(x.x0 for x in lines), max(x.x1 for x in lines)
    width = right - left
    short = [x for x in lines if x.x1 - x.x0 < 0.8 * width]
    at_left = sum(1 for x in short if x.x0 - left < 0.05 * width)
    at_right = sum(1 for x in short if right - x.x1 < 0.05 * width)
    return at_left >= at_right


def reading_order(lines: list[Line]) -> list[Line]:
    """Lines as a reader takes them: a page cut into bands by full-width lines, each band
    read column by column (columns found as empty vertical strips, gutters, at least 1.5
    line heights wide), top to bottom within a column."""
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    width = max(max(line.x1 for line in lines) - left, 1.0)
    heights = sorted(line.y1 - line.y0 for line in lines)
    height = heights[len(heights) // 2]
    wide = [line.x1 - line.x0 > _WIDE * width for line in lines]
    # x coverage of the narrow lines, in steps of a quarter line height
    step = max(height / 4, 1.0)
    covered = [False] * (int(width / step) + 2)
    for line, is_wide in zip(lines, wide, strict=True):
        if not is_wide:
            for i in range(int((line.x0 - left) / step), int((line.x1 - left) / step) + 1):
                covered[i] = True
    gutters = []
    run = None
    for i, filled in enumerate(covered):
        if not filled and run is None:
            run = i
        elif filled and run is not None:
            if (i - run) * step >= 1.5 * height:
                gutters.append(left + (run + i) / 2 * step)
            run = None

    def column(line: Line) -> int:
        middle = (line.x0 + line.x1) / 2
        return sum(1 for g in gutters if g < middle)

    ordered: list[Line] = []
    band: list[Line] = []
    for line, is_wide in sorted(zip(lines, wide, strict=True), key=lambda p: (p[0].y0, p[0].x0)):
        if is_wide:
            ordered.extend(sorted(band, key=lambda x: (column(x), x.y0, x.x0)))
            band = []
            ordered.append(line)
        else:
            band.append(line)
    ordered.extend(sorted(band, key=lambda x: (column(x), x.y0, x.x0)))
    return ordered


_SENTENCE_END = tuple("。！？!?；;：:”")
_LATIN = re.compile(r"[A-Za-z]")
_PUNCTUATION = re.compile(r"[。，、；：！？,.;:!?”’）)o°·]{1,3}")


def join_lines(lines: list[Line]) -> str:
    """Lines in reading order joined into paragraphs. A line goes on the one before
    unless a blank line lies between them, the type changes size (a headline), the one
    before stops short of its column's right edge and ends a sentence or is a title (far
    shorter than the column, or set in; not the end of a column mid-sentence), or it ends
    a sentence and the line is indented or starts another column; a line of punctuation
    alone (a wrapped 。) always goes on."""
    if not lines:
        return ""
    paragraphs: list[str] = [lines[0].text]
    for before, line in zip(lines, lines[1:], strict=False):
        height = max(before.y1 - before.y0, 1.0)
        # its column: the lines beside it, above or below (a centred title's is the text's)
        column = [x for x in lines if x.x0 < before.x1 and x.x1 > before.x0]
        left, right = min(x.x0 for x in column), max(x.x1 for x in column)
        short = before.x1 < right - height * 1.5
        # a title: far shorter than its column, or set in from its left edge (a line of
        # ragged text, or one wrapped before a long number, is only a little short)
        titled = before.x1 - before.x0 < 0.7 * (right - left) or before.x0 > left + height
        indented = line.x0 > left + height
        new_column = line.y1 < before.y0
        blank = line.y1 - before.y1 > 2.2 * height
        # (a box of two or three characters is no measure of type: "议。" stands taller)
        resized = (
            min(len(line.text), len(before.text)) > 3
            and abs((line.y1 - line.y0) - height) > 0.4 * height
        )
        ends = before.text.endswith(_SENTENCE_END)
        if _PUNCTUATION.fullmatch(line.text) or (len(line.text) <= 3 and not ends and not blank):
            # a wrapped 。, or the end of a sentence wrapped alone ("议。")
            paragraphs[-1] += line.text
        elif (
            blank
            or resized
            or (short and (ends or (titled and not new_column)))
            or (ends and (indented or new_column))
        ):
            paragraphs.append(line.text)
        else:
            latin = _LATIN.match(before.text[-1]) and _LATIN.match(line.text[0])
            paragraphs[-1] += (" " if latin else "") + line.text
    return "\n".join(paragraphs)
