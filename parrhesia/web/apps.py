from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The site's frame: base layout, home page, account pages, error pages, health."""

    name = "parrhesia.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in
        from django_tasks.signals import task_finished, task_started

        from parrhesia.config import logs
        from parrhesia.web.two_factor import remind_on_log_in

        user_logged_in.connect(remind_on_log_in, dispatch_uid="parrhesia-two-factor-reminder")
        # The worker's log lines name the task they are written for (docs/operations.md).
        task_started.connect(logs.task_started, dispatch_uid="parrhesia-log-task-id")
        task_finished.connect(logs.task_finished, dispatch_uid="parrhesia-log-task-end")
