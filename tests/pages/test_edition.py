"""Editing a fiche: texts, budget, indicator values. Input rules, nothing lost on error, lost updates, history."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Fiche
from budgets.models import Budget, LigneBudget, Part
from comptes.models import User
from core.money import format_euros
from indicateurs.models import ValeurIndicateur

from .test_pages import NBSP, texte

pytestmark = pytest.mark.django_db


def donnees_fiche(fiche, **changements):
    donnees = {
        "numero": fiche.numero,
        "groupe": fiche.groupe_id,
        "ordre": fiche.ordre,
        "titre": fiche.titre,
        "theme": fiche.theme,
        "description": fiche.description,
        "declinaison": fiche.declinaison,
        "date_mise_en_place": fiche.date_mise_en_place,
        "duree": fiche.duree,
        "partenaires": fiche.partenaires,
        "indicateurs_note": fiche.indicateurs_note,
        "version": fiche.version,
        "sections-TOTAL_FORMS": 0,
        "sections-INITIAL_FORMS": 0,
    }
    for rang, section in enumerate(fiche.sections.all()):
        donnees.update(
            {
                f"sections-{rang}-id": section.pk,
                f"sections-{rang}-titre": section.titre,
                f"sections-{rang}-texte": section.texte,
            }
        )
        donnees["sections-TOTAL_FORMS"] = donnees["sections-INITIAL_FORMS"] = rang + 1
    donnees.update(changements)
    return donnees


class TestTextes:
    def test_saving_texts_records_who_before_and_after(self, client, agent_68, fiche_68):
        url = reverse("actions:modifier", args=[fiche_68.public_id])
        reponse = client.post(url, donnees_fiche(fiche_68, duree="Trois ans (2019 à 2021)."))
        assert reponse.status_code == 302
        fiche_68.refresh_from_db()
        assert fiche_68.duree == "Trois ans (2019 à 2021)."
        assert fiche_68.version == 2
        page = texte(client.get(reverse("pages:historique", args=[fiche_68.public_id])))
        assert "Modification – Fiche" in page
        assert "Dominique Agent Haut-Rhin" in page or agent_68.email in page
        assert "Durée de l'action Déploiement sur la durée de la contractualisation (2019 à 2021). Trois ans" in page

    def test_an_empty_title_is_refused_and_nothing_changes(self, client, agent_68, fiche_68):
        url = reverse("actions:modifier", args=[fiche_68.public_id])
        reponse = client.post(url, donnees_fiche(fiche_68, titre="", duree="Nouvelle durée"))
        assert reponse.status_code == 200
        page = texte(reponse)
        assert "La fiche n'est pas enregistrée" in page
        assert "Nouvelle durée" in reponse.content.decode()  # what was typed stays
        fiche_68.refresh_from_db()
        assert fiche_68.version == 1 and fiche_68.duree != "Nouvelle durée"

    def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_its_input(
        self, client, agent_68, fiche_68, django_user_model
    ):
        url = reverse("actions:modifier", args=[fiche_68.public_id])
        lue_par_les_deux = donnees_fiche(fiche_68)  # both opened the form at version 1
        collegue = User.objects.create_user(
            email="camille.collegue@haut-rhin.fr", password="x-Tres-Long-2026", first_name="Camille", last_name="Martin"
        )
        collegue.collectivites.set(agent_68.collectivites.all())
        from django.test import Client

        autre = Client()
        autre.force_login(collegue)
        assert autre.post(url, {**lue_par_les_deux, "duree": "Version de Camille"}).status_code == 302

        reponse = client.post(url, {**lue_par_les_deux, "duree": "Ma version", "partenaires": "Mes partenaires"})
        assert reponse.status_code == 409
        page = texte(reponse)
        assert "Enregistrement refusé" in page
        assert "Dernier enregistrement : Camille Martin, le" in page
        assert "Durée de l'action Ma version Version de Camille" in page  # side by side
        html = reponse.content.decode()
        assert "Ma version" in html and "Mes partenaires" in html  # the user's input is kept in the form
        fiche_68.refresh_from_db()
        assert fiche_68.duree == "Version de Camille" and fiche_68.version == 2
        # Saving again from the reconciled form goes through (it now carries version 2).
        assert 'name="version" value="2"' in html
        reponse = client.post(url, {**lue_par_les_deux, "version": 2, "duree": "Réconciliée"})
        assert reponse.status_code == 302
        fiche_68.refresh_from_db()
        assert fiche_68.duree == "Réconciliée" and fiche_68.version == 3

    def test_a_reader_cannot_save(self, client, referent, fiche_68):
        url = reverse("actions:modifier", args=[fiche_68.public_id])
        assert client.post(url, donnees_fiche(fiche_68, duree="x")).status_code == 403
        fiche_68.refresh_from_db()
        assert fiche_68.duree != "x"


def donnees_budget(fiche, nature="previsionnel"):
    """The form as the page sends it, from what is saved."""
    budget = Budget.objects.get(fiche=fiche, nature=nature)
    donnees = {
        "budget-version": budget.version,  # each budget has its own version
        "budget-intitule": budget.intitule,
        "budget-total": str(budget.total or ""),
        "budget-texte": budget.texte,
        "parts-TOTAL_FORMS": 0,
        "parts-INITIAL_FORMS": 0,
        "lignes-TOTAL_FORMS": 0,
        "lignes-INITIAL_FORMS": 0,
    }
    parts = list(budget.parts.filter(ligne__isnull=True))
    for rang, part in enumerate(parts):
        donnees.update(
            {
                f"parts-{rang}-id": part.pk,
                f"parts-{rang}-financeur": part.financeur,
                f"parts-{rang}-libelle": part.libelle,
                f"parts-{rang}-montant": str(part.montant or ""),
                f"parts-{rang}-texte": part.texte,
                f"parts-{rang}-annee": part.annee or "",
                f"parts-{rang}-territoire": part.territoire,
            }
        )
    donnees["parts-TOTAL_FORMS"] = donnees["parts-INITIAL_FORMS"] = len(parts)
    lignes = list(budget.lignes.all())
    for rang, ligne in enumerate(lignes):
        donnees.update(
            {
                f"lignes-{rang}-id": ligne.pk,
                f"lignes-{rang}-libelle": ligne.libelle,
                f"lignes-{rang}-montant": str(ligne.montant or ""),
                f"lignes-{rang}-quantite": "",
                f"lignes-{rang}-unite": ligne.unite,
                f"lignes-{rang}-cout_unitaire": "",
                f"lignes-{rang}-territoire": ligne.territoire,
                f"lignes-{rang}-type_depense": ligne.type_depense,
                f"lignes-{rang}-ORDER": rang + 1,
            }
        )
    donnees["lignes-TOTAL_FORMS"] = donnees["lignes-INITIAL_FORMS"] = len(lignes)
    return donnees


class TestBudget:
    def url(self, fiche, nature="previsionnel"):
        return reverse("budgets:modifier", args=[fiche.public_id, nature])

    @pytest.mark.parametrize(
        ("saisie", "message"),
        [
            ("15 OOO", "« 15 OOO » n'est pas un montant en euros"),
            ("-15 000", "Un montant ne peut pas être négatif."),
            ("15 000,505", "a plus de deux décimales"),
            ("1e3", "« 1e3 » n'est pas un montant en euros"),
            ("١٥٠٠٠", "n'est pas un montant en euros"),  # non-Latin digits
        ],
    )
    def test_a_wrong_amount_gets_a_message_next_to_the_field_and_nothing_changes(
        self, client, agent_68, fiche_68, saisie, message
    ):
        donnees = donnees_budget(fiche_68)
        donnees["parts-0-montant"] = saisie
        donnees["budget-texte"] = "Texte modifié en même temps"
        reponse = client.post(self.url(fiche_68), donnees)
        assert reponse.status_code == 422
        html = reponse.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
        assert message in html
        assert 'id="id_parts-0-montant-desc-error"' in html  # the message sits under the field
        assert "Texte modifié en même temps" in html  # nothing typed is lost
        budget = Budget.objects.get(fiche=fiche_68, nature="previsionnel")
        assert budget.texte != "Texte modifié en même temps"
        assert sorted(p.montant for p in budget.parts.all()) == [Decimal("15000.00"), Decimal("15000.00")]

    @pytest.mark.parametrize(
        ("saisie", "attendu"),
        [
            ("16 000", "16000.00"),
            ("16\u00a0000,50", "16000.50"),
            ("16\u202f000,50 €", "16000.50"),  # what a browser's French formatting produces
            ("16000.5", "16000.50"),
        ],
    )
    def test_amounts_are_read_as_people_type_them(self, client, agent_68, fiche_68, saisie, attendu):
        donnees = donnees_budget(fiche_68)
        donnees["parts-0-montant"] = saisie
        assert client.post(self.url(fiche_68), donnees).status_code == 302
        part = Budget.objects.get(fiche=fiche_68, nature="previsionnel").parts.get(pk=donnees["parts-0-id"])
        assert part.montant == Decimal(attendu)

    def test_typo_then_correction_updates_the_totals_and_the_history(self, client, agent_68, fiche_68):
        donnees = donnees_budget(fiche_68)
        donnees["lignes-0-montant"] = "35 OOO"
        assert client.post(self.url(fiche_68), donnees).status_code == 422
        donnees["lignes-0-montant"] = "35 000"
        donnees["budget-total"] = "35 000"
        assert client.post(self.url(fiche_68), donnees).status_code == 302
        page = texte(client.get(reverse("pages:fiche", args=[fiche_68.public_id])))
        assert "Total : 35 000,00 €" in page
        assert "le total indiqué (35 000,00 €) n'est pas la somme des parts (30 000,00 €)" in page
        historique = texte(client.get(reverse("pages:historique", args=[fiche_68.public_id])))
        assert "Montant 30 000,00 € 35 000,00 €" in historique
        assert "Total indiqué 30 000,00 € 35 000,00 €" in historique

    def test_lines_are_added_reordered_and_removed(self, client, agent_68, fiche_68):
        budget = Budget.objects.get(fiche=fiche_68, nature="previsionnel")
        premiere = budget.lignes.get()
        donnees = donnees_budget(fiche_68)
        donnees.update(
            {
                "lignes-TOTAL_FORMS": 3,
                "lignes-1-libelle": "Formation des référents",
                "lignes-1-quantite": "4",
                "lignes-1-cout_unitaire": "1 250,50",
                "lignes-1-ORDER": 1,  # moved above the existing line
                "lignes-2-libelle": "Ligne ajoutée puis retirée",
                "lignes-2-montant": "10",
                "lignes-2-DELETE": "on",
                "lignes-0-ORDER": 2,
            }
        )
        assert client.post(self.url(fiche_68), donnees).status_code == 302
        lignes = list(budget.lignes.order_by("ordre"))
        assert [ligne.libelle for ligne in lignes] == ["Formation des référents", premiere.libelle]
        assert lignes[0].montant == Decimal("5002.00")  # 4 × 1 250,50 €, computed when the amount is left empty
        fiche_68.refresh_from_db()
        donnees = donnees_budget(fiche_68)
        donnees["lignes-0-DELETE"] = "on"
        assert client.post(self.url(fiche_68), donnees).status_code == 302
        assert list(budget.lignes.values_list("libelle", flat=True)) == [premiere.libelle]

    def test_the_executed_budget_can_be_entered_when_missing(self, client, agent_cea):
        fiche = Fiche.objects.get(exercice__libelle="2021-2022", exercice__convention__cle="68-2019-2021", cle="init-1")
        assert not Budget.objects.filter(fiche=fiche, nature="execute").exists()
        assert 'name="budget-version" value="0"' in client.get(self.url(fiche, "execute")).content.decode()
        donnees = {
            "budget-version": 0,  # the budget did not exist when the form was read
            "budget-intitule": "Budget exécuté au 30/06/2022",
            "budget-total": "12 500",
            "budget-texte": "",
            "parts-TOTAL_FORMS": 1,
            "parts-INITIAL_FORMS": 0,
            "parts-0-financeur": "etat",
            "parts-0-montant": "6 250",
            "lignes-TOTAL_FORMS": 0,
            "lignes-INITIAL_FORMS": 0,
        }
        assert client.post(self.url(fiche, "execute"), donnees).status_code == 302
        budget = Budget.objects.get(fiche=fiche, nature="execute")
        assert budget.total == Decimal("12500.00") and budget.parts.get().montant == Decimal("6250.00")

    def test_a_concurrent_budget_save_is_refused(self, client, agent_68, fiche_68):
        donnees = donnees_budget(fiche_68)
        Budget.objects.filter(fiche=fiche_68, nature="previsionnel").update(version=5)  # someone saved meanwhile
        donnees["lignes-0-montant"] = "31 000"
        reponse = client.post(self.url(fiche_68), donnees)
        assert reponse.status_code == 409
        assert "Enregistrement refusé" in texte(reponse)
        assert "31 000" in reponse.content.decode()
        assert LigneBudget.objects.get(pk=donnees["lignes-0-id"]).montant == Decimal("30000.00")

    def test_live_totals_follow_the_typing_without_saving(self, client, agent_68, fiche_68):
        donnees = donnees_budget(fiche_68)
        donnees["parts-0-montant"] = "5 000"  # the collectivité's part falls under the State's
        donnees["lignes-0-montant"] = "20 000,50"
        reponse = client.post(reverse("budgets:apercu", args=[fiche_68.public_id, "previsionnel"]), donnees)
        page = texte(reponse)
        assert "Somme des lignes (1) : 20 000,50 €" in page
        assert "Part de la collectivité : 5 000,00 €" in page
        assert "Parité non respectée" in page
        donnees["parts-0-montant"] = "5 OOO"
        page = texte(client.post(reverse("budgets:apercu", args=[fiche_68.public_id, "previsionnel"]), donnees))
        assert "Part 1, montant : « 5 OOO » n'est pas un montant en euros" in page
        budget = Budget.objects.get(fiche=fiche_68, nature="previsionnel")
        assert budget.parts.get(pk=donnees["parts-0-id"]).montant == Decimal("15000.00")

    def test_a_new_line_row_comes_with_the_next_index(self, client, agent_68, fiche_68):
        url = reverse("budgets:nouvelle_ligne", args=[fiche_68.public_id, "previsionnel"])
        html = client.get(url, {"lignes-TOTAL_FORMS": "3"}).content.decode()
        assert 'name="lignes-3-libelle"' in html
        assert 'name="lignes-TOTAL_FORMS" id="id_lignes-TOTAL_FORMS" value="4" hx-swap-oob="true"' in html

    def test_an_unknown_nature_is_not_found(self, client, agent_68, fiche_68):
        assert client.get(self.url(fiche_68, "imaginaire")).status_code == 404


class TestIndicateurs:
    def url(self, fiche):
        return reverse("indicateurs:saisie", args=[fiche.public_id])

    def cellule(self, html, debut_libelle):
        """The form-field key of the first cell of the row whose label starts so."""
        import re

        index = html.index(debut_libelle)
        return re.search(r'name="t_([0-9_]+)"', html[index:]).group(1)

    def formulaire(self, html):
        import re

        champs = dict(re.findall(r'name="([tov]_[0-9_]+)" value="([^"]*)"', html))
        return {k: v.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&") for k, v in champs.items()}

    def test_values_are_saved_and_read_as_the_documents_write_them(self, client, agent_68, fiche_68):
        html = client.get(self.url(fiche_68)).content.decode()
        donnees = self.formulaire(html)
        cle = self.cellule(html, "a) Nombre de jeunes majeurs")
        indicateur_id, jalon_id, _ = cle.split("_")
        donnees[f"t_{cle}"] = "4 827"
        assert client.post(self.url(fiche_68), donnees).status_code == 302
        valeur = ValeurIndicateur.objects.get(indicateur_id=indicateur_id, jalon_id=jalon_id)
        assert valeur.texte == "4 827" and valeur.type == "nombre" and valeur.nombre == 4827
        assert "nombre : 4 827" in texte(client.get(self.url(fiche_68)))
        historique = texte(client.get(reverse("pages:historique", args=[fiche_68.public_id])))
        assert "Valeur telle qu'écrite ND* 4 827" in historique

    @pytest.mark.parametrize(
        ("saisie", "lecture"),
        [("ND", "non disponible"), ("95 %", "taux : 95 %"), ("29 jours", "durée : 29 jours"), ("/", "sans objet")],
    )
    def test_the_reading_is_shown_while_typing(self, client, agent_68, saisie, lecture):
        reponse = client.get(reverse("indicateurs:lecture"), {"t_1_1_0": saisie})
        assert lecture in reponse.content.decode().replace("\u00a0", " ")

    def test_a_value_changed_by_someone_else_meanwhile_is_a_conflict(self, client, agent_68, fiche_68):
        html = client.get(self.url(fiche_68)).content.decode()
        donnees = self.formulaire(html)
        cle = self.cellule(html, "d) Taux de jeunes sans logement")
        autre = self.cellule(html, "e) Taux de jeune ayant accès")
        indicateur_id, jalon_id, _ = cle.split("_")
        valeur = ValeurIndicateur.objects.get(indicateur_id=indicateur_id, jalon_id=jalon_id)
        valeur.texte = "12 %"  # a colleague's save
        valeur.version += 1
        valeur.save()
        donnees[f"t_{cle}"] = "Non mesuré"
        donnees[f"t_{autre}"] = "55 %"
        reponse = client.post(self.url(fiche_68), donnees)
        assert reponse.status_code == 409
        page = texte(reponse)
        assert "Enregistrement refusé : 1 valeur modifiée par quelqu'un d'autre" in page
        assert "« 12 % »" in page
        assert 'value="Non mesuré"' in reponse.content.decode()
        # All or nothing: the other cell was not saved either.
        autre_indicateur, autre_jalon, _ = autre.split("_")
        assert ValeurIndicateur.objects.get(indicateur_id=autre_indicateur, jalon_id=autre_jalon).texte == "ND"

    def test_a_too_long_value_is_refused_next_to_its_cell(self, client, agent_68, fiche_68):
        html = client.get(self.url(fiche_68)).content.decode()
        donnees = self.formulaire(html)
        cle = self.cellule(html, "a) Nombre de jeunes majeurs")
        donnees[f"t_{cle}"] = "x" * 501
        reponse = client.post(self.url(fiche_68), donnees)
        assert reponse.status_code == 422
        assert "500 caractères au plus" in texte(reponse)

    def test_cells_of_another_fiche_cannot_be_written_through_this_one(self, client, agent_68, fiche_68):
        autre = ValeurIndicateur.objects.exclude(indicateur__tableau__fiches=fiche_68).first()
        cle = f"{autre.indicateur_id}_{autre.jalon_id}_0"
        reponse = client.post(self.url(fiche_68), {f"t_{cle}": "piraté", f"o_{cle}": autre.texte, f"v_{cle}": 1})
        assert reponse.status_code == 302
        autre.refresh_from_db()
        assert autre.texte != "piraté"


def ajouter_parts_des_lignes(donnees, budget):
    """The "Parts des lignes" section as the page sends it, from what is saved."""
    parts = list(budget.parts.filter(ligne__isnull=False).order_by("ligne__ordre", "ordre", "pk"))
    for rang, part in enumerate(parts):
        donnees.update(
            {
                f"parts_lignes-{rang}-id": part.pk,
                f"parts_lignes-{rang}-ligne": part.ligne_id,
                f"parts_lignes-{rang}-financeur": part.financeur,
                f"parts_lignes-{rang}-libelle": part.libelle,
                f"parts_lignes-{rang}-montant": str(part.montant or ""),
                f"parts_lignes-{rang}-texte": part.texte,
                f"parts_lignes-{rang}-territoire": part.territoire,
            }
        )
    donnees["parts_lignes-TOTAL_FORMS"] = donnees["parts_lignes-INITIAL_FORMS"] = len(parts)
    return parts


class TestPartsDesLignes:
    """Seed 003 (CeA, 2024) splits each budget line between the State and the CeA: those parts are edited too."""

    @pytest.fixture
    def fiche(self):
        return Fiche.objects.get(exercice__convention__cle="6ae-volet2-2024", cle="1")

    def url(self, fiche):
        return reverse("budgets:modifier", args=[fiche.public_id, "previsionnel"])

    def test_the_page_lists_each_lines_parts(self, client, agent_cea, fiche):
        page = texte(client.get(self.url(fiche)))
        assert "Parts des lignes" in page
        html = client.get(self.url(fiche)).content.decode()
        assert 'value="311\xa0055,00"' in html and 'value="293\xa0555,00"' in html
        assert html.count('name="parts_lignes-') > 6 * 5  # six parts, each with its fields, and an empty row

    def test_a_lines_part_is_changed_added_and_removed(self, client, agent_cea, fiche):
        budget = Budget.objects.get(fiche=fiche, nature="previsionnel")
        donnees = donnees_budget(fiche)
        parts = ajouter_parts_des_lignes(donnees, budget)
        etat = next(rang for rang, p in enumerate(parts) if p.financeur == "etat")
        donnees[f"parts_lignes-{etat}-montant"] = "311 000,50"
        donnees["parts_lignes-0-DELETE"] = "on"
        nouvelle = len(parts)
        ligne = budget.lignes.order_by("ordre").last()
        donnees.update(
            {
                "parts_lignes-TOTAL_FORMS": nouvelle + 1,
                f"parts_lignes-{nouvelle}-ligne": ligne.pk,
                f"parts_lignes-{nouvelle}-financeur": "autre",
                f"parts_lignes-{nouvelle}-libelle": "Fonds social européen",
                f"parts_lignes-{nouvelle}-montant": "1 000",
            }
        )
        reponse = client.post(self.url(fiche), donnees)
        assert reponse.status_code == 302, texte(reponse)[:2000]
        restantes = budget.parts.filter(ligne__isnull=False)
        assert restantes.count() == len(parts)  # one removed, one added
        assert not restantes.filter(pk=parts[0].pk).exists()
        assert restantes.get(pk=parts[etat].pk).montant == Decimal("311000.50")
        ajoutee = restantes.get(libelle="Fonds social européen")
        assert (ajoutee.ligne_id, ajoutee.montant, ajoutee.budget_id) == (ligne.pk, Decimal("1000.00"), budget.pk)
        assert budget.parts.filter(ligne__isnull=True).count() == 2  # the budget's own parts are untouched

    @pytest.mark.parametrize(
        ("champ", "valeur", "message"),
        [
            ("montant", "-5", "Un montant ne peut pas être négatif."),
            ("montant", "trois cents", "n'est pas un montant en euros"),
            ("ligne", "", "Ce champ est obligatoire."),
        ],
    )
    def test_a_wrong_part_is_refused_next_to_its_field(self, client, agent_cea, fiche, champ, valeur, message):
        budget = Budget.objects.get(fiche=fiche, nature="previsionnel")
        donnees = donnees_budget(fiche)
        parts = ajouter_parts_des_lignes(donnees, budget)
        avant = list(budget.parts.order_by("pk").values_list("pk", "ligne_id", "montant"))
        donnees[f"parts_lignes-1-{champ}"] = valeur
        reponse = client.post(self.url(fiche), donnees)
        assert reponse.status_code == 422
        html = reponse.content.decode()
        erreur = re.search(rf'id="id_parts_lignes-1-{champ}-desc-error">([^<]*)<', html)
        assert erreur and message in erreur.group(1).replace("&#x27;", "'")
        assert list(budget.parts.order_by("pk").values_list("pk", "ligne_id", "montant")) == avant
        assert len(parts) == 6

    def test_a_line_of_another_budget_cannot_be_chosen(self, client, agent_cea, fiche):
        budget = Budget.objects.get(fiche=fiche, nature="previsionnel")
        ailleurs = LigneBudget.objects.exclude(budget=budget).first()
        donnees = donnees_budget(fiche)
        ajouter_parts_des_lignes(donnees, budget)
        donnees["parts_lignes-0-ligne"] = ailleurs.pk
        reponse = client.post(self.url(fiche), donnees)
        assert reponse.status_code == 422 and "Sélectionnez un choix valide" in texte(reponse)
        assert not Part.objects.filter(ligne=ailleurs, budget=budget).exists()

    def test_the_live_totals_count_the_lines_parts(self, client, agent_cea, fiche):
        budget = Budget.objects.get(fiche=fiche, nature="previsionnel")
        budget.parts.filter(ligne__isnull=True).delete()  # only the lines' parts are left to count
        donnees = donnees_budget(fiche)
        parts = ajouter_parts_des_lignes(donnees, budget)
        etat = sum(p.montant for p in parts if p.financeur == "etat")
        page = texte(client.post(reverse("budgets:apercu", args=[fiche.public_id, "previsionnel"]), donnees))
        assert f"Part de l'État : {format_euros(etat).replace(NBSP, ' ')}" in page
        # And the page as first shown says the same.
        assert f"Part de l'État : {format_euros(etat).replace(NBSP, ' ')}" in texte(client.get(self.url(fiche)))


def test_a_budget_without_parts_offers_one_part_per_party_on_one_screen(client, agent_cea):
    fiche = Fiche.objects.get(exercice__libelle="2021-2022", exercice__convention__cle="68-2019-2021", cle="init-1")
    page = client.get(reverse("budgets:modifier", args=[fiche.public_id, "execute"])).content.decode()
    assert 'name="parts-TOTAL_FORMS" value="3"' in page
    for rang, financeur in enumerate(("etat", "collectivite", "autre")):
        assert re.search(rf'<option value="{financeur}" selected>', page.split(f'name="parts-{rang}-financeur"')[1])
    donnees = {
        "budget-version": 0,
        "budget-intitule": "Budget exécuté",
        "budget-total": "",
        "budget-texte": "",
        "parts-TOTAL_FORMS": 3,
        "parts-INITIAL_FORMS": 0,
        "parts-0-financeur": "etat",
        "parts-0-montant": "6 250",
        "parts-1-financeur": "collectivite",
        "parts-1-montant": "7 000",
        "parts-2-financeur": "autre",
        "lignes-TOTAL_FORMS": 0,
        "lignes-INITIAL_FORMS": 0,
    }
    assert client.post(reverse("budgets:modifier", args=[fiche.public_id, "execute"]), donnees).status_code == 302
    parts = Budget.objects.get(fiche=fiche, nature="execute").parts.order_by("ordre", "pk")
    assert [(p.financeur, p.montant) for p in parts] == [
        ("etat", Decimal("6250.00")),
        ("collectivite", Decimal("7000.00")),
    ]


def test_a_fiche_is_renumbered_and_moved_to_another_annex_and_one_number_is_one_fiche(client, agent_68, fiche_68):
    url = reverse("actions:modifier", args=[fiche_68.public_id])
    annexe_b = fiche_68.exercice.groupes.get(code="B")
    reponse = client.post(url, donnees_fiche(fiche_68, numero="ACTION 2"))
    assert reponse.status_code == 200
    assert "L'annexe A a déjà une fiche « ACTION 2 » : un numéro par fiche." in texte(reponse)
    donnees = donnees_fiche(fiche_68, numero="ACTION 9", groupe=annexe_b.pk, evolution="renforcee", ordre=99)
    reponse = client.post(url, donnees)
    assert reponse.status_code == 302
    fiche_68.refresh_from_db()
    assert (fiche_68.numero, fiche_68.groupe.code, fiche_68.evolution) == ("ACTION 9", "B", "renforcee")
    assert fiche_68.ordre == 99  # reordered: last in the exercice's lists
    assert "Action renforcée" in texte(client.get(reverse("pages:fiche", args=[fiche_68.public_id])))


def test_a_forged_number_of_rows_is_refused_before_the_rows_are_built(client, agent_68, fiche_68):
    donnees = donnees_budget(fiche_68)
    donnees["lignes-TOTAL_FORMS"] = 100000
    reponse = client.post(reverse("budgets:modifier", args=[fiche_68.public_id, "previsionnel"]), donnees)
    assert reponse.status_code == 422
    assert "500" in texte(reponse)  # « soumettre au plus 500 formulaires »
