"""Webhook capabilities: subscriptions, their delivery log, redelivery and health.

Managing and reading webhooks needs the analyst role (URLs and delivered bodies carry business
data); document 002's /api/admin/webhooks routes ask for admin on top. A secret is returned once,
when it is issued (create, rotate), and never again.
"""

from __future__ import annotations

from tools.webhooks.delivery_log import (
    delivery_out,
    get_webhook_delivery,
    list_webhook_deliveries,
    redeliver_webhook,
)
from tools.webhooks.health import webhook_health
from tools.webhooks.subscriptions import (
    DOCUMENTED_EVENTS,
    SHOWN_SECRET_NOTE,
    check_url,
    create_webhook,
    delete_webhook,
    get_webhook,
    known_events,
    list_webhooks,
    load,
    rotate_webhook_secret,
    to_out,
    update_webhook,
)

# The capabilities live in subscriptions, delivery_log and health; the last two import the first,
# so the tools register in the order they always had: subscriptions, the delivery log, health.
__all__ = [
    "DOCUMENTED_EVENTS", "SHOWN_SECRET_NOTE", "check_url", "create_webhook", "delete_webhook",
    "delivery_out", "get_webhook", "get_webhook_delivery", "known_events", "list_webhook_deliveries",
    "list_webhooks", "load", "redeliver_webhook", "rotate_webhook_secret", "to_out", "update_webhook",
    "webhook_health",
]
