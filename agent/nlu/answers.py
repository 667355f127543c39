"""The model's words: tool results phrased by each tool's own `phrase` function (so every figure
comes from a result), and the few things it says itself: questions for missing fields, "which
one?", declines, greetings and help. None of these texts states a figure of its own."""

from __future__ import annotations

import json
import logging

from agent.nlu.catalog import Catalog
from agent.nlu.conversation import Step
from agent.nlu.references import Candidate

log = logging.getLogger("bizpilot.agent")

CANCELLED = "OK, I cancelled that; nothing was changed."
THANKS = "You're welcome! Ask me anything else about your business."
NOT_FOUND_CODES = ("RESOURCE_NOT_FOUND", "NOT_FOUND")


def phrase(catalog: Catalog, step: Step, alone: bool = True) -> str:
    """A tool result in words, by the tool's declared phrase function; `alone`: the only thing
    this answer says (a cancelled step among others names itself)."""
    if step.cancelled:
        tool = catalog.tools.get(step.name)
        if alone or tool is None:
            return CANCELLED
        return f"{tool.spec.title}: cancelled, as you asked; that step changed nothing."
    if step.error:
        return failure(step.error)
    tool = catalog.tools.get(step.name)
    if tool is None:
        return "Done."
    try:
        output = tool.spec.output_model.model_validate(json.loads(step.output or "{}"))
        return tool.language.phrase(output, step.args)
    except Exception:  # a result that does not fit its model must not crash the conversation
        log.warning("could not phrase the result of %s", step.name, exc_info=True)
        return f"The {tool.spec.title.lower()} step finished, but I couldn't read its result."


def failure(error: str) -> str:
    """ "Error: CODE: message" as a plain sentence."""
    parts = error.split(": ", 2)
    code, message = (parts[1], parts[2]) if len(parts) == 3 else ("", error)
    message = message.rstrip(".")
    if code in NOT_FOUND_CODES:
        return f"I couldn't find that: {message}."
    if code == "FORBIDDEN":
        return f"You don't have permission for that: {message}."
    return f"I couldn't do that: {message}."


SAID_AS = {"phone": "phone number", "url": "URL", "base_url": "base URL", "webhook_url": "webhook URL",
           "email": "email address"}
"""Fields named in a question as people name them ("What should the new phone number be?")."""


def question(catalog: Catalog, tool: str, field: str) -> str:
    """The tool's own question for a missing field, or one naming the field."""
    slots = catalog.tools[tool]
    asked = slots.language.questions.get(field)
    if asked:
        return asked
    slot = slots.get(field)
    words = SAID_AS.get(field) or (slot.words if slot else field.replace("_", " "))
    if slot is not None and slot.values:
        return f"Which {words} should I use: {', '.join(v.replace('_', ' ') for v in slot.values)}?"
    if slot is not None and not slot.required:  # a change named without its value
        return f"What should the new {words} be?"
    return f"What {words} should I use for {slots.spec.title.lower()}?"


def which_one(kind: str, text: str, candidates: list[Candidate]) -> str:
    lines = "\n".join(f"- {c.label}" + (f" — {c.detail}" if c.detail else "") for c in candidates)
    return f"I found several {kind}s matching “{text}”:\n{lines}\nWhich one do you mean?"


def not_found(kind: str, text: str) -> str:
    return f"I couldn't find a {kind} matching “{text}”. Check the spelling, or give me another name."


def _titles(catalog: Catalog, names: tuple[str, ...] | list[str]) -> str:
    titles = [t.lower() for t in catalog.titles(list(names))]
    if not titles:
        return ""
    return titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " or " + titles[-1]


def decline(catalog: Catalog, nearest: tuple[str, ...], not_yet: bool, unsure: bool) -> str:
    near = _titles(catalog, nearest)
    offer = f" The closest things I can do: {near}." if near else ""
    if not_yet:
        return f"Sorry, I can't do that yet: it isn't one of my tools.{offer}"
    if unsure:
        return f"Sorry, I'm not sure what you'd like me to do, so I won't guess.{offer}"
    return f"Sorry, I can't help with that: I work with your business's own data.{offer}"


def ask_tool(catalog: Catalog, choices: tuple[str, ...]) -> str:
    first, second = catalog.titles(list(choices))[:2]
    return f"Did you mean {first.lower()}, or {second.lower()}?"


def unavailable(catalog: Catalog, tool: str) -> str:
    return (
        f"I can't do that here: the tool it needs ({_titles(catalog, [tool])}) isn't available to me "
        "in this conversation."
    )


def bulk(catalog: Catalog, tool: str) -> str:
    noun = catalog.tools[tool].noun
    return (
        f"I can only do that for one {noun} at a time, and each one needs your confirmation. "
        f"Tell me which {noun} to start with."
    )


def greeting(catalog: Catalog, available: list[str]) -> str:
    return f"Hi! I'm BizPilot. {capabilities(catalog, available)}"


def capabilities(catalog: Catalog, available: list[str]) -> str:
    names = [n for n in catalog.tools if n in available]
    return (
        "I answer questions about your business and make changes for you. I can: "
        + "; ".join(catalog.titles(names)).lower()
        + ". Just ask in your own words."
    )
