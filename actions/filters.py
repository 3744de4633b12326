import django_filters
from dsfr.forms import DsfrBaseForm

from conventions.models import Groupe

from .models import Fiche

OUI_NON = [("oui", "Oui"), ("non", "Non")]


class FicheFilter(django_filters.FilterSet):
    """Filters of the fiches list. Warnings and completeness are computed (actions.suivi): pass `suivi`."""

    recherche = django_filters.CharFilter(label="Rechercher (numéro ou titre)", method="filtrer_recherche")
    groupe = django_filters.ModelChoiceFilter(
        label="Groupe", queryset=Groupe.objects.none(), method="filtrer_groupe", empty_label="Tous les groupes"
    )
    theme = django_filters.ChoiceFilter(label="Thème", empty_label="Tous les thèmes")
    alertes = django_filters.ChoiceFilter(
        label="Avec des alertes", choices=OUI_NON, method="filtrer_alertes", empty_label="Indifférent"
    )
    incomplete = django_filters.ChoiceFilter(
        label="À compléter", choices=OUI_NON, method="filtrer_incomplete", empty_label="Indifférent"
    )

    class Meta:
        model = Fiche
        fields = ["recherche", "groupe", "theme", "alertes", "incomplete"]
        form = DsfrBaseForm

    def __init__(self, *args, suivi, **kwargs):
        self.suivi = suivi
        super().__init__(*args, **kwargs)
        groupes = suivi.donnees.groupes
        self.filters["groupe"].queryset = Groupe.objects.filter(pk__in=[g.pk for g in groupes])
        themes = sorted({f.fiche.theme for f in suivi.fiches if f.fiche.theme})
        self.filters["theme"].extra["choices"] = [(t, t) for t in themes]

    def filtrer_recherche(self, queryset, name, value):
        mots = value.strip()
        return queryset.filter(titre__icontains=mots) | queryset.filter(numero__icontains=mots) if mots else queryset

    def filtrer_groupe(self, queryset, name, value):
        groupes = {value.pk} | {g.pk for g in self.suivi.donnees.groupes if g.parent_id == value.pk}
        return queryset.filter(groupe_id__in=groupes)

    def filtrer_alertes(self, queryset, name, value):
        avec = [f.fiche.pk for f in self.suivi.fiches if f.alertes]
        return queryset.filter(pk__in=avec) if value == "oui" else queryset.exclude(pk__in=avec)

    def filtrer_incomplete(self, queryset, name, value):
        incompletes = [f.fiche.pk for f in self.suivi.fiches if not f.complete]
        return queryset.filter(pk__in=incompletes) if value == "oui" else queryset.exclude(pk__in=incompletes)
