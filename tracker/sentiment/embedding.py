"""Static word embeddings from the wordllama wheel: a text's mean token vector.

wordllama ships its 256-dimension table (16 MB) and its tokenizer inside the package; they
are read from the installed files, never downloaded. Only a model trained with the "embed"
option needs this (pip install 'tracker[train]' provides wordllama).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from tracker.errors import TrackerError

_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


class StaticEmbedding:
    """Mean of a text's token vectors, L2-normalised (zeros for a text with no tokens)."""

    def __init__(self) -> None:
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise TrackerError("this model needs wordllama: pip install 'tracker[train]'") from exc
        try:
            root = resources.files("wordllama")
        except ModuleNotFoundError as exc:
            raise TrackerError("this model needs wordllama: pip install 'tracker[train]'") from exc
        table = load_file(str(root.joinpath(_WEIGHTS)))["embedding.weight"]
        self.table = table.astype(np.float32)
        self.tokenizer = Tokenizer.from_str(root.joinpath(_TOKENIZER).read_text("utf-8"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.dim = self.table.shape[1]

    def vector(self, text: str) -> list[float]:
        ids = [i for i in self.tokenizer.encode(text, add_special_tokens=False).ids]
        if not ids:
            return [0.0] * self.dim
        v = self.table[ids].mean(axis=0)
        n = float(np.linalg.norm(v))
        return (v / n).tolist() if n else v.tolist()


@lru_cache(maxsize=1)
def static_embedding() -> StaticEmbedding:
    """The table, loaded once per process."""
    return StaticEmbedding()
