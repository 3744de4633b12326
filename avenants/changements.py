"""What an avenant changes against the exercice before it, fiche by fiche through the lineage: fiches added, ended
(not carried forward), renumbered; each planned amount and party's share with its delta; totals and parity before
and after. Both exercices are read through the read model (rapports.selectors)."""

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass
class ChangementFiche:
    avant: object  # rapports.selectors.FicheLue, or None for a fiche added by the avenant
    apres: object  # FicheLue, or None for a fiche the avenant does not carry forward

    @property
    def fiche(self):
        return (self.apres or self.avant).fiche

    @property
    def nature(self) -> str:
        if self.avant is None:
            return "ajoutée"
        if self.apres is None:
            return "arrêtée"
        if self.avant.fiche.numero != self.apres.fiche.numero:
            return "renumérotée"
        if self.deltas != (ZERO, ZERO, ZERO) or self.avant.fiche.titre != self.apres.fiche.titre:
            return "modifiée"
        return "inchangée"

    def _montants(self, fiche_lue):
        if fiche_lue is None:
            return (ZERO, ZERO, ZERO)
        return (fiche_lue.prevu, fiche_lue.montants.etat, fiche_lue.montants.collectivite)

    @property
    def montants_avant(self):
        return self._montants(self.avant)

    @property
    def montants_apres(self):
        return self._montants(self.apres)

    @property
    def deltas(self):
        return tuple(a - b for a, b in zip(self.montants_apres, self.montants_avant, strict=True))


@dataclass
class Changements:
    avant: object  # rapports.selectors.ExerciceLu
    apres: object
    fiches: list

    def par_nature(self, nature):
        return [c for c in self.fiches if c.nature == nature]

    @property
    def resume(self):
        return {n: len(self.par_nature(n)) for n in ("ajoutée", "arrêtée", "renumérotée", "modifiée", "inchangée")}

    @property
    def badges(self):
        """(label, DSFR badge classes) of the summary."""
        classes = {"ajoutée": "fr-badge--new", "arrêtée": "fr-badge--warning", "inchangée": ""}
        return [
            (f"{libelle} : {self.resume[nature]}", f"{classes.get(nature, 'fr-badge--info')} fr-badge--sm")
            for nature, libelle in (
                ("ajoutée", "Ajoutées"),
                ("arrêtée", "Arrêtées"),
                ("renumérotée", "Renumérotées"),
                ("modifiée", "Modifiées"),
                ("inchangée", "Inchangées"),
            )
        ]

    @property
    def totaux(self):
        """(label, before, after, delta) of the planned total and each party's share."""
        lignes = []
        for libelle, avant, apres in (
            ("Total prévu", self.avant.prevu, self.apres.prevu),
            ("Part État", self.avant.montants.etat, self.apres.montants.etat),
            ("Part collectivité", self.avant.montants.collectivite, self.apres.montants.collectivite),
        ):
            lignes.append((libelle, avant, apres, apres - avant))
        return lignes


def changements(avant, apres) -> Changements:
    """`avant`, `apres`: the read models of an exercice and of the avenant that follows it."""
    precedentes = {f.fiche.action_id: f for f in avant.fiches}
    fiches = []
    for fiche_lue in apres.fiches_dans_l_ordre:
        fiches.append(ChangementFiche(precedentes.pop(fiche_lue.fiche.action_id, None), fiche_lue))
    fiches += [ChangementFiche(f, None) for f in avant.fiches_dans_l_ordre if f.fiche.action_id in precedentes]
    return Changements(avant, apres, fiches)
