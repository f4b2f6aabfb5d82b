"""From the form to the association's answer and the family's message (issue 12).

A young person sends a request from an orientation result; the association opens
its personal link on a phone, answers « Nous ne pouvons pas : complet » and says it
has a waiting list; the family's message proposes other associations, whose link
opens their form with the same answers. E-mails are captured (Django's locmem
backend); the worker's tasks run with `run_tasks()`.
"""

import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from associations.models import Association, Contact, Intake
from referrals.models import Referral, Status
from tests.helpers import ANSWER_LINK, path_of, run_tasks

ALTERNATIVE = re.compile(r"^- (.+) : https?://\S+?(/associations/\S+)$", re.M)
PHONE = {"width": 375, "height": 740}


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_request_its_answer_and_the_family_s_message(live_server, page, assert_accessible, seed):
    Contact.objects.filter(association__slug="afev").update(email_confirmed_at=timezone.now())
    answers = "qui=jeune&age=16&situation=lycee"
    page.goto(f"{live_server.url}{reverse('referrals:young', args=['afev'])}?{answers}")
    assert page.locator("#id_age").input_value() == "16"
    page.fill("#id_first_name", "Inès")
    page.fill("#id_email", "ines@example.org")
    page.check("#id_consent")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url(re.compile(r"/mise-en-relation/demande-envoyee/$"))

    # The worker sends the request to Afev, with its personal link.
    run_tasks()
    to_association = next(m for m in mail.outbox if m.to == ["lille@afev.org"])
    (link,) = ANSWER_LINK.findall(to_association.body)
    path = path_of(link)
    mail.outbox.clear()

    # Afev opens it on a phone.
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + path)
    assert page.get_by_role("heading", name=re.compile(r"^Demande MR-")).is_visible()
    assert page.get_by_text("ines@example.org").is_visible()
    assert fits_the_screen(page)
    assert_accessible(page)
    # Declining needs a reason: the form says so, next to the question.
    page.get_by_label("Nous ne pouvons pas").check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    assert page.title().startswith("Erreur")
    assert page.get_by_text("Choisissez la raison.").first.is_visible()
    assert_accessible(page)
    page.get_by_label("Complet pour le moment").check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    assert page.get_by_role("heading", name="Réponse enregistrée").is_visible()
    referral = Referral.objects.get()
    assert referral.status == Status.DECLINED
    assert referral.status_changes.last().by_association

    # « Complet » proposes to say it on the fiche.
    page.get_by_label("Liste d’attente").check()
    page.fill("#id_weeks", "6")
    assert fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("button", name="Mettre la fiche à jour").click()
    assert page.get_by_text("La fiche de Afev dit désormais").is_visible()
    afev = Association.objects.get(slug="afev")
    assert (afev.intake, afev.intake_waiting_weeks) == (Intake.WAITING_LIST, 6)

    # The family's message: other associations that fit, each with its link.
    run_tasks()
    (to_family,) = mail.outbox
    assert to_family.to == ["ines@example.org"]
    assert "Afev ne peut pas donner suite" in to_family.body
    alternatives = ALTERNATIVE.findall(to_family.body)
    assert alternatives and "Afev" not in [name for name, _ in alternatives]
    name, link = alternatives[0]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + link)
    assert page.get_by_role("heading", name=f"Être mis en relation avec {name}").is_visible()
    assert page.locator("#id_age").input_value() == "16"
    assert page.locator("#id_situation").input_value() == "lycee"

    # The public fiche of Afev now says it.
    page.goto(live_server.url + afev.get_absolute_url())
    assert page.get_by_text("Liste d’attente (environ 6 semaines)").is_visible()
