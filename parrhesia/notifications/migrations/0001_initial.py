"""Takes over agenda's notification tables as they are (no database change)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("agenda", "0004_notifications_move_out"),
        ("orgs", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=40)),
                        ("params", models.JSONField(default=dict)),
                        ("url", models.CharField(max_length=500)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("emailed_at", models.DateTimeField(blank=True, null=True)),
                        ("item", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="agenda.agendaitem")),
                        ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="orgs.organisation")),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="notifications", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "agenda_notification",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["recipient", "organisation", "emailed_at"], name="agenda_noti_recipie_f94bc9_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="NotificationSetting",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("digest", models.CharField(choices=[("off", "Off"), ("daily", "Daily"), ("weekly", "Weekly")], default="off", max_length=10)),
                        ("last_digest_at", models.DateTimeField(blank=True, null=True)),
                        ("member", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="notification_setting", to="orgs.membership")),
                    ],
                    options={"db_table": "agenda_notificationsetting"},
                ),
            ],
            database_operations=[],
        )
    ]
