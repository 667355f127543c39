"""How owners ask for the webhook tools, and how their results are said.

Routing between the close ones: `webhook_health` answers "are my webhooks working?" (success
rates, failing since when); `list_webhook_deliveries` is the log itself (which events went where,
failed ones); `list_webhooks` is the subscriptions (which URLs get which events).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tools import phrasing as p
from tools.language import ToolLanguage, declare
from tools.webhooks.schemas import (
    DeleteWebhookResult,
    DeliveryList,
    DeliveryOut,
    DeliveryOutput,
    RedeliverResult,
    WebhookHealth,
    WebhookHealthReport,
    WebhookList,
    WebhookOut,
    WebhookOutput,
    WebhookWithSecret,
)

FORMAT_SYNONYMS = {
    "standard": ("standard", "default", "simple", "basic", "event timestamp data"),
    "extended": ("extended", "smart ai hub", "with event id", "eventid", "signature in body"),
}
STATUS_SYNONYMS = {
    "pending": ("pending", "queued", "waiting", "not sent yet"),
    "retrying": ("retrying", "being retried", "retry", "retries"),
    "succeeded": ("succeeded", "delivered", "successful", "ok", "worked"),
    "failed": ("failed", "failures", "failing", "errors", "gave up", "undelivered", "bounced"),
}
_EVENT_WORDS = {
    "customer.created": ("new customer", "customer created", "customer signup", "customer.created"),
    "customer.updated": ("customer updated", "customer change", "customer.updated"),
    "customer.deleted": ("customer deleted", "customer.deleted"),
    "deal.created": ("new deal", "deal created", "deal.created"),
    "deal.won": ("deal won", "won deal", "deal.won"),
    "deal.lost": ("deal lost", "lost deal", "deal.lost"),
    "deal.stage_changed": ("stage change", "deal stage", "deal.stage_changed"),
    "integration.failed": ("sync failure", "failed sync", "integration.failed"),
    "insight.critical": ("critical insight", "insight.critical"),
    "payment.failed": ("failed payment", "payment failed", "payment.failed"),
}
EVENT_SYNONYMS = {
    event: tuple(dict.fromkeys(phrase for w in words for phrase in (
        (w,) if "." in w else (f"{w} event", f"{w} events", f"{w} webhook", f"{w} webhooks"))))
    for event, words in _EVENT_WORDS.items()
}
"""An event type by its name ("deal.won") or by what it is followed by "event(s)" or "webhook(s)"
("won deal events"): "lost deals" alone asks for deals, not for webhooks."""
ACTIVE = {"true": ("active webhooks", "live webhooks", "enabled webhooks", "active ones", "running ones"),
          "false": ("paused", "disabled", "switched off", "turned off", "inactive webhooks")}
_SUBSCRIBE_WORDS = {
    "customer.created": ("for new customers", "on new customers", "when a customer signs up",
                         "when a new customer", "whenever a new customer", "send new customers",
                         "push new customers", "post new customers"),
    "customer.updated": ("when a customer is updated", "for customer updates", "when a customer changes"),
    "customer.deleted": ("when a customer is deleted", "for deleted customers"),
    "deal.created": ("for new deals", "on new deals", "when a deal is created", "when a new deal"),
    "deal.won": ("for won deals", "on won deals", "when a deal is won", "when we win a deal",
                 "whenever a deal is won"),
    "deal.lost": ("for lost deals", "on lost deals", "when a deal is lost", "when we lose a deal"),
    "deal.stage_changed": ("for stage changes", "when a deal moves stage", "when a deal changes stage"),
    "integration.failed": ("when a sync fails", "for failed syncs"),
    "payment.failed": ("for failed payments", "when a payment fails"),
}
SUBSCRIBED = {
    **{event: tuple(dict.fromkeys((*phrases, *_SUBSCRIBE_WORDS.get(event, ()))))
       for event, phrases in EVENT_SYNONYMS.items()},
    "deal.*": ("all deal events", "every deal event", "any deal event", "all deal changes"),
    "customer.*": ("all customer events", "every customer event", "any customer event",
                   "all customer changes"),
    "*": ("everything", "all events", "every event", "any event", "all of them", "all types"),
}
"""What a webhook is subscribed to: event types as above, or "*" for every one. Setting one up
is about events, so "for won deals" and "when a customer signs up" name them too; never the bare
"new customers", which asks for customers everywhere else (a list filter needs "won deal
*events*")."""
SWITCH = {"false": ("pause", "paused", "disable", "stop sending", "switch off", "turn off", "mute"),
          "true": ("resume", "unpause", "enable", "re-enable", "turn back on", "switch on",
                   "start sending")}
"""Pausing or resuming a webhook (its `active` flag)."""
WEBHOOK_QUESTION = "Which webhook (its id from the list of webhooks)?"


def _events(hook: WebhookOut) -> str:
    return ", ".join(hook.events)


def webhook_line(hook: WebhookOut) -> str:
    state = "active" if hook.active else "paused"
    text = f"{hook.url} — {_events(hook)} ({state})"
    if hook.failure_count:
        text += f", {p.plural(hook.failure_count, 'failure')} in a row, last: {hook.last_error or 'error'}"
    elif hook.last_success_at:
        text += f", last delivered {p.day(hook.last_success_at)}"
    return text


def _webhooks(out: WebhookList, args: Mapping[str, Any]) -> str:
    total = out.pagination.total
    if total == 0:
        return "You have no webhooks" + (" matching that" if args.get("event") or
                                         args.get("active") is not None else "") + "."
    head = f"You have {p.plural(total, 'webhook')}."
    return f"{head} {p.listing([webhook_line(h) for h in out.webhooks], total, 'newest')}"


def _webhook(out: WebhookOutput, args: Mapping[str, Any]) -> str:
    h = out.webhook
    text = f"The webhook to {h.url} receives {_events(h)}; it is {'active' if h.active else 'paused'}"
    text += f" and sends the {h.format} format. Created {p.day(h.created_at)}."
    if h.failure_count:
        text += f" The last {p.plural(h.failure_count, 'attempt')} failed ({h.last_error or 'error'})."
    elif h.last_success_at:
        text += f" Last delivered {p.day(h.last_success_at)}."
    return text


def _with_secret(out: WebhookWithSecret, args: Mapping[str, Any]) -> str:
    return f"{out.message} Secret: {out.secret}"


def _updated(out: WebhookOutput, args: Mapping[str, Any]) -> str:
    h = out.webhook
    return (f"Updated the webhook: it sends {_events(h)} to {h.url} and is "
            f"{'active' if h.active else 'paused'}.")


def _deleted(out: DeleteWebhookResult, args: Mapping[str, Any]) -> str:
    return p.destructive(out, args)


def _status_words(d: DeliveryOut) -> str:
    if not d.attempts:
        return f"{d.status}, not sent yet"
    return f"{d.status} after {p.plural(d.attempts, 'attempt')}"


def delivery_line(d: DeliveryOut) -> str:
    where = d.webhook_url or "a webhook"
    text = f"{d.event_type} to {where}: " + _status_words(d)
    if d.status != "succeeded" and d.error:
        text += f" ({d.error})"
    if d.next_attempt_at:
        text += f", next try {p.day(d.next_attempt_at)}"
    return text


def _deliveries(out: DeliveryList, args: Mapping[str, Any]) -> str:
    total = out.pagination.total
    what = f"{args['status']} " if args.get("status") else ""
    if total == 0:
        return f"There are no {what}webhook deliveries" + (" of that event" if args.get("event_type")
                                                           or args.get("event_id") else "") + "."
    noun = p.plural(total, what + "webhook delivery", what + "webhook deliveries")
    head = f"There {'is' if total == 1 else 'are'} {noun}."
    return f"{head} {p.listing([delivery_line(d) for d in out.deliveries], total, 'most recent')}"


def _delivery(out: DeliveryOutput, args: Mapping[str, Any]) -> str:
    d = out.delivery
    lines = [f"attempt {a.number}: {a.status}"
             + (f", HTTP {a.response_status}" if a.response_status else "")
             + (f", {a.error}" if a.error and a.status == "failed" and not a.response_status else "")
             for a in d.attempt_log]
    text = f"The {d.event_type} delivery to {d.webhook_url or 'the webhook'} is {_status_words(d)}."
    return text + ("\n" + p.bullets(lines[-p.LIST_LIMIT:]) if lines else "")


def _redelivered(out: RedeliverResult, args: Mapping[str, Any]) -> str:
    lines = [f"{d.event_type} to {d.webhook_url or 'a webhook'}" for d in out.deliveries]
    return f"{out.message}\n{p.bullets(lines[: p.LIST_LIMIT])}" if lines else out.message


def health_line(h: WebhookHealth) -> str:
    text = f"{h.url}: {h.state}"
    if h.attempts:
        text += f", {h.succeeded} of {p.plural(h.attempts, 'attempt')} succeeded"
        if h.success_rate is not None:
            text += f" ({p.percent(h.success_rate)})"
    if h.state == "failing" and h.failing_since:
        text += f", failing since {p.day(h.failing_since)}"
    if h.last_error and h.state in ("failing", "degraded"):
        text += f", last error: {h.last_error}"
    if h.pending:
        text += f", {h.pending} waiting"
    if h.failed_deliveries:
        text += f", {h.failed_deliveries} given up"
    return text


def _health(out: WebhookHealthReport, args: Mapping[str, Any]) -> str:
    hooks = out.webhooks
    if not hooks:
        return "You have no webhooks, so nothing is being sent."
    window = f"over the last {p.plural(out.hours, 'hour')}"
    if out.failing:
        verb = "is" if out.failing == 1 else "are"
        head = f"{p.plural(out.failing, 'webhook')} of {len(hooks)} {verb} failing {window}."
    elif out.healthy == len(hooks):
        head = f"All {p.plural(len(hooks), 'webhook')} are working {window}." if len(hooks) > 1 else \
            f"Your webhook is working {window}."
    elif len(hooks) == 1:
        head = f"Your webhook is not failing {window}."
    else:
        head = f"None of your {p.plural(len(hooks), 'webhook')} is failing {window}."
    return f"{head}\n{p.bullets(health_line(h) for h in hooks[: p.LIST_LIMIT])}"


# --- declarations ---------------------------------------------------------------------------------

declare("create_webhook", ToolLanguage(
    examples=(
        "create a webhook to https://hooks.example.com/bizpilot for customer.created",
        "send new customer events to my endpoint https://api.myshop.io/hooks",
        "add a webhook for deal.won to https://zapier.example/catch/123",
        "register a webhook url",
        "notify https://example.org/incoming whenever a deal is won",
        "set up a webhook that posts every event to https://n8n.mycompany.com/webhook/abc",
        "subscribe my server to deal events",
        "can you hook up a callback url for new customers?",
        "i need a webhok for customer.created",
        "post deal.created events to https://crm-sync.example.net/events",
        "new webhook endpoint please",
        "alert my server whenever a deal is lost",
        "call https://hooks.example.com/x every time a customer signs up",
        "forward all events to my zapier hook",
        "set up a new webhook",
        "send deal.won to https://hooks.zapier.com/hooks/catch/123456/abcdef",
        "webhook for when a deal is lost -> https://api.acme.io/lost",
        "add webhook https://example.com/hook for all events",
        "create a webhook for failed payments to https://billing.example.com/alerts",
        "i need our server notified by webhook whenever a customer is updated",
        "can we get a webhook POST to our endpoint every time a deal changes stage?",
        "make a webhook, url https://n8n.acme.dev/webhook/9f2c, events deal.*",
        "subscribe https://make.com/hook/xyz to customer.deleted",
        "new webhook for new deals using the extended format",
        "create webhook for deal.won with my own secret my-own-signing-secret-123456",
        "new webhok to https://ops.example.com/in for failed syncs",
        "register https://hooks.example.net/crm so it gets every event",
        "add a webhook subscription for critical insight events",
        "Set Up A Webhook To Our ERP At https://erp.bloom.co/events For New Customers",
    ),
    phrase=p.typed(WebhookWithSecret, _with_secret),
    synonyms={"format": FORMAT_SYNONYMS, "events": SUBSCRIBED},
    questions={"url": "Which URL should receive the events (a public https:// address)?",
               "events": "Which events should it receive (for example customer.created, deal.won, or * "
                         "for all)?"},
))

declare("list_webhooks", ToolLanguage(
    examples=(
        "list my webhooks",
        "what webhooks do we have",
        "show all webhook subscriptions",
        "which urls get our events?",
        "which endpoints are subscribed to deal.won",
        "do I have any webhooks set up",
        "show paused webhooks",
        "webhooks",
        "what callbacks are configured",
        "list the active webhook endpoints",
        "wich webhooks are registered",
        "just the disabled webhooks",
        "which webhooks are switched off",
        "what gets notified when a deal is lost",
        "webhooks subscribed to new customers",
        "what urls are we sending events to",
        "list all webhook endpoints and what events they get",
        "which webhooks get won deal events",
        "any webhooks subscribed to failed payment events?",
        "are any webhooks turned off",
        "webhook list pls",
        "how many webhooks have we got",
        "show me the live webhooks",
        "what's subscribed to customer.created",
        "which endpoints receive the deal.* events",
        "list enabled webhooks only",
        "where do our event notifications go",
        "wat webhoks do we hav",
        "page 2 of the webhooks",
    ),
    phrase=p.typed(WebhookList, _webhooks),
    synonyms={"active": ACTIVE, "event": EVENT_SYNONYMS},
))

declare("get_webhook", ToolLanguage(
    examples=(
        "show me that webhook",
        "details of the webhook to hooks.example.com",
        "what events does this webhook receive",
        "which format does the zapier webhook use",
        "open webhook settings",
        "tell me about the webhook I created yesterday",
        "is the n8n webhook active",
        "get webhook details",
        "what url does that webhook post to",
        "describe the webhook subscription",
        "show webhook 3f2a9c1e",
        "details for webhook wh_8d21f0",
        "which events is webhook 7c0e44b2 subscribed to",
        "is webhook 5b1d paused or active",
        "what url does webhook 9a3e2f10 point at",
        "webhook 3f2a... settings",
        "when was the webhook 0c7d91aa created",
        "open the webhook for https://hooks.zapier.com/hooks/catch/123456",
        "what format is webhook 41be77d0 sending, standard or extended",
        "look up webhook id 2e6f8a90",
        "show the config of webhook 6d4c2b1a",
        "pull up the make.com webhook",
        "info on that webhook",
        "get webhook 1f9b",
        "what's webhook c3d2e1f0 for? show its description",
        "tell me everything about the webhook to n8n.acme.dev",
        "webhook details pls, id 77aa01bc",
        "show me the webhook we set up for won deals",
        "which events does the billing webhook listen to",
    ),
    phrase=p.typed(WebhookOutput, _webhook),
    questions={"webhook_id": WEBHOOK_QUESTION},
))

declare("update_webhook", ToolLanguage(
    examples=(
        "pause the webhook",
        "resume the zapier webhook",
        "change the webhook url to https://hooks.example.com/v2",
        "also send deal.lost to that webhook",
        "disable the webhook for now",
        "turn the webhook back on",
        "switch the webhook to the extended format",
        "edit the webhook events to only customer.created",
        "rename the webhook description to CRM sync",
        "stop sending events to that endpoint for a while",
        "pause webhook 3f2a9c1e",
        "turn off the webhook to zapier till monday",
        "switch webhook 7c0e44b2 back on",
        "change webhook 9a3e url to https://hooks.acme.io/v3",
        "add failed payment events to the billing webhook",
        "make webhook 2e6f8a90 only receive won deal events",
        "update the webhook endpoint, we moved servers to https://new.example.com/hook",
        "mute the n8n webhook for a bit",
        "re-enable the webhook that was paused",
        "set the description of webhook 6d4c2b1a to accounting sync",
        "use the standard format on the make.com webhook",
        "edit webhook",
        "unpause webhook c3d2e1f0",
        "stop sending customer.updated to that webhook, keep the other events",
        "subscribe the existing zapier webhook to all events",
        "point the deal webhook at https://crm.example.org/incoming instead",
        "disable webhook 5b1d for now, the receiver is down",
        "change the events on webhook 8f0e3c55 to deal.*",
        "swich the webhok url",
    ),
    phrase=p.typed(WebhookOutput, _updated),
    synonyms={"format": FORMAT_SYNONYMS, "events": SUBSCRIBED, "active": SWITCH},
    questions={"webhook_id": WEBHOOK_QUESTION},
))

declare("delete_webhook", ToolLanguage(
    examples=(
        "delete the webhook",
        "remove the zapier webhook",
        "get rid of that webhook subscription",
        "unsubscribe https://hooks.example.com from all events",
        "drop the old webhook endpoint",
        "delete webhook and its log",
        "we don't use that callback anymore, remove it",
        "remove webhook",
        "kill the n8n webhook",
        "delet the webhok",
        "delete webhook 3f2a9c1e",
        "remove the webhook pointing at https://hooks.zapier.com/hooks/catch/123456",
        "we stopped using make.com, delete that webhook",
        "permanently remove webhook 7c0e44b2",
        "get rid of webhook 9a3e2f10 for good",
        "trash the test webhook",
        "delete the webhook for won deals",
        "i want to delete a webhook",
        "please remove webhook id 2e6f8a90 and its delivery history",
        "DELETE WEBHOOK 5b1d",
        "remove that dead endpoint from our webhooks",
        "the old crm webhook can go, delete it",
        "can you erase the webhook to api.acme.io",
        "remvoe webhook c3d2",
        "wipe out the billing webhook",
        "decommission the staging webhook",
        "drop webhook 8f0e3c55",
        "we no longer need the n8n integration webhook, please delete it",
        "delete every trace of the webhook to ops.example.com",
    ),
    phrase=p.typed(DeleteWebhookResult, _deleted),
    questions={"webhook_id": WEBHOOK_QUESTION},
))

declare("rotate_webhook_secret", ToolLanguage(
    examples=(
        "rotate the webhook secret",
        "new signing secret for the webhook",
        "our webhook secret leaked, replace it",
        "regenerate the webhook signing key",
        "roll the secret on the zapier webhook",
        "give me a fresh webhook secret but keep the old one for a day",
        "reset webhook secret",
        "change the hmac secret of the webhook",
        "i lost the webhook secret, issue a new one",
        "rotate signing secret",
        "rotate the secret for webhook 3f2a9c1e",
        "generate a new signing secret for the zapier webhook",
        "someone saw our webhook secret in a screenshot, rotate it",
        "new secret for webhook 7c0e44b2, keep the old one valid for 24 hours",
        "roll the webhook secret, the old one should stop working right away",
        "i need a new hmac key for the n8n webhook",
        "re-key webhook 9a3e",
        "refresh the webhook signature secret",
        "swap the signing secret on the billing webhook and give me the new one",
        "the webhook secret was committed to github, replace it now",
        "rotate secrets on webhook 41be77d0 with a 12 hour overlap",
        "change webhook signing key pls",
        "rotat webhok secret",
        "issue a fresh secret for webhook 2e6f8a90",
        "our receiver can't trust the old webhook signature secret, give me a new one",
        "time for our quarterly secret rotation on the make.com webhook",
        "new webhook secret with a 2 hour grace period",
        "ROTATE SECRET webhook 5b1d",
        "reissue the signing secret for the webhook to api.acme.io",
    ),
    phrase=p.typed(WebhookWithSecret, _with_secret),
    questions={"webhook_id": WEBHOOK_QUESTION},
))

declare("list_webhook_deliveries", ToolLanguage(
    examples=(
        "show webhook deliveries",
        "which webhook deliveries failed",
        "webhook delivery log",
        "did the customer.created event get delivered",
        "show failed webhook calls",
        "what did we send to the webhook today",
        "list webhook deliveries still retrying",
        "recent webhook attempts",
        "which events went out to the zapier hook",
        "any undelivered webhooks?",
        "pending deliveries for new customer events",
        "which deal.won deliveries failed",
        "what events did we send to webhook 3f2a9c1e",
        "failed deliveries for webhook 7c0e44b2",
        "show the webhook log",
        "list the webhook sends that are still pending",
        "what's waiting to be delivered to our webhooks",
        "delivery attempts for event evt_9c12ab",
        "did the new customer event for Acme get sent to zapier?",
        "webhook deliveries that gave up",
        "show every payment.failed delivery",
        "outgoing webhook log",
        "list the deliveries being retried",
        "webhook calls with errors",
        "was the deal lost event delivered",
        "show me what got posted to n8n",
        "history of webhook sends",
        "webhok delivries failed",
        "all deliveries of deal.stage_changed events",
    ),
    phrase=p.typed(DeliveryList, _deliveries),
    synonyms={"status": STATUS_SYNONYMS, "event_type": EVENT_SYNONYMS},
))

declare("get_webhook_delivery", ToolLanguage(
    examples=(
        "show that webhook delivery",
        "why did that delivery fail",
        "what did the receiver answer to the last attempt",
        "details of the failed delivery",
        "show each attempt of this delivery",
        "what body did we send in that webhook",
        "what error did the webhook delivery get",
        "delivery details",
        "open the delivery log entry",
        "what status code did the endpoint return",
        "show delivery d_4f2a91",
        "why did delivery 8c1e3b70 fail",
        "what did the endpoint respond to delivery 5a2f",
        "show the payload of webhook delivery 9d0c11ee",
        "every attempt for delivery 3b7a2c90",
        "what http status did delivery e12f44aa get",
        "how long did delivery 7f3e take",
        "open delivery 2c9d8e10 and show the request body",
        "what exactly was sent in delivery 6a1b",
        "was delivery 4d5e6f70 retried, and what did each try return",
        "response body for the last attempt of delivery 0a1b2c3d",
        "show the attempt log for that delivery",
        "delivery 1e2d3c4b: what went wrong?",
        "did delivery 9f8e7d6c time out or get a 500",
        "inspect webhook delivery 55aa66bb",
        "what json did zapier get in delivery 3c4d",
        "deliverry details for 8b7a",
        "timeline of attempts on delivery 2f3e4d5c",
        "Show Me Delivery 7E21 Of The Billing Webhook",
    ),
    phrase=p.typed(DeliveryOutput, _delivery),
    questions={"delivery_id": "Which delivery (its id from the delivery log)?"},
))

declare("redeliver_webhook", ToolLanguage(
    examples=(
        "redeliver that webhook",
        "resend the failed delivery",
        "send the customer.created event again",
        "retry the webhook now",
        "replay the event to the webhook",
        "push the missed events to the new webhook",
        "resend it",
        "try delivering again",
        "re-send the deal.won notification",
        "redeliver the event to the zapier hook",
        "resend delivery 8c1e3b70",
        "retry the failed webhook delivery 5a2f91cc",
        "send event evt_9c12ab again to all webhooks",
        "replay event 3d4e5f to the n8n webhook only",
        "our server was down last night, resend the failed delivery",
        "push the deal.won event 7a8b9c out again",
        "the receiver is fixed now, redeliver delivery 2c9d8e10",
        "re-send the webhook for the Acme signup",
        "fire event 0f1e2d again to webhook 3f2a9c1e",
        "send the missed customer.created event to the new webhook 41be77d0",
        "deliver that one again please",
        "manually retry webhook delivery 6a1b2c3d",
        "retrigger the webhook for event e55f",
        "zapier missed it, send it again",
        "redeliver event evt_01HX to every endpoint that got it",
        "resnd the webhok",
        "RETRY DELIVERY 0a1b2c3d",
        "kick the failed delivery through again",
        "re-post the payment failed event to our billing endpoint",
    ),
    phrase=p.typed(RedeliverResult, _redelivered),
))

declare("webhook_health", ToolLanguage(
    examples=(
        "are my webhooks working?",
        "webhook health",
        "is the webhook failing",
        "how reliable are our webhooks this week",
        "webhook success rate",
        "is zapier getting our events?",
        "since when has the webhook been failing",
        "any problems with webhooks",
        "check the webhooks",
        "are events reaching our endpoint",
        "r my webhooks ok",
        "pretty sure one of our webhooks is broken",
        "are the webhooks healthy",
        "webhook success rate over the last 7 days",
        "is webhook 3f2a9c1e working",
        "how is the zapier webhook doing",
        "any failing webhooks?",
        "since when is the n8n webhook down",
        "what % of webhook calls succeeded today",
        "webhook reliability last 48 hours",
        "are our webhooks delivering ok this month",
        "is anything wrong with our event notifications",
        "health of webhook 7c0e44b2 over the past week",
        "our endpoint hasn't received anything since tuesday, is the webhook failing?",
        "webhook uptime check",
        "webhok helth",
        "are any webhooks degraded",
        "how many webhook attempts failed in the last day",
        "quick health check on all webhooks",
    ),
    phrase=p.typed(WebhookHealthReport, _health),
))
