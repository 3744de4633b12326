# The report's workflow field is its "statut" (one word, one concept: "état" also names the State's share).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("rapports", "0007_pdf_prepare"),
    ]

    operations = [
        migrations.RenameField(model_name="rapport", old_name="etat", new_name="statut"),
        migrations.RenameField(model_name="historicalrapport", old_name="etat", new_name="statut"),
        migrations.RenameField(model_name="evenement", old_name="etat_avant", new_name="statut_avant"),
        migrations.RenameField(model_name="evenement", old_name="etat_apres", new_name="statut_apres"),
    ]
