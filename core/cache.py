"""What depends only on the directory, kept in the shared cache under its version.

The GeoJSON, the exports, the brochure's sheets and the orientation's results are
the same for every visitor until staff edit the directory: each is built once per
version of the directory and served from the cache (Redis in production, shared by
every process; see settings.REDIS_URL). Any save or delete of a directory model
changes the version (`directory_changed`, wired to the signals by the associations
app): answers cached under the previous one are never read again, and expire.

A whole HTML page carries the visitor's CSP nonce, and may carry a CSRF token: the
pages that depend only on the directory and their address are kept whole by
core.page_cache, which puts each visitor's nonce back and never keeps a token; any
other page caches its fragments or its data here, and is rendered around them.
If the cache does not answer (Redis down), everything is built as if it were empty.
"""

import hashlib
import logging
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation
from django.utils.http import quote_etag

logger = logging.getLogger(__name__)

VERSION_KEY = "directory:version"
TIMEOUT = 24 * 60 * 60  # seconds: a day, then built again even if nothing changed
SLOW_BUILD = 5  # seconds: longer, and a visitor gets the previous version meanwhile
_rebuilding = ContextVar("rebuilding", default=False)


def _get(key):
    try:
        return cache.get(key)
    except Exception:  # the cache is a help, never a reason to fail (Redis down)
        logger.warning("Le cache ne répond pas.", exc_info=True)
        return None


def _set(key, value, timeout):
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("Le cache ne répond pas.", exc_info=True)


def directory_version():
    """The directory's current version: a random token, set by the first to ask."""
    version = _get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        _set(VERSION_KEY, version, None)
    return version


def _new_version():
    _set(VERSION_KEY, uuid.uuid4().hex, None)


def directory_changed(**kwargs):
    """A signal receiver: the directory changed, what was cached from it is stale.

    At once (the rest of the transaction reads the new data), and again at the commit:
    a request that read the data before the commit may have cached them since.
    """
    _new_version()
    transaction.on_commit(_new_version)


def directory_cached(name, build, *key, timeout=TIMEOUT):
    """`build()` as cached for this version of the directory, `key` saying which one
    (a query string, a slug). The version is read first: a value built while staff
    save is kept under the version it was built from, never under the new one.

    A value that took over SLOW_BUILD seconds to build last time (the brochure of a
    large directory) is not built again while a visitor waits, which could outlast
    the server's timeout: the previous version's is served until `manage.py
    build_directory_cache` (run after staff's edits, say every few minutes) builds it.
    """
    # Built in the visitor's language (a result's reasons, a sheet's words): kept per language.
    key = (translation.get_language(), *key)
    digest = hashlib.sha256("\x1f".join(map(str, key)).encode()).hexdigest()[:32]
    version = directory_version()
    full_key = f"directory:{name}:{version}:{digest}"
    latest_key = f"directory:{name}:latest:{digest}"
    rebuilding = _rebuilding.get()
    value = None if rebuilding else _get(full_key)
    if value is not None:
        return value
    latest = None if rebuilding else _get(latest_key)
    if latest is not None and latest[0] > SLOW_BUILD:
        previous = _get(f"directory:{name}:{latest[1]}:{digest}")
        if previous is not None:
            return previous
    started = time.monotonic()
    value = build()
    _set(full_key, value, timeout)
    _set(latest_key, (time.monotonic() - started, version), None)
    return value


def is_rebuilding():
    return _rebuilding.get()


@contextmanager
def rebuilding():
    """Within it, `directory_cached` builds anew whatever is cached (the command)."""
    token = _rebuilding.set(True)
    try:
        yield
    finally:
        _rebuilding.reset(token)


def content_cached(name, build, content, timeout=TIMEOUT):
    """`build()` for a value that depends only on `content` (a QR code of a URL): kept
    whatever the directory's version."""
    full_key = f"content:{name}:{hashlib.sha256(content.encode()).hexdigest()[:32]}"
    value = _get(full_key)
    if value is None:
        value = build()
        _set(full_key, value, timeout)
    return value


def directory_response(name, build, content_type, *key, timeout=TIMEOUT):
    """An answer whose body, `build()` (bytes), is cached for this version of the
    directory, with its ETag (a hash of a large export costs more than reading it)."""

    def entry():
        body = build()
        return body, quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest())

    body, etag = directory_cached(name, entry, *key, timeout=timeout)
    response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    return response
