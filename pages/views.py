"""The pages that read across apps. Each renders the read model of its exercices (rapports.selectors) and checks
the user's rights through the apps' perms; none writes (edits live in the apps that own the data)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe
from dsfr.utils import list_pages

from actions.models import Fiche
from actions.navigation import fil_d_ariane, lien_fiche, lien_fiches
from actions.perms import get_fiche_for_user
from budgets.enums import NatureBudget
from conventions.models import Convention, Exercice, ObjectifTerritorial, Region
from conventions.perms import (
    EXERCICE_RELATED,
    can_edit,
    can_prepare_avenant,
    collectivite_ids_visible_by,
    collectivites_visible_by,
    exercice_precedent,
    exercices_visible_by,
    get_exercice_for_user,
)
from core.telechargement import XLSX, reponse_fichier
from core.versions import last_change
from indicateurs.grilles import charger_tableaux
from rapports.etat import decision_refaction, etat_rapport, etats_rapports, journee_du_referent
from rapports.selectors import charger_exercice, ordre_du_referent

from .alertes import alertes_liees
from .comparaison import MAXIMUM_EXERCICES, comparer_exercices
from .exports import classeur_comparaison, classeur_fiches, classeur_pilotage, classeur_suivi
from .filters import FicheFilter, PilotageFilter, SuiviFilter
from .forms import ComparaisonForm, choix_par_collectivite
from .historique import historique_fiche
from .objectifs import plans_territoriaux
from .pilotage import COULEURS, LEGENDES, carte, dimensions_carte, resumes_courants, territoires, totaux
from .synthese import rangees_synthese
from .tableau_de_suivi import SUIVI_PAR_PAGE, rangees_suivi
from .tables import FichesTable, PilotageTable, RangeeFiche


def _exercices(user):
    return (
        exercices_visible_by(user)
        .select_related(*EXERCICE_RELATED)
        .order_by("-date_fin", "convention__collectivite__code_insee")
    )


def _courant(exercices, etats):
    """The exercice to work on: a report sent back for compléments first, else the most recent one whose report is
    not handed in yet (else the most recent)."""
    a_faire = [e for e in exercices if not (e.rapport_existant and e.rapport_existant.is_handed_in())]
    renvoyes = [e for e in a_faire if etats[e.pk].renvoye]
    return (renvoyes or a_faire or exercices or [None])[0]


@require_safe
def accueil(request):
    """Home: for an agent, the exercice that needs them (a sent-back report first, with its reason and open comments);
    for a référent, the day's work: reports to examine (oldest transmission first), comments awaiting their answer,
    late reports. Then every exercice the user sees. A fixed number of queries. A pilotage account (every collectivité,
    or a région's) starts on /pilotage/: the view made for hundreds of exercices."""
    if request.user.is_pilotage:
        return redirect("pages:pilotage")
    exercices = list(_exercices(request.user))
    etats = etats_rapports(exercices)
    for exercice in exercices:
        exercice.etat = etats[exercice.pk]
    contexte = {"title": "Accueil", "exercices": exercices, "courant": None, "journee": None}
    if request.user.is_agent:
        exercice_courant = _courant(exercices, etats)
        courant = (
            charger_exercice(exercice_courant, indicateurs="manquants", textes=False, sections=False)
            if exercice_courant
            else None
        )
        contexte.update(
            courant=courant,
            etat_courant=etats[exercice_courant.pk] if exercice_courant else None,
            alertes=alertes_liees(courant) if courant else [],
            peut_modifier=bool(courant) and can_edit(request.user, courant.exercice),
        )
    elif request.user.is_referent:
        contexte["journee"] = journee_du_referent(etats.values())
    return render(request, "pages/accueil.html", contexte)


@require_safe
def exercice(request, public_id):
    exercice = get_exercice_for_user(request.user, public_id)
    lu = charger_exercice(exercice, indicateurs="manquants", textes=False, sections=False, convention=True)
    return render(
        request,
        "pages/exercice.html",
        {
            "title": f"{exercice.signataire.nom_court} – exercice {exercice.libelle}",
            "exercice": exercice,
            "suivi": lu,
            "lu": lu,
            "alertes": alertes_liees(lu),
            "lignes": rangees_synthese(lu),
            "avec_autres": bool(lu.montants.autres),
            "nb_colonnes": len(lu.annees) + 5 + bool(lu.montants.autres),
            "peut_modifier": can_edit(request.user, exercice),
            "peut_preparer_avenant": can_prepare_avenant(request.user, exercice),
            "precedent": exercice_precedent(exercice),
            "etat": etat_rapport(exercice),
            "decision_refaction": decision_refaction(exercice),
            "breadcrumb_data": {"links": [], "root_dir": "", "current": f"Exercice {exercice.libelle}"},
        },
    )


@require_safe
def fiches(request, public_id):
    exercice = get_exercice_for_user(request.user, public_id)
    lu = charger_exercice(exercice, indicateurs="manquants", textes=False, sections=False)
    filtre = FicheFilter(request.GET or None, queryset=Fiche.objects.filter(exercice=exercice), lu=lu)
    retenues = set(filtre.qs.values_list("pk", flat=True)) if filtre.is_bound and filtre.is_valid() else None
    lignes = [f for f in lu.fiches_dans_l_ordre if retenues is None or f.fiche.pk in retenues]
    if request.GET.get("export") == "xlsx":  # what the list shows, with its filters
        nom = f"Fiches_{exercice.nom_court}_{exercice.libelle}.xlsx".replace(" ", "-").replace("/", "-")
        return reponse_fichier(classeur_fiches(exercice, lignes), nom, XLSX)
    table = FichesTable([RangeeFiche(fiche_lue) for fiche_lue in lignes])
    table.caption = f"Fiches de l'exercice {exercice.libelle} ({len(lignes)} sur {len(lu.fiches)})"
    # The order asked (`?sort=-titre`), when it names sortable columns: django-tables2 reads anything else as an
    # accessor path (a `.` in it is deprecated, a warning turned into a 500 under the tests' strict warnings).
    tri = request.GET.get(table.prefixed_order_by_field, "")
    triables = {colonne.name for colonne in table.columns if colonne.orderable}
    if tri and all(cle.lstrip("-") in triables for cle in tri.split(",")):
        table.order_by = tri
    return render(
        request,
        "pages/fiches.html",
        {
            "title": f"Fiches – exercice {exercice.libelle}",
            "exercice": exercice,
            "filtre": filtre,
            "table": table,
            "peut_modifier": can_edit(request.user, exercice),
            "requete": request.GET.urlencode(),
            "breadcrumb_data": fil_d_ariane(exercice, courant="Fiches"),
        },
    )


@require_safe
def fiche(request, public_id):
    fiche = get_fiche_for_user(request.user, public_id)
    exercice = fiche.exercice
    lu = charger_exercice(exercice, indicateurs="manquants", textes=False, sections=False)
    fiche_lue = lu.par_fiche[fiche.pk]
    lignee = (
        Fiche.objects.filter(action_id=fiche.action_id)
        .exclude(pk=fiche.pk)
        .filter(exercice__convention__collectivite_id__in=collectivite_ids_visible_by(request.user))
        .select_related("exercice")
        .order_by("exercice__date_debut")
    )
    auteur, date = last_change(fiche)
    return render(
        request,
        "pages/fiche.html",
        {
            "title": f"Fiche {fiche.numero} – {fiche.titre}",
            "fiche": fiche,
            "exercice": exercice,
            "sections": list(fiche.sections.all()),
            "budgets": fiche_lue.budgets_affiches,
            "suivi_fiche": fiche_lue,
            "alertes": [a for a in alertes_liees(lu) if a.fiche and a.fiche.pk == fiche.pk],
            "grilles": charger_tableaux([exercice], fiche=fiche).get(exercice.pk, []),
            "lignee": list(lignee),
            "dernier_auteur": auteur,
            "derniere_date": date,
            "peut_modifier": can_edit(request.user, exercice),
            "natures": NatureBudget.choices,
            "breadcrumb_data": fil_d_ariane(exercice, lien_fiches(exercice), courant=fiche.designation),
        },
    )


@require_safe
def historique(request, public_id):
    fiche = get_fiche_for_user(request.user, public_id)
    page = list_pages(Paginator(historique_fiche(fiche), 50).get_page(request.GET.get("page")))
    return render(
        request,
        "pages/historique.html",
        {
            "title": f"Historique de la fiche {fiche.numero}",
            "fiche": fiche,
            "page_obj": page,
            "breadcrumb_data": fil_d_ariane(
                fiche.exercice, lien_fiches(fiche.exercice), lien_fiche(fiche), courant="Historique"
            ),
        },
    )


@require_safe
def suivi(request):
    """The dashboard of the collectivités the user follows (a référent's work list), with filters and export.

    Filters and order (reports waiting for the référent's decision first, oldest transmission first, then late
    reports, then the nearest deadlines: rapports.selectors.ordre_du_referent) are SQL; the amounts and warnings are
    computed for the page shown only (SUIVI_PAR_PAGE rows), so the page costs the same for 4 exercices or 400. The
    export computes every filtered row."""
    exercices = exercices_visible_by(request.user).select_related(*EXERCICE_RELATED)
    filtre = SuiviFilter(
        request.GET or None,
        queryset=ordre_du_referent(exercices),
        collectivites=collectivites_visible_by(request.user),
    )
    retenus = filtre.qs if filtre.is_bound and filtre.is_valid() else filtre.queryset
    if request.GET.get("export") == "xlsx":
        return reponse_fichier(classeur_suivi(rangees_suivi(retenus)), "Suivi_des_rapports_d_execution.xlsx", XLSX)
    page = Paginator(retenus, SUIVI_PAR_PAGE).get_page(request.GET.get("page"))
    page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))  # for DSFR
    return render(
        request,
        "pages/suivi.html",
        {
            "title": "Suivi des rapports d'exécution",
            "lignes": rangees_suivi(page.object_list),
            "page_obj": page,
            "filtre": filtre,
            "requete": request.GET.urlencode(),
            "breadcrumb_data": {"links": [], "current": "Suivi des rapports", "root_dir": ""},
        },
    )


def _selection_par_defaut(exercices):
    """The latest exercice of each collectivité, or the years of the only one the user sees."""
    derniers = {}
    for exercice in sorted(exercices, key=lambda e: e.date_fin):
        derniers[exercice.convention.collectivite_id] = exercice
    choisis = list(derniers.values()) if len(derniers) >= 2 else exercices
    return sorted(choisis, key=lambda e: e.date_fin, reverse=True)[:MAXIMUM_EXERCICES]


CHAMPS_COMPARAISON = (
    "public_id",
    "libelle",
    "acte",
    "intitule_acte",
    "territoire",
    "date_debut",
    "date_fin",
    "convention__collectivite__nom_court",
    "collectivite_signataire__nom_court",
)


@require_safe
def comparaison(request):
    """Exercices side by side (collectivités, or the years of one): budgets, axes and common indicators."""
    visibles = (
        exercices_visible_by(request.user)
        .select_related("convention__collectivite", "collectivite_signataire")
        .only(*CHAMPS_COMPARAISON)  # hundreds of exercices listed: only what the page and the figures read
    )
    form = ComparaisonForm(request.GET if "exercices" in request.GET else None, exercices=visibles)
    tous = list(visibles)
    if form.is_bound:
        choisis = list(form.cleaned_data["exercices"]) if form.is_valid() else []
        coches = set(request.GET.getlist("exercices"))
    else:
        choisis = _selection_par_defaut(tous)
        coches = {str(e.public_id) for e in choisis}
    choisis.sort(key=lambda e: (e.convention.collectivite.nom_court, e.date_debut))
    comparaison = comparer_exercices(choisis) if len(choisis) >= 2 else None
    if comparaison is not None and request.GET.get("export") == "xlsx":
        return reponse_fichier(classeur_comparaison(comparaison), "Comparaison_des_exercices.xlsx", XLSX)
    return render(
        request,
        "pages/comparaison.html",
        {
            "title": "Comparer des exercices",
            "form": form,
            "choix": choix_par_collectivite(tous, coches),
            "comparaison": comparaison,
            "requete": request.GET.urlencode(),
            "breadcrumb_data": {"links": [], "current": "Comparer des exercices", "root_dir": ""},
        },
    )


@require_safe
def pilotage(request):
    """Every collectivité's current exercice the user reads (the nation, a région, the collectivités a référent
    follows): filters, order and totals in SQL on the summaries; the tile map of France; export of every filtered
    row."""
    resumes = resumes_courants(request.user)
    regions = Region.objects.filter(pk__in=collectivites_visible_by(request.user).values("region")).order_by("nom")
    filtre = PilotageFilter(request.GET or None, queryset=resumes, regions=regions)
    retenus = filtre.qs if filtre.is_bound and filtre.is_valid() else filtre.queryset
    totaux_regions, national = totaux(retenus)
    if request.GET.get("export") == "xlsx":
        return reponse_fichier(
            classeur_pilotage(list(retenus), totaux_regions, national), "Pilotage_des_conventions.xlsx", XLSX
        )
    table = PilotageTable(retenus)
    table.caption = "L'exercice en cours de chaque collectivité (cliquez un en-tête pour trier)"
    tri = request.GET.get(table.prefixed_order_by_field, "")  # sortable columns only (see `fiches`)
    if tri and all(cle.lstrip("-") in {c.name for c in table.columns if c.orderable} for cle in tri.split(",")):
        table.order_by = tri
    lignes = list(table.data)
    couleur = request.GET.get("couleur") if request.GET.get("couleur") in COULEURS else "etat"
    tuiles = carte(lignes, territoires(), couleur)
    largeur, hauteur = dimensions_carte(tuiles)
    sans_couleur = request.GET.copy()
    sans_couleur.pop("couleur", None)
    return render(
        request,
        "pages/pilotage.html",
        {
            "title": "Pilotage des conventions",
            "table": table,
            "filtre": filtre,
            "totaux_regions": totaux_regions,
            "national": national,
            "tuiles": tuiles,
            "largeur_carte": largeur,
            "hauteur_carte": hauteur,
            "couleur": couleur,
            "legende": LEGENDES[couleur],
            "requete": request.GET.urlencode(),
            "requete_sans_couleur": sans_couleur.urlencode(),
            "fictives": any(r.exercice.convention.collectivite.donnees_fictives for r in lignes),
            "breadcrumb_data": {"links": [], "current": "Pilotage", "root_dir": ""},
        },
    )


@require_safe
def collectivite(request, public_id):
    """A collectivité: its conventions and exercices, and the context of its own plans (territorial objectives)."""
    collectivite = get_object_or_404(collectivites_visible_by(request.user), public_id=public_id)
    conventions = (
        Convention.objects.filter(collectivite=collectivite)
        .prefetch_related(Prefetch("exercices", queryset=Exercice.objects.order_by("date_debut")))
        .order_by("-date_debut")
    )
    return render(
        request,
        "pages/collectivite.html",
        {
            "title": collectivite.nom,
            "collectivite": collectivite,
            "conventions": list(conventions),
            "plans": plans_territoriaux(ObjectifTerritorial.objects.filter(collectivite=collectivite)),
            "breadcrumb_data": {"links": [], "current": collectivite.nom, "root_dir": ""},
        },
    )


# The pages a State service owes its users, public (no sign-in) and linked from every page's footer through the URL
# names django-dsfr's footer resolves (calpae/urls.py).


def _page_publique(request, gabarit, titre, **contexte):
    return render(request, gabarit, {"title": titre, "contact": settings.CALPAE_CONTACT, **contexte})


@login_not_required
@require_safe
def accessibilite(request):
    """The RGAA accessibility statement; the footer shows the same status (DsfrConfig.accessibility_status)."""
    return _page_publique(request, "pages/accessibilite.html", "Déclaration d'accessibilité")


@login_not_required
@require_safe
def mentions_legales(request):
    return _page_publique(
        request,
        "pages/mentions_legales.html",
        "Mentions légales",
        editeur=settings.CALPAE_EDITEUR,
        directeur=settings.CALPAE_DIRECTEUR_PUBLICATION,
        hebergeur=settings.CALPAE_HEBERGEUR,
        hebergeur_adresse=settings.CALPAE_HEBERGEUR_ADRESSE,
    )


@login_not_required
@require_safe
def donnees_personnelles(request):
    """What is kept about a user and for how long: the durations are the settings' own."""
    return _page_publique(
        request,
        "pages/donnees_personnelles.html",
        "Données personnelles",
        editeur=settings.CALPAE_EDITEUR,
        # Durations in seconds (the |duree filter writes them in words).
        inactivite=settings.CALPAE_SESSION_INACTIVITE,
        duree_max=settings.CALPAE_SESSION_DUREE_MAX,
        blocage=round(settings.AXES_COOLOFF_TIME * 3600),
        echecs_max=settings.AXES_FAILURE_LIMIT,
        lien_reinitialisation=settings.PASSWORD_RESET_TIMEOUT,
        proconnect=settings.PROCONNECT_ACTIF,
    )
