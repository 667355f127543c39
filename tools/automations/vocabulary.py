"""The words owners use for the automation tools' values (actions, recipients, templates,
events, statuses) and the time zone a request names: what the assistant reads, kept apart from
how results are said (tools.automations.language)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools.automations.timing import ZONE_WORDS, monthly_in, timezone_in

ACTIONS = {
    "send_email": ("email", "e-mail", "send an email", "mail", "send a reminder", "reminder email", "emails",
                   "e-mails", "send out"),
    "create_task": ("task", "create a task", "to-do", "todo", "follow-up task", "add a task", "make a task"),
    "post_slack": ("slack", "post to slack", "slack message", "slack channel", "post in slack", "ping slack"),
    "call_webhook": ("webhook", "call a webhook", "post to a url", "http callback", "hit my webhook",
                     "hit a webhook", "ping my endpoint"),
}
RECIPIENTS = {
    "overdue_customers": ("overdue customers", "customers with overdue invoices", "unpaid invoices",
                          "late payers", "customers who owe", "overdue clients", "clients who owe", "overdue",
                          "late paying customers", "customers who haven't paid", "unpaid", "owe us",
                          "overdue accounts"),
    "new_leads_this_week": ("new leads this week", "this week's leads", "new leads", "fresh leads"),
    "inactive_customers": ("inactive customers", "lapsed customers", "customers who stopped ordering",
                           "dormant customers", "dormant clients", "inactive clients", "lapsed clients",
                           "customers who haven't ordered"),
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
STATUS = {"active": ("active", "running", "enabled"), "paused": ("paused", "stopped", "disabled")}
KINDS = {"schedule": ("scheduled", "cron", "recurring", "timed"),
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
    said = written and (written in zone.lower() or written in ZONE_WORDS)
    return {"timezone": zone, "text": None} if said else {"timezone": zone}


def read_timing(text: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """The time zone (read_timezone) and a monthly schedule said with its day and time
    (timing.monthly_in), which the schedule phrases of the synonyms leave at the 1st at nine."""
    monthly = monthly_in(text)
    return {**read_timezone(text, args), **({"schedule": monthly} if monthly else {})}
