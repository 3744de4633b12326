from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("exercices/<uuid:public_id>/fiches/", views.liste, name="liste"),
    path("fiches/<uuid:public_id>/", views.fiche, name="fiche"),
    path("fiches/<uuid:public_id>/modifier/", views.modifier, name="modifier"),
    path("fiches/<uuid:public_id>/historique/", views.historique, name="historique"),
]
