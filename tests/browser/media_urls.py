"""The site's addresses, plus the logos staff upload: a proxy serves /media/ in production."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from mentorat.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def media(request, path):
    # MEDIA_ROOT read at each request: tests point it to a temporary folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [*urlpatterns, re_path(r"^media/(?P<path>.*)$", media)]
