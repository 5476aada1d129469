"""deferred: work runs once the transaction commits, never if it rolls back, and one failing
step does not stop the others."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from parrhesia.kernel import deferred

pytestmark = pytest.mark.django_db


def test_work_waits_for_the_commit_and_a_failure_does_not_stop_the_rest(
    django_capture_on_commit_callbacks,
):
    done: list[str] = []

    def fail() -> None:
        raise RuntimeError("the broker is down")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        deferred.after_commit(fail)
        deferred.after_commit(done.append, "second")
        deferred.mail_after_commit("Subject", "Body", "carol@example.org")
        assert done == [] and mail.outbox == []
    assert len(callbacks) == 3
    assert done == ["second"]
    assert [message.to for message in mail.outbox] == [["carol@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_nothing_runs_if_the_transaction_rolls_back():
    done: list[str] = []
    with pytest.raises(ValueError), transaction.atomic():
        deferred.after_commit(done.append, "never")
        raise ValueError
    assert done == []


def test_a_task_for_later_is_left_to_due_where_the_backend_cannot_defer():
    from django.utils import timezone

    from parrhesia.notifications.tasks import digest_task

    assert deferred.task_enqueue(digest_task, 1, run_after=timezone.now()) is None
