from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import import_module, module_has_submodule

# django-leaflet's admin module imports GeoDjango, which needs GDAL on every machine;
# the portal stores plain coordinates and places them with its own small map widget.
SKIPPED_ADMIN_MODULES = {"leaflet"}


class AdminConfig(SimpleAdminConfig):
    """Django's admin, discovering every app's admin module but django-leaflet's, on a
    site whose home page lists what needs attention (mentorat.admin_site)."""

    default_site = "mentorat.admin_site.StaffAdminSite"

    def ready(self):
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name in SKIPPED_ADMIN_MODULES:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
