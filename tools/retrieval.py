"""One retrieval over the tools: which tools a request is about, best first.

Shared by the agent (a language model is shown only the tools relevant to the request, see
`agent.tool_selection`) and by MCP's `search_tools`. Lexical and deterministic, nothing to
download, no model to train: BM25 over two fields per tool, summed:

- what the tool says about itself: its name and title (weighted up), toolset, description, and
  its input fields' names and descriptions;
- how people ask for it: the example requests declared beside it (`tools.language`), weighted
  double (measured on crm.jsonl, the tuning set). A tool without a declaration scores 0 here.

Each field has its own length normalisation and IDF, so a tool with forty examples is not
penalised against one with none, and the vocabulary of requests ("how much did we make") meets
the vocabulary of descriptions ("revenue for a period") through the examples. Query words are
stemmed (crudely), a few business paraphrases are added at half weight, a word no tool uses is
matched to the closest word that one does (a misspelling, "custmers"), and a word of three or
more letters that starts a known word counts for it (a search box prefix, "cust").

Indexes are cached per registry content (names, texts and declared examples), so declaring a
tool or its language later builds a new index instead of serving a stale one.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from tools.registry import ToolSpec

K1 = 1.2
B = 0.75
NAME_WEIGHT = 3
EXAMPLE_WEIGHT = 2.0
SYNONYM_WEIGHT = 0.5
SPELLING_WEIGHT = 0.8
PREFIX_WEIGHT = 0.5
MIN_FUZZY_LENGTH = 4
MAX_GUESSES = 10_000
STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "can", "could", "do", "does", "for", "from",
     "give", "have", "how", "i", "in", "is", "it", "its", "me", "my", "of", "on", "or", "our",
     "please", "show", "tell", "that", "the", "their", "there", "this", "to", "was", "we", "what",
     "when", "which", "who", "with", "you", "your", "would", "should", "pls", "hey", "just", "us",
     "some", "any", "so", "up", "get", "been", "had", "has", "were", "will", "about", "into",
     "s", "t", "d", "ll", "m", "re", "ve", "all", "every", "each"}
)
# A few business paraphrases, mapped onto the words tool descriptions use (half weight: the
# declared examples are the main bridge between how people ask and what tools are called).
SYNONYMS: dict[str, tuple[str, ...]] = {
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
_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"([a-z])([A-Z])")


def _stem(word: str) -> str:
    """A crude English stemmer: enough to match "customers" with "customer", "deleting" with
    "delete". Deterministic and dependency-free."""
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


def normalize(word: str) -> str:
    """Stem and drop a trailing "e" so "delete"/"deleting" and "create"/"created" meet."""
    stem = _stem(word)
    return stem[:-1] if len(stem) > 4 and stem.endswith("e") else stem


def words(text: str) -> list[str]:
    """Lower-case words, snake_case and camelCase split, stop words kept."""
    return _WORD.findall(_CAMEL.sub(r"\1 \2", text).replace("_", " ").lower())


def tokenize(text: str) -> list[str]:
    """Index terms: words without stop words, normalised."""
    return [normalize(w) for w in words(text) if w not in STOPWORDS]


# --- what is indexed -----------------------------------------------------------------------------


def describe_text(spec: ToolSpec) -> str:
    """The tool's own words: toolset, description, input field names and their descriptions
    (name and title are added separately, weighted up)."""
    fields = [f"{name} {info.description or ''}" for name, info in spec.input_model.model_fields.items()
              if name != "confirmation_token"]
    return " ".join([spec.toolset, spec.description, *fields])


def declared_examples() -> dict[str, tuple[str, ...]]:
    """Each registered tool's declared example requests. (Its enum synonyms are left out: they
    are shared by the tools of one entity, so they blur rather than separate; measured.)"""
    from tools.language import all_languages

    return {name: language.examples for name, language in all_languages().items()}


@dataclass(frozen=True)
class _Field:
    """One BM25 field over every tool: an inverted index with its own IDF and lengths."""

    postings: Mapping[str, tuple[tuple[int, int], ...]]
    idf: Mapping[str, float]
    norms: tuple[float, ...]

    @classmethod
    def build(cls, docs: Sequence[Sequence[str]]) -> _Field:
        n = len(docs)
        lengths = [len(d) for d in docs]
        avg = (sum(lengths) / n if n else 0.0) or 1.0
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, doc in enumerate(docs):
            for term, tf in sorted(Counter(doc).items()):
                postings[term].append((i, tf))
        idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
        norms = tuple(K1 * (1 - B + B * length / avg) for length in lengths)
        return cls({t: tuple(p) for t, p in postings.items()}, idf, norms)

    def add_scores(self, terms: Mapping[str, float], into: list[float], weight: float) -> None:
        for term, q_weight in terms.items():
            posting = self.postings.get(term)
            if not posting:
                continue
            idf = self.idf[term] * q_weight * weight
            for i, tf in posting:
                into[i] += idf * tf * (K1 + 1) / (tf + self.norms[i])


@dataclass(frozen=True)
class Match:
    name: str
    score: float


@dataclass(frozen=True)
class ToolIndex:
    names: tuple[str, ...]
    described: _Field
    asked: _Field
    vocabulary: frozenset[str]
    surface: tuple[str, ...]
    """Every word the index knows, as written (sorted): what misspellings are matched against."""
    guesses: dict[str, list[tuple[str, float]]] = field(default_factory=dict, compare=False, hash=False)
    """Unknown word -> its stand-ins, memoised (a pure function of the word and `surface`)."""

    def query_terms(self, text: str) -> dict[str, float]:
        """Weighted index terms for a request: its own words (1), paraphrases (0.5), the closest
        known word for a word no tool uses (0.8), known words it is a prefix of (0.5 shared)."""
        terms: dict[str, float] = defaultdict(float)
        for word in words(text):
            if word in STOPWORDS:
                continue
            term = normalize(word)
            if term in self.vocabulary or word.isdigit():
                terms[term] += 1.0
            else:
                for guess, weight in self._guess(word):
                    terms[guess] += weight
            for synonym in SYNONYMS.get(word, SYNONYMS.get(_stem(word), ())):
                terms[normalize(synonym)] += SYNONYM_WEIGHT
        return dict(terms)

    def _guess(self, word: str) -> list[tuple[str, float]]:
        known = self.guesses.get(word)
        if known is None:
            if len(self.guesses) >= MAX_GUESSES:  # arbitrary client text must not grow it forever
                self.guesses.clear()
            known = self.guesses[word] = self._by_use(_guess(word, self.surface))
        return known

    def _by_use(self, guesses: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """Shared prefix weight in proportion to how many tools use each completion: "cust" is
        mostly "customer", rarely "custom"."""
        if len(guesses) < 2:
            return guesses
        uses = [len(self.described.postings.get(t, ())) + len(self.asked.postings.get(t, ())) or 1
                for t, _w in guesses]
        total, weight = sum(uses), sum(w for _t, w in guesses)
        return [(t, weight * n / total) for (t, _w), n in zip(guesses, uses, strict=True)]

    def scores(self, text: str) -> list[float]:
        terms = self.query_terms(text)
        totals = [0.0] * len(self.names)
        self.described.add_scores(terms, totals, 1.0)
        self.asked.add_scores(terms, totals, EXAMPLE_WEIGHT)
        return totals

    def rank(self, text: str) -> list[Match]:
        """Every tool, best first; ties keep the given order."""
        totals = self.scores(text)
        order = sorted(range(len(self.names)), key=lambda i: (-totals[i], i))
        return [Match(self.names[i], totals[i]) for i in order]


def _guess(word: str, surface: tuple[str, ...]) -> list[tuple[str, float]]:
    """Known words for an unknown one: those it begins (3+ letters, a search-box prefix), else
    the closest by edit distance (adjacent swaps count once: 1 edit up to 6 letters, 2 above),
    preferring the shortest distance, then the word sharing the first letter, then a-z."""
    if len(word) < 3 or not word.isalpha():
        return []
    longer = [w for w in surface if len(w) > len(word) and w.startswith(word)]
    if longer:
        stems = sorted({normalize(w) for w in longer})[:3]
        return [(s, PREFIX_WEIGHT / len(stems)) for s in stems]
    if len(word) < MIN_FUZZY_LENGTH:
        return []
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    limit = 1 if len(word) <= 6 else 2
    found = process.extract(word, surface, scorer=OSA.distance, score_cutoff=limit, limit=None)
    if not found:
        return []
    best = min(distance for _w, distance, _i in found)
    candidates = sorted((w for w, distance, _i in found if distance == best),
                        key=lambda w: (w[0] != word[0], w))
    return [(normalize(candidates[0]), SPELLING_WEIGHT)]


@lru_cache(maxsize=4096)
def _tool_texts(spec: ToolSpec) -> tuple[str, str]:
    """(name and title, everything else it says about itself): specs are immutable."""
    return f"{spec.name} {spec.title}", describe_text(spec)


def _content(specs: Iterable[ToolSpec],
             examples: Mapping[str, Sequence[str]] | None) -> tuple[tuple[str, str, str, str], ...]:
    asked = declared_examples() if examples is None else examples
    return tuple((spec.name, *_tool_texts(spec), "\n".join(asked.get(spec.name, ()))) for spec in specs)


@lru_cache(maxsize=16)
def _build(content: tuple[tuple[str, str, str, str], ...]) -> ToolIndex:
    described: list[list[str]] = []
    asked: list[list[str]] = []
    surface: set[str] = set()
    for _name, heading, text, examples in content:
        described.append(tokenize(heading) * NAME_WEIGHT + tokenize(text))
        asked.append(tokenize(examples))
        surface.update(w for w in words(f"{heading} {text} {examples}")
                       if w not in STOPWORDS and w.isalpha())
    vocabulary = frozenset(t for doc in (*described, *asked) for t in doc)
    return ToolIndex(tuple(c[0] for c in content), _Field.build(described), _Field.build(asked),
                     vocabulary, tuple(sorted(surface)))


def index_for(specs: Iterable[ToolSpec],
              examples: Mapping[str, Sequence[str]] | None = None) -> ToolIndex:
    """The index over these tools, built once per content. `examples` (tool name -> requests)
    defaults to the declared language of each tool."""
    return _build(_content(specs, examples))


def rank(query: str, specs: Iterable[ToolSpec] | None = None, *, limit: int | None = None,
         examples: Mapping[str, Sequence[str]] | None = None) -> list[Match]:
    """Tools best first for the request (all registered tools by default); ties keep the
    order the tools were given in."""
    if specs is None:
        from tools.registry import all_tools

        specs = all_tools().values()
    ranked = index_for(specs, examples).rank(query)
    return ranked if limit is None else ranked[:limit]


def top_names(query: str, specs: Iterable[ToolSpec] | None = None, k: int = 8) -> list[str]:
    return [m.name for m in rank(query, specs, limit=k)]
