"""Running a tool: the one path every adapter takes.

It validates arguments, checks the role, opens a tenant-scoped unit of work, handles the
preview/confirm protocol of destructive tools, commits once, and writes the audit log.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any, cast

import anyio
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DataError, IntegrityError

from core.errors import AppError, Conflict, Forbidden, ValidationFailed
from store.db import unit_of_work
from tools import audit, confirmation
from tools.context import ANONYMOUS, Principal, Source, ToolContext
from tools.registry import In, Out, ToolFn, ToolSpec, get_tool, spec_of
from tools.schemas import DestructiveResult

log = logging.getLogger("bizpilot.tools")


def validation_details(err: ValidationError) -> list[dict[str, str]]:
    """pydantic errors as the documents' [{field, message}] list."""
    return [
        {
            "field": ".".join(str(p) for p in e["loc"]) or "body",
            "message": e["msg"],
        }
        for e in err.errors(include_url=False)
    ]


def parse_input(spec: ToolSpec, args: Mapping[str, Any] | BaseModel | None) -> BaseModel:
    if isinstance(args, spec.input_model):
        return args
    raw = args.model_dump() if isinstance(args, BaseModel) else dict(args or {})
    try:
        return spec.input_model.model_validate(raw)
    except ValidationError as err:
        raise ValidationFailed("Invalid input data", details=validation_details(err)) from None


def execute(
    spec: ToolSpec | str,
    principal: Principal | None,
    args: Mapping[str, Any] | BaseModel | None = None,
    *,
    source: Source = "rest",
    confirmed: bool = False,
    conversation_id: str | None = None,
) -> BaseModel:
    """Run one tool call as one transaction. `confirmed=True` is for surfaces where the
    caller's request is itself the explicit act (an HTTP DELETE). Only public tools (signing
    in) run without a principal."""
    spec = get_tool(spec) if isinstance(spec, str) else spec
    if principal is None:
        if not spec.public:
            raise Forbidden(f"Sign in to use {spec.name}", code="UNAUTHORIZED")
        principal = ANONYMOUS
    payload = parse_input(spec, args)
    if not principal.can(spec.min_role):
        raise Forbidden(f"The {spec.min_role} role is needed for {spec.name}", code="FORBIDDEN")
    audit = not spec.public and (source != "rest" or not spec.read_only)
    # only an audited call keeps its arguments (a REST read, the most common call, is not audited)
    arguments = _storable(payload.model_dump(mode="json", exclude={"confirmation_token"})) if audit else {}
    kept: AppError | None = None
    try:
        with unit_of_work(principal.tenant_id if spec.tenant_scoped else None) as session:
            ctx = ToolContext(session, principal, source=source, conversation_id=conversation_id)
            try:
                result, outcome = _run(spec, ctx, payload, confirmed)
            except AppError as err:
                if not err.keep_changes:
                    raise
                kept = err  # e.g. a refresh-token reuse: the revocation commits, the call fails
            if audit and kept is None:
                _audit(session, ctx, spec, arguments, outcome, None, _summary(result))
        if kept is not None:
            raise kept
        return result
    except AppError as err:
        if audit:
            _audit_failure(principal, spec, arguments, source, conversation_id, err.code)
        raise
    except (IntegrityError, DataError) as err:
        log.warning("tool %s refused by the database: %s", spec.name, err.orig)
        safe = _database_refusal(err)
        if audit:
            _audit_failure(principal, spec, arguments, source, conversation_id, safe.code)
        raise safe from None
    except Exception:
        log.exception("tool %s failed", spec.name)
        if audit:
            _audit_failure(principal, spec, arguments, source, conversation_id, "INTERNAL_ERROR")
        raise


async def aexecute(
    spec: ToolSpec | str,
    principal: Principal | None,
    args: Mapping[str, Any] | BaseModel | None = None,
    **kwargs: Any,
) -> BaseModel:
    """`execute` off the event loop: database work and CPU-heavy fits never block it."""
    call = functools.partial(execute, spec, principal, args, **kwargs)
    return await anyio.to_thread.run_sync(call)


PrincipalSource = Callable[[], Principal]
"""A caller whose credential is verified only when the call runs (blocking), e.g. the REST edge's
deferred bearer token: `invoke` verifies it and runs the tool in the same worker-thread hop."""


async def invoke(
    fn: ToolFn[In, Out],
    principal: Principal | PrincipalSource | None,
    args: In | Mapping[str, Any] | None = None,
    *,
    confirmed: bool = False,
) -> Out:
    """How REST routes run a capability: by reference to its function, so a wrong name is a
    mypy error instead of a runtime 404, and the result has the tool's own output type."""
    spec = spec_of(fn)
    if callable(principal):
        source = principal

        def verified_then_executed() -> BaseModel:
            return execute(spec, source(), args, confirmed=confirmed)

        return cast(Out, await anyio.to_thread.run_sync(verified_then_executed))
    result = await aexecute(spec, principal, args, confirmed=confirmed)
    return cast(Out, result)


def _run(
    spec: ToolSpec, ctx: ToolContext, payload: BaseModel, confirmed: bool
) -> tuple[BaseModel, str]:
    if not spec.needs_confirmation or confirmed:
        return spec.fn(ctx, payload), "ok"
    args = payload.model_dump(mode="json")
    token = args.get("confirmation_token")
    if token:
        confirmation.verify(ctx, spec.name, args, token)
        return spec.fn(ctx, payload), "ok"
    assert spec.preview is not None
    preview = spec.preview(ctx, payload)
    result = spec.output_model.model_validate(
        {
            "status": "confirmation_required",
            "message": preview.pop("message", "Confirm to proceed."),
            "preview": preview,
            "confirmation_token": confirmation.issue(ctx, spec.name, args),
        }
    )
    return result, "preview"


def _database_refusal(err: IntegrityError | DataError) -> AppError:
    """A constraint the tool did not check first (a reference to a missing row, a duplicate, a
    value the database cannot store) is the caller's problem, not a server error."""
    if isinstance(err, IntegrityError):
        return Conflict("The change conflicts with existing data (a missing reference or a duplicate)")
    return ValidationFailed("A value cannot be stored (too long, out of range or invalid characters)",
                            details=[{"field": "body", "message": "value cannot be stored"}])


def _storable(value: Any) -> Any:
    """Arguments as the audit log can keep them on any database (PostgreSQL refuses NUL)."""
    if isinstance(value, str):
        return value.replace("\x00", "\N{SYMBOL FOR NULL}")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def _summary(result: BaseModel) -> str:
    if isinstance(result, DestructiveResult):
        return result.message[:500]
    return type(result).__name__


def _audit(
    session: Any,
    ctx: ToolContext,
    spec: ToolSpec,
    arguments: dict[str, Any],
    outcome: str,
    error_code: str | None,
    summary: str | None,
) -> None:
    audit.record(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id, source=ctx.source,
                 action=spec.name, arguments=arguments, outcome=outcome, error_code=error_code,
                 summary=summary, conversation_id=ctx.conversation_id)


def _audit_failure(
    principal: Principal,
    spec: ToolSpec,
    arguments: dict[str, Any],
    source: Source,
    conversation_id: str | None,
    code: str,
) -> None:
    """Failures are audited in their own transaction: the failed one was rolled back."""
    audit.record_apart(tenant_id=principal.tenant_id, user_id=principal.user_id or None,
                       source=source, action=spec.name, arguments=arguments, outcome="error",
                       error_code=code, conversation_id=conversation_id)
