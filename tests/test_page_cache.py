"""Whole public pages served from the cache (core.page_cache): fewer queries, and never
one visitor's nonce, token or account in another's page.

Each test has a cache of its own (conftest's `_own_cache`); what the page cache stores is
counted through `core.page_cache._set`, whatever the backend (locmem here, Redis in CI).
"""

import io
import re

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import translation

from associations.models import Association
from core import page_cache
from orientation.models import WeeklySearch
from referrals.models import Referral

from .factories import edit
from .helpers import HOSTILE, YOUNG_PERSON, page_text, request_data, stored_request, young_query

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("associations:directory")
NONCE = re.compile(r'nonce="([^"]+)"')
HEADER_NONCE = re.compile(r"'nonce-([^']+)'")
YOUNG_RESULTS = (
    reverse("orientation:young")
    + "?"
    + "&".join(f"{name}={value}" for name, value in {**YOUNG_PERSON, "envoi": "1"}.items())
)
VOLUNTEER_RESULTS = (
    reverse("orientation:volunteer")
    + "?age=30&situation=salarie&rythme=1-par-semaine&heures=2&engagement=annee-scolaire"
    "&modalite=presentiel"
)

# Queries of a first visit (the cache empty: each page's fragments built too), then of a
# second one, from the page cache: none, but the orientation's count of the search.
PAGES = [
    (reverse("associations:home"), 4, 0),
    (reverse("associations:presentation"), 1, 0),
    (reverse("associations:directory"), 7, 0),
    (reverse("associations:directory") + "?niveau=college&page=1", 9, 0),
    (reverse("associations:detail", args=["afev"]), 10, 0),
    (reverse("associations:map"), 6, 0),
    (reverse("orientation:index"), 0, 0),
    (YOUNG_RESULTS, 16, 1),
    (VOLUNTEER_RESULTS, 9, 1),
    (reverse("orientation:api_young") + "?qui=parent&age=14&situation=college", 10, 0),
    (reverse("pages:contact"), 4, 0),
    (reverse("pages:legal"), 1, 0),
    (reverse("pages:privacy"), 1, 0),
    (reverse("pages:accessibility"), 1, 0),
    (reverse("associations:locations_geojson") + "?bbox=2.80,50.50,3.30,50.80", 3, 0),
    (reverse("opendata:association_detail", args=["afev"]), 11, 0),
    (reverse("opendata:open_data"), 6, 0),
    (reverse("opendata:flyers"), 3, 0),
    (reverse("opendata:association_flyer", args=["afev"]), 11, 0),
    (reverse("opendata:level_flyer", args=["college"]), 5, 0),
    ("/ar" + reverse("associations:detail", args=["afev"]), 10, 0),
    ("/en/", 4, 0),
]


@pytest.fixture(autouse=True)
def _in_french():
    """Addresses reversed in French: a request to /ar/ leaves Arabic active in the thread."""
    with translation.override("fr"):
        yield


@pytest.fixture
def stores(monkeypatch):
    """The keys the page cache stores, in order."""
    keys = []
    original = page_cache._set

    def spy(key, value, timeout):
        keys.append(key)
        original(key, value, timeout)

    monkeypatch.setattr(page_cache, "_set", spy)
    return keys


def without_nonce(response):
    """The response's headers and content, each nonce replaced by the same word."""
    headers = {
        name: HEADER_NONCE.sub("'nonce-N'", value)
        for name, value in response.headers.items()
        if name != "Content-Length"
    }
    return headers, NONCE.sub('nonce="N"', response.content.decode())


def nonces(response):
    """The nonce of the CSP header, and those of the page's script tags."""
    header = HEADER_NONCE.findall(response["Content-Security-Policy"])
    return header, set(NONCE.findall(response.content.decode()))


class TestSecondVisit:
    @pytest.mark.parametrize(("url", "miss", "hit"), PAGES)
    def test_is_served_from_the_cache_as_it_was_first(
        self, client, seed, stores, url, miss, hit, django_assert_num_queries
    ):
        with django_assert_num_queries(miss):
            first = client.get(url)
        assert first.status_code == 200
        assert len(stores) == 1
        with django_assert_num_queries(hit):
            second = client.get(url)
        assert second.status_code == 200
        assert len(stores) == 1
        # The same headers (ETag, Vary, Cache-Control, Content-Language…) and page.
        assert without_nonce(second) == without_nonce(first)

    def test_a_page_past_the_last_one_is_kept_under_its_address(
        self, client, seed, stores, django_assert_num_queries
    ):
        url = DIRECTORY + "?niveau=college&page=2"  # ten associations: one page
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200
        assert len(stores) == 1

    def test_a_head_request_is_answered_from_the_same_entry(self, client, seed, stores):
        url = reverse("opendata:association_flyer", args=["afev"])
        client.get(url)
        assert client.head(url).status_code == 200
        assert len(stores) == 1

    def test_a_page_that_refuses_head_still_does_once_cached(self, client, seed):
        url = reverse("associations:detail", args=["afev"])  # @require_GET
        client.get(url)
        assert client.head(url).status_code == 405

    def test_an_api_hit_still_answers_its_conditional_get(self, client, seed):
        url = reverse("opendata:association_detail", args=["afev"])
        etag = client.get(url)["ETag"]
        assert client.get(url)["ETag"] == etag
        assert client.get(url, headers={"if-none-match": etag}).status_code == 304

    def test_the_map_and_its_list_alone_are_cached_apart(self, client, seed):
        url = reverse("associations:map")
        page = without_nonce(client.get(url))
        partial = without_nonce(client.get(url, headers={"x-partial": "liste"}))
        assert "<html" in page[1] and "<html" not in partial[1]
        assert without_nonce(client.get(url)) == page
        assert without_nonce(client.get(url, headers={"x-partial": "liste"})) == partial


class TestNonce:
    @pytest.mark.parametrize(
        "url",
        [
            reverse("associations:detail", args=["afev"]),
            reverse("associations:map"),
            reverse("opendata:association_flyer", args=["afev"]),
        ],
    )
    def test_each_visit_has_its_own_nonce_in_the_header_and_the_scripts(self, seed, url):
        answers = [Client().get(url) for _ in range(3)]
        seen = []
        for response in answers:
            [header], in_page = nonces(response)
            # The page's every script carries this request's nonce, and no sentinel.
            assert in_page == {header}
            assert "csp-sentinel" not in response.content.decode()
            seen.append(header)
        assert len(set(seen)) == 3
        for response in answers[1:]:
            assert seen[0] not in response.content.decode()

    def test_a_page_without_script_gets_no_nonce_cached_or_not(self, client, seed):
        url = reverse("pages:legal")
        for _ in range(2):
            response = client.get(url)
            assert "nonce" not in response["Content-Security-Policy"]
            assert "nonce=" not in response.content.decode()


class TestStaffEdits:
    def test_an_association_saved_shows_at_once(self, client, seed):
        url = reverse("associations:detail", args=["afev"])
        assert "Afev" in client.get(url).content.decode()
        edit(Association.objects.get(slug="afev"), name="Afev Roubaix-Tourcoing")
        assert "Afev Roubaix-Tourcoing" in client.get(url).content.decode()

    def test_a_summary_saved_shows_in_the_directory(self, client, seed):
        url = reverse("associations:directory")
        before = client.get(url).content.decode()
        association = Association.objects.get(slug="afev")
        edit(association, summary="Un résumé tout neuf, écrit par l’équipe.")
        after = client.get(url).content.decode()
        assert after != before
        assert "Un résumé tout neuf" in after


class TestLanguages:
    def test_french_and_arabic_pages_of_one_address_are_cached_apart(
        self, client, seed, stores, django_assert_num_queries
    ):
        french = DIRECTORY
        arabic = "/ar" + french
        assert 'lang="fr"' in client.get(french).content.decode()
        assert 'lang="ar"' in client.get(arabic).content.decode()
        assert len(stores) == 2
        with django_assert_num_queries(0):
            again_french = client.get(french)
            again_arabic = client.get(arabic)
        assert 'lang="fr"' in again_french.content.decode()
        assert again_french["Content-Language"] == "fr"
        assert 'lang="ar" dir="rtl"' in again_arabic.content.decode()
        assert again_arabic["Content-Language"] == "ar"

    def test_a_remembered_language_is_redirected_before_the_cache(self, client, seed):
        url = DIRECTORY
        client.get(url)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/ar" + url


FORM = reverse("referrals:young", args=["afev"])
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_INPUT = re.compile(r'name="submission_token" value="([^"]+)"')


class TestRequestForm:
    """The form's page is the same for everyone but its CSRF token and one-time token."""

    def test_a_second_visit_is_served_from_the_cache_with_its_own_tokens(
        self, seed, stores, django_assert_num_queries
    ):
        first = Client().get(FORM)
        assert len(stores) == 1
        with django_assert_num_queries(0):
            second = Client().get(FORM)
        assert second.status_code == 200
        assert "Être mis en relation avec Afev" in page_text(second)
        for response in (first, second):
            assert settings.CSRF_COOKIE_NAME in response.cookies
            assert "no-store" in response["Cache-Control"]
        [csrf_first], [csrf_second] = (CSRF_INPUT.findall(r.text) for r in (first, second))
        [token_first], [token_second] = (SUBMISSION_INPUT.findall(r.text) for r in (first, second))
        assert csrf_first != csrf_second
        assert token_first != token_second
        # Besides the tokens, the same page.
        assert CSRF_INPUT.sub("", SUBMISSION_INPUT.sub("", first.text)) == CSRF_INPUT.sub(
            "", SUBMISSION_INPUT.sub("", second.text)
        )

    def test_the_cache_keeps_no_visitors_token(self, seed, stores):
        response = Client().get(FORM)
        [entry] = [caches["default"].get(key) for key in stores]
        [csrf] = CSRF_INPUT.findall(response.text)
        [token] = SUBMISSION_INPUT.findall(response.text)
        assert csrf.encode() not in entry["content"]
        assert token.encode() not in entry["content"]
        assert settings.CSRF_COOKIE_NAME not in str(entry["headers"])

    def test_a_form_served_from_the_cache_sends_its_request(self, seed, stores, mailoutbox):
        Client().get(FORM)
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(FORM)
        assert len(stores) == 1
        [csrf] = CSRF_INPUT.findall(page.text)
        [token] = SUBMISSION_INPUT.findall(page.text)
        response = visitor.post(
            FORM, request_data(csrfmiddlewaretoken=csrf, submission_token=token)
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("referrals:sent")
        referral = Referral.objects.get()
        assert referral.submission_token == token
        assert referral.association.slug == "afev"

    def test_a_cached_form_without_its_cookie_is_refused_by_the_csrf_check(self, seed):
        Client().get(FORM)
        page = Client().get(FORM)
        [csrf] = CSRF_INPUT.findall(page.text)
        stranger = Client(enforce_csrf_checks=True)  # another browser: no cookie
        response = stranger.post(FORM, request_data(csrfmiddlewaretoken=csrf))
        assert response.status_code == 403
        assert not Referral.objects.exists()

    def test_answers_from_the_orientation_are_kept_under_their_address(self, client, seed, stores):
        query = "?qui=parent&age=12&situation=college"
        response = client.get(FORM + query)
        assert "Je fais cette demande pour mon enfant." in response.text
        assert len(stores) == 1
        assert 'value="12"' in Client().get(FORM + query).text
        assert 'value="12"' not in Client().get(FORM).text
        assert len(stores) == 2

    @pytest.mark.parametrize(
        "query",
        [
            "age=douze",
            "age=12&situation=inconnue",
            "suite=2",
            "utm_source=affiche",
            "age=12&x=" + "y" * 2_000,
            "age=" + "9" * 500,
            # Valid answers, written otherwise than the site's links write them.
            "age=0000012",
            "age=12.000",
            "age=12&age=12",
            "age=12%20",
            "qui=PARENT",
        ],
    )
    def test_odd_answers_are_answered_not_stored(self, client, seed, stores, query):
        response = client.get(f"{FORM}?{query}")
        assert response.status_code == 200
        assert CSRF_INPUT.search(response.text)
        assert stores == []

    def test_the_same_answers_in_another_order_or_spelling_share_one_entry(
        self, seed, stores, django_assert_num_queries
    ):
        Client().get(FORM + "?qui=parent&age=12&situation=college")
        assert len(stores) == 1
        with django_assert_num_queries(0):
            for query in [
                "?situation=college&age=12&qui=parent",
                "?age=%312&qui=parent&situation=college",
            ]:
                response = Client().get(FORM + query)
                assert 'value="12"' in response.text
        assert len(stores) == 1

    def test_an_entry_kept_with_other_tokens_is_built_again(self, seed, stores, monkeypatch):
        Client().get(FORM)
        [key] = stores
        entry = caches["default"].get(key)
        entry["tokens"] = {"ancien_jeton": "page-token-0"}
        caches["default"].set(key, entry)
        response = Client().get(FORM)
        assert response.status_code == 200
        assert CSRF_INPUT.search(response.text)
        assert len(stores) == 2

    def test_a_form_with_errors_is_never_stored(self, client, seed, stores):
        response = client.post(FORM, request_data(email="pas-un-courriel"))
        assert response.status_code == 200
        assert "Erreur" in page_text(response)
        assert stores == []

    def test_a_place_taken_shows_at_once(self, client, seed):
        association = Association.objects.get(slug="afev")
        notice = "sera inscrite sur sa liste d’attente"
        assert notice not in page_text(client.get(FORM))
        edit(association, roubaix_capacity=1, roubaix_capacity_is_minimum=False)
        Referral.objects.create(**stored_request(association, status=Referral.Status.TAKEN))
        assert notice in page_text(Client().get(FORM))


class TestNeverCached:
    def test_staff_logged_in_are_never_served_the_cache_nor_fill_it(
        self, staff_client, seed, stores, django_assert_max_num_queries
    ):
        url = reverse("associations:detail", args=["afev"])
        staff_client.get(url)
        assert stores == []
        anonymous = Client()
        anonymous.get(url)
        assert len(stores) == 1
        # Their session read (the account), the page rendered: never the cached one.
        with django_assert_max_num_queries(30) as queries:
            response = staff_client.get(url)
        assert len(queries) > 2
        assert response.status_code == 200
        assert len(stores) == 1
        assert response.wsgi_request.user.is_staff

    def test_pending_messages_skip_the_cache(
        self, client, seed, stores, django_assert_max_num_queries
    ):
        url = reverse("associations:home")
        client.get(url)
        client.cookies[CookieStorage.cookie_name] = "anything"
        with django_assert_max_num_queries(20) as queries:
            client.get(url)
        assert len(queries) > 0
        assert len(stores) == 1

    def test_a_session_skips_the_cache(self, seed, stores, django_assert_max_num_queries):
        url = reverse("associations:home")
        Client().get(url)
        visitor = Client()
        visitor.cookies[settings.SESSION_COOKIE_NAME] = "a-session-key"
        with django_assert_max_num_queries(20) as queries:
            visitor.get(url)
        assert len(queries) > 0
        assert len(stores) == 1


class TestHostileQueries:
    @pytest.mark.parametrize(("changes", "field"), HOSTILE)
    def test_refused_answers_are_answered_not_stored(self, client, seed, stores, changes, field):
        url = reverse("orientation:api_young")
        response = client.get(url, young_query(changes))
        assert response.status_code == 400
        assert field in response.json()["errors"]
        assert stores == []

    @pytest.mark.parametrize(
        "query",
        [
            "bbox=1,2,3",
            "bbox=" + "9" * 5_000,
            "niveau=inconnu",
        ],
    )
    def test_the_geojson_api_says_its_error_and_stores_nothing(self, client, seed, stores, query):
        response = client.get(reverse("associations:locations_geojson") + "?" + query)
        assert response.status_code == 400
        assert stores == []

    @pytest.mark.parametrize(
        "query",
        [
            "niveau=inconnu",  # the form again, with its error: 200
            "page=01",
            "page=12345",
            "page=x",
            "utm_source=affiche",  # a parameter the page does not read
            "niveau=college&x=" + "y" * 2_000,
        ],
    )
    def test_odd_queries_of_a_page_are_answered_not_stored(self, client, seed, stores, query):
        response = client.get(reverse("associations:directory") + "?" + query)
        assert response.status_code == 200
        assert stores == []

    def test_results_sent_with_a_question_left_blank_are_kept(self, client, seed, stores):
        # What the browser sends: every field of the form, blank ones included.
        query = {**YOUNG_PERSON, "envoi": "1", "modalite": ""}
        assert client.get(reverse("orientation:young"), query).status_code == 200
        assert len(stores) == 1

    @pytest.mark.parametrize("age", ["012", "12.0", "12 "])
    def test_results_for_an_age_written_oddly_are_answered_not_stored(
        self, client, seed, stores, age
    ):
        response = client.get(
            reverse("orientation:young"), {**YOUNG_PERSON, "envoi": "1", "age": age}
        )
        assert response.status_code == 200
        assert stores == []

    def test_a_questionnaire_with_errors_is_answered_in_french_not_stored(
        self, client, seed, stores
    ):
        response = client.get(reverse("orientation:young"), young_query({"age": "douze"}))
        assert response.status_code == 200
        assert "Indiquez un âge en chiffres" in response.text
        assert stores == []


class TestOrientationStatistics:
    def test_a_search_served_from_the_cache_is_counted(self, client, seed):
        client.get(YOUNG_RESULTS)
        client.get(YOUNG_RESULTS)
        client.head(YOUNG_RESULTS)
        assert WeeklySearch.objects.get().searches == 2


class TestCacheDown:
    def test_pages_are_served_when_the_cache_raises(self, client, seed, monkeypatch):
        def down(*args, **kwargs):
            raise ConnectionError("Redis ne répond pas")

        backend = caches["default"]
        monkeypatch.setattr(backend, "get", down)
        monkeypatch.setattr(backend, "set", down)
        # The page cache as if empty; the page's own fragments ({% cache %}) are another
        # matter: these pages have none.
        for url in [reverse("associations:detail", args=["afev"]), reverse("pages:legal")]:
            for _ in range(2):
                response = client.get(url)
                assert response.status_code == 200
                header, in_page = nonces(response)
                assert in_page == set(header)
                assert "csp-sentinel" not in response.content.decode()


class TestBuildCommand:
    def test_the_command_builds_with_production_hosts_and_stores_no_page(
        self, seed, settings, stores
    ):
        """It calls the views with its own requests (host `testserver`), which no page
        cache serves: production's ALLOWED_HOSTS would refuse their host."""
        from django.core.management import call_command

        settings.ALLOWED_HOSTS = ["mentorat.example.org"]
        out = io.StringIO()
        call_command("build_directory_cache", stdout=out)
        assert "/api/lieux.geojson : 200" in out.getvalue()
        assert stores == []


class TestFragmentsWithRedisDown:
    """The templates' fragments in a Redis that does not answer (nothing listens on port
    1): the page is rendered, fragments included, as if the cache were empty."""

    REDIS_DOWN = {
        "BACKEND": "core.cache_backends.ForgivingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }

    @pytest.mark.parametrize(
        "url",
        [
            reverse("associations:directory"),
            reverse("associations:map"),
            reverse("pages:contact"),
            YOUNG_RESULTS,
        ],
    )
    def test_a_page_with_fragments_is_served(self, client, seed, page_cache_off, settings, url):
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "template_fragments": self.REDIS_DOWN,
        }
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200
            assert "Afev" in page_text(response)
