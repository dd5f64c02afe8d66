"""The briefing as a reader sees it: rendered to HTML by Python-Markdown, nothing of the
Markdown or of a post's HTML shows through, tables are whole, linked charts exist."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from tests.fixtures.corpus import HOSTILE_NEGATIVE, HOSTILE_QUOTE
from tests.fixtures.markdown import table_cells
from tests.reports.conftest import run

# The tags Markdown itself writes for a briefing; anything else came from a post.
MARKDOWN_TAGS = {"h1", "h2", "h3", "p", "br", "table", "thead", "tbody", "tr", "th", "td",
                 "img", "em", "strong", "ul", "ol", "li", "hr"}
# Markdown that should have become HTML, or an escape the renderer did not undo. A post's own
# text may hold "[x](y)" or backticks: those must show as written (checked below).
LEAKS = [("backslash escape", re.compile(r"\\[\\`*_{}\[\]()#+\-.!|$~=<>]")),
         ("character reference", re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I)),
         ("table row", re.compile(r"^\s*\|.*\|\s*$")), ("heading", re.compile(r"^#{1,6} ")),
         ("tag", re.compile(r"<[a-zA-Z/!]"))]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.images: list[str] = []
        self.rows: list[list[str]] = []  # per table: one tag name per cell of each row
        self.tables: list[list[int]] = []
        self._cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs += attrs
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._cells = 0
        elif tag in ("td", "th"):
            self._cells += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.tables[-1].append(self._cells)

    def handle_data(self, data: str) -> None:
        self.text.append(data)



def _read(text: str) -> _Reader:
    reader = _Reader()
    reader.feed(markdown.markdown(text, extensions=["tables"], output_format="html"))
    reader.close()
    return reader


@pytest.fixture(scope="module")
def briefings(corpus: Path) -> list[Path]:
    """The weekly and daily briefings of the fixture corpus (seeds, hostile posts included)."""
    out = []
    for freq in ("W", "D"):
        path = corpus / "reader" / f"briefing-{freq}.md"
        path.parent.mkdir(exist_ok=True)
        code, _, err = run(corpus, "report", "--format", "md", "--freq", freq, "--charts",
                           str(corpus / "reader" / "charts"), "--out", str(path))
        assert code == 0, err
        out.append(path)
    return out


@pytest.mark.parametrize("which", [0, 1], ids=["weekly", "daily"])
def test_no_markdown_or_html_leaks(briefings: list[Path], which: int) -> None:
    reader = _read(briefings[which].read_text("utf-8"))
    assert reader.tags <= MARKDOWN_TAGS, reader.tags - MARKDOWN_TAGS
    assert not [v for _, v in reader.attrs if v and "javascript:" in v.lower()]
    leaks = [(name, line) for chunk in reader.text for line in chunk.splitlines()
             for name, pattern in LEAKS if pattern.search(line)]
    assert leaks == [], "\n".join(f"{n}: {t}" for n, t in leaks)


@pytest.mark.parametrize("which", [0, 1], ids=["weekly", "daily"])
def test_every_table_row_has_the_header_s_cells(briefings: list[Path], which: int) -> None:
    text = briefings[which].read_text("utf-8")
    tables: list[list[int]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(table_cells(line))
        previous = line
    assert tables and all(len(set(rows)) == 1 for rows in tables), tables
    # The HTML has as many tables, each as wide as its Markdown.
    html_tables = _read(text).tables
    assert [sorted(set(t)) for t in html_tables] == [[rows[0]] for rows in tables]


@pytest.mark.parametrize("which", [0, 1], ids=["weekly", "daily"])
def test_every_linked_chart_exists(briefings: list[Path], which: int) -> None:
    path = briefings[which]
    images = _read(path.read_text("utf-8")).images
    assert images, "the briefing links its charts"
    for src in images:
        chart = path.parent / src
        assert chart.is_file() and chart.read_bytes().startswith(b"\x89PNG"), src


def test_hostile_quotes_read_as_written(briefings: list[Path]) -> None:
    # The quote holds a formula, a pipe, backticks, emphasis and a link: a reader sees them
    # as the post wrote them, as text.
    text = " ".join(_read(briefings[0].read_text("utf-8")).text)
    assert HOSTILE_QUOTE in text and HOSTILE_NEGATIVE in text
