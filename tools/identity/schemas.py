"""Typed inputs and outputs of the identity capabilities (register, log in, refresh, log out,
who am I). The REST bodies of every document map onto these; the tokens come back here and each
path family prints them in its own shape."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, field_validator

from tools.identity import passwords
from tools.schemas import ToolModel


class RegisterInput(ToolModel):
    email: str = Field(..., max_length=320, description="The new account's email; it signs in with it.")
    password: str = Field(..., min_length=8, max_length=128,
                          description="At least 8 characters (or PASSWORD_MIN_LENGTH when set "
                          "higher); stored only as an argon2 hash.")

    @field_validator("password")
    @classmethod
    def _policy(cls, value: str) -> str:
        problem = passwords.policy_problem(value)
        if problem:
            raise ValueError(problem)
        return value
    first_name: str = Field("", max_length=120, description="Given name.")
    last_name: str = Field("", max_length=120, description="Family name.")
    tenant_name: str | None = Field(None, max_length=200,
                                    description="Name of the workspace created for the account; "
                                    "default \"<first name>'s workspace\".")


class LoginInput(ToolModel):
    email: str = Field(..., max_length=320, description="The account's email.")
    password: str = Field(..., max_length=128, description="The account's password.")


class RefreshInput(ToolModel):
    refresh_token: str = Field(..., max_length=512,
                               description="The refresh token from the last sign-in or refresh; it "
                               "works once and is replaced by the one returned.")


class LogoutInput(ToolModel):
    refresh_token: str | None = Field(None, max_length=512,
                                      description="Also revoke the session of this refresh token, "
                                      "if it is the caller's own.")


class UserOut(ToolModel):
    id: str = Field(description="User id.")
    email: str = Field(description="Sign-in email.")
    first_name: str = Field(description="Given name.")
    last_name: str = Field(description="Family name.")
    full_name: str = Field(description="Given and family name.")
    is_active: bool = Field(description="False once the account is disabled.")
    email_verified: bool = Field(description="Whether the email address was confirmed.")
    mfa_enabled: bool = Field(description="Whether sign-in needs a second factor.")
    created_at: datetime | None = Field(description="When the account was created.")
    updated_at: datetime | None = Field(description="When the account last changed.")


class TenantBrief(ToolModel):
    id: str = Field(description="Workspace (tenant) id.")
    name: str = Field(description="Workspace name.")
    slug: str = Field(description="URL-safe workspace name.")
    plan: str = Field(description="Subscription plan.")


class AuthSession(ToolModel):
    """A signed-in session: short-lived access token, single-use refresh token."""

    user: UserOut = Field(description="The signed-in user.")
    tenant: TenantBrief = Field(description="The workspace the access token acts in.")
    role: str = Field(description="The user's role in that workspace: admin, analyst or user.")
    access_token: str = Field(description="Bearer token for API calls.")
    refresh_token: str = Field(description="Single-use token to get a new access token.")
    expires_in: int = Field(description="Seconds until the access token expires.")


class LogoutResult(ToolModel):
    message: str = Field(description="What happened.")


class MembershipOut(TenantBrief):
    role: str = Field(description="The user's role in this workspace.")


class MeInput(ToolModel):
    """No arguments: the caller is who the credential says."""


class MeOutput(ToolModel):
    user: UserOut = Field(description="The caller.")
    tenant_id: str = Field(description="The workspace this request acts in.")
    role: str = Field(description="The caller's role in that workspace.")
    tenants: list[MembershipOut] = Field(description="Every workspace the caller belongs to.")


class LoginResult(ToolModel):
    """Either a signed-in session or, when the account has MFA, a challenge to answer with a code."""

    session: AuthSession | None = Field(None, description="The session, when sign-in is complete.")
    mfa_required: bool = Field(False, description="True: answer the challenge with a code to finish.")
    challenge: str | None = Field(None, description="The sign-in challenge (single use, short-lived).")
    challenge_expires_in: int | None = Field(None, description="Seconds the challenge stays valid.")


class CompleteMfaInput(ToolModel):
    challenge: str = Field(..., min_length=8, max_length=128,
                           description="The challenge the password step returned.")
    code: str = Field(..., min_length=6, max_length=20,
                      description="A current 6-digit code from the authenticator app, or an unused "
                      "backup code.")


class MfaEnableInput(ToolModel):
    """No arguments: enrols the caller."""


class MfaEnrollmentOut(ToolModel):
    secret: str = Field(description="The TOTP secret (base32), shown once.")
    qr_code_url: str = Field(description="otpauth:// URL for an authenticator app (or a QR code).")
    backup_codes: list[str] = Field(description="Single-use recovery codes, shown once.")
    message: str = Field(description="What to do next.")


class MfaCodeInput(ToolModel):
    code: str = Field(..., min_length=6, max_length=20,
                      description="A current 6-digit code, or (to disable) an unused backup code.")


class MfaStatusOut(ToolModel):
    mfa_enabled: bool = Field(description="Whether sign-in now needs a second factor.")
    message: str = Field(description="What happened.")
    sessions_ended: int = Field(0, description="Other sessions ended when MFA was switched on.")
    backup_codes_left: int = Field(0, description="Unused backup codes.")
