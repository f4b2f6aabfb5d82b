"""The requests' admin as staff use it: safe lists, anonymisation, wording, statistics."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from pytest_django.asserts import assertInHTML

from associations.models import Association
from core.vocabularies import Seeker
from orientation.statistics import answer_order
from referrals.models import Referral, Status
from referrals.statistics import median_text

from .helpers import STAFF_GROUP, form_data, page_text, plain, stored_request

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
    "sans-reponse=%00",
    "sans-reponse=1",
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
        data = {
            **form_data(response),
            "status": Status.TAKEN,
            "staff_note": "Appelée le 2 décembre.",
        }
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


class TestOptimisticLocking:
    """Two staff members open the same request; A saves first, then B from the older page.
    The worker that sends the e-mails may also move a request on meanwhile."""

    @pytest.fixture
    def referral(self, seed):
        return Referral.objects.create(**stored_request(Association.objects.get(slug="afev")))

    @pytest.fixture
    def sacha(self, django_user_model):
        """Sacha, another member of the team."""
        user = django_user_model.objects.create_user("sacha", is_staff=True)
        user.groups.add(Group.objects.get(name=STAFF_GROUP))
        client = Client()
        client.force_login(user)
        return client

    def url(self, referral):
        return reverse("admin:referrals_referral_change", args=[referral.pk])

    def test_b_s_note_from_an_older_page_keeps_a_s_status_and_b_s_words(
        self, staff_client, sacha, referral, staff_member
    ):
        a = form_data(staff_client.get(self.url(referral)))
        b = form_data(sacha.get(self.url(referral)))
        a["status"] = Status.TAKEN
        assert staff_client.post(self.url(referral), a).status_code == 302
        b["staff_note"] = "Rappeler la famille jeudi."
        response = sacha.post(self.url(referral), b)
        assert response.status_code == 200
        text = page_text(response)
        assert (
            "Cette demande a été enregistrée par quelqu’un d’autre pendant que vous la modifiiez"
        ) in text
        assert "Ce qui a changé depuis que vous avez ouvert la demande" in text
        assert "Enregistré par camille le" in text
        assert "Statut : « Prise en charge », repris dans votre formulaire" in text
        form = response.context["adminform"].form
        assert form["staff_note"].value() == "Rappeler la famille jeudi."  # B's words
        assert form["status"].value() == Status.TAKEN  # A's, merged in
        referral.refresh_from_db()
        assert (referral.status, referral.staff_note) == (Status.TAKEN, "")
        # B saves again from the page shown: nothing of A's nor of B's is lost.
        assert sacha.post(self.url(referral), form_data(response)).status_code == 302
        referral.refresh_from_db()
        assert (referral.status, referral.staff_note) == (
            Status.TAKEN,
            "Rappeler la famille jeudi.",
        )
        history = [(c.status, c.changed_by) for c in referral.status_changes.all()]
        assert history == [(Status.NEW, None), (Status.TAKEN, staff_member)]

    def test_when_both_changed_the_status_b_sees_a_s_and_keeps_theirs(
        self, staff_client, sacha, referral
    ):
        a = form_data(staff_client.get(self.url(referral)))
        b = form_data(sacha.get(self.url(referral)))
        a["status"] = Status.TAKEN
        staff_client.post(self.url(referral), a)
        b["status"] = Status.DROPPED
        response = sacha.post(self.url(referral), b)
        assert (
            "Statut : « Prise en charge » ; vous l’aviez aussi modifié : "
            "votre saisie est gardée dans le formulaire"
        ) in page_text(response)
        assert response.context["adminform"].form["status"].value() == Status.DROPPED
        referral.refresh_from_db()
        assert referral.status == Status.TAKEN

    def test_the_request_sent_meanwhile_is_not_moved_back_to_new(self, sacha, referral):
        """The worker passes the request on (« transmise ») while B writes a note: B's
        page still says « nouvelle », which saving as it was would have put back."""
        b = form_data(sacha.get(self.url(referral)))
        referral.change_status(Status.SENT)
        b["staff_note"] = "Association prévenue par téléphone."
        response = sacha.post(self.url(referral), b)
        text = page_text(response)
        assert "Enregistré par le site (automatique) le" in text
        assert "Statut : « Transmise à l’association », repris dans votre formulaire" in text
        sacha.post(self.url(referral), form_data(response))
        referral.refresh_from_db()
        assert (referral.status, referral.staff_note) == (
            Status.SENT,
            "Association prévenue par téléphone.",
        )

    def test_the_worker_s_e_mail_bookkeeping_does_not_make_a_page_stale(self, sacha, referral):
        """Sent, failed, retried: fields staff do not edit, the page need not be reread."""
        b = form_data(sacha.get(self.url(referral)))
        Referral.objects.filter(pk=referral.pk).update(
            acknowledged_at=timezone.now(), email_failed_at=timezone.now(), email_attempts=2
        )
        b["staff_note"] = "Vu."
        assert sacha.post(self.url(referral), b).status_code == 302
        referral.refresh_from_db()
        assert referral.staff_note == "Vu."

    def test_a_note_cannot_come_back_after_anonymisation(self, sacha, referral):
        referral.change_status(Status.CLOSED)
        b = form_data(sacha.get(self.url(referral)))
        Referral.objects.filter(pk=referral.pk).anonymise()
        b["staff_note"] = "Léa, 16 ans, lea@example.org"
        response = sacha.post(self.url(referral), b)
        assert "quelqu’un d’autre" in page_text(response)
        sacha.post(self.url(referral), form_data(response))
        referral.refresh_from_db()
        assert referral.is_anonymised and referral.staff_note == ""
