"""The intent classifier: which tool a request is for, or none.

TF-IDF over word 1-2-grams and character 3-5-grams (inside word boundaries, so typos still share
most of their n-grams), and a linear SVM (one-vs-rest) with balanced class weights (the
out-of-scope classes have many more examples than a tool). Values that say nothing about the
intent (amounts, numbers, emails) are masked to one token each before training and prediction
(agent.nlu.features).
Deterministic: a fixed random_state and a stable example order. Character 2-grams were dropped
when the examples grew past 3,000: the tuning sets scored within one case without them, and the SVM
trains about 30% faster.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from sklearn.svm import _liblinear as liblinear  # type: ignore[attr-defined]
from sklearn.svm._base import _get_liblinear_solver_type
from sklearn.svm._classes import _validate_dual_parameter
from sklearn.utils import check_array

from agent.nlu import model_cache, tfidf
from agent.nlu.features import features_text
from agent.nlu.training import TrainingSet

TOLERANCE = 3e-3
"""The solver's stopping tolerance: thirty times scikit-learn's default. Against 1e-3 on the
150-tool benchmark's 5,432 examples, no score moves by more than 0.001 and every example's first
tool is the same, and the SVMs fit in 1.0 s instead of 1.75 s (stop 15)."""
def one_vs_rest(matrix: Any, labels: list[str]) -> LinearSVC:
    """A linear SVM per label against the rest: the model `LinearSVC(class_weight="balanced")`
    fits one label after another (liblinear's one-vs-rest: the label's examples weighted
    n / (labels x its count), the rest 1), fitted on every core at once where that stays
    deterministic.

    Why processes, not threads: liblinear's coordinate descent draws its order from one random
    generator per process, seeded at the start of each fit; fits in threads share it, so the same
    examples gave scores differing by up to 1e-3 from one training to the next (a request on a
    threshold then flipped between starts). Each process fits the labels it takes one after
    another, so every fit sees only its own seed: the same model as fitting them all in turn,
    whichever process fits which label. The labels are handed out a few at a time as processes
    come free, not split in halves up front: a process slowed by other work takes fewer."""
    classes = sorted(set(labels))
    if len(classes) < 2:  # as LinearSVC refuses them
        raise ValueError(f"This solver needs samples of at least 2 classes in the data, but got {classes!r}")
    matrix = check_array(matrix, accept_sparse="csr", dtype=np.float64, order="C", accept_large_sparse=False)
    counts = Counter(labels)
    weights = [len(labels) / (len(classes) * counts[label]) for label in classes]
    target = np.array(labels)
    rows = list(range(len(classes)))
    workers = _workers(len(rows))
    shares = [rows[i:i + FIT_SHARE] for i in range(0, len(rows), FIT_SHARE)]
    shape = (len(classes), matrix.shape[1])  # float32: half the memory
    if workers > 1:
        coef = _shared_float32(shape)  # the processes write their rows here, and send back only intercepts
        parts = forked(_fit_rows, shares, [matrix, target, classes, weights, coef], workers)
    else:
        coef = np.empty(shape, dtype=np.float32)
        parts = [_fit(matrix, target, classes, weights, share, coef) for share in shares]
    intercept = np.empty(len(classes))
    for share, part in zip(shares, parts, strict=True):
        intercept[share] = part
    model = LinearSVC(C=1.0, class_weight="balanced", random_state=0, tol=TOLERANCE)
    model.classes_ = np.array(classes)
    model.coef_, model.intercept_ = coef, intercept
    return model


FIT_SHARE = 4
"""Labels a process takes at a time (a fit is about 15 ms at 150 tools)."""
_SHARED: list[Any] = []
"""What the forked processes work from (inherited, not pickled): for the fits, matrix, target,
classes and weights; for reading the examples, the training set."""
T = TypeVar("T")
S = TypeVar("S")


def forked(work: Callable[[S], T], shares: list[S], shared: list[Any], workers: int | None = None) -> list[T]:
    """`work` on each share in forked processes (`workers` of them, default one per share), the
    results in the shares' order; `shared` is what every process inherits as _SHARED. Only where
    _workers allows it."""
    _SHARED[:] = shared
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers or len(shares), mp_context=context) as pool:
            return list(pool.map(work, shares))
    finally:
        _SHARED.clear()


def _workers(labels: int) -> int:
    cores = os.cpu_count() or 1
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    return min(cores, labels) if forkable and cores > 1 and labels > 1 else 1


def _shared_float32(shape: tuple[int, int]) -> np.ndarray:
    """A float32 array in memory shared with processes forked after it (an anonymous shared
    mapping): what they write in it, this process reads. The 150 x 50,000 coefficients came
    back pickled before (32 MB through pipes) and were copied once more into the model."""
    return np.frombuffer(mmap.mmap(-1, shape[0] * shape[1] * 4), dtype=np.float32).reshape(shape)


def _fit_rows(rows: list[int]) -> np.ndarray:
    matrix, target, classes, weights, coef = _SHARED
    return _fit(matrix, target, classes, weights, rows, coef)


def _fit(matrix: Any, target: np.ndarray, classes: list[str], weights: list[float], rows: list[int],
         coef: np.ndarray) -> np.ndarray:
    """Fits these rows' labels: their coefficients into `coef`, their intercepts returned."""
    intercept = np.empty(len(rows))
    solver = _solver(matrix)
    liblinear.set_verbosity_wrap(0)
    for i, row in enumerate(rows):
        coef[row], intercept[i] = _fit_one(matrix, target == classes[row], weights[row], solver)
    return intercept


SEED = int(np.random.RandomState(0).randint(np.iinfo("i").max))
"""The seed `LinearSVC(random_state=0)` hands liblinear on every fit (its first draw)."""
MAX_ITER = 1000
"""LinearSVC's default."""


def _solver(matrix: Any) -> int:
    """liblinear's solver for LinearSVC's defaults (squared hinge, l2, dual="auto"): the dual
    problem where there are fewer examples than features, as LinearSVC chooses."""
    dual = _validate_dual_parameter("auto", "squared_hinge", "l2", "ovr", matrix)
    return int(_get_liblinear_solver_type("ovr", "l2", "squared_hinge", dual))


def _fit_one(matrix: Any, positive: np.ndarray, weight: float, solver: int) -> tuple[np.ndarray, float]:
    """The coefficients and intercept of `LinearSVC(C=1.0, class_weight={True: weight, False: 1.0},
    random_state=0, tol=TOLERANCE).fit(matrix, positive)`: the same call into liblinear with the
    same arguments, bit for bit the same numbers, without LinearSVC's checks of the matrix, the
    labels and the weights before each of the hundred and fifty fits (a sixth of each fit's time).
    `matrix` must be what LinearSVC passes on (one_vs_rest checks it once, as LinearSVC did on
    every fit): CSR, float64, 32-bit indices."""
    raw, n_iter = liblinear.train_wrap(
        matrix, positive.astype(np.float64), True, solver, TOLERANCE, 1.0, 1.0,
        np.array([1.0, weight]), MAX_ITER, SEED, 0.1, np.ones(matrix.shape[0]))
    if n_iter.max() >= MAX_ITER:
        warnings.warn("Liblinear failed to converge, increase the number of iterations.", ConvergenceWarning,
                      stacklevel=2)
    return raw[0, :-1], float(raw[0, -1])


FEATURIZE_SHARE = 1500
"""Examples per process below which reading them in one process is quicker than forking."""


def featurized(training: TrainingSet) -> list[str]:
    """Every example as the classifier reads it (features_text), in order: read on every core at
    once where forking is safe (the reading is about a third of a cold training), else in turn."""
    count = len(training.texts)
    workers = _workers(count // FEATURIZE_SHARE)
    if workers <= 1:
        return _featurize(training, range(count))
    size = -(-count // workers)
    shares = [range(start, min(start + size, count)) for start in range(0, count, size)]
    parts = forked(_featurize_shared, shares, [training])
    return [text for part in parts for text in part]


def _featurize_shared(rows: range) -> list[str]:
    return _featurize(_SHARED[0], rows)


def _featurize(training: TrainingSet, rows: range) -> list[str]:
    return [features_text(training.texts[i], training, not training.labels[i].startswith("_")) for i in rows]


def transposed(matrix: np.ndarray, block: int = 1024) -> np.ndarray:
    """`matrix.T` as a C-ordered copy (a request's features pick rows of it), made a block of
    columns at a time: numpy's own copy of a transposed 150 x 49,000 matrix strides through
    memory and took 0.75 s on the benchmark's machine, this 0.02 s."""
    out = np.empty((matrix.shape[1], matrix.shape[0]), dtype=matrix.dtype)
    for start in range(0, matrix.shape[1], block):
        out[start:start + block] = matrix[:, start:start + block].T
    return out


@dataclass
class IntentClassifier:
    training: TrainingSet
    pipeline: Pipeline = field(init=False)
    seconds: float = field(init=False, default=0.0)
    labels: list[str] = field(init=False, default_factory=list)

    loaded: bool = field(init=False, default=False)
    """Whether the fitted model came from the disk cache (agent.nlu.model_cache)."""

    def __post_init__(self) -> None:
        started = time.perf_counter()
        cached = model_cache.load(self.training.fingerprint)
        if cached is not None:
            self.pipeline, self.loaded = cached, True
        else:
            self.pipeline = self._fit()
            model_cache.save(self.training.fingerprint, self.pipeline)
        model = self.pipeline.named_steps["model"]
        self.labels = [str(c) for c in model.classes_]
        self._blocks = []
        offset = 0
        for _, vectorizer in self.pipeline.named_steps["features"].transformer_list:
            self._blocks.append(
                (vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_, offset)
            )
            offset += len(vectorizer.vocabulary_)
        self._weights = transposed(model.coef_)
        self._bias = model.intercept_.copy()
        self.seconds = time.perf_counter() - started

    def _fit(self) -> Pipeline:
        features, matrix = tfidf.fitted(featurized(self.training))
        return Pipeline([("features", features), ("model", one_vs_rest(matrix, list(self.training.labels)))])

    def ranked(self, text: str) -> list[tuple[str, float]]:
        """Every label with its score (the SVM's margin), most likely first. The fitted
        vectorizers' arithmetic (sublinear tf × idf, L2 per block) is done here directly: the
        same numbers as the pipeline without its per-call validation overhead."""
        features = features_text(text, self.training)
        indices: list[int] = []
        values: list[np.ndarray] = []
        for analyze, vocabulary, idf, offset in self._blocks:
            counts = Counter(vocabulary[t] for t in analyze(features) if t in vocabulary)
            if not counts:
                continue
            ids = np.fromiter(counts, dtype=np.int64, count=len(counts))
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * idf[ids]
            indices.extend((ids + offset).tolist())
            values.append(weights / np.linalg.norm(weights))
        scores = self._bias.copy()
        if indices:
            scores += np.concatenate(values) @ self._weights[indices]
        return sorted(zip(self.labels, (float(s) for s in scores), strict=True), key=lambda pair: -pair[1])


_TRAINED: dict[str, IntentClassifier] = {}


def classifier_for(training: TrainingSet) -> IntentClassifier:
    """The classifier trained on these declarations: trained once per process and fingerprint."""
    found = _TRAINED.get(training.fingerprint)
    if found is None:
        found = _TRAINED[training.fingerprint] = IntentClassifier(training)
    return found
