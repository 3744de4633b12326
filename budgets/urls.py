from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("fiches/<uuid:public_id>/budgets/<str:nature>/modifier/", views.modifier, name="modifier"),
    path("fiches/<uuid:public_id>/budgets/<str:nature>/apercu/", views.apercu, name="apercu"),
    path("fiches/<uuid:public_id>/budgets/<str:nature>/ligne/", views.nouvelle_ligne, name="nouvelle_ligne"),
]
