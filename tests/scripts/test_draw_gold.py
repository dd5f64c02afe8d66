"""scripts/draw_gold.py: the draw lists and the list of posts left out as too long."""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "draw_gold.py"


@pytest.fixture(scope="module")
def draw_gold():
    spec = importlib.util.spec_from_file_location("draw_gold", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _source(folder: Path, name: str = "real_en_demo") -> Path:
    """Twelve posts of 5 to 16 characters, seven of 20 to 26 and an empty one (max_chars 18
    splits them)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jsonl"
    posts = [{"id": f"s{i}", "text": "x" * (5 + i)} for i in range(12)]
    posts += [{"id": f"l{i}", "text": "y" * (20 + i)} for i in range(7)]
    posts.append({"id": "empty", "text": ""})
    path.write_text("".join(json.dumps(p) + "\n" for p in posts), encoding="utf-8")
    return path


def test_draw_long_lists_exactly_the_posts_the_draw_leaves_out_as_too_long(draw_gold, tmp_path):
    path = _source(tmp_path)
    kept, dropped = draw_gold.draw(path, max_chars=18)
    long = draw_gold.draw_long(path, max_chars=18)
    assert sorted(p["id"] for p in long) == sorted(f"l{i}" for i in range(7))
    assert {p["id"] for p in kept}.isdisjoint(p["id"] for p in long)
    # The empty post is in neither list: it is not a post to label.
    assert dropped == len(long) + 1


def test_draw_long_has_its_own_seeded_order(draw_gold, tmp_path):
    path = _source(tmp_path)
    long = draw_gold.draw_long(path, seed=7, max_chars=18)
    expected = [f"l{i}" for i in range(7)]
    random.Random(f"7:{path.stem}:long").shuffle(expected)
    assert [p["id"] for p in long] == expected
    # The same seed gives the same order; the short posts' order is that of `draw` alone.
    assert [p["id"] for p in draw_gold.draw_long(path, seed=7, max_chars=18)] == expected
    short = [f"s{i}" for i in range(12)]
    random.Random(f"7:{path.stem}").shuffle(short)
    assert [p["id"] for p in draw_gold.draw(path, seed=7, max_chars=18)[0]] == short


def test_long_option_writes_the_long_list_beside_no_draw_list(tmp_path):
    real = tmp_path / "real"
    path = _source(real)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(real), "--long", "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == "real_en_demo: 0 over 1200 characters, in their own order\n"
    assert [p.name for p in out.iterdir()] == ["real_en_demo.long.jsonl"]
    long_text = "z" * 1201
    path.write_text(json.dumps({"id": "big", "text": long_text}) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, str(SCRIPT), str(real), "--long", "--out", str(out)], check=True)
    rows = [json.loads(line) for line in (out / "real_en_demo.long.jsonl").read_text("utf-8").splitlines()]
    assert rows == [{"id": "big", "text": long_text, "source": "real_en_demo"}]
