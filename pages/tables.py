import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from core.money import format_euros

MONTANT = {"td": {"class": "calpae-montant"}}


def _badge(texte, niveau):
    return format_html('<p class="fr-badge fr-badge--{} fr-badge--sm fr-badge--no-icon">{}</p>', niveau, texte)


class RangeeFiche:
    """A row of the fiches table: its cells rendered once (no per-cell callbacks), its raw values for sorting."""

    def __init__(self, suivi):
        """`suivi`: the fiche in the read model (rapports.selectors.FicheLue)."""
        fiche = suivi.fiche
        self.suivi = suivi
        self.ordre = fiche.ordre
        lien = reverse("pages:fiche", args=[fiche.public_id])
        self.numero = format_html('<a href="{}">{}</a>', lien, fiche.numero)
        self.titre_brut = fiche.titre
        self.titre = format_html('<a href="{}">{}</a>', lien, fiche.titre)
        self.groupe = fiche.groupe.code
        self.theme = fiche.theme
        montants = suivi.montants
        self.total_brut, self.etat_brut, self.collectivite_brut = suivi.prevu, montants.etat, montants.collectivite
        self.total = render_to_string("pages/includes/prevu.html", {"chiffres": suivi.chiffres})
        self.etat = format_euros(montants.etat)
        self.collectivite = (
            "non chiffrée" if "collectivite" in montants.sans_montant else format_euros(montants.collectivite)
        )
        parite = suivi.chiffres.parite_jugee  # on the executed shares once they exist, else the planned ones
        self.parite_brute = -1 if parite is None else int(parite)
        if parite is None:
            self.parite = _badge("Non renseignée", "info")
        else:
            libelle = "Respectée" if parite else "Non respectée"
            self.parite = _badge(f"{libelle} ({suivi.chiffres.base_parite})", "success" if parite else "error")
        self.nb_alertes = suivi.nb_alertes
        n = suivi.nb_alertes
        self.alertes = _badge(ngettext("%(n)d alerte", "%(n)d alertes", n) % {"n": n}, "warning") if n else "–"
        self.complete_brut = suivi.complete
        if suivi.complete:
            self.complete = _badge("Complète", "success")
        else:
            self.complete = format_html(
                '<p class="fr-badge fr-badge--info fr-badge--sm fr-badge--no-icon">À compléter</p>'
                '<span class="fr-hint-text">{}</span>',
                ", ".join(suivi.a_faire),
            )


class FichesTable(tables.Table):
    """The fiches of an exercice (rows are RangeeFiche: figures computed once for the page by the read model)."""

    numero = tables.Column("N°", order_by=("ordre",))
    titre = tables.Column("Titre", order_by=("titre_brut",))
    groupe = tables.Column("Groupe")
    theme = tables.Column("Thème", default="")
    total = tables.Column("Total prévu", order_by=("total_brut",), attrs=MONTANT)
    etat = tables.Column("Part État", order_by=("etat_brut",), attrs=MONTANT)
    collectivite = tables.Column("Part collectivité", order_by=("collectivite_brut",), attrs=MONTANT)
    parite = tables.Column("Parité", order_by=("parite_brute",))
    alertes = tables.Column("Alertes", order_by=("nb_alertes",))
    complete = tables.Column("Complétude", order_by=("complete_brut",))

    class Meta:
        template_name = "django_tables2/dsfr.html"
        orderable = True
        empty_text = "Aucune fiche ne correspond à ces critères."
        attrs = {"class": "calpae-fiches"}
