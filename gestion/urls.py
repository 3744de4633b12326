from django.urls import path

from . import views

app_name = "gestion"

urlpatterns = [
    path("conventions/nouvelle/", views.convention_nouvelle, name="convention_nouvelle"),
    path("conventions/<uuid:public_id>/modifier/", views.convention_modifier, name="convention_modifier"),
    path("exercices/<uuid:public_id>/fiches/nouvelle/", views.fiche_nouvelle, name="fiche_nouvelle"),
    path("exercices/<uuid:public_id>/groupes/", views.groupes, name="groupes"),
    path("fiches/<uuid:public_id>/indicateurs/tableau/", views.tableau_nouveau, name="tableau_nouveau"),
]
