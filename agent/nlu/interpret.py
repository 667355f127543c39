"""A user turn as a plan, in the light of the conversation before it.

In order: an answer to the question the previous turn asked (a missing value, which record,
which tool); a follow-up on the previous request ("and the month before?", "only the active
ones", "same for Blue Sun"); several steps in one message; otherwise one request routed by the
classifier. The previous turn's state is rebuilt by interpreting it again (the model keeps no
state of its own), at most a few turns deep.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from agent.nlu import answers
from agent.nlu.advance import Advance, Answer, Pending, titled
from agent.nlu.answer_fill import fill_missing, tool_chosen
from agent.nlu.bulk import BULK, bulk
from agent.nlu.catalog import Catalog
from agent.nlu.conversation import Conversation, Step
from agent.nlu.courtesy import no_change_if_asked_whether, not_thanks_if_asked, without_acknowledgement
from agent.nlu.details import told_twice
from agent.nlu.features import MAX_CHARS
from agent.nlu.fill import read
from agent.nlu.followups import asks_anew, follow_up
from agent.nlu.lowercase_names import looked_up_as_typed, read_as_names
from agent.nlu.meaning import far_from_every_tool
from agent.nlu.openers import (
    another_kind_named,
    asks_removal,
    opens_with_another_verb,
    opens_with_its_verb,
    verb_no_tool_takes,
)
from agent.nlu.plan import Intent, Plan, intents_for, reads_values, split_request
from agent.nlu.pointing import (
    EVIDENCE_MARGIN,
    about_earlier,
    about_last,
    asked_last,
    name_alone,
    pointed,
    the_one_before,
)
from agent.nlu.references import pick, recent_entity
from agent.nlu.routing import LOW, SURE, Route, agreed, near_decline, route
from agent.nlu.shared_steps import shared_by_steps
from agent.nlu.story import request_of
from agent.nlu.substitutes import CLOSE, ahead, all_change_nothing, changes_nothing, history, looks_back
from agent.nlu.support import (
    Support,
    best_supported,
    breakdown_it_lacks,
    change_asked,
    named_kind,
    names_its_record,
    nothing_to_change,
    one_record,
    record_and_value,
    removal_asked,
    values_declared,
)
from agent.nlu.training import DECLINE_LABELS, GREETING, HELP, NOT_YET, OUT_OF_SCOPE

MAX_DEPTH = 3
FEASIBLE_MARGIN = CLOSE  # one margin for every stand-in (agent.nlu.substitutes)
DECLINE_NEAR = 0.15
CLEAR_DECLINE = 0.3
"""How far ahead of the best tool a decline must score to be taken as said (see _clear_decline).
The tuning sets scored the same at 0.15, 0.3 and 0.5."""


@dataclass
class Interpreter:
    catalog: Catalog
    conversation: Conversation
    available: set[str]
    today: date
    lookup: str | None

    def advance(self, index: int, quiet: bool = False) -> Advance:
        """How turn `index` is carried out; pronouns look back at the turns before it."""
        return Advance(self.catalog, self.lookup, lambda: self.steps_before(index), quiet, self.today)

    def steps_before(self, index: int) -> Iterator[Step]:
        """Steps of the turns before `index`, newest first (each turn marked as read)."""
        total = len(self.conversation.turns)
        for i in range(index - 1, -1, -1):
            turn = self.conversation.previous(total - 1 - i)
            if turn is not None:
                yield from reversed(turn.steps)

    def plan(self, index: int, depth: int = 0) -> Plan:
        text = self.conversation.turns[index].text[:MAX_CHARS]
        if depth < MAX_DEPTH and index > 0:
            before = self.conversation.previous(len(self.conversation.turns) - index)
            if before is not None and (before.answer or "").rstrip().endswith("?"):  # it asked something
                outcome = self.advance(index - 1, quiet=True).run(
                    self.plan(index - 1, depth + 1), before.steps
                )
                if isinstance(outcome, Answer) and outcome.pending is not None:
                    completed = self.complete(outcome.pending, text, index)
                    if completed is not None:
                        return completed
        return self.request(text, index)

    def request(self, text: str, index: int) -> Plan:
        """One request routed by the classifier, with its lowercase names read as names when
        that reading chooses a tool the names fill (agent.nlu.lowercase_names)."""
        names = read_as_names(self.catalog, text, self.available, self.today)
        return self._request(text, index) if names is None else looked_up_as_typed(
            self._request(names, index), names, text)

    def _request(self, text: str, index: int) -> Plan:
        text = request_of(text, self.catalog, self.available, self.today)
        rest = without_acknowledgement(text)
        if rest != text and route(self.catalog.classifier.ranked(rest), self.available).action == "act":
            text = rest  # "ok delete it": the request, not a thank-you
        catalog = self.catalog
        said = no_change_if_asked_whether(
            text, not_thanks_if_asked(text, catalog.classifier.ranked(text)), catalog.reads)
        ranked = name_alone(self, text, index, catalog.meaning.blend(text, said))
        chosen = agreed(said, ranked, route(ranked, self.available), self.available,
                        lambda: catalog.meaning.outside(text))
        destroys = chosen.tool is not None and catalog.tools[chosen.tool].spec.destructive
        if destroys and opens_with_another_verb(catalog, text, str(chosen.tool), self.available):
            ranked = [(label, score) for label, score in ranked if label != chosen.tool]
            chosen = route(ranked, self.available)
        declined = self._clear_decline(ranked, chosen) and asks_anew(self, text, index)  # "send each of them
        # a gift basket": no follow-up of the list just shown, however it points back
        about = None if declined else about_last(self, text, index, ranked)
        if about is not None:
            return Plan([about], chosen)
        followed = None if declined else follow_up(self, index, text, chosen)
        if followed is None and rest != text and not declined:  # "Alright. And what about Stripe's?"
            followed = follow_up(self, index, rest, route(catalog.classifier.ranked(rest), self.available))
        if followed is not None:
            return followed
        if chosen.tool is not None and catalog.tools[chosen.tool].spec.destructive and not asks_removal(
                catalog, text, chosen.tool):
            ranked = [(label, score) for label, score in ranked if label != chosen.tool]
            chosen = route(ranked, self.available)
        steps = split_request(text, catalog, self.available, self.today)
        if steps is not None:
            intents = told_twice([i for part, r in steps if r.tool
                                  for i in intents_for(part, r.tool, catalog, self.today)])
            return Plan(shared_by_steps(intents, catalog, self.today))
        destructive = bulk(text, catalog, ranked)
        if destructive is not None:
            return Plan(route=chosen, reply=answers.bulk(catalog, destructive))
        top = ranked[0][0]
        if top in catalog.tools and top not in self.available:
            return Plan(route=chosen, reply=answers.unavailable(catalog, top))
        if verb_no_tool_takes(catalog, text, chosen):
            return Plan(route=chosen, reply=answers.decline(catalog, self._offer(text, chosen), True,
                                                            unsure=False))
        told = chosen.tool is not None and values_declared(catalog, text, chosen.tool, self.today)
        if not opens_with_its_verb(catalog, text, chosen) and not told:
            turned = near_decline(ranked, chosen)
            general = turned.label == OUT_OF_SCOPE and chosen.tool is not None
            if not (general and record_and_value(catalog, text, str(chosen.tool), self.today)):
                chosen = turned  # a record named and a value for it are the business's own
        supported = self._supported(text, ranked, chosen)
        if supported is not None and another_kind_named(catalog, text, Route("act", supported.tool, 0.0,
                                                                              tool=supported.tool)):
            supported = None  # "delete my old 'Test shop' workspace": no tool removes a workspace
        if (supported is None or supported.by_name) and not told:
            far = far_from_every_tool(catalog, text, ranked, chosen)
            if far is not None and not pointed(self, text, chosen, index) and not asked_last(
                    self, text, chosen):
                reply = answers.decline(catalog, self._offer(text, chosen), far == NOT_YET, unsure=False)
                return Plan(route=chosen, reply=reply)
        acting = supported.tool if supported is not None else chosen.tool if chosen.action == "act" else None
        if acting is not None and (nothing_to_change(catalog, text, acting, self.today)
                                   or breakdown_it_lacks(catalog, text, acting) is not None):
            return Plan(route=chosen, reply=answers.decline(catalog, self._offer(text, chosen), True,
                                                            unsure=False))
        if supported is not None:
            intents = intents_for(text, supported.tool, catalog, self.today)
            intents = self._history_instead(text, ranked, supported.tool, intents) or intents
            return Plan(self._implied(intents, index), route=chosen)
        if chosen.action in ("chat", "decline") and chosen.nearest:
            tool = chosen.nearest[0]
            close = dict(ranked)[tool] > chosen.score - EVIDENCE_MARGIN
            if close and (about_earlier(self, text, tool, index) or (
                    chosen.action == "chat" and chosen.score < 0 and self._evidence(text, tool)) or (
                    chosen.label == tool and not self._declinable(ranked, chosen.score)
                    and names_its_record(self.catalog, text, tool, self.today))):
                return Plan(intents_for(text, tool, catalog, self.today), route=chosen)
        if chosen.action == "chat":
            available = sorted(self.available)
            reply = (
                answers.capabilities(catalog, available)
                if chosen.label == HELP
                else answers.greeting(catalog, available)
                if chosen.label == GREETING
                else answers.THANKS
            )
            return Plan(route=chosen, reply=reply)
        if chosen.action == "decline":
            return Plan(
                route=chosen,
                reply=answers.decline(  # an unsure decline offers the tools it almost chose
                    catalog, self._offer(text, chosen) if chosen.label in DECLINE_LABELS else chosen.nearest,
                    chosen.not_yet,
                    unsure=not chosen.label.startswith("_") or chosen.score < LOW,  # "why?"
                ),
            )
        if chosen.action == "ask":
            for choice in chosen.choices:  # the first choice that forecasts a period that is over
                found = intents_for(text, choice, catalog, self.today)
                if looks_back(catalog, found, self.today):
                    instead = self._history_instead(text, ranked, choice, found)
                    if instead is not None:
                        return Plan(instead, route=chosen)
                    break
            # "actually make that 8k" after a deal was made: only a change of that deal has all it needs
            calls = {t: self._implied(intents_for(text, t, catalog, self.today), index)
                     for t in chosen.choices}
            feasible = [t for t, intents in calls.items() if not any(self._lacks(i) for i in intents)]
            if len(feasible) == 1:
                return Plan(calls[feasible[0]], route=chosen)
            about_it = [t for t in feasible if index > 0 and about_earlier(self, text, t, index)]
            if len(about_it) == 1:  # "what's its value?" after a deal was found: that deal's
                return Plan(calls[about_it[0]], route=chosen)
            return Plan(route=chosen, reply=answers.ask_tool(catalog, chosen.choices))
        assert chosen.tool is not None
        one = the_one_before(self, text, ranked, chosen, index)
        if one is not None:
            return Plan(self._implied(intents_for(text, one, catalog, self.today), index), route=chosen)
        return Plan(self._implied(self._feasible(text, ranked, chosen.tool, index), index), route=chosen)

    def _offer(self, text: str, chosen: Route) -> tuple[str, ...]:
        """What a decline offers instead: the tools nearest in meaning to what was asked, where
        the sentence encoder is installed, else the classifier's nearest."""
        return self.catalog.meaning.nearest_tools(text, self.available) or chosen.nearest

    @staticmethod
    def _declinable(ranked: list[tuple[str, float]], score: float) -> bool:
        """Whether a decline scores about as well as the best tool ("give ava perez a call")."""
        return any(label in DECLINE_LABELS and score - s < DECLINE_NEAR for label, s in ranked)

    def _clear_decline(self, ranked: list[tuple[str, float]], chosen: Route) -> bool:
        """Whether the classifier itself declines, well ahead of every tool ("print shipping
        labels for today's orders"): then no tool is read into the request's values."""
        if chosen.label not in DECLINE_LABELS:
            return False
        best = next((s for label, s in ranked if label in self.available), None)
        return best is None or chosen.score - best > CLEAR_DECLINE

    def _supported(self, text: str, ranked: list[tuple[str, float]], chosen: Route) -> Support | None:
        """When the classifier is unsure (a decline for want of confidence, a question between two
        tools, or a weak choice), the close tool to which the request gives the most values
        (agent.nlu.support), if it differs from the choice."""
        if chosen.action in ("act", "decline", "ask") and not self._clear_decline(ranked, chosen):
            readers: tuple[tuple[bool, Callable[[], str | None]], ...] = (
                (False, lambda: change_asked(self.catalog, text, ranked, self.available, self.today)),
                (True, lambda: one_record(self.catalog, text, ranked, self.available, self.today)),
                (False, lambda: removal_asked(self.catalog, text, ranked, self.available)),
                (True, lambda: named_kind(self.catalog, text, ranked, self.available)),
            )
            for by_name, reader in readers:
                changed = reader()
                if changed is not None:
                    if not all_change_nothing(self.catalog, text, changed, self.today):
                        return Support(changed, by_name)
                    break
        if chosen.action == "chat" or (chosen.action == "act" and chosen.score >= SURE):
            return None
        if chosen.label in DECLINE_LABELS:
            return None  # the values of "book a meeting with Jane next tuesday at 10" fit a deal
        found = best_supported(self.catalog, text, ranked, self.available, self.today)
        if found is None or found[0] == chosen.tool:
            return None
        if self.catalog.tools[found[0]].spec.destructive and BULK.search(text.lower()):
            return None  # "delete all my leads" is refused as a bulk request, not guessed at
        return None if all_change_nothing(self.catalog, text, found[0], self.today) else Support(found[0])

    def _scores(self, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
        return [(label, score) for label, score in ranked if label in self.available]

    def _history_instead(self, text: str, ranked: list[tuple[str, float]], tool: str,
                         intents: list[Intent]) -> list[Intent] | None:
        """For a forecast's calls about a period that is over, the calls of the tool that reads it
        as history (agent.nlu.substitutes), whichever way the forecast was chosen."""
        if not looks_back(self.catalog, intents, self.today):
            return None
        return history(self.catalog, text, self._scores(ranked), tool, self.today, self._lacks)

    def _feasible(self, text: str, ranked: list[tuple[str, float]], tool: str, index: int) -> list[Intent]:
        """The chosen tool's calls, unless it lacks a value the request does not give and a
        close runner-up has everything it needs ("find Jane Smith": a search, not a lookup of
        an unknown kind of record). A record the turn before was about is given ("oops the email
        is priya.nair@..." after she was added changes hers; it does not search for it)."""
        intents = self._implied(intents_for(text, tool, self.catalog, self.today), index)
        instead = self._history_instead(text, ranked, tool, intents) or ahead(
            self.catalog, text, self._scores(ranked), tool, self.today, self._lacks)
        if instead is not None:
            return instead
        scores = self._scores(ranked)
        if not any(self._lacks(i, required_only=True) for i in intents):
            return intents  # a change named without its value is asked about, not switched away
        if self.catalog.tools[tool].verb == "create" and all(i.args for i in intents):
            return intents  # "Create a deal called Hooli - Ski rental fleet": its value is asked for
        top = scores[0][1] if scores else 0.0
        named = any(i.references or i.pronouns for i in intents)
        changes = named and self.catalog.tools[tool].spec.kind != "read"
        for label, score in scores[1:3]:
            if top - score > FEASIBLE_MARGIN:
                break
            if changes and self.catalog.tools[label].spec.kind == "read":
                continue  # "move the globex rental fleet deal" asks where to; it does not show it
            other = intents_for(text, label, self.catalog, self.today)
            if any(changes_nothing(self.catalog, i) for i in other):
                continue  # "move the Hooli deal" asks where to; an update of nothing is no answer
            if reads_values(intents) and not reads_values(other):
                continue  # "plan a promotion with a 5k budget": its values are the plan's
            if not any(self._lacks(i) for i in other):
                return other
            if self._lacks_its_record(intents) and not self._lacks_its_record(other):
                return other  # "is it worth buying a new delivery van?": asks its cost, not which delivery
        return intents

    def _implied(self, intents: list[Intent], index: int) -> list[Intent]:
        """"what's in the Monarch Camping deal?" - "push the close date to jan 31": a change that
        names no record is to the one the turn before was about, as if "its" had been said. Not
        for a removal (a deletion names what it deletes)."""
        before = self.conversation.previous(len(self.conversation.turns) - index) if index > 0 else None
        if before is None or not before.steps:
            return intents
        kinds = self.catalog.reference_kinds
        for intent in intents:
            tool = self.catalog.tools[intent.tool]
            if tool.spec.destructive or tool.spec.kind == "read" or intent.references or intent.ids:
                continue
            for name in intent.missing:
                slot = tool.get(name)
                kind = slot.record_kind if slot is not None and slot.identifies else None
                if kind and name not in intent.pronouns and recent_entity(
                        reversed(before.steps), kind, kinds) is not None:
                    intent.pronouns[name] = kind
        return intents

    def _lacks_its_record(self, intents: list[Intent]) -> bool:
        """Whether a call lacks the id of the record it acts on (a kind given only by id: a
        webhook delivery, a job), with nothing in the request pointing to one."""
        return any(not i.references and not i.pronouns and not i.ids
                   and any((slot := self.catalog.tools[i.tool].get(m)) is not None and slot.identifies
                           and slot.kind != "reference" for m in i.missing)
                   for i in intents)

    def _evidence(self, text: str, tool: str) -> bool:
        """Whether the request gives this tool a value of its own (a period, an amount, a
        declared value, a company after its cue), not just a name."""
        filled = read(text, tool, self.catalog, self.today)
        slots = self.catalog.tools[tool]
        return bool(filled.periods) or any(
            (slot is not None and slot.kind not in ("reference", "text", "list", "other"))
            or name == "company"
            for name in filled.args
            if (slot := slots.get(name)) is not None or name == "company"
        )

    def _lacks(self, intent: Intent, required_only: bool = False) -> bool:
        """Whether the call needs a value the request does not give (a title is named after the
        record it is for, when there is one); with `required_only`, a value the tool requires."""
        named = bool(intent.references or intent.pronouns or intent.ids)
        slots = self.catalog.tools[intent.tool]
        return any(m not in intent.references and m not in intent.pronouns
                   and not (named and titled(self.catalog, intent.tool, m))
                   and (not required_only or ((slot := slots.get(m)) is not None and slot.required))
                   for m in intent.missing)

    def complete(self, pending: Pending, text: str, index: int) -> Plan | None:
        """The previous plan with the owner's answer in it, or None if this is something else."""
        if pending.choices:
            return self._tool_choice(pending, text, index)
        plan = Plan([i.copy() for i in pending.plan.intents], pending.plan.route)
        intent = plan.intents[pending.index]
        if pending.candidates:
            chosen = pick(text, pending.candidates)
            if chosen is None:
                return None
            intent.ids[pending.name] = chosen.id
            intent.references.pop(pending.name, None)
            return plan
        answered = fill_missing(self.catalog, self.available, self.today, intent, pending.name, text)
        return plan if answered else None

    def _tool_choice(self, pending: Pending, text: str, index: int) -> Plan | None:
        chosen = tool_chosen(text, pending.choices, self.catalog.titles(list(pending.choices)))
        if chosen is None:
            return None
        asked = self.conversation.turns[index - 1].text[:MAX_CHARS]
        return Plan(intents_for(asked, chosen, self.catalog, self.today))
