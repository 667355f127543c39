"""Documentation-only models for the success responses in /openapi.json.

The routes build their JSON by hand (the `/api` envelope, raw snake_case `/api/v1` objects), so
FastAPI cannot infer what they return. These models describe those bodies and are passed through
`responses=` in the route decorators; nothing validates or filters a response against them.
"""

from __future__ import annotations

import types
from functools import cache
from typing import Any, Generic, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, RootModel, create_model
from pydantic.alias_generators import to_camel

from tools.context import Role
from tools.crm.schemas import CustomerList, DealList, DealOut
from tools.schemas import ToolModel
from tools.workspaces.schemas import WorkspaceOut

T = TypeVar("T")


# --- the /api envelope -------------------------------------------------------------------------


class Camel(BaseModel):
    """Documented with camelCase keys, as the `/api` family writes them."""

    model_config = ConfigDict(alias_generator=to_camel)


class Meta(Camel):
    """`meta` of every envelope: when, which request (quote it when reporting a problem), API version."""

    model_config = ConfigDict(alias_generator=to_camel, extra="allow")
    timestamp: str
    request_id: str
    version: str


class ListMeta(Meta):
    """Paginated lists echo the page in `meta` too."""

    page: int
    limit: int
    total: int


class Envelope(BaseModel, Generic[T]):
    """Every /api answer: `{success, data, error, meta}`."""

    success: Literal[True]
    data: T
    error: None
    meta: Meta


class PageBlock(Camel):
    """The page block of every list: page, limit, total, totalPages, hasNext, hasPrev."""

    page: int
    limit: int
    total: int
    total_pages: int
    has_next: bool
    has_prev: bool


class ListEnvelope(Envelope[T], Generic[T]):
    """A list answer: the page block is repeated at the top level and in `meta`."""

    pagination: PageBlock
    meta: ListMeta


class CustomerPage(CustomerList):
    """A page of customers with its pagination block."""

    pagination: PageBlock  # type: ignore[assignment]


class DealPage(DealList):
    """A page of deals with its pagination block."""

    pagination: PageBlock


# --- snake_case variants for /api/v1 -----------------------------------------------------------


def _snake_type(tp: Any) -> Any:
    """Swap every ToolModel inside `tp` (lists, unions, optionals) for its snake variant."""
    if isinstance(tp, type) and issubclass(tp, ToolModel):
        return snake(tp)
    origin, args = get_origin(tp), get_args(tp)
    if not args:
        return tp
    new_args = tuple(_snake_type(a) for a in args)
    if origin in (Union, types.UnionType):
        return Union[new_args]  # noqa: UP007 - built from a runtime tuple
    if origin is list:
        return types.GenericAlias(list, new_args)
    return tp


@cache
def snake(model: type[ToolModel]) -> type[BaseModel]:
    """`model` as `.snake()` dumps it: field names without the camelCase aliases, nested too.

    FastAPI documents models by alias, so the ToolModels themselves would print camelCase keys.
    """
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        default = ... if info.is_required() else info.default
        fields[name] = (_snake_type(info.annotation), Field(default, description=info.description))
    created: type[BaseModel] = create_model(  # type: ignore[call-overload]
        f"{model.__name__}Snake", __doc__=model.__doc__, **fields
    )
    return created


def _v1_lists() -> tuple[type[BaseModel], type[BaseModel]]:
    """The two /api/v1 lists that add keys to a tool's output."""
    deals: Any = types.GenericAlias(list, (snake(DealOut),))  # built at runtime: no static type
    workspaces: Any = types.GenericAlias(list, (snake(WorkspaceOut),))
    deal_list = create_model(
        "DealListV1", __base__=snake(DealList), __doc__="The tool's list; `items` repeats `deals`.",
        items=(deals, ...),
    )
    workspace_list = create_model(
        "WorkspaceListV1", __doc__="The caller's workspaces and how many there are.",
        workspaces=(workspaces, ...), total=(int, ...),
    )
    return deal_list, workspace_list


DealListV1, WorkspaceListV1 = _v1_lists()


# --- identity (api/presenters.py) --------------------------------------------------------------


class TenantBrief(Camel):
    id: str
    name: str
    slug: str
    plan: str


class TenantMembership(TenantBrief):
    role: Role


class UserCamel(Camel):
    id: str
    email: str
    first_name: str
    last_name: str
    name: str
    full_name: str
    role: Role
    tenant_id: str
    email_verified: bool
    mfa_enabled: bool
    created_at: str
    updated_at: str


class Me(UserCamel):
    """The signed-in user plus every workspace they belong to."""

    tenants: list[TenantMembership]


class TokenBundle(Camel):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: Literal["Bearer"]


class AuthCamel(TokenBundle):
    """Tokens and the signed-in user: the access token as `accessToken`, `token` and `tokens.accessToken`."""

    token: str
    tokens: TokenBundle
    user: UserCamel
    tenant: TenantBrief


class UserSnake(BaseModel):
    id: str
    email: str
    full_name: str
    first_name: str
    last_name: str
    role: Role
    tenant_id: str
    is_active: bool
    mfa_enabled: bool
    email_verified: bool
    created_at: str
    updated_at: str


class AuthSnake(BaseModel):
    """Tokens and the signed-in user, snake_case."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"]
    expires_in: int
    user: UserSnake
    tenant: TenantBrief


class Message(BaseModel):
    message: str


class LogoutV1(Message):
    success: Literal[True]


# --- health and info ---------------------------------------------------------------------------


class HealthChecks(BaseModel):
    database: Literal["ok", "error"]


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    service: str
    timestamp: str
    version: str
    model: str
    checks: HealthChecks


class ApiInfo(BaseModel):
    message: str
    version: str


class MfaChallengeCamel(BaseModel):
    """The password step of an account with MFA: no tokens yet; POST `challenge` and a code to
    /api/auth/login/mfa."""

    mfaRequired: Literal[True]  # noqa: N815 - the field as sent
    challenge: str
    mfaToken: str  # noqa: N815
    expiresIn: int  # noqa: N815
    methods: list[str]
    next: str


class MfaChallengeSnake(BaseModel):
    """The password step of an account with MFA; POST `challenge` and a code to
    /api/v1/auth/login/mfa."""

    mfa_required: Literal[True]
    challenge: str
    mfa_token: str
    expires_in: int
    methods: list[str]
    next: str


class LoginCamel(RootModel[AuthCamel | MfaChallengeCamel]):
    """Signed in, or (MFA) the challenge to answer."""


class LoginSnake(RootModel[AuthSnake | MfaChallengeSnake]):
    """Signed in, or (MFA) the challenge to answer."""


def doc(status: int, model: Any, description: str = "Success") -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry for one success status."""
    return {status: {"model": model, "description": description}}
