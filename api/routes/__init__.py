"""Routers, one module per document area. `ROUTERS` is the order the app includes them in."""

from fastapi import APIRouter

from api.routes import auth, auth_v1, chat, crm, health, openai_compat, workspaces_v1

ROUTERS: list[APIRouter] = [
    health.router,
    auth.router,
    auth_v1.router,
    crm.router,
    workspaces_v1.router,
    chat.router,
    openai_compat.router,
]
