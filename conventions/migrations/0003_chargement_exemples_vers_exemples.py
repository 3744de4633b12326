# The seed loader's record moves to the app of the seed loader (exemples); its table stays as it is.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("conventions", "0002_configuration_dsfr"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ChargementExemples")],
            database_operations=[],
        ),
    ]
