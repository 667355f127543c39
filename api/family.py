"""Response families, applied in one place.

A route returns its data (a tool's output model, a dict, a `Page`, or nothing for 204); the route
class of its router gives it the family's shape:

- `EnvelopeRoute` (`/api/...`): `{success, data, error, meta}`, camelCase keys; a `Page` adds the
  pagination block in every style the documents print (001's `data.pagination`, 002's top-level
  `pagination`, 000's `meta.page/limit/total`).
- `RawRoute` (`/api/v1/...`, `/health`): the object itself, snake_case keys.

A route may still return a `Response` (a stream, a replayed idempotent create): it passes through.
Errors are shaped by `api.errors`, by path, in the same two families.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from fastapi import Request
from fastapi.datastructures import DefaultPlaceholder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel

from api.deps import settle
from api.envelope import ok
from tools.schemas import ToolModel

Shaper = Callable[[Request, Any, int], Response]
_REQUEST = "bizpilot_family_request"


@dataclass(frozen=True)
class Page:
    """A list answer with its page: `data` already holds the items."""

    data: dict[str, Any]
    page: int
    limit: int
    total: int


def pagination(page: int, limit: int, total: int) -> dict[str, Any]:
    """001's {page, limit, total, totalPages} plus 002's hasNext/hasPrev."""
    pages = math.ceil(total / limit) if total else 0
    return {"page": page, "limit": limit, "total": total, "totalPages": pages,
            "hasNext": page < pages, "hasPrev": page > 1}


def _camel(value: Any) -> Any:
    if isinstance(value, ToolModel):
        return value.camel()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    return value


def _snake(value: Any) -> Any:
    if isinstance(value, ToolModel):
        return value.snake()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value


def envelope(request: Request, result: Any, status: int) -> Response:
    if isinstance(result, Page):
        block = pagination(result.page, result.limit, result.total)
        data = {**_camel(result.data), "pagination": block}
        return ok(request, data, status=status, pagination=block,
                  meta_extra={"page": result.page, "limit": result.limit, "total": result.total})
    return ok(request, _camel(result), status=status)


def raw(_request: Request, result: Any, status: int) -> Response:
    return JSONResponse(_snake(result), status_code=status)


def respond(request: Request, result: Any, status: int = 200) -> Response:
    """Shape `result` as the current route's family does (for helpers such as idempotent creates
    that must hold the final response)."""
    shaper: Shaper = getattr(request.state, "shaper", envelope)
    return shaper(request, result, status)


def _shaped(endpoint: Callable[..., Any], shaper: Shaper, status: int) -> Callable[..., Any]:
    """The endpoint with its return value shaped. The signature gains a Request parameter (under
    a name no route uses) so the shaper can reach the request id; FastAPI reads the rest of the
    signature, with annotations resolved in the endpoint's own module, exactly as before."""
    signature = inspect.signature(endpoint, eval_str=True)
    is_async = inspect.iscoroutinefunction(endpoint)
    own = next((p.name for p in signature.parameters.values() if p.annotation is Request), None)

    @functools.wraps(endpoint)
    async def shaped(**kwargs: Any) -> Any:
        request: Request = kwargs[own] if own else kwargs.pop(_REQUEST)
        request.state.shaper = shaper
        try:
            if is_async:
                result = await endpoint(**kwargs)
            else:  # as FastAPI does: blocking endpoints run off the event loop
                result = await anyio.to_thread.run_sync(functools.partial(endpoint, **kwargs))
        except Exception:
            await settle(request)  # a bad deferred credential answers before the endpoint's error
            raise
        await settle(request)  # ... and before its result (a no-op once the tool call verified it)
        if isinstance(result, Response):
            return result
        if result is None and status == 204:
            return Response(status_code=204)
        return shaper(request, result, status)

    params = list(signature.parameters.values())
    if own is None:  # FastAPI injects one Request per endpoint: reuse the endpoint's own if any
        params.append(inspect.Parameter(_REQUEST, inspect.Parameter.KEYWORD_ONLY, annotation=Request))
        params.sort(key=lambda p: p.kind)  # keyword-only after the rest, as Python requires
    shaped.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=params, return_annotation=inspect.Signature.empty)
    del shaped.__wrapped__  # FastAPI must read the new signature, not the endpoint's
    return shaped


class _FamilyRoute(APIRoute):
    shaper: Shaper = staticmethod(envelope)  # type: ignore[assignment]

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        status = kwargs.get("status_code") or 200
        if isinstance(kwargs.get("response_model"), DefaultPlaceholder):
            kwargs["response_model"] = None  # the body is documented through `responses=`
        super().__init__(path, _shaped(endpoint, type(self).shaper, status), **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """FastAPI's handler, with a deferred credential (api.deps.DeferredAuth) verified before a
        request validation error is answered: an invalid query or body with a bad token is 401,
        as when the credential was checked by the dependency itself, ahead of the 422."""
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError:
                await settle(request)
                raise

        return handle


class EnvelopeRoute(_FamilyRoute):
    shaper = staticmethod(envelope)


class RawRoute(_FamilyRoute):
    shaper = staticmethod(raw)
