"""Notifications became their own app: their models leave agenda's state; their tables stay
(the notifications app takes them over in its 0001, which depends on this)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("agenda", "0003_withdrawals")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="NotificationSetting"),
            ],
            database_operations=[],
        )
    ]
