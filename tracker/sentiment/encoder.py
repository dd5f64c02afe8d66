"""The optional English encoder scorer (`[sentiment] scorer = "encoder"`): a sentence encoder
fine-tuned on real posts labelled by readers, run by ONNX Runtime.

all-MiniLM-L6-v2 with a three-class head, fine-tuned by scripts/train_encoder.py and shipped
as int8 ONNX (tracker/data/sentiment/en_encoder.onnx) with its tokenizer. It reads a text's
words in context ("bought puts", sarcasm) where the default n-gram model sees only words,
at about a twenty-third of its speed, so it is never the default; docs/sentiment.md has both
measured on the same posts. Chinese has no such model: a Chinese text gets the default.

Needs the `encoder` extra (pip install 'tracker[encoder]': onnxruntime and tokenizers); no
torch at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tracker.errors import TrackerError
from tracker.sentiment.features import normalise_en
from tracker.sentiment.model import KNEE_TARGET as KNEE

# The head's classes, in the order of the exported probabilities.
CLASSES = ("neg", "neu", "pos")
# Longer texts are cut to their first 96 word pieces (a mention's clause rarely reaches it).
MAX_TOKENS = 96


def encoder_text(text: str) -> str:
    """What the encoder reads of `text`, in training and in scoring alike: the default
    model's normalised form, where cashtags, handles and the packaged companies' names are
    the placeholder "tkr" and amounts, percentages and numbers theirs. A name is then no
    stance ("Wal-Mart" alone read +0.45 before), and the model learns how people talk about
    a stock rather than which stocks the labelled posts liked."""
    return normalise_en(text, mask=True)


def tone_of(probs: Sequence[float]) -> float:
    """A tone in [-1, 1] from the head's probabilities (neg, neu, pos), such that the default
    thresholds +-0.25 give the most probable class: positive maps to [0.25, 1] by its lead
    over the next class, negative likewise below -0.25, neutral inside (-0.25, 0.25) by the
    balance of positive and negative. Moving the thresholds apart keeps only surer labels."""
    neg, neu, pos = (float(p) for p in probs)
    if pos > neg and pos > neu:
        return KNEE + (1 - KNEE) * (pos - max(neg, neu))
    if neg > pos and neg > neu:
        return -(KNEE + (1 - KNEE) * (neg - max(pos, neu)))
    side = pos + neg
    # Just inside the thresholds at the most, so a neutral text never reaches a label.
    return 0.0 if side <= 0 else (KNEE - 1e-6) * (pos - neg) / side


class EncoderScorer:
    """Scores English texts with the fine-tuned encoder; one ONNX Runtime session, one thread
    (ingest's workers are the parallelism, as for the default scorer)."""

    name = "encoder"
    lang = "en"

    def __init__(self, model: Path, tokenizer: Path) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise TrackerError("the encoder scorer needs its extra: "
                               "pip install 'tracker[encoder]'") from exc
        for path in (model, tokenizer):
            if not path.is_file():
                raise TrackerError(f"{path}: the encoder scorer's file is missing "
                                   "(scripts/train_encoder.py writes it)")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        try:
            self._session = onnxruntime.InferenceSession(
                str(model), options, providers=["CPUExecutionProvider"])
            self._tokenizer = Tokenizer.from_file(str(tokenizer))
        except Exception as exc:  # onnxruntime and tokenizers raise their own plain errors
            raise TrackerError(f"{model}: cannot load the encoder scorer: {exc}") from exc
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._tokenizer.no_padding()

    def score(self, text: str) -> float:
        # One text a call: int8 ONNX quantizes each call's activations over the whole batch,
        # so a text batched with others would score a little differently from alone (by up
        # to 0.02 seen), and the same post could get two tones. Alone it is also the fastest
        # on one core here (no padding): 347 texts/s against 160 in batches of 32.
        if not text.strip():
            return 0.0  # an empty or blank text says nothing
        ids = np.array([self._tokenizer.encode(encoder_text(text)).ids], dtype=np.int64)
        probs = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        return tone_of(probs[0][0])

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.score(t) for t in texts]
