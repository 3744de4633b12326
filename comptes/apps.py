from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "comptes"
    verbose_name = "Comptes et affectations"

    def ready(self):
        from comptes import sessions  # noqa: F401  (records the sign-in time)
