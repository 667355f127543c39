"""The free text of a request: a new record's title or name, a rename, a company, an existing
record named by what is left of the request, and text filters (fill reads everything else).
Titles and names keep every word but a courtesy, and the owner's spelling."""

from __future__ import annotations

import re
from typing import Any

from agent.nlu import extract_text as text
from agent.nlu.dates import MONTHS
from agent.nlu.english import is_everyday
from agent.nlu.extract_ids import ID
from agent.nlu.slots import ToolSlots
from agent.nlu.utterance import Utterance
from agent.nlu.words import RECORD_NOUNS, STOP

SEARCH_NAMES = ("search", "query", "q", "text")
RENAME_CUE = re.compile(r"\b(?:rename\b.{1,60}?\bto|(?:name|title)\s+(?:to|is now|should be)"
                        r"|(?:name|title)\s+of\b.{1,60}?\bto|(?:goes|going|go)\s+by|now\s+(?:called|named)"
                        r")\s+")


SEARCH_CUE = re.compile(
    r"\b(?:named|called|for|with|about|matching|containing"
    r"|(?:find|look\s*up|search|pull\s+up|details\s+(?:of|on))(?:\s+(?:the|my|our|a))?"
    r"(?:\s+(?:customer|client|contact|lead|person|deal|member|account))?)\s+$"
)
"""Words after which lowercase text is still a name the owner gave ("find customer yuki moore")."""


def read_texts(u: Utterance, tool: ToolSlots, args: dict[str, Any], common: frozenset[str]) -> None:
    """A change to a record takes no company after "from" ("remove the tag *from* Maria King"
    names the record changed)."""
    for slot in tool.of_kind("email"):
        if (email := text.read_email(u)) is not None:
            args[slot.name] = email
    phone = tool.get("phone")
    if phone is not None and phone.kind == "text" and (number := text.read_phone(u)) is not None:
        args["phone"] = number
    for slot in tool.of_kind("text"):
        if slot.name in ("name", "title") and not slot.required:
            span = (text.read_cued(u, RENAME_CUE, text.TITLE_STOP, end_at=text.TITLE_END)
                    or text.read_cued(u, text.TITLE_CUE, text.TITLE_STOP, end_at=text.TITLE_END))
            if span:
                args[slot.name] = text.as_typed(u, span.text)
        elif slot.name == "title":
            cued = text.read_cued(u, text.TITLE_CUE, text.TITLE_STOP, end_at=text.TITLE_END)
            title = text.read_quoted(u) or (text.as_typed(u, cued.text) if cued else None)
            if title:
                args["title"] = title
        elif (said := _written_after_colon(u, slot.name, tool.language.field_words.get(slot.name, ()))):
            args[slot.name] = said
    company = tool.get("company")
    if company is not None and company.kind == "text":
        cues = text.CHANGED_COMPANY_CUES if any(s.identifies for s in tool.slots) else text.COMPANY_CUES
        span = text.read_cued(u, text.MOVED_CUE, common, capitalised_only=True) or next(
            (found for cue in cues if (found := text.read_cued(u, cue, common))), None)
        if span and _a_day(span.text):  # "leads from 15 august to ...": a period, left to be read as one
            u.taken.remove((span.start, span.end))
        elif span and tool.get("search") is not None and "search" not in args and IN_THE_NAME.match(
                u.norm[span.end:]):
            args["search"] = span.text  # "churned ppl with 'khan' in their name": a text to search for
        elif span and span.text.lower().rstrip(".") not in MONTHS and re.search(r"[^\W\d_]", span.text):
            # "end of Feb" and "at 8,750" are no company
            args["company"] = (
                text.title_case(span.text) if company.required or tool.get("name") else span.text
            )


def _a_day(said: str) -> bool:
    """"15 august", "the 3rd of March 2026": a day, whatever cue it follows."""
    words = [w.rstrip(".,") for w in said.lower().split()]
    return any(w in MONTHS for w in words) and all(
        w in MONTHS or w in ("of", "the") or re.fullmatch(r"\d{1,4}(?:st|nd|rd|th)?", w) for w in words)


def _written_after_colon(u: Utterance, field: str, words: tuple[str, ...]) -> str | None:
    """A free-text field's value written after its name and a colon, to the end ("add a note to
    the Acme deal: lost to a competitor on price"): taken whole, so its words are read as no other
    value ("lost" is no stage). Only for a field whose words the tool declares (field_words)."""
    if not words:
        return None
    names = "|".join(re.escape(w) for w in (field.replace("_", " "), *words))
    m = re.search(rf"\b(?:{names})\b[^:.?!]{{0,60}}:\s*(?P<said>\S.*?)\s*$", u.cased, re.I)
    if m is None or not u.is_free(m.start("said"), m.end("said")):
        return None
    u.take(m.start("said"), m.end("said"))
    return text.as_typed(u, m.group("said").rstrip(" ."))


NO_NAME = re.compile(r"\b(?:(?:did ?n['’]?t|did not|didn['’]t|don['’]?t|do not|never)\s+"
                     r"(?:catch|get|know|have|ask|take down|write down)\s+(?:his|her|their|the)\s+name"
                     r"|no name|name unknown|without a name)\b")
""""I didn't catch her name": the new record's name is asked for, not guessed from other words."""


def read_name(u: Utterance, tool: ToolSlots, args: dict[str, Any], common: frozenset[str]) -> None:
    """The required name of a new record: after "called"/"named", else the first name in it."""
    slot = tool.get("name")
    if slot is None or not slot.required or slot.kind != "text" or NO_NAME.search(u.norm):
        return
    span = text.read_cued(u, text.TITLE_CUE, common, capitalised_only=True, end_at=text.TITLE_END) or (
        text.read_cued(u, text.NAMING, common, end_at=text.TITLE_END))
    if span is None and tool.name.startswith("create_") and (quoted := text.read_quoted(u)):
        args["name"] = quoted  # "a custom connector 'inventory' for https://...": the name given
        return
    spans = [] if span else [s for s in text.name_spans(u, common)
                             if not set(s.text.lower().split()) <= LEAD_WORDS  # "nah, flip it back on"
                             and (s.capitalised or not text.everyday(s))
                             and not WHEN_BEFORE.search(u.norm[:s.start])]  # "over Black Friday"
    after_so = [m.end() for m in SO.finditer(u.norm)]
    if after_so and not tool.name.startswith("create_"):  # "... the inbox was drowning. ..., so turn it
        spans = [s for s in spans if s.capitalised or s.start >= after_so[-1]]  # back on": asked after "so"
    if span is None and spans:
        span = next((s for s in spans if s.capitalised), spans[0])
        if not span.capitalised and not tool.name.startswith("create_"):
            left = _leftover(u, tool)  # "pause the weekly invoice reminder": an existing record
            if left is not None:
                u.take(left.start, left.end)
                args["name"] = left.text
                return
            if any(t.lower() in QUESTION_WORDS for t, _, _ in u.tokens()):
                return  # "... and who gets emailed": a question about the record, not its name
        u.take(span.start, span.end)
    elif span is None and not tool.name.startswith("create_"):
        span = _leftover(u, tool)
        if span is not None:
            u.take(span.start, span.end)
            args["name"] = span.text
            return
    if span is not None:
        args["name"] = text.title_case(span.text)
    company = tool.get("company")
    rest = [s for s in spans if s is not span and s.start > (span.end if span else 0)]
    if (
        company is not None
        and "company" not in args
        and rest
        and "," in u.cased[span.end if span else 0 : rest[0].start]
    ):
        args["company"] = text.title_case(rest[0].text)
        u.take(rest[0].start, rest[0].end)


IN_THE_NAME = re.compile(r"['\"’”]?\s+in\s+(?:the|their|there|his|her|its)?\s*(?:full\s+)?(?:names?|e-?mails?"
                         r"|email address(?:es)?)\b")


FILLERS = frozenset({"the", "a", "an", "my", "our", "this", "that", "please", "pls", "can", "could",
                     "you", "would", "will", "me", "it", "its", "of", "for", "to", "up", "just"})
LEAD_WORDS = frozenset({"turn", "get", "rid", "of", "off", "on", "back", "switch", "called", "named",
                        "does", "do", "did", "is", "was", "has", "exactly", "actually", "really", "nah",
                        "no", "yeah", "ok", "okay", "flip", "and", "also", "then", "never", "mind",
                        "nevermind", "wait", "oh", "oops", "sorry", "hmm", "longer"})
""""what does the lead nurture one do", "actually no, switch it back on": words that open a request
before a name, never in it."""
ONE = frozenset({"one", "thing"})
""""delete the lead nurture *one*": what names the record ends there, as at its noun."""
QUANTIFIERS = frozenset({"one", "some", "any", "another", "all", "each", "every", "both", "either"})
QUESTION_WORDS = frozenset({"who", "what", "which", "when", "where", "why", "how", "whose"})
TAIL_WORDS = frozenset({"now", "again", "please", "back", "on", "off", "for", "today", "for now", "do"})


SO = re.compile(r"[,;.]\s+(?:so|which is why)\s+")
"""What is asked comes after it ("we chase unpaid bills by hand now, so scrap the ... reminder")."""
TIME_WORDS = frozenset({"till", "until", "til", "over", "during", "since", "before", "after", "through"})
WHEN_BEFORE = re.compile(rf"\b(?:{'|'.join(sorted(TIME_WORDS - {'through'}))})\s+(?:the\s+)?$")
"""Words before a time, not a record ("we paused it over Black Friday", "pause it till January")."""


def _leftover(u: Utterance, tool: ToolSlots) -> text.Span | None:
    """What is left of a request to an existing record once the verb, fillers and the record's
    noun are set aside: its name, even when every word of it is also a command word ("the
    *lead nurture* workflow"), up to the record's noun (what follows it is about the call: "the
    invoice reminder automation *and its history*"), or its id alone. The tool matches it
    against the records (fuzzily)."""
    own = set(tool.name.split("_"))
    lead = FILLERS | tool.openers | own | LEAD_WORDS  # "lead nurture": a record noun may start a name
    tail = FILLERS | own | RECORD_NOUNS | TAIL_WORDS
    words = [t for t in u.tokens() if re.match(r"\w", t[0])]
    so = [m.end() for m in SO.finditer(u.norm)]
    if so:  # "we chase unpaid bills by hand now, so scrap the weekly invoice reminder thing"
        words = [w for w in words if w[1] >= so[-1]] or words
    after_the_noun = -1  # words set aside after "the automation", once it is said
    while words and (words[0][0].lower() in lead or _opens_with_everyday(words[0])):
        gone = words.pop(0)
        if gone[0].lower() in ("called", "named"):
            after_the_noun = -2  # "the automation called lead nurture": its name follows
        elif after_the_noun >= 0:
            after_the_noun += 1
        elif gone[0].lower() in own | RECORD_NOUNS and _after_the(u, gone):
            after_the_noun = 0
    if after_the_noun > 0:
        return None  # "put the automation on hold for now, it's annoying people": which is asked
    if words and ID.fullmatch(words[0][0].lower()):
        words = words[:1]  # "remove automation auto_9 along with its run history"
    noun = next((i for i, w in enumerate(words) if i > 0 and w[0].lower() in own | RECORD_NOUNS | ONE
                 and not _starts_name(words, i, own)), None)
    if noun is not None:
        cut_at_one = words[noun][0].lower() in ONE
        words = words[:noun]  # "the invoice reminder automation and its history"
        if cut_at_one:  # "the lead one": what stands before "one" is the name, record noun or not
            tail = FILLERS | TAIL_WORDS
    while words and words[-1][0].lower() in tail:
        words.pop()
    if len(words) > text.MAX_NAME_WORDS:  # "the lead nurture campaign for now, we're redoing ...":
        words = _first_phrase(u, words)  # the name is the first phrase of plain words
    if words and words[0][0].lower() in TIME_WORDS:
        return None  # "pause it till january": when, not which
    if not words or all(t.lower() in QUANTIFIERS for t, _, _ in words):
        return None  # "turn off one of my automations" names none: which is asked
    if any(t.lower() in QUESTION_WORDS for t, _, _ in words):
        return None  # "... Who gets the emails and which template?": a question, no name
    if re.search(r"\b(?:its|their)\s+$", u.norm[:words[0][1]]):
        return None  # "then show me its setup": what the record it points back to has, no name
    return text.Span(" ".join(t for t, _, _ in words), words[0][1], words[-1][2], False)


def _after_the(u: Utterance, word: tuple[str, int, int]) -> bool:
    return bool(re.search(r"\b(?:the|this|that)\s+$", u.norm[:word[1]]))


def _opens_with_everyday(word: tuple[str, int, int]) -> bool:
    """"Half my customers are away ...": a capitalised everyday word opening the message is no
    record's name."""
    return word[1] == 0 and word[0][:1].isupper() and is_everyday(word[0])


def _starts_name(words: list[tuple[str, int, int]], i: int, own: set[str]) -> bool:
    """"i paused the *lead* nurture campaign": a record noun after "the" with a name's word after
    it opens the name (not the tool's own noun, nor a plural: "one of my automations")."""
    low = words[i][0].lower()
    return (words[i - 1][0].lower() == "the" and i + 1 < len(words) and low not in own
            and not low.endswith("s") and words[i + 1][0].lower() not in STOP | FILLERS | TAIL_WORDS)


def _first_phrase(u: Utterance, words: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The first run of two or more words that are no stop words, in one clause and not after a
    subject ("does it *fire next*" is what it does, not its name); none if there is none."""
    run: list[tuple[str, int, int]] = []
    before = ""
    for i, word in enumerate(words):
        joined = not run or not re.search(r"[,;.!?]", u.cased[run[-1][2]:word[1]])
        low = word[0].lower()
        named = i == 0 and low not in FILLERS and re.search(r"\b(?:the|my|our)\s+$",
                                                            u.norm[:word[1]]) is not None
        if (low in STOP and not named) or not joined or (not run and before in SUBJECTS):
            if len(run) >= 2:
                break
            run = [] if low in STOP or before in SUBJECTS else [word]
        else:
            run.append(word)
        before = low
    return run if 2 <= len(run) <= text.MAX_NAME_WORDS else []


SUBJECTS = frozenset({"it", "he", "she", "they", "we", "you", "i", "that", "this"})


def read_search(u: Utterance, tool: ToolSlots, args: dict[str, Any], common: frozenset[str]) -> None:
    """An optional text filter: a name the owner clearly gave (capitalised, after a cue, or an
    email), never a stray word. A name before the records' noun ("Hooli customers") is a company."""
    slot = next(
        (s for s in tool.of_kind("text", "email") if s.name in SEARCH_NAMES and s.name not in args), None
    )
    if slot is None:
        return
    address = next((m for m in text.EMAIL.finditer(u.cased) if u.is_free(m.start(), m.end())), None)
    if address is not None:  # "look up jane.smith.234@example.com": the address is the search
        args[slot.name] = address.group(0)
        u.take(address.start(), address.end())
        return
    span = text.best_span(text.name_spans(u, common))
    cued = span is not None and SEARCH_CUE.search(u.norm[: span.start]) is not None
    if span is not None and not cued and any(name.endswith("email") for name in args):
        return  # "what has Marco been up to? his email is sales@...": the person the address is
    if span is None or not (span.capitalised or cued or "@" in span.text):
        left = _leftover(u, tool) if slot.required else None
        if left is not None and not all(w.lower() in common for w in left.text.split()):
            # "find the oscorp team uniforms deal": the search is what is left
            u.take(left.start, left.end)
            args[slot.name] = left.text
        return
    if not span.capitalised and slot.required:
        left = _leftover(u, tool)  # "find the oscorp team uniforms deal": the whole name, not "oscorp"
        if left is not None and left.start <= span.start and span.end <= left.end:
            span = left
    company = tool.get("company")
    target = (
        "company"
        if (company is not None and "company" not in args and text.before_record_noun(u, span))
        else slot.name
    )
    args[target] = span.text
    u.take(span.start, span.end)


def read_record_filter(u: Utterance, tool: ToolSlots, args: dict[str, Any], common: frozenset[str]) -> None:
    """A text field named after a kind of record filters by that record's name, given right
    before its noun: "runs of the *invoice reminder* automation"."""
    stop = FILLERS | tool.openers | RECORD_NOUNS | {"any", "all", "every", "which", "what", "how", "many"}
    for slot in tool.of_kind("text"):
        if slot.required or slot.name in args or slot.name not in RECORD_NOUNS:
            continue
        for noun in u.find(rf"\b{re.escape(slot.name)}s?\b"):
            before = [t for t in u.tokens() if t[2] <= noun.start()]
            words: list[tuple[str, int, int]] = []
            while before and re.match(r"\w", before[-1][0]) and before[-1][0].lower() not in stop \
                    and len(words) < text.MAX_NAME_WORDS:
                words.insert(0, before.pop())
            if words and not u.cased[words[-1][2]:noun.start()].strip():
                args[slot.name] = u.cased[words[0][1]:words[-1][2]]
                u.take(words[0][1], words[-1][2])
                break


TITLE_AFTER = re.compile(r"[:\-–—]\s*$")


def read_title(u: Utterance, tool: ToolSlots, args: dict[str, Any], common: frozenset[str]) -> None:
    """A new record's title given without a cue: the name left once its links are read,
    capitalised or set off by a colon or dash ("a deal for Hannah Lopez - Monarch tent hire")."""
    slot = tool.get("title")
    if slot is None or not slot.required or slot.kind != "text" or "title" in args:
        return
    for span in text.name_spans(u, common):
        if span.capitalised or TITLE_AFTER.search(u.cased[: span.start]):
            # it runs on over ordinary words to the next cue or comma: "Vandelay trade fair stand"
            whole = text.span_after(u, span.start, text.TITLE_STOP, text.TITLE_END) or span
            args["title"] = text.as_typed(u, whole.text)
            u.take(whole.start, whole.end)
            return
    tail = TRAILING_TITLE.search(u.cased)
    words = tail.group("t").split() if tail else []
    if tail and u.is_free(tail.start("t"), tail.end("t")) and not any(
            w.lower() in STOP | FILLERS | SUBJECTS | QUANTIFIERS | RECORD_NOUNS for w in words):
        args["title"] = text.title_case(tail.group("t")[:1].upper() + tail.group("t")[1:])
        u.take(tail.start("t"), tail.end("t"))  # "a 7.5k deal on omar taylor for window displays"


TRAILING_TITLE = re.compile(r"(?:\bfor|,)\s+(?:(?:the|our|their)\s+)?"
                            r"(?P<t>[A-Za-z][\w'&-]*(?:\s+[A-Za-z][\w'&-]*){0,4})\s*[.!]?\s*$")
"""What a new record is for, said last after "for" or a comma ("... for her, wedding cakes")."""
