"""A parent asks for a mentor for a child of 12, with the keyboard alone; axe on every step."""

import re

from django.urls import reverse

from referrals.models import Referral
from tests.helpers import tab_to


def test_a_parent_asks_for_a_mentor_with_the_keyboard(live_server, page, assert_accessible, seed):
    page.goto(live_server.url + reverse("associations:detail", args=["afev"]))
    tab_to(page, page.get_by_role("link", name="Être mis en relation").first)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/associations/afev/mise-en-relation/$"))
    assert page.get_by_role("heading", name="Être mis en relation avec Afev").is_visible()
    assert not page.locator("#id_telecopie").is_visible()  # the robots' field
    assert_accessible(page)

    tab_to(page, "#id_first_name")
    page.keyboard.type("Yanis")
    tab_to(page, "#id_age")
    page.keyboard.type("12")
    tab_to(page, "#id_situation")
    page.keyboard.type("Coll")  # a closed list picks the first choice that starts so
    assert page.locator("#id_situation").input_value() == "college"
    tab_to(page, "#id_phone")
    page.keyboard.type("06 12 34 56 78")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Envoyer ma demande"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Under 15: the form comes back with the parent's fields to fill, and what was typed.
    assert page.title().startswith("Erreur")
    assert page.locator("#id_parent_name_error").is_visible()
    assert page.locator("#id_parent_name").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_first_name").input_value() == "Yanis"
    assert page.locator("#id_consent").is_checked()
    assert_accessible(page)
    tab_to(page, 'a[href="#id_parent_name"]')  # the summary leads to the field
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_parent_name"
    page.keyboard.type("Samira Benali")
    page.keyboard.press("Tab")
    page.keyboard.type("samira@example.org")
    tab_to(page, "#id_parent_consent")
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Envoyer ma demande"))
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/mise-en-relation/demande-envoyee/$"))
    assert page.get_by_role("heading", name="Votre demande est envoyée").is_visible()
    referral = Referral.objects.get()
    assert page.locator(".reference").inner_text() == referral.reference
    assert (referral.first_name, referral.age, referral.parent_name) == (
        "Yanis",
        12,
        "Samira Benali",
    )
    assert_accessible(page)
