"""tools.outbound: the one outbound HTTP client refuses what a tenant's URL must not reach (SSRF),
resolves once and connects to the address it vetted (DNS rebinding), follows no redirect to an
unvetted place, and bounds time and size."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tools import outbound
from tools.outbound import OutboundError, Refused

LOOPBACK = [ipaddress.ip_network("127.0.0.1/32")]
"""Tests stand a loopback server in for the public internet by trusting exactly 127.0.0.1."""


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production behaviour: private addresses refused (the suite may allow them elsewhere)."""
    from core.settings import get_settings

    monkeypatch.setattr(get_settings(), "outbound_allow_private", False)


class _Handler(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        _Handler.seen.append({"path": self.path, "method": self.command, "body": body,
                              "headers": {k.lower(): v for k, v in self.headers.items()}})
        if self.path.startswith("/redirect-to/"):
            self.send_response(302)
            self.send_header("Location", self.path.removeprefix("/redirect-to/"))
            self.end_headers()
            return
        if self.path == "/big":
            self.send_response(200)
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"x" * 100_000)
            return
        if self.path == "/slow":
            time.sleep(2)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"hello")

    do_GET = do_POST = _answer  # noqa: N815

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://127.0.0.53:8080/x", "http://[::1]/", "http://10.0.0.5/",
    "http://172.16.3.4/", "http://192.168.1.1/", "http://100.64.0.1/", "http://0.0.0.0/",
    "http://224.0.0.1/", "http://[fe80::1]/", "http://[fc00::1]/", "http://169.254.10.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://100.100.100.200/",
    "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://[2002:7f00:1::1]/",
    "http://[64:ff9b::a9fe:a9fe]/", "http://192.0.2.1/", "http://255.255.255.255/",
    # legacy IPv4 spellings a C resolver accepts: all loopback
    "http://2130706433/", "http://0x7f.1/", "http://0x7f000001/", "http://017700000001/",
    "http://0177.0.0.1/", "http://127.1/",
    "http://localhost:8000/", "http://api.localhost/", "http://metadata.google.internal/",
    "http://metadata/computeMetadata/v1/",
])
def test_refuses_private_loopback_link_local_and_metadata(url: str) -> None:
    with pytest.raises(Refused):
        outbound.vet(url)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://x/", "not a url",
                                 "http:///nohost"])
def test_refuses_other_schemes_and_junk(url: str) -> None:
    with pytest.raises(Refused):
        outbound.vet(url)


def test_public_literals_pass() -> None:
    assert outbound.vet("https://93.184.216.34/hook").addresses == (ipaddress.ip_address("93.184.216.34"),)
    assert outbound.vet("http://[2606:4700::1111]/").addresses[0].version == 6


def test_a_name_resolving_to_loopback_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbound, "resolve", lambda host, port: [ipaddress.ip_address("127.0.0.1")])
    with pytest.raises(Refused, match=r"resolves to 127\.0\.0\.1"):
        outbound.vet("https://evil.example.com/hook")


def test_one_private_address_among_public_ones_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("10.1.2.3")]
    monkeypatch.setattr(outbound, "resolve", lambda host, port: answers)
    with pytest.raises(Refused):
        outbound.vet("https://mixed.example.com/")


def test_allow_private_opens_loopback_but_never_metadata() -> None:
    assert outbound.vet("http://127.0.0.1:9/", allow_private=True)
    assert outbound.vet("http://10.0.0.1/", allow_private=True)
    for url in ("http://169.254.169.254/", "http://[fd00:ec2::254]/", "http://[::ffff:169.254.169.254]/"):
        with pytest.raises(Refused, match="metadata"):
            outbound.vet(url, allow_private=True)


def test_the_setting_allows_private_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    monkeypatch.setattr(get_settings(), "outbound_allow_private", True)
    assert outbound.vet("http://127.0.0.1:1/")


def test_refused_at_call_time_before_any_connection(server: str) -> None:
    _Handler.seen.clear()
    with pytest.raises(Refused):
        outbound.request("GET", f"http://{server}/")
    assert _Handler.seen == []


def test_dns_rebinding_resolves_once_and_connects_to_the_vetted_address(
        server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name that answers a good address to the check and a bad one afterwards: the call is
    made to the address that was checked, with the name kept in the Host header."""
    port = int(server.split(":")[1])
    calls: list[str] = []

    def rebinding(host: str, _port: int) -> list[Any]:
        calls.append(host)
        return [ipaddress.ip_address("127.0.0.1" if len(calls) == 1 else "10.9.9.9")]

    monkeypatch.setattr(outbound, "resolve", rebinding)
    _Handler.seen.clear()
    response = outbound.request("POST", f"http://rebind.example:{port}/in", content=b"{}",
                                trusted=LOOPBACK)
    assert response.status_code == 200 and response.peer == "127.0.0.1"
    assert calls == ["rebind.example"]
    assert _Handler.seen[0]["headers"]["host"] == f"rebind.example:{port}"


def test_redirects_are_not_followed_by_default(server: str) -> None:
    response = outbound.request("GET", f"http://{server}/redirect-to/http://10.0.0.1/", trusted=LOOPBACK)
    assert response.status_code == 302


def test_a_redirect_to_a_private_address_is_refused(server: str) -> None:
    for target in ("http://10.0.0.1/", "http://127.0.0.2/", "http://169.254.169.254/latest/meta-data/",
                   "http://0x7f.0.0.2/"):
        with pytest.raises(Refused):
            outbound.request("GET", f"http://{server}/redirect-to/{target}", max_redirects=3,
                             trusted=LOOPBACK)


def test_a_followed_redirect_to_another_host_drops_credentials(
        server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    port = int(server.split(":")[1])
    monkeypatch.setattr(outbound, "resolve", lambda host, p: [ipaddress.ip_address("127.0.0.1")])
    _Handler.seen.clear()
    response = outbound.request("GET", f"http://{server}/redirect-to/http://other.example:{port}/landed",
                                headers={"Authorization": "Bearer ours", "X-Signature": "sha256=x",
                                         "X-Custom": "kept"},
                                max_redirects=2, trusted=LOOPBACK)
    assert response.status_code == 200
    first, second = _Handler.seen
    assert first["headers"]["authorization"] == "Bearer ours"
    assert second["path"] == "/landed" and second["headers"]["host"] == f"other.example:{port}"
    assert "authorization" not in second["headers"] and "x-signature" not in second["headers"]
    assert second["headers"]["x-custom"] == "kept"


def test_response_size_is_capped(server: str) -> None:
    response = outbound.request("GET", f"http://{server}/big", max_bytes=10_000, trusted=LOOPBACK)
    assert response.truncated and len(response.body) == 10_000


def test_calls_time_out(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(OutboundError, match="timed out"):
        outbound.request("GET", f"http://{server}/slow", timeout=0.3, trusted=LOOPBACK)
    assert time.monotonic() - started < 1.5


def test_no_proxy_or_credentials_from_the_environment(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    _Handler.seen.clear()
    response = outbound.request("POST", f"http://{server}/plain", content=b"x", trusted=LOOPBACK)
    assert response.status_code == 200 and response.text() == "hello"
    headers = _Handler.seen[0]["headers"]
    assert "authorization" not in headers and "cookie" not in headers
    assert headers["user-agent"].startswith("BizPilot")
