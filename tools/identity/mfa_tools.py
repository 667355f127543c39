"""MFA capabilities: enrol, confirm, disable, and the second step of a sign-in.

Not exposed to the assistant or MCP: a secret and backup codes belong on the user's screen, not
in a model's context or a chat transcript."""

from __future__ import annotations

from core.errors import NotFound
from store.models import User
from store.repositories import tenancy
from tools import audit
from tools.context import ToolContext
from tools.identity import mfa, service
from tools.identity.schemas import (
    AuthSession,
    CompleteMfaInput,
    MfaCodeInput,
    MfaEnableInput,
    MfaEnrollmentOut,
    MfaStatusOut,
)
from tools.identity.tools import auth_session
from tools.registry import tool


def _caller(ctx: ToolContext) -> User:
    user = tenancy.get_user(ctx.session, ctx.user_id)
    if user is None:
        raise NotFound("user", ctx.user_id)
    return user


@tool(name="mfa_enable", toolset="security", kind="write", exposed=False, tenant_scoped=False,
      description="Start MFA enrolment: a TOTP secret, its otpauth:// URL and backup codes.")
def mfa_enable(ctx: ToolContext, _args: MfaEnableInput) -> MfaEnrollmentOut:
    enrolment = mfa.enroll(ctx.session, _caller(ctx))
    return MfaEnrollmentOut(
        secret=enrolment.secret, qr_code_url=enrolment.otpauth_url,
        backup_codes=enrolment.backup_codes,
        message="Add the secret to an authenticator app, then confirm with POST /api/v1/mfa/verify "
                "and a current code. Keep the backup codes somewhere safe: each works once.")


@tool(name="mfa_verify", toolset="security", kind="write", exposed=False, tenant_scoped=False,
      description="Confirm MFA enrolment with a current code; sign-in needs a code from then on.")
def mfa_verify(ctx: ToolContext, args: MfaCodeInput) -> MfaStatusOut:
    user = _caller(ctx)
    ended = mfa.confirm(ctx.session, user, args.code, ctx.principal.family_id)
    return MfaStatusOut(mfa_enabled=True, sessions_ended=ended,
                        backup_codes_left=mfa.backup_codes_left(ctx.session, user.id),
                        message="MFA is on. Other sessions were signed out, and API keys created "
                                "before now no longer work.")


@tool(name="mfa_disable", toolset="security", kind="write", exposed=False, tenant_scoped=False,
      description="Switch MFA off; needs a current code or an unused backup code.")
def mfa_disable(ctx: ToolContext, args: MfaCodeInput) -> MfaStatusOut:
    mfa.disable(ctx.session, _caller(ctx), args.code)
    return MfaStatusOut(mfa_enabled=False, message="MFA is off; sign-in needs only the password.")


@tool(name="complete_mfa_login", toolset="admin", kind="write", public=True, exposed=False,
      description="Finish a sign-in with the challenge from the password step and a code.")
def complete_mfa_login(ctx: ToolContext, args: CompleteMfaInput) -> AuthSession:
    result = auth_session(service.complete_mfa(ctx.session, challenge=args.challenge, code=args.code))
    audit.record(ctx.session, tenant_id=result.tenant.id, user_id=result.user.id,
                 source=ctx.source, action="login.mfa", summary="Signed in with a second factor")
    return result
