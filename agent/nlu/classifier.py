"""The intent classifier: which tool a request is for, or none.

TF-IDF over word 1-2-grams and character 3-5-grams (inside word boundaries, so typos still share
most of their n-grams), and a linear SVM (one-vs-rest) with balanced class weights (the
out-of-scope classes have many more examples than a tool). Values that say nothing about the
intent (amounts, numbers, emails) are masked to one token each before training and prediction.
Deterministic: a fixed random_state and a stable example order. Character 2-grams were dropped
when the examples grew past 3,000: the tuning sets scored within one case without them, and the SVM
trains about 30% faster.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import re
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
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
from agent.nlu.periods import period_mentions
from agent.nlu.prefilter import may_match, needed
from agent.nlu.text import inflection_of, normalize
from agent.nlu.training import WRITTEN_VALUE, TrainingSet
from agent.nlu.words import REMOVAL, STOP
from core.ids import UUID

MASKS = (
    (UUID, " recordid "),
    (re.compile(r"\b[a-z]{2,6}_(?=[a-z0-9]*\d)[a-z0-9]+\b"), " recordid "),  # "wh_9", "pred_7f3a91c2"
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), " emailaddress "),
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"), " isodate "),
    (
        re.compile(
            r"[$€£]\s?\d[\d,.]*(?:\s?(?:k|m|bn|grand|thousand|million)\b)?"
            r"|\b\d[\d,.]*\s?(?:k|m|bn|grand|thousand|million|dollars?|bucks|usd|eur|gbp)\b"
        ),
        " amount ",
    ),
    (re.compile(r"\b\d[\d,.]*\b"), " num "),
)
_MASK_NEEDS = tuple((pattern, token, needed(pattern)) for pattern, token in MASKS)
"""Each with what its matches need (agent.nlu.prefilter): most texts have no "@" or digit."""
REFERENCE_DAY = date(2026, 6, 15)
"""Periods are masked, not resolved: any day serves (a fixed one keeps features deterministic)."""
TOLERANCE = 3e-3
"""The solver's stopping tolerance: thirty times scikit-learn's default. Against 1e-3 on the
150-tool benchmark's 5,432 examples, no score moves by more than 0.001 and every example's first
tool is the same, and the SVMs fit in 1.0 s instead of 1.75 s (stop 15)."""
MAX_CHARS = 400
"""Only the start of a long message is read: a pasted page is not a command."""


FIRST_PERSON = re.compile(r"i(?:['’](?:d|m|ve|ll))?$")
""""I", "I'd", "I'm": the owner, never a name (capitalised, and not all in the vocabulary)."""
PERIOD_WORD = re.compile(r"(?:q[1-4]|h[12]|fy\d{2}(?:\d{2})?)$")
""""Q3", "H2", "FY26": a period written in capitals, read as one (not masked as a name: "revenue
in Q3" had read as "revenue in Somename")."""
NAME_TOKEN = re.compile(r"\b[A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*)*")


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


def mask_names(text: str, training: TrainingSet) -> str:
    """Capitalised words that are names ("Dana Whitfield", "Globex") as one placeholder: the
    intent is in the other words. A capitalised word the examples use as an ordinary word
    ("Show", "CRM") is kept, unless it stands beside a name and only one example uses it: the
    "Grace" of "Grace Young" is her name, not the "grace period" of a webhook's example."""

    def name(m: re.Match[str]) -> str:
        words = m.group(0).split()
        bare = [w.lower().rstrip("'’").removesuffix("'s").rstrip(".") for w in words]

        def ordinary(b: str) -> bool:
            known = b in training.vocabulary and b not in training.proper_nouns
            return known or FIRST_PERSON.match(b) is not None or PERIOD_WORD.match(b) is not None

        if all(ordinary(b) for b in bare):
            return m.group(0)
        kept = [w for w, b in zip(words, bare, strict=True)
                if ordinary(b) and (b in training.shared_words or FIRST_PERSON.match(b))]
        return " ".join([*kept, "Somename"])

    return NAME_TOKEN.sub(name, text) if text != text.lower() else text  # a name needs a capital


PREFIXED_ID = re.compile(r"\b(?P<prefix>[a-z]{2,6})_(?=[a-z0-9]*\d)[a-z0-9]+\b", re.I)


def id_noun(prefix: str, nouns: frozenset[str]) -> str | None:
    """The one kind of record whose name a prefixed id's prefix abbreviates ("wh" webhook, "dlv"
    delivery, "evt" event, "auto" automation): its letters in order, from the first."""
    prefix = prefix.lower()
    found = [n for n in nouns if n[0] == prefix[0] and _in_order(prefix, n.replace(" ", ""))]
    return found[0] if len(found) == 1 else None


def _in_order(letters: str, word: str) -> bool:
    rest = iter(word)
    return all(c in rest for c in letters)


def name_ids(text: str, training: TrainingSet) -> str:
    """"delete wh_9" reads as "delete webhook recordid": the id's prefix names its kind of record,
    which says which tool is meant as much as the noun does (few examples write such ids); the
    id itself is a placeholder, as a UUID is, not letters and digits that choose."""

    def named(m: re.Match[str]) -> str:
        noun = id_noun(m.group("prefix"), training.id_nouns)
        before = text[max(0, m.start() - len(noun or "") - 2): m.start()].lower()
        return m.group(0) if noun is None or noun in before else f"{noun} {m.group(0)}"

    return PREFIXED_ID.sub(named, text) if "_" in text else text  # most texts have no id to read


NOTE_BODY = re.compile(r"(\b(?:note|notes|comment)\b[^:.?!]{0,60}:)\s*\S.*$", re.I)
"""What a note says ("add a note to the Acme deal: lost to a competitor on price") is the value
written, not the request: read as one token, so its words ("lost") do not choose the tool."""


def features_text(text: str, training: TrainingSet, example: bool = False) -> str:
    """The text the classifier reads; `example`: a tool's own example, whose words count as
    known only if another example has them too (see TrainingSet.shared_words)."""
    raw = name_ids(text[:MAX_CHARS], training)
    if ":" in raw:  # what NOTE_BODY needs
        raw = NOTE_BODY.sub(r"\1 sometext", raw)
    if raw.upper() == raw:  # "REVENUE THIS WEEK"
        raw = raw.lower()
    norm = normalize(mask_names(raw, training), training.vocabulary).lower()
    for mention in reversed(period_mentions(norm, REFERENCE_DAY)):
        norm = f"{norm[: mention.pos]} someperiod {norm[mention.stop :]}"
    for pattern, token, needs in _MASK_NEEDS:
        if may_match(norm, needs):
            norm = pattern.sub(token, norm)
    norm = " ".join(norm.split())  # re.sub(r"\s+", " ", norm).strip(), quicker
    found = evidence(norm, training) + unknown_words(
        norm, training.shared_words if example else training.tool_words)
    if found and "op_change" not in found and _states_a_value(norm, raw, found):
        found += ["op_change", "op_stated"]
    return " ".join([norm, *found])


MASK_TOKENS = frozenset({"recordid", "somename", "someperiod", "amount", "num", "isodate", "emailaddress",
                         "sometext"})
WRITTEN = re.compile(WRITTEN_VALUE.pattern + r"|\S*(?:[:]\w|\d)\S*|(['\"‘“]).+?(?:['\"’”](?!\w)|$)")
"""A URL, id or number, or a quoted value: not words a request is written in."""
_WRITTEN_NEEDS = needed(WRITTEN)


def unknown_words(norm: str, known: frozenset[str]) -> list[str]:
    """`unknownword` when a word no tool's examples write (twice) is in the request, and also
    `mostlyunknown` when such words are half or more of its words that carry meaning: a request
    about the weather or Jupiter's moons is mostly such words, one for a tool mostly not. Another
    form of a known word is known."""
    written = WRITTEN.sub(" ", norm) if may_match(norm, _WRITTEN_NEEDS) else norm
    words = [w.removesuffix("'s") for w in re.findall(r"[a-z][a-z']*", written)]
    content = [w for w in words if w not in STOP and w not in MASK_TOKENS]
    unknown = [w for w in content if w not in known and not inflection_of(w, known)]
    if not unknown:
        return []
    return ["unknownword", "mostlyunknown"] if 2 * len(unknown) >= len(content) else ["unknownword"]


OPERATIONS = (
    ("op_change", re.compile(r"\b(?:update|change|set(?! up)|edit|rename|modify|correct|fix|bump|adjust"
                             r"|amend|make (?:it|that|him|her|them)"
                             r"|(?:has a |'s )?new (?:email|e-mail|phone|mobile|number|address|surname)"
                             r"(?: (?:address|number))? (?:for|is)\b)\b")),
    ("op_remove", REMOVAL),
    ("op_create", re.compile(r"\b(?:(?:add(?:ing)?|creat(?:e|ing)|register(?:ing)?)\b"
                             r"|(?:open|start|set up|put in|log|record|make)(?: up)? (?:a|an)\b"
                             r"|give (?:him|her|them|it) (?:a|an)\b)")),
)
"""Which kind of operation a request asks for, as one token shared by every verb of that kind:
"set a close date" and "update the probability" both say "change", so a tool learns the kind of
operation from all its examples, not each verb from the few that use it. "open a 12,500 deal" is
a creation, as "add" is, and not the "open" of "open deals"."""
_OPERATION_NEEDS = tuple((token, pattern, needed(pattern)) for token, pattern in OPERATIONS)


def evidence(norm: str, training: TrainingSet) -> list[str]:
    """The declared values a request names, as one token per field and value ("cancelled",
    "left us" and "churned" are all `is_status_churned`): the tools that take such a value; and
    the kind of operation asked for."""
    values = training.values.found(norm) if training.values is not None else []
    return [*values, *(token for token, pattern, needs in _OPERATION_NEEDS
                        if may_match(norm, needs) and pattern.search(norm))]


STATED = re.compile(r"^(?:(?:so|fyi|btw|heads up|just so you know|update|news)\W+)?(?:the )?somename\b")
PLURAL_RECORDS = re.compile(r"\b(?:customers|clients|deals|opps|opportunities|orders|leads|prospects|accounts"
                            r"|contacts|people|ones)\b")


def _states_a_value(norm: str, raw: str, found: list[str]) -> bool:
    """A sentence that opens with a name and says it now has one of the declared values ("Carlos
    Wilson's back buying from us again", "Globex event sponsorship is in the bag") tells of a
    change, as much as "set ... to ..." does: no question, no records in the plural (then it
    asks for a list: "Tom's deals in negotiation")."""
    return (any(token.startswith("is_") for token in found) and not raw.rstrip().endswith("?")
            and STATED.match(norm) is not None and PLURAL_RECORDS.search(norm) is None)


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
