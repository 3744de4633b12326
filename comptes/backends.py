from django.contrib.auth.backends import ModelBackend


class MotDePasseBackend(ModelBackend):
    """Django's sign-in by password, refused to the accounts set to ProConnect only (the form says why)."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not getattr(user, "proconnect_seulement", False)
