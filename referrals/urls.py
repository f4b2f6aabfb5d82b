from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("associations/<slug:slug>/mise-en-relation/", views.young_person, name="young"),
    path("associations/<slug:slug>/devenir-mentor/", views.volunteer, name="volunteer"),
    path("mise-en-relation/demande-envoyee/", views.sent, name="sent"),
    path("mise-en-relation/reponse/<str:token>/", views.answer, name="answer"),
]
