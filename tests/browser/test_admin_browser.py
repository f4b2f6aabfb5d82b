from django.urls import reverse

from tests.conftest import PASSWORD


def test_staff_log_in_and_place_a_location_on_the_map(
    live_server, page, assert_accessible, staff_member, seed
):
    page.goto(live_server.url + reverse("admin:login"))
    assert_accessible(page)
    page.get_by_label("Nom d’utilisateur").fill("camille")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("link", name="Associations", exact=True).first.click()
    page.get_by_role("link", name="Afev", exact=True).click()
    page.wait_for_selector(".location-map .leaflet-container")
    latitude = page.locator("#id_locations-0-latitude")
    page.locator(".location-map .leaflet-container").first.click()
    assert latitude.input_value() != "50.688400"
    page.get_by_role("button", name="Enregistrer", exact=True).first.click()
    assert page.get_by_text("a été modifié avec succès").is_visible()
