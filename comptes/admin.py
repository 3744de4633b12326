from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from core.admin import AutocompletionsSures, LignesBornees

from .models import Affectation, User


class AffectationInline(AutocompletionsSures, LignesBornees, admin.TabularInline):
    """The collectivités of an agent, or those a référent follows: set in the same form as the account."""

    model = Affectation
    extra = 1
    autocomplete_fields = ["collectivite"]


@admin.register(User)
class CompteAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "proconnect_seulement", "collectivites"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Rôle", {"fields": ["role", "region", "is_active", "is_staff", "is_superuser"]}),
        ("ProConnect", {"fields": ["proconnect_seulement", "proconnect_sub"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "first_name", "last_name", "role", "password1", "password2"]},
        )
    ]
    inlines = [AffectationInline]


# Roles are CALPAE's own (agent, référent, administrateur): Django's permission groups are not used.
admin.site.unregister(Group)
