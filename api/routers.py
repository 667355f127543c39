"""Every domain router, in the order the app includes them. A new domain adds its routers here."""

from fastapi import APIRouter

from api.action_hub import routes as action_hub
from api.analytics import routes as analytics
from api.automations import routes as automations
from api.chat import openai_routes
from api.chat import routes as chat
from api.connectors import routes as connectors
from api.crm import customers, deals
from api.events import routes as events
from api.health import routes as health
from api.identity import access_routes, mfa_routes
from api.identity import routes as identity
from api.insights import routes as insights
from api.jobs import routes as jobs
from api.lineage import routes as lineage
from api.predictions import routes as predictions
from api.security import routes as security
from api.trust import routes as trust
from api.webhooks import routes as webhooks
from api.workspaces import routes as workspaces

ROUTERS: list[APIRouter] = [
    health.router,
    identity.router,
    identity.router_v1,
    mfa_routes.router,
    mfa_routes.router_v1,
    access_routes.router,
    access_routes.router_v1,
    customers.router,
    deals.router,
    deals.router_v1,
    analytics.router,
    workspaces.router,
    chat.router,
    chat.router_v1,
    openai_routes.router,
    jobs.router,
    jobs.router_v1,
    webhooks.router,
    webhooks.router_v1,
    events.router,
    security.router,
    security.router_v1,
    connectors.router,
    connectors.router_v1,
    lineage.router,
    trust.router_v1,
    insights.router,
    insights.router_v1,
    predictions.router,
    automations.router,
    action_hub.router,
]
