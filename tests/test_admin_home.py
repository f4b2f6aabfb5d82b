"""The admin's home: what needs attention today, each line a link to exactly those rows."""

import html
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from associations.models import Association, Contact, ReviewItem
from core.french import long_date
from core.vocabularies import Seeker
from orientation.models import WeeklySearch, criteria_key, week_of
from referrals.models import Referral, Status

from .factories import ContactFactory, ReviewItemFactory
from .helpers import page_text, plain, stored_request

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")
ASSOCIATIONS = reverse("admin:associations_association_changelist")
REQUESTS = reverse("admin:referrals_referral_changelist")
STATISTICS = reverse("admin:referrals_referral_statistics")


def todo(client):
    return {plain(item["text"]): item["url"] for item in client.get(HOME).context["todo"]}


def received(days_ago, status, **fields):
    """A request received `days_ago` days ago, moved to `status`, its e-mails sent."""
    now = timezone.now()
    referral = Referral.objects.create(
        **stored_request(
            Association.objects.get(slug="afev"),
            **{
                "created_at": now - timedelta(days=days_ago),
                "association_notified_at": now,
                "acknowledged_at": now,
                **fields,
            },
        )
    )
    referral.change_status(status)
    return referral


@pytest.fixture
def work(seed):
    """A day's work: requests late, to pass on or whose e-mails wait; searches that
    found nothing this month (and some last month); a fiche not saved for 200 days."""
    # Afev: not changed for 200 days, never verified; ANAF: changed, verified 300 days ago.
    Association.objects.filter(slug="afev").update(
        updated_at=timezone.now() - timedelta(days=200), verified_on=None
    )
    Association.objects.filter(slug="anaf").update(
        verified_on=timezone.localdate() - timedelta(days=300)
    )
    late = [
        received(10, Status.SENT),
        received(8, Status.NEW, first_name="Noé"),  # its e-mail never went
        received(15, Status.SENT, first_name="Lina"),  # two weeks: staff chase it
    ]
    Referral.objects.filter(pk=late[1].pk).update(association_notified_at=None)
    to_forward = received(9, Status.NEW, association_notified_at=None)
    Referral.objects.filter(pk=to_forward.pk).update(collective_notified_at=timezone.now())
    emails_waiting = received(1, Status.SENT, acknowledged_at=None)
    received(2, Status.SENT)  # not late yet
    received(20, Status.TAKEN)  # answered
    # Declined; the family gave a phone number only: staff call to say so.
    to_call = received(5, Status.DECLINED, email="", phone="+33612345678")
    Referral.objects.filter(pk=to_call.pk).update(family_update_due=True)
    anonymised = received(30, Status.SENT)
    Referral.objects.filter(pk=anonymised.pk).anonymise()
    this_week = week_of(timezone.localdate())
    for week, without_result, only_full in [
        (this_week, 2, 1),
        (this_week - timedelta(weeks=6), 5, 0),  # before this month: not counted
    ]:
        WeeklySearch.objects.create(
            week=week,
            seeker=Seeker.YOUNG_PERSON,
            criteria=criteria_key({"age": 12}),
            searches=4,
            without_result=without_result,
            only_full=only_full,
        )
    WeeklySearch.objects.create(
        week=this_week,
        seeker=Seeker.VOLUNTEER,
        criteria=criteria_key({"age": 30}),
        searches=3,
    )
    return {
        "late": late,
        "to_forward": [to_forward],
        "emails": [late[1], emails_waiting],
        "to_chase": [late[2]],
        "to_call": [to_call],
    }


class TestWhatNeedsAttentionToday:
    def test_each_line_says_how_many_and_links_to_its_filtered_list(self, staff_client, work):
        to_confirm = Contact.objects.exclude(email="").filter(email_confirmed_at=None)
        addresses = to_confirm.count()
        associations = len({contact.association_id for contact in to_confirm})
        assert (addresses, associations) == (11, 10)  # the brochure's, none confirmed yet
        assert todo(staff_client) == {
            "1 demande à transmettre à la main (association sans courriel confirmé)": (
                f"{REQUESTS}?a-transmettre=oui"
            ),
            "2 demandes avec un courriel en attente d’envoi": f"{REQUESTS}?courriels=en-attente",
            "3 demandes sans réponse de l’association après 7 jours": (
                f"{REQUESTS}?sans-reponse=en-retard"
            ),
            "1 demande à relancer (sans réponse de l’association depuis 14 jours, malgré son "
            "rappel)": f"{REQUESTS}?a-relancer=oui",
            "1 famille à appeler (réponse à dire par téléphone)": f"{REQUESTS}?a-appeler=oui",
            "3 recherches d’orientation sans association disponible ce mois-ci "
            "(besoins non couverts)": f"{STATISTICS}?periode=1#besoins-non-couverts",
            "1 information à vérifier sur les contacts (courriels, téléphones)": reverse(
                "admin:associations_reviewitem_changelist"
            )
            + "?section__exact=contacts",
            "11 adresses de courriel à confirmer (10 associations) : elles ne reçoivent pas "
            "les demandes d’ici là": f"{ASSOCIATIONS}?courriel=a-confirmer",
            "10 associations avec des informations à vérifier": f"{ASSOCIATIONS}?a_verifier=oui",
            "2 fiches non vérifiées avec l’association depuis plus de 6 mois": (
                f"{ASSOCIATIONS}?verification=plus-de-6-mois"
            ),
            "1 fiche non mise à jour depuis plus de 6 mois": (
                f"{ASSOCIATIONS}?mise_a_jour=plus-de-6-mois"
            ),
        }
        page = staff_client.get(HOME).content.decode()
        assert "À faire aujourd’hui" in page_text(staff_client.get(HOME))
        for url in todo(staff_client).values():
            assert f'href="{html.escape(url)}"' in page

    @pytest.mark.parametrize("line", ["late", "to_forward", "emails", "to_chase", "to_call"])
    def test_a_request_link_lists_exactly_those_requests(self, staff_client, work, line):
        lines = {
            "late": "?sans-reponse=en-retard",
            "to_forward": "?a-transmettre=oui",
            "emails": "?courriels=en-attente",
            "to_chase": "?a-relancer=oui",
            "to_call": "?a-appeler=oui",
        }
        response = staff_client.get(REQUESTS + lines[line])
        assert not list(response.context["messages"])
        shown = {referral.pk for referral in response.context["cl"].result_list}
        assert shown == {referral.pk for referral in work[line]}

    def test_the_address_link_lists_the_associations_with_an_address_to_confirm(
        self, staff_client, work
    ):
        expected = set(
            Contact.objects.exclude(email="")
            .filter(email_confirmed_at=None)
            .values_list("association__slug", flat=True)
        )
        response = staff_client.get(f"{ASSOCIATIONS}?courriel=a-confirmer")
        assert {association.slug for association in response.context["cl"].result_list} == (
            expected
        )
        # Confirmed, an address leaves the line and the list.
        afev = Association.objects.get(slug="afev")
        afev.contacts.exclude(email="").update(email_confirmed_at=timezone.now())
        response = staff_client.get(f"{ASSOCIATIONS}?courriel=a-confirmer")
        assert "afev" not in {a.slug for a in response.context["cl"].result_list}

    @pytest.mark.parametrize(
        "query, slugs",
        [
            ("verification=plus-de-6-mois", {"afev", "anaf"}),
            ("mise_a_jour=plus-de-6-mois", {"afev"}),
        ],
    )
    def test_the_fiches_links_list_exactly_those_fiches(self, staff_client, work, query, slugs):
        response = staff_client.get(f"{ASSOCIATIONS}?{query}")
        assert not list(response.context["messages"])
        assert {association.slug for association in response.context["cl"].result_list} == slugs

    def test_the_unmet_needs_link_shows_this_month_s_on_the_statistics_page(
        self, staff_client, work
    ):
        response = staff_client.get(STATISTICS, {"periode": "1"})
        assert response.context["requests"]["label"] == "ce mois-ci"
        unmet = response.context["searches"]["unmet"]
        assert sum(need["count"] for need in unmet) == 3
        assert 'id="besoins-non-couverts"' in response.content.decode()
        start = response.context["requests"]["start"]
        assert f"depuis le {long_date(start)} (ce mois-ci)" in page_text(response)

    def test_what_is_to_do_comes_first_then_what_is_done(self, staff_client, work):
        WeeklySearch.objects.all().delete()
        ReviewItem.objects.filter(section=ReviewItem.Section.CONTACTS).delete()
        lines = [plain(item["text"]) for item in staff_client.get(HOME).context["todo"]]
        assert lines[-2:] == [
            "Aucune recherche d’orientation sans association disponible ce mois-ci",
            "Aucune information de contact à vérifier",
        ]
        assert lines[0] == "1 demande à transmettre à la main (association sans courriel confirmé)"

    def test_nothing_to_do_is_said_without_a_link(self, staff_client, seed):
        Contact.objects.update(email_confirmed_at=timezone.now())
        ReviewItem.objects.all().delete()
        response = staff_client.get(HOME)
        assert [plain(item["text"]) for item in response.context["todo"]] == [
            "Aucune demande à transmettre",
            "Aucun courriel en attente d’envoi",
            "Aucune demande sans réponse après 7 jours",
            "Aucune demande à relancer",
            "Aucune famille à appeler",
            "Aucune recherche d’orientation sans association disponible ce mois-ci",
            "Aucune information de contact à vérifier",
            "Toutes les adresses de courriel sont confirmées",
            "Aucune association n’a d’information à vérifier",
            "Toutes les fiches ont été vérifiées depuis moins de 6 mois",
            "Toutes les fiches ont été mises à jour depuis moins de 6 mois",
        ]
        panel = response.content.decode()
        panel = panel[panel.index('id="todo-module"') : panel.index("</section>")]
        assert "<a " not in panel

    def test_each_line_needs_the_permission_to_see_its_list(self, django_user_model, work):
        user = django_user_model.objects.create_user("dominique", is_staff=True)
        client = Client()
        client.force_login(user)
        assert client.get(HOME).context["todo"] == []
        user.user_permissions.add(Permission.objects.get(codename="view_referral"))
        lines = todo(client)
        assert len(lines) == 5 and all(url.startswith(REQUESTS) for url in lines.values())
        user.user_permissions.add(
            Permission.objects.get(codename="view_statistics"),
            Permission.objects.get(codename="view_association"),
        )
        client.force_login(django_user_model.objects.get(pk=user.pk))
        lines = todo(client)
        assert len(lines) == 10  # the review items' line needs their own permission
        assert not any("reviewitem" in url for url in lines.values())

    def test_its_queries_do_not_grow_with_the_data(
        self, staff_client, django_assert_num_queries, many, work
    ):
        staff_client.get(HOME)
        with CaptureQueriesContext(connection) as few:
            staff_client.get(HOME)
        for _ in range(10):
            ReviewItemFactory(section=ReviewItem.Section.CONTACTS)
            ContactFactory(association=Association.objects.get(slug="afev"))
            received(10, Status.SENT)
            Referral.objects.filter(pk=received(9, Status.NEW).pk).update(
                collective_notified_at=timezone.now()
            )
        WeeklySearch.objects.create(
            week=week_of(timezone.localdate()),
            seeker=Seeker.YOUNG_PERSON,
            criteria=criteria_key({"age": 15}),
            searches=9,
            without_result=9,
        )
        # session, user, permissions, recent actions; two for the requests, three for the
        # directory.
        with django_assert_num_queries(len(few)):
            staff_client.get(HOME)
        assert "13 demandes sans réponse de l’association après 7 jours" in todo(staff_client)

    def test_publications_are_a_list_not_a_squeezed_table(self, staff_client):
        page = staff_client.get(HOME).content.decode()
        module = page[page.index('id="publications-module"') :]
        module = module[: module.index("</section>")]
        assert "<table" not in module
        assert module.count("<li>") == 4
