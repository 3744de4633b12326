from django.contrib import admin
from django.urls import include, path

from pages import views as pages_views

admin.site.site_header = "CALPAE – administration"
admin.site.site_title = "CALPAE"
admin.site.index_title = "Données et comptes"

urlpatterns = [
    path("", pages_views.accueil, name="accueil"),
    path("", include("pages.urls")),
    path("", include("actions.urls")),
    path("", include("budgets.urls")),
    path("", include("indicateurs.urls")),
    path("", include("rapports.urls")),
    path("", include("importation.urls")),
    path("", include("avenants.urls")),
    path("", include("gestion.urls")),
    path("comptes/", include("comptes.urls")),
    path("admin/", admin.site.urls),
]
