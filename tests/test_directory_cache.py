"""What depends only on the directory is cached (core.cache), and staff see their edit.

The GeoJSON, the exports and the brochure are built once for each version of the
directory; saving an association in the admin changes the version. Speed is the
benchmark's business (bench/): here, what a visitor gets and how many queries it costs.
"""

import io
import json

import pytest
from django.urls import reverse

from associations.geojson import MAP_POINTS_MAX
from associations.models import Association, Location
from core.cache import directory_cached, directory_version

from .factories import AssociationFactory, LocationFactory, edit
from .helpers import change_url, form_data

pytestmark = pytest.mark.django_db

GEOJSON = reverse("associations:locations_geojson")
EXPORTS = [
    reverse("opendata:association_list"),
    reverse("opendata:associations_csv"),
    reverse("opendata:data_inclusion_structures"),
    reverse("opendata:data_inclusion_services"),
    GEOJSON,
]


def rename_in_admin(staff_client, association, name):
    """Staff rename the association on its admin page, as a browser would send it."""
    data = form_data(staff_client.get(change_url(association)))
    data["name"] = name
    response = staff_client.post(change_url(association), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""


class TestStaffEditsShowAtOnce:
    @pytest.mark.parametrize(
        "url",
        [
            *EXPORTS,
            reverse("opendata:brochure"),
            # Pages with a cached fragment of the directory ({% cache … directory_version %}).
            reverse("pages:contact"),
            reverse("opendata:flyers"),
            reverse("associations:directory"),
            reverse("associations:map"),
            reverse("orientation:young") + "?qui=parent&age=12&situation=college&envoi=1",
        ],
    )
    def test_a_name_saved_in_the_admin_replaces_the_cached_one(
        self, client, staff_client, seed, url
    ):
        assert "Afev" in client.get(url).content.decode("utf-8-sig")
        afev = Association.objects.get(slug="afev")
        rename_in_admin(staff_client, afev, "Afev Roubaix-Tourcoing")
        assert "Afev Roubaix-Tourcoing" in client.get(url).content.decode("utf-8-sig")

    def test_a_new_association_enters_the_sitemap(self, client, seed):
        assert "nouvelle-venue" not in client.get("/sitemap.xml").content.decode()
        AssociationFactory(slug="nouvelle-venue")
        assert "/associations/nouvelle-venue/" in client.get("/sitemap.xml").content.decode()

    def test_a_place_moved_moves_on_the_map(self, client, seed):
        place = Location.objects.filter(association__slug="afev").first()
        client.get(GEOJSON)
        edit(place, latitude="50.700000", longitude="3.200000", is_approximate=False)
        [feature] = [
            f for f in client.get(GEOJSON).json()["features"] if f["properties"]["slug"] == "afev"
        ]
        assert feature["geometry"]["coordinates"] == [3.2, 50.7]

    def test_a_deleted_association_leaves_the_exports(self, client, seed):
        client.get(reverse("opendata:association_list"))
        Association.objects.get(slug="afev").delete()
        slugs = [
            a["slug"] for a in client.get(reverse("opendata:association_list")).json()["results"]
        ]
        assert "afev" not in slugs

    def test_the_version_changes_with_every_save_and_delete(self, seed):
        before = directory_version()
        place = LocationFactory()
        assert directory_version() != before
        saved = directory_version()
        place.delete()
        assert directory_version() != saved

    def test_something_cached_is_built_once_per_version(self, db):
        built = []
        assert directory_cached("test", lambda: built.append(1) or "x", "k") == "x"
        assert directory_cached("test", lambda: built.append(1) or "y", "k") == "x"
        AssociationFactory()
        assert directory_cached("test", lambda: built.append(1) or "z", "k") == "z"
        assert len(built) == 2


class TestCachedQueries:
    @pytest.mark.parametrize("url", [*EXPORTS, reverse("opendata:brochure")])
    def test_a_cached_answer_costs_no_query(self, client, seed, url, django_assert_num_queries):
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200

    def test_the_directorys_cards_are_cached_for_each_page_and_filter(
        self, client, seed, page_cache_off, django_assert_num_queries
    ):
        url = reverse("associations:directory")
        client.get(url, {"modalite": "presentiel"})
        # The filter choices, the page count: the cards, their levels and totals cached.
        with django_assert_num_queries(5):
            again = client.get(url, {"modalite": "presentiel"})
        assert "Afev" in again.content.decode()
        other = client.get(url, {"modalite": "distance"}).content.decode()
        assert other != again.content.decode()

    def test_the_orientation_results_are_cached_for_each_set_of_answers(self, client, seed):
        young = reverse("orientation:young")
        answers = {"age": "12", "situation": "college", "envoi": "1"}
        parent = client.get(young, {"qui": "parent", **answers}).content.decode()
        assert "associations pour votre enfant" in parent
        # Another person, the same child's answers: the results' own words.
        itself = client.get(young, {"qui": "jeune", **answers}).content.decode()
        assert "associations pour vous" in itself
        assert "associations pour votre enfant" not in itself
        # Asked again: the results come from the cache, not drawn anew.
        again = client.get(young, {"qui": "parent", **answers})
        assert again.content.decode() == parent
        assert "orientation/_results.html" not in [t.name for t in again.templates]

    def test_the_maps_list_is_cached_whole_or_alone(
        self, client, seed, page_cache_off, django_assert_num_queries
    ):
        url = reverse("associations:map")
        client.get(url, {"niveau": "ecole"})
        # The form's four filter choices: the list itself is cached.
        with django_assert_num_queries(4):
            page = client.get(url, {"niveau": "ecole"}).content.decode()
        assert "2 lieux, 2 associations." in page
        alone = client.get(url, {"niveau": "ecole"}, headers={"x-partial": "liste"})
        assert "2 lieux, 2 associations." in alone.content.decode()
        assert "<html" not in alone.content.decode()

    def test_the_brochure_gets_this_visitors_nonce(self, client, seed):
        first, second = (
            client.get(reverse("opendata:brochure")),
            client.get(reverse("opendata:brochure")),
        )
        nonces = [r.context["csp_nonce"] for r in (first, second)]
        assert nonces[0] != nonces[1]
        assert f'nonce="{nonces[1]}"' in second.content.decode()
        assert f'nonce="{nonces[0]}"' not in second.content.decode()

    def test_an_etag_answers_304_from_the_cache(self, client, seed):
        url = reverse("opendata:association_list")
        etag = client.get(url)["ETag"]
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304


class TestMapView:
    def view(self, client, bbox, **params):
        return client.get(GEOJSON, {"bbox": bbox, **params})

    def test_the_view_keeps_its_places_and_says_where_all_are(self, client, seed):
        inside = LocationFactory(latitude="50.690000", longitude="3.180000")
        LocationFactory(latitude="50.400000", longitude="2.800000")
        data = self.view(client, "3.10,50.65,3.25,50.73").json()
        slugs = {f["properties"]["slug"] for f in data["features"]}
        assert inside.association.slug in slugs
        assert len(data["features"]) == 10 + 1  # the brochure's ten, at Roubaix's centre
        west, south, east, north = data["bbox"]
        assert (west, south) == (2.8, 50.4) and north >= 50.69 and east >= 3.18

    def test_too_many_places_in_view_come_as_groups(self, client, db):
        association = AssociationFactory()
        Location.objects.bulk_create(
            Location(
                association=association,
                label=f"Lieu {n}",
                latitude=f"{50.60 + (n % 40) * 0.004:.6f}",
                longitude=f"{3.05 + (n // 40) * 0.01:.6f}",
            )
            for n in range(MAP_POINTS_MAX + 20)
        )
        edit(association, name="Beaucoup de lieux")  # bulk_create sends no signal
        response = self.view(client, "3.00,50.55,3.30,50.80")
        data = json.loads(response.content)
        assert data["grouped"] is True
        assert sum(f["properties"]["count"] for f in data["features"]) == MAP_POINTS_MAX + 20
        assert all(f["properties"]["group"] for f in data["features"])
        # A small view: the places themselves.
        data = self.view(client, "3.049,50.599,3.051,50.61").json()
        assert "grouped" not in data
        assert {f["properties"]["place"] for f in data["features"]} >= {"Lieu 0", "Lieu 1"}

    @pytest.mark.parametrize(
        "bbox",
        [
            "abc",
            "1,2,3",
            "1,2,3,4,5",
            "3.2,50.6,3.1,50.7",  # west after east
            "3.1,50.7,3.2,50.6",  # south after north
            "nan,50,3,51",
            "inf,50,3,51",
            "-200,50,3,51",
            "3,-95,4,51",
            "1e400,50,3,51",
            "3,,4,51",
            "",
        ],
    )
    def test_a_hostile_view_gets_a_clear_400(self, client, seed, bbox):
        response = self.view(client, bbox)
        if bbox == "":  # an empty parameter asks nothing: every place
            assert response.status_code == 200
            return
        assert response.status_code == 400
        [message] = response.json()["errors"]["bbox"]
        assert message.startswith("Quatre nombres séparés par des virgules sont attendus")

    def test_a_huge_or_repeated_view_is_refused_unread(self, client, seed):
        assert self.view(client, "1," * 5000 + "1").status_code == 400
        response = client.get(GEOJSON + "?bbox=3,50,4,51&bbox=3,50,4,52")
        assert response.status_code == 400
        assert response.json()["errors"]["bbox"]

    def test_view_queries_are_fixed(self, client, seed, django_assert_num_queries):
        # The extent, whether the view holds few places, then the places.
        with django_assert_num_queries(3):
            self.view(client, "3.10,50.65,3.25,50.73")
        for _ in range(30):
            LocationFactory(latitude="50.690000", longitude="3.180000")
        with django_assert_num_queries(3):
            self.view(client, "3.10,50.65,3.25,50.73")
        with django_assert_num_queries(0):
            self.view(client, "3.10,50.65,3.25,50.73")


class TestSlowBuilds:
    def test_a_slow_build_serves_the_previous_version_until_the_command_builds(
        self, client, seed, monkeypatch
    ):
        from django.core.management import call_command

        import core.cache

        url = reverse("opendata:association_list")
        client.get(url)
        monkeypatch.setattr(core.cache, "SLOW_BUILD", -1)  # every build counts as slow
        edit(Association.objects.get(slug="afev"), name="Afev Métropole")
        assert "Afev Métropole" not in client.get(url).content.decode()  # the previous one
        call_command("build_directory_cache", stdout=io.StringIO())
        assert "Afev Métropole" in client.get(url).content.decode()
        assert "Afev Métropole" in client.get(reverse("opendata:brochure")).content.decode()

    def test_a_fast_build_is_done_at_once(self, client, seed):
        url = reverse("opendata:association_list")
        client.get(url)
        edit(Association.objects.get(slug="afev"), name="Afev Métropole")
        assert "Afev Métropole" in client.get(url).content.decode()
