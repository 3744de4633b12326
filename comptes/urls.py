from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from .forms import ConnexionForm

app_name = "comptes"

urlpatterns = [
    path(
        "connexion/",
        login_not_required(
            auth_views.LoginView.as_view(
                template_name="comptes/connexion.html",
                authentication_form=ConnexionForm,
                redirect_authenticated_user=True,
                extra_context={"title": "Connexion"},
            )
        ),
        name="connexion",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="deconnexion"),
]
