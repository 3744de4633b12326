from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("fiches/<uuid:public_id>/modifier/", views.modifier, name="modifier"),
]
