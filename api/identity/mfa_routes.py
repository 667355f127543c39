"""MFA: document 003's `/api/v1/mfa/{enable,verify,disable}` (raw), the same under
`/api/auth/mfa/...` for the envelope family, and the second step of a sign-in on both
(`/api/auth/login/mfa`, `/api/v1/auth/login/mfa`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.deps import CurrentPrincipal
from api.family import EnvelopeRoute, RawRoute
from api.identity.presenters import auth_camel, auth_snake
from api.openapi_models import AuthCamel, AuthSnake, Envelope, doc, snake
from api.ratelimit import api_limit, auth_limit, mfa_code_limit
from tools.identity import mfa_tools
from tools.identity.schemas import CompleteMfaInput, MfaCodeInput, MfaEnrollmentOut, MfaStatusOut
from tools.runtime import invoke

router = APIRouter(tags=["mfa"], route_class=EnvelopeRoute)
router_v1 = APIRouter(tags=["mfa"], route_class=RawRoute)
limited = [Depends(auth_limit)]
managed = [Depends(api_limit), Depends(mfa_code_limit)]
"""Enrolment routes: the general limit, and per user a limit on codes (after authentication)."""


class CodeBody(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")
    code: str = Field(..., min_length=6, max_length=20, description="A 6-digit code or a backup code.")


class ChallengeBody(BaseModel):
    """The challenge from the password step (as `challenge`, `mfaToken` or `mfa_token`) and a code."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")
    challenge: str | None = Field(None, max_length=128)
    mfaToken: str | None = Field(None, max_length=128)  # noqa: N815 - the field as sent
    mfa_token: str | None = Field(None, max_length=128)
    code: str = Field(..., min_length=6, max_length=20)

    @model_validator(mode="after")
    def _one(self) -> ChallengeBody:
        if not (self.challenge or self.mfaToken or self.mfa_token):
            raise ValueError("challenge is required")
        return self

    def to_input(self) -> CompleteMfaInput:
        token = self.challenge or self.mfaToken or self.mfa_token or ""
        return CompleteMfaInput(challenge=token, code=self.code)


async def _enable(principal: CurrentPrincipal) -> MfaEnrollmentOut:
    return await invoke(mfa_tools.mfa_enable, principal)


async def _verify(principal: CurrentPrincipal, body: CodeBody) -> MfaStatusOut:
    return await invoke(mfa_tools.mfa_verify, principal, MfaCodeInput(code=body.code))


async def _disable(principal: CurrentPrincipal, body: CodeBody) -> MfaStatusOut:
    return await invoke(mfa_tools.mfa_disable, principal, MfaCodeInput(code=body.code))


@router_v1.post("/api/v1/mfa/enable", dependencies=managed,
                responses=doc(200, snake(MfaEnrollmentOut)))
async def enable_v1(principal: CurrentPrincipal) -> dict[str, Any]:
    """A TOTP secret, its otpauth:// URL and ten single-use backup codes, shown once. MFA is on
    only after /api/v1/mfa/verify confirms a code."""
    return (await _enable(principal)).snake()


@router_v1.post("/api/v1/mfa/verify", dependencies=managed,
                responses=doc(200, snake(MfaStatusOut)))
async def verify_v1(principal: CurrentPrincipal, body: CodeBody) -> dict[str, Any]:
    """Confirm enrolment with a current code. Other sessions end; older API keys stop working."""
    return (await _verify(principal, body)).snake()


@router_v1.post("/api/v1/mfa/disable", dependencies=managed,
                responses=doc(200, snake(MfaStatusOut)))
async def disable_v1(principal: CurrentPrincipal, body: CodeBody) -> dict[str, Any]:
    """Switch MFA off with a current code or an unused backup code."""
    return (await _disable(principal, body)).snake()


@router_v1.post("/api/v1/auth/login/mfa", dependencies=limited, responses=doc(200, AuthSnake))
async def login_mfa_v1(body: ChallengeBody) -> dict[str, Any]:
    """Finish a sign-in: the challenge from /api/v1/auth/login and a code."""
    return auth_snake(await invoke(mfa_tools.complete_mfa_login, None, body.to_input()))


@router.post("/api/auth/mfa/enable", dependencies=managed,
             responses=doc(200, Envelope[MfaEnrollmentOut]))
async def enable(principal: CurrentPrincipal) -> MfaEnrollmentOut:
    """As /api/v1/mfa/enable, in the envelope."""
    return await _enable(principal)


@router.post("/api/auth/mfa/verify", dependencies=managed,
             responses=doc(200, Envelope[MfaStatusOut]))
async def verify(principal: CurrentPrincipal, body: CodeBody) -> MfaStatusOut:
    """As /api/v1/mfa/verify, in the envelope."""
    return await _verify(principal, body)


@router.post("/api/auth/mfa/disable", dependencies=managed,
             responses=doc(200, Envelope[MfaStatusOut]))
async def disable(principal: CurrentPrincipal, body: CodeBody) -> MfaStatusOut:
    """As /api/v1/mfa/disable, in the envelope."""
    return await _disable(principal, body)


@router.post("/api/auth/login/mfa", dependencies=limited, responses=doc(200, Envelope[AuthCamel]))
async def login_mfa(body: ChallengeBody) -> dict[str, Any]:
    """Finish a sign-in: the challenge from /api/auth/login and a code."""
    return auth_camel(await invoke(mfa_tools.complete_mfa_login, None, body.to_input()))
