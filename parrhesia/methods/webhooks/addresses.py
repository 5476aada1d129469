"""Where a webhook may be delivered: the check against server-side request forgery (SSRF).

A subscriber chooses the URL, so a delivery must not become a way to reach what only the server
can reach: its own loopback, the private network behind it, a cloud's metadata service
(169.254.169.254). A URL is accepted only with the scheme http or https, an accepted port, no
user name or password, and a host whose *every* resolved address is a public unicast address
(or inside a network the operator allows). The caller then connects to the address checked
here, not to the name again, so a DNS answer that changes between the check and the connection
(DNS rebinding) cannot redirect it.

Numeric host forms that browsers and ``inet_aton`` accept (``2130706433``, ``0177.0.0.1``,
``0x7f.1``) are resolved like names, so they are judged by the address they stand for.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

SCHEMES = {"http": 80, "https": 443}
PATH_SAFE = "/%:@!$&'()*+,;=~-._"  # RFC 3986 pchar and "/", and "%" to keep existing escapes
# Prefixes that carry an IPv4 address inside an IPv6 one (RFC 6052 NAT64, RFC 4291 mapped and
# compatible): judged by the IPv4 address they carry.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_COMPATIBLE = ipaddress.ip_network("::/96")


class AddressRefused(ValueError):
    """The URL may not receive deliveries; the message says why, for the subscriber."""


@dataclass(frozen=True)
class Policy:
    """What the operator allows beyond public addresses on the default ports."""

    allow_private: bool = False
    networks: Sequence[Network] = field(default_factory=tuple)
    ports: frozenset[int] | None = frozenset({80, 443})  # None: any port


@dataclass(frozen=True)
class Target:
    """A checked URL: connect to ``address`` (checked), send ``host`` as Host and TLS name."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4, Teredo)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64 or (address in _COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(address: Address, policy: Policy) -> str | None:
    """Why a delivery may not go to ``address`` (None: it may)."""
    if address.is_unspecified or address.is_multicast:
        return f"{address} is not a unicast address"
    if any(address in network for network in policy.networks if network.version == address.version):
        return None
    inner = embedded_ipv4(address)
    if inner is not None:
        reason = address_refusal(inner, policy)
        return None if reason is None else f"{address} carries {inner}: {reason}"
    if policy.allow_private:
        return None
    if address.is_loopback:
        return f"{address} is a loopback address"
    if address.is_link_local:
        return f"{address} is a link-local address"
    if address.is_private:
        return f"{address} is a private address"
    if address.is_reserved or not address.is_global:
        return f"{address} is a reserved address"
    return None


def url_parse(url: str, policy: Policy) -> tuple[str, str, int, str]:
    """``(scheme, host, port, path with query)`` of an acceptable URL; :class:`AddressRefused`."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise AddressRefused(f"not a valid URL: {error}") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise AddressRefused("only http and https URLs can receive deliveries")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("the URL may not hold a user name or password")
    host = parts.hostname
    if not host:
        raise AddressRefused("the URL has no host")
    if "%" in host:
        raise AddressRefused("an IPv6 zone (%…) is not accepted")
    port = SCHEMES[scheme] if port is None else port
    if policy.ports is not None and port not in policy.ports:
        accepted = ", ".join(str(number) for number in sorted(policy.ports))
        raise AddressRefused(f"port {port} is not accepted (accepted: {accepted})")
    # The request line is ASCII: anything else is percent-encoded as UTF-8 (what a browser
    # sends), existing escapes kept; spaces and control characters are refused.
    if any(character.isspace() or not character.isprintable() for character in url.strip()):
        raise AddressRefused("the URL may not hold spaces or control characters")
    path = quote(parts.path or "/", safe=PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=PATH_SAFE + "?")
    return scheme, host, port, path


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system's resolver gives for ``host`` (numeric forms included)."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise AddressRefused(f"the host {host!r} cannot be resolved ({error})") from None
    return [str(answer[4][0]) for answer in answers]


def target_check(url: str, policy: Policy, resolver: Resolver = system_resolver) -> Target:
    """Check a URL and resolve its host; every address must be allowed (a name that resolves to
    one public and one private address is refused). The first address is the one to use."""
    scheme, host, port, path = url_parse(url, policy)
    resolved = resolver(host, port)
    if not resolved:
        raise AddressRefused(f"the host {host!r} has no address")
    addresses = _parsed(resolved)
    for address in addresses:
        reason = address_refusal(address, policy)
        if reason is not None:
            where = host if host == str(address) else f"{host} resolves to {address}:"
            raise AddressRefused(reason if host == str(address) else f"{where} {reason}")
    return Target(scheme, host, port, path, str(addresses[0]))


def _parsed(resolved: Iterable[str]) -> list[Address]:
    addresses = []
    for text in resolved:
        try:
            addresses.append(ipaddress.ip_address(text.split("%", 1)[0]))
        except ValueError:
            raise AddressRefused(f"the resolver answered {text!r}, not an address") from None
    return addresses
