"""The one error hierarchy. Capabilities raise these; each surface maps them once.

Messages are safe to show to any caller: they never carry SQL, stack traces or secrets.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    status_code = 400
    code = "BAD_REQUEST"
    keep_changes = False
    """True when the refusal itself must be recorded (a revoked session on refresh-token reuse):
    the tool runtime commits what the call changed, then raises."""

    def __init__(self, message: str, *, details: Any = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if code:
            self.code = code


class ValidationFailed(AppError):
    """`details` is a list of {field, message}: every surface names the offending fields."""

    status_code = 422
    code = "VALIDATION_ERROR"


class NotFound(AppError):
    status_code = 404
    code = "RESOURCE_NOT_FOUND"

    def __init__(self, resource: str, resource_id: Any = None) -> None:
        super().__init__(
            f"{resource.capitalize()} not found",
            details={"resource": resource, "id": resource_id},
        )


class Unauthorized(AppError):
    status_code = 401
    code = "UNAUTHORIZED"


class InvalidCredentials(Unauthorized):
    code = "AUTH_INVALID_CREDENTIALS"


class TokenExpired(Unauthorized):
    code = "AUTH_TOKEN_EXPIRED"


class InvalidToken(Unauthorized):
    code = "AUTH_INVALID_TOKEN"


class SessionRevoked(InvalidToken):
    """A refresh token presented twice: the whole login session is revoked, and that revocation
    is kept even though the call fails."""

    keep_changes = True


class MfaCodeInvalid(Unauthorized):
    """A second-factor code that is wrong, already used, or expired, at sign-in. The attempt
    is counted, so the change is kept."""

    code = "MFA_INVALID_CODE"
    keep_changes = True


class MfaCodeRejected(AppError):
    """A wrong code where the caller is already signed in (confirming or disabling MFA)."""

    status_code = 400
    code = "MFA_INVALID_CODE"
    keep_changes = True


class TenantNotFound(AppError):
    """A tenant the caller does not belong to is answered exactly like one that does not exist."""

    status_code = 404
    code = "TENANT_NOT_FOUND"


class Forbidden(AppError):
    status_code = 403
    code = "FORBIDDEN"


class Conflict(AppError):
    status_code = 409
    code = "RESOURCE_CONFLICT"


class RateLimited(AppError):
    status_code = 429
    code = "RATE_LIMIT_EXCEEDED"

    def __init__(self, message: str, *, retry_after: int, limit: int) -> None:
        super().__init__(message, details={"retryAfter": retry_after})
        self.retry_after = retry_after
        self.limit = limit


class ThirdPartyFailed(AppError):
    status_code = 502
    code = "THIRD_PARTY_FAILED"


class ConnectorAuthFailed(AppError):
    """The provider refused the credentials (document 000's CONNECTOR_AUTH_FAILED). A 400: the
    caller sent credentials that do not work, not a fault of ours or of the session."""

    status_code = 400
    code = "CONNECTOR_AUTH_FAILED"


class AIQueryFailed(AppError):
    status_code = 500
    code = "AI_QUERY_FAILED"


class InvalidRequest(AppError):
    """The OpenAI-compatible API answers every invalid request with 400, as OpenAI does."""

    status_code = 400
    code = "INVALID_VALUE"


class ModelNotFound(AppError):
    status_code = 404
    code = "MODEL_NOT_FOUND"
