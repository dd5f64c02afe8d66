"""Lines in another encoding inside a UTF-8 file (a row pasted from a Latin-1 spreadsheet):
read right where the bytes say which, said with the file and line, and never costing the
other lines. GB18030, this tracker's usual other encoding, is still read without a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.config import Config
from tracker.errors import SourceWarning
from tracker.extract.models import RawPost
from tracker.sources import read_file
from tracker.sources.decode import decode_line

LATIN = "Crème brûlée and naïve $TSLA"  # its cp1252 bytes are valid GB18030: 鑝e, 鹟閑, 飗e
CAFE = "Café owners love $TSLA"  # é then a space: not GB18030 at all


def _line(ident: str, text: str) -> str:
    return json.dumps({"id": ident, "text": text, "published": "2026-03-02T10:00:00Z"},
                      ensure_ascii=False)


def _read(path: Path, cfg: Config) -> tuple[dict[str | None, str], list[str], list[str]]:
    items = list(read_file(path, cfg.input))
    posts = {i.source_id: i.text for i in items if isinstance(i, RawPost)}
    warnings = [str(i) for i in items if isinstance(i, SourceWarning)]
    errors = [str(i) for i in items
              if not isinstance(i, RawPost | SourceWarning)]
    return posts, warnings, errors


@pytest.mark.parametrize("text", [LATIN, CAFE], ids=["gb18030-valid", "gb18030-invalid"])
def test_a_latin1_line_in_json_lines_is_read_and_said(tmp_path: Path, cfg: Config,
                                                     text: str) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(_line("a", "$AAPL 很好").encode() + b"\n"
                     + _line("b", text).encode("cp1252") + b"\n"
                     + _line("c", "$MSFT up").encode() + b"\n")
    posts, warnings, errors = _read(path, cfg)
    assert errors == []
    assert posts == {"a": "$AAPL 很好", "b": text, "c": "$MSFT up"}
    assert [w for w in warnings if "UTF-8" in w] == [
        f"{path}:2: line is not UTF-8; read as Latin-1 (cp1252), a guess; if its text looks "
        "wrong, convert the file to UTF-8"]


def test_a_gb18030_line_is_still_read_as_chinese_quietly(tmp_path: Path, cfg: Config) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(_line("a", "招商银行 $TSLA 今天大涨，满仓了").encode("gb18030") + b"\n")
    posts, warnings, errors = _read(path, cfg)
    assert (posts, errors) == ({"a": "招商银行 $TSLA 今天大涨，满仓了"}, [])
    assert not [w for w in warnings if "UTF-8" in w]


def test_one_latin1_row_of_a_utf8_csv_costs_nothing(tmp_path: Path, cfg: Config) -> None:
    # Before: "not UTF-8 ..., nor GB18030, Big5, Shift-JIS or Latin-1 text": every row lost.
    path = tmp_path / "posts.csv"
    path.write_bytes("id,text\na,\"腾讯 $TSLA 很好\"\nb,\"比亚迪 $AAPL 不错\"\n".encode()
                     + f'c,"{LATIN}"\n'.encode("cp1252") + b'd,"$MSFT up"\n')
    posts, warnings, errors = _read(path, cfg)
    assert errors == []
    assert posts == {"a": "腾讯 $TSLA 很好", "b": "比亚迪 $AAPL 不错", "c": LATIN,
                     "d": "$MSFT up"}
    assert [w for w in warnings if "UTF-8" in w] == [
        f"{path}: line 4 is not UTF-8, unlike the rest; read as Latin-1 (cp1252), a guess; "
        "if that text looks wrong, convert those lines to UTF-8"]


def test_a_whole_latin1_csv_is_still_read_as_one_encoding(tmp_path: Path, cfg: Config) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(f'id,text\na,"{LATIN}"\nb,"{CAFE}"\n'.encode("cp1252"))
    posts, _, errors = _read(path, cfg)
    assert (posts, errors) == ({"a": LATIN, "b": CAFE}, [])


@pytest.mark.parametrize(("text", "encoding"), [
    ("Müller über Straße", "cp1252"), ("São Paulo — 5€", "cp1252"), ("déjà vu", "cp1252"),
    ("中国", "gb18030"), ("中文内容", "gb18030"), ("上海復星醫藥董事長", "gb18030"),
], ids=["german", "portuguese-euro", "french", "zh-2", "zh-4", "zh-traditional"])
def test_decode_line_tells_latin1_from_gb18030(text: str, encoding: str) -> None:
    assert decode_line(text.encode(encoding)) == (text, encoding)


def test_json_lines_joined_with_cat_keep_the_line_after_each_bom(tmp_path: Path,
                                                                cfg: Config) -> None:
    # Two exports saved by a Windows tool, joined with cat: the second's byte-order mark
    # opened line 2, which was "invalid JSON: Unexpected UTF-8 BOM" and lost.
    path = tmp_path / "joined.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + _line("a", "$TSLA one").encode() + b"\r\n"
                     + b"\xef\xbb\xbf" + _line("b", "$AAPL two").encode() + b"\r\n")
    posts, _, errors = _read(path, cfg)
    assert (posts, errors) == ({"a": "$TSLA one", "b": "$AAPL two"}, [])


def test_a_surrogate_encoded_as_utf8_is_not_taken_for_latin1(tmp_path: Path,
                                                             cfg: Config) -> None:
    # ED A0 80 is U+D800 written as UTF-8 (Java's modified UTF-8, CESU-8): a lone surrogate,
    # stored as U+FFFD as JSON's escaped ones are, not the line read as Latin-1 "í€".
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b'{"id": "a", "text": "lone \xed\xa0\x80 one $TSLA"}\n')
    posts, warnings, errors = _read(path, cfg)
    assert (posts, errors) == ({"a": "lone \ufffd one $TSLA"}, [])
    assert not [w for w in warnings if "UTF-8" in w]


def test_a_gbk_line_after_a_byte_order_mark_is_read(tmp_path: Path, cfg: Config) -> None:
    # A UTF-8 file's byte-order mark joined (cat) to a GBK 雪球 export's first line: the mark
    # was decoded with the line as GB18030 ("锘"), and the line was "invalid JSON".
    path = tmp_path / "joined.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + _line("a", "招商银行 $TSLA 今天大涨").encode("gbk")
                     + b"\r\n" + _line("b", "$AAPL two").encode() + b"\r\n")
    posts, _, errors = _read(path, cfg)
    assert (posts, errors) == ({"a": "招商银行 $TSLA 今天大涨", "b": "$AAPL two"}, [])


@pytest.mark.parametrize("gbk_rows", [1, 2], ids=["one-each", "more-gbk"])
def test_gbk_rows_in_a_utf8_csv_that_no_one_encoding_reads(tmp_path: Path, cfg: Config,
                                                          gbk_rows: int) -> None:
    # As many GBK rows as UTF-8 ones (or more): no one encoding reads the whole file, which
    # was "not UTF-8 (bad byte at offset 34), nor GB18030, ...": every row lost.
    path = tmp_path / "posts.csv"
    gbk = b"".join(f'g{i},"$腾讯控股(00700)$ 业绩超预期 {i}"\r\n'.encode("gbk")
                   for i in range(gbk_rows))
    path.write_bytes('id,text\r\na,"$贵州茅台(SH600519)$ 今天放量"\r\n'.encode() + gbk
                     + b'd,"$NVDA up"\r\n')
    posts, warnings, errors = _read(path, cfg)
    assert errors == []
    assert posts == {"a": "$贵州茅台(SH600519)$ 今天放量", "d": "$NVDA up",
                     **{f"g{i}": f"$腾讯控股(00700)$ 业绩超预期 {i}" for i in range(gbk_rows)}}
    lines = "line 3 is" if gbk_rows == 1 else "2 lines (3, 4) are"
    assert [w for w in warnings if "UTF-8" in w] == [
        f"{path}: {lines} not UTF-8, unlike the rest; read as GB18030, a guess; if that text "
        "looks wrong, convert those lines to UTF-8"]


def test_a_gbk_row_that_left_no_encoding_for_the_file(tmp_path: Path, cfg: Config) -> None:
    # No one encoding read this file: "not UTF-8 (bad byte at offset 93), nor GB18030, Big5,
    # Shift-JIS or Latin-1 text", and all three rows were lost.
    path = tmp_path / "posts.csv"
    path.write_bytes(b"\r\n".join([
        b"id,text,published", "a,$贵州茅台(SH600519)$ 今天放量大涨，继续持有,2026-05-04 09:00".encode(),
        "b,腾讯控股业绩超预期，$腾讯控股(00700)$ 明天看涨,2026-05-04 10:00".encode("gbk"),
        b"c,$NVDA up,2026-05-04 11:00"]) + b"\r\n")
    posts, _, errors = _read(path, cfg)
    assert (posts, errors) == ({"a": "$贵州茅台(SH600519)$ 今天放量大涨，继续持有",
                                "b": "腾讯控股业绩超预期，$腾讯控股(00700)$ 明天看涨",
                                "c": "$NVDA up"}, [])


@pytest.mark.parametrize("latin", ["Crème brûlée $NVDA", "Größe zählt: $SAP", "São Paulo $VALE"],
                         ids=["french", "german", "portuguese"])
def test_a_utf8_latin_row_and_a_gbk_row_are_each_read(tmp_path: Path, cfg: Config,
                                                      latin: str) -> None:
    # One of each: as GB18030 the UTF-8 accents are GB2312 characters (Crème is Cr猫me), so
    # the file was read whole in one encoding: as Shift-JIS without a warning (both rows
    # mojibake), or none fitted and both rows were lost.
    path = tmp_path / "posts.csv"
    path.write_bytes(f"id,text\n1,{latin}\n".encode() + "2,贵州茅台 $600519 放量\n".encode("gbk"))
    posts, warnings, errors = _read(path, cfg)
    assert (posts, errors) == ({"1": latin, "2": "贵州茅台 $600519 放量"}, [])
    assert [w for w in warnings if "UTF-8" in w] == [
        f"{path}: line 3 is not UTF-8, unlike the rest; read as GB18030, a guess; if that text "
        "looks wrong, convert those lines to UTF-8"]


@pytest.mark.parametrize("short", ["2,茅台", "2,台", "2,小小", "2,谢谢", "2,为维", "2,小芯"],
                         ids=["two-characters", "one", "cc", "ll", "greek-pair", "co"])
def test_a_short_gbk_row_that_is_utf8_too_follows_the_files_gbk_rows(
        tmp_path: Path, cfg: Config, short: str) -> None:
    # `2,茅台` in GBK is valid UTF-8 (`2,ę́`): beside a UTF-8 Latin row (which makes the file
    # read line by line) and another GBK row, it was read as UTF-8, its text mojibake. As
    # UTF-8, 小小, 谢谢, 为维 and 小芯 are `СС`, `лл`, `Ϊά` and `Со`: letters of the Greek and
    # Cyrillic alphabets, but no word of them (the thirteenth walk's rule keeps them GBK).
    path = tmp_path / "posts.csv"
    path.write_bytes("id,text\n1,Crème brûlée $NVDA\n".encode() + f"{short}\n".encode("gbk")
                     + "3,贵州茅台 $600519 放量\n".encode("gbk"))
    posts, warnings, errors = _read(path, cfg)
    assert (posts, errors) == ({"1": "Crème brûlée $NVDA", "2": short[2:],
                                "3": "贵州茅台 $600519 放量"}, [])
    assert [w for w in warnings if "UTF-8" in w] == [
        f"{path}: 2 lines (3, 4) are not UTF-8, unlike the rest (of them, line 3 would read as "
        "UTF-8 too, but not as text: GBK, like the others); read as GB18030, a guess; if that "
        "text looks wrong, convert those lines to UTF-8"]


@pytest.mark.parametrize("text", ["TGT up 45¢ after hours", "fined £3.8bn", "45° turn",
                                  "$BTC.X «", "¡ABRE EL CASINO!", "好的 $NVDA",
                                  "как дела $SBER", "где", "και $OTE", "ολα καλα", "ΟΤΕ",
                                  "Καλημέρα", "Ещё"],
                         ids=["cent", "pound", "degree", "guillemet", "inverted", "chinese",
                              "russian", "russian-word", "greek", "greek-phrase",
                              "greek-capitals", "greek-title", "russian-yo"])
def test_utf8_rows_that_read_as_gb2312_stay_utf8_beside_gbk_rows(
        tmp_path: Path, cfg: Config, text: str) -> None:
    # Signs such as ¢ and £ are GB2312 characters as GB18030 too, but no GBK text reads as
    # a UTF-8 sign: such a row keeps its UTF-8 reading, as a Chinese one does. So do short
    # Greek and Russian rows, each all GB2312 as GB18030 (`как` is `泻邪泻`), which the twelfth
    # walk's rule read as GBK beside the file's GBK rows: no GBK text reads as a word of
    # those alphabets.
    path = tmp_path / "posts.csv"
    path.write_bytes(f"id,text\n1,Crème brûlée $NVDA\n2,{text}\n".encode()
                     + "3,贵州茅台 $600519 放量\n".encode("gbk"))
    posts, _, errors = _read(path, cfg)
    assert (posts, errors) == ({"1": "Crème brûlée $NVDA", "2": text,
                                "3": "贵州茅台 $600519 放量"}, [])
