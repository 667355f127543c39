"""Which tools the model is shown for a request.

Models choose worse, and cost more, with dozens of tools in the prompt. So the request is
matched against each tool's name, title, toolset, description and argument names with BM25
(lexical, deterministic, nothing to download), and the best `k` are shown, always together with
the tools already used in the conversation so follow-ups ("and last month?") keep working.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tools.registry import ToolSpec

DEFAULT_K = 12
_K1 = 1.2
_B = 0.75
_NAME_WEIGHT = 3
_STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "can", "could", "do", "does", "for", "from",
     "give", "have", "how", "i", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our",
     "please", "show", "tell", "that", "the", "their", "there", "this", "to", "was", "we", "what",
     "when", "which", "who", "with", "you", "your", "would", "should"}
)
# A few business paraphrases, mapped onto the words tool descriptions use.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "client": ("customer",),
    "buyer": ("customer",),
    "contact": ("customer",),
    "account": ("customer", "workspace"),
    "user": ("member",),
    "people": ("member",),
    "access": ("member", "role"),
    "remove": ("delete",),
    "erase": ("delete",),
    "drop": ("delete",),
    "add": ("create",),
    "new": ("create",),
    "register": ("create",),
    "change": ("update",),
    "edit": ("update",),
    "modify": ("update",),
    "set": ("update",),
    "mark": ("update",),
    "make": ("update",),
    "churn": ("update",),
    "open": ("create",),
    "sale": ("revenue", "order"),
    "income": ("revenue",),
    "turnover": ("revenue",),
    "earn": ("revenue",),
    "made": ("revenue",),
    "money": ("revenue",),
    "opportunity": ("deal",),
    "pipeline": ("deal", "stage"),
    "count": ("list", "total"),
    "many": ("list", "count"),
    "number": ("count",),
    "team": ("member", "user"),
    "staff": ("member", "user"),
    "employee": ("member", "user"),
    "colleague": ("member",),
    "business": ("workspace",),
    "company": ("workspace", "company"),
    "kpi": ("metric", "dashboard"),
    "overview": ("dashboard", "summary"),
    "predict": ("forecast",),
    "prediction": ("forecast",),
    "project": ("forecast",),
}


def _stem(word: str) -> str:
    """A crude English stemmer: enough to match "customers" with "customer", "deleting"
    with "delete". Deterministic and dependency-free."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2] if not word.endswith("eed") else word
    if len(word) > 3 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _norm(word: str) -> str:
    """Stem and drop a trailing "e" so "delete"/"deleting" and "create"/"created" meet."""
    stem = _stem(word)
    return stem[:-1] if len(stem) > 4 and stem.endswith("e") else stem


def tokenize(text: str) -> list[str]:
    """Lower-case words (snake_case and camelCase split), stop words dropped, stemmed."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).replace("_", " ").lower()
    return [_norm(w) for w in re.findall(r"[a-z0-9]+", text) if w not in _STOPWORDS]


def _query_terms(text: str) -> list[str]:
    terms: list[str] = []
    raw = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).replace("_", " ").lower()
    for word in re.findall(r"[a-z0-9]+", raw):
        if word in _STOPWORDS:
            continue
        terms.append(_norm(word))
        singular = _stem(word)
        for synonym in _SYNONYMS.get(word, _SYNONYMS.get(singular, ())):
            terms.append(_norm(synonym))
    return terms


def _document(spec: ToolSpec) -> list[str]:
    name_terms = tokenize(spec.name) + tokenize(spec.title)
    fields = " ".join(spec.input_model.model_fields)
    return name_terms * _NAME_WEIGHT + tokenize(f"{spec.toolset} {spec.description} {fields}")


@dataclass(frozen=True)
class _Index:
    names: tuple[str, ...]
    docs: tuple[Counter[str], ...]
    lengths: tuple[int, ...]
    idf: dict[str, float]
    avg_len: float


@lru_cache(maxsize=32)
def _index(specs: tuple[ToolSpec, ...]) -> _Index:
    """Built once per tool set: the registry does not change while the process runs."""
    docs = tuple(Counter(_document(s)) for s in specs)
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    n = len(docs)
    idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
    lengths = tuple(sum(d.values()) for d in docs)
    avg = sum(lengths) / n if n else 1.0
    return _Index(tuple(s.name for s in specs), docs, lengths, idf, avg or 1.0)


def score(query: str, specs: Sequence[ToolSpec]) -> dict[str, float]:
    """BM25 score of every tool for the query."""
    index = _index(tuple(specs))
    terms = Counter(_query_terms(query))
    scores: dict[str, float] = {}
    for name, doc, length in zip(index.names, index.docs, index.lengths, strict=True):
        total = 0.0
        for term, q_count in terms.items():
            tf = doc.get(term, 0)
            if not tf:
                continue
            norm = tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * length / index.avg_len))
            total += index.idf.get(term, 0.0) * norm * q_count
        scores[name] = total
    return scores


def select_tools(
    query: str,
    specs: Sequence[ToolSpec],
    *,
    always: Iterable[str] = (),
    k: int = DEFAULT_K,
) -> list[ToolSpec]:
    """The tools to show: all of them when there are at most `k`; else the tools in `always`
    (used earlier in the conversation) plus the best matches up to `k` (at least `k // 2` fresh
    ones however many were used, so a new request still finds its tool; ties and misses fall
    back to registry order). The result keeps registry order, so prompts stay stable."""
    if len(specs) <= k:
        return list(specs)
    by_name = {s.name: s for s in specs}
    order = {s.name: i for i, s in enumerate(specs)}
    pinned = [name for name in dict.fromkeys(always) if name in order]
    scores = score(query, specs)
    ranked = sorted(specs, key=lambda s: (-scores[s.name], not s.read_only, order[s.name]))
    budget = len(pinned) + max(k - len(pinned), k // 2)
    chosen = list(pinned)
    for spec in ranked:
        for name in (spec.name, *_companions(spec.name, by_name)):
            if len(chosen) < budget and name not in chosen:
                chosen.append(name)
    return [by_name[n] for n in sorted(chosen, key=order.__getitem__)]


def _companions(name: str, by_name: dict[str, ToolSpec]) -> list[str]:
    """The lookup tools an action needs to resolve names to ids: `delete_customer` is useless
    without `list_customers` ("delete Acme Corp" names no id)."""
    _verb, _, entity = name.partition("_")
    if not entity:
        return []
    candidates = (f"list_{entity}s", f"search_{entity}s", f"list_{entity}")
    return [c for c in candidates if c in by_name and c != name]
