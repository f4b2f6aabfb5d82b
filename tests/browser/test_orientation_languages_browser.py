"""The questionnaires in Arabic, right to left, in Chromium: accessible, on every screen."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.helpers import tab_to

# tests/browser/conftest.py marks every browser test transactional, with serialized rollback.

YOUNG = "qui=parent&age=12&situation=college&besoins=confiance&envoi=1"
VOLUNTEER = (
    "age=40&situation=salarie&rythme=1-par-semaine&heures=2&engagement=annee-scolaire&envoi=1"
)
ARABIC_PAGES = [
    ("orientation:index", ""),
    ("orientation:young", ""),
    ("orientation:young", YOUNG),
    ("orientation:volunteer", ""),
    ("orientation:volunteer", VOLUNTEER),
]


def arabic(name, query=""):
    with translation.override("ar"):
        path = reverse(name)
    return f"{path}?{query}" if query else path


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_arabic_questionnaires_and_results_fit_and_are_accessible(
    live_server, page, assert_accessible, seed, width
):
    page.set_viewport_size({"width": width, "height": 800})
    for name, query in ARABIC_PAGES:
        page.goto(live_server.url + arabic(name, query))
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "rtl"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}?{query} déborde de {overflow} px à {width} px"
        assert_accessible(page)


def test_a_parent_answers_in_arabic_with_the_keyboard(live_server, page, assert_accessible, seed):
    page.goto(live_server.url + arabic("orientation:young"))
    legend = page.locator("#question-age legend")
    assert legend.inner_text() == "كم عمر الشاب؟"
    page.get_by_label("لطفلي").check()
    # The script puts in the Arabic words written for a parent.
    assert legend.inner_text() == "كم عمر طفلك؟"
    tab_to(page, "#id_age")
    page.keyboard.type("12")
    page.locator("#id_situation_2").check()  # Collège
    page.get_by_role("button", name="عرض الجمعيات").click()
    page.wait_for_url(re.compile(r"/ar/orientation/jeune/\?.*age=12.*envoi=1#resultats$"))
    assert page.get_by_role("heading", name="4 جمعيات لطفلك").is_visible()
    assert page.get_by_text("ترافق الشباب من 5 إلى 18 سنة").first.is_visible()
    assert_accessible(page)


def test_the_questions_sides_follow_the_reading_direction(live_server, page, seed):
    """Right to left, a term's explanation is indented from the right, its control first."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + arabic("orientation:young"))
    jargon = page.locator(".jargon").first
    margins = jargon.evaluate(
        "e => [getComputedStyle(e).marginLeft, getComputedStyle(e).marginRight]"
    )
    assert margins[0] == "0px" and margins[1] != "0px"
    choice = page.locator("#question-qui .checkbox-list li").first
    control = choice.locator("input").bounding_box()
    words = choice.locator("label").bounding_box()
    # The radio button on the right of its words' line, where the line starts.
    assert control["x"] + control["width"] > words["x"] + words["width"] / 2
