"""CSV for spreadsheets: formula neutralising, and a real spreadsheet (LibreOffice) reading
the `--excel` CSV back with Chinese names, numbers and formula-looking text intact."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import GOLDEN_CONFIG, skip_outside_ci
from tests.fixtures.corpus import HOSTILE_NEGATIVE, HOSTILE_QUOTE
from tests.reports.conftest import run
from tracker.reports.csvsafe import FORMULA_SIGNS, FORMULA_TRIGGERS, neutralize, write_row

NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}


@pytest.mark.parametrize(("text", "expected"), [
    ("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-1 is low", "'-1 is low"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Tesla", "Tesla"), ("贵州茅台", "贵州茅台"), ("", ""), ("-", "-"), ("a=b", "a=b"),
    (" =1+1", "' =1+1"), ("  @SUM(A1)", "'  @SUM(A1)"), ("\uff1d1+1", "'\uff1d1+1"),
    ("\uff0b1", "'\uff0b1"), ("\uff0d1", "'\uff0d1"), (" \uff20x", "' \uff20x"),
    ("Nice post\r=cmd|' /C calc'!A0", "Nice post\r'=cmd|' /C calc'!A0"),
    ("a\n -1\r\n@x", "a\n' -1\r\n'@x"), ("a\nb", "a\nb"),
], ids=["equals", "plus", "minus", "at", "tab", "cr", "plain", "chinese", "empty",
        "stdin-source", "inner-equals", "space-equals", "spaces-at", "fullwidth-equals",
        "fullwidth-plus", "fullwidth-minus", "space-fullwidth-at", "after-cr",
        "after-lf-and-crlf", "plain-lines"])
def test_neutralize(text: str, expected: str) -> None:
    assert neutralize(text) == expected


_SIGNS = tuple(FORMULA_SIGNS)


def _starts_formula(line: str) -> bool:
    return line.lstrip(" \t").startswith(_SIGNS)


@given(st.text())
def test_neutralized_text_never_starts_a_formula(text: str) -> None:
    out = neutralize(text)
    assert not out.startswith(FORMULA_TRIGGERS) or out in ("-", "+")
    # No line inside the cell starts a formula either.
    if out not in ("-", "+"):
        assert not any(_starts_formula(line) for line in re.split(r"[\r\n]", out))
    # Only apostrophes were added.
    assert out.replace("'", "") == text.replace("'", "")


@given(st.lists(st.lists(st.one_of(st.none(), st.text(), st.integers()), min_size=1,
                         max_size=4), max_size=4))
def test_write_row_reads_back_as_written(rows: list[list[object]]) -> None:
    out = io.StringIO()
    for row in rows:
        write_row(out, row)
    expected = [["" if c is None else str(c) for c in row] for row in rows]
    assert list(csv.reader(io.StringIO(out.getvalue(), newline=""))) == expected


def _physical_lines(text: str) -> list[str]:
    # How a spreadsheet that breaks rows at a bare CR sees the file: a quoted cell keeps
    # its line breaks, anything else is a new row.
    lines, quoted, line = [], False, []
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch in "\r\n" and not quoted:
            lines.append("".join(line))
            line = []
        else:
            line.append(ch)
    lines.append("".join(line))
    return lines


CR_TITLE = "Nice post\r=cmd|' /C calc'!A0"


def test_a_cell_with_a_cr_is_quoted_and_cannot_start_a_row() -> None:
    # Issue 14: with lineterminator="\n" the csv module left the CR bare; LibreOffice began
    # a new row at it and ran the formula.
    out = io.StringIO()
    write_row(out, ["title", "tone"])
    write_row(out, [neutralize(CR_TITLE), "0.5"])
    text = out.getvalue()
    assert '"' + neutralize(CR_TITLE) + '"' in text
    assert _physical_lines(text) == ["title,tone", '"Nice post\r\'=cmd|\' /C calc\'!A0",0.5', ""]
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["title", "tone"], ["Nice post\r'=cmd|' /C calc'!A0", "0.5"]]


def test_export_and_report_quote_a_cr_title() -> None:
    import pandas as pd

    from tracker.reports.export import render_export
    from tracker.reports.render import render_csv

    exported = render_export(["title", "tone"], iter([{"title": CR_TITLE, "tone": -0.25}]), "csv")
    reported = render_csv(pd.DataFrame({"name": [CR_TITLE], "mentions": [3]}))
    for text in (exported, reported):
        rows = _physical_lines(text)
        assert not any(_starts_formula(r.lstrip('"')) for r in rows), rows
        assert "\r'=cmd" in text


def _soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) is not installed; .ci/run installs it in CI")
    return found


# LibreOffice's CSV filter options: comma-separated, double-quoted, UTF-8 (76), from line 1.
# This is what its Text Import dialog picks for our files when a user opens one: the dialog
# sniffs the UTF-8 byte-order mark of an `--excel` file and preselects UTF-8.
DIALOG_UTF8 = "CSV:44,34,76,1"


Sheet = list[list[tuple[str, str, str]]]


def _to_ods(binary: str, csv_paths: list[Path], tmp_path: Path,
            infilter: str | None = DIALOG_UTF8) -> list[Sheet]:
    """Convert each of `csv_paths` to ODS through LibreOffice; return each one's (type, value,
    formula) cells. `infilter=None` gives LibreOffice no filter options: its defaults, as a
    script's `soffice --convert-to` gets them.

    One LibreOffice process converts all of them, with the same options for each: its start
    is most of a conversion's cost (eleven starts took the two tests below about 60 s of
    wall time at load average 7).
    """
    profile = (tmp_path / "lo").as_uri()
    env = {**os.environ, "HOME": str(tmp_path), "LC_ALL": "C", "LANG": "C"}
    options = [] if infilter is None else [f"--infilter={infilter}"]
    outdir = tmp_path / ("default" if infilter is None else "dialog")
    subprocess.run(
        [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore", *options,
         "--convert-to", "ods", "--outdir", str(outdir), *map(str, csv_paths)],
        check=True, capture_output=True, timeout=120, env=env)
    return [_cells(outdir / (path.stem + ".ods")) for path in csv_paths]


def _cells(ods_path: Path) -> Sheet:
    with zipfile.ZipFile(ods_path) as ods:
        root = ET.fromstring(ods.read("content.xml"))
    rows = []
    for row in root.iter(f"{{{NS['table']}}}table-row"):
        cells = []
        for cell in row.iter(f"{{{NS['table']}}}table-cell"):
            kind = cell.get(f"{{{NS['office']}}}value-type", "")
            value = cell.get(f"{{{NS['office']}}}value") or "".join(
                p.text or "" for p in cell.iter(f"{{{NS['text']}}}p"))
            repeat = int(cell.get(f"{{{NS['table']}}}number-columns-repeated", "1"))
            cells += [(kind, value, cell.get(f"{{{NS['table']}}}formula", ""))] * min(repeat, 64)
        rows.append(cells)
    return rows


def _column(sheet: Sheet, name: str) -> list[tuple[str, str, str]]:
    header = [c[1] for c in sheet[0]]
    return [row[header.index(name)] for row in sheet[1:] if len(row) > header.index(name)]


# Numeric codes of two markets, written without their suffixes, and a US ticker.
CODES_POST = ("今天 $平安银行(SZ000001)$ 大涨，$腾讯控股(00700)$ 也不错，很看好。"
              "$NVIDIA(NVDA.US)$ 也涨了。\n")


@pytest.mark.slow  # eight LibreOffice conversions in two runs of it
def test_libreoffice_keeps_numeric_codes_as_text(tmp_path: Path) -> None:
    # Issue 27: the daily CSV lost leading zeros in LibreOffice (000001 -> 1, 0700 -> 700).
    binary = _soffice()
    if binary is None:
        skip_outside_ci("LibreOffice (soffice) is not installed; apt-get install "
                        "libreoffice-calc-nogui")
    folder = tmp_path / "codes"
    folder.mkdir()
    (folder / "config.toml").write_text(GOLDEN_CONFIG, "utf-8")
    (folder / "post.txt").write_text("2026-03-02\n" + CODES_POST, "utf-8")
    code, out, err = run(folder, "ingest", str(folder / "post.txt"))
    assert code == 0, out + err
    files: list[Path] = []
    for name, args in (("report", ["report", "--by", "ticker", "--freq", "D"]),
                       ("mentions", ["export", "mentions"])):
        for excel in (False, True):
            code, text, err = run(folder, *args, *(["--excel"] if excel else []))
            assert code == 0, err
            path = tmp_path / f"{name}{'-excel' if excel else ''}.csv"
            assert text.startswith("\ufeff") == excel
            path.write_text(text, "utf-8")
            files.append(path)
    # LibreOffice's defaults, as a script's `soffice --convert-to` has them, and the
    # options its Text Import dialog picks for a user opening the file.
    for infilter in (None, DIALOG_UTF8):
        for path, sheet in zip(files, _to_ods(binary, files, tmp_path, infilter), strict=True):
            tickers = _column(sheet, "ticker")
            assert ("string", "000001.SZ", "") in tickers, (path.name, infilter, tickers)
            assert ("string", "0700.HK", "") in tickers, (path.name, infilter, tickers)
            assert ("string", "NVDA", "") in tickers, (path.name, infilter, tickers)
            assert all(kind == "string" for kind, _, _ in tickers)
            if path.stem.startswith("report"):
                assert {kind for kind, _, _ in _column(sheet, "mentions")} == {"float"}
            if infilter is not None:
                # Only with UTF-8 chosen: LibreOffice 7's default without options is
                # Windows-1252, and it reads no byte-order mark then (docs/reports.md).
                names = {value for _, value, _ in _column(sheet, "name")}
                assert "平安银行" in names, (path.name, names)


@pytest.mark.slow  # three LibreOffice conversions in one run of it
def test_libreoffice_reads_excel_csv_back(corpus: Path, tmp_path: Path) -> None:
    binary = _soffice()
    if binary is None:
        skip_outside_ci("LibreOffice (soffice) is not installed; apt-get install "
                        "libreoffice-calc-nogui")
    _, report, _ = run(corpus, "report", "--freq", "W", "--excel")
    _, export, _ = run(corpus, "export", "mentions", "--excel")
    assert report.startswith("\ufeff") and export.startswith("\ufeff")
    (tmp_path / "report.csv").write_text(report, "utf-8")
    (tmp_path / "mentions.csv").write_text(export, "utf-8")
    # A control: the same formula, not neutralised, does run in LibreOffice.
    (tmp_path / "control.csv").write_text('quote\n"=1+1"\n', "utf-8")

    sheet, mentions, control = _to_ods(
        binary, [tmp_path / f"{name}.csv" for name in ("report", "mentions", "control")],
        tmp_path)
    expected = list(csv.reader(io.StringIO(report.removeprefix("\ufeff"))))
    assert [c[1] for c in sheet[0]] == expected[0]  # the BOM is not part of "period"
    names = {row[3][1] for row in sheet[1:]}
    assert "五粮液" in names
    by_index = {i: row for i, row in enumerate(sheet[1:len(expected)])}
    for i, row in enumerate(expected[1:]):
        cells = by_index[i]
        assert cells[3][1] == row[3]  # names, Chinese included
        assert cells[6][0] == "float" and float(cells[6][1]) == float(row[6])  # tone: a number
        assert cells[4][0] == "float" and int(cells[4][1]) == int(row[4])
    negative = [r for r in sheet[1:] if r[6][0] == "float" and float(r[6][1]) < 0]
    assert negative, "negative tones read back as numbers"

    header = [c[1] for c in mentions[0]]
    sentences = [row[header.index("sentence")] for row in mentions[1:]]
    hostile = [s for s in sentences if "HYPERLINK" in s[1] or "lands" in s[1]]
    assert hostile == [("string", "'" + HOSTILE_QUOTE, ""), ("string", "'" + HOSTILE_NEGATIVE, "")]
    assert not any(c[2] for row in mentions for c in row)  # no formula anywhere
    tones = [row[header.index("tone")] for row in mentions[1:]]
    assert all(t[0] in ("float", "") for t in tones)

    assert control[1][0][2] == "of:=1+1"
