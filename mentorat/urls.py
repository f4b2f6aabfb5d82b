from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("sitemap.xml", views.sitemap_xml, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sante/", views.health, name="health"),
    path("langue/<str:code>/", views.choose_language, name="choose_language"),
    # Open data, the brochure and the flyers stay French (print material, the schema's
    # vocabulary, CSV headers): one address each, that no language prefix duplicates.
    path("", include("opendata.urls")),
]
# The public pages in every language of settings.LANGUAGES: French at today's addresses
# (no prefix: the QR codes already printed), the others under /ar/, /en/.
urlpatterns += i18n_patterns(
    path("", include("associations.urls")),
    path("", include("orientation.urls")),
    path("", include("referrals.urls")),
    path("", include("mentorat.pages_urls")),
    prefix_default_language=False,
)

handler400 = "mentorat.views.bad_request"
handler403 = "mentorat.views.permission_denied"
handler404 = "mentorat.views.page_not_found"
handler500 = "mentorat.views.server_error"
