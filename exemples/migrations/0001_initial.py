# ChargementExemples, moved from conventions: the table conventions_chargementexemples exists already.

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("conventions", "0003_chargement_exemples_vers_exemples"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ChargementExemples",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("empreinte", models.CharField(max_length=64, verbose_name="empreinte des fichiers")),
                        ("charge_le", models.DateTimeField(auto_now=True, verbose_name="chargé le")),
                    ],
                    options={
                        "verbose_name": "chargement des données d'exemple",
                        "verbose_name_plural": "chargements des données d'exemple",
                        "db_table": "conventions_chargementexemples",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
