import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from calpae.money import format_euros


def _badge(texte, niveau):
    return format_html('<p class="fr-badge fr-badge--{} fr-badge--sm fr-badge--no-icon">{}</p>', niveau, texte)


class FichesTable(tables.Table):
    """The fiches of an exercice (rows are actions.suivi.SuiviFiche: figures computed once for the page)."""

    numero = tables.Column("N°", accessor="fiche__numero", order_by=("fiche__ordre",))
    titre = tables.Column("Titre", accessor="fiche__titre")
    groupe = tables.Column("Groupe", accessor="fiche__groupe__code")
    theme = tables.Column("Thème", accessor="fiche__theme", default="")
    total = tables.Column("Total prévu", accessor="montants__total", attrs={"td": {"class": "calpae-montant"}})
    etat = tables.Column("Part État", accessor="montants__etat", attrs={"td": {"class": "calpae-montant"}})
    collectivite = tables.Column(
        "Part collectivité", accessor="montants__collectivite", attrs={"td": {"class": "calpae-montant"}}
    )
    parite = tables.Column("Parité", accessor="parite")
    alertes = tables.Column("Alertes", accessor="nb_alertes")
    complete = tables.Column("Complétude", accessor="complete")

    class Meta:
        template_name = "django_tables2/dsfr.html"
        orderable = True
        empty_text = "Aucune fiche ne correspond à ces critères."
        attrs = {"class": "calpae-fiches"}

    def render_numero(self, record, value):
        return format_html('<a href="{}">{}</a>', reverse("actions:fiche", args=[record.fiche.public_id]), value)

    def render_titre(self, record, value):
        return format_html('<a href="{}">{}</a>', reverse("actions:fiche", args=[record.fiche.public_id]), value)

    def render_total(self, value):
        return format_euros(value)

    def render_etat(self, value):
        return format_euros(value)

    def render_collectivite(self, record, value):
        if "collectivite" in record.montants.sans_montant:
            return "non chiffrée"
        return format_euros(value)

    def render_parite(self, value):
        return _badge("Respectée", "success") if value else _badge("Non respectée", "error")

    def render_alertes(self, value):
        return _badge(f"{value} alerte{'s' if value > 1 else ''}", "warning") if value else "–"

    def render_complete(self, record, value):
        if value:
            return _badge("Complète", "success")
        return format_html(
            '<p class="fr-badge fr-badge--info fr-badge--sm fr-badge--no-icon">À compléter</p>'
            '<span class="fr-hint-text">{}</span>',
            ", ".join(record.a_faire),
        )
