"""/docs and /redoc render without internet: every script and stylesheet they load is served by
the app itself. The OpenAPI document declares how to authenticate and speaks to API users."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

INTERNAL = re.compile(r"[Dd]ocuments? 00\d|\b00[0-4]'s\b|VectorOS|Nexora|Stratum|Smart AI Hub|crm_common|"
                      r"api\.envelope|presenters\.")


def _assets(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html) + \
        re.findall(r"""url:\s*["']([^"']+)["']""", html)


def test_docs_pages_load_their_assets_from_the_app(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        r = client.get(page)
        assert r.status_code == 200 and "text/html" in r.headers["content-type"]
        assets = [a for a in _assets(r.text) if a != "/openapi.json"]
        scripts = [a for a in assets if a.endswith(".js")]
        assert scripts, f"{page} loads no script"
        for url in assets:
            assert url.startswith("/"), f"{page} loads {url} from another host"
            fetched = client.get(url)
            assert fetched.status_code == 200, url
            assert len(fetched.content) > 1000, url
        assert "cdn." not in r.text and "fonts.googleapis" not in r.text


def _operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(m, p): op for p, item in spec["paths"].items() for m, op in item.items()
            if m in {"get", "post", "put", "patch", "delete"}}


def test_openapi_declares_security_schemes_and_uses_them(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer",
                                 "description": schemes["bearer"]["description"]}
    assert schemes["workspace"]["type"] == "apiKey" and schemes["workspace"]["in"] == "header"
    assert schemes["workspace"]["name"] == "X-Tenant-Id"
    ops = _operations(spec)
    protected = [("get", "/api/crm/customers"), ("get", "/api/users/me"), ("post", "/v1/chat/completions"),
                 ("get", "/api/v1/workspaces/{workspaceId}/deals")]
    for key in protected:
        names = {name for requirement in ops[key].get("security", []) for name in requirement}
        assert "bearer" in names, key
    for key in [("post", "/api/auth/login"), ("post", "/api/v1/auth/register"), ("get", "/health")]:
        assert not ops[key].get("security"), key


def test_openapi_descriptions_are_written_for_api_users(client: TestClient) -> None:
    text = client.get("/openapi.json").text
    leaks = sorted(set(INTERNAL.findall(text)))
    assert not leaks, leaks
