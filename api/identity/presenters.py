"""Users and token bundles as each family prints them. One sign-in answer satisfies every
client at once: camelCase `accessToken`, `token` and `tokens.accessToken` under /api; snake_case
`access_token` under /api/v1."""

from __future__ import annotations

from typing import Any

from core.ids import iso
from tools.identity.schemas import AuthSession, LoginResult, MeOutput, TenantBrief, UserOut


def user_camel(user: UserOut, tenant_id: str, role: str) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "name": user.full_name,
        "fullName": user.full_name,
        "role": role,
        "tenantId": tenant_id,
        "emailVerified": user.email_verified,
        "mfaEnabled": user.mfa_enabled,
        "createdAt": iso(user.created_at),
        "updatedAt": iso(user.updated_at),
    }


def user_snake(user: UserOut, tenant_id: str, role: str) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": role,
        "tenant_id": tenant_id,
        "is_active": user.is_active,
        "mfa_enabled": user.mfa_enabled,
        "email_verified": user.email_verified,
        "created_at": iso(user.created_at),
        "updated_at": iso(user.updated_at),
    }


def tenant_brief(tenant: TenantBrief) -> dict[str, Any]:
    return {"id": tenant.id, "name": tenant.name, "slug": tenant.slug, "plan": tenant.plan}


def auth_camel(result: AuthSession) -> dict[str, Any]:
    tokens = {"accessToken": result.access_token, "refreshToken": result.refresh_token,
              "expiresIn": result.expires_in, "tokenType": "Bearer"}
    return {
        **tokens,
        "token": result.access_token,
        "tokens": tokens,
        "user": user_camel(result.user, result.tenant.id, result.role),
        "tenant": tenant_brief(result.tenant),
    }


def auth_snake(result: AuthSession) -> dict[str, Any]:
    return {
        "access_token": result.access_token,
        "refresh_token": result.refresh_token,
        "token_type": "bearer",
        "expires_in": result.expires_in,
        "user": user_snake(result.user, result.tenant.id, result.role),
        "tenant": tenant_brief(result.tenant),
    }


def me_camel(me: MeOutput) -> dict[str, Any]:
    tenants = [{**tenant_brief(t), "role": t.role} for t in me.tenants]
    return {**user_camel(me.user, me.tenant_id, me.role), "tenants": tenants}


def challenge_camel(result: LoginResult) -> dict[str, Any]:
    """The password step of an MFA account: no tokens yet, the challenge to answer."""
    return {"mfaRequired": True, "challenge": result.challenge, "mfaToken": result.challenge,
            "expiresIn": result.challenge_expires_in, "methods": ["totp", "backup_code"],
            "next": "/api/auth/login/mfa"}


def challenge_snake(result: LoginResult) -> dict[str, Any]:
    return {"mfa_required": True, "challenge": result.challenge, "mfa_token": result.challenge,
            "expires_in": result.challenge_expires_in, "methods": ["totp", "backup_code"],
            "next": "/api/v1/auth/login/mfa"}
