"""The minimum anonymity set of secret ballots (docs/voting.md, "Secrecy").

Ballots opened before it get 0 (no minimum): their ``ballot.opened`` entries do not name one,
and a recount of them must give what it gave. New ballots and the policies get 5."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ballot",
            name="min_anonymity",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="ballot",
            name="min_anonymity",
            field=models.PositiveSmallIntegerField(default=5),
        ),
        migrations.AddField(
            model_name="decisionpolicy",
            name="min_anonymity",
            field=models.PositiveSmallIntegerField(default=5),
        ),
    ]
