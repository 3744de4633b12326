from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig
from dsfr.utils import list_pages

from actions.suivi import alertes_liees, suivre
from budgets.enums import NatureBudget
from calpae.verrou import VersionPerimee, dernier_auteur
from calpae.verrou import conflit as conflit_de
from conventions.perms import exercice_visible_ou_404, ids_collectivites_visibles, peut_modifier
from indicateurs.grilles import charger_tableaux

from .filters import FicheFilter
from .forms import FicheForm, SectionFormSet
from .historique import historique_fiche
from .models import Fiche
from .services import fiche_enregistrer
from .tables import FichesTable, LigneFiche


def fiches_visibles(user):
    return Fiche.objects.filter(exercice__convention__collectivite_id__in=ids_collectivites_visibles(user))


def fiche_visible_ou_404(user, public_id):
    return get_object_or_404(
        fiches_visibles(user).select_related(
            "exercice__convention__collectivite",
            "exercice__collectivite_signataire",
            "exercice__rapport",
            "groupe",
            "action",
        ),
        public_id=public_id,
    )


def fiche_modifiable_ou_404(user, public_id):
    fiche = fiche_visible_ou_404(user, public_id)
    if not peut_modifier(user, fiche.exercice):
        raise PermissionDenied("Vous pouvez consulter cette fiche, pas la modifier.")
    return fiche


def fil_d_ariane(exercice, *liens, courant):
    return {
        "links": [
            {
                "url": reverse("conventions:exercice", args=[exercice.public_id]),
                "title": f"Exercice {exercice.libelle}",
            },
            *liens,
        ],
        "current": courant,
        "root_dir": "",
    }


def lien_fiches(exercice):
    return {"url": reverse("actions:liste", args=[exercice.public_id]), "title": "Fiches"}


def lien_fiche(fiche):
    return {"url": reverse("actions:fiche", args=[fiche.public_id]), "title": fiche.designation}


@require_safe
def liste(request, public_id):
    exercice = exercice_visible_ou_404(request.user, public_id)
    suivi = suivre([exercice])[0]
    filtre = FicheFilter(request.GET or None, queryset=Fiche.objects.filter(exercice=exercice), suivi=suivi)
    retenues = set(filtre.qs.values_list("pk", flat=True)) if filtre.is_bound and filtre.is_valid() else None
    lignes = [f for f in suivi.fiches if retenues is None or f.fiche.pk in retenues]
    table = FichesTable([LigneFiche(suivi_fiche) for suivi_fiche in lignes])
    table.caption = f"Fiches de l'exercice {exercice.libelle} ({len(lignes)} sur {len(suivi.fiches)})"
    RequestConfig(request, paginate=False).configure(table)
    return render(
        request,
        "actions/liste.html",
        {
            "title": f"Fiches – exercice {exercice.libelle}",
            "exercice": exercice,
            "filtre": filtre,
            "table": table,
            "breadcrumb_data": fil_d_ariane(exercice, courant="Fiches"),
        },
    )


@require_safe
def fiche(request, public_id):
    fiche = fiche_visible_ou_404(request.user, public_id)
    exercice = fiche.exercice
    suivi = suivre([exercice])[0]
    fiche_chargee = next(f for f in suivi.donnees.fiches if f.fiche.pk == fiche.pk)
    suivi_fiche = next(f for f in suivi.fiches if f.fiche.pk == fiche.pk)
    budgets = [fiche_chargee.budgets[n] for n in NatureBudget.values if n in fiche_chargee.budgets]
    lignee = (
        Fiche.objects.filter(action_id=fiche.action_id)
        .exclude(pk=fiche.pk)
        .filter(exercice__convention__collectivite_id__in=ids_collectivites_visibles(request.user))
        .select_related("exercice")
        .order_by("exercice__date_debut")
    )
    auteur, date = dernier_auteur(fiche)
    return render(
        request,
        "actions/fiche.html",
        {
            "title": f"Fiche {fiche.numero} – {fiche.titre}",
            "fiche": fiche,
            "exercice": exercice,
            "sections": list(fiche.sections.all()),
            "budgets": budgets,
            "suivi_fiche": suivi_fiche,
            "alertes": [a for a in alertes_liees(suivi) if a.fiche and a.fiche.pk == fiche.pk],
            "grilles": charger_tableaux([exercice], fiche=fiche).get(exercice.pk, []),
            "lignee": list(lignee),
            "dernier_auteur": auteur,
            "derniere_date": date,
            "peut_modifier": peut_modifier(request.user, exercice),
            "natures": NatureBudget.choices,
            "breadcrumb_data": fil_d_ariane(exercice, lien_fiches(exercice), courant=fiche.designation),
        },
    )


def modifier(request, public_id):
    fiche = fiche_modifiable_ou_404(request.user, public_id)
    conflit = None
    if request.method == "POST":
        form = FicheForm(request.POST, instance=fiche)
        sections = SectionFormSet(request.POST, instance=fiche, prefix="sections")
        if form.is_valid() and sections.is_valid():
            try:
                fiche = fiche_enregistrer(form=form, sections=sections, version_lue=form.cleaned_data["version"])
            except VersionPerimee:
                pass
            else:
                messages.success(request, "La fiche est enregistrée.")
                return redirect("actions:fiche", public_id=fiche.public_id)
            actuelle = Fiche.objects.get(pk=fiche.pk)
            conflit = conflit_de(actuelle, form)
            # The user's input stays; the next save reconciles against the version now in the database.
            donnees = request.POST.copy()
            donnees["version"] = actuelle.version
            form = FicheForm(donnees, instance=actuelle)
            form.is_valid()
            sections = SectionFormSet(donnees, instance=actuelle, prefix="sections")
    else:
        form = FicheForm(instance=fiche)
        sections = SectionFormSet(instance=fiche, prefix="sections")
    return render(
        request,
        "actions/modifier.html",
        {
            "title": f"Modifier la fiche {fiche.numero}",
            "fiche": fiche,
            "form": form,
            "sections": sections,
            "conflit": conflit,
            "breadcrumb_data": fil_d_ariane(
                fiche.exercice, lien_fiches(fiche.exercice), lien_fiche(fiche), courant="Modifier"
            ),
        },
        status=409 if conflit else 200,
    )


@require_safe
def historique(request, public_id):
    fiche = fiche_visible_ou_404(request.user, public_id)
    page = list_pages(Paginator(historique_fiche(fiche), 50).get_page(request.GET.get("page")))
    return render(
        request,
        "actions/historique.html",
        {
            "title": f"Historique de la fiche {fiche.numero}",
            "fiche": fiche,
            "page_obj": page,
            "breadcrumb_data": fil_d_ariane(
                fiche.exercice, lien_fiches(fiche.exercice), lien_fiche(fiche), courant="Historique"
            ),
        },
    )
