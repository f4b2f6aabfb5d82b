"""The printable brochure and the flyers, as HTML (their PDF is in tests/browser/)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from associations.models import Association, Collective, Level, Location
from opendata import printing, records

from .factories import AssociationFactory, LocationFactory, ReviewItemFactory
from .test_public_pages import text

pytestmark = pytest.mark.django_db

BROCHURE = reverse("opendata:brochure")
FLYERS = reverse("opendata:flyers")


def association_flyer(slug):
    return reverse("opendata:association_flyer", args=[slug])


def level_flyer(slug):
    return reverse("opendata:level_flyer", args=[slug])


PAGES = [
    # The Collectif, its figures and testimonials, the totals, then the associations with
    # all they publish (10 queries, see opendata.records.exported_associations).
    (BROCHURE, 14),
    # The associations' names, the levels with how many associations each.
    (FLYERS, 2),
    # The association with all it publishes, the Collectif for the footer.
    (association_flyer("afev"), 11),
    # The level, the Collectif, the associations and their contacts.
    (level_flyer("college"), 4),
]


@pytest.mark.parametrize(("url", "queries"), PAGES)
@pytest.mark.parametrize("fixture", ["seed", "many"])
def test_each_page_costs_a_fixed_number_of_queries(
    client, request, django_assert_num_queries, url, queries, fixture
):
    request.getfixturevalue(fixture)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", [url for url, _ in PAGES])
def test_every_page_is_public_french_with_one_h1_and_the_print_styles(client, seed, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert page.count("<h1") == 1
    assert '<link rel="stylesheet" href="/static/css/print.css">' in page
    # The site's CSP allows no inline style, and scripts only with the page's nonce.
    assert "style=" not in page
    nonce = response.context["csp_nonce"]
    assert page.count("<script") == page.count(f'<script nonce="{nonce}">')


@pytest.mark.parametrize(
    "query", ["?print=1", "?page=-1&slug=%00", "?" + "x=' OR 1=1 --&" * 200, "?niveau=college"]
)
@pytest.mark.parametrize("url", [url for url, _ in PAGES])
def test_query_strings_are_ignored(client, seed, url, query):
    assert client.get(url + query).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/brochure/flyers/associations/inconnue/",
        "/brochure/flyers/niveaux/inconnu/",
        "/brochure/flyers/niveaux/%00/",
        "/brochure/flyers/associations/" + "a" * 300 + "/",
        "/brochure/flyers/associations/é/",
        "/brochure/flyers/autre/afev/",
    ],
)
def test_unknown_flyers_are_a_404(client, seed, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Cette page n’existe pas" in response.content.decode()


@pytest.mark.parametrize("url", [url for url, _ in PAGES])
def test_read_only(client, seed, url):
    assert client.post(url).status_code == 405


class TestBrochure:
    def test_follows_the_original_brochure_from_the_database(self, client, seed):
        response = client.get(BROCHURE)
        page = text(response)
        collective = Collective.objects.load()
        expected_in_order = [
            "À chaque jeune son mentor : un engagement pour l’égalité des chances",
            "10 associations, 432 places",
            "Le Collectif Mentorat",
            "Le Collectif Mentorat a pour vocation de fédérer",
            "En 2022, les associations du Collectif Mentorat ont accompagné 150 000 jeunes",
            "Les missions du Collectif Mentorat",
            "Porter un plaidoyer pour un droit au mentorat",
            "1 jeune, 1 mentor",
            "Le site national : https://www.1jeune1mentor.fr/",
            "La Cité éducative de Roubaix",
            "Les objectifs de la Cité éducative de Roubaix",
            "La coopération entre acteurs éducatifs : La Cité Éducative roubaisienne",
            "Le mentorat, c’est quoi ?",
            "Le mentorat désigne une relation bénévole",
            "Quels jeunes peuvent être accompagnés par un mentor ?",
            "Le mentorat s’adresse aux jeunes de 5 à 30 ans.",
            "Qui peut être mentor ?",
            "Il n’y a pas de compétences spécifiques",
            "Un impact confirmé sur la vie des jeunes",
            "84 % des jeunes mentoré·e·s ont plus confiance",
            "Sources : Études d’impact du Collectif Mentorat et de ses organisations membres",
            "Angèle, Lycéenne, 17 ans",
            "Pierre, Père d’un collégien en classe de 5e",
            "Le Collectif Mentorat au service des jeunes et des acteurs de la Cité éducative",
            "Grâce à leur complémentarité en termes de publics accompagnés",
            "Des associations implantées sur le territoire",
            "localhost:8000/carte/",
            "Afev",
            "Télémaque",
            "Merci",
            "Écrivez au Collectif Mentorat à Roubaix : roubaix@collectifmentorat.fr",
            "Licence Ouverte 2.0 : localhost:8000/donnees/",
        ]
        position = 0
        for snippet in expected_in_order:
            found = page.find(snippet, position)
            assert found > -1, f"« {snippet} » manque ou n’est pas à sa place"
            position = found + len(snippet)
        assert collective.impact_source in page

    def test_one_page_per_association_with_the_originals_sections(self, client, seed):
        response = client.get(BROCHURE)
        sheets = re.findall(
            r'<section class="sheet sheet--association"(.*?)</section>',
            response.content.decode(),
            flags=re.S,
        )
        associations = list(records.exported_associations())
        assert len(sheets) == len(associations) == 10
        for association, sheet in zip(associations, sheets, strict=True):
            assert f'<h2 id="titre-{association.slug}">{association.name}</h2>' in sheet
            for heading in [
                "Présentation",
                "Modalités d’accompagnement",
                "Chiffres",
                "Pour qui",
                "Contact",
                "Types de partenaires",
                "Où",
            ]:
                assert f"<h3>{heading}</h3>" in sheet
            for contact in association.contacts.all():
                assert f'href="mailto:{contact.email}">{contact.email}</a>' in sheet
            if association.website:
                assert f">{association.website_label}</a>" in sheet
            url = "http://localhost:8000" + association.get_absolute_url()
            assert str(printing.qr_code(url)) in sheet
            assert f'<a class="url" href="{url}">{url.removeprefix("http://")}</a>' in sheet

    def test_the_pages_say_what_the_brochure_said(self, client, seed):
        page = text(client.get(BROCHURE))
        for snippet in [
            "Programme de mentorat créé en 1992",
            "31 125 jeunes mentorés en 2022, dont 120 dans la Métropole lilloise",
            "Capacité d’accompagnement dans la Cité éducative de Roubaix : 90 jeunes",
            "Capacité d’accompagnement dans la Cité éducative de Roubaix : 200 jeunes ou plus",
            "Durée : Une année scolaire ou plus",
            "Écoles élémentaires REP REP +",
            "s.hannou@proxite.com 06 36 15 26 43",
            "Site : lacravatesolidaire.org/lille/actions",
            "Réservé aux Jeunes réfugiés ou issus de l’immigration",
        ]:
            assert snippet.replace("\u202f", " ") in page.replace("\u202f", " "), snippet

    def test_shows_what_is_to_check_only_when_the_association_allows_it(self, client, seed):
        afev = Association.objects.get(slug="afev")
        ReviewItemFactory(association=afev, note="Le courriel reste à confirmer.")
        assert "Le courriel reste à confirmer." not in text(client.get(BROCHURE))
        afev.show_review_items_publicly = True
        afev.save()
        assert "À vérifier : Contacts : Le courriel reste à confirmer." in text(
            client.get(BROCHURE)
        )

    def test_staff_edits_are_in_the_next_print(self, client, seed):
        collective = Collective.objects.load()
        collective.missions = "Une mission revue par l’équipe"
        collective.save()
        Association.objects.filter(slug="telemaque").update(roubaix_capacity=15)
        page = text(client.get(BROCHURE))
        assert "Une mission revue par l’équipe" in page
        assert "Porter un plaidoyer" not in page
        assert "Roubaix : 15 jeunes" in page

    def test_an_empty_directory_still_prints(self, client, db):
        response = client.get(BROCHURE)
        assert response.status_code == 200
        assert "0 association, 0 place" in text(response)


class TestPlacesMap:
    def test_the_seed_draws_roubaix_and_its_approximate_place(self, client, seed):
        response = client.get(BROCHURE)
        sheet = response.context["sheets"][0]
        assert sheet["association"].slug == "afev"
        drawn = sheet["map"]
        assert drawn["outline"].startswith("M") and drawn["outline"].endswith(" Z")
        assert [point["number"] for point in drawn["points"]] == [1]
        page = response.content.decode()
        assert 'class="places-map__point places-map__point--approximate"' in page
        assert (
            '<title id="carte-afev-titre">Carte de Roubaix et des lieux de Afev, numérotés '
            "comme dans la liste</title>" in page
        )

    def test_points_stay_inside_the_drawing_and_keep_the_lists_numbers(self, seed):
        association = AssociationFactory()
        LocationFactory(association=association, label="A", latitude=Decimal("50.7"))
        LocationFactory(association=association, label="B", latitude=None, longitude=None)
        LocationFactory(
            association=association,
            label="C",
            latitude=Decimal("50.63"),
            longitude=Decimal("3.06"),
            is_approximate=False,
        )
        drawn = printing.places_map(list(association.locations.order_by("label")))
        assert [(p["number"], p["place"].label) for p in drawn["points"]] == [(1, "A"), (3, "C")]
        for point in drawn["points"]:
            assert 0 <= point["x"] <= drawn["width"]
            assert 0 <= point["y"] <= drawn["height"]
        # Lille is west of Roubaix: the drawing widens to show it.
        assert drawn["points"][1]["x"] < drawn["points"][0]["x"]

    def test_a_place_without_coordinates_is_listed_not_drawn(self, client, seed):
        Location.objects.filter(association__slug="afev").update(latitude=None, longitude=None)
        response = client.get(BROCHURE)
        assert response.context["sheets"][0]["map"]["points"] == []
        page = response.content.decode()
        afev_sheet = page[page.index('id="titre-afev"') : page.index('id="titre-anaf"')]
        assert '<svg class="places-map"' not in afev_sheet
        assert "Afev à Roubaix (lieu à préciser), 59100 Roubaix" in afev_sheet

    def test_no_outline_file_still_draws_the_points(self, seed, monkeypatch):
        monkeypatch.setattr(printing, "_commune_ring", lambda: [])
        drawn = printing.places_map(list(Location.objects.filter(association__slug="afev")))
        assert drawn["outline"] == ""
        assert len(drawn["points"]) == 1
        assert printing.places_map([]) is None


class TestFlyers:
    def test_the_index_lists_a_flyer_per_association_and_per_level(self, client, seed):
        response = client.get(FLYERS)
        page = response.content.decode()
        for association in Association.objects.all():
            assert f'<a href="{association_flyer(association.slug)}">{association.name}</a>' in page
        assert f'<a href="{level_flyer("college")}">Collège</a> (5 associations)' in page
        # In school order, as staff set it, not alphabetical.
        assert [level.slug for level in response.context["levels"]] == [
            "ecole",
            "college",
            "lycee",
            "lycee-pro",
            "apprentissage",
            "etudes-superieures",
            "recherche-emploi",
            "sans-activite",
        ]
        # No association accompanies children at the maternelle yet: no flyer to print.
        assert level_flyer("maternelle") not in page

    def test_an_association_flyer(self, client, seed):
        response = client.get(association_flyer("proxite"))
        page = text(response)
        assert "Proxité" in page
        assert "s.hannou@proxite.com 06 36 15 26 43" in page
        assert "Places dans la Cité éducative de Roubaix : 30 jeunes" in page
        url = "http://localhost:8000/associations/proxite/"
        assert str(printing.qr_code(url)) in response.content.decode()
        assert "ou tapez : localhost:8000/associations/proxite/" in page
        assert "roubaix@collectifmentorat.fr" in page

    def test_a_level_flyer_points_to_the_filtered_orientation_search(self, client, seed):
        response = client.get(level_flyer("college"))
        page = text(response)
        assert "Collège : un mentor pour avancer" in page
        url = "http://localhost:8000/orientation/jeune/?situation=college"
        assert str(printing.qr_code(url)) in response.content.decode()
        assert "ou tapez : localhost:8000/orientation/jeune/?situation=college" in page
        assert "5 associations pour ce niveau" in page
        names = [a.name for a in response.context["associations"]]
        assert names == ["Afev", "FACE MEL", "LA CLÉ", "Proxité", "Télémaque"]
        assert "lacle@associationlacle.org" in page

    def test_a_level_nobody_serves_says_whom_to_ask(self, client, seed):
        page = text(client.get(level_flyer("maternelle")))
        assert "Aucune association n’accompagne encore ce niveau" in page

    def test_the_orientation_search_address(self, seed):
        level = Level.objects.get(slug="lycee-pro")
        assert printing.orientation_search_url(level) == (
            "http://localhost:8000/orientation/jeune/?situation=lycee-pro"
        )


def test_qr_codes_are_decorative_svg_without_inline_style():
    svg = str(printing.qr_code("http://localhost:8000/"))
    assert svg.startswith('<svg aria-hidden="true" focusable="false" viewBox=')
    assert "style" not in svg
    assert 'class="qr-code"' in svg
