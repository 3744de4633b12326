import datetime
import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_fsm import TransitionNotAllowed

from actions.models import Fiche
from actions.navigation import fil_d_ariane
from conventions.perms import can_edit, exercice_precedent, get_exercice_for_user
from core.db import TEXTE_LONG
from core.saisie import caractere_nul
from core.taches import mettre_en_file
from core.telechargement import PDF, XLSX, lire, reponse_fichier
from core.versions import StaleVersion, conflict, version_of

from .classeur import classeur_octets
from .completude import points_manquants
from .etat import decision_refaction, etat_rapport
from .forms import AvantProposForm, DecisionRefactionForm, SectionForm
from .instantane import ecarts_entre, instantane
from .models import (
    Commentaire,
    DecisionRefaction,
    Evenement,
    PdfPrepare,
    Rapport,
    SectionRapport,
    VersionTransmise,
)
from .pdf_prepares import pdf_courant, preparer
from .perms import can_comment, can_decide, can_decide_refaction, can_resolve, can_transmit
from .selectors import charger_exercice, nom_fichier, rapport_de
from .services import (
    commentaire_ajouter,
    commentaire_resoudre,
    rapport_accepter,
    rapport_renvoyer,
    rapport_textes_enregistrer,
    rapport_transmettre,
    refaction_decider,
    section_enregistrer,
)
from .tasks import generer_pdf_prepare, mettre_en_page

EMPREINTE = re.compile(r"[0-9a-f]{64}")  # the name of a prepared PDF: the SHA-256 of its HTML

# What the lists of versions never read: the stored files and the HTML the PDF is drawn from.
FICHIERS_VERSION = ("pdf", "classeur", "html")


def fils_de_commentaires(exercice):
    """{fiche id or None: [thread…]}, each thread with its answers (`reponses_chargees`), in one query."""
    commentaires = list(
        Commentaire.objects.filter(rapport__exercice=exercice).select_related("auteur", "resolu_par").order_by("date")
    )
    fils = {}
    for commentaire in commentaires:
        commentaire.reponses_chargees = []
    par_id = {c.pk: c for c in commentaires}
    for commentaire in commentaires:
        if commentaire.parent_id:
            par_id[commentaire.parent_id].reponses_chargees.append(commentaire)
        else:
            fils.setdefault(commentaire.fiche_id, []).append(commentaire)
    return fils


def _lien_rapport(exercice):
    return {"url": reverse("rapports:rapport", args=[exercice.public_id]), "title": "Rapport d'exécution"}


@require_safe
def rapport(request, public_id):
    return _page_rapport(request, get_exercice_for_user(request.user, public_id))


CONFIRMATIONS = {"transmettre", "accepter"}  # the review actions asked for again before they are done


def _page_rapport(request, exercice, erreurs=None, status=200, form_refaction=None, conflit_refaction=None):
    """The report page; `erreurs` ({field: [messages]}) are a refused review action's, shown next to its field with
    what was typed kept; `form_refaction` a refused réfaction decision's. `?confirmer=transmettre` (or `accepter`)
    shows that action's confirmation open: the page a confirmation link leads to without JavaScript."""
    contenu = charger_exercice(exercice, convention=True)
    decision = decision_refaction(exercice)
    peut_decider_refaction = can_decide_refaction(request.user, exercice)
    if form_refaction is None and peut_decider_refaction:
        form_refaction = DecisionRefactionForm(instance=decision)
    confirmer = request.GET.get("confirmer") if request.method == "GET" else request.resolver_match.url_name
    return render(
        request,
        "rapports/rapport.html",
        {
            "erreurs_revue": erreurs or {},
            "saisie_revue": request.POST if erreurs else {},
            "etat": etat_rapport(exercice),
            "confirmer": confirmer if confirmer in CONFIRMATIONS and (erreurs or request.method == "GET") else "",
            "decision_refaction": decision,
            "form_refaction": form_refaction,
            "conflit_refaction": conflit_refaction,
            "peut_decider_refaction": peut_decider_refaction,
            "title": f"Rapport d'exécution {exercice.libelle}",
            "exercice": exercice,
            "contenu": contenu,
            "points": points_manquants(contenu),
            "peut_modifier": can_edit(request.user, exercice),
            "peut_transmettre": can_transmit(request.user, exercice),
            "peut_decider": can_decide(request.user, exercice),
            "peut_commenter": can_comment(request.user, exercice),
            "peut_resoudre": can_resolve(request.user, exercice),
            "fils": fils_de_commentaires(exercice),
            "versions": list(VersionTransmise.objects.filter(rapport__exercice=exercice).defer(*FICHIERS_VERSION)),
            "evenements": list(
                Evenement.objects.filter(rapport__exercice=exercice)
                .select_related("auteur", "version_transmise")
                .defer(*(f"version_transmise__{champ}" for champ in FICHIERS_VERSION))
                .order_by("-date")
            ),
            "breadcrumb_data": fil_d_ariane(exercice, courant="Rapport d'exécution"),
        },
        status=status,
    )


def _modifiable(request, public_id):
    try:
        return get_exercice_for_user(request.user, public_id, for_write=True)
    except PermissionDenied:
        raise PermissionDenied("Vous pouvez lire ce rapport, pas le modifier.") from None


def avant_propos(request, public_id):
    exercice = _modifiable(request, public_id)
    rapport = rapport_de(exercice)
    conflit = None
    form = AvantProposForm(request.POST or None, instance=rapport)
    if request.method == "POST" and form.is_valid():
        champs = {nom: form.cleaned_data[nom] for nom in AvantProposForm.Meta.fields}
        try:
            rapport_textes_enregistrer(rapport=rapport, champs=champs, version_read=form.cleaned_data["version"])
        except StaleVersion:
            actuel = Rapport.objects.filter(exercice=exercice).first()
            conflit = conflict(actuel, form, "ce rapport")
            form = AvantProposForm(
                {**request.POST.dict(), "version": version_of(actuel)}, instance=actuel or rapport_de(exercice)
            )
        else:
            messages.success(request, "L'avant-propos est enregistré.")
            return redirect(reverse("rapports:rapport", args=[exercice.public_id]) + "#avant-propos")
    return render(
        request,
        "rapports/modifier.html",
        {
            "title": f"Avant-propos – rapport {exercice.libelle}",
            "titre": "Avant-propos, délibération et signature",
            "exercice": exercice,
            "form": form,
            "conflit": conflit,
            "retour": reverse("rapports:rapport", args=[exercice.public_id]),
            "breadcrumb_data": fil_d_ariane(exercice, _lien_rapport(exercice), courant="Avant-propos"),
        },
        status=409 if conflit else 200,
    )


def _section_de(rapport, fiche):
    """The fiche's section as saved now, or a new one."""
    section = SectionRapport.objects.filter(rapport=rapport, fiche=fiche).first() if rapport.pk else None
    return section or SectionRapport(rapport=rapport, fiche=fiche)


def section(request, public_id, fiche_id):
    exercice = _modifiable(request, public_id)
    fiche = get_object_or_404(Fiche.objects.filter(exercice=exercice), public_id=fiche_id)
    rapport = rapport_de(exercice)
    section = _section_de(rapport, fiche)
    conflit = None
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        champs = {nom: form.cleaned_data[nom] for nom in SectionForm.Meta.fields}
        try:
            section_enregistrer(
                rapport=rapport, section=section, champs=champs, version_read=form.cleaned_data["version"]
            )
        except StaleVersion:
            actuelle = _section_de(rapport_de(exercice), fiche)
            conflit = conflict(actuelle if actuelle.pk else None, form, "cette section du rapport")
            form = SectionForm({**request.POST.dict(), "version": version_of(actuelle)}, instance=actuelle)
        else:
            messages.success(request, f"La section de la fiche {fiche.numero} est enregistrée.")
            return redirect(reverse("rapports:rapport", args=[exercice.public_id]) + f"#fiche-{fiche.pk}")
    return render(
        request,
        "rapports/modifier.html",
        {
            "title": f"Fiche {fiche.numero} – rapport {exercice.libelle}",
            "titre": f"{fiche.numero} : {fiche.titre}",
            "exercice": exercice,
            "fiche": fiche,
            "form": form,
            "conflit": conflit,
            "retour": reverse("rapports:rapport", args=[exercice.public_id]) + f"#fiche-{fiche.pk}",
            "breadcrumb_data": fil_d_ariane(exercice, _lien_rapport(exercice), courant=fiche.designation),
        },
        status=409 if conflit else 200,
    )


def _date_heure(moment):
    return f"{timezone.localtime(moment):%d/%m/%Y à %H:%M}"


@require_safe
def pdf(request, public_id):
    """The report as it stands, as a PDF. Served at once when laid out for the report's current content revision
    (rapports.revisions prepares it in the background once the report stops changing). Else laid out once per state
    of the report (the fingerprint of its HTML): in the request when it is short (settings.
    CALPAE_PDF_SYNCHRONE_MAX_OCTETS of HTML, about 90 pages), else by a background job while a page waits for it
    (`?empreinte=…` then names that state, `&attente=1` asks whether it is ready)."""
    exercice = get_exercice_for_user(request.user, public_id)
    if request.GET.get("empreinte"):
        if not EMPREINTE.fullmatch(request.GET["empreinte"]):  # a SHA-256 in hex; anything else names no PDF
            raise Http404("PDF inconnu.")
        prepare = get_object_or_404(PdfPrepare, exercice=exercice, empreinte=request.GET["empreinte"])
        if prepare.pdf_genere_le is not None and not request.GET.get("attente"):
            return reponse_fichier(lire(prepare.pdf), f"{nom_fichier(exercice)}.pdf", PDF)
        pret = prepare.pdf_genere_le is not None
        return _attente_pdf(request, exercice, pret, "?empreinte=" + prepare.empreinte, depuis=prepare.demande_le)
    prepare = pdf_courant(exercice)
    if prepare is not None:  # laid out ahead of time, or asked for already, and the report has not changed since
        return reponse_fichier(lire(prepare.pdf), f"{nom_fichier(exercice)}.pdf", PDF)
    prepare, cree, html, contenu = preparer(exercice)
    nom = f"{contenu.nom_fichier}.pdf"
    empreinte = prepare.empreinte
    if prepare.pdf_genere_le is not None:
        return reponse_fichier(lire(prepare.pdf), nom, PDF)
    if len(html.encode()) <= settings.CALPAE_PDF_SYNCHRONE_MAX_OCTETS:
        return reponse_fichier(mettre_en_page(PdfPrepare, prepare.pk), nom, PDF)
    if cree:
        mettre_en_file(generer_pdf_prepare, prepare.pk)
    return _attente_pdf(
        request,
        exercice,
        False,
        "?empreinte=" + empreinte,
        depuis=prepare.demande_le,
        titre=f"Rapport d'exécution {exercice.libelle} : PDF en préparation",
        message=f"Le rapport est long : sa mise en page a commencé le {_date_heure(prepare.demande_le)} et prend "
        "jusqu'à une minute. Le lien de téléchargement s'affiche ici dès qu'il est prêt.",
    )


ATTENTE_MAX = datetime.timedelta(minutes=10)  # a job not done by then has failed, or no worker runs


def _attente_pdf(request, exercice, pret, requete, depuis, titre="", message=""):
    """While a background job lays out a PDF: the page that waits (202), or for its poll (`attente`), the part that
    says whether it is ready, with the link once it is. `requete`: the query naming that PDF; `depuis`: when it was
    asked for (after ATTENTE_MAX the page stops asking and says so)."""
    contexte = {
        "exercice": exercice,
        "pret": pret,
        "trop_long": not pret and timezone.now() - depuis > ATTENTE_MAX,
        "lien": request.path + requete,
        "sonde": request.path + requete + ("&" if requete else "?") + "attente=1",
    }
    if request.GET.get("attente"):
        return render(request, "rapports/includes/attente_pdf.html", contexte)
    contexte |= {"title": titre, "titre": titre, "message": message}
    return render(request, "rapports/pdf_en_preparation.html", contexte, status=202)


@require_safe
def xlsx(request, public_id):
    exercice = get_exercice_for_user(request.user, public_id)
    return reponse_fichier(classeur_octets(exercice), f"{nom_fichier(exercice)}.xlsx", XLSX)


def _action_revue(request, public_id, permission, service, message, **champs):
    """A review transition (POST): the rights, the service, its refusal shown on the report page."""
    exercice = get_exercice_for_user(request.user, public_id)
    if not permission(request.user, exercice):
        raise PermissionDenied("Cette action n'est pas possible pour vous sur ce rapport dans son état actuel.")
    textes = {c: request.POST.get(c, "") for c in champs}
    nuls = {champ: [refus] for champ, texte in textes.items() if (refus := caractere_nul(texte, maximum=TEXTE_LONG))}
    if nuls:
        return _page_rapport(request, exercice, erreurs=nuls, status=422)
    try:
        service(exercice=exercice, user=request.user, **textes)
    except ValidationError as erreur:  # shown next to the field, where the user's eyes are, with the text kept
        return _page_rapport(request, exercice, erreurs=erreur.message_dict, status=422)
    except TransitionNotAllowed:
        messages.error(request, "Le rapport a changé d'état entre-temps : rechargez la page.")
        return redirect(reverse("rapports:rapport", args=[exercice.public_id]) + "#revue")
    messages.success(request, message)
    return redirect(reverse("rapports:rapport", args=[exercice.public_id]) + "#revue")


@require_POST
def transmettre(request, public_id):
    return _action_revue(
        request,
        public_id,
        can_transmit,
        rapport_transmettre,
        "Le rapport est transmis à la préfecture.",
        justification=True,
    )


@require_POST
def renvoyer(request, public_id):
    return _action_revue(
        request, public_id, can_decide, rapport_renvoyer, "Le rapport est renvoyé pour compléments.", motif=True
    )


@require_POST
def accepter(request, public_id):
    return _action_revue(request, public_id, can_decide, rapport_accepter, "Le rapport est accepté.", motif=True)


@require_POST
def refaction(request, public_id):
    """The référent records the réfaction decided for the exercice; a refused input comes back next to its field."""
    exercice = get_exercice_for_user(request.user, public_id)
    if not can_decide_refaction(request.user, exercice):
        raise PermissionDenied("Seul le référent de la préfecture décide d'une réfaction.")
    decision = DecisionRefaction.objects.filter(exercice=exercice).first()
    form = DecisionRefactionForm(request.POST, instance=decision)
    if not form.is_valid():
        return _page_rapport(request, exercice, form_refaction=form, status=422)
    try:
        refaction_decider(
            exercice=exercice,
            user=request.user,
            montant=form.cleaned_data["montant"],
            motif=form.cleaned_data["motif"],
            date_decision=form.cleaned_data["date_decision"],
            version_read=form.cleaned_data["version"],
        )
    except StaleVersion:
        actuelle = DecisionRefaction.objects.filter(exercice=exercice).first()
        conflit = conflict(actuelle, form, "cette décision de réfaction")
        form = DecisionRefactionForm({**request.POST.dict(), "version": version_of(actuelle)}, instance=actuelle)
        return _page_rapport(request, exercice, form_refaction=form, conflit_refaction=conflit, status=409)
    messages.success(request, "La décision de réfaction est enregistrée.")
    return redirect(reverse("rapports:rapport", args=[exercice.public_id]) + "#refaction")


@require_safe
def version(request, public_id, numero, format):
    """A transmitted version, exactly as it was sent."""
    exercice = get_exercice_for_user(request.user, public_id)
    if format not in ("pdf", "xlsx"):
        raise Http404("Format inconnu.")
    versions = VersionTransmise.objects.filter(rapport__exercice=exercice).defer("html", "contenu")
    version = get_object_or_404(versions.defer("classeur" if format == "pdf" else "pdf"), numero=numero)
    nom = f"{nom_fichier(exercice)}_version-{numero}"
    if format == "pdf":
        if not version.pdf_pret or request.GET.get("attente"):  # the background job has not laid it out yet
            return _attente_pdf(
                request,
                exercice,
                version.pdf_pret,
                "",
                depuis=version.transmise_le,
                titre=f"Version transmise n°{numero} : PDF en préparation",
                message=f"Le rapport a bien été transmis le {_date_heure(version.transmise_le)} : son contenu est "
                "figé. La mise en page d'un long rapport prend jusqu'à une minute ; le lien de téléchargement "
                "s'affiche ici dès qu'il est prêt.",
            )
        return reponse_fichier(lire(version.pdf), f"{nom}.pdf", PDF)
    return reponse_fichier(lire(version.classeur), f"{nom}.xlsx", XLSX)


@require_POST
def commenter(request, public_id):
    exercice = get_exercice_for_user(request.user, public_id)
    if not can_comment(request.user, exercice):
        raise PermissionDenied("Vous ne pouvez pas commenter ce rapport.")
    fiche = parent = None
    if request.POST.get("parent"):  # an answer: in a thread of this report
        fils = Commentaire.objects.filter(rapport__exercice=exercice, parent__isnull=True)
        parent = get_object_or_404(fils, public_id=_uuid(request.POST["parent"]))
        fiche = parent.fiche
    elif request.POST.get("fiche"):  # a new thread on a fiche section of this exercice
        fiche = get_object_or_404(Fiche.objects.filter(exercice=exercice), public_id=_uuid(request.POST["fiche"]))
    ancre = f"#fiche-{fiche.pk}" if fiche else "#revue"
    texte = request.POST.get("texte", "")
    if refus_nul := caractere_nul(texte, maximum=TEXTE_LONG):
        messages.error(request, refus_nul)
        return redirect(reverse("rapports:rapport", args=[exercice.public_id]) + ancre)
    try:
        commentaire_ajouter(exercice=exercice, user=request.user, texte=texte, fiche=fiche, parent=parent)
    except ValidationError as erreur:
        for texte in erreur.message_dict.get("texte", []):
            messages.error(request, texte)
    else:
        messages.success(request, "Commentaire envoyé.")
    return redirect(reverse("rapports:rapport", args=[exercice.public_id]) + ancre)


@require_POST
def resoudre(request, public_id, commentaire_id):
    exercice = get_exercice_for_user(request.user, public_id)
    commentaire = get_object_or_404(Commentaire.objects.filter(rapport__exercice=exercice), public_id=commentaire_id)
    if not can_resolve(request.user, exercice):
        raise PermissionDenied("Seul le référent de la préfecture résout un fil de commentaires.")
    commentaire_resoudre(commentaire=commentaire, user=request.user)
    messages.success(request, "Fil de commentaires résolu.")
    ancre = f"#fiche-{commentaire.fiche_id}" if commentaire.fiche_id else "#revue"
    return redirect(reverse("rapports:rapport", args=[exercice.public_id]) + ancre)


def _uuid(texte):
    try:
        return uuid.UUID(texte)
    except ValueError:
        raise Http404("Identifiant invalide.") from None


@require_safe
def ecarts(request, public_id):
    """Two states of the report side by side: two transmitted versions, the current state, or the previous exercice."""
    exercice = get_exercice_for_user(request.user, public_id)
    versions = {
        str(v.numero): v
        for v in VersionTransmise.objects.filter(rapport__exercice=exercice).defer("pdf", "classeur", "html")
    }
    precedent = exercice_precedent(exercice)
    choix = [("actuel", "État actuel du rapport")]
    choix += [
        (n, f"Version transmise n°{n} ({v.transmise_le:%d/%m/%Y})") for n, v in sorted(versions.items(), reverse=True)
    ]
    if precedent is not None:
        choix.append(("precedent", f"Exercice précédent ({precedent.libelle})"))
    numeros = sorted(versions, key=int)
    defaut_de = numeros[-2] if len(numeros) >= 2 else ("precedent" if precedent else "actuel")
    defaut_a = numeros[-1] if len(numeros) >= 2 else "actuel"
    de, a = request.GET.get("de", defaut_de), request.GET.get("a", defaut_a)

    def etat(cle):
        if cle in versions:
            return versions[cle].contenu
        if cle == "precedent" and precedent is not None:
            return instantane(precedent)
        if cle == "actuel":
            return instantane(exercice)
        raise Http404("Version inconnue.")

    ecarts = ecarts_entre(etat(de), etat(a))
    return render(
        request,
        "rapports/ecarts.html",
        {
            "title": f"Comparer – rapport {exercice.libelle}",
            "exercice": exercice,
            "choix": choix,
            "de": de,
            "a": a,
            "ecarts": ecarts,
            "breadcrumb_data": fil_d_ariane(exercice, _lien_rapport(exercice), courant="Comparer"),
        },
    )
