"""The running count of open ballots whose results are shown (issue 13, finding 10): their page
reads it instead of counting the ballots on every visit. Ballots open at the migration get
theirs from their votes, so that no page has to count."""

import django.db.models.deletion
from django.db import migrations, models

# The pure functions of the count (no model): what a vote does to a running count.
from parrhesia.decisions import counting, running


def _facts(ballot, options):
    return {
        "method": ballot.method,
        "seats": ballot.seats,
        "secrecy": ballot.secrecy,
        "threshold": ballot.threshold,
        "quorum_percent": ballot.quorum_percent,
        "electorate_size": len(ballot.electorate),
        "options": [
            {"key": o.key, "label": o.label, "status_quo": o.is_status_quo} for o in options
        ],
    }


def running_counts_for_open_ballots(apps, schema_editor):
    Ballot = apps.get_model("decisions", "Ballot")
    Option = apps.get_model("decisions", "Option")
    Vote = apps.get_model("decisions", "Vote")
    RunningCount = apps.get_model("decisions", "RunningCount")
    shown = Ballot.objects.filter(status="open", results_hidden=False, secrecy="open")
    for ballot in shown:
        opened = _facts(ballot, Option.objects.filter(ballot=ballot).order_by("key"))
        choices = list(Vote.objects.filter(ballot=ballot).values_list("choices", flat=True))
        count = running.running_empty(opened)
        for item in choices:
            running.running_add(count, opened, item, 1)
        result = running.running_result(opened, count)
        if result is None:
            result = running.compact(counting.result_count(opened, choices))
        RunningCount.objects.create(
            ballot=ballot,
            version=len(choices),
            turnout=count.turnout,
            scores=count.scores,
            valid=count.valid,
            pairwise=None if count.pairwise is None else running.pairwise_bytes(count.pairwise),
            result=result,
            result_version=len(choices),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0002_min_anonymity"),
    ]

    operations = [
        migrations.CreateModel(
            name="RunningCount",
            fields=[
                (
                    "ballot",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="running_count",
                        serialize=False,
                        to="decisions.ballot",
                    ),
                ),
                ("version", models.PositiveIntegerField(default=0)),
                ("turnout", models.PositiveIntegerField(default=0)),
                ("scores", models.JSONField(default=list)),
                ("valid", models.PositiveIntegerField(default=0)),
                ("pairwise", models.BinaryField(null=True)),
                ("result", models.JSONField(null=True)),
                ("result_version", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(running_counts_for_open_ballots, migrations.RunPython.noop),
    ]
