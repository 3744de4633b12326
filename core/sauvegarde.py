"""A backup that moves between SQLite and PostgreSQL: one zip archive holding every table's rows (Django's JSON
serialization of every installed app, simple-history's tables included), the stored files, and a manifest that
records the schema version (the applied migrations).

Content types and permissions are left out and every reference to them is written by natural key, as Django's
documentation recommends: `migrate` recreates them in the target database, possibly under other ids.

Generic over the app registry: no app of the project is imported (the kernel, docs/architecture.md).
"""

import datetime
import json
import posixpath
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import TextIOWrapper
from pathlib import Path

import django
from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Cast
from django.utils import timezone

FORMAT = "calpae-sauvegarde"
VERSION_FORMAT = 1
MANIFESTE = "manifeste.json"
DONNEES = "donnees.json"
FICHIERS = "fichiers/"

# Recreated by `migrate` (its post_migrate signal): not backed up, referred to by natural key.
RECREES_PAR_MIGRATE = ("contenttypes.contenttype", "auth.permission")
# Rows that `migrate` itself writes: a database holding only these counts as empty. The DSFR site configuration is
# created by conventions/migrations/0002_configuration_dsfr.py.
ECRITES_PAR_MIGRATE = (*RECREES_PAR_MIGRATE, "dsfr.dsfrconfig")


# What reading a damaged archive raises: a wrong checksum, compressed data that no longer decompresses, a cut file.
ENDOMMAGEE = (zipfile.BadZipFile, zlib.error, EOFError)


class SauvegardeRefusee(Exception):
    """A backup that cannot be written or restored; the message says why, in French, and what to do."""


@dataclass
class Bilan:
    """What a backup holds or what a restore wrote."""

    lignes: Counter = field(default_factory=Counter)  # rows per model label (many-to-many tables included)
    fichiers: int = 0
    avertissements: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.lignes.values())


def modeles_sauvegardes() -> list[type[models.Model]]:
    """Every model whose table is backed up, in an order where natural keys are loaded before they are used."""
    par_app = {}
    for modele in apps.get_models():
        if modele._meta.proxy or not modele._meta.managed or modele._meta.label_lower in RECREES_PAR_MIGRATE:
            continue
        par_app.setdefault(modele._meta.app_config, []).append(modele)
    return serializers.sort_dependencies(par_app.items(), allow_cycles=True)


def _tables_many_to_many(modele) -> list[type[models.Model]]:
    return [
        f.remote_field.through
        for f in modele._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created and f.remote_field.through._meta.managed
    ]


def compter_lignes(*, sauf=RECREES_PAR_MIGRATE) -> Counter:
    """Rows per model label, automatic many-to-many tables included (a restore compares them with the manifest)."""
    compte = Counter()
    for modele in apps.get_models(include_auto_created=True):
        if modele._meta.proxy or not modele._meta.managed or modele._meta.label_lower in sauf:
            continue
        compte[modele._meta.label] = modele._base_manager.count()
    return compte


def migrations_appliquees() -> list[list[str]]:
    """The schema version: every applied migration as [app, name], sorted."""
    return sorted([app, nom] for app, nom in MigrationRecorder(connection).applied_migrations())


# ---------------------------------------------------------------------------------------------------- sauvegarder


def _decimal_stocke(brut: str | None, champ: models.DecimalField, etiquette: str, bilan: Bilan):
    """A decimal as the database holds it, read as text: a value that no longer fits its column (a 13-digit
    indicator number saved on SQLite before it was bounded) is kept as it is, with a warning, instead of stopping
    the backup with decimal.InvalidOperation as the ORM's reading does."""
    if brut is None:
        return None
    try:
        valeur = Decimal(brut)
    except InvalidOperation:
        bilan.avertissements.append(f"{etiquette} : « {brut} » n'est pas un nombre, gardé tel quel.")
        return brut
    try:
        return valeur.quantize(Decimal(1).scaleb(-champ.decimal_places), context=champ.context)
    except InvalidOperation:
        bilan.avertissements.append(
            f"{etiquette} : {brut} ne tient pas dans sa colonne ({champ.max_digits} chiffres dont "
            f"{champ.decimal_places} après la virgule) ; gardé tel quel, une base PostgreSQL le refusera à la "
            "restauration : corrigez-le avant."
        )
        return valeur


def _objets(modele, bilan: Bilan):
    """Every row of a model, by primary key, decimals read as text (see `_decimal_stocke`)."""
    decimaux = [f for f in modele._meta.concrete_fields if isinstance(f, models.DecimalField)]
    # Natural foreign keys (users, content types) read with their row, not one query each.
    naturelles = [
        f.name
        for f in modele._meta.concrete_fields
        if f.is_relation and hasattr(f.related_model, "natural_key") and f.related_model is not modele
    ]
    lignes = modele._base_manager.order_by("pk").select_related(*naturelles)
    if decimaux:
        lignes = lignes.defer(*(f.name for f in decimaux)).annotate(
            **{f"_brut_{f.attname}": Cast(f.attname, models.TextField()) for f in decimaux}
        )
    for objet in lignes.iterator(chunk_size=500):
        for champ in decimaux:
            etiquette = f"{modele._meta.label} n°{objet.pk}, {champ.name}"
            brut = getattr(objet, f"_brut_{champ.attname}")
            objet.__dict__[champ.attname] = _decimal_stocke(brut, champ, etiquette, bilan)
        bilan.lignes[modele._meta.label] += 1
        yield objet


def _fichiers_stockes(dossier: str = ""):
    """The names of every stored file (default_storage: the media directory, or a bucket)."""
    try:
        dossiers, fichiers = default_storage.listdir(dossier)
    except FileNotFoundError:  # no file stored yet: the media directory does not exist
        return
    for nom in sorted(fichiers):
        yield posixpath.join(dossier, nom)
    for sous_dossier in sorted(dossiers):
        yield from _fichiers_stockes(posixpath.join(dossier, sous_dossier))


def sauvegarder(chemin: Path) -> Bilan:
    """Write the backup archive at `chemin`: one consistent read of every table (a single transaction, repeatable
    read on PostgreSQL), then the stored files."""
    bilan = Bilan()
    modeles = modeles_sauvegardes()
    exterieure = not connection.in_atomic_block
    with zipfile.ZipFile(chemin, "w", compression=zipfile.ZIP_DEFLATED) as archive, transaction.atomic():
        if exterieure and connection.vendor == "postgresql":
            with connection.cursor() as curseur:
                curseur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        entree = zipfile.ZipInfo(DONNEES, date_time=timezone.localtime().timetuple()[:6])
        entree.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(entree, "w", force_zip64=True) as brut, TextIOWrapper(brut, encoding="utf-8") as flux:
            objets = (objet for modele in modeles for objet in _objets(modele, bilan))
            serializers.serialize("json", objets, stream=flux, use_natural_foreign_keys=True)
        for modele in modeles:  # the automatic many-to-many tables, serialized with their model: counted here
            for table in _tables_many_to_many(modele):
                bilan.lignes[table._meta.label] = table._base_manager.count()
        migrations = migrations_appliquees()
        fichiers = []
        for nom in _fichiers_stockes():
            with default_storage.open(nom, "rb") as fichier, archive.open(FICHIERS + nom, "w") as copie:
                for morceau in fichier.chunks():
                    copie.write(morceau)
            fichiers.append(nom)
        bilan.fichiers = len(fichiers)
        manifeste = {
            "format": FORMAT,
            "version": VERSION_FORMAT,
            "cree_le": timezone.now().isoformat(),
            "base": connection.vendor,
            "django": django.get_version(),
            "migrations": migrations,
            "lignes": dict(sorted(bilan.lignes.items())),
            "fichiers": fichiers,
            "avertissements": bilan.avertissements,
        }
        archive.writestr(MANIFESTE, json.dumps(manifeste, ensure_ascii=False, indent=1))
    return bilan


# ------------------------------------------------------------------------------------------------------ restaurer


def lire_manifeste(archive: zipfile.ZipFile, nom: str) -> dict:
    """The manifest of a backup archive, after checking every entry against its checksum."""
    try:
        manifeste = json.loads(archive.read(MANIFESTE))
    except (KeyError, ValueError) as erreur:
        raise SauvegardeRefusee(
            f"« {nom} » n'est pas une sauvegarde CALPAE : manifeste absent ou illisible."
        ) from erreur
    except ENDOMMAGEE as erreur:
        raise SauvegardeRefusee(
            f"La sauvegarde « {nom} » est endommagée ({erreur}) : prenez une autre copie."
        ) from erreur
    if (
        not isinstance(manifeste, dict)
        or manifeste.get("format") != FORMAT
        or not isinstance(manifeste.get("migrations"), list)
        or not isinstance(manifeste.get("lignes"), dict)
    ):
        raise SauvegardeRefusee(f"« {nom} » n'est pas une sauvegarde CALPAE : son manifeste n'est pas le nôtre.")
    if manifeste.get("version") != VERSION_FORMAT:
        raise SauvegardeRefusee(
            f"La sauvegarde « {nom} » est au format {manifeste.get('version')}, cette version de CALPAE lit le "
            f"format {VERSION_FORMAT}."
        )
    try:
        endommage = archive.testzip()  # reads every entry: a wrong checksum names it
    except ENDOMMAGEE as erreur:  # compressed data that no longer decompresses
        endommage = str(erreur)
    if endommage is not None or DONNEES not in archive.namelist():
        raise SauvegardeRefusee(
            f"La sauvegarde « {nom} » est endommagée ({endommage or DONNEES + ' manque'}) : prenez une autre copie."
        )
    return manifeste


def verifier_schema(manifeste: dict) -> None:
    """Refuse a backup of another schema version: its migrations must be exactly the database's."""
    sauvegarde = {tuple(m) for m in manifeste.get("migrations", [])}
    base = {tuple(m) for m in migrations_appliquees()}
    if sauvegarde == base:
        return

    def liste(migrations):
        noms = [f"{app}.{nom}" for app, nom in sorted(migrations)]
        return ", ".join(noms[:8]) + (f" et {len(noms) - 8} autres" if len(noms) > 8 else "")

    ecarts = []
    if sauvegarde - base:
        ecarts.append(f"présentes dans la sauvegarde seulement : {liste(sauvegarde - base)}")
    if base - sauvegarde:
        ecarts.append(f"présentes dans la base seulement : {liste(base - sauvegarde)}")
    raise SauvegardeRefusee(
        "Cette sauvegarde vient d'une autre version du schéma que celle de la base (migrations "
        + " ; ".join(ecarts)
        + "). Restaurez-la dans une base vide migrée jusqu'aux migrations de son manifeste, puis lancez migrate "
        "(docs/production.md). Rien n'a été modifié."
    )


def donnees_presentes() -> Counter:
    """Rows the database holds beyond what `migrate` writes (a restore would replace them)."""
    return +compter_lignes(sauf=ECRITES_PAR_MIGRATE)


def _vider_les_tables() -> None:
    """Empty every backed-up table (not content types and permissions: the backup refers to them by natural key)."""
    gardees = {apps.get_model(label)._meta.db_table for label in RECREES_PAR_MIGRATE}
    tables = [t for t in connection.introspection.django_table_names(only_existing=True) if t not in gardees]
    if connection.vendor == "postgresql":  # inside a transaction that already wrote (a test), TRUNCATE waits for
        connection.check_constraints()  # the deferred foreign-key checks: run them now
    with connection.cursor() as curseur:
        for requete in connection.ops.sql_flush(no_style(), tables, reset_sequences=False):
            curseur.execute(requete)


def _verifier_les_comptes(restaurees: Counter, attendues: Counter) -> None:
    ecarts = sorted(label for label in set(restaurees) | set(attendues) if restaurees[label] != attendues[label])
    if ecarts:
        raise SauvegardeRefusee(
            "Les lignes restaurées ne sont pas celles de la sauvegarde ("
            + ", ".join(f"{label} : {restaurees[label]} au lieu de {attendues[label]}" for label in ecarts)
            + "). Rien n'a été modifié."
        )


def _ecrire_les_lignes(flux) -> None:
    """Insert every serialized row (the tables are empty: one INSERT each, no UPDATE tried first as loaddata does),
    references to rows further on filled in at the end, then every foreign key checked."""
    differees, tables = [], set()
    with connection.constraint_checks_disabled():
        for ligne in serializers.deserialize("json", flux, handle_forward_references=True):
            try:
                ligne.save(force_insert=True)
            except DatabaseError as erreur:
                objet = ligne.object
                raise SauvegardeRefusee(
                    f"La restauration a échoué à la ligne {objet._meta.label} n°{objet.pk} ({erreur}) ; la base est "
                    "restée telle qu'elle était."
                ) from erreur
            tables.add(ligne.object._meta.db_table)
            if ligne.deferred_fields:
                differees.append(ligne)
        for ligne in differees:
            ligne.save_deferred_fields()
    connection.check_constraints(table_names=sorted(tables))


def restaurer(chemin: Path, *, remplacer: bool = False) -> Bilan:
    """Restore a backup archive in one transaction (all or nothing); the stored files are written last."""
    nom = Path(chemin).name
    try:
        archive = zipfile.ZipFile(chemin)
    except FileNotFoundError as erreur:
        raise SauvegardeRefusee(f"Le fichier « {chemin} » n'existe pas.") from erreur
    except (zipfile.BadZipFile, OSError) as erreur:
        raise SauvegardeRefusee(
            f"« {nom} » n'est pas une sauvegarde CALPAE (ce n'est pas une archive zip)."
        ) from erreur
    with archive:
        manifeste = lire_manifeste(archive, nom)
        verifier_schema(manifeste)
        presentes = donnees_presentes()
        if presentes and not remplacer:
            exemples = ", ".join(f"{n} {label}" for label, n in presentes.most_common(3))
            raise SauvegardeRefusee(
                f"La base n'est pas vide ({exemples}…) : la restauration remplacerait ces données. Relancez avec "
                "--remplacer pour les remplacer par la sauvegarde, après en avoir fait une sauvegarde. Rien n'a été "
                "modifié."
            )
        bilan = Bilan(avertissements=list(manifeste.get("avertissements", [])))
        try:
            with transaction.atomic():
                _vider_les_tables()
                with archive.open(DONNEES) as brut, TextIOWrapper(brut, encoding="utf-8") as flux:
                    _ecrire_les_lignes(flux)
                with connection.cursor() as curseur:  # every table's sequence above its ids (sqlsequencereset)
                    for requete in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                        curseur.execute(requete)
                bilan.lignes = compter_lignes()
                _verifier_les_comptes(bilan.lignes, Counter(manifeste["lignes"]))
                for nom_fichier in manifeste.get("fichiers", []):
                    if default_storage.exists(nom_fichier):
                        default_storage.delete(nom_fichier)
                    default_storage.save(nom_fichier, ContentFile(archive.read(FICHIERS + nom_fichier)))
                    bilan.fichiers += 1
        except (DatabaseError, serializers.base.DeserializationError) as erreur:
            raise SauvegardeRefusee(
                f"La restauration a échoué et la base est restée telle qu'elle était : {erreur}"
            ) from erreur
    return bilan


def nom_par_defaut() -> str:
    return f"calpae-sauvegarde-{datetime.datetime.now():%Y%m%d-%H%M%S}.zip"
