"""Auth request bodies, accepting every document's spelling of the same fields."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator


class _Body(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")


class RegisterBody(_Body):
    """001: name + tenantName; 002: firstName + lastName; 003: full_name."""

    email: EmailStr
    password: str = Field(..., min_length=8, max_length=128)
    name: str | None = Field(None, max_length=200)
    full_name: str | None = Field(None, max_length=200)
    firstName: str | None = Field(None, max_length=120)  # noqa: N815 - document field name
    lastName: str | None = Field(None, max_length=120)  # noqa: N815
    tenantName: str | None = Field(None, min_length=1, max_length=200)  # noqa: N815

    def names(self) -> tuple[str, str]:
        if self.firstName or self.lastName:
            return self.firstName or "", self.lastName or ""
        full = (self.name or self.full_name or "").split(maxsplit=1)
        return (full[0] if full else "", full[1] if len(full) > 1 else "")


class LoginBody(_Body):
    """Login takes any address-shaped string: registration already validated it."""

    email: str = Field(..., min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    password: str = Field(..., min_length=1, max_length=128)


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
