"""The review of a report: transmit, send back, accept. Each transition is atomic, recorded in the audit log with
who, when and why, and announced by e-mail; what is transmitted is frozen (its PDF and workbook are stored)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role
from comptes.models import User
from conventions.models import Collectivite
from core.money import format_euros
from core.taches import mettre_en_file
from core.versions import StaleVersion, save_if_version

from .classeur import classeur_octets
from .completude import points_manquants
from .instantane import instantane
from .models import Commentaire, DecisionRefaction, Evenement, Rapport, VersionTransmise
from .pdf import html_rapport
from .selectors import charger_exercice, rapport_de
from .tasks import generer_pdf_version


def _destinataires(exercice, role):
    """The agents of the exercice's collectivité, or the référents who follow it (successors and predecessors too)."""
    collectivite = exercice.convention.collectivite
    perimetre = Collectivite.objects.filter(pk=collectivite.pk) | Collectivite.objects.filter(
        pk=collectivite.successeur_id or 0
    )
    return list(
        User.objects.filter(role=role, is_active=True, collectivites__in=perimetre)
        .distinct()
        .values_list("email", flat=True)
    )


def annoncer(exercice, role, sujet, corps) -> int:
    """An e-mail to the exercice's agents or référents; returns how many were sent (0 or 1)."""
    destinataires = _destinataires(exercice, role)
    if not destinataires:
        return 0
    # Absolute: the e-mail is read outside the application (CALPAE_URL_PUBLIQUE, docs/production.md).
    lien = settings.CALPAE_URL_PUBLIQUE.rstrip("/") + reverse("rapports:rapport", args=[exercice.public_id])
    return send_mail(f"[CALPAE] {sujet}", f"{corps}\n\nLe rapport : {lien}", None, destinataires)


@transaction.atomic
def rapport_transmettre(*, exercice, user, justification="", aujourd_hui=None) -> VersionTransmise:
    """Freeze the report as version k (PDF and workbook stored) and send it to the préfecture.

    The completeness panel must be clear, or each remaining point explained in `justification`."""
    rapport = rapport_de(exercice)
    if not rapport.pk:
        rapport.save()
    rapport = Rapport.objects.select_for_update().get(pk=rapport.pk)
    contenu = charger_exercice(exercice, convention=True)
    points = points_manquants(contenu)
    if points and not justification.strip():
        raise ValidationError(
            {"justification": f"Il reste {len(points)} point(s) à compléter : expliquez-les avant de transmettre."}
        )
    avant = rapport.statut
    rapport.transmettre()  # TransitionNotAllowed if the state does not allow it
    numero = (VersionTransmise.objects.filter(rapport=rapport).aggregate(n=Max("numero"))["n"] or 0) + 1
    aujourd_hui = aujourd_hui or timezone.localdate()
    version = VersionTransmise.objects.create(
        rapport=rapport,
        numero=numero,
        transmise_par=user,
        avant_date_limite=aujourd_hui <= exercice.date_limite_rapport,
        justification=justification.strip() if points else "",
        # The report as laid out now: the PDF is drawn from this HTML by a background job, so that it says what was
        # transmitted even if the report is sent back and edited before the job runs.
        html=html_rapport(contenu, projet=False),
        contenu=instantane(exercice, contenu),
        classeur=ContentFile(classeur_octets(exercice), name="classeur.xlsx"),
    )
    mettre_en_file(generer_pdf_version, version.pk)
    rapport.save()
    Evenement.objects.create(
        rapport=rapport,
        type=Evenement.Type.TRANSMISSION,
        statut_avant=avant,
        statut_apres=rapport.statut,
        auteur=user,
        motif=version.justification,
        version_transmise=version,
    )
    retard = "" if version.avant_date_limite else " après la date limite"
    annoncer(
        exercice,
        Role.REFERENT,
        f"Rapport d'exécution {exercice.libelle} transmis – {rapport.nom_collectivite}",
        f"{user.get_full_name() or user.email} a transmis la version n°{numero} du rapport d'exécution "
        f"{exercice.libelle} de {rapport.nom_collectivite}{retard}.",
    )
    return version


def _decider(*, exercice, user, motif, methode, type_evenement, sujet, motif_obligatoire):
    rapport = Rapport.objects.select_for_update().get(exercice=exercice)
    if motif_obligatoire and not motif.strip():
        raise ValidationError({"motif": "Dites ce qui est à compléter : le renvoi exige un commentaire."})
    avant = rapport.statut
    getattr(rapport, methode)()
    rapport.save()
    derniere = VersionTransmise.objects.filter(rapport=rapport).order_by("-numero").first()
    Evenement.objects.create(
        rapport=rapport,
        type=type_evenement,
        statut_avant=avant,
        statut_apres=rapport.statut,
        auteur=user,
        motif=motif.strip(),
        version_transmise=derniere,
    )
    annoncer(
        exercice,
        Role.AGENT,
        f"{sujet} – rapport d'exécution {exercice.libelle}",
        f"{user.get_full_name() or user.email} : {sujet.lower()} (version n°{derniere.numero if derniere else '?'})."
        + (f"\n\n{motif.strip()}" if motif.strip() else ""),
    )
    return rapport


@transaction.atomic
def rapport_renvoyer(*, exercice, user, motif) -> Rapport:
    return _decider(
        exercice=exercice,
        user=user,
        motif=motif,
        methode="renvoyer",
        type_evenement=Evenement.Type.RENVOI,
        sujet="Rapport renvoyé pour compléments",
        motif_obligatoire=True,
    )


@transaction.atomic
def rapport_accepter(*, exercice, user, motif="") -> Rapport:
    return _decider(
        exercice=exercice,
        user=user,
        motif=motif,
        methode="accepter",
        type_evenement=Evenement.Type.ACCEPTATION,
        sujet="Rapport accepté",
        motif_obligatoire=False,
    )


@transaction.atomic
def commentaire_ajouter(*, exercice, user, texte, fiche=None, parent=None) -> Commentaire:
    """A new thread (on the report or a fiche section) or an answer in a thread; the other side is told."""
    if not texte.strip():
        raise ValidationError({"texte": "Écrivez le commentaire avant de l'envoyer."})
    if parent is not None and parent.resolu:
        raise ValidationError({"texte": "Ce fil est résolu : ouvrez-en un nouveau."})
    rapport = rapport_de(exercice)
    if not rapport.pk:
        rapport.save()
    commentaire = Commentaire.objects.create(
        rapport=rapport, fiche=parent.fiche if parent else fiche, parent=parent, auteur=user, texte=texte.strip()
    )
    Evenement.objects.create(
        rapport=rapport,
        type=Evenement.Type.COMMENTAIRE,
        statut_avant=rapport.statut,
        statut_apres=rapport.statut,
        auteur=user,
        motif=(f"{commentaire.fiche.designation} : " if commentaire.fiche else "") + commentaire.texte,
    )
    autre_cote = Role.AGENT if user.role == Role.REFERENT else Role.REFERENT
    annoncer(
        exercice,
        autre_cote,
        f"Nouveau commentaire – rapport d'exécution {exercice.libelle}",
        f"{user.get_full_name() or user.email}"
        + (f" sur la {commentaire.fiche.designation.lower()}" if commentaire.fiche else "")
        + f" :\n\n{commentaire.texte}",
    )
    return commentaire


@transaction.atomic
def commentaire_resoudre(*, commentaire, user) -> Commentaire:
    fil = commentaire.parent or commentaire
    if not fil.resolu:
        fil.resolu_par, fil.resolu_le = user, timezone.now()
        fil.save(update_fields=["resolu_par", "resolu_le"])
        Evenement.objects.create(
            rapport=fil.rapport,
            type=Evenement.Type.RESOLUTION,
            statut_avant=fil.rapport.statut,
            statut_apres=fil.rapport.statut,
            auteur=user,
            motif=fil.texte[:200],
        )
    return fil


@transaction.atomic
def rapport_textes_enregistrer(*, rapport, champs: dict, version_read: int):
    """The report's avant-propos and bilan global, if nobody saved them since `version_read` (NEW: the report did not
    exist when read; it is created). Raises core.versions.StaleVersion otherwise, having written nothing."""

    def ecrire():
        for nom, valeur in champs.items():
            setattr(rapport, nom, valeur)
        rapport.full_clean(exclude=["exercice", "collectivite"])
        rapport.save()

    return save_if_version(rapport, version_read, ecrire)


@transaction.atomic
def section_enregistrer(*, rapport, section, champs: dict, version_read: int):
    """A fiche's section of the report, if nobody saved it since `version_read`; the first save creates it (and the
    report when nobody started it). Two people saving a section that did not exist: the second gets the conflict."""
    if not rapport.pk:
        try:
            with transaction.atomic():
                rapport.save()
        except IntegrityError:  # someone started the report meanwhile
            raise StaleVersion from None

    def ecrire():
        section.rapport = rapport
        for nom, valeur in champs.items():
            setattr(section, nom, valeur)
        section.save()

    return save_if_version(section, version_read, ecrire)


@transaction.atomic
def refaction_decider(*, exercice, user, montant, motif, date_decision, version_read) -> DecisionRefaction:
    """Record the réfaction decided for the exercice (a new decision, or one changed in place: its history keeps the
    earlier ones) if nobody recorded one since `version_read`; written in the review's journal and announced to the
    agents. Raises core.versions.StaleVersion otherwise, having written nothing."""
    decision = DecisionRefaction.objects.filter(exercice=exercice).first() or DecisionRefaction(exercice=exercice)

    def ecrire():
        decision.montant, decision.motif, decision.date_decision, decision.decide_par = (
            montant,
            motif.strip(),
            date_decision,
            user,
        )
        decision.full_clean(exclude=["exercice", "decide_par"])
        decision.save()

    save_if_version(decision, version_read, ecrire)
    rapport = rapport_de(exercice)
    if not rapport.pk:
        rapport.save()
    texte = f"{format_euros(decision.montant)} décidée le {decision.date_decision:%d/%m/%Y} : {decision.motif}"
    Evenement.objects.create(
        rapport=rapport,
        type=Evenement.Type.REFACTION,
        statut_avant=rapport.statut,
        statut_apres=rapport.statut,
        auteur=user,
        motif=texte,
    )
    annoncer(exercice, Role.AGENT, f"Décision de réfaction – exercice {exercice.libelle}", f"Réfaction de {texte}")
    return decision
