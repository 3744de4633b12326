"""Fiches-action, as each exercice's document writes them, and the lineage that links them across avenants."""

from django.db import models
from simple_history.models import HistoricalRecords

from conventions.enums import TypeGroupe
from conventions.models import Collectivite, Exercice, Groupe
from core.db import TEXTE_LONG, PublicIdModel
from core.versions import Versioned

from .enums import Evolution


class Action(PublicIdModel):
    """One action followed across avenants: seed 001 "ACTION 1" and seed 000 "ACTION 1.1" are the same action."""

    collectivite = models.ForeignKey(Collectivite, on_delete=models.PROTECT, related_name="actions")
    cle = models.SlugField("clé", max_length=80, unique=True)
    intitule = models.CharField("intitulé", max_length=300)
    arretee_apres = models.ForeignKey(
        Exercice,
        verbose_name="arrêtée après l'exercice",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_arretees",
        help_text="Le dernier exercice de l'action : l'avenant suivant ne l'a pas reconduite.",
    )
    motif_arret = models.TextField("motif de l'arrêt", blank=True, max_length=TEXTE_LONG)

    class Meta:
        verbose_name = "action (lignée)"
        verbose_name_plural = "actions (lignées)"
        ordering = ["cle"]

    def __str__(self):
        return self.intitule


class FicheQuerySet(models.QuerySet):
    def for_collectivites(self, collectivites):
        return self.filter(exercice__in=Exercice.objects.for_collectivites(collectivites))

    def socle(self):
        return self.filter(groupe__type=TypeGroupe.SOCLE)

    def initiatives(self):
        return self.filter(groupe__type=TypeGroupe.INITIATIVE)


class Fiche(Versioned, PublicIdModel):
    exercice = models.ForeignKey(Exercice, on_delete=models.CASCADE, related_name="fiches")
    groupe = models.ForeignKey(Groupe, on_delete=models.PROTECT, related_name="fiches")
    action = models.ForeignKey(
        Action,
        verbose_name="lignée",
        on_delete=models.PROTECT,
        related_name="fiches",
        help_text="La même action dans les autres avenants.",
    )
    cle = models.CharField("clé", max_length=40, help_text="Identifiant stable dans l'exercice (socle-1.1).")
    numero = models.CharField(
        "numéro", max_length=40, help_text="Tel qu'écrit dans l'acte : 1.1, ACTION 5.2, Fiche 4-1"
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    titre = models.CharField("titre", max_length=500)
    titre_long = models.CharField(
        "titre développé",
        max_length=500,
        blank=True,
        help_text="Quand l'acte en écrit un plus long dans la liste des fiches d'une annexe (sinon, le titre).",
    )
    theme = models.CharField("thème de la contractualisation", max_length=300, blank=True)
    evolution = models.CharField(
        "évolution",
        max_length=20,
        choices=Evolution.choices,
        blank=True,
        default=Evolution.NON_PRECISEE,
        help_text="Nouvelle, renforcée ou poursuivie par rapport à l'action qu'elle continue.",
    )
    description = models.TextField("description de l'action (rappel)", blank=True, max_length=TEXTE_LONG)
    declinaison = models.TextField("déclinaison", blank=True, max_length=TEXTE_LONG)
    date_mise_en_place = models.CharField(
        "date de mise en place",
        max_length=500,
        blank=True,
        help_text="Texte libre : « A compter du second semestre 2019 »",
    )
    duree = models.CharField("durée de l'action", max_length=500, blank=True)
    partenaires = models.TextField("partenaires et co-financeurs", blank=True, max_length=TEXTE_LONG)
    indicateurs_note = models.TextField("indicateurs de suivi (texte)", blank=True, max_length=TEXTE_LONG)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = FicheQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche-action"
        verbose_name_plural = "fiches-action"
        ordering = ["exercice", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["exercice", "cle"], name="fiche_cle_unique"),
            models.UniqueConstraint(fields=["exercice", "action"], name="fiche_une_par_lignee_et_exercice"),
        ]

    def __str__(self):
        return f"{self.numero} : {self.titre}"

    @property
    def libelle_evolution(self):
        """« Action renforcée »: what the fiche is against the action it continues ("" when not said)."""
        return f"Action {self.get_evolution_display().lower()}" if self.evolution else ""

    @property
    def designation(self):
        """`Fiche ACTION 1`, `Fiche 4-1`; seed 003 already writes its numbers `Fiche 1`."""
        return self.numero if self.numero.lower().startswith("fiche") else f"Fiche {self.numero}"


class SectionTexte(models.Model):
    """Any other titled text of a fiche (Finalité, Publics visés, Contexte, Calendrier prévisionnel…)."""

    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="sections")
    titre = models.CharField("titre", max_length=300)
    texte = models.TextField("texte", blank=True, max_length=TEXTE_LONG)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "section de texte"
        verbose_name_plural = "sections de texte"
        ordering = ["ordre", "pk"]

    def __str__(self):
        return self.titre
