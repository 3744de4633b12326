"""The collectivité's own management pages: create a convention with its first exercice, add a fiche with its
planned parts, define an indicator table. Any agent of the collectivité may (decision documented in
docs/gestion.md); référents read; nothing changes once the exercice's report is handed in."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse

from actions.navigation import fil_d_ariane, lien_fiche, lien_fiches
from actions.perms import get_fiche_for_user
from conventions.enums import Partie
from conventions.models import Convention
from conventions.perms import collectivites_visible_by, get_convention_for_user, get_exercice_for_user
from core.formulaires import saisies
from core.versions import StaleVersion, conflict

from .forms import (
    ConventionForm,
    ConventionModificationForm,
    DeliberationFormSet,
    FicheNouvelleForm,
    MontantEtatFormSet,
    SignataireFormSet,
    SousGroupeForm,
    TableauForm,
)
from .services import convention_creer, convention_enregistrer, fiche_creer, sous_groupe_creer, tableau_creer


def _donnees(request):
    return request.POST if request.method == "POST" else None


def convention_nouvelle(request):
    user = request.user
    if not (user.is_agent or user.is_administrateur):
        raise PermissionDenied("Seuls les agents des collectivités et les administrateurs créent une convention.")
    form = ConventionForm(_donnees(request), collectivites=collectivites_visible_by(user).order_by("nom"))
    if request.method == "POST" and form.is_valid():
        exercice = convention_creer(**form.cleaned_data)
        messages.success(
            request,
            f"La convention et son exercice {exercice.libelle} sont créés, avec les annexes A et B : "
            "ajoutez les fiches.",
        )
        return redirect("pages:exercice", public_id=exercice.public_id)
    return render(
        request,
        "gestion/convention.html",
        {
            "title": "Nouvelle convention",
            "form": form,
            "breadcrumb_data": {"links": [], "current": "Nouvelle convention", "root_dir": ""},
        },
        status=422 if form.errors else 200,
    )


def fiche_nouvelle(request, public_id):
    exercice = get_exercice_for_user(request.user, public_id, for_write=True)
    form = FicheNouvelleForm(_donnees(request), exercice=exercice)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        fiche = fiche_creer(
            exercice=exercice,
            groupe=donnees["groupe"],
            numero=donnees["numero"].strip(),
            titre=donnees["titre"],
            theme=donnees["theme"],
            description=donnees["description"],
            parts={
                Partie.ETAT: donnees["part_etat"],
                Partie.COLLECTIVITE: donnees["part_collectivite"],
                Partie.AUTRE: donnees["autres"],
            },
        )
        messages.success(request, f"La fiche {fiche.numero} est créée avec son budget prévisionnel.")
        if "encore" in request.POST:
            return redirect("gestion:fiche_nouvelle", public_id=exercice.public_id)
        return redirect("pages:fiche", public_id=fiche.public_id)
    return render(
        request,
        "gestion/fiche.html",
        {
            "title": f"Nouvelle fiche – exercice {exercice.libelle}",
            "exercice": exercice,
            "form": form,
            "breadcrumb_data": fil_d_ariane(exercice, lien_fiches(exercice), courant="Nouvelle fiche"),
        },
        status=422 if form.errors else 200,
    )


def tableau_nouveau(request, public_id):
    fiche = get_fiche_for_user(request.user, public_id, for_write=True)
    exercice = fiche.exercice
    form = TableauForm(_donnees(request), exercice=exercice, initial={"fiches": [fiche]})
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        tableau_creer(
            exercice=exercice,
            titre=donnees["titre"],
            theme=donnees["theme"],
            colonnes=donnees["colonnes"],
            indicateurs=donnees["indicateurs"],
            fiches=donnees["fiches"],
            dimension=donnees["dimension"],
            valeurs_dimension=donnees["valeurs_dimension"],
        )
        messages.success(request, "Le tableau d'indicateurs est créé : saisissez ses valeurs.")
        return redirect(reverse("indicateurs:saisie", args=[fiche.public_id]))
    return render(
        request,
        "gestion/tableau.html",
        {
            "title": f"Nouveau tableau d'indicateurs – {fiche.designation}",
            "fiche": fiche,
            "form": form,
            "breadcrumb_data": fil_d_ariane(
                exercice, lien_fiches(exercice), lien_fiche(fiche), courant="Nouveau tableau d'indicateurs"
            ),
        },
        status=422 if form.errors else 200,
    )


def convention_modifier(request, public_id):
    """A convention's parties, signatories, deliberations, period and State amount per year."""
    convention = get_convention_for_user(request.user, public_id, for_write=True)
    donnees = _donnees(request)
    form = ConventionModificationForm(donnees, instance=convention)
    formsets = {
        "signataires": SignataireFormSet(donnees, instance=convention, prefix="signataires"),
        "deliberations": DeliberationFormSet(donnees, instance=convention, prefix="deliberations"),
        "montants": MontantEtatFormSet(donnees, instance=convention, prefix="montants"),
    }
    conflit = None
    valides = donnees is not None and all([form.is_valid(), *(f.is_valid() for f in formsets.values())])
    if valides:
        try:
            convention_enregistrer(
                convention=convention,
                champs={nom: form.cleaned_data[nom] for nom in ConventionModificationForm.Meta.fields},
                **{nom: saisies(formset) for nom, formset in formsets.items()},
                version_read=form.cleaned_data["version"],
            )
        except StaleVersion:
            actuelle = Convention.objects.get(pk=convention.pk)
            conflit = conflict(actuelle, form, "cette convention")
            form = ConventionModificationForm({**request.POST.dict(), "version": actuelle.version}, instance=actuelle)
        else:
            messages.success(request, "La convention est enregistrée.")
            exercice = convention.exercices.order_by("-date_debut").first()
            return redirect("pages:exercice", public_id=exercice.public_id) if exercice else redirect("accueil")
    statut = 409 if conflit else (422 if donnees is not None else 200)
    return render(
        request,
        "gestion/convention_modifier.html",
        {
            "title": f"Modifier la convention – {convention.collectivite.nom_court}",
            "convention": convention,
            "form": form,
            "formsets": formsets,
            "conflit": conflit,
            "breadcrumb_data": {"links": [], "current": "Modifier la convention", "root_dir": ""},
        },
        status=statut,
    )


def groupes(request, public_id):
    """The exercice's annexes and sub-groups, and a sub-group added."""
    exercice = get_exercice_for_user(request.user, public_id, for_write=True)
    form = SousGroupeForm(_donnees(request), exercice=exercice)
    if request.method == "POST" and form.is_valid():
        groupe = sous_groupe_creer(exercice=exercice, **form.cleaned_data)
        messages.success(request, f"Le groupe {groupe.code} – {groupe.libelle} est créé : ses fiches s'y rangent.")
        return redirect("gestion:groupes", public_id=exercice.public_id)
    return render(
        request,
        "gestion/groupes.html",
        {
            "title": f"Groupes – exercice {exercice.libelle}",
            "exercice": exercice,
            "groupes": list(
                exercice.groupes.select_related("parent").annotate(nb_fiches=Count("fiches")).order_by("ordre", "code")
            ),
            "form": form,
            "breadcrumb_data": fil_d_ariane(exercice, courant="Groupes"),
        },
        status=422 if form.errors else 200,
    )
