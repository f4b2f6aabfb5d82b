"""HTTP helpers that any app's views may use."""

from functools import wraps

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag


def conditional_content(view):
    """Conditional GET for a data view (GeoJSON, JSON API): ETag from the response body.

    The view still runs; an unchanged answer costs the client a few hundred bytes
    (304) instead of the whole document. The ETag is the body's hash, so it changes
    the moment staff edit anything the answer shows: nothing to invalidate. Clients
    and proxies revalidate every time (`no-cache`). Not for HTML pages: their CSP
    nonce and CSRF token change on every request.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming or response.has_header("ETag"):
            return response
        set_response_etag(response)
        patch_cache_control(response, no_cache=True)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapper
