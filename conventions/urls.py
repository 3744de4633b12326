from django.urls import path

from . import views

app_name = "conventions"

urlpatterns = [
    path("exercices/<uuid:public_id>/", views.exercice, name="exercice"),
]
