import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from core.money import format_euros, format_number_fr
from rapports.enums import StatutRapport

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


def _euros_ou_tiret(valeur):
    return "–" if valeur is None else format_euros(valeur)


def _cellule_collectivite(r):
    collectivite = r.exercice.convention.collectivite
    fictives = _badge("données fictives", "new") if collectivite.donnees_fictives else ""
    return format_html(
        '{} <span class="fr-hint-text">{}</span>{}', collectivite.nom_court, collectivite.code_insee, fictives
    )


def _cellule_statut(r):
    libelle = StatutRapport(r.statut).label if r.statut else "Non commencé"
    if r.transmis_le:
        libelle = f"{libelle} (transmis le {r.transmis_le:%d/%m/%Y})"
    return format_html("{}{}", libelle, _badge("transmis en retard", "warning") if r.transmis_en_retard else "")


def _cellule_credit(r):
    n = r.nb_fiches_non_justifiees
    if not n:
        return format_euros(r.credit_non_consomme)
    detail = ngettext("dont %(n)d fiche non justifiée", "dont %(n)d fiches non justifiées", n) % {"n": n}
    return format_html('{}<span class="fr-hint-text">{}</span>', format_euros(r.credit_non_consomme), detail)


def _cellule_alertes(r):
    n = r.nb_alertes + (1 if r.en_retard else 0)  # the deadline's warning depends on the day: not stored
    return _badge(ngettext("%(n)d alerte", "%(n)d alertes", n) % {"n": n}, "warning") if n else "–"


# The cells of a /pilotage/ row (rapports.ResumeExercice annotated with `en_retard`), by column, rendered in one pass
# per row (`PilotageTable.rangees`): a hundred rows × 13 cells through django-tables2's per-cell machinery cost
# more than the rest of the page.
CELLULES_PILOTAGE = {
    "collectivite": _cellule_collectivite,
    "region": lambda r: (
        r.exercice.convention.collectivite.region.nom if r.exercice.convention.collectivite.region else "–"
    ),
    "exercice": lambda r: format_html(
        '<a href="{}">{}</a>', reverse("pages:exercice", args=[r.exercice.public_id]), r.exercice.libelle
    ),
    "statut": _cellule_statut,
    "date_limite": lambda r: format_html(
        "{} {}", r.date_limite.strftime("%d/%m/%Y"), _badge("retard", "error") if r.en_retard else ""
    ),
    "part_etat": lambda r: format_euros(r.part_etat),
    "execute_etat": lambda r: _euros_ou_tiret(r.execute_etat),
    "part_collectivite": lambda r: format_euros(r.part_collectivite),
    "execute_collectivite": lambda r: _euros_ou_tiret(r.execute_collectivite),
    "taux_execution": lambda r: "–" if r.taux_execution is None else f"{format_number_fr(r.taux_execution, 1)}\u00a0%",
    "parite": lambda r: _badge("Respectée", "success") if r.parite else _badge("Non respectée", "error"),
    "nb_alertes": _cellule_alertes,
    "credit_non_consomme": _cellule_credit,
}


class PilotageTable(tables.Table):
    """/pilotage/: one row per collectivité's current exercice (rapports.ResumeExercice annotated with `en_retard`),
    sorted in SQL (each column's `order_by` is a database field); the header is django-tables2's, the rows are
    rendered by `rangees` (CELLULES_PILOTAGE)."""

    collectivite = tables.Column("Collectivité", accessor="exercice__convention__collectivite__nom_court")
    region = tables.Column("Région", accessor="exercice__convention__collectivite__region__nom")
    exercice = tables.Column("Exercice", accessor="exercice__libelle", order_by=("exercice__date_debut",))
    statut = tables.Column("Rapport")
    date_limite = tables.Column("Date limite")
    part_etat = tables.Column("Part État prévue", attrs=MONTANT)
    execute_etat = tables.Column("Part État exécutée", attrs=MONTANT)
    part_collectivite = tables.Column("Part collectivité prévue", attrs=MONTANT)
    execute_collectivite = tables.Column("Part collectivité exécutée", attrs=MONTANT)
    taux_execution = tables.Column("Taux d'exécution", attrs=MONTANT)
    parite = tables.Column("Parité")
    nb_alertes = tables.Column("Alertes")
    credit_non_consomme = tables.Column("Crédit État non consommé", attrs=MONTANT)

    class Meta:
        template_name = "pages/includes/table_pilotage.html"
        orderable = True
        empty_text = "Aucun exercice ne correspond à ces critères."
        attrs = {"class": "calpae-pilotage"}

    def rangees(self):
        """Each row's HTML, in the table's (SQL) order: its collectivité as the row's header."""
        montants = {"part_etat", "execute_etat", "part_collectivite", "execute_collectivite", "taux_execution"}
        montants.add("credit_non_consomme")
        lignes = []
        for r in self.data:
            cellules = [
                format_html('<th scope="row">{}</th>', fonction(r))
                if nom == "collectivite"
                else format_html('<td class="calpae-montant">{}</td>', fonction(r))
                if nom in montants
                else format_html("<td>{}</td>", fonction(r))
                for nom, fonction in CELLULES_PILOTAGE.items()
            ]
            lignes.append(format_html("<tr>{}</tr>", mark_safe("".join(cellules))))  # noqa: S308 - escaped above
        return lignes
