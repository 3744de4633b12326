"""Générateur de données de volume, pour les tests de volume et le benchmark des pages (benchmarks/pages.py).

Tout passe par bulk_create (aucun save() par objet) : les valeurs d'indicateurs sont relues (`relire()`) avant
l'insertion, comme le fait le chargeur des exemples. Les montants sont des Decimal. Les données sont déterministes
(un générateur aléatoire par exercice, initialisé par le préfixe et l'exercice) et ressemblent aux
documents : budgets dont le total est la somme des lignes, parts État / collectivité (quelques fiches rompent la
parité pour que des alertes existent), tableaux d'indicateurs à colonnes datées, valeurs « 4 827 », « 95 % »,
« 29 jours », « ND », « / » ou en texte libre. L'historique (django-simple-history) reçoit, comme au chargement
des exemples, une ligne initiale par fiche, budget, ligne, part et valeur (`historique=False` pour s'en passer).

    ajouter_fiches(exercice, 20)                   # 20 fiches de plus dans un exercice existant
    generer_collectivites(100)                     # 100 collectivités × 4 exercices × 20 fiches, un agent chacune
"""

import datetime
import itertools
import random
import string
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import CharField, DateTimeField, Max, Value
from django.utils import timezone

from actions.models import Action, Fiche
from budgets.enums import NatureBudget, TypeDepense
from budgets.models import Budget, LigneBudget, Part
from comptes.enums import Role
from comptes.models import Affectation, User
from conventions.enums import Partie, TypeActe, TypeCollectivite, TypeGroupe
from conventions.models import Collectivite, Convention, Exercice, Groupe, Territoire, date_limite_par_defaut
from core.money import format_euros, quantize_cents
from exemples.chargement import MOT_DE_PASSE_DEMO
from indicateurs.enums import TypeJalon
from indicateurs.models import Indicateur, Jalon, TableauIndicateurs, ValeurIndicateur
from rapports.resumes import mettre_a_jour, reconstruire

TAILLE_LOT = 1000  # lignes par INSERT (Django découpe encore pour SQLite, qui borne les paramètres d'une requête)
TAILLE_LOT_PK = 900  # clés par « IN (…) », sous les 999 paramètres que Django suppose à SQLite
MOT_DE_PASSE = MOT_DE_PASSE_DEMO  # celui des comptes de démonstration (README.md)

# Une fiche sur RUPTURE_PARITE donne à l'État plus qu'à la collectivité (alerte « parité non respectée »).
RUPTURE_PARITE = 10
# Un indicateur sur SANS_DERNIER_JALON n'a pas encore de valeur dans la dernière colonne (cellule vide).
SANS_DERNIER_JALON = 4
SOUS_ITEMS = 2  # le premier indicateur de chaque tableau a deux sous-items
RAISON_HISTORIQUE = "Génération de données de volume"

THEMES = [
    ("Prévenir toute « sortie sèche » de l'aide sociale à l'enfance", "Enfance"),
    ("Premier accueil social inconditionnel de proximité", "Accès aux droits"),
    ("Référent de parcours", "Accompagnement"),
    ("Orientation et accompagnement des allocataires du RSA", "Insertion"),
    ("Garantie d'activité départementale", "Insertion"),
    ("Formation des travailleurs sociaux", "Formation"),
    ("Maraudes mixtes État / département", "Aller-vers"),
    ("Accompagnement des jeunes vers l'emploi", "Jeunesse"),
    ("Lutte contre la précarité alimentaire", "Accès aux droits"),
    ("Mobilité solidaire en milieu rural", "Mobilité"),
]
LIBELLES_LIGNES = [
    "Recrutement de travailleurs sociaux (ETP)",
    "Subvention aux associations partenaires",
    "Actions de formation des professionnels",
    "Prestations d'accompagnement renforcé",
    "Frais de déplacement et de mobilité",
    "Outils numériques et communication",
]
UNITES = ["ETP", "jours de formation", "mesures", "bénéficiaires"]
TERRITOIRES = ["Nord", "Centre", "Sud"]
INDICATEURS = [
    ("nombre", "Nombre de personnes accompagnées"),
    ("taux", "Taux de personnes orientées dans le mois"),
    ("duree", "Délai moyen entre l'orientation et le premier rendez-vous"),
    ("texte", "Mise en place effective du dispositif"),
    ("montant", "Montant des aides versées"),
    ("nombre", "Nombre de structures partenaires"),
    ("taux", "Part des jeunes sortant de l'ASE avec un logement"),
    ("duree", "Durée moyenne de l'accompagnement"),
]
TEXTES_LIBRES = [
    "Dispositif en cours de déploiement",
    "Construction du dispositif",
    "Réalisé sur l'ensemble du territoire",
    "En attente des données de la CAF",
    "Partenariat signé avec la mission locale",
]
DESCRIPTION = (
    "L'action vise à {objet}. Elle s'appuie sur les équipes des maisons des solidarités et sur les partenaires "
    "associatifs du territoire, avec un suivi trimestriel en comité de pilotage.\n\n"
    "Les publics visés sont les personnes en situation de précarité, les jeunes de 16 à 25 ans et les allocataires "
    "du RSA. Les indicateurs sont suivis dans le tableau ci-dessous et présentés au rapport d'exécution."
)


class CollectiviteGeneree(NamedTuple):
    collectivite: Collectivite
    agent: User
    exercices: list


def nombre_valeurs(indicateurs, jalons):
    """Valeurs d'un tableau : une par indicateur et par jalon, moins la dernière colonne de certains indicateurs."""
    return indicateurs * jalons - (len(range(SANS_DERNIER_JALON - 1, indicateurs, SANS_DERNIER_JALON)) if jalons else 0)


def _creer(modele, objets):
    """bulk_create par lots ; les clés primaires reviennent (PostgreSQL, et SQLite ≥ 3.35 avec RETURNING)."""
    return modele.objects.bulk_create(objets, batch_size=TAILLE_LOT)


def _euros(rng, minimum, maximum, centimes=False):
    """Un montant Decimal aléatoire entre deux bornes en euros (arrondi à la centaine, ou au centime)."""
    if centimes:
        return Decimal(rng.randint(minimum * 100, maximum * 100)) / 100
    return Decimal(rng.randint(minimum // 100, maximum // 100) * 100)


def _suivant(queryset):
    """L'ordre qui suit le plus grand `ordre` du queryset (0 s'il est vide)."""
    dernier = queryset.aggregate(dernier=Max("ordre"))["dernier"]
    return 0 if dernier is None else dernier + 1


def _milliers(nombre):
    return f"{nombre:,}".replace(",", " ")


def _partage(rng, total, rompt_parite):
    """(part de l'État, part de la collectivité) dont la somme fait le total, au centime."""
    ratio = Decimal(rng.randint(55, 70) if rompt_parite else rng.randint(30, 48)) / 100
    etat = quantize_cents(total * ratio)
    return etat, quantize_cents(total - etat)


def _numeros_libres(exercice, nombre, prefixe):
    """(n, clé, numéro) de `nombre` fiches, à la suite des fiches de l'exercice, sans reprendre une clé ou un numéro."""
    existantes = list(Fiche.objects.filter(exercice=exercice).values_list("cle", "numero"))
    cles = {cle for cle, _ in existantes}
    numeros = {numero for _, numero in existantes}
    resultat = []
    for n in itertools.count(len(existantes) + 1):
        if len(resultat) == nombre:
            return resultat
        cle, numero = f"{prefixe}-{n}", f"ACTION {n}"
        if cle not in cles and numero not in numeros:
            resultat.append((n, cle, numero))


def _groupes(exercice):
    groupes = list(Groupe.objects.filter(exercice=exercice).order_by("ordre", "pk"))
    if groupes:
        return groupes
    return _creer(
        Groupe,
        [
            Groupe(exercice=exercice, code="A", type=TypeGroupe.SOCLE, libelle="Engagements du socle", ordre=0),
            Groupe(
                exercice=exercice, code="B", type=TypeGroupe.INITIATIVE, libelle="Initiatives départementales", ordre=1
            ),
        ],
    )


def _jalons_modele(exercice, jalons):
    """(libellé, type, date, code) des colonnes : situation à la fin de l'année d'avant, puis une par année."""
    types = [TypeJalon.OBJECTIF, TypeJalon.REALISE, TypeJalon.RESULTAT]
    annee = exercice.date_debut.year
    colonnes = []
    for k in range(jalons):
        date = datetime.date(annee - 1 + k, 12, 31)
        type_ = TypeJalon.SITUATION if k == 0 else types[(k - 1) % len(types)]
        colonnes.append((f"{type_.label} au {date:%d/%m/%Y}", type_, date, f"T{k - 1}"))
    return colonnes


def _texte_valeur(rng, genre, k):
    """Le texte d'une cellule, tel qu'un document l'écrirait."""
    tirage = rng.random()
    if tirage < 0.08:
        return "ND"
    if tirage < 0.12:
        return "/"
    if tirage < 0.15:
        return f"> à {rng.randint(5, 50)}"
    if genre == "nombre":
        return _milliers(rng.randint(20, 9000))
    if genre == "taux":
        return f"{rng.randint(5, 100)} %"
    if genre == "duree":
        return f"{rng.randint(3, 90)} jours"
    if genre == "montant":
        return f"{_milliers(rng.randint(1, 500) * 100)} €"
    return TEXTES_LIBRES[(k + rng.randint(0, 4)) % len(TEXTES_LIBRES)]


@transaction.atomic
def ajouter_fiches(
    exercice, nombre, *, lignes=3, indicateurs=10, jalons=5, prefixe="vol", lignees=None, historique=True
) -> list[Fiche]:
    """Ajoute `nombre` fiches complètes à un exercice existant ; renvoie les fiches créées (avec leur pk).

    Chaque fiche a : sa lignée (Action) propre, sauf si `lignees` en donne une par fiche (la même action d'un
    exercice à l'autre) ; un budget prévisionnel de `lignes` lignes dont le total est la somme, avec ses parts État
    et collectivité ; un budget exécuté avec ses parts ; un tableau d'indicateurs de `jalons` colonnes et
    `indicateurs` indicateurs (dont les deux sous-items du premier) avec leurs valeurs. Les fiches se répartissent
    sur les groupes de l'exercice (A socle et B initiatives sont créés s'il n'en a pas) ; clés, numéros et ordres
    continuent ceux des fiches existantes. Avec `historique`, chaque objet versionné a sa ligne d'historique
    initiale, comme après le chargement des exemples.
    """
    if nombre <= 0:
        return []
    if lignees is not None and len(lignees) < nombre:
        raise ValueError("Il faut une lignée par fiche.")
    exercice = Exercice.objects.select_related("convention__collectivite").get(pk=exercice.pk)
    collectivite = exercice.convention.collectivite
    rng = random.Random(f"{prefixe}/{exercice.convention.cle}/{exercice.libelle}/{exercice.pk}")
    groupes = _groupes(exercice)
    numeros = _numeros_libres(exercice, nombre, prefixe)
    ordre_fiche = _suivant(Fiche.objects.filter(exercice=exercice))
    ordre_tableau = _suivant(TableauIndicateurs.objects.filter(exercice=exercice))
    annee = exercice.date_debut.year

    if lignees is None:
        cles = [f"{prefixe}-{collectivite.code_insee.lower()}-{exercice.pk}-{n}" for n, _, _ in numeros]
        prises = set(Action.objects.filter(cle__in=cles).values_list("cle", flat=True))
        if prises:
            raise ValueError(f"Lignées déjà existantes : {sorted(prises)[:3]}…")
        lignees = _creer(
            Action,
            [
                Action(collectivite=collectivite, cle=cle, intitule=f"{THEMES[n % len(THEMES)][0]} ({prefixe} {n})")
                for cle, (n, _, _) in zip(cles, numeros, strict=True)
            ],
        )

    fiches = []
    for i, ((n, cle, numero), action) in enumerate(zip(numeros, lignees, strict=False)):
        titre, theme = THEMES[n % len(THEMES)]
        fiches.append(
            Fiche(
                exercice=exercice,
                groupe=groupes[i % len(groupes)],
                action=action,
                cle=cle,
                numero=numero,
                ordre=ordre_fiche + i,
                titre=f"{titre} ({prefixe} {n})",
                theme=theme,
                description=DESCRIPTION.format(objet=titre[0].lower() + titre[1:]),
                declinaison="Déploiement progressif sur les territoires d'action sociale.",
                date_mise_en_place=f"A compter du premier semestre {annee}",
                duree=f"Exercice {exercice.libelle}",
                partenaires="CAF, Pôle emploi / France Travail, missions locales, associations",
                indicateurs_note="Voir le tableau des indicateurs.",
            )
        )
    fiches = _creer(Fiche, fiches)

    # Budgets : prévisionnel (total = somme des lignes) et exécuté, chacun avec ses parts État et collectivité.
    budgets, lignes_budget, montants = [], [], []
    for i, fiche in enumerate(fiches):
        rompt = i % RUPTURE_PARITE == RUPTURE_PARITE - 3
        detail = []
        for k in range(lignes):
            ligne = LigneBudget(
                ordre=k,
                libelle=LIBELLES_LIGNES[(i + k) % len(LIBELLES_LIGNES)],
                periode=exercice.libelle,
                objet="Dépense prévue par la fiche",
            )
            if k % 3 == 1:  # quantité × coût unitaire, cohérents
                ligne.quantite = Decimal(rng.randint(2, 40))
                ligne.unite = UNITES[(i + k) % len(UNITES)]
                ligne.cout_unitaire = _euros(rng, 50, 3000, centimes=True)
                ligne.montant = quantize_cents(ligne.quantite * ligne.cout_unitaire)
            else:
                ligne.montant = _euros(rng, 1000, 80000)
            if k % 2 == 0:
                ligne.territoire = TERRITOIRES[(i + k) % len(TERRITOIRES)]
            if k % 3 != 2:
                ligne.type_depense = TypeDepense.NOUVELLES_DEPENSES if k % 3 == 0 else TypeDepense.VALORISATION
            detail.append(ligne)
        total = quantize_cents(sum((ligne.montant for ligne in detail), Decimal(0)))
        execute = quantize_cents(total * Decimal(rng.randint(60, 100)) / 100)
        budgets.append(
            Budget(
                fiche=fiche,
                nature=NatureBudget.PREVISIONNEL,
                intitule=f"Budget prévisionnel {exercice.libelle}",
                total=total,
                total_texte=format_euros(total),
            )
        )
        budgets.append(
            Budget(
                fiche=fiche,
                nature=NatureBudget.EXECUTE,
                intitule=f"Budget exécuté au {exercice.date_fin:%d/%m/%Y}",
                total=execute,
                total_texte=format_euros(execute),
                texte="Conforme aux engagements" if i % 2 else "",
            )
        )
        lignes_budget.append(detail)
        montants.append((_partage(rng, total, rompt), _partage(rng, execute, False)))
    budgets = _creer(Budget, budgets)
    parts, a_creer = [], []
    for i in range(len(fiches)):
        previsionnel, execute = budgets[2 * i], budgets[2 * i + 1]
        for ligne in lignes_budget[i]:
            ligne.budget = previsionnel
            a_creer.append(ligne)
        for budget, (etat, part_collectivite) in zip((previsionnel, execute), montants[i], strict=True):
            parts.append(Part(budget=budget, ordre=0, financeur=Partie.ETAT, libelle="Part Etat", montant=etat))
            parts.append(
                Part(
                    budget=budget,
                    ordre=1,
                    financeur=Partie.COLLECTIVITE,
                    libelle=f"Part {collectivite.nom_court}",
                    montant=part_collectivite,
                )
            )
    _creer(LigneBudget, a_creer)
    _creer(Part, parts)

    # Indicateurs : un tableau par fiche (relié par le M2M), ses colonnes, ses lignes (dont deux sous-items) et valeurs.
    tableaux = _creer(
        TableauIndicateurs,
        [
            TableauIndicateurs(
                exercice=exercice,
                ordre=ordre_tableau + i,
                titre=f"Indicateurs de l'action {fiche.numero}",
                theme=fiche.theme,
                note="ND : non disponible ; / : sans objet." if i % 3 == 0 else "",
            )
            for i, fiche in enumerate(fiches)
        ],
    )
    lien = TableauIndicateurs.fiches.through
    champ = TableauIndicateurs._meta.get_field("fiches")
    _creer(
        lien,
        [
            lien(**{champ.m2m_field_name(): tableau, champ.m2m_reverse_field_name(): fiche})
            for tableau, fiche in zip(tableaux, fiches, strict=True)
        ],
    )
    colonnes = _jalons_modele(exercice, jalons)
    objets_jalons = _creer(
        Jalon,
        [
            Jalon(tableau=tableau, ordre=k, libelle=libelle, type=type_, date=date, code=code)
            for tableau in tableaux
            for k, (libelle, type_, date, code) in enumerate(colonnes)
        ],
    )
    jalons_par_tableau = [objets_jalons[t * jalons : (t + 1) * jalons] for t in range(len(tableaux))]

    # Ordre des lignes d'un tableau : l'indicateur parent, ses sous-items, puis les autres (comme le chargeur).
    avec_sous_items = indicateurs >= SOUS_ITEMS + 1
    premiers, sous_items = [], []
    for tableau in tableaux:
        rang = 0  # rang parmi les indicateurs de premier niveau : a), b)…
        for r in range(indicateurs):
            genre, libelle = INDICATEURS[r % len(INDICATEURS)]
            indicateur = Indicateur(tableau=tableau, ordre=r)
            indicateur.genre = genre  # pour le texte des valeurs, pas un champ
            if avec_sous_items and 1 <= r <= SOUS_ITEMS:
                indicateur.libelle = "dont femmes" if r == 1 else "dont jeunes de moins de 26 ans"
                sous_items.append(indicateur)
            else:
                indicateur.libelle = libelle
                indicateur.code = f"{string.ascii_lowercase[rang % 26]})"
                rang += 1
                premiers.append(indicateur)
    premiers = _creer(Indicateur, premiers)
    if sous_items:
        parents = premiers[:: indicateurs - SOUS_ITEMS]
        for s, sous_item in enumerate(sous_items):
            sous_item.parent = parents[s // SOUS_ITEMS]
        sous_items = _creer(Indicateur, sous_items)
    par_tableau = {}
    for indicateur in sorted(premiers + sous_items, key=lambda x: (x.tableau_id, x.ordre)):
        par_tableau.setdefault(indicateur.tableau_id, []).append(indicateur)

    valeurs = []
    for tableau, colonnes_tableau in zip(tableaux, jalons_par_tableau, strict=True):
        for indicateur in par_tableau.get(tableau.pk, []):
            dernier_vide = indicateur.ordre % SANS_DERNIER_JALON == SANS_DERNIER_JALON - 1
            for k, jalon in enumerate(colonnes_tableau):
                if dernier_vide and k == len(colonnes_tableau) - 1:
                    continue
                valeur = ValeurIndicateur(
                    indicateur=indicateur, jalon=jalon, texte=_texte_valeur(rng, indicateur.genre, k)
                )
                valeur.relire()
                valeurs.append(valeur)
    _creer(ValeurIndicateur, valeurs)
    if historique:
        for modele, objets in (
            (Fiche, fiches),
            (Budget, budgets),
            (LigneBudget, a_creer),
            (Part, parts),
            (ValeurIndicateur, valeurs),
        ):
            _historique_initial(modele, objets)
    mettre_a_jour([exercice.pk])  # bulk-created rows send no signal
    return fiches


def _historique_initial(modele, objets):
    """Ce qu'écrirait `modele.history.bulk_history_create(objets)` (une ligne « + » par objet), copié par la base.

    INSERT … SELECT depuis la table de l'objet : deux fois plus rapide en tout que de construire un objet historique
    par ligne en Python (la moitié du temps de génération).
    """
    historique = modele.history.model
    champs = historique.tracked_fields
    noms = [historique._meta.get_field(champ.name).column for champ in champs]
    noms += [
        historique._meta.get_field(nom).column for nom in ("history_date", "history_type", "history_change_reason")
    ]
    colonnes = ", ".join(connection.ops.quote_name(nom) for nom in noms)
    table = connection.ops.quote_name(historique._meta.db_table)
    constantes = {
        "_date": Value(timezone.now(), output_field=DateTimeField()),
        "_type": Value("+", output_field=CharField()),
        "_raison": Value(RAISON_HISTORIQUE, output_field=CharField()),
    }
    pks = [objet.pk for objet in objets]
    with connection.cursor() as curseur:
        for debut in range(0, len(pks), TAILLE_LOT_PK):
            selection = (
                modele._base_manager.filter(pk__in=pks[debut : debut + TAILLE_LOT_PK])
                .annotate(**constantes)
                .order_by("pk")
                .values_list(*[champ.attname for champ in champs], *constantes)
            )
            sql, params = selection.query.sql_with_params()
            curseur.execute(f"INSERT INTO {table} ({colonnes}) {sql}", params)


def _codes_libres(lettre, nombre):
    """Codes INSEE fictifs à trois caractères (le champ en a trois) : B00 … B99, puis B0A … BZZ."""
    chiffres = string.digits + string.ascii_uppercase
    candidats = [f"{lettre}{a}{b}" for a in string.digits for b in string.digits]
    candidats += [f"{lettre}{a}{b}" for a in chiffres for b in chiffres if not (a.isdigit() and b.isdigit())]
    pris = set(Collectivite.objects.filter(code_insee__startswith=lettre).values_list("code_insee", flat=True))
    libres = [code for code in candidats if code not in pris][:nombre]
    if len(libres) < nombre:
        raise ValueError(f"Plus assez de codes libres commençant par {lettre} ({len(libres)} sur {nombre}).")
    return libres


@transaction.atomic
def generer_collectivites(
    nombre,
    *,
    exercices=4,
    fiches=20,
    indicateurs=10,
    jalons=5,
    lignes=3,
    prefixe="bench",
    premiere_annee=2019,
    historique=True,
    departements=False,
) -> list[CollectiviteGeneree]:
    """Crée `nombre` collectivités complètes ; renvoie pour chacune (collectivité, agent, exercices).

    Chaque collectivité (code « B00 », « B01 »… : première lettre du préfixe) a une convention, `exercices`
    exercices d'une année chacun (le premier par la convention, les suivants par avenant), ses groupes A et B,
    `fiches` fiches par exercice (voir `ajouter_fiches` ; la fiche n d'un exercice est la même action d'un exercice
    à l'autre) et un agent, agent.<code>@<préfixe>.calpae.fr, mot de passe MOT_DE_PASSE (haché une seule fois).
    `departements` : les codes des départements du référentiel encore libres d'abord (chacun avec sa région, une
    case sur la carte de France), puis les codes fictifs. Les résumés des exercices sont calculés à la fin.
    """
    codes = []
    if departements:
        pris = set(Collectivite.objects.values_list("code_insee", flat=True))
        codes = [t.code for t in Territoire.objects.filter(type=TypeCollectivite.DEPARTEMENT) if t.code not in pris]
        codes = codes[:nombre]
    codes += _codes_libres(prefixe[:1].upper() or "B", nombre - len(codes)) if nombre > len(codes) else []
    regions = dict(Territoire.objects.values_list("code", "region_id"))
    collectivites = _creer(
        Collectivite,
        [
            Collectivite(
                code_insee=code,
                nom=f"Département de volume {code}",
                nom_court=f"Volume {code}",
                type=TypeCollectivite.DEPARTEMENT,
                region_id=regions.get(code),
            )
            for code in codes
        ],
    )
    derniere_annee = premiere_annee + exercices - 1
    conventions = _creer(
        Convention,
        [
            Convention(
                collectivite=collectivite,
                cle=f"{prefixe}-{collectivite.code_insee.lower()}-{premiere_annee}-{derniere_annee}",
                intitule=f"Convention d'appui à la lutte contre la pauvreté {premiere_annee}-{derniere_annee}",
                date_debut=datetime.date(premiere_annee, 1, 1),
                date_fin=datetime.date(derniere_annee, 12, 31),
                date_signature=datetime.date(premiere_annee, 6, 21),
                lieu_signature="Préfecture",
            )
            for collectivite in collectivites
        ],
    )
    objets_exercices = []
    for convention in conventions:
        for e in range(exercices):
            annee = premiere_annee + e
            fin = datetime.date(annee, 12, 31)
            objets_exercices.append(
                Exercice(
                    convention=convention,
                    libelle=str(annee),
                    acte=TypeActe.CONVENTION if e == 0 else TypeActe.AVENANT,
                    intitule_acte="Convention initiale" if e == 0 else f"Avenant {annee}",
                    date_debut=datetime.date(annee, 1, 1),
                    date_fin=fin,
                    date_signature=datetime.date(annee, 6, 21) if e == 0 else datetime.date(annee, 2, 14),
                    date_limite_rapport=date_limite_par_defaut(fin),  # Exercice.save() n'est pas appelé
                    ordre=e,
                )
            )
    objets_exercices = _creer(Exercice, objets_exercices)
    _creer(
        Groupe,
        [
            groupe
            for exercice in objets_exercices
            for groupe in (
                Groupe(exercice=exercice, code="A", type=TypeGroupe.SOCLE, libelle="Engagements du socle", ordre=0),
                Groupe(
                    exercice=exercice,
                    code="B",
                    type=TypeGroupe.INITIATIVE,
                    libelle="Initiatives départementales",
                    ordre=1,
                ),
            )
        ],
    )
    lignees = _creer(
        Action,
        [
            Action(
                collectivite=collectivite,
                cle=f"{prefixe}-{collectivite.code_insee.lower()}-{n}",
                intitule=f"{THEMES[n % len(THEMES)][0]} ({prefixe} {n})",
            )
            for collectivite in collectivites
            for n in range(1, fiches + 1)
        ],
    )
    for c, _ in enumerate(collectivites):
        for exercice in objets_exercices[c * exercices : (c + 1) * exercices]:
            ajouter_fiches(
                exercice,
                fiches,
                lignes=lignes,
                indicateurs=indicateurs,
                jalons=jalons,
                prefixe=prefixe,
                lignees=lignees[c * fiches : (c + 1) * fiches],
                historique=historique,
            )

    empreinte = make_password(MOT_DE_PASSE)  # le hachage est lent par construction : une fois pour tous
    agents = _creer(
        User,
        [
            User(
                email=f"agent.{collectivite.code_insee.lower()}@{prefixe}.calpae.fr",
                first_name="Agent",
                last_name=collectivite.nom_court,
                role=Role.AGENT,
                password=empreinte,
            )
            for collectivite in collectivites
        ],
    )
    _creer(
        Affectation,
        [Affectation(user=agent, collectivite=c) for agent, c in zip(agents, collectivites, strict=True)],
    )
    reconstruire(Exercice.objects.filter(pk__in=[e.pk for e in objets_exercices]))
    return [
        CollectiviteGeneree(collectivite, agent, objets_exercices[c * exercices : (c + 1) * exercices])
        for c, (collectivite, agent) in enumerate(zip(collectivites, agents, strict=True))
    ]
