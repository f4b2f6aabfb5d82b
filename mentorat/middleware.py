"""Site-wide middleware: the Permissions-Policy header, one log line per request, and
the language a visitor chose."""

import logging
import time

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation

from core.languages import in_language, remembered

request_logger = logging.getLogger("mentorat.requests")

# Hostile paths can be long or hold control characters that would forge log lines.
MAX_LOGGED_PATH = 200


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY (feature → allowed origins) on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


def loggable_path(path):
    """The path, never its query string, with control characters escaped and cut short."""
    escaped = "".join(
        character if character.isprintable() else character.encode("unicode_escape").decode()
        for character in path[: MAX_LOGGED_PATH + 1]
    ).replace(" ", "%20")
    if len(escaped) > MAX_LOGGED_PATH:
        escaped = escaped[:MAX_LOGGED_PATH] + "…"
    return escaped


# The URL parameter that is a key (an association's personal answer link): never logged.
SECRET_URL_PARAMETER = "token"


def without_secret(request):
    """The path, with a personal link's key replaced by a placeholder."""
    match = getattr(request, "resolver_match", None)
    secret = match.kwargs.get(SECRET_URL_PARAMETER) if match else None
    return request.path.replace(secret, "[clé]") if secret else request.path


class RequestLogMiddleware:
    """One line per request: method, path, status and duration; nothing personal.

    No query string (the orientation's answers describe a minor), no address, no
    body, no account. Errors are logged again, with their traceback, by
    `django.request`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - start) * 1000
        status = response.status_code
        level = (
            logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
        )
        request_logger.log(
            level,
            "%s %s %s %.0fms",
            loggable_path(request.method or "?")[:16],
            loggable_path(without_secret(request)),
            status,
            duration_ms,
        )
        return response


def anonymous_client(username, ip_address, user_agent, path_info, request):
    """How django-axes names a login attempt in the logs: by the page, not the person."""
    return f"une connexion à {loggable_path(path_info)}"


class RememberedLanguageMiddleware:
    """A visitor who chose Arabic or English and opens a French address (a QR code, a
    shared link) is sent to the same page in their language. French addresses stay
    French for everyone else: the choice is only ever the visitor's own (core.languages).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = remembered(request)
        if (
            chosen
            and chosen != settings.LANGUAGE_CODE
            and request.method in ("GET", "HEAD")
            and translation.get_language() == settings.LANGUAGE_CODE
            and not translation.get_language_from_path(request.path_info)
        ):
            full_path = request.get_full_path()
            target = in_language(full_path, chosen)
            if target != full_path:
                return HttpResponseRedirect(target)
        return self.get_response(request)
