"""Digests already queued (a week ahead at most) name the task by its old path,
``parrhesia.agenda.tasks.digest_task``; they now point at the notifications app's, so the chain
of digests a member asked for is not broken by the move."""

from django.db import migrations

OLD = "parrhesia.agenda.tasks.digest_task"
NEW = "parrhesia.notifications.tasks.digest_task"


def forward(apps, schema_editor):
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(task_path=OLD).update(
        task_path=NEW
    )


def backward(apps, schema_editor):
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(task_path=NEW).update(
        task_path=OLD
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_remove_item"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
