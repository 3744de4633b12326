# One word, one concept: the report's overall text is its « bilan global » (« synthèse » is the synthesis table), and
# an event points to a transmitted version (« version » is the optimistic lock's counter).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("rapports", "0009_statut_libelles"),
    ]

    operations = [
        migrations.RenameField(model_name="rapport", old_name="synthese", new_name="bilan_global"),
        migrations.RenameField(model_name="historicalrapport", old_name="synthese", new_name="bilan_global"),
        migrations.RenameField(model_name="evenement", old_name="version", new_name="version_transmise"),
    ]
