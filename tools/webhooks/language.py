"""How owners ask for the webhook tools (how their results are said: tools.webhooks.phrases).

Routing between the close ones: `webhook_health` answers "are my webhooks working?" (success
rates, failing since when); `list_webhook_deliveries` is the log itself (which events went where,
failed ones); `list_webhooks` is the subscriptions (which URLs get which events).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools import phrasing as p
from tools.events import EVENT_TYPES
from tools.language import ToolLanguage, declare, read_examples
from tools.webhooks import phrases as said
from tools.webhooks.schemas import (
    DeleteWebhookResult,
    DeliveryList,
    DeliveryOutput,
    RedeliverResult,
    WebhookHealthReport,
    WebhookList,
    WebhookOutput,
    WebhookWithSecret,
)

EXAMPLES = read_examples(Path(__file__).with_name("examples.txt"))

FORMAT_SYNONYMS = {
    "standard": ("standard", "default", "simple", "basic", "event timestamp data"),
    "extended": ("extended", "smart ai hub", "with event id", "eventid", "signature in body"),
}
STATUS_SYNONYMS = {
    "pending": ("pending", "queued", "waiting", "not sent yet"),
    "retrying": ("retrying", "being retried", "retry", "retries"),
    "succeeded": ("succeeded", "delivered", "successful", "ok", "worked"),
    "failed": ("failed", "failures", "failing", "errors", "gave up", "undelivered", "bounced", "flopped",
               "given up", "didn't go through", "did not go through", "not delivered",
               "not get delivered", "not been delivered", "never arrived", "did not arrive"),
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
                         "push new customers", "post new customers", "every new customer",
                         "each new customer"),
    "customer.updated": ("when a customer is updated", "for customer updates", "when a customer changes"),
    "customer.deleted": ("when a customer is deleted", "for deleted customers"),
    "deal.created": ("for new deals", "on new deals", "when a deal is created", "when a new deal",
                     "every new deal", "each new deal"),
    "deal.won": ("for won deals", "on won deals", "when a deal is won", "when we win a deal",
                 "whenever a deal is won", "every won deal", "each won deal", "send won deals",
                 "push won deals", "post won deals", "when we win a sale", "every deal we win",
                 "each deal we win", "deals we win"),
    "deal.lost": ("for lost deals", "on lost deals", "when a deal is lost", "when we lose a deal",
                  "every lost deal", "each lost deal", "send lost deals", "every deal we lose",
                  "deals we lose"),
    "deal.stage_changed": ("for stage changes", "when a deal moves stage", "when a deal changes stage"),
    "integration.failed": ("when a sync fails", "for failed syncs"),
    "payment.failed": ("for failed payments", "when a payment fails"),
}
def _each_time(phrase: str) -> tuple[str, ...]:
    """"when we win a deal", and so "whenever", "every time" and "each time" we win one."""
    rest = phrase.removeprefix("when ")
    return (phrase,) if rest == phrase else tuple(f"{w} {rest}" for w in ("when", "whenever", "every time",
                                                                           "each time"))


_WHEN = {event: tuple(dict.fromkeys(w for phrase in words for w in _each_time(phrase)))
         for event, words in _SUBSCRIBE_WORDS.items()}
SUBSCRIBED = {
    **{event: (event,) for event in EVENT_TYPES},  # any event type written as the system writes it
    **{event: tuple(dict.fromkeys((*phrases, *_WHEN.get(event, ()))))
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
                   "start sending", "back on", "turn on", "reactivate", "re-activate", "activate",
                   "unmute")}
"""Pausing or resuming a webhook (its `active` flag)."""
WEBHOOK_QUESTION = "Which webhook (its id from the list of webhooks)?"


declare("create_webhook", ToolLanguage(
    examples=EXAMPLES["create_webhook"],
    phrase=p.typed(WebhookWithSecret, said.with_secret),
    synonyms={"format": FORMAT_SYNONYMS, "events": SUBSCRIBED},
    questions={"url": "Which URL should receive the events (a public https:// address)?",
               "events": "Which events should it receive (for example customer.created, deal.won, or * "
                         "for all)?"},
))

HOOKED = {event: (*phrases, *(f"{noun} {w}" for w in _WHEN.get(event, ())
                               for noun in ("webhook", "webhooks")),
                  *(w for w in _WHEN.get(event, ())
                    if w.startswith(("when", "whenever", "every time", "each time"))))
          for event, phrases in EVENT_SYNONYMS.items()}
"""A webhook's events said after the word itself ("the webhook for won deals") or as when it is
sent ("which webhooks get pinged when a new customer is created")."""

declare("list_webhooks", ToolLanguage(
    examples=EXAMPLES["list_webhooks"],
    phrase=p.typed(WebhookList, said.webhooks),
    synonyms={"active": ACTIVE, "event": HOOKED},
))

declare("get_webhook", ToolLanguage(
    examples=EXAMPLES["get_webhook"],
    phrase=p.typed(WebhookOutput, said.webhook),
    questions={"webhook_id": WEBHOOK_QUESTION},
))

declare("update_webhook", ToolLanguage(
    examples=EXAMPLES["update_webhook"],
    phrase=p.typed(WebhookOutput, said.updated),
    synonyms={"format": FORMAT_SYNONYMS, "events": SUBSCRIBED, "active": SWITCH},
    questions={"webhook_id": WEBHOOK_QUESTION},
))

declare("delete_webhook", ToolLanguage(
    examples=EXAMPLES["delete_webhook"],
    phrase=p.typed(DeleteWebhookResult, said.deleted),
    questions={"webhook_id": WEBHOOK_QUESTION},
))

declare("rotate_webhook_secret", ToolLanguage(
    examples=EXAMPLES["rotate_webhook_secret"],
    phrase=p.typed(WebhookWithSecret, said.with_secret),
    questions={"webhook_id": WEBHOOK_QUESTION},
))

declare("list_webhook_deliveries", ToolLanguage(
    examples=EXAMPLES["list_webhook_deliveries"],
    phrase=p.typed(DeliveryList, said.deliveries),
    synonyms={"status": STATUS_SYNONYMS, "event_type": EVENT_SYNONYMS},
))

declare("get_webhook_delivery", ToolLanguage(
    examples=EXAMPLES["get_webhook_delivery"],
    phrase=p.typed(DeliveryOutput, said.delivery),
    questions={"delivery_id": "Which delivery (its id from the delivery log)?"},
))

def _which_delivery(args: Mapping[str, Any]) -> list[str]:
    """A redelivery names a delivery, an event or a webhook (its last failed delivery); without
    any of them it can only fail, so the owner is shown the deliveries to choose from."""
    return [] if any(args.get(k) for k in ("delivery_id", "event_id", "webhook_id")) else ["delivery_id"]


declare("redeliver_webhook", ToolLanguage(
    examples=EXAMPLES["redeliver_webhook"],
    phrase=p.typed(RedeliverResult, said.redelivered),
    questions={"delivery_id": "Which delivery (its id from the list of webhook deliveries)?"},
    needs=_which_delivery,
))

declare("webhook_health", ToolLanguage(
    examples=EXAMPLES["webhook_health"],
    phrase=p.typed(WebhookHealthReport, said.health),
    names_record={"webhook_id": "webhook"},  # "... then tell me if *it*'s healthy": the one just made
))
