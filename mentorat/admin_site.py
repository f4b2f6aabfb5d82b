"""The admin site: Django's, with a home page that says what needs attention today."""

from django.contrib import admin
from django.utils.module_loading import import_string

# What each app says needs attention: a function of the request that returns a list of
# core.admin_todo.todo_item (text, count, url), in the order the home page lists them.
# Named, not imported: the apps' admin modules register their models on this very site
# as they are imported.
ATTENTION_SOURCES = [
    "referrals.admin_todo.requests_todo",
    "associations.admin_todo.directory_todo",
]


class StaffAdminSite(admin.AdminSite):
    site_header = "Mentorat Roubaix — administration"
    site_title = "Mentorat Roubaix"
    index_title = "Données du portail"

    def index(self, request, extra_context=None):
        todo = [item for source in ATTENTION_SOURCES for item in import_string(source)(request)]
        # What is to do first, in the sources' order; then what is done, without a link.
        todo.sort(key=lambda item: not item["count"])
        return super().index(request, {"todo": todo, **(extra_context or {})})
