"""Identity capabilities: the same runtime, transaction and error mapping as every other tool.

They are not exposed to the assistant or MCP (a client signs itself in), and register, log in
and refresh run without a signed-in caller."""

from __future__ import annotations

from core.errors import InvalidCredentials, NotFound
from store.db import unit_of_work
from store.models import Tenant, User
from store.repositories import tenancy
from tools import audit
from tools.context import ToolContext
from tools.events import emit
from tools.identity import service
from tools.identity.schemas import (
    AuthSession,
    LoginInput,
    LoginResult,
    LogoutInput,
    LogoutResult,
    MeInput,
    MembershipOut,
    MeOutput,
    RefreshInput,
    RegisterInput,
    TenantBrief,
    UserOut,
)
from tools.registry import tool


def user_out(user: User) -> UserOut:
    return UserOut(id=user.id, email=user.email, first_name=user.first_name,
                   last_name=user.last_name, full_name=user.full_name, is_active=user.is_active,
                   email_verified=user.email_verified, mfa_enabled=user.mfa_enabled,
                   created_at=user.created_at, updated_at=user.updated_at)


def tenant_brief(tenant: Tenant) -> TenantBrief:
    return TenantBrief(id=tenant.id, name=tenant.name, slug=tenant.slug, plan=tenant.plan)


def auth_session(result: service.AuthResult) -> AuthSession:
    return AuthSession(user=user_out(result.user), tenant=tenant_brief(result.tenant),
                       role=result.role, access_token=result.access_token,
                       refresh_token=result.refresh_token, expires_in=result.expires_in)


@tool(name="register", toolset="admin", kind="write", public=True, exposed=False,
      description="Create an account and its first workspace, and sign in.")
def register(ctx: ToolContext, args: RegisterInput) -> AuthSession:
    result = auth_session(service.register(
        ctx.session, email=args.email, password=args.password, first_name=args.first_name,
        last_name=args.last_name, tenant_name=args.tenant_name))
    emit(ctx, "user.created", {**result.user.snake(), "user_id": result.user.id,
                               "tenant_id": result.tenant.id, "role": result.role},
         tenant_id=result.tenant.id)
    return result


@tool(name="login", toolset="admin", kind="write", public=True, exposed=False,
      description="Sign in with email and password (with MFA on: a challenge for the code).")
def login(ctx: ToolContext, args: LoginInput) -> LoginResult:
    try:
        result = service.login(ctx.session, email=args.email, password=args.password)
    except InvalidCredentials as err:
        _audit_failed_login(args.email, err.code)
        raise
    if isinstance(result, service.MfaPending):
        audit.record(ctx.session, tenant_id=result.tenant_id, user_id=result.user_id,
                     source=ctx.source, action="login", arguments={"email": args.email},
                     outcome="mfa_required", summary="Password accepted; waiting for the code")
        return LoginResult(mfa_required=True, challenge=result.challenge,
                           challenge_expires_in=result.expires_in)
    audit.record(ctx.session, tenant_id=result.tenant.id, user_id=result.user.id, source=ctx.source,
                 action="login", arguments={"email": args.email}, summary="Signed in")
    return LoginResult(session=auth_session(result))


def _audit_failed_login(email: str, code: str) -> None:
    """A wrong password for an existing account lands in its workspace's audit trail; an
    unknown email has no workspace to record it in (the rate limiter still counts it)."""
    with unit_of_work() as session:
        user = tenancy.user_by_email(session, email) if "\x00" not in email else None
        target = (user.id, user.default_tenant_id) if user is not None else None
    if target is not None and target[1]:
        audit.record_apart(tenant_id=target[1], user_id=target[0], source="rest", action="login",
                           arguments={"email": email}, outcome="error", error_code=code)


@tool(name="refresh_session", toolset="admin", kind="write", public=True, exposed=False,
      description="Trade a refresh token for a new access token and refresh token.")
def refresh_session(ctx: ToolContext, args: RefreshInput) -> AuthSession:
    return auth_session(service.refresh(ctx.session, args.refresh_token))


@tool(name="logout", toolset="admin", kind="write", exposed=False, tenant_scoped=False,
      description="End the caller's session (and the given refresh token's, if the caller's).")
def logout(ctx: ToolContext, args: LogoutInput) -> LogoutResult:
    service.logout(ctx.session, ctx.principal.family_id, args.refresh_token, ctx.user_id)
    return LogoutResult(message="Logged out")


@tool(name="get_me", toolset="admin", exposed=False, tenant_scoped=False,
      description="The signed-in user, the workspace this request acts in, and all their workspaces.")
def get_me(ctx: ToolContext, _args: MeInput) -> MeOutput:
    user = tenancy.get_user(ctx.session, ctx.user_id)
    if user is None:
        raise NotFound("user", ctx.user_id)
    tenants = [MembershipOut(**tenant_brief(m.tenant).model_dump(), role=m.role)
               for m in tenancy.memberships_of(ctx.session, ctx.user_id)]
    return MeOutput(user=user_out(user), tenant_id=ctx.tenant_id, role=ctx.principal.role,
                    tenants=tenants)
