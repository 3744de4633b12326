import unicodedata

import django_filters
from dsfr.forms import DsfrBaseForm

from actions.models import Fiche
from conventions.models import Collectivite, Exercice, Groupe, Region
from rapports.enums import StatutRapport
from rapports.models import ResumeExercice

OUI_NON = [("oui", "Oui"), ("non", "Non")]


def sans_accents(texte: str) -> str:
    """« Bénévolat » → « benevolat »: compared without accents or case."""
    decompose = unicodedata.normalize("NFKD", texte or "")
    return "".join(c for c in decompose if not unicodedata.combining(c)).casefold()


class FicheFilter(django_filters.FilterSet):
    """Filters of the fiches list. Warnings and completeness are computed (the read model): pass `lu`."""

    recherche = django_filters.CharFilter(
        label="Rechercher (numéro, titre, thème, description)", method="filtrer_recherche"
    )
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

    def __init__(self, *args, lu, **kwargs):
        self.lu = lu
        super().__init__(*args, **kwargs)
        groupes = lu.tous_les_groupes
        self.filters["groupe"].queryset = Groupe.objects.filter(pk__in=[g.pk for g in groupes])
        themes = sorted({f.fiche.theme for f in lu.fiches if f.fiche.theme})
        self.filters["theme"].extra["choices"] = [(t, t) for t in themes]

    def filtrer_recherche(self, queryset, name, value):
        """Every word, in the fiche's number, title, theme or description, whatever the accents and the case (the
        same on SQLite and PostgreSQL: the exercice's fiches are already read)."""
        mots = sans_accents(value).split()
        if not mots:
            return queryset
        retenues = [
            f.fiche.pk
            for f in self.lu.fiches
            if all(
                mot in sans_accents(f"{f.fiche.numero} {f.fiche.titre} {f.fiche.theme} {f.fiche.description}")
                for mot in mots
            )
        ]
        return queryset.filter(pk__in=retenues)

    def filtrer_groupe(self, queryset, name, value):
        groupes = {value.pk} | {g.pk for g in self.lu.tous_les_groupes if g.parent_id == value.pk}
        return queryset.filter(groupe_id__in=groupes)

    def filtrer_alertes(self, queryset, name, value):
        avec = [f.fiche.pk for f in self.lu.fiches if f.alertes]
        return queryset.filter(pk__in=avec) if value == "oui" else queryset.exclude(pk__in=avec)

    def filtrer_incomplete(self, queryset, name, value):
        incompletes = [f.fiche.pk for f in self.lu.fiches if not f.complete]
        return queryset.filter(pk__in=incompletes) if value == "oui" else queryset.exclude(pk__in=incompletes)


NON_COMMENCE = "aucun"
STATUTS = [(NON_COMMENCE, "Non commencé"), *StatutRapport.choices]


class SuiviFilter(django_filters.FilterSet):
    """Filters of the référent's dashboard, in SQL: the queryset is annotated by
    `rapports.selectors.annoter_retard` (`en_retard`)."""

    collectivite = django_filters.ModelChoiceFilter(
        label="Collectivité",
        field_name="convention__collectivite",
        queryset=Collectivite.objects.none(),
        empty_label="Toutes",
    )
    # The report's statut, under the query parameter `etat` that bookmarked addresses already carry.
    etat = django_filters.ChoiceFilter(
        label="État du rapport", choices=STATUTS, method="filtrer_statut", empty_label="Tous"
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

    def filtrer_statut(self, queryset, name, value):
        if value == NON_COMMENCE:
            return queryset.filter(rapport__isnull=True)
        return queryset.filter(rapport__statut=value)

    def filtrer_retard(self, queryset, name, value):
        return queryset.filter(en_retard=value == "oui")


class PilotageFilter(django_filters.FilterSet):
    """Filters of /pilotage/, in SQL on the summaries (rapports.ResumeExercice) annotated with `en_retard`."""

    region = django_filters.ModelChoiceFilter(
        label="Région",
        field_name="exercice__convention__collectivite__region",
        queryset=Region.objects.none(),
        empty_label="Toutes",
    )
    etat = django_filters.ChoiceFilter(
        label="État du rapport", choices=STATUTS, method="filtrer_statut", empty_label="Tous"
    )
    en_retard = django_filters.ChoiceFilter(
        label="En retard", choices=OUI_NON, method="filtrer_retard", empty_label="Indifférent"
    )
    parite = django_filters.ChoiceFilter(
        label="Parité respectée", choices=OUI_NON, method="filtrer_parite", empty_label="Indifférent"
    )

    class Meta:
        model = ResumeExercice
        fields = ["region", "etat", "en_retard", "parite"]
        form = DsfrBaseForm

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = regions

    def filtrer_statut(self, queryset, name, value):
        return queryset.filter(statut="" if value == NON_COMMENCE else value)

    def filtrer_retard(self, queryset, name, value):
        return queryset.filter(en_retard=value == "oui")

    def filtrer_parite(self, queryset, name, value):
        return queryset.filter(parite=value == "oui")
