"""HTML pages (ingest/loaders/html.py): the article without the page's furniture, its
metadata, a declared charset, nesting deeper than the parser reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import LoadError, load_file
from tests.helpers import FOOTER, NAV, SCRIPT, html_page, load_one, seed_text, squeeze, write


@pytest.mark.parametrize("container", ["article", "div"])
def test_html_article_text(tmp_path: Path, container: str) -> None:
    paragraphs = seed_text(0).split("\n")
    body = (
        f'<{container} class="content"><h1>{paragraphs[0]}</h1>'
        + "".join(f"<p>{p}</p>" for p in paragraphs[1:])
        + f"</{container}>"
    )
    head = (
        '<meta property="article:published_time" content="2024-12-25T08:00:00+08:00">'
        '<meta property="og:title" content="莊建球主持召開示范區黨工委專題會議">'
        '<link rel="canonical" href="https://example.org/news/1.html">'
    )
    doc = load_one(write(tmp_path, "page.html", html_page(body, head).encode("utf-8")))
    for forbidden in (NAV, SCRIPT, FOOTER, "tracking"):
        assert forbidden not in doc.text
    assert squeeze(doc.text) == squeeze("\n".join(paragraphs))
    assert doc.title == "莊建球主持召開示范區黨工委專題會議"
    assert doc.date == "2024-12-25"
    assert doc.url == "https://example.org/news/1.html"


def test_html_declared_gb2312_charset(tmp_path: Path) -> None:
    paragraphs = seed_text(1).split("\n")
    body = "<div>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>"
    data = html_page(body, charset="gb2312").encode("gb18030")
    doc = load_one(write(tmp_path, "page.HTM", data))
    assert squeeze(doc.text) == squeeze("\n".join(paragraphs))


@pytest.mark.parametrize("levels", [300, 5000])
@pytest.mark.parametrize("closed", [True, False])
def test_deeply_nested_html_is_read(tmp_path: Path, levels: int, closed: bool) -> None:
    paragraphs = seed_text(0).split("\n")
    article = "".join(f"<p>{p}</p>" for p in paragraphs)
    body = "<div>" * levels + article + ("</div>" * levels if closed else "")
    doc = load_one(write(tmp_path, "deep.html", html_page(body).encode("utf-8")))
    assert squeeze(doc.text) == squeeze("\n".join(paragraphs))


def test_html_too_deep_to_read_says_so(tmp_path: Path) -> None:
    # blockquote is not a plain wrapper: it is kept, so the article stays out of reach
    article = "".join(f"<p>{p}</p>" for p in seed_text(0).split("\n"))
    body = "<blockquote>" * 3000 + article + "</blockquote>" * 3000
    with pytest.raises(
        LoadError,
        match=r"^HTML page has no article text \(it nests 3,00\d levels deep, the parser reads "
        r"255\)$",
    ):
        load_file(write(tmp_path, "deep.html", html_page(body).encode("utf-8")))
