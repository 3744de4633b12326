"""Accounts: login by e-mail; a role; the collectivités an agent belongs to or a référent follows."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models

from conventions.models import Collectivite, Region

from .enums import Role


class CompteManager(UserManager):
    def get_by_natural_key(self, username):
        """Sign-in by e-mail whatever its case (« AGENT.BAS-RHIN@… » is the same account)."""
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})

    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMINISTRATEUR)
        return self._create_user(None, email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("adresse électronique", unique=True)
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.AGENT)
    collectivites = models.ManyToManyField(
        Collectivite,
        through="Affectation",
        related_name="membres",
        blank=True,
        verbose_name="collectivités",
    )
    region = models.ForeignKey(
        Region,
        verbose_name="région suivie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Pilotage régional : le compte lit les collectivités de cette région.",
    )
    # ProConnect (comptes.proconnect): the provider's identifier of this person, set at the first ProConnect sign-in.
    # ProConnect gives one per service and identity provider: an agent whose administration changes its provider
    # arrives with another, and an administrator empties this field to let the next sign-in link the account again.
    proconnect_sub = models.CharField(
        "identifiant ProConnect",
        max_length=255,
        blank=True,
        default="",
        help_text="Renseigné à la première connexion par ProConnect. Videz-le pour délier le compte : la prochaine "
        "connexion par ProConnect le liera de nouveau, par l'adresse électronique.",
    )
    proconnect_seulement = models.BooleanField(
        "connexion par ProConnect seulement",
        default=False,
        help_text="La connexion par mot de passe est alors refusée pour ce compte.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = CompteManager()

    class Meta:
        verbose_name = "compte"
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                fields=["proconnect_sub"], condition=~models.Q(proconnect_sub=""), name="compte_proconnect_sub_unique"
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()  # one account per address, whatever its case
        super().save(*args, **kwargs)

    # The role's questions, asked by the perms of the apps below this one (which do not import it).
    @property
    def is_agent(self):
        return self.role == Role.AGENT

    @property
    def is_referent(self):
        return self.role == Role.REFERENT

    @property
    def is_administrateur(self):
        return self.role == Role.ADMINISTRATEUR

    @property
    def is_pilotage_national(self):
        return self.role == Role.PILOTAGE_NATIONAL

    @property
    def is_pilotage_regional(self):
        return self.role == Role.PILOTAGE_REGIONAL

    @property
    def is_pilotage(self):
        """Reads the collectivités of the nation or of a région and changes nothing (a référent without the review)."""
        return self.role in (Role.PILOTAGE_NATIONAL, Role.PILOTAGE_REGIONAL)

    def clean(self):
        super().clean()
        if self.role == Role.PILOTAGE_REGIONAL and not self.region_id:
            raise ValidationError({"region": "Un compte de pilotage régional suit une région : choisissez-la."})


class Affectation(models.Model):
    """An agent's membership of a collectivité, or the collectivités a préfecture référent follows."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="affectations")
    collectivite = models.ForeignKey(Collectivite, on_delete=models.CASCADE, related_name="affectations")
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "affectation"
        constraints = [models.UniqueConstraint(fields=["user", "collectivite"], name="affectation_unique")]

    def __str__(self):
        return f"{self.user} – {self.collectivite}"
