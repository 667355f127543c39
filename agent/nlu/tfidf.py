"""The classifier's TF-IDF features: scikit-learn's vectorizers, fitted as they fit themselves,
with quicker counting.

A TfidfVectorizer learns its vocabulary by reading every example into n-grams and counting them
one n-gram at a time in Python: 0.4 s of a cold training at 150 tools, most of it the character
n-grams (3-5 letters within each word). Here the counting is one `Counter` per example over the
n-grams' ids, and each distinct word is read into character n-grams once, not at every use
("char_wb" reads every word on its own, so a word's n-grams are the same wherever it stands):
0.3 s. The n-grams are met in the same order, so they get the same ids, and the counts are the
same: the same vocabulary and matrix. Everything after the counting (sorting the vocabulary,
idf, sublinear tf, normalising, joining the two blocks) is scikit-learn's own code.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.utils._sparse import _align_api_if_sparse

Vocabulary = defaultdict[str, int]
"""Term -> id, a new term taking the next id: CountVectorizer's vocabulary while it counts."""


def feature_union() -> FeatureUnion:
    """Word 1-2-grams and character 3-5-grams within word boundaries, sublinear tf."""
    return FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)),
        ]
    )


def fitted(texts: list[str]) -> tuple[FeatureUnion, Any]:
    """`feature_union().fit_transform(texts)`: the fitted features and the matrix, identical to
    scikit-learn's own fit. Each vectorizer counts with `counted` for the length of the fit: the
    objects kept afterwards are plain, fitted TfidfVectorizers."""
    features = feature_union()
    vectorizers = [vectorizer for _, vectorizer in features.transformer_list]
    for vectorizer in vectorizers:
        # CountVectorizer.fit_transform calls self._count_vocab(documents, fixed_vocab)
        vectorizer.__dict__["_count_vocab"] = _counting(vectorizer)
    try:
        return features, features.fit_transform(texts)
    finally:
        for vectorizer in vectorizers:
            del vectorizer.__dict__["_count_vocab"]


def _counting(vectorizer: TfidfVectorizer) -> Callable[[Iterable[str], bool], tuple[dict[str, int], Any]]:
    def count_vocab(documents: Iterable[str], fixed_vocab: bool) -> tuple[dict[str, int], Any]:
        if fixed_vocab:  # a given vocabulary: not how the classifier fits, left to scikit-learn
            return TfidfVectorizer._count_vocab(vectorizer, documents, fixed_vocab)  # type: ignore[no-any-return]
        return counted(vectorizer, documents)

    return count_vocab


def counted(vectorizer: TfidfVectorizer, documents: Iterable[str]) -> tuple[dict[str, int], Any]:
    """`vectorizer._count_vocab(documents, fixed_vocab=False)`: the vocabulary (term -> id, in
    the order the terms are first met) and the documents' term counts (CSR, sorted indices)."""
    vocabulary: Vocabulary = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    ids = _char_ids(vectorizer, vocabulary) if _by_word(vectorizer) else _term_ids(vectorizer, vocabulary)
    indices: list[int] = []
    values: list[int] = []  # a list, made an array once: quicker than extending an array.array
    indptr = [0]
    for document in documents:
        counts = Counter(ids(document))  # keys in the order first met, as CountVectorizer's
        indices.extend(counts.keys())
        values.extend(counts.values())
        indptr.append(len(indices))
    if not vocabulary:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    arrays = (np.asarray(values, dtype=np.intc), np.asarray(indices, dtype=np.int32),
              np.asarray(indptr, dtype=np.int32))
    matrix = sp.csr_array(arrays, shape=(len(indptr) - 1, len(vocabulary)), dtype=vectorizer.dtype)
    matrix.sort_indices()
    return dict(vocabulary), _align_api_if_sparse(matrix)


def _term_ids(vectorizer: TfidfVectorizer, vocabulary: Vocabulary) -> Callable[[str], Iterable[int]]:
    """A document's terms' ids, in order: its analyzer's terms looked up (and added) in turn."""
    analyze = vectorizer.build_analyzer()
    return lambda document: map(vocabulary.__getitem__, analyze(document))


def _by_word(vectorizer: TfidfVectorizer) -> bool:
    """Whether the vectorizer reads each word on its own: character n-grams within words of the
    lowercased text, no other preprocessing."""
    return (vectorizer.analyzer == "char_wb" and vectorizer.lowercase and vectorizer.preprocessor is None
            and vectorizer.strip_accents is None and vectorizer.input == "content")


def _char_ids(vectorizer: TfidfVectorizer, vocabulary: Vocabulary) -> Callable[[str], list[int]]:
    """A document's character n-grams' ids, in order, made once per distinct word: "char_wb"
    lowercases the document, splits it at whitespace and reads each word on its own (padded with
    a space either side), so the n-grams of a document are its words' n-grams one after another.
    A word's n-grams get their ids when it is first met, where the vectorizer would meet them."""
    analyze = vectorizer.build_analyzer()
    by_word: dict[str, list[int]] = {}

    def ids(document: str) -> list[int]:
        out: list[int] = []
        for word in document.lower().split():
            found = by_word.get(word)
            if found is None:
                found = by_word[word] = [vocabulary[gram] for gram in analyze(word)]
            out += found
        return out

    return ids
