from django.db import migrations, models


def keep_named_where_already_named(apps, schema_editor):
    """A conversation whose record already names its voters stays named: its old entries cannot
    change, and they would link each member to their participant number (docs/opinion.md)."""
    Conversation = apps.get_model("opinion", "Conversation")
    Participant = apps.get_model("opinion", "Participant")
    named = Participant.objects.filter(membership__isnull=False).values("conversation_id")
    Conversation.objects.filter(pk__in=named).update(named_votes=True)


class Migration(migrations.Migration):
    dependencies = [
        ("opinion", "0003_statement_vote_counters"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="named_votes",
            field=models.BooleanField(default=False, verbose_name="named votes"),
        ),
        migrations.RunPython(keep_named_where_already_named, migrations.RunPython.noop),
    ]
