"""HTML pages (.html, .htm): the article's text and metadata as trafilatura picks them out,
decoded by the declared charset; a page nested deeper than lxml reads is flattened first."""

from __future__ import annotations

import codecs
import re

from ingest.loaders.base import NEWLINES, LoadError, RawDocument, logger, str_or_none
from ingest.loaders.text import read_text_file

_HTML_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Boilerplate containers removed before trafilatura picks the article.
_HTML_PRUNE = ["//nav", "//footer", "//aside", "//header[not(ancestor::article)]"]
# lxml's HTML parser stops reading at 256 levels of nesting (what is deeper is lost). A page
# nested deeper that yields no article is read again without the plain wrappers (div, span
# ...) nested below _HTML_KEEP_DEPTH: their text stays, in order, and tags that mean
# something (nav, footer, table ...) stay too.
_HTML_PARSER_DEPTH = 255
_HTML_KEEP_DEPTH = 100
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_HTML_WRAPPERS = frozenset("div span font center section b i u em strong small big".split())
# Tags that never nest (void) or whose end tag may be left out: not counted as depth.
_HTML_UNNESTED = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd tr td th thead tbody tfoot colgroup caption option optgroup html head body "
    "rb rt rp".split()
)


def _decode_html(data: bytes) -> str:
    """HTML bytes to text: the declared charset if it decodes cleanly, else detection."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        match = _HTML_CHARSET.search(data[:4096])
        if match:
            label = match.group(1).decode("ascii", "replace").lower()
            try:
                encoding = codecs.lookup(label).name
            except LookupError:
                encoding = ""
            # Pages labelled GB2312/GBK routinely use GBK/GB18030 characters; same for Big5.
            encoding = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950"}.get(
                encoding, encoding
            )
            if encoding:
                try:
                    return NEWLINES.sub("\n", data.decode(encoding))
                except UnicodeDecodeError:
                    logger.info("HTML declares %s but does not decode with it", label)
    return read_text_file(data)


def load_html(data: bytes) -> RawDocument:
    html = _decode_html(data)
    result = _extract_html(html)
    text = NEWLINES.sub("\n", getattr(result, "text", None) or "")
    if not text.strip():
        flat, deepest = _flatten_nesting(html)
        if deepest > _HTML_PARSER_DEPTH:
            result = _extract_html(flat)
            text = NEWLINES.sub("\n", getattr(result, "text", None) or "")
            if not text.strip():
                raise LoadError(
                    f"HTML page has no article text (it nests {deepest:,} levels deep, "
                    f"the parser reads {_HTML_PARSER_DEPTH})"
                )
    if not text.strip():
        raise LoadError("HTML page has no article text")
    return RawDocument(
        text=text,
        title=str_or_none(getattr(result, "title", None)),
        date=str_or_none(getattr(result, "date", None)),
        url=str_or_none(getattr(result, "url", None)),
    )


def _extract_html(html: str) -> object:
    """trafilatura's article and metadata (an object with ``text``, ``title`` ...)."""
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            prune_xpath=_HTML_PRUNE,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as e:  # third-party parser on untrusted input
        raise LoadError("cannot parse HTML page") from e


def _flatten_nesting(html: str) -> tuple[str, int]:
    """``html`` without the plain wrappers nested deeper than _HTML_KEEP_DEPTH, and how deep
    its tags nest. Tags only go, never text; an end tag goes with a start tag of its name
    that went. Tags whose end may be left out (p, li, td ...) are not counted, so depth does
    not creep up on a page that leaves them open."""
    depth = deepest = 0
    dropped: dict[str, int] = {}  # start tags dropped and not yet closed, by name
    pieces: list[str] = []
    kept_to = 0
    for tag in _HTML_TAG.finditer(html):
        closing, name, empty = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name in _HTML_UNNESTED or empty:
            continue
        if closing:
            drop = dropped.get(name, 0) > 0
            if drop:
                dropped[name] -= 1
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
            drop = depth > _HTML_KEEP_DEPTH and name in _HTML_WRAPPERS
            if drop:
                dropped[name] = dropped.get(name, 0) + 1
        if drop:
            pieces.append(html[kept_to : tag.start()])
            kept_to = tag.end()
    pieces.append(html[kept_to:])
    return "".join(pieces), deepest
