"""Carrying out a plan against the calls already made in this turn: the next call to emit, or
the answer. Stateless: the same plan and the same steps always give the same decision.

For each planned call in order: ask for a missing field; resolve each name with a lookup call
(or a pronoun with the records the conversation is about); then emit the call itself. A failed
or cancelled call that a later step points back to ends the turn with what happened ("revoke key
k_1, then show me what keys I still have" still lists them); when every call has run, the results
are phrased together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz.utils import default_process

from agent.nlu import answers
from agent.nlu.about_last import ABOUT, ORDINAL, placed
from agent.nlu.catalog import Catalog
from agent.nlu.conversation import Step
from agent.nlu.extract_text import title_case
from agent.nlu.fill import read
from agent.nlu.plan import Intent, Plan
from agent.nlu.references import Candidate, Entity, candidates_of, choose, entities_of, recent_entity
from agent.nlu.slots import ToolSlots
from agent.nlu.step_parts import RECORD_ID
from agent.nlu.words import PERSON_BACK, POINTS_BACK, STOP

IMPERSONAL = re.compile(r"\b(?:it|its)\b")
LABEL_WORD = re.compile(r"[a-z]{3,}")
NEWEST = re.compile(r"\b(?:most recent|latest|newest|last one)\b", re.I)
DESCRIBED = re.compile(ORDINAL.pattern + "|" + ABOUT.pattern)
"""A record told by its place or what it is about: picked from its list, not asked for by id."""
LISTING_FILTERS = frozenset({"enum", "window", "number", "integer"})

LOOKUP_LIMIT = 5
OWNED_LOOKUP_LIMIT = 20  # the lookup tool's most
POSSESSIVE = re.compile(r"\b(?:his|her|their)\b", re.I)
SINGLE_TOP = re.compile(
    r"^(?!.*\b(?:top|first|best|biggest|largest)\s+\d)(?!.*\b(?:customers|clients|deals|accounts|buyers|ones)\b)"
    r".*\b(?:single|the|my|our|whoever|who(?:['’]s| is)?|which \w+ (?:is|has))\s+(?:\w+\s+)?"
    r"(?:biggest|largest|top|best|highest|most|riskiest|greatest|richest)\b", re.I)
"""A request for the one record that ranks first ("my single biggest customer", "whoever spent the
most", "which customer is the highest churn risk"), not for a ranking ("my top 5 customers")."""


def titled(catalog: Catalog, tool: str, name: str) -> bool:
    """A new record's title, which defaults to what it is for ("Acme deal"); a tool that acts on
    a record it identifies changes a title, so "rename the Oscorp deal" asks for the new one."""
    slots = catalog.tools[tool]
    return (name == "title" and slots.spec.kind == "write"
            and not any(s.identifies and s.required for s in slots.slots))


IT = re.compile(r"\b(?:it|its|it['’]s)\b", re.I)
WANTED = re.compile(r"\b(?:wants?|needs?|asked for|is after|would like|ordered|is ordering)\s+"
                    r"(?:some\s+|a\s+)?"
                    r"(?P<what>(?:\d+\s+)?[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,3}?)"
                    r"(?=\s+(?:for|by|before|from|and|at|in|to)\b|\s*[,.;!?]|\s*$)")
"""What the customer wants ("Hannah Lopez wants 40 camping chairs for her group"): the title of a
deal for her that is given none, after her name."""


@dataclass
class Pending:
    """What an answer that asks a question is waiting for."""

    plan: Plan
    index: int
    name: str
    """The field the question is about."""
    candidates: list[Candidate] = field(default_factory=list)
    choices: tuple[str, ...] = ()


@dataclass
class Emit:
    calls: list[tuple[str, dict[str, Any]]]


@dataclass
class Answer:
    text: str
    pending: Pending | None = None


Decision = Emit | Answer


@dataclass
class Advance:
    catalog: Catalog
    lookup: str | None
    earlier_steps: Callable[[], Iterator[Step]]
    """Steps of earlier turns, newest first (for pronouns)."""
    quiet: bool = False
    """Only the decision matters (re-reading an earlier turn): nothing is phrased."""
    today: date | None = None
    """For reading a listing's filters from the request (see _listing)."""

    def run(self, plan: Plan, steps: list[Step]) -> Decision:
        if plan.reply is not None:
            pending = (
                Pending(plan, 0, "", choices=plan.route.choices)
                if plan.route and plan.route.choices
                else None
            )
            return Answer(plan.reply, pending)
        cursor = 0
        done: list[Step] = []
        for index, intent in enumerate(plan.intents):
            args = dict(intent.args)
            labels: list[str] = []
            named = bool(intent.references or intent.pronouns or intent.ids)
            pointed: dict[str, Any] = {}
            called: dict[str, str] = {}
            for name, kind in self._retargeted(intent, done).items():
                entity = self._top_one(plan, index, kind, done) or recent_entity(self._newest(done), kind,
                                                                                 self._kinds())
                slot = self.catalog.tools[intent.tool].get(name)
                if entity is None and slot is not None and not slot.required and name not in intent.missing:
                    continue  # "log a deal, it's qualified": no earlier record, and none is needed
                entity = entity or self._named_in_list(intent.text, kind, done)
                if entity is None and name in intent.fallbacks:
                    called[name] = intent.fallbacks[name]  # "GLOBEX SIGNED! the event sponsorship
                    continue  # one, mark it": no deal before it, so the one it is called by
                if entity is None:
                    return self._asked(plan, index, name, done)
                pointed[name] = entity.id
                labels.append(entity.label)
            # the record first: "update it on her record" with no one named asks which customer
            for name in intent.missing:
                if name not in intent.references and name not in intent.pronouns and not (
                    named and titled(self.catalog, intent.tool, name)
                ):
                    carried = self._carried(plan, index, name, done)
                    if carried is None:
                        shown = self._shown(plan, index, name, steps, cursor, done)
                        if not isinstance(shown, tuple):
                            return shown
                        carried, cursor = shown
                    args[name] = carried
            args.update(self._pointed_back(intent, args, done))
            args.update(pointed)
            args.update(intent.ids)
            for name, text in (intent.references | called).items():
                if name in intent.ids:
                    continue
                slot = self.catalog.tools[intent.tool].get(name)
                record = (slot.reference if slot else None) or name.removesuffix("_id")
                if self.lookup is None:
                    return Answer(answers.unavailable(self.catalog, intent.tool))
                lookup_args = {"kind": record, "text": text, "limit": self._limit(intent.text, record, done)}
                if cursor >= len(steps):
                    return Emit([(self.lookup, lookup_args)])
                step = steps[cursor]
                cursor += 1
                if step.error or step.data is None:
                    return self._finish(done, step)
                chosen = choose(candidates_of(step), text, linking=bool(slot and not slot.required),
                                request=intent.text)
                if chosen is None:
                    return Answer(self._prefix(done, answers.not_found(record, text)))
                if isinstance(chosen, list):
                    chosen = self._shown_before(chosen, done)
                if isinstance(chosen, list):
                    chosen = self._theirs(chosen, intent.text, done)
                if isinstance(chosen, list):
                    pending = Pending(plan, index, name, candidates=chosen)
                    return Answer(self._prefix(done, answers.which_one(record, text, chosen)), pending)
                args[name] = chosen.id
                labels.append(title_case(text))
            for name in intent.missing:
                if name not in args and titled(self.catalog, intent.tool, name):
                    if not labels:
                        return self._asked(plan, index, name, done)
                    wanted = WANTED.search(intent.text)
                    args[name] = (f"{labels[0]} - {wanted.group('what').strip()}" if wanted is not None
                                  else f"{labels[0]} {self.catalog.tools[intent.tool].noun}")
            if cursor >= len(steps):
                return Emit([(intent.tool, args)])
            step = steps[cursor]
            cursor += 1
            if (step.error or step.cancelled) and self._later_points_back(plan, index):
                return self._finish(done, step)
            done.append(step)
        return Answer(self._prefix(done, ""))

    def _carried(self, plan: Plan, index: int, name: str, done: list[Step]) -> Any:
        """"check hubspot's sync status, then disconnect *it*": a value the request points back
        to, given to the last call that took a field of that name (if it means the same here)."""
        intent = plan.intents[index]
        slot = self.catalog.tools[intent.tool].get(name)
        elided = index > 0 and not intent.references and slot is not None and slot.identifies
        if not (POINTS_BACK.search(intent.text.lower()) or (index > 0 and PERSON_BACK.search(intent.text))
                or elided):  # "Leila Martin: how much she spent this year, and forecast ...": hers
            return None
        for step in self._newest(done):
            if step.name == intent.tool:
                return None  # "... over a year. worth it?": the same call again is no new step
            if name in step.args:
                value = step.args[name]
                return value if slot is not None and slot.accepts(value) else None
            named = slot.names if slot is not None else None  # "runs of the invoice reminder, then
            if named and isinstance(step.args.get(named), str):  # pause it": its `automation` is the name
                return step.args[named]

        kind = slot.record_kind if slot is not None and slot.identifies else None
        if kind:  # "open that simulation again": the one the last answers were about, by its id
            entity = self._top_one(plan, index, kind, done) or recent_entity(self._newest(done), kind,
                                                                             self._kinds())
            return entity.id if entity is not None else None
        return None

    def _shown(self, plan: Plan, index: int, name: str, steps: list[Step], cursor: int,
               done: list[Step]) -> Decision | tuple[str, int]:
        """The record a missing id names, from the list of its kind (see _listing): the list is
        shown first (or the one just shown is used), then the record it leaves no doubt about
        is taken, else the owner is asked which (or told there is none). With the cursor past
        the list's step."""
        intent = plan.intents[index]
        listing = self._listing(intent, name)
        just_shown = bool(listing and done and done[-1].name == listing[0])
        newest = NEWEST.search(intent.text) is not None
        described = listing is not None and (listing[1] or newest or DESCRIBED.search(intent.text.lower()))
        if listing is None or not (just_shown or described):
            return self._asked(plan, index, name, done)  # "delete a webhook": which is asked
        if just_shown:
            step = done.pop()  # "show my insights, then mark the second one as read"
        elif cursor >= len(steps):
            return Emit([listing])
        else:
            step, cursor = steps[cursor], cursor + 1
        if step.error or step.data is None:
            return self._finish(done, step)
        done.append(step)
        rows = self._rows(step, self._id_kind(intent, name))
        if (found := placed(intent.text, rows)) is not None:
            return found.id, cursor  # "mark the second one as read", "the one about stuck deals"
        alone = len(rows) == 1 and not ORDINAL.search(intent.text.lower())  # not "the second one" of one
        if rows and (alone or newest):
            return rows[0].id, cursor
        return self._asked(plan, index, name, done) if rows else Answer(self._prefix(done, ""))

    def _listing(self, intent: Intent, name: str) -> tuple[str, dict[str, Any]] | None:
        """"delete the webhook that's paused", "push the failed delivery through again": a record
        the owner can only give by its id is shown, not asked for: the list of its kind, filtered by
        what the request says of it (the list's own enum and number fields only)."""
        tool = self.catalog.listings.get(self._id_kind(intent, name) or "")
        if tool is None or tool == intent.tool or self.today is None:
            return None
        slots = self.catalog.tools[tool]
        filled = read(intent.text, tool, self.catalog, self.today)
        return tool, {key: value for key, value in filled.args.items()  # "pause it": the change, no filter
                      if (s := slots.get(key)) is not None and s.kind in LISTING_FILTERS
                      and key not in intent.args}

    def _id_kind(self, intent: Intent, name: str) -> str | None:
        """The kind of record a field names only by its id (webhook_id: a webhook), not by name."""
        slot = self.catalog.tools[intent.tool].get(name)
        by_id = slot is not None and slot.name.endswith("_id") and slot.kind != "reference" and not slot.names
        return slot.record_kind if slot is not None and by_id else None

    def _rows(self, step: Step | None, kind: str | None) -> list[Entity]:
        """The records of this kind a result shows, in its order."""
        return [e for e in entities_of(step, self._kinds(), every=True) if e.kind == kind] if step else []

    def _pointed_back(self, intent: Intent, args: dict[str, Any], done: list[Step]) -> dict[str, Any]:
        """"sync stripe then tell me *its* sync status": what the step before in this request
        acted on (its required field), for the field of the same name here, where this step
        points back to it. Only as a filter of a read: a change's optional fields are changes ("add
        Tom Baker ... and tag him wholesale" does not rename him to himself)."""
        if not done or not POINTS_BACK.search(intent.text.lower()) or done[-1].name not in self.catalog.tools:
            return {}
        before, slots = self.catalog.tools[done[-1].name], self.catalog.tools[intent.tool]
        if slots.spec.kind != "read":
            return {}
        same = {name: value for name, value in done[-1].args.items()
                if name not in args and (was := before.get(name)) is not None and was.required
                and (slot := slots.get(name)) is not None and not slot.required and slot.accepts(value)}
        return same or (self._named_alike(done[-1], slots, args) if IT.search(intent.text) else {})

    @staticmethod
    def _named_alike(step: Step, slots: ToolSlots, args: dict[str, Any]) -> dict[str, Any]:
        """"is shopify syncing alright? and how accurate is the data *it* sends": the one value of
        the step before that one of this tool's listed values takes (its connection, this tool's
        source), when this step gives that field nothing."""
        given = [v for name, v in step.args.items() if isinstance(v, str) and slots.get(name) is None]
        fits = [(s.name, v) for s in slots.of_kind("enum") if s.name not in args and not s.required
                for v in given if v in s.values]
        return dict(fits) if len(fits) == 1 else {}

    def _retargeted(self, intent: Intent, done: list[Step]) -> dict[str, str]:
        """"show me the Acme deal", then "which source set *its* stage?": a tool that takes any
        of several kinds of record as an optional link (a customer or a deal) is pointed at the
        kind the last answer was about, not the first link it declares."""
        pronouns = dict(intent.pronouns)
        if len(pronouns) != 1 or not IMPERSONAL.search(intent.text.lower()):
            return pronouns
        (name, kind), = pronouns.items()
        slots = self.catalog.tools[intent.tool]
        links = {s.reference: s.name for s in slots.references
                 if not s.required and s.reference and s.name not in intent.references}
        if name not in links.values() or len(links) < 2:
            return pronouns
        last = next(iter(self._newest(done)), None)
        about = entities_of(last, self._kinds()) if last is not None else []
        first = next((e.kind for e in about if e.kind in links), kind)
        return {links[first]: first}

    def _top_one(self, plan: Plan, index: int, kind: str, done: list[Step]) -> Entity | None:
        """"who's my single biggest customer this year? then check how likely *they* are to
        churn": the step before asked for the one record that ranks first, and its list shows it
        first; that record, not the list (which is about no one record)."""
        if index == 0 or not done or not SINGLE_TOP.search(plan.intents[index - 1].text):
            return None
        rows = self._rows(done[-1], kind)
        return rows[0] if rows else None

    def _named_in_list(self, text: str, kind: str, done: list[Step]) -> Entity | None:
        """"show me the deals in negotiation" - "the hooli one just closed, we won it!": of the
        records the last answer listed, the one whose label has a word of the request that no
        other row has."""
        rows = self._rows(next(iter(self._newest(done)), None), kind)
        said = set(LABEL_WORD.findall(text.lower())) - STOP
        hits = [e for e in rows if said & set(LABEL_WORD.findall(e.label.lower()))]
        return hits[0] if len(rows) > 1 and len(hits) == 1 else None

    @staticmethod
    def _later_points_back(plan: Plan, index: int) -> bool:
        """Whether a step after this one needs it: "delete the Initech deal and mark Carlos as
        churned" still marks Carlos when the owner declines the deletion or it fails (they asked
        for both), but "delete the deal, then email its owner" stops there."""
        return any(later.pronouns or (POINTS_BACK.search(later.text.lower())
                                      and not RECORD_ID.search(later.text))  # "dismiss ins_8c2, that one"
                   for later in plan.intents[index + 1:])

    def _kinds(self) -> frozenset[str]:
        return self.catalog.record_kinds | {"customer", "deal", "workspace", "member"}

    def _shown_before(self, close: list[Candidate], done: list[Step]) -> Candidate | list[Candidate]:
        """"show Arjun's open deals" then "move the store fit-out one to proposal": of the records
        a name matches, the one the last answer showed, when it showed exactly one of them."""
        last = next(iter(self._newest(done)), None)
        if last is None:
            return close
        shown = {e.id for e in entities_of(last, self._kinds(), every=True)}
        among = [c for c in close if c.id in shown]
        return among[0] if len(among) == 1 else close

    def _limit(self, text: str, record: str, done: list[Step]) -> int:
        """How many records a lookup returns: more when the one meant may be picked from many
        of the same name by whose they are ("her gifts deal": every customer's "Corporate gifts"
        deal) or by the list the last answer showed ("the annual supply one")."""
        if POSSESSIVE.search(text) and recent_entity(self._newest(done), "customer", self._kinds()):
            return OWNED_LOOKUP_LIMIT
        last = next(iter(self._newest(done)), None)
        shown = entities_of(last, self._kinds(), every=True) if last is not None else []
        if sum(e.kind == record for e in shown) > 1:
            return OWNED_LOOKUP_LIMIT
        return LOOKUP_LIMIT

    def _theirs(self, close: list[Candidate], text: str, done: list[Step]) -> Candidate | list[Candidate]:
        """"update Jane Thomas's phone ... and move *her* gifts deal to proposal": of the records
        a name matches, the one whose detail names the person the possessive points back to."""
        if not POSSESSIVE.search(text):
            return close
        person = recent_entity(self._newest(done), "customer", self._kinds())
        if person is None or not person.label:
            return close
        owner = default_process(person.label)
        theirs = [c for c in close if default_process(c.detail.split(" · ")[0]) == owner]
        return theirs[0] if len(theirs) == 1 else close

    def _newest(self, done: list[Step]) -> Iterator[Step]:
        yield from reversed(done)
        yield from self.earlier_steps()

    def _asked(self, plan: Plan, index: int, name: str, done: list[Step]) -> Answer:
        text = answers.question(self.catalog, plan.intents[index].tool, name)
        return Answer(self._prefix(done, text), Pending(plan, index, name))

    def _prefix(self, done: list[Step], text: str) -> str:
        """What was done so far in this turn, then the rest."""
        if self.quiet:
            return text
        said = [answers.phrase(self.catalog, s, alone=len(done) == 1 and not text) for s in done]
        return "\n\n".join(x for x in [*said, text] if x) or "Done."

    def _finish(self, done: list[Step], failed: Step) -> Answer:
        return Answer(self._prefix(done, "" if self.quiet else answers.phrase(self.catalog, failed)))
