"""Redis for the templates' `{% cache %}` fragments, never a reason for a page to fail.

Django's tag reads and writes its cache as it is: with Redis down, every page with a
fragment (the directory, the map, the results) would answer 500. Here a cache that does
not answer reads as empty (the fragment is rendered) and a write is dropped, logged
once per failing call. settings.CACHES names it "template_fragments", the alias the tag
uses; the rest of the site's cache calls keep their own guards (core.cache, the rate
limit), which decide what "Redis down" means for them.
"""

import logging

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


class ForgivingRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception:
            logger.warning("Le cache ne répond pas : le fragment est recalculé.", exc_info=True)
            return default

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except Exception:
            logger.warning("Le cache ne répond pas : le fragment n’est pas gardé.", exc_info=True)
