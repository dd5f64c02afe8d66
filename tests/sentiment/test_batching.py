"""Posts analyzed in a batch (their texts scored together) come out as when analyzed alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tracker.config import Config
from tracker.errors import SourceError
from tracker.extract.models import RawPost
from tracker.ingest.analyze import Analyzer
from tracker.ingest.pipeline import analyze_chunk, ingest
from tracker.sources import find_files, read_file
from tracker.store.database import Store, posts

LABELLED = Path(__file__).resolve().parents[1] / "data" / "mentions_labelled.jsonl"


def _raws(cfg: Config, *folders: Path) -> list[RawPost]:
    raws = []
    for path in find_files(list(folders)):
        raws.extend(r for r in read_file(path, cfg.input) if isinstance(r, RawPost))
    return raws


@pytest.mark.slow
def test_a_batch_gives_each_post_what_it_gets_alone(cfg: Config) -> None:
    raws = _raws(cfg, SEEDS)
    raws += [RawPost("labelled.jsonl", json.loads(line)["text"], line=i)
             for i, line in enumerate(LABELLED.read_text("utf-8").splitlines(), 1)]
    raws += [RawPost("mixed.txt", "$NVDA soars but $TSLA tanks. 台积电大涨，英伟达暴跌。\n\n"
                                  "$ASML\n$AMAT\nThese names will get the orders."),
             RawPost("blank.txt", "   \n")]
    assert len(raws) > 300
    analyzer = Analyzer(cfg)
    alone = [analyzer.analyze(raw) for raw in raws]
    assert analyzer.analyze_many(raws) == alone
    assert alone[-1] is None and any(p is not None and p.mentions for p in alone)


def test_a_post_that_breaks_the_analyzer_costs_that_post_only(
        cfg: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    analyzer = Analyzer(cfg)
    real = Analyzer._read

    def fragile(self: Analyzer, raw: RawPost):  # type: ignore[no-untyped-def]
        if "boom" in raw.text:
            raise ValueError("parser bug")
        return real(self, raw)

    monkeypatch.setattr(Analyzer, "_read", fragile)
    raws = [RawPost("a.jsonl", f"$NVDA up {i}, strong quarter.", line=i) for i in range(1, 6)]
    raws[2] = RawPost("a.jsonl", "$NVDA boom", line=3)
    out = analyze_chunk(analyzer, raws)
    assert [type(o).__name__ for o in out] == ["Post", "Post", "SourceError", "Post", "Post"]
    err = out[2]
    assert isinstance(err, SourceError) and (err.path, err.line) == ("a.jsonl", 3)
    assert "ValueError: parser bug" in err.message


def test_ingest_in_chunks_keeps_every_post_in_order(tmp_path: Path, cfg: Config) -> None:
    lines = [json.dumps({"id": str(i), "text": f"$AMD post {i} looks good."}) for i in range(120)]
    lines.insert(70, "{broken")
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    store = Store(f"sqlite:///{tmp_path / 't.db'}")
    result = ingest([tmp_path / "in.jsonl"], cfg, store)
    got = [r["line"] for r in store.iter_rows(posts)]
    store.close()
    assert (result.posts_added, [f.line for f in result.failures]) == (120, [71])
    assert sorted(got) == [n for n in range(1, 122) if n != 71]
