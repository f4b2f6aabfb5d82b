"""The printable brochure and the flyers, as HTML (their PDF is in tests/browser/)."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from associations.models import Association, Collective, Contact, Level, Location
from core.french import NNBSP
from opendata import printing, records
from opendata import views as opendata_views

from .factories import AssociationFactory, LocationFactory, ReviewItemFactory, edit
from .helpers import page_text

# The smallest PNG there is: one transparent pixel, for a logo staff upload.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

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
    # The associations counted (the pages), one page of their names, the levels with how
    # many associations each.
    (FLYERS, 3),
    # The association with all it publishes, the Collectif for the footer.
    (association_flyer("afev"), 11),
    # The level, whether an association takes it, the Collectif, the associations and
    # their contacts (the list is then cached: see CACHED below).
    (level_flyer("college"), 5),
]
# Once cached (core.cache), until staff edit the directory: what stays of each page.
CACHED = [
    # The brochure's content is cached whole: the page around it reads nothing.
    (BROCHURE, 0),
    # The whole page is cached (core.page_cache).
    (FLYERS, 0),
    # The whole page is cached (core.page_cache).
    (level_flyer("college"), 0),
]


@pytest.mark.parametrize(("url", "queries"), PAGES)
@pytest.mark.parametrize("fixture", ["seed", "many"])
def test_each_page_costs_a_fixed_number_of_queries(
    client, request, django_assert_num_queries, url, queries, fixture
):
    request.getfixturevalue(fixture)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(("url", "queries"), CACHED)
def test_a_cached_page_costs_fewer_queries(client, seed, django_assert_num_queries, url, queries):
    first = client.get(url).content.decode()
    with django_assert_num_queries(queries):
        again = client.get(url)
    # The same page but for this visitor's nonce.
    assert re.sub(r'nonce="[^"]+"', "", again.content.decode()) == re.sub(
        r'nonce="[^"]+"', "", first
    )


@pytest.mark.parametrize("url", [url for url, _ in PAGES])
def test_every_page_is_public_french_with_one_h1_and_the_print_styles(client, seed, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assert page.count("<h1") == 1
    assertInHTML('<link rel="stylesheet" href="/static/css/print.css">', page)
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


def sheet_html(response, slug):
    html = response.content.decode()
    start = html.index(f'aria-labelledby="titre-{slug}"')
    return html[start : html.index("</section>", start)]


def sheet_text(response, slug):
    """What an association's printed page says."""
    return page_text(HttpResponse(sheet_html(response, slug)))


class TestBrochure:
    def test_follows_the_original_brochure_from_the_database(self, client, seed):
        response = client.get(BROCHURE)
        page = page_text(response)
        collective = Collective.objects.load()
        expected_in_order = [
            "À chaque jeune son mentor : un engagement pour l’égalité des chances",
            # Article 1 takes "200 jeunes ou plus": the total is a floor, as the brochure says.
            "10 associations, au moins 432 places",
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
            "84 % des jeunes qui ont un mentor ont plus confiance",
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
            r'<section class="sheet sheet--association[^"]*"(.*?)</section>',
            response.content.decode(),
            flags=re.S,
        )
        associations = list(records.exported_associations())
        assert len(sheets) == len(associations) == 10
        for association, sheet in zip(associations, sheets, strict=True):
            assertInHTML(f'<h2 id="titre-{association.slug}">{association.name}</h2>', sheet)
            for heading in [
                "Présentation",
                "Modalités d’accompagnement",
                "Pour qui",
                "Contact",
                "Types de partenaires",
                "Où",
            ]:
                assert f"<h3>{heading}" in sheet
            # The figures stand across the page, under their heading for screen readers.
            assertInHTML('<h3 class="visually-hidden">Chiffres</h3>', sheet)
            # As the fiche shows them: a withheld address (ANAF's was Afev's) is not printed.
            for contact in association.contacts.all():
                link = f'href="mailto:{contact.email}">{contact.email}</a>'
                assert (link in sheet) is bool(contact.public_email), contact
            if association.website:
                assert f">{association.website_label}</a>" in sheet
            url = "http://localhost:8000" + association.get_absolute_url()
            assert str(printing.qr_code(url)) in sheet
            assertInHTML(f'<a class="url" href="{url}">{url.removeprefix("http://")}</a>', sheet)

    def test_the_pages_say_what_the_brochure_said(self, client, seed):
        page = page_text(client.get(BROCHURE))
        for snippet in [
            "Programme de mentorat créé en 1992",
            "31 125 jeunes mentorés en 2022, dont 120 dans la Métropole lilloise",
            "Capacité d’accompagnement dans la Cité éducative de Roubaix : 90 jeunes",
            "Capacité d’accompagnement dans la Cité éducative de Roubaix : 200 jeunes ou plus",
            "Durée : Une année scolaire ou plus",
            "Écoles élémentaires REP REP +",
            "Contact (à vérifier) s.hannou@proxite.com 06 36 15 26 43",
            "Site : lacravatesolidaire.org/lille/actions",
            "Réservé aux Jeunes réfugiés ou issus de l’immigration",
        ]:
            assert snippet.replace("\u202f", " ") in page.replace("\u202f", " "), snippet

    def test_shows_what_is_to_check_only_when_the_association_allows_it(self, client, seed):
        afev = Association.objects.get(slug="afev")
        ReviewItemFactory(association=afev, note="Le courriel reste à confirmer.")
        assert "Le courriel reste à confirmer." not in page_text(client.get(BROCHURE))
        afev.show_review_items_publicly = True
        afev.save()
        assert (
            "Information à vérifier auprès de l’association Contacts : Le courriel reste à "
            "confirmer." in page_text(client.get(BROCHURE))
        )

    def test_the_brochures_suspected_errors_are_printed(self, client, seed):
        response = client.get(BROCHURE)
        page = page_text(response)
        anaf = sheet_text(response, "anaf")
        assert (
            "Information à vérifier auprès de l’association Contacts : Le courriel "
            "lille@afev.org est celui de l’Afev dans la brochure" in anaf
        )
        # Staff-only notes (the approximate places) are not printed.
        assert "aucune source publique consultée" not in page

    def test_addresses_are_printed_as_the_fiche_shows_them(self, client, seed, staff_member):
        """ANAF's brochure address is Afev's, withheld until confirmed: never printed as
        ANAF's; an address not confirmed yet is printed "à vérifier"."""
        response = client.get(BROCHURE)
        assert "mailto:lille@afev.org" not in sheet_html(response, "anaf")
        assert (
            "Courriel en cours de vérification : demandez la mise en relation sur le portail, "
            "ou écrivez au Collectif Mentorat (roubaix@collectifmentorat.fr), qui transmet."
        ) in sheet_text(response, "anaf")
        assert "Contact (à vérifier) lille@afev.org" in sheet_text(response, "afev")
        contact = Contact.objects.get(association__slug="afev")
        contact.confirm_email(by=staff_member)
        contact.save()
        afev = sheet_text(client.get(BROCHURE), "afev")
        assert "Contact lille@afev.org" in afev and "à vérifier" not in afev

    def test_capacity_floors_and_unknown_capacities_make_an_at_least(self, client, seed):
        Association.objects.filter(slug="article-1").update(roubaix_capacity_is_minimum=False)
        assert "10 associations, 432 places" in page_text(client.get(BROCHURE))
        AssociationFactory(roubaix_capacity=None)
        assert "11 associations, au moins 432 places" in page_text(client.get(BROCHURE))

    def test_french_typography(self, client, seed):
        Collective.objects.update(updated_at=datetime(2026, 12, 1, 10, tzinfo=UTC))
        Association.objects.update(updated_at=datetime(2026, 11, 30, 10, tzinfo=UTC))
        page = client.get(BROCHURE).content.decode()
        # The first of the month is an ordinal.
        assert "données mises à jour le 1er décembre 2026" in page
        # Thin non-breaking spaces between thousands, before « ? », « ; » and « % ».
        assert f"31{NNBSP}125 jeunes mentorés" in page
        assert "Le mentorat, c’est quoi&#8239;?" in page
        assertInHTML("<strong>84&#8239;%</strong>", page)
        assert "portail&#8239;; données" in page

    def test_the_overview_is_a_grid_of_levels_and_associations(self, client, seed):
        response = client.get(BROCHURE)
        # Only the levels some association takes: nobody takes the maternelle yet.
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
        html = response.content.decode()
        table = html[html.index('<table class="grid-table">') : html.index("</table>")]
        rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
        header, afev = rows[0], rows[1]
        assert header.count('<th scope="col"') == 1 + 8 + 2 + 1
        assert ">Afev<" in afev and "5 à 18\u00a0ans" in afev
        said = re.findall(
            r'data-label="([^"]+)">(?:<span aria-hidden="true">●</span>)?'
            r'<span class="visually-hidden">(oui|non)</span>',
            afev,
        )
        assert said == [
            ("École élémentaire", "oui"),
            ("Collège", "oui"),
            ("Lycée général ou technologique", "oui"),
            ("Lycée professionnel", "oui"),
            ("Apprentissage", "non"),
            ("Études supérieures", "non"),
            ("En recherche d’emploi ou de formation", "non"),
            ("Ni en études ni en emploi", "non"),
            ("En présentiel", "oui"),
            ("À distance", "oui"),
        ]
        assertInHTML(
            '<td class="grid-table__places" data-label="Places à Roubaix">90 jeunes</td>', afev
        )

    def test_meeting_places_are_printed_once(self, client, seed):
        response = client.get(BROCHURE)
        afev = sheet_text(response, "afev")
        # The brochure's own words, not the vocabulary's as well.
        assert "Au domicile du jeune, dans un lieu tiers ou à distance" in afev
        assert "Lieu de rencontre" not in afev
        assert "Lieu de rencontre : en entreprise" in sheet_text(response, "proxite")

    def test_logos_are_printed_when_staff_upload_them(self, client, seed, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        afev = Association.objects.get(slug="afev")
        afev.logo = SimpleUploadedFile("afev.png", PNG, content_type="image/png")
        afev.save()
        sheet = "".join(
            re.findall(
                r'<section class="sheet sheet--association[^"]*" aria-labelledby="titre-afev">'
                r"(.*?)</section>",
                client.get(BROCHURE).content.decode(),
                flags=re.S,
            )
        )
        assertInHTML(f'<img class="sheet__logo" src="{afev.logo.url}" alt="">', sheet)
        flyer = client.get(association_flyer("afev")).content.decode()
        assertInHTML(f'<img class="sheet__logo" src="{afev.logo.url}" alt="">', flyer)
        # Without one, nothing is shown in its place.
        assert "sheet__logo" not in client.get(association_flyer("anaf")).content.decode()

    def test_staff_edits_are_in_the_next_print(self, client, seed):
        collective = Collective.objects.load()
        collective.missions = "Une mission revue par l’équipe"
        collective.save()
        Association.objects.filter(slug="telemaque").update(roubaix_capacity=15)
        page = page_text(client.get(BROCHURE))
        assert "Une mission revue par l’équipe" in page
        assert "Porter un plaidoyer" not in page
        assert "Roubaix : 15 jeunes" in page

    def test_an_empty_directory_still_prints(self, client, db):
        response = client.get(BROCHURE)
        assert response.status_code == 200
        assert "0 association, 0 place" in page_text(response)

    def test_each_page_gets_the_type_size_that_fills_it(self, client, seed):
        """Read on the printed PDF: short pages get larger type, long ones smaller."""
        density = {
            s["association"].slug: s["density"] for s in client.get(BROCHURE).context["sheets"]
        }
        assert density["afev"] == "roomy"
        assert density["proxite"] == ""
        assert density["article-1"] == "dense"
        edit(Association.objects.get(slug="article-1"), show_review_items_publicly=False)
        density = {
            s["association"].slug: s["density"] for s in client.get(BROCHURE).context["sheets"]
        }
        assert density["article-1"] == ""


class TestPlacesMap:
    def test_an_approximate_place_is_listed_not_drawn(self, client, seed):
        """The seed's places are the centre of Roubaix: on paper, a dot would look exact."""
        response = client.get(BROCHURE)
        assert [sheet["map"] for sheet in response.context["sheets"]] == [None] * 10
        page = response.content.decode()
        assert '<svg class="places-map"' not in page
        assert (
            '<ul class="places plain">\n  \n  <li>Afev à Roubaix (lieu à préciser), 59100 Roubaix '
            '<span class="muted">(emplacement approximatif)</span></li>' in page
        )

    def test_an_exact_place_is_drawn_on_roubaix(self, client, seed):
        Location.objects.filter(association__slug="afev").update(is_approximate=False)
        response = client.get(BROCHURE)
        drawn = response.context["sheets"][0]["map"]
        assert drawn["outline"].startswith("M") and drawn["outline"].endswith(" Z")
        assert [point["number"] for point in drawn["points"]] == [1]
        page = response.content.decode()
        assert '<circle class="places-map__point"' in page
        assert (
            '<title id="carte-afev-titre">Carte de Roubaix et des lieux de Afev, numérotés '
            "comme dans la liste</title>" in page
        )
        assert '<ol class="places">' in page

    def test_points_stay_inside_the_drawing_and_keep_the_lists_numbers(self, seed):
        association = AssociationFactory()
        LocationFactory(
            association=association, label="A", latitude=Decimal("50.7"), is_approximate=False
        )
        LocationFactory(association=association, label="B", latitude=None, longitude=None)
        LocationFactory(association=association, label="B2")  # approximate: not drawn
        LocationFactory(
            association=association,
            label="C",
            latitude=Decimal("50.63"),
            longitude=Decimal("3.06"),
            is_approximate=False,
        )
        drawn = printing.places_map(list(association.locations.order_by("label")))
        assert [(p["number"], p["place"].label) for p in drawn["points"]] == [(1, "A"), (4, "C")]
        for point in drawn["points"]:
            assert 0 <= point["x"] <= drawn["width"]
            assert 0 <= point["y"] <= drawn["height"]
        # Lille is west of Roubaix: the drawing widens to show it.
        assert drawn["points"][1]["x"] < drawn["points"][0]["x"]

    def test_a_place_without_coordinates_is_listed_not_drawn(self, client, seed):
        Location.objects.filter(association__slug="afev").update(
            latitude=None, longitude=None, is_approximate=False
        )
        response = client.get(BROCHURE)
        assert response.context["sheets"][0]["map"] is None
        page = response.content.decode()
        afev_sheet = page[page.index('id="titre-afev"') : page.index('id="titre-anaf"')]
        assert '<svg class="places-map"' not in afev_sheet
        assert "Afev à Roubaix (lieu à préciser), 59100 Roubaix" in afev_sheet

    def test_no_outline_file_still_draws_the_points(self, seed, monkeypatch):
        monkeypatch.setattr(printing, "_commune_ring", lambda: [])
        Location.objects.filter(association__slug="afev").update(is_approximate=False)
        drawn = printing.places_map(list(Location.objects.filter(association__slug="afev")))
        assert drawn["outline"] == ""
        assert len(drawn["points"]) == 1
        assert printing.places_map([]) is None


class TestFlyers:
    def test_the_index_lists_a_flyer_per_association_and_per_level(self, client, seed):
        response = client.get(FLYERS)
        page = response.content.decode()
        for association in Association.objects.all():
            assertInHTML(
                f'<a href="{association_flyer(association.slug)}">{association.name}</a>', page
            )
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

    def test_the_index_lists_the_associations_page_by_page(self, client, seed, monkeypatch):
        monkeypatch.setattr(opendata_views, "FLYERS_PAGE_SIZE", 4)
        first = client.get(FLYERS)
        names = [association.name for association in Association.objects.all()]
        assert [name for name in names if f">{name}</a></li>" in first.text] == names[:4]
        assert "Page 1 sur 3" in page_text(first)
        assert 'href="?page=2#associations"' in first.text
        last = client.get(FLYERS, {"page": "3"})
        assert [name for name in names if f">{name}</a></li>" in last.text] == names[8:]
        assert "<title>Affichettes à imprimer — page 3 sur 3 —" in last.text
        assert 'aria-label="Pages de la liste des affichettes"' in last.text
        # The levels' flyers are on every page.
        assert f'<a href="{level_flyer("college")}">Collège</a>' in last.text
        for asked in ["0", "999999", "x", "9" * 300]:
            response = client.get(FLYERS, {"page": asked})
            assert response.status_code == 200
            assert "Page 1 sur 3" in page_text(response) or "Page 3 sur 3" in page_text(response)

    def test_an_association_flyer(self, client, seed):
        response = client.get(association_flyer("proxite"))
        page = page_text(response)
        assert "Proxité" in page
        assert "Contact (à vérifier) s.hannou@proxite.com 06 36 15 26 43" in page
        assert "Places dans la Cité éducative de Roubaix : 30 jeunes" in page
        url = "http://localhost:8000/associations/proxite/"
        assert str(printing.qr_code(url)) in response.content.decode()
        assert "ou tapez : localhost:8000/associations/proxite/" in page
        assert "roubaix@collectifmentorat.fr" in page

    def test_a_level_flyer_points_to_the_filtered_orientation_search(self, client, seed):
        response = client.get(level_flyer("college"))
        page = page_text(response)
        assert "Collège : un mentor pour avancer" in page
        url = "http://localhost:8000/orientation/jeune/?situation=college"
        assert str(printing.qr_code(url)) in response.content.decode()
        assert "ou tapez : localhost:8000/orientation/jeune/?situation=college" in page
        assert "5 associations pour ce niveau" in page
        names = [a.name for a in response.context["associations"]]
        assert names == ["Afev", "FACE MEL", "LA CLÉ", "Proxité", "Télémaque"]
        assert "lacle@associationlacle.org (à vérifier)" in page

    def test_a_level_flyer_never_prints_a_withheld_address(self, client, seed):
        page = page_text(client.get(level_flyer("apprentissage")))
        anaf = page[page.index("ANAF") :][:300]
        assert "lille@afev.org" not in anaf
        assert "Courriel en cours de vérification : passez par le portail" in anaf

    def test_no_flyer_for_a_level_nobody_takes(self, client, seed):
        """ "Un mentor pour avancer", then "no association": not worth the paper."""
        assert client.get(level_flyer("maternelle")).status_code == 404
        Association.objects.get(slug="afev").levels.add(Level.objects.get(slug="maternelle"))
        assert "1 association pour ce niveau" in page_text(client.get(level_flyer("maternelle")))

    def test_flyers_say_what_is_to_check_in_one_line(self, client, seed):
        page = page_text(client.get(association_flyer("article-1")))
        assert (
            "Information à vérifier auprès de l’association : mentors, modalités (détails sur "
            "sa fiche)." in page
        )
        assert "Information à vérifier" not in page_text(client.get(association_flyer("afev")))
        level = page_text(client.get(level_flyer("lycee")))
        article_1 = level[level.index("Article 1") : level.index("C’Possible")]
        assert "Information à vérifier auprès de l’association" in article_1
        assert level.count("Information à vérifier auprès de l’association") == 2  # and FACE MEL

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
