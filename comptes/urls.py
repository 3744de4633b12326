"""Sign-in by e-mail and password (Django's auth views, DSFR templates), the password reset by e-mail, and ProConnect
(the State's OpenID Connect for agents, comptes.proconnect) beside them when it is enabled.
"""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from . import proconnect, views
from .forms import ChangementMotDePasseForm, ConnexionForm, MotDePasseOublieForm, NouveauMotDePasseForm

app_name = "comptes"


def public(vue, **options):
    return login_not_required(vue.as_view(**options))


urlpatterns = [
    path(
        "connexion/",
        public(
            views.ConnexionView,
            template_name="comptes/connexion.html",
            authentication_form=ConnexionForm,
            redirect_authenticated_user=True,
            extra_context={"title": "Connexion"},
        ),
        name="connexion",
    ),
    path("deconnexion/", views.DeconnexionView.as_view(), name="deconnexion"),
    path("proconnect/", public(views.ProConnectView), name="proconnect"),
    path("proconnect/retour/", public(proconnect.Retour), name="proconnect_retour"),
    path("mon-compte/", views.compte, name="compte"),
    path(
        "mon-compte/mot-de-passe/",
        views.MotDePasseModifierView.as_view(
            form_class=ChangementMotDePasseForm,
            template_name="comptes/mot_de_passe_modifier.html",
            success_url=reverse_lazy("comptes:compte"),
            extra_context={"title": "Changer de mot de passe"},
        ),
        name="mot_de_passe_modifier",
    ),
    path(
        "mot-de-passe/oublie/",
        public(
            views.MotDePasseOublieView,
            form_class=MotDePasseOublieForm,
            template_name="comptes/mot_de_passe_oublie.html",
            email_template_name="comptes/mot_de_passe_courriel.txt",
            subject_template_name="comptes/mot_de_passe_sujet.txt",
            success_url=reverse_lazy("comptes:mot_de_passe_envoye"),
            extra_context={"title": "Mot de passe oublié"},
        ),
        name="mot_de_passe_oublie",
    ),
    path(
        "mot-de-passe/envoye/",
        public(
            auth_views.PasswordResetDoneView,
            template_name="comptes/mot_de_passe_envoye.html",
            extra_context={"title": "Courriel envoyé"},
        ),
        name="mot_de_passe_envoye",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        public(
            auth_views.PasswordResetConfirmView,
            form_class=NouveauMotDePasseForm,
            template_name="comptes/mot_de_passe_nouveau.html",
            success_url=reverse_lazy("comptes:mot_de_passe_change"),
            extra_context={"title": "Nouveau mot de passe"},
        ),
        name="mot_de_passe_nouveau",
    ),
    path(
        "mot-de-passe/change/",
        public(
            auth_views.PasswordResetCompleteView,
            template_name="comptes/mot_de_passe_change.html",
            extra_context={"title": "Mot de passe changé"},
        ),
        name="mot_de_passe_change",
    ),
]
