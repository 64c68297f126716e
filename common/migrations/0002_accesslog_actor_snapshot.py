"""Audit rows keep who did it: a username snapshot, filled for the existing rows too, so
deleting a user (which empties `actor`) leaves the trail readable."""

from django.conf import settings
from django.db import migrations, models


def fill_actor_username(apps, schema_editor):
    AccessLog = apps.get_model("common", "AccessLog")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    username = User.objects.filter(pk=models.OuterRef("actor_id")).values("username")[:1]
    AccessLog.objects.filter(actor__isnull=False).update(actor_username=models.Subquery(username))


class Migration(migrations.Migration):

    dependencies = [
        ("common", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="actor_username",
            field=models.CharField(
                blank=True,
                help_text="Copiato alla scrittura: resta anche se l'utente viene cancellato.",
                max_length=150,
                verbose_name="nome utente",
            ),
        ),
        migrations.RunPython(fill_actor_username, migrations.RunPython.noop, elidable=False),
    ]
