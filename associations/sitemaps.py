from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Association


class SiteUrlSitemap(Sitemap):
    """Addresses on the public SITE_URL, whatever host the request came through: each
    page in every language of settings.LANGUAGES, with its alternates (hreflang)."""

    changefreq = "monthly"
    i18n = True
    alternates = True
    x_default = True

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class AssociationSitemap(SiteUrlSitemap):
    def items(self):
        return Association.objects.only("slug", "updated_at").order_by("name")

    def lastmod(self, association):
        return association.updated_at


# Open data and print material: in French only (mentorat/urls.py).
FRENCH_ONLY = ["opendata:open_data", "opendata:brochure"]


class StaticSitemap(SiteUrlSitemap):
    def items(self):
        return [
            "associations:home",
            "associations:presentation",
            "associations:directory",
            "associations:map",
            "pages:contact",
            "pages:legal",
            "pages:privacy",
            "pages:accessibility",
            "orientation:index",
            "orientation:young",
            "orientation:volunteer",
            *FRENCH_ONLY,
        ]

    def get_languages_for_item(self, name):
        return (
            [settings.LANGUAGE_CODE]
            if name in FRENCH_ONLY
            else super().get_languages_for_item(name)
        )

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": StaticSitemap, "associations": AssociationSitemap}
