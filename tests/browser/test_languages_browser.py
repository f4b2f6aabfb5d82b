"""The Arabic pages in Chromium: accessible, on a phone's width, mirrored right to left."""

import pytest
from playwright.sync_api import expect

ARABIC_PAGES = ["/ar/", "/ar/associations/", "/ar/carte/"]
ARABIC_NARROW_PAGES = [
    *ARABIC_PAGES,
    "/ar/presentation/",
    "/ar/contact/",
    "/ar/associations/?niveau=ecole",
    "/ar/donnees-personnelles/",
]


@pytest.mark.parametrize("path", ARABIC_PAGES)
@pytest.mark.parametrize("width", [375, 1280])
def test_arabic_pages_are_accessible(live_server, page, assert_accessible, seed, path, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + path)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(page)


def test_arabic_pages_fit_a_320_px_phone(live_server, page, seed):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ARABIC_NARROW_PAGES:
        page.goto(live_server.url + path)
        # In right to left, an overflow shows as content beyond the left edge.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} déborde de {overflow} px à 320 px"


def edges(page, selector):
    box = page.locator(selector).first.bounding_box()
    return box["x"], box["x"] + box["width"]


@pytest.mark.parametrize("width", [375, 1280])
def test_the_header_is_mirrored_in_arabic(live_server, page, seed, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/associations/")
    french_brand = edges(page, ".brand")
    french_nav = edges(page, ".site-nav a")
    page.goto(live_server.url + "/ar/associations/")
    arabic_brand = edges(page, ".brand")
    arabic_nav = edges(page, ".site-nav a")
    # The brand starts the header: on the left in French, on the right in Arabic, as
    # far from the edge in both.
    assert french_brand[0] < width / 2 < arabic_brand[1]
    assert abs(french_brand[0] - (width - arabic_brand[1])) <= 2
    # The menu's first link follows it, the same way round.
    if width >= 1000:
        assert french_nav[0] > french_brand[1] and arabic_nav[1] < arabic_brand[0]
    else:
        assert french_nav[0] < width / 2 < arabic_nav[1]


def test_the_language_switch_works_on_a_phone_with_a_finger_or_the_keyboard(
    live_server, page, seed
):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/ar/carte/")
    switch = page.get_by_role("navigation", name="اللغة")
    boxes = [link.bounding_box() for link in switch.get_by_role("link").all()]
    for box in boxes:
        assert box["height"] >= 24 and box["width"] >= 44  # a finger's target
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert len({round(box["y"]) for box in boxes}) == 1, "the three languages on one line"
    expect(switch.get_by_role("link", name="العربية")).to_have_attribute("aria-current", "true")
    switch.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/carte/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Map of the associations")
    # Remembered: a French address (a QR code) opens in English.
    page.goto(live_server.url + "/associations/")
    page.wait_for_url("**/en/associations/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/associations/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_the_arabic_map_has_its_controls_on_the_right_and_its_words_in_arabic(
    live_server, page, seed
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/ar/carte/")
    page.wait_for_selector("#carte.leaflet-container")
    expect(page.locator("#carte")).to_have_attribute("data-feature-count", "10")
    left, right = edges(page, "#carte")
    zoom_left, zoom_right = edges(page, ".leaflet-control-zoom")
    assert zoom_left > (left + right) / 2 and right - zoom_right < 20
    # The places are asked again once the map has moved to them: a popup opened before
    # that answer would be closed by the redrawing.
    page.wait_for_load_state("networkidle")
    page.locator(".place-marker").first.click()
    expect(page.locator(".leaflet-popup-content em").first).to_have_text("موقع تقريبي")
    page.get_by_label("المستوى الدراسي أو وضع الشاب").select_option("ecole")
    page.get_by_role("button", name="عرض", exact=True).click()
    expect(page.locator("#carte")).to_have_attribute("data-feature-count", "2")
    expect(page.get_by_role("status")).to_have_text("2 موقعان، 2 جمعيتان.")
