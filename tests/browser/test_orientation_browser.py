"""Both questionnaires, filled with the keyboard alone, up to an association's contact."""

import re

from django.urls import reverse

# tests/browser/conftest.py marks every browser test transactional, with serialized rollback.


def tab_to(page, target, limit=80):
    """Press Tab until `target` (a selector or a locator) has the focus."""
    locator = page.locator(target) if isinstance(target, str) else target
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return locator
    raise AssertionError(f"{target} jamais atteint avec la touche Tab")


def test_a_parent_finds_a_mentor_with_the_keyboard(live_server, page, assert_accessible, seed):
    page.goto(live_server.url + reverse("orientation:index"))
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name=re.compile("^Je cherche un mentor")))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/orientation/jeune/$"))
    assert_accessible(page)

    tab_to(page, "#id_age")
    page.keyboard.type("12")
    tab_to(page, "#id_situation_0")  # the first of the radio buttons
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_situation_2").is_checked()  # Collège
    tab_to(page, "#id_besoins_1")
    page.keyboard.press("Space")
    assert page.get_by_label("Confiance en soi").is_checked()
    tab_to(page, "#id_modalite_0")  # "Peu importe", checked by default
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("À distance").is_checked()
    tab_to(page, page.get_by_role("button", name="Voir les associations"))
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"age=12.*#resultats$"))
    assert "situation=college" in page.url and "besoins=confiance" in page.url
    results = page.get_by_role("heading", name="4 associations pour vous")
    assert results.is_visible()
    assert_accessible(page)
    email = tab_to(page, 'a[href="mailto:lille@afev.org"]')
    assert email.is_visible()
    tab_to(page, page.get_by_role("link", name="Tout savoir sur Afev"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/associations/afev/$"))
    assert page.get_by_role("heading", name="Contacter Afev").is_visible()
    assert page.get_by_role("link", name="lille@afev.org").is_visible()


def test_a_volunteer_finds_an_association_with_the_keyboard(
    live_server, page, assert_accessible, seed
):
    page.goto(live_server.url + reverse("orientation:volunteer"))
    tab_to(page, "#id_age")
    page.keyboard.type("55")
    tab_to(page, "#id_situation_0")
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    assert page.get_by_label("Retraité ou retraitée").is_checked()
    tab_to(page, "#id_heures_par_mois")
    page.keyboard.type("10")
    tab_to(page, "#id_mois")
    page.keyboard.type("12")
    page.keyboard.press("Enter")  # submits the form from a text field

    page.wait_for_url(re.compile(r"mois=12.*#resultats$"))
    assert page.get_by_role("heading", name="4 associations pour vous").is_visible()
    assert_accessible(page)
    phone = tab_to(page, 'a[href="tel:+33616798822"]')  # DUO for a JOB
    assert phone.inner_text() == "06 16 79 88 22"


def test_errors_and_no_match_pages_are_accessible(live_server, page, assert_accessible, seed):
    volunteer = live_server.url + reverse("orientation:volunteer")
    page.goto(volunteer + "?age=douze&situation=lyceen&heures_par_mois=&mois=6")
    assert page.locator("#id_age_error").is_visible()
    assert page.locator("#id_age").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    tab_to(page, 'a[href="#id_age"]').press("Enter")  # the summary leads to the question
    assert page.evaluate("document.activeElement.id") == "id_age"
    page.keyboard.type("17")
    assert page.locator("#id_age").input_value() == "17"

    page.goto(volunteer + "?age=17&situation=lyceen&heures_par_mois=4&mois=9")
    assert page.get_by_role(
        "heading", name="Aucune association ne correspond à toutes vos réponses"
    ).is_visible()
    assert page.get_by_role("heading", name="Sans tenir compte de votre situation").is_visible()
    assert page.get_by_role("link", name="roubaix@collectifmentorat.fr").is_visible()
    assert_accessible(page)
