"""System checks of the settings production relies on (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


def site_url_problem(value):
    """What is wrong with SITE_URL for a public site, in French, or "" if nothing.

    Every QR code printed, every link in an export or an e-mail starts with it: an
    address that is not the public https:// one cannot be taken back once printed.
    """
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        return (
            "SITE_URL doit être l’adresse publique du site, en https:// (par exemple "
            "https://mentorat-roubaix.fr) : elle est imprimée dans chaque QR code et chaque "
            "lien des exports et des courriels."
        )
    if parts.path.strip("/") or parts.query or parts.fragment:
        return "SITE_URL est l’adresse du site seule, sans chemin ni paramètres."
    return ""


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    problem = site_url_problem(settings.SITE_URL)
    return [Error(problem, id="core.E001")] if problem else []
