"""The security score (document 000's GET /api/modules/security/score) and the team view.

The score is computed on every read from the rules in tools.security.rules; its findings are
remembered (security_issues) so a new high-severity one is announced once as
`security.issue.created`, and one that is fixed is marked resolved on the next read."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from store.models import SecurityIssue
from tools.context import ToolContext
from tools.events import emit
from tools.registry import tool
from tools.security import posture as gathering
from tools.security.rules import RULES, STALE_DAYS, Finding, RuleResult
from tools.security.schemas import (
    Breakdown,
    IssueOut,
    MemberSecurity,
    RuleOut,
    SecurityScore,
    SecurityScoreInput,
    TeamSecurity,
    TeamSecurityInput,
)

WEIGHTS = {"mfaAdoption": 0.30, "accessControl": 0.25, "dataEncryption": 0.25, "compliance": 0.20}
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}
ANNOUNCED = ("critical", "high")


def _category_scores(results: list[RuleResult]) -> dict[str, float]:
    """Mean of a category's rules that had something to judge; a category with none is full."""
    out: dict[str, float] = {}
    for category in WEIGHTS:
        scores = [r.score for r in results if r.category == category and r.score is not None]
        out[category] = sum(scores) / len(scores) if scores else 1.0
    return out


def _remember(ctx: ToolContext, findings: list[Finding]) -> dict[str, SecurityIssue]:
    rows = {r.key: r for r in ctx.session.scalars(select(SecurityIssue))}
    current = {f.key for f in findings}
    for finding in findings:
        row = rows.get(finding.key)
        fresh = row is None or row.resolved_at is not None
        if row is None:
            row = rows[finding.key] = SecurityIssue(tenant_id=ctx.tenant_id, key=finding.key,
                                                    first_seen_at=ctx.now, rule=finding.key)
            ctx.session.add(row)
        elif fresh:
            row.first_seen_at, row.resolved_at = ctx.now, None
        row.severity, row.category, row.title = finding.severity, finding.category, finding.title
        row.last_seen_at = ctx.now
        if fresh and finding.severity in ANNOUNCED:
            emit(ctx, "security.issue.created", {"issue_id": finding.key, "severity": finding.severity,
                                                 "title": finding.title, "category": finding.category,
                                                 "fix": finding.fix})
    for key, row in rows.items():
        if key not in current and row.resolved_at is None:
            row.resolved_at = ctx.now
    return rows


@tool(name="security_score", toolset="security", min_role="admin", description="""How secure the
workspace is: a 0-100 score with its breakdown (MFA adoption, access control, data encryption,
compliance) computed now from the real setup by named rules (members with MFA, admin share,
dormant accounts, old or unused API keys, the database at rest, webhooks, connector credentials,
password policy), and the open issues, most severe first, each with how to fix it. Use it for
"how secure is my setup?" and "what should I fix first?".""")
def security_score(ctx: ToolContext, _args: SecurityScoreInput) -> SecurityScore:
    results = [rule(gathering.gather(ctx.session, ctx.tenant_id, ctx.now)) for rule in RULES]
    findings = [f for r in results for f in r.findings]
    rows = _remember(ctx, findings)
    categories = _category_scores(results)
    total = sum(WEIGHTS[c] * s for c, s in categories.items())
    issues = sorted((IssueOut(id=f.key, severity=f.severity, title=f.title, category=f.category,
                              fix=f.fix, endpoint=f.endpoint, tool=f.tool,
                              first_seen_at=rows[f.key].first_seen_at) for f in findings),
                    key=lambda i: SEVERITY_ORDER.get(i.severity, 9))
    return SecurityScore(
        score=round(total * 100),
        breakdown=Breakdown(mfa_adoption=round(categories["mfaAdoption"] * 100),
                            access_control=round(categories["accessControl"] * 100),
                            data_encryption=round(categories["dataEncryption"] * 100),
                            compliance=round(categories["compliance"] * 100)),
        issues=issues,
        rules=[RuleOut(rule=r.rule, category=r.category, checked=r.checked, passed=r.passed,
                       detail=r.detail, score=None if r.score is None else round(r.score * 100))
               for r in results],
        computed_at=ctx.now)


@tool(name="team_security", toolset="security", min_role="admin", description="""The team's
security one member at a time: role, whether they use MFA, when they were last active (dormant
after 90 days), and how many API keys they hold. Use it for "who on my team has no MFA?".""")
def team_security(ctx: ToolContext, args: TeamSecurityInput) -> TeamSecurity:
    seen = gathering.gather(ctx.session, ctx.tenant_id, ctx.now)
    cutoff = ctx.now - timedelta(days=STALE_DAYS)
    keys: dict[str, int] = {}
    for key in seen.keys:
        keys[key.owner_email] = keys.get(key.owner_email, 0) + 1
    rank = {"admin": 0, "analyst": 1, "user": 2}
    members = [MemberSecurity(
        user_id=m.user_id, email=m.email, role=m.role, mfa_enabled=m.mfa,
        last_active_at=m.last_active_at, api_keys=keys.get(m.email, 0),
        dormant=m.joined_at < cutoff and (m.last_active_at is None or m.last_active_at < cutoff))
        for m in sorted(seen.members, key=lambda m: (rank.get(m.role, 3), m.email))
        if not (args.without_mfa_only and m.mfa)]
    return TeamSecurity(members=members, total=len(members),
                        without_mfa=sum(1 for m in seen.members if not m.mfa))
