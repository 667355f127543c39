"""The words the agent uses: its system prompt, the confirmation question, and how a reply to
that question is read. Kept apart from the graph so wording changes never touch control flow."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

SYSTEM_PROMPT = """You are BizPilot, the AI assistant of a small business. Today is {today}.
You answer questions about the business and carry out requests by calling the tools you are
given: they read and change the business's own data (customers, deals, orders, revenue, team).

Rules:
- Every figure you state must come from a tool result in this conversation. Never invent numbers,
  names or ids; if no tool gives the answer, say so.
- Resolve names to ids with a search or list tool before acting on a record.
- Destructive actions (deleting records) are confirmed by the user automatically: call the tool
  without a confirmation token; the system shows the user a preview and asks them.
- If a tool returns "Error: CODE: message", read the message, fix the arguments and try again,
  or explain the problem to the user. "Cancelled by the user." means the user declined: do not
  retry that action.
- Answer briefly and plainly, in the user's language, with money in the tenant's currency."""

CONFIRMATION_QUESTION = "Reply yes to confirm or no to cancel."
CANCELLED = "Cancelled by the user."

Decision = Literal["confirm", "decline", "other"]

_AFFIRMATIVE = (
    "yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "k", "confirm", "confirmed", "go ahead",
    "do it", "proceed", "please do", "delete it", "go", "affirmative", "absolutely", "of course",
    "correct", "right", "yes please", "si", "oui", "ja",
)
_NEGATIVE_WORDS = frozenset(
    {"no", "n", "nope", "nah", "cancel", "stop", "dont", "don't", "do not", "abort", "never",
     "not", "keep", "negative", "wait", "hold", "nein", "non"}
)
_SHORT_REPLY_WORDS = 8


def system_prompt(today: date, extra: str = "") -> str:
    """The system prompt, with any instructions the client supplied appended after ours."""
    text = SYSTEM_PROMPT.format(today=today.isoformat())
    return f"{text}\n\nAdditional instructions from the user:\n{extra}" if extra.strip() else text


def confirmation_text(message: str) -> str:
    """What the user reads while a destructive call waits: the preview, then the question."""
    message = message.strip()
    return f"{message} {CONFIRMATION_QUESTION}" if message else CONFIRMATION_QUESTION


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("’", "'"))


def classify_reply(text: str) -> Decision:
    """Read a reply to the confirmation question. Only a short reply counts as a yes or a no:
    a longer message is a new request, which cancels the pending action (never a silent yes)."""
    words = _words(text)
    if not words or len(words) > _SHORT_REPLY_WORDS:
        return "other"
    phrase = " ".join(words)
    bigrams = {" ".join(words[i:i + 2]) for i in range(len(words) - 1)}
    if _NEGATIVE_WORDS.intersection(words) or _NEGATIVE_WORDS.intersection(bigrams):
        return "decline"
    for yes in _AFFIRMATIVE:
        if phrase == yes or phrase.startswith(yes + " "):
            return "confirm"
    return "other"
