"""Staff at work in a real browser: two people on one request, the home's to-do lines."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from associations.models import Association
from core.vocabularies import Seeker
from referrals.models import Referral, Status
from tests.helpers import PASSWORD, STAFF_GROUP, log_in


def a_request(days_ago=0, **fields):
    now = timezone.now()
    referral = Referral.objects.create(
        **{
            "association": Association.objects.get(slug="afev"),
            "kind": Seeker.YOUNG_PERSON,
            "first_name": "Léa",
            "email": "lea@example.org",
            "age": 16,
            "created_at": now - timedelta(days=days_ago),
            "association_notified_at": now,
            "acknowledged_at": now,
            **fields,
        }
    )
    referral.change_status(Status.SENT)
    return referral


def test_two_staff_members_on_one_request_lose_nothing(
    live_server, page, browser, assert_accessible, staff_member, django_user_model, seed
):
    sacha = django_user_model.objects.create_user("sacha", password=PASSWORD, is_staff=True)
    sacha.groups.add(Group.objects.get(name=STAFF_GROUP))
    referral = a_request()
    url = live_server.url + reverse("admin:referrals_referral_change", args=[referral.pk])
    other = browser.new_context().new_page()
    log_in(page, live_server)
    log_in(other, live_server, "sacha")
    page.goto(url)
    other.goto(url)
    # Camille takes the request on; Sacha, from the page opened before, writes a note.
    page.locator("#id_status").select_option(Status.TAKEN)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("a été modifiée")
    other.get_by_label("Note de l’équipe").fill("Rappeler la famille jeudi.")
    other.get_by_role("button", name="Enregistrer", exact=True).click()
    conflict = other.locator(".lock-conflict")
    expect(conflict).to_contain_text("Ce qui a changé depuis que vous avez ouvert la demande")
    expect(conflict).to_contain_text("Enregistré par camille")
    expect(conflict).to_contain_text("« Prise en charge », repris dans votre formulaire")
    expect(other.get_by_label("Note de l’équipe")).to_have_value("Rappeler la famille jeudi.")
    expect(other.locator("#id_status")).to_have_value(Status.TAKEN)
    assert_accessible(other)
    other.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(other.locator(".messagelist")).to_contain_text(
        f"La demande « {referral.reference} » a été modifiée."
    )
    referral.refresh_from_db()
    assert (referral.status, referral.staff_note) == (Status.TAKEN, "Rappeler la famille jeudi.")
    other.context.close()


def test_from_the_home_to_the_requests_waiting_for_an_answer_with_the_keyboard(
    live_server, page, assert_accessible, staff_member, seed
):
    late = [a_request(days_ago=10), a_request(days_ago=12, first_name="Noé")]
    a_request(days_ago=1, first_name="Inès")  # not late yet
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server)
    todo = page.locator("#todo-module")
    link = todo.get_by_role("link", name="2 demandes sans réponse de l’association après 7 jours")
    assert_accessible(page)
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choisissez la demande à modifier")
    references = page.locator("#result_list .field-reference a")
    expect(references).to_have_count(2)
    assert sorted(references.all_inner_texts()) == sorted(r.reference for r in late)
    assert_accessible(page)
    # The month's unmet needs, on the statistics page for this month.
    page.goto(live_server.url + reverse("admin:referrals_referral_statistics") + "?periode=1")
    expect(page.get_by_label("Période")).to_have_value("1")
    assert_accessible(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_no_serious_accessibility_issue_on_the_other_pages_staff_use(
    live_server, page, assert_accessible, staff_member, seed, width
):
    """Beyond lists and forms: a history, a list that ignored a filter (its message), a
    fiche refused because saved meanwhile, the anonymisation's confirmation."""
    afev = Association.objects.get(slug="afev")
    closed = a_request()
    closed.change_status(Status.CLOSED)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server)
    for path in [
        reverse("admin:associations_association_history", args=[afev.pk]),
        reverse("admin:referrals_referral_history", args=[closed.pk]),
        reverse("admin:associations_association_changelist") + "?a_verifier=%C2%B2",
        reverse("admin:referrals_referral_changelist") + "?sans-reponse=en-retard",
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)
    expect(page.locator(".messagelist")).to_have_count(0)
    # A fiche saved by someone else after this page was opened.
    page.goto(live_server.url + reverse("admin:associations_association_change", args=[afev.pk]))
    Association.objects.filter(pk=afev.pk).update(
        summary="Un résumé changé entre-temps.", updated_at=timezone.now()
    )
    page.locator("#id_website").fill("https://afev.example/")
    page.get_by_role("button", name="Enregistrer", exact=True).first.click()
    expect(page.locator(".lock-conflict")).to_contain_text("Un résumé changé entre-temps.")
    expect(page.locator("#id_website")).to_have_value("https://afev.example/")
    assert_accessible(page)
    # The anonymisation of a finished request, confirmed on its own page.
    page.goto(live_server.url + reverse("admin:referrals_referral_changelist"))
    page.get_by_role("checkbox", name=closed.reference).check()
    page.locator("select[name=action]").select_option("anonymise")
    page.get_by_role("button", name="Exécuter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anonymiser les demandes terminées ?")
    assert_accessible(page)


def test_the_associations_list_fits_at_1280_px(live_server, page, staff_member, seed):
    """Beside the menu and the filters, every column is seen without scrolling."""
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server)
    page.goto(live_server.url + reverse("admin:associations_association_changelist"))
    results = page.locator("#changelist .results")
    assert results.evaluate("div => div.scrollWidth <= div.clientWidth"), (
        "les dernières colonnes sont coupées"
    )
