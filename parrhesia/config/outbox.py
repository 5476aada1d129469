"""Where e-mail goes when no SMTP host is configured: a private folder, never the server's log.

Django's console backend printed every e-mail on standard output, which is the server's log
(journald, a container's log, a hosting panel): read by more people and kept longer than the
database. Two kinds of e-mail must not go there: a password-reset link (a key to the account)
and a personal notice that names its recipient — "your report was dismissed" goes to the one
member who reported, so its ``To:`` line named an anonymous reporter to whoever reads the log
(docs/privacy.md). Here each e-mail is written to ``$PARRHESIA_DATA_DIR/outbox/``, a folder only
the server's user may enter, in a file only it may read; the log says only that one was written.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from django.core.mail.backends.filebased import EmailBackend

logger = logging.getLogger("parrhesia.mail")


class PrivateOutbox(EmailBackend):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        os.chmod(self.file_path, 0o700)

    def open(self) -> bool:
        if self.stream is not None:
            return False
        path = self._get_filename()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.stream = os.fdopen(descriptor, "ab")
        # Neither recipient nor subject: the file is private, the log is not.
        logger.info("e-mail written to %s (no SMTP host: PARRHESIA_EMAIL_HOST is unset)", path)
        return True
