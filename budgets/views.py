from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from actions.models import Fiche
from actions.views import fiche_modifiable_ou_404, fil_d_ariane, lien_fiche, lien_fiches
from calpae.money import quantize_cents
from calpae.verrou import VersionPerimee
from calpae.verrou import conflit as conflit_de

from .calculs import montants_des_parts, somme
from .enums import NatureBudget
from .forms import BudgetForm, LigneFormSet, PartFormSet
from .models import Budget, Part
from .services import budget_enregistrer


def _budget(fiche, nature):
    if nature not in NatureBudget.values:
        raise Http404("Nature de budget inconnue.")
    budget = Budget.objects.filter(fiche=fiche, nature=nature).first()
    return budget or Budget(fiche=fiche, nature=nature)


def _formulaires(budget, fiche, data=None):
    parts = budget.parts.filter(ligne__isnull=True) if budget.pk else None
    return (
        BudgetForm(data, instance=budget, version=fiche.version, prefix="budget"),
        PartFormSet(data, instance=budget, queryset=parts, prefix="parts"),
        LigneFormSet(data, instance=budget, prefix="lignes"),
    )


def _totaux(montants_lignes, parts, total, annees, erreurs=()):
    """Totals and parity of a budget: the same arithmetic as the consistency checks (budgets.calculs)."""
    montants_lignes = list(montants_lignes)
    montants = montants_des_parts(parts, annees)
    somme_lignes = somme(montants_lignes)
    return {
        "montants": montants,
        "somme_lignes": somme_lignes,
        "nb_lignes": len(montants_lignes),
        "total": total,
        "ecart_lignes": total is not None and bool(montants_lignes) and somme_lignes != quantize_cents(total),
        "ecart_parts": total is not None and bool(parts) and montants.total != quantize_cents(total),
        "erreurs": list(erreurs),
    }


def _erreurs(formset, nom):
    for rang, f in enumerate(formset.forms, start=1):
        for champ, liste in f.errors.items():
            libelle = f.fields[champ].label.lower() if champ in f.fields else "formulaire"
            yield from (f"{nom} {rang}, {libelle} : {erreur}" for erreur in liste)


def _apercu(budget, form, parts, lignes):
    """The totals of what is on the screen, saved or not, and what must be corrected before saving."""
    lignes_valides = [
        f.cleaned_data for f in lignes.forms if f.is_valid() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    parts_valides = [
        Part(**{k: v for k, v in f.cleaned_data.items() if k in {"financeur", "montant", "annee"}})
        for f in parts.forms
        if f.is_valid() and f.cleaned_data.get("financeur") and not f.cleaned_data.get("DELETE")
    ]
    erreurs = [*_erreurs(lignes, "Ligne"), *_erreurs(parts, "Part")]
    erreurs += [
        f"{form.fields[champ].label if champ in form.fields else 'Budget'} : {erreur}"
        for champ, liste in form.errors.items()
        for erreur in liste
    ]
    total = form.cleaned_data.get("total") if form.is_valid() else None
    montants_lignes = (ligne.get("montant") for ligne in lignes_valides)
    return _totaux(montants_lignes, parts_valides, total, budget.fiche.exercice.annees, erreurs)


def _contexte(fiche, budget, form, parts, lignes, conflit=None):
    return {
        "title": f"{budget.get_nature_display()} – {fiche.designation}",
        "fiche": fiche,
        "budget": budget,
        "form": form,
        "parts": parts,
        "lignes": lignes,
        "conflit": conflit,
        "breadcrumb_data": fil_d_ariane(
            fiche.exercice, lien_fiches(fiche.exercice), lien_fiche(fiche), courant=budget.get_nature_display()
        ),
    }


def modifier(request, public_id, nature):
    fiche = fiche_modifiable_ou_404(request.user, public_id)
    budget = _budget(fiche, nature)
    if request.method != "POST":
        form, parts, lignes = _formulaires(budget, fiche)
        contexte = _contexte(fiche, budget, form, parts, lignes)
        contexte["apercu"] = _apercu_enregistre(budget, fiche)
        return render(request, "budgets/modifier.html", contexte)
    form, parts, lignes = _formulaires(budget, fiche, request.POST)
    if form.is_valid() and parts.is_valid() and lignes.is_valid():
        try:
            budget = budget_enregistrer(
                fiche=fiche, form=form, parts=parts, lignes=lignes, version_lue=form.cleaned_data["version"]
            )
        except VersionPerimee:
            return _conflit(request, fiche, budget, nature)
        messages.success(request, f"{budget.get_nature_display()} enregistré.")
        return redirect(reverse("actions:fiche", args=[fiche.public_id]) + "#budgets")
    contexte = _contexte(fiche, budget, form, parts, lignes)
    contexte["apercu"] = _apercu(budget, form, parts, lignes)
    return render(request, "budgets/modifier.html", contexte, status=422)


def _conflit(request, fiche, budget, nature):
    """Someone saved this fiche meanwhile: keep this user's input, show what is saved now, and let them reconcile."""
    actuelle = Fiche.objects.get(pk=fiche.pk)
    donnees = request.POST.copy()
    donnees["budget-version"] = actuelle.version
    budget_actuel = _budget(actuelle, nature)
    form, parts, lignes = _formulaires(budget_actuel, actuelle, donnees)
    form.is_valid()
    enregistre = {
        "budget": budget_actuel if budget_actuel.pk else None,
        "lignes": list(budget_actuel.lignes.all()) if budget_actuel.pk else [],
        "parts": list(budget_actuel.parts.filter(ligne__isnull=True)) if budget_actuel.pk else [],
    }
    contexte = _contexte(
        actuelle,
        budget_actuel,
        form,
        parts,
        lignes,
        conflit_de(actuelle, **enregistre),
    )
    contexte["apercu"] = _apercu(budget_actuel, form, parts, lignes)
    return render(request, "budgets/modifier.html", contexte, status=409)


def _apercu_enregistre(budget, fiche):
    if not budget.pk:
        return _totaux([], [], None, fiche.exercice.annees)
    lignes = [ligne.montant for ligne in budget.lignes.all()]
    parts = list(budget.parts.filter(ligne__isnull=True))
    return _totaux(lignes, parts, budget.total, fiche.exercice.annees)


@require_POST
def apercu(request, public_id, nature):
    """htmx: totals and parity of the form as typed, recomputed by the server (nothing is saved)."""
    fiche = fiche_modifiable_ou_404(request.user, public_id)
    budget = _budget(fiche, nature)
    form, parts, lignes = _formulaires(budget, fiche, request.POST)
    return render(request, "budgets/includes/apercu.html", {"apercu": _apercu(budget, form, parts, lignes)})


@require_GET
def nouvelle_ligne(request, public_id, nature):
    """htmx: an empty budget line for the formset (its index is the current TOTAL_FORMS), and the new count."""
    fiche = fiche_modifiable_ou_404(request.user, public_id)
    budget = _budget(fiche, nature)
    try:
        index = max(0, min(int(request.GET.get("lignes-TOTAL_FORMS", "0")), 999))
    except ValueError:
        index = 0
    lignes = LigneFormSet(instance=budget, prefix="lignes")
    form = lignes.form(prefix=lignes.add_prefix(index), empty_permitted=True, use_required_attribute=False)
    lignes.add_fields(form, index)
    return render(
        request, "budgets/includes/ligne.html", {"f": form, "rang": index + 1, "total_forms": index + 1, "oob": True}
    )
