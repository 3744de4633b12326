"""Collectivités, conventions, exercices (convention initiale, avenants) and the groups of fiches."""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models

from core.db import TEXTE_COURT, TEXTE_LONG, MoneyField, PublicIdModel
from core.versions import Versioned

from .enums import NatureMontant, Partie, TypeActe, TypeCollectivite, TypeGroupe


class Region(models.Model):
    """A région (INSEE code): the scope of a regional pilotage account."""

    code = models.CharField("code INSEE", max_length=2, unique=True)
    nom = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Territoire(models.Model):
    """The referential (conventions/referentiel.py): every département and every other collectivité that can sign,
    with its région; a département has its square on the tile map of France."""

    code = models.CharField("code", max_length=3, unique=True)
    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=30, choices=TypeCollectivite.choices)
    region = models.ForeignKey(Region, verbose_name="région", on_delete=models.PROTECT, related_name="territoires")
    departements = models.JSONField("départements couverts", default=list, blank=True)
    ligne = models.PositiveSmallIntegerField("ligne sur la carte", null=True, blank=True)
    colonne = models.PositiveSmallIntegerField("colonne sur la carte", null=True, blank=True)

    class Meta:
        verbose_name = "territoire du référentiel"
        verbose_name_plural = "territoires du référentiel"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class CollectiviteQuerySet(models.QuerySet):
    def with_predecessors(self, collectivites):
        """The given collectivités and every one they succeeded (a CeA agent sees the Haut-Rhin's past)."""
        ids = {c.pk for c in collectivites}
        frontier = set(ids)
        while frontier:
            frontier = set(self.model.objects.filter(successeur__in=frontier).values_list("pk", flat=True)) - ids
            ids |= frontier
        return self.filter(pk__in=ids)


class Collectivite(PublicIdModel):
    code_insee = models.CharField(
        "code INSEE", max_length=3, unique=True, help_text="67, 68, 6AE (Collectivité européenne d'Alsace)…"
    )
    nom = models.CharField("nom", max_length=200, help_text="Département du Haut-Rhin")
    nom_court = models.CharField("nom court", max_length=100, help_text="Haut-Rhin")
    type = models.CharField("type", max_length=30, choices=TypeCollectivite.choices)
    successeur = models.ForeignKey(
        "self",
        verbose_name="collectivité qui lui succède",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecesseurs",
    )
    date_succession = models.DateField("date de la succession", null=True, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name="région",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collectivites",
        help_text="Vide : celle du référentiel pour ce code.",
    )
    donnees_fictives = models.BooleanField(
        "données fictives", default=False, help_text="Collectivité de démonstration (charger_demo_nationale)."
    )

    objects = CollectiviteQuerySet.as_manager()

    class Meta:
        verbose_name = "collectivité"
        ordering = ["code_insee"]

    def __str__(self):
        return f"{self.nom} ({self.code_insee})"

    def clean(self):
        if self.successeur_id and self.successeur_id == self.pk:
            raise ValidationError({"successeur": "Une collectivité ne peut pas se succéder à elle-même."})
        if self.successeur_id and not self.date_succession:
            raise ValidationError({"date_succession": "Indiquez la date à laquelle la succession a pris effet."})

    def save(self, *args, **kwargs):
        if not self.region_id and self.code_insee:
            self.region_id = Territoire.objects.filter(code=self.code_insee).values_list("region_id", flat=True).first()
        super().save(*args, **kwargs)

    def est_active(self, jour=None):
        jour = jour or datetime.date.today()
        return not (self.successeur_id and self.date_succession and self.date_succession <= jour)


class ConventionQuerySet(models.QuerySet):
    def for_collectivites(self, collectivites):
        return self.filter(collectivite__in=Collectivite.objects.with_predecessors(collectivites))


class Convention(Versioned, PublicIdModel):
    collectivite = models.ForeignKey(
        Collectivite,
        verbose_name="collectivité signataire",
        on_delete=models.PROTECT,
        related_name="conventions",
        help_text="Celle qui a signé la convention ; ses successeurs la poursuivent.",
    )
    cle = models.SlugField("clé", max_length=40, unique=True, help_text="Identifiant stable : 68-2019-2021")
    intitule = models.CharField("intitulé", max_length=300)
    date_debut = models.DateField("début de la période")
    date_fin = models.DateField("fin de la période")
    date_signature = models.DateField("date de signature", null=True, blank=True)
    lieu_signature = models.CharField("lieu de signature", max_length=100, blank=True)
    notes = models.TextField("notes", blank=True, max_length=TEXTE_LONG)

    objects = ConventionQuerySet.as_manager()

    class Meta:
        verbose_name = "convention"
        ordering = ["collectivite__code_insee", "date_debut"]

    def __str__(self):
        return f"{self.intitule} – {self.collectivite.nom_court} ({self.periode})"

    @property
    def periode(self):
        if self.date_debut.year == self.date_fin.year:
            return str(self.date_debut.year)
        return f"{self.date_debut.year}-{self.date_fin.year}"

    def clean(self):
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            raise ValidationError({"date_fin": "La fin de la période précède son début."})


class Signataire(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="signataires")
    partie = models.CharField("partie", max_length=20, choices=Partie.choices)
    nom = models.CharField("nom", max_length=150)
    qualite = models.CharField("qualité", max_length=300)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "signataire"
        ordering = ["ordre", "pk"]

    def __str__(self):
        return f"{self.nom}, {self.qualite}"


class Deliberation(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="deliberations")
    exercice = models.ForeignKey(
        "Exercice", null=True, blank=True, on_delete=models.CASCADE, related_name="deliberations"
    )
    reference = models.CharField("référence", max_length=100, blank=True, help_text="CD2018/059")
    date = models.DateField("date", null=True, blank=True)
    date_texte = models.CharField("date telle qu'écrite", max_length=100, blank=True, help_text="13 décembre")
    instance = models.CharField("instance", max_length=200, blank=True)
    objet = models.TextField("objet", blank=True, max_length=TEXTE_COURT)

    class Meta:
        verbose_name = "délibération"
        ordering = ["date", "pk"]

    def __str__(self):
        return self.reference or self.objet[:60]


class MontantEtatAnnuel(models.Model):
    """The State's amount for a year, as the convention or an avenant states it."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="montants_etat")
    annee = models.PositiveSmallIntegerField("année")
    nature = models.CharField("nature", max_length=20, choices=NatureMontant.choices)
    montant = MoneyField("montant")
    source = models.CharField("source", max_length=300, blank=True, help_text="article 2.3.1")

    class Meta:
        verbose_name = "montant annuel de l'État"
        verbose_name_plural = "montants annuels de l'État"
        ordering = ["annee", "nature"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "annee", "nature"], name="montant_etat_unique"),
            models.CheckConstraint(condition=models.Q(montant__gte=0), name="montant_etat_positif"),
        ]

    def __str__(self):
        return f"{self.annee} ({self.get_nature_display().lower()})"


def date_limite_par_defaut(date_fin: datetime.date) -> datetime.date:
    """Article 2.4: the report is due by 31 March of the year after the exercice."""
    return datetime.date(date_fin.year + 1, 3, 31)


CHAMPS_DE_REVISION = ("revision", "contenu_modifie_le")


class ExerciceQuerySet(models.QuerySet):
    def for_collectivites(self, collectivites):
        return self.filter(convention__in=Convention.objects.for_collectivites(collectivites))


class Exercice(PublicIdModel):
    """A period of the convention, set by the convention itself or by an avenant, with its own report."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="exercices")
    libelle = models.CharField("libellé", max_length=20, help_text="2019, 2021-2022")
    acte = models.CharField("acte", max_length=20, choices=TypeActe.choices)
    intitule_acte = models.CharField("intitulé de l'acte", max_length=300, blank=True, help_text="Avenant 2021-2022")
    collectivite_signataire = models.ForeignKey(
        Collectivite,
        verbose_name="collectivité signataire de l'acte",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exercices_signes",
        help_text="Vide : la collectivité de la convention. La CeA signe les avenants des conventions du 67 et du 68.",
    )
    territoire = models.CharField(
        "territoire", max_length=100, blank=True, help_text="« pour le Haut-Rhin » quand le signataire est la CeA"
    )
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")
    date_signature = models.DateField("date de signature", null=True, blank=True)
    date_limite_rapport = models.DateField(
        "date limite du rapport d'exécution",
        blank=True,
        help_text="Par défaut le 31 mars de l'année suivante ; un avenant peut la déplacer.",
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    # Bumped with every write that changes what the exercice's documents say (conventions.revisions), never by save().
    revision = models.PositiveIntegerField("révision du contenu", default=0, editable=False)
    contenu_modifie_le = models.DateTimeField("contenu modifié le", null=True, blank=True, editable=False)

    objects = ExerciceQuerySet.as_manager()

    class Meta:
        verbose_name = "exercice"
        ordering = ["convention", "date_debut"]
        constraints = [models.UniqueConstraint(fields=["convention", "libelle"], name="exercice_libelle_unique")]

    def __str__(self):
        return f"{self.convention.collectivite.nom_court} – exercice {self.libelle}"

    def clean(self):
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            raise ValidationError({"date_fin": "La fin de l'exercice précède son début."})

    def save(self, *args, **kwargs):
        if not self.date_limite_rapport and self.date_fin:
            self.date_limite_rapport = date_limite_par_defaut(self.date_fin)
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            # The revision read with the object may be old: writing it back would name stale documents current.
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in CHAMPS_DE_REVISION
            ]
        super().save(*args, **kwargs)

    @property
    def signataire(self):
        return self.collectivite_signataire or self.convention.collectivite

    @property
    def nom_court(self):
        """Who the exercice is for, in a word: its territory ("Haut-Rhin" for the CeA's avenant) or its signatory."""
        return self.territoire or self.signataire.nom_court

    @property
    def annees(self):
        return range(self.date_debut.year, self.date_fin.year + 1)

    @property
    def rapport_existant(self):
        """The exercice's report, or None before anyone started it."""
        try:
            return self.rapport
        except ObjectDoesNotExist:
            return None


class Groupe(models.Model):
    """Annexe A (socle), annexe B (initiatives) and their sub-groups, as an exercice's document lists them."""

    exercice = models.ForeignKey(Exercice, on_delete=models.CASCADE, related_name="groupes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="sous_groupes")
    code = models.CharField("code", max_length=10, help_text="A, B, B1…")
    type = models.CharField("type", max_length=20, choices=TypeGroupe.choices)
    libelle = models.CharField("libellé", max_length=300)
    note = models.TextField(
        "note", blank=True, help_text="Texte du document qui accompagne le groupe (nota bene…)", max_length=TEXTE_LONG
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "groupe de fiches"
        verbose_name_plural = "groupes de fiches"
        ordering = ["exercice", "ordre"]
        constraints = [models.UniqueConstraint(fields=["exercice", "code"], name="groupe_code_unique")]

    def __str__(self):
        return f"{self.code} – {self.libelle}"


class ObjectifTerritorial(models.Model):
    """A quantitative objective of a collectivité's own plan (seed 004: the Bas-Rhin's plan départemental pour
    l'emploi 2017-2019), per territory, nature and year: context shown on the collectivité's page."""

    collectivite = models.ForeignKey(Collectivite, on_delete=models.CASCADE, related_name="objectifs_territoriaux")
    plan = models.CharField("plan", max_length=300)
    territoire = models.CharField("territoire d'actions", max_length=100, help_text="NORD, OUEST, EMS, SUD")
    nature = models.CharField("nature de l'objectif", max_length=200)
    precision = models.CharField("précision", max_length=300, blank=True)
    annee = models.PositiveSmallIntegerField("année")
    nombre = models.PositiveIntegerField("nombre")
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "objectif territorial"
        verbose_name_plural = "objectifs territoriaux"
        ordering = ["collectivite", "plan", "ordre", "annee"]
        constraints = [
            models.UniqueConstraint(
                fields=["collectivite", "plan", "territoire", "nature", "annee"], name="objectif_territorial_unique"
            )
        ]

    def __str__(self):
        return f"{self.territoire} – {self.nature} – {self.annee}"
