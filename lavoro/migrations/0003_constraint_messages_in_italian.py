# Italian messages for every constraint violation (no database change).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lavoro', '0002_contactrequest_shortlistentry'),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name='contactrequest',
            name='contact_request_unique',
            constraint=models.UniqueConstraint(fields=('offer', 'person'), name='contact_request_unique', violation_error_message='Hai già chiesto di contattare questo candidato per questa offerta.'),
        ),
        migrations.AlterConstraint(
            model_name='convention',
            name='convention_dates_ordered',
            constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='convention_dates_ordered', violation_error_message="La fine della convenzione non può precedere l'inizio."),
        ),
        migrations.AlterConstraint(
            model_name='course',
            name='course_seats_not_exceeded',
            constraint=models.CheckConstraint(condition=models.Q(('seats_taken__lte', models.F('seats'))), name='course_seats_not_exceeded', violation_error_message='I posti del corso sono esauriti.'),
        ),
        migrations.AlterConstraint(
            model_name='course',
            name='course_dates_ordered',
            constraint=models.CheckConstraint(condition=models.Q(('start_date__isnull', True), ('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='course_dates_ordered', violation_error_message='La data di fine del corso non può precedere la data di inizio.'),
        ),
        migrations.AlterConstraint(
            model_name='courseskill',
            name='course_skill_unique',
            constraint=models.UniqueConstraint(fields=('course', 'concept'), name='course_skill_unique', violation_error_message='Questa competenza è già nel corso.'),
        ),
        migrations.AlterConstraint(
            model_name='joboffer',
            name='offer_positions_positive',
            constraint=models.CheckConstraint(condition=models.Q(('positions__gte', 1)), name='offer_positions_positive', violation_error_message='Serve almeno un posto disponibile.'),
        ),
        migrations.AlterConstraint(
            model_name='joboffer',
            name='offer_weekly_hours_range',
            constraint=models.CheckConstraint(condition=models.Q(('weekly_hours__isnull', True), ('weekly_hours__lte', 48), _connector='OR'), name='offer_weekly_hours_range', violation_error_message='Al massimo 48 ore settimanali.'),
        ),
        migrations.AlterConstraint(
            model_name='offerskill',
            name='offer_skill_unique',
            constraint=models.UniqueConstraint(fields=('offer', 'concept'), name='offer_skill_unique', violation_error_message="Questa competenza è già nell'offerta."),
        ),
        migrations.AlterConstraint(
            model_name='placement',
            name='placement_places_not_exceeded',
            constraint=models.CheckConstraint(condition=models.Q(('places_taken__lte', models.F('places'))), name='placement_places_not_exceeded', violation_error_message='I posti disponibili sono esauriti.'),
        ),
        migrations.AlterConstraint(
            model_name='proposal',
            name='proposal_exactly_one_target',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('course__isnull', True), ('offer__isnull', False), ('placement__isnull', True)), models.Q(('course__isnull', False), ('offer__isnull', True), ('placement__isnull', True)), models.Q(('course__isnull', True), ('offer__isnull', True), ('placement__isnull', False)), _connector='OR'), name='proposal_exactly_one_target', violation_error_message="Una proposta riguarda una sola opportunità: un'offerta, un corso o un posto."),
        ),
        migrations.AlterConstraint(
            model_name='proposal',
            name='proposal_unique_offer',
            constraint=models.UniqueConstraint(condition=models.Q(('offer__isnull', False)), fields=('person', 'offer'), name='proposal_unique_offer', violation_error_message='La persona è già stata proposta per questa offerta.'),
        ),
        migrations.AlterConstraint(
            model_name='proposal',
            name='proposal_unique_course',
            constraint=models.UniqueConstraint(condition=models.Q(('course__isnull', False)), fields=('person', 'course'), name='proposal_unique_course', violation_error_message='La persona è già stata proposta per questo corso.'),
        ),
        migrations.AlterConstraint(
            model_name='proposal',
            name='proposal_unique_placement',
            constraint=models.UniqueConstraint(condition=models.Q(('placement__isnull', False)), fields=('person', 'placement'), name='proposal_unique_placement', violation_error_message='La persona è già stata proposta per questo posto.'),
        ),
        migrations.AlterConstraint(
            model_name='shortlistentry',
            name='shortlist_unique',
            constraint=models.UniqueConstraint(fields=('offer', 'person'), name='shortlist_unique', violation_error_message='Il candidato è già nella selezione di questa offerta.'),
        ),
    ]
