"""The one outbound HTTP client of the product: webhooks now, connectors and schema detection later.

Every call made to a URL a tenant supplied goes through `request()`, which:

- accepts only http and https URLs;
- resolves the host itself and refuses the call if ANY address it resolves to is loopback,
  private, link-local, shared (CGNAT), multicast, reserved, unspecified or a cloud metadata
  address (169.254.169.254, fd00:ec2::254, 100.100.100.200, ...), including those hidden in
  IPv4-mapped, 6to4, Teredo and NAT64 IPv6 forms and in legacy IPv4 spellings ("2130706433",
  "0x7f.1", "017700000001", "127.1"), unless `OUTBOUND_ALLOW_PRIVATE=true` (tests and local
  development; metadata, multicast and unspecified addresses stay refused even then);
- connects to the vetted address itself (the URL's host is replaced by the IP; the Host header
  and the TLS server name stay the original host, so virtual hosting and certificate checks work).
  The name is resolved once, so DNS rebinding cannot swap in another address between the check
  and the connection; after connecting, the peer address of the socket is compared with the
  vetted one as well;
- has a total deadline (`OUTBOUND_TIMEOUT_SECONDS`) and reads at most
  `OUTBOUND_MAX_RESPONSE_BYTES` of the response (the rest is dropped and `truncated` is set);
- follows no redirect unless asked (`max_redirects`); each hop is vetted like the first, and
  Authorization, Cookie and signature headers are dropped when a redirect leaves the origin;
- never sends our credentials: a fresh client per call with no default auth, no cookies, and
  no proxy or netrc settings taken from the environment.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import httpx

from core.settings import get_settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

USER_AGENT = "BizPilot/0.1 (+outbound)"
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
    "169.254.170.2",  # AWS ECS task metadata
    "169.254.169.123",  # AWS time sync
    "fd00:ec2::254",  # AWS IMDS over IPv6
    "fd00:ec2::23",
    "100.100.100.200",  # Alibaba Cloud
    "192.0.0.192",  # Oracle Cloud
))
METADATA_HOSTS = frozenset({
    "metadata", "metadata.google.internal", "metadata.goog", "instance-data",
    "instance-data.ec2.internal", "metadata.azure.internal", "metadata.packet.net",
})
NAT64 = ipaddress.ip_network("64:ff9b::/96")
SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization", "x-signature",
                               "webhook-signature", "x-api-key"})
LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.IGNORECASE)


class OutboundError(Exception):
    """The call could not be made or did not complete (network error, timeout, bad URL)."""


class Refused(OutboundError):
    """The URL points somewhere the product must not call (SSRF protection)."""


class Unresolvable(OutboundError):
    """The host name does not resolve (which may be temporary)."""


@dataclass(frozen=True)
class Target:
    """A vetted URL: the host as written and the addresses it may be reached at."""

    url: httpx.URL
    host: str
    port: int
    addresses: tuple[IPAddress, ...]


@dataclass(frozen=True)
class OutboundResponse:
    status_code: int
    headers: Mapping[str, str]
    body: bytes
    truncated: bool
    url: str
    peer: str
    elapsed_ms: float

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    def text(self, limit: int | None = None) -> str:
        raw = self.body if limit is None else self.body[:limit]
        return raw.decode("utf-8", errors="replace")


# --- vetting addresses ---------------------------------------------------------------------------


def _embedded(ip: IPAddress) -> list[IPAddress]:
    """IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found: list[IPAddress] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if ip in NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def refusal(ip: IPAddress, *, allow_private: bool | None = None,
            trusted: Iterable[Network] = ()) -> str | None:
    """Why `ip` must not be called, or None when it may be. `trusted` networks are allowed as if
    public (for a caller that knows better, e.g. a test standing in for the internet)."""
    if allow_private is None:
        allow_private = get_settings().outbound_allow_private
    if ip.version == 6 and getattr(ip, "scope_id", None):
        ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
    if any(ip in net for net in trusted):
        return None
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    for inner in _embedded(ip):
        why = refusal(inner, allow_private=allow_private, trusted=trusted)
        if why:
            return why
    if allow_private:
        return None
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved or not ip.is_global:
        return "a reserved or non-public address"
    return None


def literal_ip(host: str) -> IPAddress | None:
    """The address a host written as an IP stands for, legacy IPv4 spellings included
    ("2130706433", "0x7f.1", "0177.0.0.1", "127.1" are all 127.0.0.1 to a C resolver)."""
    bare = host.strip("[]")
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if LEGACY_IPV4.match(bare):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(bare))
        except OSError:
            return None
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (tests replace this to simulate DNS)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise Unresolvable(f"{host} does not resolve") from err
    seen: dict[str, IPAddress] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        addr = str(sockaddr[0]).split("%", 1)[0]
        seen.setdefault(addr, ipaddress.ip_address(addr))
    if not seen:
        raise Unresolvable(f"{host} does not resolve")
    return list(seen.values())


def parse(url: str) -> tuple[httpx.URL, str, int]:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as err:
        raise Refused(f"not a valid URL: {err}") from None
    if parsed.scheme not in ("http", "https"):
        raise Refused("only http and https URLs can be called")
    host = parsed.raw_host.decode("ascii", errors="replace").lower().rstrip(".")
    if not host:
        raise Refused("the URL has no host")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return parsed, host, port


def vet(url: str, *, allow_private: bool | None = None, trusted: Iterable[Network] = (),
        resolve_names: bool = True) -> Target:
    """Check a URL and resolve its host once: raises `Refused` (or `Unresolvable`)."""
    parsed, host, port = parse(url)
    trusted = tuple(trusted)
    if host in METADATA_HOSTS or (host.startswith("metadata.") and host.endswith(".internal")):
        raise Refused(f"{host} is a cloud metadata host")
    ip = literal_ip(host)
    if ip is not None:
        addresses = [ip]
    elif host == "localhost" or host.endswith(".localhost"):
        addresses = [ipaddress.ip_address("127.0.0.1")]
    elif not resolve_names:
        return Target(parsed, host, port, ())
    else:
        addresses = resolve(host, port)
    for address in addresses:
        why = refusal(address, allow_private=allow_private, trusted=trusted)
        if why:
            said = f"{address} is {why}" if ip is not None else f"{host} resolves to {address}, {why}"
            raise Refused(f"{said}; outbound calls may only reach public addresses")
    return Target(parsed, host, port, tuple(addresses))


# --- calling -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """One verifying TLS context per process (building one costs milliseconds)."""
    return ssl.create_default_context()


def _pinned(target: Target, ip: IPAddress) -> httpx.URL:
    return target.url.copy_with(host=str(ip))


def _host_header(target: Target) -> str:
    default = 443 if target.url.scheme == "https" else 80
    shown = f"[{target.host}]" if ":" in target.host else target.host
    return shown if target.port == default else f"{shown}:{target.port}"


def _peer(response: httpx.Response) -> str | None:
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    addr = stream.get_extra_info("server_addr")
    return str(addr[0]).split("%", 1)[0] if addr else None


def _send_once(method: str, target: Target, headers: dict[str, str], content: bytes | None,
               deadline: float, max_bytes: int) -> OutboundResponse:
    last: Exception | None = None
    for ip in target.addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise OutboundError("timed out")
        extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
        started = time.perf_counter()
        try:
            with httpx.Client(verify=_tls(), trust_env=False, follow_redirects=False,
                              timeout=httpx.Timeout(remaining)) as client:
                request = client.build_request(method, _pinned(target, ip), content=content,
                                               headers={**headers, "Host": _host_header(target)},
                                               extensions=extensions)
                response = client.send(request, stream=True)
                try:
                    peer = _peer(response)
                    if peer is not None and ipaddress.ip_address(peer) != ip:
                        raise Refused(f"connected to {peer}, not the vetted {ip}")
                    body, truncated = bytearray(), False
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > max_bytes:
                            del body[max_bytes:]
                            truncated = True
                            break
                        if time.monotonic() > deadline:
                            raise OutboundError("timed out reading the response")
                    return OutboundResponse(
                        status_code=response.status_code, headers=dict(response.headers),
                        body=bytes(body), truncated=truncated, url=str(target.url),
                        peer=peer or str(ip), elapsed_ms=(time.perf_counter() - started) * 1000)
                finally:
                    response.close()
        except httpx.TimeoutException as err:
            raise OutboundError("timed out") from err
        except httpx.ConnectError as err:
            last = err  # try the host's next vetted address
        except httpx.HTTPError as err:
            raise OutboundError(f"{type(err).__name__}: {err}") from err
    raise OutboundError(f"could not connect to {target.host}: {last}")


def request(method: str, url: str, *, headers: Mapping[str, str] | None = None,
            content: bytes | None = None, timeout: float | None = None,
            max_bytes: int | None = None, max_redirects: int = 0,
            allow_private: bool | None = None, trusted: Iterable[Network] = ()) -> OutboundResponse:
    """Make one outbound call (blocking: run it off the event loop). Raises `Refused` for an
    address the product must not reach, `OutboundError` when the call fails; any HTTP status is
    a response. A redirect is returned as it is unless `max_redirects` allows following it."""
    settings = get_settings()
    deadline = time.monotonic() + (timeout or settings.outbound_timeout_seconds)
    cap = max_bytes or settings.outbound_max_response_bytes
    trusted = tuple(trusted)
    sent = {"User-Agent": USER_AGENT, **dict(headers or {})}
    target = vet(url, allow_private=allow_private, trusted=trusted)
    hops = 0
    while True:
        response = _send_once(method, target, sent, content, deadline, cap)
        following = _redirect_target_from(response, target.url)
        if following is None or hops >= max_redirects:
            return response
        hops += 1
        nxt = vet(following, allow_private=allow_private, trusted=trusted)
        if (nxt.url.scheme, nxt.host, nxt.port) != (target.url.scheme, target.host, target.port):
            sent = {k: v for k, v in sent.items() if k.lower() not in SENSITIVE_HEADERS}
        if response.status_code in (301, 302, 303) and method.upper() != "HEAD":
            method, content = "GET", None
            sent = {k: v for k, v in sent.items() if k.lower() not in ("content-type", "content-length")}
        target = nxt


def _redirect_target_from(response: OutboundResponse, base: httpx.URL) -> str | None:
    location = response.headers.get("location")
    if response.status_code not in (301, 302, 303, 307, 308) or not location:
        return None
    return str(base.join(location))


def post(url: str, content: bytes, headers: Mapping[str, str] | None = None, *,
         timeout: float | None = None, max_bytes: int | None = None,
         trusted: Iterable[Network] = ()) -> OutboundResponse:
    """POST `content` as it is (webhooks sign these exact bytes); no redirects are followed."""
    return request("POST", url, content=content, headers=headers, timeout=timeout,
                   max_bytes=max_bytes, trusted=trusted)
