from django.urls import path

from . import views

app_name = "avenants"

urlpatterns = [
    path("exercices/<uuid:public_id>/avenant-suivant/", views.preparer, name="preparer"),
    path("exercices/<uuid:public_id>/changements/", views.changements, name="changements"),
]
