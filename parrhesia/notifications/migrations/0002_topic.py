"""A notice no longer points at an agenda item: it carries the topic the digest groups it
under (the item's title, copied here for the notices already stored). The item's column goes
in 0003, in its own transaction."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def topics_fill(apps, schema_editor):
    notification = apps.get_model("notifications", "Notification")
    item = apps.get_model("agenda", "AgendaItem")
    title = item.objects.filter(pk=OuterRef("item_id")).values("title")[:1]
    notification.objects.exclude(item=None).update(topic=Subquery(title))


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"), ("agenda", "0004_notifications_move_out")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="topic",
            field=models.CharField(blank=True, default="", max_length=300),
        ),
        migrations.RunPython(topics_fill, migrations.RunPython.noop),
    ]
