from django.contrib import messages
from django.shortcuts import redirect, render

from core.formulaires import saisies
from core.versions import StaleVersion, conflict

from .forms import FicheForm, SectionFormSet
from .models import Fiche
from .navigation import fil_d_ariane, lien_fiche, lien_fiches
from .perms import get_fiche_for_user
from .services import fiche_enregistrer


def modifier(request, public_id):
    fiche = get_fiche_for_user(request.user, public_id, for_write=True)
    conflit = None
    if request.method == "POST":
        form = FicheForm(request.POST, instance=fiche)
        sections = SectionFormSet(request.POST, instance=fiche, prefix="sections")
        if form.is_valid() and sections.is_valid():
            champs = {nom: form.cleaned_data[nom] for nom in FicheForm.Meta.fields}
            try:
                fiche = fiche_enregistrer(
                    fiche=fiche, champs=champs, sections=saisies(sections), version_read=form.cleaned_data["version"]
                )
            except StaleVersion:
                pass
            else:
                messages.success(request, "La fiche est enregistrée.")
                return redirect("pages:fiche", public_id=fiche.public_id)
            actuelle = Fiche.objects.get(pk=fiche.pk)
            conflit = conflict(actuelle, form)
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
