"""A notice no longer points at an agenda item: it carries the topic the digest groups it
under (the item's title, copied here for the notices already stored)."""

from django.db import migrations, models


def topics_fill(apps, schema_editor):
    notification = apps.get_model("notifications", "Notification")
    item = apps.get_model("agenda", "AgendaItem")
    titles = dict(item.objects.values_list("pk", "title"))
    for pk, item_id in notification.objects.exclude(item=None).values_list("pk", "item_id"):
        notification.objects.filter(pk=pk).update(topic=titles.get(item_id, ""))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"), ("agenda", "0004_notifications_move_out")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="topic",
            field=models.CharField(blank=True, default="", max_length=300),
        ),
        migrations.RunPython(topics_fill, migrations.RunPython.noop),
        migrations.RemoveField(model_name="notification", name="item"),
    ]
