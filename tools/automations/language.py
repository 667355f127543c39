"""How owners ask for the automation tools, and how their results are said.

Routing: `create_automation` is a schedule or an event with one or more actions ("every Monday at
9 email overdue customers a reminder"); `create_workflow` is an event-driven sequence of steps
with delays ("nurture new leads: welcome now, feature highlight in 3 days");
`list_automation_runs` is what they did; `list_automations` what exists. The schedule phrase is
read through the synonyms of `schedule` (cron -> phrases, from tools.automations.timing), so "every
monday at 9" arrives as "0 9 * * 1". Phrases state only the figures of the output.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.automations.inputs import AutomationDetail, AutomationResult
from tools.automations.schemas import AutomationList, AutomationOut, RunList, RunOut
from tools.automations.timing import schedule_synonyms
from tools.automations.vocabulary import (
    ACTIONS,
    EVENTS,
    KINDS,
    RECIPIENTS,
    RUN_STATUS,
    STATUS,
    TEMPLATES,
    read_runs_of,
    read_timing,
)
from tools.language import ToolLanguage, declare, read_examples

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))

WHICH = "Which automation (its name)?"


def automation_line(a: AutomationOut) -> str:
    steps = ", ".join(x.action.replace("_", " ") + (f" ({x.template})" if x.template else "")
                      for x in a.actions[:4])
    text = f"{a.name}: {a.trigger.description}; {steps}; {a.status}"
    if a.next_run_at and a.status == "active":
        text += f", next run {p.day(a.next_run_at)}"
    return text + (f", {p.plural(a.run_count, 'run')} so far" if a.run_count else ", not run yet")


def run_line(r: RunOut) -> str:
    said = "; ".join(o.detail for o in r.outcomes[:3] if o.detail) or "no step finished yet"
    return f"{p.day(r.started_at)}, {r.automation_name}: {r.status} ({said})"


def _created(out: AutomationResult, args: Mapping[str, Any]) -> str:
    if out.status == "confirmation_required" or out.automation is None:
        return p.destructive(out, args)
    a = out.automation
    nxt = f" The first run is due {p.day(a.next_run_at)}." if a.next_run_at else ""
    return f"{out.message}{nxt} You can pause, resume or delete it by its name at any time."


KIND_WORDS = {"schedule": "scheduled", "event": "event-driven"}


def _listed(out: AutomationList, args: Mapping[str, Any]) -> str:
    kind = KIND_WORDS.get(str(args.get("kind")), "")
    which = " ".join(w for w in (str(args.get("status") or ""), kind) if w)
    if not out.total and which:
        return f"You have no {which} automations."  # "no paused automations", not "no automations yet"
    if not out.total:
        return "There are no automations yet. Ask me to create one, e.g. a weekly reminder e-mail."
    head = f"You have {p.plural(out.total, (which + ' ' if which else '') + 'automation')}."
    return f"{head} {p.listing([automation_line(a) for a in out.automations], out.total, 'newest')}"


def _detail(out: AutomationDetail, args: Mapping[str, Any]) -> str:
    return ((out.message + " ") if out.message else "") + automation_line(out.automation) + "."


def _runs(out: RunList, args: Mapping[str, Any]) -> str:
    if not out.total:
        since = f" since {p.day(args['start_date'])}" if args.get("start_date") else ""
        if args.get("status") or args.get("automation"):
            named = out.automation_name or args.get("automation")
            whose = f"the automation “{named}”" if named else "your automations"
            kind = f"{args['status']} " if args.get("status") else ""
            return f"There are no {kind}runs of {whose}{since or ' yet'}."
        return f"Your automations have not run{since or ' yet'}."
    by = ", ".join(f"{p.count(n)} {s}" for s, n in sorted(out.counts.items()))
    mail = "; ".join(f"{p.plural(n, 'e-mail')} " + ("sent through SMTP" if t == "smtp" else
                                                      "kept in the outbox (no SMTP configured)")
                     for t, n in sorted(out.emails.items()) if n)
    what = f"{args['status']} " if args.get("status") else ""
    head = f"{p.plural(out.total, what + 'run')}" + ("" if what else f" ({by})") + "." \
        + (f" Listed: {mail}." if mail else "")
    return f"{head} {p.listing([run_line(r) for r in out.runs], out.total, 'most recent')}"


def _when(args: Mapping[str, Any]) -> list[str]:
    """A schedule or an event: an automation without either can only be refused ("set up a
    recurring email"), so the owner is asked first and the answer completes the request. So is a
    Slack post or a webhook call without the URL it goes to."""
    needed = [] if any(args.get(k) for k in ("schedule", "event", "trigger")) else ["schedule"]
    if args.get("action") in ("post_slack", "call_webhook") and not args.get("webhook_url"):
        needed.append("webhook_url")
    return needed


NAMES_AN_AUTOMATION = {"name": "automation"}
"""An automation is given by its name or id: "pause the second one" after a list passes its id."""

declare("create_automation", ToolLanguage(
    examples=EXAMPLES["create_automation"],
    phrase=p.typed(AutomationResult, _created),
    synonyms={"schedule": schedule_synonyms(), "action": ACTIONS, "recipients": RECIPIENTS,
              "template": TEMPLATES, "event": EVENTS},
    questions={"schedule": "When should it run? On a schedule (\"every Monday morning\") or when "
                           "something happens (\"when a customer is created\")?",
               "webhook_url": "Which URL should it post to (the Slack incoming-webhook URL, https://...)?"},
    read=read_timing,
    needs=_when,
))

declare("create_workflow", ToolLanguage(
    examples=EXAMPLES["create_workflow"],
    phrase=p.typed(AutomationResult, _created),
    synonyms={"event": EVENTS, "status": {"lead": ("leads", "lead"), "active": ("active customers",),
                                          "inactive": ("inactive",), "churned": ("churned",)}},
))

declare("list_automations", ToolLanguage(
    examples=EXAMPLES["list_automations"],
    phrase=p.typed(AutomationList, _listed),
    synonyms={"status": STATUS, "kind": KINDS},
))

declare("get_automation", ToolLanguage(
    examples=EXAMPLES["get_automation"],
    phrase=p.typed(AutomationDetail, _detail),
    questions={"name": WHICH},
    names_record=NAMES_AN_AUTOMATION,
))

declare("pause_automation", ToolLanguage(
    examples=EXAMPLES["pause_automation"],
    phrase=p.typed(AutomationDetail, _detail),
    questions={"name": WHICH},
    names_record=NAMES_AN_AUTOMATION,
))

declare("resume_automation", ToolLanguage(
    examples=EXAMPLES["resume_automation"],
    phrase=p.typed(AutomationDetail, _detail),
    questions={"name": WHICH},
    names_record=NAMES_AN_AUTOMATION,
))

declare("delete_automation", ToolLanguage(
    examples=EXAMPLES["delete_automation"],
    phrase=p.typed(AutomationResult, lambda out, args: p.destructive(out, args)),
    questions={"name": WHICH},
    names_record=NAMES_AN_AUTOMATION,
))

declare("list_automation_runs", ToolLanguage(
    examples=EXAMPLES["list_automation_runs"],
    phrase=p.typed(RunList, _runs),
    synonyms={"status": RUN_STATUS},
    names_record={"automation": "automation"},
    read=read_runs_of,
))
