"""The request form in Arabic, right to left, on a phone: axe on the empty form and on its
errors, nothing scrolls sideways at 320 px, and a request sent with the keyboard alone."""

import re

from django.urls import reverse
from django.utils import translation

from referrals.models import Referral
from tests.helpers import tab_to


def arabic_form(live_server):
    with translation.override("ar"):
        return live_server.url + reverse("referrals:young", args=["afev"])


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_the_arabic_form_at_320_px_empty_and_with_its_errors(
    live_server, page, assert_accessible, seed
):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(arabic_form(live_server))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", name="التواصل مع Afev").is_visible()
    assert overflow(page) <= 0, f"le formulaire déborde de {overflow(page)} px à 320 px"
    assert_accessible(page)

    page.get_by_role("button", name="أرسل طلبي").click()
    page.wait_for_load_state()
    assert page.title().startswith("خطأ:")
    assert page.locator("#id_first_name_error").inner_text() == "اكتب الاسم الأول."
    assert page.locator("#id_first_name").get_attribute("aria-invalid") == "true"
    assert overflow(page) <= 0, f"les erreurs débordent de {overflow(page)} px à 320 px"
    assert_accessible(page)


def test_an_arabic_request_sent_with_the_keyboard_at_375_px(
    live_server, page, assert_accessible, seed
):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(arabic_form(live_server))
    tab_to(page, "#id_first_name")
    page.keyboard.type("Yanis")
    tab_to(page, "#id_age")
    page.keyboard.type("16")
    tab_to(page, "#id_situation")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_situation").input_value()
    tab_to(page, "#id_email")
    page.keyboard.type("yanis@example.org")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="أرسل طلبي"))
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/ar/mise-en-relation/demande-envoyee/$"))
    assert page.get_by_role("heading", name="تم إرسال طلبك").is_visible()
    referral = Referral.objects.get()
    assert (referral.first_name, referral.language) == ("Yanis", "ar")
    assert page.locator(".reference").inner_text() == referral.reference
    assert overflow(page) <= 0
    assert_accessible(page)
