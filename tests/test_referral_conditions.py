"""A request that the association's own stated conditions exclude is refused, saying why.

The ages the young person's request accepts are the directory's (as in the
orientation), then the association's stated range decides; a volunteer's situation
and age are checked against the mentors the association accepts.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from associations.models import Association
from core.french import NBSP
from referrals.models import Referral

from .helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit():
    cache.clear()


def post(client, seeker, slug, **changes):
    data = {
        "first_name": "Sam",
        "email": "sam@example.org",
        "phone": "",
        "message": "",
        "consent": "on",
        **changes,
    }
    return client.post(reverse(f"referrals:{seeker}", args=[slug]), data)


class TestYoungPerson:
    def test_an_age_of_the_directory_beyond_30_is_accepted_where_stated(self, client, seed):
        response = post(client, "young", "duo-for-a-job", age="33", situation="recherche-emploi")
        assert response.status_code == 302
        assert Referral.objects.get().age == 33

    def test_beyond_every_stated_range_the_form_says_the_directorys_bounds(self, client, seed):
        response = post(client, "young", "face-mel", age="34", situation="recherche-emploi")
        assert response.status_code == 200
        assert response.context["form"].errors["age"] == [
            f"Indiquez un âge en chiffres, de 5 à 33{NBSP}ans."
        ]

    @pytest.mark.parametrize(
        ("slug", "age", "situation"),
        [("afev", "19", "lycee"), ("duo-for-a-job", "17", "recherche-emploi")],
    )
    def test_outside_the_associations_stated_ages_the_request_is_refused(
        self, client, seed, slug, age, situation
    ):
        association = Association.objects.get(slug=slug)
        response = post(client, "young", slug, age=age, situation=situation)
        assert response.status_code == 200 and not Referral.objects.exists()
        (message,) = response.context["form"].errors["age"]
        assert message.startswith(
            f"{association.name} accompagne les jeunes {association.age_range}{NBSP}: elle ne "
            "pourra pas donner suite à cette demande."
        )
        assert "Le questionnaire « Je cherche un mentor »" in page_text(response)  # NBSP made plain

    def test_an_association_without_stated_ages_takes_any_age_of_the_directory(self, client, seed):
        response = post(client, "young", "proxite", age="30", situation="recherche-emploi")
        assert response.status_code == 302


class TestVolunteer:
    def test_a_student_cannot_ask_a_programme_for_mentors_over_50(self, client, seed):
        response = post(client, "volunteer", "duo-for-a-job", age="20", situation="etudiant")
        assert response.status_code == 200 and not Referral.objects.exists()
        assert response.context["form"].errors == {
            "situation": [
                f"DUO for a JOB accueille ces mentors{NBSP}: salarié ou salariée, agent public, "
                f"retraité ou retraitée et en recherche d’emploi. Le questionnaire «{NBSP}Je veux "
                f"devenir mentor{NBSP}» montre les associations qui vous accueilleraient."
            ]
        }

    def test_under_the_mentors_minimum_age_the_request_is_refused(self, client, seed):
        response = post(client, "volunteer", "duo-for-a-job", age="40", situation="salarie")
        (message,) = response.context["form"].errors["age"]
        said = f"accueille les mentors (salarié ou salariée) à partir de 50{NBSP}ans."
        assert message.startswith(f"DUO for a JOB {said}")
        accepted = post(client, "volunteer", "duo-for-a-job", age="50", situation="salarie")
        assert accepted.status_code == 302

    def test_the_age_of_a_profile(self, client, seed):
        refused = post(client, "volunteer", "anaf", age="20", situation="apprenti")
        assert (
            refused.context["form"]
            .errors["age"][0]
            .startswith(
                f"ANAF accueille les mentors (alternant ou apprenti) à partir de 21{NBSP}ans."
            )
        )
        assert post(client, "volunteer", "anaf", age="20", situation="salarie").status_code == 302

    def test_the_prefilled_message_says_who_answers(self, client, seed):
        response = client.get(
            reverse("referrals:young", args=["afev"]),
            {"qui": "professionnel", "age": "12", "situation": "college"},
        )
        form = response.context["form"]
        assert form["message"].value() == "Je suis un professionnel qui accompagne ce jeune."
        assert form["age"].value() == 12
