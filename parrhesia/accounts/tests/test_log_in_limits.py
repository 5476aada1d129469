"""Log-in throttling per client IP and per account (issue 13, finding 9).

Behind the documented TLS proxy every request comes from the proxy; PARRHESIA_TRUSTED_PROXIES
names the proxies whose X-Forwarded-For is believed, so one client's wrong passwords throttle
that client, not everybody. Per account, failures slow guessing down over a short sliding
window, never lock the owner out for good.
"""

from __future__ import annotations

import ipaddress
import re
import time
import types

import pytest
from allauth.core.internal import ratelimit
from django.test import RequestFactory

from parrhesia.accounts.client_ip import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.7"
TOO_MANY = "Too many failed login attempts"
DEVICE_SALT = "parrhesia.accounts.device"


@pytest.fixture
def behind_proxy(settings):
    settings.PARRHESIA_TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/24")]


def _log_in(client, login: str, password: str = "wrong", **headers):
    return client.post("/accounts/login/", {"login": login, "password": password}, **headers)


def test_behind_a_trusted_proxy_one_clients_failures_do_not_block_another(
    client, behind_proxy, carol
):
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for number in range(10):
        assert TOO_MANY not in _log_in(client, f"nobody{number}", **attacker).content.decode()
    assert TOO_MANY in _log_in(client, "nobody-else", **attacker).content.decode()
    someone_else = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    response = _log_in(client, "carol", "correct horse battery", **someone_else)
    assert response.status_code == 302


def test_a_client_cannot_spoof_x_forwarded_for_when_the_proxy_is_not_trusted(client):
    for number in range(10):
        _log_in(
            client,
            f"nobody{number}",
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )
    response = _log_in(
        client, "nobody-else", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert TOO_MANY in response.content.decode()


def test_a_client_cannot_spoof_the_hops_in_front_of_a_trusted_proxy(client, behind_proxy):
    for number in range(10):
        _log_in(
            client,
            f"nobody{number}",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.5",
        )
    response = _log_in(
        client, "nobody-else", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5"
    )
    assert TOO_MANY in response.content.decode()


def test_failures_on_an_account_from_many_ips_throttle_it_only_briefly(client, carol, monkeypatch):
    for number in range(5):
        _log_in(client, "carol", REMOTE_ADDR=f"192.0.2.{number}")
    right = _log_in(client, "carol", "correct horse battery", REMOTE_ADDR="198.51.100.9")
    assert TOO_MANY in right.content.decode()
    a_minute_later = types.SimpleNamespace(
        time=lambda: time.time() + 61, monotonic=time.monotonic, sleep=time.sleep
    )
    monkeypatch.setattr(ratelimit, "time", a_minute_later)
    right = _log_in(client, "carol", "correct horse battery", REMOTE_ADDR="198.51.100.9")
    assert right.status_code == 302


def test_the_account_is_counted_once_whichever_name_is_typed(client, carol):
    for number in range(5):
        _log_in(client, "carol", REMOTE_ADDR=f"192.0.2.{number}")
    by_email = _log_in(client, "carol@example.org", REMOTE_ADDR="198.51.100.9")
    assert TOO_MANY in by_email.content.decode()


def test_a_password_reset_lifts_the_accounts_throttle(client, carol, mailoutbox):
    for number in range(5):
        _log_in(client, "carol", REMOTE_ADDR=f"192.0.2.{number}")
    client.post("/accounts/password/reset/", {"email": "carol@example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[-1].body)
    assert link
    form_page = client.get(link.group(1), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a new long pass phrase 7", "password2": "a new long pass phrase 7"},
    )
    response = _log_in(client, "carol", "a new long pass phrase 7", REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.5", "", "203.0.113.5"),
        ("203.0.113.5", "192.0.2.1", "203.0.113.5"),  # not a proxy: the header is ignored
        (PROXY, "", PROXY),
        (PROXY, "192.0.2.1", "192.0.2.1"),
        (PROXY, "evil, 192.0.2.1", "192.0.2.1"),
        (PROXY, "192.0.2.1, 10.0.0.8", "192.0.2.1"),  # two trusted proxies in a row
        (PROXY, "10.0.0.9, 10.0.0.8", "10.0.0.9"),
    ],
)
def test_the_client_is_the_last_hop_that_is_not_a_trusted_proxy(
    behind_proxy, remote, forwarded, expected
):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    assert client_ip(request) == expected


def test_failures_typed_elsewhere_never_keep_the_member_out_of_her_own_browser(client, carol):
    from django.test import Client

    assert _log_in(client, "carol", "correct horse battery").status_code == 302
    client.post("/accounts/logout/")
    attacker = Client()
    for number in range(20):
        _log_in(attacker, "carol", REMOTE_ADDR=f"192.0.2.{number}")
    stolen = _log_in(attacker, "carol", "correct horse battery", REMOTE_ADDR="198.51.100.7")
    assert TOO_MANY in stolen.content.decode()  # an unknown browser still waits
    response = _log_in(client, "carol", "correct horse battery", REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302


def test_a_known_browser_is_throttled_by_its_own_failures(client, carol):
    assert _log_in(client, "carol", "correct horse battery").status_code == 302
    client.post("/accounts/logout/")
    for number in range(5):
        _log_in(client, "carol", REMOTE_ADDR=f"192.0.2.{number}")
    right = _log_in(client, "carol", "correct horse battery", REMOTE_ADDR="198.51.100.9")
    assert TOO_MANY in right.content.decode()


def test_a_forged_or_borrowed_device_cookie_counts_as_an_unknown_browser(client, carol, dave):
    from django.core import signing

    from parrhesia.accounts.devices import COOKIE

    assert _log_in(client, "dave", "correct horse battery").status_code == 302
    client.post("/accounts/logout/")  # the browser is known for dave, not for carol
    for number in range(5):
        _log_in(client, "carol", REMOTE_ADDR=f"192.0.2.{number}")
    borrowed = _log_in(client, "carol", "correct horse battery", REMOTE_ADDR="198.51.100.9")
    assert TOO_MANY in borrowed.content.decode()
    genuine = signing.loads(client.cookies[COOKIE].value, salt=DEVICE_SALT)
    client.cookies[COOKIE] = signing.dumps(
        {"account": genuine["account"], "device": "mine"}, key="not the secret", salt=DEVICE_SALT
    )
    forged = _log_in(client, "carol", "correct horse battery", REMOTE_ADDR="198.51.100.9")
    assert TOO_MANY in forged.content.decode()
