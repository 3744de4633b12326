"""Indicator tables: their columns (jalons) differ from table to table; a value keeps what the document says."""

from django.db import models
from simple_history.models import HistoricalRecords

from actions.models import Fiche
from conventions.models import Exercice
from core.db import TEXTE_COURT, TEXTE_LONG, PublicIdModel
from core.versions import Versioned

from .enums import TypeJalon, TypeValeur
from .parsing import parse_valeur


class TableauIndicateurs(PublicIdModel):
    exercice = models.ForeignKey(Exercice, on_delete=models.CASCADE, related_name="tableaux")
    fiches = models.ManyToManyField(
        Fiche, related_name="tableaux", blank=True, help_text="Un tableau peut servir plusieurs fiches."
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    titre = models.CharField("titre", max_length=500, blank=True)
    theme = models.CharField("thème (regroupement en annexe)", max_length=300, blank=True)
    introduction = models.TextField("texte avant le tableau", blank=True, max_length=TEXTE_LONG)
    entete = models.CharField("en-tête de la première colonne", max_length=200, default="Indicateurs")
    dimension = models.CharField(
        "dimension", max_length=100, blank=True, help_text="Territoire, Mode… quand des valeurs sont ventilées."
    )
    note = models.TextField("note sous le tableau", blank=True, max_length=TEXTE_LONG)

    class Meta:
        verbose_name = "tableau d'indicateurs"
        verbose_name_plural = "tableaux d'indicateurs"
        ordering = ["exercice", "ordre"]

    def __str__(self):
        return self.titre or f"Tableau {self.ordre}"


class Jalon(models.Model):
    """A column of a table: a date, a kind (situation, objectif, réalisé) or a period label (T-1 … T3)."""

    tableau = models.ForeignKey(TableauIndicateurs, on_delete=models.CASCADE, related_name="jalons")
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    libelle = models.CharField("libellé", max_length=300)
    type = models.CharField("type", max_length=20, choices=TypeJalon.choices, default=TypeJalon.AUTRE)
    date = models.DateField("date", null=True, blank=True)
    code = models.CharField("code", max_length=20, blank=True, help_text="T-1, T0 … T3")

    class Meta:
        verbose_name = "jalon"
        ordering = ["tableau", "ordre"]

    def __str__(self):
        return self.libelle


class Indicateur(models.Model):
    tableau = models.ForeignKey(TableauIndicateurs, on_delete=models.CASCADE, related_name="indicateurs")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sous_items",
        help_text="Pour un sous-item (les six thèmes de formation d'une action).",
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    code = models.CharField("code", max_length=20, blank=True, help_text="a), b)…")
    libelle = models.TextField("libellé", max_length=TEXTE_COURT)
    fusion = models.BooleanField(
        "cellule fusionnée", default=False, help_text="La première valeur couvre toutes les colonnes."
    )
    cle_comparaison = models.CharField(
        "clé de comparaison",
        max_length=200,
        blank=True,
        help_text=(
            "Vide : le libellé sert de clé pour comparer les collectivités et les années. Donner la même clé à des "
            "indicateurs libellés différemment les compare entre eux."
        ),
    )

    class Meta:
        verbose_name = "indicateur"
        ordering = ["tableau", "ordre"]

    def __str__(self):
        return f"{self.code} {self.libelle}".strip()[:100]


class ValeurIndicateur(Versioned):
    """A cell: the text as written, and its parsed form where it can be read."""

    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="valeurs")
    jalon = models.ForeignKey(Jalon, on_delete=models.CASCADE, related_name="valeurs")
    dimension = models.CharField("valeur de la dimension", max_length=100, blank=True, help_text="Bas-Rhin, PF…")
    ordre_dimension = models.PositiveSmallIntegerField("ordre dans la cellule", default=0)
    texte = models.TextField("valeur telle qu'écrite", blank=True, max_length=TEXTE_COURT)
    type = models.CharField("lue comme", max_length=20, choices=TypeValeur.choices, default=TypeValeur.VIDE)
    nombre = models.DecimalField("nombre lu", max_digits=16, decimal_places=4, null=True, blank=True)
    unite = models.CharField("unité lue", max_length=50, blank=True)
    code = models.CharField("code lu", max_length=10, blank=True, help_text="ND, NC, /")
    qualificatif = models.CharField("qualificatif", max_length=50, blank=True, help_text=">, tendre vers…")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"
        ordering = ["indicateur", "jalon", "ordre_dimension"]
        constraints = [
            models.UniqueConstraint(fields=["indicateur", "jalon", "dimension"], name="valeur_unique"),
        ]

    def __str__(self):
        return self.texte

    def save(self, *args, **kwargs):
        self.relire()
        super().save(*args, **kwargs)

    def relire(self):
        """Parse `texte` into the typed fields (one place: indicateurs.parsing)."""
        lue = parse_valeur(self.texte)
        self.type = lue.type
        self.nombre = lue.nombre
        self.unite = lue.unite
        self.code = lue.code
        self.qualificatif = lue.qualificatif

    @property
    def lecture(self):
        return parse_valeur(self.texte).description
