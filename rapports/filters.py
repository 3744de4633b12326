import django_filters
from dsfr.forms import DsfrBaseForm

from conventions.models import Collectivite, Exercice

from .enums import EtatRapport

OUI_NON = [("oui", "Oui"), ("non", "Non")]
NON_COMMENCE = "aucun"
ETATS = [(NON_COMMENCE, "Non commencé"), *EtatRapport.choices]


class SuiviFilter(django_filters.FilterSet):
    """Filters of the référent's dashboard, in SQL: the queryset is annotated by `en_ordre_de_suivi` (`en_retard`)."""

    collectivite = django_filters.ModelChoiceFilter(
        label="Collectivité",
        field_name="convention__collectivite",
        queryset=Collectivite.objects.none(),
        empty_label="Toutes",
    )
    etat = django_filters.ChoiceFilter(
        label="État du rapport", choices=ETATS, method="filtrer_etat", empty_label="Tous"
    )
    en_retard = django_filters.ChoiceFilter(
        label="En retard", choices=OUI_NON, method="filtrer_retard", empty_label="Indifférent"
    )

    class Meta:
        model = Exercice
        fields = ["collectivite", "etat", "en_retard"]
        form = DsfrBaseForm

    def __init__(self, *args, collectivites, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["collectivite"].queryset = collectivites

    def filtrer_etat(self, queryset, name, value):
        if value == NON_COMMENCE:
            return queryset.filter(rapport__isnull=True)
        return queryset.filter(rapport__etat=value)

    def filtrer_retard(self, queryset, name, value):
        return queryset.filter(en_retard=value == "oui")
