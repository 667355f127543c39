"""Credentials written into a request ("connect shopify, the shop is bloom.myshopify.com and the
token is shpat_3f9a21"), read for the assistant by the connectors themselves.

The generic extractors know dates, amounts and names, not what a Shopify domain or a Stripe key
looks like; the connector types declare their credential fields, so the reading lives here. A
value is only taken when it is shaped like a credential: a domain for a domain field, and for a
key or token a string with letters and digits that either starts the way the provider's keys
start or follows a word such as "key" or "token". Nothing is guessed from ordinary words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from core.ids import UUID
from tools.connectors.base import CredentialField, connector_type, connector_types

DOMAIN = re.compile(r"\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.myshopify\.com\b", re.I)
KEY_PREFIX = re.compile(r"^(?:shp(?:at|ca|pa|ss)_|[sr]k_(?:live|test)_|pat-[a-z]{2}\d-|pk_)", re.I)
TOKEN = re.compile(r"(?<![\w@./:-])[A-Za-z0-9][A-Za-z0-9_-]{5,}(?![\w@/-]|\.[A-Za-z0-9])")
KEY_WORDS = re.compile(r"\b(?:key|token|secret|password|pat|credentials?)\b[\s:=]*(?:is\s+)?$", re.I)
"""A word right before a value that says the value is a secret ("token shpat_x", "key: abc123")."""


def _keys(text: str) -> list[str]:
    """Strings shaped like keys or tokens, in order."""
    found = []
    for m in TOKEN.finditer(text):
        value = m.group(0)
        if not (re.search(r"\d", value) and re.search(r"[A-Za-z]", value)):
            continue
        if KEY_PREFIX.match(value) or KEY_WORDS.search(text[max(0, m.start() - 30) : m.start()]):
            found.append(value)
    return found


def _is_domain(field: CredentialField) -> bool:
    return "domain" in field.name.lower()


def read_credentials(text: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """{"credentials": {...}} for the connector type named so far (or, without one, for the
    types whose fields the values fit), or nothing."""
    kind = connector_type(str(args.get("type") or "").lower())
    fields = kind.credential_fields if kind else _all_fields()
    domains = [m.group(0).lower() for m in DOMAIN.finditer(text)]
    keys = [k for k in _keys(text) if k.lower() not in domains]
    credentials: dict[str, str] = {}
    for f in fields:
        if f.name in credentials:
            continue
        pool = domains if _is_domain(f) else keys if f.secret and f.name != "password" else []
        if pool:
            credentials[f.name] = pool.pop(0)
    return {"credentials": credentials} if credentials else {}


def _all_fields() -> tuple[CredentialField, ...]:
    """One of each field name across the built-in providers, domains first (an answer to "what
    are the credentials?" may come without the type)."""
    seen: dict[str, CredentialField] = {}
    for kind in connector_types().values():
        for f in kind.credential_fields:
            if f.required:
                seen.setdefault(f.name, f)
    return tuple(sorted(seen.values(), key=lambda f: not _is_domain(f)))


def missing_credentials(args: Mapping[str, Any]) -> list[str]:
    """["credentials"] when a known type's required credentials are not all given: the
    assistant asks for them instead of making a call that can only fail."""
    kind = connector_type(str(args.get("type") or "").lower())
    given = args.get("credentials") or {}
    if kind is None or not isinstance(given, Mapping):
        return []
    lacking = any(f.required and not given.get(f.name) for f in kind.credential_fields)
    return ["credentials"] if lacking else []


def credentials_question() -> str:
    """What each built-in type needs, from the types' own declarations."""
    needs = [f"{kind.display_name}: {' and '.join(_label(f) for f in kind.credential_fields if f.required)}"
             for kind in sorted(connector_types().values(), key=lambda k: k.display_name)
             if any(f.required for f in kind.credential_fields)]
    return "Which credentials should I use (" + "; ".join(needs) + ")?"  # a question ends with "?"


def _label(field: CredentialField) -> str:
    return field.label[0].lower() + field.label[1:] if not field.label[:2].isupper() else field.label


URL = re.compile(r"https?://[^\s,;'\"<>]+")
AUTH_WORDS = (
    ("none", re.compile(r"\b(?:no|without|zero)\s+(?:auth|authentication|key|token|credentials)\b"
                        r"|\bpublic api\b", re.I)),
    ("basic", re.compile(r"\bbasic(?:\s+auth)?\b|\busername\b", re.I)),
    ("api_key", re.compile(r"\bapi[\s_-]?key\b|\bx-api-key\b", re.I)),
    ("bearer_token", re.compile(r"\bbearer\b|\btoken\b", re.I)),
)
"""How a custom API authenticates, by the words used for it (first match wins)."""
SECRET_KEY = {"bearer_token": "token", "api_key": "apiKey"}


LOGIN = (
    ("username", re.compile(r"\b(?:user(?:name)?|login)\b\s*[:=]?\s*(?P<value>[^\s,;/]+)", re.I)),
    ("password", re.compile(r"\b(?:pass(?:word)?|pwd)\b\s*[:=]?\s*(?P<value>\S+)", re.I)),
)
"""Basic auth's two values as people write them: "user admin / pass hunter2"."""
FIELD = r"[A-Za-z_][\w.]*"
TYPE = r"(?:\s*\(?\s*(?:as\s+)?(?:an?\s+)?(?P<type>string|number|integer|boolean|datetime|date)\b\)?)?"
ARROW = re.compile(rf"(?<![\w/.:-])(?P<source>{FIELD})\s*(?:->|→|=>)\s*(?P<target>{FIELD}){TYPE}")
MAPPED = re.compile(rf"(?<![\w/.:-])(?P<source>{FIELD})\s+(?:to|onto|into|as)\s+(?P<target>{FIELD}){TYPE}")
MAP_CUE = re.compile(r"\bmap(?:s|ping|pings)?\b", re.I)


def read_custom_config(text: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """{"config": {base_url, auth_type, auth_config}, "field_mappings": [...]} for "a custom
    connector for https://api.acme.io/v2 using bearer token abc123": the URL is where the API is,
    the words say how it authenticates, a key-shaped value after them is its secret (a user and a
    password for basic auth), and "map total -> revenue" how its fields feed ours. Nothing without
    a URL."""
    found = URL.search(text)
    if found is None:
        return {}
    auth = next((kind for kind, words in AUTH_WORDS if words.search(text)), "bearer_token")
    config: dict[str, Any] = {"base_url": found.group(0).rstrip(".)"), "auth_type": auth}
    keys = [k for k in _keys(text) if k not in found.group(0)]
    if auth in SECRET_KEY and keys:
        config["auth_config"] = {SECRET_KEY[auth]: keys[0]}
    login = {field: _bare(m.group("value")) for field, words in LOGIN if (m := words.search(text))}
    if auth == "basic" and len(login) == 2:
        config["auth_config"] = login
    mappings = field_mappings(text[found.end():])
    named: dict[str, Any] = {"field_mappings": mappings} if mappings else {}
    if args.get("name") is not None:  # the name as written, or none: then it is asked for
        named["name"] = _names_given(text).get(str(args["name"]).lower())
    machine, display = MACHINE_NAME.search(text), DISPLAY_NAME.search(text)
    if machine is not None and not named.get("name"):
        named["name"] = machine.group("m")
    elif not named.get("name") and (cued := _cued_name(text)) is not None:
        named["name"] = cued  # "a custom connector called trailhead_pos — base URL ..."
    if display is not None and not args.get("display_name"):
        named["display_name"] = display.group("d").strip()
    return {"config": config, **named}


MACHINE_NAME = re.compile(r"\bmachine[\s-]+name\s*(?:is|of|:|=)?\s*['\"]?(?P<m>[a-z][\w.-]*)", re.I)
DISPLAY_NAME = re.compile(r"\bdisplay[\s-]+name\s*(?:is|of|:|=)?\s*['\"“](?P<d>[^'\"”]{1,200})['\"”]", re.I)
"""A connector's two names said apart: "display name "Loyalty Points API", machine name loyalty_api"."""


NAME_GIVEN = re.compile(r"\b(?:called|named|name(?:\s+it)?|call\s+it)\s*[:=]?\s*['\"]?(?P<cued>[\w.-]+)"
                        r"|['\"](?P<quoted>[\w .-]+?)['\"]"
                        r"|(?P<pointed>[\w.-]+)\s*(?:->|→|=>|:)\s*https?://"
                        r"|\b(?:connector|source)\s+(?P<shaped>[a-z][\w.-]*[_\d][\w.-]*)", re.I)


def _names_given(text: str) -> dict[str, str]:
    """The names a message gives: after "called" or "named", in quotes, pointing at the URL
    ("loyalty_app -> https://..."), or shaped like one after "connector". A connector's name is
    a machine name the owner chooses; any other word of the message ("https", a field, the
    password) is no name for it, so without one the assistant asks."""
    names = (next(g for g in m.groups() if g) for m in NAME_GIVEN.finditer(text))
    return {name.lower(): name for name in names}


def _cued_name(text: str) -> str | None:
    """The name after "called" or "named" (not a display name's), as written."""
    return next((m.group("cued").rstrip(".") for m in NAME_GIVEN.finditer(text) if m.group("cued")
                 and not re.search(r"display[\s-]+$", text[:m.start()], re.I)), None)


def _bare(value: str) -> str:
    """A value without the punctuation of the sentence around it ("Rig2026!)," in "(... pass
    Rig2026!), could we ...")."""
    return value.rstrip(",;.") if "(" in value else value.rstrip(",;.)")


def field_mappings(text: str) -> list[dict[str, str]]:
    """"map total -> revenue (number) and created to order_date as datetime": the API's field,
    ours, and its type (string unless said). An arrow maps anywhere; "to" only after "map"."""
    cue = MAP_CUE.search(text)
    found = sorted([*ARROW.finditer(text), *(MAPPED.finditer(text, cue.end()) if cue else ())],
                   key=lambda m: m.start())
    mappings: list[dict[str, str]] = []
    end = 0
    for m in found:
        if m.start() >= end:  # an arrow and a "to" can read the same words
            mappings.append({"source_field": m.group("source").rstrip("."),
                             "target_field": m.group("target").rstrip("."),
                             "data_type": (m.group("type") or "string").lower()})
            end = m.end()
    return mappings


def read_connection_id(text: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """"disconnect connection f4d3a772-...": a connection named by its id, as list_integrations
    shows it, when no connector type or name was read."""
    found = UUID.search(text)
    return {"connection": found.group(0)} if found and not args.get("connection") else {}


HEADER = re.compile(r"\b(?P<name>[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)\s*:\s*"
                    r"(?P<value>(?:Bearer|Basic|Token)\s+\S+|\S+)")
HEADER_CUE = re.compile(r"\bheaders?\b", re.I)
BEARER = re.compile(r"\b(?:bearer(?:\s+token)?|token)\s*[:=]?\s*(?P<token>[A-Za-z0-9][\w.-]{5,})", re.I)


def read_headers(text: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """{"headers": {...}} for "sample https://api.x.io/orders with the header Authorization:
    Bearer tok_9981" (a header written as `Name: value` after the word "header"), or "... with
    bearer token tok_9981" (an Authorization header). Nothing otherwise: the call then sends none."""
    found = URL.search(text)
    rest = text[found.end():] if found else text
    cue = HEADER_CUE.search(rest)
    headers = {m.group("name"): m.group("value").rstrip(".,;") for m in HEADER.finditer(rest[cue.end():])} \
        if cue else {}
    if not headers and (token := BEARER.search(rest)) is not None:
        headers = {"Authorization": f"Bearer {token.group('token').rstrip('.,;')}"}
    return {"headers": headers} if headers else {}

