from django.urls import path

from . import views

app_name = "rapports"

urlpatterns = [
    path("exercices/<uuid:public_id>/rapport/", views.rapport, name="rapport"),
    path("exercices/<uuid:public_id>/rapport/avant-propos/", views.avant_propos, name="avant_propos"),
    path("exercices/<uuid:public_id>/rapport/fiches/<uuid:fiche_id>/", views.section, name="section"),
    path("exercices/<uuid:public_id>/rapport/pdf/", views.pdf, name="pdf"),
    path("exercices/<uuid:public_id>/rapport/xlsx/", views.xlsx, name="xlsx"),
    path("exercices/<uuid:public_id>/rapport/transmettre/", views.transmettre, name="transmettre"),
    path("exercices/<uuid:public_id>/rapport/renvoyer/", views.renvoyer, name="renvoyer"),
    path("exercices/<uuid:public_id>/rapport/accepter/", views.accepter, name="accepter"),
    path("exercices/<uuid:public_id>/rapport/commentaires/", views.commenter, name="commenter"),
    path("exercices/<uuid:public_id>/rapport/refaction/", views.refaction, name="refaction"),
    path("exercices/<uuid:public_id>/rapport/comparer/", views.ecarts, name="ecarts"),
    path(
        "exercices/<uuid:public_id>/rapport/commentaires/<uuid:commentaire_id>/resoudre/",
        views.resoudre,
        name="resoudre",
    ),
    path(
        "exercices/<uuid:public_id>/rapport/versions/<int:numero>.<str:format>",
        views.version,
        name="version",
    ),
]
