"""A fiche's history: every recorded change to the fiche, its budgets, budget lines, parts and indicator values, with
who, when, and each field before and after. Six queries whatever the length of the history (django-simple-history
rows, compared in Python)."""

from collections import defaultdict
from dataclasses import dataclass, field

from actions.models import Fiche
from budgets.models import Budget, LigneBudget, Part
from core.money import format_euros
from core.templatetags.formats import date_fr
from indicateurs.models import Indicateur, ValeurIndicateur

IGNORES = {"id", "version", "history_id", "history_date", "history_user", "history_type", "history_change_reason"}
# Derived from another field: shown through it.
DERIVES = {
    ValeurIndicateur: {"type", "nombre", "unite", "code", "qualificatif", "ordre_dimension"},
}
TYPES = {"+": "Création", "~": "Modification", "-": "Suppression"}


@dataclass
class ChampModifie:
    libelle: str
    avant: str
    apres: str


@dataclass
class Changement:
    date: object
    auteur: object
    type: str
    objet: str
    raison: str
    champs: list = field(default_factory=list)

    @property
    def qui(self):
        if self.auteur is None:
            return "chargement des données" if self.raison else "—"
        return self.auteur.get_full_name() or self.auteur.email

    @property
    def libelle_type(self):
        return TYPES.get(self.type, self.type)


def _affiche(champ, valeur):
    if valeur is None or valeur == "":
        return "—"
    if getattr(champ, "choices", None):
        return str(dict(champ.choices).get(valeur, valeur))
    if champ.get_internal_type() == "DecimalField" and champ.decimal_places == 2:
        return format_euros(valeur)
    if champ.get_internal_type() == "DateField":
        return date_fr(valeur)
    return str(valeur)


def _champs(modele):
    derives = DERIVES.get(modele, set())
    return [
        f
        for f in modele._meta.concrete_fields
        if f.name not in IGNORES and f.name not in derives and f.editable and not f.is_relation
    ]


def _changements(modele, enregistrements, decrire):
    """Each recorded change of each object, with the fields it changed (simple-history's `diff_against`)."""
    champs = {champ.name: champ for champ in _champs(modele)}
    par_objet = defaultdict(list)
    for enregistrement in enregistrements:
        par_objet[enregistrement.id].append(enregistrement)
    changements = []
    for versions in par_objet.values():
        versions.sort(key=lambda r: (r.history_date, r.history_id))
        precedent = None
        for version in versions:
            if precedent is not None:
                delta = version.diff_against(precedent, included_fields=list(champs))
                modifies = [
                    ChampModifie(
                        str(champs[c.field].verbose_name),
                        _affiche(champs[c.field], c.old),
                        _affiche(champs[c.field], c.new),
                    )
                    for c in sorted(delta.changes, key=lambda c: list(champs).index(c.field))
                ]
            else:  # a creation, or the first record of a history started later: what it holds
                modifies = [
                    ChampModifie(str(champ.verbose_name), "—", _affiche(champ, getattr(version, champ.attname)))
                    for champ in champs.values()
                    if getattr(version, champ.attname) not in (None, "")
                ]
            if version.history_type == "~" and precedent is not None and not modifies:
                precedent = version
                continue  # a save that changed nothing visible
            changements.append(
                Changement(
                    date=version.history_date,
                    auteur=version.history_user,
                    type=version.history_type,
                    objet=decrire(version),
                    raison=version.history_change_reason or "",
                    champs=modifies,
                )
            )
            precedent = version
    return changements


def historique_fiche(fiche) -> list[Changement]:
    """Newest first."""
    budgets = list(Budget.history.filter(fiche_id=fiche.pk).select_related("history_user"))
    natures = {b.id: b.get_nature_display() for b in budgets}
    budget_ids = list(natures)
    lignes = list(LigneBudget.history.filter(budget_id__in=budget_ids).select_related("history_user"))
    libelles_lignes = {}
    for ligne in sorted(lignes, key=lambda r: r.history_date):
        libelles_lignes[ligne.id] = ligne.libelle
    indicateurs = {
        i.pk: i for i in Indicateur.objects.filter(tableau__fiches=fiche).select_related("tableau").distinct()
    }
    valeurs = ValeurIndicateur.history.filter(indicateur_id__in=list(indicateurs)).select_related(
        "history_user", "jalon"
    )

    def court(texte, n=60):
        texte = " ".join((texte or "").split())
        return texte if len(texte) <= n else texte[: n - 1] + "…"

    def valeur(r):
        indicateur = indicateurs.get(r.indicateur_id)
        nom = court(str(indicateur.libelle)) if indicateur else "indicateur supprimé"
        dimension = f", {r.dimension}" if r.dimension else ""
        return f"Indicateur « {nom} » – {r.jalon.libelle}{dimension}"

    changements = []
    changements += _changements(
        Fiche, Fiche.history.filter(id=fiche.pk).select_related("history_user"), lambda r: "Fiche"
    )
    changements += _changements(Budget, budgets, lambda r: natures.get(r.id, "Budget"))
    changements += _changements(
        LigneBudget,
        lignes,
        lambda r: f"{natures.get(r.budget_id, 'Budget')}, ligne « {court(libelles_lignes.get(r.id, r.libelle))} »",
    )
    changements += _changements(
        Part,
        Part.history.filter(budget_id__in=budget_ids).select_related("history_user"),
        lambda r: f"{natures.get(r.budget_id, 'Budget')}, {_nom_part(r)}",
    )
    changements += _changements(ValeurIndicateur, valeurs, valeur)
    changements.sort(key=lambda c: c.date, reverse=True)
    return changements


def _nom_part(part) -> str:
    """« part État », or the part's own label when it says it (« Part CeA pour le Haut-Rhin »): never « part Part »."""
    nom = part.libelle or part.get_financeur_display()
    return nom if nom.lower().startswith("part") else f"part {nom}"
