"""The whole answer of a public page, for anonymous visitors, kept under the directory's
version (core.cache).

A page whose content depends only on the directory and its address (the home page, the
directory and its filters, an association, the map, the orientation's results, the
public API…) is rendered once for each version of the directory, language, day and
address (scheme, host, path with its language prefix, query), and served from the shared
cache to every anonymous visitor until staff edit the directory. A view says so with
`@page_cached`, below `@public_api` and the methods it allows (`@require_GET`: a HEAD it
refuses is refused, cached or not); nothing is cached unless a view asks. The
middleware still runs around every answer, a cached one too: the request log, the
security headers, the language redirect (RememberedLanguageMiddleware answers before the
view, so before the cache), Content-Language and Vary.

Never one visitor's secrets in another's page:

- The CSP nonce: the page is rendered with a sentinel in the nonce's place, stored so,
  and each answer (the first one too) gets its own request's nonce in the sentinel's
  place; ContentSecurityPolicyMiddleware then writes that nonce in the header, as for
  any page. A page that never read its nonce gets none, cached or not.
- The CSRF token and a form's one-time values: a form page that declares them
  (`@page_cached(tokens={name: make})`, read in the view with `visitor_token`) is
  rendered with a sentinel in each one's place, like the nonce, and each answer gets
  `make(request)`: its own CSRF token (so its own cookie), its own one-time token.
- The session, cookies: an answer that used the CSRF token otherwise (a form that
  posts), read the session (the account, messages), set a cookie or forbids caching
  (`private`, `no-store`) is not stored; a request that carries a session or messages
  (staff logged in, a family after its request) neither reads nor fills the cache.
  `never_cache` goes above `@page_cached`: its headers are added to every answer, cached
  or not.

Not stored either: anything but a 200 (errors, redirects, 304s), a streamed answer, a
query with parameters the view does not read or longer than MAX_QUERY, and what the view
refuses with `not_stored(request)` (a form with errors, a page number written oddly:
addresses anyone can vary without end). If the cache does not answer (Redis down), pages
are rendered as if it were empty.
"""

import hashlib
import re
import secrets
from functools import wraps
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils import timezone, translation
from django.utils.csp import LazyNonce

from .cache import TIMEOUT, _get, _set, directory_version, is_rebuilding

MAX_QUERY = 1000  # characters: longer, a query is served but never stored
PLAIN_PAGE = re.compile(r"[1-9][0-9]{0,3}")  # a page number as links write it, up to 9999
# A value as the site's forms and links write it: a number, a choice's slug.
PLAIN_NUMBER = re.compile(r"(?:0|[1-9][0-9]{0,3})(?:\.[0-9]*[1-9])?")
PLAIN_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_REFUSED = "_page_cache_refused"
_REPLAY = "_page_cache_replay"
_TOKENS = "_page_cache_tokens"


class _SentinelNonce(LazyNonce):
    """The nonce a cached page is rendered with: a random placeholder, replaced in each
    answer by that request's own nonce. Read (true) only if the page used it."""

    def __init__(self, sentinel):
        super(LazyNonce, self).__init__(lambda: sentinel)

    def become(self, nonce):
        """Once rendered, whoever kept it (the template's context) reads the real nonce."""
        self._wrapped = nonce


def not_stored(request):
    """This answer is for this visitor only: served, never stored (a form with errors)."""
    setattr(request, _REFUSED, True)


def page_number_checked(request):
    """Not stored if the `page` parameter is not written as the site's links write it
    (`01`, `x`, a hundred digits): each would be one more entry of the same page. A
    number past the last page shows the last one, and is kept under its own address."""
    asked = request.GET.get("page")
    if asked is not None and not PLAIN_PAGE.fullmatch(asked):
        not_stored(request)


def plain_values_checked(request):
    """Not stored if a value of the query is not written as the site's own links and
    forms write it: a number with a leading zero or a trailing `.0`, capitals, spaces,
    the same value twice. Each would be one more entry of the same answers."""
    for name in request.GET:
        values = request.GET.getlist(name)
        if len(set(values)) != len(values) or not all(map(_plain, values)):
            not_stored(request)
            return


def _plain(value):
    # An empty value is what a form sends for a question left blank.
    if value == "" or PLAIN_NUMBER.fullmatch(value):
        return True
    return bool(PLAIN_WORD.fullmatch(value)) and not value.isdigit()


def visitor_token(request, name):
    """The value of `name`, one of the view's `@page_cached(tokens=…)`, for this answer:
    `make(request)`, or a sentinel in its place when the page is rendered to be stored."""
    makers, sentinels = getattr(request, _TOKENS)
    if sentinels is None:
        return makers[name](request)
    return sentinels.setdefault(name, f"page-token-{secrets.token_hex(16)}")


def page_of(request, items, per_page):
    """The page of `items` that `?page=` asks for: a number past the last page, or not a
    number, shows the nearest real page rather than an error (`page_number_checked`)."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    page_number_checked(request)
    return page


def on_each_hit(request, value):
    """`value` is kept with the page and given to `@page_cached(on_hit=…)` whenever the
    page is served from the cache: what a visit does besides answering (a count)."""
    setattr(request, _REPLAY, value)


def _readable(request, parameters):
    """Whether this request may be answered from the cache, or fill it."""
    if request.method not in ("GET", "HEAD"):
        return False
    # `manage.py build_directory_cache` calls the views to build what they cache: no page.
    if is_rebuilding():
        return False
    # A session (staff logged in, a family's request just sent) or messages to show: the
    # page may differ (a staff link, a message), and reading the session varies it.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY:
        return False
    return all(name in parameters for name in request.GET)


def _key(request, version, headers):
    # The query as it reads, whatever its order or its spelling (`%31` is `1`): a page
    # says the same of `?a=1&b=2` and `?b=2&a=1`.
    query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), True)))
    parts = [
        translation.get_language() or "",
        # A page may say the day (the brochure's date, what is open): kept a day at most.
        timezone.localdate().isoformat(),
        f"{request.scheme}://{request.get_host()}{request.path}?{query}",
        *(request.headers.get(name, "") for name in headers),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"page:{version}:{digest}"


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, _REFUSED, False):
        return False
    # The page holds a CSRF token (CsrfViewMiddleware will set its cookie), or read the
    # session (SessionMiddleware will add `Vary: Cookie`): it is this visitor's.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.accessed or session.modified):
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _with_nonce(content, sentinel, request):
    """The page's content with this request's nonce (read, so sent in the header too)."""
    if not sentinel:
        return content
    return content.replace(sentinel.encode(), str(get_nonce(request)).encode())


def _for_visitor(content, sentinel, sentinels, makers, request):
    """The page's content with this answer's own nonce and tokens (a CSRF token sets its
    cookie) in their sentinels' places."""
    content = _with_nonce(content, sentinel, request)
    for name, token_sentinel in sentinels.items():
        content = content.replace(token_sentinel.encode(), makers[name](request).encode())
    return content


def page_cached(view=None, *, parameters=(), headers=(), on_hit=None, tokens=None):
    """The view's answer, the same for every anonymous visitor of this address, kept for
    this version of the directory (see the module's docstring).

    `parameters`: the names of the GET parameters the view reads; a query with any other
    is answered without the cache. `headers`: request headers the answer depends on (the
    map's `X-Partial`). `on_hit(request, value)`: run on each answer from the cache, with
    what the view gave `on_each_hit`. `tokens`: {name: make(request)}, the values of
    the page that are each visitor's own (the CSRF token, a form's one-time token),
    that the view reads with `visitor_token(request, name)`; each must be a string
    that the page shows as it is (no character HTML escapes).
    """
    parameters = frozenset(parameters)
    makers = dict(tokens or {})

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _readable(request, parameters):
                setattr(request, _TOKENS, (makers, None))
                return view(request, *args, **kwargs)
            version = directory_version()
            key = _key(request, version, headers)
            entry = _get(key)
            # Kept by a version of the code that gave the page other tokens: built again.
            if entry is not None and set(entry.setdefault("tokens", {})) <= set(makers):
                if on_hit is not None and entry["replay"] is not None:
                    on_hit(request, entry["replay"])
                content = _for_visitor(
                    entry["content"], entry["sentinel"], entry["tokens"], makers, request
                )
                return HttpResponse(content, headers=entry["headers"])
            sentinels = {}
            setattr(request, _TOKENS, (makers, sentinels))
            nonce = get_nonce(request)
            placeholder = None
            if nonce is not None:
                placeholder = _SentinelNonce(f"csp-sentinel-{secrets.token_hex(16)}")
                request._csp_nonce = placeholder
            try:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
            finally:
                if placeholder is not None:
                    request._csp_nonce = nonce
            sentinel = None
            if placeholder:  # the page used it
                sentinel = str(placeholder)
                placeholder.become(str(nonce))
            if response.streaming:  # never stored; its nonce and tokens put back, chunk by chunk
                if sentinel is not None or sentinels:
                    chunks = response.streaming_content
                    response.streaming_content = (
                        _for_visitor(chunk, sentinel, sentinels, makers, request)
                        for chunk in chunks
                    )
                return response
            if _storable(request, response):
                entry = {
                    "content": response.content,
                    "headers": dict(response.headers),
                    "sentinel": sentinel,
                    "tokens": sentinels,
                    "replay": getattr(request, _REPLAY, None),
                }
                _set(key, entry, TIMEOUT)
            if sentinel is not None or sentinels:
                response.content = _for_visitor(
                    response.content, sentinel, sentinels, makers, request
                )
            return response

        return wrapper

    return decorator(view) if view is not None else decorator
