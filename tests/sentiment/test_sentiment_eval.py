"""The evaluation gate: floors on the held-out test parts, and evaluate_file's contract."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from tests.floors import floors
from tracker.config import SentimentConfig
from tracker.errors import SourceError
from tracker.sentiment.evaluate import evaluate_file, format_report
from tracker.sentiment.training import genre_of_source

DATASETS = Path(__file__).resolve().parents[2] / "datasets"
RECORDS = Path(str(resources.files("tracker.data").joinpath("sentiment")))
SETTINGS = SentimentConfig()
# Each test part's floor, and the margins over the plain library (tests/data/floors.toml).
FLOORS = floors("tone", "in_source")
MARGINS = floors("tone", "in_source_margin")
PLAIN = {"en": "vader", "zh": "snownlp"}


def _lang(name: str) -> str:
    return name.split("_", 1)[0]  # every labelled file is named for its language


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, dict]]:
    # Each test part as the genre its source is (the news files with the news head).
    return {name: evaluate_file(DATASETS / f"{name}.test.jsonl", SETTINGS,
                                genre=genre_of_source(name))
            for name in FLOORS}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(FLOORS))
def test_macro_f1_floor(results: dict, name: str) -> None:
    got = results[name][_lang(name)]
    assert got["macro_f1"] >= FLOORS[name], format_report(results[name])


@pytest.mark.slow
@pytest.mark.parametrize("name", list(FLOORS))
def test_recorded_in_source_figure_is_the_shipped_models(results: dict, name: str) -> None:
    # <lang>_eval.json is where the in-source figures are written (docs point at it): it
    # must say what the shipped model scores, to its four decimals.
    lang = _lang(name)
    record = json.loads((RECORDS / f"{lang}_eval.json").read_text("utf-8"))
    assert name in record["in_source"], f"{lang}_eval.json records no {name}"
    assert record["in_source"][name]["macro_f1"] == round(results[name][lang]["macro_f1"], 4)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(MARGINS))
def test_default_beats_plain_library(results: dict, name: str) -> None:
    lang = _lang(name)
    plain = evaluate_file(DATASETS / f"{name}.test.jsonl", SETTINGS, PLAIN[lang])
    assert results[name][lang]["macro_f1"] > plain[lang]["macro_f1"] + MARGINS[name]


def test_target_and_numeric_labels(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    lines = [
        {"text": "TSLA tanks while NVDA soars", "label": "neg", "target": "TSLA"},
        {"text": "TSLA tanks while NVDA soars", "label": 0.8, "target": "NVDA"},
        {"text": "台积电大涨，英伟达暴跌", "label": "neg", "target": "NVDA"},
        {"text": "Hola", "label": "neu", "lang": "es"},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), "utf-8")
    res = evaluate_file(path, SETTINGS)
    assert set(res) == {"en", "zh"}
    assert res["en"]["accuracy"] == 1.0 and res["zh"]["accuracy"] == 1.0
    assert "macro-F1" in format_report(res)


def test_a_short_finance_line_without_lang_is_read_as_english(tmp_path: Path) -> None:
    # Detected as a plain sentence, both were French (and the Italian "no innovation" too):
    # the lines went to no scorer and out of the English figures.
    path = tmp_path / "short.jsonl"
    lines = [{"text": "$NVDA crashes, terrible quarter", "label": "neg"},
             {"text": "$AAPL no innovation", "label": "neg"}]
    path.write_text("\n".join(json.dumps(x) for x in lines), "utf-8")
    assert evaluate_file(path, SETTINGS)["en"]["n"] == 2


def test_neutral_is_wrong_on_a_pos_neg_file(tmp_path: Path) -> None:
    path = tmp_path / "pn.jsonl"
    path.write_text(json.dumps({"text": "X reports Q3 revenue of $2B", "label": "pos"}), "utf-8")
    res = evaluate_file(path, SETTINGS)["en"]
    assert res["accuracy"] == 0.0 and res["confusion"] == {"pos": {"pos": 0, "neg": 0, "neu": 1}}


@pytest.mark.parametrize(("line", "message"),
                         [("not json", "invalid JSON"), ('{"label": "pos"}', "'text'"),
                          ('{"text": "x", "label": "great"}', "label must be")],
                         ids=["json", "no-text", "bad-label"])
def test_bad_lines_name_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine", "label": "neu"}\n' + line + "\n", "utf-8")
    with pytest.raises(SourceError, match=message) as info:
        evaluate_file(path, SETTINGS)
    assert info.value.line == 2


@pytest.mark.parametrize("content", ["", "\n  \n"], ids=["empty", "blank-lines"])
def test_a_file_without_labelled_lines_is_an_error(tmp_path: Path, content: str) -> None:
    # tracker eval printed nothing and exited 0.
    path = tmp_path / "none.jsonl"
    path.write_text(content, "utf-8")
    with pytest.raises(SourceError, match="no labelled lines"):
        evaluate_file(path, SETTINGS)


def test_a_scorer_that_reads_no_line_says_so(tmp_path: Path) -> None:
    path = tmp_path / "en.jsonl"
    path.write_text(json.dumps({"text": "stocks rally", "label": "pos", "lang": "en"}) + "\n",
                    "utf-8")
    result = evaluate_file(path, SETTINGS, "snownlp")
    assert result == {}
    assert format_report(result) == "no line in a language this scorer reads"
