from django.conf import settings
from django.contrib import admin
from django.urls import path

admin.site.site_header = "Mentorat Roubaix — administration"
admin.site.site_title = "Mentorat Roubaix"
admin.site.index_title = "Données du portail"

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
]
