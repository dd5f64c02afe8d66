"""Three-class tone metrics from (gold, predicted) label pairs: accuracy, macro-F1, recall per
class, the confusion matrix and the neutral shares. One definition for every evaluation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

LABELS = ("pos", "neg", "neu")
# The pipeline's labels (tracker.extract.models.LABELS) in the short form labelled files use.
SHORT = {"positive": "pos", "negative": "neg", "neutral": "neu"}


def tone_metrics(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Metrics over `pairs` of short labels (pos/neg/neu).

    Macro-F1 is over the gold label set, so on data labelled only pos/neg a neutral
    prediction is simply wrong; `recall` holds the classes the gold labels have.
    `neutral_share` is the share of predictions that are neutral, `gold_neutral_share` the
    share of gold labels.
    """
    gold_set = [g for g in LABELS if any(p[0] == g for p in pairs)]
    confusion: dict[str, dict[str, int]] = {g: dict.fromkeys(LABELS, 0) for g in gold_set}
    for gold, pred in pairs:
        confusion[gold][pred] += 1
    f1s = []
    recall = {}
    for g in gold_set:
        tp = confusion[g][g]
        fp = sum(confusion[o][g] for o in gold_set if o != g)
        fn = sum(confusion[g].values()) - tp
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        recall[g] = round(tp / (tp + fn), 4)
    n = len(pairs)
    return {
        "n": n,
        "accuracy": round(sum(g == p for g, p in pairs) / n, 4) if n else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "recall": recall,
        "neutral_share": round(sum(p == "neu" for _, p in pairs) / n, 4) if n else 0.0,
        "gold_neutral_share": round(sum(g == "neu" for g, _ in pairs) / n, 4) if n else 0.0,
        "confusion": confusion,
    }
