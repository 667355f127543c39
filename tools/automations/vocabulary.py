"""The words owners use for the automation tools' values (actions, recipients, templates,
events, statuses) and the time zone a request names: what the assistant reads, kept apart from
how results are said (tools.automations.language)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tools.automations.timing import ZONE_WORDS, schedule_in, timezone_in

ACTIONS = {
    "send_email": ("email", "e-mail", "send an email", "mail", "send a reminder", "reminder email", "emails",
                   "e-mails", "send out", "remind"),
    "create_task": ("task", "create a task", "to-do", "todo", "follow-up task", "add a task", "make a task"),
    "post_slack": ("slack", "post to slack", "slack message", "slack channel", "post in slack", "ping slack"),
    "call_webhook": ("webhook", "call a webhook", "post to a url", "http callback", "hit my webhook",
                     "hit a webhook", "ping my endpoint"),
}
RECIPIENTS = {
    "overdue_customers": ("overdue customers", "customers with overdue invoices", "unpaid invoices",
                          "late payers", "customers who owe", "overdue clients", "clients who owe", "overdue",
                          "late paying customers", "customers who haven't paid", "unpaid", "owe us",
                          "overdue accounts", "owe me", "still owe", "owe me money", "owe money"),
    "new_leads_this_week": ("new leads this week", "this week's leads", "new leads", "fresh leads"),
    "inactive_customers": ("inactive customers", "lapsed customers", "customers who stopped ordering",
                           "dormant customers", "dormant clients", "inactive clients", "lapsed clients",
                           "customers who haven't ordered", "hasn't bought", "haven't bought",
                           "hasn't purchased", "haven't purchased", "gone quiet", "went quiet",
                           "gone cold", "gone silent", "stopped buying", "lapsed", "dormant",
                           "customers inactive", "clients inactive", "inactive for"),
    "all_customers": ("all customers", "every customer", "all my customers", "everyone", "all clients",
                      "all my clients"),
    "triggering_customer": ("that customer", "the new customer", "the customer who signed up"),
}
TEMPLATES = {
    "invoice_reminder": ("reminder", "invoice reminder", "payment reminder", "remind"),
    "welcome_lead": ("welcome", "welcome email", "welcome message", "welcome note"),
    "feature_highlight": ("feature highlight", "features email", "product tips"),
    "win_back": ("win back", "win-back", "we miss you", "winback", "come back"),
}
EVENTS = {
    "customer.created": ("new customer", "customer is created", "customer signs up", "new lead",
                         "lead signs up", "someone signs up"),
    "customer.updated": ("customer is updated", "customer changes"),
    "deal.won": ("deal is won", "we win a deal", "won deal", "closed won", "win a deal", "deal closes",
                 "deal gets won"),
    "deal.lost": ("deal is lost", "we lose a deal", "lost deal"),
    "deal.created": ("new deal", "deal is created"),
    "payment.failed": ("payment fails", "failed payment", "payment failed", "payment bounces",
                       "card declined"),
    "integration.failed": ("sync fails", "integration fails"),
}
STATUS = {"active": ("active", "running", "enabled", "switched on", "turned on", "live"),
          "paused": ("paused", "stopped", "disabled", "sleepy", "asleep", "switched off", "turned off",
                     "on hold", "on ice")}
KINDS = {"schedule": ("scheduled", "cron", "recurring", "timed", "on a timer", "on a schedule", "time based",
                      "time-based"),
         "event": ("event", "triggered", "event-driven", "event based")}
RUN_STATUS = {"running": ("running", "in progress", "waiting"),
              "succeeded": ("succeeded", "successful", "worked", "ok"),
              "partial": ("partial", "partly failed", "some failures"),
              "failed": ("failed", "errors", "broken", "did not work", "broke", "fail", "failing",
                         "went wrong", "didn't work", "error")}


def read_timezone(text: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """"every weekday at 8am new york time": the schedule's time zone ("Europe/London" written
    out is one too, not a word of the message)."""
    zone = timezone_in(text)
    if zone is None:
        return {}
    written = str(args.get("text") or "").lower()
    said = written and (written in zone.lower().replace("_", " ") or written in ZONE_WORDS)
    return {"timezone": zone, "text": None} if said else {"timezone": zone}


def read_timing(text: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """The time zone (read_timezone); a schedule said with its day and time within the message
    (timing.schedule_in: "every weekday at 7:30am", "on the 15th of each month", "quarterly"),
    which the synonyms' whole-hour phrases miss or leave at nine; and a quoted text as the task's
    title or the message posted."""
    said = schedule_in(text)
    out = {**read_timezone(text, args), **({"schedule": said} if said else {})}
    if args.get("event") == "customer.created" and not args.get("conditions") and NEW_LEAD.search(text):
        out["conditions"] = {"status": "lead"}  # "when a new lead comes in": a customer made as a lead
    quoted = QUOTED.search(text)
    if quoted is not None:
        field = {"create_task": "title", "post_slack": "text"}.get(str(args.get("action")))
        if field and (not args.get(field) or out.get(field, "") is None):
            out[field] = next(q for q in quoted.groups() if q).strip()
    return out


NEW_LEAD = re.compile(r"\bnew\s+leads?\b|\blead\s+(?:comes|signs)\b", re.I)
QUOTED = re.compile(r"\"([^\"]{2,200})\"|“([^”]{2,200})”|(?<!\w)['‘]([^'‘’]{2,200})['’](?!\w)")


TITLED = re.compile(r"(?P<n>[A-Z][\w'&-]*(?:\s+[A-Z][\w'&-]*)+)")
RUNS_OF = re.compile(r"\b(?:runs?\s+(?:of|for)|(?:only|just)\s+(?:for|of))\s+(?:the\s+|my\s+|our\s+)?"
                     r"(?P<n>[a-z][\w'&-]*(?:\s+[\w'&-]+){0,4}?)(?=\s+(?:that|which|since|from|in|during|last|this|automation)\b|\s*[?.,!;:—–]|\s+-\s|\s*$)")

DID_IT_RUN = re.compile(r"\b(?:did|has|have|is|was)\s+(?:the|my|our|that)\s+"
                        r"(?P<n>[a-z][\w'&-]*(?:\s+[\w'&-]+){0,4}?)\s+(?:actually\s+|really\s+|even\s+|ever\s+)?"
                        r"(?:run|ran|do|did|send|sent|fire|fired|go|gone|went|work|worked|done"
                        r"|(?:have|had|get|got)\s+(?:any\s+)?(?:failed\s+)?(?:runs?|failures?|errors?|problems?)"
                        r"|been\s+(?:doing|up to|running|sending))\b")
ANY_AUTOMATION = frozenset({"automation", "automations", "workflow", "workflows", "rule", "rules", "stuff"})
"""Words that name no one automation ("did my automations do anything")."""


def read_runs_of(text: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """The automation whose runs are asked for, by name: a title written in capitals ("what has
    the Lead Nurture Campaign done"), the words after "runs of" ("runs of the weekly invoice
    reminder that failed") or what is asked to have run ("did the monday invoice reminder
    actually do anything?")."""
    if args.get("automation"):
        return {}
    said = (RUNS_OF.search(text) or next((m for m in TITLED.finditer(text) if m.start() > 0), None)
            or DID_IT_RUN.search(text))
    if said is None or PERIOD.search(said.group("n")):
        return {}
    if set(said.group("n").lower().split()) <= ANY_AUTOMATION:
        return {}
    return {"automation": said.group("n")}


PERIOD = re.compile(r"\b(?:today|yesterday|week|month|quarter|year|days?|hours?|since|last|this|past)\b",
                    re.I)
