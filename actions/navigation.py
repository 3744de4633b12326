"""Breadcrumbs of the pages under an exercice (the DSFR breadcrumb component's data)."""

from django.urls import reverse


def fil_d_ariane(exercice, *liens, courant):
    return {
        "links": [
            {"url": reverse("pages:exercice", args=[exercice.public_id]), "title": f"Exercice {exercice.libelle}"},
            *liens,
        ],
        "current": courant,
        "root_dir": "",
    }


def lien_fiches(exercice):
    return {"url": reverse("pages:fiches", args=[exercice.public_id]), "title": "Fiches"}


def lien_fiche(fiche):
    return {"url": reverse("pages:fiche", args=[fiche.public_id]), "title": fiche.designation}
