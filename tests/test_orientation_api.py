"""The public JSON API of the orientation: its shape, its errors, and hostile callers."""

import pytest
from django.urls import reverse

from associations.models import Association
from core.french import NBSP

from .factories import edit
from .helpers import HOSTILE, PAYLOAD, VOLUNTEER_HOSTILE, young_query

pytestmark = pytest.mark.django_db

API_YOUNG = reverse("orientation:api_young")
API_VOLUNTEER = reverse("orientation:api_volunteer")
VOLUNTEER = {
    "age": "30",
    "situation": "salarie",
    "rythme": "1-par-semaine",
    "heures": "2",
    "engagement": "annee-scolaire",
}


def test_the_api_answers_the_young_persons_questions_best_first(client, seed):
    response = client.get(
        API_YOUNG,
        {
            "qui": "parent",
            "age": 12,
            "situation": "college",
            "besoins": ["confiance"],
            "modalite": "distanciel",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["count"] == 4
    assert body["ranking"].startswith("D’abord les associations faites pour la situation de")
    assert [result["slug"] for result in body["results"]] == [
        "afev",
        "la-cle",
        "telemaque",
        "proxite",
    ]
    afev = body["results"][0]
    assert afev == {
        "slug": "afev",
        "name": "Afev",
        "url": "http://testserver/associations/afev/",
        "reasons": [
            f"Accompagne les jeunes de 5 à 18{NBSP}ans",
            f"Situation accompagnée{NBSP}: collège",
            f"Aide pour{NBSP}: confiance en soi",
            "Propose des rencontres à distance",
            "Au domicile du jeune ou dans un lieu tiers, 2 h par semaine",
        ],
        "differences": [],
        "caveats": [],
    }
    assert "Propose seulement des rencontres en présentiel" in body["results"][3]["differences"]
    # No points: the order is the ranking.
    assert all("score" not in result for result in body["results"])
    # French words as they are, not \u escapes.
    assert "Situation accompagnée" in response.content.decode()


def test_the_url_is_the_associations_absolute_address(client, seed, settings):
    settings.ALLOWED_HOSTS = ["mentorat.example.org"]
    response = client.get(
        API_YOUNG,
        {"qui": "jeune", "age": 25, "situation": "sans-activite"},
        HTTP_HOST="mentorat.example.org",
    )
    for result in response.json()["results"]:
        association = Association.objects.get(slug=result["slug"])
        assert result["url"] == f"http://mentorat.example.org{association.get_absolute_url()}"
        assert result["name"] == association.name


def test_the_api_answers_the_volunteers_questions(client, seed):
    response = client.get(API_VOLUNTEER, {**VOLUNTEER, "age": "55", "situation": "retraite"})
    body = response.json()
    assert [result["slug"] for result in body["results"]] == [
        "cpossible",
        "face-mel",
        "duo-for-a-job",
        "la-cle",
    ]
    duo = body["results"][2]
    assert f"Mentors à partir de 50{NBSP}ans" in duo["reasons"]
    assert f"Temps{NBSP}: 2{NBSP}h par semaine" in duo["reasons"]


def test_a_near_miss_says_what_is_asked(client, seed):
    answers = {"age": "20", "situation": "etudiant", "rythme": "2-par-mois", "heures": "4"}
    body = client.get(API_VOLUNTEER, {**VOLUNTEER, **answers}).json()
    (afev,) = body["results"]
    assert afev["differences"] == [f"Demande un peu plus de temps{NBSP}: 2{NBSP}h par semaine"]


def test_the_modality_preference_ranks(client, seed):
    body = client.get(API_VOLUNTEER, {**VOLUNTEER, "modalite": "distanciel"}).json()
    proxite = next(result for result in body["results"] if result["slug"] == "proxite")
    assert "Propose seulement des rencontres en présentiel" in proxite["differences"]


def test_no_match_is_an_empty_list(client, seed):
    response = client.get(API_VOLUNTEER, {**VOLUNTEER, "situation": "lyceen", "age": "17"})
    assert response.status_code == 200
    body = response.json()
    del body["ranking"]
    assert body == {
        "count": 0,
        "page": 1,
        "pages": 1,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_every_documented_value_works(client, seed):
    for respondent in ["jeune", "parent", "professionnel"]:
        for level in ["maternelle", "ecole", "college", "lycee", "lycee-pro", "apprentissage",
                      "etudes-superieures", "recherche-emploi", "sans-activite"]:  # fmt: skip
            query = {"qui": respondent, "age": 18, "situation": level, "modalite": "presentiel"}
            query["besoins"] = ["reussite-scolaire", "confiance", "orientation", "insertion-pro",
                                "ouverture-culturelle", "francais", "autonomie"]  # fmt: skip
            query["situations_particulieres"] = ["refugie-immigration", "qpv", "rep"]
            assert client.get(API_YOUNG, query).status_code == 200, level
        unsure = {"qui": respondent, "age": 18, "situation": "college"}
        unsure["situations_particulieres"] = "je-ne-sais-pas"
        assert client.get(API_YOUNG, unsure).status_code == 200
    documented = {
        "situation": ["etudiant", "apprenti", "salarie", "agent-public", "retraite",
                      "recherche-emploi", "lyceen"],
        "rythme": ["1-par-mois", "2-par-mois", "1-par-semaine", "plus"],
        "heures": ["0,5", "1.5", "40"],
        "heures_par": ["", "rencontre", "semaine"],
        "engagement": ["quelques-semaines", "6-mois", "annee-scolaire", "plusieurs-annees"],
        "modalite": ["", "presentiel", "distanciel"],
    }  # fmt: skip
    for name, values in documented.items():
        for value in values:
            response = client.get(API_VOLUNTEER, {**VOLUNTEER, name: value})
            assert response.status_code == 200, (name, value)


def test_missing_answers_are_400_with_french_messages(client, seed):
    response = client.get(API_YOUNG)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": {
            "qui": ["Dites pour qui vous cherchez un mentor."],
            "age": ["Indiquez l’âge du jeune."],
            "situation": ["Choisissez la classe ou la situation du jeune."],
        }
    }
    assert client.get(API_YOUNG, {"qui": "jeune"}).json()["errors"]["age"] == [
        "Indiquez votre âge."
    ]
    assert client.get(API_VOLUNTEER).json()["errors"] == {
        "age": ["Indiquez votre âge."],
        "situation": ["Choisissez votre situation."],
        "rythme": ["Choisissez à quel rythme vous pouvez voir un jeune."],
        "heures": ["Indiquez combien d’heures vous pouvez donner."],
        "engagement": ["Choisissez pendant combien de temps vous pouvez vous engager."],
    }


def echoes(changes, field, response):
    sent = changes[field] if isinstance(changes[field], str) else changes[field][-1]
    return len(sent) > 3 and sent in response.content.decode()


@pytest.mark.parametrize(("changes", "field"), HOSTILE)
def test_hostile_young_person_queries_are_400_without_echo(client, seed, changes, field):
    response = client.get(API_YOUNG, young_query(changes))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert all(isinstance(message, str) and message for message in errors[field])
    assert not echoes(changes, field, response)  # no message repeats what was sent


@pytest.mark.parametrize(("changes", "field"), VOLUNTEER_HOSTILE)
def test_hostile_volunteer_queries_are_400_without_echo(client, seed, changes, field):
    response = client.get(API_VOLUNTEER, {**VOLUNTEER, **changes})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not echoes(changes, field, response)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"age": "abc"}, "Indiquez un âge en chiffres, de 14 à 100\u00a0ans."),
        ({"age": "13"}, "Indiquez un âge en chiffres, de 14 à 100\u00a0ans."),
        ({"age": str(10**50)}, "Indiquez un âge en chiffres, de 14 à 100\u00a0ans."),
        ({"age": str(10**100)}, "Cette réponse est trop longue."),
        ({"heures": "0"}, "Indiquez un nombre d’heures en chiffres, de 0,5 à 40."),
        ({"heures": "-3"}, "Indiquez un nombre d’heures en chiffres, de 0,5 à 40."),
        ({"heures": "2.25"}, "Indiquez un nombre d’heures en chiffres, de 0,5 à 40."),
        ({"heures": "NaN"}, "Indiquez un nombre d’heures en chiffres, de 0,5 à 40."),
        ({"heures": ["2", "3"]}, "Une seule réponse est possible à cette question."),
        ({"heures": "2\x00"}, "Cette réponse contient des caractères non autorisés."),
        ({"heures": "9" * 10_000}, "Cette réponse est trop longue."),
        ({"rythme": "1-par-jour"}, "Ce choix n’existe pas\u00a0: choisissez dans la liste."),
        ({"heures_par": "mois"}, "Ce choix n’existe pas\u00a0: choisissez dans la liste."),
        ({"engagement": "6"}, "Ce choix n’existe pas\u00a0: choisissez dans la liste."),
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


def test_the_young_persons_age_bounds_come_from_the_directory(client, seed):
    response = client.get(API_YOUNG, young_query({"age": "34"}))
    assert response.json() == {
        "errors": {"age": ["Indiquez un âge en chiffres, de 5 à 33\u00a0ans."]}
    }
    assert client.get(API_YOUNG, young_query({"age": "33", "situation": "sans-activite"})).json()[
        "count"
    ]


def test_hundreds_of_repeated_needs_are_refused(client, seed):
    response = client.get(API_YOUNG, young_query({"besoins": ["confiance"] * 300}))
    assert response.json() == {"errors": {"besoins": ["Trop de réponses\u00a0: 50 au plus."]}}


def test_several_errors_are_all_reported(client, seed):
    response = client.get(
        API_VOLUNTEER, {**VOLUNTEER, "age": "x", "situation": "y", "heures": "1", "rythme": "0"}
    )
    assert set(response.json()["errors"]) == {"age", "situation", "rythme"}


def test_unknown_parameters_are_ignored(client, seed):
    response = client.get(API_YOUNG, young_query({"utm_source": PAYLOAD}))
    assert response.status_code == 200
    assert response.json()["count"] == 4


def test_the_old_volunteer_parameters_are_gone(client, seed):
    response = client.get(
        API_VOLUNTEER, {"age": "30", "situation": "salarie", "heures_par_mois": "8", "mois": "9"}
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"rythme", "heures", "engagement"}


def test_only_get_and_head(client, seed):
    assert client.post(API_YOUNG, young_query({})).status_code == 405
    assert client.put(API_VOLUNTEER).status_code == 405
    assert client.head(f"{API_YOUNG}?qui=jeune&age=12&situation=college").status_code == 200


def test_too_many_parameters_is_a_bad_request(client, seed):
    response = client.get(API_YOUNG, young_query({"besoins": ["confiance"] * 1_500}))
    assert response.status_code == 400


def test_the_brochures_suspected_errors_are_said_in_the_results(client, seed):
    """FACE MEL's duration and frequency contradict each other: the family is told."""
    query = {"qui": "jeune", "age": 16, "situation": "lycee"}
    face = next(
        result
        for result in client.get(API_YOUNG, query).json()["results"]
        if result["slug"] == "face-mel"
    )
    caveat = "Information à vérifier auprès de l’association (détails sur sa fiche)"
    assert caveat in face["caveats"]
    # FACE MEL and Article 1 (its modalities repeat ANAF's), in the page too.
    page = client.get(reverse("orientation:young"), query).content.decode()
    assert page.count(caveat) == 2
    # Staff checked with FACE MEL and unticked "signaler au public".
    edit(Association.objects.get(slug="face-mel"), show_review_items_publicly=False)
    flagged = [
        result["slug"]
        for result in client.get(API_YOUNG, query).json()["results"]
        if any("à vérifier auprès" in caveat for caveat in result["caveats"])
    ]
    assert flagged == ["article-1"]
