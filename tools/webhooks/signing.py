"""Signing webhook bodies, keeping their secrets, and checking signatures (as a receiver would).

Every delivery carries two signatures of the exact bytes sent:

- `X-Signature: sha256=<hex>`: HMAC-SHA256 of the raw body with the webhook's secret, as
  documents 000 and 002 describe;
- `Webhook-Signature: t=<unix>,v1=<hex>`: HMAC-SHA256 of f"{t}.{body}", as Stripe does, so a
  receiver can refuse a replay whose t is older than 300 s (`X-Signature-Timestamp` repeats t).
  While a rotated-out secret is still honoured, a second `v1=` is signed with it.

Secrets are stored encrypted (Fernet, keyed from SECRET_KEY): they must be recoverable to sign
with, and are never returned after they are issued. Changing SECRET_KEY makes them unreadable;
rotate each webhook's secret afterwards.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable, Mapping
from functools import lru_cache

from cryptography.fernet import Fernet

from core.settings import get_settings

TOLERANCE_SECONDS = 300
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    derived = hashlib.sha256(b"bizpilot/webhook-secrets/v1\x00" + key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(secret: str) -> str:
    return _fernet(get_settings().secret_key).encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(get_settings().secret_key).decrypt(token.encode()).decode()


def hmac_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex>` of the body (documents 000 and 002)."""
    return "sha256=" + hmac_hex(secret, body)


def timestamped(secrets_: Iterable[str], body: bytes, timestamp: int) -> str:
    """`t=<unix>,v1=<hex>[,v1=<hex>]` over f"{t}.{body}", one v1 per secret."""
    signed = f"{timestamp}.".encode() + body
    return ",".join([f"t={timestamp}", *(f"v1={hmac_hex(s, signed)}" for s in secrets_)])


def headers(secret: str, body: bytes, *, previous: str | None = None,
            timestamp: int | None = None) -> dict[str, str]:
    t = int(time.time()) if timestamp is None else timestamp
    keys = [secret] + ([previous] if previous else [])
    return {"X-Signature": signature(secret, body), "X-Signature-Timestamp": str(t),
            "Webhook-Signature": timestamped(keys, body, t)}


# --- the receiver's side ------------------------------------------------------------------------


def verify(secret: str, body: bytes, header_values: Mapping[str, str], *,
           now: float | None = None, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does: both signatures match and the timestamp is fresh."""
    lowered = {k.lower(): v for k, v in header_values.items()}
    plain = lowered.get("x-signature", "")
    if not hmac.compare_digest(plain, signature(secret, body)):
        return False
    parts = [p.split("=", 1) for p in lowered.get("webhook-signature", "").split(",") if "=" in p]
    stamps = [v for k, v in parts if k == "t"]
    if len(stamps) != 1 or not stamps[0].isdigit():
        return False
    t = int(stamps[0])
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    expected = hmac_hex(secret, f"{t}.".encode() + body)
    return any(hmac.compare_digest(v, expected) for k, v in parts if k == "v1")
