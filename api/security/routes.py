"""Security posture over REST: document 000's `GET /api/modules/security/score` (envelope), the
team's security and the audit trail under `/api/modules/security/...`, and the audit trail as
`GET /api/v1/audit-logs` (raw). Admins only (the tools say so); another workspace's data is
never reachable: every tool reads the caller's workspace."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import CurrentPrincipal
from api.family import EnvelopeRoute, Page, RawRoute
from api.openapi_models import Envelope, ListEnvelope, PageBlock, doc, snake
from api.ratelimit import api_limit
from tools.runtime import invoke
from tools.security import audit_log, score
from tools.security.audit_schemas import AuditLogPage, ListAuditLogInput
from tools.security.schemas import SecurityScore, TeamSecurity, TeamSecurityInput

limited = [Depends(api_limit)]
router = APIRouter(tags=["security"], dependencies=limited, route_class=EnvelopeRoute)
router_v1 = APIRouter(prefix="/api/v1", tags=["security"], dependencies=limited, route_class=RawRoute)


class AuditPage(AuditLogPage):
    """A page of audit entries with its pagination block."""

    pagination: PageBlock  # type: ignore[assignment]


@router.get("/api/modules/security/score", responses=doc(200, Envelope[SecurityScore]))
async def security_score(principal: CurrentPrincipal) -> SecurityScore:
    """`{score, breakdown: {mfaAdoption, accessControl, dataEncryption, compliance}, issues}`,
    computed now from the workspace's real setup; `rules` shows each rule's counts. Fixing an
    issue changes the score on the next read."""
    return await invoke(score.security_score, principal)


@router.get("/api/modules/security/team", responses=doc(200, Envelope[TeamSecurity]))
async def team(principal: CurrentPrincipal,
               query: Annotated[TeamSecurityInput, Query()]) -> TeamSecurity:
    """Each member's role, MFA, last activity and API keys."""
    return await invoke(score.team_security, principal, query)


@router.get("/api/modules/security/audit-log", responses=doc(200, ListEnvelope[AuditPage]))
async def audit(principal: CurrentPrincipal, query: Annotated[ListAuditLogInput, Query()]) -> Page:
    """The audit trail, newest first: filter by userId, userEmail, tool, outcome, source, search,
    startDate and endDate; paged by page and limit."""
    out = await invoke(audit_log.list_audit_log, principal, query)
    return Page(out.camel(), query.page, query.limit, out.pagination.total)


@router_v1.get("/audit-logs", responses=doc(200, snake(AuditLogPage)))
async def audit_v1(principal: CurrentPrincipal,
                   query: Annotated[ListAuditLogInput, Query()]) -> AuditLogPage:
    """{entries, pagination}: the audit trail, newest first, with the same filters."""
    return await invoke(audit_log.list_audit_log, principal, query)
