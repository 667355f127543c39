"""Webhooks for every family that documents them, over the same tools:

- `/api/webhooks` (document 000; envelope, camelCase): analysts and admins; body shape
  `standard` ({id, event, timestamp, data}) unless `format` says otherwise.
- `/api/admin/webhooks` (document 002; envelope): admins only; `extended` body ({eventId,
  eventType, timestamp, data, signature}) by default, as 002 shows it. Updates by PUT as 002 does
  elsewhere, or PATCH.
- `/api/v1/webhooks` (document 004's planned webhooks; raw snake_case objects).

Under each base: POST (201, the secret shown once), GET list, GET/PATCH/PUT/DELETE `/{id}`,
POST `/{id}/rotate-secret`, GET `/{id}/deliveries` (the log), GET `/{id}/deliveries/{deliveryId}`
(with every attempt), POST `/{id}/deliveries/{deliveryId}/redeliver` (202), GET `/deliveries`
(every webhook's log), POST `/redeliver` (an event again, 202), GET `/health` and `/{id}/health`.

No `from __future__ import annotations` here: the routes are declared inside `add_routes`, and
FastAPI must see their (local) annotation types as objects, not as names to look up globally.
"""


import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.deps import CurrentPrincipal
from api.family import EnvelopeRoute, Page, RawRoute, respond
from api.idempotency import IdempotencyKey, once
from api.openapi_models import Envelope, ListEnvelope, doc, snake
from api.ratelimit import limit
from api.webhooks.schemas import (
    DeliveriesQuery,
    DeliveryPage,
    RedeliverBody,
    RotateBody,
    WebhookCreatedV1,
    WebhookPage,
    WebhookPatch,
    changes,
    flat,
)
from core.errors import Forbidden
from tools.context import Principal
from tools.runtime import invoke
from tools.webhooks import tools as webhooks
from tools.webhooks.schemas import (
    CreateWebhookInput,
    DeliveryDetail,
    DeliveryList,
    DeliveryOutput,
    ListDeliveriesInput,
    ListWebhooksInput,
    RedeliverResult,
    WebhookFormat,
    WebhookHealthReport,
    WebhookList,
    WebhookOut,
    WebhookOutput,
    WebhookWithSecret,
)

webhook_limit = limit("webhooks", lambda: 1000)
"""Document 000: webhooks 1000 requests a minute."""
HOURS = Query(24, ge=1, le=720, description="The window success rates cover, in hours (default 24).")
NOT_KEPT = "(shown once, when issued: rotate the secret to get a new one)"


async def admin_principal(principal: CurrentPrincipal) -> Principal:
    """Document 002's /api/admin routes: workspace admins (and platform superadmins) only."""
    if not principal.can("admin"):
        raise Forbidden("Admin access is required", code="FORBIDDEN")
    return principal


def _without_secret(body: Any) -> Any:
    """What an idempotent replay of a create answers: the same, without the secret."""
    if isinstance(body, dict):
        data = body.get("data")
        inner: dict[str, Any] = data if isinstance(data, dict) else body
        if "secret" in inner:
            inner["secret"] = NOT_KEPT
    return body


def _fingerprint(body: CreateWebhookInput) -> dict[str, Any]:
    """The create's parameters for Idempotency-Key matching, without the secret in clear."""
    params = body.model_dump(mode="json")
    if body.secret is not None:
        params["secret"] = hashlib.sha256(body.secret.get_secret_value().encode()).hexdigest()
    return params


def add_routes(router: APIRouter, base: str, *, default_format: WebhookFormat, raw: bool,
               who: Any) -> None:
    """Register the webhook routes under `base`. `who` is the principal dependency; `raw` routes
    answer objects themselves (snake_case) instead of the envelope's {webhook: ...}."""
    Who = Annotated[Principal, Depends(who)]  # noqa: N806 - a type alias
    one = snake(WebhookOut) if raw else Envelope[WebhookOutput]
    created = snake(WebhookCreatedV1) if raw else Envelope[WebhookWithSecret]
    listed = snake(WebhookList) if raw else ListEnvelope[WebhookPage]
    log = snake(DeliveryList) if raw else ListEnvelope[DeliveryPage]
    detail = snake(DeliveryDetail) if raw else Envelope[DeliveryOutput]
    health = snake(WebhookHealthReport) if raw else Envelope[WebhookHealthReport]
    again = snake(RedeliverResult) if raw else Envelope[RedeliverResult]

    def hook(out: WebhookOutput) -> Any:
        return out.webhook if raw else out

    def with_secret(out: WebhookWithSecret) -> Any:
        return flat(out) if raw else out

    def page(out: WebhookList | DeliveryList, query: Any) -> Any:
        return out if raw else Page(out.camel(), query.page, query.limit, out.pagination.total)

    @router.post(base, status_code=201, responses=doc(201, created, "Created; the secret is shown once"))
    async def create_webhook(request: Request, principal: Who, body: CreateWebhookInput,
                             key: IdempotencyKey = None) -> Response:
        """Subscribe a URL to events. The signing secret (yours, or a generated one) is in this
        response only. The URL must be a public address (no loopback, private, link-local or
        metadata addresses)."""
        if "format" not in body.model_fields_set:
            body = body.model_copy(update={"format": default_format})

        async def create() -> Response:
            return respond(request, with_secret(await invoke(webhooks.create_webhook, principal, body)), 201)

        return await once(request, principal, key, _fingerprint(body), create, stored=_without_secret)

    @router.get(base, responses=doc(200, listed))
    async def list_webhooks(principal: Who, query: Annotated[ListWebhooksInput, Query()]) -> Any:
        """The workspace's webhooks, newest first (never their secrets)."""
        return page(await invoke(webhooks.list_webhooks, principal, query), query)

    @router.get(f"{base}/health", responses=doc(200, health))
    async def webhooks_health(principal: Who, hours: int = HOURS) -> WebhookHealthReport:
        """Are the webhooks working: per webhook, success rate, failures, failing since when."""
        return await invoke(webhooks.webhook_health, principal, {"hours": hours})

    @router.get(f"{base}/deliveries", responses=doc(200, log))
    async def list_all_deliveries(principal: Who,
                                  query: Annotated[ListDeliveriesInput, Query()]) -> Any:
        """Every webhook's delivery log, newest first; filter by webhookId, status, eventType."""
        return page(await invoke(webhooks.list_webhook_deliveries, principal, query), query)

    @router.post(f"{base}/redeliver", status_code=202, responses=doc(202, again, "Queued"))
    async def redeliver_event(principal: Who, body: RedeliverBody) -> RedeliverResult:
        """Send an event again to every webhook that had it, or to `webhookId` only."""
        return await invoke(webhooks.redeliver_webhook, principal, body.model_dump())

    @router.get(f"{base}/{{webhook_id}}", responses=doc(200, one))
    async def get_webhook(principal: Who, webhook_id: str) -> Any:
        """One webhook (never its secret)."""
        return hook(await invoke(webhooks.get_webhook, principal, {"webhook_id": webhook_id}))

    async def update(principal: Principal, webhook_id: str, body: WebhookPatch) -> Any:
        return hook(await invoke(webhooks.update_webhook, principal,
                                 {**changes(body), "webhook_id": webhook_id}))

    @router.patch(f"{base}/{{webhook_id}}", responses=doc(200, one))
    async def update_webhook(principal: Who, webhook_id: str, body: WebhookPatch) -> Any:
        """Change the URL, events, description or format; `active: false` pauses deliveries."""
        return await update(principal, webhook_id, body)

    @router.put(f"{base}/{{webhook_id}}", responses=doc(200, one))
    async def replace_webhook(principal: Who, webhook_id: str, body: WebhookPatch) -> Any:
        """As PATCH (the fields sent change, the others stay)."""
        return await update(principal, webhook_id, body)

    @router.delete(f"{base}/{{webhook_id}}", status_code=204)
    async def delete_webhook(principal: Who, webhook_id: str) -> None:
        """Delete the webhook and its delivery log; waiting deliveries are not sent."""
        await invoke(webhooks.delete_webhook, principal, {"webhook_id": webhook_id}, confirmed=True)

    @router.post(f"{base}/{{webhook_id}}/rotate-secret", responses=doc(200, created))
    async def rotate_secret(principal: Who, webhook_id: str,
                            body: RotateBody | None = None) -> Any:
        """A new signing secret, shown in this response only. `keepOldHours` lets the old one
        sign alongside (a second v1= in Webhook-Signature) while the receiver switches."""
        args = {**(changes(body) if body else {}), "webhook_id": webhook_id}
        return with_secret(await invoke(webhooks.rotate_webhook_secret, principal, args))

    @router.get(f"{base}/{{webhook_id}}/health", responses=doc(200, health))
    async def webhook_health(principal: Who, webhook_id: str, hours: int = HOURS) -> WebhookHealthReport:
        """This webhook's success rate, failures and last error."""
        return await invoke(webhooks.webhook_health, principal, {"webhook_id": webhook_id, "hours": hours})

    @router.get(f"{base}/{{webhook_id}}/deliveries", responses=doc(200, log))
    async def list_deliveries(principal: Who, webhook_id: str,
                              query: Annotated[DeliveriesQuery, Query()]) -> Any:  # type: ignore[valid-type]
        """This webhook's delivery log, newest first: status, attempts, last HTTP status, error."""
        args = {**query.model_dump(), "webhook_id": webhook_id}
        return page(await invoke(webhooks.list_webhook_deliveries, principal, args), query)

    @router.get(f"{base}/{{webhook_id}}/deliveries/{{delivery_id}}", responses=doc(200, detail))
    async def get_delivery(principal: Who, webhook_id: str, delivery_id: str) -> Any:
        """One delivery with every attempt and the body sent."""
        out = await invoke(webhooks.get_webhook_delivery, principal,
                           {"delivery_id": delivery_id, "webhook_id": webhook_id})
        return out.delivery if raw else out

    @router.post(f"{base}/{{webhook_id}}/deliveries/{{delivery_id}}/redeliver", status_code=202,
                 responses=doc(202, again, "Queued"))
    async def redeliver(principal: Who, webhook_id: str, delivery_id: str) -> RedeliverResult:
        """Send this delivery again now (a new attempt in its log)."""
        return await invoke(webhooks.redeliver_webhook, principal,
                            {"delivery_id": delivery_id, "webhook_id": webhook_id})


async def _principal(principal: CurrentPrincipal) -> Principal:
    return principal


router = APIRouter(tags=["webhooks"], dependencies=[Depends(webhook_limit)], route_class=EnvelopeRoute)
add_routes(router, "/api/webhooks", default_format="standard", raw=False, who=_principal)
add_routes(router, "/api/admin/webhooks", default_format="extended", raw=False, who=admin_principal)

router_v1 = APIRouter(tags=["webhooks"], dependencies=[Depends(webhook_limit)], route_class=RawRoute)
add_routes(router_v1, "/api/v1/webhooks", default_format="standard", raw=True, who=_principal)
