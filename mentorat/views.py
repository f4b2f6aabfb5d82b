"""Site-wide pages: contact, legal and trust pages, robots.txt, health and error pages."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.db import DatabaseError
from django.db.models import Count, Min
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from associations.models import Association, Collective
from associations.sitemaps import SITEMAPS
from core.cache import directory_response
from core.languages import in_language, is_language, remember, safe_next
from core.page_cache import page_cached, page_of
from referrals.models import Referral

# Associations listed on one page of the contact page, with their addresses and phones.
CONTACT_PAGE_SIZE = 50


@page_cached(parameters=["page"])
def contact(request):
    associations = Association.objects.by_name().prefetch_related("contacts")
    page = page_of(request, associations, CONTACT_PAGE_SIZE)
    context = {
        "collective": Collective.objects.load(),
        "associations": page.object_list,
        "page": page,
        "page_query": "",
    }
    return render(request, "pages/contact.html", context)


@page_cached
def legal(request):
    context = {"collective": Collective.objects.load(), "legal": settings.LEGAL_NOTICE}
    return render(request, "pages/legal.html", context)


@page_cached
def privacy(request):
    return render(request, "pages/privacy.html", {"collective": Collective.objects.load()})


@page_cached
def accessibility(request):
    return render(request, "pages/accessibility.html", {"collective": Collective.objects.load()})


@require_safe
def choose_language(request, code):
    """The language switch: remembers the choice, back to the same page in that language."""
    if not is_language(code):
        raise Http404
    return remember(HttpResponseRedirect(in_language(safe_next(request), code)), code)


@require_GET
def robots_txt(request):
    # The administration is not named: robots.txt is public, and its path is meant to be
    # hard to guess. Its login page says `noindex` (Django's admin) and no page links to it.
    lines = [
        "User-agent: *",
        "Disallow:",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


# Health, error pages and the staff login lockout.

logger = logging.getLogger(__name__)

# If even the 500 template cannot be read, this is what a visitor sees.
SERVER_ERROR_FALLBACK = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
    "<title>Erreur du serveur — Mentorat Roubaix</title></head><body>"
    "<h1>Le site rencontre un problème</h1>"
    "<p>Réessayez dans quelques minutes.</p></body></html>"
)


# The e-mail queue is late when a request has waited longer than this (the worker is
# stopped, or the mail server has been refusing for a while).
QUEUE_LATE_AFTER = timedelta(minutes=15)


@require_safe
@never_cache
def health(request):
    """For a load balancer and monitoring, in one query.

    503 when the database cannot be read: the load balancer takes this server out.
    The e-mail queue (how many requests wait for an e-mail, the oldest for how long)
    never makes it 503: the site works without a worker, only e-mails wait; monitoring
    watches `queue`.
    """
    try:
        pending = Referral.objects.awaiting_emails().aggregate(
            count=Count("pk"), oldest=Min("created_at")
        )
    except DatabaseError:
        logger.warning("Santé : la base de données ne répond pas.", exc_info=True)
        return JsonResponse({"status": "indisponible", "database": "indisponible"}, status=503)
    waited = timezone.now() - pending["oldest"] if pending["oldest"] else timedelta()
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "queue": "en retard" if waited > QUEUE_LATE_AFTER else "ok",
            "pending_emails": pending["count"],
            "oldest_pending_email_seconds": int(waited.total_seconds()),
        }
    )


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def _refusal(request, title, message, status):
    context = {"error_title": title, "error_message": message}
    return render(request, "403.html", context, status=status)


def permission_denied(request, exception):
    return _refusal(
        request,
        _("Accès refusé"),
        _(
            "Vous n’avez pas le droit d’ouvrir cette page. Si vous faites partie de l’équipe, "
            "connectez-vous avec un compte qui y a accès."
        ),
        403,
    )


def csrf_failure(request, reason=""):
    """A form sent without its security token: most often a page left open too long."""
    return _refusal(
        request,
        _("Formulaire expiré"),
        _(
            "Le formulaire n’a pas pu être vérifié : la page est peut-être restée ouverte trop "
            "longtemps, ou les cookies sont bloqués. Rechargez la page et réessayez."
        ),
        403,
    )


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once an account has failed to log in too many times."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _refusal(
        request,
        "Connexion bloquée",
        f"Trop de tentatives de connexion ont échoué pour ce compte : il est bloqué pendant "
        f"{minutes} minutes. Réessayez plus tard, ou demandez à un administrateur du site "
        "de le débloquer.",
        429,
    )


def server_error(request):
    """Rendered without the request: no context processor, no database, no session."""
    try:
        html = loader.get_template("500.html").render()
    except Exception:
        logger.exception("La page d’erreur 500 n’a pas pu être rendue.")
        html = SERVER_ERROR_FALLBACK
    return HttpResponseServerError(html)


@require_GET
def sitemap_xml(request):
    """Django's sitemap, which lists every association: built once for each version of
    the directory (core.cache)."""

    def build():
        response = sitemap(request, sitemaps=SITEMAPS)
        response.render()
        return response.content

    response = directory_response("sitemap", build, "application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
