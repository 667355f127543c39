"""How every provider connector calls its provider: JSON over `tools.outbound`, with retries.

One place decides what a provider's answer means, so each connector only speaks its wire format:

- 401/403 → `ConnectorAuthFailed` (the key was refused or revoked; the key is never echoed);
- 429, 5xx and network errors → retried with tenacity, honouring `Retry-After` (seconds or an
  HTTP date, capped by `connector_max_retry_wait_seconds`), else exponential backoff with jitter;
  still failing after `connector_max_retries` retries → `ThirdPartyFailed`;
- an address the product must not call (`outbound.Refused`) → `ValidationFailed`: no retry helps;
- any other 4xx → `ThirdPartyFailed` with the provider's own message (secrets scrubbed).

`sleep` is looked up at call time so tests patch it (`monkeypatch.setattr(http, "sleep", ...)`)
and never really wait.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from core.errors import ConnectorAuthFailed, ThirdPartyFailed, ValidationFailed
from core.settings import get_settings
from tools import outbound


def sleep(seconds: float) -> None:
    """The one wait of provider calls (retries and throttling): tests replace it."""
    time.sleep(seconds)


class _Retryable(Exception):
    """A 429, a 5xx or a network error: worth another try, maybe after `retry_after` seconds."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: a number ("2", "2.0") or an HTTP date; None when absent/garbled."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def with_params(url: str, params: Mapping[str, Any] | None) -> str:
    """`url` with `params` appended (None values dropped; lists repeat the key)."""
    if not params:
        return url
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        if value is None:
            continue
        for one in value if isinstance(value, list | tuple) else [value]:
            pairs.append((key, str(one).lower() if isinstance(one, bool) else str(one)))
    if not pairs:
        return url
    return url + ("&" if urlsplit(url).query else "?") + urlencode(pairs)


class ProviderHTTP:
    """Calls one provider with fixed headers. `secrets` are scrubbed from any message we raise."""

    def __init__(self, provider: str, headers: Mapping[str, str], *,
                 secrets: Iterable[str] = (), timeout: float | None = None) -> None:
        self.provider = provider
        self.headers = dict(headers)
        self.secrets = tuple(s for s in secrets if s)
        self.timeout = timeout
        self.calls = 0
        """Requests actually sent (retries included): for benchmarks and tests."""

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "****")
        return text

    def get_json(self, url: str,
                 params: Mapping[str, Any] | None = None) -> tuple[Any, outbound.OutboundResponse]:
        response = self.request("GET", with_params(url, params))
        return self.json_of(response), response

    def post_json(self, url: str, body: Any) -> tuple[Any, outbound.OutboundResponse]:
        response = self.request("POST", url, body=body)
        return self.json_of(response), response

    def json_of(self, response: outbound.OutboundResponse) -> Any:
        if response.truncated:
            raise ThirdPartyFailed(f"{self.provider} sent a response larger than we accept")
        try:
            return json.loads(response.body)
        except ValueError:
            raise ThirdPartyFailed(f"{self.provider} did not answer with JSON") from None

    def request(self, method: str, url: str, *, body: Any = None) -> outbound.OutboundResponse:
        """One call, retried as the module docstring says; returns only a 2xx/3xx response."""
        settings = get_settings()
        retrying = Retrying(
            stop=stop_after_attempt(settings.connector_max_retries + 1),
            wait=_wait(settings.connector_max_retry_wait_seconds),
            retry=retry_if_exception_type(_Retryable),
            sleep=lambda seconds: sleep(seconds),
            reraise=True,
        )
        try:
            return retrying(self._once, method, url, body)
        except _Retryable as err:
            raise ThirdPartyFailed(
                f"{self.provider} kept failing ({err.reason}) after "
                f"{settings.connector_max_retries} retries; try the sync again later") from None

    def _once(self, method: str, url: str, body: Any) -> outbound.OutboundResponse:
        headers = {"Accept": "application/json", **self.headers}
        content = None
        if body is not None:
            content = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.calls += 1
        try:
            response = outbound.request(method, url, headers=headers, content=content,
                                        timeout=self.timeout)
        except outbound.Refused as err:
            raise ValidationFailed(
                f"{self.provider}: the address cannot be called ({self.scrub(str(err))})",
                details=[{"field": "baseUrl", "message": self.scrub(str(err))}]) from None
        except outbound.OutboundError as err:
            raise _Retryable(f"network error: {self.scrub(str(err))}") from None
        status = response.status_code
        if status in (401, 403):
            raise ConnectorAuthFailed(
                f"{self.provider} refused the credentials (HTTP {status}): the API key or token "
                "is invalid, lacks the required permissions, or has been revoked")
        if status == 429 or status >= 500:
            raise _Retryable(f"HTTP {status}",
                             retry_after_seconds(response.headers.get("retry-after")))
        if status >= 400:
            raise ThirdPartyFailed(f"{self.provider} answered HTTP {status}: {self._message(response)}")
        return response

    def _message(self, response: outbound.OutboundResponse) -> str:
        """The provider's own error message, short and with our secrets scrubbed."""
        text = response.text(2000)
        try:
            data = json.loads(text)
        except ValueError:
            return "(no details)"
        found: Any = data
        if isinstance(data, dict):
            found = data.get("error", data.get("errors", data.get("message", data)))
            if isinstance(found, dict):
                found = found.get("message", found)
        return self.scrub(str(found))[:300]


def _wait(cap: float) -> Any:
    """Retry-After when the provider names one (capped), else exponential backoff with jitter."""
    backoff = wait_exponential_jitter(initial=0.5, max=min(cap, 30.0), jitter=0.5)

    def wait(state: RetryCallState) -> float:
        err = state.outcome.exception() if state.outcome else None
        if isinstance(err, _Retryable) and err.retry_after is not None:
            return min(err.retry_after, cap)
        return float(backoff(state))

    return wait


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from an ISO 8601 string, unix seconds, or None when it is neither."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def high_water(times: Iterable[datetime | None]) -> str | None:
    """The greatest timestamp as ISO 8601 (UTC), or None when there is none."""
    seen = [t for t in times if t is not None]
    return max(seen).astimezone(UTC).isoformat() if seen else None


def same_origin(url: str, origin: str) -> bool:
    """A stored cursor URL must point back at the provider, never elsewhere with our token."""
    a, b = urlsplit(url), urlsplit(origin)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


def to_decimal(value: Any) -> Decimal | None:
    """Money as a Decimal (providers send strings like "12.50" or numbers); None if garbled."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def currency(value: Any) -> str | None:
    return value.strip().upper() if isinstance(value, str) and value.strip() else None


def lookup(data: Any, path: str | None) -> Any:
    """A dotted path into a record (`customer.email`, `items.0.sku`); a document path copied from
    schema detection (`data[].customer.email`) is read relative to the record."""
    if not path:
        return None
    node = data
    for part in path.rsplit("[].", 1)[-1].split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def convert(value: Any, data_type: str, target: str) -> Any:
    """The value as `data_type` says; a value that does not convert becomes None (no crash)."""
    if value is None:
        return None
    if data_type in ("number", "integer"):
        return to_decimal(value)
    if data_type in ("datetime", "date"):
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 1e11:
            value = value / 1000  # epoch milliseconds
        when = parse_time(value)
        return when.date() if when and data_type == "date" else when
    if data_type == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        return True if text in ("true", "1", "yes", "y") else False if text in (
            "false", "0", "no", "n") else None
    text = json.dumps(value) if isinstance(value, dict | list) else str(value).strip()
    return (text.upper() if target == "currency" else text) or None
