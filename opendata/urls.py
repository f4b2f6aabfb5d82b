from django.urls import path

from . import views

app_name = "opendata"

# Open data and the printable brochure (issue 7), included at the site root.
urlpatterns = [
    path("brochure/", views.brochure, name="brochure"),
    path("brochure/flyers/", views.flyers, name="flyers"),
    path(
        "brochure/flyers/associations/<slug:slug>/",
        views.association_flyer,
        name="association_flyer",
    ),
    path("brochure/flyers/niveaux/<slug:slug>/", views.level_flyer, name="level_flyer"),
    path("api/associations/", views.association_list, name="association_list"),
    # `str`, not `slug`: an unknown identifier of any shape gets the API's JSON 404.
    path("api/associations/<str:slug>/", views.association_detail, name="association_detail"),
    path("donnees/", views.open_data, name="open_data"),
    path("donnees/associations.csv", views.associations_csv, name="associations_csv"),
    path(
        "api/data-inclusion/structures.json",
        views.data_inclusion_structures,
        name="data_inclusion_structures",
    ),
    path(
        "api/data-inclusion/services.json",
        views.data_inclusion_services,
        name="data_inclusion_services",
    ),
]
