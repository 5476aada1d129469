"""Standard Webhooks signatures: what we sign, the spec's reference library verifies, and back;
a changed byte, an old timestamp or another secret fails."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from parrhesia.methods.webhooks.signing import (
    SignatureError,
    headers_for,
    secret_generate,
    signature,
    signature_verify,
)

NOW = 1_800_000_000


def test_a_known_vector_of_the_spec() -> None:
    # The example of the reference libraries' tests (standard-webhooks, libraries/python).
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    assert (
        signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


@given(st.binary(max_size=2000), st.text(min_size=1, max_size=40).filter(lambda t: "." not in t))
def test_what_we_sign_verifies(body: bytes, message_id: str) -> None:
    secret = secret_generate()
    headers = headers_for([secret], "msg_" + message_id.encode().hex(), NOW, body)
    signature_verify(secret, headers, body, now=NOW)


def test_during_a_rotation_both_secrets_verify() -> None:
    old, new = secret_generate(), secret_generate()
    body = b'{"type":"ballot.voted"}'
    headers = headers_for([new, old], "msg_1", NOW, body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        signature_verify(secret, headers, body, now=NOW)
        Webhook(secret)  # the library parses it
    with pytest.raises(SignatureError):
        signature_verify(secret_generate(), headers, body, now=NOW)


def test_the_reference_library_verifies_a_live_signature() -> None:
    import time

    secret = secret_generate()
    body = b'{"a":1}'
    headers = headers_for([secret], "msg_2", int(time.time()), body)
    assert Webhook(secret).verify(body.decode(), headers) == {"a": 1}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify('{"a":2}', headers)


def test_a_changed_body_or_a_stale_timestamp_fails() -> None:
    secret = secret_generate()
    headers = headers_for([secret], "msg_3", NOW, b"{}")
    with pytest.raises(SignatureError, match="no signature"):
        signature_verify(secret, headers, b"{ }", now=NOW)
    with pytest.raises(SignatureError, match="timestamp"):
        signature_verify(secret, headers, b"{}", now=NOW + 3600)
    with pytest.raises(SignatureError, match="headers"):
        signature_verify(secret, {}, b"{}", now=NOW)
