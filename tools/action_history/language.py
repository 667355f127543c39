"""How owners ask what the action hub did, and how it is said (every figure from the entries)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.action_history import tools as _tools  # noqa: F401  (the tool these declarations describe)
from tools.action_history.schemas import ActionHistory, HistoryEntry
from tools.language import ToolLanguage, declare, read_examples

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))

TYPE_SYNONYMS = {
    "simulation": ("simulation", "simulations", "what-if", "what if", "scenarios", "simulated", "simulate",
                   "what-ifs", "what ifs"),
    "analysis": ("analysis", "analyses", "initiatives", "initiative", "business cases", "roi checks",
                 "initiative analyses", "planner", "analysed", "analyzed"),
    "automation_run": ("automation runs", "automations ran", "automation", "automations",
                       "workflow runs"),
    "approval": ("approval", "approvals", "approved", "confirmation", "confirmations", "sign-offs",
                 "sign-off", "signed off", "say yes",
                 "needed my approval", "confirmed", "give the ok",
                 "gave the ok", "give the okay", "to give the go ahead", "approve", "waiting for approval"),
}
KIND_WORDS = {"simulation": ("simulation", "simulations"),
              "analysis": ("initiative analysis", "initiative analyses"),
              "automation_run": ("automation run", "automation runs"),
              "approval": ("approval", "approvals")}


def _line(e: HistoryEntry) -> str:
    return f"{e.at:%b %-d, %Y %H:%M} UTC — {e.title} ({e.status})"


def _history(out: ActionHistory, args: Mapping[str, Any]) -> str:
    if not out.entries:
        kind = args.get("type")
        what = KIND_WORDS[kind][1] if kind in KIND_WORDS else "entries"
        since = f" since {p.day(args['start_date'])}" if args.get("start_date") else ""
        return (f"There are no {what} in the action history{since} yet. It records what-if simulations, "
                f"initiative analyses, automation runs and approvals as they happen.")
    counts = ", ".join(p.plural(n, *KIND_WORDS[k]) for k, n in out.counts.items() if n)
    head = f"{p.plural(out.total, 'entry', 'entries')} in the action history ({counts}). Most recent:"
    return f"{head}\n{p.bullets(_line(e) for e in out.entries[: p.LIST_LIMIT])}"


declare("action_history", ToolLanguage(
    examples=EXAMPLES["action_history"],
    phrase=p.typed(ActionHistory, _history),
    synonyms={"type": TYPE_SYNONYMS},
))
