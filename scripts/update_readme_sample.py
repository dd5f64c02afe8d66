"""Copy the top tables of docs/sample/briefing.md into the README's sample block.

`make golden` runs this after rewriting docs/sample/, so the README shows what the code
renders; tests/reports/test_reports.py checks that it does.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("## Most mentioned", "## Trending")


def table_after(lines: list[str], heading: str) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    first = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("|"))
    end = first
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return lines[first:end]


def main() -> None:
    sample = (ROOT / "docs" / "sample" / "briefing.md").read_text("utf-8").splitlines()
    block = "\n\n".join("\n".join(table_after(sample, h)) for h in SECTIONS) + "\n"
    readme = ROOT / "README.md"
    text = readme.read_text("utf-8")
    new = re.sub(r"(<!-- sample:begin -->\n).*?(<!-- sample:end -->)",
                 lambda m: m.group(1) + block + m.group(2), text, flags=re.S)
    readme.write_text(new, "utf-8")


if __name__ == "__main__":
    main()
