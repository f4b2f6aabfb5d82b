"""Mise en relation (issue 6): form → stored → queued → e-mails → staff follow-up → places.

Also the under-15 rule, the failing e-mail path, rate limiting, retention, hostile
input, and what staff see in the admin and on the statistics page. E-mails leave
through the real task backend: `run_tasks()` plays the worker (tests/test_delivery.py
runs a real `db_worker` process against a real SMTP server).
"""

import logging
import re
import smtplib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.asserts import assertInHTML

from associations.models import Association, Collective, Contact, Level
from core.forms import MAX_LENGTH
from core.french import NBSP
from core.vocabularies import Seeker
from referrals import models as referral_models
from referrals import ratelimit, tasks, views
from referrals.forms import FORMS
from referrals.models import Referral, Status, StatusChange
from referrals.retention import months_before
from referrals.views import SESSION_KEY

from .factories import AssociationFactory, ContactFactory, edit
from .helpers import (
    STAFF_GROUP,
    YOUNG_FORM,
    after_commit,
    form_data,
    page_text,
    request_data,
    run_tasks,
    stored_request,
)

pytestmark = pytest.mark.django_db
# A volunteer's time, as the orientation asks it.
VOLUNTEER_TIME = {"rythme": "1-par-semaine", "heures": "2", "engagement": "annee-scolaire"}

VOLUNTEER_FORM = reverse("referrals:volunteer", args=["afev"])
SENT = reverse("referrals:sent")
REFERENCE = re.compile(
    r"^MR-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}$"
)


def child_data(**changes):
    """A child of 12 at collège: a parent's name, contact and consent are required."""
    child = {
        "first_name": "Yanis",
        "email": "",
        "age": "12",
        "situation": "college",
        "parent_name": "Samira Benali",
        "parent_contact": "samira@example.org",
        "parent_consent": "on",
    }
    return request_data(**{**child, **changes})


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "service indisponible pour ines@example.org")


@pytest.fixture
def seed(seed):
    """The brochure, and staff have confirmed Afev's address (the brochure's are not)."""
    Contact.objects.filter(association__slug="afev").update(email_confirmed_at=timezone.now())


@pytest.fixture
def failing_email(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_referrals.FailingBackend"}}


def send(client, url=YOUNG_FORM, **changes):
    """Post the form as a browser does; what the view defers to the commit runs."""
    with after_commit():
        return client.post(url, request_data(**changes))


# The whole path: form, stored, e-mails, confirmation, staff follow-up, places.


class TestTheWholePath:
    def test_a_request_is_stored_mailed_and_confirmed(self, client, seed, caplog):
        with caplog.at_level(logging.DEBUG):
            response = send(client)
        # The address of the confirmation holds no personal data, not even the reference.
        assert response.status_code == 302 and response["Location"] == SENT
        referral = Referral.objects.get()
        assert REFERENCE.match(referral.reference)
        assert (referral.first_name, referral.email, referral.age) == (
            "Inès",
            "ines@example.org",
            16,
        )
        assert referral.kind == Seeker.YOUNG_PERSON and referral.level.slug == "lycee"
        assert referral.association.slug == "afev"
        # Nothing sent in the visitor's request: the e-mails wait in the queue.
        assert referral.status == Status.NEW and not mail.outbox
        (task,) = DBTaskResult.objects.all()
        assert task.task_path == "referrals.tasks.send_referral_emails"
        assert task.args_kwargs == {"args": [referral.pk], "kwargs": {}}  # no personal data
        with caplog.at_level(logging.DEBUG):
            assert run_tasks() == 1
        referral.refresh_from_db()
        # Sent to the association, so "transmise", with its history.
        assert referral.status == Status.SENT
        assert [
            (c.previous_status, c.status, c.changed_by) for c in referral.status_changes.all()
        ] == [
            ("", Status.NEW, None),
            (Status.NEW, Status.SENT, None),
        ]
        to_association, acknowledgement = mail.outbox
        assert to_association.to == ["lille@afev.org"]
        assert to_association.reply_to == ["ines@example.org"]
        assert referral.reference in to_association.subject and "Inès" not in to_association.subject
        for expected in [
            "Prénom : Inès",
            "Âge : 16 ans",
            "Lycée général ou technologique",
            "mon orientation",
        ]:
            assert expected in to_association.body
        assert acknowledgement.to == ["ines@example.org"]
        assert acknowledgement.body.startswith("Bonjour Inès,")
        assert referral.reference in acknowledgement.subject
        assert (
            "12 mois" in acknowledgement.body and "/donnees-personnelles/" in acknowledgement.body
        )
        # Plain text, not HTML-escaped.
        assert "l’aide" in to_association.body and "&#" not in to_association.body

        page = client.get(SENT)
        assert page.status_code == 200
        words = page_text(page)
        assert f"Votre référence : {referral.reference}" in words
        assert "Et maintenant ?" in words and "Afev reçoit votre demande par courriel." in words
        assert "courriel de confirmation" in words
        assert "Inès" not in words and "ines@example.org" not in words
        # Logs name the request at most, never the person.
        assert "Inès" not in caplog.text and "ines@example.org" not in caplog.text

    def test_the_confirmation_is_only_for_the_browser_that_sent_the_request(self, client, seed):
        send(client)
        reference = Referral.objects.get().reference
        stranger = Client()
        assert stranger.get(SENT)["Location"] == reverse("orientation:index")
        assert reference not in stranger.get(SENT, follow=True).content.decode()

    def test_staff_follow_a_request_to_its_end(self, client, staff_client, staff_member, seed):
        send(client)
        run_tasks()
        referral = Referral.objects.get()
        url = reverse("admin:referrals_referral_change", args=[referral.pk])
        page = staff_client.get(url)
        assert page.status_code == 200
        assert "le site (automatique)" in page.content.decode()
        for status in [Status.TAKEN, Status.CLOSED]:
            data = form_data(staff_client.get(url))
            response = staff_client.post(url, {**data, "status": status, "staff_note": "Appelée."})
            assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.status == Status.CLOSED and referral.staff_note == "Appelée."
        assert referral.answered_at is not None and referral.closed_at is not None
        assert [(c.status, c.changed_by) for c in referral.status_changes.all()][2:] == [
            (Status.TAKEN, staff_member),
            (Status.CLOSED, staff_member),
        ]
        history = page_text(staff_client.get(url))
        assert "Prise en charge camille" in history and "Close camille" in history
        # What the person wrote cannot be changed by staff.
        staff_client.post(url, {**form_data(staff_client.get(url)), "first_name": "Autre"})
        referral.refresh_from_db()
        assert referral.first_name == "Inès"

    def test_requests_taken_on_fill_the_places(self, client, seed):
        la_cle = Association.objects.get(slug="la-cle")  # 10 places
        for _ in range(9):
            Referral.objects.create(**stored_request(la_cle, status=Status.TAKEN))
        page = reverse("associations:detail", args=["la-cle"])
        assert "Places disponibles dans la Cité éducative." in page_text(client.get(page))
        # The tenth: taken on in the admin, or counted by hand by staff.
        la_cle.places_adjustment = 1
        la_cle.save()
        words = page_text(client.get(page))
        assert "Liste d’attente : toutes les places de LA CLÉ" in words
        directory = client.get(reverse("associations:directory")).content.decode()
        assert '<dt>Places</dt><dd class="to-check">Liste d’attente</dd>' in directory
        # A volunteer's request holds no place; nor does a closed one.
        for referral in Referral.objects.filter(association=la_cle):
            referral.change_status(Status.CLOSED)
        assert "Places disponibles" in page_text(client.get(page))

    def test_a_capacity_that_is_a_floor_is_never_full(self, seed):
        article = Association.objects.get(slug="article-1")  # 200 or more
        article.places_adjustment = 500
        article.save()
        article = Association.objects.with_places().get(pk=article.pk)
        assert not article.has_waiting_list and article.places_label == "Places disponibles"
        unknown = AssociationFactory(roubaix_capacity=None, places_adjustment=99)
        unknown = Association.objects.with_places().get(pk=unknown.pk)
        assert not unknown.has_waiting_list and unknown.places_label == ""


# The form: pre-filled, checked, French messages next to each field, nothing lost.


class TestForm:
    def test_the_orientation_answers_prefill_the_form(self, client, seed):
        response = client.get(
            YOUNG_FORM,
            {
                "age": "12",
                "situation": "college",
                "besoins": ["confiance", "orientation"],
                "modalite": "distanciel",
                "situations_particulieres": "qpv",
                "inconnu": "<script>",
            },
        )
        assert response.status_code == 200
        assert response["Cache-Control"].startswith("max-age=0")
        html = response.content.decode()
        assertInHTML('<meta name="robots" content="noindex">', html)
        form = response.context["form"]
        assert form["age"].value() == 12
        assert form["situation"].value() == "college"
        assert form["message"].value() == (
            "Besoins\u00a0: confiance en soi et orientation.\n"
            "Rencontres de préférence à distance.\n"
            "Situation particulière\u00a0: jeunes habitant un quartier prioritaire (QPV)."
        )
        assertInHTML('<option value="college" selected>Collège</option>', html)
        assert "<script>" not in html

    def test_a_volunteer_is_prefilled_with_their_time(self, client, seed):
        response = client.get(
            VOLUNTEER_FORM,
            {"age": "20", "situation": "etudiant", **VOLUNTEER_TIME},
        )
        form = response.context["form"]
        assert form["situation"].value() == "etudiant"
        assert form["message"].value() == (
            "Je peux voir un jeune 1 fois par semaine, 2\u00a0h par rencontre, pendant une année "
            "scolaire."
        )
        assert "Devenir mentor avec Afev" in page_text(response)

    def test_invalid_answers_are_not_prefilled(self, client, seed):
        response = client.get(YOUNG_FORM, {"age": "99", "situation": "pirate", "besoins": "x"})
        form = response.context["form"]
        assert form["age"].value() is None and form["situation"].value() is None
        assert form["message"].value() == ""

    def test_each_result_leads_to_the_form_with_the_answers(self, client, seed):
        answers = {"qui": "parent", "age": "12", "situation": "college", "besoins": "confiance"}
        html = client.get(reverse("orientation:young"), {**answers, "page": "3"}).content.decode()
        link = f"{YOUNG_FORM}?qui=parent&amp;age=12&amp;situation=college&amp;besoins=confiance"
        assert f'<a class="button" href="{link}">Être mis en relation' in html
        volunteer = client.get(
            reverse("orientation:volunteer"),
            {"age": "40", "situation": "salarie", **VOLUNTEER_TIME},
        )
        assert re.search(
            r'<a class="button" href="/associations/[-\w]+/devenir-mentor/\?age=40&amp;situation='
            r'salarie&amp;rythme=1-par-semaine&amp;heures=2&amp;engagement=annee-scolaire">'
            r"Devenir mentor ici<span",
            volunteer.content.decode(),
        )

    def test_the_association_pages_offer_both_requests(self, client, seed):
        page = client.get(reverse("associations:detail", args=["afev"])).content.decode()
        assertInHTML(f'<a class="button" href="{YOUNG_FORM}">Être mis en relation</a>', page)
        assert f'href="{VOLUNTEER_FORM}">Devenir mentor ici</a>' in page
        directory = client.get(reverse("associations:directory")).content.decode()
        assert f'<a href="{YOUNG_FORM}">Être mis en relation<span' in directory
        assert "<dt>Places</dt><dd>Places disponibles</dd>" in directory

    def test_errors_are_french_next_to_each_field_and_keep_what_was_typed(self, client, seed):
        response = send(
            client,
            first_name="",
            email="pas-un-courriel",
            age="deux",
            situation="",
            consent=None,
            message="Je garde ce message.",
        )
        assert response.status_code == 200
        assert not Referral.objects.exists() and not mail.outbox
        html = response.content.decode()
        for field, message in {
            "first_name": "Indiquez un prénom.",
            "email": "Saisissez une adresse de courriel valide, par exemple nom@exemple.fr.",
            "age": "Indiquez un âge en chiffres, de 5 à 33\u00a0ans.",
            "situation": "Choisissez une situation dans la liste.",
            "consent": "Cochez cette case pour envoyer votre demande.",
        }.items():
            assertInHTML(
                f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>', html
            )
            assert f'href="#id_{field}"' in html  # the summary at the top leads to the field
        assert 'aria-invalid="true"' in html
        assert 'value="pas-un-courriel"' in html and "Je garde ce message." in html
        assert "<title>Erreur : " in html

    def test_an_email_or_a_phone_is_needed(self, client, seed, stored):
        response = send(client, email="")
        assert "Indiquez un courriel ou un téléphone : au moins l’un des deux." in page_text(
            response
        )
        response = send(client, email="", phone="+33 6 12 34 56 78")
        assert response.status_code == 302
        referral = Referral.objects.get()
        assert stored(referral, "phone") == "+33612345678"
        run_tasks()
        assert "Téléphone : 06 12 34 56 78\n" in mail.outbox[0].body
        # No e-mail address: no acknowledgement, and the page does not promise one.
        assert [message.to for message in mail.outbox] == [["lille@afev.org"]]
        assert mail.outbox[0].reply_to == []
        assert "Inès n’a pas donné de courriel : appelez au 06 12 34 56 78." in (
            mail.outbox[0].body
        )
        assert "courriel de confirmation" not in page_text(client.get(SENT))

    @pytest.mark.parametrize(
        ("typed", "kept", "shown"),
        [
            ("06 12 34 56 78", "+33612345678", "06 12 34 56 78"),
            ("06.12.34.56.78", "+33612345678", "06 12 34 56 78"),
            ("06-12-34-56-78", "+33612345678", "06 12 34 56 78"),
            ("0033 6 12 34 56 78", "+33612345678", "06 12 34 56 78"),
            ("+32 470 12 34 56", "+32470123456", "+32 470 12 34 56"),
            ("0032 470 12 34 56", "+32470123456", "+32 470 12 34 56"),
        ],
    )
    def test_french_and_belgian_phones_reach_the_association(
        self, client, seed, stored, typed, kept, shown
    ):
        assert send(client, phone=typed).status_code == 302
        assert stored(Referral.objects.get(), "phone") == kept
        run_tasks()
        assert f"Téléphone : {shown}\n" in mail.outbox[0].body

    @pytest.mark.parametrize(
        "typed",
        [
            "12",
            "3949",
            "06 12 34 56 7",
            "abcdefghij",
            "06 12 34 5A BC",
            "06 12 34 56 78 poste 2",
            "1" * 30,
            "+1 212 555 2368",
            "+44 20 7946 0958",
        ],
    )
    def test_a_bad_phone_number_is_refused_and_kept_as_typed(self, client, seed, typed):
        response = send(client, phone=typed)
        assert response.status_code == 200 and not Referral.objects.exists()
        html = response.content.decode()
        assert (
            '<ul class="errorlist" id="id_phone_error"><li>Indiquez un numéro de téléphone '
            "français ou belge, par exemple 06 12 34 56 78 ou +32 470 12 34 56.</li></ul>"
        ) in html
        assert f'value="{typed}"' in html

    def test_a_phone_longer_than_a_phone_number_is_refused(self, client, seed):
        response = send(client, phone="1" * 31)
        assert "Ce texte est trop long : 30 caractères au plus." in page_text(response)
        assert not Referral.objects.exists()

    def test_a_volunteer_request(self, client, seed):
        response = send(
            client,
            VOLUNTEER_FORM,
            **request_data(age="22", situation="etudiant", first_name="Marc"),
        )
        assert response.status_code == 302
        referral = Referral.objects.get()
        assert referral.kind == Seeker.VOLUNTEER
        assert referral.mentor_profile.slug == "etudiant" and referral.level is None
        run_tasks()
        assert "un bénévole veut devenir mentor" in mail.outbox[0].subject
        assert "et vous présenter la mission de mentor" in page_text(client.get(SENT))

    def test_unknown_association_is_404(self, client, seed):
        assert client.get(reverse("referrals:young", args=["inconnue"])).status_code == 404

    def test_a_full_association_says_it_before_the_form(self, client, seed):
        Association.objects.filter(slug="afev").update(places_adjustment=90)
        assert "votre demande sera inscrite sur sa liste d’attente" in page_text(
            client.get(YOUNG_FORM)
        )
        send(client)
        assert "votre demande est inscrite sur sa liste d’attente" in page_text(client.get(SENT))


# Under 15: a parent's name, contact and consent.


class TestUnder15:
    def test_a_child_needs_a_parent(self, client, seed):
        response = send(
            client, **child_data(parent_name="", parent_contact="", parent_consent=None)
        )
        assert response.status_code == 200 and not Referral.objects.exists()
        html = response.content.decode()
        for field, message in {
            "parent_name": "Avant 15\u00a0ans, indiquez le nom d’un parent.",
            "parent_contact": "Avant 15\u00a0ans, indiquez comment joindre un parent.",
            "parent_consent": "Avant 15\u00a0ans, un parent doit donner son accord.",
        }.items():
            assert f'id="id_{field}_error"><li>{message}</li>' in html
        assert 'value="Yanis"' in html

    @pytest.mark.parametrize("typed", ["chez nous", "12", "+44 20 7946 0958", "1" * 30])
    def test_a_parent_contact_must_be_an_email_or_a_phone(self, client, seed, typed):
        response = send(client, **child_data(parent_contact=typed))
        assert (
            "Indiquez un courriel (nom@exemple.fr) ou un numéro de téléphone français ou belge."
            in page_text(response)
        )
        assert not Referral.objects.exists()

    @pytest.mark.parametrize(
        ("typed", "kept", "shown"),
        [
            ("06 12 34 56 78", "+33612345678", "06 12 34 56 78"),
            ("+32 470 12 34 56", "+32470123456", "+32 470 12 34 56"),
            ("samira@example.org", "samira@example.org", "samira@example.org"),
        ],
    )
    def test_a_parent_phone_is_stored_in_e164_and_shown_as_written(
        self, client, seed, stored, typed, kept, shown
    ):
        response = send(client, **child_data(parent_contact=typed, phone="07 66 26 82 18"))
        assert response.status_code == 302
        assert stored(Referral.objects.get(), "parent_contact") == kept
        run_tasks()
        label = "Courriel" if "@" in typed else "Téléphone"
        assert f"  {label} : {shown}\n" in mail.outbox[0].body

    def test_the_association_answers_the_parent(self, client, seed):
        """Under 15 the parent is the person the association contacts, not the child."""
        data = child_data(email="yanis@example.org", phone="06 12 34 56 78")
        assert send(client, **data).status_code == 302
        referral = Referral.objects.get()
        assert referral.needs_parent and referral.parent_consent
        run_tasks()
        to_association, acknowledgement = mail.outbox
        assert to_association.to == ["lille@afev.org"]
        assert to_association.reply_to == ["samira@example.org"]  # never the child's address
        body = to_association.body
        assert (
            "À contacter : Samira Benali, parent de Yanis (moins de 15 ans : c’est au parent "
            "de répondre)\n  Courriel : samira@example.org\n  Accord du parent : oui"
        ) in body
        assert "Merci de prendre contact avec Samira Benali, parent de Yanis, dans" in body
        assert "Répondre à ce courriel écrit directement à samira@example.org." in body
        assert "Coordonnées du jeune (contactez d’abord son parent)" in body
        # The acknowledgement goes to the parent first, and to the child who gave an address.
        assert acknowledgement.to == ["samira@example.org", "yanis@example.org"]
        assert acknowledgement.body.startswith("Bonjour Samira Benali,")
        assert "avec Afev pour Yanis est bien reçue" in acknowledgement.body

    def test_a_parent_with_a_phone_only_is_called_and_the_child_is_not_written_to(
        self, client, seed
    ):
        data = child_data(email="yanis@example.org", parent_contact="06 98 76 54 32")
        assert send(client, **data).status_code == 302
        run_tasks()
        (to_association, acknowledgement) = mail.outbox
        assert to_association.reply_to == []
        assert "À contacter : Samira Benali, parent de Yanis" in to_association.body
        assert "  Téléphone : 06 98 76 54 32" in to_association.body
        assert "Le parent n’a pas donné de courriel : appelez-le au 06 98 76 54 32." in (
            to_association.body
        )
        # The child gave an address: they are told, greeted as the parent's request.
        assert acknowledgement.to == ["yanis@example.org"]
        assert acknowledgement.body.startswith("Bonjour Samira Benali,")

    def test_without_any_address_no_acknowledgement_leaves(self, client, seed):
        send(client, **child_data(parent_contact="06 98 76 54 32", phone="06 12 34 56 78"))
        run_tasks()
        assert [message.to for message in mail.outbox] == [["lille@afev.org"]]
        assert "courriel de confirmation" not in page_text(client.get(SENT))

    def test_the_database_refuses_a_child_without_a_parent(self, seed):
        with pytest.raises(IntegrityError):
            Referral.objects.create(**stored_request(Association.objects.get(slug="afev"), age=12))

    def test_at_15_no_parent_is_needed(self, client, seed):
        assert send(client, age="15").status_code == 302


# Nothing lost: the request is saved first; a failed e-mail is flagged and tried again.


def test_a_failed_email_keeps_the_request_and_is_tried_again(client, seed, settings, caplog):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_referrals.FailingBackend"}}
    response = send(client)
    assert response.status_code == 302
    words = page_text(client.get(SENT))
    assert "courriel de confirmation qui vous est envoyé dans quelques minutes" in words
    with caplog.at_level(logging.INFO):
        run_tasks()
    referral = Referral.objects.get()
    assert referral.status == Status.NEW and referral.email_failed_at is not None
    assert referral.association_notified_at is None and referral.acknowledged_at is None
    assert (referral.email_attempts, referral.email_claimed_at) == (1, None)
    assert list(Referral.objects.awaiting_emails()) == [referral]
    assert referral.reference in caplog.text and "SMTPConnectError" in caplog.text
    assert "ines@example.org" not in caplog.text  # the server's message is not logged
    # Tried again a minute later, then later and later (5 retries), then left to staff.
    assert not DBTaskResult.objects.ready().exists()  # not right away
    for delay in tasks.RETRY_DELAYS:
        planned = DBTaskResult.objects.get(status="READY")
        expected = timezone.now() + timedelta(seconds=delay)
        assert abs((planned.run_after - expected).total_seconds()) < 5
        _time_passes()
        assert run_tasks() == 1
    referral.refresh_from_db()
    assert referral.email_attempts == len(tasks.RETRY_DELAYS) + 1
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no more retries
    assert not mail.outbox and list(Referral.objects.awaiting_emails()) == [referral]

    # The server is back; staff try again from the admin: queued, then sent once.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with after_commit():
        Referral.objects.filter(pk=referral.pk).update(email_attempts=0)
        tasks.enqueue_emails(referral.pk)
    run_tasks()
    referral.refresh_from_db()
    assert referral.status == Status.SENT and referral.acknowledged_at is not None
    assert referral.email_failed_at is None  # cleared once everything has left
    assert [message.to for message in mail.outbox] == [["lille@afev.org"], ["ines@example.org"]]
    assert not Referral.objects.awaiting_emails().exists()
    # A task for a request with nothing left to send sends nothing.
    with after_commit():
        tasks.enqueue_emails(referral.pk)
    run_tasks()
    assert len(mail.outbox) == 2


def _time_passes():
    """The retries planned for later are due now."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


class TestConfirmedRecipients:
    def test_an_unconfirmed_address_receives_nothing_the_collectif_forwards(
        self, client, staff_client, seed
    ):
        association = AssociationFactory(levels=[Level.objects.get(slug="lycee")])
        ContactFactory(association=association, email="peut-etre@example.org")
        url = reverse("referrals:young", args=[association.slug])
        assert "qui les transmet à " + association.name in page_text(client.get(url))
        send(client, url)
        assert "L’équipe de la Cité éducative transmet votre demande" in page_text(client.get(SENT))
        run_tasks()
        referral = Referral.objects.get()
        to_collective, acknowledgement = mail.outbox
        assert to_collective.to == ["roubaix@collectifmentorat.fr"]
        assert to_collective.reply_to == ["ines@example.org"]
        assert to_collective.subject == (
            f"À transmettre à {association.name} : mise en relation {referral.reference}"
        )
        assert "n’a pas encore de courriel confirmé" in to_collective.body
        assert f"/admin/referrals/referral/{referral.pk}/change/" in to_collective.body
        assert "Prénom : Inès" in to_collective.body
        assert "L’équipe de la Cité éducative transmet votre demande" in acknowledgement.body
        all_recipients = [address for message in mail.outbox for address in message.to]
        assert "peut-etre@example.org" not in all_recipients
        # "À transmettre": not "transmise", no longer waiting for an e-mail, first for staff.
        assert referral.status == Status.NEW and referral.is_to_forward
        assert not Referral.objects.awaiting_emails().exists()
        assert list(Referral.objects.to_forward()) == [referral]
        older = Referral.objects.create(**stored_request(association, first_name="Plus ancienne"))
        Referral.objects.filter(pk=older.pk).update(
            created_at=timezone.now() - timedelta(days=3), acknowledged_at=timezone.now()
        )
        changelist = reverse("admin:referrals_referral_changelist")
        listed = staff_client.get(changelist).context["cl"].result_list
        assert [r.pk for r in listed][:1] == [referral.pk]  # before a newer one, if any
        assert [
            r.pk
            for r in staff_client.get(changelist, {"a-transmettre": "oui"})
            .context["cl"]
            .result_list
        ] == [referral.pk]
        # Staff pass it on by phone and move it on.
        referral.change_status(Status.SENT)
        assert not Referral.objects.to_forward().exists()

    def test_anaf_never_receives_anything_nor_shows_afevs_address(self, client, seed):
        """The brochure printed Afev's address on ANAF's page: seeded unconfirmed, withheld."""
        anaf = Association.objects.with_details().get(slug="anaf")
        (contact,) = anaf.contacts.all()
        assert contact.email == "lille@afev.org" and not contact.email_is_confirmed
        assert contact.email_withheld
        page = client.get(reverse("associations:detail", args=["anaf"]))
        assert "mailto:lille@afev.org" not in page.content.decode()
        assert "Courriel en cours de vérification" in page_text(page)
        send(client, reverse("referrals:young", args=["anaf"]))
        run_tasks()
        recipients = [address for message in mail.outbox for address in message.to]
        assert "lille@afev.org" not in recipients
        assert mail.outbox[0].to == ["roubaix@collectifmentorat.fr"]
        assert Referral.objects.get().is_to_forward

    def test_no_brochure_address_is_confirmed_by_the_seed(self, db):
        call_command("seed", verbosity=0)
        assert not Contact.objects.receiving_requests().exists()

    def test_without_any_address_the_request_waits_for_staff(self, client, seed):
        Collective.objects.filter(pk=1).update(contact_email="")
        association = AssociationFactory(levels=[Level.objects.get(slug="lycee")])
        ContactFactory(association=association, email="")
        send(client, reverse("referrals:young", args=[association.slug]))
        run_tasks()
        referral = Referral.objects.get()
        assert referral.status == Status.NEW and referral.awaits_association_email
        assert referral.email_failed_at is not None
        assert [message.to for message in mail.outbox] == [["ines@example.org"]]
        # Nothing a retry could fix: none is planned, staff see it waiting.
        assert not DBTaskResult.objects.filter(status="READY").exists()
        # Transmitted by phone: staff move it on; it no longer waits for an e-mail.
        referral.change_status(Status.SENT)
        assert not Referral.objects.awaiting_emails().exists()


# One request per submission: the form's one-time token.


def token_of(response):
    return re.search(r'name="submission_token" value="([^"]+)"', response.content.decode())[1]


class TestOneRequestPerSubmission:
    def test_a_double_click_or_a_reload_makes_one_request(self, client, seed):
        token = token_of(client.get(YOUNG_FORM))
        first = send(client, submission_token=token)
        again = send(client, submission_token=token, message="Renvoyé par le navigateur.")
        assert first["Location"] == again["Location"] == SENT
        referral = Referral.objects.get()
        assert referral.submission_token == token
        assert referral.message == request_data()["message"]
        assert DBTaskResult.objects.count() == 1
        assert f"Votre référence : {referral.reference}" in page_text(client.get(SENT))
        run_tasks()
        assert len(mail.outbox) == 2  # one e-mail to the association, one acknowledgement

    def test_the_same_confirmation_even_from_a_lost_session(self, client, seed):
        token = token_of(client.get(YOUNG_FORM))
        send(client, submission_token=token)
        other = Client()
        response = send(other, submission_token=token)
        assert response["Location"] == SENT and Referral.objects.count() == 1
        assert Referral.objects.get().reference in page_text(other.get(SENT))

    def test_two_posts_at_the_same_moment_make_one_request(self, client, seed, monkeypatch):
        """The other post saved it between this one's check and its save: the unique
        column refuses the second, and the visitor sees the first's confirmation."""
        token = token_of(client.get(YOUNG_FORM))
        send(Client(), submission_token=token)
        real, calls = views.already_sent, []

        def not_yet_the_first_time(*arguments):
            calls.append(arguments)
            return real(*arguments) if len(calls) > 1 else None

        monkeypatch.setattr(views, "already_sent", not_yet_the_first_time)
        response = send(client, submission_token=token)
        assert len(calls) == 2  # before the save, and after the database refused it
        assert response["Location"] == SENT and Referral.objects.count() == 1
        assert Referral.objects.get().reference in page_text(client.get(SENT))

    def test_each_form_has_its_own_token_and_an_error_keeps_it(self, client, seed):
        token = token_of(client.get(YOUNG_FORM))
        assert token != token_of(client.get(YOUNG_FORM))
        assert token_of(send(client, submission_token=token, email="")) == token

    @pytest.mark.parametrize("token", ["", "court", "x" * 65, "<script>", ["a" * 30, "b" * 30]])
    def test_a_missing_or_odd_token_loses_nothing(self, client, seed, token):
        response = send(client, submission_token=token)
        assert response.status_code == 302
        assert Referral.objects.get().submission_token is None


# Professionals who accompany a young person: the referent.

PROFESSIONAL = {
    "is_professional": "on",
    "referent_structure": "Mission locale de Roubaix",
    "referent_email": "conseiller@ml-roubaix.example.org",
}


class TestProfessional:
    def test_the_referent_is_in_the_email_the_reply_and_the_admin(self, client, staff_client, seed):
        assert send(client, **PROFESSIONAL).status_code == 302
        referral = Referral.objects.get()
        assert referral.is_professional
        assert referral.referent_email == "conseiller@ml-roubaix.example.org"
        run_tasks()
        to_association, acknowledgement = mail.outbox
        assert to_association.reply_to == ["ines@example.org", "conseiller@ml-roubaix.example.org"]
        assert (
            "Demande faite par un professionnel qui accompagne le jeune (le référent) :\n"
            "  Structure : Mission locale de Roubaix\n"
            "  Courriel professionnel : conseiller@ml-roubaix.example.org"
        ) in to_association.body
        assert acknowledgement.to == ["ines@example.org", "conseiller@ml-roubaix.example.org"]
        page = staff_client.get(reverse("admin:referrals_referral_change", args=[referral.pk]))
        words = page_text(page)
        assert "Professionnel qui accompagne le jeune (référent)" in words
        assert "Mission locale de Roubaix" in words
        found = staff_client.get(reverse("admin:referrals_referral_changelist"), {"q": "mission"})
        assert list(found.context["cl"].result_list) == [referral]

    def test_their_work_email_is_enough_to_be_reached(self, client, seed):
        assert send(client, email="", **PROFESSIONAL).status_code == 302
        run_tasks()
        assert mail.outbox[0].reply_to == ["conseiller@ml-roubaix.example.org"]

    def test_structure_and_work_email_are_required_once_chosen(self, client, seed):
        response = send(client, is_professional="on")
        assert response.status_code == 200 and not Referral.objects.exists()
        html = response.content.decode()
        for field, message in {
            "referent_structure": "Indiquez le nom de votre structure.",
            "referent_email": "Indiquez votre courriel professionnel.",
        }.items():
            assertInHTML(
                f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>', html
            )
        response = send(client, **{**PROFESSIONAL, "referent_email": "pas-un-courriel"})
        assert "Saisissez une adresse de courriel valide" in page_text(response)

    def test_not_chosen_what_was_typed_makes_no_referent(self, client, seed):
        data = {**PROFESSIONAL, "is_professional": None, "referent_email": "pas-un-courriel"}
        assert send(client, **data).status_code == 302
        referral = Referral.objects.get()
        assert (referral.referent_structure, referral.referent_email) == ("", "")

    def test_a_volunteer_form_has_no_such_choice(self, client, seed):
        html = client.get(VOLUNTEER_FORM).content.decode()
        assert "Je suis un professionnel" not in html
        assert "Je suis un professionnel qui accompagne ce jeune" in (
            client.get(YOUNG_FORM).content.decode()
        )


# Spam and abuse.


class TestAbuse:
    def test_five_requests_an_hour_from_one_address(self, client, seed, settings):
        for _ in range(settings.REFERRAL_RATE_LIMIT):
            assert send(client).status_code == 302
        response = send(client, message="La sixième.")
        assert response.status_code == 429
        assert "Trop de demandes ont été envoyées depuis cette connexion" in page_text(response)
        assert "La sixième." in response.content.decode()  # kept, to send later
        assert Referral.objects.count() == settings.REFERRAL_RATE_LIMIT
        # Another address is not blocked.
        assert Client(REMOTE_ADDR="192.0.2.7").post(YOUNG_FORM, request_data()).status_code == 302
        # The cache holds a keyed hash of the address, never the address itself.
        counter = ratelimit.key(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1"))
        assert cache.get(counter) == settings.REFERRAL_RATE_LIMIT + 1
        assert re.fullmatch(r"referrals:ratelimit:[0-9a-f]{32}", counter)

    def test_a_professional_asks_for_several_young_people(self, client, seed, settings):
        """A centre social, a CPE or a Mission locale counsellor, from one address."""
        settings.REFERRAL_RATE_LIMIT_PROFESSIONAL = 8
        professional = {
            "is_professional": "on",
            "referent_structure": "Centre social Fontaine",
            "referent_email": "conseillere@cs-fontaine.example.org",
        }
        for index in range(8):
            response = send(client, first_name=f"Jeune{index}", **professional)
            assert response.status_code == 302, index
        assert send(client, **professional).status_code == 429
        assert send(client).status_code == 429  # and the public limit is long passed
        assert Referral.objects.filter(referent_structure="Centre social Fontaine").count() == 8

    def test_invalid_forms_do_not_count(self, client, seed, settings):
        settings.REFERRAL_RATE_LIMIT = 1
        for _ in range(3):
            send(client, email="")
        assert send(client).status_code == 302

    def test_a_robot_filling_the_hidden_field_sends_nothing(self, client, seed, caplog):
        with caplog.at_level(logging.INFO):
            response = send(client, telecopie="+33 3 20 00 00 00")
        assert response.status_code == 200
        assert not Referral.objects.exists() and not mail.outbox
        assert "Votre demande n’a pas pu être envoyée" in page_text(response)
        assert "champ piège" in caplog.text
        html = client.get(YOUNG_FORM).content.decode()
        assert '<div class="referral-trap" aria-hidden="true">' in html
        assert 'tabindex="-1"' in html

    def test_a_form_without_its_csrf_token_is_a_french_403(self, seed):
        response = Client(enforce_csrf_checks=True).post(YOUNG_FORM, request_data())
        assert response.status_code == 403
        assertInHTML("<h1>Formulaire expiré</h1>", response.content.decode())
        assert not Referral.objects.exists()

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            (
                {"first_name": "A" * 5000},
                "first_name",
                "Ce texte est trop long : 60 caractères au plus.",
            ),
            (
                {"message": "m" * 2001},
                "message",
                "Ce texte est trop long : 2000 caractères au plus.",
            ),
            ({"email": "a" * 300 + "@example.org"}, "email", None),
            (
                {"first_name": "In\x00ès"},
                "first_name",
                "Ce texte contient des caractères non autorisés.",
            ),
            (
                {"message": "ligne\x1b[31m"},
                "message",
                "Ce texte contient des caractères non autorisés.",
            ),
            (
                {"first_name": ["Inès", "Marc"]},
                "first_name",
                "Une seule réponse est possible pour ce champ.",
            ),
            ({"age": ["16", "12"]}, "age", "Une seule réponse est possible pour ce champ."),
            ({"age": "1e309"}, "age", "Indiquez un âge en chiffres, de 5 à 33 ans."),
            ({"age": "-1"}, "age", "Indiquez un âge en chiffres, de 5 à 33 ans."),
            ({"situation": "<script>alert(1)</script>"}, "situation", "Ce choix n’existe pas"),
            ({"parent_contact": "x" * 300}, "parent_contact", "trop long"),
        ],
    )
    def test_hostile_fields_get_a_message_never_a_500(self, client, seed, changes, field, message):
        response = send(client, **request_data(**changes))
        assert response.status_code == 200
        assert not Referral.objects.exists()
        assert f'id="id_{field}_error"' in response.content.decode()
        if message:
            assert message in page_text(response)
        assert "<script>alert(1)</script>" not in response.content.decode()

    # The request form is screened as the questionnaires are (core.forms): each value
    # refused before its field reads it, or the database sees it.
    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"age": "1" * 10_000}, "age", "Cette réponse est trop longue."),
            ({"situation": "x" * 5_000}, "situation", "Cette réponse est trop longue."),
            ({"situation": "college\x00"}, "situation", "Ce texte contient des caractères"),
            ({"consent": ["on", "on"]}, "consent", "Une seule réponse est possible pour ce champ."),
            ({"email": "ines@example.org\x0b"}, "email", "Ce texte contient des caractères"),
            ({"phone": ["0612345678"] * 60}, "phone", "Une seule réponse est possible"),
        ],
    )
    def test_hostile_values_are_refused_before_any_field_reads_them(
        self, client, seed, changes, field, message
    ):
        with CaptureQueriesContext(connection) as queries:
            response = send(client, **request_data(**changes))
        assert response.status_code == 200 and not Referral.objects.exists()
        assert list(response.context["form"].errors) == [field]
        html = response.content.decode()
        assert re.search(rf'<ul class="errorlist" id="id_{field}_error"><li>{message}', html)
        sent = changes[field] if isinstance(changes[field], str) else changes[field][0]
        if len(sent) > MAX_LENGTH:  # never read, so never in a query
            assert not any(sent[:50] in query["sql"] for query in queries.captured_queries)

    def test_a_refused_message_is_shown_again_to_be_corrected(self, client, seed):
        # A line break typed in Word and pasted is a vertical tab: refused, not lost.
        message = "Bonjour,\x0bje voudrais un mentor."
        response = send(client, message=message)
        assert "Ce texte contient des caractères non autorisés." in page_text(response)
        assert response.context["form"]["message"].value() == message

    def test_line_breaks_and_tabs_are_fine_in_the_message_only(self, client, seed):
        assert send(client, message="Bonjour,\r\n\tmerci.").status_code == 302
        assert Referral.objects.get().message == "Bonjour,\r\n\tmerci."
        response = send(client, first_name="Inès\tMarie")
        assert list(response.context["form"].errors) == ["first_name"]

    def test_a_form_given_a_dictionary_is_screened_too(self, seed):
        form = FORMS[Seeker.YOUNG_PERSON](
            request_data(first_name="In\x00ès", age=["16", "17"]),
            association=Association.objects.get(slug="afev"),
        )
        assert form.errors == {
            "first_name": ["Ce texte contient des caractères non autorisés."],
            "age": ["Une seule réponse est possible pour ce champ."],
        }

    def test_a_script_as_a_name_is_stored_as_text_and_never_run(self, client, staff_client, seed):
        script = "<script>alert(1)</script>"
        assert send(client, first_name=script[:60], message=script).status_code == 302
        referral = Referral.objects.get()
        assert referral.first_name == script
        run_tasks()
        assert script in mail.outbox[0].body  # plain text: shown, not run
        page = staff_client.get(reverse("admin:referrals_referral_change", args=[referral.pk]))
        assert script not in page.content.decode()
        assert "&lt;script&gt;" in page.content.decode()

    @pytest.mark.parametrize(
        ("content_type", "body"),
        [
            ("application/json", b'{"first_name": "In\\u00e8s", "age": 16}'),
            ("text/plain", b"first_name=Ines"),
            ("application/x-www-form-urlencoded; charset=nonexistent", b"first_name=In%E8s"),
            ("multipart/form-data; boundary=xyz", b"--xyz\r\n\r\n--xyz--"),
        ],
    )
    def test_wrong_content_types_never_cause_a_server_error(self, client, seed, content_type, body):
        response = client.generic("POST", YOUNG_FORM, body, content_type=content_type)
        assert response.status_code in {200, 400}
        assert not Referral.objects.exists()

    def test_a_huge_body_is_refused(self, client, seed):
        response = client.post(YOUNG_FORM, request_data(message="m" * 3_000_000))
        assert response.status_code == 400

    def test_other_methods_are_refused(self, client, seed):
        assert client.put(YOUNG_FORM).status_code == 405
        assert client.post(SENT).status_code == 405


FIELDS = [
    "first_name",
    "email",
    "phone",
    "age",
    "situation",
    "message",
    "parent_name",
    "parent_contact",
    "parent_consent",
    "consent",
    "telecopie",
]
hostile = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["\x00", "<script>alert(1)</script>", "9" * 40, "NaN", "%00", "é" * 3000]),
)


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(changes=st.dictionaries(st.sampled_from(FIELDS), st.lists(hostile, max_size=3), max_size=5))
def test_random_forms_never_cause_a_server_error(client, seed, settings, changes):
    settings.REFERRAL_RATE_LIMIT = 1000  # every example from the same address
    data = {**request_data(), **changes}
    response = client.post(YOUNG_FORM, data)
    assert response.status_code in {200, 302}
    assert b"<script>alert(1)</script>" not in response.content


# Query counts: fixed, whatever the number of associations and requests.


class TestQueryCount:
    def test_the_form_costs_fixed_queries(self, client, seed, django_assert_num_queries):
        # The association with its places (1), the directory's age bounds (1, one
        # aggregate) and the levels of the list (1).
        with django_assert_num_queries(3):
            client.get(YOUNG_FORM)
        # Pre-filled: the answers are checked (the age bounds again, level, needs,
        # audiences: 4) first.
        with django_assert_num_queries(7):
            client.get(
                YOUNG_FORM,
                {
                    "age": "12",
                    "situation": "college",
                    "besoins": "confiance",
                    "situations_particulieres": "qpv",
                },
            )

    def test_sending_costs_fixed_queries(self, client, seed, django_assert_num_queries):
        # The association, with its places and whether it has a confirmed address (1), the
        # levels of the list (1) and the directory's age bounds (1); the referent and
        # under-15 rules checked by the database (2); the request and its history (2);
        # the session (2); its e-mails queued (1): no e-mail is sent here. Each atomic
        # block (the two checks, the request, the session) adds SAVEPOINT and RELEASE
        # inside the test's transaction (4 × 2). Then the confirmation page reads the session (1).
        with django_assert_num_queries(18):
            assert send(client).status_code == 302
        with django_assert_num_queries(1):
            client.get(SENT)


# The admin: the team sees and updates, never deletes.


class TestAdmin:
    @pytest.fixture
    def referrals(self, seed):
        afev, proxite = Association.objects.filter(slug__in=["afev", "proxite"]).order_by("name")
        made = []
        for index in range(6):
            referral = Referral.objects.create(
                **stored_request(
                    afev if index % 2 else proxite,
                    kind=Seeker.VOLUNTEER if index == 5 else Seeker.YOUNG_PERSON,
                    first_name=f"Prénom{index}",
                    phone="0612345678" if index == 0 else "",
                    parent_contact="+32470123456" if index == 4 else "",
                )
            )
            made.append(referral)
        made[1].change_status(Status.TAKEN)
        Referral.objects.filter(pk=made[1].pk).update(acknowledged_at=timezone.now())
        Referral.objects.filter(pk=made[2].pk).update(
            created_at=timezone.now() - timedelta(days=62)
        )
        return made

    def changelist(self, client, **query):
        response = client.get(reverse("admin:referrals_referral_changelist"), query)
        assert response.status_code == 200
        return sorted(referral.first_name for referral in response.context["cl"].result_list)

    def test_filters_and_search(self, staff_client, referrals):
        afev = Association.objects.get(slug="afev")
        assert self.changelist(staff_client, association__id__exact=afev.pk) == [
            "Prénom1",
            "Prénom3",
            "Prénom5",
        ]
        assert self.changelist(staff_client, status__exact=Status.TAKEN) == ["Prénom1"]
        assert self.changelist(staff_client, kind__exact=Seeker.VOLUNTEER) == ["Prénom5"]
        month = timezone.localdate(timezone.now() - timedelta(days=62))
        assert self.changelist(staff_client, mois=f"{month:%Y-%m}") == ["Prénom2"]
        assert self.changelist(staff_client, mois="2026-99") == [f"Prénom{i}" for i in range(6)]
        assert self.changelist(staff_client, courriels="en-attente") == [
            f"Prénom{i}" for i in range(6) if i != 1
        ]
        assert self.changelist(staff_client, q=referrals[3].reference.lower()) == ["Prénom3"]

    @pytest.mark.parametrize(
        ("typed", "found"),
        [
            ("06 12 34 56 78", ["Prénom0"]),
            ("0612345678", ["Prénom0"]),
            ("06.12.34.56.78", ["Prénom0"]),
            ("+33 6 12 34 56 78", ["Prénom0"]),
            ("+33612345678", ["Prénom0"]),
            ("0033 6 12 34 56 78", ["Prénom0"]),
            ("+32 470 12 34 56", ["Prénom4"]),  # a parent's number
            ("0032470123456", ["Prénom4"]),
            ("06 12 34 56 79", []),
            ("0470 12 34 56", []),  # French, not the Belgian number
        ],
    )
    def test_a_phone_number_is_found_however_it_is_typed(
        self, staff_client, referrals, typed, found
    ):
        assert self.changelist(staff_client, q=typed) == found

    def test_staff_read_the_phones_as_written(self, staff_client, referrals):
        for referral, shown in [
            (referrals[0], "06 12 34 56 78"),
            (referrals[4], "+32 470 12 34 56"),
        ]:
            url = reverse("admin:referrals_referral_change", args=[referral.pk])
            words = page_text(staff_client.get(url))
            assert shown in words
            assert "+33612345678" not in words and "+32470123456" not in words

    def test_the_changelist_costs_fixed_queries(
        self, staff_client, referrals, django_assert_num_queries
    ):
        url = reverse("admin:referrals_referral_changelist")
        # session, user, permissions (2), the months (1), the associations (1), count (2),
        # the page with associations and situations (1).
        with django_assert_num_queries(9) as few:
            staff_client.get(url)
        for referral in referrals:
            for _ in range(4):
                Referral.objects.create(**stored_request(referral.association))
        with django_assert_num_queries(len(few.captured_queries)):
            staff_client.get(url)

    def test_a_request_page_costs_fixed_queries(
        self, staff_client, staff_member, referrals, django_assert_num_queries
    ):
        referral = referrals[0]
        url = reverse("admin:referrals_referral_change", args=[referral.pk])
        staff_client.get(url)  # the content type of the history's links, cached after
        # session, user, permissions (2), the request with its association and situation
        # (1), its history with the staff accounts (1).
        with django_assert_num_queries(6):
            staff_client.get(url)
        for status in [Status.SENT, Status.TAKEN, Status.CLOSED, Status.NEW, Status.DROPPED]:
            referral.change_status(status, by=staff_member)
        with django_assert_num_queries(6):
            staff_client.get(url)

    def test_the_team_can_neither_add_nor_delete(self, staff_client, staff_member, referrals):
        assert staff_member.has_perm("referrals.change_referral")
        assert not staff_member.has_perm("referrals.delete_referral")
        assert not staff_member.has_perm("referrals.add_referral")
        referral = referrals[0]
        assert staff_client.get(reverse("admin:referrals_referral_add")).status_code == 403
        delete = reverse("admin:referrals_referral_delete", args=[referral.pk])
        assert staff_client.post(delete, {"post": "yes"}).status_code == 403
        response = staff_client.get(reverse("admin:referrals_referral_changelist"))
        assert "delete_selected" not in response.content.decode()
        assert Referral.objects.filter(pk=referral.pk).exists()

    def test_anonymise_and_resend_actions(self, staff_client, referrals):
        url = reverse("admin:referrals_referral_changelist")
        first = referrals[3]  # to Afev
        with after_commit():
            response = staff_client.post(
                url, {"action": "resend_emails", "_selected_action": [first.pk]}, follow=True
            )
        # The page queues the request; the worker sends.
        assert "1 demande(s) remise(s) dans la file d’envoi" in page_text(response)
        assert not mail.outbox
        run_tasks()
        first.refresh_from_db()
        assert first.status == Status.SENT and len(mail.outbox) == 2
        # An open request is not anonymised; a closed one is, once confirmed.
        staff_client.post(
            url, {"action": "anonymise", "_selected_action": [first.pk], "post": "oui"}
        )
        first.refresh_from_db()
        assert not first.is_anonymised
        first.change_status(Status.CLOSED)
        staff_client.post(
            url, {"action": "anonymise", "_selected_action": [first.pk], "post": "oui"}
        )
        first.refresh_from_db()
        assert first.is_anonymised and first.first_name == "" and first.email == ""
        assert first.reference and first.status == Status.CLOSED

    def test_association_admin_shows_and_adjusts_the_places(self, staff_client, seed):
        afev = Association.objects.get(slug="afev")
        url = reverse("admin:associations_association_change", args=[afev.pk])
        assert "0 sur 90 jeunes : places disponibles" in page_text(staff_client.get(url))
        changelist = page_text(
            staff_client.get(reverse("admin:associations_association_changelist"))
        )
        assert "0 sur 90 jeunes : places disponibles" in changelist


# Statistics: counts only, for staff.


class TestStatistics:
    URL = reverse("admin:referrals_referral_statistics")

    def test_only_the_team_sees_them(self, staff_client, django_user_model):
        assert Client().get(self.URL).status_code == 302  # to the login page
        outsider = django_user_model.objects.create_user("dominique", is_staff=True)
        other = Client()
        other.force_login(outsider)
        assert other.get(self.URL).status_code == 403
        assert staff_client.get(self.URL).status_code == 200
        index = staff_client.get(reverse("admin:index")).content.decode()
        assertInHTML(f'<a href="{self.URL}">Statistiques des mises en relation</a>', index)
        assert (
            Group.objects.get(name=STAFF_GROUP)
            .permissions.filter(codename="view_statistics")
            .exists()
        )

    def test_requests_searches_and_unmet_needs(self, client, staff_client, seed):
        afev = Association.objects.get(slug="afev")
        taken = Referral.objects.create(**stored_request(afev))
        Referral.objects.filter(pk=taken.pk).update(created_at=timezone.now() - timedelta(days=3))
        taken.refresh_from_db()
        taken.change_status(Status.TAKEN)
        Referral.objects.create(**stored_request(afev, kind=Seeker.VOLUNTEER, first_name="Marc"))
        # Searches: twice the same, one without result, one where every match is full.
        young = reverse("orientation:young")
        for _ in range(2):
            client.get(young, {"qui": "parent", "age": "12", "situation": "college"})
        client.get(young, {"qui": "jeune", "age": "29", "situation": "maternelle"})
        lycee_pro = {"qui": "jeune", "age": "16", "situation": "lycee-pro"}
        matches = client.get(young, lycee_pro).context["outcome"]
        for match in matches.matches:  # staff say they are full, in the admin
            edit(match.association, places_adjustment=1000, roubaix_capacity_is_minimum=False)
        client.get(young, lycee_pro)

        page = staff_client.get(self.URL)
        words = page_text(page)
        assert "2 demandes : 1 de jeunes ou de parents, 1 de bénévoles" in words
        assert "(prise en charge, close ou sans suite) : 3,0 jours" in words
        # Association, young, volunteers, total, taken on, finished, unanswered, median days.
        assert "Afev 1 1 2 1 0 1 3,0" in words
        searched, unmet = words.split("Besoins non couverts")
        assert "Âge Réponse Recherches 12 2 16 2 29 1" in searched
        assert "Collège 2" in searched
        assert "Pour qui : C’est pour moi · Âge : 29 · Situation : École maternelle 1" in unmet
        assert "Pour qui : C’est pour moi · Âge : 16 · Situation : Lycée professionnel 1" in unmet
        assert "Inès" not in words and "lea@example.org" not in words and "Marc" not in words

    def test_csv_exports(self, staff_client, client, seed):
        Referral.objects.create(**stored_request(Association.objects.get(slug="afev")))
        client.get(
            reverse("orientation:volunteer"),
            {"age": "40", "situation": "salarie", **VOLUNTEER_TIME},
        )
        requests = staff_client.get(reverse("admin:referrals_referral_statistics_referrals_csv"))
        content = requests.content.decode("utf-8-sig").splitlines()
        assert requests["Content-Type"] == "text/csv; charset=utf-8"
        assert requests.content.startswith(b"\xef\xbb\xbf")
        assert content[0].startswith("mois;association;demande_de;demandes;")
        assert f"{timezone.localdate():%Y-%m};Afev;Jeune ou parent;1;0;0;1;" in content[1]
        assert "lea@example.org" not in requests.content.decode()
        searches = staff_client.get(reverse("admin:referrals_referral_statistics_searches_csv"))
        rows = searches.content.decode("utf-8-sig").splitlines()
        assert rows[0] == (
            "semaine;lundi;questionnaire;criteres;recherches;sans_resultat;seulement_completes"
        )
        assert (
            "Bénévole;Âge\u00a0: 40 · Situation\u00a0: Salarié ou salariée · Rythme\u00a0: 1 fois"
            in rows[1]
        )
        assert rows[1].endswith(";1;0;0")

    def test_the_questions_and_their_words_come_from_the_forms(self, staff_client, seed):
        from orientation.models import WeeklySearch

        # An answer that the vocabularies no longer know, and a question the forms no
        # longer ask, from an older week: shown as saved, and left out, never an error.
        WeeklySearch.objects.record(
            Seeker.VOLUNTEER,
            {"age": 30, "situation": "ancien-profil", "modalite": "distanciel", "ancienne": 1},
            found=0,
            found_with_places=0,
        )
        words = page_text(staff_client.get(self.URL))
        assert "Situation Réponse Recherches ancien-profil 1" in words
        assert "Rencontres Réponse Recherches À distance 1" in words
        assert "Âge : 30 · Situation : ancien-profil · Rencontres : À distance 1" in words
        assert "ancienne" not in words
        searches = staff_client.get(reverse("admin:referrals_referral_statistics_searches_csv"))
        assert searches["Content-Disposition"] == (
            'attachment; filename="recherches-orientation-par-semaine.csv"'
        )
        row = searches.content.decode("utf-8-sig").splitlines()[1]
        assert row.endswith(
            f";Bénévole;Âge{NBSP}: 30 · Situation{NBSP}: ancien-profil · Rencontres{NBSP}: "
            "À distance;1;1;0"
        )

    def test_the_page_costs_fixed_queries(self, staff_client, seed, django_assert_num_queries):
        afev = Association.objects.get(slug="afev")
        # session, user, permissions (2), requests (1), awaiting e-mails (1), requests sent
        # again by status (1), searches (1), and each vocabulary named in the searches.
        with django_assert_num_queries(8):
            staff_client.get(self.URL)
        for _ in range(20):
            Referral.objects.create(**stored_request(afev))
        with django_assert_num_queries(8):
            staff_client.get(self.URL)


# What the orientation counts: criteria and week, nothing else.


class TestSearchCounts:
    def test_a_search_is_counted_by_week_and_criteria(self, client, seed):
        from orientation.models import WeeklySearch, week_of

        young = reverse("orientation:young")
        answers = {
            "qui": "parent",
            "age": "12",
            "situation": "college",
            "besoins": ["orientation", "confiance"],
        }
        client.get(young, answers)
        client.get(young, {**answers, "besoins": ["confiance", "orientation"]})  # same answers
        client.get(young, {"age": "douze"})  # invalid: no search
        client.head(young, answers)  # HEAD: not a search
        client.get(reverse("orientation:api_young"), answers)  # the API is not counted
        (row,) = WeeklySearch.objects.all()
        assert row.week == week_of(timezone.localdate()) and row.week.weekday() == 0
        assert row.seeker == Seeker.YOUNG_PERSON
        assert row.answers == {
            "qui": "parent",
            "age": 12,
            "besoins": ["confiance", "orientation"],
            "situation": "college",
        }
        assert (row.searches, row.without_result, row.only_full) == (2, 0, 0)
        # No other column: no address, no time, no session.
        assert {field.name for field in WeeklySearch._meta.fields} == {
            "id",
            "week",
            "seeker",
            "criteria",
            "searches",
            "without_result",
            "only_full",
        }

    def test_full_associations_come_last_for_a_young_person(self, client, seed):
        answers = {"qui": "parent", "age": "12", "situation": "college"}
        first = client.get(reverse("orientation:young"), answers).context["outcome"].matches
        edit(first[0].association, places_adjustment=1000, roubaix_capacity_is_minimum=False)
        response = client.get(reverse("orientation:young"), answers)
        matches = response.context["outcome"].matches
        assert matches[-1].association == first[0].association and matches[-1].waiting_list
        assert (
            "Liste d’attente : toutes ses places dans la Cité éducative sont prises"
            in page_text(response)
        )
        assert "les listes d’attente en dernier." in (page_text(response))


# Retention.


class TestRetention:
    def test_requests_are_anonymised_after_the_retention_period(self, seed, settings):
        afev = Association.objects.get(slug="afev")
        now = timezone.now()
        old = Referral.objects.create(**stored_request(afev, first_name="Ancienne"))
        old.change_status(Status.CLOSED)
        recent = Referral.objects.create(**stored_request(afev, first_name="Récente"))
        recent.change_status(Status.DROPPED)
        forgotten = Referral.objects.create(**stored_request(afev, first_name="Oubliée"))
        ongoing = Referral.objects.create(**stored_request(afev, first_name="En cours"))
        ongoing.change_status(Status.TAKEN)
        Referral.objects.filter(pk=old.pk).update(closed_at=months_before(now, 13))
        Referral.objects.filter(pk=recent.pk).update(closed_at=months_before(now, 11))
        Referral.objects.filter(pk=forgotten.pk).update(status_changed_at=months_before(now, 25))
        Referral.objects.filter(pk=ongoing.pk).update(status_changed_at=months_before(now, 11))

        call_command("purge_referrals", "--dry-run")
        assert Referral.objects.filter(anonymised_at__isnull=False).count() == 0
        call_command("purge_referrals")
        kept = set(
            Referral.objects.filter(anonymised_at__isnull=True).values_list("first_name", flat=True)
        )
        assert kept == {"Récente", "En cours"}
        for referral in Referral.objects.filter(anonymised_at__isnull=False):
            assert (referral.first_name, referral.email, referral.phone, referral.age) == (
                "",
                "",
                "",
                None,
            )
            assert referral.message == referral.parent_name == referral.parent_contact == ""
        # What statistics count is kept: association, kind, status, dates, history.
        assert Referral.objects.count() == 4 and StatusChange.objects.count() == 7

        settings.REFERRAL_RETENTION_MONTHS = 6
        call_command("purge_referrals")
        kept = set(
            Referral.objects.filter(anonymised_at__isnull=True).values_list("first_name", flat=True)
        )
        assert kept == {"En cours"}

    def test_months_before_keeps_the_end_of_a_short_month(self):
        moment = timezone.now().replace(year=2026, month=3, day=31)
        assert months_before(moment, 1).date().isoformat() == "2026-02-28"
        assert months_before(moment, 12).date().isoformat() == "2025-03-31"


# References.


def test_references_are_short_readable_and_redrawn_when_taken(seed, monkeypatch):
    afev = Association.objects.get(slug="afev")
    first = Referral.objects.create(**stored_request(afev))
    drawn = iter([first.reference, "MR-2345-6789"])
    monkeypatch.setattr(referral_models, "new_reference", lambda: next(drawn))
    second = Referral.objects.create(**stored_request(afev))
    assert second.reference == "MR-2345-6789"


def test_the_privacy_page_says_what_is_kept_and_for_how_long(client, seed, settings):
    words = page_text(client.get(reverse("pages:privacy")))
    assert "aucun cookie pour les visiteurs" not in words
    assert "Qui le reçoit : l’association choisie" in words
    assert "12 mois après la fin du suivi de la demande (close ou sans suite), ou 24 mois" in words
    assert "sans adresse IP" in words


def test_session_data_holds_no_personal_data(client, seed):
    send(client)
    assert set(client.session[SESSION_KEY]) == {
        "reference",
        "association",
        "association_url",
        "volunteer",
        "confirmation_email",
        "through_collective",
        "waiting_list",
    }
    assert "Inès" not in str(client.session[SESSION_KEY])
