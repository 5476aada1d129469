"""The client's address, as the rate limits of log-in, sign-up and password reset see it.

Behind a TLS proxy every request comes from the proxy: limiting by ``REMOTE_ADDR`` would let
ten wrong passwords from anyone lock everybody out. ``X-Forwarded-For`` is believed only as far
as it was written by proxies named in ``PARRHESIA_TRUSTED_PROXIES``: reading the header from the
right, the first hop that is not a trusted proxy is the client (what a client writes itself sits
further left and is never read). Without trusted proxies the header is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies: list[Network] = getattr(settings, "PARRHESIA_TRUSTED_PROXIES", [])
    if not proxies or not is_trusted(remote, proxies):
        return remote
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    hops = [hop for hop in hops if hop]
    for hop in reversed(hops):
        if not is_trusted(hop, proxies):
            return hop
    # Every hop is a trusted proxy: the leftmost is as far as anyone can see.
    return hops[0] if hops else remote


def is_trusted(address: str, proxies: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)
