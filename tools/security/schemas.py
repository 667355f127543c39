"""The security score and the team's security, as tools return them."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from tools.schemas import ToolModel


class Breakdown(ToolModel):
    mfa_adoption: int = Field(description="0-100: role-weighted share of members using MFA.")
    access_control: int = Field(description="0-100: admins, dormant accounts, API key hygiene.")
    data_encryption: int = Field(description="0-100: database at rest, webhooks, connector credentials.")
    compliance: int = Field(description="0-100: password policy.")


class IssueOut(ToolModel):
    id: str = Field(description="Stable id of the finding (rule and subject).")
    severity: str = Field(description="critical, high, medium or low.")
    title: str = Field(description="What is wrong, with the count.")
    category: str = Field(description="authentication, access_control, data_protection, compliance.")
    fix: str = Field(description="How to fix it.")
    endpoint: str | None = Field(description="The API endpoint that fixes it, if there is one.")
    tool: str | None = Field(description="The assistant tool that helps fix it, if there is one.")
    first_seen_at: datetime | None = Field(description="When this issue was first found.")


class RuleOut(ToolModel):
    rule: str = Field(description="The rule's name.")
    category: str = Field(description="The breakdown category it counts towards.")
    score: int | None = Field(description="0-100, or null when there was nothing to judge.")
    checked: int = Field(description="How many things it checked.")
    passed: int = Field(description="How many passed.")
    detail: str = Field(description="What it found, in words.")


class SecurityScoreInput(ToolModel):
    """No arguments: the workspace's current posture."""


class SecurityScore(ToolModel):
    score: int = Field(description="0-100: weighted mean of the breakdown (MFA 30%, access 25%, "
                       "encryption 25%, compliance 20%).")
    breakdown: Breakdown = Field(description="Each category's score.")
    issues: list[IssueOut] = Field(description="Open issues, most severe first: fix them in order.")
    rules: list[RuleOut] = Field(description="Every rule's result, with its counts.")
    computed_at: datetime = Field(description="When this was computed.")


class TeamSecurityInput(ToolModel):
    without_mfa_only: bool = Field(False, description="Only members who have not enabled MFA.")


class MemberSecurity(ToolModel):
    user_id: str = Field(description="User id.")
    email: str = Field(description="Email.")
    role: str = Field(description="admin, analyst or user.")
    mfa_enabled: bool = Field(description="Whether they sign in with a second factor.")
    last_active_at: datetime | None = Field(description="Last sign-in; null: never.")
    dormant: bool = Field(description="Not active for 90 days (and a member for longer).")
    api_keys: int = Field(description="Live API keys they hold in this workspace.")


class TeamSecurity(ToolModel):
    members: list[MemberSecurity] = Field(description="The team, admins first.")
    total: int = Field(description="Members listed.")
    without_mfa: int = Field(description="Members of the whole team without MFA.")
