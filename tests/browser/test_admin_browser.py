from django.urls import reverse
from playwright.sync_api import expect

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


def log_in(page, live_server, username="camille"):
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_a_new_place_added_on_the_add_page_gets_the_point_clicked_on_its_map(
    live_server, page, staff_member
):
    """The new row's map fills that row, not the hidden template row it was copied from."""
    log_in(page, live_server)
    page.goto(live_server.url + reverse("admin:associations_association_add"))
    page.locator("#id_name").fill("Mentorat du Pile")
    page.locator("#id_slug").fill("mentorat-du-pile")
    page.locator("#id_summary").fill("Des mentors pour les collégiens du Pile.")
    page.locator("#id_description").fill("Une association de quartier.")
    page.locator("#locations-group .add-row a").click()
    page.locator("#id_locations-0-label").fill("Maison du Pile")
    map_ = page.locator("#locations-0 .location-map .leaflet-container")
    map_.click(position={"x": 120, "y": 80})
    latitude = page.locator("#id_locations-0-latitude")
    longitude = page.locator("#id_locations-0-longitude")
    assert latitude.input_value() and longitude.input_value()
    assert page.locator("#id_locations-__prefix__-latitude").input_value() == ""
    page.get_by_role("button", name="Enregistrer", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("a été ajouté")
    page.goto(live_server.url + reverse("associations:map"))
    places = page.locator(".place-list")
    expect(places).to_contain_text("Mentorat du Pile")
    expect(places).to_contain_text("Maison du Pile")
