"""Connector credentials at rest: one encrypted JSON object per connection.

MultiFernet with keys derived from settings: the current key (`CREDENTIALS_KEY`, else derived
from `SECRET_KEY`) encrypts; earlier keys (`CREDENTIALS_PREVIOUS_KEYS`) still decrypt, so a key
can be rotated without losing a connection: set the new key, list the old one as previous, run
`bizpilot rotate-credentials` (which re-encrypts every connection with the current key), then
drop the old key. Nothing here logs or returns a secret; `hint` is the most that may be shown.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from core.settings import get_settings

CONTEXT = b"bizpilot/connector-credentials/v1\x00"


class CredentialsUnreadable(Exception):
    """The stored credentials were encrypted with a key that is no longer configured."""


def _derive(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(CONTEXT + key.encode()).digest()))


@lru_cache(maxsize=8)
def _keys(current: str, previous: str) -> MultiFernet:
    olds = [k.strip() for k in previous.split(",") if k.strip()]
    return MultiFernet([_derive(current), *(_derive(k) for k in olds if k != current)])


def _multi() -> MultiFernet:
    settings = get_settings()
    return _keys(settings.credentials_key or settings.secret_key, settings.credentials_previous_keys)


def seal(credentials: Mapping[str, str]) -> str:
    return _multi().encrypt(json.dumps(dict(credentials), sort_keys=True).encode()).decode()


def open_(token: str) -> dict[str, str]:
    try:
        data = json.loads(_multi().decrypt(token.encode()))
    except InvalidToken as err:
        raise CredentialsUnreadable("the credentials were encrypted with a key that is not "
                                    "configured; reconnect the integration") from err
    return {str(k): str(v) for k, v in data.items()}


def rotate(token: str) -> str:
    """The same credentials encrypted with the current key (MultiFernet.rotate)."""
    try:
        return _multi().rotate(token.encode()).decode()
    except InvalidToken as err:
        raise CredentialsUnreadable("the credentials were encrypted with an unknown key") from err


def hint(credentials: Mapping[str, str], secret_names: set[str]) -> str | None:
    """`…abcd` of the first secret value: enough to tell two keys apart, nothing to use."""
    for name, value in credentials.items():
        if name in secret_names and value:
            return "…" + value[-4:] if len(value) >= 12 else "…"
    return None
