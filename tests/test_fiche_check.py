"""Each association checks its own fiche once a month through a personal link (issue 12)."""

import re
import time
import types
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from associations import fiche_check
from associations.models import Association, Contact, Intake
from core.french import long_date

from .helpers import page_text

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+?(/fiche/verifier/[^\s/]+/)")


def send():
    out = StringIO()
    call_command("send_fiche_checks", stdout=out)
    return out.getvalue().strip()


def afev_link():
    message = next(m for m in mail.outbox if m.to == ["lille@afev.org"])
    (path,) = LINK.findall(message.body)
    return message, path


class TestTheMonthlyLink:
    def test_each_address_gets_its_link_once_a_month(self, seed):
        report = send()
        message, path = afev_link()
        assert message.subject == "Mentorat Roubaix : la fiche de Afev est-elle à jour ?"
        token = path.rstrip("/").rsplit("/", 1)[1]
        contact = Contact.objects.get(association__slug="afev", email="lille@afev.org")
        assert signing.loads(token, salt=fiche_check.SALT) == [contact.association_id, contact.pk]
        assert "lille" not in token and "afev" not in token
        sent = len(mail.outbox)
        assert report.endswith(f"Courriels envoyés : {sent}.")
        # A withheld address (ANAF's, copied from Afev's) gets no link for ANAF's fiche.
        for withheld in Contact.objects.filter(email_withheld=True).exclude(email=""):
            name = withheld.association.name
            assert not [m for m in mail.outbox if name in m.subject and withheld.email in m.to]
        mail.outbox.clear()
        assert send() == "Associations : 0. Courriels envoyés : 0."
        assert not mail.outbox

    def test_the_page_confirms_the_address_and_dates_the_check(self, client, seed):
        send()
        _, path = afev_link()
        page = client.get(path)
        assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
        words = page_text(page)
        assert "La fiche de Afev est-elle à jour ?" in words
        assert "Capacité dans la Cité éducative 90 jeunes" in words
        assert "lille@afev.org est bien une adresse de Afev" in words
        client.get(reverse("opendata:data_inclusion_services"))  # cached before the check
        response = client.post(
            path, {"confirm_email": "on", "intake": "liste_attente", "weeks": "3"}
        )
        assert response.status_code == 302
        contact = Contact.objects.get(association__slug="afev", email="lille@afev.org")
        assert contact.email_is_confirmed and contact.email_confirmed_by is None
        afev = Association.objects.get(slug="afev")
        assert afev.checked_by_association_on == timezone.localdate()
        assert (afev.intake, afev.intake_waiting_weeks) == (Intake.WAITING_LIST, 3)
        assert afev.intake_set_by_association
        assert "Merci !" in page_text(client.get(response["Location"]))
        fiche = page_text(client.get(afev.get_absolute_url()))
        today = long_date(timezone.localdate())
        assert f"Informations vérifiées par l’association le {today}" in fiche
        # The open data say the fiche was verified today (date_maj), at once.
        exported = client.get(reverse("opendata:data_inclusion_services")).json()
        (afev_service,) = [service for service in exported if service["structure_id"] == "afev"]
        assert afev_service["date_maj"] == timezone.localdate().isoformat()

    def test_tout_est_a_jour_alone_changes_nothing_else(self, client, seed):
        send()
        _, path = afev_link()
        client.post(path, {})
        afev = Association.objects.get(slug="afev")
        assert afev.checked_by_association_on == timezone.localdate() and afev.intake == ""
        assert not Contact.objects.get(email="lille@afev.org", association=afev).email_is_confirmed

    @pytest.mark.parametrize("token", ["x", "' OR 1=1", "a" * 200])
    def test_an_altered_link_is_404(self, client, seed, token):
        assert client.get(reverse("associations:fiche_check", args=[token])).status_code == 404

    def test_a_request_link_is_not_a_fiche_link(self, client, seed):
        contact = Contact.objects.filter(association__slug="afev").first()
        other = signing.dumps([contact.association_id, contact.pk], salt="referrals.answer-link")
        assert client.get(reverse("associations:fiche_check", args=[other])).status_code == 404

    def test_an_expired_link_says_so(self, client, seed, monkeypatch):
        send()
        _, path = afev_link()
        later = time.time() + timedelta(days=fiche_check.LINK_DAYS, hours=1).total_seconds()
        monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: later))
        response = client.get(path)
        assert response.status_code == 410 and "Ce lien a expiré" in page_text(response)

    def test_hostile_answers_get_a_french_message(self, client, seed):
        send()
        _, path = afev_link()
        response = client.post(path, {"intake": "pirate", "weeks": "999"})
        assert response.status_code == 200
        words = page_text(response)
        assert "Choisissez une des réponses proposées." in words and "Entre 1 et 52" in words
        assert Association.objects.get(slug="afev").checked_by_association_on is None


def test_staff_see_fiches_not_checked_for_six_months(staff_client, seed):
    changelist = reverse("admin:associations_association_changelist")
    Association.objects.filter(slug="afev").update(checked_by_association_on=timezone.localdate())
    Association.objects.filter(slug="anaf").update(
        checked_by_association_on=timezone.localdate() - timedelta(days=200)
    )
    listed = staff_client.get(changelist, {"verifiee": "non"}).context["cl"].result_list
    slugs = {a.slug for a in listed}
    assert "anaf" in slugs and "afev" not in slugs
    assert len(slugs) == Association.objects.count() - 1
