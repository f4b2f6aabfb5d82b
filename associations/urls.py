from django.urls import path

from . import views

app_name = "associations"

urlpatterns = [
    path("", views.home, name="home"),
    path("presentation/", views.presentation, name="presentation"),
    path("associations/", views.directory, name="directory"),
    path("associations/<slug:slug>/", views.detail, name="detail"),
    path("fiche/verifier/<str:token>/", views.fiche_check, name="fiche_check"),
    path("carte/", views.map_page, name="map"),
    path("api/lieux.geojson", views.locations_geojson, name="locations_geojson"),
]
