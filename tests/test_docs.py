"""The docs a newcomer reads (issue 27): a short README that links to docs/ for the rest,
every relative link resolving, and a changelog that notes every schema revision."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MIGRATIONS = ROOT / "tracker" / "store" / "migrations" / "versions"
# What the README left to docs/: one page a subject (tone is sentiment.md).
PAGES = ("usage", "inputs", "reports", "configuration", "sentiment", "securities",
         "performance", "python-api")
_LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")


def test_the_readme_is_at_most_150_lines_and_links_each_page() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) <= 150
    linked = set(_LINK.findall(readme))
    assert {f"docs/{page}.md" for page in PAGES} <= linked


@pytest.mark.parametrize("page", ["README.md", "CHANGELOG.md", "CONTRIBUTING.md",
                                  *(f"docs/{p}.md" for p in PAGES)])
def test_relative_links_resolve(page: str) -> None:
    path = ROOT / page
    targets = [t for t in _LINK.findall(path.read_text("utf-8")) if "://" not in t
               and not t.startswith("mailto:")]
    missing = [t for t in targets if not (path.parent / t).exists()]
    assert missing == [], f"{page} links to files that are not there"


def test_the_changelog_notes_every_schema_revision() -> None:
    # An upgrade changes a user's database: each revision says what it does to stored rows.
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    revisions = sorted(p.name[:4] for p in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert revisions, MIGRATIONS
    assert [r for r in revisions if not re.search(rf"\b{r}\b", changelog)] == []
