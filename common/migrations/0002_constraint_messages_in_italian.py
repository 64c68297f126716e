# Italian messages for every constraint violation (no database change).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('common', '0001_initial'),
    ]

    operations = [
        migrations.AlterConstraint(
            model_name='municipality',
            name='municipality_coordinates_valid',
            constraint=models.CheckConstraint(condition=models.Q(('latitude__gte', -90), ('latitude__lte', 90), ('longitude__gte', -180), ('longitude__lte', 180)), name='municipality_coordinates_valid', violation_error_message='Le coordinate del comune non sono valide.'),
        ),
        migrations.AlterConstraint(
            model_name='user',
            name='user_role_needs_organisation',
            constraint=models.CheckConstraint(condition=models.Q(('role__in', ['beneficiario', 'amministratore']), ('organisation__isnull', False), _connector='OR'), name='user_role_needs_organisation', violation_error_message="Un utente con questo ruolo deve appartenere a un'organizzazione."),
        ),
    ]
