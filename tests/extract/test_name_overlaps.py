"""Name matching's overlap resolution: the sweep chooses exactly what testing every chosen
hit chose, and a post naming companies tens of thousands of times is matched at all."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.extract.names import NameHit, _disjoint


def _naive(candidates: list[NameHit]) -> list[NameHit]:
    chosen: list[NameHit] = []
    for hit in candidates:
        if not any(hit.start < c.end and c.start < hit.end for c in chosen):
            chosen.append(hit)
    return chosen


def _hit(start: int, length: int) -> NameHit:
    return NameHit(start, start + length, "T", None, "n", "a", "name", 1.0)


spans = st.lists(st.builds(_hit, st.integers(0, 60), st.integers(1, 12)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(spans)
def test_sweep_chooses_what_the_pairwise_test_chose(candidates: list[NameHit]) -> None:
    assert _disjoint(candidates) == _naive(candidates)


def test_adjacent_spans_do_not_overlap_and_nested_ones_do() -> None:
    a, b, inner, wide = _hit(0, 5), _hit(5, 5), _hit(6, 2), _hit(3, 10)
    assert _disjoint([a, b, inner, wide]) == [a, b]
    assert _disjoint([wide, a, b, inner]) == [wide]


def test_thousands_of_names_in_one_post_are_all_found(analyzer) -> None:  # type: ignore[no-untyped-def]
    # 200,000 characters naming three companies 6,700 times each: 31 s of CPU when each
    # candidate was tested against every chosen hit. Checked by count here (no timing in
    # tests); benchmarks/bench_names.py measures the time.
    text = "Apple and Microsoft and Tesla " * 6700
    hits = analyzer.matcher.find(text)
    assert len(hits) == 3 * 6700
    assert [h.ticker for h in hits[:3]] == ["AAPL", "MSFT", "TSLA"]
