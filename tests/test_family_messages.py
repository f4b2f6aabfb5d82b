"""The family hears of each answer (issue 12): taken in charge, declined, expired — and,
when declined or expired, the associations that fit the same answers, each with a link
that sends the same request again, pre-filled."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from associations.models import Contact
from core.french import long_date
from orientation.forms import YoungPersonForm
from referrals import alternatives, family
from referrals.models import Referral

from .helpers import ANSWER_LINK, after_commit, path_of, request_data, run_tasks

pytestmark = pytest.mark.django_db

YOUNG_FORM = reverse("referrals:young", args=["afev"])
ANSWERS = "qui=jeune&age=16&situation=lycee&besoins=orientation"


@pytest.fixture
def seed(seed):
    Contact.objects.filter(association__slug="afev").update(email_confirmed_at=timezone.now())


def request_from_the_orientation(client, query=ANSWERS, **changes):
    """The family follows a result's link to the form, and sends it."""
    form = client.get(f"{YOUNG_FORM}?{query}")
    hidden = form.context["orientation_answers"]
    with after_commit():
        client.post(YOUNG_FORM, {**request_data(**changes), "reponses": hidden})
    run_tasks()
    (link,) = ANSWER_LINK.findall(mail.outbox[0].body)
    mail.outbox.clear()
    return Referral.objects.get(), path_of(link)


def answer(client, path, **data):
    with after_commit():
        client.post(path, data)
    run_tasks()


class TestTakenInCharge:
    def test_the_family_knows_when_the_association_calls(self, client, seed):
        referral, path = request_from_the_orientation(client)
        answer(client, path, answer="prise-en-charge")
        (to_family,) = mail.outbox
        assert to_family.to == ["ines@example.org"]
        assert to_family.subject == f"Votre demande {referral.reference} : Afev vous contacte"
        by = long_date(timezone.localdate() + timedelta(days=family.CONTACT_DAYS))
        assert f"Afev vous contactera avant le {by}, par courriel ou par téléphone." in (
            to_family.body
        )
        assert "roubaix@collectifmentorat.fr" in to_family.body
        referral.refresh_from_db()
        assert referral.family_informed_at is not None and not referral.family_update_due
        # Never twice, whatever runs again.
        assert family.inform(referral.pk) is False
        assert len(mail.outbox) == 1

    def test_with_a_first_meeting(self, client, seed):
        referral, path = request_from_the_orientation(client)
        day = timezone.localdate() + timedelta(days=3)
        answer(client, path, answer="prise-en-charge", first_meeting_on=day.isoformat())
        assert f"Un premier rendez-vous est prévu le {long_date(day)}." in mail.outbox[0].body

    def test_already_in_contact_sends_nothing(self, client, seed):
        referral, path = request_from_the_orientation(client)
        answer(client, path, answer="deja-en-contact")
        assert not mail.outbox

    def test_a_child_s_parent_is_told(self, client, seed):
        referral, path = request_from_the_orientation(
            client,
            "qui=parent&age=12&situation=college",
            age="12",
            situation="college",
            email="",
            phone="0612345678",
            parent_name="Samia",
            parent_contact="samia@example.org",
            parent_consent="on",
        )
        answer(client, path, answer="prise-en-charge")
        (to_family,) = mail.outbox
        assert to_family.to == ["samia@example.org"]
        assert to_family.body.startswith("Bonjour Samia,")
        assert "pour Inès" in to_family.body


class TestDeclined:
    def test_the_family_gets_the_associations_that_fit_the_same_answers(self, client, seed):
        referral, path = request_from_the_orientation(client)
        assert referral.orientation_answers == ANSWERS
        answer(client, path, answer="ne-peut-pas", decline_reason="complet")
        (to_family,) = mail.outbox
        assert to_family.to == ["ines@example.org"]
        assert (
            "Afev ne peut pas donner suite à votre demande de mise en relation : toutes ses "
            in (to_family.body)
        )
        links = re.findall(r"^- (.+) : https?://\S+?(/associations/\S+)$", to_family.body, re.M)
        assert 1 <= len(links) <= alternatives.PROPOSED
        # The orientation's own ranking for the same answers, Afev left out.
        questionnaire = YoungPersonForm(QueryDict(ANSWERS))
        assert questionnaire.is_valid()
        ranked = [
            m.association.name
            for m in questionnaire.questionnaire()
            .evaluate(referral.association.__class__.objects.all(), per_page=50)
            .matches
            if m.association.slug != "afev"
        ]
        assert [name for name, _ in links] == ranked[: len(links)]
        assert "Afev" not in [name for name, _ in links]
        for _name, link in links:
            assert link.endswith(f"/mise-en-relation/?{ANSWERS}&suite=1")
        # The link opens the other association's form with the same answers.
        form = client.get(links[0][1])
        assert form.status_code == 200
        assert form.context["form"]["age"].value() == 16
        assert form.context["form"]["situation"].value() == "lycee"
        assert form.context["orientation_answers"] == ANSWERS
        # Sent, it is counted as a request sent again, and where it ends.
        mail.outbox.clear()
        with after_commit():
            client.post(
                links[0][1].split("?")[0],
                {**request_data(), "reponses": ANSWERS, "suite": "1"},
            )
        resent = Referral.objects.get(resent=True)
        assert resent.association.name == links[0][0]
        assert resent.orientation_answers == ANSWERS
        assert not Referral.objects.get(pk=referral.pk).resent
        # Nothing personal in the links: the answers only.
        assert "ines" not in to_family.body.split("Pour envoyer", 1)[1].lower().split("--")[0]

    def test_another_reason_is_not_passed_on_to_the_family(self, client, seed):
        referral, path = request_from_the_orientation(client)
        answer(
            client,
            path,
            answer="ne-peut-pas",
            decline_reason="autre",
            decline_detail="La maman nous a paru réticente.",
        )
        body = mail.outbox[0].body
        assert "réticente" not in body
        assert "Afev ne peut pas donner suite à votre demande de mise en relation." in body

    def test_a_request_made_without_the_orientation_is_matched_on_age_and_situation(
        self, client, seed
    ):
        with after_commit():
            client.post(YOUNG_FORM, request_data())
        run_tasks()
        (link,) = ANSWER_LINK.findall(mail.outbox[0].body)
        mail.outbox.clear()
        referral = Referral.objects.get()
        assert referral.orientation_answers == ""
        answer(client, path_of(link), answer="ne-peut-pas", decline_reason="hors_public")
        body = mail.outbox[0].body
        assert "elle n’accompagne pas ce public" in body
        assert "/mise-en-relation/?qui=jeune&age=16&situation=lycee&suite=1" in body

    @pytest.mark.parametrize(
        "posted",
        ["age=pirate", "x" * 2000, "age=16&age=17", "situation=<script>", "\x00"],
    )
    def test_hostile_answers_posted_back_are_dropped(self, client, seed, posted):
        with after_commit():
            response = client.post(YOUNG_FORM, {**request_data(), "reponses": posted})
        assert response.status_code == 302
        assert Referral.objects.get().orientation_answers == ""

    def test_without_any_fitting_association_the_orientation_is_proposed(
        self, client, seed, monkeypatch
    ):
        referral, path = request_from_the_orientation(client)
        monkeypatch.setattr(family, "alternatives", lambda referral: [])
        answer(client, path, answer="ne-peut-pas", decline_reason="complet")
        assert "Pour trouver une autre association qui vous correspond : " in mail.outbox[0].body
        assert "/orientation/" in mail.outbox[0].body

    def test_a_family_with_a_phone_only_gets_no_email(self, client, seed):
        referral, path = request_from_the_orientation(client, email="", phone="0612345678")
        answer(client, path, answer="ne-peut-pas", decline_reason="complet")
        assert not mail.outbox
        referral.refresh_from_db()
        assert referral.family_informed_at is None

    def test_a_failed_message_is_due_again(self, client, seed, settings):
        referral, path = request_from_the_orientation(client)
        settings.MAILERS = {"default": {"BACKEND": "tests.test_referrals.FailingBackend"}}
        answer(client, path, answer="ne-peut-pas", decline_reason="complet")
        referral.refresh_from_db()
        assert referral.family_update_due and referral.family_informed_at is None
