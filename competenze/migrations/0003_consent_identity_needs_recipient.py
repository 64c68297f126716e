"""Identity disclosure names one employer or host body.

Active "identita_datori" consents without a recipient (they counted for every employer) or
naming an organisation of another kind stop counting: they are revoked as of this
migration, flagged `needs_renewal` so that counsellors see them on the caseload and the
person page and redo them for a named recipient, and each voiding is written to the audit
log (no actor: the migration did it). Then a constraint keeps such rows from coming back.
Going back leaves the voided rows revoked.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Greatest
from django.utils import timezone

IDENTITY = "identita_datori"
RECIPIENT_KINDS = ("datore", "ente_ospitante")
VOID_PURPOSE = (
    "aggiornamento: consenso a comunicare l'identità senza un datore o ente ospitante "
    "destinatario, annullato e da rinnovare"
)
CHUNK = 500


def void_identity_consents(apps, schema_editor):
    Consent = apps.get_model("competenze", "Consent")
    AccessLog = apps.get_model("common", "AccessLog")
    rows = Consent.objects.filter(purpose=IDENTITY, revoked_at__isnull=True).values_list(
        "pk", "person__pseudonym", "recipient__kind"
    )
    void = [(pk, pseudonym) for pk, pseudonym, kind in rows if kind not in RECIPIENT_KINDS]
    now = models.Value(timezone.now(), output_field=models.DateTimeField())
    for start in range(0, len(void), CHUNK):
        chunk = void[start : start + CHUNK]
        Consent.objects.filter(pk__in=[pk for pk, _p in chunk]).update(
            revoked_at=Greatest(models.F("given_at"), now), needs_renewal=True
        )
        AccessLog.objects.bulk_create(
            AccessLog(actor=None, actor_role="", action="update", subject=pseudonym,
                      data_category="consensi", purpose=VOID_PURPOSE)
            for _pk, pseudonym in chunk
        )


class Migration(migrations.Migration):

    dependencies = [
        ("common", "0001_initial"),
        ("competenze", "0002_interviews"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="needs_renewal",
            field=models.BooleanField(
                default=False,
                help_text="Consenso a comunicare l'identità annullato perché non indicava un "
                "datore o un ente ospitante: l'operatore deve raccoglierlo di nuovo, per un "
                "destinatario.",
                verbose_name="da rinnovare",
            ),
        ),
        migrations.RunPython(void_identity_consents, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("purpose", "identita_datori"), _negated=True),
                    ("recipient__isnull", False),
                    ("revoked_at__isnull", False),
                    _connector="OR",
                ),
                name="consent_identity_names_recipient",
                violation_error_message="Per comunicare nome e contatti indica a quale datore "
                "di lavoro o ente ospitante si riferisce il consenso: un consenso generale non "
                "è ammesso.",
            ),
        ),
    ]
