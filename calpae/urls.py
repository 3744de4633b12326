from django.contrib import admin
from django.urls import include, path

from pages import views as pages_views

admin.site.site_header = "CALPAE – administration"
admin.site.site_title = "CALPAE"
admin.site.index_title = "Données et comptes"

urlpatterns = [
    path("", pages_views.accueil, name="accueil"),
    path("", include("pages.urls")),
    # Public pages, named as django-dsfr's footer looks them up (dsfr/footer.html).
    path("accessibilite/", pages_views.accessibilite, name="footer-accessibility-status"),
    path("mentions-legales/", pages_views.mentions_legales, name="footer-legal-notice"),
    path("donnees-personnelles/", pages_views.donnees_personnelles, name="footer-personal-data"),
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
