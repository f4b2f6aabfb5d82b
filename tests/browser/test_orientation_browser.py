"""Both questionnaires in Chromium: keyboard alone, a phone's first screen, flyers, jargon."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.helpers import tab_to

# tests/browser/conftest.py marks every browser test transactional, with serialized rollback.

PHONE = {"width": 375, "height": 667}  # a small phone's first screen
DESKTOP = {"width": 1280, "height": 800}


def on_first_screen(page, locator):
    """Whether the element is wholly inside the viewport, as the page opened."""
    box = locator.bounding_box()
    viewport = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
    )


def test_a_parent_finds_a_mentor_with_the_keyboard(live_server, page, assert_accessible, seed):
    page.goto(live_server.url + reverse("orientation:index"))
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name=re.compile("^C’est pour mon enfant")))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/orientation/jeune/\?qui=parent$"))
    # Opened for a parent: chosen, spoken to, and no error before the form is sent.
    assert page.locator("#id_qui_1").is_checked()
    assert page.locator("#question-age legend").inner_text() == "Quel âge a votre enfant\u00a0?"
    assert page.locator(".errorlist").count() == 0
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

    page.wait_for_url(re.compile(r"age=12.*envoi=1#resultats$"))
    assert "situation=college" in page.url and "besoins=confiance" in page.url
    results = page.get_by_role("heading", name="4 associations pour votre enfant")
    assert results.is_visible()
    assert_accessible(page)
    email = tab_to(page, 'a[href="mailto:lille@afev.org"]')
    assert email.is_visible()
    tab_to(page, page.get_by_role("link", name="Tout savoir sur Afev"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/associations/afev/$"))
    assert page.get_by_role("heading", name="Contacter Afev").is_visible()


def test_the_questions_speak_to_whoever_answers_as_soon_as_they_say_it(live_server, page, seed):
    page.goto(live_server.url + reverse("orientation:young"))
    legend = page.locator("#question-age legend")
    assert legend.inner_text() == "Quel âge a le jeune\u00a0?"
    page.get_by_label("C’est pour moi").check()
    assert legend.inner_text() == "Quel âge avez-vous\u00a0?"
    assert page.locator("#question-situation legend").inner_text() == "Où en êtes-vous\u00a0?"
    page.get_by_label("C’est pour mon enfant").check()
    assert legend.inner_text() == "Quel âge a votre enfant\u00a0?"


def test_a_volunteer_gives_a_rhythm_and_a_time_with_the_keyboard(
    live_server, page, assert_accessible, seed
):
    page.goto(live_server.url + reverse("orientation:volunteer"))
    tab_to(page, "#id_age")
    page.keyboard.type("55")
    tab_to(page, "#id_situation_0")
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    assert page.get_by_label("Retraité ou retraitée").is_checked()
    tab_to(page, "#id_rythme_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("1 fois par semaine").is_checked()
    tab_to(page, "#id_heures")
    page.keyboard.type("2")
    tab_to(page, "#id_heures_par_0")  # "À chaque rencontre", checked by default
    assert page.locator("#id_heures_par_0").is_checked()
    tab_to(page, "#id_engagement_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Une année scolaire").is_checked()
    page.locator("#id_heures").focus()
    page.keyboard.press("Enter")  # submits the form from a text field, with its button

    page.wait_for_url(re.compile(r"engagement=annee-scolaire.*envoi=1#resultats$"))
    assert page.get_by_role("heading", name="4 associations pour vous").is_visible()
    assert_accessible(page)
    phone = tab_to(page, 'a[href="tel:+33616798822"]')  # DUO for a JOB
    assert phone.inner_text() == "06 16 79 88 22"


@pytest.mark.parametrize(
    ("path", "query", "best"),
    [
        (
            "orientation:young",
            "qui=jeune&age=17&situation=lycee-pro&besoins=confiance",
            "Article 1",
        ),
        ("orientation:young", "qui=parent&age=5&situation=maternelle", "Afev"),
        (
            "orientation:volunteer",
            "age=20&situation=etudiant&rythme=2-par-mois&heures=4&engagement=annee-scolaire",
            "Afev",
        ),
    ],
)
def test_a_phones_first_screen_shows_the_best_match_why_and_its_button(
    live_server, page, seed, path, query, best
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse(path)}?{query}&envoi=1#resultats")
    first = page.locator(".matches > .match").first
    name = first.locator(".match__name")
    why = first.locator(".match__why")
    button = first.locator(".match__action .button")
    assert name.inner_text() == best
    assert why.inner_text()
    for element in [name, why, button]:
        assert on_first_screen(page, element), element
    # The why is one line (or two at most on a phone), not a paragraph.
    assert why.bounding_box()["height"] <= 2.5 * float(
        why.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    )


def test_the_collectif_comes_first_when_nothing_fits(live_server, page, assert_accessible, seed):
    page.set_viewport_size(PHONE)
    query = "age=17&situation=lyceen&rythme=1-par-mois&heures=1&engagement=6-mois&envoi=1"
    page.goto(f"{live_server.url}{reverse('orientation:volunteer')}?{query}#resultats")
    assert page.get_by_role(
        "heading", name="Aucune association ne correspond à toutes vos réponses"
    ).is_visible()
    collectif = page.locator(".help--first a[href='mailto:roubaix@collectifmentorat.fr']")
    assert on_first_screen(page, collectif)
    assert page.locator(".nearest .match").count() <= 3
    assert page.locator(".nearest .button").count() == 0
    assert_accessible(page)


def test_errors_are_accessible_and_lead_to_the_question(live_server, page, assert_accessible, seed):
    volunteer = live_server.url + reverse("orientation:volunteer")
    query = "?age=douze&situation=lyceen&rythme=1-par-mois&heures=&engagement=6-mois&envoi=1"
    page.goto(volunteer + query)
    assert page.locator("#id_age_error").is_visible()
    assert page.locator("#id_age").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    tab_to(page, 'a[href="#id_age"]').press("Enter")  # the summary leads to the question
    assert page.evaluate("document.activeElement.id") == "id_age"
    page.keyboard.type("17")
    assert page.locator("#id_age").input_value() == "17"


def test_a_flyers_qr_code_opens_the_questionnaire_with_its_level(
    live_server, page, assert_accessible, seed
):
    page.goto(live_server.url + reverse("opendata:level_flyer", args=["lycee-pro"]))
    printed = page.locator("a.url[href*='/orientation/']").get_attribute("href")
    target = urlsplit(printed)
    page.goto(f"{live_server.url}{target.path}?{target.query}")
    assert page.locator("input[name=situation][value=lycee-pro]").is_checked()
    assert page.locator(".errorlist, .error-summary").count() == 0
    assert page.locator("#resultats").count() == 0
    assert page.locator("#deja-choisi").is_visible()
    assert_accessible(page)
    # Then the person answers the rest, and sees the associations for that level.
    page.get_by_label("C’est pour moi").check()
    page.locator("#id_age").fill("16")
    page.get_by_role("button", name="Voir les associations").click()
    page.wait_for_url(re.compile(r"#resultats$"))
    assert page.get_by_role(
        "heading", name=re.compile(r"^\d+ associations pour vous$")
    ).is_visible()


def test_jargon_has_its_explanation_at_hand(live_server, page, assert_accessible, seed):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("orientation:young") + "?qui=parent")
    explanation = page.get_by_text("Les quartiers prioritaires de la politique de la ville")
    assert not explanation.is_visible()
    summary = page.locator("#question-situations_particulieres summary").nth(1)
    tab_to(page, summary)
    page.keyboard.press("Enter")
    assert explanation.is_visible()
    assert_accessible(page)


def test_radio_buttons_keep_their_size_when_their_label_wraps(live_server, page, seed):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("orientation:young"))
    radio = page.locator("#id_qui_2")  # "Je suis un professionnel qui accompagne un jeune"
    label = page.locator("label[for=id_qui_2]")
    line = float(label.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert label.bounding_box()["height"] > 1.5 * line  # it wraps
    box = radio.bounding_box()
    assert box["width"] >= 18 and box["height"] >= 18
