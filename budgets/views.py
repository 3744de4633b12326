from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from actions.navigation import fil_d_ariane, lien_fiche, lien_fiches
from actions.perms import get_fiche_for_user
from core.formulaires import saisies
from core.money import quantize_cents
from core.versions import StaleVersion, conflict, version_of

from .calculs import montants_des_parts, somme
from .enums import NatureBudget
from .forms import PARTS_VIDES, BudgetForm, LigneFormSet, PartFormSet, PartLigneFormSet, PartsVidesFormSet
from .models import Budget, Part
from .services import budget_enregistrer


def _budget(fiche, nature):
    if nature not in NatureBudget.values:
        raise Http404("Nature de budget inconnue.")
    budget = Budget.objects.filter(fiche=fiche, nature=nature).first() or Budget(nature=nature)
    budget.fiche = fiche  # read with its exercice already: the form's hints need no query
    return budget


@dataclass
class Formulaires:
    """The budget, its own parts, its lines, and the parts of its saved lines (`parts_lignes_postees`: False when
    the request did not carry that section, which then stays as it is)."""

    form: BudgetForm
    parts: PartFormSet
    lignes: LigneFormSet
    parts_lignes: PartLigneFormSet
    parts_lignes_postees: bool = True

    def valides(self):
        formsets = [self.form, self.parts, self.lignes] + ([self.parts_lignes] if self.parts_lignes_postees else [])
        return all([f.is_valid() for f in formsets])


def _formulaires(budget, fiche, data=None) -> Formulaires:
    parts = budget.parts.filter(ligne__isnull=True) if budget.pk else None
    lignes = LigneFormSet(data, instance=budget, prefix="lignes")
    postees = data is None or "parts_lignes-TOTAL_FORMS" in data
    parts_lignes = PartLigneFormSet(
        data if postees else None,
        instance=budget,
        queryset=budget.parts.filter(ligne__isnull=False).order_by("ligne__ordre", "ordre", "pk")
        if budget.pk
        else None,
        prefix="parts_lignes",
        form_kwargs={"lignes": [f.instance for f in lignes.forms if f.instance.pk]},
    )
    if parts is None or not parts.exists():
        formset_parts = PartsVidesFormSet(data, instance=budget, queryset=parts, prefix="parts", initial=PARTS_VIDES)
    else:
        formset_parts = PartFormSet(data, instance=budget, queryset=parts, prefix="parts")
    return Formulaires(
        BudgetForm(data, instance=budget, prefix="budget"),
        formset_parts,
        lignes,
        parts_lignes,
        postees,
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
            # Hidden fields (the row's id) have no label: a forged id is told as the row's own error.
            libelle = (getattr(f.fields.get(champ), "label", None) or "formulaire").lower()
            yield from (f"{nom} {rang}, {libelle} : {erreur}" for erreur in liste)


def _apercu(budget, f: Formulaires):
    """The totals of what is on the screen, saved or not, and what must be corrected before saving: the budget's own
    parts count, else those of its lines (budgets.calculs.montants_des_parts)."""
    lignes_valides = [
        x.cleaned_data for x in f.lignes.forms if x.is_valid() and x.cleaned_data and not x.cleaned_data.get("DELETE")
    ]
    parts_valides = [
        Part(**{k: v for k, v in x.cleaned_data.items() if k in {"financeur", "montant", "annee"}})
        for x in f.parts.forms
        if x.is_valid() and x.cleaned_data.get("financeur") and not x.cleaned_data.get("DELETE")
    ]
    parts_valides += [
        Part(ligne_id=x.cleaned_data["ligne"], financeur=x.cleaned_data["financeur"], montant=x.cleaned_data["montant"])
        for x in (f.parts_lignes.forms if f.parts_lignes_postees else [])
        if x.is_valid() and x.cleaned_data.get("financeur") and x.cleaned_data.get("ligne")
        if not x.cleaned_data.get("DELETE")
    ]
    erreurs = [*_erreurs(f.lignes, "Ligne"), *_erreurs(f.parts, "Part"), *_erreurs(f.parts_lignes, "Part rattachée")]
    erreurs += [
        f"{f.form.fields[champ].label if champ in f.form.fields else 'Budget'} : {erreur}"
        for champ, liste in f.form.errors.items()
        for erreur in liste
    ]
    total = f.form.cleaned_data.get("total") if f.form.is_valid() else None
    montants_lignes = (ligne.get("montant") for ligne in lignes_valides)
    return _totaux(montants_lignes, parts_valides, total, budget.fiche.exercice.annees, erreurs)


def _contexte(fiche, budget, f: Formulaires, conflit=None):
    return {
        "title": f"{budget.get_nature_display()} – {fiche.designation}",
        "fiche": fiche,
        "budget": budget,
        "form": f.form,
        "parts": f.parts,
        "lignes": f.lignes,
        "parts_lignes": f.parts_lignes,
        "conflit": conflit,
        "breadcrumb_data": fil_d_ariane(
            fiche.exercice, lien_fiches(fiche.exercice), lien_fiche(fiche), courant=budget.get_nature_display()
        ),
    }


def modifier(request, public_id, nature):
    fiche = get_fiche_for_user(request.user, public_id, for_write=True)
    budget = _budget(fiche, nature)
    if request.method != "POST":
        contexte = _contexte(fiche, budget, _formulaires(budget, fiche))
        contexte["apercu"] = _apercu_enregistre(budget, fiche)
        return render(request, "budgets/modifier.html", contexte)
    f = _formulaires(budget, fiche, request.POST)
    if f.valides():
        try:
            budget = budget_enregistrer(
                budget=budget,
                champs={nom: f.form.cleaned_data[nom] for nom in BudgetForm.Meta.fields if nom in f.form.fields},
                parts=saisies(f.parts),
                lignes=saisies(f.lignes),
                parts_lignes=saisies(f.parts_lignes) if f.parts_lignes_postees else None,
                version_read=f.form.cleaned_data["version"],
            )
        except StaleVersion:
            return _conflit(request, fiche, budget, nature)
        messages.success(request, f"{budget.get_nature_display()} enregistré.")
        return redirect(reverse("pages:fiche", args=[fiche.public_id]) + "#budgets")
    contexte = _contexte(fiche, budget, f)
    contexte["apercu"] = _apercu(budget, f)
    return render(request, "budgets/modifier.html", contexte, status=422)


def _conflit(request, fiche, budget, nature):
    """Someone saved this budget meanwhile: keep this user's input, show what is saved now, and let them reconcile."""
    budget_actuel = _budget(fiche, nature)
    donnees = request.POST.copy()
    donnees["budget-version"] = version_of(budget_actuel)
    f = _formulaires(budget_actuel, fiche, donnees)
    f.form.is_valid()
    enregistre = {
        "budget": budget_actuel if budget_actuel.pk else None,
        "lignes": list(budget_actuel.lignes.all()) if budget_actuel.pk else [],
        "parts": list(budget_actuel.parts.filter(ligne__isnull=True)) if budget_actuel.pk else [],
    }
    contexte = _contexte(
        fiche, budget_actuel, f, conflict(budget_actuel if budget_actuel.pk else None, objet="ce budget", **enregistre)
    )
    contexte["apercu"] = _apercu(budget_actuel, f)
    return render(request, "budgets/modifier.html", contexte, status=409)


def _apercu_enregistre(budget, fiche):
    if not budget.pk:
        return _totaux([], [], None, fiche.exercice.annees)
    lignes = [ligne.montant for ligne in budget.lignes.all()]
    return _totaux(lignes, list(budget.parts.all()), budget.total, fiche.exercice.annees)


@require_POST
def apercu(request, public_id, nature):
    """htmx: totals and parity of the form as typed, recomputed by the server (nothing is saved)."""
    fiche = get_fiche_for_user(request.user, public_id, for_write=True)
    budget = _budget(fiche, nature)
    f = _formulaires(budget, fiche, request.POST)
    return render(request, "budgets/includes/apercu.html", {"apercu": _apercu(budget, f)})


@require_GET
def nouvelle_ligne(request, public_id, nature):
    """htmx: an empty budget line for the formset (its index is the current TOTAL_FORMS), and the new count."""
    fiche = get_fiche_for_user(request.user, public_id, for_write=True)
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
