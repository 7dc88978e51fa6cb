"""Plain helpers shared by tests/unit and tests/integration: paths, settings, the real
`govqa` command run in a fresh process or in this one, and report files written in each
format the loaders read. Fixtures stay in the conftest files.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import logging
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from govqa.services import Services, build_services
from govqa.settings import Settings, load_settings
from ingest.loaders import RawDocument, load_file
from ingest.pipeline import Ingestor, find_files
from ingest.types import IngestSummary

if TYPE_CHECKING:
    from PIL import Image

    from retrieval.embeddings import LoadedEmbeddings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
SHARED = ROOT.parent / "shared"
DEV_SET = SHARED / "eval" / "dev.jsonl"
# The bot token of the tests (the fake Bot API accepts it; no log may show it).
TOKEN = "424242:AAH-fakeTokenForTests_9f8e7d6c5b4a39281716"


def make_settings(data_dir: Path, **sections: dict[str, object]) -> Settings:
    """Settings for a test: environment defaults, no .env file, this data dir, and the
    fields of ``sections`` (e.g. ``llm={"mode": "openai"}``)."""
    store = {"data_dir": data_dir, **sections.pop("store", {})}
    return load_settings(env_file=None, store=store, **sections)


def ingest(services: Services, *paths: Path, prune: bool = False) -> IngestSummary:
    return Ingestor(services.store, services.embeddings, max_bytes=20 * 1024 * 1024).run(
        find_files(paths), prune_roots=paths if prune else ()
    )


# Services fresh_services built, closed after each test by a fixture of
# tests/integration/conftest.py (close_fresh_services).
OPENED: list[Services] = []


def fresh_services(data_dir: Path, seeded: Services) -> Services:
    """Services over an empty store in ``data_dir`` that reuse the loaded model (closed
    after the test that built them)."""
    services = build_services(make_settings(data_dir), embeddings=seeded.embeddings)
    OPENED.append(services)
    return services


def report_rows(data_dir: Path) -> int:
    """Report rows in a data dir's catalogue, read from outside a running ingest (0
    while it is not there yet or locked)."""
    try:
        with sqlite3.connect(data_dir / "govqa.sqlite3", timeout=1) as db:
            return int(db.execute("SELECT COUNT(*) FROM reports").fetchone()[0])
    except sqlite3.Error:
        return 0


def seed_variants(folder: Path, copies: int, tag: str = "") -> int:
    """Seeds and variants of them in ``folder`` (each a distinct report, named
    ``<tag>NN-<seed>``); returns how many chunks they make."""
    from ingest.pipeline import build_report, make_chunks

    folder.mkdir(parents=True)
    expected = 0
    for n in range(copies):
        for seed in SEED_FILES:
            path = folder / f"{tag}{n:02d}-{seed.name}"
            path.write_text(seed.read_text(encoding="utf-8") + f"\n第{n}份副本{tag}。", "utf-8")
            (raw,) = list(load_file(path))
            report = build_report(raw, doc_id=path.name, file=path.name, source=str(path))
            expected += len(make_chunks(report))
    return expected


def run_cli(
    *args: str, data_dir: Path, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `govqa` command in a fresh process."""
    env = {
        **os.environ,
        "GOVQA_DATA_DIR": str(data_dir),
        "GOVQA_LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "govqa", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )


@functools.cache
def shared_embeddings() -> LoadedEmbeddings:
    """The embedding model of the default settings, loaded once per test process (each
    pytest-xdist worker loads its own): the seeded store's, and every in-process command's."""
    from govqa.backends import embedding_config
    from retrieval.embeddings import make_embeddings

    return make_embeddings(embedding_config(load_settings(env_file=None).embedding))


def invoke_cli(
    *args: str,
    data_dir: Path,
    stdin: str | bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real `govqa` command in this process, as :func:`run_cli` runs it in a fresh
    one: the same environment (``GOVQA_DATA_DIR``, ``GOVQA_LOG_LEVEL=WARNING``, ``env``),
    working directory, standard input, exit code and output, logging included.

    Only the embedding model is not loaded again: the command's Services share
    :func:`shared_embeddings` when its settings name that model. They are closed when it
    ends (Chroma released), so the next command reads the data dir afresh as a new process
    would (unless the test itself holds a Chroma client of that data dir open: then they
    share it, as two clients in one process do). Keep :func:`run_cli` where the process is
    the point: signals, a terminal, settings and .env read at start-up, several writers,
    memory measured.
    """
    from govqa.backends import embedding_config
    from govqa.cli import main

    made: list[Services] = []

    def make_services(settings: Settings, progress: Callable[[str], None]) -> Services:
        model = shared_embeddings()
        same = embedding_config(settings.embedding).encoder_id == model.encoder_id
        built = build_services(settings, progress=progress, embeddings=model if same else None)
        made.append(built)
        return built

    environment = {"GOVQA_DATA_DIR": str(data_dir), "GOVQA_LOG_LEVEL": "WARNING", **(env or {})}
    with _isolated(environment, stdin) as output:
        try:
            main(list(args), make_services=make_services)
            raise AssertionError("govqa.cli.main returned instead of exiting")
        except SystemExit as e:
            code = e.code
        finally:
            for built in made:
                built.close()
    # click exits with a number; as Python's own exit does, None is 0 and a message is 1
    if code is not None and not isinstance(code, int):
        output.stderr += f"{code}\n"
    returncode = code if isinstance(code, int) else (0 if code is None else 1)
    return subprocess.CompletedProcess(["govqa", *args], returncode, output.stdout, output.stderr)


class _Output:
    stdout = ""
    stderr = ""


@contextlib.contextmanager
def _isolated(environment: dict[str, str], stdin: str | bytes | None) -> Iterator[_Output]:
    """Standard streams as pipes would be (UTF-8; standard input ``stdin`` or empty),
    ``environment`` over os.environ, the working directory ROOT, and the root logger
    without handlers so that the command's own ``logging.basicConfig`` writes to its
    standard error; all put back afterwards, when ``_Output`` holds what was written."""
    output = _Output()
    out, err = io.BytesIO(), io.BytesIO()
    streams = sys.stdin, sys.stdout, sys.stderr
    saved = {name: os.environ.get(name) for name in environment}
    cwd = os.getcwd()
    root, httpx = logging.getLogger(), logging.getLogger("httpx")
    handlers, levels = root.handlers[:], (root.level, httpx.level)
    data = stdin.encode() if isinstance(stdin, str) else stdin or b""
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace")
    os.environ.update(environment)
    os.chdir(ROOT)
    root.handlers = []
    try:
        yield output
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        output.stdout, output.stderr = out.getvalue().decode(), err.getvalue().decode()
        for handler in root.handlers:  # the command's own, on the stream just read
            handler.close()
        root.handlers = handlers
        root.setLevel(levels[0])
        httpx.setLevel(levels[1])
        os.chdir(cwd)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        sys.stdin, sys.stdout, sys.stderr = streams


def start_cli(
    *args: str, data_dir: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """Start the real `govqa` command in a fresh process (stdout and stderr piped)."""
    return subprocess.Popen(
        [sys.executable, "-m", "govqa", *args],
        cwd=ROOT,
        env={
            **os.environ,
            "GOVQA_DATA_DIR": str(data_dir),
            "GOVQA_LOG_LEVEL": "WARNING",
            **(env or {}),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def last_json(stdout: str) -> dict[str, object]:
    return json.loads(stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# --- report files in each format, for the loader tests -------------------------------------

# The seeds carry converter noise like "開(kāi)": pinyin in brackets, not encodable in Big5.
PINYIN_NOTE = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def seed_text(index: int = 0) -> str:
    return SEED_FILES[index].read_text(encoding="utf-8")


def squeeze(text: str) -> str:
    return "".join(text.split())


def load_one(path: Path, **kwargs: object) -> RawDocument:
    docs = list(load_file(path, **kwargs))  # type: ignore[arg-type]
    assert len(docs) == 1
    return docs[0]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def big5_paragraphs() -> list[str]:
    """Seed paragraphs (pinyin notes removed) that encode strictly in Big5."""
    paragraphs = []
    for seed in SEED_FILES:
        for line in PINYIN_NOTE.sub("", seed.read_text(encoding="utf-8")).split("\n"):
            try:
                line.encode("big5")
            except UnicodeEncodeError:
                continue
            if line.strip():
                paragraphs.append(line)
    return paragraphs


NAV = "首頁導航欄目"
SCRIPT = "廣告腳本內容"
FOOTER = "版權所有網站頁腳信息"


def html_page(body: str, head: str = "", charset: str = "utf-8") -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>濟源網</title>{head}</head>
<body>
<nav><ul><li><a href="/">{NAV}</a></li><li><a href="/news">新聞中心頻道</a></li></ul></nav>
<script>var tracking = "{SCRIPT}";</script>
{body}
<footer><p>{FOOTER} 備案號12345</p></footer>
</body></html>"""


def make_pdf(path: Path, text: str) -> None:
    """Chinese text with reportlab's built-in CID font (no font file needed)."""
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    y = 800
    pdf.setFont("STSong-Light", 11)
    for line in text.split("\n"):
        for start in range(0, len(line), 38):
            pdf.drawString(40, y, line[start : start + 38])
            y -= 16
            if y < 40:
                pdf.showPage()
                pdf.setFont("STSong-Light", 11)
                y = 800
    pdf.save()


def render_page(text: str, *, width: int = 1240, size: int = 30) -> Image.Image:
    """``text`` drawn as a scanned page would show it (WenQuanYi Micro Hei, from the
    paperang-p2-fonts-cjk package): black on white, paragraphs indented, lines wrapped."""
    import importlib.resources

    from PIL import Image, ImageDraw, ImageFont

    font_file = importlib.resources.files("paperang_p2_fonts_cjk") / "fonts/wqy-microhei.ttc"
    font = ImageFont.truetype(str(font_file), size)
    per_line = (width - 160) // size
    rows: list[tuple[int, str]] = []
    for paragraph in text.split("\n"):
        paragraph = "\u3000\u3000" + paragraph  # an indented first line
        rows += [(n, paragraph[i : i + per_line]) for n, i in
                 enumerate(range(0, len(paragraph), per_line))]  # fmt: skip
    page = Image.new("RGB", (width, 120 + len(rows) * size * 3 // 2), "white")
    draw = ImageDraw.Draw(page)
    for row, (_, chunk) in enumerate(rows):
        draw.text((80, 60 + row * size * 3 // 2), chunk, font=font, fill="black")
    return page


def make_mixed_pdf(path: Path, text: str, scanned: Image.Image) -> None:
    """A PDF of two pages: ``text`` as a text layer, then ``scanned`` as a picture only."""
    pytest.importorskip("reportlab")
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 11)
    y = 800
    for line in text.split("\n"):
        for start in range(0, len(line), 38):
            pdf.drawString(40, y, line[start : start + 38])
            y -= 16
    pdf.showPage()
    width, height = scanned.size
    pdf.drawImage(
        ImageReader(scanned), 20, 842 - 20 - height * 555 / width, 555, height * 555 / width
    )
    pdf.showPage()
    pdf.save()
