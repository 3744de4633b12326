from django.urls import path

from . import views

app_name = "importation"

urlpatterns = [
    path("import/", views.importer, name="importer"),
    path("import/<uuid:public_id>/confirmer/", views.confirmer, name="confirmer"),
    path("import/modele.xlsx", views.modele, name="modele"),
    path("exercices/<uuid:public_id>/export.xlsx", views.exporter, name="export"),
]
