from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("competenze", "0007_idvcc_stage_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="language",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Codice ISO 639-1 di una lingua di Ponte (settings.LANGUAGES): le pagine "
                    "della persona e le domande del colloquio appaiono anche in questa lingua. "
                    "Vuoto: italiano."
                ),
                max_length=10,
                verbose_name="lingua della persona",
            ),
        ),
        migrations.AddField(
            model_name="interviewanswer",
            name="language",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Codice ISO 639-1 della lingua in cui la persona ha risposto (italiano o "
                    "la sua lingua); vuoto per le risposte registrate prima che si annotasse."
                ),
                max_length=10,
                verbose_name="lingua della risposta",
            ),
        ),
    ]
