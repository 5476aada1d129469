"""The engine's warm state moves out of the analysis row that pages read, compressed."""

import json
import zlib

import django.db.models.deletion
from django.db import migrations, models


def move_states(apps, schema_editor):
    Analysis = apps.get_model("opinion", "Analysis")
    AnalysisState = apps.get_model("opinion", "AnalysisState")
    for conversation_id, state in Analysis.objects.values_list("conversation_id", "state"):
        if state:
            packed = zlib.compress(json.dumps(state, separators=(",", ":")).encode())
            AnalysisState.objects.create(conversation_id=conversation_id, packed=packed)


def restore_states(apps, schema_editor):
    Analysis = apps.get_model("opinion", "Analysis")
    AnalysisState = apps.get_model("opinion", "AnalysisState")
    for row in AnalysisState.objects.all():
        state = json.loads(zlib.decompress(bytes(row.packed)))
        Analysis.objects.filter(conversation_id=row.conversation_id).update(state=state)


class Migration(migrations.Migration):
    dependencies = [
        ("opinion", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AnalysisState",
            fields=[
                (
                    "conversation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="opinion.conversation",
                    ),
                ),
                ("packed", models.BinaryField()),
            ],
        ),
        migrations.RunPython(move_states, restore_states),
        migrations.RemoveField(
            model_name="analysis",
            name="state",
        ),
    ]
