"""The intent model's fit: one SVM per label on every core must be the model scikit-learn's
one-vs-rest LinearSVC fits label after label, and the transposed weights the same numbers."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from agent.nlu.classifier import TOLERANCE, one_vs_rest, transposed

TEXTS = ["show my deals", "list open deals", "deals over 10k", "pipeline by stage", "how is the pipeline",
         "add a customer", "new lead Dana", "create a contact", "revenue last month", "sales this year",
         "how much did we make", "revenue in march", "weather in paris", "tell me a joke"]
LABELS = ["deals"] * 3 + ["pipeline"] * 2 + ["create"] * 3 + ["revenue"] * 4 + ["_out"] * 2


def test_one_vs_rest_in_threads_is_liblinears_one_vs_rest() -> None:
    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(TEXTS)
    ours = one_vs_rest(matrix, LABELS)
    theirs = LinearSVC(C=1.0, class_weight="balanced", random_state=0, tol=TOLERANCE / 100)
    theirs.fit(matrix, LABELS)
    assert list(ours.classes_) == list(theirs.classes_)
    scores, expected = ours.decision_function(matrix), theirs.decision_function(matrix)
    assert np.abs(scores - expected).max() < 0.01
    assert (scores.argmax(axis=1) == expected.argmax(axis=1)).all()


def test_the_blocked_transpose_is_the_transpose() -> None:
    matrix = np.arange(3 * 2500, dtype=np.float32).reshape(3, 2500)
    out = transposed(matrix, block=1000)
    assert out.flags.c_contiguous and np.array_equal(out, matrix.T)
