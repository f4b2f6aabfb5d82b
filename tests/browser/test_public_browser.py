import pytest
from django.urls import reverse
from playwright.sync_api import expect

PAGE_TYPES = [
    reverse("associations:home"),
    reverse("associations:directory"),
    reverse("associations:directory") + "?niveau=maternelle",
    reverse("associations:detail", args=["proxite"]),
    reverse("associations:map"),
    reverse("pages:contact"),
    reverse("pages:legal"),
    reverse("pages:privacy"),
    reverse("pages:accessibility"),
    "/associations/nexiste-pas/",
]


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_every_page_type_is_accessible(live_server, page, assert_accessible, seed, path):
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("width", [320, 1280])
def test_pages_fit_the_screen(live_server, page, seed, width):
    page.set_viewport_size({"width": width, "height": 800})
    for path in PAGE_TYPES[:5]:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} déborde de {overflow} px à {width} px"


def test_the_map_shows_the_places_and_its_filters_update_the_markers(live_server, page, seed):
    page.goto(live_server.url + reverse("associations:map"))
    page.wait_for_selector("#carte.leaflet-container")
    expect(page.locator("#carte")).to_have_attribute("data-feature-count", "10")
    # The ten approximate places share one point: one marker whose popup lists them all.
    page.locator(".place-marker").first.click()
    popup = page.locator(".leaflet-popup-content")
    assert popup.locator("a").count() == 10
    link = popup.get_by_role("link", name="Télémaque")
    expect(link).to_have_attribute("href", "/associations/telemaque/")
    # Activated like a keyboard user would: the popup may still be panning into view.
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/associations/telemaque/")

    page.goto(live_server.url + reverse("associations:map"))
    expect(page.locator("#carte")).to_have_attribute("data-feature-count", "10")
    page.get_by_label("Niveau ou situation du jeune").select_option("ecole")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#carte")).to_have_attribute("data-feature-count", "2")
    expect(page.get_by_role("status")).to_have_text("2 lieux, 2 associations.")
    assert page.url.endswith("?niveau=ecole")


def test_an_association_page_draws_its_places(live_server, page, seed):
    page.goto(live_server.url + reverse("associations:detail", args=["afev"]))
    page.wait_for_selector("#carte-association .place-marker")
    assert page.locator("#carte-association").bounding_box()["height"] > 200


def test_from_home_to_a_contact_in_three_steps_with_the_keyboard_on_a_phone(
    live_server, page, seed
):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")

    def tab_to(name):
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()").startswith(name):
                return
        raise AssertionError(f"« {name} » n’est pas atteignable au clavier")

    tab_to("Associations")
    page.keyboard.press("Enter")
    page.wait_for_url("**/associations/")
    tab_to("LA CLÉ")
    page.keyboard.press("Enter")
    page.wait_for_url("**/associations/la-cle/")
    contact = page.get_by_role("link", name="lacle@associationlacle.org")
    assert contact.get_attribute("href") == "mailto:lacle@associationlacle.org"
    assert contact.is_visible()


def test_the_site_works_without_javascript(live_server, browser, seed):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("associations:map") + "?niveau=ecole")
    assert page.get_by_role("status").inner_text() == "2 lieux, 2 associations."
    page.get_by_label("Besoin").select_option("francais")
    page.get_by_role("button", name="Afficher").click()
    assert page.get_by_role("status").inner_text() == "1 lieu, 1 association."
    context.close()
