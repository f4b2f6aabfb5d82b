from django.urls import path

from . import views

app_name = "orientation"

urlpatterns = [
    path("orientation/", views.index, name="index"),
    path("orientation/jeune/", views.young_person, name="young"),
    path("orientation/benevole/", views.volunteer, name="volunteer"),
    path("api/orientation/jeune/", views.api_young_person, name="api_young"),
    path("api/orientation/benevole/", views.api_volunteer, name="api_volunteer"),
]
