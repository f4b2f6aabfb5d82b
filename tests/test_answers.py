"""The association answers a request through its personal link (issue 12).

The link comes in the request e-mail; the page shows the request and three answers;
the status changes at once, recorded as made by the association. Altered links are
404, used and expired ones a clear French page, never a 500.
"""

import time
import types
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from associations.models import Contact
from referrals import answers
from referrals.models import DeclineReason, Referral, Status

from .helpers import (
    ANSWER_LINK,
    after_commit,
    form_data,
    page_text,
    path_of,
    request_data,
    request_with_link,
    run_tasks,
)

pytestmark = pytest.mark.django_db

YOUNG_FORM = reverse("referrals:young", args=["afev"])


@pytest.fixture
def seed(seed):
    """The brochure, and staff have confirmed Afev's address (the brochure's are not)."""
    Contact.objects.filter(association__slug="afev").update(email_confirmed_at=timezone.now())


def answer(client, path, **data):
    with after_commit():
        return client.post(path, data)


class TestTheLink:
    def test_the_request_email_carries_a_personal_link_with_nothing_personal(self, client, seed):
        with after_commit():
            client.post(YOUNG_FORM, request_data())
        run_tasks()
        to_association = mail.outbox[0]
        (link,) = ANSWER_LINK.findall(to_association.body)
        assert "valable 30 jours" in to_association.body
        referral = Referral.objects.get()
        # Signed, names the request only: no name, address, age nor situation in it.
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert signing.loads(token, salt=answers.SALT) == [referral.pk, referral.reference]
        for personal in ["Ines", "Inès", "ines", "example.org", "16", "lycee"]:
            assert personal not in token
        # The acknowledgement to the family does not carry it.
        assert not ANSWER_LINK.findall(mail.outbox[1].body)

    def test_the_page_shows_the_request_and_three_answers(self, client, seed, caplog):
        referral, path = request_with_link(client)
        response = client.get(path)
        # The link is a key: the request log shows where, never the key.
        token = path.rstrip("/").rsplit("/", 1)[1]
        assert "/mise-en-relation/reponse/[clé]/ 200" in caplog.text
        assert token not in caplog.text
        assert response.status_code == 200
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cache-Control"].startswith("max-age=0")
        html = response.content.decode()
        assert '<meta name="robots" content="noindex">' in html
        words = page_text(response)
        assert f"Demande {referral.reference} pour Afev" in words
        assert "Inès" in words and "ines@example.org" in words
        for choice in ["Nous prenons en charge", "Nous ne pouvons pas", "Déjà en contact"]:
            assert choice in words
        for reason in ["Complet pour le moment", "Hors de notre public", "Personne injoignable"]:
            assert reason in words

    @pytest.mark.parametrize(
        "token",
        [
            "x",
            "WzEsIk1SLTIyMjItMjIyMiJd:1vQ:abc",
            "' OR 1=1 --",
            "%00",
            "a" * 300,
        ],
    )
    def test_an_altered_link_is_404(self, client, seed, token):
        response = client.get(f"/mise-en-relation/reponse/{token}/")
        assert response.status_code == 404
        assert client.post(f"/mise-en-relation/reponse/{token}/", {}).status_code == 404

    def test_a_link_signed_for_something_else_or_for_another_request_is_404(self, client, seed):
        referral, path = request_with_link(client)
        other_salt = signing.dumps([referral.pk, referral.reference], salt="autre")
        assert client.get(reverse("referrals:answer", args=[other_salt])).status_code == 404
        wrong_reference = signing.dumps([referral.pk, "MR-2222-2222"], salt=answers.SALT)
        assert client.get(reverse("referrals:answer", args=[wrong_reference])).status_code == 404
        odd_payload = signing.dumps({"id": referral.pk}, salt=answers.SALT)
        assert client.get(reverse("referrals:answer", args=[odd_payload])).status_code == 404
        # A token whose last character is changed.
        token = path.rstrip("/").rsplit("/", 1)[1]
        tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert client.get(reverse("referrals:answer", args=[tampered])).status_code == 404

    def test_an_expired_link_says_so_with_the_collectifs_contact(self, client, seed, monkeypatch):
        referral, path = request_with_link(client)
        later = time.time() + timedelta(days=answers.LINK_DAYS, hours=1).total_seconds()
        monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: later))
        response = client.get(path)
        assert response.status_code == 410
        words = page_text(response)
        assert "Ce lien a expiré" in words and "roubaix@collectifmentorat.fr" in words
        assert "Inès" not in words
        assert answer(client, path, answer="prise-en-charge").status_code == 410
        referral.refresh_from_db()
        assert referral.status == Status.SENT


class TestTheAnswers:
    def test_taken_in_charge_with_a_first_meeting(self, client, seed):
        referral, path = request_with_link(client)
        day = timezone.localdate() + timedelta(days=5)
        response = answer(client, path, answer="prise-en-charge", first_meeting_on=day.isoformat())
        assert response.status_code == 302 and response["Location"] == path
        referral.refresh_from_db()
        assert referral.status == Status.TAKEN and referral.first_meeting_on == day
        assert referral.answered_at is not None
        last = referral.status_changes.last()
        assert (last.previous_status, last.status, last.changed_by) == (
            Status.SENT,
            Status.TAKEN,
            None,
        )
        assert last.by_association and last.author == "l’association (lien personnel)"
        # The link is used: a clear page, nothing personal, no second answer.
        page = client.get(path)
        assert page.status_code == 200
        words = page_text(page)
        assert "Réponse enregistrée" in words and "« Prise en charge »" in words
        assert "Inès" not in words and "roubaix@collectifmentorat.fr" in words
        answer(client, path, answer="ne-peut-pas", decline_reason="complet")
        referral.refresh_from_db()
        assert referral.status == Status.TAKEN and referral.status_changes.count() == 3

    def test_declined_with_a_reason(self, client, seed):
        referral, path = request_with_link(client)
        answer(client, path, answer="ne-peut-pas", decline_reason="hors_public")
        referral.refresh_from_db()
        assert referral.status == Status.DECLINED
        assert referral.decline_reason == DeclineReason.OUT_OF_SCOPE
        assert referral.closed_at is not None
        assert referral.status_changes.last().by_association

    def test_another_reason_needs_a_few_words_kept_until_anonymised(self, client, seed):
        referral, path = request_with_link(client)
        response = answer(client, path, answer="ne-peut-pas", decline_reason="autre")
        assert response.status_code == 200
        assert "Précisez la raison en quelques mots." in page_text(response)
        answer(
            client,
            path,
            answer="ne-peut-pas",
            decline_reason="autre",
            decline_detail="  Nous fermons en juin.  ",
        )
        referral.refresh_from_db()
        assert (referral.status, referral.decline_detail) == (
            Status.DECLINED,
            "Nous fermons en juin.",
        )
        Referral.objects.filter(pk=referral.pk).anonymise()
        referral.refresh_from_db()
        assert referral.decline_detail == ""
        assert referral.decline_reason == DeclineReason.OTHER  # counted by the statistics
        assert "Cette demande est close" in page_text(client.get(path))

    def test_already_in_contact_keeps_the_link_open_for_the_outcome(self, client, seed):
        referral, path = request_with_link(client)
        answer(client, path, answer="deja-en-contact")
        referral.refresh_from_db()
        assert referral.status == Status.IN_CONTACT and referral.answered_at is not None
        page = client.get(path)
        assert page.status_code == 200
        assert "Vous avez indiqué être déjà en contact." in page_text(page)
        again = answer(client, path, answer="deja-en-contact")
        assert again.status_code == 200
        answer(client, path, answer="prise-en-charge")
        referral.refresh_from_db()
        assert referral.status == Status.TAKEN
        assert [c.status for c in referral.status_changes.all()] == [
            Status.NEW,
            Status.SENT,
            Status.IN_CONTACT,
            Status.TAKEN,
        ]

    @pytest.mark.parametrize(
        "data, field, message",
        [
            ({}, "answer", "Choisissez une réponse."),
            ({"answer": "oui-merci"}, "answer", "Choisissez une réponse."),
            ({"answer": ["prise-en-charge", "ne-peut-pas"]}, "answer", "Une seule réponse"),
            ({"answer": "ne-peut-pas"}, "decline_reason", "Choisissez la raison."),
            (
                {"answer": "ne-peut-pas", "decline_reason": "pirate"},
                "decline_reason",
                "Choisissez une des raisons proposées.",
            ),
            (
                {"answer": "prise-en-charge", "first_meeting_on": "31/02/2026"},
                "first_meeting_on",
                "Indiquez une date",
            ),
            (
                {"answer": "prise-en-charge", "first_meeting_on": "2999-01-01"},
                "first_meeting_on",
                "dans l’année qui vient",
            ),
            (
                {"answer": "ne-peut-pas", "decline_reason": "autre", "decline_detail": "x\x00"},
                "decline_detail",
                "caractères non autorisés",
            ),
            (
                {"answer": "ne-peut-pas", "decline_reason": "autre", "decline_detail": "x" * 301},
                "decline_detail",
                "300",
            ),
        ],
    )
    def test_hostile_or_incomplete_answers_get_a_french_message(
        self, client, seed, data, field, message, caplog
    ):
        referral, path = request_with_link(client)
        response = answer(client, path, **data)
        # Shown again with its errors; no log line carries the link's key.
        assert response.status_code == 200
        assert path.rstrip("/").rsplit("/", 1)[1] not in caplog.text
        assert message in " ".join(response.context["form"].errors[field])
        referral.refresh_from_db()
        assert referral.status == Status.SENT

    def test_a_request_staff_closed_takes_no_answer(self, client, seed, staff_member):
        referral, path = request_with_link(client)
        referral.change_status(Status.CLOSED, by=staff_member)
        assert "Réponse enregistrée" in page_text(client.get(path))
        answer(client, path, answer="prise-en-charge")
        referral.refresh_from_db()
        assert referral.status == Status.CLOSED

    def test_a_request_forwarded_by_the_collectif_carries_the_link_too(self, client, seed):
        Contact.objects.filter(association__slug="afev").update(email_confirmed_at=None)
        with after_commit():
            client.post(YOUNG_FORM, request_data())
        run_tasks()
        to_collective = mail.outbox[0]
        assert to_collective.to == ["roubaix@collectifmentorat.fr"]
        (link,) = ANSWER_LINK.findall(to_collective.body)
        path = path_of(link)
        answer(client, path, answer="prise-en-charge")
        assert Referral.objects.get().status == Status.TAKEN

    def test_the_page_reads_a_constant_number_of_queries(
        self, client, seed, django_assert_num_queries
    ):
        referral, path = request_with_link(client)
        # The request with its association, level and profile; the Collectif; the session.
        with django_assert_num_queries(2):
            client.get(path)
        assert referral


class TestStatistics:
    def test_answer_rate_declines_and_their_reasons(self, client, seed, staff_client):
        referral, path = request_with_link(client)
        answer(client, path, answer="ne-peut-pas", decline_reason="complet")
        page = staff_client.get(reverse("admin:referrals_referral_statistics"))
        words = page_text(page)
        # Association, young, volunteers, total, taken, finished, unanswered, median,
        # answer rate, declined.
        assert "Afev 1 0 1 0 1 0 moins d’un jour 100 % 1" in words
        assert "Raisons des refus" in words and "Complet pour le moment 1" in words
        assert "Aucune demande renvoyée sur la période." in words
        Referral.objects.filter(pk=referral.pk).update(resent=True)
        words = page_text(staff_client.get(reverse("admin:referrals_referral_statistics")))
        assert "et où elles en sont Statut Demandes Déclinée par l’association 1" in words
        csv = staff_client.get(reverse("admin:referrals_referral_statistics_referrals_csv"))
        lines = csv.content.decode("utf-8-sig").splitlines()
        assert lines[0].endswith(";taux_de_reponse_pourcent;declinees")
        assert lines[1].endswith(";100;1")


class TestStaffTransitions:
    def test_reopening_a_finished_request_needs_a_reason(self, client, seed, staff_client):

        referral, path = request_with_link(client)
        answer(client, path, answer="ne-peut-pas", decline_reason="hors_public")
        url = reverse("admin:referrals_referral_change", args=[referral.pk])
        data = {**form_data(staff_client.get(url)), "status": Status.NEW}
        refused = staff_client.post(url, data)
        assert refused.status_code == 200
        assert "Pour rouvrir une demande terminée, dites pourquoi dans la note de l’équipe." in (
            page_text(refused)
        )
        referral.refresh_from_db()
        assert referral.status == Status.DECLINED
        reason = {**data, "staff_note": "La famille rappelle : autre antenne possible."}
        assert staff_client.post(url, reason).status_code == 302
        referral.refresh_from_db()
        assert referral.status == Status.NEW
        assert referral.status_changes.last().changed_by.username == "camille"
