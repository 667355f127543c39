"""Everything the offline model knows, built from the registry: each tool's slots, the trained
classifier, and the words that are commands rather than names. Built once per set of
declarations (keyed by their fingerprint)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from agent.nlu.classifier import IntentClassifier, classifier_for
from agent.nlu.meaning import MeaningCheck
from agent.nlu.slots import ToolSlots, slots_of
from agent.nlu.text import KNOWN, forms_of
from agent.nlu.training import DECLINE_LABELS, NOT_YET, TrainingSet, build, example_words
from agent.nlu.words import STOP
from tools.language import ToolLanguage, all_languages
from tools.registry import ToolSpec, all_tools

DECLINE_WORD_USES = 3
"""How many declined examples must write a word for it to say a request is declined."""

@dataclass(frozen=True)
class Kin:
    """What the examples of a tool and of every tool acting on the same kind of record say."""

    words: frozenset[str]
    forms: frozenset[str]
    """The words' other forms (agent.nlu.text.forms_of): "changing" is a form of "change"."""
    nouns: frozenset[str]
    """The record nouns they use ("deal", "opp"; never "prediction" for the deal tools)."""


@dataclass
class Catalog:
    tools: dict[str, ToolSlots]
    training: TrainingSet
    classifier: IntentClassifier = field(init=False)
    command_words: frozenset[str] = field(init=False)
    destructive_words: frozenset[str] = field(init=False)
    lookup: str | None = field(init=False)
    """The tool that finds records by name (see `references.lookup_tool`)."""
    _kin: dict[str, Kin] = field(init=False, default_factory=dict)
    record_kinds: frozenset[str] = field(init=False)
    """Every kind of record a tool acts on: named ones (customers, deals) and ones given by id
    (a webhook, a simulation), which a later message can point back to."""
    not_yet_verbs: frozenset[str] = field(init=False)
    """Words that open requests for work the product does not do yet ("refund", "invite"), and
    no tool's example: see Interpreter._verb_no_tool_takes."""
    reference_kinds: frozenset[str] = field(init=False)
    """The kinds of record a tool takes by name (customer, deal, ...): what a pronoun may stand for."""
    meaning: MeaningCheck = field(init=False)
    """Whether an unsure request is near anything the tools do (encodes the examples on first use)."""

    def __post_init__(self) -> None:
        from agent.nlu.references import lookup_tool

        self.lookup = lookup_tool(self.tools)
        self.classifier = classifier_for(self.training)
        self.meaning = MeaningCheck(self.training)
        self.command_words = _command_words(self.training, self.tools.values())
        self.destructive_words = _destructive_words(self.tools)
        self.record_kinds = frozenset(kind for t in self.tools.values() for s in t.slots
                                      if (s.reference or s.identifies) and (kind := s.record_kind))
        self.reference_kinds = frozenset(k for t in self.tools.values() for s in t.references
                                         if (k := s.reference))
        used = {w for t in self.tools.values() for e in t.language.examples
                for w in re.findall(r"[a-z]+", e.lower())}
        self.not_yet_verbs = _opening_words(
            t for label, t in zip(self.training.labels, self.training.texts, strict=True) if label == NOT_YET
        ) - used - self.training.proper_nouns  # "Omar left the company, ...": a name, no verb

    def reads(self, label: str) -> bool:
        """Whether a label changes nothing: a tool that only reads, or no tool (a decline)."""
        return label not in self.tools or self.tools[label].spec.kind == "read"

    @cached_property
    def removal_cues(self) -> dict[str, frozenset[str]]:
        """Per destructive tool, the words that ask for it (see `removal_cues`): built on the first
        removal chosen, not at start-up."""
        return removal_cues(self.tools, self.training.proper_nouns)

    @cached_property
    def decline_openers(self) -> frozenset[str]:
        """Words that open requests no tool does ("ring", "print", "book") and no tool's example
        opens with: built on first use, not at start-up."""
        pairs = zip(self.training.labels, self.training.texts, strict=True)
        declined = _opening_words(t for label, t in pairs if label.startswith("_"))
        return declined - self.openers - self.training.proper_nouns

    @cached_property
    def decline_words(self) -> frozenset[str]:
        """Words of three or more declined examples that no tool's example writes ("vat",
        "payroll"): built on first use, not at start-up."""
        pairs = zip(self.training.labels, self.training.texts, strict=True)
        used = Counter(w for label, t in pairs if label in DECLINE_LABELS
                       for w in set(re.findall(r"[a-z]+", t.lower())))
        return frozenset(w for w, n in used.items() if n >= DECLINE_WORD_USES) - self.training.tool_words

    def kin(self, tool: str) -> Kin:
        """The words of this tool's kind of record (its own kinds, or its noun for a tool that
        acts on none): built once per tool, on first use, not at start-up."""
        found = self._kin.get(tool)
        if found is None:
            kinds = self.tools[tool].kinds or frozenset({self.tools[tool].noun})
            texts = "\n".join(e.lower() for t in self.tools.values() if t.spec.name == tool or t.kinds & kinds
                              for e in t.language.examples)
            words = frozenset(re.findall(r"[a-z]+", texts))
            nouns = frozenset(n for n in self.training.id_nouns if re.search(rf"\b{re.escape(n)}s?\b", texts))
            found = self._kin[tool] = Kin(words, forms_of(words), nouns)
        return found

    @cached_property
    def openers(self) -> frozenset[str]:
        """The first words of every tool's examples: words that open a request, not a name."""
        return frozenset().union(*(tool.openers for tool in self.tools.values()))

    @cached_property
    def title_words(self) -> frozenset[str]:
        """Words the examples write capitalised inside a sentence: names and titles ("Rental
        fleet", "Enterprise license"), which a request may write in lowercase."""
        return frozenset(m.group(1).lower() for t in self.training.texts
                         for m in re.finditer(r"(?<=[\w,'\"] )([A-Z][a-z]+)", t))

    @cached_property
    def listings(self) -> dict[str, str]:
        """kind of record -> the tool that lists records of that kind ("webhook": list_webhooks,
        "delivery": list_webhook_deliveries): a read tool named list_... that needs no value and
        whose result holds a list named after the kind. A call that needs a record the owner can
        only give by id (a webhook, a prediction) shows them that list instead of asking for one."""
        from agent.nlu.references import singular

        found: dict[str, str] = {}
        for name, tool in sorted(self.tools.items()):
            if not name.startswith("list_") or tool.spec.kind != "read" or any(s.required
                                                                               for s in tool.slots):
                continue
            for key, value in tool.spec.output_schema().get("properties", {}).items():
                if value.get("type") == "array":
                    found.setdefault(singular(key), name)
        return found

    def titles(self, names: list[str]) -> list[str]:
        return [self.tools[n].spec.title for n in names if n in self.tools]


def _described(spec: ToolSpec) -> str:
    """A tool's description and its fields' (what `tools/` says each one is for)."""
    fields = spec.input_schema().get("properties", {})
    return " ".join([spec.description, *(str(f.get("description", "")) for f in fields.values())])


def _opening_words(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(words[0] for t in texts if (words := re.findall(r"[a-z]+", t.lower())))


def _command_words(training: TrainingSet, tools: object) -> frozenset[str]:
    """Words the examples use as commands: in at least two examples, and not names (a word the
    examples write capitalised inside a sentence at least as often as in lowercase is a name:
    "Harbor" in "Harbor Bikes"; a word in one example only is as likely a name as anything)."""
    capital: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text, label in zip(training.texts, training.labels, strict=True):
        if label in DECLINE_LABELS:
            continue  # "why is the sky blue" makes no command of "blue" ("Blue Sun" is a name)
        tokens = example_words(text)
        seen.update({t.lower().removesuffix("'s") for t in tokens})
        for i, token in enumerate(tokens):
            word = token.lower().removesuffix("'s")
            if token[0].isupper() and i > 0:
                capital[word] += 1
            elif token[0].islower():
                lower[word] += 1
    names = {w for w in capital if capital[w] >= lower[w]}
    words = {w for w in lower if w not in names and seen[w] >= 2} | set(STOP) | set(KNOWN)
    for tool in tools:  # type: ignore[attr-defined]
        for slot in tool.slots:
            words |= set(slot.name.split("_"))
            for value, phrases in slot.synonyms.items():
                words |= set(value.lower().split("_"))
                words |= {w for p in phrases for w in re.findall(r"[a-z]+", p.lower())}
    return frozenset(words)


def _destructive_words(tools: Mapping[str, ToolSlots]) -> frozenset[str]:
    """Words only the examples of destructive tools use, in two or more of them ("delete",
    "remove", "wipe"): what makes "delete *all* churned customers" a bulk deletion."""
    used: Counter[str] = Counter()
    for tool in tools.values():
        if tool.spec.destructive:
            for example in tool.language.examples:
                used.update({w.lower() for w in example_words(example)})
    elsewhere = _words_elsewhere(tools)
    return frozenset(w for w, n in used.items() if n >= 2 and w not in elsewhere)


def _words_elsewhere(tools: Mapping[str, ToolSlots]) -> frozenset[str]:
    """Every word the examples of the tools that remove nothing use."""
    return frozenset(w.lower() for t in tools.values() if not t.spec.destructive
                     for e in t.language.examples for w in example_words(e))


def removal_cues(tools: Mapping[str, ToolSlots], names: frozenset[str]) -> dict[str, frozenset[str]]:
    """Per destructive tool, the words its examples open with or that only destructive tools'
    examples use ("unplug", "disconnect", "revoke", "trash"), less openers that three or more
    other tools share ("please", "can", "get"): a request with none of them ("n hubspot?",
    "just HubSpot's ones please") asks for no removal, however its names score."""
    shared = Counter(w for t in tools.values() if not t.spec.destructive for w in t.openers)
    common = {w for w, n in shared.items() if n >= 3}
    elsewhere = _words_elsewhere(tools)
    out = {}
    for name, tool in tools.items():
        if tool.spec.destructive:
            own = {w.lower() for e in tool.language.examples for w in example_words(e)}
            out[name] = frozenset((set(tool.openers) | (own - elsewhere - names)) - common)
    return out


_CATALOGS: dict[tuple[tuple[str, int, int], ...], Catalog] = {}
_TRAINED: dict[str, Catalog] = {}


def build_catalog(
    languages: Mapping[str, ToolLanguage] | None = None, specs: Mapping[str, ToolSpec] | None = None
) -> Catalog:
    """The catalog of these declarations (default: every registered tool with its language),
    built once per set of declaration objects and trained once per fingerprint."""
    specs = specs if specs is not None else all_tools()
    languages = languages if languages is not None else all_languages()
    languages = {name: lang for name, lang in languages.items() if name in specs}
    key = tuple(sorted((name, id(lang), id(specs[name])) for name, lang in languages.items()))
    found = _CATALOGS.get(key)
    if found is not None:
        return found
    training = build(languages, (field for name in languages for field in specs[name].input_schema()
                                 .get("properties", {}) if field.endswith(("_id", "_ids"))),
                     (_described(specs[name]) for name in languages))
    found = _TRAINED.get(training.fingerprint)
    if found is None or set(found.tools) != set(languages):
        tools = {name: slots_of(specs[name], lang) for name, lang in languages.items()}
        found = _TRAINED[training.fingerprint] = Catalog(tools, training)
    _CATALOGS[key] = found
    return found
