import pytest
from django.urls import reverse
from playwright.sync_api import expect

from associations.models import Association, Level
from core.vocabularies import Seeker
from referrals.models import Referral, Status
from tests.helpers import PASSWORD, log_in


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
    expect(page.locator(".messagelist")).to_contain_text("L’association « Afev » a été modifiée.")


def test_a_new_place_added_on_the_add_page_gets_the_point_clicked_on_its_map(
    live_server, page, staff_member
):
    """The new row's map fills that row, not the hidden template row it was copied from."""
    log_in(page, live_server)
    page.goto(live_server.url + reverse("admin:associations_association_add"))
    page.locator("#id_name").fill("Mentorat du Pile")
    page.locator("#id_slug").fill("mentorat-du-pile")
    page.locator("#id_summary_fr").fill("Des mentors pour les collégiens du Pile.")
    page.locator("#id_description_fr").fill("Une association de quartier.")
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


def directory_admin_pages():
    """One page of each type that staff use on the directory side."""
    afev = Association.objects.get(slug="afev")
    level = Level.objects.get(slug="college")
    return [
        reverse("admin:index"),
        reverse("admin:associations_association_changelist"),
        reverse("admin:associations_association_changelist") + "?a_verifier=oui",
        reverse("admin:associations_association_add"),
        reverse("admin:associations_association_change", args=[afev.pk]),
        reverse("admin:associations_level_changelist"),
        reverse("admin:associations_level_add"),
        reverse("admin:associations_level_change", args=[level.pk]),
        reverse("admin:associations_reviewitem_changelist"),
        reverse("admin:associations_location_change", args=[afev.locations.first().pk]),
        reverse("admin:associations_collective_change", args=[1]),
    ]


@pytest.mark.parametrize("width", [1280, 375])
def test_no_serious_accessibility_issue_on_the_directory_admin(
    live_server, page, assert_accessible, staff_member, seed, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + reverse("admin:login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à l’administration")
    assert_accessible(page)
    log_in(page, live_server)
    for path in directory_admin_pages():
        page.goto(live_server.url + path)
        assert_accessible(page)
    # A change form with rows just added, then sent back with errors.
    page.goto(live_server.url + directory_admin_pages()[4])
    for group in ["contacts", "locations", "review_items"]:
        page.locator(f"#{group}-group .add-row a").click()
    assert_accessible(page)
    page.locator("#id_age_min").fill("30")
    page.locator("#id_age_max").fill("20")
    page.get_by_role("button", name="Enregistrer", exact=True).first.click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)


def test_the_error_summary_links_to_the_field(live_server, page, staff_member, seed):
    log_in(page, live_server)
    page.goto(live_server.url + directory_admin_pages()[4])
    page.locator("#id_age_min").fill("30")
    page.locator("#id_age_max").fill("20")
    page.get_by_role("button", name="Enregistrer", exact=True).first.click()
    page.locator(".error-summary a").first.click()
    assert page.url.endswith("#id_age_max")
    expect(page.locator("#id_age_max")).to_be_in_viewport()


def test_a_place_is_set_from_the_keyboard(live_server, page, staff_member, seed):
    """Typed coordinates move the marker; Enter on the focused map puts it at the centre."""
    log_in(page, live_server)
    page.goto(live_server.url + reverse("admin:associations_association_add"))
    page.locator("#locations-group .add-row a").click()
    latitude = page.get_by_label("Latitude (lieu 1)")
    longitude = page.get_by_label("Longitude (lieu 1)")
    expect(latitude).to_be_visible()
    expect(latitude).to_have_id("id_locations-0-latitude")
    latitude.fill("50.69")
    longitude.fill("3.17")
    longitude.press("Tab")
    expect(page.locator("#locations-0 .leaflet-marker-icon")).to_have_count(1)
    latitude.fill("")
    longitude.fill("")
    page.locator("#locations-0 .leaflet-container").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    assert latitude.input_value() and longitude.input_value()


def request_admin_pages():
    """The requests' pages: list, a request's page (with its history), statistics."""
    afev = Association.objects.get(slug="afev")
    referral = Referral.objects.create(
        association=afev,
        kind=Seeker.YOUNG_PERSON,
        first_name="Léa",
        email="lea@example.org",
        age=16,
    )
    for status in [Status.SENT, Status.TAKEN, Status.CLOSED]:
        referral.change_status(status)
    return [
        reverse("admin:referrals_referral_changelist"),
        reverse("admin:referrals_referral_change", args=[referral.pk]),
        reverse("admin:referrals_referral_statistics"),
    ]


@pytest.mark.parametrize("width", [1280, 375])
def test_no_serious_accessibility_issue_on_the_requests_admin(
    live_server, page, assert_accessible, staff_member, seed, width
):
    pages = request_admin_pages()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server)
    for path in pages:
        page.goto(live_server.url + path)
        assert_accessible(page)


def test_the_requests_list_fits_at_1280_px(live_server, page, staff_member, seed):
    changelist = request_admin_pages()[0]
    # The longest words a row can hold: an association's name, a status.
    longest = max(Association.objects.all(), key=lambda association: len(association.name))
    Referral.objects.create(
        association=longest,
        kind=Seeker.VOLUNTEER,
        first_name="Yanis",
        email="yanis@example.org",
        age=30,
    ).change_status(Status.SENT)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server)
    page.goto(live_server.url + changelist)
    reference = page.locator("#result_list .field-reference a").first
    lines = reference.evaluate("link => link.getClientRects().length")
    assert lines == 1, "la référence est coupée sur plusieurs lignes"
    results = page.locator("#changelist .results")
    assert results.evaluate("div => div.scrollWidth <= div.clientWidth"), (
        "les dernières colonnes sont coupées"
    )
