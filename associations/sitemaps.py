from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Association


class SiteUrlSitemap(Sitemap):
    """Addresses on the public SITE_URL, whatever host the request came through."""

    changefreq = "monthly"

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
            "opendata:open_data",
            "opendata:brochure",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": StaticSitemap, "associations": AssociationSitemap}
