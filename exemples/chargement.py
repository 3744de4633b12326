"""Loading the seed documents (fixtures/seeds/*.yaml, see FORMAT.md) into the database.

Idempotent: the same files loaded twice change nothing (a fingerprint is kept); changed files, or `force`, reload
the seeded conventions whole, with the same public ids (derived from the natural keys), in one transaction.
"""

import datetime
import hashlib
import uuid
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings

from actions.models import Action, Fiche, SectionTexte
from budgets.calculs import dit_seulement_conforme
from budgets.models import Budget, LigneBudget, Part, TotalDeclare
from comptes.models import Affectation, User
from conventions.models import (
    Collectivite,
    Convention,
    Deliberation,
    Exercice,
    Groupe,
    MontantEtatAnnuel,
    ObjectifTerritorial,
    Region,
    Signataire,
)
from exemples.models import ChargementExemples
from indicateurs.models import Indicateur, Jalon, TableauIndicateurs, ValeurIndicateur
from rapports import resumes
from rapports.models import EntreeSommaire, Rapport, SectionRapport

DOSSIER = Path(settings.BASE_DIR) / "fixtures" / "seeds"
MOT_DE_PASSE_DEMO = "calpae-demo-2026"
NAMESPACE = uuid.UUID("6f1d3c1e-8a55-4b8e-9a49-0c4f1c2b7a10")


class ErreurChargement(Exception):
    pass


def fichiers(dossier=DOSSIER):
    return [dossier / "referentiel.yaml", *sorted(p for p in dossier.glob("[0-9]*.yaml"))]


def empreinte(chemins) -> str:
    digest = hashlib.sha256()
    for chemin in chemins:
        digest.update(chemin.name.encode())
        digest.update(chemin.read_bytes())
    return digest.hexdigest()


def public_id(*cle) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(c) for c in cle))


def charger_exemples(*, dossier=DOSSIER, force=False, log=print) -> bool:
    """Load the seed files; returns False when the same files were already loaded (nothing changed)."""
    chemins = fichiers(dossier)
    signature = empreinte(chemins)
    if not force and ChargementExemples.objects.filter(empreinte=signature).exists():
        log("Données d'exemple déjà chargées, identiques aux fichiers : rien à faire.")
        return False
    referentiel = _lire(chemins[0])
    documents = [_lire(chemin) for chemin in chemins[1:]]
    with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic(), resumes.differes():
        collectivites = _charger_collectivites(referentiel["collectivites"])
        exercices = _charger_conventions(referentiel["conventions"], collectivites)
        for document in documents:
            if "contexte" in document:
                _charger_contexte(document, collectivites)
                log(f"{document['source']} : contexte de la collectivité {document['contexte']}.")
                continue
            cle = document["exercice"]
            if cle not in exercices:
                raise ErreurChargement(f"{document['source']} : exercice « {cle} » absent de referentiel.yaml")
            _charger_document(document, exercices[cle])
            log(f"{document['source']} : exercice {cle}, {len(document.get('fiches', []))} fiches.")
        _charger_comptes(referentiel.get("comptes", []), collectivites)
        resumes.a_mettre_a_jour(e.pk for e in exercices.values())  # bulk-created rows send no signal
        ChargementExemples.objects.all().delete()
        ChargementExemples.objects.create(empreinte=signature)
    with transaction.atomic():
        _historique_initial(exercices.values())
    log("Données d'exemple chargées.")
    return True


def _charger_contexte(document, collectivites):
    """A collectivité's own plan: its territorial objectives per territory, nature and year (seed 004)."""
    collectivite = collectivites[document["contexte"]]
    ObjectifTerritorial.objects.filter(collectivite=collectivite, plan=document["plan"]).delete()
    ObjectifTerritorial.objects.bulk_create(
        ObjectifTerritorial(
            collectivite=collectivite,
            plan=document["plan"],
            territoire=objectif["territoire"],
            nature=objectif["nature"],
            precision=objectif.get("precision", ""),
            annee=annee,
            nombre=nombre,
            ordre=rang,
        )
        for rang, objectif in enumerate(document["objectifs"])
        for annee, nombre in zip(document["annees"], objectif["valeurs"], strict=True)
    )


def _historique_initial(exercices):
    """One history row per loaded object: the first change a user makes then shows what it was before."""
    ids = [e.pk for e in exercices]
    for modele, chemin in (
        (Fiche, "exercice_id__in"),
        (Budget, "fiche__exercice_id__in"),
        (LigneBudget, "budget__fiche__exercice_id__in"),
        (Part, "budget__fiche__exercice_id__in"),
        (ValeurIndicateur, "indicateur__tableau__exercice_id__in"),
    ):
        objets = modele.objects.filter(**{chemin: ids})
        modele.history.filter(id__in=objets.values("pk")).delete()  # a forced reload starts the history again
        modele.history.bulk_history_create(
            list(objets), batch_size=500, default_change_reason="Chargement des données d'exemple"
        )


def _lire(chemin):
    with chemin.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _montant(valeur):
    if valeur is None or valeur == "":
        return None
    if isinstance(valeur, float):
        raise ErreurChargement(f"Montant écrit comme nombre flottant : {valeur!r} (écrivez-le entre guillemets)")
    return Decimal(str(valeur))


def _date(valeur):
    if not valeur:
        return None
    return valeur if isinstance(valeur, datetime.date) else datetime.date.fromisoformat(valeur)


def _texte(valeur):
    return (valeur or "").strip()


def _charger_collectivites(donnees):
    collectivites = {}
    for item in donnees:
        collectivite, _ = Collectivite.objects.update_or_create(
            code_insee=item["code_insee"],
            defaults={
                "nom": item["nom"],
                "nom_court": item["nom_court"],
                "type": item["type"],
                "public_id": public_id("collectivite", item["code_insee"]),
            },
        )
        collectivites[item["code_insee"]] = collectivite
    for item in donnees:
        collectivite = collectivites[item["code_insee"]]
        collectivite.successeur = collectivites.get(item.get("successeur"))
        collectivite.date_succession = _date(item.get("date_succession"))
        collectivite.full_clean()
        collectivite.save()
    return collectivites


def _charger_conventions(donnees, collectivites):
    cles = [item["cle"] for item in donnees]
    # Reload whole: the conventions' exercices, fiches, budgets, tables and reports go with them.
    Fiche.objects.filter(exercice__convention__cle__in=cles).delete()  # before their groups (protected)
    Convention.objects.filter(cle__in=cles).delete()
    exercices = {}
    for item in donnees:
        convention = Convention(
            public_id=public_id("convention", item["cle"]),
            cle=item["cle"],
            collectivite=collectivites[item["collectivite"]],
            intitule=item["intitule"],
            date_debut=_date(item["date_debut"]),
            date_fin=_date(item["date_fin"]),
            date_signature=_date(item.get("date_signature")),
            lieu_signature=item.get("lieu_signature", ""),
            notes=_texte(item.get("notes")),
        )
        convention.full_clean()
        convention.save()
        Signataire.objects.bulk_create(
            Signataire(convention=convention, ordre=i, partie=s["partie"], nom=s["nom"], qualite=s["qualite"])
            for i, s in enumerate(item.get("signataires", []))
        )
        Deliberation.objects.bulk_create(
            Deliberation(
                convention=convention,
                reference=d.get("reference", ""),
                date=_date(d.get("date")),
                date_texte=d.get("date_texte", ""),
                instance=d.get("instance", ""),
                objet=d.get("objet", ""),
            )
            for d in item.get("deliberations", [])
        )
        MontantEtatAnnuel.objects.bulk_create(
            MontantEtatAnnuel(
                convention=convention,
                annee=m["annee"],
                nature=m["nature"],
                montant=_montant(m["montant"]),
                source=m.get("source", ""),
            )
            for m in item.get("montants_etat", [])
        )
        for ordre, e in enumerate(item["exercices"]):
            exercice = Exercice(
                public_id=public_id("exercice", item["cle"], e["libelle"]),
                convention=convention,
                libelle=e["libelle"],
                acte=e["acte"],
                intitule_acte=e.get("intitule_acte", ""),
                collectivite_signataire=collectivites.get(e.get("collectivite_signataire")),
                territoire=e.get("territoire", ""),
                date_debut=_date(e["date_debut"]),
                date_fin=_date(e["date_fin"]),
                date_signature=_date(e.get("date_signature")),
                date_limite_rapport=_date(e.get("date_limite_rapport")),
                ordre=ordre,
            )
            exercice.full_clean(exclude=["convention", "collectivite_signataire"], validate_unique=False)
            exercice.save()
            exercices[f"{item['collectivite']}/{e['libelle']}"] = exercice
    return exercices


def _charger_document(document, exercice):
    source = document["source"]
    groupes = _charger_groupes(document.get("groupes", []), exercice)
    fiches = {}
    lignees = {}
    for ordre, item in enumerate(document.get("fiches", [])):
        groupe = groupes.get(item["groupe"])
        if groupe is None:
            raise ErreurChargement(f"{source} : fiche {item['cle']}, groupe « {item['groupe']} » inconnu")
        action = lignees.get(item["lignee"]) or Action.objects.filter(cle=item["lignee"]).first()
        if action is None:
            action = Action.objects.create(
                cle=item["lignee"],
                intitule=item["titre"],
                collectivite=exercice.convention.collectivite,
                public_id=public_id("action", item["lignee"]),
            )
        lignees[item["lignee"]] = action
        fiche = Fiche(
            public_id=public_id("fiche", exercice.public_id, item["cle"]),
            exercice=exercice,
            groupe=groupe,
            action=action,
            cle=item["cle"],
            numero=item["numero"],
            ordre=ordre,
            titre=item["titre"],
            titre_long=item.get("titre_long", ""),
            theme=item.get("theme", ""),
            description=_texte(item.get("description")),
            declinaison=_texte(item.get("declinaison")),
            date_mise_en_place=_texte(item.get("date_mise_en_place")),
            duree=_texte(item.get("duree")),
            partenaires=_texte(item.get("partenaires")),
            indicateurs_note=_texte(item.get("indicateurs_note")),
        )
        fiche.full_clean(exclude=["exercice", "groupe", "action"], validate_unique=False, validate_constraints=False)
        fiche.save()
        fiches[item["cle"]] = fiche
        SectionTexte.objects.bulk_create(
            SectionTexte(fiche=fiche, ordre=i, titre=s["titre"], texte=_texte(s.get("texte")))
            for i, s in enumerate(item.get("sections", []))
        )
        for budget in item.get("budgets", []):
            _charger_budget(budget, fiche)
    _charger_totaux(document.get("totaux_declares", []), exercice, groupes, fiches, source)
    for ordre, tableau in enumerate(document.get("tableaux", [])):
        _charger_tableau(tableau, ordre, exercice, fiches, source)
    if "rapport" in document:
        _charger_rapport(document, exercice, fiches, source)


def _charger_groupes(donnees, exercice, parent=None, groupes=None, compteur=None):
    groupes = {} if groupes is None else groupes
    compteur = compteur if compteur is not None else [0]
    for item in donnees:
        groupe = Groupe.objects.create(
            exercice=exercice,
            parent=parent,
            code=item["code"],
            type=item.get("type") or parent.type,
            libelle=item["libelle"],
            note=_texte(item.get("note")),
            ordre=compteur[0],
        )
        compteur[0] += 1
        groupes[item["code"]] = groupe
        _charger_groupes(item.get("sous_groupes", []), exercice, groupe, groupes, compteur)
    return groupes


def _part(donnees, budget, ordre, ligne=None):
    return Part(
        budget=budget,
        ligne=ligne,
        ordre=ordre,
        financeur=donnees["financeur"],
        libelle=donnees.get("libelle", ""),
        montant=_montant(donnees.get("montant")),
        texte=donnees.get("texte", ""),
        annee=donnees.get("annee"),
        territoire=str(donnees.get("territoire", "")),
        type_depense=donnees.get("type_depense", ""),
    )


def _conforme(donnees) -> bool:
    """An executed budget declared conforme au prévisionnel: `conforme: true`, or a document that says only
    « Conforme aux engagements » (seed 001); the sentence is kept as its text."""
    if "conforme" in donnees:
        return bool(donnees["conforme"])
    return donnees["nature"] == "execute" and dit_seulement_conforme(donnees.get("texte"))


def _charger_budget(donnees, fiche):
    budget = Budget.objects.create(
        fiche=fiche,
        nature=donnees["nature"],
        intitule=donnees.get("intitule", ""),
        total=_montant(donnees.get("total")),
        total_texte=donnees.get("total_texte", ""),
        texte=_texte(donnees.get("texte")),
        conforme=_conforme(donnees),
    )
    parts = [_part(p, budget, i) for i, p in enumerate(donnees.get("parts", []))]
    for ordre, item in enumerate(donnees.get("lignes", [])):
        ligne = LigneBudget.objects.create(
            budget=budget,
            ordre=ordre,
            libelle=_texte(item["libelle"]),
            montant=_montant(item.get("montant")),
            quantite=_montant(item.get("quantite")),
            unite=item.get("unite", ""),
            cout_unitaire=_montant(item.get("cout_unitaire")),
            periode=item.get("periode", ""),
            objet=_texte(item.get("objet")),
            territoire=str(item.get("territoire", "")),
            type_depense=item.get("type_depense", ""),
            montant_annee_pleine=_montant(item.get("montant_annee_pleine")),
        )
        parts.extend(_part(p, budget, i, ligne) for i, p in enumerate(item.get("parts", [])))
    Part.objects.bulk_create(parts)


def _charger_totaux(donnees, exercice, groupes, fiches, source):
    totaux = []
    lignes_par_fiche = {}  # a recap gives several rows per fiche: read its lines once
    for ordre, item in enumerate(donnees):
        groupe = groupes.get(item["groupe"]) if item.get("groupe") else None
        fiche = fiches.get(str(item["fiche"])) if item.get("fiche") else None
        if (item.get("groupe") and groupe is None) or (item.get("fiche") and fiche is None):
            raise ErreurChargement(f"{source} : total « {item['libelle']} » : groupe ou fiche inconnu")
        ligne = None
        if item.get("ligne"):
            if fiche.pk not in lignes_par_fiche:
                lignes_par_fiche[fiche.pk] = list(
                    LigneBudget.objects.filter(budget__fiche=fiche, budget__nature="previsionnel")
                )
            lignes = lignes_par_fiche[fiche.pk]
            if not 1 <= item["ligne"] <= len(lignes):
                raise ErreurChargement(
                    f"{source} : total « {item['libelle']} » : la fiche n'a pas de ligne {item['ligne']}"
                )
            ligne = lignes[item["ligne"] - 1]
        totaux.append(
            TotalDeclare(
                exercice=exercice,
                groupe=groupe,
                fiche=fiche,
                ligne=ligne,
                ordre=ordre,
                libelle=item["libelle"],
                financeur=item.get("financeur", ""),
                type_depense=item.get("type_depense", ""),
                territoire=str(item.get("territoire", "")),
                annee=item.get("annee"),
                base=item.get("base", "exercice"),
                montant=_montant(item["montant"]),
            )
        )
    TotalDeclare.objects.bulk_create(totaux)


def _charger_tableau(donnees, ordre, exercice, fiches, source):
    tableau = TableauIndicateurs.objects.create(
        public_id=public_id("tableau", exercice.public_id, ordre),
        exercice=exercice,
        ordre=ordre,
        titre=donnees.get("titre", ""),
        theme=donnees.get("theme", ""),
        introduction=_texte(donnees.get("introduction")),
        entete=donnees.get("entete", "Indicateurs"),
        dimension=donnees.get("dimension", ""),
        note=_texte(donnees.get("note")),
    )
    try:
        tableau.fiches.set(fiches[cle] for cle in donnees.get("fiches", []))
    except KeyError as exc:
        raise ErreurChargement(f"{source} : tableau « {tableau.titre} » : fiche {exc} inconnue") from exc
    jalons = Jalon.objects.bulk_create(
        Jalon(
            tableau=tableau,
            ordre=i,
            libelle=j["libelle"],
            type=j.get("type", "autre"),
            date=_date(j.get("date")),
            code=j.get("code", ""),
        )
        for i, j in enumerate(donnees["jalons"])
    )
    valeurs = []
    compteur = [0]

    def indicateurs(items, parent):
        for item in items:
            indicateur = Indicateur.objects.create(
                tableau=tableau,
                parent=parent,
                ordre=compteur[0],
                code=item.get("code", ""),
                libelle=_texte(item["libelle"]),
                fusion=bool(item.get("fusion")),
            )
            compteur[0] += 1
            cellules = item.get("valeurs") or []
            if len(cellules) > len(jalons):
                raise ErreurChargement(f"{source} : « {indicateur.libelle[:50]} » a plus de valeurs que de colonnes")
            for jalon, cellule in zip(jalons, cellules, strict=False):
                if isinstance(cellule, dict):
                    for rang, (dimension, texte) in enumerate(cellule.items()):
                        valeurs.append(_valeur(indicateur, jalon, str(texte), str(dimension), rang))
                elif str(cellule).strip():
                    valeurs.append(_valeur(indicateur, jalon, str(cellule)))
            indicateurs(item.get("sous_items", []), indicateur)

    indicateurs(donnees.get("indicateurs", []), None)
    ValeurIndicateur.objects.bulk_create(valeurs)


def _valeur(indicateur, jalon, texte, dimension="", rang=0):
    valeur = ValeurIndicateur(
        indicateur=indicateur, jalon=jalon, texte=texte.strip(), dimension=dimension, ordre_dimension=rang
    )
    valeur.relire()
    return valeur


def _charger_rapport(document, exercice, fiches, source):
    donnees = document["rapport"]
    edition = donnees.get("date_edition")
    rapport = Rapport.objects.create(
        public_id=public_id("rapport", exercice.public_id),
        exercice=exercice,
        collectivite=exercice.signataire,
        nom_collectivite=donnees.get("collectivite") or exercice.signataire.nom,
        titre=donnees["titre"],
        date_edition=datetime.date.fromisoformat(f"{edition}-01") if edition else None,
        avant_propos=_texte(donnees.get("avant_propos")),
        bilan_global=_texte(donnees.get("synthese")),  # the seeds' key: the report's « synthèse », its bilan global
    )
    EntreeSommaire.objects.bulk_create(
        EntreeSommaire(rapport=rapport, ordre=i, titre=titre, page=page)
        for i, (titre, page) in enumerate(donnees.get("sommaire", []))
    )
    sections = []
    for item in document.get("fiches", []):
        if "rapport" in item:
            texte = item["rapport"]
            sections.append(
                SectionRapport(
                    rapport=rapport,
                    fiche=fiches[item["cle"]],
                    fapi=_texte(texte.get("fapi")),
                    indicateurs=_texte(texte.get("indicateurs")),
                    bilan=_texte(texte.get("bilan")),
                    perspectives=_texte(texte.get("perspectives")),
                )
            )
    SectionRapport.objects.bulk_create(sections)


def _charger_comptes(donnees, collectivites):
    for item in donnees:
        user = User.objects.filter(email=item["email"]).first() or User(email=item["email"])
        user.first_name = item.get("first_name", "")
        user.last_name = item.get("last_name", "")
        user.role = item["role"]
        user.region = Region.objects.get(code=item["region"]) if item.get("region") else None
        user.is_staff = user.is_superuser = item["role"] == "administrateur"
        user.set_password(MOT_DE_PASSE_DEMO)
        user.save()
        Affectation.objects.filter(user=user).exclude(collectivite__code_insee__in=item["collectivites"]).delete()
        for code in item["collectivites"]:
            Affectation.objects.get_or_create(user=user, collectivite=collectivites[code])
