"""The requests' admin as staff use it: safe lists, anonymisation, wording, statistics."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from pytest_django.asserts import assertInHTML

from associations.models import Association
from core.vocabularies import Seeker
from orientation.statistics import answer_order
from referrals.models import Referral, Status
from referrals.statistics import median_text

from .helpers import plain, stored_request

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:referrals_referral_changelist"


@pytest.fixture
def requests(seed):
    afev = Association.objects.get(slug="afev")
    made = [
        Referral.objects.create(**stored_request(afev, first_name="Léa")),
        Referral.objects.create(
            **stored_request(
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
            **stored_request(
                afev,
                first_name="Inès",
                age=13,
                parent_name="Karim Benali",
                parent_contact="+33699887766",
                parent_consent=True,
            )
        ),
        Referral.objects.create(**stored_request(afev, first_name="Yanis", kind=Seeker.VOLUNTEER)),
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


class TestAnonymisation:
    @pytest.fixture
    def closed_and_open(self, requests):
        lea, noe, ines, yanis = requests
        lea.change_status(Status.CLOSED)
        noe.change_status(Status.DROPPED)
        ines.change_status(Status.TAKEN)
        return requests

    def post(self, client, **data):
        return client.post(reverse(CHANGELIST), {"action": "anonymise", **data}, follow=True)

    def test_a_confirmation_page_counts_what_will_be_anonymised_and_what_is_left(
        self, staff_client, closed_and_open
    ):
        selected = [referral.pk for referral in closed_and_open]
        response = self.post(staff_client, index="0", _selected_action=selected)
        assert response.templates[0].name == "admin/referrals/anonymise_confirmation.html"
        page = plain(response.content.decode())
        assert "2 demandes terminées (closes ou sans suite) seront anonymisées" in page
        assert "2 demandes encore ouvertes de la sélection ne sont pas touchées" in page
        assert closed_and_open[0].reference in page and closed_and_open[2].reference not in page
        assert not Referral.objects.filter(anonymised_at__isnull=False).exists()

        confirmed = [referral.pk for referral in response.context["referrals"]]
        response = self.post(staff_client, _selected_action=confirmed, post="oui")
        assert shown_messages(response) == ["2 demandes terminées anonymisées."]
        lea, noe, ines, yanis = (Referral.objects.get(pk=r.pk) for r in closed_and_open)
        assert lea.is_anonymised and noe.is_anonymised and noe.parent_contact == ""
        assert not ines.is_anonymised and not yanis.is_anonymised

    def test_each_anonymisation_is_in_the_request_s_history(
        self, staff_client, staff_member, closed_and_open
    ):
        lea = closed_and_open[0]
        self.post(staff_client, _selected_action=[lea.pk], post="oui")
        entry = LogEntry.objects.get(object_id=str(lea.pk))
        assert entry.user == staff_member and entry.action_flag == CHANGE
        assert plain(entry.get_change_message()) == (
            "Anonymisée : données personnelles effacées (demande terminée)."
        )
        history = staff_client.get(reverse("admin:referrals_referral_history", args=[lea.pk]))
        assert "données personnelles effacées" in history.content.decode()

    @pytest.mark.parametrize("confirmed", [{}, {"post": "oui"}])
    def test_the_team_cannot_anonymise_an_open_request_even_posting_directly(
        self, staff_client, closed_and_open, confirmed
    ):
        lea, noe, ines, yanis = closed_and_open

        def anonymised():
            return set(
                Referral.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)
            )

        # The whole list selected (« Sélectionner les 4 demandes »), an open one ticked.
        response = self.post(
            staff_client, index="0", select_across="1", _selected_action=[ines.pk], **confirmed
        )
        assert response.status_code == 200
        assert anonymised() == ({lea.pk, noe.pk} if confirmed else set())
        # Posted as if from the confirmation page, with every request named.
        self.post(staff_client, _selected_action=[r.pk for r in closed_and_open], post="oui")
        assert anonymised() == {lea.pk, noe.pk}
        assert not Referral.objects.get(pk=ines.pk).is_anonymised

    def test_a_selection_of_open_requests_only_says_nothing_was_done(
        self, staff_client, closed_and_open
    ):
        ines = closed_and_open[2]
        response = self.post(staff_client, index="0", _selected_action=[ines.pk])
        assert shown_messages(response) == [
            "Aucune demande terminée (close ou sans suite) à anonymiser dans cette sélection ; "
            "1 demande encore ouverte laissée telle quelle (seules les demandes closes ou sans "
            "suite sont anonymisées)."
        ]
        assert not Referral.objects.filter(anonymised_at__isnull=False).exists()


class TestFrenchWording:
    def test_titles_columns_and_messages(self, staff_client, requests):
        lea = requests[0]
        response = staff_client.get(reverse(CHANGELIST))
        assert response.context["title"] == "Choisissez la demande à modifier"
        headers = [
            capfirst(plain(str(header["text"]))) for header in response.context["result_headers"]
        ][1:]
        assert headers == [
            "Référence",
            "Reçue le",
            "Association",
            "Statut",
            "Courriels",
        ]
        url = reverse("admin:referrals_referral_change", args=[lea.pk])
        response = staff_client.get(url)
        assert response.context["title"] == "Modifier la demande"
        data = {"status": Status.TAKEN, "staff_note": "Appelée le 2 décembre."}
        for name in ["TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"]:
            key = f"status_changes-{name}"
            data[key] = (
                response.context["inline_admin_formsets"][0].formset.management_form[name].value()
            )
        response = staff_client.post(url, data, follow=True)
        assert shown_messages(response) == [f"La demande « {lea.reference} » a été modifiée."]
        lea.refresh_from_db()
        assert lea.status == Status.TAKEN and lea.status_changes.last().changed_by is not None

    def test_one_word_for_the_e_mails(self, staff_client, requests):
        lea = requests[0]
        Referral.objects.filter(pk=lea.pk).update(
            association_notified_at=timezone.now(), acknowledged_at=timezone.now()
        )
        response = staff_client.get(reverse(CHANGELIST))
        page = response.content.decode()
        assertInHTML('<td class="field-emails">envoyés</td>', page)
        assertInHTML('<td class="field-emails">en attente</td>', page)


class TestStatistics:
    URL = "admin:referrals_referral_statistics"

    def test_one_period_chosen_twelve_months_by_default_hostile_values_ignored(
        self, staff_client, requests
    ):
        response = staff_client.get(reverse(self.URL))
        assert response.context["requests"]["months"] == 12
        assert response.context["searches"]["start"] <= response.context["requests"]["start"]
        response = staff_client.get(reverse(self.URL), {"periode": "3"})
        assert response.context["requests"]["months"] == 3
        for hostile in ["0", "99999", "²", "\x00", "-1"]:
            response = staff_client.get(reverse(self.URL), {"periode": hostile})
            assert response.status_code == 200
            assert response.context["requests"]["months"] == 12
            assert shown_messages(response), hostile

    def test_medians_under_a_day_say_so(self):
        assert median_text(None) is None
        assert median_text(0.2) == "moins d’un jour"
        assert plain(median_text(1.0)) == "1,0 jour"
        assert plain(median_text(2.54)) == "2,5 jours"

    def test_ages_in_numeric_order_words_most_searched_first(self):
        ages = [("8", 1), ("17", 5), ("19", 2), ("22", 1), ("5", 3)]
        assert [label for label, _ in sorted(ages, key=answer_order)] == [
            "5",
            "8",
            "17",
            "19",
            "22",
        ]
        words = [("Orientation", 2), ("Confiance", 5), ("Méthode", 2)]
        assert [label for label, _ in sorted(words, key=answer_order)] == [
            "Confiance",
            "Méthode",
            "Orientation",
        ]

    def test_weekly_rows_only_where_something_happened(self, staff_client, requests):
        response = staff_client.get(reverse(self.URL))
        assert all(
            week["young"] or week["volunteer"] for week in response.context["searches"]["weeks"]
        )
