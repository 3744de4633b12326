"""Budgets of a fiche: the stated total, each party's share, the detail lines; and the totals documents state."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from actions.models import Fiche
from conventions.enums import Partie
from conventions.models import Exercice, Groupe
from core.db import TEXTE_COURT, MoneyField
from core.versions import Versioned

from .enums import BaseMontant, NatureBudget, TypeDepense


class Budget(Versioned):
    """One budget of a fiche: prévisionnel, réel à titre indicatif, or exécuté (which may be only a sentence).

    Each budget has its own version (core.versions): entering the executed budget never conflicts with someone
    editing the fiche's texts or its planned budget."""

    fiche = models.ForeignKey(Fiche, on_delete=models.CASCADE, related_name="budgets")
    nature = models.CharField("nature", max_length=20, choices=NatureBudget.choices)
    intitule = models.CharField(
        "intitulé", max_length=300, blank=True, help_text="Budget prévisionnel de juillet 2021 à juin 2022"
    )
    total = MoneyField("total indiqué", null=True, blank=True, help_text="Le total tel que le document l'écrit.")
    total_texte = models.CharField("total tel qu'écrit", max_length=300, blank=True)
    texte = models.TextField("texte", blank=True, help_text="« Conforme aux engagements »", max_length=TEXTE_COURT)
    conforme = models.BooleanField(
        "conforme au prévisionnel",
        default=False,
        help_text="Budget exécuté : l'exécution est conforme au prévisionnel, part par part (exécuté = prévu).",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "budget"
        ordering = ["fiche", "nature"]
        constraints = [
            models.UniqueConstraint(fields=["fiche", "nature"], name="budget_nature_unique"),
            models.CheckConstraint(condition=models.Q(total__gte=0), name="budget_total_positif"),
        ]

    def __str__(self):
        return f"{self.get_nature_display()} – {self.fiche.numero}"


class LigneBudget(models.Model):
    """A detail line (the "BUDGET" table of a fiche, or a row of the trame de bilan financier)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lignes")
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    libelle = models.TextField("nature de la dépense", max_length=TEXTE_COURT)
    montant = MoneyField("montant", null=True, blank=True)
    quantite = models.DecimalField("nombre d'unités", max_digits=12, decimal_places=2, null=True, blank=True)
    unite = models.CharField("unité", max_length=100, blank=True)
    cout_unitaire = MoneyField("coût unitaire", null=True, blank=True)
    periode = models.CharField("date ou période", max_length=200, blank=True)
    objet = models.TextField("objet de la dépense", blank=True, max_length=TEXTE_COURT)
    territoire = models.CharField("territoire", max_length=50, blank=True)
    type_depense = models.CharField("type de dépense", max_length=30, choices=TypeDepense.choices, blank=True)
    montant_annee_pleine = MoneyField("montant en année pleine", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ligne de budget"
        verbose_name_plural = "lignes de budget"
        ordering = ["budget", "ordre", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(montant__gte=0), name="ligne_montant_positif"),
            models.CheckConstraint(condition=models.Q(quantite__gte=0), name="ligne_quantite_positive"),
            models.CheckConstraint(condition=models.Q(cout_unitaire__gte=0), name="ligne_cout_positif"),
        ]

    def __str__(self):
        return self.libelle[:80]


class Part(models.Model):
    """A party's share of a budget (or of one of its lines): Etat, collectivité, another co-financeur."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="parts")
    ligne = models.ForeignKey(
        LigneBudget,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parts",
        help_text="Vide : part du budget entier ; sinon, part de cette ligne.",
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    financeur = models.CharField("financeur", max_length=20, choices=Partie.choices)
    libelle = models.CharField("libellé", max_length=300, blank=True, help_text="Part CeA pour le Haut-Rhin")
    montant = MoneyField("montant", null=True, blank=True, help_text="Vide quand le document n'en donne pas (« / »).")
    texte = models.CharField("montant tel qu'écrit", max_length=500, blank=True, help_text="/, Idem Part Etat, 240 k€")
    annee = models.PositiveSmallIntegerField("année", null=True, blank=True)
    territoire = models.CharField("territoire", max_length=50, blank=True)
    type_depense = models.CharField("type de dépense", max_length=30, choices=TypeDepense.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "part de financement"
        verbose_name_plural = "parts de financement"
        ordering = ["budget", "ligne", "ordre", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(montant__gte=0), name="part_montant_positif")]

    def __str__(self):
        return self.libelle or self.get_financeur_display()

    def clean(self):
        if self.ligne_id and self.ligne.budget_id != self.budget_id:
            raise ValidationError({"ligne": "La ligne doit appartenir au même budget."})


class TotalDeclare(models.Model):
    """A total a document states (synthesis "TOTAL A", recap "Total volet 2"), kept to be checked against the sums."""

    exercice = models.ForeignKey(Exercice, on_delete=models.CASCADE, related_name="totaux_declares")
    groupe = models.ForeignKey(Groupe, null=True, blank=True, on_delete=models.CASCADE, related_name="totaux_declares")
    fiche = models.ForeignKey(Fiche, null=True, blank=True, on_delete=models.CASCADE, related_name="totaux_declares")
    ligne = models.ForeignKey(
        LigneBudget,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="totaux_declares",
        help_text="Quand un récapitulatif donne une ligne de la fiche.",
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    libelle = models.CharField("libellé", max_length=300)
    financeur = models.CharField("financeur", max_length=20, choices=Partie.choices, blank=True)
    type_depense = models.CharField("type de dépense", max_length=30, choices=TypeDepense.choices, blank=True)
    territoire = models.CharField("territoire", max_length=50, blank=True)
    annee = models.PositiveSmallIntegerField("année", null=True, blank=True)
    base = models.CharField("base", max_length=20, choices=BaseMontant.choices, default=BaseMontant.EXERCICE)
    montant = MoneyField("montant")

    class Meta:
        verbose_name = "total déclaré"
        verbose_name_plural = "totaux déclarés"
        ordering = ["exercice", "ordre"]

    def __str__(self):
        return self.libelle

    def clean(self):
        if self.groupe_id and self.fiche_id:
            raise ValidationError("Un total porte sur un groupe ou sur une fiche, pas les deux.")
        if self.ligne_id and self.ligne.budget.fiche_id != self.fiche_id:
            raise ValidationError({"ligne": "La ligne doit appartenir à la fiche du total."})
