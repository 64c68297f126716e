# Italian messages for every constraint violation (no database change).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('competenze', '0002_interviews'),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name='concept',
            name='concept_code_unique',
            constraint=models.UniqueConstraint(fields=('framework', 'code'), name='concept_code_unique', violation_error_message='Esiste già un concetto con questo codice nel quadro.'),
        ),
        migrations.AlterConstraint(
            model_name='concept',
            name='concept_eqf_level_range',
            constraint=models.CheckConstraint(condition=models.Q(('eqf_level__isnull', True), models.Q(('eqf_level__gte', 1), ('eqf_level__lte', 8)), _connector='OR'), name='concept_eqf_level_range', violation_error_message='Il livello EQF va da 1 a 8.'),
        ),
        migrations.AlterConstraint(
            model_name='concept',
            name='concept_not_own_parent',
            constraint=models.CheckConstraint(condition=models.Q(('parent', models.F('id')), _negated=True), name='concept_not_own_parent', violation_error_message='Un concetto non può essere il padre di se stesso.'),
        ),
        migrations.AlterConstraint(
            model_name='conceptexternalcode',
            name='external_code_unique',
            constraint=models.UniqueConstraint(fields=('concept', 'system', 'code'), name='external_code_unique', violation_error_message='Questo codice esterno è già associato al concetto.'),
        ),
        migrations.AlterConstraint(
            model_name='conceptrelation',
            name='relation_unique',
            constraint=models.UniqueConstraint(fields=('source', 'target'), name='relation_unique', violation_error_message='Questa relazione tra concetti esiste già.'),
        ),
        migrations.AlterConstraint(
            model_name='conceptrelation',
            name='relation_not_self',
            constraint=models.CheckConstraint(condition=models.Q(('source', models.F('target')), _negated=True), name='relation_not_self', violation_error_message='Un concetto non può essere in relazione con se stesso.'),
        ),
        migrations.AlterConstraint(
            model_name='consent',
            name='consent_revoked_after_given',
            constraint=models.CheckConstraint(condition=models.Q(('revoked_at__isnull', True), ('revoked_at__gte', models.F('given_at')), _connector='OR'), name='consent_revoked_after_given', violation_error_message='La revoca non può precedere il consenso.'),
        ),
        migrations.AlterConstraint(
            model_name='experience',
            name='experience_dates_ordered',
            constraint=models.CheckConstraint(condition=models.Q(('start_date__isnull', True), ('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='experience_dates_ordered', violation_error_message="La data di fine dell'esperienza non può precedere la data di inizio."),
        ),
        migrations.AlterConstraint(
            model_name='framework',
            name='framework_code_version',
            constraint=models.UniqueConstraint(fields=('code', 'version'), name='framework_code_version', violation_error_message='Esiste già un quadro delle competenze con questo codice e questa versione.'),
        ),
        migrations.AlterConstraint(
            model_name='framework',
            name='framework_single_default',
            constraint=models.UniqueConstraint(condition=models.Q(('is_default', True)), fields=('is_default',), name='framework_single_default', violation_error_message='Può esserci un solo quadro delle competenze predefinito.'),
        ),
        migrations.AlterConstraint(
            model_name='interview',
            name='interview_one_open_per_template',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'in_corso')), fields=('person', 'template'), name='interview_one_open_per_template', violation_error_message="C'è già un colloquio in corso con questa traccia per la persona."),
        ),
        migrations.AlterConstraint(
            model_name='interview',
            name='interview_completed_after_start',
            constraint=models.CheckConstraint(condition=models.Q(('completed_at__isnull', True), ('completed_at__gte', models.F('started_at')), _connector='OR'), name='interview_completed_after_start', violation_error_message='Un colloquio non può finire prima di essere iniziato.'),
        ),
        migrations.AlterConstraint(
            model_name='interview',
            name='interview_completed_has_date',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'completato'), _negated=True), ('completed_at__isnull', False), _connector='OR'), name='interview_completed_has_date', violation_error_message='Un colloquio completato deve avere la data di completamento.'),
        ),
        migrations.AlterConstraint(
            model_name='interviewanswer',
            name='interview_answer_unique',
            constraint=models.UniqueConstraint(fields=('interview', 'question_id'), name='interview_answer_unique', violation_error_message='Questa domanda ha già una risposta nel colloquio.'),
        ),
        migrations.AlterConstraint(
            model_name='interviewanswer',
            name='interview_answer_skipped_is_empty',
            constraint=models.CheckConstraint(condition=models.Q(('skipped', False), models.Q(('text', ''), ('value__isnull', True)), _connector='OR'), name='interview_answer_skipped_is_empty', violation_error_message='Una domanda saltata non può avere una risposta.'),
        ),
        migrations.AlterConstraint(
            model_name='interviewtemplate',
            name='interview_template_version',
            constraint=models.UniqueConstraint(fields=('code', 'version'), name='interview_template_version', violation_error_message='Esiste già una traccia di colloquio con questo codice e questa versione.'),
        ),
        migrations.AlterConstraint(
            model_name='interviewtemplate',
            name='interview_template_version_positive',
            constraint=models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='interview_template_version_positive', violation_error_message='La versione della traccia parte da 1.'),
        ),
        migrations.AlterConstraint(
            model_name='judicialmeasure',
            name='measure_dates_ordered',
            constraint=models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='measure_dates_ordered', violation_error_message='La data di fine della misura non può precedere la data di inizio.'),
        ),
        migrations.AlterConstraint(
            model_name='judicialmeasure',
            name='measure_weekly_hours_range',
            constraint=models.CheckConstraint(condition=models.Q(('max_weekly_hours__isnull', True), ('max_weekly_hours__lte', 60), _connector='OR'), name='measure_weekly_hours_range', violation_error_message='Al massimo 60 ore settimanali.'),
        ),
        migrations.AlterConstraint(
            model_name='person',
            name='person_weekly_hours_range',
            constraint=models.CheckConstraint(condition=models.Q(('weekly_hours_available__isnull', True), ('weekly_hours_available__lte', 60), _connector='OR'), name='person_weekly_hours_range', violation_error_message='Al massimo 60 ore settimanali.'),
        ),
        migrations.AlterConstraint(
            model_name='personlanguage',
            name='person_language_unique',
            constraint=models.UniqueConstraint(fields=('person', 'language'), name='person_language_unique', violation_error_message='Questa lingua è già nel profilo della persona.'),
        ),
        migrations.AlterConstraint(
            model_name='sector',
            name='sector_code_unique',
            constraint=models.UniqueConstraint(fields=('framework', 'code'), name='sector_code_unique', violation_error_message='Esiste già un settore con questo codice nel quadro.'),
        ),
        migrations.AlterConstraint(
            model_name='skillentry',
            name='skill_entry_unique',
            constraint=models.UniqueConstraint(fields=('person', 'concept'), name='skill_entry_unique', violation_error_message='Questa competenza è già nel profilo.'),
        ),
        migrations.AlterConstraint(
            model_name='skillentry',
            name='skill_entry_confidence_range',
            constraint=models.CheckConstraint(condition=models.Q(('confidence__isnull', True), models.Q(('confidence__gte', 0), ('confidence__lte', 1)), _connector='OR'), name='skill_entry_confidence_range', violation_error_message='La confidenza va da 0 a 1.'),
        ),
        migrations.AlterConstraint(
            model_name='skillentry',
            name='skill_entry_level_range',
            constraint=models.CheckConstraint(condition=models.Q(('level__gte', 1), ('level__lte', 4)), name='skill_entry_level_range', violation_error_message='Il livello va da 1 a 4.'),
        ),
        migrations.AlterConstraint(
            model_name='skillsuggestion',
            name='suggestion_unique',
            constraint=models.UniqueConstraint(fields=('answer', 'concept'), name='suggestion_unique', violation_error_message='Questa competenza è già stata suggerita per la risposta.'),
        ),
        migrations.AlterConstraint(
            model_name='skillsuggestion',
            name='suggestion_score_range',
            constraint=models.CheckConstraint(condition=models.Q(('score__gte', 0), ('score__lte', 1)), name='suggestion_score_range', violation_error_message='Il punteggio del suggerimento va da 0 a 1.'),
        ),
        migrations.AlterConstraint(
            model_name='skillsuggestion',
            name='suggestion_span_ordered',
            constraint=models.CheckConstraint(condition=models.Q(('start__lte', models.F('end'))), name='suggestion_span_ordered', violation_error_message='Il brano del suggerimento non è valido.'),
        ),
        migrations.AlterConstraint(
            model_name='skillsuggestion',
            name='suggestion_level_range',
            constraint=models.CheckConstraint(condition=models.Q(('level__isnull', True), models.Q(('level__gte', 1), ('level__lte', 4)), _connector='OR'), name='suggestion_level_range', violation_error_message='Il livello va da 1 a 4.'),
        ),
        migrations.AlterConstraint(
            model_name='skillsuggestion',
            name='suggestion_decision_dated',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'proposta'), ('decided_at__isnull', False), _connector='OR'), name='suggestion_decision_dated', violation_error_message='Una decisione sul suggerimento deve avere la data.'),
        ),
    ]
