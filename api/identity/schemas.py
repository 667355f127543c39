"""Auth request bodies, accepting every spelling clients use for the same fields, and mapping
them onto the identity tools' inputs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from tools.identity import passwords
from tools.identity.schemas import LoginInput, LogoutInput, RegisterInput


class _Body(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")


class RegisterBody(_Body):
    """A name as `name`, `full_name`, or `firstName` + `lastName`; optional workspace name."""

    email: EmailStr
    password: str = Field(..., min_length=8, max_length=128)
    name: str | None = Field(None, max_length=200)
    full_name: str | None = Field(None, max_length=200)
    firstName: str | None = Field(None, max_length=120)  # noqa: N815 - document field name
    lastName: str | None = Field(None, max_length=120)  # noqa: N815
    tenantName: str | None = Field(None, min_length=1, max_length=200)  # noqa: N815

    @field_validator("password")
    @classmethod
    def _policy(cls, value: str) -> str:
        problem = passwords.policy_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    def names(self) -> tuple[str, str]:
        if self.firstName or self.lastName:
            return self.firstName or "", self.lastName or ""
        full = (self.name or self.full_name or "").split(maxsplit=1)
        return (full[0] if full else "", full[1] if len(full) > 1 else "")

    def to_input(self) -> RegisterInput:
        first, last = self.names()
        return RegisterInput(email=str(self.email), password=self.password, first_name=first,
                             last_name=last, tenant_name=self.tenantName)


class LoginBody(_Body):
    """Login takes any address-shaped string: registration already validated it."""

    email: str = Field(..., min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    password: str = Field(..., min_length=1, max_length=128)

    def to_input(self) -> LoginInput:
        return LoginInput(email=self.email, password=self.password)


class RefreshBody(_Body):
    refreshToken: str | None = Field(None, max_length=512)  # noqa: N815
    refresh_token: str | None = Field(None, max_length=512)

    @model_validator(mode="after")
    def _one(self) -> RefreshBody:
        if not (self.refreshToken or self.refresh_token):
            raise ValueError("refreshToken is required")
        return self

    @property
    def token(self) -> str:
        return self.refreshToken or self.refresh_token or ""


class LogoutBody(_Body):
    refreshToken: str | None = Field(None, max_length=512)  # noqa: N815
    refresh_token: str | None = Field(None, max_length=512)

    @staticmethod
    def to_input(body: LogoutBody | None) -> LogoutInput:
        return LogoutInput(refresh_token=(body.refreshToken or body.refresh_token) if body else None)
