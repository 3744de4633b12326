from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("exercices/<uuid:public_id>/", views.exercice, name="exercice"),
    path("exercices/<uuid:public_id>/fiches/", views.fiches, name="fiches"),
    path("fiches/<uuid:public_id>/", views.fiche, name="fiche"),
    path("fiches/<uuid:public_id>/historique/", views.historique, name="historique"),
    path("collectivites/<uuid:public_id>/", views.collectivite, name="collectivite"),
    path("suivi/", views.suivi, name="suivi"),
    path("comparaison/", views.comparaison, name="comparaison"),
    path("pilotage/", views.pilotage, name="pilotage"),
]
