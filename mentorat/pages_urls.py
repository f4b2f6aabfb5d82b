from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("contact/", views.contact, name="contact"),
    path("mentions-legales/", views.legal, name="legal"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
]
