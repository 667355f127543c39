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
    read_timezone,
)
from tools.language import ToolLanguage, declare

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


def _listed(out: AutomationList, args: Mapping[str, Any]) -> str:
    if not out.total:
        return "There are no automations yet. Ask me to create one, e.g. a weekly reminder e-mail."
    head = f"You have {p.plural(out.total, 'automation')}."
    return f"{head} {p.listing([automation_line(a) for a in out.automations], out.total, 'newest')}"


def _detail(out: AutomationDetail, args: Mapping[str, Any]) -> str:
    return ((out.message + " ") if out.message else "") + automation_line(out.automation) + "."


def _runs(out: RunList, args: Mapping[str, Any]) -> str:
    if not out.total:
        since = f" since {p.day(args['start_date'])}" if args.get("start_date") else ""
        if args.get("status") or args.get("automation"):
            whose = f"the automation “{args['automation']}”" if args.get("automation") else "your automations"
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
    recurring email"), so the owner is asked first and the answer completes the request."""
    return [] if any(args.get(k) for k in ("schedule", "event", "trigger")) else ["schedule"]


NAMES_AN_AUTOMATION = {"name": "automation"}
"""An automation is given by its name or id: "pause the second one" after a list passes its id."""

declare("create_automation", ToolLanguage(
    examples=(
        "every Monday at 9 email overdue customers a reminder",
        "set up an automation that sends the invoice reminder to late payers every friday",
        "automatically email inactive customers a win back message on the first of every month",
        "post to slack every weekday at 8am",
        "create a task for each overdue customer every monday",
        "schedule a weekly payment reminder for customers with unpaid invoices",
        "when a deal is won, post a message to slack",
        "automate a daily email to new leads this week",
        "send a reminder email every monday morning to customers who owe us",
        "make an automation: cron 0 9 * * 1, invoice reminder to overdue customers",
        "call my webhook whenever a payment fails",
        "automaticaly remind overdue clients every week",
        "set up a new automation",
        "create a new automation",
        "every weekday at 8 post the numbers to slack https://hooks.slack.com/services/T1/B2/c3",
        "when we win a deal add a task to send a thank you card",
        "on the 1st of each month email lapsed clients a we miss you note",
        "email all customers every friday at 5pm",
        "remind clients who owe us every tuesday at 10",
        "whenever a customer is created hit my webhook https://example.com/hook",
        "post a good morning message in slack at 7 every day",
        "when a payment fails, create a follow-up task",
        "every monday at 10am email customers who haven't paid in 30 days",
        "automaticly create a task whenever we lose a deal",
        "set up a monthly win-back email to dormant customers",
        "remind late payers on the 15th of each month",
        "every friday 4pm email all my clients with subject This week at Bloom",
        "when a sync fails post in our slack channel",
        "new automation: weekdays at 9, a task to call this week's new leads",
    ),
    phrase=p.typed(AutomationResult, _created),
    synonyms={"schedule": schedule_synonyms(), "action": ACTIONS, "recipients": RECIPIENTS,
              "template": TEMPLATES, "event": EVENTS},
    questions={"schedule": "When should it run? On a schedule (\"every Monday morning\") or when "
                           "something happens (\"when a customer is created\")?"},
    read=read_timezone,
    needs=_when,
))

declare("create_workflow", ToolLanguage(
    examples=(
        "create a lead nurture workflow",
        "when a new lead signs up send the welcome email then a feature highlight 3 days later",
        "set up a workflow for new customers with a welcome email",
        "build a nurture sequence for leads",
        "new workflow: welcome new leads and follow up after three days",
        "start an onboarding email sequence when a customer is created",
        "drip campaign for new leads",
        "workflow that welcomes every new customer",
        "automate lead nurturing",
        "create workflow lead nurture campaign",
        "make a worflow that emails new leads a welcome then a follow up after a week",
        "onboarding drip for everyone who registers",
        "nurture sequence for new customers pls",
        "set up an automated email sequence for leads",
        "onboarding sequence: welcome email today, tips after 3 days, a check-in after a week",
        "build a drip for new leads with 3 emails over 2 weeks",
        "when a lead signs up, email them right away and make a follow-up task 2 days later",
        "nurture flow for new prospects",
        "create a welcome series for new signups",
        "multi-step workflow for new customers",
        "i want new leads to get a welcome mail and then product tips 3 days after",
        "email sequence for when someone signs up",
        "new lead nurture campaign called Spring Leads",
        "drip emails for leads pls",
        "create a follow up sequence for new leads with delays between the steps",
        "set up a nurture workflow just for leads, not active customers",
        "wrkflow for onboarding new clients",
        "after a customer signs up send a welcome, wait 2 hours, then post to slack",
        "Automated Onboarding Journey For New Customers",
    ),
    phrase=p.typed(AutomationResult, _created),
    synonyms={"event": EVENTS, "status": {"lead": ("leads", "lead"), "active": ("active customers",),
                                          "inactive": ("inactive",), "churned": ("churned",)}},
))

declare("list_automations", ToolLanguage(
    examples=(
        "list my automations",
        "which automations do I have",
        "show the workflows",
        "what automations are running",
        "show paused automations",
        "what's scheduled to run automatically",
        "do I have any scheduled emails set up",
        "my automated workflows",
        "list active automations",
        "show me all automations and workflows",
        "what have i automated",
        "which automations are paused",
        "list the scheduled ones",
        "show event based automations",
        "automations",
        "what automations have we set up",
        "any workflows running right now?",
        "list the event triggered automations",
        "which automations are turned off",
        "when does each automation run next",
        "automation list",
        "how many automations do we have",
        "which automations run on a timer",
        "which rules send emails automatically",
        "list my drip campaigns",
        "which workflows are active",
        "do we have anything automated for overdue invoices?",
        "my automatons",
        "what's on autopilot",
    ),
    phrase=p.typed(AutomationList, _listed),
    synonyms={"status": STATUS, "kind": KINDS},
))

declare("get_automation", ToolLanguage(
    examples=(
        "show the weekly invoice reminder automation",
        "details of the lead nurture workflow",
        "when does the invoice reminder run next",
        "what does the win back automation do",
        "open the automation called weekly invoice reminder",
        "tell me about the slack alert automation",
        "how is the lead nurture campaign set up",
        "what triggers the welcome workflow",
        "show automation details",
        "look at the overdue reminder automation",
        "open an automation",
        "show me an automation",
        "show me one of my automations",
        "how's the Weekly Invoice Reminder set up",
        "what does the Lead Nurture Campaign do",
        "when's the next run of the monday reminder",
        "what does the Friday Slack Post automation send",
        "who gets the win back emails",
        "is the weekly invoice reminder active or paused",
        "show me how the onboarding workflow is configured",
        "what are the steps in the Lead Nurture Campaign",
        "which template does the overdue reminder use",
        "details on automation Welcome Series",
        "how often does the slack alert automation fire",
        "what schedule is the payment reminder on",
        "which event starts the nurture workflow",
        "show the steps of the drip campaign",
        "open automaton Weekly Invoice Reminder",
        "what actions does the win-back automation have",
    ),
    phrase=p.typed(AutomationDetail, _detail),
    questions={"name": WHICH},
    names_record=NAMES_AN_AUTOMATION,
))

declare("pause_automation", ToolLanguage(
    examples=(
        "pause the weekly invoice reminder",
        "stop the lead nurture workflow for now",
        "turn off the slack automation",
        "disable the win back automation",
        "hold the reminder emails",
        "pause that automation",
        "suspend the nurture campaign",
        "put the invoice reminder on hold",
        "pause automation weekly invoice reminder",
        "stop sending the reminder emails for a while",
        "stop the reminder automation until further notice",
        "halt the weekly reminder automation",
        "pause an automation",
        "freeze the Win Back emails for a bit",
        "pause the Friday Slack Post",
        "stop the win back emails for december",
        "temporarily switch off the payment reminder automation",
        "we're on holiday, pause the weekly reminder till we're back",
        "don't send the nurture emails for now",
        "paus the lead nurture campain",
        "deactivate the overdue reminder automation",
        "put the drip campaign on pause",
        "hold off on the onboarding workflow for a week",
        "stop automation Welcome Series for now, keep it though",
        "PAUSE the invoice reminder",
        "can you pause the slack posts until monday",
        "the reminder emails are annoying customers, pause them",
        "suspend automation Monthly Win Back",
        "turn off the automated reminders temporarily",
    ),
    phrase=p.typed(AutomationDetail, _detail),
    questions={"name": WHICH},
    names_record=NAMES_AN_AUTOMATION,
))

declare("resume_automation", ToolLanguage(
    examples=(
        "resume the weekly invoice reminder",
        "turn the lead nurture workflow back on",
        "restart the paused automation",
        "enable the win back automation again",
        "unpause the slack alerts",
        "reactivate the reminder emails",
        "resume that automation",
        "switch the nurture campaign back on",
        "continue the invoice reminder automation",
        "start the paused workflow again",
        "turn the reminder emails back on",
        "unpause the Lead Nurture Campaign",
        "resume an automation",
        "we're back, resume the weekly reminder",
        "start the win back emails again",
        "re-enable the Friday Slack Post",
        "unpause the drip campaign",
        "turn the onboarding workflow back on",
        "resume automation Welcome Series",
        "activate the payment reminder again",
        "put the invoice reminder back on",
        "the nurture emails can go out again",
        "restart the slack automation we paused",
        "resum the lead nurture",
        "RESUME the overdue reminders",
        "pick the monthly win back up again",
        "switch the reminder automation on again",
        "take the weekly reminder off pause",
        "let the welcome series run again",
    ),
    phrase=p.typed(AutomationDetail, _detail),
    questions={"name": WHICH},
    names_record=NAMES_AN_AUTOMATION,
))

declare("delete_automation", ToolLanguage(
    examples=(
        "delete the weekly invoice reminder automation",
        "remove the lead nurture workflow",
        "get rid of the slack automation",
        "delete that automation",
        "remove automation win back",
        "trash the old reminder workflow",
        "delete the workflow for new leads",
        "I don't need the payment reminder automation anymore, delete it",
        "erase the nurture campaign",
        "delete automaton weekly reminder",
        "delete an automation",
        "kill the Friday Slack Post automation for good",
        "get rid of the invoice reminder automation, we don't need it",
        "delete the Friday Slack Post automation",
        "remove the drip campaign for good",
        "permanently delete the win back automation and its history",
        "scrap the Welcome Series automation",
        "delete the onboarding workflow",
        "can you get rid of the old monthly reminder",
        "destroy the test automation",
        "remove the payment reminder automation entirely",
        "dlete the nurture workflow",
        "DELETE AUTOMATION Monthly Win Back",
        "clean up: delete the automation I made by mistake",
        "bin the overdue reminder automation",
        "remove the slack alert automation completely",
        "delete the scheduled email to all customers",
        "i want to delete one of my automations",
        "wipe the lead nurture campaign and its runs",
    ),
    phrase=p.typed(AutomationResult, lambda out, args: p.destructive(out, args)),
    questions={"name": WHICH},
    names_record=NAMES_AN_AUTOMATION,
))

declare("list_automation_runs", ToolLanguage(
    examples=(
        "runs of auto_14 from the 3rd to the 10th",
        "show the run log of the invoice reminder automation for last month",
        "what did my automations do this week",
        "automation history",
        "show the recent automation runs",
        "did the invoice reminder run",
        "which emails did the automations send last week",
        "any automation failures",
        "show failed automation runs",
        "what ran automatically yesterday",
        "how many reminder emails went out",
        "log of the workflow runs",
        "did any automation break",
        "which automations failed",
        "show their recent runs",
        "recent runs of my automations",
        "automation runs that went wrong this week",
        "did the reminder emails go out",
        "what did the automations send today",
        "how did the invoice reminder runs go",
        "automation activity since monday",
        "did the monday reminder go out this morning",
        "how many emails did the win back automation send last month",
        "failed automation runs since friday",
        "show runs of the Lead Nurture Campaign",
        "automation run log for last week",
        "did the slack post automation work yesterday",
        "which automation runs partly failed",
        "were any reminder emails kept in the outbox",
        "what did the workflows do today",
        "automaton runs pls",
    ),
    phrase=p.typed(RunList, _runs),
    synonyms={"status": RUN_STATUS},
))
