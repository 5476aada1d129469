"""With no SMTP host, e-mails never reach the server's log: a notice that goes to the one member
who reported ("your report was dismissed") would name an anonymous reporter to whoever reads
the log, and a password-reset e-mail would put a key to the account there. They are written to
a private folder in the data directory instead."""

from __future__ import annotations

import io
import logging
import os
import stat
import subprocess
import sys

import pytest
from django.core import mail
from django.test import override_settings

from parrhesia.tribunal import services
from tests.test_cli import clean_environment


def site_mail_settings(data_dir) -> tuple[str, str]:
    """EMAIL_BACKEND and EMAIL_FILE_PATH of a site with no SMTP host (outside the tests)."""
    env = {k: v for k, v in clean_environment().items() if not k.startswith("PARRHESIA_")}
    env.update(PARRHESIA_DATA_DIR=str(data_dir),
               DJANGO_SETTINGS_MODULE="parrhesia.config.settings")
    script = ("from django.conf import settings; "
              "print(settings.EMAIL_BACKEND); print(getattr(settings, 'EMAIL_FILE_PATH', ''))")
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                            text=True, timeout=60, check=True)
    backend, path = result.stdout.split("\n")[:2]
    return backend, path


@pytest.fixture
def server_log():
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    # Swapped, not setStream(): that flushes the old stream, which pytest may have closed.
    previous, handler.stream = handler.stream, stream
    try:
        yield stream
    finally:
        handler.stream = previous


def test_without_smtp_e_mails_go_to_a_private_folder_in_the_data_dir(tmp_path):
    backend, path = site_mail_settings(tmp_path)
    assert backend != "django.core.mail.backends.console.EmailBackend"
    assert path == str(tmp_path / "outbox")


@pytest.mark.django_db(transaction=True)
def test_the_server_log_never_names_an_anonymous_reporter(
    court, alice, bob, carol, tmp_path, capfd, server_log
):
    backend, _ = site_mail_settings(tmp_path / "site")
    outbox = tmp_path / "outbox"
    with override_settings(EMAIL_BACKEND=backend, EMAIL_FILE_PATH=str(outbox)):
        accused = court.memberships.get(user=alice)
        case = services.report_file(
            user=carol, organisation=court, kind="member", object_id=accused.pk,
            rules=[4], description="Shouted at a meeting.", anonymous=True,
        )
        services.case_dismiss(user=bob, case=case, reason="Not a breach of any rule.")
        mail.send_mail("Password reset", "https://x.example/accounts/password/reset/key/3-abc/",
                       None, [carol.email])
    out, err = capfd.readouterr()
    logged = out + err + server_log.getvalue()
    for secret in (carol.email, carol.display_name, "your report was dismissed", "3-abc"):
        assert secret not in logged
    assert "e-mail written to" in logged  # the operator still learns that mail went out
    written = "".join(path.read_text() for path in outbox.iterdir())
    assert f"To: {carol.email}" in written and "your report was dismissed" in written
    assert stat.S_IMODE(os.stat(outbox).st_mode) == 0o700
    assert all(stat.S_IMODE(os.stat(path).st_mode) == 0o600 for path in outbox.iterdir())
