"""The notices' agenda item column goes (their topic replaced it in 0002).

Going back brings the column back empty: the notices keep their topic, not their item."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_topic")]

    operations = [migrations.RemoveField(model_name="notification", name="item")]
