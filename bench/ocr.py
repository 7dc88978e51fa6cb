"""OCR: character accuracy on rendered pages, dev answers over OCR'd seeds, speed, memory.

    .venv/bin/python -m bench.ocr [--quick] [--out DIR]

Fonts: WenQuanYi Micro Hei from the paperang_p2_fonts_cjk package (always there), and
WenQuanYi Zen Hei and AR PL UMing when installed
(``apt-get install fonts-wqy-zenhei fonts-arphic-uming``); a missing one is skipped with a
note, and the fonts used are printed. Characters a font has no glyph for are counted
(``missing_glyphs_*``): they come out as empty boxes, and OCR cannot read them.

**Pages.** Each seed's text as the index holds it (``build_report(...).index_text``:
cleaned, glosses removed, simplified script) is drawn with Pillow on A4 pages at 150 and
300 dpi: 12 pt characters, 1.5 line spacing, 25 mm margins, each paragraph's first line
indented by two characters, lines wrapped at the text width (closing punctuation may hang
into the margin rather than start a line), more pages when a report is longer than one.
Each page is read three ways: ``clean`` (as drawn), ``rotated`` (turned 1.5°, corners
filled white) and ``jpeg`` (saved as JPEG at quality 60 and decoded again).

**Accuracy** is 1 − CER = 1 − Levenshtein(reference, OCR text) / len(reference), with all
whitespace removed on both sides, by page; a variant's figure pools its pages' edits and
characters. ``read_page`` (ingest/ocr.py) is the function timed and scored: it scales a
page to 2000 pixels on its long side first, so 300 dpi pages are read at about 170 dpi.
Printed: a table of font × dpi × variant, the pooled accuracy at 300 dpi (**target ≥
0.98**) and at 150 dpi (``char_errors_*``: the edits behind them), the lowest pages, and
the characters most often misread (from difflib's alignment of each page: substitutions,
dropped and added characters).

**Speed and memory.** ``engine_load_s``: building the rapidocr engine (what the first
page of a process pays). ``ocr_pages_per_s``: pages ÷ time inside ``read_page``;
``wall_pages_per_s``: pages ÷ the whole pass (drawing, variants, OCR, scoring; not writing
``--out`` files or the PDFs); ``cpu_s_a_page``: this process's CPU time (all threads) over
that pass a page, steadier than wall time when another process competes for the 2 cores.
``peak_rss_ocr_mb``: peak resident memory after the pages (engine and pages, no embedding
model); ``peak_rss_mb``: at the end (embedding model, two indexes).

**Dev questions over OCR'd seeds** (not with ``--quick``): the 300 dpi clean pages of the
first font, saved one image-only PDF a seed (Pillow ``save_all``), named like the seed
(``000_362367a7f1d5f63f.pdf``), are ingested into a new temp index through the real
ingest (pypdf finds no text layer, so every page is drawn by pypdfium2 and read by OCR),
and ../shared/eval/dev.jsonl is run on it as ``govqa eval --strict`` does
(``retrieval.evaluation.run_eval(..., strict=True)``). Correctness does not look at file
names; ``hit@1`` does (a source matches a question's ``docs`` by file name or doc id),
so each question's ``000_….txt`` is mapped to ``000_….pdf`` for it. The same questions
on an index of the seeds' .txt files are the baseline (``dev_correct_txt``).

``--quick``: one font, 150 and 300 dpi, clean pages only, no dev questions (a few minutes
less than the full run's ~10). ``--out DIR`` keeps the page images and the PDFs there
(a new or empty directory outside the repository; by default they go to a temp dir).
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import importlib.resources
import io
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from bench.common import (
    QUESTION_FILES,
    SEEDS,
    TEMP_PREFIX,
    Timer,
    check_outside_repo,
    ingest,
    load_average,
    make_services,
    peak_rss_mb,
    report,
    setup_logging,
)

DEV = QUESTION_FILES[0]
DPIS = (150, 300)
VARIANTS = ("clean", "rotated", "jpeg")
TARGET_300 = 0.98
# A4 in millimetres, margins, type size (points) and line spacing
PAGE_MM = (210.0, 297.0)
MARGIN_MM = 25.0
FONT_PT = 12.0
LINE_SPACING = 1.5
ROTATION = 1.5  # degrees
JPEG_QUALITY = 60
# Closing punctuation never starts a line: it hangs into the right margin instead.
_CLOSING = set("，。、；：！？）》」』”’,.;:!?)%")


def fonts(quick: bool) -> tuple[list[tuple[str, Path]], list[str]]:
    """(name, path) of the fonts to draw with, and a note for each one missing."""
    micro = importlib.resources.files("paperang_p2_fonts_cjk") / "fonts/wqy-microhei.ttc"
    candidates = [
        ("wqy-microhei", Path(str(micro))),
        ("wqy-zenhei", Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")),
        ("arphic-uming", Path("/usr/share/fonts/truetype/arphic/uming.ttc")),
    ]
    used, missing = [], []
    for name, path in candidates[:1] if quick else candidates:
        if path.is_file():
            used.append((name, path))
        else:
            missing.append(f"{name} ({path}) not installed, skipped")
    return used, missing


def seed_texts() -> dict[str, str]:
    """Each seed's cleaned, simplified text (what the index holds), by file stem."""
    from ingest.loaders import load_file
    from ingest.pipeline import build_report

    texts = {}
    for path in sorted(SEEDS.glob("*.txt")):
        raw = next(iter(load_file(path)))
        texts[path.stem] = build_report(
            raw, doc_id=path.stem, file=path.name, source=str(path)
        ).index_text
    return texts


@dataclass
class RenderedPage:
    image: Image.Image
    reference: str  # the characters drawn on it, no whitespace


def render(text: str, font_path: Path, dpi: int) -> list[RenderedPage]:
    """``text`` drawn on as many A4 pages as it needs (greyscale, white background)."""
    px = dpi / 25.4
    width, height = round(PAGE_MM[0] * px), round(PAGE_MM[1] * px)
    margin = round(MARGIN_MM * px)
    size = round(FONT_PT / 72 * dpi)
    font = ImageFont.truetype(str(font_path), size, index=0)
    line_height = round(size * LINE_SPACING)
    right = width - margin

    lines: list[tuple[int, str]] = []  # (x, text)
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        x0 = margin + 2 * size  # first line indented by two characters
        current, x = "", x0
        for ch in paragraph:
            w = font.getlength(ch)
            if current and x + w > right and ch not in _CLOSING:
                lines.append((x0, current))
                x0 = margin
                current, x = "", x0
            current += ch
            x += w
        if current:
            lines.append((x0, current))

    pages: list[RenderedPage] = []
    per_page = (height - 2 * margin) // line_height
    for start in range(0, len(lines), per_page):
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        chunk = lines[start : start + per_page]
        for n, (x, line) in enumerate(chunk):
            draw.text((x, margin + n * line_height), line, font=font, fill=0)
        reference = "".join("".join(line.split()) for _, line in chunk)
        pages.append(RenderedPage(image, reference))
    return pages


def variant(image: Image.Image, kind: str) -> tuple[Image.Image, bytes | None]:
    """The page as read: clean, rotated or JPEG-compressed (with its JPEG bytes)."""
    if kind == "clean":
        return image, None
    if kind == "rotated":
        rotated = image.rotate(ROTATION, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        return rotated, None
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    data = buffer.getvalue()
    return Image.open(io.BytesIO(data)), data


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions), bit-parallel (Myers/Hyyrö):
    one pass over ``b`` with ``a`` as bits of a Python integer, so O(len(b)) big-integer
    steps instead of len(a)·len(b) cells."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    mask = (1 << len(a)) - 1
    high = 1 << (len(a) - 1)
    peq: dict[str, int] = {}
    for i, ch in enumerate(a):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    pv, mv, score = mask, 0, len(a)
    for ch in b:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & mask
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv
    return score


def confusions(reference: str, read: str, counts: Counter[str]) -> None:
    """Add the page's misreadings to ``counts``: "甲→乙", "甲→∅" (dropped), "∅→乙" (added)."""
    matcher = difflib.SequenceMatcher(None, reference, read, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        ref, got = reference[i1:i2], read[j1:j2]
        if op == "replace" and len(ref) == len(got):
            counts.update(f"{r}→{g}" for r, g in zip(ref, got, strict=True))
        else:
            counts[f"{ref or '∅'}→{got or '∅'}"] += 1


@dataclass
class Score:
    edits: int = 0
    chars: int = 0
    pages: int = 0

    def add(self, edits: int, chars: int) -> None:
        self.edits += edits
        self.chars += chars
        self.pages += 1

    @property
    def accuracy(self) -> float:
        return 1 - self.edits / self.chars if self.chars else 0.0


@dataclass
class Pass:
    """Everything the accuracy pass measured."""

    by_combo: dict[tuple[str, int, str], Score] = dataclasses.field(default_factory=dict)
    pages: list[tuple[float, str]] = dataclasses.field(default_factory=list)  # (acc, label)
    confusions: Counter[str] = dataclasses.field(default_factory=Counter)
    ocr_seconds: dict[int, float] = dataclasses.field(default_factory=dict)
    ocr_cpu_seconds: float = 0.0
    wall_seconds: float = 0.0
    missing_glyphs: dict[str, str] = dataclasses.field(default_factory=dict)


def missing_glyphs(font_path: Path, chars: set[str]) -> str:
    """The characters of ``chars`` the font draws as its .notdef box (no glyph)."""
    font = ImageFont.truetype(str(font_path), 32, index=0)
    notdef = _mask(font, "\U0010fffd")
    return "".join(sorted(ch for ch in chars if not ch.isspace() and _mask(font, ch) == notdef))


def _mask(font: ImageFont.FreeTypeFont, ch: str) -> tuple[Any, bytes]:
    mask = font.getmask(ch)
    return mask.size, bytes(mask)


def accuracy_pass(
    texts: dict[str, str],
    font_list: list[tuple[str, Path]],
    variants: tuple[str, ...],
    out: Path | None,
    pdf_dir: Path | None,
) -> Pass:
    from ingest.ocr import read_page

    result = Pass()
    all_chars = set("".join(texts.values()))
    started = time.perf_counter()
    writing = 0.0
    cpu_start = time.process_time()
    for font_name, font_path in font_list:
        result.missing_glyphs[font_name] = missing_glyphs(font_path, all_chars)
        for dpi in DPIS:
            result.ocr_seconds.setdefault(dpi, 0.0)
            for stem, text in texts.items():
                pages = render(text, font_path, dpi)
                if pdf_dir is not None and font_name == font_list[0][0] and dpi == 300:
                    mark = time.perf_counter()
                    first, *rest = [p.image for p in pages]
                    first.save(pdf_dir / f"{stem}.pdf", "PDF", resolution=dpi,
                               save_all=True, append_images=rest)  # fmt: skip
                    writing += time.perf_counter() - mark
                for number, page in enumerate(pages, 1):
                    for kind in variants:
                        image, data = variant(page.image, kind)
                        if out is not None:
                            mark = time.perf_counter()
                            name = f"{font_name}_{dpi}_{kind}_{stem}_p{number}"
                            if data is not None:
                                (out / f"{name}.jpg").write_bytes(data)
                            else:
                                image.save(out / f"{name}.png")
                            writing += time.perf_counter() - mark
                        mark = time.perf_counter()
                        read = "".join(read_page(image).text.split())
                        result.ocr_seconds[dpi] += time.perf_counter() - mark
                        edits = levenshtein(page.reference, read)
                        result.by_combo.setdefault((font_name, dpi, kind), Score()).add(
                            edits, len(page.reference)
                        )
                        accuracy = 1 - edits / len(page.reference) if page.reference else 0.0
                        label = f"{font_name} {dpi} {kind} {stem} p{number}"
                        result.pages.append((accuracy, label))
                        confusions(page.reference, read, result.confusions)
    result.wall_seconds = time.perf_counter() - started - writing
    result.ocr_cpu_seconds = time.process_time() - cpu_start
    return result


def dev_eval(pdf_dir: Path, work: Path) -> dict[str, Any]:
    """Dev questions, strict, on an index of the OCR'd PDFs and on one of the .txt seeds."""
    from retrieval.evaluation import load_items, run_eval

    items = load_items(DEV)
    as_pdf = [
        dataclasses.replace(i, docs=tuple(d.removesuffix(".txt") + ".pdf" for d in i.docs))
        for i in items
    ]
    figures: dict[str, Any] = {}
    services = make_services(work / "ocr-index")
    with Timer() as t:
        summary = ingest(services, [pdf_dir])
    figures["dev_pdf_ingest_s"] = round(t.seconds, 1)
    figures["dev_pdf_reports"] = summary.added
    figures["dev_pdf_ocr_warnings"] = len(summary.warnings)
    ocr = run_eval(as_pdf, services.chain.invoke, k=5, strict=True)
    counts = ocr.summary()
    figures["dev_correct_ocr"] = f"{counts['correct']}/{counts['questions']}"
    figures["dev_hit@1_ocr"] = counts["hit@1"]
    figures["dev_misses_ocr"] = [
        {
            "id": r.item.id,
            "expected": list(r.item.answers),
            "got": r.answer.short_answer or (r.answer.answer.splitlines() or [""])[0][:60],
        }
        for r in ocr.results
        if not r.correct
    ]

    txt = make_services(work / "txt-index", embeddings=services.embeddings)
    ingest(txt, [SEEDS])
    baseline = run_eval(items, txt.chain.invoke, k=5, strict=True).summary()
    figures["dev_correct_txt"] = f"{baseline['correct']}/{baseline['questions']}"
    figures["dev_hit@1_txt"] = baseline["hit@1"]
    return figures


def print_table(result: Pass) -> None:
    print(f"{'font':<14} {'dpi':>4} {'variant':<8} {'pages':>5} {'chars':>6} {'accuracy':>8}")
    for (font_name, dpi, kind), score in result.by_combo.items():
        print(f"{font_name:<14} {dpi:>4} {kind:<8} {score.pages:>5} {score.chars:>6} "
              f"{score.accuracy:>8.4f}")  # fmt: skip
    print()


def pooled(result: Pass, **where: Any) -> float:
    total = Score()
    for (font_name, dpi, kind), score in result.by_combo.items():
        key = {"font": font_name, "dpi": dpi, "variant": kind}
        if all(key[k] == v for k, v in where.items()):
            total.edits += score.edits
            total.chars += score.chars
    return round(total.accuracy, 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="one font, clean pages only, no dev questions"
    )
    parser.add_argument("--out", type=Path, default=None, help="keep the images and PDFs here")
    args = parser.parse_args()
    setup_logging()

    font_list, notes = fonts(args.quick)
    for note in notes:
        print(f"note: {note}")
    variants = ("clean",) if args.quick else VARIANTS
    texts = seed_texts()
    load_before = load_average()
    figures: dict[str, Any] = {"fonts": [name for name, _ in font_list], "dpis": list(DPIS),
                               "variants": list(variants)}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX) as tmp:
        work = Path(tmp)
        out = None
        if args.out is not None:
            out = check_outside_repo(args.out)
            out.mkdir(parents=True, exist_ok=True)
            if any(out.iterdir()):
                raise SystemExit(f"--out needs a new or empty directory: {out}")
        pdf_dir = None
        if not args.quick:
            pdf_dir = (out or work) / "pdf"
            pdf_dir.mkdir()

        from ingest import ocr

        with Timer() as load:
            ocr._get_engine()  # what the first read_page of a process pays
        figures["engine_load_s"] = round(load.seconds, 2)

        result = accuracy_pass(texts, font_list, variants, out, pdf_dir)
        print_table(result)

        pages = sum(s.pages for s in result.by_combo.values())
        figures["pages_read"] = pages
        figures["reference_chars"] = sum(s.chars for s in result.by_combo.values())
        for dpi in DPIS:
            figures[f"accuracy_{dpi}dpi"] = pooled(result, dpi=dpi)
            figures[f"char_errors_{dpi}dpi"] = sum(
                s.edits for (_, d, _), s in result.by_combo.items() if d == dpi
            )
        figures["accuracy_all"] = pooled(result)
        for kind in variants:
            figures[f"accuracy_{kind}"] = pooled(result, variant=kind)
        figures["accuracy_300dpi_target"] = TARGET_300
        figures["lowest_pages"] = [f"{label}: {acc:.3f}" for acc, label in sorted(result.pages)[:8]]
        figures["top_misreadings"] = [
            f"{pair} ×{n}" for pair, n in result.confusions.most_common(25)
        ]
        figures["missing_glyphs"] = {k: v for k, v in result.missing_glyphs.items() if v}
        ocr_total = sum(result.ocr_seconds.values())
        figures["ocr_pages_per_s"] = round(pages / ocr_total, 3)
        for dpi in DPIS:
            n = sum(s.pages for (_, d, _), s in result.by_combo.items() if d == dpi)
            figures[f"ocr_s_a_page_{dpi}dpi"] = round(result.ocr_seconds[dpi] / n, 2)
        figures["wall_pages_per_s"] = round(pages / result.wall_seconds, 3)
        figures["cpu_s_a_page"] = round(result.ocr_cpu_seconds / pages, 2)
        figures["peak_rss_ocr_mb"] = round(peak_rss_mb(), 1)

        if pdf_dir is not None:
            figures.update(dev_eval(pdf_dir, work))
            figures["dev_target"] = "20/20"
        figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
        if out is not None:
            figures["out"] = str(out)
    figures["load_average_before_after"] = [load_before, load_average()]
    report("ocr", figures)


if __name__ == "__main__":
    main()
