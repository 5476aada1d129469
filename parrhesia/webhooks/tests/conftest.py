"""A real HTTP receiver on 127.0.0.1 for the webhooks' tests, and the settings that let
deliveries reach it (private addresses and any port: what an operator allows for a chat server
on its own network)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    status: int = 204
    answer: bytes = b""
    received: list[Received] = field(default_factory=list)
    extra_headers: dict[str, str] = field(default_factory=dict)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.received.append(Received(self.path, dict(self.headers.items()), body))
            self.send_response(receiver.status)
            for name, value in receiver.extra_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(receiver.answer)))
            self.end_headers()
            self.wfile.write(receiver.answer)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver(settings):
    settings.PARRHESIA_WEBHOOKS_ALLOW_PRIVATE = True
    settings.PARRHESIA_WEBHOOKS_PORTS = ["*"]
    settings.PARRHESIA_WEBHOOKS_TIMEOUT = 5
    receiver = Receiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/parrhesia?x=1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def signed(riverside):
    """Riverside's record as a running worker leaves it: the fixtures' entries signed (their
    commit hooks do not run in a test's transaction), so the next write queues a signing."""
    from parrhesia.record.tasks import checkpoint_sign_task

    checkpoint_sign_task.call(riverside.pk)
    return riverside
