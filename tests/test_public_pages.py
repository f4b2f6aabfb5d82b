import json
import re

import pytest
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from associations.models import Association, Collective, Contact, ReviewItem
from mentorat import views as mentorat_views

from .factories import AssociationFactory, ContactFactory, LocationFactory, edit
from .helpers import page_text

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    reverse("associations:home"),
    reverse("associations:presentation"),
    reverse("associations:directory"),
    reverse("associations:detail", args=["afev"]),
    reverse("associations:map"),
    reverse("pages:contact"),
    reverse("pages:legal"),
    reverse("pages:privacy"),
    reverse("pages:accessibility"),
]


def card_names(response):
    return [association.name for association in response.context["associations"]]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_is_french_with_one_h1_a_title_and_a_canonical_url(client, seed, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assert page.count("<h1") == 1
    assert 'href="#contenu"' in page and 'id="contenu"' in page
    assertInHTML(f'<link rel="canonical" href="http://localhost:8000{url}">', page)
    assert re.search(r"<title>[^<]{10,}</title>", page)


def test_titles_are_unique(client, seed):
    titles = [
        re.search(r"<title>([^<]*)</title>", client.get(url).content.decode())[1]
        for url in PUBLIC_PAGES
    ]
    assert len(set(titles)) == len(titles)


class TestHome:
    def test_home_says_what_a_family_and_a_volunteer_do_in_short_sentences(self, client, seed):
        page = page_text(client.get("/"))
        assert (
            "10 associations de mentorat, au moins 432 places dans la Cité éducative de Roubaix"
            in page
        )
        assert "Un mentor est un adulte bénévole." in page
        steps = [
            "Vous cherchez un mentor ? Pour vous ou pour votre enfant, de 5 à 30 ans.",
            "Répondez à quelques questions : l’âge, la classe, les besoins.",
            "Le site montre les associations qui conviennent.",
            "Envoyez une demande. L’association la reçoit et vous répond.",
            "Vous voulez devenir mentor ? Pas besoin de diplôme ni d’expérience.",
            "Dites qui vous êtes et le temps que vous avez.",
        ]
        position = 0
        for step in steps:
            position = page.index(step, position)
        assert "10 associations de mentorat travaillent avec les jeunes" in page
        for figure in ["84 %", "89 %", "72 %", "86 %"]:
            assert figure in page
        assert "Source : Études d’impact du Collectif Mentorat" in page
        assert "Angèle, Lycéenne, 17 ans" in page
        assert "roubaix@collectifmentorat.fr" in page
        # The institutional prose is one link away, not on the home page.
        assert "vecteur d’égalité des chances" not in page
        assert "super-plateforme" not in page
        assertInHTML(
            '<a href="/presentation/">Lire la présentation complète du Collectif, du mentorat '
            "et de la Cité éducative</a>",
            client.get("/").content.decode(),
        )

    def test_the_presentation_keeps_the_collectifs_words(self, client, seed):
        page = page_text(client.get(reverse("associations:presentation")))
        for said in [
            "Le mentorat désigne une relation bénévole d’accompagnement",
            "Le mentorat s’adresse aux jeunes de 5 à 30 ans.",
            "Il n’y a pas de compétences spécifiques ou d’expériences requises pour être mentor.",
            "Le Collectif Mentorat a pour vocation de fédérer",
            "Porter un plaidoyer pour un droit au mentorat",
            "La Cité éducative n’est pas un dispositif de plus",
        ]:
            assert said in page

    def test_home_offers_three_ways_in(self, client, seed):
        response = client.get("/")
        for name, url in [
            ("Je cherche un mentor", reverse("orientation:young")),
            ("Je veux devenir mentor", reverse("orientation:volunteer")),
            ("Voir la carte", reverse("associations:map")),
        ]:
            assert re.search(
                rf'<a href="{re.escape(url)}"><strong>{name}</strong>', response.content.decode()
            )

    def test_staff_edits_change_the_home_page(self, client, seed):
        collective = Collective.objects.load()
        collective.mentoring_definition = "Une définition revue par l’équipe."
        collective.save()
        figure = collective.impact_figures.first()
        figure.percentage = 91
        figure.save()
        assert "91 %" in page_text(client.get("/"))
        presentation = page_text(client.get(reverse("associations:presentation")))
        assert "Une définition revue par l’équipe." in presentation

    def test_home_works_before_any_data(self, client, db):
        response = client.get("/")
        assert response.status_code == 200
        assert "0 association de mentorat, 0 place" in page_text(response)


class TestDirectory:
    def test_every_association_has_a_card(self, client, seed):
        response = client.get(reverse("associations:directory"))
        assert card_names(response) == [
            "Afev",
            "ANAF",
            "Article 1",
            "C’Possible",
            "DUO for a JOB",
            "FACE MEL",
            "LA CLÉ",
            "La Cravate Solidaire",
            "Proxité",
            "Télémaque",
        ]
        page = page_text(response)
        assert "10 associations, au moins 432 places dans la Cité éducative." in page
        assert "Âge 5 à 18 ans" in page
        assert "200 jeunes ou plus" in page
        assert 'href="/associations/afev/"' in response.content.decode()

    def test_filter_by_level_gives_a_shareable_list_and_its_totals(self, client, seed):
        response = client.get(reverse("associations:directory"), {"niveau": "ecole"})
        assert card_names(response) == ["Afev", "LA CLÉ"]
        assert "2 associations sur 10 correspondent à vos critères, 100 places" in page_text(
            response
        )

    def test_filters_combine(self, client, seed):
        response = client.get(
            reverse("associations:directory"),
            {"besoin": "insertion-pro", "modalite": "presentiel", "mentor": "retraite"},
        )
        assert card_names(response) == ["DUO for a JOB", "FACE MEL"]

    def test_filter_by_remote_modality(self, client, seed):
        response = client.get(reverse("associations:directory"), {"modalite": "distanciel"})
        assert "Proxité" not in card_names(response)
        assert len(card_names(response)) == 9

    def test_sort_by_capacity(self, client, seed):
        response = client.get(reverse("associations:directory"), {"tri": "places"})
        assert card_names(response)[:2] == ["Article 1", "Afev"]

    def test_no_match_says_so(self, client, seed):
        response = client.get(reverse("associations:directory"), {"niveau": "maternelle"})
        assert card_names(response) == []
        assert "Aucune association ne correspond à tous ces critères." in page_text(response)

    @pytest.mark.parametrize(
        "params",
        [
            {"niveau": "inconnu"},
            {"niveau": "<script>alert(1)</script>"},
            {"modalite": "x" * 5000},
            {"tri": "password"},
            {"tri": "-" * 300},
            {"mentor": "\x00"},
            {"besoin": "😀" * 50},
            {"niveau": ["college", "lycee"]},
        ],
    )
    def test_absurd_values_get_a_message_never_a_500(self, client, seed, params):
        response = client.get(reverse("associations:directory"), params)
        assert response.status_code == 200
        page = response.content.decode()
        assert "<script>alert(1)</script>" not in page
        if params.get("niveau") == "inconnu":
            assert "Sélectionnez un choix valide" in page

    def test_queries_do_not_grow_with_associations(self, client, seed, django_assert_num_queries):
        url = reverse("associations:directory")
        # totals (2), page count, the page, its levels, three filter choices; then the
        # cards are a cached fragment (tests/test_directory_cache.py)
        with django_assert_num_queries(8) as small:
            client.get(url, {"modalite": "presentiel"})
        for _ in range(40):
            AssociationFactory(levels=[], needs=[])
        with django_assert_num_queries(len(small.captured_queries)):
            client.get(url, {"modalite": "presentiel"})

    def test_the_unfiltered_directory_counts_its_totals_once(
        self, client, seed, django_assert_num_queries
    ):
        # As filtered, less the totals of the filtered list: they are the totals of all.
        with django_assert_num_queries(7):
            response = client.get(reverse("associations:directory"), {"tri": "places"})
        assert "10 associations, au moins 432 places dans la Cité éducative." in page_text(response)

    def test_cards_say_what_is_to_check(self, client, seed):
        """The brochure's suspected errors (ANAF's address, Article 1's modalities…)."""
        html = client.get(reverse("associations:directory")).content.decode()
        cards = {
            re.search(r'<h2><a href="[^"]+">([^<]+)</a></h2>', card)[1]: card
            for card in html.split('<li class="card">')[1:]
        }
        flagged = {name for name, card in cards.items() if "Information à vérifier" in card}
        assert flagged == {"ANAF", "Article 1", "FACE MEL"}
        # Once staff have checked and unticked "signaler au public", the card says nothing.
        edit(Association.objects.get(slug="anaf"), show_review_items_publicly=False)
        html = client.get(reverse("associations:directory")).content.decode()
        assert html.count("Information à vérifier auprès de l’association") == 2


class TestInBrief:
    """« En bref »: who, what, how often, how to ask, in short sentences."""

    def brief(self, client, slug):
        page = client.get(reverse("associations:detail", args=[slug])).content.decode()
        start = page.index('<section class="in-brief"')
        return page_text(HttpResponse(page[start : page.index("</section>", start)]))

    def test_afev_in_short_sentences(self, client, seed):
        assert self.brief(client, "afev") == (
            "En bref Pour les jeunes de 5 à 18 ans. Classes ou situations : école élémentaire, "
            "collège, lycée général ou technologique, lycée professionnel. Le mentor aide "
            "pour : réussite scolaire, confiance en soi, ouverture culturelle, motivation et "
            "autonomie. Rencontres : 2 h par semaine. Durée : une année scolaire ou plus. "
            "En présentiel et à distance. Pour demander un mentor : Être mis en relation. "
            "Pour devenir mentor : Devenir mentor ici."
        )

    def test_a_reserved_programme_says_for_whom_only(self, client, seed):
        brief = self.brief(client, "duo-for-a-job")
        assert "Seulement pour : jeunes réfugiés ou issus de l’immigration." in brief

    def test_what_the_public_is_told_to_check_is_said_to_check(self, client, seed):
        # The brochure copied Article 1's modalities from ANAF's.
        brief = self.brief(client, "article-1")
        assert (
            "Rencontres : 3 h par mois (information à vérifier auprès de l’association)." in brief
        )
        assert "Durée : 6 mois (information à vérifier auprès de l’association)." in brief
        edit(Association.objects.get(slug="article-1"), show_review_items_publicly=False)
        assert "à vérifier" not in self.brief(client, "article-1")

    def test_nothing_stated_nothing_guessed(self, client, db):
        association = AssociationFactory(
            age_min=None, age_max=None, duration_text="", meetings_period="", hours=None
        )
        association.levels.clear()
        association.needs.clear()
        brief = self.brief(client, association.slug)
        assert "Pour les jeunes" not in brief and "Rencontres" not in brief
        assert "Pour demander un mentor : Être mis en relation." in brief


class TestAssociationPage:
    def test_everything_the_brochure_says(self, client, seed):
        response = client.get(reverse("associations:detail", args=["proxite"]))
        page = page_text(response)
        for expected in [
            "À qui s’adresse l’accompagnement",
            "Qui sont les mentors",
            "Modalités d’accompagnement",
            "Durée 1 an renouvelable",
            "Fréquence 1 à 4 fois par mois",
            "Lieu En entreprise",
            "Types de partenaires",
            "Aide sociale à l’enfance",
            "Programme de mentorat créé en 2002",
            "2 100 jeunes mentorés en 2022, dont 118 dans la Métropole lilloise",
            "Capacité d’accompagnement dans la Cité éducative de Roubaix : 30 jeunes",
            "Mis à jour le 26 novembre 2026",
            "Emplacement approximatif",
        ]:
            assert expected in page, expected
        html = response.content.decode()
        assertInHTML('<a href="mailto:s.hannou@proxite.com">s.hannou@proxite.com</a>', html)
        assertInHTML('<a href="tel:+33636152643">06 36 15 26 43</a>', html)
        assertInHTML('<a href="http://proxite.com">proxite.com</a>', html)

    def test_a_belgian_phone_is_shown_with_its_country_code(self, client, seed):
        proxite = Association.objects.get(slug="proxite")
        ContactFactory(association=proxite, email="", phone="0032 470 12 34 56", position=9)
        html = client.get(reverse("associations:detail", args=["proxite"])).content.decode()
        assertInHTML('<a href="tel:+32470123456">+32 470 12 34 56</a>', html)
        assertInHTML('<a href="tel:+33636152643">06 36 15 26 43</a>', html)

    def test_the_brochures_suspected_errors_are_shown_until_staff_untick(self, client, seed):
        url = reverse("associations:detail", args=["anaf"])
        response = client.get(url)
        assert (
            "Information à vérifier auprès de l’association : Le courriel lille@afev.org est "
            "celui de l’Afev" in page_text(response)
        )
        # Next to what it is about: the contacts.
        html = response.content.decode()
        assert html.index("Information à vérifier") > html.index('id="titre-contact"')
        edit(Association.objects.get(slug="anaf"), show_review_items_publicly=False)
        assert "à vérifier" not in page_text(client.get(url))
        # Staff-only notes (the approximate places) never reach the page.
        assert "aucune source publique consultée" not in page_text(client.get(url))

    def test_a_private_review_item_is_never_shown(self, client, seed):
        association = Association.objects.get(slug="afev")
        association.show_review_items_publicly = True
        association.save()
        ReviewItem.objects.create(
            association=association, section="chiffres", note="Note interne", is_public=False
        )
        assert "Note interne" not in page_text(client.get(association.get_absolute_url()))

    def test_the_places_are_given_to_the_map(self, client, seed):
        response = client.get(reverse("associations:detail", args=["afev"]))
        data = re.search(
            r'<script id="lieux-association" type="application/json">(.*?)</script>',
            response.content.decode(),
            re.S,
        )
        features = json.loads(data[1])["features"]
        assert [f["geometry"]["coordinates"] for f in features] == [[3.1821, 50.6884]]

    def test_unknown_association_gets_a_french_404(self, client, seed):
        response = client.get("/associations/nexiste-pas/")
        assert response.status_code == 404
        assert "Cette page n’existe pas" in page_text(response)

    def test_queries_are_fixed(self, client, seed, django_assert_num_queries):
        association = AssociationFactory()
        for _ in range(5):
            ContactFactory(association=association)
            LocationFactory(association=association)
        # the association, then its vocabularies, contacts, places, publics, mentor
        # profiles and public review items (Association.objects.with_details)
        with django_assert_num_queries(10):
            client.get(association.get_absolute_url())


class TestMap:
    def test_the_map_page_lists_every_place(self, client, seed):
        response = client.get(reverse("associations:map"))
        page = page_text(response)
        assert "10 lieux, 10 associations." in page
        assert "Afev à Roubaix (lieu à préciser), 59100 Roubaix (emplacement approximatif)" in page
        assert "Licence Ouverte" in page
        html = response.content.decode()
        assert 'data-geojson-url="/api/lieux.geojson"' in html
        assert f'<script nonce="{response.context["csp_nonce"]}">' in html

    def test_filters_narrow_the_list_and_the_list_alone_can_be_asked_for(self, client, seed):
        response = client.get(
            reverse("associations:map"), {"niveau": "ecole"}, headers={"X-Partial": "liste"}
        )
        page = page_text(response)
        assert page.startswith("2 lieux, 2 associations.")
        assert "<html" not in response.content.decode()

    def test_geojson_is_an_rfc7946_feature_collection(self, client, seed):
        location = LocationFactory(
            association=Association.objects.get(slug="telemaque"),
            label="Collège",
            is_approximate=False,
        )
        response = client.get(reverse("associations:locations_geojson"))
        assert response["Content-Type"] == "application/geo+json"
        # Another site's map reads it too, as the other open-data files.
        assert response["Access-Control-Allow-Origin"] == "*"
        data = response.json()
        assert data["type"] == "FeatureCollection"
        assert data["licence"] == {
            "name": "Licence Ouverte 2.0",
            "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        }
        assert len(data["features"]) == 11
        # Ids are made of identifiers, not database keys: the same after a restore elsewhere.
        feature = next(f for f in data["features"] if f["id"] == "telemaque--college")
        assert feature["properties"]["place"] == location.label
        assert feature["type"] == "Feature"
        assert feature["geometry"] == {"type": "Point", "coordinates": [3.18, 50.69]}
        assert feature["properties"]["name"] == "Télémaque"
        assert feature["properties"]["slug"] == "telemaque"
        assert feature["properties"]["url"] == "http://localhost:8000/associations/telemaque/"
        assert feature["properties"]["approximate"] is False

    def test_geojson_follows_the_filters_and_ignores_places_without_coordinates(self, client, seed):
        LocationFactory(
            association=Association.objects.get(slug="afev"), latitude=None, longitude=None
        )
        data = client.get(
            reverse("associations:locations_geojson"), {"modalite": "presentiel", "niveau": "ecole"}
        ).json()
        assert sorted(f["properties"]["slug"] for f in data["features"]) == ["afev", "la-cle"]

    def test_geojson_ids_are_stable_and_unique(self, client, seed):
        telemaque = Association.objects.get(slug="telemaque")
        first = LocationFactory(association=telemaque, label="Collège Anne Frank")
        LocationFactory(association=telemaque, label="Collège Anne-Frank")
        LocationFactory(association=telemaque, label="!!!")
        url = reverse("associations:locations_geojson")
        ids = [f["id"] for f in client.get(url).json()["features"]]
        assert len(ids) == len(set(ids)) == 13
        assert {
            "telemaque--college-anne-frank",
            "telemaque--college-anne-frank-2",
            "telemaque--lieu",
            "afev--afev-a-roubaix-lieu-a-preciser",
        } <= set(ids)
        # Filtering keeps them: an id does not depend on what else is asked for.
        filtered = client.get(url, {"niveau": "college", "modalite": "presentiel"}).json()
        assert "telemaque--college-anne-frank-2" in [f["id"] for f in filtered["features"]]
        # The place created first keeps the plain id, whatever the order of the list.
        first.delete()
        ids = [f["id"] for f in client.get(url).json()["features"]]
        assert "telemaque--college-anne-frank" in ids
        assert "telemaque--college-anne-frank-2" not in ids

    @pytest.mark.parametrize(
        ("query", "errors"),
        [
            (
                {"niveau": "inconnu"},
                {
                    "niveau": [
                        "Valeur inconnue\u00a0: choisissez parmi maternelle, ecole, college, "
                        "lycee, lycee-pro, apprentissage, etudes-superieures, recherche-emploi, "
                        "sans-activite."
                    ]
                },
            ),
            (
                {"modalite": "<script>", "besoin": "confiance"},
                {"modalite": ["Valeur inconnue\u00a0: choisissez parmi presentiel, distanciel."]},
            ),
            (
                {"niveau": ["college", "lycee"]},
                {"niveau": ["Une seule valeur est possible pour ce paramètre."]},
            ),
            (
                {"mentor": "etudiant\x00"},
                {"mentor": ["Cette valeur contient des caractères non autorisés."]},
            ),
            ({"besoin": "x" * 500}, {"besoin": ["Cette valeur est trop longue."]}),
        ],
    )
    def test_geojson_refuses_what_it_cannot_read(self, client, seed, query, errors):
        """As the orientation API: a 400 in JSON, in French, never the value sent."""
        response = client.get(reverse("associations:locations_geojson"), query)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response.json() == {"errors": errors}
        assert "<script>" not in response.content.decode()

    def test_geojson_is_read_only(self, client, seed):
        url = reverse("associations:locations_geojson")
        assert client.head(url).status_code == 200
        for method in (client.post, client.put, client.delete):
            response = method(url)
            assert response.status_code == 405
            assert response["Access-Control-Allow-Origin"] == "*"

    def test_geojson_ignores_parameters_that_are_not_filters(self, client, seed):
        url = reverse("associations:locations_geojson")
        response = client.get(url, {"page": "x", "format": "kml", "niveau": ""})
        assert response.status_code == 200
        assert len(response.json()["features"]) == 10

    def test_geojson_answers_304_until_staff_change_a_place(self, client, seed):
        url = reverse("associations:locations_geojson")
        etag = client.get(url)["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        LocationFactory(association=Association.objects.get(slug="afev"))
        changed = client.get(url, headers={"If-None-Match": etag})
        assert changed.status_code == 200
        assert len(changed.json()["features"]) == 11

    def test_geojson_queries_are_fixed(self, client, seed, django_assert_num_queries):
        # The places and their extent; then nothing until the directory changes (cached).
        with django_assert_num_queries(2):
            client.get(reverse("associations:locations_geojson"))
        with django_assert_num_queries(0):
            client.get(reverse("associations:locations_geojson"))
        for _ in range(30):
            LocationFactory()
        with django_assert_num_queries(2):
            client.get(reverse("associations:locations_geojson"))


class TestSiteFiles:
    def test_robots_txt_points_to_the_sitemap(self, client):
        body = client.get("/robots.txt").content.decode()
        assert body == "User-agent: *\nDisallow:\nSitemap: http://localhost:8000/sitemap.xml\n"

    def test_sitemap_lists_pages_and_associations(self, client, seed):
        body = client.get("/sitemap.xml").content.decode()
        assertInHTML("<loc>http://localhost:8000/associations/afev/</loc>", body)
        assertInHTML("<loc>http://localhost:8000/carte/</loc>", body)
        # 11 pages and 10 associations in French, Arabic and English; open data and the
        # brochure in French only.
        assert body.count("<url>") == (11 + 10) * 3 + 2
        assertInHTML("<loc>http://localhost:8000/ar/associations/afev/</loc>", body)
        # Its <loc>, its French hreflang and x-default: no /ar/ nor /en/ copy.
        assert body.count("http://localhost:8000/donnees/") == 3
        assert "/ar/donnees/" not in body

    def test_contact_page_lists_every_associations_contact(self, client, seed):
        page = page_text(client.get(reverse("pages:contact")))
        assert "roubaix@collectifmentorat.fr" in page
        assert (
            "Courriel : lille@duoforajob.fr (adresse à vérifier : pas encore confirmée par "
            "l’association) · 06 16 79 88 22"
        ) in page
        # ANAF's address is Afev's, copied by the brochure: withheld until confirmed.
        anaf = page.split("ANAF", 1)[1].split("Article 1", 1)[0]
        assert "lille@afev.org" not in anaf and "Courriel en cours de vérification" in anaf

    def test_contact_page_lists_the_associations_page_by_page(self, client, seed, monkeypatch):
        monkeypatch.setattr(mentorat_views, "CONTACT_PAGE_SIZE", 4)
        url = reverse("pages:contact")
        first = client.get(url)
        assert "Page 1 sur 3" in page_text(first)
        assertInHTML(
            '<a href="?page=2#associations" rel="next">'
            '<span aria-hidden="true" class="pagination__arrow">→</span></a>',
            first.content.decode().replace("Page suivante ", ""),
        )
        names = [association.name for association in Association.objects.order_by(Lower("name"))]
        listed = [name for name in names if f"<strong>{name}</strong>" in first.text]
        assert listed == names[:4]
        last = client.get(url, {"page": "3"})
        assert [name for name in names if f"<strong>{name}</strong>" in last.text] == names[8:]
        assert "Page 3 sur 3" in page_text(last)
        # Each page says which it is in its title, and what the bar's pages are of.
        assert "<title>Contact — Page 3 sur 3 —" in last.text
        assert (
            "<title>Contact —" in first.text and "Page 1 sur" not in first.text.split("</title>")[0]
        )
        assert (
            '<nav class="pagination" aria-label="Pages de la liste des associations">' in last.text
        )
        # The contact box and the Collectif's address are on every page.
        assert "roubaix@collectifmentorat.fr" in page_text(last)

    @pytest.mark.parametrize("asked", ["999999", "0", "-1", "x", "2" * 300, "1.5", "%00"])
    def test_contact_page_absurd_page_numbers_show_a_real_page(self, client, seed, asked):
        response = client.get(reverse("pages:contact"), {"page": asked})
        assert response.status_code == 200
        assert "<strong>Afev</strong>" in response.text

    def test_contact_page_costs_the_same_queries_with_more_associations(
        self, client, many, django_assert_num_queries, page_cache_off
    ):
        with django_assert_num_queries(4):
            response = client.get(reverse("pages:contact"), {"page": "2"})
        assert response.text.count("<strong>") >= 40
        assert Association.objects.count() == 40


def test_an_address_not_yet_confirmed_is_said_to_be_checked(client, seed):
    proxite = page_text(client.get(reverse("associations:detail", args=["proxite"])))
    assert (
        "Courriel : s.hannou@proxite.com (adresse à vérifier : pas encore confirmée par "
        "l’association)"
    ) in proxite
    Contact.objects.filter(association__slug="afev").update(email_confirmed_at=timezone.now())
    afev = page_text(client.get(reverse("associations:detail", args=["afev"])))
    assert "Courriel : lille@afev.org Site" in afev  # confirmed: nothing more said
    # ANAF's address is Afev's, copied by the brochure: not shown at all.
    anaf = client.get(reverse("associations:detail", args=["anaf"]))
    # Only the note that explains the check names it, never as a way to write to ANAF.
    contacts = anaf.content.decode().split('<ul class="contact-list">')[1].split("</ul>")[0]
    assert "lille@afev.org" not in contacts
    assert "mailto:lille@afev.org" not in anaf.content.decode()
    assert "Courriel en cours de vérification : pour joindre ANAF, demandez à être mis en " in (
        page_text(anaf)
    )
    orientation = client.get(
        reverse("orientation:young"), {"qui": "jeune", "age": "17", "situation": "apprentissage"}
    ).content.decode()
    anaf_contacts = orientation.split("Contacter ANAF")[1].split("Tout savoir sur ANAF")[0]
    assert "@" not in anaf_contacts


class TestDirectoryPagination:
    def test_long_lists_are_paginated_and_keep_their_filters(self, client, seed):
        for _ in range(35):
            AssociationFactory(in_person=False, remote=True)
        url = reverse("associations:directory")
        first = client.get(url, {"modalite": "distanciel"})
        assert len(card_names(first)) == 30
        assert "Page 1 sur 2" in page_text(first)
        assert 'href="?modalite=distanciel&amp;page=2"' in first.content.decode()
        second = client.get(url, {"modalite": "distanciel", "page": "2"})
        assert len(card_names(second)) == 44 - 30
        assert "44 associations sur 45" in page_text(second)

    @pytest.mark.parametrize(
        "page", ["0", "-1", "999999", "99999999999", "abc", "1e9", "9" * 400, "²", "①", "\x00"]
    )
    def test_absurd_page_numbers_show_a_real_page(self, client, seed, page):
        response = client.get(reverse("associations:directory"), {"page": page})
        assert response.status_code == 200
        assert len(card_names(response)) == 10


def test_the_map_list_is_paginated_and_counts_everything(client, seed, django_assert_num_queries):
    for _ in range(70):
        LocationFactory()
    # filter choices (3), page count, the page of places, the association count
    with django_assert_num_queries(6):
        response = client.get(reverse("associations:map"))
    page = page_text(response)
    assert page.count("Lieu ") + page.count("(lieu à préciser)") == 60
    assert "80 lieux, 80 associations." in page
    assert "Page 1 sur 2" in page
