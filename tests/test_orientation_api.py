"""The public JSON API of the orientation: its shape, its errors, and hostile callers."""

import pytest
from django.urls import reverse

from associations.models import Association

from .test_orientation import HOSTILE, PAYLOAD, young_query

pytestmark = pytest.mark.django_db

API_YOUNG = reverse("orientation:api_young")
API_VOLUNTEER = reverse("orientation:api_volunteer")
NBSP = "\u00a0"
VOLUNTEER = {"age": "30", "situation": "salarie", "heures_par_mois": "5", "mois": "6"}


def test_the_api_answers_the_young_persons_questions_best_first(client, seed):
    response = client.get(
        API_YOUNG,
        {"age": 12, "situation": "college", "besoins": ["confiance"], "modalite": "distanciel"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["count"] == 4
    assert [result["slug"] for result in body["results"]] == [
        "afev",
        "la-cle",
        "telemaque",
        "proxite",
    ]
    assert [result["score"] for result in body["results"]] == [2, 2, 2, 0]
    afev = body["results"][0]
    assert afev == {
        "slug": "afev",
        "name": "Afev",
        "url": "http://testserver/associations/afev/",
        "score": 2,
        "reasons": [
            f"Accompagne les jeunes de 5 à 18{NBSP}ans",
            f"Situation accompagnée{NBSP}: collège",
            f"Aide pour{NBSP}: confiance en soi",
            "Propose des rencontres à distance",
            "Au domicile du jeune ou dans un lieu tiers, 2 h par semaine",
        ],
        "caveats": [],
    }
    assert "Propose seulement des rencontres en présentiel" in body["results"][3]["caveats"]
    # French words as they are, not \u escapes.
    assert "Situation accompagnée" in response.content.decode()


def test_the_url_is_the_associations_absolute_address(client, seed, settings):
    settings.ALLOWED_HOSTS = ["mentorat.example.org"]
    response = client.get(
        API_YOUNG, {"age": 25, "situation": "sans-activite"}, HTTP_HOST="mentorat.example.org"
    )
    for result in response.json()["results"]:
        association = Association.objects.get(slug=result["slug"])
        assert result["url"] == f"http://mentorat.example.org{association.get_absolute_url()}"
        assert result["name"] == association.name


def test_the_api_answers_the_volunteers_questions(client, seed):
    response = client.get(
        API_VOLUNTEER,
        {**VOLUNTEER, "age": "55", "situation": "retraite", "heures_par_mois": "10", "mois": "12"},
    )
    body = response.json()
    assert [result["slug"] for result in body["results"]] == [
        "cpossible",
        "duo-for-a-job",
        "face-mel",
        "la-cle",
    ]
    duo = body["results"][1]
    assert f"Mentors à partir de 50{NBSP}ans" in duo["reasons"]
    assert f"Temps demandé{NBSP}: au moins 8,7{NBSP}h par mois" in duo["reasons"]
    assert (
        f"Temps par mois non précisé par l’association{NBSP}: à vérifier"
        in (body["results"][0]["caveats"])
    )


def test_the_modality_preference_ranks(client, seed):
    body = client.get(API_VOLUNTEER, {**VOLUNTEER, "mois": "12", "modalite": "distanciel"}).json()
    assert body["results"][-1]["slug"] == "proxite"
    assert body["results"][-1]["score"] == 0
    assert {result["score"] for result in body["results"][:-1]} == {1}


def test_no_match_is_an_empty_list(client, seed):
    response = client.get(API_VOLUNTEER, {**VOLUNTEER, "situation": "lyceen", "age": "17"})
    assert response.status_code == 200
    # Paginated since issue 5: one page of nothing, no link to another.
    assert response.json() == {
        "count": 0,
        "page": 1,
        "pages": 1,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_every_documented_value_works(client, seed):
    for level in ["maternelle", "ecole", "college", "lycee", "lycee-pro", "apprentissage",
                  "etudes-superieures", "recherche-emploi", "sans-activite"]:  # fmt: skip
        query = {"age": 18, "situation": level, "modalite": "presentiel"}
        query["besoins"] = ["reussite-scolaire", "confiance", "orientation", "insertion-pro",
                            "ouverture-culturelle", "francais", "autonomie"]  # fmt: skip
        query["situations_particulieres"] = ["refugie-immigration", "qpv", "rep"]
        assert client.get(API_YOUNG, query).status_code == 200, level
    for profile in ["etudiant", "apprenti", "salarie", "agent-public", "retraite",
                    "recherche-emploi", "lyceen"]:  # fmt: skip
        response = client.get(
            API_VOLUNTEER, {**VOLUNTEER, "situation": profile, "modalite": "distanciel"}
        )
        assert response.status_code == 200, profile


def test_missing_answers_are_400_with_french_messages(client, seed):
    response = client.get(API_YOUNG)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": {
            "age": ["Indiquez l’âge du jeune."],
            "situation": ["Choisissez la classe ou la situation du jeune."],
        }
    }
    assert client.get(API_VOLUNTEER).json()["errors"]["heures_par_mois"] == [
        "Indiquez combien d’heures par mois vous pouvez donner."
    ]


@pytest.mark.parametrize(("changes", "field"), HOSTILE)
def test_hostile_young_person_queries_are_400_without_echo(client, seed, changes, field):
    response = client.get(API_YOUNG, young_query(changes))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert all(isinstance(message, str) and message for message in errors[field])
    # No message repeats what was sent.
    sent = changes[field] if isinstance(changes[field], str) else changes[field][-1]
    if len(sent) > 3:
        assert sent not in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"age": "abc"}, "Indiquez un âge en chiffres, de 14 à 100\u00a0ans."),
        ({"age": "13"}, "Indiquez un âge en chiffres, de 14 à 100\u00a0ans."),
        ({"age": str(10**50)}, "Indiquez un âge en chiffres, de 14 à 100\u00a0ans."),
        ({"age": str(10**100)}, "Cette réponse est trop longue."),
        ({"heures_par_mois": "0"}, "Indiquez un nombre d’heures en chiffres, de 1 à 200."),
        ({"heures_par_mois": "-3"}, "Indiquez un nombre d’heures en chiffres, de 1 à 200."),
        ({"heures_par_mois": "2.5"}, "Indiquez un nombre d’heures en chiffres, de 1 à 200."),
        ({"mois": "121"}, "Indiquez un nombre de mois en chiffres, de 1 à 120."),
        ({"mois": ["6", "12"]}, "Une seule réponse est possible à cette question."),
        ({"mois": "6\x00"}, "Cette réponse contient des caractères non autorisés."),
        ({"mois": "9" * 10_000}, "Cette réponse est trop longue."),
        ({"situation": "lyceenne"}, "Ce choix n’existe pas\u00a0: choisissez dans la liste."),
        ({"situation": PAYLOAD}, "Ce choix n’existe pas\u00a0: choisissez dans la liste."),
        ({"modalite": "PRESENTIEL"}, "Ce choix n’existe pas\u00a0: choisissez dans la liste."),
    ],
)
def test_hostile_volunteer_queries_are_400_with_the_message(client, seed, changes, message):
    response = client.get(API_VOLUNTEER, {**VOLUNTEER, **changes})
    assert response.status_code == 400
    assert response.json() == {"errors": {next(iter(changes)): [message]}}
    assert "<script>" not in response.content.decode()


def test_hundreds_of_repeated_needs_are_refused(client, seed):
    response = client.get(API_YOUNG, young_query({"besoins": ["confiance"] * 300}))
    assert response.json() == {"errors": {"besoins": ["Trop de réponses\u00a0: 50 au plus."]}}


def test_several_errors_are_all_reported(client, seed):
    response = client.get(
        API_VOLUNTEER, {"age": "x", "situation": "y", "heures_par_mois": "1", "mois": "0"}
    )
    assert set(response.json()["errors"]) == {"age", "situation", "mois"}


def test_unknown_parameters_are_ignored(client, seed):
    response = client.get(API_YOUNG, {"age": 12, "situation": "college", "utm_source": PAYLOAD})
    assert response.status_code == 200
    assert response.json()["count"] == 4


def test_only_get_and_head(client, seed):
    assert client.post(API_YOUNG, young_query({})).status_code == 405
    assert client.put(API_VOLUNTEER).status_code == 405
    assert client.head(f"{API_YOUNG}?age=12&situation=college").status_code == 200


def test_too_many_parameters_is_a_bad_request(client, seed):
    response = client.get(API_YOUNG, young_query({"besoins": ["confiance"] * 1_500}))
    assert response.status_code == 400
