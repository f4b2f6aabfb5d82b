"""An association's intake status (issue 12): said by staff or by the association, dated,
shown on the public fiche, and read by the orientation's ranking and words."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from associations.models import Association, Contact, Intake
from core.french import long_date

from .helpers import after_commit, page_text, request_with_link, run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(seed):
    Contact.objects.filter(association__slug="afev").update(email_confirmed_at=timezone.now())


def afev():
    return Association.objects.with_places().get(slug="afev")


class TestSaying:
    def test_a_change_is_dated_and_said_by_staff(self, seed):
        association = Association.objects.get(slug="afev")
        assert association.intake == "" and association.intake_set_on is None
        association.intake = Intake.WAITING_LIST
        association.intake_waiting_weeks = 6
        association.save()
        association = afev()
        assert association.intake_set_on == timezone.localdate()
        assert not association.intake_set_by_association
        assert association.intake_label == "Liste d’attente (environ 6\u00a0semaines)"
        assert association.has_waiting_list and association.places_label == association.intake_label
        # Another field saved: the date stays.
        Association.objects.filter(pk=association.pk).update(
            intake_set_on=timezone.localdate() - timedelta(days=9)
        )
        association = Association.objects.get(slug="afev")
        association.summary = "Autre résumé."
        association.save()
        association.refresh_from_db()
        assert association.intake_set_on == timezone.localdate() - timedelta(days=9)

    def test_staff_set_it_in_the_admin(self, seed, staff_client):
        association = Association.objects.get(slug="afev")
        url = reverse("admin:associations_association_change", args=[association.pk])
        page = staff_client.get(url)
        assert "Accueil de nouvelles demandes" in page_text(page)
        form = page.context["adminform"].form
        assert "intake" in form.fields and "intake_waiting_weeks" in form.fields

    def test_the_public_fiche_says_it_with_its_date(self, client, seed):
        association = Association.objects.get(slug="afev")
        association.set_intake(Intake.CLOSED)
        words = page_text(client.get(association.get_absolute_url()))
        today = long_date(timezone.localdate())
        assert f"Ne prend pas de demande en ce moment, indiqué le {today}." in words
        association.set_intake(Intake.OPEN)
        words = page_text(client.get(association.get_absolute_url()))
        assert f"Accueille de nouveaux jeunes, indiqué le {today}." in words
        assert "Liste d’attente" not in words

    def test_an_association_that_says_it_takes_new_youth_is_not_a_waiting_list(self, seed):
        association = Association.objects.get(slug="afev")
        Association.objects.filter(pk=association.pk).update(
            roubaix_capacity=1, roubaix_capacity_is_minimum=False, places_adjustment=5
        )
        assert afev().has_waiting_list
        association.refresh_from_db()
        association.set_intake(Intake.OPEN)
        assert not afev().has_waiting_list


class TestOrientation:
    def ranked(self, client):
        response = client.get(
            reverse("orientation:young"), {"qui": "jeune", "age": "16", "situation": "lycee"}
        )
        return response, [m.association.slug for m in response.context["outcome"].matches]

    def test_waiting_lists_then_those_taking_none_come_last_with_their_words(self, client, seed):
        _, before = self.ranked(client)
        assert len(before) >= 3
        first, second = before[0], before[1]
        Association.objects.get(slug=first).set_intake(Intake.CLOSED)
        Association.objects.get(slug=second).set_intake(Intake.WAITING_LIST, weeks=4)
        response, after = self.ranked(client)
        assert after[-2:] == [second, first]
        words = page_text(response)
        today = long_date(timezone.localdate())
        assert f"Liste d’attente (environ 4 semaines) : indiqué le {today}" in words
        assert f"Ne prend pas de demande en ce moment : indiqué le {today}" in words


class TestDeclinedAsFull:
    def test_the_association_is_offered_to_say_it_on_its_fiche(self, client, seed):
        referral, path = request_with_link(client)
        with after_commit():
            client.post(path, {"answer": "ne-peut-pas", "decline_reason": "complet"})
        run_tasks()
        page = client.get(path)
        assert "Votre association est complète. Que doit dire sa fiche publique ?" in page_text(
            page
        )
        bad = client.post(path, {"intake": "liste_attente", "weeks": "99"})
        assert bad.status_code == 200 and "Entre 1 et 52" in page_text(bad)
        assert client.post(path, {"intake": "liste_attente", "weeks": "8"}).status_code == 302
        association = afev()
        assert association.intake == Intake.WAITING_LIST
        assert association.intake_waiting_weeks == 8 and association.intake_set_by_association
        assert association.intake_set_on == timezone.localdate()
        page = client.get(path)
        assert "Que doit dire sa fiche" not in page_text(page)
        assert "La fiche de Afev dit désormais" in page_text(page)
        # Said once: the form is gone, a new post changes nothing.
        client.post(path, {"intake": "ferme"})
        assert afev().intake == Intake.WAITING_LIST
        assert mail.outbox  # the family was told, with other associations

    def test_another_reason_proposes_nothing(self, client, seed):
        referral, path = request_with_link(client)
        with after_commit():
            client.post(path, {"answer": "ne-peut-pas", "decline_reason": "injoignable"})
        assert "Que doit dire sa fiche" not in page_text(client.get(path))
        client.post(path, {"intake": "ferme"})
        assert afev().intake == ""
