"""The intent model's fit: one SVM per label on every core must be the model scikit-learn's
one-vs-rest LinearSVC fits label after label, the same on every training, and the transposed
weights the same numbers."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from agent.nlu import classifier, tfidf
from agent.nlu.catalog import build_catalog
from agent.nlu.classifier import TOLERANCE, one_vs_rest, transposed
from agent.nlu.features import features_text

TEXTS = ["show my deals", "list open deals", "deals over 10k", "pipeline by stage", "how is the pipeline",
         "add a customer", "new lead Dana", "create a contact", "revenue last month", "sales this year",
         "how much did we make", "revenue in march", "weather in paris", "tell me a joke"]
LABELS = ["deals"] * 3 + ["pipeline"] * 2 + ["create"] * 3 + ["revenue"] * 4 + ["_out"] * 2


def test_one_vs_rest_on_every_core_is_liblinears_one_vs_rest() -> None:
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


def test_every_training_fits_the_same_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fits sharing liblinear's random generator (threads) had given scores differing by up to
    1e-3 from one training to the next; in forked processes, or one after another, every fit
    has its own seed: the same numbers each time, however the labels are shared out."""
    training = build_catalog().training
    texts = [features_text(t, training, not label.startswith("_"))
             for t, label in zip(training.texts[:1500], training.labels[:1500], strict=True)]
    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(texts)
    labels = list(training.labels[:1500])
    monkeypatch.setattr(classifier, "_workers", lambda _labels: 2)  # forked, whatever else runs here
    first, again = one_vs_rest(matrix, labels), one_vs_rest(matrix, labels)
    monkeypatch.setattr(classifier, "_workers", lambda _labels: 1)
    in_turn = one_vs_rest(matrix, labels)
    assert np.array_equal(first.coef_, again.coef_) and np.array_equal(first.coef_, in_turn.coef_)
    assert np.array_equal(first.intercept_, in_turn.intercept_)


def test_examples_read_on_every_core_are_read_as_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    training = build_catalog().training
    monkeypatch.setattr(classifier, "_workers", lambda _shares: 2)  # forked, whatever else runs here
    forked = classifier.featurized(training)
    monkeypatch.setattr(classifier, "_workers", lambda _shares: 1)
    assert forked == classifier.featurized(training)
    assert len(forked) == len(training.texts) and forked[0] == features_text(
        training.texts[0], training, not training.labels[0].startswith("_"))


@pytest.mark.parametrize("columns", [None, 5])  # fewer examples than features (the dual problem), then more
def test_a_fit_is_linearsvcs_fit_bit_for_bit(columns: int | None) -> None:
    """The direct call into liblinear (no checks on each fit) gives LinearSVC's numbers exactly."""
    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(TEXTS)[:, :columns]
    positive = np.array(LABELS) == "revenue"
    theirs = LinearSVC(C=1.0, class_weight={True: 2.5, False: 1.0}, random_state=0, tol=TOLERANCE)
    theirs.fit(matrix, positive)
    coef, intercept = classifier._fit_one(matrix, positive, 2.5, classifier._solver(matrix))
    assert np.array_equal(coef, theirs.coef_[0]) and intercept == theirs.intercept_[0]


def test_the_features_are_fitted_as_scikit_learn_fits_them() -> None:
    """Counting n-grams with Counter, a word's character n-grams made once: the same vocabulary
    (ids and their order), idf and matrix as the vectorizers' own fit."""
    training = build_catalog().training
    texts = [features_text(t, training) for t in training.texts[:2000]] + ["", "ÉTÉ  naïve\tcafé", "Σ ΟΔΟΣ"]
    ours, matrix = tfidf.fitted(texts)
    theirs = tfidf.feature_union()
    expected = theirs.fit_transform(texts)
    for (_, mine), (_, their) in zip(ours.transformer_list, theirs.transformer_list, strict=True):
        assert list(mine.vocabulary_.items()) == list(their.vocabulary_.items())
        assert np.array_equal(mine.idf_, their.idf_)
        assert "_count_vocab" not in mine.__dict__
    assert type(matrix) is type(expected) and matrix.has_sorted_indices == expected.has_sorted_indices
    for part in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(matrix, part), getattr(expected, part))
