"""Deliveries never reach what only the server can reach (SSRF): every private, loopback,
link-local, multicast, reserved or unspecified address is refused, in every spelling, unless
the operator allows it; a name is judged by every address it resolves to."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parrhesia.methods.webhooks.addresses import (
    Address,
    AddressRefused,
    Policy,
    Resolver,
    address_refusal,
    target_check,
)

REFUSED = [
    "http://127.0.0.1/",
    "http://127.0.0.2:80/",
    "http://2130706433/",  # decimal
    "http://0177.0.0.1/",  # octal
    "http://0x7f.0.0.1/",  # hexadecimal
    "http://0x7f000001/",
    "http://127.1/",  # short form
    "http://0/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::127.0.0.1]/",  # IPv4-compatible
    "http://[64:ff9b::10.0.0.1]/",  # NAT64
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/",  # Teredo of 10.0.0.1
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[fe80::1]/",
    "http://[fd00:ec2::254]/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://192.0.2.1/",  # documentation
    "http://198.18.0.1/",  # benchmarking
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://localhost/",
    "https://127.0.0.1:443/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_every_spelling_of_a_private_address_is_refused(url: str) -> None:
    with pytest.raises(AddressRefused):
        target_check(url, Policy())


@pytest.mark.parametrize(
    "url",
    [
        "ftp://8.8.8.8/",
        "file:///etc/passwd",
        "gopher://8.8.8.8/",
        "http://user:pw@8.8.8.8/",
        "http://8.8.8.8@127.0.0.1/",
        "http://8.8.8.8:22/",
        "http://8.8.8.8:6379/",
        "http:///nohost",
        "http://[fe80::1%25eth0]/",
        "http://8.8.8.8:99999/",
    ],
)
def test_other_schemes_ports_and_credentials_are_refused(url: str) -> None:
    with pytest.raises(AddressRefused):
        target_check(url, Policy())


def test_a_public_address_is_accepted_and_pinned() -> None:
    target = target_check("https://8.8.8.8/hook?a=1", Policy())
    assert (target.scheme, target.host, target.port, target.path) == (
        "https",
        "8.8.8.8",
        443,
        "/hook?a=1",
    )
    assert target.address == "8.8.8.8"
    assert target_check("http://[2606:4700::1111]/", Policy()).address == "2606:4700::1111"


def resolver(answers: list[str]) -> Resolver:
    return lambda host, port: answers


def test_a_name_is_judged_by_every_address_it_resolves_to() -> None:
    public = resolver(["93.184.216.34"])
    target = target_check("https://hooks.example.org/x", Policy(), public)
    assert (target.host, target.address) == ("hooks.example.org", "93.184.216.34")
    with pytest.raises(AddressRefused, match="resolves to 10.0.0.7"):
        target_check(
            "https://hooks.example.org/", Policy(), resolver(["93.184.216.34", "10.0.0.7"])
        )
    with pytest.raises(AddressRefused, match="169.254.169.254"):
        target_check("https://rebind.example/", Policy(), resolver(["169.254.169.254"]))
    with pytest.raises(AddressRefused):
        target_check("https://nothing.example/", Policy(), resolver([]))


def test_the_operator_may_allow_private_addresses_networks_and_ports() -> None:
    private = Policy(allow_private=True, ports=None)
    assert target_check("http://127.0.0.1:8080/", private).address == "127.0.0.1"
    assert target_check("http://[::ffff:10.1.2.3]:9000/", private).port == 9000
    # never the unspecified or a multicast address
    for url in ("http://0.0.0.0/", "http://[::]/", "http://224.0.0.1/"):
        with pytest.raises(AddressRefused):
            target_check(url, private)
    networks = Policy(networks=(ipaddress.ip_network("10.20.0.0/16"),))
    assert target_check("http://10.20.3.4/", networks).address == "10.20.3.4"
    with pytest.raises(AddressRefused):
        target_check("http://10.21.3.4/", networks)
    with pytest.raises(AddressRefused):
        target_check("http://127.0.0.1/", networks)
    assert target_check("http://8.8.8.8:8443/", Policy(ports=frozenset({8443}))).port == 8443


@given(st.ip_addresses())
def test_an_address_is_accepted_only_if_global_unicast(address: Address) -> None:
    reason = address_refusal(address, Policy())
    if reason is None:
        assert address.is_global and not address.is_multicast
        assert not address.is_private and not address.is_loopback


@given(st.ip_addresses(v=4))
def test_an_ipv4_address_mapped_into_ipv6_is_judged_as_itself(
    address: ipaddress.IPv4Address,
) -> None:
    mapped = ipaddress.IPv6Address(f"::ffff:{address}")
    assert (address_refusal(mapped, Policy()) is None) == (
        address_refusal(address, Policy()) is None
    )


def test_a_path_beyond_ascii_is_percent_encoded_and_spaces_are_refused() -> None:
    target = target_check("https://8.8.8.8/hook/é?q=ü&x=%41", Policy())
    assert target.path == "/hook/%C3%A9?q=%C3%BC&x=%41"
    target.path.encode("ascii")  # what http.client writes in the request line
    for url in ("https://8.8.8.8/a b", "https://8.8.8.8/a\tb", "https://8.8.8.8/\u200b"):
        with pytest.raises(AddressRefused, match="spaces or control"):
            target_check(url, Policy())
