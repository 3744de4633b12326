from django.db import migrations


def creer_configuration(apps, schema_editor):
    DsfrConfig = apps.get_model("dsfr", "DsfrConfig")
    DsfrConfig.objects.get_or_create(
        language="fr",
        defaults={
            "site_title": "CALPAE",
            "site_tagline": "Conventions d'appui à la lutte contre la pauvreté et d'accès à l'emploi",
            "header_brand_html": "République<br>française",
            "footer_brand_html": "République<br>française",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("conventions", "0001_initial"),
        ("dsfr", "0012_dsfrconfig_notice_description_and_more"),
    ]

    operations = [migrations.RunPython(creer_configuration, migrations.RunPython.noop)]
