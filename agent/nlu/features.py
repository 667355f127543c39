"""What the intent classifier reads: a request with the values that say nothing about its intent
masked (names, ids, amounts, periods, emails), the declared values it names and the kind of
operation it asks for as one token each, and whether its words are words no tool's examples
write. The same text for an example at training and for a request at prediction
(agent.nlu.classifier fits and scores it).
"""

from __future__ import annotations

import re
from datetime import date

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
MAX_CHARS = 400
"""Only the start of a long message is read: a pasted page is not a command."""


FIRST_PERSON = re.compile(r"i(?:['’](?:d|m|ve|ll))?$")
""""I", "I'd", "I'm": the owner, never a name (capitalised, and not all in the vocabulary)."""
PERIOD_WORD = re.compile(r"(?:q[1-4]|h[12]|fy\d{2}(?:\d{2})?)$")
""""Q3", "H2", "FY26": a period written in capitals, read as one (not masked as a name: "revenue
in Q3" had read as "revenue in Somename")."""
NAME_TOKEN = re.compile(r"\b[A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*)*")


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


PURPOSE = re.compile(r"(?<=\w)[,;]?\s+so\s+(?:that\s+)?(?:i|we)\s+can\s+\w+(?:\s+(?!and\b|then\b)[\w'’]+)*"
                     r"\s*[.!?]*\s*$", re.I)
"""Why it is asked, after the request ("list all our webhooks so I can check it's there"): not what
is asked for, so not read (its verb, "check", would choose another tool)."""


NOT_DONE = re.compile(r"\(?\b(?:don['’]?t|do not|never|not|without|rather than|instead of)\s+(?:to\s+)?"
                      r"(?:delete|deleting|remove|removing|cancel|cancelling|disconnect|disconnecting|revoke"
                      r"|revoking|scrap|scrapping|bin|binning|kill|killing)\b(?:\s+(?:it|them|this|that))?\)?",
                      re.I)
"""A removal said not to be done ("stop it for now (don't delete it)"): no word of what is asked."""


THEN_MINE = re.compile(r"(?<=\w)\s*[,;]\s*(?:and\s+)?(?:(?:i|we)(?:['’]ll|\s+will|\s+shall)|ill)\s+"
                       r"(?!(?:also\s+)?(?:need|want|like|have|take)\b)[^.?!]*[.!]?\s*$", re.I)
"""What the owner will do after ("put the reminder on hold for a while, ill switch it back on later"):
told, not asked, so not read (its "switch ... back on" would choose the opposite tool)."""


def features_text(text: str, training: TrainingSet, example: bool = False) -> str:
    """The text the classifier reads; `example`: a tool's own example, whose words count as
    known only if another example has them too (see TrainingSet.shared_words)."""
    raw = name_ids(text[:MAX_CHARS], training)
    if " so " in raw:  # what PURPOSE needs
        raw = PURPOSE.sub("", raw)
    raw = THEN_MINE.sub("", NOT_DONE.sub(" ", raw))
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
