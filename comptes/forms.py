from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UsernameField,
)
from dsfr.forms import DsfrBaseForm

from .models import User


class ConnexionForm(AuthenticationForm, DsfrBaseForm):
    # Declared here: django-dsfr binds the fields before AuthenticationForm would set the label.
    username = UsernameField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect. Vérifiez-les et réessayez.",
        "inactive": "Ce compte est désactivé. Contactez l'administrateur de CALPAE.",
        "proconnect_seulement": "Ce compte se connecte avec ProConnect seulement : utilisez le bouton « S'identifier "
        "avec ProConnect ».",
    }

    def get_invalid_login_error(self):
        # The password backend refuses an account set to ProConnect only (comptes.backends). Say so to whoever typed
        # its right password; anyone else gets the usual message (it tells nobody that the account exists).
        compte = User.objects.filter(
            email__iexact=self.cleaned_data.get("username") or "", proconnect_seulement=True, is_active=True
        ).first()
        if compte is not None and compte.check_password(self.cleaned_data.get("password") or ""):
            return forms.ValidationError(self.error_messages["proconnect_seulement"], code="proconnect_seulement")
        return super().get_invalid_login_error()


class MotDePasseOublieForm(PasswordResetForm, DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class NouveauMotDePasseForm(SetPasswordForm, DsfrBaseForm):
    new_password1 = forms.CharField(
        label="Nouveau mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Au moins 12 caractères, ni trop courant, ni seulement des chiffres, ni proche de votre nom.",
    )
    new_password2 = forms.CharField(
        label="Confirmation du nouveau mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ChangementMotDePasseForm(PasswordChangeForm, DsfrBaseForm):
    old_password = forms.CharField(
        label="Mot de passe actuel",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = NouveauMotDePasseForm.base_fields["new_password1"]
    new_password2 = NouveauMotDePasseForm.base_fields["new_password2"]

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Le mot de passe actuel est incorrect : saisissez-le à nouveau.",
        "password_mismatch": "Les deux nouveaux mots de passe ne sont pas identiques.",
    }
