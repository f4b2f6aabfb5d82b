"""The requests' admin as staff use it: safe lists, anonymisation, wording, statistics."""

import pytest
from django.urls import reverse
from django.utils import timezone

from associations.models import Association
from core.vocabularies import Seeker
from referrals.models import Referral

from .test_admin import plain
from .test_referrals import _stored

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:referrals_referral_changelist"


@pytest.fixture
def requests(seed):
    afev = Association.objects.get(slug="afev")
    made = [
        Referral.objects.create(**_stored(afev, first_name="Léa")),
        Referral.objects.create(
            **_stored(
                afev,
                first_name="Noé",
                age=12,
                email="",
                phone="0612345678",
                parent_name="Sonia Martin",
                parent_contact="Sonia.Martin@Example.org",
                parent_consent=True,
            )
        ),
        Referral.objects.create(
            **_stored(
                afev,
                first_name="Inès",
                age=13,
                parent_name="Karim Benali",
                parent_contact="+33699887766",
                parent_consent=True,
            )
        ),
        Referral.objects.create(**_stored(afev, first_name="Yanis", kind=Seeker.VOLUNTEER)),
    ]
    return made


def names(response):
    return sorted(referral.first_name for referral in response.context["cl"].result_list)


def shown_messages(response):
    return [plain(str(message)) for message in response.context["messages"]]


HOSTILE = [
    "mois=2026-%C2%B2",
    "mois=99999-01",
    "mois=0-01",
    "mois=2026-13",
    "mois=%00",
    "status=%00",
    "kind=%00",
    "status__exact=%00",
    "kind__exact=%00",
    "status__exact=inconnu",
    "courriels=%00",
    "a-transmettre=non",
    "association__id__exact=abc",
    "inconnu=1",
    "q=%00",
    "o=99",
]


class TestHostileFilterValues:
    @pytest.mark.parametrize("query", HOSTILE)
    def test_ignored_with_a_message_never_an_error(self, staff_client, requests, query):
        url = reverse(CHANGELIST)
        response = staff_client.get(f"{url}?{query}", follow=True)
        assert response.status_code == 200
        assert response.request["PATH_INFO"] == url
        assert shown_messages(response), f"aucun message pour {query}"
        assert names(response) == ["Inès", "Léa", "Noé", "Yanis"]

    def test_messages_say_what_was_ignored(self, staff_client, requests):
        url = reverse(CHANGELIST)
        response = staff_client.get(f"{url}?mois=2026-%C2%B2", follow=True)
        assert shown_messages(response) == [
            "Le filtre « mois de la demande » n’a pas de choix « 2026-² » : il a été ignoré."
        ]
        response = staff_client.get(f"{url}?status=%00&kind=%00", follow=True)
        assert shown_messages(response) == [
            "Les filtres « status » et « kind » avaient une valeur non valable : ils sont ignorés."
        ]

    def test_good_filters_still_filter(self, staff_client, requests):
        url = reverse(CHANGELIST)
        month = f"{timezone.localdate():%Y-%m}"
        for query, found in [
            (f"mois={month}", ["Inès", "Léa", "Noé", "Yanis"]),
            ("kind__exact=benevole", ["Yanis"]),
            ("status__exact=nouvelle", ["Inès", "Léa", "Noé", "Yanis"]),
            ("courriels=en-attente", ["Inès", "Léa", "Noé", "Yanis"]),
        ]:
            response = staff_client.get(f"{url}?{query}")
            assert response.status_code == 200, query
            assert names(response) == found, query
            assert not shown_messages(response), query


class TestSearch:
    @pytest.mark.parametrize(
        ("typed", "found"),
        [
            ("sonia.martin@example.org", ["Noé"]),
            ("SONIA.MARTIN@EXAMPLE.ORG", ["Noé"]),
            (" Sonia.Martin@example.org ", ["Noé"]),
            ("Karim Benali", ["Inès"]),
            ("06 99 88 77 66", ["Inès"]),
            ("+33 6 99 88 77 66", ["Inès"]),
            ("06.99.88.77.66", ["Inès"]),
            ("06 12 34 56 78", ["Noé"]),
        ],
    )
    def test_the_parent_s_contact_is_found_however_it_is_typed(
        self, staff_client, requests, typed, found
    ):
        response = staff_client.get(reverse(CHANGELIST), {"q": typed})
        assert response.status_code == 200
        assert names(response) == found
