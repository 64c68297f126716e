"""IDVCC stages become records: requests, append-only stage records, issued credentials.

Before this migration a counsellor could move an entry to «validata» or «certificata» with
one click (`skill_entry_set_stage` only checked that the user could edit the person), so no
existing validated or certified entry rests on an assessment: none has a record saying who
assessed which evidence, with which method, or which attestation certifies it. Each such
entry is demoted to what its records support, which for all of them is «individuata»
(identification needs no more than the counsellor who recorded it). The demotion is not
silent: every demoted entry gets a StageRecord of kind «declassamento» by the system (no
actor) with the reason in its note, and an audit row (no actor: the migration did it). The
counsellor can then ask an assessor, or a certifying body, to do the stage properly.
Going back keeps the demoted stages (the records that explain them go with the tables).
"""

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

DEMOTION_NOTE = (
    "Fase riportata a «individuata» dal sistema: la fase «%s» era stata impostata senza la "
    "valutazione di un valutatore o l'attestazione di un ente titolato che la sostengano."
)
AUDIT_PURPOSE = "aggiornamento: fase IDVCC senza registro che la sostenga, riportata a individuata"
CHUNK = 500


def demote_unsupported_stages(apps, schema_editor):
    SkillEntry = apps.get_model("competenze", "SkillEntry")
    StageRecord = apps.get_model("competenze", "StageRecord")
    AccessLog = apps.get_model("common", "AccessLog")
    rows = list(
        SkillEntry.objects.filter(stage__in=["validata", "certificata"])
        .order_by("pk")
        .values_list("pk", "stage", "person__pseudonym")
    )
    now = timezone.now()
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        StageRecord.objects.bulk_create(
            StageRecord(entry_id=pk, kind="declassamento", outcome="positivo",
                        stage_before=stage, stage_after="individuata", actor=None,
                        note=DEMOTION_NOTE % stage, at=now)
            for pk, stage, _pseudonym in chunk
        )
        SkillEntry.objects.filter(pk__in=[pk for pk, _s, _p in chunk]).update(
            stage="individuata", stage_changed_by=None, stage_changed_at=now
        )
        AccessLog.objects.bulk_create(
            AccessLog(actor=None, actor_role="", action="update", subject=pseudonym,
                      data_category="fasi_idvcc", purpose=AUDIT_PURPOSE)
            for _pk, _stage, pseudonym in chunk
        )


class Migration(migrations.Migration):

    dependencies = [
        ('common', '0006_user_roles_assessor_certifier'),
        ('competenze', '0006_interview_cards_and_batches'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='evidence',
            name='kind',
            field=models.CharField(choices=[('attestato', 'Attestato o certificato'), ('dichiarazione', 'Dichiarazione del datore'), ('prodotto', 'Prodotto o campione di lavoro'), ('colloquio', 'Risposta al colloquio'), ('osservazione', 'Scheda di osservazione del valutatore'), ('prova', 'Esito di una prova pratica'), ('altro', 'Altro')], max_length=15, verbose_name='tipo'),
        ),
        migrations.CreateModel(
            name='StageRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stage', models.CharField(choices=[('validata', 'Validata'), ('certificata', 'Certificata')], max_length=12, verbose_name='fase richiesta')),
                ('requested_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='richiesta il')),
                ('note', models.TextField(blank=True, verbose_name='nota per chi valuta')),
                ('status', models.CharField(choices=[('aperta', 'In attesa'), ('conclusa', 'Conclusa'), ('ritirata', 'Ritirata')], default='aperta', max_length=10, verbose_name='stato')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='chiusa il')),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='chiusa da')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stage_requests', to='competenze.skillentry')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stage_requests', to='common.organisation', verbose_name='ente a cui è rivolta')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='richiesta da')),
            ],
            options={
                'verbose_name': 'richiesta di validazione o certificazione',
                'verbose_name_plural': 'richieste di validazione o certificazione',
                'ordering': ['requested_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='StageRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('individuazione', 'Individuazione'), ('validazione', 'Validazione'), ('certificazione', 'Certificazione'), ('revoca', 'Revoca'), ('declassamento', "Declassamento d'ufficio")], max_length=15, verbose_name='tipo')),
                ('outcome', models.CharField(choices=[('positivo', 'Positivo'), ('negativo', 'Negativo')], default='positivo', max_length=10, verbose_name='esito')),
                ('stage_before', models.CharField(choices=[('individuata', 'Individuata'), ('validata', 'Validata'), ('certificata', 'Certificata')], max_length=12, verbose_name='fase prima')),
                ('stage_after', models.CharField(choices=[('individuata', 'Individuata'), ('validata', 'Validata'), ('certificata', 'Certificata')], max_length=12, verbose_name='fase dopo')),
                ('actor_username', models.CharField(blank=True, max_length=150, verbose_name='nome utente')),
                ('actor_name', models.CharField(blank=True, max_length=300, verbose_name='nome e cognome')),
                ('actor_role', models.CharField(blank=True, max_length=20, verbose_name='ruolo')),
                ('method', models.CharField(blank=True, choices=[('documentale', 'Analisi documentale'), ('osservazione', 'Osservazione sul lavoro'), ('prova_pratica', 'Prova pratica'), ('colloquio_tecnico', 'Colloquio tecnico')], max_length=20, verbose_name='metodo')),
                ('note', models.TextField(blank=True, verbose_name='nota')),
                ('attestation_number', models.CharField(blank=True, max_length=60, verbose_name="numero dell'attestazione")),
                ('attestation_date', models.DateField(blank=True, null=True, verbose_name="data dell'attestazione")),
                ('attestation_issuer', models.CharField(blank=True, max_length=200, verbose_name='rilasciata da')),
                ('attestation_standard', models.CharField(blank=True, max_length=300, verbose_name='qualificazione o standard di riferimento')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='quando')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='chi')),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stage_records', to='competenze.skillentry')),
                ('evidences', models.ManyToManyField(blank=True, related_name='stage_records', to='competenze.evidence', verbose_name='evidenze usate')),
                ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='stage_records', to='common.organisation', verbose_name='ente')),
                ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='records', to='competenze.stagerequest', verbose_name='richiesta')),
            ],
            options={
                'verbose_name': 'registro di fase IDVCC',
                'verbose_name_plural': 'registri delle fasi IDVCC',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='IssuedCredential',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('status_list', models.PositiveIntegerField(default=1, verbose_name='lista di revoca')),
                ('status_index', models.PositiveIntegerField(verbose_name='posizione nella lista di revoca')),
                ('kid', models.CharField(max_length=100, verbose_name='chiave di firma')),
                ('token', models.TextField(verbose_name='credenziale firmata (VC-JWT)')),
                ('issued_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='emessa il')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revocata il')),
                ('revocation_reason', models.CharField(blank=True, max_length=300, verbose_name='motivo della revoca')),
                ('entry', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='credentials', to='competenze.skillentry')),
                ('issued_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('record', models.OneToOneField(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='credential', to='competenze.stagerecord')),
            ],
            options={
                'verbose_name': 'credenziale emessa',
                'verbose_name_plural': 'credenziali emesse',
                'ordering': ['issued_at'],
                'constraints': [models.UniqueConstraint(fields=('status_list', 'status_index'), name='credential_status_slot')],
            },
        ),
        migrations.AddConstraint(
            model_name='stagerequest',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'aperta')), fields=('entry', 'stage'), name='stage_request_one_open'),
        ),
        migrations.AddConstraint(
            model_name='stagerequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('closed_at__isnull', True), ('status', 'aperta')), models.Q(models.Q(('status', 'aperta'), _negated=True), ('closed_at__isnull', False)), _connector='OR'), name='stage_request_closed_when_not_open'),
        ),
        migrations.AddIndex(
            model_name='stagerecord',
            index=models.Index(fields=['entry', 'at'], name='stage_record_entry_at'),
        ),
        migrations.AddConstraint(
            model_name='stagerecord',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ['validazione', 'certificazione']), _negated=True), models.Q(('method', ''), _negated=True), _connector='OR'), name='stage_record_assessment_has_method'),
        ),
        migrations.AddConstraint(
            model_name='stagerecord',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'certificazione'), ('outcome', 'positivo'), _negated=True), models.Q(models.Q(('attestation_number', ''), _negated=True), ('attestation_date__isnull', False), models.Q(('attestation_issuer', ''), _negated=True), models.Q(('attestation_standard', ''), _negated=True)), _connector='OR'), name='stage_record_certification_attested'),
        ),
        migrations.AddConstraint(
            model_name='stagerecord',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ['revoca', 'declassamento']), _negated=True), models.Q(('note', ''), _negated=True), _connector='OR'), name='stage_record_downgrade_explained'),
        ),
        migrations.AddConstraint(
            model_name='stagerecord',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('outcome', 'negativo'), _negated=True), ('stage_after', models.F('stage_before')), _connector='OR'), name='stage_record_negative_changes_nothing'),
        ),
        migrations.RunPython(demote_unsupported_stages, migrations.RunPython.noop, elidable=False),
    ]
