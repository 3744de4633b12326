from django.urls import path

from . import views

app_name = "indicateurs"

urlpatterns = [
    path("fiches/<uuid:public_id>/indicateurs/", views.saisie, name="saisie"),
    path("indicateurs/lecture/", views.lecture, name="lecture"),
]
