from django.contrib import admin

from .models import ChargementExemples


@admin.register(ChargementExemples)
class ChargementExemplesAdmin(admin.ModelAdmin):
    """Written by `manage.py charger_exemples` only."""

    list_display = ["charge_le", "empreinte"]
    readonly_fields = ["charge_le", "empreinte"]

    def has_add_permission(self, request):
        return False
